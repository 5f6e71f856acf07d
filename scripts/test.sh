#!/usr/bin/env bash
# The whole test suite: Rust unit and C-ABI tests (cargo test), then through CMake/ctest the C
# and C++ tests, the example, their valgrind runs and the PyJWT cross-checks. Installs what is
# missing first (scripts/bootstrap.sh). Any failing step fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --python
jobs=$(nproc)

echo "== cargo fmt --check, clippy"
cargo fmt --check
cargo clippy --all-targets --locked --quiet -- -D warnings

echo "== cargo test"
cargo test --locked

echo "== cmake build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DDSTOKEN_STRICT_TESTS=ON \
  -DDSTOKEN_PYTHON="$PWD/build/venv/bin/python" >/dev/null
cmake --build build -j"$jobs"

echo "== ctest: C, C++, example, valgrind"
ctest --test-dir build --output-on-failure -j"$jobs" -E '^python_'
echo "== ctest: Python (PyJWT independent verification)"
ctest --test-dir build --output-on-failure -V -R '^python_'

