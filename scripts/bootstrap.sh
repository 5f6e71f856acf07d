#!/usr/bin/env bash
# Installs what dstoken's build and tests need and a fresh machine may lack: cmake and
# valgrind (Debian packages) always; with --test (the test suite) also Debian's junit5 jars,
# a Python venv with PyJWT and pytest under build/venv, and the Node binding's npm packages
# (npm ci in bindings/node).
# Idempotent: does nothing that is already done. Usage: scripts/bootstrap.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ((want_test)); then
  # Packaging tests: dpkg-shlibdeps (dpkg-dev), nm/readelf (binutils).
  command -v dpkg-shlibdeps >/dev/null 2>&1 || missing+=(dpkg-dev)
  command -v readelf >/dev/null 2>&1 || missing+=(binutils)
  # The test suite also needs JUnit 5 for the Java binding (Debian's jars; no Maven here).
  [[ -f /usr/share/java/junit-platform-console-standalone.jar ]] || missing+=(junit5)
fi
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ((want_test)); then
  venv=build/venv
  if ! "$venv/bin/python" -c 'import jwt, pytest' >/dev/null 2>&1; then
    echo "bootstrap: creating $venv with PyJWT and pytest"
    mkdir -p build
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'PyJWT>=2.8,<3' 'pytest>=7'
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
