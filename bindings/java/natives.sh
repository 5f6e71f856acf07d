#!/usr/bin/env bash
# Stages the native libraries the jar carries (run by Maven in generate-resources; see pom.xml):
#   <out>/org/dstoken/native/<platform>/libdstoken.so      the C library (cargo build)
#   <out>/org/dstoken/native/<platform>/libdstoken_jni.so  the JNI glue (jni/dstoken_jni.c)
#   <out>/org/dstoken/native/<platform>/natives.properties their SHA-256, checked by the loader
# Usage: natives.sh OUT REVISION JAVA_HOME [LIBDSTOKEN] [LIBDSTOKEN_JNI]
#   LIBDSTOKEN      default: <repo>/target/release/libdstoken.so (built with cargo when missing)
#   LIBDSTOKEN_JNI  default: compiled here with cc against LIBDSTOKEN
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$1" revision="$2" java_home="$3" lib="${4:-}" jni="${5:-}"

version="$(sed -n 's/^version = "\([^"]*\)"/\1/p' "$repo/Cargo.toml" | head -n1)"
if [[ "$revision" != "$version" ]]; then
  echo "natives.sh: the Maven version is '$revision' but Cargo.toml says '$version';" >&2
  echo "  build with: mvn -Drevision=$version ... (scripts/package.sh does)" >&2
  exit 1
fi

# The jar's own version, which the loader compares with the JNI glue it loads.
rm -rf "$out"
mkdir -p "$out/org/dstoken"
echo "version=$version" >"$out/org/dstoken/dstoken.properties"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64 | Linux-amd64) platform=linux-x86_64 ;;
  *)
    echo "natives.sh: no bundled natives for $(uname -s)-$(uname -m); the jar will use the system library" >&2
    exit 0
    ;;
esac

if [[ -z "$lib" ]]; then
  lib="$repo/target/release/libdstoken.so"
  if [[ ! -f "$lib" ]]; then
    echo "natives.sh: $lib is missing: cargo build --release --locked --lib"
    (cd "$repo" && cargo build --release --locked --lib)
  fi
fi
[[ -f "$lib" ]] || { echo "natives.sh: $lib not found" >&2; exit 1; }

dir="$out/org/dstoken/native/$platform"
mkdir -p "$dir"
cp -L "$lib" "$dir/libdstoken.so"
if [[ -n "$jni" ]]; then
  cp -L "$jni" "$dir/libdstoken_jni.so"
else
  # The glue finds libdstoken by its SONAME: the loader loads libdstoken first; $ORIGIN is the
  # fallback for a glue loaded on its own.
  ${CC:-cc} -std=c11 -O2 -fPIC -shared -Wall -Wextra -Wpedantic -Werror -fvisibility=hidden \
    -I"$repo/include" -I"$java_home/include" -I"$java_home/include/linux" \
    -o "$dir/libdstoken_jni.so" "$here/jni/dstoken_jni.c" \
    -L"$dir" -ldstoken -Wl,-rpath,'$ORIGIN'
fi
strip --strip-unneeded "$dir/libdstoken.so" "$dir/libdstoken_jni.so" 2>/dev/null || true

{
  echo "# Written by bindings/java/natives.sh at build time; the loader checks every file against it."
  echo "version=$version"
  echo "libraries=libdstoken.so,libdstoken_jni.so"
  for f in libdstoken.so libdstoken_jni.so; do
    echo "sha256.$f=$(sha256sum "$dir/$f" | cut -d' ' -f1)"
  done
} >"$dir/natives.properties"
echo "natives.sh: staged $platform natives ($(cd "$dir" && du -ch libdstoken.so libdstoken_jni.so | tail -n1 | cut -f1)) in $dir"
