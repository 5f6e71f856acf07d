#!/usr/bin/env bash
# Builds dstoken's packages into dist/. <version> is the crate's (Cargo.toml), everywhere.
#   scripts/package.sh            every package this script knows
#   scripts/package.sh python     only the Python wheel
# Sections:
#   python   dist/dstoken-<version>-py3-none-<platform>.whl: the `dstoken` package
#            (bindings/python) with libdstoken inside, built by hatchling from build/venv
#            (scripts/bootstrap.sh --test installs it) without build isolation.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' Cargo.toml | head -n1)
[[ -n "$version" ]] || { echo "package.sh: no version in Cargo.toml" >&2; exit 1; }
want=("$@")
((${#want[@]})) || want=(python)
mkdir -p dist
venv=build/venv

# The shared library, built and staged by CMake (build/stage/lib/libdstoken.so.<version>);
# DSTOKEN_PREBUILT_LIBRARY names an already built one instead (what the tests under ctest use).
build_library() {
  [[ -z "${DSTOKEN_PREBUILT_LIBRARY:-}" ]] || return 0
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build --target dstoken_cargo -j"$(nproc)" >/dev/null
}

package_python() {
  "$venv/bin/python" -c 'import hatchling' 2>/dev/null || scripts/bootstrap.sh --test
  build_library
  local lib=${DSTOKEN_PREBUILT_LIBRARY:-$PWD/build/stage/lib/libdstoken.so.$version}
  [[ -f "$lib" ]] || { echo "package.sh: $lib is missing" >&2; exit 1; }
  rm -f dist/dstoken-"$version"-*.whl
  # pip wheel builds in place (the version is read from ../../Cargo.toml), with no network.
  DSTOKEN_WHEEL_LIBRARY="$lib" build/venv/bin/python -m pip wheel --quiet --disable-pip-version-check \
    --no-deps --no-build-isolation --no-index -w dist bindings/python
  ls dist/dstoken-"$version"-*.whl
}

for what in "${want[@]}"; do
  case "$what" in
    python) package_python ;;
    *) echo "package.sh: unknown package '$what' (known: python)" >&2; exit 2 ;;
  esac
done
