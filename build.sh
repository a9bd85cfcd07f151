#!/usr/bin/env bash
# gradflow's one entry point for a fresh Debian machine:
#   ./build.sh [OPTIONS]   install what is missing, build, open the window (gradflow OPTIONS)
#   ./build.sh test        install what is missing, build, run the whole test suite
#   ./build.sh web [--serve]  the same window as a web page in build-web/ (web/build.sh)
# Root, or a user with sudo. GF_MESON_ARGS adds meson setup options (CI: -Dwerror=true).
set -euo pipefail
cd "$(dirname "$0")"

if [ "${1:-}" = "web" ]; then
  shift
  exec web/build.sh "$@"
fi

packages=(gcc meson ninja-build pkg-config libcjson-dev check)
# the window and the PNG, SVG and PDF export (cairo writes the PDF); GF_MESON_ARGS=-Dui=disabled
# builds the core and the command line alone
case " ${GF_MESON_ARGS:-} " in
  *" -Dui=disabled "*) ;;
  *) packages+=(libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libcairo2-dev) ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "gradflow: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "gradflow: need root or sudo to install: ${missing[*]}" >&2; exit 2; }
    sudo="sudo"
  fi
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi

if [ ! -f build/build.ninja ]; then
  # shellcheck disable=SC2086
  meson setup build ${GF_MESON_ARGS:-}
elif [ -n "${GF_MESON_ARGS:-}" ]; then
  # shellcheck disable=SC2086
  meson setup --reconfigure build ${GF_MESON_ARGS}
fi
meson compile -C build

if [ "${1:-}" = "test" ]; then
  if [ $# -gt 1 ]; then
    echo "gradflow: ./build.sh test takes no other argument (meson test -C build NAME runs one suite)" >&2
    exit 2
  fi
  exec meson test -C build --print-errorlogs
fi
exec ./build/gradflow "$@"
