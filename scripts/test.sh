#!/usr/bin/env bash
# The whole test suite: Rust unit and C-ABI tests (cargo test), then through CMake/ctest the C
# and C++ tests, the example, their valgrind runs and the PyJWT cross-checks, the PHP binding's
# PHPUnit tests (php_phpunit: vectors, php-fpm, the Composer artifact), the Go binding's go vet +
# go test -race, the packages' natives at the glibc 2.17 floor (tests/natives.sh: ELF check,
# auditwheel, fresh installs, Go from a file proxy, Debian 11 chroot) and the documentation
# (tests/docs/run.sh), then the other platforms (tests/cross.sh: aarch64 and musl Linux, Windows,
# wasm32, built in cached Debian roots and run under qemu-user and wine). Installs what is missing first (scripts/bootstrap.sh). Any failing step
# fails the script.
#
# Usage: scripts/test.sh             everything, in the order above (the README's test command, .ci/run)
#        scripts/test.sh PART...     only those parts, in the order given
#        scripts/test.sh --list      the parts and what each needs
# A part installs only what it needs (scripts/bootstrap.sh --part PART) and builds what it needs
# itself (the CMake build is incremental). Debian packages are installed only when missing, and
# only `packages` needs Debian's packaging tools and debootstrap's chroot, hence root:
#   rust      cargo fmt --check, clippy, cargo test (with the CLI's, PyJWT from build/venv), the
#             benchmarks once, the published benchmark numbers against their committed data
#             (bench/report.py check), the fuzzing smoke run. Needs: Rust (stable, rustfmt,
#             clippy), python3.
#   c         the CMake build; ctest for everything but the language tests: C, C++, the examples,
#             valgrind, ASan/UBSan/TSan. Needs: cmake, make, pkg-config, valgrind, a C/C++ compiler.
#   java      the CMake build (the staged library, the JNI glue, the jar); ctest -R java: Maven +
#             JUnit, the consumer project, JMH once, the Java example. Needs: a JDK, Maven.
#   python    the CMake build; ctest: PyJWT cross-checks (with the property tests' vectors), the
#             installed wheel. Needs: python3 (build/venv, build/wheelhouse from PyPI).
#   php       the CMake build; ctest: PHPUnit, the Key lifetime under valgrind, the benchmark once.
#             Needs: PHP with FFI, php-fpm, phpunit, composer, valgrind, build/venv (PyJWT).
#   go        the library (cargo, CMake's staged copy); go vet, go test -race (cgo); CGO_ENABLED=0
#             go test (the WebAssembly core under wazero); the CGO_ENABLED=0 test program cross-built
#             for linux/arm64 (qemu-aarch64) and windows/amd64 (wine) running the vectors.
#             Needs: Go, cmake, qemu-user, wine, mingw-w64 (a test-only DLL for wine), dstoken.wasm.
#   node      the library (CMake's staged copy); node --test, once per backend (koffi, WebAssembly).
#             Needs: Node and npm, cmake, dstoken.wasm.
#   dstoken.wasm (the core built for wasm32-unknown-unknown) is $DSTOKEN_WASM, else dist/dstoken.wasm
#   (scripts/package.sh builds it). Without it the go and node parts run only the native backend,
#   and under CI they fail.
#   packages  the CMake build; tests/natives.sh (every package at the glibc 2.17 floor, Debian 11
#             chroot) and ctest packaging (.deb, lintian, install, consumers). Needs: everything
#             above, Debian's packaging tools, debootstrap, build/zig; root (or sudo).
#   docs      the CMake build; tests/docs/run.sh (the site, links, every example, chromium).
#             Needs: every language's tools (not Debian packaging), the site tools it fetches.
#   cross     tests/cross.sh: scripts/package.sh cross (aarch64-linux-gnu at glibc 2.17,
#             x86_64/aarch64-linux-musl, x86_64-windows-gnu, wasm32, built in Debian roots
#             cached under build/chroots or $DSTOKEN_CHROOT_DIR), then the C and C++ tests under
#             qemu-aarch64 and wine, each platform's tool on the shared vectors, dstoken.wasm in
#             Node, every native in dist/. Needs: root, debootstrap, Node, build/zig, build/venv.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

parts=(rust c java python php go node packages docs cross)
declare -A needs=(
  [rust]="Rust (stable, rustfmt, clippy), python3 for build/venv (PyJWT, the CLI's tests)"
  [c]="cmake, make, pkg-config, valgrind, a C/C++ compiler, Rust"
  [java]="cmake, a JDK, Maven (Maven Central into build/m2), Rust"
  [python]="cmake, python3 (build/venv, build/wheelhouse from PyPI), Rust"
  [php]="cmake, PHP with FFI, php-fpm, phpunit, composer, valgrind, build/venv, Rust"
  [go]="cmake, Go (modules from the Go proxy), Rust, qemu-user, wine, mingw-w64, dstoken.wasm"
  [node]="cmake, Node and npm (npm ci), Rust, dstoken.wasm"
  [packages]="root (or sudo): Debian packaging tools, debootstrap; build/zig; every language above"
  [docs]="every language above except Debian packaging; the site tools tests/docs/run.sh fetches"
  [cross]="root: debootstrap (Debian's mirror, the first time), Node, build/zig, build/venv"
)
declare -A what=(
  [rust]="cargo fmt, clippy, cargo test (incl. the CLI), benchmarks once, benchmark data check, fuzzing smoke run"
  [c]="CMake build; ctest: C, C++, examples, valgrind and sanitizer runs"
  [java]="CMake build; ctest -R java: Maven + JUnit, consumer project, JMH once, the example"
  [python]="CMake build; ctest: PyJWT cross-checks, the installed wheel"
  [php]="CMake build; ctest: PHPUnit, Key lifetime under valgrind, benchmark once"
  [go]="the library; go vet, go test -race; CGO_ENABLED=0 go test (wasm); arm64 (qemu) and windows (wine) runs"
  [node]="the library; node --test with koffi, then with the WebAssembly core"
  [packages]="CMake build; tests/natives.sh, ctest packaging"
  [docs]="CMake build; tests/docs/run.sh"
  [cross]="tests/cross.sh: other platforms' packages, their tests under qemu/wine/Node"
)

usage() {
  echo "usage: scripts/test.sh [--list | PART...]   (no PART: everything)"
  echo "parts: ${parts[*]}"
}
list_parts() {
  local p
  for p in "${parts[@]}"; do
    printf '%-9s %s\n%-9s needs: %s\n' "$p" "${what[$p]}" "" "${needs[$p]}"
  done
}

# -- Steps, each written once; the whole run and the parts call them ------------------------------

rust_checks() {
  echo "== one schema: the generated tables match schema/dstoken.json, and no binding repeats the core's messages"
  python3 scripts/schema/gen.py --check
  python3 tests/schema/no_core_text.py

  echo "== cargo fmt --check, clippy"
  cargo fmt --check
  cargo clippy --workspace --all-targets --locked --quiet -- -D warnings

  echo "== cargo test"
  cargo test --locked

  echo "== cargo test: the dstoken command-line tool (cli/; PyJWT from build/venv)"
  DSTOKEN_PYTHON="$PWD/build/venv/bin/python" cargo test --locked -p dstoken-cli

  echo "== benchmarks, once each with a tiny N (they are not timed tests)"
  cargo test --locked -p dstoken-bench --benches --quiet
  cargo run --locked -q -p dstoken-bench --bin profile_loop -- sign_into 10
  cargo run --locked -q -p dstoken-bench --bin mint_ratio -- 10 1
  cargo run --locked -q -p dstoken-bench --bin verify_ratio -- 5

  echo "== benchmark data: every number of README.md and docs/src/performance.md is generated from the"
  echo "   committed run in bench/results/ (bench/report.py check; no benchmark runs), and the report's checks"
  build/venv/bin/python bench/report.py check
  build/venv/bin/python -m pytest -q -p no:cacheprovider bench/test_report.py

  echo "== fuzzing smoke run: every libFuzzer target for 20 s (fuzz/run.sh; longer: fuzz/run.sh 3600)"
  fuzz/run.sh "${DSTOKEN_FUZZ_SECONDS:-20}"
}

# The CMake configure step. The whole run makes every missing prerequisite a configure error
# (DSTOKEN_STRICT_TESTS=ON); a part installs only its own, so it configures without that and
# its ctest run fails instead when none of its tests exist (--no-tests=error).
cmake_configure() {
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DDSTOKEN_STRICT_TESTS="$strict" \
    -DDSTOKEN_PYTHON="$PWD/build/venv/bin/python" >/dev/null
}

# cmake_build [TARGET...]: configure, then build everything or only those targets.
cmake_build() {
  echo "== cmake build${1:+ ($*)}"
  cmake_configure
  if (($#)); then
    cmake --build build -j"$jobs" --target "$@"
  else
    cmake --build build -j"$jobs"
  fi
}

# wasm_module: prints the path of dstoken.wasm (the core built for wasm32-unknown-unknown):
# $DSTOKEN_WASM, else dist/dstoken.wasm. When there is none: under CI a failure saying how to
# build it (status 2: the caller exits); otherwise a notice (status 1), and the caller runs the
# native backend only.
wasm_module() {
  local w=${DSTOKEN_WASM:-$PWD/dist/dstoken.wasm}
  if [[ -f $w ]]; then
    echo "$w"
    return 0
  fi
  echo "test.sh: no WebAssembly core at $w. Build it with scripts/package.sh (it writes dist/dstoken.wasm:" >&2
  echo "  the core for wasm32-unknown-unknown), or set DSTOKEN_WASM=/path/to/dstoken.wasm." >&2
  if [[ -n ${CI:-} ]]; then
    echo "test.sh: under CI the WebAssembly runs are required: failing." >&2
    return 2
  fi
  echo "test.sh: NOT RUN: the WebAssembly backend's tests (not under CI)." >&2
  return 1
}

go_wasm_tests() {
  local wasm=$1
  echo "== Go binding, CGO_ENABLED=0: go vet; go test with the WebAssembly core under wazero ($wasm)"
  (cd bindings/go && CGO_ENABLED=0 go vet . && CGO_ENABLED=0 DSTOKEN_WASM="$wasm" go test -count=1 .)
  echo "== Go binding, CGO_ENABLED=0, cross-built: the vectors and the WebAssembly tests on linux/arm64"
  echo "   (qemu-aarch64) and windows/amd64 (wine), with the module embedded (bindings/go/wasm/dstoken.wasm)"
  local out=$PWD/build/go-cross
  mkdir -p "$out"
  cp "$wasm" bindings/go/wasm/dstoken.wasm
  (cd bindings/go &&
    CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go test -c -o "$out/dstoken-linux-arm64.test" . &&
    CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go test -c -o "$out/dstoken-windows-amd64.test.exe" .)
  # Debian 12's wine 8.0 has no bcryptprimitives.dll, which Go's runtime loads from system32:
  # a test-only stand-in (tests/wine/bcryptprimitives.c) goes into a wine prefix of the build's own.
  x86_64-w64-mingw32-gcc -O2 -shared -o "$out/bcryptprimitives.dll" tests/wine/bcryptprimitives.c -ladvapi32
  export WINEPREFIX=$out/wineprefix WINEDEBUG=-all
  [[ -d $WINEPREFIX/drive_c/windows/system32 ]] || wineboot -i >/dev/null 2>&1
  cp "$out/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
  # The embedded module, not DSTOKEN_WASM, is what these runs use.
  (cd bindings/go && env -u DSTOKEN_WASM qemu-aarch64 "$out/dstoken-linux-arm64.test" -test.run 'Vector|Wasm' -test.v |
    grep -E '^(--- |PASS|FAIL|ok)' && echo "linux/arm64 (qemu-aarch64): passed")
  (cd bindings/go && env -u DSTOKEN_WASM wine "$out/dstoken-windows-amd64.test.exe" -test.run 'Vector|Wasm' -test.v |
    grep -E '^(--- |PASS|FAIL|ok)' && echo "windows/amd64 (wine): passed")
}

go_tests() {
  echo "== Go binding (bindings/go): go vet; go test -race with the shared vectors, golang-jwt, fuzz seeds,"
  echo "   a fresh consumer module (static link and pkg-config), benchmarks once"
  python3 scripts/schema/gen.py --check  # bindings/go/schema_gen.go is the schema's
  cargo build --release --locked --lib   # target/release/libdstoken.a, which the Go package links
  (cd examples/go && go vet ./...)
  (cd bindings/go && go vet ./... &&
    DSTOKEN_NATIVE_STATIC_LIBS_FILE="$PWD/../../build/stage/native-static-libs.txt" \
      go test -race -count=1 -bench . -benchtime=1x .)
  local wasm st=0
  wasm=$(wasm_module) || st=$?
  ((st != 2)) || exit 1
  ((st != 0)) || go_wasm_tests "$wasm"
}

node_tests() {
  echo "== Node binding (bindings/node): node --test, jsonwebtoken/jose cross-checks, vectors, npm pack + install in a fresh project"
  node_lib="$PWD/build/stage/lib/libdstoken.so"
  local wasm st=0
  wasm=$(wasm_module) || st=$?
  ((st != 2)) || exit 1
  ((st == 0)) || wasm=""
  echo "== Node binding: its generated tables (bindings/node/schema.js) match schema/dstoken.json"
  python3 scripts/schema/gen.py --check
  echo "== Node binding with the native library through koffi (DSTOKEN_BACKEND=native)"
  (cd bindings/node && env DSTOKEN_BACKEND=native DSTOKEN_LIBRARY="$node_lib" ${wasm:+DSTOKEN_WASM="$wasm"} \
    node --expose-gc --test test/*.test.js)
  if [[ -n $wasm ]]; then
    echo "== Node binding with the WebAssembly core (DSTOKEN_BACKEND=wasm, $wasm)"
    (cd bindings/node && DSTOKEN_BACKEND=wasm DSTOKEN_LIBRARY="$node_lib" DSTOKEN_WASM="$wasm" \
      node --expose-gc --test test/*.test.js)
  fi
}

natives_tests() {
  echo "== natives at the glibc 2.17 floor (tests/natives.sh): scripts/package.sh java python node php go tarball,"
  echo "   every shipped ELF file <= GLIBC_2.17, auditwheel show, fresh installs, a new Go module from"
  echo "   GOPROXY=file://dist/goproxy, then the natives chrooted in Debian 11 bullseye (tests/oldglibc.sh)"
  tests/natives.sh
}

cross_tests() {
  echo "== other platforms (tests/cross.sh): scripts/package.sh cross in Debian roots (aarch64 glibc 2.17,"
  echo "   musl x86_64/aarch64, Windows x86_64, wasm32); C/C++ tests under qemu-aarch64 and wine, each"
  echo "   platform's dstoken tool and dstoken.wasm on the shared vectors, every native in dist/"
  tests/cross.sh
}

docs_tests() {
  echo "== documentation (tests/docs/run.sh): the site builds, links resolve, every README/docs example runs"
  echo "   against the built library, the package READMEs match the site, the pages render in chromium"
  tests/docs/run.sh
}

# The ctest tests that belong to a language part (or to packages); the c part runs the others.
# The Maven (Surefire/JUnit), pytest and PHPUnit runs are shown in full (-V) so their own
# summaries appear.
verbose='^(java_maven|java_consumer|python_pyjwt|python_wheel|php_phpunit|packaging)$'
language_tests='^(java_.*|example_room_token_java|proptest_vectors|python_.*|php_.*|bench_php_smoke|packaging)$'

# ctest_part LABEL VERBOSE_REGEX QUIET_REGEX [EXCLUDE_REGEX]: the part's -V tests first, then the
# rest quietly; either regex may be empty. Fixture setups (java_maven for the tests that need the
# installed artifact) already ran in the -V pass, so the quiet pass does not repeat them (-FS).
ctest_part() {
  local label=$1 loud=$2 quiet=$3 exclude=${4:-}
  if [[ -n "$loud" ]]; then
    echo "== ctest -V -R '$loud' ($label)"
    ctest --test-dir build --output-on-failure --no-tests=error -V -R "$loud"
  fi
  if [[ -n "$quiet" ]]; then
    local shown="-R '$quiet'"
    [[ -z "$exclude" ]] || shown+=" -E '$exclude'"
    echo "== ctest $shown ($label)"
    local args=(--test-dir build --output-on-failure --no-tests=error -j"$jobs" -R "$quiet")
    [[ -z "$exclude" ]] || args+=(-E "$exclude")
    [[ -z "$loud" ]] || args+=(-FS '.*')
    ctest "${args[@]}"
  fi
}

# -- The whole suite, exactly in its historical order ---------------------------------------------

run_all() {
  strict=ON
  scripts/bootstrap.sh --test
  rust_checks

  echo "== cmake build"
  cmake_configure
  cmake --build build -j"$jobs"

  # The WebAssembly core (dist/dstoken.wasm), which the Go and Node runs need under CI: built in a
  # Debian sid root (scripts/cross.sh; cached under build/chroots or DSTOKEN_CHROOT_DIR).
  echo "== the WebAssembly core: scripts/package.sh cross for wasm32"
  DSTOKEN_CROSS_TARGETS=wasm32 scripts/package.sh cross

  go_tests

  echo "== ctest: C, C++, examples; valgrind and sanitizer runs"
  ctest --test-dir build --output-on-failure -j"$jobs" -E "$verbose"
  echo "== ctest: Maven + JUnit (Java binding, consumer project), pytest (PyJWT independent verification, the installed Python wheel, packaging incl. the Debian packages and lintian), PHPUnit (PHP binding: vectors, php-fpm, Composer artifact)"
  ctest --test-dir build --output-on-failure -V -R "$verbose"


  node_tests
  natives_tests
  docs_tests
  # The other platforms (aarch64, musl, Windows) are built and tested by `scripts/test.sh cross`
  # only: the musl and Windows builds rebuild Rust's std (-Z build-std), about an hour from cold
  # on two cores, beyond this run's budget. The WebAssembly core is built above and runs in the
  # Go and Node parts.
}

# -- One part -------------------------------------------------------------------------------------

run_part() {
  local part=$1
  echo "=== part: $part (needs ${needs[$part]})"
  strict=OFF
  scripts/bootstrap.sh --part "$part"
  case "$part" in
    rust) rust_checks ;;
    c)
      echo "== generated tables match schema/dstoken.json (scripts/schema/gen.py --check)"
      python3 scripts/schema/gen.py --check
      cmake_build
      ctest_part "C, C++, examples; valgrind and sanitizer runs" "" '.*' "$language_tests" ;;
    java)
      echo "== the generated tables (Status, Reason, Argument .java) match schema/dstoken.json"
      python3 scripts/schema/gen.py --check
      cmake_build
      ctest_part "Java: Maven + JUnit, consumer project; JMH once, the example" '^(java_maven|java_consumer)$' \
        '^(java_jmh_quick|example_room_token_java)$' ;;
    python)
      python3 scripts/schema/gen.py --check  # bindings/python/dstoken/_schema.py is the schema's
      cmake_build
      ctest_part "Python: PyJWT cross-checks, the installed wheel" '^(python_pyjwt|python_wheel)$' "" ;;
    php)
      # The binding's generated tables (src/Internal/Schema.php) match schema/dstoken.json.
      python3 scripts/schema/gen.py --check
      cmake_build
      ctest_part "PHP: PHPUnit; the Key lifetime under valgrind, the benchmark once" '^php_phpunit$' '^(php_key_lifetime_valgrind|bench_php_smoke)$' ;;
    go)
      cmake_build dstoken_cargo
      go_tests ;;
    node)
      cmake_build dstoken_cargo
      node_tests ;;
    packages)
      cmake_build
      natives_tests
      ctest_part "packaging: the Debian packages, lintian, install, consumers" '^packaging$' "" ;;
    docs)
      cmake_build
      docs_tests ;;
    cross)
      cross_tests ;;
  esac
  echo "=== part $part passed"
}

if (($# == 0)); then
  run_all
  exit 0
fi
for arg in "$@"; do
  case "$arg" in
    --list) list_parts; exit 0 ;;
    -h|--help) usage; exit 0 ;;
  esac
  if [[ -z "$arg" || -z "${needs[$arg]+set}" ]]; then
    echo "scripts/test.sh: unknown part '$arg'" >&2
    usage >&2
    exit 2
  fi
done
for arg in "$@"; do
  run_part "$arg"
done
