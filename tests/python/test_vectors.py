"""The shared test vectors (tests/vectors/vectors.json) checked by independent implementations:
every sign case is rebuilt byte for byte with Python's json + hmac + base64 and decoded by PyJWT
to exactly the claims its "token" and "custom" describe; every verify case gets PyJWT's verdict
(signature, algorithm, structure) and, with our time rules applied to PyJWT's claims, the
expected status. dstoken itself is not used here."""
import base64
import hashlib
import hmac
import json
import os
from pathlib import Path

import jwt  # PyJWT
import pytest

pytestmark = pytest.mark.filterwarnings("ignore:The HMAC key is .* bytes long")

PATH = Path(os.environ.get("DSTOKEN_VECTORS") or Path(__file__).resolve().parents[1] / "vectors" / "vectors.json")
VECTORS = json.loads(PATH.read_text(encoding="utf-8"))

FIELDS = [("team_id", "td"), ("room", "rd"), ("user_name", "u"), ("user_id", "ud"), ("initials", "initials"),
          ("role", "role"), ("breakout_id", "breakoutId"), ("avatar", "avatar")]
HEADER = '{"alg":"HS256","typ":"JWT"}'


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def expected_claims(case):
    """The payload a case describes, in payload order."""
    t = case["token"]
    claims = {claim: t[field] for field, claim in FIELDS if field in t}
    if "lifetime_seconds" in t:
        now = t["now"]
        times = [("iat", now), ("nbf", now - t["not_before_skew_seconds"] if "not_before_skew_seconds" in t else None),
                 ("exp", now + t["lifetime_seconds"])]
    else:
        times = [("iat", t.get("issued_at")), ("nbf", t.get("not_before")), ("exp", t.get("expires_at"))]
    claims.update({k: v for k, v in times if v is not None})
    for name, text in case.get("custom", []):
        claims[name] = json.loads(text)
    return claims


def test_the_file_has_a_good_spread():
    names = [c["name"] for c in VECTORS["sign"]]
    assert len(names) == len(set(names)) >= 10
    assert any("custom" in c for c in VECTORS["sign"])
    assert any("lifetime_seconds" in c["token"] for c in VECTORS["sign"])
    statuses = {c["status"] for c in VECTORS["verify"]}
    assert {"DST_OK", "DST_ERR_EXPIRED", "DST_ERR_NOT_YET_VALID", "DST_ERR_BAD_SIGNATURE",
            "DST_ERR_MALFORMED_TOKEN", "DST_ERR_UNSUPPORTED_ALGORITHM"} <= statuses
    assert {c["status"] for c in VECTORS["sign_errors"]} == {"DST_ERR_MISSING_CLAIM", "DST_ERR_INVALID_ARGUMENT"}


@pytest.mark.parametrize("case", VECTORS["sign"], ids=lambda c: c["name"])
def test_sign_vector_is_rebuilt_byte_for_byte_and_pyjwt_reads_it(case):
    key = bytes.fromhex(case["key_hex"])
    claims = expected_claims(case)
    payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False)
    signing_input = f"{b64(HEADER.encode())}.{b64(payload.encode('utf-8'))}"
    sig = b64(hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest())
    assert case["jwt"] == f"{signing_input}.{sig}"
    decoded = jwt.decode(case["jwt"], key, algorithms=["HS256"],
                         options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False})
    assert decoded == claims
    assert list(decoded) == list(claims)
    assert jwt.get_unverified_header(case["jwt"]) == {"alg": "HS256", "typ": "JWT"}


def pyjwt_status(case):
    """The verify status from PyJWT's checks (structure, alg, signature) plus the documented time
    rules applied to the claims PyJWT returns."""
    key = bytes.fromhex(case["key_hex"])
    token = case["jwt"]
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError:
        return "DST_ERR_MALFORMED_TOKEN"
    if header.get("alg") != "HS256":
        return "DST_ERR_UNSUPPORTED_ALGORITHM"
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"],
                            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False})
    except jwt.InvalidSignatureError:
        return "DST_ERR_BAD_SIGNATURE"
    except jwt.DecodeError:
        return "DST_ERR_MALFORMED_TOKEN"
    for name in ("iat", "nbf", "exp"):
        if name in claims and (type(claims[name]) is not int):
            return "DST_ERR_MALFORMED_TOKEN"
    now, leeway = case["now"], case["leeway"]
    if "exp" in claims and now >= claims["exp"] + leeway:
        return "DST_ERR_EXPIRED"
    if ("nbf" in claims and now + leeway < claims["nbf"]) or ("iat" in claims and claims["iat"] > now + leeway):
        return "DST_ERR_NOT_YET_VALID"
    # The verify options, as PyJWT applies them: required claims (exp unless optional), and the
    # expected team id and room compared as PyJWT compares an audience.
    options = case.get("options", {})
    required = ([] if options.get("exp_optional") else ["exp"]) + options.get("required", [])
    try:
        jwt.decode(token, key, algorithms=["HS256"], options={
            "require": required, "verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False})
    except jwt.MissingRequiredClaimError:
        return "DST_ERR_MISSING_CLAIM"
    for name, claim in (("team_id", "td"), ("room", "rd")):
        if name in options and claims.get(claim) != options[name]:
            return "DST_ERR_CLAIM_MISMATCH"
    return "DST_OK", claims


# dstoken is stricter than PyJWT on purpose in two vectors: PyJWT accepts base64 padding ("=")
# and a payload naming a member twice (Python's json keeps the last). For those, check what
# makes them invalid instead.
LENIENT_IN_PYJWT = {"payload_duplicate_member", "malformed_padding"}


@pytest.mark.parametrize("case", VECTORS["verify"], ids=lambda c: c["name"])
def test_verify_vector_agrees_with_pyjwt(case):
    if case["name"] == "malformed_padding":
        assert case["jwt"].endswith("=") and case["status"] == "DST_ERR_MALFORMED_TOKEN"
        assert pyjwt_status({**case, "jwt": case["jwt"].rstrip("=")})[0] == "DST_OK"
        return
    if case["name"] in LENIENT_IN_PYJWT:
        payload = base64.urlsafe_b64decode(case["jwt"].split(".")[1] + "==")
        pairs = json.loads(payload, object_pairs_hook=lambda kv: kv)
        names = [k for k, _ in pairs]
        assert len(names) != len(set(names)) and case["status"] == "DST_ERR_MALFORMED_TOKEN"
        return
    got = pyjwt_status(case)
    if case["status"] == "DST_OK":
        assert got == ("DST_OK", case["claims"])
    else:
        assert got == case["status"]
