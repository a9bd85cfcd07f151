#!/usr/bin/env python3
"""Soak test of gradflow's window: random keys, drags, clicks, resizes and saves for a given time.

Runs the sanitizer build's window under Xvfb (re-running itself under xvfb-run when no display is
set), drives it with xdotool, samples its resident memory every second, and fails on:
  - the window exiting before it is asked to quit, or a non-zero exit status when it is;
  - any AddressSanitizer, LeakSanitizer, UndefinedBehaviorSanitizer or ThreadSanitizer report;
  - memory growth after warm-up beyond --max-growth-mb, judged at checkpoints where a lesson key
    has just reset the configuration (so a larger configuration is not mistaken for a leak).

    tools/soak.py --duration 60                          # a minute, sizes from 1x1 to 7680x4320
    tools/soak.py --duration 3600 --min-size 480         # an hour, no window narrower than 480 px
    tools/soak.py --exe build-tsan/gradflow --duration 30

Without --exe it takes build-asan/gradflow, building it first (meson, address + undefined
sanitizers) if it is missing. Saved PNGs go to a temporary GRADFLOW_SAVE_DIR, removed at the end.
Standard library only; needs xvfb-run (package xvfb) and xdotool. Exit status 0 on a clean soak,
1 on a finding (the last events and the sanitizer report are printed), 2 on a bad argument."""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCREEN = (7680, 4320)
SIZE_MAX = (7680, 4320)
REPORT = re.compile(r"ERROR: (Address|Leak|Thread|Memory)Sanitizer|WARNING: ThreadSanitizer|"
                    r"runtime error:|SUMMARY: \w+Sanitizer")
# keys that never quit the window (Q, Escape quit; they are sent only at the end)
KEYS = ["Left", "Right", "shift+Left", "shift+Right", "Up", "Down", "bracketleft", "bracketright",
        "l", "shift+l", "Tab", "shift+Tab", "c", "shift+c", "d", "i", "b", "shift+b", "n", "a", "r",
        "1", "2", "3", "y", "o", "t", "p", "h", "F1", "f", "F11", "ctrl+plus", "ctrl+minus",
        "ctrl+0", "4", "5", "6", "7", "8", "9"]
VIEWS = 3
LESSONS = ["4", "5", "6", "7", "8", "9"]


def parse_size(text):
    m = re.fullmatch(r"(\d+)(?:x(\d+))?", text)
    if not m:
        raise argparse.ArgumentTypeError("'%s' is not N or WxH" % text)
    w = int(m.group(1))
    h = int(m.group(2)) if m.group(2) else w
    if not (1 <= w <= SIZE_MAX[0] and 1 <= h <= SIZE_MAX[1]):
        raise argparse.ArgumentTypeError("'%s' is out of range: accepted 1x1 to 7680x4320" % text)
    return (w, h)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--exe", help="gradflow binary (default: build-asan/gradflow, built if missing)")
    p.add_argument("--duration", type=float, default=60.0, help="seconds of events (default 60)")
    p.add_argument("--min-size", type=parse_size, default=(1, 1),
                   help="smallest window size a resize asks for, N or WxH (default 1x1)")
    p.add_argument("--max-size", type=parse_size, default=SIZE_MAX,
                   help="largest window size (default 7680x4320)")
    p.add_argument("--warmup", type=float, default=None,
                   help="seconds before memory is judged (default: a fifth of the duration, at most 120)")
    p.add_argument("--max-growth-mb", type=float, default=256.0,
                   help="memory growth allowed after warm-up, MB (default 256; 0: not judged, for "
                        "ThreadSanitizer builds, whose history grows by design)")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock; printed)")
    p.add_argument("--rate", type=float, default=25.0, help="events per second, at most (default 25)")
    p.add_argument("--gl", action="store_true",
                   help="let SDL pick its OpenGL renderer (expect Mesa's leaks at exit under ASan)")
    p.add_argument("--json", help="also write the summary as JSON to this file")
    p.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.duration <= 0:
        p.error("--duration must be positive")
    if a.min_size[0] > a.max_size[0] or a.min_size[1] > a.max_size[1]:
        p.error("--min-size must not exceed --max-size")
    if a.warmup is None:
        a.warmup = min(120.0, a.duration / 5)
    if a.seed is None:
        a.seed = int(time.time() * 1000) % 1000000007
    return a


def build_asan():
    exe = os.path.join(ROOT, "build-asan", "gradflow")
    if os.path.exists(exe):
        return exe
    print("soak: building %s (address and undefined-behaviour sanitizers)" % exe, flush=True)
    subprocess.run(["meson", "setup", os.path.join(ROOT, "build-asan"), "-Db_sanitize=address,undefined",
                    "-Dbuildtype=debugoptimized"], cwd=ROOT, check=True)
    subprocess.run(["meson", "compile", "-C", os.path.join(ROOT, "build-asan"), "gradflow"], cwd=ROOT, check=True)
    return exe


def xdo(*args):
    """One xdotool command; its output (a window id) or None when it failed."""
    try:
        r = subprocess.run(["xdotool"] + [str(a) for a in args], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True, timeout=60)
    except subprocess.TimeoutExpired:  # a machine under heavy load: the event is lost, not the soak
        return None
    return r.stdout.strip() if r.returncode == 0 else None


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def log_size(w_min, w_max, rnd):
    """A size spread evenly on a log scale, so 1 to 10 px come up as often as 1000 to 10000."""
    if w_min == w_max:
        return w_min
    return int(round(w_min * (w_max / w_min) ** rnd.random()))


class Soak:
    def __init__(self, a, exe, save_dir, err_path):
        self.a = a
        self.rnd = random.Random(a.seed)
        self.save_dir = save_dir
        self.err_path = err_path
        self.events = {"key": 0, "drag": 0, "click": 0, "wheel": 0, "resize": 0, "save": 0}
        self.recent = []  # the last events, for the report
        self.size = (960, 540)
        env = dict(os.environ)
        env["GRADFLOW_SAVE_DIR"] = save_dir
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:quarantine_size_mb=32")
        env.setdefault("LSAN_OPTIONS", "suppressions=" + os.path.join(ROOT, "tools", "lsan.supp"))
        if not a.gl:
            # SDL's software renderer and framebuffer: Mesa's llvmpipe, which the window would
            # otherwise load under Xvfb, keeps allocations LeakSanitizer reports once the library
            # is unloaded (where no suppression can name it), and is slow under the sanitizers
            env["SDL_RENDER_DRIVER"] = "software"
            env["SDL_FRAMEBUFFER_ACCELERATION"] = "0"
        env.setdefault("DBUS_SESSION_BUS_ADDRESS", "disabled:")
        env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
        env.setdefault("TSAN_OPTIONS", "halt_on_error=0")
        self.err = open(err_path, "w")
        self.proc = subprocess.Popen([exe, "--size", "960x540", "--seq-len", "200", "--hidden", "32"],
                                     stdout=subprocess.DEVNULL, stderr=self.err, env=env)
        self.wid = None
        # what the keys toggled, undone at every checkpoint
        self.fullscreen = self.help = self.panel = False  # F/F11, H/F1, P
        self.view = 0  # Tab / Shift+Tab: gradients, states, anatomy

    def note(self, text):
        self.recent.append("%.1f %s" % (time.monotonic() - self.t0, text))
        del self.recent[:-40]

    def find_window(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            out = xdo("search", "--pid", self.proc.pid, "--name", "gradflow")
            if out:
                self.wid = out.split()[-1]
                return True
            time.sleep(0.2)
        return False

    def focus(self):
        xdo("windowfocus", self.wid)

    def point(self):
        return self.rnd.randrange(max(1, self.size[0])), self.rnd.randrange(max(1, self.size[1]))

    def event(self):
        r = self.rnd.random()
        if r < 0.50:
            key = self.rnd.choice(KEYS)
            self.note("key " + key)
            xdo("key", "--clearmodifiers", key)
            if key in ("f", "F11"):
                self.fullscreen = not self.fullscreen
            elif key in ("h", "F1"):
                self.help = not self.help
            elif key == "p":
                self.panel = not self.panel
            elif key in ("Tab", "shift+Tab"):
                self.view = (self.view + (1 if key == "Tab" else VIEWS - 1)) % VIEWS
            self.events["key"] += 1
        elif r < 0.65:
            (x0, y0), (x1, y1) = self.point(), self.point()
            self.note("drag %d,%d -> %d,%d" % (x0, y0, x1, y1))
            cmd = ["mousemove", "--window", self.wid, x0, y0, "mousedown", 1]
            for k in range(1, 6):
                cmd += ["mousemove", "--window", self.wid, x0 + (x1 - x0) * k // 5, y0 + (y1 - y0) * k // 5]
            xdo(*(cmd + ["mouseup", 1]))
            self.events["drag"] += 1
        elif r < 0.78:
            x, y = self.point()
            self.note("click %d,%d" % (x, y))
            xdo("mousemove", "--window", self.wid, x, y, "click", 1)
            self.events["click"] += 1
        elif r < 0.83:
            x, y = self.point()
            button = self.rnd.choice([4, 5])
            self.note("wheel %d at %d,%d" % (button, x, y))
            xdo("mousemove", "--window", self.wid, x, y, "click", button)
            self.events["wheel"] += 1
        elif r < 0.95:
            w = log_size(self.a.min_size[0], self.a.max_size[0], self.rnd)
            h = log_size(self.a.min_size[1], self.a.max_size[1], self.rnd)
            self.note("resize %dx%d" % (w, h))
            xdo("windowsize", self.wid, w, h)
            self.size = (w, h)
            self.focus()
            self.events["resize"] += 1
        else:
            key = self.rnd.choice(["s", "s", "shift+s"])
            self.note("save " + key)
            xdo("key", "--clearmodifiers", key)
            self.events["save"] += 1

    def reports(self):
        self.err.flush()
        with open(self.err_path, errors="replace") as f:
            text = f.read()
        return text if REPORT.search(text) else None

    def clear_saves(self):
        n = 0
        for name in os.listdir(self.save_dir):
            try:
                os.remove(os.path.join(self.save_dir, name))
                n += 1
            except OSError:
                pass
        return n

    def checkpoint(self):
        """Resets the window's size and, with a lesson key, its configuration; waits for the
        picture; samples memory. Samples taken so are comparable whatever came before."""
        key = LESSONS[0]
        self.note("checkpoint: 1280x720, key " + key)
        undo = (["F11"] if self.fullscreen else []) + (["F1"] if self.help else []) + \
            (["p"] if self.panel else []) + ["Tab"] * ((VIEWS - self.view) % VIEWS) + ["ctrl+0"]
        xdo("key", "--clearmodifiers", *undo)
        self.fullscreen = self.help = self.panel = False
        self.view = 0
        xdo("windowsize", self.wid, 1280, 720)
        self.size = (1280, 720)
        self.focus()
        xdo("key", "--clearmodifiers", key)
        time.sleep(2.0)
        return rss_kb(self.proc.pid)

    def run(self):
        self.t0 = time.monotonic()
        if not self.find_window():
            if self.proc.poll() is not None:
                return self.finish("the window exited at start (status %d)" % self.proc.returncode)
            return self.finish("the window did not appear within 60 s")
        xdo("windowmove", self.wid, 0, 0)
        self.focus()
        rss_first = rss_kb(self.proc.pid)
        samples = []      # (t, rss kB) every second
        checkpoints = []  # (t, rss kB) after a lesson reset, past warm-up
        saved = 0
        next_sample = next_check = 0.0
        interval = 1.0 / self.a.rate
        while True:
            t = time.monotonic() - self.t0
            if t >= self.a.duration:
                break
            if self.proc.poll() is not None:
                return self.finish("the window exited (status %d) while events were still being sent"
                                   % self.proc.returncode, samples, checkpoints)
            self.event()
            if t >= next_sample:
                rss = rss_kb(self.proc.pid)
                if rss:
                    samples.append((round(t, 1), rss))
                next_sample = t + 1.0
            if t >= next_check and t >= self.a.warmup:
                rss = self.checkpoint()
                if rss:
                    checkpoints.append((round(time.monotonic() - self.t0, 1), rss))
                saved += self.clear_saves()
                next_check = time.monotonic() - self.t0 + max(10.0, self.a.duration / 30)
            if self.reports():
                break
            time.sleep(interval)
        rss = self.checkpoint() if self.proc.poll() is None else None
        if rss:
            checkpoints.append((round(time.monotonic() - self.t0, 1), rss))
        self.saved = saved + self.clear_saves()
        self.rss_first = rss_first
        return self.finish(None, samples, checkpoints)

    def finish(self, failure, samples=(), checkpoints=()):
        # ask the window to quit; Q must close it cleanly (LeakSanitizer runs at exit)
        if self.proc.poll() is None and failure is None and not self.reports():
            self.note("quit: key q")
            # Q again every 30 s: on a loaded machine an xdotool call can time out and lose it
            for _ in range(6):
                xdo("key", "--clearmodifiers", "q")
                try:
                    self.proc.wait(timeout=30)
                    break
                except subprocess.TimeoutExpired:
                    pass
            if self.proc.poll() is None:
                failure = "the window did not quit within 180 s of Q"
            if failure is None and self.proc.returncode != 0:
                failure = "the window exited with status %d on Q" % self.proc.returncode
        self.stacks = None
        if self.proc.poll() is None:
            if failure and shutil.which("gdb"):
                # where a window that does not answer is stuck
                r = subprocess.run(["gdb", "-p", str(self.proc.pid), "-batch", "-ex", "thread apply all bt 25"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=120)
                self.stacks = r.stdout
            self.proc.kill()
            self.proc.wait()
        report = self.reports()
        if report and failure is None:
            failure = "a sanitizer report"
        growth_mb = None
        if checkpoints and len(checkpoints) >= 2:
            # the median of the first three checkpoints against that of the last three (one
            # checkpoint may catch a save's or a large picture's memory not yet returned)
            k = min(3, len(checkpoints) // 2) or 1
            first = sorted(c[1] for c in checkpoints[:k])[k // 2]
            last = sorted(c[1] for c in checkpoints[-k:])[k // 2]
            growth_mb = (last - first) / 1024.0
            if failure is None and self.a.max_growth_mb > 0 and growth_mb > self.a.max_growth_mb:
                failure = "memory grew by %.0f MB after warm-up (allowed %.0f MB): checkpoints %s" % (
                    growth_mb, self.a.max_growth_mb, checkpoints)
        summary = {
            "seconds": round(time.monotonic() - self.t0, 1),
            "seed": self.a.seed,
            "min_size": "%dx%d" % self.a.min_size,
            "max_size": "%dx%d" % self.a.max_size,
            "events": dict(self.events, total=sum(self.events.values())),
            "pngs_saved": getattr(self, "saved", None),
            "rss_mb_start": round(samples[0][1] / 1024.0, 1) if samples else None,
            "rss_mb_end": round(samples[-1][1] / 1024.0, 1) if samples else None,
            "rss_mb_peak": round(max(s[1] for s in samples) / 1024.0, 1) if samples else None,
            "rss_mb_checkpoints": [(t, round(k / 1024.0, 1)) for t, k in checkpoints],
            "growth_mb_after_warmup": None if growth_mb is None else round(growth_mb, 1),
            "result": "ok" if failure is None else "FAIL: " + failure,
        }
        if self.a.json:
            with open(self.a.json, "w") as f:
                json.dump(summary, f, indent=1)
        print("soak: %s" % json.dumps(summary), flush=True)
        if failure:
            print("soak: FAIL: %s (seed %d)" % (failure, self.a.seed), file=sys.stderr)
            print("soak: last events:\n  " + "\n  ".join(self.recent), file=sys.stderr)
            if report:
                print("soak: the window's stderr:\n" + report[-6000:], file=sys.stderr)
            else:
                with open(self.err_path, errors="replace") as f:
                    tail = f.read()[-3000:]
                if tail:
                    print("soak: the window's stderr (end):\n" + tail, file=sys.stderr)
            if self.stacks:
                print("soak: the window's threads:\n" + self.stacks[-8000:], file=sys.stderr)
            return 1
        return 0


def main(argv):
    a = parse_args(argv)
    for tool in ("xdotool",) + (() if os.environ.get("DISPLAY") else ("xvfb-run",)):
        if not shutil.which(tool):
            print("soak: %s is missing (apt-get install xvfb xdotool)" % tool, file=sys.stderr)
            return 2
    if not a.inner and not os.environ.get("DISPLAY"):
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 %dx%dx24" % SCREEN, sys.executable,
               os.path.abspath(__file__), "--inner"] + argv
        return subprocess.run(cmd).returncode
    exe = a.exe or build_asan()
    if not os.access(exe, os.X_OK):
        print("soak: %s is not an executable" % exe, file=sys.stderr)
        return 2
    print("soak: %s for %.0f s, sizes %dx%d to %dx%d, seed %d" % (
        exe, a.duration, a.min_size[0], a.min_size[1], a.max_size[0], a.max_size[1], a.seed), flush=True)
    save_dir = tempfile.mkdtemp(prefix="gradflow-soak-")
    err_path = os.path.join(tempfile.mkdtemp(prefix="gradflow-soak-log-"), "stderr.txt")
    try:
        return Soak(a, exe, save_dir, err_path).run()
    finally:
        shutil.rmtree(save_dir, ignore_errors=True)
        shutil.rmtree(os.path.dirname(err_path), ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
