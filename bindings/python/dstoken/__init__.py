"""dstoken: mint and verify Digital Samba room tokens (HS256 JWTs) through libdstoken.

One call per token::

    import dstoken
    key = dstoken.Key("your developer key")
    token = dstoken.mint(key, team_id="team-id", room="daily-standup",
                         user_name="John Smith", role="moderator", lifetime=3600)

Verifying gives the claims as a read-only mapping, as PyJWT's ``jwt.decode()`` does::

    try:
        claims = dstoken.verify(token, key, team_id="team-id")
    except dstoken.ExpiredSignatureError as e:
        print("expired at", e.expired_at)
    claims["u"], "role" in claims, dict(claims)

The claims builder (the same token; custom claims too)::

    claims = dstoken.Claims(team_id="team-id", room="daily-standup", user_name="John Smith",
                            role="moderator")
    claims.set_validity(skew=30, lifetime=3600)
    token = dstoken.sign(claims, key)

Every rule (which tokens are refused, which times and lifetimes are allowed, which names are
registered claims) is libdstoken's: this package converts Python values to the C types and
turns the library's errors, which it reports as data, into Python exceptions.

Errors: every failure raises :class:`DstokenError` or a subclass named as PyJWT's
(:class:`ExpiredSignatureError`, :class:`InvalidSignatureError`, :class:`DecodeError`, ...;
:class:`InvalidTokenError` is the base of those a token can cause); argument errors are also
``ValueError`` (``TypeError`` for a wrong type, ``OverflowError`` for an integer too large for
C). Each carries the parts of the error as attributes: ``status``, ``name`` (e.g.
``"DST_ERR_EXPIRED"``), ``reason`` (e.g. ``"EXPIRED"``), ``argument`` (the keyword at fault),
``other``, ``claim``, ``text``, ``value``, ``limit``, ``time``, ``suggested``, and ``message``.

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
import fractions
import json
import math
import numbers
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Dict, List, NamedTuple, NoReturn, Optional, Set, Tuple, Type, Union

from . import _native as _n
from . import _schema as _s

__all__ = [
    "DstokenError", "InvalidTokenError", "DecodeError", "InvalidSignatureError", "ExpiredSignatureError",
    "ImmatureSignatureError", "InvalidAlgorithmError", "MissingRequiredClaimError", "ClaimMismatchError",
    "ArgumentError", "ClaimNotFoundError", "ClaimTypeError",
    "Claims", "Key", "Unverified", "mint", "mint_url", "sign", "verify", "decode_unverified", "join_url",
    "version", "library_path", "__version__",
]

library_path: str = _n.library_path
"""The path (or system name) of the libdstoken that was loaded."""

__version__: str = _n.LIBRARY_VERSION
"""The version of the loaded libdstoken; equals the package version (both come from Cargo.toml)."""

_STATUS = {name: number for number, name in enumerate(_s.STATUSES)}
_INVALID_UTF8, _INVALID_ARGUMENT, _MISSING_CLAIM = _STATUS["INVALID_UTF8"], _STATUS["INVALID_ARGUMENT"], _STATUS["MISSING_CLAIM"]
_BUFFER_TOO_SMALL, _INTERNAL = _STATUS["BUFFER_TOO_SMALL"], _STATUS["INTERNAL"]
_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1


def version() -> str:
    """The version of the loaded libdstoken, e.g. ``"0.1.0"`` (same as ``__version__``)."""
    return _n.LIBRARY_VERSION


# ---- errors: the library's parts, worded with this package's names ---------------------------


class DstokenError(Exception):
    """A dstoken call failed.

    ``status`` (the ``dst_status`` number) and ``name`` (``"DST_ERR_..."``); ``reason`` (the
    rule, e.g. ``"ALREADY_EXPIRED"``, or ``None`` for an error found in Python); ``argument`` and
    ``other`` (the keywords involved, as this package spells them, or ``""``); ``claim`` (a
    claim's JWT name) and ``text`` (a string the error is about); the numbers ``value``,
    ``limit``, ``time`` and ``suggested`` (see schema/dstoken.json for each reason); and
    ``message``, naming the function called. ``str(e)`` is ``"<name>: <message>"``.
    """

    reason: Optional[str] = None
    argument = other = claim = text = ""
    value = limit = time = suggested = 0

    def __init__(self, status: int, message: str, **parts: Any):
        self.status = status
        self.name: str = (_n.status_name(status) or b"DST_ERR_UNKNOWN").decode()
        self.message = message
        for field, v in parts.items():
            setattr(self, field, v)
        super().__init__(f"{self.name}: {message}")


class InvalidTokenError(DstokenError):
    """The token was refused (PyJWT's ``jwt.InvalidTokenError``): the base of the errors below."""


class DecodeError(InvalidTokenError):
    """The token is malformed: not three strict base64url parts of JSON, or a URL given whole."""


class InvalidSignatureError(DecodeError):
    """The signature does not match: another key (a trailing newline in it, another team's), or
    the token was altered."""


class ExpiredSignatureError(InvalidTokenError):
    """The token has expired; ``expired_at`` is its ``exp`` (a timezone-aware datetime)."""

    @property
    def expired_at(self) -> Optional[_datetime.datetime]:
        return _datetime_of(self.time)


class ImmatureSignatureError(InvalidTokenError):
    """The token is not valid yet (``nbf``, or an ``iat`` in the future); ``valid_from`` is
    that time (a timezone-aware datetime)."""

    @property
    def valid_from(self) -> Optional[_datetime.datetime]:
        return _datetime_of(self.time)


class InvalidAlgorithmError(InvalidTokenError):
    """The token's ``alg`` is not HS256 (``text`` holds it)."""


class MissingRequiredClaimError(InvalidTokenError):
    """A claim verification requires is absent (``claim`` names it, as PyJWT's does)."""


class ClaimMismatchError(InvalidTokenError):
    """The token's ``td`` or ``rd`` is not the one expected (as PyJWT's InvalidAudienceError):
    ``claim`` is the claim, ``expected`` the value asked for, ``actual`` the token's."""

    expected: Optional[str] = None

    @property
    def actual(self) -> str:
        return self.text


class ArgumentError(DstokenError, ValueError):
    """An argument was refused (a value no token may carry, a missing claim when minting, ...)."""


class _ArgumentTypeError(ArgumentError, TypeError):
    """An argument of the wrong Python type."""


class _ArgumentOverflowError(ArgumentError, OverflowError):
    """An integer outside the C type's range."""


class ClaimNotFoundError(DstokenError, LookupError):
    """A getter or ``del`` named a claim that is not present."""


class ClaimTypeError(DstokenError, TypeError):
    """A typed getter found a claim of another type."""


_CLASS: Dict[str, Type[DstokenError]] = {
    "MALFORMED_TOKEN": DecodeError, "BAD_SIGNATURE": InvalidSignatureError, "EXPIRED": ExpiredSignatureError,
    "NOT_YET_VALID": ImmatureSignatureError, "UNSUPPORTED_ALGORITHM": InvalidAlgorithmError,
    "MISSING_CLAIM": MissingRequiredClaimError, "CLAIM_MISMATCH": ClaimMismatchError, "NOT_FOUND": ClaimNotFoundError,
    "WRONG_TYPE": ClaimTypeError, "INTERNAL": DstokenError,
}


def _datetime_of(t: int) -> Optional[_datetime.datetime]:
    try:
        return _datetime.datetime.fromtimestamp(t, _datetime.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def _rfc3339(t: int) -> str:
    d = _datetime_of(t)
    return d.strftime("%Y-%m-%dT%H:%M:%SZ") if d is not None and 0 <= t <= 253402300799 else str(t)


def _span(seconds: int) -> str:
    """`1 d 2 h 3 min 4 s`: leading zero units left out, seconds always."""
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    units = (seconds // 86400, "d"), (seconds // 3600 % 24, "h"), (seconds // 60 % 60, "min")
    parts: List[str] = []
    for v, unit in units:
        if v or parts:
            parts.append(f"{v} {unit}")
    return sign + " ".join(parts + [f"{seconds % 60} s"])


def _type_text(n: int) -> str:
    return _s.TYPES[n] if 0 <= n < len(_s.TYPES) else f"type {n}"


_FORMAT = {"time": _rfc3339, "span": _span, "type": _type_text}
_FIELD = re.compile(r"\{(\w+)(?::(\w+))?\}")


def _spelling(arg: int) -> str:
    return _s.ARGUMENTS[arg][1] if 0 <= arg < len(_s.ARGUMENTS) else f"argument {arg}"


def _raise(method: str, signing: bool = False, expected: Optional[Mapping[str, Optional[str]]] = None) -> NoReturn:
    """Raises the calling thread's last libdstoken error (dst_last_error) as the exception its
    status calls for, its message the schema's template in this package's words. `signing`:
    a missing claim is the caller's argument, not a refused token."""
    e = _n.Error()
    e.struct_size = ctypes.sizeof(e)
    if not _n.last_error(ctypes.byref(e)):
        raise DstokenError(_INTERNAL, f"{method}: failed, and the library could not say why")
    reason_name, template = _s.REASONS[e.reason] if e.reason < len(_s.REASONS) else ("NONE", "failed")
    if e.reason == 0:
        template = f"failed ({_s.STATUSES[e.status] if 0 <= e.status < len(_s.STATUSES) else e.status})"
    parts: Dict[str, Any] = {
        "reason": reason_name, "argument": _spelling(e.argument), "other": _spelling(e.other),
        "claim": e.name.decode("utf-8", "replace"), "text": e.text.decode("utf-8", "replace"),
        "value": e.value, "limit": e.limit, "time": e.time, "suggested": e.suggested,
    }
    words = {**parts, "arg": parts["argument"], "name": parts["claim"]}

    def fill(m: "re.Match[str]") -> str:
        v = words.get(m.group(1), m.group(0))
        return _FORMAT[m.group(2)](v) if m.group(2) in _FORMAT else str(v)

    status_name = _s.STATUSES[e.status] if 0 <= e.status < len(_s.STATUSES) else "INTERNAL"
    cls = ArgumentError if signing or status_name not in _CLASS else _CLASS[status_name]
    if expected is not None:
        parts["expected"] = expected.get(parts["claim"])
    raise cls(e.status, f"{method}: {_FIELD.sub(fill, template)}", **parts)


def _arg_error(cls: Type[DstokenError], method: str, argument: str, message: str,
               status: int = _INVALID_ARGUMENT) -> DstokenError:
    """An argument error found in Python (a type, NUL, an encoding: what the library cannot see)."""
    return cls(status, f"{method}: {argument} {message}", argument=argument)


# ---- conversions: Python values to C ones, nothing more -----------------------------------------


def _utf8(value: Any, what: str, method: str) -> bytes:
    if type(value) is str and value.isascii() and "\0" not in value:
        return value.encode("ascii")  # the common case
    if not isinstance(value, str):
        raise _arg_error(_ArgumentTypeError, method, what, f"must be str, not {type(value).__name__}")
    if "\0" in value:
        raise _arg_error(ArgumentError, method, what, "must not contain NUL characters")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise _arg_error(ArgumentError, method, what, f"is not valid Unicode text ({e.reason} at index {e.start})",
                         _INVALID_UTF8) from None


def _i64(value: Any, what: str, method: str, low: int = _I64_MIN, high: int = _I64_MAX) -> int:
    if type(value) is int and low <= value <= high:
        return value
    if not isinstance(value, int) or isinstance(value, bool):
        raise _arg_error(_ArgumentTypeError, method, what, f"must be int, not {type(value).__name__}")
    raise _arg_error(_ArgumentOverflowError, method, what, f"({value}) does not fit in the C type ({low}..{high})")


def _duration(value: Any, what: str, method: str) -> Tuple[int, int]:
    """A number of seconds as (whole seconds, nanoseconds beyond them): an int, or a float,
    Decimal or Fraction whose fraction the library then refuses (token times are whole seconds;
    nothing is rounded here). A fraction below one nanosecond counts as one."""
    if type(value) is int:
        return _i64(value, what, method), 0
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, decimal.Decimal)):
        raise _arg_error(_ArgumentTypeError, method, what, f"takes seconds as an int or a float, not {type(value).__name__}")
    if isinstance(value, int):
        return _i64(int(value), what, method), 0
    finite = value.is_finite() if isinstance(value, decimal.Decimal) else math.isfinite(value)
    if not finite:
        raise _arg_error(ArgumentError, method, what, f"must be a finite number of seconds, got {value}")
    f = fractions.Fraction(str(value) if isinstance(value, float) else value)  # type: ignore[arg-type]
    whole = int(f)  # toward zero
    rest = abs(f - whole)
    nanos = min(999_999_999, max(1, round(rest * 10**9))) if rest else 0
    return _i64(whole, what, method), nanos


def _whole(value: Any, what: str, method: str) -> int:
    """A number of seconds that has no sub-second field in C: its whole part, or an error."""
    seconds, nanos = _duration(value, what, method)
    if nanos:
        raise _arg_error(ArgumentError, method, what, f"must be a whole number of seconds, got {value}")
    return seconds


def _take_string(p: ctypes.c_void_p) -> str:
    """Copies a library-owned string into Python and frees it with dst_string_free."""
    try:
        return ctypes.string_at(p).decode("utf-8")
    finally:
        _n.string_free(p)


# ---- JSON values: custom claims in, exact values out -----------------------------------------

_JSON_STRING = json.JSONEncoder(ensure_ascii=False).encode


def _json_value(value: Any, where: str, method: str, depth: int = 0) -> str:
    """Compact JSON text for a custom claim's value: None, bool, int, float and Decimal (finite),
    str, lists/tuples and dicts with str keys. NaN and Infinity are refused (JSON has no such
    numbers, and a silent null or string would change the value). How deep a value may nest
    is the library's rule; the depth stop here only keeps Python's recursion in bounds."""
    if depth > 500:
        raise _arg_error(ArgumentError, method, where, "nests too deeply")
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
            raise _arg_error(ArgumentError, method, where, f"is {value}, which JSON cannot represent")
        return float.__repr__(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return _JSON_STRING(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_json_value(v, where, method, depth + 1) for v in value) + "]"
    if isinstance(value, Mapping):
        parts = []
        for k, v in value.items():
            if not isinstance(k, str):
                raise _arg_error(_ArgumentTypeError, method, where, f"has a key of type {type(k).__name__}; keys are str")
            parts.append(_JSON_STRING(k) + ":" + _json_value(v, where, method, depth + 1))
        return "{" + ",".join(parts) + "}"
    raise _arg_error(_ArgumentTypeError, method, where, f"is a {type(value).__name__}; claim values are str, int, "
                                                        "bool, float, decimal.Decimal, None, lists and dicts of these")


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
        return _arg_error(ArgumentError, method, f"this {self._kind}", "is closed (close() was called)")

    def close(self) -> None:
        """Releases the native resources. Returns at once, from any thread, signal handler or
        fork() child: the native object is freed (a key wiped) now, or when the last call still
        using it returns. Idempotent; every later call raises ArgumentError (a ValueError)."""
        self._closed = True
        self._h = None

    @property
    def closed(self) -> bool:
        """True once close() has been called."""
        return getattr(self, "_closed", True)

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Key(_Native):
    """An HS256 signing and verification key: the developer key as ``str`` (UTF-8; whitespace
    at either end is refused, since a developer key never has any: a trailing newline read
    from a file would make every token fail) or as ``bytes`` (used exactly as given). The key
    state lives in libdstoken and is wiped when the key is closed or collected.

    Thread safety: one Key may be used by any number of threads at once, without a lock or any
    shared write per call; ``close()`` returns at once (calls in flight finish with the key),
    later calls raise. Use it as a context manager (``with Key(secret) as key:``) or call
    ``close()``.
    """

    __slots__ = ()
    _kind = "key"

    def __init__(self, secret: Union[bytes, bytearray, memoryview, str]):
        out = _KeyHandle()
        if isinstance(secret, str):
            raw = _utf8(secret, "key", "Key()")
            status = _n.key_new_text(raw, len(raw), ctypes.byref(out))
        elif isinstance(secret, (bytes, bytearray, memoryview)):
            raw = bytes(secret)
            status = _n.key_new(raw, len(raw), ctypes.byref(out))
        else:
            raise _arg_error(_ArgumentTypeError, "Key()", "key", f"must be bytes or str, not {type(secret).__name__}")
        if status:
            _raise("Key()", signing=True)
        self._h = out
        self._closed = False

    def __repr__(self) -> str:
        return "Key(<closed>)" if self.closed else "Key(<secret>)"


def _check_key(key: Any, method: str) -> None:
    """A Key that is open. Calls then pass ``key._h`` as an argument expression: the call's
    argument tuple holds the handle until it returns, and no frame keeps it beyond (not even
    the traceback of an error), so close() frees it at once."""
    if not isinstance(key, Key):
        raise _arg_error(_ArgumentTypeError, method, "key", f"must be a dstoken.Key, not {type(key).__name__}")
    if key._h is None:
        raise key._closed_error(method)


def _fail(method: str, key: Key, signing: bool = True, **extra: Any) -> NoReturn:
    """Raises a failed call's error; a key closed meanwhile (passed as NULL) is said so."""
    if key._h is None:
        raise key._closed_error(method)
    _raise(method, signing, **extra)


# ---- the registered claims (schema/dstoken.json) -------------------------------------------------

_REGISTERED: Tuple[str, ...] = tuple(jwt for jwt, _, _ in _s.CLAIMS)
_READABLE: Tuple[str, ...] = tuple(kw for _, kw, _ in _s.CLAIMS)
_IS_TIME: Tuple[bool, ...] = tuple(kind == "time" for _, _, kind in _s.CLAIMS)
_SLOT: Dict[str, int] = {name: i for i, name in enumerate(_REGISTERED)}
_KEYWORD: Dict[str, int] = {**_SLOT, **{name: i for i, name in enumerate(_READABLE)}}
_NAME_BYTES: Tuple[bytes, ...] = tuple(n.encode() for n in _REGISTERED)
_CUSTOM_HINT = 'custom claims: Claims(..., custom={"name": value}) or claims["name"] = value'
_READ_ONLY = "these claims came from dstoken.verify() and are read-only; claims.copy() gives a mutable copy"


def _new_token() -> "_n.RoomToken":
    tok = _n.RoomToken()
    tok.struct_size = _n.ROOM_TOKEN_SIZE
    return tok


def _put(tok: "_n.RoomToken", slot: int, value: Any, method: str) -> None:
    """A registered claim into the struct: a str, or an int of unix seconds (0 reads as absent
    there: the caller keeps those apart)."""
    field = _READABLE[slot]
    if _IS_TIME[slot]:
        setattr(tok, field, _i64(value, field, method))
    else:
        setattr(tok, field, _utf8(value, field, method))


def _custom_call(value: Any, name: str, method: str) -> Tuple[Any, Any]:
    """The native custom-claim setter for a Python value, and the value as it takes it."""
    if isinstance(value, bool):
        return _n.set_custom_bool, value
    if isinstance(value, int):  # dst_claims_set_custom_int's int64_t (large numbers: nest them in JSON)
        return _n.set_custom_int, _i64(value, f'claim "{name}"', method)
    if isinstance(value, str):
        return _n.set_custom_string, _utf8(value, f'claim "{name}"', method)
    text = _json_value(value, f'claim "{name}"', method)
    try:
        return _n.set_custom_json, text.encode("utf-8")
    except UnicodeEncodeError as e:  # a lone surrogate in a nested string
        raise _arg_error(ArgumentError, method, f'claim "{name}"', f"is not valid Unicode text ({e.reason})",
                         _INVALID_UTF8) from None


def _apply(h: Any, calls: List[Tuple[Any, bytes, Any]], method: str, signing: bool = True) -> None:
    for f, name, value in calls:
        if f(h, name, value):
            _raise(method, signing)


class Claims(_Native, Mapping[str, Any]):
    """The claims of one room token, and a read-only mapping of them.

    Keyword arguments set Digital Samba's registered claims, by their JWT names or by these
    readable aliases (the same claim either way)::

        team_id=     td  (required to sign)     room=        rd  (required to sign)
        user_name=   u                          user_id=     ud
        initials=    initials                   role=        role
        breakout_id= breakoutId                 avatar=      avatar
        issued_at=   iat   not_before= nbf   expires_at= exp   (int unix seconds)

    Any other keyword is refused (TypeError), so a misspelt name can never become a custom
    claim that Digital Samba ignores. Custom claims are set explicitly: ``custom={"name":
    value}`` or ``claims["name"] = value``; libdstoken refuses the registered names there, so
    user data passed through them can never set ``role`` or ``rd``. Registered claims change
    by keyword: ``claims.set(user_id=..., role=...)``. Values: str, int (signed 64-bit), bool,
    and through JSON float, decimal.Decimal, None, lists and dicts (NaN and Infinity are
    refused); :meth:`set_json` (the generic setter, any name) takes JSON text.

    Reading: a Claims is a ``collections.abc.Mapping`` of claim name to exact value, as
    PyJWT's ``jwt.decode()`` returns a dict: ``claims["u"]``, ``"u" in claims``,
    ``dict(claims)``. Numbers come back exact: ``int`` of any size, ``float`` when binary64
    holds the number exactly, otherwise ``decimal.Decimal``. The typed getters
    (:meth:`get_string`, ...) stay. The claims :func:`verify` returns are read-only (setters
    raise; :meth:`copy` gives a mutable copy).

    Registered claims with explicit times are kept in Python and signed through libdstoken's
    one-call mint, one native call per token. Custom claims, :meth:`set_expires_in`,
    :meth:`set_validity`, :meth:`set_json` and the typed getters move the claims into a
    native claim set (the same token; later setters cost one native call each).

    Thread safety: do not mutate one Claims from two threads at once (read-only claims may be
    read by any number of threads); ``close()`` is safe against every other call.
    """

    __slots__ = ("_tok", "_zeros", "_frozen", "_dict")
    _kind = "claim set"

    def __init__(self, *,
                 team_id: Optional[str] = None, room: Optional[str] = None, user_name: Optional[str] = None,
                 user_id: Optional[str] = None, initials: Optional[str] = None, role: Optional[str] = None,
                 breakout_id: Optional[str] = None, avatar: Optional[str] = None, issued_at: Optional[int] = None,
                 not_before: Optional[int] = None, expires_at: Optional[int] = None,
                 td: Optional[str] = None, rd: Optional[str] = None, u: Optional[str] = None, ud: Optional[str] = None,
                 breakoutId: Optional[str] = None, iat: Optional[int] = None, nbf: Optional[int] = None,
                 exp: Optional[int] = None,
                 custom: Optional[Mapping[str, Any]] = None, **unknown: NoReturn):
        # Builder mode: _tok (a dst_room_token) holds the registered claims, _zeros the time
        # slots explicitly set to 0 (which the struct reads as absent). Native mode (_tok is
        # None): the native claim set _h holds them all. A keyword given None leaves its claim
        # absent.
        self._h = None
        self._closed = False
        self._zeros: Optional[Set[int]] = None
        self._frozen = False
        self._dict: Optional[Dict[str, Any]] = None
        self._tok: Optional[_n.RoomToken] = _new_token()
        if unknown:
            keyword = next(iter(unknown))
            raise _ArgumentTypeError(_INVALID_ARGUMENT, f"Claims(): unknown keyword {keyword!r}: it is not a Digital "
                                     "Samba claim; the claims are "
                             + ", ".join(f"{r} (or {a})" if r != a else r for r, a in zip(_REGISTERED, _READABLE))
                             + f"; {_CUSTOM_HINT}", argument=keyword)
        values: Tuple[Any, ...] = (team_id, room, user_name, user_id, initials, role, breakout_id, avatar,
                                   issued_at, not_before, expires_at)
        shorts = (td, rd, u, ud, None, None, breakoutId, None, iat, nbf, exp)
        if shorts.count(None) != len(shorts):  # JWT names given: merged with the readable ones
            for slot, short in enumerate(shorts):
                if short is not None and values[slot] is not None:
                    raise _arg_error(_ArgumentTypeError, "Claims()", f"{_READABLE[slot]}= and {_REGISTERED[slot]}=",
                                     f"set the same claim ({_REGISTERED[slot]!r})")
            values = tuple(v if short is None else short for v, short in zip(values, shorts))
        for slot, value in enumerate(values):
            if value is not None:
                self._set_slot(slot, value, "Claims()")
        if custom:
            if not isinstance(custom, Mapping):
                raise _arg_error(_ArgumentTypeError, "Claims()", "custom", f"must be a mapping, not {type(custom).__name__}")
            for name, value in custom.items():
                self._set_custom(name, value, "Claims(custom=...)")

    @classmethod
    def _native(cls, handle: _ClaimsHandle, frozen: bool) -> "Claims":
        """Claims over a native claim set (a verified token's are read-only)."""
        self = cls.__new__(cls)
        self._h, self._closed, self._zeros, self._tok, self._frozen, self._dict = handle, False, None, None, frozen, None
        return self

    # -- builder mode and the move to a native claim set

    def _present(self, slot: int) -> bool:
        tok = self._tok
        assert tok is not None
        value = getattr(tok, _READABLE[slot])
        return value is not None if not _IS_TIME[slot] else bool(value) or bool(self._zeros and slot in self._zeros)

    def _set_slot(self, slot: int, value: Any, method: str) -> None:
        tok = self._tok
        if tok is not None and slot < 8:  # a string, in builder mode: the common case
            setattr(tok, _READABLE[slot], _utf8(value, _READABLE[slot], method))
            return
        if tok is None:
            if _IS_TIME[slot]:
                self._native_call(method, _n.set_int, _NAME_BYTES[slot], _i64(value, _READABLE[slot], method))
            else:
                self._native_call(method, _n.set_string, _NAME_BYTES[slot], _utf8(value, _READABLE[slot], method))
            return
        _put(tok, slot, value, method)
        if _IS_TIME[slot]:
            if value == 0:
                self._zeros = (self._zeros or set()) | {slot}
            elif self._zeros:
                self._zeros.discard(slot)

    def _set_custom(self, name: Any, value: Any, method: str) -> None:
        n = _utf8(name, "name", method)
        f, v = _custom_call(value, name, method)
        self._native_call(method, f, n, v)

    def _calls(self) -> List[Tuple[Any, bytes, Any]]:
        """Builder mode: the generic setter calls that make the same claims natively."""
        tok = self._tok
        assert tok is not None
        calls = []
        for slot in range(len(_REGISTERED)):
            if self._present(slot):
                value = getattr(tok, _READABLE[slot])
                calls.append((_n.set_int if _IS_TIME[slot] else _n.set_string, _NAME_BYTES[slot], value))
        return calls

    def _to_native(self, method: str) -> None:
        """Moves builder-mode claims into a native claim set (once; identical semantics). When
        two threads read one Claims at once, both copies hold the same claims: the one
        installed last stays, the other is freed when its last user is done."""
        tok = self._tok
        if tok is None:
            return
        if self._closed:
            raise self._closed_error(method)
        raw = _n.claims_new()
        if not raw:
            _raise(method)
        h = _ClaimsHandle(raw)  # freed with the last reference, also when a setter fails
        _apply(h, self._calls(), method, signing=False)
        if self._tok is tok:
            self._h, self._tok, self._zeros = h, None, None
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
            _raise(method, signing=f not in (_n.get_string, _n.get_int, _n.get_bool, _n.get_json, _n.remove))

    def _check_mutable(self, method: str) -> None:
        if self._frozen:
            raise _arg_error(_ArgumentTypeError, method, "claims", _READ_ONLY)
        if self._closed:
            raise self._closed_error(method)

    # -- setters

    def __setitem__(self, name: str, value: Any) -> None:
        """Sets the custom claim `name` (as written) to a str, int (signed 64-bit), bool, or a
        float, decimal.Decimal, None, list or dict (as JSON; NaN and Infinity refused). A
        registered name (td rd u ud initials role breakoutId avatar iat nbf exp) is refused by
        libdstoken: set those with :meth:`set` (``claims.set(role="moderator")``)."""
        self._check_mutable("Claims[...] = value")
        self._set_custom(name, value, f"Claims[{name!r}] = value")

    def set(self, **claims: Any) -> None:
        """Sets registered claims by the keywords of :class:`Claims` (readable names or JWT
        names: ``claims.set(user_id="u-2", expires_at=...)``); a keyword given None removes
        that claim. Any other keyword is refused (custom claims: ``claims["name"] = value``)."""
        method = "Claims.set()"
        self._check_mutable(method)
        for keyword, value in claims.items():
            slot = _KEYWORD.get(keyword)
            if slot is None:
                raise _ArgumentTypeError(_INVALID_ARGUMENT, f"{method}: unknown keyword {keyword!r}: it is not a Digital "
                                         f"Samba claim; {_CUSTOM_HINT}", argument=keyword)
            if value is None:
                if (self._present(slot) if self._tok is not None else _REGISTERED[slot] in self):
                    self.__delitem__(_REGISTERED[slot])
                continue
            self._set_slot(slot, value, method)

    def set_json(self, name: str, json_text: str) -> None:
        """Sets the claim `name` to a JSON value given as text (validated strictly)."""
        method = "Claims.set_json()"
        self._check_mutable(method)
        self._native_call(method, _n.set_json, _utf8(name, "name", method), _utf8(json_text, "json_text", method))

    def set_expires_in(self, seconds: float, *, max_lifetime: Optional[float] = None) -> None:
        """Sets ``iat`` = now and ``exp`` = now + `seconds` from the system clock, with the
        mint's lifetime rules: positive, whole seconds (a fraction is refused, not rounded), at
        most `max_lifetime` (default: libdstoken's, 30 days)."""
        self._set_lifetime("Claims.set_expires_in()", None, seconds, max_lifetime)

    def set_validity(self, skew: float, lifetime: float, *, max_lifetime: Optional[float] = None) -> None:
        """Sets ``iat`` = now, ``nbf`` = now - `skew` (>= 0) and ``exp`` = now + `lifetime`
        from the system clock, with the lifetime rules of :meth:`set_expires_in`."""
        self._set_lifetime("Claims.set_validity()", skew, lifetime, max_lifetime)

    def _set_lifetime(self, method: str, skew: Any, lifetime: Any, max_lifetime: Any) -> None:
        self._check_mutable(method)
        skew_s = None if skew is None else _whole(skew, "skew", method)
        secs, nanos = _duration(lifetime, "lifetime", method)
        limit = 0 if max_lifetime is None else _whole(max_lifetime, "max_lifetime", method)
        if self._tok is None:
            self._native_call(method, _n.set_lifetime, 0, secs, nanos, limit)  # the lifetime's rules
            if skew_s is not None:
                self._native_call(method, _n.set_validity, skew_s, secs)
            return
        # Builder mode: libdstoken checks the lifetime, skew and maximum by minting them once
        # with placeholder claims (one call); the times are then now, now - skew, now + lifetime,
        # as the mint defines them.
        check = _new_token()
        check.team_id = check.room = b"-"
        now = check.now = int(time.time())
        check.lifetime_seconds, check.lifetime_nanos, check.max_lifetime_seconds = secs, nanos, limit
        check.not_before_skew_seconds = skew_s or 0
        _mint_into(check, _checker(), method)
        tok, nbf = self._tok, (0 if skew_s is None else now - skew_s)
        tok.issued_at, tok.not_before, tok.expires_at = now, nbf, now + secs
        if self._zeros:
            self._zeros -= {8, 9, 10}
        if skew_s is not None and nbf == 0:
            self._zeros = (self._zeros or set()) | {9}

    def __delitem__(self, name: str) -> None:
        """Removes the claim `name`; ClaimNotFoundError (a LookupError) when it is absent."""
        method = f"del Claims[{name!r}]"
        self._check_mutable(method)
        n = _utf8(name, "name", method)
        slot = _SLOT.get(name)
        if self._tok is not None and slot is not None and self._present(slot):
            setattr(self._tok, _READABLE[slot], 0 if _IS_TIME[slot] else None)
            if self._zeros:
                self._zeros.discard(slot)
            return
        self._native_call(method, _n.remove, n)

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
        d = {}
        for slot in range(len(_REGISTERED)):
            if self._present(slot):
                value = getattr(tok, _READABLE[slot])
                d[_REGISTERED[slot]] = value if _IS_TIME[slot] else value.decode("utf-8")
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
        """A string claim; ClaimNotFoundError or ClaimTypeError otherwise."""
        out = ctypes.c_void_p()
        self._get("Claims.get_string()", _n.get_string, name, out)
        return _take_string(out)

    def get_int(self, name: str) -> int:
        """An integer claim; ClaimNotFoundError or ClaimTypeError otherwise."""
        out = ctypes.c_int64()
        self._get("Claims.get_int()", _n.get_int, name, out)
        return out.value

    def get_bool(self, name: str) -> bool:
        """A boolean claim; ClaimNotFoundError or ClaimTypeError otherwise."""
        out = ctypes.c_bool()
        self._get("Claims.get_bool()", _n.get_bool, name, out)
        return out.value

    def get_json(self, name: str) -> str:
        """Any claim as compact JSON text; ClaimNotFoundError when absent."""
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
        if self._closed:
            raise self._closed_error(method)
        tok = self._tok
        if tok is not None:
            c = Claims()
            for slot in range(len(_REGISTERED)):
                if self._present(slot):
                    value = getattr(tok, _READABLE[slot])
                    c._set_slot(slot, value if _IS_TIME[slot] else value.decode("utf-8"), method)
            return c
        h = self._h
        if h is None:
            raise self._closed_error(method)
        clone = _n.claims_clone(h)
        del h
        if not clone:
            _raise(method)
        return Claims._native(_ClaimsHandle(clone), False)

    def __repr__(self) -> str:
        if self._closed:
            return "Claims(<closed>)"
        try:
            return f"Claims({self._claims_dict('repr(Claims)')!r})"
        except DstokenError:  # closed meanwhile
            return "Claims(<closed>)"
        except ValueError:  # an int longer than str() may print (sys.get_int_max_str_digits())
            return f"Claims(<{len(self._claims_dict('repr(Claims)'))} claims>)"


# ---- signing ------------------------------------------------------------------------------------

_CHECKER: List[Key] = []


def _checker() -> Key:
    """A key for minting placeholder tokens whose only purpose is the library's verdict on a
    lifetime (Claims.set_expires_in, set_validity): made once, immutable, shared by every thread
    as any Key may be."""
    if not _CHECKER:
        _CHECKER.append(Key(b"dstoken: lifetime check"))
    return _CHECKER[0]

_mint_into_raw = _n.mint_into_raw
_byref = ctypes.byref
_RoomToken, _ROOM_TOKEN_SIZE = _n.RoomToken, _n.ROOM_TOKEN_SIZE
_Buffer = ctypes.c_char * 1024  # a token with every claim at a typical length fits
_CAPACITY = ctypes.c_size_t(1024)  # read-only
_Length = ctypes.c_size_t * 1  # an array passes as a pointer, without a byref() per call


def _mint_into(token: "_n.RoomToken", key: Key, method: str) -> str:
    """One native call: dst_mint_into into a buffer of this call's own (a signal handler that
    mints between this call and its read-back writes into its own buffer, never into this
    one). The arguments are ready-made ctypes objects (the untyped entry point skips per-call
    conversions)."""
    buf: Any = _Buffer()  # sliced as bytes
    length = _Length()
    status = _mint_into_raw(_byref(token), key._h, buf, _CAPACITY, length)
    if status == _BUFFER_TOO_SMALL:
        buf = ctypes.create_string_buffer(length[0] + 1)
        status = _n.mint_into(token, key._h, buf, len(buf), length)
    if status:
        _fail(method, key)
    result: str = buf[: length[0]].decode("ascii")
    return result


def _sign_handle(claims: Any, key: Key, method: str) -> str:
    """dst_sign of a Claims' native set (or of a bare handle)."""
    out = ctypes.c_void_p()
    if _n.sign(claims._h if isinstance(claims, Claims) else claims, key._h, ctypes.byref(out)):
        if isinstance(claims, Claims) and claims._h is None:
            raise claims._closed_error(method)
        _fail(method, key)
    return _take_string(out)


def _mint_then(tok: "_n.RoomToken", key: Key, method: str, calls: List[Tuple[Any, bytes, Any]]) -> str:
    """Mints `tok` (libdstoken applies every mint rule to it); with further claims to set
    (custom claims, a time of exactly 0, which the struct reads as absent), the minted claims
    are read back (dst_decode_unverified), the calls made on them, and the set signed."""
    token = _mint_into(tok, key, method)
    if not calls:
        return token
    ch = _ClaimsHandle()
    if _n.decode_unverified(token.encode("ascii"), None, ctypes.byref(ch)):
        _raise(method)
    _apply(ch, calls, method)
    return _sign_handle(ch, key, method)


def _flag(value: Any, what: str, method: str) -> bool:
    if value is not True and value is not False:
        raise _arg_error(_ArgumentTypeError, method, what, f"must be bool, not {type(value).__name__}")
    return value


def sign(claims: Claims, key: Key, *, no_expiry: bool = False, now: Optional[int] = None) -> str:
    """Signs `claims` with `key` and returns the token (compact JWS, ASCII), with the rules of
    :func:`mint`: ``td`` (team_id) and ``rd`` (room) required, an expiry required (``exp``, set
    with :meth:`Claims.set_expires_in`, :meth:`Claims.set_validity` or ``expires_at=``; or
    ``no_expiry=True`` for a token without one), and ``exp`` after now (`now`, unix seconds,
    defaults to the system clock). Raises :class:`ArgumentError` (a ValueError) naming what
    to fix."""
    method = "dstoken.sign()"
    if not isinstance(claims, Claims):
        raise _arg_error(_ArgumentTypeError, method, "claims", f"must be dstoken.Claims, not {type(claims).__name__}")
    _check_key(key, method)
    if claims._closed:
        raise claims._closed_error(method)
    now_v = 0 if now is None else _i64(now, "now", method)
    no_exp = _flag(no_expiry, "no_expiry", method)
    tok = claims._tok
    if tok is not None:
        t = tok
        if now_v or no_exp:
            t = _n.RoomToken.from_buffer_copy(tok)  # its strings stay referenced by tok
            t.now, t.no_expiry = now_v, no_exp
        zeros = claims._zeros
        return _mint_then(t, key, method, [(_n.set_int, _NAME_BYTES[s], 0) for s in sorted(zeros)] if zeros else [])
    # A native claim set: libdstoken checks the mint's rules on its registered claims (as a
    # dst_room_token), then signs the set itself when it holds more than the struct can.
    d = claims._claims_dict(method)
    t = _new_token()
    t.now, t.no_expiry = now_v, no_exp
    exact = True
    for name, value in d.items():
        slot = _SLOT.get(name)
        if slot is None:
            exact = False
        elif not _IS_TIME[slot] and isinstance(value, str):
            _put(t, slot, value, method)
        elif (_IS_TIME[slot] and isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)
              and math.isfinite(value) and _I64_MIN <= math.floor(value) <= _I64_MAX and math.floor(value)):
            setattr(t, _READABLE[slot], math.floor(value))
            exact = exact and type(value) is int
        else:
            exact = False  # a type the struct cannot hold, or 0: dst_sign says what is wrong
    token = _mint_into(t, key, method)
    return token if exact else _sign_handle(claims, key, method)


_MINT_KEYWORDS = ", ".join(_READABLE) + (", lifetime, not_before_skew, now, max_lifetime, no_expiry, custom")


def _refuse_unknown(method: str, unknown: Mapping[str, Any]) -> None:
    """A misspelt keyword is refused, so it can never be mistaken for a claim."""
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        raise _ArgumentTypeError(_INVALID_ARGUMENT, f"{method}: unknown keyword {names}; the keywords are "
                                 f"{_MINT_KEYWORDS} ({_CUSTOM_HINT})", argument=next(iter(unknown)))


def _room_token(method: str, strings: Tuple[Any, ...], issued_at: Any, not_before: Any, expires_at: Any,
                lifetime: Any, not_before_skew: Any, now: Any, max_lifetime: Any, no_expiry: Any,
                custom: Any) -> Tuple["_n.RoomToken", List[Tuple[Any, bytes, Any]]]:
    """mint()'s keywords as a dst_room_token, and the claim calls it cannot hold (custom claims,
    a time of exactly 0). Written out flat: this is the per-token path."""
    tok = _RoomToken()
    tok.struct_size = _ROOM_TOKEN_SIZE
    team_id, room, user_name, user_id, initials, role, breakout_id, avatar = strings
    tok.team_id = None if team_id is None else _utf8(team_id, "team_id", method)
    tok.room = None if room is None else _utf8(room, "room", method)
    if user_name is not None:
        tok.user_name = _utf8(user_name, "user_name", method)
    if user_id is not None:
        tok.user_id = _utf8(user_id, "user_id", method)
    if initials is not None:
        tok.initials = _utf8(initials, "initials", method)
    if role is not None:
        tok.role = _utf8(role, "role", method)
    if breakout_id is not None:
        tok.breakout_id = _utf8(breakout_id, "breakout_id", method)
    if avatar is not None:
        tok.avatar = _utf8(avatar, "avatar", method)
    calls: List[Tuple[Any, bytes, Any]] = []
    if issued_at is not None or not_before is not None or expires_at is not None:
        for slot, value in ((8, issued_at), (9, not_before), (10, expires_at)):
            if value is not None:
                setattr(tok, _READABLE[slot], _i64(value, _READABLE[slot], method))
                if value == 0:  # the struct's "absent": set on the claims after the mint
                    calls.append((_n.set_int, _NAME_BYTES[slot], 0))
    if lifetime is not None:
        tok.lifetime_seconds, tok.lifetime_nanos = _duration(lifetime, "lifetime", method)
    if not_before_skew is not None:
        tok.not_before_skew_seconds = _whole(not_before_skew, "not_before_skew", method)
    if now is not None:
        tok.now = _i64(now, "now", method)
    if max_lifetime is not None:
        tok.max_lifetime_seconds = _whole(max_lifetime, "max_lifetime", method)
    if no_expiry is not False:
        tok.no_expiry = _flag(no_expiry, "no_expiry", method)
    if custom:
        if not isinstance(custom, Mapping):
            raise _arg_error(_ArgumentTypeError, method, "custom", f"must be a mapping, not {type(custom).__name__}")
        for name, value in custom.items():
            f, v = _custom_call(value, name, method)
            calls.append((f, _utf8(name, "name", method), v))
    return tok, calls


def mint(key: Key, *, team_id: str, room: str, user_name: Optional[str] = None, user_id: Optional[str] = None,
         initials: Optional[str] = None, role: Optional[str] = None, breakout_id: Optional[str] = None,
         avatar: Optional[str] = None, issued_at: Optional[int] = None, not_before: Optional[int] = None,
         expires_at: Optional[int] = None, lifetime: Optional[float] = None, not_before_skew: Optional[int] = None,
         now: Optional[int] = None, max_lifetime: Optional[int] = None, custom: Optional[Mapping[str, Any]] = None,
         no_expiry: bool = False, **unknown: NoReturn) -> str:
    """Mints a room token in one native call (``dst_mint_into``) and returns it.

    ``team_id`` (td) and ``room`` (rd) are required; ``user_name`` (u), ``user_id`` (ud),
    ``initials``, ``role``, ``breakout_id`` (breakoutId) and ``avatar`` are optional strings.
    An expiry is required: ``lifetime`` (whole seconds: iat = now, exp = now + lifetime; a
    fraction such as ``0.5`` is refused, not rounded; at most ``max_lifetime``, by default 30
    days, so a lifetime in milliseconds is caught; ``not_before_skew`` adds nbf = now - skew)
    or the explicit times ``expires_at`` (exp; with ``issued_at`` (iat), ``not_before``
    (nbf)), in unix seconds. ``now`` defaults to the system clock; an ``exp`` not after it is
    refused. ``no_expiry=True`` signs a token without ``exp`` (valid forever: only on
    purpose). ``custom={"name": value}`` adds custom claims (a registered name is refused).
    The token is byte-identical to the one :class:`Claims` + :func:`sign` makes for the same
    claims.

    Raises :class:`ArgumentError` (a ValueError; TypeError for a wrong type) naming the
    keyword at fault, with the parts of the error as attributes. Thread safety: any number of
    threads may mint with one key at once.
    """
    method = "dstoken.mint()"
    _refuse_unknown(method, unknown)
    _check_key(key, method)
    tok, calls = _room_token(method, (team_id, room, user_name, user_id, initials, role, breakout_id, avatar),
                             issued_at, not_before, expires_at, lifetime, not_before_skew, now, max_lifetime,
                             no_expiry, custom)
    return _mint_then(tok, key, method, calls)


def mint_url(key: Key, team: str, *, allow_port: bool = False, team_id: Optional[str] = None,
             room: Optional[str] = None,
             user_name: Optional[str] = None, user_id: Optional[str] = None, initials: Optional[str] = None,
             role: Optional[str] = None, breakout_id: Optional[str] = None, avatar: Optional[str] = None,
             issued_at: Optional[int] = None, not_before: Optional[int] = None, expires_at: Optional[int] = None,
             lifetime: Optional[float] = None, not_before_skew: Optional[int] = None, now: Optional[int] = None,
             max_lifetime: Optional[int] = None, custom: Optional[Mapping[str, Any]] = None,
             no_expiry: bool = False, **unknown: NoReturn) -> str:
    """Mints a room token as :func:`mint` does (same keywords and rules) and returns the room's
    join URL with it (``dst_mint_url``): ``https://<team>.digitalsamba.com/<room>?token=...``.
    `team` is the team's subdomain name or its custom domain, as in :func:`join_url`;
    ``allow_port=True`` accepts a custom domain with a port (``meet.example.com:8443``)."""
    method = "dstoken.mint_url()"
    _refuse_unknown(method, unknown)
    _check_key(key, method)
    team_b = _utf8(team, "team", method)
    flags = _url_flags(allow_port, method)
    tok, calls = _room_token(method, (team_id, room, user_name, user_id, initials, role, breakout_id, avatar),
                             issued_at, not_before, expires_at, lifetime, not_before_skew, now, max_lifetime,
                             no_expiry, custom)
    if calls or flags:  # dst_mint_url takes neither: mint, then join
        token = _mint_then(tok, key, method, calls)
        return _join_url(method, team_b, tok.room, token.encode("ascii"), flags)
    out = ctypes.c_void_p()
    if _n.mint_url(tok, key._h, team_b, ctypes.byref(out)):
        _fail(method, key)
    return _take_string(out)


# ---- verifying -------------------------------------------------------------------------------

_verify_opts: Any = _n.verify_opts


def verify(token: str, key: Key, now: Optional[int] = None, leeway: int = 0, *, team_id: Optional[str] = None,
           room: Optional[str] = None, require: Iterable[str] = (), exp_optional: bool = False) -> Claims:
    """Verifies `token` with `key` at `now` (unix seconds; default: the system clock) allowing
    `leeway` seconds of clock skew, and returns its claims: a read-only :class:`Claims`, which
    is a Mapping (``claims["u"]``, ``dict(claims)``, exact values) with typed getters.

    ``exp`` is required unless ``exp_optional=True`` (Digital Samba's own examples mint tokens
    without it); ``require`` names further claims that must be present (as PyJWT's
    ``options={"require": [...]}``); ``team_id`` and ``room``, when given, must equal the
    token's ``td`` and ``rd`` (as PyJWT's ``audience=``).

    Raises (all :class:`InvalidTokenError`): :class:`DecodeError` (malformed, or a whole join
    URL), :class:`InvalidAlgorithmError`, :class:`InvalidSignatureError`,
    :class:`ExpiredSignatureError` (``e.expired_at``), :class:`ImmatureSignatureError`,
    :class:`MissingRequiredClaimError` (``e.claim``), :class:`ClaimMismatchError`
    (``e.claim``, ``e.expected``, ``e.actual``).
    """
    method = "dstoken.verify()"
    opts = _n.VerifyOptions()
    opts.struct_size = _n.VERIFY_OPTIONS_SIZE
    if now is not None:
        opts.now = _i64(now, "now", method)
    if leeway:
        opts.leeway_seconds = _i64(leeway, "leeway", method, 0, 2**32 - 1)
    opts.exp_optional = _flag(exp_optional, "exp_optional", method)
    if team_id is not None:
        opts.team_id = _utf8(team_id, "team_id", method)
    if room is not None:
        opts.room = _utf8(room, "room", method)
    if require:
        if isinstance(require, (str, bytes)):
            raise _arg_error(_ArgumentTypeError, method, "require", "must be a list of claim names, not one string")
        names = [_utf8(n, "require", method) for n in require]
        opts.required = (ctypes.c_char_p * len(names))(*names)
        opts.required_len = len(names)
    tok = _utf8(token, "token", method)
    _check_key(key, method)
    out = _ClaimsHandle()  # NULL unless verified
    if _verify_opts(tok, key._h, _byref(opts), _byref(out)):
        _fail(method, key, False, expected={"td": team_id, "rd": room})
    return Claims._native(out, True)


# The functional form, whose field types are objects rather than the strings this module's
# annotations are (from __future__ import annotations): documentation tools resolve them.
Unverified = NamedTuple("Unverified", [("header", Dict[str, Any]), ("claims", Claims)])
Unverified.__doc__ = """What :func:`decode_unverified` read: the header (a dict) and the claims (read-only)."""


def decode_unverified(token: str) -> Unverified:
    """Reads a token's header and claims WITHOUT checking its signature or its times: the result
    proves nothing about who made the token (anyone can write one). For choosing a key,
    routing or logging before :func:`verify`, as PyJWT's ``get_unverified_header()``. Only a
    malformed token is refused (:class:`DecodeError`), whatever its ``alg``."""
    method = "dstoken.decode_unverified()"
    tok = _utf8(token, "token", method)
    header = ctypes.c_void_p()
    out = _ClaimsHandle()
    if _n.decode_unverified(tok, ctypes.byref(header), ctypes.byref(out)):
        _raise(method)
    return Unverified(_parse_claims(_take_string(header)), Claims._native(out, True))


# ---- join URLs ---------------------------------------------------------------------------------


def _url_flags(allow_port: Any, method: str) -> int:
    return _n.URL_ALLOW_PORT if _flag(allow_port, "allow_port", method) else 0


def _join_url(method: str, team: bytes, room: Optional[bytes], token: Optional[bytes], flags: int = 0) -> str:
    out = ctypes.c_void_p()
    if flags:
        status = _n.join_url_opts(team, room, token, flags, ctypes.byref(out))
    else:
        status = _n.join_url(team, room, token, ctypes.byref(out))
    if status:
        _raise(method, signing=True)
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
