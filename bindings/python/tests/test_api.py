"""The dstoken package's API: the one-call mint, the Claims builder (aliases, refused keywords,
byte-identical tokens, one native call per token), errors, version. Every token is checked by
two independent implementations, PyJWT and joserfc."""
import json
import time

import jwt  # PyJWT
import pytest
from joserfc import jwt as jose_jwt
from joserfc.jwk import OctKey

import dstoken
from dstoken import Claims, DstokenError, Key, mint, sign, verify

from conftest import KEY, cargo_version

TEAM = "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f"
T0 = 1767225600  # 2026-01-01


def decode(token, key=KEY):
    """PyJWT and joserfc must both accept the token and read the same claims."""
    opts = {"verify_exp": False, "verify_nbf": False, "verify_iat": False}
    by_pyjwt = jwt.decode(token, key, algorithms=["HS256"], options=opts)
    by_joserfc = jose_jwt.decode(token, OctKey.import_key(key), algorithms=["HS256"])
    assert by_joserfc.header == {"alg": "HS256", "typ": "JWT"}
    assert by_joserfc.claims == by_pyjwt
    return by_pyjwt


def test_version_is_the_crates_everywhere():
    assert dstoken.__version__ == dstoken.version() == cargo_version()


def test_mint_every_field(key):
    token = mint(key, team_id=TEAM, room="daily-standup", user_name="John Smith", user_id="u-1",
                 initials="JS", role="moderator", breakout_id="b-7", avatar="https://e.x/a.png?x=1&y=2",
                 issued_at=T0, not_before=T0 - 30, expires_at=T0 + 3600, now=T0)
    d = decode(token)
    assert list(d.items()) == [("td", TEAM), ("rd", "daily-standup"), ("u", "John Smith"), ("ud", "u-1"),
                               ("initials", "JS"), ("role", "moderator"), ("breakoutId", "b-7"),
                               ("avatar", "https://e.x/a.png?x=1&y=2"), ("iat", T0), ("nbf", T0 - 30),
                               ("exp", T0 + 3600)]
    assert verify(token, key, now=T0).get_string("u") == "John Smith"


def test_mint_relative_times(key):
    d = decode(mint(key, team_id="t", room="r", lifetime=3600, not_before_skew=30, now=T0))
    assert (d["iat"], d["nbf"], d["exp"]) == (T0, T0 - 30, T0 + 3600)
    d = decode(mint(key, team_id="t", room="r", lifetime=60, now=T0))
    assert list(d) == ["td", "rd", "iat", "exp"] and d["exp"] == T0 + 60
    before = int(time.time())
    d = decode(mint(key, team_id="t", room="r", lifetime=60))
    assert before <= d["iat"] <= int(time.time())


def test_mint_custom_claims_and_zero_times_take_the_builder_path(key):
    token = mint(key, team_id="t", room="r", lifetime=60, not_before_skew=5, now=T0,
                 custom={"plan": "pro", "seats": 5, "beta": True})
    d = decode(token)
    assert list(d.items()) == [("td", "t"), ("rd", "r"), ("iat", T0), ("nbf", T0 - 5), ("exp", T0 + 60),
                               ("plan", "pro"), ("seats", 5), ("beta", True)]
    # iat = 0 is a time C reads as "absent", so it takes the builder path. (now=1, not 0: a now of
    # 0 is the system clock, in which exp = 60 is long past.)
    d = decode(mint(key, team_id="t", room="r", issued_at=0, expires_at=60, now=1))
    assert (d["iat"], d["exp"]) == (0, 60)
    with pytest.raises(DstokenError, match="expired"):
        mint(key, team_id="t", room="r", issued_at=0, expires_at=60, now=0)


STRINGS = {"team_id": TEAM, "room": "room é/1", "user_name": "Zoë 🎉 李", "user_id": "u\"1\\",
           "initials": "ZL", "role": "moderator", "breakout_id": "b", "avatar": "</script>\u2028"}


@pytest.mark.parametrize("fields", [
    ["team_id", "room"],
    ["team_id", "room", "user_name", "role"],
    list(STRINGS),
])
@pytest.mark.parametrize("times", [{"no_expiry": True}, {"issued_at": T0, "expires_at": T0 + 60, "now": T0},
                                   {"issued_at": T0, "not_before": T0 - 1, "expires_at": T0 + 1, "now": T0},
                                   {"issued_at": 1, "expires_at": 253402300799, "now": 1}])  # the range's ends
def test_builder_and_mint_make_identical_tokens(key, fields, times):
    values = {f: STRINGS[f] for f in fields}
    minted = mint(key, **values, **times)
    options = {k: v for k, v in times.items() if k in ("now", "no_expiry")}
    times = {k: v for k, v in times.items() if k not in options}
    assert sign(Claims(**values, **times), key, **options) == minted
    short = dict(zip(["td", "rd", "u", "ud", "initials", "role", "breakoutId", "avatar"], STRINGS))
    by_name = {dict(zip(short.values(), short.keys()))[f]: v for f, v in values.items()}
    reversed_claims = Claims()
    for name, value in reversed(list(by_name.items())):  # any order: registered claims have fixed slots
        reversed_claims.set(**{name: value})
    for name, value in times.items():
        reversed_claims.set(**{{"issued_at": "iat", "not_before": "nbf", "expires_at": "exp"}[name]: value})
    assert sign(reversed_claims, key, **options) == minted
    d = decode(minted)
    assert d["rd"] == STRINGS["room"]


def test_set_validity_matches_relative_mint(key):
    for _ in range(5):  # retry if the clock ticks between the two
        c = Claims(team_id="t", room="r", user_name="John Smith", role="moderator")
        c.set_validity(30, 3600)
        now = c.get_int("iat")
        if sign(c, key) == mint(key, team_id="t", room="r", user_name="John Smith", role="moderator",
                                lifetime=3600, not_before_skew=30, now=now):
            break
    else:
        pytest.fail("set_validity + sign differs from mint(lifetime, not_before_skew)")
    c = Claims(team_id="t", room="r")
    c.set_expires_in(60)
    d = decode(sign(c, key))
    assert list(d) == ["td", "rd", "iat", "exp"] and d["exp"] - d["iat"] == 60


# ---- keywords that cannot silently go wrong -------------------------------------------------------

def test_readable_aliases_are_the_registered_claims(key):
    c = Claims(team_id="t", room="r", user_name="u", user_id="i", breakout_id="b", issued_at=T0,
               not_before=T0, expires_at=T0 + 1)
    assert json.loads(c.to_json()) == {"td": "t", "rd": "r", "u": "u", "ud": "i", "breakoutId": "b",
                                       "iat": T0, "nbf": T0, "exp": T0 + 1}
    assert "team_id" not in decode(sign(c, key, now=T0))


@pytest.mark.parametrize("bad", [{"team": "t"}, {"user": "x"}, {"userName": "x"}, {"exp_at": 1}, {"plan": "pro"}])
def test_unknown_keywords_are_refused(bad):
    with pytest.raises(DstokenError) as e:
        Claims(team_id="t", room="r", **bad)
    assert isinstance(e.value, TypeError)
    assert e.value.name == "DST_ERR_INVALID_ARGUMENT"
    (name,) = bad
    assert e.value.message.startswith(f"Claims(): unknown keyword '{name}'")
    assert "team_id" in e.value.message and "custom=" in e.value.message
    with pytest.raises(DstokenError) as e:
        mint(Key(KEY), team_id="t", room="r", **bad)
    assert isinstance(e.value, TypeError) and f"'{name}'" in e.value.message
    assert e.value.message.startswith("dstoken.mint(): unknown keyword")


def test_custom_claims_only_when_explicit(key):
    c = Claims(team_id="t", room="r", custom={"team": "x", "n": 1, "ok": False})
    c["team_id"] = "literal name"  # item assignment uses the name as written (a custom claim)
    d = decode(sign(c, key, no_expiry=True))
    assert list(d.items())[2:] == [("team", "x"), ("n", 1), ("ok", False), ("team_id", "literal name")]


def test_alias_and_name_together_are_refused():
    with pytest.raises(DstokenError, match="team_id= and td= set the same claim"):
        Claims(team_id="a", td="b")


# ---- one native call per token --------------------------------------------------------------------

def count_native_calls(monkeypatch):
    """Wraps every libdstoken function the package can call (in dstoken._native, and the
    per-token entry point bound in dstoken itself) with a counter."""
    calls = []
    for module in (dstoken._native, dstoken):
        for name in dir(module):
            f = getattr(module, name)
            if callable(f) and getattr(f, "__name__", "").startswith("dst_"):
                def wrapper(*args, _f=f, _name=f.__name__):
                    calls.append(_name)
                    return _f(*args)
                monkeypatch.setattr(module, name, wrapper)
    return calls


def test_mint_is_one_native_call(monkeypatch, key):
    """mint() with relative or explicit times, and Claims with registered claims, cost one
    native call per token; set_validity() one more (the library's verdict on the lifetime)."""
    calls = count_native_calls(monkeypatch)
    for i in range(3):
        c = Claims(team_id=TEAM, room="daily-standup", user_name="John Smith", user_id=f"u{i}", role="moderator")
        c.set_validity(30, 3600)
        d = decode(sign(c, key))
        assert d["exp"] - d["iat"] == 3600 and d["iat"] - d["nbf"] == 30
    assert calls == ["dst_mint_into"] * 6
    del calls[:]
    for i in range(3):
        mint(key, team_id=TEAM, room="daily-standup", user_name="John Smith", user_id=f"u{i}", lifetime=3600)
        mint(key, team_id=TEAM, room="daily-standup", user_name="John Smith", lifetime=1.0, max_lifetime=60)
        t = int(time.time())  # explicit times, checked against the clock: the one-call mint too
        explicit = mint(key, team_id=TEAM, room="daily-standup", issued_at=t, expires_at=t + 3600)
        assert sign(Claims(team_id=TEAM, room="daily-standup", issued_at=t, expires_at=t + 3600), key) == explicit
    assert calls == ["dst_mint_into"] * 12
    # With the caller's `now` (the time exp must be after): one call too, the same token.
    assert mint(key, team_id=TEAM, room="daily-standup", issued_at=t, expires_at=t + 3600, now=t) == explicit
    assert calls[12:] == ["dst_mint_into"]
    assert decode(explicit)["exp"] == t + 3600


def test_long_tokens_grow_the_buffer(key):
    long = "x" * 5000
    token = mint(key, team_id="t", room="r", avatar=long, lifetime=60, now=T0)
    assert decode(token)["avatar"] == long
    assert sign(Claims(team_id="t", room="r", avatar=long, issued_at=T0, expires_at=T0 + 60), key, now=T0) == token


# ---- errors: one exception type, the status name, the Python method -------------------------------

def test_missing_claim_names_the_method_and_the_keyword(key):
    """Minting without td/rd is the caller's argument error (a ValueError), worded with the
    keyword, on every path."""
    with pytest.raises(dstoken.ArgumentError) as e:
        sign(Claims(user_name="x"), key)
    assert e.value.name == "DST_ERR_MISSING_CLAIM" and e.value.status == 4 and isinstance(e.value, ValueError)
    assert e.value.message == 'dstoken.sign(): team_id (claim "td") is required'
    assert (e.value.reason, e.value.argument, e.value.claim) == ("MISSING", "team_id", "td")
    with pytest.raises(DstokenError) as e:
        sign(Claims(team_id="t", custom={"x": 1}), key)  # the native-claims path says the same
    assert e.value.message == 'dstoken.sign(): room (claim "rd") is required'
    with pytest.raises(DstokenError) as e:
        mint(key, team_id="t", room=None)
    assert e.value.message == 'dstoken.mint(): room (claim "rd") is required'
    with pytest.raises(DstokenError) as e:
        mint(key, team_id=None, room="r", custom={"x": 1})
    assert str(e.value) == 'DST_ERR_MISSING_CLAIM: dstoken.mint(): team_id (claim "td") is required'


@pytest.mark.parametrize("call, status, text", [
    (lambda k: mint(k, team_id="t", room="r", issued_at=T0, expires_at=T0 - 1, now=T0 - 10), "DST_ERR_INVALID_ARGUMENT", "earlier than"),
    (lambda k: mint(k, team_id="t", room="r", issued_at=T0, lifetime=5), "DST_ERR_INVALID_ARGUMENT", ""),
    (lambda k: mint(k, team_id="t", room="r", not_before_skew=5), "DST_ERR_INVALID_ARGUMENT", ""),
    (lambda k: mint(k, team_id="", room="r", lifetime=60), "DST_ERR_INVALID_ARGUMENT", "team_id must not be empty"),
    (lambda k: mint(k, team_id="t", room="r", user_name=5, lifetime=60), "DST_ERR_INVALID_ARGUMENT", "user_name must be str"),
    (lambda k: mint(k, team_id="t\0", room="r", lifetime=60), "DST_ERR_INVALID_ARGUMENT", "team_id must not contain NUL"),
    (lambda k: mint(k, team_id="\ud800", room="r", lifetime=60), "DST_ERR_INVALID_UTF8", "team_id"),
    (lambda k: mint(k, team_id="t", room="r", expires_at=2**63), "DST_ERR_INVALID_ARGUMENT", "expires_at (9223372036854775808) does not fit"),
    (lambda k: mint(k, team_id="t", room="r", lifetime=float("nan")), "DST_ERR_INVALID_ARGUMENT", "lifetime must be a finite number"),
    (lambda k: mint(k, team_id="t", room="r", lifetime="60"), "DST_ERR_INVALID_ARGUMENT", "lifetime takes seconds as an int or a float, not str"),
    (lambda k: mint(k, team_id="t", room="r", lifetime=True), "DST_ERR_INVALID_ARGUMENT", "lifetime takes seconds as an int or a float, not bool"),
    (lambda k: mint(k, team_id="t", room="r", lifetime=60, not_before_skew=0.5), "DST_ERR_INVALID_ARGUMENT", "not_before_skew must be a whole number"),
    (lambda k: sign(Claims(team_id="t", room="r", issued_at=T0, expires_at=T0 - 1), k, now=T0 - 10),
     "DST_ERR_INVALID_ARGUMENT", "earlier than"),
])
def test_mint_and_sign_errors(key, call, status, text):
    with pytest.raises(DstokenError) as e:
        call(key)
    assert e.value.name == status
    assert text in e.value.message
    assert e.value.message.startswith(("dstoken.mint(): ", "dstoken.sign(): ")), e.value.message
    assert "dst_" not in e.value.message


def test_claims_errors_name_the_method():
    cases = [
        (lambda: Claims(user_name=5), TypeError, 'Claims(): user_name must be str, not int'),
        (lambda: Claims(expires_at="soon"), TypeError, 'Claims(): expires_at must be int, not str'),
        (lambda: Claims().set_json("x", "{bad"), ValueError, "Claims.set_json(): value for claim \"x\" is not valid JSON"),
        (lambda: Claims().set_validity(-1, 10), ValueError, "Claims.set_validity(): "),
        (lambda: Claims().set_expires_in(0), ValueError, "Claims.set_expires_in(): "),
        (lambda: Claims().set_expires_in(0.5), ValueError, "Claims.set_expires_in(): "),
        (lambda: Claims(team_id="t").get_string("u"), LookupError, 'Claims.get_string(): claim "u" is not present'),
        (lambda: Claims(team_id="t").get_int("td"), TypeError, 'Claims.get_int(): claim "td" is a string, not an integer'),
        (lambda: Claims().__delitem__("u"), LookupError, "del Claims['u']: claim \"u\" is not present"),
        (lambda: Key(b""), DstokenError, "Key(): "),
        (lambda: verify("a.b.c", Key(KEY)), DstokenError, "dstoken.verify(): "),
    ]
    for call, kind, text in cases:
        with pytest.raises(DstokenError) as e:
            call()
        assert isinstance(e.value, kind), (text, type(e.value))
        assert e.value.message.startswith(text), (text, e.value.message)
        assert str(e.value) == f"{e.value.name}: {e.value.message}"


def test_verify_errors_and_foreign_tokens(key):
    now = int(time.time())
    token = jwt.encode({"td": "t", "rd": "r", "exp": now - 10}, KEY, algorithm="HS256")
    with pytest.raises(DstokenError) as e:
        verify(token, key)
    assert e.value.name == "DST_ERR_EXPIRED"
    token = jose_jwt.encode({"alg": "HS256"}, {"td": "t", "rd": "r", "u": "Zoë", "exp": now + 60}, OctKey.import_key(KEY))
    assert verify(token, key).get_string("u") == "Zoë"
    with pytest.raises(DstokenError) as e:
        verify(token, Key(b"another key"))
    assert e.value.name == "DST_ERR_BAD_SIGNATURE"


# ---- the builder's other methods in both modes ------------------------------------------------

def test_builder_getters_copy_delete_and_json(key):
    c = Claims(team_id="t", room="r", user_name="u", custom={"n": 7})
    d = c.copy()
    del d["u"]
    del d["n"]
    assert c.get_string("u") == "u" and c.get_int("n") == 7  # getters move c to a native claim set
    c.set_json("obj", '{"a": [1, 2.5, null]}')
    c.set(u="v")
    assert json.loads(c.to_json()) == {"td": "t", "rd": "r", "u": "v", "n": 7, "obj": {"a": [1, 2.5, None]}}
    assert decode(sign(c, key, no_expiry=True))["obj"] == {"a": [1, 2.5, None]}
    assert decode(sign(d, key, no_expiry=True)) == {"td": "t", "rd": "r"}
    e = c.copy()
    e.set(user_name="w")
    assert c.get_string("u") == "v" and e.get_string("u") == "w"


def test_join_url_and_mint_url_on_a_custom_domain(key):
    """A team's own domain (lowercased); a port or an IP address is refused."""
    assert dstoken.join_url("Meet.Example.com", "my room") == "https://meet.example.com/my%20room"
    assert dstoken.join_url("ACME", "r") == "https://acme.digitalsamba.com/r"
    url = dstoken.mint_url(key, "meet.example.com", team_id="t", room="r", lifetime=60, now=T0)
    prefix = "https://meet.example.com/r?token="
    assert url.startswith(prefix)
    assert decode(url[len(prefix):]) == {"td": "t", "rd": "r", "iat": T0, "exp": T0 + 60}
    for team in ("127.0.0.1:8080", "meet.example.com:8443", "10.0.0.1"):
        with pytest.raises(DstokenError) as e:
            dstoken.join_url(team, "r")
        assert e.value.name == "DST_ERR_INVALID_ARGUMENT"


def test_join_url_and_mint_url_with_allow_port(key):
    """A custom domain with a port only with allow_port=True, the refusal naming that keyword
    (never the C flag); an IP address stays refused with it; mint_url's token is checked by
    PyJWT and joserfc and is the one mint() makes."""
    with pytest.raises(DstokenError) as e:
        dstoken.join_url("meet.example.com:8443", "r", "a.b.c")
    assert e.value.name == "DST_ERR_INVALID_ARGUMENT"
    assert "(allow_port)" in e.value.message and "DST_URL" not in e.value.message
    assert e.value.message.startswith("dstoken.join_url(): ")
    with pytest.raises(DstokenError) as e:
        dstoken.mint_url(key, "meet.example.com:8443", team_id="t", room="r", lifetime=60, now=T0)
    assert e.value.name == "DST_ERR_INVALID_ARGUMENT"
    assert "(allow_port)" in e.value.message and "DST_URL" not in e.value.message
    assert e.value.message.startswith("dstoken.mint_url(): ")

    assert (dstoken.join_url("Meet.Example.com:8443", "my room", "a.b.c", allow_port=True)
            == "https://meet.example.com:8443/my%20room?token=a.b.c")
    assert dstoken.join_url("meet.example.com:8443", "r", allow_port=True) == "https://meet.example.com:8443/r"
    # allow_port=False and a domain without a port: the same URL as before.
    assert dstoken.join_url("meet.example.com", "r", allow_port=True) == "https://meet.example.com/r"
    assert dstoken.join_url("acme", "r", allow_port=False) == "https://acme.digitalsamba.com/r"

    url = dstoken.mint_url(key, "Meet.Example.com:8443", team_id="t", room="my room", user_name="Zoë",
                           lifetime=60, now=T0, allow_port=True)
    prefix = "https://meet.example.com:8443/my%20room?token="
    assert url.startswith(prefix)
    token = url[len(prefix):]
    assert decode(token) == {"td": "t", "rd": "my room", "u": "Zoë", "iat": T0, "exp": T0 + 60}
    assert token == mint(key, team_id="t", room="my room", user_name="Zoë", lifetime=60, now=T0)
    # The claim-set path (a time of 0) with the flag too.
    url = dstoken.mint_url(key, "meet.example.com:443", team_id="t", room="r", issued_at=0, expires_at=T0 + 60,
                           now=T0, allow_port=True)
    prefix = "https://meet.example.com:443/r?token="
    assert url.startswith(prefix)
    assert decode(url[len(prefix):]) == {"td": "t", "rd": "r", "iat": 0, "exp": T0 + 60}
    # Minting errors still name mint_url's keywords.
    with pytest.raises(DstokenError) as e:
        dstoken.mint_url(key, "meet.example.com:8443", room="r", lifetime=60, allow_port=True)
    assert e.value.name == "DST_ERR_MISSING_CLAIM" and e.value.argument == "team_id" in e.value.message

    for team in ("127.0.0.1:8080", "10.0.0.1", "[::1]:8443", "meet.example.com:0", "meet.example.com:65536",
                 "acme:8443"):
        with pytest.raises(DstokenError) as e:
            dstoken.join_url(team, "r", allow_port=True)
        assert e.value.name == "DST_ERR_INVALID_ARGUMENT", team
        with pytest.raises(DstokenError) as e:
            dstoken.mint_url(key, team, team_id="t", room="r", lifetime=60, allow_port=True)
        assert e.value.name == "DST_ERR_INVALID_ARGUMENT", team
    for bad in (1, "yes", None):
        with pytest.raises(TypeError, match="allow_port must be bool"):
            dstoken.join_url("meet.example.com", "r", allow_port=bad)
        with pytest.raises(TypeError, match="allow_port must be bool"):
            dstoken.mint_url(key, "meet.example.com", team_id="t", room="r", lifetime=60, allow_port=bad)


def test_join_url_and_mint_url(key):
    assert dstoken.join_url("acme", "my room", "a.b.c") == "https://acme.digitalsamba.com/my%20room?token=a.b.c"
    url = dstoken.mint_url(key, "acme", team_id="t", room="my room", user_name="Zoë", lifetime=60, now=T0)
    assert url == "https://acme.digitalsamba.com/my%20room?token=" + mint(key, team_id="t", room="my room",
                                                                          user_name="Zoë", lifetime=60, now=T0)
    with pytest.raises(DstokenError, match="unknown keyword 'plan'"):
        dstoken.mint_url(key, "acme", team_id="t", room="r", plan="x")
