#!/usr/bin/env bash
# The whole test suite: Rust unit and C-ABI tests (cargo test), then through CMake/ctest the C
# and C++ tests, the example, their valgrind runs and the PyJWT cross-checks, the PHP binding's
# PHPUnit tests (php_phpunit: vectors, php-fpm, the Composer artifact), the Go binding's go vet +
# go test -race, the packages' natives at the glibc 2.17 floor (tests/natives.sh: ELF check,
# auditwheel, fresh installs, Go from a file proxy, Debian 11 chroot) and the documentation
# (tests/docs/run.sh). Installs what is missing first (scripts/bootstrap.sh). Any failing step
# fails the script.
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
cargo run --locked -q -p dstoken-bench --bin mint_ratio -- 10 1
cargo run --locked -q -p dstoken-bench --bin verify_ratio -- 5

echo "== fuzzing smoke run: every libFuzzer target for 20 s (fuzz/run.sh; longer: fuzz/run.sh 3600)"
fuzz/run.sh "${DSTOKEN_FUZZ_SECONDS:-20}"

echo "== cmake build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DDSTOKEN_STRICT_TESTS=ON \
  -DDSTOKEN_PYTHON="$PWD/build/venv/bin/python" >/dev/null
cmake --build build -j"$jobs"

echo "== Go binding (bindings/go): go vet; go test -race with the shared vectors, golang-jwt, fuzz seeds,"
echo "   a fresh consumer module (static link and pkg-config), benchmarks once"
cargo build --release --locked --lib   # target/release/libdstoken.a, which the Go package links
(cd examples/go && go vet ./...)
(cd bindings/go && go vet ./... &&
  DSTOKEN_NATIVE_STATIC_LIBS_FILE="$PWD/../../build/stage/native-static-libs.txt" \
    go test -race -count=1 -bench . -benchtime=1x .)

# The Maven (Surefire/JUnit) and pytest runs are shown in full (-V) so their own summaries appear.
verbose='^(java_maven|java_consumer|python_pyjwt|python_wheel|php_phpunit|packaging)$'
echo "== ctest: C, C++, examples; valgrind and sanitizer runs"
ctest --test-dir build --output-on-failure -j"$jobs" -E "$verbose"
echo "== ctest: Maven + JUnit (Java binding, consumer project), pytest (PyJWT independent verification, the installed Python wheel, packaging incl. the Debian packages and lintian), PHPUnit (PHP binding: vectors, php-fpm, Composer artifact)"
ctest --test-dir build --output-on-failure -V -R "$verbose"


echo "== Node binding (bindings/node): node --test, jsonwebtoken/jose cross-checks, vectors, npm pack + install in a fresh project"
node_lib="$PWD/build/stage/lib/libdstoken.so"
(cd bindings/node && DSTOKEN_LIBRARY="$node_lib" node --expose-gc --test test/*.test.js)

echo "== natives at the glibc 2.17 floor (tests/natives.sh): scripts/package.sh java python node php go tarball,"
echo "   every shipped ELF file <= GLIBC_2.17, auditwheel show, fresh installs, a new Go module from"
echo "   GOPROXY=file://dist/goproxy, then the natives chrooted in Debian 11 bullseye (tests/oldglibc.sh)"
tests/natives.sh

echo "== documentation (tests/docs/run.sh): the site builds, links resolve, every README/docs example runs"
echo "   against the built library, the package READMEs match the site, the pages render in chromium"
tests/docs/run.sh
