"""Safe by default: custom claims never set a registered one, NaN and Infinity are refused, a
token must expire unless the caller says otherwise, signing times lie in 1970..9999
(milliseconds are named as such), an expiry already past is refused, messages use Python's
argument names, verify() refuses a URL and returns a read-only Mapping of exact values. Every
token made here is also decoded by PyJWT."""
import base64
import hashlib
import hmac
import json
import math
import sys
import time
from collections.abc import Mapping
from decimal import Decimal

import jwt  # PyJWT
import pytest

import dstoken
from dstoken import Claims, DstokenError, Key, mint, sign, verify

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
    return e.value


# ---- custom claims never set a registered claim ------------------------------------------------

def test_profile_data_cannot_make_a_moderator_of_another_room(key):
    profile = {"role": "moderator", "rd": "board-room", "td": "other-team"}
    e = refused(lambda: mint(key, team_id="my-team", room="lobby", role="attendee", custom=profile, lifetime=60),
                '"role" is a registered claim', "pass role=... to dstoken.mint() instead")
    assert isinstance(e, ValueError)
    refused(lambda: Claims(team_id="my-team", room="lobby", role="attendee", custom={"role": "moderator"}),
            '"role" is a registered claim', "pass Claims(role=...) or claims.set(role=...) instead")
    # Beside lifetime, custom={"exp": ...} was dropped without a word: now refused, naming the fix.
    refused(lambda: mint(key, team_id="t", room="r", lifetime=60, custom={"exp": 4102444800}),
            '"exp" is a registered claim', "pass expires_at=... or lifetime=... to dstoken.mint() instead")
    # What the application meant still works, and PyJWT reads exactly that.
    token = mint(key, team_id="my-team", room="lobby", role="attendee", lifetime=60,
                 custom={k: v for k, v in profile.items() if k not in REGISTERED} or {"plan": "pro"})
    d = decode(token)
    assert (d["td"], d["rd"], d["role"], d["plan"]) == ("my-team", "lobby", "attendee", "pro")


@pytest.mark.parametrize("name", REGISTERED)
def test_every_registered_name_is_refused_in_custom(key, name):
    value = 4102444800 if name in ("iat", "nbf", "exp") else "x"
    refused(lambda: mint(key, team_id="t", room="r", lifetime=60, custom={"ok": 1, name: value}),
            f'"{name}" is a registered claim', f"pass {KEYWORD[name]}=...")
    refused(lambda: Claims(team_id="t", room="r", custom={name: value}), f"pass Claims({KEYWORD[name]}=...) or claims.set({KEYWORD[name]}=...) instead")


@pytest.mark.parametrize("name", REGISTERED)
def test_item_assignment_is_for_custom_claims_only(key, name):
    """claims[name] = value is the custom-claim setter: a loop copying user data into claims can
    never set a registered claim; claims.set(...) sets those by keyword."""
    c = Claims(team_id="t", room="r", expires_at=int(time.time()) + 60)
    value = 4102444800 if name in ("iat", "nbf", "exp") else "x"
    refused(lambda: c.__setitem__(name, value), f"Claims['{name}'] = value: \"{name}\" is a registered claim",
            f"claims.set({KEYWORD[name]}=...)")
    c.to_json()  # a native claim set refuses the same way
    refused(lambda: c.__setitem__(name, value), "is a registered claim")


def test_set_takes_registered_claims_by_keyword(key):
    c = Claims(team_id="t", room="r", expires_at=int(time.time()) + 60)
    c.set(role="moderator", user_id="u-1", breakoutId="b")
    c["plan"] = "pro"
    assert decode(sign(c, key))["role"] == "moderator"
    c.set(role=None)  # None removes
    assert "role" not in c and c["ud"] == "u-1"
    refused(lambda: c.set(exp="soon"), 'claim "exp" is a time')
    refused(lambda: c.set(plan="x"), "Claims.set(): unknown keyword 'plan'")
    c.to_json()  # native mode: the same
    c.set(user_name="Zoë", user_id=None)
    d = decode(sign(c, key))
    assert (d["u"], d["plan"], "ud" in d, "role" in d) == ("Zoë", "pro", False, False)


# ---- NaN and Infinity refused; other JSON values accepted exactly ------------------------------

@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("Infinity"),
                                 Decimal("-Infinity"), [1, math.nan], {"a": {"b": math.inf}}])
def test_nan_and_infinity_are_refused(key, bad):
    refused(lambda: mint(key, team_id="t", room="r", lifetime=60, custom={"x": bad}),
            'claim "x"', "JSON cannot represent")
    refused(lambda: Claims(team_id="t", room="r", custom={"x": bad}), "JSON cannot represent")
    c = Claims(team_id="t", room="r")
    refused(lambda: c.__setitem__("x", bad), "JSON cannot represent")
    c.to_json()  # a native claim set refuses it the same way
    refused(lambda: c.__setitem__("x", bad), "JSON cannot represent")


def test_nested_text_must_be_unicode(key):
    refused(lambda: mint(key, team_id="t", room="r", lifetime=60, custom={"x": ["\ud800"]}), 'claim "x"',
            "not valid Unicode", status="DST_ERR_INVALID_UTF8")
    refused(lambda: Claims(custom={"x": {"k": 1, 2: 3}}), "object keys must be str")
    refused(lambda: Claims(custom={"x": {1, 2}}), "claim values are str, int, bool")


def test_json_values_round_trip_exactly(key):
    custom = {"ratio": 0.5, "price": Decimal("0.10"), "tiny": Decimal("1e-400"), "tags": ["a", None, True, "Zoë 🎉"],
              "obj": {"k": 1.25, "n": [1, 2]}, "nothing": None}
    token = mint(key, team_id="t", room="r", lifetime=60, custom=custom)
    d = decode(token)
    assert d["ratio"] == 0.5 and d["price"] == 0.1 and d["tags"] == ["a", None, True, "Zoë 🎉"] and d["nothing"] is None
    claims = verify(token, key)
    assert claims["price"] == Decimal("0.10") and type(claims["price"]) is Decimal
    assert claims["tiny"] == Decimal("1e-400")
    assert claims["ratio"] == 0.5 and type(claims["ratio"]) is float
    assert claims["obj"] == {"k": 1.25, "n": [1, 2]} and claims["tags"] == ["a", None, True, "Zoë 🎉"]


# ---- an expiry is required; a zero or negative lifetime is refused -----------------------------

def test_no_expiry_must_be_asked_for(key):
    e = refused(lambda: mint(key, team_id="t", room="r"), "no expiry", "lifetime=", "no_expiry=True")
    assert isinstance(e, ValueError)
    refused(lambda: sign(Claims(team_id="t", room="r"), key), "no expiry", "set_expires_in", "no_expiry=True")
    refused(lambda: sign(Claims(team_id="t", room="r", custom={"n": 1}), key), "no expiry")
    refused(lambda: dstoken.mint_url(key, "acme", team_id="t", room="r"), "no expiry", "lifetime=")
    for token in (mint(key, team_id="t", room="r", no_expiry=True),
                  mint(key, team_id="t", room="r", no_expiry=True, custom={"n": 1}),
                  sign(Claims(team_id="t", room="r"), key, no_expiry=True)):
        assert "exp" not in decode(token)
    url = dstoken.mint_url(key, "acme", team_id="t", room="r", no_expiry=True)
    assert "exp" not in decode(url.split("?token=")[1])
    refused(lambda: mint(key, team_id="t", room="r", lifetime=60, no_expiry=True), "contradicts lifetime=")
    refused(lambda: sign(Claims(team_id="t", room="r", expires_at=int(time.time()) + 60), key, no_expiry=True),
            "no_expiry=True")
    refused(lambda: mint(key, team_id="t", room="r", no_expiry="yes"), "no_expiry must be bool")


@pytest.mark.parametrize("lifetime", [0, -1, -3600, 0.0, -0.5])
def test_zero_or_negative_lifetime_is_refused(key, lifetime):
    refused(lambda: mint(key, team_id="t", room="r", lifetime=lifetime), "lifetime must be positive")
    refused(lambda: mint(key, team_id="t", room="r", lifetime=lifetime, custom={"n": 1}), "lifetime must be positive")
    refused(lambda: dstoken.mint_url(key, "acme", team_id="t", room="r", lifetime=lifetime), "lifetime must be positive")
    refused(lambda: Claims().set_validity(0, lifetime), "Claims.set_validity(): lifetime must be positive")
    refused(lambda: Claims().set_expires_in(lifetime), "Claims.set_expires_in(): seconds must be positive")


@pytest.mark.parametrize("lifetime, seconds", [(0.2, 1), (59.001, 60), (60.0, 60), (Decimal("1.5"), 2)])
def test_fractional_lifetimes_round_up(key, lifetime, seconds):
    d = decode(mint(key, team_id="t", room="r", lifetime=lifetime, now=T0), verify_exp=False, verify_iat=False)
    assert d["exp"] - d["iat"] == seconds
    c = Claims(team_id="t", room="r")
    c.set_expires_in(lifetime)
    d = decode(sign(c, key))
    assert d["exp"] - d["iat"] == seconds


@pytest.mark.parametrize("bad", [math.nan, math.inf, True, "60"])
def test_lifetime_must_be_a_finite_number(key, bad):
    refused(lambda: mint(key, team_id="t", room="r", lifetime=bad), "lifetime must be a")


# ---- times within 1970..9999, milliseconds named, an expiry already past -----------------------

def test_milliseconds_are_caught_and_named(key):
    ms = int(time.time() * 1000) + 3_600_000
    refused(lambda: mint(key, team_id="t", room="r", expires_at=ms),
            f"expires_at ({ms}) is after 9999-12-31T23:59:59Z", f"looks like milliseconds: pass {ms // 1000}")
    refused(lambda: Claims(team_id="t", room="r", expires_at=ms), 'claim "exp"', "looks like milliseconds")
    refused(lambda: Claims(team_id="t", room="r", exp=ms), "looks like milliseconds")
    refused(lambda: Claims().set(iat=ms), 'claim "iat"', "looks like milliseconds")
    refused(lambda: mint(key, team_id="t", room="r", lifetime=60, now=ms), "now", "looks like milliseconds")
    refused(lambda: sign(Claims(team_id="t", room="r", expires_at=T0 + 60), key, now=T0 * 1000), "looks like milliseconds")
    c = Claims(team_id="t", room="r")
    refused(lambda: c.set_json("exp", str(ms)), 'claim "exp"', "milliseconds")  # the JSON setter too
    refused(lambda: mint(key, team_id="t", room="r", expires_at=10**17), "9999-12-31")  # not ms: no hint
    assert "milliseconds" not in refused(lambda: mint(key, team_id="t", room="r", expires_at=10**17)).message
    refused(lambda: mint(key, team_id="t", room="r", lifetime=MAX_TIME), "now + lifetime", "9999-12-31")


def test_times_before_1970_are_refused(key):
    refused(lambda: mint(key, team_id="t", room="r", issued_at=-1, expires_at=T0, now=T0 - 1), "issued_at (-1)",
            "before 1970")
    refused(lambda: Claims(not_before=-5), 'claim "nbf" (-5) is before 1970')
    refused(lambda: mint(key, team_id="t", room="r", lifetime=60, now=-1), "now (-1) is before 1970")
    refused(lambda: mint(key, team_id="t", room="r", lifetime=60, not_before_skew=100, now=50), "before 1970")


def test_the_range_ends_are_signed(key):
    token = mint(key, team_id="t", room="r", issued_at=0, expires_at=MAX_TIME, now=0)
    assert decode(token)["exp"] == MAX_TIME and verify(token, key)["iat"] == 0


def test_an_expiry_already_past_is_refused_with_the_time(key):
    now = int(time.time())
    e = refused(lambda: mint(key, team_id="t", room="r", expires_at=now - 90), "would be expired",
                f"exp ({now - 90} = ", "before now", "pass a later expires_at")
    assert "1 min 30 s" in e.message or "1 min 3" in e.message  # (the clock may tick)
    refused(lambda: mint(key, team_id="t", room="r", expires_at=T0, now=T0), "2026-01-01T00:00:00Z", "0 s before now")
    refused(lambda: sign(Claims(team_id="t", room="r", expires_at=T0), key), "would be expired", "2026-01-01")
    refused(lambda: sign(Claims(team_id="t", room="r", expires_at=T0, custom={"n": 1}), key), "would be expired")
    refused(lambda: dstoken.mint_url(key, "acme", team_id="t", room="r", expires_at=T0), "would be expired")
    # One second later is fine, at the `now` the caller gives.
    d = decode(mint(key, team_id="t", room="r", expires_at=T0 + 1, now=T0), verify_exp=False)
    assert d["exp"] == T0 + 1


def test_verification_still_accepts_every_finite_numeric_date(key):
    far = int(time.time()) + 10**12  # beyond 9999: signing refuses it, verifying does not
    token = jwt.encode({"td": "t", "rd": "r", "iat": -5, "exp": far}, KEY, algorithm="HS256")
    claims = verify(token, key)
    assert claims["exp"] == far and claims["iat"] == -5


# ---- a URL given to verify, messages in Python's words -----------------------------------------

@pytest.mark.parametrize("url", ["https://acme.digitalsamba.com/room?token={t}", "http://localhost/r?token={t}",
                                 "room?token={t}"])
def test_verify_given_a_url_says_to_pass_the_token_alone(key, url):
    token = mint(key, team_id="t", room="r", lifetime=60)
    e = refused(lambda: verify(url.format(t=token), key), "URL", "pass the token alone",
                status="DST_ERR_MALFORMED_TOKEN")
    assert e.message.startswith("dstoken.verify(): ")
    assert verify(token, key)["td"] == "t"


def test_messages_name_python_arguments(key):
    refused(lambda: Claims().set_validity(1, 0), "Claims.set_validity(): lifetime must be positive, got 0")
    refused(lambda: Claims().set_validity(-1, 5), "Claims.set_validity(): skew must not be negative, got -1")
    refused(lambda: mint(key, team_id="t", room="r", lifetime=60, not_before_skew=-1),
            "not_before_skew must not be negative")
    refused(lambda: mint(key, team_id="t", room="r", not_before_skew=5, expires_at=T0 + 9, now=T0),
            "not_before_skew is only used with lifetime")
    refused(lambda: mint(key, team_id="t", room="r", issued_at=T0, lifetime=5), "issued_at", "lifetime")
    native = Claims(team_id="t", room="r")
    native.to_json()  # the native claim set: the library's own messages, translated
    refused(lambda: native.set_validity(-1, 5), "skew must not be negative")


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
    native call, no claim set."""
    import ctypes
    from dstoken import _native
    assert _native.RoomToken.no_expiry.offset == _native.RoomToken.now.offset + 8
    assert _native.ROOM_TOKEN_SIZE == ctypes.sizeof(_native.RoomToken)
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
