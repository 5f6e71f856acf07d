#!/usr/bin/env bash
# The whole test suite: Rust unit and C-ABI tests (cargo test), then through CMake/ctest the C
# and C++ tests, the example, their valgrind runs and the PyJWT cross-checks. Installs what is
# missing first (scripts/bootstrap.sh). Any failing step fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --test
jobs=$(nproc)

echo "== cargo fmt --check, clippy"
cargo fmt --check
cargo clippy --workspace --all-targets --locked --quiet -- -D warnings

echo "== cargo test"
cargo test --locked

echo "== cargo test: the dstoken command-line tool (cli/; PyJWT from build/venv)"
DSTOKEN_PYTHON="$PWD/build/venv/bin/python" cargo test --locked -p dstoken-cli

echo "== benchmarks, once each with a tiny N (they are not timed tests)"
cargo test --locked -p dstoken-bench --benches --quiet
cargo run --locked -q -p dstoken-bench --bin profile_loop -- sign_into 10

echo "== fuzzing smoke run: every libFuzzer target for 30 s (fuzz/run.sh; longer: fuzz/run.sh 3600)"
fuzz/run.sh "${DSTOKEN_FUZZ_SECONDS:-30}"

echo "== cmake build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DDSTOKEN_STRICT_TESTS=ON \
  -DDSTOKEN_PYTHON="$PWD/build/venv/bin/python" >/dev/null
cmake --build build -j"$jobs"

# The Maven (Surefire/JUnit) and pytest runs are shown in full (-V) so their own summaries appear.
verbose='^(java_maven|java_consumer|python_pyjwt|python_wheel|packaging)$'
echo "== ctest: C, C++, examples; valgrind and sanitizer runs"
ctest --test-dir build --output-on-failure -j"$jobs" -E "$verbose"
echo "== ctest: Maven + JUnit (Java binding, consumer project), pytest (PyJWT independent verification, the installed Python wheel, packaging incl. the Debian packages and lintian)"
ctest --test-dir build --output-on-failure -V -R "$verbose"

