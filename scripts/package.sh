#!/usr/bin/env bash
# Builds dstoken's packages into dist/. <version> is the crate's (Cargo.toml), everywhere.
#   scripts/package.sh            every package this script knows
#   scripts/package.sh java       only the Maven artifacts
# Sections:
#   java     dist/dstoken-<version>.jar (libdstoken and the JNI glue for linux-x86_64 inside),
#            dist/dstoken-<version>-sources.jar, dist/dstoken-<version>-javadoc.jar and
#            dist/dstoken-<version>.pom: org.dstoken:dstoken:<version>, built by Maven from
#            bindings/java (tests are run by scripts/test.sh, not here).
# Any failing step fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' Cargo.toml | head -n1)
[[ -n "$version" ]] || { echo "package.sh: no version in Cargo.toml" >&2; exit 1; }
want=("$@")
((${#want[@]})) || want=(java)
mkdir -p dist

# -- Java: the Maven artifacts -------------------------------------------------------------------
package_java() {
  echo "== Maven artifacts (bindings/java): org.dstoken:dstoken:$version"
  cargo build --release --locked --lib
  local out="$PWD/build/java-dist"
  mvn -B -ntp -f bindings/java/pom.xml -Drevision="$version" -Dmaven.repo.local="$PWD/build/m2" \
    -Ddstoken.native.lib="$PWD/target/release/libdstoken.so" -Ddstoken.build.dir="$out" \
    -DskipTests clean package
  local f
  for f in "dstoken-$version.jar" "dstoken-$version-sources.jar" "dstoken-$version-javadoc.jar" \
           "dstoken-$version.pom"; do
    [[ -f "$out/$f" ]] || { echo "package.sh: Maven made no $f" >&2; exit 1; }
    cp "$out/$f" dist/
    echo "dist/$f"
  done
}

for what in "${want[@]}"; do
  case "$what" in
    java) package_java ;;
    *) echo "package.sh: unknown package '$what' (known: java)" >&2; exit 2 ;;
  esac
done
