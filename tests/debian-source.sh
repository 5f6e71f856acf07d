#!/usr/bin/env bash
# The Debian source package builds the Debian way: a clean checkout (the files git tracks, as
# in a fresh clone: no build/, target/ or dist/), its build dependencies checked by
# dpkg-checkbuilddeps (scripts/bootstrap.sh --test installs them with `apt-get build-dep ./`),
# then `dpkg-buildpackage -us -uc -b`. The .debs, .buildinfo and .changes are moved to OUTDIR;
# tests/packaging/test_debian.py runs this and tests the packages (lintian: 0 errors, 0 warnings).
#   tests/debian-source.sh OUTDIR
# DSTOKEN_CARGO_DIR (optional) is handed to debian/rules: a cargo target directory whose
# compiled crates the build may reuse (the CMake build's), to save the suite a full compile.
# Cargo gets its crates `--locked` from the registry or CARGO_HOME's cache (debian/rules).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: tests/debian-source.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' "$src/Cargo.toml" | head -n1)
work=$(mktemp -d "${TMPDIR:-/tmp}/dstoken-debsrc.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$work/dstoken-$version
mkdir -p "$tree"
# The tracked files as they are in the work tree (uncommitted edits to them are tested too;
# files git does not track, such as test output, stay out).
(cd "$src" && git ls-files -z --cached | while IFS= read -r -d '' f; do
   [[ -e "$f" || -L "$f" ]] && printf '%s\0' "$f"; done | tar --null -T - -cf -) | tar -xf - -C "$tree"
cd "$tree"
echo "== debian-source: dpkg-checkbuilddeps"
dpkg-checkbuilddeps
echo "== debian-source: dpkg-buildpackage -us -uc -b in a clean copy ($tree)"
started=$SECONDS
if ! dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1; then
  tail -n 60 "$work/build.log" >&2
  echo "debian-source: dpkg-buildpackage failed" >&2
  exit 1
fi
echo "debian-source: dpkg-buildpackage took $((SECONDS - started)) s"
grep -E '^dpkg-deb: building package' "$work/build.log" || true
mv "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes "$out"/
ls "$out"
