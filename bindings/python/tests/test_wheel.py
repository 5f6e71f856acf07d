"""The installed package and where it finds libdstoken: next to itself (the wheel's copy)
first, then DSTOKEN_LIBRARY, then the system library (the SONAME, as a distribution package
uses it); the load error names every place tried and DSTOKEN_LIBRARY.

scripts/test-python.sh installs dist/dstoken-<version>-*.whl into a fresh venv under build/
and runs these tests from a directory outside the repository with DSTOKEN_EXPECT_INSTALLED=1
and DSTOKEN_STAGE_LIB (the built libdstoken, for the fallback cases)."""
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import jwt
import pytest

import dstoken

from conftest import KEY, SRC, cargo_version

INSTALLED = os.environ.get("DSTOKEN_EXPECT_INSTALLED") == "1"
STAGE_LIB = os.environ.get("DSTOKEN_STAGE_LIB")
PACKAGE = Path(dstoken.__file__).resolve().parent
ABI = "0.{1}".format(*cargo_version().split(".")) if cargo_version().startswith("0.") else cargo_version().split(".")[0]
SONAME = f"libdstoken.so.{ABI}"

installed_only = pytest.mark.skipif(not INSTALLED, reason="runs against the installed wheel (scripts/test-python.sh)")
needs_lib = pytest.mark.skipif(not STAGE_LIB, reason="DSTOKEN_STAGE_LIB is not set (scripts/test-python.sh sets it)")

MINT = ("import dstoken, sys; k = dstoken.Key(sys.argv[1].encode());"
        "print(dstoken.library_path); print(dstoken.__version__);"
        "print(dstoken.mint(k, team_id='wheel-team', room='wheel-room', user_name='Zoë', lifetime=600))")


def run_python(code, *args, env=None, cwd):
    base = {k: v for k, v in os.environ.items() if k not in ("DSTOKEN_LIBRARY", "LD_LIBRARY_PATH", "PYTHONPATH")}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env={**base, **(env or {})}, cwd=cwd)


@installed_only
def test_runs_from_the_installed_wheel_outside_the_repository():
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    platlib = Path(sysconfig.get_paths()["platlib"]).resolve()
    assert PACKAGE.parent in (site, platlib), PACKAGE
    assert SRC.resolve() not in Path.cwd().resolve().parents and Path.cwd().resolve() != SRC.resolve()
    assert Path(dstoken.library_path) == PACKAGE / SONAME  # the bundled copy, not the build's
    assert (PACKAGE / "py.typed").exists()
    from importlib.metadata import version

    assert version("dstoken") == dstoken.__version__ == cargo_version()


@pytest.mark.skipif(not os.environ.get("DSTOKEN_WHEEL"), reason="DSTOKEN_WHEEL is not set (scripts/test-python.sh sets it)")
def test_the_wheel_is_a_platform_wheel_with_the_library_inside():
    import zipfile

    wheel = Path(os.environ["DSTOKEN_WHEEL"])
    # scripts/package.sh tags the floor-built wheel manylinux (DSTOKEN_WHEEL_PLATFORM); a wheel
    # around another library carries this machine's own tag.
    platform = os.environ.get("DSTOKEN_WHEEL_PLATFORM") or sysconfig.get_platform().replace("-", "_").replace(".", "_")
    assert wheel.name == f"dstoken-{cargo_version()}-py3-none-{platform}.whl"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta = z.read(f"dstoken-{cargo_version()}.dist-info/WHEEL").decode()
    assert {f"dstoken/{SONAME}", "dstoken/py.typed", "dstoken/__init__.py", "dstoken/_build_info.py"} <= names
    assert "Root-Is-Purelib: false" in meta
    assert all(f"Tag: py3-none-{p}" in meta for p in platform.split(".")), meta  # one line per tag


@installed_only
def test_a_fresh_process_mints_from_another_directory(tmp_path):
    out = run_python(MINT, KEY.decode(), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    path, version, token = out.stdout.splitlines()
    assert Path(path) == PACKAGE / SONAME and version == cargo_version()
    claims = jwt.decode(token, KEY, algorithms=["HS256"])
    assert (claims["td"], claims["rd"], claims["u"], claims["exp"] - claims["iat"]) == ("wheel-team", "wheel-room", "Zoë", 600)


@installed_only
def test_the_bundled_copy_comes_before_dstoken_library(tmp_path):
    out = run_python(MINT, "k", env={"DSTOKEN_LIBRARY": "/nonexistent/libdstoken.so"}, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.splitlines()[0]) == PACKAGE / SONAME


@pytest.fixture
def unbundled(tmp_path):
    """The package as a distribution installs it: the same files without the library."""
    dest = tmp_path / "site" / "dstoken"
    shutil.copytree(PACKAGE, dest, ignore=shutil.ignore_patterns("libdstoken*", "dstoken.dll", "__pycache__"))
    if not (dest / "_build_info.py").exists():  # a source checkout: the wheel build writes it
        (dest / "_build_info.py").write_text(f'VERSION = "{cargo_version()}"\n')
    return dest.parent


@needs_lib
def test_dstoken_library_when_nothing_is_bundled(unbundled, tmp_path):
    out = run_python(MINT, "k", env={"PYTHONPATH": str(unbundled), "DSTOKEN_LIBRARY": STAGE_LIB}, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == STAGE_LIB


@needs_lib
def test_the_system_library_by_its_soname(unbundled, tmp_path):
    libdir = tmp_path / "system-lib"
    libdir.mkdir()
    shutil.copy(STAGE_LIB, libdir / SONAME)  # as the runtime package installs it
    out = run_python(MINT, "k", env={"PYTHONPATH": str(unbundled), "LD_LIBRARY_PATH": str(libdir)}, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == SONAME


def test_the_load_error_names_every_place_tried(unbundled, tmp_path):
    bogus = tmp_path / "not-a-library.so"
    bogus.write_text("nothing here")
    out = run_python("import dstoken", env={"PYTHONPATH": str(unbundled), "DSTOKEN_LIBRARY": str(bogus)}, cwd=tmp_path)
    assert out.returncode != 0
    err = out.stderr
    assert "OSError: dstoken: cannot load the native library libdstoken. Tried, in order:" in err
    assert f"next to the package: {unbundled / 'dstoken'}" in err
    assert f"DSTOKEN_LIBRARY= {bogus}" in err
    assert f"system library {SONAME}" in err
    assert "set DSTOKEN_LIBRARY to the full path of libdstoken.so" in err
    out = run_python("import dstoken", env={"PYTHONPATH": str(unbundled)}, cwd=tmp_path)
    assert "DSTOKEN_LIBRARY: not set" in out.stderr


def test_typed_public_api():
    import inspect

    for name in dstoken.__all__:
        obj = getattr(dstoken, name)
        if callable(obj) and not isinstance(obj, type):
            sig = inspect.signature(obj)
            assert sig.return_annotation is not inspect.Signature.empty, name
            assert obj.__doc__, name
    assert json.loads(json.dumps(dstoken.__version__)) == cargo_version()
