#!/usr/bin/env bash
# Builds the libFuzzer targets with coverage instrumentation (stable Rust: the same
# sanitizer-coverage flags cargo-fuzz passes) and runs each for SECONDS (default 20) on its
# committed seed corpus plus a scratch corpus under fuzz/target/corpus. Any crash, panic,
# leak-free timeout or OOM fails the script; findings land in fuzz/artifacts/<target>/.
#   fuzz/run.sh            20 s per target (the test command's smoke run)
#   fuzz/run.sh 3600       a deeper run
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-20}
export RUSTFLAGS="${RUSTFLAGS:-} -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
  -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# An explicit --target keeps these flags off build scripts (as cargo-fuzz does).
host=$(rustc -vV | sed -n 's/^host: //p')
cargo build --release --locked --bins --target "$host"
bin="target/$host/release"
for target in fuzz_verify fuzz_set_json fuzz_claims_ops fuzz_mint fuzz_json; do
  mkdir -p "target/corpus/$target" "artifacts/$target"
  echo "== $target (${seconds}s)"
  status=0
  "$bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="artifacts/$target/" "target/corpus/$target" "seeds/$target" \
    >"target/$target.log" 2>&1 || status=$?
  grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss|==[0-9]+==|SUMMARY|thread .* panicked)" \
    "target/$target.log" || true
  if [[ $status -ne 0 ]]; then
    tail -40 "target/$target.log" >&2
    echo "fuzz: $target found a problem (exit $status); see fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
