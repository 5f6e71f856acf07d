#!/usr/bin/env bash
# Instructions per token (valgrind --tool=callgrind, repeatable even on a loaded machine) of
# bare HMAC-SHA256 over the workload's signing input, dst_sign_into (set ud + sign) and the
# one-call dst_mint_into with fresh values: the difference of two loop lengths, so set-up
# cancels out. Under valgrind SHA-256 runs its portable code (no SHA-NI), so the "over HMAC"
# column is the number to compare. Needs valgrind.
#   bench/profile.sh                 prints the table
#   bench/profile.sh --json FILE     also writes it to FILE in the format of bench/README.md
#                                    (one "round": the count is exact, not sampled)
set -euo pipefail
cd "$(dirname "$0")/.."
json=""
if [[ "${1:-}" == "--json" ]]; then
  json=${2:?--json needs a file}
fi
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
declare -A name=([hmac]="HMAC-SHA256 alone (hmac crate)" [sign_into]="dst_sign_into (set ud + sign)"
  [mint_into]="dst_mint_into (fresh values)")
declare -A op=([hmac]=hmac [sign_into]=sign [mint_into]=mint)
hmac=$(per_token hmac)
printf '%-14s %8s %10s\n' path instr/token "over HMAC"
printf '%-14s %8d %10s\n' "HMAC alone" "$hmac" -
rows=("$(printf '  {"id": "hmac", "name": "%s", "impl": "hmac-crate", "kind": "reference", "op": "hmac", "threads": 1, "unit": "instructions/token", "clock": "instructions", "median": %d, "rounds": [%d]}' "${name[hmac]}" "$hmac" "$hmac")")
for what in sign_into mint_into; do
  n=$(per_token "$what")
  printf '%-14s %8d %10d\n' "dst_$what" "$n" $((n - hmac))
  rows+=("$(printf '  {"id": "%s", "name": "%s", "impl": "dstoken", "kind": "dstoken", "op": "%s", "threads": 1, "unit": "instructions/token", "clock": "instructions", "median": %d, "rounds": [%d]}' "$what" "${name[$what]}" "${op[$what]}" "$n" "$n")")
done
if [[ -n "$json" ]]; then
  {
    printf '{"schema": 1, "benchmark": "%s", "language": "Rust", "program": "bench/profile.sh (callgrind, bench/rust/src/bin/profile_loop.rs)",\n' \
      "$(basename "$json" .json)"
    printf ' "settings": {"iterations": "12000 - 2000"},\n "runtime": "%s",\n "results": [\n' "$(valgrind --version)"
    (IFS=$'\n'; printf '%s' "${rows[*]}" | sed '$!s/$/,/')
    printf '\n ]}\n'
  } > "$json"
fi
