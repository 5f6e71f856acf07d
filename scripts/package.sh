#!/usr/bin/env bash
# Builds dstoken's packages into dist/. <version> is the crate's (Cargo.toml), everywhere.
#   scripts/package.sh            every package this script knows
#   scripts/package.sh java       only the Maven artifacts
#   scripts/package.sh python     only the Python wheel
#   scripts/package.sh node       only the npm package
#   scripts/package.sh php        only the Composer artifact
#   scripts/package.sh deb        only the Debian packages
#   scripts/package.sh tarball    only the binary .tar.gz (CPack)
#   scripts/package.sh docs       only the documentation site (dist/docs)
# Sections:
#   java     dist/dstoken-<version>.jar (libdstoken and the JNI glue for linux-x86_64 inside),
#            dist/dstoken-<version>-sources.jar, dist/dstoken-<version>-javadoc.jar and
#            dist/dstoken-<version>.pom: org.dstoken:dstoken:<version>, built by Maven from
#            bindings/java (tests are run by scripts/test.sh, not here).
#   python   dist/dstoken-<version>-py3-none-<platform>.whl: the `dstoken` package
#            (bindings/python) with libdstoken inside, built by hatchling from build/venv
#            (scripts/bootstrap.sh --test installs it) without build isolation.
#   node     dist/dstoken-<version>.tgz: the npm package (bindings/node, `npm pack`, libdstoken
#            inside).
#   php      dist/dstoken-php-<version>.zip: the Composer package dstoken/dstoken (bindings/php)
#            as an artifact: composer.json with its version (an artifact repository needs it),
#            src/, bin/, and libdstoken as native/linux-<arch>/libdstoken.so.<abi> (found first).
#   deb      dist/deb/*.deb for this machine's architecture, built by debhelper from debian/
#            (README "Debian packages"): libdstoken<abi>, libdstoken-dev, libdstoken-java,
#            python3-dstoken, dstoken. Maintainer: DSTOKEN_DEB_MAINTAINER="Name <email>" (or
#            DEBFULLNAME + DEBEMAIL). DSTOKEN_DEB_OUT=<dir> puts them elsewhere.
#   tarball  dist/dstoken-<version>-Linux.tar.gz: everything `cmake --install` installs (libraries,
#            headers, pkg-config and CMake package files, the jar and JNI glue, the CLI with its
#            man pages and completions), made by CPack from the CMake build in build/.
#   docs     dist/docs: the documentation site (docs/, mdBook) with the generated C API and CLI
#            references and the performance chart (scripts/docs/build.sh; mdbook and matplotlib
#            at pinned versions into build/ by scripts/docs/tools.sh).
# Any failing step fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' Cargo.toml | head -n1)
[[ -n "$version" ]] || { echo "package.sh: no version in Cargo.toml" >&2; exit 1; }
want=("$@")
((${#want[@]})) || want=(java python node php deb tarball docs)
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

# -- Node: dist/dstoken-<version>.tgz ------------------------------------------------------------
package_node() {
  echo "== npm package (bindings/node)"
  cargo build --release --locked --lib
  local lib="$PWD/target/release/libdstoken.so"
  local node_version
  node_version=$(node -p 'require("./bindings/node/package.json").version')
  if [[ "$node_version" != "$version" ]]; then
    echo "package.sh: bindings/node/package.json has version $node_version, Cargo.toml $version" >&2
    exit 1
  fi
  local tgz
  tgz=$(bindings/node/pack.sh "$lib" dist)
  [[ "$(basename "$tgz")" == "dstoken-$version.tgz" ]] || { echo "package.sh: npm pack made $tgz" >&2; exit 1; }
  echo "$tgz"
}

# -- PHP: dist/dstoken-php-<version>.zip (a Composer artifact) ---------------------------------
package_php() {
  echo "== Composer artifact (bindings/php): dstoken/dstoken $version"
  build_library
  local lib=${DSTOKEN_PREBUILT_LIBRARY:-$PWD/build/stage/lib/libdstoken.so.$version}
  [[ -f "$lib" ]] || { echo "package.sh: $lib is missing" >&2; exit 1; }
  local php_version
  php_version=$(sed -n "s/^    public const PACKAGE_VERSION = '\(.*\)';$/\1/p" bindings/php/src/Internal/Native.php)
  if [[ "$php_version" != "$version" ]]; then
    echo "package.sh: bindings/php/src/Internal/Native.php has PACKAGE_VERSION $php_version, Cargo.toml $version" >&2
    exit 1
  fi
  local abi arch zip=dist/dstoken-php-$version.zip
  abi=$(echo "$version" | awk -F. '{ print ($1 == "0") ? "0." $2 : $1 }')
  arch=$(uname -m)
  rm -f "$zip"
  # Python's zipfile: always there, and the archive is reproducible (fixed times, sorted names).
  python3 - "$zip" "$version" "$lib" "native/linux-$arch/libdstoken.so.$abi" <<'PY'
import json, os, sys, zipfile
zip_path, version, lib, native = sys.argv[1:]
root = "bindings/php"
meta = json.load(open(f"{root}/composer.json"))
meta["version"] = version
files = {"composer.json": json.dumps(meta, indent=4) + "\n"}
for base in ("src", "bin"):
    for d, _, names in os.walk(f"{root}/{base}"):
        for n in names:
            files[os.path.relpath(os.path.join(d, n), root)] = open(os.path.join(d, n), "rb").read()
files["README.md"] = open(f"{root}/README.md", "rb").read()
files[native] = open(lib, "rb").read()
with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
    for name in sorted(files):
        info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
        executable = name.startswith("bin/") or name == native
        info.external_attr = (0o100755 if executable else 0o100644) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        data = files[name]
        z.writestr(info, data.encode() if isinstance(data, str) else data)
PY
  echo "$zip"
}

# -- Debian: the .debs -------------------------------------------------------------------------
# debhelper (dh, compat 13) rather than CPack: dh_makeshlibs writes symbols/shlibs and the
# ldconfig trigger, dh_strip/dh_fixperms/dh_compress/dh_installchangelogs give what policy asks,
# dh_python3 the Python dependencies - CPack would need custom code for each.
# debian/rules clean + binary is what dpkg-buildpackage -b runs, without its .changes/.buildinfo
# in the parent directory and without dpkg-checkbuilddeps (cargo and the JDK may come from
# rustup or another installer, not from dpkg).
package_deb() {
  "$venv/bin/python" -c 'import hatchling' 2>/dev/null || scripts/bootstrap.sh --test
  command -v dh >/dev/null && command -v dh_python3 >/dev/null || scripts/bootstrap.sh --test
  local out=${DSTOKEN_DEB_OUT:-$PWD/dist/deb}
  echo "== Debian packages ($version) into $out"
  debian/generate
  mkdir -p "$out"
  rm -f "$out"/*.deb
  export DSTOKEN_DEB_OUT=$out DSTOKEN_PYTHON=$PWD/$venv/bin/python
  # debhelper (compat 13) gives the build a fresh HOME: keep rustup's toolchain and cargo's
  # (offline) registry where they are.
  export RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup} CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
  export DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-parallel=$(nproc)}
  debian/rules clean
  debian/rules binary
  debian/rules clean >/dev/null
  ls "$out"/*.deb
}

# -- The binary tarball: CPack over the CMake build ----------------------------------------------
package_tarball() {
  echo "== binary tarball (CPack TGZ)"
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j"$(nproc)" >/dev/null
  (cd build && cpack -G TGZ -B "$PWD/../dist" >/dev/null)
  rm -rf dist/_CPack_Packages
  local f
  f=$(ls dist/dstoken-"$version"-*.tar.gz)
  [[ -f "$f" ]] || { echo "package.sh: CPack made no dist/dstoken-$version-*.tar.gz" >&2; exit 1; }
  echo "$f"
}

# -- The documentation site: dist/docs -----------------------------------------------------------
package_docs() {
  echo "== documentation site (docs/, mdBook) into dist/docs"
  scripts/docs/build.sh
}

for what in "${want[@]}"; do
  case "$what" in
    java) package_java ;;
    python) package_python ;;
    node) package_node ;;
    php) package_php ;;
    deb) package_deb ;;
    tarball) package_tarball ;;
    docs) package_docs ;;
    *) echo "package.sh: unknown package '$what' (known: java python node php deb tarball docs)" >&2; exit 2 ;;
  esac
done
