"""Finds and loads libdstoken, and declares the C functions the package calls (internal).

The library is looked for, in order:

1. next to this file (a platform wheel bundles ``libdstoken.so.<abi>`` inside the package);
2. the ``DSTOKEN_LIBRARY`` environment variable (the full path of a libdstoken);
3. the system library: the SONAME ``libdstoken.so.<abi>`` through the dynamic loader (what a
   distribution package such as Debian's ``python3-dstoken`` uses), then whatever
   ``ctypes.util.find_library("dstoken")`` finds.

When none loads, ``OSError`` lists every place tried and how to point ``DSTOKEN_LIBRARY`` at a
library. A library whose ABI (major.minor while the version is 0.x) differs from the one the
package was built for is refused, with both versions in the message.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import sys
from pathlib import Path
from typing import Any, Callable, List, Optional, Tuple, cast

try:  # written by the wheel build (hatch_build.py); absent in a source checkout
    from . import _build_info  # type: ignore[attr-defined]

    BUILD_VERSION: Optional[str] = _build_info.VERSION
except ImportError:  # pragma: no cover - depends on how the package was installed
    _build_info = None
    BUILD_VERSION = None

HERE = Path(__file__).resolve().parent


def _source_version() -> Optional[str]:
    """The crate version when running from a checkout (bindings/python/dstoken -> Cargo.toml)."""
    cargo = HERE.parent.parent.parent / "Cargo.toml"
    try:
        m = re.search(r'^version = "([0-9]+\.[0-9]+\.[0-9]+)"', cargo.read_text(encoding="utf-8"), re.M)
    except OSError:
        return None
    return m.group(1) if m else None


EXPECTED_VERSION: Optional[str] = BUILD_VERSION or _source_version()


def abi_of(version: str) -> str:
    """The ABI part of a version, as the build names the SONAME: ``0.<minor>`` before 1.0,
    ``<major>`` from 1.0 on (build.rs / CMakeLists.txt)."""
    major, minor = version.split(".")[:2]
    return f"0.{minor}" if major == "0" else major


def soname(version: Optional[str]) -> Optional[str]:
    if version is None:
        return None
    abi = abi_of(version)
    if sys.platform == "darwin":
        return f"libdstoken.{abi}.dylib"
    if sys.platform == "win32":
        return "dstoken.dll"
    return f"libdstoken.so.{abi}"


SONAME = soname(EXPECTED_VERSION)


def _bundled() -> List[Path]:
    if SONAME:
        return [HERE / SONAME]
    # Without a known version: whatever libdstoken the wheel put next to this file.
    found = sorted(HERE.glob("libdstoken.so*")) + sorted(HERE.glob("libdstoken*.dylib")) + sorted(HERE.glob("dstoken.dll"))
    return found or [HERE / "libdstoken.so.<abi>"]


def _load() -> Tuple[ctypes.CDLL, str]:
    tried: List[str] = []

    def attempt(spec: str, how: str) -> Optional[ctypes.CDLL]:
        try:
            # PyDLL: calls keep the GIL. Every dstoken call is short and never blocks (a mint or a
            # verify takes well under a microsecond, the largest token tens of microseconds),
            # less than handing the GIL to another thread and taking it back: with ctypes.CDLL
            # two busy threads turned every call into such a hand-off (2 threads minted at 0.67x
            # the rate of one, at 1.8x the CPU per token; with PyDLL 0.9x at 1.1x).
            return ctypes.PyDLL(spec)
        except OSError as e:
            tried.append(f"{how} {spec}: {e}")
            return None

    for path in _bundled():
        if path.exists():
            lib = attempt(str(path), "next to the package:")
            if lib is not None:
                return lib, str(path)
        else:
            tried.append(f"next to the package: {path}: no such file")
    env = os.environ.get("DSTOKEN_LIBRARY")
    if env:
        lib = attempt(env, "DSTOKEN_LIBRARY=")
        if lib is not None:
            return lib, env
    else:
        tried.append("DSTOKEN_LIBRARY: not set")
    system = [s for s in (SONAME, ctypes.util.find_library("dstoken")) if s]
    for name in dict.fromkeys(system):
        lib = attempt(name, "system library")
        if lib is not None:
            return lib, name
    if not system:
        tried.append("system library: ctypes.util.find_library('dstoken') found nothing")
    raise OSError(
        "dstoken: cannot load the native library libdstoken. Tried, in order:\n  - "
        + "\n  - ".join(tried)
        + "\nInstall a dstoken wheel that bundles it, install the system package (libdstoken), "
        "or set DSTOKEN_LIBRARY to the full path of libdstoken.so"
    )


lib: ctypes.CDLL
library_path: str
lib, library_path = _load()

_P = ctypes.c_void_p
STATUS = ctypes.c_int


def fn(name: str, restype: Any, *argtypes: Any) -> Callable[..., Any]:
    try:
        f = getattr(lib, name)
    except AttributeError:
        raise OSError(
            f"dstoken: {library_path} has no function {name}: it is an older libdstoken than this "
            f"package (built for {EXPECTED_VERSION or 'an unknown version'}); install a matching "
            "libdstoken or point DSTOKEN_LIBRARY at one"
        ) from None
    f.restype = restype
    f.argtypes = list(argtypes)
    return cast(Callable[..., Any], f)


version = fn("dst_version", ctypes.c_char_p)
LIBRARY_VERSION: str = version().decode()
if EXPECTED_VERSION and abi_of(LIBRARY_VERSION) != abi_of(EXPECTED_VERSION):
    raise OSError(
        f"dstoken: {library_path} is libdstoken {LIBRARY_VERSION}, but this package needs the "
        f"{abi_of(EXPECTED_VERSION)} ABI (version {EXPECTED_VERSION}); install a matching libdstoken "
        "or point DSTOKEN_LIBRARY at one"
    )


class RoomToken(ctypes.Structure):
    """``dst_room_token`` (version 3). ``struct_size`` first; NULL/0/false fields are absent."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("team_id", ctypes.c_char_p),
        ("room", ctypes.c_char_p),
        ("user_name", ctypes.c_char_p),
        ("user_id", ctypes.c_char_p),
        ("initials", ctypes.c_char_p),
        ("role", ctypes.c_char_p),
        ("breakout_id", ctypes.c_char_p),
        ("avatar", ctypes.c_char_p),
        ("issued_at", ctypes.c_int64),
        ("not_before", ctypes.c_int64),
        ("expires_at", ctypes.c_int64),
        ("lifetime_seconds", ctypes.c_int64),
        ("not_before_skew_seconds", ctypes.c_int64),
        ("now", ctypes.c_int64),
        ("no_expiry", ctypes.c_bool),
        ("max_lifetime_seconds", ctypes.c_int64),
        ("lifetime_nanos", ctypes.c_uint32),
    ]


class Error(ctypes.Structure):
    """``dst_error``: the calling thread's last error as data."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("status", ctypes.c_int32),
        ("reason", ctypes.c_uint32),
        ("argument", ctypes.c_uint32),
        ("other", ctypes.c_uint32),
        ("value", ctypes.c_int64),
        ("limit", ctypes.c_int64),
        ("time", ctypes.c_int64),
        ("suggested", ctypes.c_int64),
        ("name", ctypes.c_char * 128),
        ("text", ctypes.c_char * 256),
    ]


class VerifyOptions(ctypes.Structure):
    """``dst_verify_options``."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("now", ctypes.c_int64),
        ("leeway_seconds", ctypes.c_uint32),
        ("exp_optional", ctypes.c_bool),
        ("team_id", ctypes.c_char_p),
        ("room", ctypes.c_char_p),
        ("required", ctypes.POINTER(ctypes.c_char_p)),
        ("required_len", ctypes.c_size_t),
    ]


ROOM_TOKEN_SIZE: int = ctypes.sizeof(RoomToken)
VERIFY_OPTIONS_SIZE: int = ctypes.sizeof(VerifyOptions)
_PP = ctypes.POINTER(_P)

claims_new = fn("dst_claims_new", _P)
claims_clone = fn("dst_claims_clone", _P, _P)
claims_free = fn("dst_claims_free", None, _P)
set_string = fn("dst_claims_set_string", STATUS, _P, ctypes.c_char_p, ctypes.c_char_p)
set_int = fn("dst_claims_set_int", STATUS, _P, ctypes.c_char_p, ctypes.c_int64)
set_json = fn("dst_claims_set_json", STATUS, _P, ctypes.c_char_p, ctypes.c_char_p)
set_custom_string = fn("dst_claims_set_custom_string", STATUS, _P, ctypes.c_char_p, ctypes.c_char_p)
set_custom_int = fn("dst_claims_set_custom_int", STATUS, _P, ctypes.c_char_p, ctypes.c_int64)
set_custom_bool = fn("dst_claims_set_custom_bool", STATUS, _P, ctypes.c_char_p, ctypes.c_bool)
set_custom_json = fn("dst_claims_set_custom_json", STATUS, _P, ctypes.c_char_p, ctypes.c_char_p)
set_lifetime = fn("dst_claims_set_lifetime", STATUS, _P, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint32,
                  ctypes.c_int64)
set_validity = fn("dst_claims_set_validity", STATUS, _P, ctypes.c_int64, ctypes.c_int64)
remove = fn("dst_claims_remove", STATUS, _P, ctypes.c_char_p)
get_string = fn("dst_claims_get_string", STATUS, _P, ctypes.c_char_p, _PP)
get_int = fn("dst_claims_get_int", STATUS, _P, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int64))
get_bool = fn("dst_claims_get_bool", STATUS, _P, ctypes.c_char_p, ctypes.POINTER(ctypes.c_bool))
get_json = fn("dst_claims_get_json", STATUS, _P, ctypes.c_char_p, _PP)
to_json = fn("dst_claims_to_json", STATUS, _P, _PP)
key_new = fn("dst_key_new", STATUS, ctypes.c_char_p, ctypes.c_size_t, _PP)
key_new_text = fn("dst_key_new_text", STATUS, ctypes.c_char_p, ctypes.c_size_t, _PP)
key_free = fn("dst_key_free", None, _P)
sign = fn("dst_sign", STATUS, _P, _P, _PP)
mint_into = fn(
    "dst_mint_into", STATUS, ctypes.POINTER(RoomToken), _P, ctypes.c_char_p, ctypes.c_size_t,
    ctypes.POINTER(ctypes.c_size_t),
)
# The same function without declared argument types, for the per-token path: its callers pass
# only ready ctypes objects (byref(RoomToken), c_void_p, char buffer, c_size_t, byref(c_size_t)).
mint_into_raw: Any = lib["dst_mint_into"]  # a new function object (getattr would share mint_into)
mint_into_raw.restype = STATUS
mint_url = fn("dst_mint_url", STATUS, ctypes.POINTER(RoomToken), _P, ctypes.c_char_p, _PP)
verify_opts: Callable[..., Any] = fn("dst_verify_opts", STATUS, ctypes.c_char_p, _P, ctypes.POINTER(VerifyOptions), _PP)
decode_unverified = fn("dst_decode_unverified", STATUS, ctypes.c_char_p, _PP, _PP)
join_url = fn("dst_join_url", STATUS, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, _PP)
join_url_opts = fn("dst_join_url_opts", STATUS, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                   ctypes.c_uint32, _PP)
URL_ALLOW_PORT = 1  # DST_URL_ALLOW_PORT
string_free = fn("dst_string_free", None, _P)
last_error = fn("dst_last_error", ctypes.c_bool, ctypes.POINTER(Error))
status_name = fn("dst_status_name", ctypes.c_char_p, ctypes.c_int)
