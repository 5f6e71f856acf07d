#!/usr/bin/env bash
# Builds dstoken's distributable artifacts into dist/. <version> is the crate's (Cargo.toml).
#   dist/dstoken-<version>.tgz   the npm package (bindings/node, `npm pack`, libdstoken inside)
# Any failing step fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[[ -n "$version" ]] || { echo "package.sh: no version in Cargo.toml" >&2; exit 1; }
mkdir -p dist

echo "== libdstoken (cargo build --release)"
cargo build --release --locked
lib="$PWD/target/release/libdstoken.so"

# -- Node: dist/dstoken-<version>.tgz --------------------------------------------------------
echo "== npm package (bindings/node)"
node_version=$(node -p 'require("./bindings/node/package.json").version')
if [[ "$node_version" != "$version" ]]; then
  echo "package.sh: bindings/node/package.json has version $node_version, Cargo.toml $version" >&2
  exit 1
fi
tgz=$(bindings/node/pack.sh "$lib" dist)
[[ "$(basename "$tgz")" == "dstoken-$version.tgz" ]] || { echo "package.sh: npm pack made $tgz" >&2; exit 1; }
echo "$tgz"
