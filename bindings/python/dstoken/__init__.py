"""dstoken: mint and verify Digital Samba room tokens (HS256 JWTs) through libdstoken.

One call per token::

    import dstoken
    key = dstoken.Key(b"your developer key")
    token = dstoken.mint(key, team_id="team-id", room="daily-standup",
                         user_name="John Smith", role="moderator", lifetime=3600)

Verifying gives the claims as a read-only mapping, as PyJWT's ``jwt.decode()`` does::

    claims = dstoken.verify(token, key)
    claims["u"], "role" in claims, dict(claims)

The claims builder (the same token; custom claims too)::

    claims = dstoken.Claims(team_id="team-id", room="daily-standup", user_name="John Smith",
                            role="moderator")
    claims.set_validity(skew=30, lifetime=3600)
    token = dstoken.sign(claims, key)

Safe by default: a token must expire (``lifetime=`` or ``expires_at=``; ``no_expiry=True``
signs one without ``exp`` on purpose), times are unix seconds within 1970..9999 (a value in
milliseconds is refused, saying so), an expiry already past is refused, and ``custom=`` never
sets a registered claim such as ``role`` or ``rd``.

Both cross into the native library once per token: ``Claims`` keeps its values in Python and
signs through libdstoken's one-call mint (``dst_mint_into``). Claims with custom members are
signed through a native claim set instead (one call per claim, then one to sign).

Errors: every failure raises :class:`DstokenError` (or a subclass), which carries the status
name (``e.name``, e.g. ``"DST_ERR_MISSING_CLAIM"``), its number (``e.status``) and a message
that names the Python function or method called and its arguments. Argument errors found in
Python are also ``TypeError``, ``ValueError`` or ``OverflowError``.

The native library is found as :mod:`dstoken._native` describes: next to the package (the
wheel bundles it), then ``DSTOKEN_LIBRARY``, then the system library. ``library_path`` says
which was loaded.

Thread safety: a :class:`Key` may be shared by any number of threads; its calls take no lock
and write nothing the threads share. A :class:`Claims` must not be mutated by one thread while
another uses it (the read-only claims ``verify()`` returns may be read by any number).
``close()`` returns at once from anywhere (another thread, a signal handler, a ``fork()``
child): a closed object raises, and no call ever reaches freed memory (a call already using
the key finishes with it, and the last such call frees and wipes it).
"""
from __future__ import annotations

import copy as _copy
import ctypes
import datetime as _datetime
import decimal
import json
import math
import numbers
import re
import time
from collections.abc import Iterator, Mapping
from typing import Any, Dict, List, NoReturn, Optional, Set, Tuple, Union

from . import _native as _n

__all__ = [
    "DstokenError",
    "Claims",
    "Key",
    "mint",
    "mint_url",
    "sign",
    "verify",
    "join_url",
    "version",
    "library_path",
    "__version__",
]

library_path: str = _n.library_path
"""The path (or system name) of the libdstoken that was loaded."""

__version__: str = _n.LIBRARY_VERSION
"""The version of the loaded libdstoken; equals the package version (both come from Cargo.toml)."""

# Status numbers (include/dstoken.h; append-only there).
_INVALID_UTF8 = 2
_INVALID_ARGUMENT = 3
_MISSING_CLAIM = 4
_BUFFER_TOO_SMALL = 5
_MALFORMED_TOKEN = 6
_NOT_FOUND = 11
_INTERNAL = 13

_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1


def version() -> str:
    """The version of the loaded libdstoken, e.g. ``"0.1.0"`` (same as ``__version__``)."""
    return _n.LIBRARY_VERSION


class DstokenError(Exception):
    """A dstoken call failed.

    Attributes: ``status`` (the ``dst_status`` number), ``name`` (its name, e.g.
    ``"DST_ERR_BAD_SIGNATURE"``) and ``message`` (what went wrong, naming the function or
    method called and the argument or claim at fault). ``str(e)`` is ``"<name>: <message>"``.
    """

    def __init__(self, status: int, message: str):
        self.status = status
        self.name: str = (_n.status_name(status) or b"DST_ERR_UNKNOWN").decode()
        self.message = message
        super().__init__(f"{self.name}: {message}")


class _TypeError(DstokenError, TypeError):
    """An argument of the wrong Python type (status DST_ERR_INVALID_ARGUMENT)."""


class _ValueError(DstokenError, ValueError):
    """An unacceptable argument value found in Python (a closed object, a NUL character...)."""


class _OverflowError(DstokenError, OverflowError):
    """An integer outside the C type's range."""


for _cls, _public in ((_TypeError, "TypeError"), (_ValueError, "ValueError"), (_OverflowError, "OverflowError")):
    _cls.__name__ = _cls.__qualname__ = f"DstokenError({_public})"
    _cls.__module__ = __name__


# ---- the registered claims --------------------------------------------------------------------

_REGISTERED: Tuple[str, ...] = ("td", "rd", "u", "ud", "initials", "role", "breakoutId", "avatar", "iat", "nbf", "exp")
_READABLE: Tuple[str, ...] = ("team_id", "room", "user_name", "user_id", "initials", "role", "breakout_id", "avatar",
                              "issued_at", "not_before", "expires_at")
_FIRST_TIME = 8
_SLOT: Dict[str, int] = {name: i for i, name in enumerate(_REGISTERED)}
_KEYWORD: Dict[str, int] = {**_SLOT, **{name: i for i, name in enumerate(_READABLE)}}
_NAME_BYTES: Tuple[bytes, ...] = tuple(n.encode() for n in _REGISTERED)
_KEYWORD_FIELD: Dict[str, Tuple[int, str]] = {k: (slot, _READABLE[slot]) for k, slot in _KEYWORD.items()}
_SHORT_ALIASED = frozenset(r for r, a in zip(_REGISTERED, _READABLE) if r != a)
_LONG_ALIASED = frozenset(a for r, a in zip(_REGISTERED, _READABLE) if r != a)


def _missing_claim_hint(message: str, minting: Union[bool, str]) -> str:
    m = re.search(r'claim "([A-Za-z]+)"', message)
    if not m or m.group(1) not in _SLOT:
        return ""
    name = m.group(1)
    readable = _READABLE[_SLOT[name]]
    if minting:
        return f"; pass {readable}=... to {minting if isinstance(minting, str) else 'dstoken.mint()'}"
    return f"; set it with Claims({readable}=...) or claims.set({readable}=...)"


# The C ABI's argument and field names, as a Python caller knows them.
_C_WORDS = (("token->lifetime_seconds", "lifetime"), ("token->not_before_skew_seconds", "not_before_skew"),
            ("not_before_skew_seconds", "not_before_skew"), ("lifetime_seconds", "lifetime"),
            ("skew_seconds", "skew"), ("token->", ""),
            ("DST_URL_ALLOW_PORT / the binding's allow-port option", "allow_port=True"),
            ("DST_URL_ALLOW_PORT", "allow_port=True"))


def _raise(status: int, method: str, minting: Union[bool, str] = False) -> NoReturn:
    """Raises the library's last error for `status`, naming the Python `method` instead of the C
    function (the C name is an implementation detail)."""
    text = (_n.last_error() or b"").decode("utf-8", "replace")
    text = re.sub(r"^dst_[a-z_]+: ", "", text) or "failed"
    for c_words, python_words in _C_WORDS:
        text = text.replace(c_words, python_words)
    if status == _MISSING_CLAIM:
        text += _missing_claim_hint(text, minting)
    raise DstokenError(status, f"{method}: {text}")


def _utf8(value: Any, what: str, method: str) -> bytes:
    if not isinstance(value, str):
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: {what} must be str, not {type(value).__name__}")
    if "\0" in value:
        raise _ValueError(_INVALID_ARGUMENT, f"{method}: {what} must not contain NUL characters")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise _ValueError(_INVALID_UTF8, f"{method}: {what} is not valid Unicode text ({e.reason} at index {e.start})") from None


def _i64(value: Any, what: str, method: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: {what} must be int, not {type(value).__name__}")
    if not _I64_MIN <= value <= _I64_MAX:
        raise _OverflowError(_INVALID_ARGUMENT, f"{method}: {what} ({value}) does not fit in a signed 64-bit integer")
    return value


def _type_desc(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"


def _take_string(p: ctypes.c_void_p) -> str:
    """Copies a library-owned string into Python and frees it with dst_string_free."""
    try:
        return ctypes.string_at(p).decode("utf-8")
    finally:
        _n.string_free(p)


# ---- times: the signing side's range, milliseconds, lifetimes --------------------------------

_MAX_TIME = 253402300799  # 9999-12-31T23:59:59Z, RFC 3339's last second
# A lifetime up to this keeps now + lifetime in range for any clock before 2100 (the inline path
# then needs no clock reading; a longer one is checked against the clock).
_FAST_LIFETIME_MAX = _MAX_TIME - 4102444800


def _iso(t: int) -> str:
    """Unix seconds in [0, _MAX_TIME] as RFC 3339 UTC."""
    return _datetime.datetime.fromtimestamp(t, _datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _range_problem(value: int) -> str:
    if value < 0:
        return ("is before 1970-01-01T00:00:00Z; times are unix seconds from 0 to 253402300799 "
                "(9999-12-31T23:59:59Z)")
    text = "is after 9999-12-31T23:59:59Z (253402300799)"
    if value // 1000 <= _MAX_TIME:
        text += f"; it looks like milliseconds: pass {value // 1000} (seconds)"
    return text


def _time_arg(value: Any, what: str, method: str) -> int:
    """An explicit time (issued_at, not_before, expires_at, now): an int of unix seconds within
    [1970, 9999]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: {what} must be int (unix seconds), not {type(value).__name__}")
    if not 0 <= value <= _MAX_TIME:
        raise _ValueError(_INVALID_ARGUMENT, f"{method}: {what} ({value}) {_range_problem(value)}")
    return value


def _seconds_arg(value: Any, what: str, method: str, zero_ok: bool) -> int:
    """A duration in seconds (int or any real number; a fraction rounds up to a whole second):
    > 0, or >= 0 when zero_ok."""
    if type(value) is int and 0 < value <= _MAX_TIME:  # the common case, without ABC checks
        return value
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, decimal.Decimal)):
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: {what} must be a number of seconds, not {type(value).__name__}")
    if not isinstance(value, int):
        if not (value.is_finite() if isinstance(value, decimal.Decimal) else math.isfinite(value)):
            raise _ValueError(_INVALID_ARGUMENT, f"{method}: {what} must be a finite number of seconds, got {value}")
        value = math.ceil(value)
    if value < 0 or (value == 0 and not zero_ok):
        raise _ValueError(_INVALID_ARGUMENT,
                          f"{method}: {what} must {'not be negative' if zero_ok else 'be positive'}, got {value}")
    if value > _MAX_TIME:
        raise _ValueError(_INVALID_ARGUMENT, f"{method}: {what} ({value}) is longer than any time up to "
                                             "9999-12-31T23:59:59Z allows; it is in seconds")
    return int(value)


def _sum_time(t0: int, seconds: int, what: str, method: str) -> int:
    """now + lifetime, within range (the message says what to fix)."""
    t = t0 + seconds
    if t > _MAX_TIME:
        hint = f"; {what} looks like milliseconds: pass {-(-seconds // 1000)}" if t0 + seconds // 1000 <= _MAX_TIME else ""
        raise _ValueError(_INVALID_ARGUMENT, f"{method}: now + {what} ({t0} + {seconds}) is after "
                                             f"9999-12-31T23:59:59Z{hint}")
    return t


def _ago(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    parts = [f"{v} {u}" for v, u in ((days, "d"), (h, "h"), (m, "min"), (s, "s")) if v]
    return " ".join(parts) or "0 s"


def _expired_error(method: str, exp: Any, now: int, fix: str) -> DstokenError:
    when = f"{exp} = {_iso(int(exp))}" if isinstance(exp, int) and 0 <= exp <= _MAX_TIME else f"{exp}"
    ago = f", {_ago(now - exp)} before now" if isinstance(exp, int) else ", not after now"
    return _ValueError(_INVALID_ARGUMENT, f"{method}: the token would be expired when signed: exp ({when}) "
                                          f"is not after now ({now} = {_iso(now)}){ago}; {fix}")


def _no_expiry_error(method: str, fix: str) -> DstokenError:
    return _ValueError(_INVALID_ARGUMENT, f"{method}: no expiry: {fix}, or pass no_expiry=True to sign a token "
                                          "without exp (valid forever to anyone who gets hold of it)")


# ---- JSON values: custom claims in, exact values out -----------------------------------------

_JSON_STRING = json.JSONEncoder(ensure_ascii=False).encode


def _json_value(value: Any, where: str, method: str, depth: int = 0) -> str:
    """Compact JSON text for a custom claim's value: None, bool, int, float and Decimal (finite),
    str, lists/tuples and dicts with str keys. NaN and Infinity are refused (JSON has no such
    numbers, and a silent null or string would change the value)."""
    if depth > 100:
        raise _ValueError(_INVALID_ARGUMENT, f"{method}: {where} nests too deeply")
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, (float, decimal.Decimal)):
        if not value.is_finite() if isinstance(value, decimal.Decimal) else not math.isfinite(value):
            raise _ValueError(_INVALID_ARGUMENT, f"{method}: {where} is {value}, which JSON cannot represent; "
                                                 "only finite numbers can be claims")
        return float.__repr__(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return _JSON_STRING(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_json_value(v, where, method, depth + 1) for v in value) + "]"
    if isinstance(value, Mapping):
        parts = []
        for k, v in value.items():
            if not isinstance(k, str):
                raise _TypeError(_INVALID_ARGUMENT, f"{method}: {where}: object keys must be str, not {type(k).__name__}")
            parts.append(_JSON_STRING(k) + ":" + _json_value(v, where, method, depth + 1))
        return "{" + ",".join(parts) + "}"
    raise _TypeError(_INVALID_ARGUMENT, f"{method}: {where} is {_type_desc(value)}; claim values are str, int, bool, "
                                        "float, decimal.Decimal, None, lists and dicts of these")


def _exact_float(text: str) -> Union[float, decimal.Decimal]:
    """A JSON number with a fraction or exponent: a float when binary64 holds it exactly,
    otherwise a decimal.Decimal (0.1, 1e400, ...)."""
    d = decimal.Decimal(text)
    f = float(text)
    if math.isfinite(f) and decimal.Decimal(f) == d:
        return f
    return d


def _exact_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # more digits than sys.get_int_max_str_digits() allows through str
        return int(decimal.Decimal(text))


def _parse_claims(text: str) -> Dict[str, Any]:
    try:
        result: Dict[str, Any] = json.loads(text, parse_float=_exact_float)
    except ValueError:
        result = json.loads(text, parse_float=_exact_float, parse_int=_exact_int)
    return result


def _looks_like_url(token: str) -> bool:
    return token.startswith(("http://", "https://")) or "?token=" in token


# ---- native handles: freed by the last reference, so close() never waits -----------------------
#
# A native handle lives in a _Handle, a ctypes pointer that frees it when the last reference to
# it goes. The object (Key or Claims) holds one reference; a call holds another from the moment
# it reads the handle until the native function returns, as a local or as an argument. close()
# only marks the object closed and drops the object's reference: the handle is freed (a key
# wiped) at once, or, when a call is still using it (in another thread, or a call that a signal
# handler running close() interrupted, on the same thread), when that call returns. A call that
# reads the handle after close() finds None and raises. The interpreter keeps the count and
# frees exactly once; there is no lock, no wait and no per-thread state, so close() returns at
# once in a signal handler, in a nested one, in a fork() child and while other threads call.


class _Handle(ctypes.c_void_p):
    """A native handle (a ctypes pointer argument) that frees itself when no longer referenced."""

    def _release(self, handle: int) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def __del__(self) -> None:
        handle = self.value
        if handle:
            try:
                self._release(handle)
            except Exception:  # pragma: no cover - interpreter shutdown
                pass


class _KeyHandle(_Handle):
    def _release(self, handle: int) -> None:
        _n.key_free(handle)  # wipes the HMAC state


class _ClaimsHandle(_Handle):
    def _release(self, handle: int) -> None:
        _n.claims_free(handle)


class _Native:
    """An object with a native handle `_h` (None once closed). Subclasses set _h and _closed."""

    __slots__ = ("_h", "_closed", "__weakref__")
    _kind = "object"
    _h: Optional[_Handle]

    def _closed_error(self, method: str) -> DstokenError:
        return _ValueError(_INVALID_ARGUMENT, f"{method}: this {self._kind} is closed (close() was called)")

    def close(self) -> None:
        """Releases the native resources. Returns at once, from any thread, signal handler or
        fork() child: the native object is freed (a key wiped) now, or when the last call still
        using it returns. Idempotent; every later call raises DstokenError
        (DST_ERR_INVALID_ARGUMENT, also a ValueError)."""
        self._closed = True
        self._h = None

    @property
    def closed(self) -> bool:
        """True once close() has been called."""
        return getattr(self, "_closed", True)


class _Slow(Exception):
    """Claims() and mint(): leave the inline path for the general one."""


_RoomToken = _n.RoomToken
_ROOM_TOKEN_SIZE = _n.ROOM_TOKEN_SIZE
_byref = ctypes.byref


class Key(_Native):
    """An HS256 signing and verification key from the developer key's raw bytes (a ``str`` is
    encoded as UTF-8). The key state lives in libdstoken and is wiped when the key is closed
    or collected.

    Raises DstokenError (DST_ERR_INVALID_ARGUMENT) for an empty key. Thread safety: one Key
    may be used by any number of threads at once, without a lock or any shared write per
    call; ``close()`` returns at once (calls in flight finish with the key), later calls raise.
    Use it as a context manager (``with Key(secret) as key:``) or call ``close()``.
    """

    __slots__ = ()
    _kind = "key"

    def __init__(self, secret: Union[bytes, bytearray, memoryview, str]):
        if isinstance(secret, str):
            secret = secret.encode("utf-8")
        if not isinstance(secret, (bytes, bytearray, memoryview)):
            raise _TypeError(_INVALID_ARGUMENT, f"Key(): secret must be bytes or str, not {type(secret).__name__}")
        raw = bytes(secret)
        out = _KeyHandle()
        status = _n.key_new(raw, len(raw), ctypes.byref(out))
        if status:
            _raise(status, "Key()")
        self._h = out
        self._closed = False

    def __enter__(self) -> "Key":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "Key(<closed>)" if self.closed else "Key(<secret>)"


_CUSTOM_KW_HINT = 'pass custom claims explicitly: Claims(..., custom={"name": value}) or claims["name"] = value'
_READ_ONLY = "these claims came from dstoken.verify() and are read-only; claims.copy() gives a mutable copy"


def _registered_hint(slot: int, method: str) -> str:
    """What to pass instead of a registered claim given as a custom one."""
    kw = _READABLE[slot]
    if method.startswith("Claims"):
        return f"pass Claims({kw}=...) or claims.set({kw}=...) instead"
    also = " or lifetime=..." if kw == "expires_at" else ""
    return f"pass {kw}=...{also} to {method.split(' ')[0]} instead"


class Claims(_Native, Mapping[str, Any]):
    """The claims of one room token, and a read-only mapping of them.

    Keyword arguments set Digital Samba's registered claims, by their JWT names or by these
    readable aliases (the same claim either way)::

        team_id=     td  (required to sign)     room=        rd  (required to sign)
        user_name=   u                          user_id=     ud
        initials=    initials                   role=        role
        breakout_id= breakoutId                 avatar=      avatar
        issued_at=   iat   not_before= nbf   expires_at= exp   (int unix seconds, 1970..9999)

    Any other keyword is refused (DstokenError, also a TypeError), so a misspelt name can never
    become a custom claim that Digital Samba ignores. Custom claims are set explicitly:
    ``custom={"name": value}`` or ``claims["name"] = value``; both refuse the registered names
    above, so user data passed through them can never set ``role`` or ``rd``. Registered
    claims change by keyword: ``claims.set(user_id=..., role=...)``. Values: str, int (signed
    64-bit), bool, and through JSON float, decimal.Decimal, None, lists and dicts (NaN and
    Infinity are refused); :meth:`set_json` (the generic setter, any name) takes JSON text.

    Reading: a Claims is a ``collections.abc.Mapping`` of claim name to exact value, as
    PyJWT's ``jwt.decode()`` returns a dict: ``claims["u"]``, ``"u" in claims``,
    ``claims.get("u")``, ``dict(claims)``, iteration and ``len``. Numbers come back exact:
    ``int`` of any size, ``float`` when binary64 holds the number exactly, otherwise
    ``decimal.Decimal`` (``0.1``, ``1e400``). The typed getters (:meth:`get_string`, ...) stay.
    The claims :func:`verify` returns are read-only (setters raise; :meth:`copy` gives a
    mutable copy).

    Registered claims are kept in Python and signed through libdstoken's one-call mint, so
    building and signing costs one native call per token. The first getter, :meth:`to_json`,
    :meth:`set_json`, or signing with custom claims moves the claims into a native claim set
    (the same token; later setters then cost one native call each).

    Thread safety: do not mutate one Claims from two threads at once (read-only claims may be
    read by any number of threads); ``close()`` is safe against every other call. Use it as a
    context manager or call ``close()``.
    """

    __slots__ = ("_tok", "_custom", "_zeros", "_frozen", "_dict")
    _kind = "claim set"

    def __init__(self, *,
                 team_id: Optional[str] = None, room: Optional[str] = None, user_name: Optional[str] = None,
                 user_id: Optional[str] = None, initials: Optional[str] = None, role: Optional[str] = None,
                 breakout_id: Optional[str] = None, avatar: Optional[str] = None, issued_at: Optional[int] = None,
                 not_before: Optional[int] = None, expires_at: Optional[int] = None,
                 td: Optional[str] = None, rd: Optional[str] = None, u: Optional[str] = None, ud: Optional[str] = None,
                 breakoutId: Optional[str] = None, iat: Optional[int] = None, nbf: Optional[int] = None,
                 exp: Optional[int] = None,
                 custom: Optional[Mapping[str, Any]] = None, _handle: Optional[_ClaimsHandle] = None,
                 **unknown: NoReturn):
        # Builder mode: _tok (a dst_room_token) holds the registered claims, _custom the custom
        # ones in insertion order, _zeros the time slots explicitly set to 0 (which the struct
        # reads as absent). Native mode (_tok is None): the native claim set _h holds them all.
        # A keyword given None leaves its claim absent.
        self._h = _handle
        self._closed = False
        self._custom: Dict[str, Tuple[int, Any]] = {}
        self._zeros: Optional[Set[int]] = None
        self._frozen = False
        self._dict: Optional[Dict[str, Any]] = None
        if _handle is not None:
            self._tok: Optional[_n.RoomToken] = None
            return
        if unknown:
            keyword = next(iter(unknown))
            raise _TypeError(
                _INVALID_ARGUMENT,
                f"Claims(): unknown keyword {keyword!r}: it is not a Digital Samba claim. Claims are "
                + ", ".join(f"{r} (or {a})" if r != a else r for r, a in zip(_REGISTERED, _READABLE))
                + f"; {_CUSTOM_KW_HINT}")
        if (td is not None or rd is not None or u is not None or ud is not None or breakoutId is not None
                or iat is not None or nbf is not None or exp is not None):
            values: List[Any] = [team_id, room, user_name, user_id, initials, role, breakout_id, avatar, issued_at,
                                 not_before, expires_at]
            for slot, short in ((0, td), (1, rd), (2, u), (3, ud), (6, breakoutId), (8, iat), (9, nbf), (10, exp)):
                if short is not None:
                    if values[slot] is not None:
                        raise _TypeError(_INVALID_ARGUMENT, f"Claims(): {_READABLE[slot]}= and {_REGISTERED[slot]}= "
                                                            f"set the same claim ({_REGISTERED[slot]!r})")
                    values[slot] = short
            (team_id, room, user_name, user_id, initials, role, breakout_id, avatar, issued_at, not_before,
             expires_at) = values
        tok = self._tok = _RoomToken()
        tok.struct_size = _ROOM_TOKEN_SIZE
        # The common cases inline (the README path); anything else, and every error, through
        # _set_slot, which checks each claim and names the one at fault.
        try:
            if type(team_id) is str and team_id and "\0" not in team_id:
                tok.team_id = team_id.encode()
            elif team_id is not None:
                raise _Slow
            if type(room) is str and room and "\0" not in room:
                tok.room = room.encode()
            elif room is not None:
                raise _Slow
            if user_name is not None:
                if type(user_name) is not str or "\0" in user_name:
                    raise _Slow
                tok.user_name = user_name.encode()
            if user_id is not None:
                if type(user_id) is not str or "\0" in user_id:
                    raise _Slow
                tok.user_id = user_id.encode()
            if role is not None:
                if type(role) is not str or "\0" in role:
                    raise _Slow
                tok.role = role.encode()
            if initials is not None or breakout_id is not None or avatar is not None or not_before is not None:
                raise _Slow
            if issued_at is not None:
                if type(issued_at) is not int or not 0 < issued_at <= _MAX_TIME:
                    raise _Slow
                tok.issued_at = issued_at
            if expires_at is not None:
                if type(expires_at) is not int or not 0 < expires_at <= _MAX_TIME:
                    raise _Slow
                tok.expires_at = expires_at
        except (_Slow, UnicodeEncodeError):
            for slot, value in enumerate((team_id, room, user_name, user_id, initials, role, breakout_id, avatar,
                                          issued_at, not_before, expires_at)):
                if value is not None:
                    self._set_slot(slot, value, "Claims()")
        if custom:
            for name, value in custom.items():
                self._set_item(name, value, "Claims(custom=...)", custom_only=True)

    @classmethod
    def _verified(cls, handle: _ClaimsHandle) -> "Claims":
        """The read-only claims of a verified token (a native claim set)."""
        self = cls.__new__(cls)
        self._h = handle
        self._closed = False
        self._custom = {}
        self._zeros = None
        self._tok = None
        self._frozen = True
        self._dict = None
        return self

    # -- builder-mode helpers

    def _present(self, slot: int) -> bool:
        tok = self._tok
        assert tok is not None
        if slot < _FIRST_TIME:
            return getattr(tok, _READABLE[slot]) is not None
        return bool(getattr(tok, _READABLE[slot])) or (self._zeros is not None and slot in self._zeros)

    @staticmethod
    def _check_registered(slot: int, value: Any, method: str) -> Union[bytes, int]:
        """A registered claim's value, checked: a str (td and rd non-empty), or a time (an int
        of unix seconds in 1970..9999)."""
        name = _REGISTERED[slot]
        if slot < _FIRST_TIME:
            if not isinstance(value, str):
                raise _TypeError(_INVALID_ARGUMENT, f'{method}: claim "{name}" is a string, not {_type_desc(value)}')
            if not value and slot < 2:
                raise _ValueError(_INVALID_ARGUMENT, f'{method}: claim "{name}" must not be empty')
            return _utf8(value, f'claim "{name}"', method)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _TypeError(_INVALID_ARGUMENT,
                             f'{method}: claim "{name}" is a time (integer unix seconds), not {_type_desc(value)}')
        if not 0 <= value <= _MAX_TIME:
            raise _ValueError(_INVALID_ARGUMENT, f'{method}: claim "{name}" ({value}) {_range_problem(value)}')
        return value

    def _set_slot(self, slot: int, value: Any, method: str) -> None:
        tok = self._tok
        assert tok is not None
        checked = self._check_registered(slot, value, method)
        setattr(tok, _READABLE[slot], checked)
        if slot < _FIRST_TIME:
            return
        if value == 0:
            if self._zeros is None:
                self._zeros = set()
            self._zeros.add(slot)
        elif self._zeros:
            self._zeros.discard(slot)

    def _set_item(self, name: Any, value: Any, method: str, custom_only: bool = False) -> None:
        n = _utf8(name, "claim name", method)
        if not n:
            raise _ValueError(_INVALID_ARGUMENT, f"{method}: claim name must not be empty")
        slot = _SLOT.get(name)
        if slot is not None:
            if custom_only:
                raise _ValueError(_INVALID_ARGUMENT, f'{method}: "{name}" is a registered claim, which custom claims '
                                                     f'never set; {_registered_hint(slot, method)}')
            if self._tok is not None:
                self._set_slot(slot, value, method)
                return
            checked = self._check_registered(slot, value, method)
            if isinstance(checked, bytes):
                self._native_call(method, _n.set_string, n, checked)
            else:
                self._native_call(method, _n.set_int, n, checked)
            return
        kind, encoded = self._custom_value(name, value, method)
        if self._tok is not None:
            self._custom[name] = (kind, encoded)
            return
        self._native_call(method, _setter(kind), n, encoded)

    @staticmethod
    def _custom_value(name: str, value: Any, method: str) -> Tuple[int, Any]:
        """(kind, value as the native setter takes it): 0 bool, 1 int, 2 str, 3 JSON text."""
        if isinstance(value, bool):
            return 0, value
        if isinstance(value, int):
            return 1, _i64(value, f'claim "{name}"', method)
        if isinstance(value, str):
            return 2, _utf8(value, f'claim "{name}"', method)
        text = _json_value(value, f'claim "{name}"', method)
        try:
            return 3, text.encode("utf-8")
        except UnicodeEncodeError as e:  # a lone surrogate in a nested string
            raise _ValueError(_INVALID_UTF8, f'{method}: claim "{name}" is not valid Unicode text ({e.reason})') from None

    def _items(self, tok: "_n.RoomToken", custom: Dict[str, Tuple[int, Any]],
               zeros: Optional[Set[int]]) -> List[Tuple[int, bytes, Any]]:
        """Builder mode: (kind, name, value) of every claim, registered first; kinds as in
        _custom_value."""
        items: List[Tuple[int, bytes, Any]] = []
        for slot in range(11):
            value = getattr(tok, _READABLE[slot])
            if slot < _FIRST_TIME:
                if value is not None:
                    items.append((2, _NAME_BYTES[slot], value))
            elif value or (zeros and slot in zeros):
                items.append((1, _NAME_BYTES[slot], value))
        for name, (kind, value) in list(custom.items()):
            items.append((kind, name.encode("utf-8"), value))
        return items

    def _to_native(self, method: str) -> None:
        """Moves builder-mode claims into a native claim set (once; identical semantics). When
        two threads read one Claims at once, both copies hold the same claims: the one
        installed last stays, the other is freed when its last user is done."""
        tok, custom, zeros = self._tok, self._custom, self._zeros
        if tok is None:
            return
        if self._closed:
            raise self._closed_error(method)
        raw = _n.claims_new()
        if not raw:
            _raise(_INTERNAL, method)
        h = _ClaimsHandle(raw)  # freed with the last reference, also when a setter fails
        for kind, name, value in self._items(tok, custom, zeros):
            status = _setter(kind)(h, name, value)
            if status:
                del h
                _raise(status, method)
        if self._tok is tok:
            self._h, self._tok, self._custom, self._zeros = h, None, {}, None
        if self._closed:  # closed meanwhile (another thread, or a signal handler)
            self._h = None
            raise self._closed_error(method)

    def _native_call(self, method: str, f: Any, *args: Any) -> None:
        self._to_native(method)
        h = self._h  # kept alive by this reference until the call returns (see _Native)
        if h is None:
            raise self._closed_error(method)
        status = f(h, *args)
        del h
        if status:
            _raise(status, method)

    def _check_mutable(self, method: str) -> None:
        if self._frozen:
            raise _TypeError(_INVALID_ARGUMENT, f"{method}: {_READ_ONLY}")
        if self._closed:
            raise self._closed_error(method)

    # -- setters

    def __setitem__(self, name: str, value: Any) -> None:
        """Sets the custom claim `name` (as written) to a str, int (signed 64-bit), bool, or a
        float, decimal.Decimal, None, list or dict (as JSON; NaN and Infinity refused). A
        registered name (td rd u ud initials role breakoutId avatar iat nbf exp) is refused, as
        in ``custom=``: set those with :meth:`set` (``claims.set(role="moderator")``)."""
        self._check_mutable("Claims[...] = value")
        self._set_item(name, value, f"Claims[{name!r}] = value", custom_only=True)

    def set(self, **claims: Any) -> None:
        """Sets registered claims by the keywords of :class:`Claims` (readable names or JWT
        names: ``claims.set(user_id="u-2", expires_at=...)``); a keyword given None removes
        that claim. Any other keyword is refused (custom claims: ``claims["name"] = value``)."""
        method = "Claims.set()"
        self._check_mutable(method)
        for keyword, value in claims.items():
            slot = _KEYWORD.get(keyword)
            if slot is None:
                raise _TypeError(_INVALID_ARGUMENT, f"{method}: unknown keyword {keyword!r}: it is not a Digital Samba "
                                                    "claim; custom claims: claims[\"name\"] = value")
            if value is None:
                if (self._present(slot) if self._tok is not None else _REGISTERED[slot] in self):
                    self.__delitem__(_REGISTERED[slot])
                continue
            self._set_item(_REGISTERED[slot], value, method)

    def set_json(self, name: str, json_text: str) -> None:
        """Sets the claim `name` to a JSON value given as text (validated strictly)."""
        method = "Claims.set_json()"
        self._check_mutable(method)
        self._native_call(method, _n.set_json, _utf8(name, "name", method), _utf8(json_text, "json_text", method))

    def _set_times(self, method: str, skew: Optional[int], lifetime: int, what: str) -> None:
        now = int(time.time())
        exp = _sum_time(now, lifetime, what, method)
        if skew is not None and now - skew < 0:
            raise _ValueError(_INVALID_ARGUMENT, f"{method}: now - skew ({now} - {skew}) is before 1970")
        tok = self._tok
        if tok is not None and not self._zeros and (skew is None or now - skew):
            tok.issued_at = now  # the common case inline: no time is 0
            if skew is not None:
                tok.not_before = now - skew
            tok.expires_at = exp
            return
        self._set_slot(8, now, method)
        if skew is not None:
            self._set_slot(9, now - skew, method)
        self._set_slot(10, exp, method)

    def set_expires_in(self, seconds: float) -> None:
        """Sets ``iat`` = now and ``exp`` = now + `seconds` (> 0; a fraction rounds up), from the
        system clock now."""
        method = "Claims.set_expires_in()"
        self._check_mutable(method)
        secs = _seconds_arg(seconds, "seconds", method, False)
        if self._tok is None:
            _sum_time(int(time.time()), secs, "seconds", method)
            self._native_call(method, _n.set_expires_in, secs)
        else:
            self._set_times(method, None, secs, "seconds")

    def set_validity(self, skew: float, lifetime: float) -> None:
        """Sets ``iat`` = now, ``nbf`` = now - `skew` (>= 0) and ``exp`` = now + `lifetime`
        (> 0), from the system clock now (fractions round up to whole seconds)."""
        method = "Claims.set_validity()"
        self._check_mutable(method)
        skew_s = _seconds_arg(skew, "skew", method, True)
        life_s = _seconds_arg(lifetime, "lifetime", method, False)
        if self._tok is None:
            _sum_time(int(time.time()), life_s, "lifetime", method)
            self._native_call(method, _n.set_validity, skew_s, life_s)
        else:
            self._set_times(method, skew_s, life_s, "lifetime")

    def __delitem__(self, name: str) -> None:
        """Removes the claim `name`; DST_ERR_NOT_FOUND when it is absent."""
        method = f"del Claims[{name!r}]"
        self._check_mutable(method)
        n = _utf8(name, "name", method)
        if self._tok is None:
            self._native_call(method, _n.remove, n)
            return
        slot = _SLOT.get(name)
        if slot is not None and self._present(slot):
            setattr(self._tok, _READABLE[slot], None if slot < _FIRST_TIME else 0)
            if self._zeros:
                self._zeros.discard(slot)
        elif slot is None and name in self._custom:
            del self._custom[name]
        else:
            raise DstokenError(_NOT_FOUND, f'{method}: claim "{name}" is not present')

    # -- the Mapping: exact values, read in Python

    def _claims_dict(self, method: str) -> Dict[str, Any]:
        """Every claim, name -> exact value (registered first, then custom, as in the token).
        Read-only claims parse once and keep the result; callers must not mutate it."""
        if self._closed:
            raise self._closed_error(method)
        d = self._dict
        if d is not None:
            return d
        tok = self._tok
        if tok is None:
            d = _parse_claims(self._json(method))
            if self._frozen:
                self._dict = d
            return d
        zeros = self._zeros
        d = {}
        for slot in range(11):
            value = getattr(tok, _READABLE[slot])
            if slot < _FIRST_TIME:
                if value is not None:
                    d[_REGISTERED[slot]] = value.decode("utf-8")
            elif value or (zeros and slot in zeros):
                d[_REGISTERED[slot]] = value
        for name, (kind, v) in list(self._custom.items()):
            d[name] = v if kind < 2 else v.decode("utf-8") if kind == 2 else _parse_claims(v.decode("utf-8"))
        return d

    def __getitem__(self, name: str) -> Any:
        value = self._claims_dict("Claims[...]")[name]
        if type(value) is list or type(value) is dict:
            return _copy.deepcopy(value)  # the caller's own copy: the claims stay as they are
        return value

    def __contains__(self, name: object) -> bool:
        return name in self._claims_dict("'name' in Claims")

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._claims_dict("iter(Claims)")))

    def __len__(self) -> int:
        return len(self._claims_dict("len(Claims)"))

    def __eq__(self, other: object) -> bool:
        """Equal to any Mapping with the same claims (a dict from jwt.decode() too); a closed
        Claims equals only itself."""
        if self is other:
            return True
        if not isinstance(other, Mapping):
            return NotImplemented
        if self._closed or (isinstance(other, Claims) and other._closed):
            return False
        return self._claims_dict("Claims == other") == dict(other.items())

    __hash__ = None  # type: ignore[assignment]  # compared by content, as a Mapping

    # -- getters (through the native claim set, so types and JSON are the library's own)

    def _get(self, method: str, f: Any, name: str, out: Any) -> None:
        self._native_call(method, f, _utf8(name, "name", method), ctypes.byref(out))

    def get_string(self, name: str) -> str:
        """A string claim; DST_ERR_NOT_FOUND or DST_ERR_WRONG_TYPE otherwise."""
        out = ctypes.c_void_p()
        self._get("Claims.get_string()", _n.get_string, name, out)
        return _take_string(out)

    def get_int(self, name: str) -> int:
        """An integer claim; DST_ERR_NOT_FOUND or DST_ERR_WRONG_TYPE otherwise."""
        out = ctypes.c_int64()
        self._get("Claims.get_int()", _n.get_int, name, out)
        return out.value

    def get_bool(self, name: str) -> bool:
        """A boolean claim; DST_ERR_NOT_FOUND or DST_ERR_WRONG_TYPE otherwise."""
        out = ctypes.c_bool()
        self._get("Claims.get_bool()", _n.get_bool, name, out)
        return out.value

    def get_json(self, name: str) -> str:
        """Any claim as compact JSON text; DST_ERR_NOT_FOUND when absent."""
        out = ctypes.c_void_p()
        self._get("Claims.get_json()", _n.get_json, name, out)
        return _take_string(out)

    def _json(self, method: str) -> str:
        out = ctypes.c_void_p()
        self._native_call(method, _n.to_json, ctypes.byref(out))
        return _take_string(out)

    def to_json(self) -> str:
        """The payload as compact JSON: registered claims first in fixed order, then custom."""
        return self._json("Claims.to_json()")

    def copy(self) -> "Claims":
        """An independent, mutable copy (also of read-only claims)."""
        method = "Claims.copy()"
        if self._tok is not None:
            if self._closed:
                raise self._closed_error(method)
            c = Claims()
            for slot in range(11):
                if self._present(slot):
                    value = getattr(self._tok, _READABLE[slot])
                    c._set_slot(slot, value.decode("utf-8") if slot < _FIRST_TIME else value, method)
            c._custom = dict(self._custom)
            return c
        h = self._h
        if h is None:
            raise self._closed_error(method)
        clone = _n.claims_clone(h)
        del h
        if not clone:
            _raise(_INTERNAL, method)
        return Claims(_handle=_ClaimsHandle(clone))

    def __enter__(self) -> "Claims":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._closed:
            return "Claims(<closed>)"
        try:
            return f"Claims({self._claims_dict('repr(Claims)')!r})"
        except DstokenError:  # closed meanwhile
            return "Claims(<closed>)"
        except ValueError:  # an int longer than str() may print (sys.get_int_max_str_digits())
            return f"Claims(<{len(self._claims_dict('repr(Claims)'))} claims>)"


def _setter(kind: int) -> Any:
    """The native setter for a value kind of Claims._custom_value (looked up per call)."""
    return (_n.set_bool, _n.set_int, _n.set_string, _n.set_json)[kind]

# ---- signing ------------------------------------------------------------------------------------

_mint_into_raw = _n.mint_into_raw
_time = time.time


_Buffer = ctypes.c_char * 1024  # a token with every claim at a typical length fits
_CAPACITY = ctypes.c_size_t(1024)  # read-only
_Length = ctypes.c_size_t * 1  # an array passes as a pointer, without a byref() per call


def _mint_into(token: "_n.RoomToken", key: Key, method: str, minting: Union[bool, str]) -> str:
    """One native call: dst_mint_into into a buffer of this call's own (a signal handler that
    mints between this call and its read-back writes into its own buffer, never into this
    one). The arguments are ready-made ctypes objects (the untyped entry point skips per-call
    conversions). The key's handle, once read, stays valid until the call returns."""
    buf: Any = _Buffer()  # sliced as bytes
    length = _Length()
    h = key._h
    if h is None:
        raise key._closed_error(method)
    status = _mint_into_raw(_byref(token), h, buf, _CAPACITY, length)
    if status == _BUFFER_TOO_SMALL:
        buf = ctypes.create_string_buffer(length[0] + 1)
        status = _n.mint_into(token, h, buf, len(buf), length)
    del h
    if status:
        _raise(status, method, minting)
    result: str = buf[: length[0]].decode("ascii")
    return result


def _sign_native(claims: Claims, key: Key, method: str) -> str:
    claims._to_native(method)
    out = ctypes.c_void_p()
    ch, kh = claims._h, key._h  # both stay valid until the call returns (see _Native)
    if ch is None:
        raise claims._closed_error(method)
    if kh is None:
        raise key._closed_error(method)
    status = _n.sign(ch, kh, ctypes.byref(out))
    del ch, kh
    if status:
        _raise(status, method)
    return _take_string(out)


_SET_EXPIRY = ("set an expiry first: claims.set_expires_in(seconds), claims.set_validity(skew, lifetime) "
               "or Claims(expires_at=...)")


def _check_sign_times(claims: Claims, method: str, no_expiry: bool, now: Optional[int]) -> None:
    """sign(): the token must expire (unless no_expiry=True), after `now`, and its times must lie
    in 1970..9999."""
    if type(now) is int and now == 0:
        now = None  # a now of 0 is the system clock, as in every front end (C's "absent")
    t0 = None if now is None else _time_arg(now, "now", method)
    if no_expiry is not True and no_expiry is not False:
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: no_expiry must be bool, not {type(no_expiry).__name__}")
    tok = claims._tok
    exp: Any
    if tok is not None:
        if claims._closed:
            raise claims._closed_error(method)
        if tok.team_id is None or tok.room is None:
            return  # the library says which claim is missing (the most basic mistake first)
        exp = tok.expires_at if tok.expires_at or (claims._zeros and 10 in claims._zeros) else None
    else:  # a native claim set: any JSON value may be there (set_json, verify)
        d = claims._claims_dict(method)
        if "td" not in d or "rd" not in d:
            return
        for name in ("iat", "nbf", "exp"):
            v = d.get(name)
            if isinstance(v, (int, float, decimal.Decimal)) and not isinstance(v, bool) and not 0 <= v <= _MAX_TIME:
                raise _ValueError(_INVALID_ARGUMENT, f'{method}: claim "{name}" ({v}) '
                                                     f'{_range_problem(int(v)) if math.isfinite(v) else "is out of range"}')
        exp = d.get("exp")
        if exp is not None and (isinstance(exp, bool) or not isinstance(exp, (int, float, decimal.Decimal))):
            raise _TypeError(_INVALID_ARGUMENT, f'{method}: claim "exp" is a time (unix seconds), not {_type_desc(exp)}')
    if exp is None:
        if not no_expiry:
            raise _no_expiry_error(method, _SET_EXPIRY)
        return
    if no_expiry:
        raise _ValueError(_INVALID_ARGUMENT, f'{method}: no_expiry=True, but the claims have "exp" ({exp}); '
                                             "remove one or the other")
    if t0 is None:
        t0 = int(_time())
    if exp <= t0:
        raise _expired_error(method, exp, t0, "set a later exp, e.g. claims.set_expires_in(seconds)")


def sign(claims: Claims, key: Key, *, no_expiry: bool = False, now: Optional[int] = None) -> str:
    """Signs `claims` with `key` and returns the token (compact JWS, ASCII).

    Needs ``td`` (team_id) and ``rd`` (room), and an expiry: ``exp`` after now (`now`, unix
    seconds, defaults to the system clock), set with :meth:`Claims.set_expires_in`,
    :meth:`Claims.set_validity` or ``expires_at=``. A token without ``exp`` is signed only with
    ``no_expiry=True``. Raises DstokenError (DST_ERR_MISSING_CLAIM; DST_ERR_INVALID_ARGUMENT for
    no expiry, an ``exp`` already past, a time outside 1970..9999 or ``exp`` before
    ``nbf``/``iat``, ...). Registered claims only: one native call; with custom claims: through
    the native claim set.
    """
    method = "dstoken.sign()"
    if not isinstance(claims, Claims) or not isinstance(key, Key):
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: expects (Claims, Key), got ({type(claims).__name__}, {type(key).__name__})")
    tok = claims._tok
    if tok is not None and not claims._custom and not claims._zeros and now is None and no_expiry is False:
        exp = tok.expires_at
        if exp and exp > _time():  # the common case inline: an expiry in the future
            if claims._closed:
                raise claims._closed_error(method)
            # References to the strings the struct points to: a Claims changed meanwhile by
            # another thread (not supported) can still never make the library read freed memory.
            keep = dict(tok._objects) if tok._objects else None
            token = _mint_into(tok, key, method, False)
            del keep
            return token
    _check_sign_times(claims, method, no_expiry, now)
    tok = claims._tok
    if tok is None or claims._custom or claims._zeros or no_expiry or now is not None:
        # Custom claims, a time of exactly 0 (which the one-call mint reads as absent), no
        # expiry on purpose, or times checked against the caller's `now` (the one-call mint
        # would check them against the clock): the claim-set path signs what it is given.
        return _sign_native(claims, key, method)
    if claims._closed:
        raise claims._closed_error(method)
    keep = dict(tok._objects) if tok._objects else None
    token = _mint_into(tok, key, method, False)
    del keep
    return token


_MINT_KEYWORDS = ("team_id, room, user_name, user_id, initials, role, breakout_id, avatar, "
                  "issued_at, not_before, expires_at, lifetime, not_before_skew, now, no_expiry, custom")


def _enc(value: Any, what: str, method: str) -> bytes:
    if type(value) is str and "\0" not in value:
        try:
            return value.encode()
        except UnicodeEncodeError:
            pass
    return _utf8(value, what, method)


def _room_token(method: str, strings: Tuple[Optional[str], ...], unknown: Mapping[str, object]) -> "_n.RoomToken":
    """A dst_room_token with mint()'s strings (in _READABLE order); refuses unknown keywords."""
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: unknown keyword {names}; the keywords are {_MINT_KEYWORDS} "
                                            "(custom claims: custom={\"name\": value})")
    tok = _n.RoomToken()
    tok.struct_size = _n.ROOM_TOKEN_SIZE
    for field, value in zip(_READABLE, strings):
        if value is not None:
            setattr(tok, field, _enc(value, field, method))
    return tok


def _mint_times(method: str, times: Tuple[Any, ...],
                no_expiry: Any) -> Tuple[Optional[int], Optional[int], Optional[int], int]:
    """mint()'s time keywords, checked, as the token's (iat, nbf, exp) and the now they were
    checked at. Relative mode: iat = now, nbf = now - not_before_skew (when > 0), exp = now +
    lifetime (a fraction rounds up)."""
    issued_at, not_before, expires_at, lifetime, skew, now = times
    if no_expiry is not True and no_expiry is not False:
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: no_expiry must be bool, not {type(no_expiry).__name__}")
    for what, value in (("issued_at", issued_at), ("not_before", not_before), ("expires_at", expires_at), ("now", now)):
        if value is not None:
            _time_arg(value, what, method)
    life = None if lifetime is None else _seconds_arg(lifetime, "lifetime", method, False)
    back = None if skew is None else _seconds_arg(skew, "not_before_skew", method, True)
    if life is not None and (issued_at is not None or not_before is not None or expires_at is not None):
        raise _ValueError(_INVALID_ARGUMENT, f"{method}: explicit times (issued_at, not_before, expires_at) and "
                                             "lifetime are mutually exclusive: pass expires_at (with issued_at, "
                                             "not_before) or lifetime (with not_before_skew)")
    if back is not None and life is None:
        raise _ValueError(_INVALID_ARGUMENT, f"{method}: not_before_skew is only used with lifetime")
    if no_expiry and (life is not None or expires_at is not None):
        raise _ValueError(_INVALID_ARGUMENT, f"{method}: no_expiry=True contradicts "
                                             f"{'lifetime' if life is not None else 'expires_at'}=; pass one or the other")
    t0 = now if now else int(_time())  # a now of 0 is the system clock, as in every front end
    if life is not None:
        exp = _sum_time(t0, life, "lifetime", method)
        nbf = None
        if back:
            nbf = t0 - back
            if nbf < 0:
                raise _ValueError(_INVALID_ARGUMENT, f"{method}: now - not_before_skew ({t0} - {back}) is before 1970")
        return t0, nbf, exp, t0
    if expires_at is None:
        if not no_expiry:
            raise _no_expiry_error(method, "pass lifetime=<seconds> (or expires_at=<unix seconds>)")
    elif expires_at <= t0:
        raise _expired_error(method, expires_at, t0, "pass a later expires_at, or lifetime=<seconds>")
    return issued_at, not_before, expires_at, t0


def mint(key: Key, *, team_id: str, room: str, user_name: Optional[str] = None, user_id: Optional[str] = None,
         initials: Optional[str] = None, role: Optional[str] = None, breakout_id: Optional[str] = None,
         avatar: Optional[str] = None, issued_at: Optional[int] = None, not_before: Optional[int] = None,
         expires_at: Optional[int] = None, lifetime: Optional[float] = None, not_before_skew: Optional[float] = None,
         now: Optional[int] = None, custom: Optional[Mapping[str, Any]] = None, no_expiry: bool = False,
         **unknown: NoReturn) -> str:
    """Mints a room token in one native call (``dst_mint_into``) and returns it.

    ``team_id`` (td) and ``room`` (rd) are required; ``user_name`` (u), ``user_id`` (ud),
    ``initials``, ``role``, ``breakout_id`` (breakoutId) and ``avatar`` are optional strings.
    An expiry is required: ``lifetime`` (seconds > 0, a fraction rounds up: iat = now, exp =
    now + lifetime; ``not_before_skew`` > 0 adds nbf = now - skew) or the explicit times
    ``expires_at`` (exp; with ``issued_at`` (iat), ``not_before`` (nbf)), in unix seconds
    within 1970..9999 (a value in milliseconds is refused, saying so). ``now`` defaults to the
    system clock; an ``exp`` not after it is refused. ``no_expiry=True`` signs a token without
    ``exp`` (valid forever: only on purpose). Mixing explicit times and ``lifetime`` is
    DST_ERR_INVALID_ARGUMENT. The token is byte-identical to the one :class:`Claims` +
    :func:`sign` makes for the same claims. Any other keyword is refused; ``custom={"name":
    value}`` adds custom claims (never a registered one: ``custom={"role": ...}`` is refused,
    pass ``role=``) signed through a native claim set instead of the one-call mint.

    Raises DstokenError: DST_ERR_MISSING_CLAIM, DST_ERR_INVALID_ARGUMENT, DST_ERR_INVALID_UTF8
    (each naming the keyword at fault). Thread safety: any number of threads may mint with one
    key at once.
    """
    method = "dstoken.mint()"
    if unknown or not isinstance(key, Key):
        _room_token(method, (), unknown)  # raises for the unknown keywords
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: key must be a dstoken.Key, not {type(key).__name__}")
    # The per-token path, straight-line: str and int inline; anything else, and any error,
    # through _mint_slow, which checks each keyword and names the one at fault.
    tok = _RoomToken()
    tok.struct_size = _ROOM_TOKEN_SIZE
    try:
        if custom or no_expiry is not False:
            raise _Slow
        if type(team_id) is str and "\0" not in team_id:
            tok.team_id = team_id.encode()
        elif team_id is not None:
            raise _Slow
        if type(room) is str and "\0" not in room:
            tok.room = room.encode()
        elif room is not None:
            raise _Slow
        if user_name is not None:
            if type(user_name) is not str or "\0" in user_name:
                raise _Slow
            tok.user_name = user_name.encode()
        if user_id is not None:
            if type(user_id) is not str or "\0" in user_id:
                raise _Slow
            tok.user_id = user_id.encode()
        if role is not None:
            if type(role) is not str or "\0" in role:
                raise _Slow
            tok.role = role.encode()
        if initials is not None or breakout_id is not None or avatar is not None:
            raise _Slow
        if lifetime is not None:
            if (type(lifetime) is not int or not 0 < lifetime <= _FAST_LIFETIME_MAX or expires_at is not None
                    or issued_at is not None or not_before is not None):
                raise _Slow
            tok.lifetime_seconds = lifetime
            if now is not None:
                if type(now) is not int or not 0 < now <= _MAX_TIME - lifetime:
                    raise _Slow
                tok.now = now
            if not_before_skew is not None:
                if type(not_before_skew) is not int or not 0 <= not_before_skew <= (now or 1_000_000_000):
                    raise _Slow
                tok.not_before_skew_seconds = not_before_skew
        else:
            if (expires_at is None or type(expires_at) is not int or not 0 < expires_at <= _MAX_TIME
                    or now is not None or not_before_skew is not None or expires_at <= _time()):
                raise _Slow  # no expiry, or one already past: _mint_slow says what to do
            tok.expires_at = expires_at
            if issued_at is not None:
                if type(issued_at) is not int or not 0 < issued_at <= _MAX_TIME:
                    raise _Slow
                tok.issued_at = issued_at
            if not_before is not None:
                if type(not_before) is not int or not 0 < not_before <= _MAX_TIME:
                    raise _Slow
                tok.not_before = not_before
    except (_Slow, UnicodeEncodeError):
        return _mint_slow(key, method, (team_id, room, user_name, user_id, initials, role, breakout_id, avatar),
                          (issued_at, not_before, expires_at, lifetime, not_before_skew, now), no_expiry, custom)
    return _mint_into(tok, key, method, True)


def _mint_slow(key: Key, method: str, strings: Tuple[Any, ...], times: Tuple[Any, ...], no_expiry: Any,
               custom: Optional[Mapping[str, Any]]) -> str:
    """mint() with every check: the one-call mint with explicit times, or the claim-set path
    for custom claims, a time of exactly 0 or no expiry."""
    tok = _room_token(method, strings, {})
    for slot in (0, 1):  # a missing or empty td or rd first: the most basic mistakes
        if strings[slot] is None:
            raise DstokenError(_MISSING_CLAIM, f'{method}: claim "{_REGISTERED[slot]}" ({("team id", "room")[slot]}) '
                                               f"is required to sign a token; pass {_READABLE[slot]}=... to {method}")
        if not strings[slot]:
            raise _ValueError(_INVALID_ARGUMENT, f'{method}: claim "{_REGISTERED[slot]}" ({_READABLE[slot]}) must not '
                                                 "be empty")
    iat, nbf, exp, t0 = _mint_times(method, times, no_expiry)
    if custom is not None and not isinstance(custom, Mapping):
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: custom must be a mapping (dict), not {type(custom).__name__}")
    if custom or 0 in (iat, nbf, exp, t0):
        # The claim-set path: custom claims, or a time of exactly 0 (which the struct reads as
        # absent; now = 0 would read the clock).
        return _mint_with_claims(key, method, tok, (iat, nbf, exp), custom or {})
    # Explicit times, with the now they were checked at (the library checks exp against it too).
    tok.issued_at, tok.not_before, tok.expires_at, tok.now = iat or 0, nbf or 0, exp or 0, t0
    tok.no_expiry = no_expiry
    return _mint_into(tok, key, method, True)


def _mint_with_claims(key: Key, method: str, tok: "_n.RoomToken", times: Tuple[Optional[int], ...],
                      custom: Mapping[str, Any]) -> str:
    """mint() through a native claim set: custom claims, a time of 0 or no expiry (the times are
    already checked and computed)."""
    with Claims() as c:
        ctok = c._tok
        assert ctok is not None
        for field in _READABLE[:_FIRST_TIME]:
            value = getattr(tok, field)
            if value is not None:
                setattr(ctok, field, value)
        for name, value in custom.items():
            c._set_item(name, value, f"{method} custom=", custom_only=True)
        for slot, value in zip((8, 9, 10), times):
            if value is not None:
                c._set_slot(slot, value, method)
        try:
            return _sign_native(c, key, method)
        except DstokenError as e:
            if e.status == _MISSING_CLAIM:
                raise DstokenError(e.status, e.message.split("; set it with")[0].replace("dstoken.sign()", method)
                                   + _missing_claim_hint(e.message, True)) from None
            raise


def mint_url(key: Key, team: str, *, allow_port: bool = False, **claims: Any) -> str:
    """Mints a room token as :func:`mint` does (same keywords and rules, no ``custom``) and
    returns the room's join URL with it (``dst_mint_url``):
    ``https://<team>.digitalsamba.com/<room>?token=...``. `team` is the team's subdomain name
    or its custom domain, as in :func:`join_url`; ``allow_port=True`` accepts a custom domain
    with a port (``meet.example.com:8443``), as in :func:`join_url`."""
    method = "dstoken.mint_url()"
    if not isinstance(key, Key):
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: key must be a dstoken.Key, not {type(key).__name__}")
    team_b = _utf8(team, "team", method)
    flags = _url_flags(allow_port, method)
    if "custom" in claims:
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: custom claims are not supported here; "
                                            "use join_url(team, room, mint(...))")
    get = claims.pop
    strings = tuple(get(k, None) for k in _READABLE[:_FIRST_TIME])
    times = tuple(get(k, None) for k in ("issued_at", "not_before", "expires_at", "lifetime", "not_before_skew", "now"))
    no_expiry = get("no_expiry", False)
    tok = _room_token(method, strings, claims)
    iat, nbf, exp, t0 = _mint_times(method, times, no_expiry)
    if 0 in (iat, nbf, exp, t0):  # as in _mint_slow
        token = _mint_with_claims(key, method, tok, (iat, nbf, exp), {})
        return _join_url(method, team_b, _utf8(strings[1], "room", method), token.encode("ascii"), flags)
    tok.issued_at, tok.not_before, tok.expires_at, tok.now = iat or 0, nbf or 0, exp or 0, t0
    tok.no_expiry = no_expiry
    if flags:
        # dst_mint_url takes no flags: the token is minted, then joined with the flag.
        token = _mint_into(tok, key, method, method)
        return _join_url(method, team_b, _utf8(strings[1], "room", method), token.encode("ascii"), flags)
    out = ctypes.c_void_p()
    h = key._h
    if h is None:
        raise key._closed_error(method)
    status = _n.mint_url(tok, h, team_b, ctypes.byref(out))
    del h
    if status:
        _raise(status, method, method)
    return _take_string(out)


_verify_raw = _n.verify_raw


def verify(token: str, key: Key, now: Optional[int] = None, leeway: int = 0) -> Claims:
    """Verifies `token` with `key` at `now` (unix seconds; default: the system clock) allowing
    `leeway` seconds of clock skew, and returns its claims: a read-only :class:`Claims`, which
    is a Mapping (``claims["u"]``, ``dict(claims)``, exact values) with typed getters.

    Raises DstokenError: DST_ERR_MALFORMED_TOKEN (also for a whole join URL: pass the token
    alone), DST_ERR_UNSUPPORTED_ALGORITHM, DST_ERR_BAD_SIGNATURE, DST_ERR_EXPIRED,
    DST_ERR_NOT_YET_VALID, ...
    """
    method = "dstoken.verify()"
    if now is None:
        now = int(_time())
    elif type(now) is not int or not _I64_MIN <= now <= _I64_MAX:
        now = _i64(now, "now", method)
    if type(leeway) is not int or not 0 <= leeway < 2**32:
        if isinstance(leeway, bool) or not isinstance(leeway, int):
            raise _TypeError(_INVALID_ARGUMENT, f"{method}: leeway must be int, not {type(leeway).__name__}")
        raise _OverflowError(_INVALID_ARGUMENT, f"{method}: leeway ({leeway}) must fit in an unsigned 32-bit integer")
    if not isinstance(key, Key):
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: key must be a dstoken.Key, not {type(key).__name__}")
    if type(token) is str and "\0" not in token and token.isascii():
        tok = token.encode("ascii")
    else:
        tok = _utf8(token, "token", method)
    if tok.startswith((b"http://", b"https://")) or b"?token=" in tok:
        raise DstokenError(_MALFORMED_TOKEN, f"{method}: token is a URL; pass the token alone (the value of the "
                                             "URL's token= parameter, e.g. urllib.parse.parse_qs(urlsplit(url).query)"
                                             "[\"token\"][0])")
    out = _ClaimsHandle()  # NULL unless verified
    h = key._h
    if h is None:
        raise key._closed_error(method)
    status = _verify_raw(tok, h, ctypes.c_int64(now), ctypes.c_uint32(leeway), _byref(out))
    del h
    if status:
        _raise(status, method)
    return Claims._verified(out)


def _url_flags(allow_port: Any, method: str) -> int:
    if type(allow_port) is not bool:
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: allow_port must be bool, not {type(allow_port).__name__}")
    return _n.URL_ALLOW_PORT if allow_port else 0


def _join_url(method: str, team: bytes, room: bytes, token: Optional[bytes], flags: int = 0) -> str:
    out = ctypes.c_void_p()
    if flags:
        status = _n.join_url_opts(team, room, token, flags, ctypes.byref(out))
    else:
        status = _n.join_url(team, room, token, ctypes.byref(out))
    if status:
        _raise(status, method)
    return _take_string(out)


def join_url(team: str, room: str, token: Optional[str] = None, *, allow_port: bool = False) -> str:
    """The room's join URL, ``https://<team>.digitalsamba.com/<room>[?token=<token>]``, or on the
    team's own domain ``https://meet.example.com/<room>[?token=<token>]``, with the room name
    percent-encoded. `team` is a Digital Samba team subdomain (a DNS label, lowercased) or a
    custom domain (a hostname with a dot, lowercased). A port (``meet.example.com:8443``) is
    refused unless ``allow_port=True``; an IP address is always refused."""
    method = "dstoken.join_url()"
    flags = _url_flags(allow_port, method)
    tok = None if token is None else _utf8(token, "token", method)
    return _join_url(method, _utf8(team, "team", method), _utf8(room, "room", method), tok, flags)
