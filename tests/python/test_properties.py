"""PyJWT checks the property-test generator's cases: 1000 tokens with arbitrary Unicode
(control characters, quotes, backslashes, non-BMP, U+2028), any int64 times, and custom claims
of every JSON type, signed by dstoken with keys of several lengths (tests/properties.rs,
write_pyjwt_vectors). Each must verify in PyJWT and decode to exactly the expected claims."""
import json
import os
from pathlib import Path

import jwt
import pytest

VECTORS = os.environ.get("DSTOKEN_PROPTEST_VECTORS")

pytestmark = pytest.mark.filterwarnings("ignore:The HMAC key is .* bytes long")


def load():
    if not VECTORS:
        pytest.skip("DSTOKEN_PROPTEST_VECTORS is not set (ctest sets it)")
    path = Path(VECTORS)
    assert path.exists(), f"{path} is missing: the proptest_vectors ctest fixture writes it"
    # Split on "\n" only: str.splitlines() would also split inside strings at U+2028, U+0085...
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def test_every_generated_token_verifies_in_pyjwt_claim_for_claim():
    cases = load()
    assert len(cases) >= 1000
    options = {"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False}
    for i, case in enumerate(cases):
        key = bytes.fromhex(case["key"])
        decoded = jwt.decode(case["token"], key, algorithms=["HS256"], options=options)
        expected = json.loads(case["claims"])
        assert decoded == expected, f"case {i}"
        assert list(decoded) == list(expected), f"case {i}: member order"
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(case["token"], key + b"x", algorithms=["HS256"], options=options)
