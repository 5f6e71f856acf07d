#!/usr/bin/env bash
# dstoken beyond x86-64 glibc: builds the other platforms' packages (scripts/package.sh cross:
# Debian roots, cached; see scripts/cross.sh), then tests what they hold:
#   tests/cross/run-c-tests.sh   the C tests (tests/c) for aarch64-linux-gnu (and the C++ tests),
#                                x86_64/aarch64-linux-musl (static and shared) and
#                                x86_64-windows-gnu, run under qemu-aarch64 / natively / wine
#                                in the Debian roots
#   tests/cross/cli_vectors.py   each platform's dstoken tool mints every shared sign vector
#                                byte for byte
#   tests/cross/wasm.mjs         dstoken.wasm in Node: no imports, the C ABI exported, every
#                                sign vector byte for byte and every verify vector's status
#   tests/cross/test_artifacts.py  every ELF, PE, ar and wasm file in dist/ and in its archives:
#                                machine, glibc floor, musl static tool, Windows imports
# Every step runs; the script fails at the end if any failed, naming them.
# Needs root (chroot), debootstrap and the network to Debian's mirror the first time. Without
# root it says SKIPPED and exits 0, or fails under CI or DSTOKEN_STRICT_TESTS.
# DSTOKEN_CROSS_PREBUILT=1 tests build/cross and dist/ as they are (no build).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
if [[ $(id -u) -ne 0 ]]; then
  echo "cross: SKIPPED: the Debian roots need root (chroot, mount); nothing was built or run for other platforms"
  if [[ -n "${CI:-}" || -n "${DSTOKEN_STRICT_TESTS:-}" ]]; then
    echo "cross: FAILED: a skip is a failure under CI/DSTOKEN_STRICT_TESTS" >&2
    exit 1
  fi
  exit 0
fi
if [[ -z "${DSTOKEN_CROSS_PREBUILT:-}" ]]; then
  scripts/package.sh cross
  echo "cross: scripts/package.sh cross took $((SECONDS - started)) s"
fi
[[ -x build/venv/bin/python ]] || scripts/bootstrap.sh --part cross

failed=()
step() { # NAME COMMAND...
  local name=$1 t0=$SECONDS
  shift
  echo "== cross: $name"
  if "$@"; then
    echo "cross: $name passed ($((SECONDS - t0)) s)"
  else
    echo "cross: $name FAILED ($((SECONDS - t0)) s)"
    failed+=("$name")
  fi
}
# DSTOKEN_CROSS_TARGETS (as for scripts/package.sh cross) limits the platforms built and tested.
read -r -a targets <<<"${DSTOKEN_CROSS_TARGETS:-$(scripts/cross.sh targets | tr '\n' ' ')}"
for t in "${targets[@]}"; do
  [[ $t == wasm32 ]] && continue
  suite=sid
  [[ $t == aarch64-linux-gnu ]] && suite=trixie
  step "$t C tests" scripts/cross.sh run "$suite" "tests/cross/run-c-tests.sh $t"
  step "$t dstoken tool" python3 tests/cross/cli_vectors.py "$t"
done
if [[ " ${targets[*]} " == *" wasm32 "* ]]; then
  step "wasm32 in Node" node tests/cross/wasm.mjs build/cross/wasm32/dstoken.wasm .
fi
step "dist/ natives" build/venv/bin/python -m pytest -p no:cacheprovider -v tests/cross/test_artifacts.py
echo "cross: took $((SECONDS - started)) s"
if ((${#failed[@]})); then
  echo "cross: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "cross: all passed"
