#!/usr/bin/env bash
# Builds dstoken's packages into dist/. <version> is the crate's (Cargo.toml), everywhere.
#   scripts/package.sh            every package this script knows
#   scripts/package.sh java       only the Maven artifacts
#   scripts/package.sh python     only the Python wheel
# Sections:
#   java     dist/dstoken-<version>.jar (libdstoken and the JNI glue for linux-x86_64 inside),
#            dist/dstoken-<version>-sources.jar, dist/dstoken-<version>-javadoc.jar and
#            dist/dstoken-<version>.pom: org.dstoken:dstoken:<version>, built by Maven from
#            bindings/java (tests are run by scripts/test.sh, not here).
#   python   dist/dstoken-<version>-py3-none-<platform>.whl: the `dstoken` package
#            (bindings/python) with libdstoken inside, built by hatchling from build/venv
#            (scripts/bootstrap.sh --test installs it) without build isolation.
# Any failing step fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' Cargo.toml | head -n1)
[[ -n "$version" ]] || { echo "package.sh: no version in Cargo.toml" >&2; exit 1; }
want=("$@")
((${#want[@]})) || want=(java python)
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

# -- Python: the wheel ---------------------------------------------------------------------------
venv=build/venv

# The shared library, built and staged by CMake (build/stage/lib/libdstoken.so.<version>);
# DSTOKEN_PREBUILT_LIBRARY names an already built one instead (what the tests under ctest use).
build_library() {
  [[ -z "${DSTOKEN_PREBUILT_LIBRARY:-}" ]] || return 0
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build --target dstoken_cargo -j"$(nproc)" >/dev/null
}

package_python() {
  "$venv/bin/python" -c 'import hatchling' 2>/dev/null || scripts/bootstrap.sh --test
  build_library
  local lib=${DSTOKEN_PREBUILT_LIBRARY:-$PWD/build/stage/lib/libdstoken.so.$version}
  [[ -f "$lib" ]] || { echo "package.sh: $lib is missing" >&2; exit 1; }
  rm -f dist/dstoken-"$version"-*.whl
  # pip wheel builds in place (the version is read from ../../Cargo.toml), with no network.
  DSTOKEN_WHEEL_LIBRARY="$lib" build/venv/bin/python -m pip wheel --quiet --disable-pip-version-check \
    --no-deps --no-build-isolation --no-index -w dist bindings/python
  ls dist/dstoken-"$version"-*.whl
}

for what in "${want[@]}"; do
  case "$what" in
    java) package_java ;;
    python) package_python ;;
    *) echo "package.sh: unknown package '$what' (known: java python)" >&2; exit 2 ;;
  esac
done
