"""The packages' natives at the glibc 2.17 floor, after `scripts/package.sh java python
node go tarball` (tests/natives.sh runs both):

- every ELF file shipped in dist/ and inside the jar, the wheel, the npm tarball, the binary
  tarball and the Go module's zip needs no symbol version newer than GLIBC_2.17 and no library
  outside the manylinux2014 whitelist (the Debian packages in dist/deb are Debian's, built
  against the system glibc, and not part of this);
- `auditwheel show` (PyPI) accepts the wheel as manylinux_2_17_x86_64, its tag;
- each package installs the way its users install it, outside the repository, and mints a token
  that PyJWT verifies: the wheel in a fresh venv (with the Python tests), the jar with the Java
  example, the npm tarball in a fresh project, the tarball's CLI, and the Go module through a
  GOPROXY=file:// tree into a brand-new module (a C compiler, no Rust).

Sizes and the newest symbol version of every file are printed (pytest -s or -v shows them)."""
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import jwt  # PyJWT: the independent verifier
import pytest

SRC = Path(__file__).resolve().parents[2]
DIST = Path(os.environ.get("DSTOKEN_DIST", SRC / "dist"))
BUILD = SRC / "build"
m = re.search(r'^version = "(\d+)\.(\d+)\.(\d+)"', (SRC / "Cargo.toml").read_text(), re.M)
MAJOR, MINOR, PATCH = (int(x) for x in m.groups())
VERSION = f"{MAJOR}.{MINOR}.{PATCH}"
SONAME = f"libdstoken.so.0.{MINOR}" if MAJOR == 0 else f"libdstoken.so.{MAJOR}"
WHEEL_PLATFORM = "manylinux_2_17_x86_64.manylinux2014_x86_64"
GO_MODULE = "github.com/dstoken/dstoken/bindings/go"
KEY = "natives-key-0123456789abcdefghijk"

FLOOR = (2, 17)
# manylinux2014's libraries (PEP 599) that these natives may need: glibc's own (libc, libm,
# libdl, libpthread, librt and the dynamic loader itself, which Zig's glibc stubs name for
# __tls_get_addr) and libgcc_s. No libstdc++: nothing here is C++. libdstoken itself is allowed
# as a dependency of the JNI glue, which ships beside it (same jar, same tarball).
WHITELIST = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
             "libgcc_s.so.1", "ld-linux-x86-64.so.2"}
OWN = {SONAME}


def run(*cmd, env=None, cwd=None, check=True, timeout=900):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)
    if check:
        assert r.returncode == 0, f"{cmd} failed ({r.returncode}):\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}"
    return r


def dist_file(pattern):
    found = sorted(DIST.glob(pattern))
    assert len(found) == 1, f"dist/{pattern}: {found} (run scripts/package.sh java python node php go tarball)"
    return found[0]


# ---- reading ELF files: every shipped one, in dist/ and inside the archives ---------------------

def is_elf(data):
    return data[:4] == b"\x7fELF"


def members():
    """(where, name, bytes) of every regular file shipped in dist/ (not dist/deb), archives opened."""
    for path in sorted(p for p in DIST.rglob("*") if p.is_file() and "deb" not in p.relative_to(DIST).parts):
        rel = str(path.relative_to(DIST))
        data = path.read_bytes()
        yield rel, "", data
        if path.suffix in (".jar", ".whl", ".zip"):
            with zipfile.ZipFile(path) as z:
                for n in z.namelist():
                    if not n.endswith("/"):
                        yield rel, n, z.read(n)
        elif path.name.endswith((".tgz", ".tar.gz")):
            with tarfile.open(path) as t:
                for info in t.getmembers():
                    if info.isfile():
                        yield rel, info.name, t.extractfile(info).read()


def elf_facts(data):
    """{'type', 'needed', 'versions'} of one ELF file, from readelf."""
    with tempfile.NamedTemporaryFile(suffix=".elf") as f:
        f.write(data)
        f.flush()
        header = run("readelf", "-h", f.name).stdout
        dynamic = run("readelf", "-d", "-W", f.name).stdout
        versions = run("readelf", "-V", "-W", f.name).stdout
    kind = re.search(r"Type:\s+(\w+)", header).group(1)
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.*?)\]", dynamic)
    # The "Version needs" section: the versions of each library the file requires.
    needs = versions.split("Version needs section", 1)[1] if "Version needs section" in versions else ""
    return {"type": kind, "needed": needed, "versions": sorted(set(re.findall(r"Name: (\w+_[\d.]+)", needs)))}


def glibc_version(tag):
    return tuple(int(x) for x in tag.split("_", 1)[1].split("."))


@pytest.fixture(scope="module")
def shipped():
    """[(where, member, facts, size)] for every shipped ELF file (archives inside archives: the
    Go module's libdstoken.a is an ar archive of relocatable objects, checked apart)."""
    out = []
    for where, name, data in members():
        if is_elf(data):
            out.append((where, name, elf_facts(data), len(data)))
    return out


def test_every_shipped_elf_file_needs_at_most_glibc_2_17_and_whitelisted_libraries(shipped):
    bad = []
    print()
    for where, name, facts, size in shipped:
        glibc = [v for v in facts["versions"] if v.startswith("GLIBC_")]
        newest = max(glibc, key=glibc_version) if glibc else "-"
        print(f"  {where}{'!' + name if name else ''}: {facts['type']}, {size / 1024:.0f} KiB, "
              f"newest {newest}, needs {', '.join(facts['needed']) or '-'}")
        for v in facts["versions"]:
            if v.startswith("GLIBC_") and v != "GLIBC_PRIVATE" and glibc_version(v) > FLOOR:
                bad.append(f"{where}!{name}: {v}")
            elif v.startswith(("GLIBCXX_", "CXXABI_")) or v == "GLIBC_PRIVATE":
                bad.append(f"{where}!{name}: {v} (C++ runtime or glibc-private)")
        for lib in facts["needed"]:
            if lib not in WHITELIST | OWN:
                bad.append(f"{where}!{name}: needs {lib}, outside the manylinux2014 whitelist")
    assert not bad, "\n".join(bad)


def test_the_expected_natives_are_all_there(shipped):
    """So that the check above cannot pass by finding nothing: each package's natives by name."""
    where = {(w, Path(n).name) for w, n, _, _ in shipped}
    want = {
        (f"dstoken-{VERSION}.jar", "libdstoken.so"), (f"dstoken-{VERSION}.jar", "libdstoken_jni.so"),
        (dist_file("dstoken-*.whl").name, SONAME),
        (f"dstoken-{VERSION}.tgz", "libdstoken.so"),
        (f"dstoken-php-{VERSION}.zip", SONAME),
    }
    tarball = dist_file(f"dstoken-{VERSION}-*.tar.gz").name
    want |= {(tarball, f"libdstoken.so.{VERSION}"), (tarball, "libdstoken_jni.so"), (tarball, "dstoken")}
    assert want <= where, sorted(want - where)
    # The glue in the jar needs libdstoken by its SONAME; the tool only glibc.
    for w, n, facts, _ in shipped:
        if n.endswith("libdstoken_jni.so"):
            assert SONAME in facts["needed"], (w, n, facts)
        if n.endswith("bin/dstoken"):
            assert not [lib for lib in facts["needed"] if "dstoken" in lib], facts


def test_the_go_module_ships_the_floor_static_library():
    z = zipfile.ZipFile(DIST / "goproxy" / GO_MODULE / "@v" / f"v{VERSION}.zip")
    root = f"{GO_MODULE}@v{VERSION}/"
    names = set(z.namelist())
    assert {root + "native/linux_amd64/libdstoken.a", root + "include/dstoken.h", root + "go.mod",
            root + "link_static.go", root + "godst.c"} <= names, sorted(names)
    assert not [n for n in names if n.endswith("_test.go") or "/testdata/" in n]
    assert z.read(root + "native/linux_amd64/libdstoken.a").startswith(b"!<arch>\n")
    link = z.read(root + "link_static.go").decode()
    libs = (BUILD / "floor" / "native-static-libs.txt").read_text().split()
    assert "${SRCDIR}/native/linux_amd64/libdstoken.a " + " ".join(libs) in link
    assert {lib[2:] for lib in libs if lib.startswith("-l")} <= {"gcc_s", "util", "rt", "pthread", "m", "dl", "c"}, libs
    print(f"\n  Go module zip: {(DIST / 'goproxy' / GO_MODULE / '@v' / f'v{VERSION}.zip').stat().st_size / 1024:.0f} KiB")


# ---- the wheel ------------------------------------------------------------------------------

def test_the_wheel_is_manylinux_2_17_and_auditwheel_agrees():
    wheel = dist_file("dstoken-*.whl")
    assert wheel.name == f"dstoken-{VERSION}-py3-none-{WHEEL_PLATFORM}.whl"
    with zipfile.ZipFile(wheel) as z:
        meta = z.read(f"dstoken-{VERSION}.dist-info/WHEEL").decode()
    assert "Tag: py3-none-manylinux_2_17_x86_64" in meta and "Tag: py3-none-manylinux2014_x86_64" in meta, meta
    auditwheel = BUILD / "zig" / "bin" / "auditwheel"
    out = run(auditwheel, "show", wheel).stdout
    print("\n" + out)
    flat = " ".join(out.split())
    assert f'is consistent with the following platform tag: "manylinux_2_17_x86_64"' in flat, out
    assert "manylinux_2_17_x86_64" in flat and "GLIBC_2.18" not in flat


def test_the_wheel_in_a_fresh_venv_passes_the_python_tests(tmp_path):
    wheel = dist_file("dstoken-*.whl")
    venv = tmp_path / "venv"
    base = run(BUILD / "venv" / "bin" / "python", "-c", "import sys; print(sys._base_executable)").stdout.strip()
    run(base, "-m", "venv", "--without-pip", venv)
    run(BUILD / "venv" / "bin" / "python", "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet",
        "--no-compile", "--disable-pip-version-check", "--no-index", "--find-links", BUILD / "wheelhouse",
        wheel, "pytest", "PyJWT", "joserfc")
    work = tmp_path / "outside"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DSTOKEN_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH")}
    floor_lib = BUILD / "floor" / "x86_64-unknown-linux-gnu" / "release" / "libdstoken.so"
    env.update(DSTOKEN_EXPECT_INSTALLED="1", DSTOKEN_WHEEL=str(wheel), DSTOKEN_WHEEL_PLATFORM=WHEEL_PLATFORM,
               DSTOKEN_STAGE_LIB=str(floor_lib), DSTOKEN_SOURCE_DIR=str(SRC))
    r = run(venv / "bin" / "python", "-m", "pytest", "-p", "no:cacheprovider", "-q", SRC / "bindings" / "python" / "tests",
            env=env, cwd=work, check=False)
    print("\n" + r.stdout[-1500:])
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-3000:]


# ---- the jar, the npm package, the tarball's CLI ------------------------------------------------

def check(token, team="natives-team", room="natives-room"):
    claims = jwt.decode(token.strip(), KEY.encode(), algorithms=["HS256"])
    assert (claims["td"], claims["rd"]) == (team, room), claims
    assert claims["exp"] > claims["iat"], claims
    return claims


def example_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DSTOKEN_LIBRARY", "LD_LIBRARY_PATH", "CLASSPATH")}
    env.update(DIGITALSAMBA_DEVELOPER_KEY=KEY, DIGITALSAMBA_TEAM_ID="natives-team", DIGITALSAMBA_ROOM="natives-room",
               DIGITALSAMBA_TEAM="natives", **extra)
    return env


def test_the_jar_loads_its_own_natives(tmp_path):
    java, javac = shutil.which("java"), shutil.which("javac")
    if not (java and javac):
        pytest.skip("no JDK")
    jar = dist_file(f"dstoken-{VERSION}.jar")
    run(javac, "-d", tmp_path, "-cp", jar, SRC / "examples" / "java" / "RoomToken.java")
    out = run(java, "-Xcheck:jni", "-cp", f"{jar}:{tmp_path}", "RoomToken", env=example_env(), cwd=tmp_path).stdout
    check(out.splitlines()[0])


def test_the_npm_tarball_installs_and_mints(tmp_path):
    if not shutil.which("npm"):
        pytest.skip("no npm")
    tgz = dist_file(f"dstoken-{VERSION}.tgz")
    (tmp_path / "package.json").write_text('{"name": "natives-consumer", "version": "1.0.0", "private": true}\n')
    # koffi comes from npm's cache (scripts/bootstrap.sh's npm ci filled it).
    run("npm", "install", "--prefer-offline", "--no-audit", "--no-fund", "--silent", tgz, cwd=tmp_path)
    shutil.copy(SRC / "examples" / "node" / "room_token.js", tmp_path / "room_token.js")
    out = run("node", "room_token.js", env=example_env(), cwd=tmp_path).stdout
    check(out.splitlines()[0])
    lib = tmp_path / "node_modules" / "dstoken" / "native" / "linux-x64" / "libdstoken.so"
    assert lib.is_file()


def test_the_tarball_cli_mints(tmp_path):
    with tarfile.open(dist_file(f"dstoken-{VERSION}-*.tar.gz")) as t:
        t.extractall(tmp_path)
    (exe,) = tmp_path.glob("*/bin/dstoken")
    out = run(exe, "mint", "--team-id", "natives-team", "--room", "natives-room", "--ttl", "10m",
              env=example_env()).stdout
    assert check(out.split()[0])["exp"] - check(out.split()[0])["iat"] == 600


# ---- Go: a brand-new module from the proxy tree -------------------------------------------------

def test_a_new_go_module_builds_from_the_file_proxy_and_mints(tmp_path):
    if not shutil.which("go"):
        pytest.skip("no Go toolchain")
    proxy = DIST / "goproxy"
    assert (proxy / GO_MODULE / "@v" / "list").read_text().split() == [f"v{VERSION}"]
    info = json.loads((proxy / GO_MODULE / "@v" / f"v{VERSION}.info").read_text())
    assert info["Version"] == f"v{VERSION}" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", info["Time"])
    app = tmp_path / "app"
    app.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GO", "CGO_", "DSTOKEN_"))}
    env.update(GOPROXY=f"file://{proxy}", GOFLAGS="-mod=mod", GONOSUMDB="github.com/dstoken,github.com/golang-jwt",
               GOTOOLCHAIN="local", GOMODCACHE=str(tmp_path / "modcache"), CGO_ENABLED="1",
               GOPATH=str(tmp_path / "gopath"), GOCACHE=os.environ.get("GOCACHE") or str(tmp_path / "gocache"),
               HOME=str(tmp_path))
    run("go", "mod", "init", "example.com/natives-consumer", env=env, cwd=app)
    run("go", "get", f"{GO_MODULE}@v{VERSION}", env=env, cwd=app)
    shutil.copy(SRC / "examples" / "go" / "main.go", app / "main.go")
    run("go", "build", "-o", "room_token", ".", env=env, cwd=app)
    # Statically linked: the program needs no libdstoken.so at run time.
    assert "dstoken" not in run("readelf", "-d", app / "room_token").stdout
    out = run(app / "room_token", env=example_env(), cwd=app).stdout
    check(out.splitlines()[0])
    gosum = (app / "go.sum").read_text()
    assert f"{GO_MODULE} v{VERSION} h1:" in gosum, gosum
