"""Independent verification: every token dstoken mints is decoded by PyJWT, and what PyJWT
reads must equal what was set. Also the C example's output, and PyJWT tokens read by dstoken."""
import json
import os
import subprocess
import sys
import time

import jwt  # PyJWT: the independent implementation
import pytest

import dstoken
from dstoken import Claims, DstokenError, Key, join_url, sign, verify

KEY = b"0123456789abcdef0123456789abcdef"

# Short keys are tested on purpose (Digital Samba issues the keys; dstoken accepts them).
pytestmark = pytest.mark.filterwarnings("ignore:The HMAC key is .* bytes long")

TRICKY = {
    "quotes": 'say "hi"',
    "backslashes": "C:\\path\\to\\x \\u0041",
    "controls": "".join(chr(c) for c in range(1, 0x20)) + "\x7f",
    "emoji": "Zoë 🎉 李 👩🏽‍💻",
    "rtl": "مرحبا بالعالم עברית",
    "separators": "\u2028\u2029",
    "long": "x" * 1024,
    "slash": "</script>",
}


def decode(token, key=KEY, **kw):
    return jwt.decode(token, key, algorithms=["HS256"], options={"verify_aud": False}, **kw)


def base_claims(**extra):
    """The two required claims and an expiry an hour from now (a token must expire)."""
    c = Claims(td="b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", rd="daily-standup", exp=int(time.time()) + 3600)
    for k, v in extra.items():
        if k in ("u", "ud", "initials", "role", "breakoutId", "avatar", "iat", "nbf", "exp"):
            c.set(**{k: v})  # a registered claim
        else:
            c[k] = v  # a custom claim
    return c


def test_header_is_exactly_hs256_jwt():
    token = sign(base_claims(), Key(KEY))
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    assert "=" not in token and token.count(".") == 2


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_user_names_decode_identically(name):
    value = TRICKY[name]
    claims = base_claims(u=value, ud=value, initials=value[:2], role="moderator")
    token = sign(claims, Key(KEY))
    decoded = decode(token)
    assert decoded["u"] == value
    assert decoded["ud"] == value
    assert decoded["initials"] == value[:2]
    assert json.loads(claims.to_json()) == decoded


@pytest.mark.parametrize("key", [b"k", b"\x00" * 7, bytes(range(100)), b"x" * 64, b"y" * 65, "pässwörd".encode()])
def test_keys_of_any_length(key):
    token = sign(base_claims(u="John Smith"), Key(key))
    assert decode(token, key)["u"] == "John Smith"
    with pytest.raises(jwt.InvalidSignatureError):
        decode(token, key + b"!")


def test_all_registered_and_custom_claims():
    now = int(time.time())
    c = base_claims(u="John Smith", ud="u-1", initials="JS", role="moderator", breakoutId="b-7",
                    avatar="https://example.com/a.png?x=1&y=2", iat=now, nbf=now - 30, exp=now + 3600,
                    flag=True, count=-42, big=2**63 - 1, neg=-(2**63))
    c.set_json("nul", '"a\\u0000b"')  # U+0000 cannot come through a C string, but JSON can
    c.set_json("nested", '{"z": [1, 2.5, null, {"k": "v"}], "a": "é"}')
    token = sign(c, Key(KEY))
    d = decode(token)
    assert list(d) == ["td", "rd", "u", "ud", "initials", "role", "breakoutId", "avatar",
                       "iat", "nbf", "exp", "flag", "count", "big", "neg", "nul", "nested"]
    assert d["nul"] == "a\x00b"
    assert d["nested"] == {"z": [1, 2.5, None, {"k": "v"}], "a": "é"}
    assert (d["big"], d["neg"], d["flag"]) == (2**63 - 1, -(2**63), True)
    assert d["exp"] - d["iat"] == 3600


def test_times_past_2038():
    t = 4_102_444_800  # 2100-01-01
    token = sign(base_claims(iat=t, nbf=t, exp=t + 60), Key(KEY), now=t)
    d = jwt.decode(token, KEY, algorithms=["HS256"], options={"verify_exp": False, "verify_nbf": False, "verify_iat": False})
    assert (d["iat"], d["exp"]) == (t, t + 60)
    assert verify(token, Key(KEY), now=t).get_int("exp") == t + 60


def test_pyjwt_tokens_verify_in_dstoken():
    now = int(time.time())
    payload = {"td": "team", "rd": "room", "u": "Zoë 🎉", "exp": now + 60, "x": {"a": [1]}}
    token = jwt.encode(payload, KEY, algorithm="HS256")
    c = verify(token, Key(KEY))
    assert c.get_string("u") == "Zoë 🎉"
    assert dict(c) == payload == decode(token) and c["x"] == {"a": [1]}  # read as PyJWT's dict is
    assert json.loads(c.get_json("x")) == {"a": [1]}
    none = jwt.encode(payload, None, algorithm="none")
    with pytest.raises(DstokenError) as e:
        verify(none, Key(KEY))
    assert e.value.name == "DST_ERR_UNSUPPORTED_ALGORITHM"
    hs512 = jwt.encode(payload, KEY, algorithm="HS512")
    with pytest.raises(DstokenError) as e:
        verify(hs512, Key(KEY))
    assert e.value.name == "DST_ERR_UNSUPPORTED_ALGORITHM"
    expired = jwt.encode({**payload, "exp": now - 10}, KEY, algorithm="HS256")
    with pytest.raises(DstokenError) as e:
        verify(expired, Key(KEY))
    assert e.value.name == "DST_ERR_EXPIRED"


def test_errors_carry_status_and_message():
    with pytest.raises(DstokenError) as e:
        sign(Claims(u="x"), Key(KEY))
    assert e.value.name == "DST_ERR_MISSING_CLAIM"
    assert '"td"' in e.value.message
    with pytest.raises(DstokenError) as e:
        Claims(u=5)
    assert e.value.name == "DST_ERR_INVALID_ARGUMENT"
    with pytest.raises(DstokenError):
        Key(b"")
    with pytest.raises(OverflowError):
        Claims()["n"] = 2**64
    with pytest.raises(DstokenError) as e:
        Claims(team="t")  # not a claim name nor an alias: refused, never a silent custom claim
    assert e.value.name == "DST_ERR_INVALID_ARGUMENT" and "custom=" in e.value.message


def test_join_url():
    assert join_url("acme", "my room", "a.b.c") == "https://acme.digitalsamba.com/my%20room?token=a.b.c"


def example_commands():
    """Each language's example, as ctest describes it through the environment."""
    cmds = {}
    if os.environ.get("DSTOKEN_EXAMPLE"):
        cmds["c"] = [os.environ["DSTOKEN_EXAMPLE"]]
    if os.environ.get("DSTOKEN_EXAMPLE_CPP"):
        cmds["cpp"] = [os.environ["DSTOKEN_EXAMPLE_CPP"]]
    if os.environ.get("DSTOKEN_EXAMPLE_PY"):
        cmds["python"] = [sys.executable, os.environ["DSTOKEN_EXAMPLE_PY"]]
    if os.environ.get("DSTOKEN_JAVA"):
        cmds["java"] = [os.environ["DSTOKEN_JAVA"], "-Xcheck:jni",
                        "-Djava.library.path=" + os.environ["DSTOKEN_JAVA_LIBRARY_PATH"],
                        "-cp", os.environ["DSTOKEN_JAVA_CLASSPATH"], "RoomToken"]
    return cmds


LANGUAGES = ["c", "cpp", "java", "python"]


def run_example(lang, extra_env=None):
    cmd = example_commands().get(lang)
    if cmd is None:
        pytest.skip(f"the {lang} example is not configured (ctest sets it)")
    env = {**os.environ, "LC_ALL": "C.UTF-8", **(extra_env or {})}
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, encoding="utf-8", env=env)
    lines = out.stdout.splitlines()
    assert len(lines) == 2, out.stdout + out.stderr
    return lines


@pytest.mark.parametrize("lang", LANGUAGES)
def test_example_prints_a_token_pyjwt_accepts(lang):
    token, url = run_example(lang)
    d = decode(token, b"0123456789abcdef0123456789abcdef")
    assert d["td"] == "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f"
    assert d["rd"] == "daily-standup"
    assert (d["u"], d["role"]) == ("John Smith", "moderator")
    assert d["exp"] - d["iat"] == 3600 and d["iat"] - d["nbf"] == 30
    assert abs(d["iat"] - time.time()) < 60
    assert url == f"https://demo.digitalsamba.com/daily-standup?token={token}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_mints_identical_claims(lang):
    """Real values through the environment; a non-BMP user name survives byte for byte, and the
    payload (but for the times) is identical in every language."""
    user = "Zoë 🎉 李"
    env = {"DIGITALSAMBA_DEVELOPER_KEY": "real-key-ключ", "DIGITALSAMBA_TEAM_ID": "T-1",
           "DIGITALSAMBA_ROOM": "room é/1", "DIGITALSAMBA_TEAM": "acme", "DIGITALSAMBA_USER": user}
    token, url = run_example(lang, env)
    d = decode(token, "real-key-ключ".encode())
    assert d["u"].encode("utf-8") == user.encode("utf-8")
    timeless = {k: v for k, v in d.items() if k not in ("iat", "nbf", "exp")}
    assert timeless == {"td": "T-1", "rd": "room é/1", "u": user, "role": "moderator"}
    assert list(d) == ["td", "rd", "u", "role", "iat", "nbf", "exp"]
    assert url == f"https://acme.digitalsamba.com/room%20%C3%A9%2F1?token={token}"


def test_c_example_takes_command_line_options():
    cmd = example_commands().get("c")
    if cmd is None:
        pytest.skip("DSTOKEN_EXAMPLE is not set (ctest sets it)")
    out = subprocess.run(cmd + ["--key", "real-key", "--team-id", "T", "--room", "R", "--user", "Zoë"],
                         check=True, capture_output=True, text=True).stdout.splitlines()
    d = decode(out[0], b"real-key")
    assert (d["td"], d["rd"], d["u"]) == ("T", "R", "Zoë")


def test_version():
    assert dstoken.version().count(".") == 2
