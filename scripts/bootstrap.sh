#!/usr/bin/env bash
# Installs what dstoken's build and tests need and a fresh machine may lack: cmake and
# valgrind (Debian packages) always; with --test (the test suite) also Maven, PHP (php-cli,
# php-fpm, phpunit, composer, php-zip, libfcgi-bin) and a Python venv
# with PyJWT, pytest, joserfc and hatchling under build/venv (plus their wheels in
# build/wheelhouse for the installed-wheel test), the Go
# binding's modules (go mod download), and the Node binding's npm packages (npm ci in
# bindings/node), and Debian's debhelper, dh-python and lintian for the Debian packages.
# With --zig (and with --test) also the glibc-2.17 floor toolchain under build/zig: a venv
# with Zig (`ziglang`), `cargo-zigbuild` and `auditwheel` from PyPI, plus the wrappers
# build/zig/bin/zig and build/zig/bin/zigcc-floor / zigcxx-floor (`zig cc -target
# x86_64-linux-gnu.2.17`), which scripts/package.sh uses for every bundled native; with --test
# also debootstrap (tests/oldglibc.sh) and the Debian source package's build dependencies
# (`apt-get build-dep ./`, for tests/debian-source.sh).
# With --part PART (repeatable) only what that part of the test suite needs (scripts/test.sh
# --list says the same); only `packages` installs Debian packaging tools, and a Debian package
# is installed (with root, or sudo) only when it is missing:
#   rust      build/venv (PyJWT for the CLI's tests); no Debian package
#   c         cmake, make, pkg-config, valgrind
#   java      cmake, make, pkg-config, Maven
#   python    cmake, make, pkg-config, build/venv and build/wheelhouse
#   php       cmake, make, pkg-config, valgrind, PHP (php-cli, php-fpm, phpunit, composer, php-zip,
#             libfcgi-bin), build/venv (PyJWT checks PHP's tokens)
#   go        cmake, make, pkg-config, the Go modules
#   node      cmake, make, pkg-config, the npm packages
#   packages  everything --test installs (Debian tools, debootstrap, build/zig, every language)
#   docs      cmake, make, pkg-config, Maven, PHP, build/venv, the Go modules, the npm packages
#             (every language's examples run; tests/docs/run.sh fetches its own site tools)
#   cross     debootstrap (the Debian roots of scripts/cross.sh, which install their own
#             packages), build/zig, build/venv (pytest)
# Idempotent: does nothing that is already done.
# Usage: scripts/bootstrap.sh [--test] [--zig] [--part PART]...
set -euo pipefail
cd "$(dirname "$0")/.."

# What to install, one flag per group: base (cmake, make, pkg-config), valgrind, deb (Debian
# packaging tools, debootstrap, build-dep), maven, php, venv (build/venv), wheels
# (build/wheelhouse), gomod, npm, zig (build/zig).
want_base=0 want_valgrind=0 want_deb=0 want_maven=0 want_php=0 want_venv=0 want_wheels=0
want_gomod=0 want_npm=0 want_zig=0 want_cross=0 want_debootstrap=0
want_everything() {
  want_base=1 want_valgrind=1 want_deb=1 want_maven=1 want_php=1 want_venv=1 want_wheels=1
  want_gomod=1 want_npm=1 want_zig=1 want_cross=1
}
want_part() {
  case "$1" in
    rust) want_venv=1 ;;
    c) want_base=1 want_valgrind=1 ;;
    java) want_base=1 want_maven=1 ;;
    python) want_base=1 want_venv=1 want_wheels=1 ;;
    php) want_base=1 want_valgrind=1 want_php=1 want_venv=1 ;;
    go) want_base=1 want_gomod=1 want_cross=1 ;;
    node) want_base=1 want_npm=1 ;;
    packages) want_everything ;;
    docs) want_base=1 want_maven=1 want_php=1 want_venv=1 want_gomod=1 want_npm=1 ;;
    cross) want_debootstrap=1 want_zig=1 want_venv=1 want_cross=1 ;;
    *) echo "bootstrap: unknown part '$1' (known: rust c java python php go node packages docs cross)" >&2
       exit 2 ;;
  esac
}
# Without --part, cmake and valgrind always (what scripts/example.sh needs), as before.
any_part=0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --test) want_everything ;;
    --zig) want_zig=1 ;;
    --part)
      ((i + 1 < ${#args[@]})) || { echo "bootstrap: --part needs a part name" >&2; exit 2; }
      i=$((i + 1)); any_part=1; want_part "${args[i]}" ;;
    --part=*) any_part=1; want_part "${args[i]#--part=}" ;;
    *) echo "bootstrap: unknown option ${args[i]} (known: --test --zig --part PART)" >&2; exit 2 ;;
  esac
done
((any_part)) || want_base=1 want_valgrind=1

missing=()
if ((want_base)); then
  command -v cmake >/dev/null 2>&1 || missing+=(cmake)
fi
if ((want_valgrind)); then
  command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
fi
if ((want_base)); then
  command -v make >/dev/null 2>&1 || missing+=(make)
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
fi
if ((want_deb)); then
  # Packaging tests: dpkg-shlibdeps (dpkg-dev), nm/readelf (binutils).
  command -v dpkg-shlibdeps >/dev/null 2>&1 || missing+=(dpkg-dev)
  command -v readelf >/dev/null 2>&1 || missing+=(binutils)
  # Debian packages (scripts/package.sh deb, tests/packaging): debhelper, dh-python, lintian.
  command -v dh >/dev/null 2>&1 || missing+=(debhelper)
  command -v dh_python3 >/dev/null 2>&1 || missing+=(dh-python)
  command -v lintian >/dev/null 2>&1 || missing+=(lintian)
fi
if ((want_maven)); then
  # The Java binding builds with Maven (its plugins, JUnit 5 and java-jwt come from Maven
  # Central into build/m2 on first use).
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
fi
if ((want_php)); then
  # The PHP binding: php-cli (with FFI), php-fpm and cgi-fcgi (libfcgi-bin) for the FPM test,
  # phpunit, composer and php-zip (Composer's artifact repository reads zip files).
  command -v php >/dev/null 2>&1 || missing+=(php-cli)
  compgen -G '/usr/sbin/php-fpm*' >/dev/null || missing+=(php-fpm)
  command -v cgi-fcgi >/dev/null 2>&1 || missing+=(libfcgi-bin)
  command -v phpunit >/dev/null 2>&1 || missing+=(phpunit)
  command -v composer >/dev/null 2>&1 || missing+=(composer)
  { command -v php >/dev/null 2>&1 && php -r 'exit(extension_loaded("zip") ? 0 : 1);'; } || missing+=(php-zip)
  # pcntl (built into Debian's php-cli) for the test of signal handlers that mint.
  { command -v php >/dev/null 2>&1 && php -r 'exit(extension_loaded("pcntl") ? 0 : 1);'; } || missing+=(php-cli)
fi
if ((want_cross)); then
  # The Go binding's CGO_ENABLED=0 test program runs cross-built under qemu-aarch64 (qemu-user)
  # and wine, which needs a test-only DLL built with mingw-w64 (scripts/test.sh, go part).
  command -v qemu-aarch64 >/dev/null 2>&1 || missing+=(qemu-user)
  command -v wine >/dev/null 2>&1 || missing+=(wine wine64)
  command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing+=(gcc-mingw-w64-x86-64)
fi
if ((want_deb || want_debootstrap)); then
  # The older-userland test (tests/oldglibc.sh) builds a Debian 11 root with debootstrap, and
  # scripts/cross.sh Debian 13 and sid roots.
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
fi
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ((want_gomod)); then
  # The Go binding's test dependencies (golang-jwt) into the module cache.
  (cd bindings/go && go mod download)
fi
if ((want_venv || want_wheels)); then
  # build/venv: pytest, PyJWT and joserfc (the independent verifiers), hatchling (the Python
  # package's build backend, used without build isolation so building needs no network), mypy
  # (the package's type hints are checked with --strict).
  venv=build/venv
  py_reqs=('PyJWT>=2.8,<3' 'pytest>=7' 'joserfc>=1.0,<2' 'hatchling>=1.26,<2' 'mypy>=1.10,<3')
  if ! "$venv/bin/python" -c 'import jwt, pytest, joserfc, hatchling, mypy' >/dev/null 2>&1; then
    echo "bootstrap: creating $venv with PyJWT, pytest, joserfc, hatchling and mypy"
    mkdir -p build
    [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${py_reqs[@]}"
  fi
  # build/wheelhouse: the same test tools as wheel files, so the fresh venv that tests the
  # installed dstoken wheel is made offline (pip install --no-index --find-links).
  if ((want_wheels)) && [[ ! -f build/wheelhouse/.complete ]]; then
    echo "bootstrap: downloading pytest, PyJWT and joserfc wheels into build/wheelhouse"
    "$venv/bin/python" -m pip download --quiet --disable-pip-version-check --only-binary :all: \
      -d build/wheelhouse "${py_reqs[@]:0:3}"
    touch build/wheelhouse/.complete
  fi
fi

if ((want_npm)); then
  # The Node binding's test dependencies (koffi, jsonwebtoken, jose), exactly as locked.
  # A copy of the lock file marks a finished install of exactly that lock.
  if ! cmp -s bindings/node/package-lock.json bindings/node/node_modules/.dstoken-installed-lock.json; then
    echo "bootstrap: npm ci in bindings/node"
    (cd bindings/node && npm ci --no-audit --no-fund --silent &&
      cp package-lock.json node_modules/.dstoken-installed-lock.json)
  fi
fi

# -- The glibc 2.17 floor toolchain (build/zig) --------------------------------------------------
# Versions pinned: the natives every package bundles are linked by this Zig against its glibc
# 2.17 stubs (cargo-zigbuild for the Rust parts, zig cc for the JNI glue and the C programs).
if ((want_zig)); then
  zvenv=build/zig
  zig_reqs=('ziglang==0.17.1' 'cargo-zigbuild==0.24.1' 'auditwheel==6.8.2')
  if ! [[ -x "$zvenv/bin/cargo-zigbuild" && -x "$zvenv/bin/zigcc-floor" ]] ||
     ! "$zvenv/bin/python" -c 'import ziglang, auditwheel' >/dev/null 2>&1; then
    echo "bootstrap: creating $zvenv with ${zig_reqs[*]}"
    mkdir -p build
    [[ -x "$zvenv/bin/python" ]] || python3 -m venv "$zvenv"
    "$zvenv/bin/python" -m pip install --quiet --disable-pip-version-check "${zig_reqs[@]}"
    # `zig` on PATH (cargo-zigbuild looks for it there) and the floor compilers as single
    # programs (CMake's CC/CXX and natives.sh's CC cannot carry arguments).
    printf '#!/bin/sh\nexec "%s" -m ziglang "$@"\n' "$PWD/$zvenv/bin/python" >"$zvenv/bin/zig"
    printf '#!/bin/sh\nexec "%s" cc -target x86_64-linux-gnu.2.17 "$@"\n' "$PWD/$zvenv/bin/zig" >"$zvenv/bin/zigcc-floor"
    printf '#!/bin/sh\nexec "%s" c++ -target x86_64-linux-gnu.2.17 "$@"\n' "$PWD/$zvenv/bin/zig" >"$zvenv/bin/zigcxx-floor"
    chmod +x "$zvenv/bin/zig" "$zvenv/bin/zigcc-floor" "$zvenv/bin/zigcxx-floor"
  fi
fi

# -- The Debian source package's build dependencies (debian/control) -----------------------------
# What `dpkg-buildpackage -us -uc -b` needs, exactly as Debian would install it: apt-get build-dep
# on the source tree. dpkg-checkbuilddeps says whether anything is missing (fast, no apt lock).
if ((want_deb)) && command -v dpkg-checkbuilddeps >/dev/null 2>&1 && ! dpkg-checkbuilddeps >/dev/null 2>&1; then
  echo "bootstrap: apt-get build-dep ./ (debian/control's Build-Depends)"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get build-dep -y -qq --no-install-recommends ./ >/dev/null
fi
