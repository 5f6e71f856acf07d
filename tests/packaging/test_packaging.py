"""Packaging: the ABI (exported symbols, SONAME), installation into a prefix and with DESTDIR,
out-of-tree consumers built only against the installed files (CMake find_package, pkg-config,
a static link) and the .tar.gz. The Debian packages are tested in test_debian.py.

ctest passes the build's facts through the environment (see CMakeLists.txt)."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import jwt  # PyJWT, to verify what the consumers print
import pytest

SRC = Path(os.environ.get("DSTOKEN_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BUILD = Path(os.environ.get("DSTOKEN_BUILD_DIR", SRC / "build"))
CMAKE = os.environ.get("DSTOKEN_CMAKE", "cmake")
CPACK = os.environ.get("DSTOKEN_CPACK", "cpack")
CC = os.environ.get("DSTOKEN_CC", "cc")
CONSUMER = SRC / "tests" / "packaging" / "consumer"
CONSUMER_KEY = b"consumer-key-0123456789abcdefghij"


def cargo_version():
    m = re.search(r'^version = "(\d+)\.(\d+)\.(\d+)"', (SRC / "Cargo.toml").read_text(), re.M)
    return tuple(int(x) for x in m.groups())


MAJOR, MINOR, PATCH = cargo_version()
VERSION = f"{MAJOR}.{MINOR}.{PATCH}"
ABI = f"0.{MINOR}" if MAJOR == 0 else f"{MAJOR}"
SONAME = f"libdstoken.so.{ABI}"
REAL = f"libdstoken.so.{VERSION}"


def run(*cmd, env=None, cwd=None):
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, cwd=cwd)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def check_consumer_output(out):
    version, token = out.splitlines()
    assert version == VERSION
    claims = jwt.decode(token, CONSUMER_KEY, algorithms=["HS256"])
    assert (claims["td"], claims["rd"], claims["u"]) == ("consumer-team", "consumer-room", "Zoë")
    assert claims["exp"] - claims["iat"] == 600


def needed(binary):
    return re.findall(r"\(NEEDED\).*\[(.*)\]", run("readelf", "-d", binary))


# ---- ABI ------------------------------------------------------------------------------------

def test_exported_symbols_are_exactly_the_committed_list():
    lib = BUILD / "stage" / "lib" / REAL
    out = run("nm", "-D", "--defined-only", lib)
    exported = sorted(line.split()[-1] for line in out.splitlines() if line.strip())
    committed = (SRC / "abi" / "dstoken.symbols").read_text().split()
    assert all(s.startswith("dst_") for s in exported), [s for s in exported if not s.startswith("dst_")]
    assert exported == committed, (
        "the exported ABI changed: update abi/dstoken.symbols in the same commit (the ABI only grows)\n"
        f"added: {sorted(set(exported) - set(committed))}\nremoved: {sorted(set(committed) - set(exported))}")
    header = (SRC / "include" / "dstoken.h").read_text()
    # Prototypes only: not macro bodies (DST_ROOM_TOKEN_INIT's C++ form value-initialises
    # `dst_room_token()`).
    header = "\n".join(l for l in header.splitlines() if not l.lstrip().startswith("#define"))
    declared = sorted(set(re.findall(r"\b(dst_[a-z_]+)\(", header)))
    assert declared == committed, "every header function is exported, and nothing else"


def test_soname_and_no_runpath():
    dyn = run("readelf", "-d", BUILD / "stage" / "lib" / REAL)
    assert f"Library soname: [{SONAME}]" in dyn
    assert "RUNPATH" not in dyn and "RPATH" not in dyn


def test_static_link_line_comes_from_rustc():
    recorded = (BUILD / "stage" / "native-static-libs.txt").read_text().split()
    assert "-lpthread" in recorded or "-lc" in recorded, recorded
    pc = (BUILD / "stage" / "dstoken.pc").read_text()
    assert re.search(r"^Libs.private: (.*)$", pc, re.M).group(1).split() == recorded
    cmake_fragment = (BUILD / "stage" / "dstoken-native-static-libs.cmake").read_text()
    assert ";".join(recorded) in cmake_fragment


# ---- install into a prefix --------------------------------------------------------------------

@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    p = tmp_path_factory.mktemp("prefix")
    run(CMAKE, "--install", BUILD, "--prefix", p)
    return p


def libdir(root):
    for cand in ("lib", "lib64", "lib/x86_64-linux-gnu"):
        if (root / cand / REAL).exists():
            return root / cand
    raise AssertionError(f"no {REAL} under {root}")


def test_install_layout(prefix):
    lib = libdir(prefix)
    assert os.readlink(lib / SONAME) == REAL
    assert os.readlink(lib / "libdstoken.so") == SONAME
    assert (lib / "libdstoken.a").is_file()
    for h in ("dstoken.h", "dstoken.hpp", "dstoken_schema.hpp"):  # dstoken.hpp includes dstoken_schema.hpp
        assert (prefix / "include" / h).is_file(), h
    assert (lib / "pkgconfig" / "dstoken.pc").is_file()
    for f in ("dstokenConfig.cmake", "dstokenConfigVersion.cmake", "dstoken-native-static-libs.cmake"):
        assert (lib / "cmake" / "dstoken" / f).is_file(), f
    if (BUILD / "java" / "libdstoken_jni.so").exists():
        assert (prefix / "share" / "java" / "dstoken.jar").exists()
        assert (lib / "libdstoken_jni.so").exists()
    assert "RUNPATH" not in run("readelf", "-d", lib / REAL)


def test_install_cli(prefix):
    """The dstoken tool: bin/dstoken, its man pages and bash/zsh/fish completions."""
    if "DSTOKEN_CLI:BOOL=OFF" in (BUILD / "CMakeCache.txt").read_text():
        pytest.skip("configured with -DDSTOKEN_CLI=OFF")
    exe = prefix / "bin" / "dstoken"
    assert run(exe, "--version").strip() == f"dstoken {VERSION}"
    for page in ("dstoken", "dstoken-mint", "dstoken-verify", "dstoken-decode", "dstoken-url"):
        assert (prefix / "share" / "man" / "man1" / f"{page}.1").read_text().count(".TH ") == 1, page
    assert "dstoken" in (prefix / "share" / "bash-completion" / "completions" / "dstoken").read_text()
    assert (prefix / "share" / "zsh" / "site-functions" / "_dstoken").read_text().startswith("#compdef dstoken")
    assert "complete -c dstoken" in (prefix / "share" / "fish" / "vendor_completions.d" / "dstoken.fish").read_text()


def test_install_honours_destdir(tmp_path):
    env = {**os.environ, "DESTDIR": str(tmp_path / "dest")}
    run(CMAKE, "--install", BUILD, "--prefix", "/opt/dstoken", env=env)
    assert list((tmp_path / "dest" / "opt" / "dstoken").rglob(REAL))


def cmake_consumer(tmp_path, prefix_path, want=f"{MAJOR}.{MINOR}", expect_ok=True):
    build = tmp_path / f"consumer-{want}"
    result = subprocess.run([CMAKE, "-S", CONSUMER, "-B", build, f"-DCMAKE_PREFIX_PATH={prefix_path}",
                             f"-DWANT_VERSION={want}"], capture_output=True, text=True)
    if not expect_ok:
        assert result.returncode != 0
        return None
    assert result.returncode == 0, result.stdout + result.stderr
    run(CMAKE, "--build", build)
    return build


def run_consumers(build, lib):
    env = {**os.environ, "LD_LIBRARY_PATH": str(lib)}
    check_consumer_output(run(build / "consumer_shared", env=env))
    assert SONAME in needed(build / "consumer_shared")
    check_consumer_output(run(build / "consumer_static"))
    assert not [n for n in needed(build / "consumer_static") if "dstoken" in n]


def test_find_package_consumer(prefix, tmp_path):
    build = cmake_consumer(tmp_path, prefix)
    run_consumers(build, libdir(prefix))


def test_find_package_version_rules(prefix, tmp_path):
    cmake_consumer(tmp_path, prefix, want=f"{MAJOR}.{MINOR + 1}", expect_ok=False)
    cmake_consumer(tmp_path, prefix, want=f"{MAJOR + 1}.0", expect_ok=False)


def pkg_config(pc_dir, *args):
    env = {**os.environ, "PKG_CONFIG_PATH": str(pc_dir), "PKG_CONFIG_LIBDIR": str(pc_dir)}
    return run("pkg-config", *args, "dstoken", env=env).split()


def pkg_config_consumers(root_lib, tmp_path):
    pc_dir = root_lib / "pkgconfig"
    assert pkg_config(pc_dir, "--modversion") == [VERSION]
    cflags = pkg_config(pc_dir, "--cflags")
    libs = pkg_config(pc_dir, "--libs")
    exe = tmp_path / "pc_shared"
    run(CC, "-std=c11", "-Wall", "-Werror", CONSUMER / "consumer.c", *cflags, "-o", exe, *libs)
    check_consumer_output(run(exe, env={**os.environ, "LD_LIBRARY_PATH": str(root_lib)}))
    static_libs = pkg_config(pc_dir, "--static", "--libs")
    assert "-lpthread" in static_libs
    # GNU ld picks the .so for -ldstoken when both exist: ask for the archive by name.
    static_libs = ["-l:libdstoken.a" if a == "-ldstoken" else a for a in static_libs]
    exe = tmp_path / "pc_static"
    run(CC, "-std=c11", "-Wall", "-Werror", CONSUMER / "consumer.c", *cflags, "-o", exe, *static_libs)
    check_consumer_output(run(exe))
    assert not [n for n in needed(exe) if "dstoken" in n]


def test_pkg_config_consumers(prefix, tmp_path):
    pkg_config_consumers(libdir(prefix), tmp_path)


# ---- packages -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    out = tmp_path_factory.mktemp("packages")
    run(CPACK, "--config", BUILD / "CPackConfig.cmake", "-B", out, "-G", "TGZ")
    return out


def test_tarball_has_everything(packages):
    tgz = list(packages.glob("*.tar.gz"))
    assert len(tgz) == 1
    listing = run("tar", "-tzf", tgz[0])
    for needle in (REAL, SONAME, "libdstoken.a", "include/dstoken.h", "pkgconfig/dstoken.pc", "dstokenConfig.cmake"):
        assert needle in listing, needle
