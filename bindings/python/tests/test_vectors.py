"""The shared test vectors (tests/vectors/vectors.json), byte for byte: every "sign" case through
the one-call mint (unless it has custom claims) and through the Claims builder, each token also
verified by PyJWT; every "sign_errors" case gives its status; every "verify" case gives its
status, and for DST_OK exactly its claims."""
import decimal
import json
import os
from pathlib import Path

import jwt
import pytest

from dstoken import Claims, DstokenError, Key, mint, sign, verify

from conftest import SRC

VECTORS = Path(os.environ.get("DSTOKEN_VECTORS_JSON") or SRC / "tests" / "vectors" / "vectors.json")
# One vector uses a one-byte key on purpose (Digital Samba issues the keys; dstoken accepts them).
pytestmark = pytest.mark.filterwarnings("ignore:The HMAC key is .* bytes long")

DATA = json.loads(VECTORS.read_text(encoding="utf-8"))

STRINGS = ["team_id", "room", "user_name", "user_id", "initials", "role", "breakout_id", "avatar"]
EXPLICIT = {"issued_at": "iat", "not_before": "nbf", "expires_at": "exp"}
MINT_TIMES = {"issued_at": "issued_at", "not_before": "not_before", "expires_at": "expires_at",
              "lifetime_seconds": "lifetime", "not_before_skew_seconds": "not_before_skew", "now": "now"}


def mint_kwargs(token):
    kw = {"team_id": None, "room": None}
    for field, value in token.items():
        if field in STRINGS:
            kw[field] = value
        elif field in MINT_TIMES:
            kw[MINT_TIMES[field]] = value
        elif field == "no_expiry":
            kw["no_expiry"] = value
        elif field != "struct_size":
            raise AssertionError(f"unknown field {field!r} in a vector: update this test")
    return kw


MAX_TIME = 253402300799  # 9999-12-31T23:59:59Z: the signing side's range is [0, MAX_TIME]


def sign_options(token):
    """What sign() needs besides a vector's claims: the vector's no_expiry (a token without exp
    must be asked for), and the `now` its expiry is checked against (the vectors are fixed; the
    clock moves on): the vector's own now, or one second before its exp."""
    if token.get("no_expiry"):
        return {"no_expiry": True}
    if "lifetime_seconds" in token:
        return {"now": token["now"]} if "now" in token else {}
    if "expires_at" in token:
        return {"now": token["expires_at"] - 1}
    return {}


def out_of_range(token):
    """A vector time outside the signing side's range (dstoken refuses to sign it)."""
    return any(not 0 <= token[f] <= MAX_TIME for f in ("issued_at", "not_before", "expires_at", "now") if f in token)


def builder(token, custom):
    """The builder path for the same claims: relative times become the explicit times the
    one-call mint computes from its "now" (iat = now, nbf = now - skew, exp = now + lifetime)."""
    c = Claims()
    for field, value in token.items():
        if field in STRINGS:
            c.set(**{["td", "rd", "u", "ud", "initials", "role", "breakoutId", "avatar"][STRINGS.index(field)]: value})
        elif field in EXPLICIT:
            c.set(**{EXPLICIT[field]: value})
    if "lifetime_seconds" in token:
        now = token["now"]
        c.set(iat=now)
        if token.get("not_before_skew_seconds"):
            c.set(nbf=now - token["not_before_skew_seconds"])
        c.set(exp=now + token["lifetime_seconds"])
    for name, json_text in custom:
        c.set_json(name, json_text)
    return c


def ids(cases):
    return [c["name"] for c in cases]


def test_the_vectors_are_there():
    assert DATA["sign"] and DATA["sign_errors"] and DATA["verify"]


@pytest.mark.parametrize("case", DATA["sign"], ids=ids(DATA["sign"]))
def test_sign_vectors(case):
    key = Key(bytes.fromhex(case["key_hex"]))
    token, custom = case["token"], case.get("custom", [])
    options = sign_options(token)
    if out_of_range(token):  # verification accepts these; signing refuses them
        with pytest.raises(DstokenError) as e:
            mint(key, **{**options, **mint_kwargs(token)})
        assert e.value.name == "DST_ERR_INVALID_ARGUMENT" and "1970" in e.value.message
        with pytest.raises(DstokenError) as e:
            sign(builder(token, custom), key, **options)
        assert e.value.name == "DST_ERR_INVALID_ARGUMENT" and "1970" in e.value.message
        return
    if not custom:
        assert mint(key, **{**options, **mint_kwargs(token)}) == case["jwt"]
    if "lifetime_seconds" not in token or token.get("now"):
        assert sign(builder(token, custom), key, **options) == case["jwt"]
    claims = jwt.decode(case["jwt"], bytes.fromhex(case["key_hex"]), algorithms=["HS256"],
                        options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False})
    assert claims["td"] == token["team_id"] and claims["rd"] == token["room"]


@pytest.mark.parametrize("case", DATA["sign_errors"], ids=ids(DATA["sign_errors"]))
def test_sign_error_vectors(case):
    key_bytes = bytes.fromhex(case["key_hex"])
    if not key_bytes:
        with pytest.raises(DstokenError) as e:
            Key(key_bytes)
        assert e.value.name == case["status"]
        return
    key = Key(key_bytes)
    token = case["token"]
    if "struct_size" in token:
        pytest.skip("struct_size cases are for C callers; Python always passes its own size")
    options = sign_options(token)
    with pytest.raises(DstokenError) as e:
        mint(key, **{**options, **mint_kwargs(token)})
    assert e.value.name == case["status"], e.value
    assert "would be expired" not in e.value.message and "no expiry" not in e.value.message, e.value
    with pytest.raises(DstokenError) as e:  # the builder path: the first failing setter, or sign
        sign(builder(token, []), key, **options)
    assert e.value.name == case["status"], e.value
    if "lifetime_seconds" not in token:  # (the builder's exp = now + a negative lifetime is past)
        assert "would be expired" not in e.value.message and "no expiry" not in e.value.message, e.value


@pytest.mark.parametrize("case", DATA.get("mint_errors", []), ids=ids(DATA.get("mint_errors", [])))
def test_mint_error_vectors(case):
    """The one-call mint's refusals (no expiry, zero lifetime, milliseconds, 1970..9999, already
    expired, a registered name through custom=): mint() and the builder's sign() refuse each
    with the status, and the message has the vector's words (the rest names Python arguments)."""
    key = Key(bytes.fromhex(case["key_hex"]))
    token = case["token"]
    custom = {name: json.loads(text) for name, text in case.get("custom", [])}

    def check(e):
        assert e.value.name == case["status"], e.value
        for words in case["message_contains"]:
            assert words in e.value.message, (words, e.value.message)
        assert "lifetime_seconds" not in e.value.message and "token->" not in e.value.message, e.value.message

    with pytest.raises(DstokenError) as e:
        mint(key, **mint_kwargs(token), **({"custom": custom} if custom else {}))
    check(e)
    if custom:  # the token alone mints; Claims(custom=...) refuses the name too
        assert jwt.decode(mint(key, **mint_kwargs(token)), bytes.fromhex(case["key_hex"]), algorithms=["HS256"],
                          options={"verify_exp": False, "verify_iat": False})["td"] == token["team_id"]
        with pytest.raises(DstokenError) as e:
            Claims(custom=custom)
        check(e)
        return
    with pytest.raises(DstokenError) as e:  # the builder: the first failing setter, or sign
        c = builder(token, [])
        if "lifetime_seconds" in token:
            c.set_expires_in(token["lifetime_seconds"])
        sign(c, key, **{k: token[k] for k in ("now", "no_expiry") if k in token})
    check(e)


@pytest.mark.parametrize("case", DATA["verify"], ids=ids(DATA["verify"]))
def test_verify_vectors(case):
    key = Key(bytes.fromhex(case["key_hex"]))
    if case["status"] == "DST_OK":
        claims = verify(case["jwt"], key, now=case["now"], leeway=case["leeway"])
        assert json.loads(claims.to_json()) == case["claims"]
        assert dict(claims) == json.loads(json.dumps(case["claims"]), parse_float=decimal.Decimal) == case["claims"]
    else:
        with pytest.raises(DstokenError) as e:
            verify(case["jwt"], key, now=case["now"], leeway=case["leeway"])
        assert e.value.name == case["status"]
