#!/usr/bin/env bash
# The browser build: gradflow compiled to WebAssembly with Debian's emscripten, its libraries
# (SDL2, SDL2_ttf, FreeType, zlib, cJSON) built from their Debian bookworm sources.
#   web/build.sh            -> build-web/ (index.html, gradflow.js, .wasm, .worker.js, .data: the font)
#   web/build.sh --serve    the same, then serves build-web/ on localhost (with the cross-origin
#                           isolation headers the page's threads need) and prints the address
# The libraries are built once into build-wasm/deps (keyed by their Debian version and the flags
# below) and rebuilt only when one of those changes. Nothing is fetched but Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

serve=0
port=${GF_WEB_PORT:-8000}
for a in "$@"; do
  case $a in
    --serve) serve=1 ;;
    --port=*) port=${a#--port=} ;;
    *) echo "gradflow: ./build.sh web takes --serve and --port=N, not '$a'" >&2; exit 2 ;;
  esac
done

# ---- Debian packages ------------------------------------------------------------------------
packages=(emscripten cmake make ninja-build meson pkg-config dpkg-dev python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "gradflow: installing ${missing[*]}"
  if [ -n "$sudo" ] && ! command -v sudo >/dev/null; then
    echo "gradflow: need root or sudo to install: ${missing[*]}" >&2; exit 2
  fi
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi

# emcc needs Debian's node modules (acorn) when /usr/bin/node is not Debian's own node
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
# emcc's cache is Debian's prebuilt, read-only one; emcc must never reach for its ports
export EM_FROZEN_CACHE=1

cache=$root/build-wasm
deps=$cache/deps
prefix=$deps/prefix
mkdir -p "$deps/src" "$prefix"

# Flags every library and gradflow share (threads: SDL's threads become Web Workers).
flags="-O2 -pthread"
jobs=${GF_JOBS:-2}

# ---- Debian sources, through a private apt state (the system's apt is left as it is) --------
aptdir=$deps/apt
apt_opts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$aptdir/sources.list.d"
          -o Dir::State::Lists="$aptdir/lists" -o Dir::Cache="$aptdir/cache"
          -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
          -o APT::Sandbox::User=root)
apt_ready=0
apt_prepare() {
  [ $apt_ready = 1 ] && return
  mkdir -p "$aptdir/sources.list.d" "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
  # the machine's own Debian mirror, as a deb-src entry for bookworm
  uri=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
        | grep -v security | head -1 | sed -E 's/^URIs: *//; s/^deb (\[[^]]*\] )?//; s/ .*//')
  [ -n "$uri" ] || uri=http://deb.debian.org/debian
  cat > "$aptdir/sources.list.d/bookworm-src.sources" <<SRC
Types: deb-src
URIs: $uri
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  # refresh the source index at most once a day
  if [ -z "$(find "$aptdir/lists" -maxdepth 1 -name '*Sources*' -mtime -1 2>/dev/null | head -1)" ]; then
    apt-get "${apt_opts[@]}" update >"$aptdir/update.log" 2>&1 || { cat "$aptdir/update.log" >&2; exit 2; }
  fi
  apt_ready=1
}

# The Debian version of a source package (newest in bookworm); the stamp records it.
src_version() {
  apt_prepare
  apt-cache "${apt_opts[@]}" showsrc "$1" | awk '/^Version:/ {print $2}' | sort -V | tail -1
}

# Unpacks source package $1 at version $2 into $deps/src/$1-$2 (downloaded once).
src_unpack() {
  local pkg=$1 ver=$2 dir=$deps/src/$1-${2#*:}   # (no epoch in the folder's name)
  if [ ! -f "$dir/.unpacked" ]; then
    apt_prepare
    rm -rf "$dir" "$deps/src/dl-$pkg"
    mkdir -p "$deps/src/dl-$pkg"
    (cd "$deps/src/dl-$pkg" && apt-get "${apt_opts[@]}" source --download-only "$pkg=$ver" >/dev/null)
    dpkg-source --no-check -x "$deps/src/dl-$pkg"/*.dsc "$dir" >/dev/null
    rm -rf "$deps/src/dl-$pkg" "$deps/src/"*.orig*.tar.*   # (the tarballs dpkg-source leaves beside it)
    touch "$dir/.unpacked"
  fi
  echo "$dir"
}

# Builds package $1 with function $2 unless its stamp (version, flags, and what it is built on)
# says the prefix already holds that build.
build_dep() {
  local pkg=$1 fn=$2 upstream=${3:-}
  local ver stamp key
  if [ -f "$deps/version-$pkg" ] && [ -n "$(find "$deps/version-$pkg" -mtime -1)" ]; then
    ver=$(cat "$deps/version-$pkg")     # looked up today: no need to ask apt again
  else
    ver=$(src_version "$pkg")
    [ -n "$ver" ] || { echo "gradflow: no Debian source package '$pkg' in bookworm (deb-src $aptdir)" >&2; exit 2; }
    echo "$ver" > "$deps/version-$pkg"
  fi
  # the key: the version, the flags, how it is built (the function's text) and what it is built on
  key="$pkg $ver flags=$flags emcc=$(emcc -dumpversion) recipe=$(declare -f "$fn" | md5sum | cut -c1-12) on=$upstream"
  stamp=$deps/stamp-$pkg
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
    echo "$key" > "$deps/key-$pkg"
    return
  fi
  echo "gradflow: building $pkg $ver for the web (once; cached in build-wasm/deps)"
  local t0=$SECONDS
  local dir
  dir=$(src_unpack "$pkg" "$ver")
  mkdir -p "$deps/build-$pkg"
  # in a subshell: a recipe may cd into its sources (zlib's configure must run there)
  ("$fn" "$dir" "$deps/build-$pkg") >"$deps/build-$pkg.log" 2>&1 || {
    tail -30 "$deps/build-$pkg.log" >&2
    echo "gradflow: building $pkg failed (whole log: $deps/build-$pkg.log)" >&2; exit 2; }
  rm -rf "$deps/build-$pkg"
  echo "$key" > "$stamp"
  echo "$key" > "$deps/key-$pkg"
  echo "gradflow: $pkg built in $((SECONDS - t0)) s"
}

cmake_dep() { # source build [cmake options...]
  local src=$1 bld=$2
  shift 2
  nice -n 10 emcmake cmake -S "$src" -B "$bld" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_ROOT_PATH="$prefix" \
    -DCMAKE_C_FLAGS="$flags" -DBUILD_SHARED_LIBS=OFF "$@"
  nice -n 10 ninja -C "$bld" -j "$jobs" install
}

build_zlib() {
  cd "$1"
  CFLAGS="$flags" nice -n 10 emconfigure ./configure --static --prefix="$prefix"
  nice -n 10 emmake make -j "$jobs" libz.a
  emmake make install
}
build_cjson() {
  cmake_dep "$1" "$2" -DENABLE_CJSON_TEST=OFF -DENABLE_CJSON_UTILS=OFF -DENABLE_CUSTOM_COMPILER_FLAGS=OFF \
    -DBUILD_SHARED_AND_STATIC_LIBS=OFF -DCJSON_BUILD_SHARED_LIBS=OFF
}
build_freetype() {
  # with zlib from build-wasm (without it FreeType compiles in its own copy, whose crc32 clashes with zlib's)
  cmake_dep "$1" "$2" -DFT_REQUIRE_ZLIB=ON -DFT_DISABLE_BZIP2=ON -DFT_DISABLE_PNG=ON \
    -DFT_DISABLE_HARFBUZZ=ON -DFT_DISABLE_BROTLI=ON
}
# SDL2 and SDL2_ttf are compiled straight from their sources, as Emscripten's own SDL2 port does:
# SDL ships its configuration for Emscripten (include/SDL_config_emscripten.h, threads when built
# with -pthread), and its CMake configure would run hundreds of emcc probes (minutes) to learn
# the same. The sources: SDL's portable core and its Emscripten, pthread and dummy back ends.
build_sdl2() {
  local src=$1 bld=$2 d
  local dirs=". atomic audio audio/disk audio/dummy audio/emscripten cpuinfo dynapi events file
    filesystem/emscripten haptic haptic/dummy joystick joystick/emscripten joystick/virtual
    loadso/dlopen locale locale/emscripten misc misc/emscripten power power/emscripten render
    render/opengles2 render/software sensor sensor/dummy stdlib thread thread/pthread timer
    timer/unix video video/emscripten video/yuv2rgb"
  local files=("$src/src/hidapi/SDL_hidapi.c")   # (the SDL_hid_* entry points; no HID back end here)
  for d in $dirs; do
    for f in "$src/src/$d"/*.c; do [ -f "$f" ] && files+=("$f"); done
  done
  {
    echo "all:"
    for f in "${files[@]}"; do
      rel=${f#"$src"/src/}
      o=$bld/$(echo "${rel#./}" | tr / _).o
      printf '%s: %s\n\temcc %s -I%s/include -c $< -o $@\nall: %s\n' "$o" "$f" "$flags" "$src" "$o"
    done
  } > "$bld/Makefile"
  nice -n 10 make -C "$bld" -j "$jobs" all
  mkdir -p "$prefix/lib/pkgconfig" "$prefix/include/SDL2"
  rm -f "$prefix/lib/libSDL2.a"
  emar rcs "$prefix/lib/libSDL2.a" "$bld"/*.o
  cp "$src"/include/*.h "$prefix/include/SDL2/"
  cat > "$prefix/lib/pkgconfig/sdl2.pc" <<PC
prefix=$prefix
Name: sdl2
Description: SDL2, for Emscripten with threads (web/build.sh)
Version: ${ver%%+*}
Libs: -L\${prefix}/lib -lSDL2
Cflags: -I\${prefix}/include/SDL2 -D_REENTRANT
PC
}
build_sdl2_ttf() { # one C file over FreeType (no HarfBuzz: gradflow shapes no complex scripts)
  local src=$1 bld=$2
  nice -n 10 emcc $flags -I"$prefix/include/SDL2" -I"$prefix/include/freetype2" -c "$src/SDL_ttf.c" -o "$bld/SDL_ttf.o"
  rm -f "$prefix/lib/libSDL2_ttf.a"
  emar rcs "$prefix/lib/libSDL2_ttf.a" "$bld/SDL_ttf.o"
  cp "$src/SDL_ttf.h" "$prefix/include/SDL2/"
  cat > "$prefix/lib/pkgconfig/SDL2_ttf.pc" <<PC
prefix=$prefix
Name: SDL2_ttf
Description: SDL2_ttf, for Emscripten (web/build.sh)
Version: ${ver%%+*}
Requires: sdl2
Requires.private: freetype2
Libs: -L\${prefix}/lib -lSDL2_ttf
Cflags: -I\${prefix}/include/SDL2
PC
}

build_dep zlib build_zlib
build_dep cjson build_cjson
build_dep freetype build_freetype "$(cat "$deps/key-zlib")"
build_dep libsdl2 build_sdl2
build_dep libsdl2-ttf build_sdl2_ttf "$(cat "$deps/key-freetype") $(cat "$deps/key-libsdl2")"
cd "$root"

# ---- gradflow -------------------------------------------------------------------------------
# SIMD: GF_WEB_SIMD=0 builds without wasm SIMD (-msimd128), to compare.
simd=${GF_WEB_SIMD:-1}
cat > "$cache/web.ini" <<INI
# written by web/build.sh: where the libraries are
[properties]
pkg_config_libdir = ['$prefix/lib/pkgconfig', '$prefix/share/pkgconfig']
INI
# How the page is linked: threads (a pool of four workers, so SDL_CreateThread never waits for
# the page), memory that grows up to 2 GiB, main called by the page with the address's options
# (INVOKE_RUN=0), and the font preloaded where gradflow looks for an installed one.
c_args="-pthread"
[ "$simd" = 1 ] && c_args="$c_args -msimd128"
link_args="-pthread -sPTHREAD_POOL_SIZE=4 -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=64MB -sMAXIMUM_MEMORY=2GB"
link_args="$link_args -sINVOKE_RUN=0 -sEXIT_RUNTIME=0 -sENVIRONMENT=web,worker -Wno-pthreads-mem-growth"
link_args="$link_args -sEXPORTED_RUNTIME_METHODS=[callMain,FS,ENV]"
# GF_WEB_PROFILE=1 keeps the functions' names, for the browser's profiler
[ "${GF_WEB_PROFILE:-0}" = 1 ] && link_args="$link_args --profiling-funcs"
link_args="$link_args --preload-file $root/assets/DejaVuSans.ttf@/usr/local/share/gradflow/DejaVuSans.ttf"
link_args="$link_args --preload-file $root/assets/DejaVuSans-Bold.ttf@/usr/local/share/gradflow/DejaVuSans-Bold.ttf"
meson_dir=$cache/meson$([ "$simd" = 1 ] || echo -nosimd)
if [ ! -f "$meson_dir/build.ninja" ]; then
  meson setup "$meson_dir" --cross-file web/emscripten.ini --cross-file "$cache/web.ini" \
    -Dbuildtype=release -Dprefix=/usr/local -Dtests=false -Dui=enabled -Dcpu_dispatch=false -Dprefer_static=true \
    -Db_staticpic=false -Dc_args="$c_args" -Dc_link_args="$link_args"
else
  meson configure "$meson_dir" -Dc_args="$c_args" -Dc_link_args="$link_args"
fi
nice -n 10 meson compile -C "$meson_dir" -j "$jobs" gradflow

out=$root/build-web
mkdir -p "$out"
for f in gradflow.js gradflow.wasm gradflow.worker.js gradflow.data; do
  cp "$meson_dir/$f" "$out/$f"
done
cp web/index.html "$out/index.html"
cp assets/LICENSE-DejaVu.txt "$out/"
echo "gradflow: the page is in build-web/ ($(du -cb "$out"/gradflow.* "$out/index.html" | tail -1 | cut -f1) bytes;" \
  "serve it with the headers web/serve.py sends: ./build.sh web --serve)"

if [ "$serve" = 1 ]; then
  exec python3 web/serve.py "$out" --port "$port"
fi
