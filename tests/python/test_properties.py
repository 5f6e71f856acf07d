"""PyJWT checks the property-test generator's cases: 2000 tokens with arbitrary Unicode
(control characters, quotes, backslashes, non-BMP, U+2028), times in every NumericDate
spelling (integers, `1700003600.0`, `1700003600.5`, `17000036000E-1`, `-0`) across the whole
signable range of +/-(2^53 - 1), numbers of any length kept exactly as written, values nested
to the maximum depth, tokens of the maximum length, and custom claims of every JSON type,
signed by dstoken with keys of several lengths (tests/properties.rs, write_pyjwt_vectors).
Each must verify in PyJWT and decode to exactly the expected claims: the same values, and
every number the same down to its last digit."""
import json
import os
from decimal import Decimal
from pathlib import Path

import jwt
import pytest

VECTORS = os.environ.get("DSTOKEN_PROPTEST_VECTORS")

pytestmark = pytest.mark.filterwarnings("ignore:The HMAC key is .* bytes long")

MAX_TOKEN_LENGTH = 65536
MAX_JSON_DEPTH = 128
MAX_TIME_SECONDS = 2**53 - 1


def load():
    if not VECTORS:
        pytest.skip("DSTOKEN_PROPTEST_VECTORS is not set (ctest sets it)")
    path = Path(VECTORS)
    assert path.exists(), f"{path} is missing: the proptest_vectors ctest fixture writes it"
    # Split on "\n" only: str.splitlines() would also split inside strings at U+2028, U+0085...
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def exact(text):
    """JSON parsed with every number exact (Decimal for fractions and exponents)."""
    return json.loads(text, parse_float=Decimal)


def depth(value):
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


def test_every_generated_token_verifies_in_pyjwt_claim_for_claim():
    cases = load()
    assert len(cases) >= 2000
    options = {"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False}
    seen = {"max_depth": 0, "longest": 0, "fraction_time": 0, "long_number": 0}
    for i, case in enumerate(cases):
        key = bytes.fromhex(case["key"])
        decoded = jwt.decode(case["token"], key, algorithms=["HS256"], options=options)
        expected = json.loads(case["claims"])
        assert decoded == expected, f"case {i}"
        assert list(decoded) == list(expected), f"case {i}: member order"
        # Exactly: PyJWT's verified payload bytes hold every number as dstoken wrote it.
        payload = jwt.api_jws.decode_complete(case["token"], key, algorithms=["HS256"])["payload"]
        assert payload.decode("utf-8") == case["claims"], f"case {i}: payload bytes"
        assert exact(payload) == exact(case["claims"]), f"case {i}: exact values"
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(case["token"], key + b"x", algorithms=["HS256"], options=options)
        # The limits hold on what was signed.
        assert len(case["token"]) <= MAX_TOKEN_LENGTH, f"case {i}"
        claims = exact(case["claims"])
        for name in ("iat", "nbf", "exp"):
            if name in claims:
                assert -MAX_TIME_SECONDS <= claims[name] <= MAX_TIME_SECONDS, f"case {i}: {name}"
                seen["fraction_time"] += int(claims[name] != int(claims[name]))
        for value in claims.values():
            assert depth(value) <= MAX_JSON_DEPTH, f"case {i}"
            seen["max_depth"] = max(seen["max_depth"], depth(value))
        seen["longest"] = max(seen["longest"], len(case["token"]))
        seen["long_number"] += int(any(len(n) > 20 for n in _numbers(case["claims"])))
    # The generator reaches the limits (otherwise the test would prove little).
    assert seen["max_depth"] == MAX_JSON_DEPTH, seen
    assert seen["longest"] > MAX_TOKEN_LENGTH - 4, seen
    assert seen["fraction_time"] > 0 and seen["long_number"] > 0, seen


def _numbers(text):
    """The JSON number literals in `text` (outside strings), as written."""
    out, i, in_string = [], 0, False
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "-0123456789":
            j = i
            while j < len(text) and text[j] in "-+.eE0123456789":
                j += 1
            out.append(text[i:j])
            i = j
            continue
        i += 1
    return out
