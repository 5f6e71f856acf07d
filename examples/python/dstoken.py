"""dstoken for Python, through ctypes: mint and verify Digital Samba room tokens.

    from dstoken import Claims, Key, sign, verify, join_url
    key = Key(b"your developer key")
    claims = Claims(td="team-id", rd="daily-standup", u="John Smith", role="moderator")
    claims.set_validity(skew=30, lifetime=3600)
    token = sign(claims, key)

The shared library is found from, in order: the DSTOKEN_LIBRARY environment variable (a full
path), the CMake build directory next to this file (../../build/stage/lib), then the
system's library search path. Every string the library returns is copied into Python and
freed with dst_string_free; every handle is released when its Python object is closed or
collected. Errors raise DstokenError carrying the status name and the library's message.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import time
from pathlib import Path
from typing import Optional, Union

__all__ = ["DstokenError", "Claims", "Key", "sign", "verify", "join_url", "version", "library_path"]

_c_char_pp = ctypes.POINTER(ctypes.c_char_p)


def _candidates() -> list[str]:
    names = {"linux": "libdstoken.so", "darwin": "libdstoken.dylib", "win32": "dstoken.dll"}
    name = names.get(sys.platform, "libdstoken.so")
    found = []
    env = os.environ.get("DSTOKEN_LIBRARY")
    if env:
        found.append(env)
    here = Path(__file__).resolve().parent
    for build in (here.parent.parent / "build" / "stage" / "lib", here.parent.parent / "target" / "release"):
        found.append(str(build / name))
    system = ctypes.util.find_library("dstoken")
    if system:
        found.append(system)
    return found


def _load() -> tuple[ctypes.CDLL, str]:
    tried = []
    for path in _candidates():
        if os.path.sep in path and not os.path.exists(path):
            tried.append(f"{path} (missing)")
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as e:  # pragma: no cover - depends on the machine
            tried.append(f"{path} ({e})")
    raise OSError("cannot load the dstoken library; tried: " + "; ".join(tried or ["nothing"]))


_lib, library_path = _load()

_STATUS = ctypes.c_int
_P = ctypes.c_void_p


def _fn(name: str, restype, *argtypes):
    f = getattr(_lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


_claims_new = _fn("dst_claims_new", _P)
_claims_clone = _fn("dst_claims_clone", _P, _P)
_claims_free = _fn("dst_claims_free", None, _P)
_set_string = _fn("dst_claims_set_string", _STATUS, _P, ctypes.c_char_p, ctypes.c_char_p)
_set_int = _fn("dst_claims_set_int", _STATUS, _P, ctypes.c_char_p, ctypes.c_int64)
_set_bool = _fn("dst_claims_set_bool", _STATUS, _P, ctypes.c_char_p, ctypes.c_bool)
_set_json = _fn("dst_claims_set_json", _STATUS, _P, ctypes.c_char_p, ctypes.c_char_p)
_set_expires_in = _fn("dst_claims_set_expires_in", _STATUS, _P, ctypes.c_int64)
_set_validity = _fn("dst_claims_set_validity", _STATUS, _P, ctypes.c_int64, ctypes.c_int64)
_remove = _fn("dst_claims_remove", _STATUS, _P, ctypes.c_char_p)
_get_string = _fn("dst_claims_get_string", _STATUS, _P, ctypes.c_char_p, ctypes.POINTER(_P))
_get_int = _fn("dst_claims_get_int", _STATUS, _P, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int64))
_get_bool = _fn("dst_claims_get_bool", _STATUS, _P, ctypes.c_char_p, ctypes.POINTER(ctypes.c_bool))
_get_json = _fn("dst_claims_get_json", _STATUS, _P, ctypes.c_char_p, ctypes.POINTER(_P))
_to_json = _fn("dst_claims_to_json", _STATUS, _P, ctypes.POINTER(_P))
_key_new = _fn("dst_key_new", _STATUS, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_P))
_key_free = _fn("dst_key_free", None, _P)
_sign = _fn("dst_sign", _STATUS, _P, _P, ctypes.POINTER(_P))
_verify = _fn("dst_verify", _STATUS, ctypes.c_char_p, _P, ctypes.c_int64, ctypes.c_uint32, ctypes.POINTER(_P))
_join_url = _fn("dst_join_url", _STATUS, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(_P))
_string_free = _fn("dst_string_free", None, _P)
_last_error = _fn("dst_last_error_message", ctypes.c_char_p)
_status_name = _fn("dst_status_name", ctypes.c_char_p, ctypes.c_int)
_version = _fn("dst_version", ctypes.c_char_p)


class DstokenError(Exception):
    """A dstoken call failed. `status` is the number, `name` e.g. "DST_ERR_BAD_SIGNATURE"."""

    def __init__(self, status: int, message: str):
        self.status = status
        self.name = _status_name(status).decode()
        self.message = message
        super().__init__(f"{self.name}: {message}")


def _check(status: int) -> None:
    if status != 0:
        raise DstokenError(status, _last_error().decode("utf-8", "replace"))


def _utf8(value: str, what: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{what} must not contain NUL characters")
    return value.encode("utf-8")


def _i64(value: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{what} must be int")
    if not -(2**63) <= value < 2**63:
        raise OverflowError(f"{what} does not fit in a signed 64-bit integer")
    return value


def _take_string(p: ctypes.c_void_p) -> str:
    """Copies a library-owned string into Python and frees it."""
    try:
        return ctypes.string_at(p).decode("utf-8")
    finally:
        _string_free(p)


def version() -> str:
    return _version().decode()


class Key:
    """An HS256 key from the developer key's raw bytes (a str is encoded as UTF-8)."""

    _h: Optional[int] = None

    def __init__(self, secret: Union[bytes, str]):
        if isinstance(secret, str):
            secret = secret.encode("utf-8")
        if not isinstance(secret, (bytes, bytearray)):
            raise TypeError("secret must be bytes or str")
        out = _P()
        _check(_key_new(bytes(secret), len(secret), ctypes.byref(out)))
        self._h: Optional[int] = out.value

    def _handle(self) -> int:
        if not self._h:
            raise ValueError("the key is closed")
        return self._h

    def close(self) -> None:
        if self._h:
            _key_free(self._h)
            self._h = None

    def __enter__(self) -> "Key":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def __repr__(self) -> str:
        return "Key(<secret>)" if self._h else "Key(<closed>)"


class Claims:
    """Token claims. Keyword arguments set claims by name: str -> string, bool -> boolean,
    int -> integer; anything else is given as JSON text through set_json."""

    _h: Optional[int] = None

    def __init__(self, _handle: Optional[int] = None, **claims):
        self._h: Optional[int] = _handle if _handle is not None else _claims_new()
        if not self._h:
            _check(13)
        for name, value in claims.items():
            self[name] = value

    def _handle(self) -> int:
        if not self._h:
            raise ValueError("the claims are closed")
        return self._h

    def __setitem__(self, name: str, value) -> None:
        n = _utf8(name, "name")
        if isinstance(value, bool):
            _check(_set_bool(self._handle(), n, value))
        elif isinstance(value, int):
            _check(_set_int(self._handle(), n, _i64(value, name)))
        elif isinstance(value, str):
            _check(_set_string(self._handle(), n, _utf8(value, "value")))
        else:
            raise TypeError("use set_json for values other than str, int and bool")

    def set_json(self, name: str, json_text: str) -> None:
        _check(_set_json(self._handle(), _utf8(name, "name"), _utf8(json_text, "json_text")))

    def set_expires_in(self, seconds: int) -> None:
        _check(_set_expires_in(self._handle(), _i64(seconds, "seconds")))

    def set_validity(self, skew: int, lifetime: int) -> None:
        _check(_set_validity(self._handle(), _i64(skew, "skew"), _i64(lifetime, "lifetime")))

    def __delitem__(self, name: str) -> None:
        _check(_remove(self._handle(), _utf8(name, "name")))

    def get_string(self, name: str) -> str:
        out = _P()
        _check(_get_string(self._handle(), _utf8(name, "name"), ctypes.byref(out)))
        return _take_string(out)

    def get_int(self, name: str) -> int:
        out = ctypes.c_int64()
        _check(_get_int(self._handle(), _utf8(name, "name"), ctypes.byref(out)))
        return out.value

    def get_bool(self, name: str) -> bool:
        out = ctypes.c_bool()
        _check(_get_bool(self._handle(), _utf8(name, "name"), ctypes.byref(out)))
        return out.value

    def get_json(self, name: str) -> str:
        out = _P()
        _check(_get_json(self._handle(), _utf8(name, "name"), ctypes.byref(out)))
        return _take_string(out)

    def to_json(self) -> str:
        out = _P()
        _check(_to_json(self._handle(), ctypes.byref(out)))
        return _take_string(out)

    def copy(self) -> "Claims":
        h = _claims_clone(self._handle())
        if not h:
            _check(13)
        return Claims(_handle=h)

    def close(self) -> None:
        if self._h:
            _claims_free(self._h)
            self._h = None

    def __enter__(self) -> "Claims":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


def sign(claims: Claims, key: Key) -> str:
    out = _P()
    _check(_sign(claims._handle(), key._handle(), ctypes.byref(out)))
    return _take_string(out)


def verify(token: str, key: Key, now: Optional[int] = None, leeway: int = 0) -> Claims:
    now = int(time.time()) if now is None else _i64(now, "now")
    if not 0 <= leeway < 2**32:
        raise OverflowError("leeway must fit in an unsigned 32-bit integer")
    out = _P()
    _check(_verify(_utf8(token, "token"), key._handle(), now, leeway, ctypes.byref(out)))
    return Claims(_handle=out.value)


def join_url(team: str, room: str, token: Optional[str] = None) -> str:
    out = _P()
    tok = None if token is None else _utf8(token, "token")
    _check(_join_url(_utf8(team, "team"), _utf8(room, "room"), tok, ctypes.byref(out)))
    return _take_string(out)
