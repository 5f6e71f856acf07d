#!/usr/bin/env bash
# Inside a Debian root (scripts/cross.sh run SUITE ...), from /src: compiles tests/c (and, for
# aarch64-linux-gnu, tests/cpp) for TARGET against its natives in build/cross/TARGET and runs
# each program under the target's emulator. Every program must exit 0. Prints one line per
# program and a closing "TARGET C tests: N passed, M failed" line; exits 1 if any failed.
#   aarch64-linux-gnu    Debian's aarch64-linux-gnu-gcc/g++, qemu-aarch64 -L /usr/aarch64-linux-gnu;
#                        every C test and the C++ tests against libdstoken.so, test_mint and
#                        test_cpp_mint also against libdstoken.a
#   x86_64-linux-musl    zig cc (musl); every C test linked fully static with libdstoken.a and
#   aarch64-linux-musl   again against libdstoken.so through Debian's musl loader; aarch64
#                        under qemu-aarch64
#   x86_64-windows-gnu   mingw-w64 gcc, wine; the C tests that build for Windows (the stack
#                        tests read ELF program headers and use POSIX stacks), against
#                        dstoken.dll, and test_mint against libdstoken.a too
# usage: tests/cross/run-c-tests.sh TARGET
set -uo pipefail
t=${1:?usage: run-c-tests.sh TARGET}
lib=build/cross/$t
out=build/cross/tests/$t
rm -rf "$out"
mkdir -p "$out"
export DSTOKEN_VECTORS=/src/tests/vectors/vectors.json
cflags=(-std=c11 -O2 -Wall -Wextra -Wpedantic -Werror -Iinclude -Itests/c)
cxxflags=(-std=c++17 -O2 -Wall -Wextra -Wpedantic -Werror -Iinclude -Itests/c -Itests/cpp)
linux_tests=(claims sign verify misc threads mint exit small_stack stack_secrets)
pass=0 fail=0 failed=""

# run_one NAME ENV... -- COMMAND...: runs a test program, records its result
run_one() {
  local name=$1 envs=() rc log=$out/$1.log
  shift
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" timeout 600 "$@" >"$log" 2>&1
  rc=$?
  if ((rc == 0)); then
    pass=$((pass + 1))
    echo "ok   $name: $(tr -d '\r' <"$log" | sed '/^\s*$/d' | tail -n1)"
  else
    fail=$((fail + 1)) failed+=" $name"
    echo "FAIL $name (exit $rc):"
    tr -d '\r' <"$log" | grep -v '^ok' | tail -n 15 | sed 's/^/     /'
  fi
}
# build NAME COMMAND...: a compile that fails counts as a failed test
build() {
  local name=$1
  shift
  if ! "$@" >"$out/$name.cc.log" 2>&1; then
    fail=$((fail + 1)) failed+=" $name(build)"
    echo "FAIL $name: does not build:"
    head -n 15 "$out/$name.cc.log" | sed 's/^/     /'
    return 1
  fi
}

case "$t" in
  aarch64-linux-gnu)
    cc=aarch64-linux-gnu-gcc cxx=aarch64-linux-gnu-g++
    run=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
    cp "$lib/libdstoken.so" "$out/"
    soname=$(aarch64-linux-gnu-readelf -d "$lib/libdstoken.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
    ln -sf libdstoken.so "$out/$soname"
    for a in "${linux_tests[@]}"; do
      build "test_$a" $cc "${cflags[@]}" -o "$out/test_$a" "tests/c/test_$a.c" -L"$out" -ldstoken -lpthread -Wl,-rpath,'$ORIGIN' &&
        run_one "test_$a" DSTOKEN_EXPECT_SHARED=1 -- "${run[@]}" "$out/test_$a"
    done
    # rustc's native-static-libs for this target: what a static link of libdstoken.a needs
    build test_mint_static $cc "${cflags[@]}" -o "$out/test_mint_static" tests/c/test_mint.c "$lib/libdstoken.a" \
      -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc && run_one test_mint_static -- "${run[@]}" "$out/test_mint_static"
    build cxx_header $cxx "${cxxflags[@]}" -o "$out/cxx_header" tests/c/header_cxx.cpp -L"$out" -ldstoken -Wl,-rpath,'$ORIGIN' &&
      run_one cxx_header -- "${run[@]}" "$out/cxx_header"
    for v in cpp cpp_noexcept; do
      extra=(); [[ $v == cpp_noexcept ]] && extra=(-fno-exceptions)
      build "test_$v" $cxx "${cxxflags[@]}" "${extra[@]}" -o "$out/test_$v" "tests/cpp/test_$v.cpp" -L"$out" -ldstoken -lpthread -Wl,-rpath,'$ORIGIN' &&
        run_one "test_$v" -- "${run[@]}" "$out/test_$v"
      build "test_${v/cpp/cpp_mint}" $cxx "${cxxflags[@]}" "${extra[@]}" -o "$out/test_${v/cpp/cpp_mint}" tests/cpp/test_cpp_mint.cpp -L"$out" -ldstoken -Wl,-rpath,'$ORIGIN' &&
        run_one "test_${v/cpp/cpp_mint}" -- "${run[@]}" "$out/test_${v/cpp/cpp_mint}"
    done
    build test_cpp_mint_static $cxx "${cxxflags[@]}" -o "$out/test_cpp_mint_static" tests/cpp/test_cpp_mint.cpp "$lib/libdstoken.a" \
      -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc && run_one test_cpp_mint_static -- "${run[@]}" "$out/test_cpp_mint_static"
    ;;
  x86_64-linux-musl | aarch64-linux-musl)
    arch=${t%%-*}
    cc=(zig cc -target "$arch-linux-musl")
    run=(); [[ $arch == aarch64 ]] && run=(qemu-aarch64 -L /)
    cp "$lib/libdstoken.so" "$out/"
    soname=$(readelf -d "$lib/libdstoken.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
    ln -sf libdstoken.so "$out/$soname"
    for a in "${linux_tests[@]}"; do
      # fully static: libdstoken.a, musl, and zig's libunwind (std's panic unwinding needs it)
      build "test_${a}_static" "${cc[@]}" "${cflags[@]}" -static -o "$out/test_${a}_static" "tests/c/test_$a.c" "$lib/libdstoken.a" -lunwind &&
        run_one "test_${a}_static" -- "${run[@]}" "$out/test_${a}_static"
      # dynamic: libdstoken.so through Debian's musl loader (/lib/ld-musl-<arch>.so.1)
      build "test_$a" "${cc[@]}" "${cflags[@]}" -o "$out/test_$a" "tests/c/test_$a.c" -L"$out" -ldstoken -Wl,-rpath,'$ORIGIN' &&
        run_one "test_$a" DSTOKEN_EXPECT_SHARED=1 -- "${run[@]}" "$out/test_$a"
    done
    ;;
  x86_64-windows-gnu)
    cc=x86_64-w64-mingw32-gcc
    export WINEPREFIX=/root/.wine-dstoken WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
    [[ -f $WINEPREFIX/system.reg ]] || wineboot -i >/dev/null 2>&1
    cp "$lib/dstoken.dll" "$out/"
    # The tests' threads are winpthreads: its DLL beside them (Windows looks in the .exe's
    # folder). dstoken.dll itself does not need it (tests/cross/test_artifacts.py checks).
    cp /usr/x86_64-w64-mingw32/lib/libwinpthread-1.dll "$out/"
    for a in claims sign verify misc threads mint exit; do
      build "test_$a" $cc "${cflags[@]}" -o "$out/test_$a.exe" "tests/c/test_$a.c" "$lib/libdstoken.dll.a" -lpthread &&
        run_one "test_$a" DSTOKEN_VECTORS='Z:\src\tests\vectors\vectors.json' -- wine "$out/test_$a.exe"
    done
    build test_mint_static $cc "${cflags[@]}" -o "$out/test_mint_static.exe" tests/c/test_mint.c "$lib/libdstoken.a" \
      -lws2_32 -luserenv -lntdll -lbcrypt -lsynchronization &&
      run_one test_mint_static DSTOKEN_VECTORS='Z:\src\tests\vectors\vectors.json' -- wine "$out/test_mint_static.exe"
    ;;
  *) echo "run-c-tests.sh: unknown target $t" >&2; exit 2 ;;
esac
echo "$t C tests: $pass passed, $fail failed${failed:+ (failed:$failed)}"
((fail == 0))
