#!/usr/bin/env bash
# torch_replay_sweep.sh - train every cell x optimizer x clipping on/off x 1-3 layers x task with
# `gradflow train --record` at small sizes (H 3-8, T 5-30, B 2-3, 20-50 steps; sgd and rmsprop with
# and without momentum; relu and tanh RNNs), then replay all 162 files in PyTorch:
#   tools/torch_replay_sweep.sh [GRADFLOW [DIR]]     (defaults: build/gradflow, a fresh temp dir)
# Extra arguments for tools/torch_replay.py go in REPLAY_ARGS (e.g. REPLAY_ARGS="--judge conditioned").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
gf="${1:-$here/../build/gradflow}"
out="${2:-$(mktemp -d)}"
mkdir -p "$out"
i=0
for task in adding recall copy; do
  for cell in rnn lstm gru; do
    for opt in sgd rmsprop adam; do
      for clip in 0 on; do
        for L in 1 2 3; do
          i=$((i + 1))
          H=$((3 + i % 6)) T=$((5 + (i * 7) % 26)) B=$((2 + i % 2)) S=$((20 + (i * 11) % 31))
          nl=tanh; [ $cell = rnn ] && [ $((i % 2)) = 0 ] && nl=relu
          extra=() lr=0.01
          case $opt in
            sgd) lr=0.1; [ $((i % 3)) != 0 ] && extra=(--momentum 0.9) ;;
            rmsprop) lr=0.005; [ $((i % 2)) = 0 ] && extra=(--momentum 0.5) ;;
          esac
          c=$clip; [ $clip = on ] && { c=0.05; [ $task != adding ] && c=0.5; }
          f="$out/${task}_${cell}_${opt}_c${c}_l${L}.safetensors"
          "$gf" train --task $task --cell $cell --nonlinearity $nl --optimizer $opt --lr $lr \
            ${extra[@]+"${extra[@]}"} --clip $c --layers $L --hidden $H --seq-len $T --batch $B \
            --steps $S --seed $i --record --csv "$out/losses.csv" -o "$f"
        done
      done
    done
  done
done
rm -f "$out/losses.csv"
echo "$i train files in $out" >&2
# shellcheck disable=SC2086
exec /usr/bin/python3 "$here/torch_replay.py" ${REPLAY_ARGS:-} "$out"/*.safetensors
