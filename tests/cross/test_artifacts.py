"""Every native file in dist/, loose or inside an archive, read as the platform that loads it
would read it (tests/cross/binfmt.py):
  - ELF files: the machine their package names (aarch64 or x86-64); glibc builds need at most
    GLIBC_2.17 (the manylinux2014 floor); shared libraries carry the SONAME and BIND_NOW; the
    musl builds need only musl's libc.so, and their dstoken tool is fully static (no
    interpreter, no NEEDED);
  - PE files (the Windows zip): x86-64, importing only DLLs that every Windows has; the DLL
    exports every function of include/dstoken.h;
  - static libraries (.a): every object file is for the package's machine;
  - dist/dstoken.wasm: no imports; exports its memory, its allocator and the C ABI;
  - what the cross packages hold is byte for byte what tests/cross.sh ran (build/cross/).
dist/deb/ is left out: the Debian packages are built against this system's glibc, Debian's way.
Run by tests/cross.sh after scripts/package.sh cross; DSTOKEN_DIST=<dir> reads another dist/.
"""
import hashlib
import io
import os
import re
import tarfile
import zipfile
from pathlib import Path

import pytest

import binfmt

ROOT = Path(__file__).resolve().parents[2]
DIST = Path(os.environ.get("DSTOKEN_DIST", ROOT / "dist"))
VERSION = re.search(r'^version = "(\d+\.\d+\.\d+)"$', (ROOT / "Cargo.toml").read_text(), re.M).group(1)
MAJOR, MINOR = VERSION.split(".")[:2]
SONAME = f"libdstoken.so.0.{MINOR}" if MAJOR == "0" else f"libdstoken.so.{MAJOR}"
CROSS = {  # the packages scripts/package.sh cross makes, and their machine
    f"dstoken-{VERSION}-aarch64-linux-gnu.tar.gz": "aarch64",
    f"dstoken-{VERSION}-x86_64-linux-musl.tar.gz": "x86_64",
    f"dstoken-{VERSION}-aarch64-linux-musl.tar.gz": "aarch64",
    f"dstoken-{VERSION}-x86_64-windows-gnu.zip": "x86_64",
}
# the header's prototypes: a return type at the start of a line, then the name
HEADER_FUNCTIONS = sorted(set(re.findall(r"^(?:const )?[a-z_0-9]+ \**(dst_[a-z0-9_]+)\(",
                                         (ROOT / "include/dstoken.h").read_text(), re.M)))

# What a glibc build may link: the C library and its loader, libm/libdl/libpthread/librt/libutil
# (empty stubs since glibc 2.34, real libraries before), and libgcc_s (the unwinder).
GLIBC_LIBS = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libutil.so.1",
              "libgcc_s.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}
MUSL_LIBS = {"libc.so"}
# DLLs every Windows (7 and later) has: the system's own, the CRT (msvcrt), the API sets.
WINDOWS_DLLS = {"kernel32.dll", "ntdll.dll", "msvcrt.dll", "ws2_32.dll", "userenv.dll", "advapi32.dll",
                "bcrypt.dll", "bcryptprimitives.dll", "secur32.dll", "shell32.dll", "ole32.dll", "user32.dll"}
API_SET = re.compile(r"^(api|ext)-ms-win-[a-z0-9-]+\.dll$")


def archive_members(path):
    """(member name, bytes) of a tar.gz/tgz, zip/jar/whl; nested archives are not opened."""
    name = path.name
    if name.endswith((".tar.gz", ".tgz")):
        with tarfile.open(path) as tar:
            for m in tar.getmembers():
                if m.isfile():
                    yield m.name, tar.extractfile(m).read()
    elif name.endswith((".zip", ".jar", ".whl")):
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                if not n.endswith("/"):
                    yield n, z.read(n)


def dist_natives():
    """(where, bytes, archive) of every ELF, PE, ar and wasm file in dist/ (not dist/deb)."""
    found = []
    for path in sorted(DIST.rglob("*")):
        rel = path.relative_to(DIST)
        if not path.is_file() or rel.parts[0] in ("deb", "docs"):
            continue
        data = path.read_bytes()
        if binfmt.is_elf(data) or binfmt.is_pe(data) or binfmt.is_ar(data) or binfmt.is_wasm(data):
            found.append((str(rel), data, None))
        for member, mdata in archive_members(path):
            if binfmt.is_elf(mdata) or binfmt.is_pe(mdata) or binfmt.is_ar(mdata) or binfmt.is_wasm(mdata):
                found.append((f"{rel}!{member}", mdata, path.name))
    return found


@pytest.fixture(scope="module")
def natives():
    files = dist_natives()
    if not files:
        pytest.fail(f"no native files in {DIST} (scripts/package.sh cross)")
    return files


def expected_machine(where, archive):
    if archive in CROSS:
        return CROSS[archive]
    return "aarch64" if "aarch64" in where or "arm64" in where else "x86_64"


def is_musl(where):
    return "linux-musl" in where


def test_the_cross_packages_are_all_there():
    missing = [n for n in CROSS if not (DIST / n).is_file()]
    missing += [] if (DIST / "dstoken.wasm").is_file() else ["dstoken.wasm"]
    assert not missing, f"missing from {DIST}: {missing} (scripts/package.sh cross)"


def test_every_elf_file_is_for_its_machine_and_floor(natives):
    checked = 0
    for where, data, archive in natives:
        if not binfmt.is_elf(data):
            continue
        elf = binfmt.read_elf(data)
        want = expected_machine(where, archive)
        assert elf.machine == want, f"{where}: {elf.machine}, expected {want}"
        if is_musl(where):
            assert set(elf.needed) <= MUSL_LIBS, f"{where}: NEEDED {elf.needed} beyond musl's libc.so"
            assert not elf.glibc_versions, f"{where}: a musl build needs {elf.glibc_versions}"
        else:
            # (the JNI glue needs libdstoken itself)
            extra = set(elf.needed) - GLIBC_LIBS - {SONAME}
            assert not extra, f"{where}: NEEDED {sorted(extra)}"
            newest = elf.glibc_versions[-1] if elf.glibc_versions else None
            assert newest is None or binfmt.version_key(newest) <= (2, 17), \
                f"{where}: needs {newest} (floor: GLIBC_2.17): {elf.glibc_versions}"
        if re.search(r"libdstoken\.so", where):
            assert elf.soname == SONAME, f"{where}: SONAME {elf.soname}, expected {SONAME}"
            assert elf.bind_now, f"{where}: not linked with -z now (no BIND_NOW)"
        checked += 1
    assert checked, "no ELF file in dist/"


def test_the_musl_tools_are_fully_static(natives):
    tools = [(w, d) for w, d, a in natives if is_musl(w) and w.endswith("/bin/dstoken")]
    assert len(tools) == 2, f"expected the x86_64 and aarch64 musl tools, found {[w for w, _ in tools]}"
    for where, data in tools:
        elf = binfmt.read_elf(data)
        assert elf.interp is None, f"{where}: has an interpreter {elf.interp}"
        assert elf.needed == [], f"{where}: NEEDED {elf.needed}"
        assert elf.type in (binfmt.ET_EXEC, binfmt.ET_DYN)


def test_the_glibc_tools_use_the_system_loader(natives):
    tools = [(w, d) for w, d, a in natives if a and "linux-gnu" in a and w.endswith("/bin/dstoken")]
    assert tools, "no aarch64-linux-gnu dstoken tool"
    for where, data in tools:
        elf = binfmt.read_elf(data)
        assert elf.interp == "/lib/ld-linux-aarch64.so.1", f"{where}: interpreter {elf.interp}"


def test_pe_files_import_only_windows_system_dlls(natives):
    pes = [(w, binfmt.read_pe(d)) for w, d, _ in natives if binfmt.is_pe(d)]
    names = sorted(w.rsplit("/", 1)[-1] for w, _ in pes)
    assert names == ["dstoken.dll", "dstoken.exe"], f"PE files in dist/: {names}"
    for where, pe in pes:
        assert pe.machine == "x86_64", f"{where}: machine {pe.machine}"
        foreign = [d for d in pe.imports if d.lower() not in WINDOWS_DLLS and not API_SET.match(d.lower())]
        assert not foreign, f"{where}: imports {foreign}, which a Windows system need not have"
        assert pe.imports, f"{where}: no imports read (a reader bug?)"
        if where.endswith(".dll"):
            assert pe.is_dll
            missing = sorted(set(HEADER_FUNCTIONS) - set(pe.exports))
            assert not missing, f"{where}: does not export {missing}"
            extra = sorted(e for e in pe.exports if not e.startswith("dst_"))
            assert not extra, f"{where}: exports more than dst_*: {extra[:10]}"


def test_static_libraries_hold_objects_for_their_machine(natives):
    libs = [(w, d, a) for w, d, a in natives if binfmt.is_ar(d)]
    cross = [w for w, _, a in libs if a in CROSS]
    assert len(cross) == 5, f"expected 5 static libraries in the cross packages (libdstoken.a x4, libdstoken.dll.a): {cross}"
    for where, data, archive in libs:
        want = expected_machine(where, archive)
        members = list(binfmt.ar_members(data))
        assert members, f"{where}: empty"
        wrong = {n: m for n, m in ((n, binfmt.object_machine(d)) for n, d in members) if m != want}
        assert not wrong, f"{where}: objects not for {want}: {dict(list(wrong.items())[:5])}"


def test_the_wasm_module_imports_nothing_and_exports_the_c_abi():
    data = (DIST / "dstoken.wasm").read_bytes()
    imports, exports = binfmt.read_wasm(data)
    assert imports == [], f"dstoken.wasm imports {imports}"
    want = {(n, "function") for n in HEADER_FUNCTIONS} | {("memory", "memory"), ("dst_wasm_alloc", "function"),
                                                          ("dst_wasm_free", "function")}
    got = set(exports)
    assert not want - got, f"dstoken.wasm does not export {sorted(want - got)}"
    assert not got - want, f"dstoken.wasm exports more: {sorted(got - want)}"
    assert len(HEADER_FUNCTIONS) > 40


@pytest.mark.parametrize("archive", sorted(CROSS))
def test_the_packages_hold_what_the_tests_ran(archive):
    target = archive.split(f"{VERSION}-", 1)[1].split(".")[0]
    built = ROOT / "build" / "cross" / target
    if not built.is_dir():
        pytest.fail(f"{built} is missing: tests/cross.sh tests build/cross and checks dist/ against it")
    shipped = {m.rsplit("/", 1)[-1]: hashlib.sha256(d).hexdigest() for m, d in archive_members(DIST / archive)}
    for f in sorted(built.iterdir()):
        if not f.is_file():
            continue
        name = SONAME if f.name == "libdstoken.so" else f.name  # lib/libdstoken.so is its symlink
        assert shipped.get(name) == hashlib.sha256(f.read_bytes()).hexdigest(), \
            f"{archive} does not hold build/cross/{target}/{f.name} as tested"
    assert hashlib.sha256((DIST / "dstoken.wasm").read_bytes()).digest() == \
        hashlib.sha256((ROOT / "build/cross/wasm32/dstoken.wasm").read_bytes()).digest()
