#!/usr/bin/env bash
# Runs every dstoken benchmark, prints their tables, and writes the results as data:
#   build/bench/raw/<language>.txt   what each benchmark printed
#   build/bench/results.json, .csv   one row per language and path: ns per token and its kind
#                                    (dstoken, the language's usual JWT library, hand-written
#                                    code, HMAC alone), with the machine, the date and this command
#   build/bench/ns-per-token.svg     the chart (bench/report.py chart, matplotlib)
# The benchmarks: C (build/dstoken_bench, with libjwt and OpenSSL beside it; libjwt-dev is
# installed if missing), the Rust core and C ABI (criterion, beside bare HMAC-SHA256 and the
# jsonwebtoken crate; then the interleaved mint_ratio), Python (bench/python/bench.py, PyJWT and
# joserfc), Node.js (bench/node/bench.js, jsonwebtoken and jose), Go (go test -bench, golang-jwt),
# Java (BenchmarkTest, java-jwt and hand-written JDK code) and PHP (bench/php/bench.php, the
# hand-rolled hash_hmac method; only when php is installed).
# `bench/report.py publish` then puts the run into the README and the docs' performance page.
#   bench/run.sh            full run (several minutes)
#   bench/run.sh --quick    short measurement times (numbers are noisier)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1
command="bench/run.sh${1:+ $1}"

scripts/bootstrap.sh --test
scripts/docs/tools.sh   # matplotlib for the chart
if ! pkg-config --exists libjwt 2>/dev/null; then
  echo "bench: installing libjwt-dev (for the comparison rows)"
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libjwt-dev >/dev/null
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target dstoken_bench dstoken_cargo -j"$(nproc)"
cargo build --release --locked --lib   # target/release/libdstoken.a for the Go benchmark
raw=build/bench/raw
rm -rf "$raw"
mkdir -p "$raw"
lib=$PWD/build/stage/lib/libdstoken.so
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' Cargo.toml | head -n1)

echo "== C benchmark (build/dstoken_bench)"
build/dstoken_bench $( ((quick)) && echo 20000 || echo 200000) | tee "$raw/c.txt"

echo "== Rust benchmarks (criterion, bench/rust)"
if ((quick)); then export DSTOKEN_BENCH_QUICK=1; fi
cargo bench --locked -p dstoken-bench --bench sign -- --noplot
build/venv/bin/python bench/report.py criterion
echo "== one-call mint beside HMAC alone and dst_sign_into, interleaved rounds (bench/rust/src/bin/mint_ratio.rs)"
cargo run --release --locked -q -p dstoken-bench --bin mint_ratio -- $( ((quick)) && echo 20000 9 || echo 200000 15) |
  tee "$raw/mint_ratio.txt"

echo "== Python (bench/python/bench.py)"
PYTHONPATH=bindings/python DSTOKEN_LIBRARY="$lib" \
  build/venv/bin/python bench/python/bench.py $( ((quick)) && echo 2000 || echo 10000) | tee "$raw/python.txt"

echo "== Node.js (bench/node/bench.js)"
DSTOKEN_LIBRARY="$lib" node bench/node/bench.js $( ((quick)) && echo 10000 || echo 100000) | tee "$raw/node.txt"

echo "== Go (go test -bench in bindings/go)"
(cd bindings/go && DSTOKEN_NATIVE_STATIC_LIBS_FILE="$PWD/../../build/stage/native-static-libs.txt" \
  go test -run '^$' -bench . -benchtime "$( ((quick)) && echo 200ms || echo 2s)" .) | tee "$raw/go.txt"

echo "== Java (BenchmarkTest in bindings/java)"
mvn -B -ntp -q -f bindings/java/pom.xml test -Dtest=BenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Ddstoken.bench.n=$( ((quick)) && echo 20000 || echo 200000) -Ddstoken.test.jvm= -Drevision="$version" \
  -Dmaven.repo.local="$PWD/build/m2" -Ddstoken.native.lib="$PWD/build/stage/lib/libdstoken.so.$version" \
  -Ddstoken.build.dir="$PWD/build/java/bench" | tee "$raw/java.txt"

if command -v php >/dev/null 2>&1; then
  echo "== PHP (bench/php/bench.php)"
  DSTOKEN_LIBRARY="$lib" php -d ffi.enable=1 bench/php/bench.php $( ((quick)) && echo 2000 || echo 20000) |
    tee "$raw/php.txt"
fi

echo "== results as data"
build/venv/bin/python bench/report.py collect "$raw" build/bench/results.json --command "$command"
build/venv/bin/python bench/report.py chart build/bench/results.json build/bench/ns-per-token.svg
build/venv/bin/python bench/report.py table build/bench/results.json
echo "(bench/report.py publish puts this run into README.md and docs/src/performance.md)"
