#!/usr/bin/env bash
# dstoken's natives for platforms other than this machine's (x86-64 glibc), built with Debian's
# own Rust in Debian roots (debootstrap), because the host's rustup toolchain has no other
# targets and no rust-src, and only package registries are reachable:
#   aarch64-linux-gnu    Debian 13 trixie: rustc-web 1.96 with its arm64 std
#                        (libstd-rust-web-dev:arm64); cargo-zigbuild at glibc 2.17, the floor
#                        of the x86-64 natives (trixie's plain rustc, 1.85, is too old for
#                        Cargo.lock)
#   x86_64-linux-musl    Debian sid: no musl std is packaged anywhere, so std is rebuilt from
#   aarch64-linux-musl   sid's rust-src (RUSTC_BOOTSTRAP=1, -Z build-std); zig (build/zig) links
#                        against its own musl
#   x86_64-windows-gnu   Debian sid: std from rust-src (-Z build-std) as for musl; mingw-w64 links
#   wasm32               Debian sid: wasm32-unknown-unknown with sid's std (libstd-rust-dev-wasm32),
#                        linked by wasm-ld (lld); a module with no imports
# Each target's files are copied to build/cross/<target>/ (scripts/package.sh cross packs
# them into dist/; tests/cross.sh tests them).
#
# The roots, cargo's target directories, the zig cache and each root's cargo registry live under
# $DSTOKEN_CHROOT_DIR (default build/chroots), kept between runs: point it outside the checkout
# to share them between checkouts or across fresh clones (CI). A root is made once
# (debootstrap --variant=minbase, then its packages); a later run only installs what the list
# below gained. Delete the directory to start afresh.
#
# Inside a root, the checkout is /src (with only build/cross of its build/), the cache directory
# /cache and build/zig /zig. Every command runs in a mount namespace of its own (unshare -m): its
# mounts (proc, /dev, /src, /cache, /zig) exist only for
# that command and vanish with it, on success, failure or kill; nothing is left mounted on the
# host. cargo trusts the host's CA bundle (CARGO_HTTP_CAINFO), as the host's own cargo does
# (the network here re-signs TLS).
#
# Root is needed (debootstrap, chroot, mount); nothing else in the project needs it for this.
#
# Usage: scripts/cross.sh roots                 make or update the Debian roots
#        scripts/cross.sh build [TARGET...]     build (default: every target), copy to build/cross
#        scripts/cross.sh run SUITE COMMAND     run a shell command in a root (trixie or sid),
#                                               in /src (the tests use this)
#        scripts/cross.sh targets               the targets, one a line
# Environment: DSTOKEN_CHROOT_DIR (see above), DSTOKEN_DEBIAN_MIRROR (default deb.debian.org).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
cache=${DSTOKEN_CHROOT_DIR:-$src/build/chroots}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
out=$src/build/cross
mirror=${DSTOKEN_DEBIAN_MIRROR:-http://deb.debian.org/debian}

targets=(aarch64-linux-gnu x86_64-linux-musl aarch64-linux-musl x86_64-windows-gnu wasm32)

# The packages of each root. trixie: the aarch64 route (rustc-web and its arm64 std, Debian's
# cross compilers for the C and C++ tests, qemu-user to run them). sid: the rest (rustc 1.97,
# rust-src for -Z build-std, the wasm32 std, wasm-ld, mingw-w64 and wine; Debian's musl
# loaders, which run the tests linked against the musl libdstoken.so).
declare -A packages=(
  [trixie]="ca-certificates rustc-web cargo-web libstd-rust-web-dev:arm64 gcc-aarch64-linux-gnu
            g++-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user binutils-aarch64-linux-gnu"
  [sid]="ca-certificates rustc cargo rust-src libstd-rust-dev-wasm32 lld gcc-mingw-w64-x86-64
         g++-mingw-w64-x86-64 binutils-mingw-w64-x86-64 qemu-user wine wine64 binutils musl
         musl:arm64"
)
suite_of() { case "$1" in aarch64-linux-gnu) echo trixie ;; *) echo sid ;; esac; }

need_root() {
  [[ $(id -u) -eq 0 ]] || { echo "cross: $* needs root (debootstrap, chroot, mount)" >&2; exit 1; }
}

# run SUITE COMMAND: COMMAND (a bash command line) in the root, in /src, with a clean
# environment; the mounts live in a private mount namespace and vanish with the command.
run() {
  local suite=$1 cmd=$2 r=$cache/$1
  [[ -f $r/.dstoken-complete ]] || { echo "cross: no $suite root in $cache (scripts/cross.sh roots)" >&2; exit 1; }
  cp /etc/resolv.conf "$r/etc/resolv.conf"
  cp /etc/ssl/certs/ca-certificates.crt "$r/etc/dstoken-host-ca.crt"
  mkdir -p "$r/src" "$r/cache"
  mkdir -p "$r/zig" "$out"
  # zig and cargo-zigbuild from the checkout's build/zig (static binaries, so they run in any
  # root), seen as /zig
  local zig
  zig=$(cd "$src/build/zig" 2>/dev/null && ls -d lib/python3*/site-packages/ziglang/zig 2>/dev/null | sed -n 1p)
  if [[ -n $zig ]]; then
    ln -sfn "/zig/$zig" "$r/usr/local/bin/zig"
    ln -sfn /zig/bin/cargo-zigbuild "$r/usr/local/bin/cargo-zigbuild"
  fi
  # /src/build is an empty tmpfs with only build/cross in it: outside git (the checkout's .git
  # is not in the root), cargo lists a package's files by walking its directory, and build/
  # may hold these very roots (and the mounts under their /dev/fd, a loop).
  unshare --mount --propagation private -- /bin/bash -c '
    set -e
    r=$1
    mount -t proc proc "$r/proc"
    mount --rbind /dev "$r/dev"
    mount --bind "$2" "$r/src"
    mount -t tmpfs dstoken-build "$r/src/build"
    mkdir "$r/src/build/cross"
    mount --bind "$2/build/cross" "$r/src/build/cross"
    mount --bind "$3" "$r/cache"
    [[ ! -d $2/build/zig ]] || mount --bind "$2/build/zig" "$r/zig"
    shift 3
    exec chroot "$r" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root \
      LANG=C.UTF-8 TERM=dumb CI="${CI:-}" DSTOKEN_STRICT_TESTS="${DSTOKEN_STRICT_TESTS:-}" \
      CARGO_HOME=/root/.cargo CARGO_HTTP_CAINFO=/etc/dstoken-host-ca.crt \
      SSL_CERT_FILE=/etc/dstoken-host-ca.crt ZIG_GLOBAL_CACHE_DIR=/cache/zig \
      CARGO_TERM_COLOR=never /bin/bash -c "set -eo pipefail; cd /src; $1"
  ' cross "$r" "$src" "$cache" "$cmd"
}

apt_in() { # SUITE PACKAGES (one word list, newlines allowed)
  local suite=$1 list
  list=$(tr -s ' \n' '  ' <<<"$2")
  run "$suite" "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $list >/dev/null"
}

# -- The roots ------------------------------------------------------------------------------------
make_root() {
  local suite=$1 r=$cache/$1 want
  want=$(tr -s ' \n' '\n\n' <<<"${packages[$suite]}" | sed '/^$/d' | sort)
  if [[ -f $r/.dstoken-complete && "$(cat "$r/.dstoken-packages" 2>/dev/null)" == "$want" ]]; then
    echo "cross: $suite root ready ($r)"
    return 0
  fi
  need_root "making the $suite root"
  command -v debootstrap >/dev/null || { echo "cross: debootstrap is missing (scripts/bootstrap.sh --part cross)" >&2; exit 1; }
  local started=$SECONDS
  if [[ ! -f $r/.dstoken-bootstrapped ]]; then
    echo "cross: debootstrap --variant=minbase $suite from $mirror into $r"
    rm -rf "$r"
    # In a mount namespace of its own, like every command here: the mounts debootstrap makes
    # in the new root cannot outlive it, even when it is killed.
    if ! unshare --mount --propagation private -- \
        debootstrap --variant=minbase "$suite" "$r" "$mirror" >"$cache/$suite.log" 2>&1; then
      tail -n 5 "$cache/$suite.log" >&2
      echo "cross: debootstrap $suite failed (log: $cache/$suite.log)" >&2
      exit 1
    fi
    # A mirror's Release file may be served past its Valid-Until date (seen with sid): the
    # signature still holds, and the roots are build tools, not systems to keep patched.
    echo 'Acquire::Check-Valid-Until "false";' >"$r/etc/apt/apt.conf.d/90dstoken"
    touch "$r/.dstoken-bootstrapped"
  fi
  touch "$r/.dstoken-complete"   # run() needs it; removed again if the packages fail
  chroot "$r" dpkg --add-architecture arm64
  echo "cross: $suite: apt-get install $(tr -s ' \n' '  ' <<<"${packages[$suite]}")"
  if ! run "$suite" "apt-get update -q >/dev/null" || ! apt_in "$suite" "${packages[$suite]}"; then
    rm -f "$r/.dstoken-complete"
    echo "cross: installing the $suite packages failed" >&2
    exit 1
  fi
  echo "$want" >"$r/.dstoken-packages"
  echo "cross: $suite root made in $((SECONDS - started)) s"
}

roots() {
  local s
  for s in trixie sid; do make_root "$s"; done
}

# -- The builds -------------------------------------------------------------------------------------
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' Cargo.toml | head -n1)
major=${version%%.*} minor=${version#*.}
minor=${minor%%.*}
[[ $major == 0 ]] && soname=libdstoken.so.0.$minor || soname=libdstoken.so.$major

# -Z build-std: std rebuilt from rust-src, with unwinding (the C boundary catches panics).
build_std='export RUSTC_BOOTSTRAP=1; Zstd="-Z build-std=std,panic_unwind"'

build_one() {
  local t=$1 suite td dest
  suite=$(suite_of "$t")
  td=/cache/target/$t
  dest=$out/$t
  local started=$SECONDS
  echo "== cross: $t (Debian $suite)"
  case "$t" in
    aarch64-linux-gnu)
      run "$suite" "CARGO_TARGET_DIR=$td cargo-zigbuild build --release --locked -p dstoken -p dstoken-cli \
        --target aarch64-unknown-linux-gnu.2.17"
      copy_out "$t" "$td/aarch64-unknown-linux-gnu/release" libdstoken.so libdstoken.a dstoken ;;
    x86_64-linux-musl | aarch64-linux-musl)
      local rt=${t%%-*}-unknown-linux-musl
      # One std serves both links: it is built with crt-static (musl's default) for the tool,
      # linked fully static; libc's and the unwinder's link attributes are chosen at the final
      # link, so the library is linked with -crt-static (a musl cdylib needs it: dynamic libc).
      # Flags after `--` reach the final crate only, so std is not built twice. The tool links
      # with zig's own C start files (link-self-contained=no): rustc's self-contained ones
      # (rcrt1.o, crti.o) ship with a prebuilt musl std, which there is none of.
      run "$suite" "$build_std
        CARGO_TARGET_DIR=$td cargo-zigbuild rustc --release --locked -p dstoken-cli --bin dstoken --target $rt \
          \$Zstd -- -C link-self-contained=no
        CARGO_TARGET_DIR=$td cargo-zigbuild rustc --release --locked -p dstoken --lib \
          --crate-type cdylib,staticlib --target $rt \$Zstd -- -C target-feature=-crt-static"
      # (cargo asks rustc which files a crate type gives without the -crt-static above, is
      # told that a musl cdylib is unsupported, and so leaves libdstoken.so in deps/)
      copy_out "$t" "$td/$rt/release" libdstoken.a dstoken
      copy_out "$t" "$td/$rt/release/deps" libdstoken.so ;;
    x86_64-windows-gnu)
      run "$suite" "$build_std
        CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc CARGO_TARGET_DIR=$td \
          cargo build --release --locked -p dstoken -p dstoken-cli --target x86_64-pc-windows-gnu \$Zstd"
      copy_out "$t" "$td/x86_64-pc-windows-gnu/release" dstoken.dll libdstoken.dll.a libdstoken.a dstoken.exe ;;
    wasm32)
      run "$suite" "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld CARGO_TARGET_DIR=$td \
        cargo build --release --locked --lib --target wasm32-unknown-unknown"
      copy_out "$t" "$td/wasm32-unknown-unknown/release" dstoken.wasm ;;
    *) echo "cross: unknown target '$t' (known: ${targets[*]})" >&2; exit 2 ;;
  esac
  echo "cross: $t built in $((SECONDS - started)) s: $(cd "$dest" && ls | tr '\n' ' ')"
}

# copy_out TARGET DIR FILE...: DIR is as the root sees it (/cache/...)
copy_out() {
  local t=$1 dir=$cache/${2#/cache/} f
  shift 2
  mkdir -p "$out/$t"
  for f in "$@"; do
    [[ -f $dir/$f ]] || { echo "cross: $t: the build made no $f (in $dir)" >&2; exit 1; }
    cp -L "$dir/$f" "$out/$t/$f"
  done
}

build() {
  need_root "building in the Debian roots"
  [[ -x build/zig/bin/cargo-zigbuild ]] || scripts/bootstrap.sh --zig
  local want=("$@") t
  ((${#want[@]})) || want=("${targets[@]}")
  # only the roots these targets need
  for t in trixie sid; do
    if printf '%s\n' "${want[@]}" | while read -r x; do suite_of "$x"; done | grep -qx "$t"; then make_root "$t"; fi
  done
  for t in "${want[@]}"; do build_one "$t"; done
}

case "${1:-}" in
  roots) need_root "making the roots"; roots ;;
  build) shift; build "$@" ;;
  run) (($# == 3)) || { echo "usage: scripts/cross.sh run SUITE COMMAND" >&2; exit 2; }
       need_root "running in a root"; run "$2" "$3" ;;
  targets) printf '%s\n' "${targets[@]}" ;;
  *) sed -n '/^# Usage:/,/^# Environment:/s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
