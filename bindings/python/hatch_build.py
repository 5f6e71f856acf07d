"""Wheel build hook: records the version the package was built for and, when
DSTOKEN_WHEEL_LIBRARY names a built libdstoken, bundles it next to the package under its
SONAME and tags the wheel py3-none-<platform> (the package is pure Python over ctypes, so it
suits every Python 3 ABI, but not every platform). <platform> is DSTOKEN_WHEEL_PLATFORM when
set (scripts/package.sh: manylinux_2_17_x86_64.manylinux2014_x86_64 for the library built at
the glibc 2.17 floor), else this machine's own tag (linux_x86_64: a wheel for here only)."""
import os
import shutil
import sysconfig
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _soname(version: str) -> str:
    # As build.rs and CMakeLists.txt name it: libdstoken.so.0.<minor> before 1.0, .<major> after.
    major, minor = version.split(".")[:2]
    return f"libdstoken.so.{'0.' + minor if major == '0' else major}"


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version, build_data):
        if self.target_name != "wheel":
            return
        pkg_version = self.metadata.version
        tmp = self._tmp = Path(tempfile.mkdtemp(prefix="dstoken-wheel-"))
        info = tmp / "_build_info.py"
        info.write_text(f'"""Written by hatch_build.py."""\nVERSION = "{pkg_version}"\n', encoding="utf-8")
        build_data["force_include"][str(info)] = "dstoken/_build_info.py"
        lib = os.environ.get("DSTOKEN_WHEEL_LIBRARY")
        if not lib:
            return
        if not Path(lib).is_file():
            raise RuntimeError(f"DSTOKEN_WHEEL_LIBRARY={lib}: no such file")
        build_data["force_include"][lib] = f"dstoken/{_soname(pkg_version)}"
        build_data["pure_python"] = False
        platform = os.environ.get("DSTOKEN_WHEEL_PLATFORM") or sysconfig.get_platform().replace("-", "_").replace(".", "_")
        build_data["tag"] = f"py3-none-{platform}"

    def finalize(self, version, build_data, artifact_path):
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
