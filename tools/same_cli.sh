#!/usr/bin/env bash
# same_cli.sh - two gradflow binaries, the same behaviour on the command line: runs every line of
# tools/same_cli.txt (or the file given third) with each binary, in a fresh folder, and compares
# stdout, stderr, the exit status and every file written, byte for byte. bench's timings vary
# from run to run: for a bench that succeeds only the columns naming the configuration count.
#   tools/same_cli.sh OLD_GRADFLOW NEW_GRADFLOW [LIST]
# Exit status 0 when every line agrees, 1 otherwise (each difference is printed).
set -uo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 OLD_GRADFLOW NEW_GRADFLOW [LIST]" >&2
  exit 2
fi
old=$(realpath "$1")
new=$(realpath "$2")
list=${3:-$(dirname "$0")/same_cli.txt}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# no display: the window and bench --ui refuse the same way with either binary
unset DISPLAY WAYLAND_DISPLAY SDL_VIDEODRIVER

# run_ BINARY DIR ARGS...: runs in DIR, leaves .out, .err, .rc beside DIR
run_() {
  local bin=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  printf 'this is not a safetensors file' > "$dir/garbage.safetensors"
  # the same argv[0] for both: run files and PNGs store the command line
  (cd "$dir" && timeout 120 bash -c 'exec -a gradflow "$0" "$@"' "$bin" "$@" > "$dir.out" 2> "$dir.err"; echo $? > "$dir.rc")
  if [ "${1:-}" = bench ] && [ "$(cat "$dir.rc")" = 0 ]; then
    # keep cell, layers, hidden, seq_len, batch: the rest are timings
    sed -E 's/^([^, ]+[, ]+[^, ]+[, ]+[^, ]+[, ]+[^, ]+[, ]+[^, ]+).*/\1/' "$dir.out" > "$dir.cut"
    mv "$dir.cut" "$dir.out"
  fi
}

n=0
bad=0
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in '' | '#'*) continue ;; esac
  n=$((n + 1))
  eval "set -- $line"
  run_ "$old" "$work/$n.old" "$@"
  run_ "$new" "$work/$n.new" "$@"
  diffs=""
  cmp -s "$work/$n.old.rc" "$work/$n.new.rc" || diffs+=" status($(cat "$work/$n.old.rc") vs $(cat "$work/$n.new.rc"))"
  cmp -s "$work/$n.old.out" "$work/$n.new.out" || diffs+=" stdout"
  cmp -s "$work/$n.old.err" "$work/$n.new.err" || diffs+=" stderr"
  diff -r "$work/$n.old" "$work/$n.new" > /dev/null || diffs+=" files"
  if [ -n "$diffs" ]; then
    bad=$((bad + 1))
    echo "DIFFERENT:$diffs: gradflow $line"
    diff "$work/$n.old.err" "$work/$n.new.err" | head -4
    diff "$work/$n.old.out" "$work/$n.new.out" | head -6
  fi
done < "$list"
echo "$n command lines, $bad different"
[ "$bad" -eq 0 ]
