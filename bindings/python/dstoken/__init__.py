"""dstoken: mint and verify Digital Samba room tokens (HS256 JWTs) through libdstoken.

One call per token::

    import dstoken
    key = dstoken.Key(b"your developer key")
    token = dstoken.mint(key, team_id="team-id", room="daily-standup",
                         user_name="John Smith", role="moderator", lifetime=3600)

The claims builder (the same token; custom claims too)::

    claims = dstoken.Claims(team_id="team-id", room="daily-standup", user_name="John Smith",
                            role="moderator")
    claims.set_validity(skew=30, lifetime=3600)
    token = dstoken.sign(claims, key)

Both cross into the native library once per token: ``Claims`` keeps its values in Python and
signs through libdstoken's one-call mint (``dst_mint_into``). Claims with custom members are
signed through a native claim set instead (one call per claim, then one to sign).

Errors: every failure raises :class:`DstokenError` (or a subclass), which carries the status
name (``e.name``, e.g. ``"DST_ERR_MISSING_CLAIM"``), its number (``e.status``) and a message
that names the Python function or method called. Argument errors found in Python are also
``TypeError``, ``ValueError`` or ``OverflowError``.

The native library is found as :mod:`dstoken._native` describes: next to the package (the
wheel bundles it), then ``DSTOKEN_LIBRARY``, then the system library. ``library_path`` says
which was loaded.

Thread safety: a :class:`Key` may be shared by any number of threads. A :class:`Claims` must
not be mutated by one thread while another uses it. ``close()`` is safe against any other call
from any thread: a closed object raises, it never reaches freed memory (close waits for calls
in flight on the object to finish).
"""
from __future__ import annotations

import ctypes
import re
import threading
import time
from typing import Any, Dict, List, Mapping, NoReturn, Optional, Set, Tuple, Union

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
    return f'; set it with Claims({readable}=...) or claims["{name}"] = ...'


def _raise(status: int, method: str, minting: Union[bool, str] = False) -> NoReturn:
    """Raises the library's last error for `status`, naming the Python `method` instead of the C
    function (the C name is an implementation detail)."""
    text = (_n.last_error() or b"").decode("utf-8", "replace")
    text = re.sub(r"^dst_[a-z_]+: ", "", text) or "failed"
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


# ---- native objects whose close() is safe against every other call ----------------------------

class _Native:
    """Owns one native handle. A call borrows it between _acquire() and _release(); close()
    marks the object closed (later calls raise), waits until no call is in flight, then frees
    the handle exactly once. So two closes never free twice and no call ever sees freed memory.

    The in-flight marker is a list that calls append to and pop from: single, atomic
    operations, so the per-call cost stays far below a lock or condition variable's."""

    __slots__ = ("_h", "_inflight", "_closed", "__weakref__")
    _kind = "object"

    def _init_native(self, handle: Optional[int]) -> None:
        self._h: Optional[int] = handle
        self._inflight: List[int] = []
        self._closed = False

    def _closed_error(self, method: str) -> DstokenError:
        return _ValueError(_INVALID_ARGUMENT, f"{method}: this {self._kind} is closed (close() was called)")

    def _acquire(self, method: str) -> Optional[int]:
        inflight = self._inflight
        inflight.append(1)  # first announce the call, then look: close() sets _closed first
        if self._closed:
            inflight.pop()
            raise self._closed_error(method)
        return self._h

    def _release(self) -> None:
        self._inflight.pop()

    def _free(self, handle: int) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def close(self) -> None:
        """Releases the native resources now. Idempotent and thread-safe: calls in flight on
        this object finish first; every later call raises DstokenError
        (DST_ERR_INVALID_ARGUMENT, also a ValueError)."""
        with _close_lock:
            if getattr(self, "_closed", True):  # already closed, or __init__ failed early
                return
            self._closed = True
        pause = 0.0
        while self._inflight:  # calls that started before _closed was set
            time.sleep(pause)
            pause = min(0.001, pause + 0.0001)
        handle, self._h = self._h, None
        if handle:
            self._free(handle)

    @property
    def closed(self) -> bool:
        """True once close() has been called."""
        return self._closed



_close_lock = threading.Lock()


class _Owned:
    """Frees a native claim set when the Claims holding it is collected without close().
    (Claims itself has no __del__: most never hold a native handle, and a finaliser on every
    Claims would cost each token.)"""

    __slots__ = ("h",)

    def __init__(self, h: int):
        self.h: Optional[int] = h

    def __del__(self) -> None:
        h, self.h = self.h, None
        if h:
            try:
                _n.claims_free(h)
            except Exception:  # pragma: no cover - interpreter shutdown
                pass


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
    may be used by any number of threads at once; ``close()`` waits for their calls.
    Use it as a context manager (``with Key(secret) as key:``) or call ``close()``.
    """

    __slots__ = ("_hp",)
    _kind = "key"

    def __init__(self, secret: Union[bytes, bytearray, memoryview, str]):
        if isinstance(secret, str):
            secret = secret.encode("utf-8")
        if not isinstance(secret, (bytes, bytearray, memoryview)):
            raise _TypeError(_INVALID_ARGUMENT, f"Key(): secret must be bytes or str, not {type(secret).__name__}")
        raw = bytes(secret)
        out = ctypes.c_void_p()
        status = _n.key_new(raw, len(raw), ctypes.byref(out))
        if status:
            _raise(status, "Key()")
        self._init_native(out.value)
        self._hp = out  # the handle as a ready ctypes argument (the per-token path)

    def _free(self, handle: int) -> None:
        _n.key_free(handle)

    def __del__(self) -> None:
        # Unreachable, so no call can be in flight: free without close()'s lock and wait.
        try:
            if not self._closed:
                self._closed = True
                handle, self._h = self._h, None
                if handle:
                    self._free(handle)
        except Exception:  # pragma: no cover - __init__ failed early, or interpreter shutdown
            pass

    def __enter__(self) -> "Key":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "Key(<closed>)" if self._closed else "Key(<secret>)"


_CUSTOM_KW_HINT = 'pass custom claims explicitly: Claims(..., custom={"name": value}) or claims["name"] = value'


class Claims(_Native):
    """The claims of one room token.

    Keyword arguments set Digital Samba's registered claims, by their JWT names or by these
    readable aliases (the same claim either way)::

        team_id=     td  (required to sign)     room=        rd  (required to sign)
        user_name=   u                          user_id=     ud
        initials=    initials                   role=        role
        breakout_id= breakoutId                 avatar=      avatar
        issued_at=   iat   not_before= nbf   expires_at= exp   (int unix seconds)

    Any other keyword is refused (DstokenError, also a TypeError), so a misspelt name can never
    become a custom claim that Digital Samba ignores. Custom claims are set explicitly:
    ``custom={"name": value}`` or ``claims["name"] = value`` (str, int and bool values;
    :meth:`set_json` for anything else). Item assignment uses the name as written (no aliases).

    Registered claims are kept in Python and signed through libdstoken's one-call mint, so
    building and signing costs one native call per token. The first getter, :meth:`to_json`,
    :meth:`set_json`, or signing with custom claims moves the claims into a native claim set
    (the same token; later setters then cost one native call each).

    Thread safety: do not mutate one Claims from two threads at once; ``close()`` is safe
    against every other call. Use it as a context manager or call ``close()``.
    """

    __slots__ = ("_tok", "_custom", "_zeros", "_owner")
    _kind = "claim set"

    def __init__(self, *,
                 team_id: Optional[str] = None, room: Optional[str] = None, user_name: Optional[str] = None,
                 user_id: Optional[str] = None, initials: Optional[str] = None, role: Optional[str] = None,
                 breakout_id: Optional[str] = None, avatar: Optional[str] = None, issued_at: Optional[int] = None,
                 not_before: Optional[int] = None, expires_at: Optional[int] = None,
                 td: Optional[str] = None, rd: Optional[str] = None, u: Optional[str] = None, ud: Optional[str] = None,
                 breakoutId: Optional[str] = None, iat: Optional[int] = None, nbf: Optional[int] = None,
                 exp: Optional[int] = None,
                 custom: Optional[Mapping[str, Union[str, int, bool]]] = None, _handle: Optional[int] = None,
                 **unknown: NoReturn):
        # Builder mode: _tok (a dst_room_token) holds the registered claims, _custom the custom
        # ones in insertion order, _zeros the time slots explicitly set to 0 (which the struct
        # reads as absent). Native mode (_tok is None): the native claim set _h holds them all.
        # A keyword given None leaves its claim absent.
        self._h: Optional[int] = _handle
        self._inflight: List[int] = []
        self._closed = False
        self._custom: Dict[str, Tuple[int, Any]] = {}
        self._zeros: Optional[Set[int]] = None
        if _handle is not None:
            self._tok: Optional[_n.RoomToken] = None
            self._owner = _Owned(_handle)
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
                if type(issued_at) is not int or not issued_at or not _I64_MIN <= issued_at <= _I64_MAX:
                    raise _Slow
                tok.issued_at = issued_at
            if expires_at is not None:
                if type(expires_at) is not int or not expires_at or not _I64_MIN <= expires_at <= _I64_MAX:
                    raise _Slow
                tok.expires_at = expires_at
        except (_Slow, UnicodeEncodeError):
            for slot, value in enumerate((team_id, room, user_name, user_id, initials, role, breakout_id, avatar,
                                          issued_at, not_before, expires_at)):
                if value is not None:
                    self._set_slot(slot, value, "Claims()")
        if custom:
            for name, value in custom.items():
                self._set_item(name, value, "Claims(custom=...)")

    # -- builder-mode helpers

    def _present(self, slot: int) -> bool:
        tok = self._tok
        assert tok is not None
        if slot < _FIRST_TIME:
            return getattr(tok, _READABLE[slot]) is not None
        return bool(getattr(tok, _READABLE[slot])) or (self._zeros is not None and slot in self._zeros)

    def _set_slot(self, slot: int, value: Any, method: str) -> None:
        tok = self._tok
        assert tok is not None
        name = _REGISTERED[slot]
        if slot < _FIRST_TIME:
            if not isinstance(value, str):
                raise _TypeError(_INVALID_ARGUMENT, f'{method}: claim "{name}" is a string, not {_type_desc(value)}')
            if not value and slot < 2:
                raise _ValueError(_INVALID_ARGUMENT, f'{method}: claim "{name}" must not be empty')
            setattr(tok, _READABLE[slot], _utf8(value, f'claim "{name}"', method))
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise _TypeError(_INVALID_ARGUMENT,
                             f'{method}: claim "{name}" is a time (integer unix seconds), not {_type_desc(value)}')
        setattr(tok, _READABLE[slot], _i64(value, f'claim "{name}"', method))
        if value == 0:
            if self._zeros is None:
                self._zeros = set()
            self._zeros.add(slot)
        elif self._zeros:
            self._zeros.discard(slot)

    def _set_item(self, name: Any, value: Any, method: str) -> None:
        n = _utf8(name, "claim name", method)
        if not n:
            raise _ValueError(_INVALID_ARGUMENT, f"{method}: claim name must not be empty")
        if self._tok is not None:
            slot = _SLOT.get(name)
            if slot is not None:
                self._set_slot(slot, value, method)
                return
            if isinstance(value, bool):
                self._custom[name] = (0, value)
            elif isinstance(value, int):
                self._custom[name] = (1, _i64(value, f'claim "{name}"', method))
            elif isinstance(value, str):
                self._custom[name] = (2, _utf8(value, f'claim "{name}"', method))
            else:
                raise _TypeError(_INVALID_ARGUMENT, f'{method}: claim "{name}": use set_json for values other than str, int and bool')
            return
        if isinstance(value, bool):
            self._native_call(method, _n.set_bool, n, value)
        elif isinstance(value, int):
            self._native_call(method, _n.set_int, n, _i64(value, f'claim "{name}"', method))
        elif isinstance(value, str):
            self._native_call(method, _n.set_string, n, _utf8(value, f'claim "{name}"', method))
        else:
            raise _TypeError(_INVALID_ARGUMENT, f'{method}: claim "{name}": use set_json for values other than str, int and bool')

    def _items(self, tok: "_n.RoomToken", custom: Dict[str, Tuple[int, Any]],
               zeros: Optional[Set[int]]) -> List[Tuple[int, bytes, Any]]:
        """Builder mode: (kind, name, value) of every claim, registered first; kind 0 bool,
        1 int, 2 string."""
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
        """Moves builder-mode claims into a native claim set (once; identical semantics). Safe
        when two threads read one Claims at once: the first conversion wins, the other's
        native copy is freed."""
        tok, custom, zeros = self._tok, self._custom, self._zeros
        if tok is None:
            return
        if self._closed:
            raise self._closed_error(method)
        h = _n.claims_new()
        if not h:
            _raise(_INTERNAL, method)
        try:
            for kind, name, value in self._items(tok, custom, zeros):
                status = (_n.set_bool, _n.set_int, _n.set_string)[kind](h, name, value)
                if status:
                    _raise(status, method)
        except BaseException:
            _n.claims_free(h)
            raise
        with _close_lock:
            closed = self._closed
            if not closed and self._tok is tok:
                self._owner = _Owned(h)
                self._h, self._tok, self._custom, self._zeros = h, None, {}, None
                return
        _n.claims_free(h)  # closed meanwhile, or another thread converted first
        if closed:
            raise self._closed_error(method)

    def _native_call(self, method: str, f: Any, *args: Any) -> None:
        self._to_native(method)
        h = self._acquire(method)
        try:
            status = f(h, *args)
        finally:
            self._release()
        if status:
            _raise(status, method)

    def _free(self, handle: int) -> None:
        self._owner.h = None
        _n.claims_free(handle)

    # -- setters

    def __setitem__(self, name: str, value: Union[str, int, bool]) -> None:
        """Sets the claim `name` (as written; registered claims must get their type) to a str,
        int (signed 64-bit) or bool. Use set_json for other JSON values."""
        if self._closed:
            raise self._closed_error("Claims[...] = value")
        self._set_item(name, value, f"Claims[{name!r}] = value")

    def set_json(self, name: str, json_text: str) -> None:
        """Sets the claim `name` to a JSON value given as text (validated strictly)."""
        method = "Claims.set_json()"
        self._native_call(method, _n.set_json, _utf8(name, "name", method), _utf8(json_text, "json_text", method))

    def _set_times(self, method: str, skew: Optional[int], lifetime: int, what: str) -> None:
        if self._closed:
            raise self._closed_error(method)
        if skew is not None and skew < 0:
            raise _ValueError(_INVALID_ARGUMENT, f"{method}: skew_seconds must not be negative, got {skew}")
        if lifetime <= 0:
            raise _ValueError(_INVALID_ARGUMENT, f"{method}: {what} must be positive, got {lifetime}")
        now = int(time.time())
        if now + lifetime > _I64_MAX:
            raise _OverflowError(_INVALID_ARGUMENT, f"{method}: now + {what} overflows a 64-bit time")
        tok = self._tok
        if tok is not None and now and now + lifetime and not self._zeros and (skew is None or now - skew):
            tok.issued_at = now  # the common case inline: no time is 0
            if skew is not None:
                tok.not_before = now - skew
            tok.expires_at = now + lifetime
            return
        self._set_slot(8, now, method)
        if skew is not None:
            self._set_slot(9, now - skew, method)
        self._set_slot(10, now + lifetime, method)

    def set_expires_in(self, seconds: int) -> None:
        """Sets ``iat`` = now and ``exp`` = now + `seconds` (> 0), from the system clock now."""
        method = "Claims.set_expires_in()"
        seconds = _i64(seconds, "seconds", method)
        if self._tok is None:
            self._native_call(method, _n.set_expires_in, seconds)
        else:
            self._set_times(method, None, seconds, "seconds")

    def set_validity(self, skew: int, lifetime: int) -> None:
        """Sets ``iat`` = now, ``nbf`` = now - `skew` (>= 0) and ``exp`` = now + `lifetime`
        (> 0), from the system clock now."""
        method = "Claims.set_validity()"
        skew = _i64(skew, "skew", method)
        lifetime = _i64(lifetime, "lifetime", method)
        if self._tok is None:
            self._native_call(method, _n.set_validity, skew, lifetime)
        else:
            self._set_times(method, skew, lifetime, "lifetime_seconds")

    def __delitem__(self, name: str) -> None:
        """Removes the claim `name`; DST_ERR_NOT_FOUND when it is absent."""
        method = f"del Claims[{name!r}]"
        n = _utf8(name, "name", method)
        if self._tok is None:
            self._native_call(method, _n.remove, n)
            return
        if self._closed:
            raise self._closed_error(method)
        slot = _SLOT.get(name)
        if slot is not None and self._present(slot):
            setattr(self._tok, _READABLE[slot], None if slot < _FIRST_TIME else 0)
            if self._zeros:
                self._zeros.discard(slot)
        elif slot is None and name in self._custom:
            del self._custom[name]
        else:
            raise DstokenError(_NOT_FOUND, f'{method}: claim "{name}" is not present')

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

    def to_json(self) -> str:
        """The payload as compact JSON: registered claims first in fixed order, then custom."""
        out = ctypes.c_void_p()
        self._native_call("Claims.to_json()", _n.to_json, ctypes.byref(out))
        return _take_string(out)

    def copy(self) -> "Claims":
        """An independent copy."""
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
        h = self._acquire(method)
        try:
            clone = _n.claims_clone(h)
        finally:
            self._release()
        if not clone:
            _raise(_INTERNAL, method)
        return Claims(_handle=clone)

    def __enter__(self) -> "Claims":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._closed:
            return "Claims(<closed>)"
        if self._tok is not None:
            parts = [f"{_REGISTERED[s]}={v.decode() if isinstance(v, bytes) else v!r}"
                     for s in range(11) if self._present(s) for v in [getattr(self._tok, _READABLE[s])]]
            return f"Claims({', '.join(parts)}{', custom=...' if self._custom else ''})"
        return "Claims(<native>)"

# ---- signing ------------------------------------------------------------------------------------

_tls = threading.local()
_mint_into_raw = _n.mint_into_raw


def _mint_into(token: "_n.RoomToken", key: Key, method: str, minting: Union[bool, str]) -> str:
    """One native call: dst_mint_into into this thread's reusable buffer. The arguments are
    ready-made ctypes objects (the untyped entry point skips per-call conversions)."""
    try:
        buf, cap, length, length_ref = _tls.state
    except AttributeError:
        length = ctypes.c_size_t()
        buf, cap, length, length_ref = _tls.state = (ctypes.create_string_buffer(1024), ctypes.c_size_t(1024),
                                                     length, ctypes.byref(length))
    inflight = key._inflight  # key._acquire(), inlined
    inflight.append(1)
    try:
        if key._closed:
            raise key._closed_error(method)
        status = _mint_into_raw(_byref(token), key._hp, buf, cap, length_ref)
        if status == _BUFFER_TOO_SMALL:
            buf = ctypes.create_string_buffer(length.value + 1)
            _tls.state = (buf, ctypes.c_size_t(len(buf)), length, length_ref)
            status = _n.mint_into(token, key._h, buf, len(buf), length)
    finally:
        inflight.pop()
    if status:
        _raise(status, method, minting)
    result: str = buf[: length.value].decode("ascii")
    return result


def _sign_native(claims: Claims, key: Key, method: str) -> str:
    claims._to_native(method)
    out = ctypes.c_void_p()
    ch = claims._acquire(method)
    try:
        kh = key._acquire(method)
        try:
            status = _n.sign(ch, kh, ctypes.byref(out))
        finally:
            key._release()
    finally:
        claims._release()
    if status:
        _raise(status, method)
    return _take_string(out)


def sign(claims: Claims, key: Key) -> str:
    """Signs `claims` with `key` and returns the token (compact JWS, ASCII).

    Needs ``td`` (team_id) and ``rd`` (room); raises DstokenError (DST_ERR_MISSING_CLAIM,
    DST_ERR_INVALID_ARGUMENT for ``exp`` before ``nbf``/``iat``, ...). Registered claims only:
    one native call; with custom claims: through the native claim set.
    """
    method = "dstoken.sign()"
    if not isinstance(claims, Claims) or not isinstance(key, Key):
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: expects (Claims, Key), got ({type(claims).__name__}, {type(key).__name__})")
    tok = claims._tok
    if tok is None or claims._custom or claims._zeros:
        # Custom claims (or a time of exactly 0, which the one-call mint reads as absent).
        return _sign_native(claims, key, method)
    if claims._closed:
        raise claims._closed_error(method)
    # References to the strings the struct points to: a Claims changed meanwhile by another
    # thread (not supported) can still never make the library read freed memory.
    keep = dict(tok._objects) if tok._objects else None
    token = _mint_into(tok, key, method, False)
    del keep
    return token


_MINT_KEYWORDS = ("team_id, room, user_name, user_id, initials, role, breakout_id, avatar, "
                  "issued_at, not_before, expires_at, lifetime, not_before_skew, now, custom")
_TIME_KEYWORDS = ("issued_at", "not_before", "expires_at", "lifetime", "not_before_skew", "now")


def _enc(value: Any, what: str, method: str) -> bytes:
    if type(value) is str and "\0" not in value:
        try:
            return value.encode()
        except UnicodeEncodeError:
            pass
    return _utf8(value, what, method)


def _room_token(method: str, strings: Tuple[Optional[str], ...], times: Tuple[Optional[int], ...],
                unknown: Mapping[str, object]) -> "_n.RoomToken":
    """A dst_room_token from mint()'s keywords (strings in _READABLE order, then times)."""
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: unknown keyword {names}; the keywords are {_MINT_KEYWORDS} "
                                            "(custom claims: custom={\"name\": value})")
    tok = _n.RoomToken()
    tok.struct_size = _n.ROOM_TOKEN_SIZE
    for field, value in zip(_READABLE, strings):
        if value is not None:
            setattr(tok, field, _enc(value, field, method))
    for time_field, time_value in zip(_TIME_KEYWORDS, times):
        if time_value is not None:
            _i64(time_value, time_field, method)
    tok.issued_at, tok.not_before, tok.expires_at, tok.lifetime_seconds, tok.not_before_skew_seconds, tok.now = (
        t or 0 for t in times)
    return tok


def mint(key: Key, *, team_id: str, room: str, user_name: Optional[str] = None, user_id: Optional[str] = None,
         initials: Optional[str] = None, role: Optional[str] = None, breakout_id: Optional[str] = None,
         avatar: Optional[str] = None, issued_at: Optional[int] = None, not_before: Optional[int] = None,
         expires_at: Optional[int] = None, lifetime: Optional[int] = None, not_before_skew: Optional[int] = None,
         now: Optional[int] = None, custom: Optional[Mapping[str, Union[str, int, bool]]] = None,
         **unknown: NoReturn) -> str:
    """Mints a room token in one native call (``dst_mint_into``) and returns it.

    ``team_id`` (td) and ``room`` (rd) are required; ``user_name`` (u), ``user_id`` (ud),
    ``initials``, ``role``, ``breakout_id`` (breakoutId) and ``avatar`` are optional strings.
    Times, in unix seconds, either explicit — ``issued_at`` (iat), ``not_before`` (nbf),
    ``expires_at`` (exp) — or relative: ``lifetime`` > 0 gives iat = now and exp = now +
    lifetime, ``not_before_skew`` > 0 adds nbf = now - skew; ``now`` defaults to the system
    clock. Mixing the two forms, or a skew without a lifetime, is DST_ERR_INVALID_ARGUMENT.
    The token is byte-identical to the one :class:`Claims` + :func:`sign` makes for the same
    claims. Any other keyword is refused; ``custom={"name": value}`` adds custom claims (they
    are signed through a native claim set instead of the one-call mint).

    Raises DstokenError: DST_ERR_MISSING_CLAIM, DST_ERR_INVALID_ARGUMENT, DST_ERR_INVALID_UTF8
    (each naming the keyword at fault). Thread safety: any number of threads may mint with one
    key at once.
    """
    method = "dstoken.mint()"
    if unknown or not isinstance(key, Key):
        _room_token(method, (), (), unknown)  # raises for the unknown keywords
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: key must be a dstoken.Key, not {type(key).__name__}")
    times = (issued_at, not_before, expires_at, lifetime, not_before_skew, now)
    if custom or 0 in times[:3]:
        tok = _room_token(method, (team_id, room, user_name, user_id, initials, role, breakout_id, avatar), times, {})
        return _mint_with_claims(key, method, tok, times, custom or {})
    # The per-token path, straight-line: str and int inline; anything else, and any error,
    # through _room_token, which checks each keyword and names the one at fault.
    tok = _RoomToken()
    tok.struct_size = _ROOM_TOKEN_SIZE
    try:
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
        if issued_at is not None:
            if type(issued_at) is not int or not _I64_MIN <= issued_at <= _I64_MAX:
                raise _Slow
            tok.issued_at = issued_at
        if expires_at is not None:
            if type(expires_at) is not int or not _I64_MIN <= expires_at <= _I64_MAX:
                raise _Slow
            tok.expires_at = expires_at
        if not_before is not None or not_before_skew is not None or now is not None:
            raise _Slow
        if lifetime is not None:
            if type(lifetime) is not int or not _I64_MIN <= lifetime <= _I64_MAX:
                raise _Slow
            tok.lifetime_seconds = lifetime
    except (_Slow, UnicodeEncodeError):
        tok = _room_token(method, (team_id, room, user_name, user_id, initials, role, breakout_id, avatar), times, {})
    return _mint_into(tok, key, method, True)


def _mint_with_claims(key: Key, method: str, tok: "_n.RoomToken", times: Tuple[Optional[int], ...],
                      custom: Mapping[str, Union[str, int, bool]]) -> str:
    """mint() with custom claims (or a time of exactly 0): the same checks, then the builder
    path (a native claim set)."""
    issued_at, not_before, expires_at, lifetime, skew, now = times
    if any(t is not None for t in (issued_at, not_before, expires_at)) and (lifetime is not None or now is not None):
        raise _ValueError(_INVALID_ARGUMENT, f"{method}: explicit times (issued_at, not_before, expires_at) and "
                                             "relative times (lifetime, now) are mutually exclusive")
    if (skew is not None or now is not None) and lifetime is None:
        raise _ValueError(_INVALID_ARGUMENT, f"{method}: not_before_skew and now are only used with lifetime")
    with Claims() as c:
        for slot, field in enumerate(_READABLE[:_FIRST_TIME]):
            value = getattr(tok, field)
            if value is not None:
                setattr(c._tok, field, value)
        for name, value in custom.items():
            c._set_item(name, value, f"{method} custom=")
        if lifetime is not None:
            if lifetime <= 0:
                raise _ValueError(_INVALID_ARGUMENT, f"{method}: lifetime must be positive, got {lifetime}")
            if skew is not None and skew < 0:
                raise _ValueError(_INVALID_ARGUMENT, f"{method}: not_before_skew must not be negative, got {skew}")
            t0 = now if now is not None else int(time.time())
            c._set_slot(8, t0, method)
            if skew:
                c._set_slot(9, t0 - skew, method)
            c._set_slot(10, t0 + lifetime, method)
        else:
            for slot, value in zip((8, 9, 10), (issued_at, not_before, expires_at)):
                if value is not None:
                    c._set_slot(slot, value, method)
        try:
            return _sign_native(c, key, method)
        except DstokenError as e:
            if e.status == _MISSING_CLAIM:
                raise DstokenError(e.status, e.message.split("; set it with")[0].replace("dstoken.sign()", method)
                                   + _missing_claim_hint(e.message, True)) from None
            raise


def mint_url(key: Key, team: str, **claims: Any) -> str:
    """Mints a room token as :func:`mint` does (same keywords, no ``custom``) and returns the
    room's join URL with it (``dst_mint_url``): ``https://<team>.digitalsamba.com/<room>?token=...``.
    `team` is the team's subdomain name or a host name, as in :func:`join_url`."""
    method = "dstoken.mint_url()"
    if not isinstance(key, Key):
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: key must be a dstoken.Key, not {type(key).__name__}")
    team_b = _utf8(team, "team", method)
    if "custom" in claims:
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: custom claims are not supported here; "
                                            "use join_url(team, room, mint(...))")
    get = claims.pop
    strings = tuple(get(k, None) for k in _READABLE[:_FIRST_TIME])
    times = tuple(get(k, None) for k in _TIME_KEYWORDS)
    tok = _room_token(method, strings, times, claims)
    out = ctypes.c_void_p()
    h = key._acquire(method)
    try:
        status = _n.mint_url(tok, h, team_b, ctypes.byref(out))
    finally:
        key._release()
    if status:
        _raise(status, method, method)
    return _take_string(out)


def verify(token: str, key: Key, now: Optional[int] = None, leeway: int = 0) -> Claims:
    """Verifies `token` with `key` at `now` (unix seconds; default: the system clock) allowing
    `leeway` seconds of clock skew, and returns its claims (a native-backed :class:`Claims`).

    Raises DstokenError: DST_ERR_MALFORMED_TOKEN, DST_ERR_UNSUPPORTED_ALGORITHM,
    DST_ERR_BAD_SIGNATURE, DST_ERR_EXPIRED, DST_ERR_NOT_YET_VALID, ...
    """
    method = "dstoken.verify()"
    now = int(time.time()) if now is None else _i64(now, "now", method)
    if isinstance(leeway, bool) or not isinstance(leeway, int):
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: leeway must be int, not {type(leeway).__name__}")
    if not 0 <= leeway < 2**32:
        raise _OverflowError(_INVALID_ARGUMENT, f"{method}: leeway ({leeway}) must fit in an unsigned 32-bit integer")
    if not isinstance(key, Key):
        raise _TypeError(_INVALID_ARGUMENT, f"{method}: key must be a dstoken.Key, not {type(key).__name__}")
    tok = _utf8(token, "token", method)
    out = ctypes.c_void_p()
    h = key._acquire(method)
    try:
        status = _n.verify(tok, h, now, leeway, ctypes.byref(out))
    finally:
        key._release()
    if status:
        _raise(status, method)
    return Claims(_handle=out.value)


def join_url(team: str, room: str, token: Optional[str] = None) -> str:
    """The room's join URL, ``https://<team>.digitalsamba.com/<room>[?token=<token>]``, with the
    room name percent-encoded. `team` is a subdomain name or a host name."""
    method = "dstoken.join_url()"
    out = ctypes.c_void_p()
    tok = None if token is None else _utf8(token, "token", method)
    status = _n.join_url(_utf8(team, "team", method), _utf8(room, "room", method), tok, ctypes.byref(out))
    if status:
        _raise(status, method)
    return _take_string(out)
