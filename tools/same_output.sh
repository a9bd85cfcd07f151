#!/usr/bin/env bash
# same_output.sh - do two gradflow binaries compute the same numbers and draw the same pictures?
#
#   tools/same_output.sh OLD_GRADFLOW NEW_GRADFLOW
#
# Runs both over a grid of configurations (every cell; 1 to 3 layers; adding and recall; weight
# scales 0.5, 1 and 1.5; pytorch, orthogonal and identity init; tanh and relu; batch 1 and 2;
# float32 state_dicts from tests/fixtures) in `data -o` (CSV), `run -o` (safetensors with every
# tensor and gradient) and `export -o` (PNG of the three views), writes each output of both
# binaries under one temporary folder and compares them byte for byte. Prints every file that
# differs; exit status 0 when all are identical, 1 on any difference, 2 on a usage error.
set -uo pipefail

if [ $# -ne 2 ] || [ ! -x "$1" ] || [ ! -x "$2" ]; then
  echo "usage: tools/same_output.sh OLD_GRADFLOW NEW_GRADFLOW (two executables)" >&2
  exit 2
fi
old=$(realpath "$1")
new=$(realpath "$2")
fixtures="$(cd "$(dirname "$0")/.." && pwd)/tests/fixtures"
out=$(mktemp -d "${TMPDIR:-/tmp}/gradflow_same_output.XXXXXX")
mkdir -p "$out/old" "$out/new" "$out/bin_old" "$out/bin_new"
# Run files record the command line: both binaries are called "gradflow" (through PATH) and write
# to the same relative names from their own folder, so that line is the same text on both sides.
ln -s "$old" "$out/bin_old/gradflow"
ln -s "$new" "$out/bin_new/gradflow"
gf() { # side args...: gradflow of that side, run in its output folder
  local side=$1
  shift
  (cd "$out/$side" && PATH="$out/bin_$side:$PATH" gradflow "$@")
}

# name|arguments of one configuration
configs=()
for cell in rnn lstm gru; do
  for layers in 1 2 3; do
    for task in adding recall; do
      for scale in 0.5 1 1.5; do
        configs+=("${cell}_l${layers}_${task}_s${scale}|--cell $cell --layers $layers --task $task --weight-scale $scale --seq-len 60 --hidden 33 --seed 3")
      done
      configs+=("${cell}_l${layers}_${task}_orth|--cell $cell --layers $layers --task $task --init orthogonal --seq-len 50 --hidden 16 --batch 2")
    done
  done
  configs+=("${cell}_identity|--cell $cell --init identity --weight-scale 1.1 --seq-len 80 --hidden 64")
  configs+=("${cell}_h1|--cell $cell --hidden 1 --seq-len 40 --layers 2 --batch 2 --seed 9")
done
configs+=("rnn_relu|--cell rnn --nonlinearity relu --weight-scale 1.5 --seq-len 100 --hidden 32 --layers 2")
configs+=("rnn_relu_orth|--cell rnn --nonlinearity relu --init orthogonal --seq-len 100 --hidden 5 --batch 2")
configs+=("lstm_forget|--cell lstm --forget-bias 2 --seq-len 120 --hidden 24 --layers 2")
configs+=("big_scale|--cell all --weight-scale 90 --seq-len 30 --hidden 8")
configs+=("small_scale|--cell all --weight-scale 0.002 --seq-len 30 --hidden 8")
configs+=("lstm_f32|--weights $fixtures/torch_lstm_f32_recall_l2.safetensors --task recall --seq-len 70")
configs+=("gru_f32|--weights $fixtures/torch_gru_f32_scaled.safetensors --weight-scale 0.7 --seq-len 70")
configs+=("rnn_relu_file|--weights $fixtures/torch_rnn_relu_recall_l2.safetensors --task recall --nonlinearity relu --seq-len 70")

run_one() { # side name args...
  local side=$1 name=$2
  shift 2
  local dir=$out/$side
  gf "$side" data -o "$name.csv" "$@" >/dev/null 2>"$dir/$name.data.err"
  echo "status $?" >>"$dir/$name.data.err"
  local cell
  for cell in rnn lstm gru; do
    case " $* " in
      *" --cell $cell "* | *" --cell all "* | *" --weights "*) ;;
      *" --cell "*) continue ;;
    esac
    gf "$side" run -o "$name.$cell.safetensors" "$@" --cell "$cell" >/dev/null 2>"$dir/$name.$cell.run.err"
    echo "status $?" >>"$dir/$name.$cell.run.err"
  done
}

for entry in "${configs[@]}"; do
  name=${entry%%|*}
  read -r -a args <<<"${entry#*|}"
  run_one old "$name" "${args[@]}"
  run_one new "$name" "${args[@]}"
done

# the three views, both themes, a few sizes
for view in gradients states anatomy; do
  for theme in light dark; do
    for size in 960x540 1920x1080; do
      for side in old new; do
        gf "$side" export -o "export_${view}_${theme}_${size}.png" --view "$view" --theme "$theme" \
          --size "$size" --layers 2 --seq-len 150 --hidden 24 --batch 2 >/dev/null 2>"$out/$side/export_${view}_${theme}_${size}.err"
        echo "status $?" >>"$out/$side/export_${view}_${theme}_${size}.err"
      done
    done
  done
done
for side in old new; do
  gf "$side" export -o "export_states_lstm_l1.png" --view states --cell lstm --layer 1 \
    --weights "$fixtures/torch_lstm_f32_recall_l2.safetensors" --task recall --size 960x540 >/dev/null 2>"$out/$side/export_states_lstm_l1.err"
  echo "status $?" >>"$out/$side/export_states_lstm_l1.err"
  gf "$side" export -o "export_anatomy_gru.png" --view anatomy --cell gru --init orthogonal \
    --weight-scale 1.2 --size 3840x2160 --theme dark >/dev/null 2>"$out/$side/export_anatomy_gru.err"
  echo "status $?" >>"$out/$side/export_anatomy_gru.err"
done

differ=0
count=0
for f in "$out"/old/*; do
  [ -L "$f" ] && continue
  base=$(basename "$f")
  count=$((count + 1))
  if [ ! -e "$out/new/$base" ]; then
    echo "only in the old binary's outputs: $base"
    differ=1
  elif ! cmp -s "$f" "$out/new/$base"; then
    echo "differs: $base"
    differ=1
  fi
done
for f in "$out"/new/*; do
  [ -e "$out/old/$(basename "$f")" ] || { echo "only in the new binary's outputs: $(basename "$f")"; differ=1; }
done
if [ "$differ" -ne 0 ]; then
  echo "same_output: DIFFERENT (outputs kept in $out)"
  exit 1
fi
echo "same_output: $count files identical (outputs kept in $out)"
exit 0
