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
# Idempotent: does nothing that is already done.
# Usage: scripts/bootstrap.sh [--test] [--zig]
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0 want_zig=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 want_zig=1 ;;
    --zig) want_zig=1 ;;
    *) echo "bootstrap: unknown option $arg (known: --test --zig)" >&2; exit 2 ;;
  esac
done

missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ((want_test)); then
  # Packaging tests: dpkg-shlibdeps (dpkg-dev), nm/readelf (binutils).
  command -v dpkg-shlibdeps >/dev/null 2>&1 || missing+=(dpkg-dev)
  command -v readelf >/dev/null 2>&1 || missing+=(binutils)
  # Debian packages (scripts/package.sh deb, tests/packaging): debhelper, dh-python, lintian.
  command -v dh >/dev/null 2>&1 || missing+=(debhelper)
  command -v dh_python3 >/dev/null 2>&1 || missing+=(dh-python)
  command -v lintian >/dev/null 2>&1 || missing+=(lintian)
  # The Java binding builds with Maven (its plugins, JUnit 5 and java-jwt come from Maven
  # Central into build/m2 on first use).
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
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
  # The older-userland test (tests/oldglibc.sh) builds a Debian 11 root with debootstrap.
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
fi
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ((want_test)); then
  # The Go binding's test dependencies (golang-jwt) into the module cache.
  (cd bindings/go && go mod download)
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
  if [[ ! -f build/wheelhouse/.complete ]]; then
    echo "bootstrap: downloading pytest, PyJWT and joserfc wheels into build/wheelhouse"
    "$venv/bin/python" -m pip download --quiet --disable-pip-version-check --only-binary :all: \
      -d build/wheelhouse "${py_reqs[@]:0:3}"
    touch build/wheelhouse/.complete
  fi
fi

if ((want_test)); then
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
if ((want_test)) && command -v dpkg-checkbuilddeps >/dev/null 2>&1 && ! dpkg-checkbuilddeps >/dev/null 2>&1; then
  echo "bootstrap: apt-get build-dep ./ (debian/control's Build-Depends)"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get build-dep -y -qq --no-install-recommends ./ >/dev/null
fi
