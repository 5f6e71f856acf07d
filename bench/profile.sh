#!/usr/bin/env bash
# Instructions per token (valgrind --tool=callgrind, repeatable even on a loaded machine) of
# bare HMAC-SHA256 over the workload's signing input, dst_sign_into (set ud + sign) and the
# one-call dst_mint_into with fresh values: the difference of two loop lengths, so set-up
# cancels out. Under valgrind SHA-256 runs its portable code (no SHA-NI), so the "over HMAC"
# column is the number to compare. Needs valgrind.
#   bench/profile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p dstoken-bench --bin profile_loop
bin=target/release/profile_loop
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
count() { # what iterations
  valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" "$1" "$2" >/dev/null 2>&1
  sed -n 's/^summary: //p; s/^totals: //p' "$out/cg" | head -1
}
per_token() {
  local a b
  a=$(count "$1" 2000)
  b=$(count "$1" 12000)
  echo $(((b - a) / 10000))
}
hmac=$(per_token hmac)
printf '%-14s %8s %10s\n' path instr/token "over HMAC"
printf '%-14s %8d %10s\n' "HMAC alone" "$hmac" -
for what in sign_into mint_into; do
  n=$(per_token "$what")
  printf '%-14s %8d %10d\n' "dst_$what" "$n" $((n - hmac))
done
