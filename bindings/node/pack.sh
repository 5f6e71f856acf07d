#!/usr/bin/env bash
# Packs the npm package `dstoken` with a libdstoken bundled as native/<platform>-<arch>/ and
# writes DEST/dstoken-<version>.tgz (npm pack); prints the tarball's path. With DSTOKEN_WASM set
# (the wasm32-unknown-unknown build, dist/dstoken.wasm), the package also carries it as
# dstoken.wasm, the core used where no native library fits.
# Usage: [DSTOKEN_WASM=/path/to/dstoken.wasm] bindings/node/pack.sh /path/to/libdstoken.so DEST
# The package is staged in a temporary directory, so the source tree is never changed.
set -euo pipefail
lib=${1:?usage: pack.sh /path/to/libdstoken.so DEST}
dest=${2:?usage: pack.sh /path/to/libdstoken.so DEST}
here=$(cd "$(dirname "$0")" && pwd)
[[ -f "$lib" ]] || { echo "pack.sh: no library at $lib" >&2; exit 1; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$here/package.json" "$here/index.js" "$here/index.d.ts" "$here/native.js" "$here/wasm.js" "$here/schema.js" "$here/README.md" "$stage/"
if [[ -n ${DSTOKEN_WASM:-} ]]; then
  [[ -f $DSTOKEN_WASM ]] || { echo "pack.sh: DSTOKEN_WASM=$DSTOKEN_WASM: no such file" >&2; exit 1; }
  cp "$DSTOKEN_WASM" "$stage/dstoken.wasm"
fi
platform=$(node -p 'process.platform + "-" + process.arch')
mkdir -p "$stage/native/$platform" "$dest"
cp -L "$lib" "$stage/native/$platform/libdstoken.so"
dest=$(cd "$dest" && pwd)
name=$(cd "$stage" && npm pack --silent --pack-destination "$dest" | tail -n 1)
echo "$dest/$name"
