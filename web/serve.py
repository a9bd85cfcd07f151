#!/usr/bin/env python3
"""Serves gradflow's web page (build-web/) on localhost with the two headers that give the page
cross-origin isolation, which its worker threads (SharedArrayBuffer) need:
Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.
Any static host serves the folder as well if it sends those two headers."""
import argparse
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript", ".data": "application/octet-stream"}

    def end_headers(self):
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, fmt, *args):  # quiet: one line per request is noise here
        pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder")
    ap.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    ap.add_argument("--host", default="127.0.0.1")
    a = ap.parse_args()
    handler = functools.partial(Handler, directory=a.folder)
    try:
        httpd = http.server.ThreadingHTTPServer((a.host, a.port), handler)
    except OSError as e:
        print(f"gradflow: cannot serve on port {a.port}: {e.strerror} (--port=N picks another)", file=sys.stderr)
        return 2
    print(f"gradflow: serving {a.folder} at http://localhost:{httpd.server_address[1]}/ (Ctrl+C stops)", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
