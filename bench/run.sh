#!/usr/bin/env bash
# Runs every dstoken benchmark and keeps their results as data, ready to commit:
#   bench/results/<date>-<host>[-quick]/<benchmark>.json   each benchmark's results, every round
#                                                         (the format: bench/README.md)
#   bench/results/<date>-<host>[-quick]/run.json          machine, date, commit, command, mode,
#                                                         seconds per benchmark
#   build/bench/raw/<benchmark>.txt                       what each benchmark printed
#   build/bench/last-run                                  the run's directory, for `publish`
# Then `bench/report.py publish` checks the run and regenerates every number of README.md and
# docs/src/performance.md from it; commit the run's directory with them.
#
#   bench/run.sh            the full run (16 minutes on the project's 2-core machine while other
#                           work kept its load average at 4-7, with the builds already done;
#                           run.json's "seconds" gives each benchmark's share)
#   bench/run.sh --quick    short measurements and few rounds (a few minutes): exercises the
#                           pipeline; its numbers are noisy and the pages say it was quick
#
# The benchmarks, each timing every path in interleaved rounds in one process: C
# (build/dstoken_bench, beside OpenSSL's HMAC, hand-written OpenSSL code and libjwt; libjwt-dev
# is installed if missing), the Rust core and C ABI (criterion; mint_ratio and verify_ratio,
# interleaved, for the targets; callgrind instruction counts), Python (PyJWT, joserfc), Node.js
# (jsonwebtoken, jose), Go (golang-jwt), Java (JMH, and the BenchmarkTest warm loop; java-jwt
# and hand-written JDK code) and PHP (the hand-rolled hash_hmac method).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
case "${1:-}" in
  "") ;;
  --quick) quick=1 ;;
  *) echo "usage: bench/run.sh [--quick]" >&2; exit 2 ;;
esac
command="bench/run.sh${1:+ $1}"
start_load=$(cut -d' ' -f1-3 /proc/loadavg)
q() { if ((quick)); then echo "$1"; else echo "$2"; fi; } # q QUICK FULL

echo "== prerequisites and builds"
scripts/bootstrap.sh --part c --part java --part python --part php --part go --part node
if ! pkg-config --exists libjwt 2>/dev/null; then
  echo "bench: installing libjwt-dev (for the C comparison rows)"
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libjwt-dev >/dev/null
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target dstoken_bench dstoken_cargo -j"$(nproc)"
cargo build --release --locked --lib   # target/release/libdstoken.a for the Go benchmark
(cd bindings/node && [[ -d node_modules ]] || npm ci --no-audit --no-fund)
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' Cargo.toml | head -n1)
lib=$PWD/build/stage/lib/libdstoken.so
py=build/venv/bin/python

host=$(hostname -s | tr -c 'A-Za-z0-9-\n' '-')
name="$(date -u +%Y-%m-%d)-$host$(q -quick "")"
out=bench/results/$name
raw=build/bench/raw
rm -rf "$out" "$raw"
mkdir -p "$out" "$raw"
seconds=()
# step NAME COMMAND...: runs a benchmark, its output also into $raw/NAME.txt, and times it.
step() {
  local n=$1 t0=$SECONDS
  shift
  echo "== $n: $*"
  "$@" 2>&1 | tee "$raw/$n.txt"
  seconds+=(--seconds "$n=$((SECONDS - t0))")
}

DSTOKEN_BENCH_JSON=$PWD/$out/c.json step c build/dstoken_bench "$(q 20000 200000)" "$(q 5 9)"

criterion() {
  if ((quick)); then export DSTOKEN_BENCH_QUICK=1; fi
  rm -rf target/criterion
  cargo bench --locked -p dstoken-bench --bench sign -- --noplot
  "$py" bench/report.py criterion target "$out/rust-criterion.json"
}
step rust-criterion criterion
DSTOKEN_BENCH_JSON=$PWD/$out/rust-mint-ratio.json step rust-mint-ratio \
  cargo run --release --locked -q -p dstoken-bench --bin mint_ratio -- "$(q 20000 200000)" "$(q 5 15)"
DSTOKEN_BENCH_JSON=$PWD/$out/rust-verify-ratio.json step rust-verify-ratio \
  cargo run --release --locked -q -p dstoken-bench --bin verify_ratio -- "$(q 300 3000)"
step callgrind bench/profile.sh --json "$out/callgrind.json"

PYTHONPATH=bindings/python DSTOKEN_LIBRARY="$lib" DSTOKEN_BENCH_JSON=$PWD/$out/python.json \
  step python "$py" bench/python/bench.py "$(q 2000 10000)" "$(q 5 15)"

DSTOKEN_LIBRARY="$lib" DSTOKEN_BENCH_JSON=$PWD/$out/node.json \
  step node node bench/node/bench.js "$(q 10000 100000)" "$(q 5 9)"

go_bench() (
  cd bindings/go
  DSTOKEN_NATIVE_STATIC_LIBS_FILE="$PWD/../../build/stage/native-static-libs.txt" \
    DSTOKEN_BENCH_JSON=$PWD/../../$out/go.json DSTOKEN_BENCH_N="$(q 10000 100000)" DSTOKEN_BENCH_ROUNDS="$(q 5 9)" \
    go test -count=1 -run '^$' -bench '^BenchmarkRounds$' -benchtime 1x .
)
step go go_bench

java_args=(-B -ntp -Drevision="$version" -Dmaven.repo.local="$PWD/build/m2"
  -Ddstoken.native.lib="$PWD/build/stage/lib/libdstoken.so.$version" -Ddstoken.build.dir="$PWD/build/java/bench")
DSTOKEN_BENCH_JSON=$PWD/$out/java-test.json step java-test \
  mvn "${java_args[@]}" -q -f bindings/java/pom.xml test -Dtest=BenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Ddstoken.bench.n="$(q 20000 200000)" -Ddstoken.test.jvm=
jmh=(-Djmh.rounds="$(q 3 15)")   # not -Djmh.quick: its 100 ms iterations leave the JIT cold
DSTOKEN_BENCH_JSON=$PWD/$out/java-jmh.json step java-jmh \
  mvn "${java_args[@]}" -f bindings/java/pom.xml -Pjmh test-compile exec:exec@jmh "${jmh[@]}"

DSTOKEN_LIBRARY="$lib" DSTOKEN_BENCH_JSON=$PWD/$out/php.json \
  step php php -d ffi.enable=1 bench/php/bench.php "$(q 2000 20000)" "$(q 5 15)"

echo "== the run as data: $out"
"$py" bench/report.py run-info "$out/run.json" --command "$command" $(q --quick "") \
  --start-load "$start_load" "${seconds[@]}"
echo "$out" > build/bench/last-run
"$py" bench/report.py show "$out"
echo "bench/run.sh: wrote $out in $((SECONDS / 60)) min $((SECONDS % 60)) s;"
echo "  bench/report.py publish   puts it into README.md and docs/src/performance.md (commit $out with them)"
