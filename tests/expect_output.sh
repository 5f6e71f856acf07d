#!/usr/bin/env bash
# Runs a command for ctest and passes only when it exits 0 AND its output (stdout and stderr)
# has a line matching PATTERN (grep -E). ctest's own PASS_REGULAR_EXPRESSION would replace the
# exit code with the pattern, so a failing program whose error message happened to match passed.
#   tests/expect_output.sh PATTERN COMMAND [ARG...]
set -uo pipefail
if (($# < 2)); then
  echo "usage: $0 PATTERN COMMAND [ARG...]" >&2
  exit 2
fi
pattern=$1
shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
if ((status != 0)); then
  echo "expect_output: '$1' exited with status $status" >&2
  exit "$status"
fi
if ! grep -Eq -- "$pattern" "$out"; then
  echo "expect_output: '$1' exited 0 but printed no line matching: $pattern" >&2
  exit 1
fi
