#!/usr/bin/env bash
# Runs every dstoken benchmark and prints their tables: the C benchmark through the shared
# library (with OpenSSL's HMAC and libjwt beside it; libjwt-dev is installed if missing), then
# the criterion benchmarks of the Rust core and the C ABI beside bare HMAC-SHA256 and the
# jsonwebtoken crate, summarised with ratios by bench/report.py. Takes a few minutes.
#   bench/run.sh            full run
#   bench/run.sh --quick    short measurement times (numbers are noisier)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1

scripts/bootstrap.sh
if ! pkg-config --exists libjwt 2>/dev/null; then
  echo "bench: installing libjwt-dev (for the comparison rows)"
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libjwt-dev >/dev/null
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target dstoken_bench -j"$(nproc)"

echo "== C benchmark (build/dstoken_bench)"
if ((quick)); then build/dstoken_bench 20000; else build/dstoken_bench 200000; fi

echo "== Rust benchmarks (criterion, bench/rust)"
if ((quick)); then export DSTOKEN_BENCH_QUICK=1; fi
cargo bench --locked -p dstoken-bench --bench sign -- --noplot
python3 bench/report.py
echo "== one-call mint beside HMAC alone and dst_sign_into, interleaved rounds (bench/rust/src/bin/mint_ratio.rs)"
cargo run --release --locked -q -p dstoken-bench --bin mint_ratio -- $(((quick)) && echo 20000 9 || echo 200000 15)
