#!/usr/bin/env bash
# The Python package's tests, against the INSTALLED wheel: builds dist/dstoken-<version>-*.whl
# (scripts/package.sh python), checks the package's type hints (mypy --strict), installs it into a fresh venv under build/python-venv together
# with pytest, PyJWT and joserfc from build/wheelhouse (offline; scripts/bootstrap.sh --test
# fills it), then runs bindings/python/tests and the Python benchmark (once, tiny N) from a
# temporary directory outside the repository. ctest runs it (test python_wheel) with
# DSTOKEN_STAGE_LIB set to the built libdstoken; alone it builds the library first.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' Cargo.toml | head -n1)
stage_lib=${DSTOKEN_STAGE_LIB:-$src/build/stage/lib/libdstoken.so.$version}
[[ -f build/wheelhouse/.complete ]] || scripts/bootstrap.sh --test

echo "== python: build the wheel"
if [[ -n "${DSTOKEN_STAGE_LIB:-}" ]]; then
  DSTOKEN_PREBUILT_LIBRARY="$stage_lib" scripts/package.sh python
else
  scripts/package.sh python
fi
wheel=$(ls dist/dstoken-"$version"-*.whl)

echo "== python: mypy --strict on the package's type hints"
build/venv/bin/python -m mypy --strict --cache-dir build/mypy-cache bindings/python/dstoken

echo "== python: install $wheel into a fresh venv (build/python-venv)"
venv=$src/build/python-venv
rm -rf "$venv"
# The interpreter build/venv was made from, so build/wheelhouse's binary wheels match it.
base_python=$(build/venv/bin/python -c 'import sys; print(sys._base_executable)')
"$base_python" -m venv --without-pip "$venv"
build/venv/bin/python -m pip --python "$venv/bin/python" install --quiet --no-compile --disable-pip-version-check \
  --no-index --find-links build/wheelhouse "$wheel" pytest PyJWT joserfc

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"  # outside the repository: only the installed package can be imported
echo "== python: pytest against the installed wheel (from $work)"
env -u DSTOKEN_LIBRARY -u PYTHONPATH DSTOKEN_EXPECT_INSTALLED=1 DSTOKEN_STAGE_LIB="$stage_lib" DSTOKEN_WHEEL="$src/$wheel" \
  DSTOKEN_SOURCE_DIR="$src" "$venv/bin/python" -m pytest -p no:cacheprovider -q "$src/bindings/python/tests"
echo "== python: benchmark, once with a tiny N (not a timed test)"
env -u DSTOKEN_LIBRARY -u PYTHONPATH "$venv/bin/python" "$src/bench/python/bench.py" 200
