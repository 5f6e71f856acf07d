"""The shared test vectors (tests/vectors/vectors.json), every section: "sign" through the
one-call mint (unless it has custom claims) and through the Claims builder, byte for byte, each
token also read by PyJWT; "sign_errors" and "mint_errors" through mint() and the builder;
"verify" with its options through verify()'s keywords; "decode" through decode_unverified();
"keys" as str keys. Each refusal is checked for its exception class, the argument it names in
this package's spelling (schema/dstoken.json's python column), its parts and its words."""
import decimal
import json
import os
from pathlib import Path

import jwt
import pytest

import dstoken
from dstoken import Claims, DstokenError, Key, decode_unverified, mint, sign, verify

from conftest import SRC

VECTORS = Path(os.environ.get("DSTOKEN_VECTORS_JSON") or SRC / "tests" / "vectors" / "vectors.json")
SCHEMA = json.loads((SRC / "schema" / "dstoken.json").read_text(encoding="utf-8"))
SPELLING = {a["name"]: a["python"] for a in SCHEMA["arguments"]}
TEMPLATE = {r["name"]: r["message"] for r in SCHEMA["reasons"]}
# One vector uses a one-byte key on purpose (Digital Samba issues the keys; dstoken accepts them).
pytestmark = pytest.mark.filterwarnings("ignore:The HMAC key is .* bytes long")

DATA = json.loads(VECTORS.read_text(encoding="utf-8"))

STRINGS = ["team_id", "room", "user_name", "user_id", "initials", "role", "breakout_id", "avatar"]
EXPLICIT = ["issued_at", "not_before", "expires_at"]
# The exception a refusal raises, by status, for a token given to verify()/decode_unverified();
# what mint(), sign() and Key() refuse is an ArgumentError (a ValueError) whatever its status.
TOKEN_ERRORS = {
    "DST_ERR_MALFORMED_TOKEN": dstoken.DecodeError, "DST_ERR_BAD_SIGNATURE": dstoken.InvalidSignatureError,
    "DST_ERR_EXPIRED": dstoken.ExpiredSignatureError, "DST_ERR_NOT_YET_VALID": dstoken.ImmatureSignatureError,
    "DST_ERR_UNSUPPORTED_ALGORITHM": dstoken.InvalidAlgorithmError,
    "DST_ERR_MISSING_CLAIM": dstoken.MissingRequiredClaimError, "DST_ERR_CLAIM_MISMATCH": dstoken.ClaimMismatchError,
}


def mint_kwargs(token):
    """A vector's dst_room_token as mint()'s keywords: lifetime_seconds + lifetime_nanos as one
    number of seconds (3.6 for 3 s and 600000000 ns), as a Python caller writes it."""
    kw = {"team_id": None, "room": None}
    for field, value in token.items():
        if field in STRINGS or field in EXPLICIT or field in ("now", "no_expiry"):
            kw[field] = value
        elif field == "lifetime_seconds":
            kw["lifetime"] = value + token.get("lifetime_nanos", 0) / 1e9 if token.get("lifetime_nanos") else value
        elif field == "not_before_skew_seconds":
            kw["not_before_skew"] = value
        elif field == "max_lifetime_seconds":
            kw["max_lifetime"] = value
        elif field != "lifetime_nanos":
            raise AssertionError(f"unknown field {field!r} in a vector: update this test")
    return kw


def sign_options(token):
    """What sign() needs besides a vector's claims: its no_expiry, and the `now` its expiry is
    checked against (the vectors are fixed; the clock moves on): the vector's own now, or one
    second before its exp."""
    if token.get("no_expiry"):
        return {"no_expiry": True}
    if "now" in token:
        return {"now": token["now"]}
    if "expires_at" in token:
        return {"now": token["expires_at"] - 1}
    return {}


def builder(token, custom):
    """The builder path for the same claims: relative times become the explicit times the
    one-call mint computes from its "now" (iat = now, nbf = now - skew, exp = now + lifetime)."""
    c = Claims()
    for field, value in token.items():
        if field in STRINGS or field in EXPLICIT:
            c.set(**{field: value})
    if "lifetime_seconds" in token:
        now = token["now"]
        c.set(issued_at=now)
        if token.get("not_before_skew_seconds"):
            c.set(not_before=now - token["not_before_skew_seconds"])
        c.set(expires_at=now + token["lifetime_seconds"])
    for name, json_text in custom:
        c.set_json(name, json_text)
    return c


def check_error(e, case, cls):
    """The refusal `e` is the vector's: class, status, reason, argument, parts, words."""
    assert isinstance(e, cls), (type(e), e)
    assert e.name == case["status"], e
    assert e.reason == case["reason"], e
    assert e.argument == SPELLING[case["argument"]], e
    if "{arg}" in TEMPLATE[case["reason"]]:  # the message names it as a Python caller knows it
        assert e.argument in e.message, e
    for part, want in case.get("parts", {}).items():
        if part == "other":
            assert e.other == SPELLING[want] and e.other in e.message, (part, e)
        elif part == "name":
            assert e.claim == want, (part, e)
        else:
            assert getattr(e, part) == want, (part, getattr(e, part), want, e)
    for words in case.get("message_contains", []):
        assert words in e.message, (words, e.message)


def ids(cases):
    return [c["name"] for c in cases]


def test_the_vectors_are_there():
    for section in ("sign", "sign_errors", "mint_errors", "verify", "decode", "keys"):
        assert DATA[section], section


@pytest.mark.parametrize("case", DATA["sign"], ids=ids(DATA["sign"]))
def test_sign_vectors(case):
    key = Key(bytes.fromhex(case["key_hex"]))
    token, custom = case["token"], case.get("custom", [])
    if not custom:
        assert mint(key, **mint_kwargs(token)) == case["jwt"]
    else:  # mint(custom=...) adds them after the registered claims, as the builder does
        values = {name: json.loads(text, parse_float=decimal.Decimal) for name, text in custom}
        assert mint(key, **{**sign_options(token), **mint_kwargs(token)}, custom=values) == case["jwt"]
    assert sign(builder(token, custom), key, **sign_options(token)) == case["jwt"]
    claims = jwt.decode(case["jwt"], bytes.fromhex(case["key_hex"]), algorithms=["HS256"],
                        options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False})
    assert claims["td"] == token["team_id"] and claims["rd"] == token["room"]


@pytest.mark.parametrize("case", DATA["sign_errors"], ids=ids(DATA["sign_errors"]))
def test_sign_error_vectors(case):
    key = Key(bytes.fromhex(case["key_hex"]))
    token = case["token"]
    with pytest.raises(DstokenError) as e:
        mint(key, **mint_kwargs(token))
    check_error(e.value, case, dstoken.ArgumentError)
    with pytest.raises(DstokenError) as e:  # the builder path: the first failing setter, or sign
        sign(builder(token, []), key, **sign_options(token))
    assert isinstance(e.value, ValueError) and e.value.name == case["status"], e.value


@pytest.mark.parametrize("case", DATA["mint_errors"], ids=ids(DATA["mint_errors"]))
def test_mint_error_vectors(case):
    """The one-call mint's refusals: mint() gives the vector's error; the builder's sign()
    (and Claims(custom=...) for a registered name) refuses the same way."""
    key = Key(bytes.fromhex(case["key_hex"]))
    token = case["token"]
    custom = {name: json.loads(text) for name, text in case.get("custom", [])}
    with pytest.raises(DstokenError) as e:
        mint(key, **mint_kwargs(token), **({"custom": custom} if custom else {}))
    check_error(e.value, case, dstoken.ArgumentError)
    if custom:  # the token alone mints; Claims(custom=...) refuses the name too
        assert jwt.decode(mint(key, **mint_kwargs(token)), bytes.fromhex(case["key_hex"]), algorithms=["HS256"],
                          options={"verify_exp": False, "verify_iat": False})["td"] == token["team_id"]
        with pytest.raises(DstokenError) as e:
            Claims(custom=custom)
        check_error(e.value, {**case, "argument": "CLAIM_NAME"}, dstoken.ArgumentError)
        return
    with pytest.raises(DstokenError) as e:  # the builder: the first failing setter, or sign
        c = builder({k: v for k, v in token.items() if k != "lifetime_seconds"}, [])
        if "lifetime_seconds" in token:
            c.set_expires_in(mint_kwargs(token)["lifetime"], max_lifetime=token.get("max_lifetime_seconds"))
        sign(c, key, **{k: token[k] for k in ("now", "no_expiry") if k in token})
    assert isinstance(e.value, ValueError) and e.value.name == case["status"], e.value
    for words in case["message_contains"]:
        assert words in e.value.message, (words, e.value.message)


def verify_kwargs(case):
    options = dict(case.get("options", {}))
    if "required" in options:
        options["require"] = options.pop("required")
    return {"now": case["now"], "leeway": case["leeway"], **options}


@pytest.mark.parametrize("case", DATA["verify"], ids=ids(DATA["verify"]))
def test_verify_vectors(case):
    key = Key(bytes.fromhex(case["key_hex"]))
    if case["status"] == "DST_OK":
        claims = verify(case["jwt"], key, **verify_kwargs(case))
        assert json.loads(claims.to_json()) == case["claims"]
        assert dict(claims) == json.loads(json.dumps(case["claims"]), parse_float=decimal.Decimal) == case["claims"]
        return
    with pytest.raises(DstokenError) as e:
        verify(case["jwt"], key, **verify_kwargs(case))
    check_error(e.value, case, TOKEN_ERRORS[case["status"]])
    assert isinstance(e.value, dstoken.InvalidTokenError)
    if case["status"] == "DST_ERR_CLAIM_MISMATCH":
        expected = case["options"][e.value.argument]
        assert e.value.expected == expected and e.value.actual == case["parts"]["text"]
    if case["status"] == "DST_ERR_EXPIRED":
        assert e.value.expired_at.timestamp() == case["parts"]["time"] and e.value.expired_at.tzinfo is not None


@pytest.mark.parametrize("case", DATA["decode"], ids=ids(DATA["decode"]))
def test_decode_vectors(case):
    if case["status"] == "DST_OK":
        header, claims = decode_unverified(case["jwt"])
        assert header == case["header"] and dict(claims) == case["claims"]
        with pytest.raises(TypeError):
            claims["td"] = "x"  # read-only, as verified claims are
        return
    with pytest.raises(DstokenError) as e:
        decode_unverified(case["jwt"])
    check_error(e.value, case, dstoken.DecodeError)


@pytest.mark.parametrize("case", DATA["keys"], ids=ids(DATA["keys"]))
def test_key_vectors(case):
    if case["status"] == "DST_OK":
        key = Key(case["key"])
        token = mint(key, team_id="t", room="r", lifetime=60)
        assert jwt.decode(token, case["key"].encode(), algorithms=["HS256"])["td"] == "t"
        return
    with pytest.raises(DstokenError) as e:
        Key(case["key"])
    check_error(e.value, case, dstoken.ArgumentError)
    if case["key"]:  # as bytes, the same key is taken as it is
        Key(case["key"].encode()).close()
