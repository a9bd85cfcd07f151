#!/usr/bin/env bash
# test_core.sh - the page's numbers are the window's: the core and command line compiled as the
# page compiles them (emcc, wasm SIMD, no fused multiply-add), run under Node, and `gradflow data`
# compared with the native build's, number by number, on every cell and task.
#   tests/web/test_core.sh NATIVE_GRADFLOW      (after ./build.sh web: it reuses build-wasm/deps)
# Also prints the core's time under Node beside the native one (`bench --factors`, H = 64, T = 1000).
# Exit 0 when every number agrees within 1e-10 of itself (the bound gradflow holds PyTorch to).
set -euo pipefail
cd "$(dirname "$0")/../.."
native=$(realpath "$1")
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs} EM_FROZEN_CACHE=1
dir=build-wasm/cli
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" --cross-file web/emscripten.ini --cross-file build-wasm/web.ini \
    -Dbuildtype=release -Dtests=false -Dui=disabled -Dcpu_dispatch=false -Dprefer_static=true \
    -Db_staticpic=false -Dc_args=-msimd128 \
    -Dc_link_args="-sENVIRONMENT=node -sNODERAWFS=1 -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2GB" >/dev/null
fi
nice -n 10 meson compile -C "$dir" gradflow >/dev/null
# (emscripten 3.1.6's loader reads the .wasm with fetch() where Node has one: a file path is not a URL)
wasm() { node --no-experimental-fetch "$dir/gradflow.js" "$@"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
while read -r args; do
  # shellcheck disable=SC2086
  wasm data -o "$tmp/web.csv" $args
  # shellcheck disable=SC2086
  "$native" data -o "$tmp/native.csv" $args
  python3 - "$tmp/web.csv" "$tmp/native.csv" "$args" <<'PY' || status=1
import csv, math, sys
web, nat = (list(csv.reader(open(f))) for f in sys.argv[1:3])
bad, worst, n = [], 0.0, 0
if web[0] != nat[0] or len(web) != len(nat):
    bad.append(f"columns or rows differ: {web[0]} {len(web)} / {nat[0]} {len(nat)}")
for rw, rn in zip(web[1:], nat[1:]):
    for a, b in zip(rw, rn):
        try:
            x, y = float(a), float(b)
        except ValueError:
            if a != b: bad.append(f"{a} / {b}")
            continue
        n += 1
        if math.isnan(x) or math.isnan(y):
            if not (math.isnan(x) and math.isnan(y)): bad.append(f"{a} / {b}")
            continue
        d = abs(x - y) / max(abs(y), 1e-300) if x != y else 0.0
        worst = max(worst, d)
        if d > 1e-10: bad.append(f"{a} / {b}")
print(f"{'FAIL' if bad else 'ok  '} data {sys.argv[3]}: {n} numbers, largest relative difference {worst:.1e}"
      + (f"; first of {len(bad)} apart: {bad[0]}" if bad else ""))
sys.exit(1 if bad else 0)
PY
done <<'CASES'
--seq-len 300
--task recall --seq-len 200 --layers 2 --weight-scale 2.5 --cell lstm,gru
--task copy --seq-len 40 --batch 3 --bidirectional
--cell rnn --nonlinearity relu --init orthogonal --weight-scale 1.1 --seq-len 500
--task adding --seq-len 150 --forget-bias 4 --update-bias 4 --hidden 37 --batch 2
CASES
echo "the core's time at H = 64, T = 1000 (the window's case: forward, BPTT and the mechanism strip's"
echo "factors, which the page computes too): under Node, then native"
wasm bench --factors --hidden 64 --seq-len 1000 2>/dev/null | grep -E '^(cell|rnn|lstm|gru|all) '
"$native" bench --factors --hidden 64 --seq-len 1000 2>/dev/null | grep -E '^(cell|rnn|lstm|gru|all) '
exit $status
