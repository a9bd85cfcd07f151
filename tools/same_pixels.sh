#!/usr/bin/env bash
# same_pixels.sh OLD_GRADFLOW NEW_GRADFLOW - proves a change to the drawing code kept every
# picture: both binaries export every view at 960x540, 1920x1080 and 3840x2160 in both themes,
# plus a set of options that change what the views draw, into a temporary folder, and the PNGs
# are compared byte for byte. Exit 0 when all are identical, 1 on any difference (named on
# stderr), 2 when an export fails.
set -uo pipefail

if [ $# -ne 2 ] || [ ! -x "$1" ] || [ ! -x "$2" ]; then
  echo "usage: tools/same_pixels.sh OLD_GRADFLOW NEW_GRADFLOW (two executables)" >&2
  exit 2
fi
old=$(realpath "$1")
new=$(realpath "$2")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/same_pixels.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The PNG's Comment chunk holds the command line, so both binaries run as ./gradflow from their
# own folder and write to the same relative name.
for side in old new; do
  mkdir -p "$tmp/$side/bin" "$tmp/$side/png"
done
ln -s "$old" "$tmp/old/bin/gradflow"
ln -s "$new" "$tmp/new/bin/gradflow"
export SDL_VIDEODRIVER=dummy

# name|options: every case is exported by both binaries.
cases=()
for view in gradients states anatomy; do
  for size in 960x540 1920x1080 3840x2160; do
    for theme in light dark; do
      cases+=("$view-$size-$theme|--view $view --size $size --theme $theme")
    done
  done
  for theme in light dark; do
    cases+=("$view-lstm-$theme|--view $view --theme $theme --cell lstm")
    cases+=("$view-gru-$theme|--view $view --theme $theme --cell gru --size 960x540")
    cases+=("$view-layers3-$theme|--view $view --theme $theme --layers 3 --layer all")
    cases+=("$view-layer1-$theme|--view $view --theme $theme --layers 3 --layer 1 --size 960x540")
    cases+=("$view-recall-$theme|--view $view --theme $theme --task recall")
    cases+=("$view-plotonly-$theme|--view $view --theme $theme --plot-only")
    cases+=("$view-plotonly4k-$theme|--view $view --theme $theme --plot-only --size 3840x2160")
  done
  cases+=("$view-relu|--view $view --cell rnn --nonlinearity relu --weight-scale 3")
  cases+=("$view-long|--view $view --seq-len 2000 --hidden 16 --init orthogonal")
  cases+=("$view-explode|--view $view --weight-scale 8 --seq-len 400 --size 960x540")
  cases+=("$view-batch|--view $view --batch 4 --hidden 8 --seq-len 5 --layers 2 --theme dark")
  cases+=("$view-rnn-gru|--view $view --cell rnn,gru --forget-bias 2 --seed 7")
done

fail=0
for c in "${cases[@]}"; do
  name=${c%%|*}
  opts=${c#*|}
  for side in old new; do
    # shellcheck disable=SC2086
    if ! (cd "$tmp/$side/bin" && ./gradflow export -o "../png/$name.png" $opts 2>"../png/$name.err"); then
      echo "same_pixels: $side export failed: $name ($opts): $(head -1 "$tmp/$side/png/$name.err")" >&2
      exit 2
    fi
  done
  if ! cmp -s "$tmp/old/png/$name.png" "$tmp/new/png/$name.png"; then
    echo "same_pixels: differs: $name ($opts)" >&2
    fail=1
  fi
done
n=${#cases[@]}
if [ $fail -ne 0 ]; then
  echo "same_pixels: some of $n pictures differ" >&2
  exit 1
fi
echo "same_pixels: $n pictures identical"
