"""The Debian packages, built the Debian way from a clean copy of the source tree
(tests/debian-source.sh: dpkg-checkbuilddeps, then `dpkg-buildpackage -us -uc -b`; debian/rules
is the same that `scripts/package.sh deb` runs): the committed debian/ files agree with
Cargo.toml (debian/generate --check), the package set and their
metadata, lintian (once over every package: 0 errors, 0 warnings), the runtime package's
symbols/shlibs/ldconfig trigger, stripped and 0644 libraries, clean pkg-config paths, the
generated copyright, dpkg-shlibdeps on a program built against the -dev package, and the C,
Java, Python and CLI packages minting tokens from a scratch root (dpkg -x) that PyJWT verifies.

Runs under ctest (`packaging`), which passes DSTOKEN_SOURCE_DIR; the packages are built once per
run into a temporary directory, reusing the CMake build's cargo target directory."""
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import jwt  # PyJWT: the independent verifier
import pytest

SRC = Path(os.environ.get("DSTOKEN_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BUILD = Path(os.environ.get("DSTOKEN_BUILD_DIR", SRC / "build"))
CC = os.environ.get("DSTOKEN_CC", "cc")
MAINTAINER = "dstoken maintainers <maintainers@dstoken.dev>"  # debian/control, debian/changelog

m = re.search(r'^version = "(\d+)\.(\d+)\.(\d+)"', (SRC / "Cargo.toml").read_text(), re.M)
MAJOR, MINOR, PATCH = (int(x) for x in m.groups())
VERSION = f"{MAJOR}.{MINOR}.{PATCH}"
ABI = f"0.{MINOR}" if MAJOR == 0 else f"{MAJOR}"
LIBPKG = f"libdstoken{ABI}"
SONAME = f"libdstoken.so.{ABI}"
PACKAGES = (LIBPKG, "libdstoken-dev", "libdstoken-java", "python3-dstoken", "dstoken", "php-dstoken")
ARCH_ALL = ("python3-dstoken", "php-dstoken")

pytestmark = pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="not a Debian system")


def run(*cmd, env=None, cwd=None, input=None, check=True):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, cwd=cwd, input=input)
    if check:
        assert r.returncode == 0, f"{cmd} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
    return r


def multiarch():
    return run("dpkg-architecture", "-qDEB_HOST_MULTIARCH").stdout.strip()


MA = multiarch() if shutil.which("dpkg-architecture") else "x86_64-linux-gnu"


@pytest.fixture(scope="module")
def debs(tmp_path_factory):
    out = tmp_path_factory.mktemp("debs")
    # The CMake build's cargo target directory: the Rust parts are already built there.
    env = {**os.environ, "DSTOKEN_CARGO_DIR": str(BUILD / "cargo")}
    env.pop("DSTOKEN_DEB_OUT", None)
    started = time.monotonic()
    r = run("bash", SRC / "tests" / "debian-source.sh", out, env=env, cwd=SRC, check=False)
    print(r.stdout[-3000:])
    assert r.returncode == 0, f"tests/debian-source.sh failed:\n{r.stdout[-6000:]}\n{r.stderr[-6000:]}"
    print(f"dpkg-buildpackage -us -uc -b (clean copy): {time.monotonic() - started:.0f} s")
    assert list(out.glob(f"dstoken_{VERSION}-*.changes")), sorted(out.iterdir())
    found = {p.name.split("_")[0]: p for p in out.glob("*.deb")}
    return found


def test_committed_debian_files_agree_with_cargo_toml():
    """debian/control and debian/changelog are committed, not generated: the changelog's newest
    version is Cargo.toml's, the runtime package is named for the ABI, and the derived files
    (copyright, symbols, .install, lintian overrides) are what debian/generate writes."""
    first = (SRC / "debian" / "changelog").read_text().splitlines()[0]
    assert re.match(rf"dstoken \({re.escape(VERSION)}-\d+\) ", first), first
    control = (SRC / "debian" / "control").read_text()
    assert re.findall(r"^Package: (libdstoken\S*)$", control, re.M) == [LIBPKG, "libdstoken-dev", "libdstoken-java"]
    assert f"Maintainer: {MAINTAINER}" in control
    r = run(sys.executable, SRC / "debian" / "generate", "--check", cwd=SRC, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    ignored = run("git", "check-ignore", "debian/control", "debian/changelog", "debian/copyright", cwd=SRC, check=False)
    assert ignored.stdout.strip() == "", ignored.stdout


@pytest.fixture(scope="module")
def root(debs, tmp_path_factory):
    """Every package unpacked into one scratch root."""
    r = tmp_path_factory.mktemp("root")
    for name in PACKAGES:
        run("dpkg-deb", "-x", debs[name], r)
    return r


def field(deb, name):
    return run("dpkg-deb", "-f", deb, name).stdout.strip()


def control_file(deb, name, tmp_path):
    d = tmp_path / f"ctrl-{deb.name}"
    if not d.exists():
        run("dpkg-deb", "-e", deb, d)
    p = d / name
    return p.read_text() if p.exists() else None


def contents(deb):
    """{path: (mode string, link target or None)}"""
    out = {}
    for line in run("dpkg-deb", "-c", deb).stdout.splitlines():
        parts = line.split()
        path = parts[5][1:]
        out[path] = (parts[0], parts[7] if len(parts) > 7 and parts[6] == "->" else None)
    return out


def check_token(token, key, **want):
    claims = jwt.decode(token.strip(), key, algorithms=["HS256"])
    for k, v in want.items():
        assert claims[k] == v, (k, claims)
    return claims


# ---- the set of packages --------------------------------------------------------------------

def test_the_six_packages_with_version_and_maintainer(debs):
    assert sorted(debs) == sorted(PACKAGES), sorted(debs)
    arch = run("dpkg", "--print-architecture").stdout.strip()
    for name, deb in debs.items():
        assert field(deb, "Version") == f"{VERSION}-1", name
        assert field(deb, "Maintainer") == MAINTAINER, name
        assert field(deb, "Architecture") == ("all" if name in ARCH_ALL else arch), name
        assert len(field(deb, "Description").splitlines()[0]) <= 80


def test_lintian_has_no_errors_or_warnings(debs):
    """One lintian run over every package (it is slow); the exact output is printed."""
    r = run("lintian", "--fail-on", "error,warning", "--display-level", ">=warning",
            *sorted(map(str, debs.values())), check=False)
    print(r.stdout + r.stderr)
    bad = [l for l in r.stdout.splitlines() if re.match(r"[EW]: ", l)]
    assert r.returncode == 0 and not bad, r.stdout + r.stderr


# ---- runtime: symbols, shlibs, triggers, permissions, stripping -------------------------------

def test_runtime_package(debs, tmp_path):
    deb = debs[LIBPKG]
    files = contents(deb)
    real = f"/usr/lib/{MA}/libdstoken.so.{VERSION}"
    assert files[real][0] == "-rw-r--r--", files[real]  # not executable
    assert files[f"/usr/lib/{MA}/{SONAME}"][1] == f"libdstoken.so.{VERSION}"
    assert not [p for p in files if p.endswith((".a", ".h")) or p.endswith("/libdstoken.so")]
    assert field(deb, "Multi-Arch") == "same"
    assert re.search(r"\blibc6\b", field(deb, "Depends"))
    triggers = control_file(deb, "triggers", tmp_path)
    assert triggers and "activate-noawait ldconfig" in triggers
    for script in ("postinst", "postrm"):
        text = control_file(deb, script, tmp_path) or ""
        assert "ldconfig" not in text, script
    assert control_file(deb, "shlibs", tmp_path).split() == ["libdstoken", ABI, LIBPKG, "(>=", f"{VERSION})"]
    symbols = control_file(deb, "symbols", tmp_path).splitlines()
    assert symbols[0] == f"{SONAME} {LIBPKG} #MINVER#"
    assert "* Build-Depends-Package: libdstoken-dev" in symbols
    listed = {l.split()[0].split("@")[0]: l.split()[1] for l in symbols if l.startswith(" ")}
    assert sorted(listed) == sorted((SRC / "abi" / "dstoken.symbols").read_text().split())
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in listed.values()), listed


def test_binaries_are_stripped(root):
    lib = root / "usr" / "lib" / MA
    for binary in (lib / f"libdstoken.so.{VERSION}", lib / "jni" / "libdstoken_jni.so", root / "usr" / "bin" / "dstoken"):
        sections = run("readelf", "-S", "-W", binary).stdout
        assert ".symtab" not in sections and ".debug_" not in sections, binary
    archive = run("readelf", "-S", "-W", lib / "libdstoken.a").stdout
    assert ".debug_" not in archive  # dh_strip: --strip-debug on the static library
    sizes = {p.name: p.stat().st_size for p in (lib / f"libdstoken.so.{VERSION}", lib / "libdstoken.a")}
    print("installed sizes:", sizes)


# ---- -dev: pkg-config, CMake package, dpkg-shlibdeps ------------------------------------------

def test_dev_package_and_clean_pkg_config(debs, root):
    files = contents(debs["libdstoken-dev"])
    for p in ("/usr/include/dstoken.h", "/usr/include/dstoken.hpp", "/usr/include/dstoken_schema.hpp",
              f"/usr/lib/{MA}/libdstoken.a",
              f"/usr/lib/{MA}/pkgconfig/dstoken.pc", f"/usr/lib/{MA}/cmake/dstoken/dstokenConfig.cmake",
              f"/usr/lib/{MA}/cmake/dstoken/dstokenConfigVersion.cmake"):
        assert p in files, p
    assert files[f"/usr/lib/{MA}/libdstoken.so"][1] == SONAME
    assert files[f"/usr/lib/{MA}/libdstoken.a"][0] == "-rw-r--r--"
    assert f"{LIBPKG} (= {VERSION}-1)" in field(debs["libdstoken-dev"], "Depends")
    pc = (root / "usr" / "lib" / MA / "pkgconfig" / "dstoken.pc").read_text()
    assert pc.startswith("prefix=/usr\n") and ".." not in pc and "pcfiledir" not in pc, pc
    env = {**os.environ, "PKG_CONFIG_LIBDIR": str(root / "usr" / "lib" / MA / "pkgconfig"),
           "PKG_CONFIG_SYSROOT_DIR": str(root)}
    assert run("pkg-config", "--libs", "dstoken", env=env).stdout.split() == [f"-L{root}/usr/lib/{MA}", "-ldstoken"]


def test_dpkg_shlibdeps_gives_a_versioned_dependency(debs, tmp_path):
    """A program built against the -dev package gets `libdstoken<abi> (>= <version>)` from the
    symbols file, as any dependent package's dh_shlibdeps would."""
    work = tmp_path / "consumer"
    (work / "debian").mkdir(parents=True)
    (work / "debian" / "control").write_text(
        "Source: consumer\n\nPackage: consumer\nArchitecture: any\nDescription: test\n test\n")
    tree = work / "debian" / LIBPKG  # the libraries as a package build tree: files + DEBIAN/
    run("dpkg-deb", "-R", debs[LIBPKG], tree)
    dev = tmp_path / "dev"
    run("dpkg-deb", "-x", debs["libdstoken-dev"], dev)
    run("dpkg-deb", "-x", debs[LIBPKG], dev)
    exe = work / "consumer"
    run(CC, "-std=c11", "-Wall", "-Werror", f"-I{dev}/usr/include", SRC / "tests/packaging/consumer/consumer.c",
        "-o", exe, f"-L{dev}/usr/lib/{MA}", "-ldstoken")
    out = run("dpkg-shlibdeps", "-O", f"-S{tree}", "consumer", cwd=work).stdout
    print(out)
    deps = dict(d.strip().split(" ", 1) if " " in d.strip() else (d.strip(), "")
                for d in out.split("=", 1)[1].split(","))
    assert deps.get(LIBPKG) == f"(>= {VERSION})", out


# ---- every binding mints from the scratch root; PyJWT verifies --------------------------------

KEY = "packaged-key-0123456789abcdefghij"


def root_env(root, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DSTOKEN_LIBRARY", "PYTHONPATH", "CLASSPATH")}
    env["LD_LIBRARY_PATH"] = str(root / "usr" / "lib" / MA)
    env.update(extra)
    return env


def test_c_mints_from_the_packages(root, tmp_path):
    lib = root / "usr" / "lib" / MA
    exe = tmp_path / "consumer"
    run(CC, "-std=c11", "-Wall", "-Werror", f"-I{root}/usr/include", SRC / "tests/packaging/consumer/consumer.c",
        "-o", exe, f"-L{lib}", "-ldstoken")
    version, token = run(exe, env=root_env(root)).stdout.split()
    assert version == VERSION
    check_token(token, b"consumer-key-0123456789abcdefghij", td="consumer-team", rd="consumer-room", u="Zoë")


def test_java_mints_from_the_packages(root, tmp_path):
    java, javac = shutil.which("java"), shutil.which("javac")
    if not (java and javac):
        pytest.skip("no JDK")
    jar = root / "usr" / "share" / "java" / "dstoken.jar"
    assert jar.is_symlink() and os.readlink(jar) == f"dstoken-{VERSION}.jar"
    with zipfile.ZipFile(jar) as z:  # the system jar carries no natives: the glue is in jni/
        names = z.namelist()
    assert "org/dstoken/Dstoken.class" in names and not [n for n in names if n.endswith(".so")]
    classes = tmp_path / "classes"
    run(javac, "-d", classes, "-cp", jar, SRC / "examples" / "java" / "RoomToken.java")
    env = root_env(root, DIGITALSAMBA_DEVELOPER_KEY=KEY, DIGITALSAMBA_TEAM_ID="java-team",
                   DIGITALSAMBA_ROOM="java-room")
    out = run(java, f"-Djava.library.path={root}/usr/lib/{MA}/jni", "-cp", f"{jar}:{classes}", "RoomToken",
              env=env).stdout
    check_token(out.splitlines()[0], KEY.encode(), td="java-team", rd="java-room", role="moderator")


def test_python_mints_from_the_packages(root):
    """Debian's own python3 with the packaged module; the library is found by its SONAME."""
    site = root / "usr" / "lib" / "python3" / "dist-packages"
    code = ("import json, dstoken\n"
            f"k = dstoken.Key({KEY!r})\n"
            "t = dstoken.mint(k, team_id='py-team', room='py-room', user_name='Zoë', lifetime=600)\n"
            "print(json.dumps({'file': dstoken.__file__, 'lib': dstoken.library_path, 'token': t}))\n")
    out = json.loads(run("/usr/bin/python3", "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r})\n" + code,
                         env=root_env(root)).stdout)
    assert out["file"].startswith(str(site)), out
    assert SONAME in out["lib"], out
    claims = check_token(out["token"], KEY.encode(), td="py-team", rd="py-room", u="Zoë")
    assert claims["exp"] - claims["iat"] == 600


def test_php_mints_from_the_packages(debs, root):
    """Debian's own php with the packaged classes (/usr/share/php/Dstoken, autoload.php); the
    library is found by its SONAME (libdstoken<abi>, on which the package depends)."""
    deb = debs["php-dstoken"]
    depends = field(deb, "Depends")
    assert f"{LIBPKG} (>= {VERSION}-1)" in depends and "php-ffi" in depends, depends
    files = contents(deb)
    for f in ("autoload.php", "functions.php", "Key.php", "Claims.php", "Internal/Native.php", "preload.php",
              "dstoken.h", "dstoken-preload.h"):
        assert f"/usr/share/php/Dstoken/{f}" in files, (f, sorted(files))
    php = shutil.which("php")
    if php is None:
        pytest.fail("php not found: scripts/bootstrap.sh --test installs php-cli")
    share = root / "usr" / "share" / "php" / "Dstoken"
    code = (f"require {str(share / 'autoload.php')!r};\n"
            f"$k = Dstoken\\Key::fromString({KEY!r});\n"
            "$t = Dstoken\\mint($k, teamId: 'php-team', room: 'php-room', userName: 'Zoë', lifetime: 600);\n"
            "echo json_encode(['info' => Dstoken\\libraryInfo(), 'token' => $t]);\n")
    env = root_env(root)
    env.pop("DSTOKEN_LIBRARY", None)
    out = json.loads(run(php, "-r", code, env=env).stdout)
    assert out["info"]["source"] == "system", out
    # The file the loader mapped: the SONAME link's target, libdstoken.so.<version>, in the root.
    assert out["info"]["path"] in (str(root / "usr" / "lib" / MA / SONAME), str(root / "usr" / "lib" / MA / f"libdstoken.so.{VERSION}")), out
    claims = check_token(out["token"], KEY.encode(), td="php-team", rd="php-room", u="Zoë")
    assert claims["exp"] - claims["iat"] == 600
    # The shipped FFI header for ffi.preload names the system library.
    assert f'#define FFI_LIB "{SONAME}"' in (share / "dstoken-preload.h").read_text()


def test_cli_mints_from_the_packages(root):
    exe = root / "usr" / "bin" / "dstoken"
    assert run(exe, "--version", env=root_env(root)).stdout.strip() == f"dstoken {VERSION}"
    out = run(exe, "mint", "--team-id", "cli-team", "--room", "cli-room", "--ttl", "10m",
              env=root_env(root, DIGITALSAMBA_DEVELOPER_KEY=KEY)).stdout
    claims = check_token(out.split()[0], KEY.encode(), td="cli-team", rd="cli-room")
    assert claims["exp"] - claims["iat"] == 600
    share = root / "usr" / "share"
    assert (share / "man" / "man1" / "dstoken.1.gz").is_file()
    assert (share / "bash-completion" / "completions" / "dstoken").is_file()
    assert (share / "zsh" / "vendor-completions" / "_dstoken").is_file()
    assert (share / "fish" / "vendor_completions.d" / "dstoken.fish").is_file()


# ---- copyright and changelog -----------------------------------------------------------------

def test_copyright_lists_the_linked_crates(root):
    """DEP-5, generated: every crate `cargo tree` says is linked into the library is there, with
    its license; build-only crates (cbindgen) are not."""
    text = (root / "usr" / "share" / "doc" / LIBPKG / "copyright").read_text()
    assert text.startswith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")
    tree = run("cargo", "tree", "--locked", "--offline", "-e", "normal,no-proc-macro", "-p", "dstoken",
               "--prefix", "none", "--format", "{p}", cwd=SRC).stdout
    crates = {tuple(l.split()[:2]) for l in tree.splitlines() if l.strip() and "(/" not in l}
    assert crates
    for name, ver in crates:
        assert f"Files: {name}-{ver[1:]}/*" in text, name
    assert "cbindgen" not in text
    # serde/serde_json are the tests' (dev-dependencies): linked into the dstoken tool only.
    assert not [n for n, _ in crates if n.startswith("serde")], crates
    serde = text.split("Files: serde_json-", 1)[1].split("\n\n", 1)[0]
    assert "compiled into dstoken." in serde and "libdstoken" not in serde, serde
    for doc in ("changelog.Debian.gz", "changelog.gz"):
        assert (root / "usr" / "share" / "doc" / LIBPKG / doc).is_file(), doc
