"""The package's own side of safe defaults: every custom-claim entry point reaches the
library's custom-claim setters (which refuse registered names), Python values are converted
without rounding (NaN, Infinity, lone surrogates refused; a fractional lifetime passed on as
nanoseconds for the library to refuse), errors are PyJWT-like classes carrying the library's
parts, and verify() returns a read-only Mapping of exact values. The rules themselves (no
expiry, milliseconds, 1970..9999, an expiry already past, a URL given as a token) are the
library's and are checked once, by the shared vectors (test_vectors.py). Every token made here
is also decoded by PyJWT."""
import base64
import hashlib
import hmac
import json
import math
import re
import sys
import time
import datetime
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import jwt  # PyJWT
import pytest

import dstoken
from dstoken import Claims, DstokenError, Key, decode_unverified, mint, sign, verify

from conftest import KEY

T0 = 1767225600  # 2026-01-01T00:00:00Z
MAX_TIME = 253402300799  # 9999-12-31T23:59:59Z
REGISTERED = ["td", "rd", "u", "ud", "initials", "role", "breakoutId", "avatar", "iat", "nbf", "exp"]
KEYWORD = {"td": "team_id", "rd": "room", "u": "user_name", "ud": "user_id", "initials": "initials", "role": "role",
           "breakoutId": "breakout_id", "avatar": "avatar", "iat": "issued_at", "nbf": "not_before", "exp": "expires_at"}


def decode(token, **options):
    """PyJWT reads the token (times checked unless options say otherwise)."""
    return jwt.decode(token, KEY, algorithms=["HS256"], options=options)


def raw_token(payload_text: str) -> str:
    """An HS256 token over exactly `payload_text` (numbers as written, which json.dumps cannot do)."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
    signing_input = b64(b'{"alg":"HS256","typ":"JWT"}') + "." + b64(payload_text.encode("utf-8"))
    return signing_input + "." + b64(hmac.new(KEY, signing_input.encode("ascii"), hashlib.sha256).digest())


def refused(call, *texts, status="DST_ERR_INVALID_ARGUMENT"):
    with pytest.raises(DstokenError) as e:
        call()
    assert e.value.name == status, e.value
    for text in texts:
        assert text in e.value.message, (text, e.value.message)
    for c_word in ("dst_", "token->", "_seconds"):
        assert c_word not in e.value.message, e.value.message
    assert not re.search(r"\{[a-z]+(:[a-z]+)?\}", e.value.message), e.value.message  # every template field filled
    return e.value


# ---- custom claims: every entry point goes through the library's custom-claim setters -----------

@pytest.mark.parametrize("entry", ["mint", "mint_url", "Claims", "setitem", "setitem_native"])
def test_every_custom_entry_point_refuses_a_registered_name(key, entry):
    """custom={...} and claims[name] = value reach dst_claims_set_custom_*: profile data can
    never make a moderator of another room, whichever way it is passed."""
    profile = {"plan": "pro", "role": "moderator"}

    def call():
        if entry == "mint":
            mint(key, team_id="my-team", room="lobby", role="attendee", lifetime=60, custom=profile)
        elif entry == "mint_url":
            dstoken.mint_url(key, "acme", team_id="my-team", room="lobby", lifetime=60, custom=profile)
        elif entry == "Claims":
            Claims(team_id="my-team", room="lobby", custom=profile)
        else:
            c = Claims(team_id="my-team", room="lobby")
            if entry == "setitem_native":
                c.to_json()  # a native claim set already
            for k, v in profile.items():
                c[k] = v
    e = refused(call, '"role" is a registered claim; set it with role, not as a custom claim')
    assert isinstance(e, ValueError) and (e.reason, e.argument, e.other, e.claim) == (
        "REGISTERED_NAME", "name", "role", "role")
    token = mint(key, team_id="my-team", room="lobby", role="attendee", lifetime=60, custom={"plan": "pro"})
    assert (decode(token)["role"], decode(token)["plan"]) == ("attendee", "pro")


def test_set_takes_registered_claims_by_keyword(key):
    c = Claims(team_id="t", room="r", expires_at=int(time.time()) + 60)
    c.set(role="moderator", user_id="u-1", breakoutId="b")
    c["plan"] = "pro"
    assert decode(sign(c, key))["role"] == "moderator"
    c.set(role=None)  # None removes
    assert "role" not in c and c["ud"] == "u-1"
    assert isinstance(refused(lambda: c.set(exp="soon"), "expires_at must be int, not str"), TypeError)
    refused(lambda: c.set(plan="x"), "Claims.set(): unknown keyword 'plan'")
    c.set(user_name="Zoë", user_id=None)
    d = decode(sign(c, key))
    assert (d["u"], d["plan"], "ud" in d, "role" in d) == ("Zoë", "pro", False, False)


# ---- conversions: NaN and Infinity refused, other JSON values exact, no rounding ---------------

@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("Infinity"),
                                 Decimal("-Infinity"), [1, math.nan], {"a": {"b": math.inf}}])
def test_nan_and_infinity_are_refused(key, bad):
    refused(lambda: mint(key, team_id="t", room="r", lifetime=60, custom={"x": bad}),
            'claim "x"', "JSON cannot represent")
    refused(lambda: Claims(team_id="t", room="r", custom={"x": bad}), "JSON cannot represent")
    c = Claims(team_id="t", room="r")
    refused(lambda: c.__setitem__("x", bad), "JSON cannot represent")


def test_nested_text_must_be_unicode(key):
    refused(lambda: mint(key, team_id="t", room="r", lifetime=60, custom={"x": ["\ud800"]}), 'claim "x"',
            "not valid Unicode", status="DST_ERR_INVALID_UTF8")
    refused(lambda: Claims(custom={"x": {"k": 1, 2: 3}}), "has a key of type int")
    refused(lambda: Claims(custom={"x": {1, 2}}), "claim values are str, int, bool")
    refused(lambda: mint(key, team_id="t\0", room="r", lifetime=60), "team_id must not contain NUL")
    e = refused(lambda: Claims().__setitem__("n", 2**63), 'claim "n" (9223372036854775808) does not fit')
    assert isinstance(e, OverflowError)  # dst_claims_set_custom_int takes an int64_t


def test_json_values_round_trip_exactly(key):
    custom = {"ratio": 0.5, "price": Decimal("0.10"), "tiny": Decimal("1e-400"), "tags": ["a", None, True, "Zoë 🎉"],
              "obj": {"k": 1.25, "n": [1, 2]}, "nothing": None, "big": [2**64]}
    token = mint(key, team_id="t", room="r", lifetime=60, custom=custom)
    d = decode(token)
    assert d["ratio"] == 0.5 and d["price"] == 0.1 and d["tags"] == ["a", None, True, "Zoë 🎉"] and d["nothing"] is None
    claims = verify(token, key)
    assert claims["price"] == Decimal("0.10") and type(claims["price"]) is Decimal
    assert claims["tiny"] == Decimal("1e-400") and claims["big"] == [2**64]
    assert claims["ratio"] == 0.5 and type(claims["ratio"]) is float
    assert claims["obj"] == {"k": 1.25, "n": [1, 2]} and claims["tags"] == ["a", None, True, "Zoë 🎉"]


@pytest.mark.parametrize("lifetime, seconds, nanos", [(0.2, 0, 200_000_000), (59.001, 59, 1_000_000),
                                                      (Decimal("1.5"), 1, 500_000_000), (3600.0000000001, 3600, 1),
                                                      (Fraction(7, 2), 3, 500_000_000)])
def test_a_fractional_lifetime_is_refused_not_rounded(key, lifetime, seconds, nanos):
    """A fraction of a second reaches the library as nanoseconds (lifetime_nanos) and is refused
    there as the unit slip it is; it used to be rounded up to a whole second here."""
    for call in (lambda: mint(key, team_id="t", room="r", lifetime=lifetime, now=T0),
                 lambda: Claims(team_id="t", room="r").set_expires_in(lifetime),
                 lambda: Claims(team_id="t", room="r").set_validity(0, lifetime)):
        e = refused(call, "token times are whole seconds")
        assert (e.reason, e.argument, e.value, e.limit) == ("SUB_SECOND", "lifetime", seconds, nanos)


@pytest.mark.parametrize("lifetime", [60, 60.0, Decimal("60"), Fraction(120, 2)])
def test_a_whole_lifetime_of_any_number_type_mints(key, lifetime):
    d = decode(mint(key, team_id="t", room="r", lifetime=lifetime, now=T0), verify_exp=False, verify_iat=False)
    assert d["exp"] - d["iat"] == 60


@pytest.mark.parametrize("bad, words", [
    (math.nan, "lifetime must be a finite number"),
    (math.inf, "lifetime must be a finite number"),
    (True, "lifetime takes seconds as an int or a float"),
    ("60", "lifetime takes seconds as an int or a float"),
    (None.__class__, "lifetime takes seconds as an int or a float"),
])
def test_lifetime_must_be_a_finite_number(key, bad, words):
    refused(lambda: mint(key, team_id="t", room="r", lifetime=bad), words)


def test_max_lifetime_reaches_the_library(key):
    """max_lifetime= is dst_room_token's max_lifetime_seconds: above the 30-day default only
    when raised; the refusal names lifetime and max_lifetime in Python's words."""
    month = 31 * 86400
    e = refused(lambda: mint(key, team_id="t", room="r", lifetime=month, now=T0), "raise max_lifetime")
    assert (e.reason, e.argument, e.other, e.value, e.limit) == ("LIFETIME_TOO_LONG", "lifetime", "max_lifetime",
                                                                  month, 30 * 86400)
    d = decode(mint(key, team_id="t", room="r", lifetime=month, max_lifetime=month, now=T0), verify_exp=False,
               verify_iat=False)
    assert d["exp"] - d["iat"] == month
    refused(lambda: mint(key, team_id="t", room="r", lifetime=60, max_lifetime=30, now=T0), "longer than the 30 s")
    c = Claims(team_id="t", room="r")
    c.set_expires_in(month, max_lifetime=month)
    assert c["exp"] - c["iat"] == month


# ---- errors: PyJWT's class names, the library's parts ------------------------------------------

def test_errors_are_pyjwt_like_classes_with_the_parts(key):
    token = mint(key, team_id="t", room="r", lifetime=60, now=T0)
    with pytest.raises(dstoken.ExpiredSignatureError) as e:
        verify(token, key)
    assert isinstance(e.value, dstoken.InvalidTokenError) and isinstance(e.value, DstokenError)
    assert e.value.expired_at == datetime.datetime(2026, 1, 1, 0, 1, tzinfo=datetime.timezone.utc)
    assert e.value.message.startswith("dstoken.verify(): the token expired at 2026-01-01T00:01:00Z, ")
    with pytest.raises(dstoken.ImmatureSignatureError) as e:
        verify(mint(key, team_id="t", room="r", not_before=T0 + 3600 * 25 + 61, expires_at=T0 + 10**6, now=T0),
               key, now=T0)
    assert e.value.valid_from.timestamp() == T0 + 3600 * 25 + 61
    assert e.value.message.endswith("2026-01-02T01:01:01Z, 1 d 1 h 1 min 1 s from now")
    with pytest.raises(dstoken.InvalidSignatureError) as e:
        verify(token, Key(b"another key"), now=T0)
    assert isinstance(e.value, dstoken.DecodeError) and not isinstance(e.value, ValueError)
    with pytest.raises(dstoken.ClaimMismatchError) as e:
        verify(token, key, now=T0, room="other")
    assert (e.value.claim, e.value.expected, e.value.actual, e.value.argument) == ("rd", "other", "r", "room")
    with pytest.raises(dstoken.MissingRequiredClaimError) as e:
        verify(token, key, now=T0, require=["u"])
    assert (e.value.claim, e.value.argument) == ("u", "user_name")
    exp_less = mint(key, team_id="t", room="r", no_expiry=True)
    with pytest.raises(dstoken.MissingRequiredClaimError):
        verify(exp_less, key)
    assert verify(exp_less, key, exp_optional=True) == {"td": "t", "rd": "r"}
    with pytest.raises(dstoken.ArgumentError) as e:  # argument errors found by the library
        mint(key, team_id="t", room="r", expires_at=T0 - 3600, now=T0)
    assert isinstance(e.value, ValueError) and e.value.message.endswith(
        "2026-01-01T00:00:00Z), 1 h 0 min 0 s ago; give a later expires_at, or a lifetime (lifetime) instead")
    for bad in ("require", b"x", 5):
        with pytest.raises(TypeError):
            verify(token, key, require=bad)


def test_decode_unverified_proves_nothing(key):
    """Anything well formed decodes, whatever its key or alg; verify() is what checks."""
    forged = mint(Key(b"not the team's key"), team_id="t", room="r", role="moderator", lifetime=60)
    header, claims = decode_unverified(forged)
    assert header == {"alg": "HS256", "typ": "JWT"} and claims["role"] == "moderator"
    with pytest.raises(dstoken.InvalidSignatureError):
        verify(forged, key)
    with pytest.raises(dstoken.DecodeError) as e:
        decode_unverified("https://acme.digitalsamba.com/r?token=" + forged)
    assert e.value.reason == "IS_URL"


def test_messages_never_come_from_the_english_text():
    """The package words errors from dst_last_error()'s parts and the schema's templates only."""
    package = Path(dstoken.__file__).resolve().parent
    for source in package.glob("*.py"):
        assert "dst_last_error_message" not in source.read_text(encoding="utf-8"), source


# ---- verify() returns a read-only Mapping of exact values --------------------------------------

def test_verified_claims_read_like_pyjwts_dict(key):
    token = mint(key, team_id="t", room="r", user_name="Zoë", role="moderator", lifetime=60,
                 custom={"n": 7, "ok": False, "obj": {"a": [1, 2]}})
    claims = verify(token, key)
    expected = decode(token)
    assert isinstance(claims, Mapping) and isinstance(claims, Claims)
    assert dict(claims) == expected and claims == expected
    assert list(claims) == list(expected) and len(claims) == len(expected)
    assert claims["u"] == "Zoë" and "u" in claims and "x" not in claims
    assert claims.get("u") == "Zoë" and claims.get("x") is None and claims.get("x", 5) == 5
    assert list(claims.items()) == list(expected.items()) and list(claims.values()) == list(expected.values())
    with pytest.raises(KeyError):
        claims["x"]
    assert claims.get_string("u") == "Zoë" and claims.get_int("n") == 7 and claims.get_bool("ok") is False
    assert repr(claims).startswith("Claims({'td': 't', 'rd': 'r', 'u': 'Zoë', 'role': 'moderator', 'iat': ")
    claims["obj"]["a"].append(3)  # the caller's copy: the claims do not change
    assert claims["obj"] == {"a": [1, 2]}


def test_verified_claims_are_read_only_and_copy_is_mutable(key):
    claims = verify(mint(key, team_id="t", room="r", lifetime=60), key)
    for call in (lambda: claims.__setitem__("n", "x"), lambda: claims.set(u="x"), lambda: claims.__delitem__("td"),
                 lambda: claims.set_json("u", '"x"'), lambda: claims.set_expires_in(60),
                 lambda: claims.set_validity(0, 60)):
        e = refused(call, "read-only", "copy()")
        assert isinstance(e, TypeError)
    mutable = claims.copy()
    mutable.set(u="x")
    assert mutable["u"] == "x" and "u" not in claims
    assert decode(sign(mutable, key))["u"] == "x"
    assert sign(claims, key) == sign(claims.copy(), key)  # re-signing verified claims still works


def test_numbers_come_back_exact(key):
    exp = int(time.time()) + 600
    payload = ('{"td":"t","rd":"r","exp":%d,"big":123456789012345678901234567890,"f":1.50,"d":0.1,"huge":1e400,'
               '"neg":-0.0,"l":[1,0.1,null,true],"o":{"a":2.5},"x":%s}' % (exp, "9" * 5000))
    token = raw_token(payload)
    limit = getattr(sys, "get_int_max_str_digits", lambda: 0)()
    if limit:
        sys.set_int_max_str_digits(0)  # PyJWT reads the 5000-digit number only without the limit
    try:
        assert decode(token)["x"] == 10**5000 - 1  # a valid token: PyJWT agrees
    finally:
        if limit:
            sys.set_int_max_str_digits(limit)
    claims = verify(token, key)
    assert claims["big"] == 123456789012345678901234567890 and type(claims["big"]) is int
    assert claims["f"] == 1.5 and type(claims["f"]) is float
    assert claims["d"] == Decimal("0.1") and type(claims["d"]) is Decimal
    assert claims["huge"] == Decimal("1e400")
    assert math.copysign(1, claims["neg"]) == -1
    assert claims["l"] == [1, Decimal("0.1"), None, True] and claims["o"] == {"a": 2.5}
    assert claims["x"] == 10**5000 - 1  # more digits than int(str) allows by default
    assert claims["exp"] == exp and claims.get_int("exp") == exp
    assert '"d":0.1,"huge":1e400' in claims.to_json()  # the library keeps them as written, too
    assert repr(claims).startswith("Claims(")


def test_a_builder_is_a_mapping_too():
    c = Claims(team_id="t", room="r", user_name="u", custom={"n": 1, "f": 0.25})
    assert dict(c) == {"td": "t", "rd": "r", "u": "u", "n": 1, "f": 0.25}
    assert repr(c) == "Claims({'td': 't', 'rd': 'r', 'u': 'u', 'n': 1, 'f': 0.25})"
    c.set(u="v")
    assert c["u"] == "v"
    assert c == Claims(td="t", rd="r", u="v", custom={"n": 1, "f": 0.25}) and c != {"td": "t"}
    with pytest.raises(TypeError):
        hash(c)  # compared by content, so not hashable (as dict)
    c.close()
    assert repr(c) == "Claims(<closed>)"
    assert c != {"td": "t"} and c == c  # a closed Claims equals only itself (no error from ==)
    refused(lambda: c["u"], "is closed")


def test_no_expiry_takes_the_one_call_mint(monkeypatch, key):
    """no_expiry=True reaches the C struct's no_expiry field (dst_room_token version 2): one
    native call, no claim set; version 3's fields follow it."""
    import ctypes
    from dstoken import _native
    assert _native.RoomToken.no_expiry.offset == _native.RoomToken.now.offset + 8
    assert _native.ROOM_TOKEN_SIZE == ctypes.sizeof(_native.RoomToken) == 144  # dst_room_token v3 on LP64
    assert _native.RoomToken.max_lifetime_seconds.offset == 128 and _native.RoomToken.lifetime_nanos.offset == 136
    calls = []
    for name in ("claims_new", "mint_into", "mint_url", "sign"):
        real = getattr(_native, name)
        monkeypatch.setattr(_native, name, lambda *a, _r=real, _n=name: (calls.append(_n), _r(*a))[1])
    real_raw = dstoken._mint_into_raw
    monkeypatch.setattr(dstoken, "_mint_into_raw", lambda *a: (calls.append("mint_into"), real_raw(*a))[1])
    token = mint(key, team_id="t", room="r", user_name="u", no_expiry=True)
    url = dstoken.mint_url(key, "acme", team_id="t", room="r", user_name="u", no_expiry=True)
    assert calls == ["mint_into", "mint_url"]
    assert decode(token) == {"td": "t", "rd": "r", "u": "u"} and url.endswith("?token=" + token)
