#!/usr/bin/env bash
# Builds dstoken's packages into dist/. <version> is the crate's (Cargo.toml), everywhere.
#   scripts/package.sh            every package this script knows
#   scripts/package.sh java       only the Maven artifacts
#   scripts/package.sh python     only the Python wheel
#   scripts/package.sh node       only the npm package
#   scripts/package.sh php        only the Composer artifact
#   scripts/package.sh go         only the Go module proxy tree
#   scripts/package.sh deb        only the Debian packages
#   scripts/package.sh tarball    only the binary .tar.gz (CPack)
#   scripts/package.sh docs       only the documentation site (dist/docs)
#   scripts/package.sh floor      only the glibc-2.17 natives (build/floor, see below)
#   scripts/package.sh cross      only the other platforms' natives (scripts/cross.sh; root)
# The glibc floor: every native that a package bundles (the jar's libdstoken and JNI glue, the
# wheel's and the npm package's libdstoken, the Go module's libdstoken.a, the tarball's
# libraries, JNI glue and dstoken tool) is built for x86_64 glibc 2.17 (the manylinux2014
# floor) by cargo-zigbuild (target x86_64-unknown-linux-gnu.2.17) and `zig cc -target
# x86_64-linux-gnu.2.17`, from build/zig (scripts/bootstrap.sh --zig installs Zig and
# cargo-zigbuild from PyPI). Cargo's target directories are build/floor (build/floor-cli for the
# tool); the JNI glue is
# build/floor/jni/libdstoken_jni.so, rustc's native-static-libs build/floor/native-static-libs.txt.
# The Debian packages are the exception: they build against the system's glibc (Debian's way).
# tests/natives.sh checks every shipped ELF file against that floor.
# Sections:
#   java     dist/dstoken-<version>.jar (libdstoken and the JNI glue for linux-x86_64 inside),
#            dist/dstoken-<version>-sources.jar, dist/dstoken-<version>-javadoc.jar and
#            dist/dstoken-<version>.pom: org.dstoken:dstoken:<version>, built by Maven from
#            bindings/java (tests are run by scripts/test.sh, not here).
#   python   dist/dstoken-<version>-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl:
#            the `dstoken` package (bindings/python) with libdstoken inside, built by hatchling
#            from build/venv (scripts/bootstrap.sh --test installs it) without build isolation.
#            With DSTOKEN_PREBUILT_LIBRARY=<libdstoken.so> that library is bundled instead and
#            the wheel is tagged for this platform only (py3-none-linux_x86_64: a test wheel).
#   node     dist/dstoken-<version>.tgz: the npm package (bindings/node, `npm pack`, libdstoken
#            inside).
#   php      dist/dstoken-php-<version>.zip: the Composer package dstoken/dstoken (bindings/php)
#            as an artifact: composer.json with its version (an artifact repository needs it),
#            src/, bin/, and libdstoken as native/linux-<arch>/libdstoken.so.<abi> (found first).
#   go       dist/goproxy/: a module proxy tree (GOPROXY=file://$PWD/dist/goproxy) holding the
#            Go module github.com/dstoken/dstoken/bindings/go at v<version> (@v/list, .info,
#            .mod, .zip) with the floor libdstoken.a and dstoken.h inside, so `go build` needs
#            a C compiler but no Rust and no clone; also its one dependency (golang-jwt, from
#            the module cache) so the tree resolves offline.
#   deb      dist/deb/*.deb for this machine's architecture, built by debhelper from debian/
#            (README "Debian packages"): libdstoken<abi>, libdstoken-dev, libdstoken-java,
#            python3-dstoken, dstoken. DSTOKEN_DEB_OUT=<dir> puts them elsewhere.
#   tarball  dist/dstoken-<version>-Linux.tar.gz: everything `cmake --install` installs (libraries,
#            headers, pkg-config and CMake package files, the jar and JNI glue, the CLI with its
#            man pages and completions), made by CPack from a CMake build at the floor
#            (build/floor-cmake).
#   docs     dist/docs: the documentation site (docs/, mdBook) with the generated C API and CLI
#            references and the performance chart (scripts/docs/build.sh; mdbook and matplotlib
#            at pinned versions into build/ by scripts/docs/tools.sh).
#   cross    the natives for other platforms, built by scripts/cross.sh in Debian roots (root
#            needed; the roots are cached, see there), each as an archive with include/, lib/
#            and bin/ (the dstoken tool) under dstoken-<version>-<platform>/:
#              dist/dstoken-<version>-aarch64-linux-gnu.tar.gz   glibc 2.17 and later, like x86-64
#              dist/dstoken-<version>-x86_64-linux-musl.tar.gz   libdstoken.so for musl systems,
#              dist/dstoken-<version>-aarch64-linux-musl.tar.gz  libdstoken.a, a fully static tool
#              dist/dstoken-<version>-x86_64-windows-gnu.zip     bin/dstoken.dll, bin/dstoken.exe,
#                                                     lib/libdstoken.dll.a (import library),
#                                                     lib/libdstoken.a (MinGW)
#            and dist/dstoken.wasm (wasm32, no imports; docs/src/wasm.md). Not in the default set:
#            it needs root. DSTOKEN_CROSS_TARGETS="t1 t2" builds only those (scripts/cross.sh targets).
# Any failing step fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' Cargo.toml | head -n1)
[[ -n "$version" ]] || { echo "package.sh: no version in Cargo.toml" >&2; exit 1; }
want=("$@")
((${#want[@]})) || want=(java python node php go deb tarball docs)
mkdir -p dist

# -- The glibc 2.17 floor: build/floor ----------------------------------------------------------
floor_target=x86_64-unknown-linux-gnu.2.17
floor=$PWD/build/floor
floor_release=$floor/x86_64-unknown-linux-gnu/release
# The tool in a target directory of its own: `cargo rustc --lib -- --print=...` and the tool's
# build would otherwise recompile each other's libdstoken (their rustc arguments differ).
floor_cli=$PWD/build/floor-cli
zig_bin=$PWD/build/zig/bin

zig_env() {
  [[ -x "$zig_bin/cargo-zigbuild" && -x "$zig_bin/zigcc-floor" ]] || scripts/bootstrap.sh --zig
  case "$PATH" in "$zig_bin":*) ;; *) export PATH="$zig_bin:$PATH" ;; esac
}

# libdstoken.so/.a at the floor, and rustc's native-static-libs for that target into
# build/floor/native-static-libs.txt; the tool and the JNI glue below. Each done once per run.
floor_lib_done=0 floor_cli_done=0 floor_jni_done=0
build_floor_lib() {
  ((floor_lib_done)) && return 0
  zig_env
  echo "== libdstoken at the glibc 2.17 floor (cargo-zigbuild, $floor_target)"
  local log
  log=$(CARGO_TARGET_DIR=$floor nice cargo-zigbuild rustc --release --locked --lib --target "$floor_target" \
          -- --print=native-static-libs 2>&1) || { echo "$log" >&2; exit 1; }
  sed -n 's/.*native-static-libs: //p' <<<"$log" | tail -n1 >"$floor/native-static-libs.txt"
  [[ -s "$floor/native-static-libs.txt" ]] || { echo "$log" >&2; echo "package.sh: rustc reported no native-static-libs" >&2; exit 1; }
  floor_lib_done=1
}

build_floor_cli() {
  ((floor_cli_done)) && return 0
  zig_env
  echo "== the dstoken tool at the glibc 2.17 floor"
  CARGO_TARGET_DIR=$floor_cli nice cargo-zigbuild zigbuild --release --locked -p dstoken-cli --target "$floor_target" --quiet
  floor_cli_done=1
}

# The JNI glue, by zig cc for the floor, linked against the floor libdstoken by its SONAME.
java_home() {
  if [[ -n "${JAVA_HOME:-}" ]]; then echo "$JAVA_HOME"; return; fi
  local javac
  javac=$(command -v javac) || { echo "package.sh: no javac (a JDK 17+) for the JNI glue's headers" >&2; exit 1; }
  dirname "$(dirname "$(readlink -f "$javac")")"
}
build_floor_jni() {
  ((floor_jni_done)) && return 0
  build_floor_lib
  local jh
  jh=$(java_home)
  mkdir -p "$floor/jni"
  cp -L "$floor_release/libdstoken.so" "$floor/jni/libdstoken.so"
  zigcc-floor -std=c11 -O2 -fPIC -shared -Wall -Wextra -Wpedantic -Werror -fvisibility=hidden \
    -I"$PWD/include" -I"$jh/include" -I"$jh/include/linux" \
    -o "$floor/jni/libdstoken_jni.so" bindings/java/jni/dstoken_jni.c \
    -L"$floor/jni" -ldstoken -Wl,-rpath,'$ORIGIN' -Wl,-soname,libdstoken_jni.so
  rm -f "$floor/jni/libdstoken.so"
  floor_jni_done=1
}

package_floor() {
  build_floor_lib
  build_floor_cli
  build_floor_jni
  ls -l "$floor_release/libdstoken.so" "$floor_release/libdstoken.a" "$floor_cli/x86_64-unknown-linux-gnu/release/dstoken" \
    "$floor/jni/libdstoken_jni.so"
}

# -- Java: the Maven artifacts -------------------------------------------------------------------
package_java() {
  echo "== Maven artifacts (bindings/java): org.dstoken:dstoken:$version"
  build_floor_jni
  local out="$PWD/build/java-dist"
  mvn -B -ntp -q -f bindings/java/pom.xml -Drevision="$version" -Dmaven.repo.local="$PWD/build/m2" \
    -Ddstoken.native.lib="$floor_release/libdstoken.so" -Ddstoken.jni.lib="$floor/jni/libdstoken_jni.so" \
    -Ddstoken.build.dir="$out" -DskipTests clean package
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

# The wheel's platform tag at the floor: PEP 600's name and the manylinux2014 alias.
manylinux_tag=manylinux_2_17_x86_64.manylinux2014_x86_64

package_python() {
  "$venv/bin/python" -c 'import hatchling' 2>/dev/null || scripts/bootstrap.sh --test
  local lib platform
  if [[ -n "${DSTOKEN_PREBUILT_LIBRARY:-}" ]]; then
    lib=$DSTOKEN_PREBUILT_LIBRARY platform=""  # hatch_build.py: this platform's own tag
  else
    build_floor_lib
    lib=$floor_release/libdstoken.so platform=$manylinux_tag
  fi
  [[ -f "$lib" ]] || { echo "package.sh: $lib is missing" >&2; exit 1; }
  rm -f dist/dstoken-"$version"-*.whl
  # pip wheel builds in place (the version is read from ../../Cargo.toml), with no network.
  DSTOKEN_WHEEL_LIBRARY="$lib" DSTOKEN_WHEEL_PLATFORM="$platform" \
    build/venv/bin/python -m pip wheel --quiet --disable-pip-version-check \
    --no-deps --no-build-isolation --no-index -w dist bindings/python
  ls dist/dstoken-"$version"-*.whl
}

# -- Node: dist/dstoken-<version>.tgz ------------------------------------------------------------
package_node() {
  echo "== npm package (bindings/node)"
  build_floor_lib
  local lib="$floor_release/libdstoken.so"
  local node_version
  node_version=$(node -p 'require("./bindings/node/package.json").version')
  if [[ "$node_version" != "$version" ]]; then
    echo "package.sh: bindings/node/package.json has version $node_version, Cargo.toml $version" >&2
    exit 1
  fi
  local tgz wasm=""
  # The WebAssembly core, for platforms without a native library, when the build has made it.
  if [[ -f dist/dstoken.wasm ]]; then wasm=$PWD/dist/dstoken.wasm; fi
  tgz=$(DSTOKEN_WASM=$wasm bindings/node/pack.sh "$lib" dist)
  [[ "$(basename "$tgz")" == "dstoken-$version.tgz" ]] || { echo "package.sh: npm pack made $tgz" >&2; exit 1; }
  echo "$tgz"
}

# -- PHP: dist/dstoken-php-<version>.zip (a Composer artifact) ---------------------------------
package_php() {
  echo "== Composer artifact (bindings/php): dstoken/dstoken $version"
  local lib
  if [[ -n "${DSTOKEN_PREBUILT_LIBRARY:-}" ]]; then
    lib=$DSTOKEN_PREBUILT_LIBRARY
  else
    build_floor_lib   # the glibc 2.17 floor, like every other bundled native
    lib=$floor_release/libdstoken.so
  fi
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
# in the parent directory (tests/debian-source.sh runs dpkg-buildpackage itself on a clean
# checkout). A missing build dependency is installed first (scripts/bootstrap.sh --test:
# apt-get build-dep ./).
package_deb() {
  dpkg-checkbuilddeps 2>/dev/null || scripts/bootstrap.sh --test
  local out=${DSTOKEN_DEB_OUT:-$PWD/dist/deb}
  echo "== Debian packages ($version) into $out"
  debian/generate --check
  mkdir -p "$out"
  rm -f "$out"/*.deb
  export DSTOKEN_DEB_OUT=$out
  # debhelper (compat 13) gives the build a fresh HOME: keep rustup's toolchain and cargo's
  # (offline) registry where they are.
  export RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup} CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
  export DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-parallel=$(nproc)}
  debian/rules clean
  debian/rules binary
  debian/rules clean >/dev/null
  ls "$out"/*.deb
}

# -- The binary tarball: CPack over a CMake build at the floor ------------------------------------
# build/floor-cmake: CC is the zig cc wrapper (the JNI glue, and the C example), the Rust
# parts come from cargo-zigbuild into build/floor and build/floor-cli (the same target
# directories as above, so nothing is compiled twice); no tests (BUILD_TESTING=OFF) and no OpenSSL/libjwt benchmark.
# CXX stays this machine's C++ compiler: nothing C++ is installed (the C++ example is only
# built), and zig c++ would first compile its whole libc++ (minutes on a fresh machine).
package_tarball() {
  build_floor_lib
  build_floor_cli
  zig_env
  echo "== binary tarball (CPack TGZ) at the glibc 2.17 floor"
  local b=$PWD/build/floor-cmake
  CC=zigcc-floor cmake -S . -B "$b" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
    -DDSTOKEN_ZIGBUILD_TARGET="$floor_target" -DDSTOKEN_CARGO_TARGET_DIR="$floor" -DDSTOKEN_CLI_TARGET_DIR="$floor_cli" \
    -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON >/dev/null
  # CC: natives.sh (run by Maven for the jar) compiles the jar's JNI glue with it.
  CC=zigcc-floor cmake --build "$b" -j"$(nproc)" >/dev/null
  rm -f dist/dstoken-"$version"-*.tar.gz
  (cd "$b" && cpack -G TGZ -B "$OLDPWD/dist" >/dev/null)
  rm -rf dist/_CPack_Packages
  local f
  f=$(ls dist/dstoken-"$version"-*.tar.gz)
  [[ -f "$f" ]] || { echo "package.sh: CPack made no dist/dstoken-$version-*.tar.gz" >&2; exit 1; }
  echo "$f"
}

# -- Go: a module proxy tree with the prebuilt static library inside -----------------------------
# The module as shipped differs from bindings/go in one file: link_static.go links the floor
# libdstoken.a inside the module (native/linux_amd64/) with rustc's native-static-libs for it,
# and the header comes from include/ inside the module; the tests and testdata stay out.
go_module=github.com/dstoken/dstoken/bindings/go
package_go() {
  build_floor_lib
  echo "== Go module proxy tree (dist/goproxy): $go_module v$version"
  local stage=$PWD/build/go-module root f
  rm -rf "$stage"
  root=$stage/$go_module@v$version
  mkdir -p "$root/include" "$root/native/linux_amd64"
  for f in bindings/go/*.go bindings/go/*.c bindings/go/*.h bindings/go/go.mod bindings/go/go.sum; do
    case "$f" in *_test.go | */link_static.go) continue ;; esac
    cp "$f" "$root/"
  done
  cp include/dstoken.h "$root/include/"
  # wasm/: what CGO_ENABLED=0 builds embed (wasm.go); the directory must exist for go:embed.
  # dstoken.wasm goes in beside its README when the build has made it (dist/dstoken.wasm).
  mkdir -p "$root/wasm"
  cp bindings/go/wasm/README.md "$root/wasm/"
  if [[ -f dist/dstoken.wasm ]]; then cp dist/dstoken.wasm "$root/wasm/"; fi
  cp "$floor_release/libdstoken.a" "$root/native/linux_amd64/libdstoken.a"
  strip --strip-debug "$root/native/linux_amd64/libdstoken.a"
  cat >"$root/link_static.go" <<EOF
//go:build !dstoken_pkgconfig

package dstoken

// Written by scripts/package.sh go: the module ships libdstoken.a, built for x86-64 glibc 2.17
// and later (cargo-zigbuild), with its header, so building needs a C compiler but no Rust. The
// system libraries after it are rustc's native-static-libs for that build. Other platforms:
// build with -tags dstoken_pkgconfig against an installed dstoken (link_pkgconfig.go).

/*
#cgo CFLAGS: -I\${SRCDIR}/include
#cgo linux,amd64 LDFLAGS: \${SRCDIR}/native/linux_amd64/libdstoken.a $(cat "$floor/native-static-libs.txt")
*/
import "C"
EOF
  gofmt -l "$root" | grep . && { echo "package.sh: the staged Go module is not gofmt-clean" >&2; exit 1; }
  local proxy=$PWD/dist/goproxy
  rm -rf "$proxy"
  python3 scripts/goproxy.py module "$stage" "$proxy" "$go_module" "v$version" \
    "$(git log -1 --format=%cI 2>/dev/null || date -u +%FT%TZ)"
  # Its requirements (golang-jwt, which only its tests use) as the module cache holds them.
  (cd bindings/go && go mod download -json) | python3 scripts/goproxy.py deps "$proxy"
  echo "dist/goproxy ($(du -sh "$proxy" | cut -f1)): GOPROXY=file://$proxy"
}

# -- Other platforms: dist/dstoken-<version>-<platform>.{tar.gz,zip}, dist/dstoken.wasm ----------
package_cross() {
  local targets t
  read -r -a targets <<<"${DSTOKEN_CROSS_TARGETS:-$(scripts/cross.sh targets | tr '\n' ' ')}"
  scripts/cross.sh build "${targets[@]}"
  local abi
  abi=$(echo "$version" | awk -F. '{ print ($1 == "0") ? "0." $2 : $1 }')
  for t in "${targets[@]}"; do
    rm -f "dist/dstoken-$version-$t".*
    if [[ $t == wasm32 ]]; then
      cp build/cross/wasm32/dstoken.wasm dist/dstoken.wasm
      echo "dist/dstoken.wasm"
      continue
    fi
    # Python's tarfile and zipfile: reproducible archives (fixed times and owners, sorted names).
    python3 - "$t" "$version" "$abi" <<'PY'
import io, os, sys, tarfile, zipfile
t, version, abi = sys.argv[1:]
src, top = f"build/cross/{t}", f"dstoken-{version}-{t}"
files = {"include/dstoken.h": "include/dstoken.h", "include/dstoken.hpp": "include/dstoken.hpp",
         "README.md": "README.md", "CHANGELOG.md": "CHANGELOG.md"}
links = {}
if t.endswith("windows-gnu"):
    for name, where in (("dstoken.dll", "bin"), ("dstoken.exe", "bin"), ("libdstoken.dll.a", "lib"),
                        ("libdstoken.a", "lib")):
        files[f"{where}/{name}"] = f"{src}/{name}"
else:
    files[f"lib/libdstoken.so.{abi}"] = f"{src}/libdstoken.so"
    links["lib/libdstoken.so"] = f"libdstoken.so.{abi}"
    files["lib/libdstoken.a"] = f"{src}/libdstoken.a"
    files["bin/dstoken"] = f"{src}/dstoken"
def mode(name):
    return 0o755 if name.startswith("bin/") or ".so" in name or name.endswith(".dll") else 0o644
if t.endswith("windows-gnu"):
    with zipfile.ZipFile(f"dist/{top}.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{top}/{name}", (2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode(name)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, open(files[name], "rb").read())
    print(f"dist/{top}.zip")
else:
    with tarfile.open(f"dist/{top}.tar.gz", "w:gz", format=tarfile.PAX_FORMAT) as tar:
        def add(info, data=None):
            info.mtime, info.uid, info.gid, info.uname, info.gname = 1577836800, 0, 0, "root", "root"
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
        for d in ("bin", "include", "lib"):
            info = tarfile.TarInfo(f"{top}/{d}"); info.type, info.mode = tarfile.DIRTYPE, 0o755; add(info)
        for name in sorted(set(files) | set(links)):
            info = tarfile.TarInfo(f"{top}/{name}")
            if name in links:
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, links[name], 0o777
                add(info)
            else:
                data = open(files[name], "rb").read()
                info.size, info.mode = len(data), mode(name)
                add(info, data)
    print(f"dist/{top}.tar.gz")
PY
  done
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
    go) package_go ;;
    tarball) package_tarball ;;
    docs) package_docs ;;
    floor) package_floor ;;
    cross) package_cross ;;
    *) echo "package.sh: unknown package '$what' (known: java python node php go deb tarball docs floor cross)" >&2; exit 2 ;;
  esac
done
