#!/usr/bin/env bash
# The packages' natives at the glibc 2.17 floor: builds the jar, the wheel, the npm
# tarball, the Composer artifact, the Go module proxy tree and the binary tarball (scripts/package.sh, cargo-zigbuild
# and zig cc from build/zig), then
#   tests/natives/test_natives.py  every shipped ELF file (<= GLIBC_2.17, manylinux2014
#                                  libraries only), auditwheel show, and each package installed
#                                  as its users install it (fresh venv + the Python tests, the
#                                  Java example on the jar, a fresh npm project, the tarball's
#                                  CLI, a brand-new Go module via GOPROXY=file://dist/goproxy)
#   tests/oldglibc.sh              the same natives chrooted in Debian 11 (glibc 2.31), or a
#                                  plain SKIPPED line when debootstrap cannot fetch it
# DSTOKEN_NATIVES_PREBUILT=1 skips the package build (dist/ as it is).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --zig
# The Debian 11 root (debootstrap, network-bound) is made while the packages build.
mkdir -p build/oldglibc
tests/oldglibc.sh --prepare >build/oldglibc/prepare.log 2>&1 &
prepare=$!
if [[ -z "${DSTOKEN_NATIVES_PREBUILT:-}" ]]; then
  started=$SECONDS
  scripts/package.sh java python node php go tarball
  echo "natives: scripts/package.sh java python node php go tarball took $((SECONDS - started)) s"
fi
build/venv/bin/python -m pytest -p no:cacheprovider -v -s tests/natives
started=$SECONDS
wait "$prepare" || true  # a failed fetch: tests/oldglibc.sh below says SKIPPED, or retries
cat build/oldglibc/prepare.log
tests/oldglibc.sh
echo "natives: tests/oldglibc.sh took $((SECONDS - started)) s"
