"""close() against other threads: a handle is freed exactly once, and no call ever reaches a
freed handle. The native free and sign functions are wrapped to record which handles were freed
and which handles calls used, so a violation is seen even when it would not crash (a close()
that freed the handle before clearing it let two closing threads free it twice, and a signing
thread use freed memory). Signal handlers and fork() children: test_reentrancy.py."""
import threading
import time

import jwt
import pytest

import dstoken
from dstoken import Claims, DstokenError, Key, mint, sign, verify

from conftest import KEY

ROUNDS = 60
THREADS = 6


@pytest.fixture
def watched(monkeypatch):
    """Wraps the native free and use functions: records frees, fails on use after free.
    freed[-1] holds this round's freed handles (the allocator may reuse an address later)."""
    native = dstoken._native
    freed = [set()]
    violations = []
    lock = threading.Lock()

    def watch_free(name):
        real = getattr(native, name)

        def free(handle):
            with lock:
                if handle in freed[-1]:
                    violations.append(f"{name}: double free of {handle:#x}")
                freed[-1].add(handle)
            real(handle)
        monkeypatch.setattr(native, name, free)

    def watch_use(name, positions, module=native):
        real = getattr(module, name)

        def use(*args):
            with lock:
                for i in positions:
                    handle = getattr(args[i], "value", args[i])  # an int or a c_void_p
                    if handle in freed[-1]:
                        violations.append(f"{name}: handle {handle:#x} used after free")
            return real(*args)
        monkeypatch.setattr(module, name, use)

    def watch_new(name):
        real = getattr(native, name)

        def new(*args):
            handle = real(*args)
            with lock:  # an address the allocator hands out again is live again
                freed[-1].discard(handle)
            return handle
        monkeypatch.setattr(native, name, new)

    watch_free("key_free")
    watch_free("claims_free")
    watch_new("claims_new")
    watch_use("mint_into", [1])
    watch_use("_mint_into_raw", [1], dstoken)  # the per-token entry point
    watch_use("sign", [0, 1])
    watch_use("get_string", [0])
    watch_use("_verify_opts", [1], dstoken)  # verify()'s entry point
    watch_use("mint_url", [1])
    def new_round():
        freed.append(set())

    return freed, violations, new_round


def race(*targets):
    start = threading.Barrier(len(targets))
    errors = []

    def run(target):
        start.wait()
        try:
            target()
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_close_against_close_frees_once(watched):
    freed, violations, new_round = watched
    for _ in range(ROUNDS):
        new_round()
        key = Key(KEY)
        claims = verify(mint(key, team_id="t", room="r", lifetime=60), key)  # a native claim set
        handles = {key._h.value, claims._h.value}
        assert not race(*[key.close] * THREADS, *[claims.close] * THREADS)
        assert key.closed and claims.closed
        assert handles <= freed[-1], "close() did not free"
    assert not violations


def expect_token_or_closed(results, call):
    def run():
        for _ in range(30):
            try:
                results.append(call())
            except DstokenError as e:
                assert e.name == "DST_ERR_INVALID_ARGUMENT" and "is closed" in e.message, e
                assert isinstance(e, ValueError)
                results.append(None)
    return run


def test_close_against_sign_never_uses_freed_memory(watched):
    freed, violations, new_round = watched
    tokens = []
    for _ in range(ROUNDS):
        new_round()
        key = Key(KEY)
        native_claims = verify(mint(key, team_id="t", room="r", lifetime=60), key)
        builder = Claims(team_id="t", room="r", user_name="u", expires_at=int(time.time()) + 60)
        handles = {key._h.value, native_claims._h.value}
        signers = [
            expect_token_or_closed(tokens, lambda: mint(key, team_id="t", room="r", user_name="u", lifetime=60)),
            expect_token_or_closed(tokens, lambda: sign(builder, key)),
            expect_token_or_closed(tokens, lambda: sign(native_claims, key)),
            expect_token_or_closed(tokens, lambda: native_claims.get_string("td")),
        ]
        errors = race(*signers, key.close, native_claims.close, builder.close)
        assert not errors, errors
        assert handles <= freed[-1], "close() did not free"
    assert not violations
    made = [t for t in tokens if t and t.count(".") == 2]
    assert made, "no call ran before close: the race was not exercised"
    for token in made:  # every token that was made is right
        assert jwt.decode(token, KEY, algorithms=["HS256"])["td"] == "t"


def test_closed_objects_raise():
    key = Key(KEY)
    claims = Claims(team_id="t", room="r")
    native_claims = verify(mint(key, team_id="t", room="r", lifetime=60), key)
    key.close()
    claims.close()
    native_claims.close()
    calls = [
        (lambda: mint(key, team_id="t", room="r", lifetime=60), "dstoken.mint(): this key is closed"),
        (lambda: sign(Claims(team_id="t", room="r", expires_at=int(time.time()) + 60), key),
         "dstoken.sign(): this key is closed"),
        (lambda: sign(claims, Key(KEY)), "dstoken.sign(): this claim set is closed"),
        (lambda: claims.__setitem__("u", "x"), "Claims[...] = value: this claim set is closed"),
        (lambda: claims.set_validity(1, 2), "Claims.set_validity(): this claim set is closed"),
        (lambda: native_claims.get_string("td"), "Claims.get_string(): this claim set is closed"),
        (lambda: claims.to_json(), "Claims.to_json(): this claim set is closed"),
        (lambda: verify("a.b.c", key), "dstoken.verify(): this key is closed"),
    ]
    for call, text in calls:
        with pytest.raises(DstokenError) as e:
            call()
        assert e.value.message == text + " (close() was called)"
        assert isinstance(e.value, ValueError)
    key.close()  # closing again is a no-op
    assert repr(key) == "Key(<closed>)"


def test_context_managers():
    with Key(KEY) as key, Claims(team_id="t", room="r") as claims:
        assert jwt.decode(sign(claims, key, no_expiry=True), KEY, algorithms=["HS256"]) == {"td": "t", "rd": "r"}
    assert key.closed and claims.closed


def test_collected_objects_free_their_handles_once(watched):
    freed, violations, new_round = watched
    key = Key(KEY)
    new_round()
    claims = verify(mint(key, team_id="t", room="r", lifetime=60), key)
    handle = claims._h.value
    del claims  # never closed: freed when collected
    assert handle in freed[-1]
    new_round()
    claims = verify(mint(key, team_id="t", room="r", lifetime=60), key)
    handle = claims._h.value
    claims.close()
    del claims  # closed, then collected: not freed again
    assert handle in freed[-1]
    handle = key._h.value
    del key  # a key collected without close()
    assert handle in freed[-1]
    assert not violations


def test_threads_reading_one_builder_at_once(watched):
    """Getters move a builder's claims into a native claim set; two threads doing that at once
    must agree on one set and free the other copy."""
    freed, violations, new_round = watched
    key = Key(KEY)
    for _ in range(ROUNDS):
        exp = int(time.time()) + 60
        claims = Claims(team_id="t", room="r", user_name="Zoë", expires_at=exp, custom={"n": 1})
        results, tokens = [], []
        errors = race(*[lambda: results.append((claims.get_string("u"), claims.get_int("n")))] * THREADS,
                      *[lambda: tokens.append(sign(claims, key))] * THREADS)
        assert not errors, errors
        assert results == [("Zoë", 1)] * THREADS
        assert len(set(tokens)) == 1 and len(tokens) == THREADS
        assert jwt.decode(tokens[0], KEY, algorithms=["HS256"]) == {"td": "t", "rd": "r", "u": "Zoë", "exp": exp, "n": 1}
        claims.close()
    assert not violations


# ---- no lock and no shared write per call; close() returns at once and never frees under a call ----

def test_close_returns_at_once_with_a_call_in_flight_which_frees_the_key(monkeypatch):
    """A mint is held inside the native call; close() from another thread returns at once but
    does not free the key under that call: the call finishes with it and frees it as it
    returns (deterministic: the call waits on an event)."""
    key = Key(KEY)
    handle = key._h.value
    inside, release = threading.Event(), threading.Event()
    freed = []
    real_free, real_mint = dstoken._native.key_free, dstoken._mint_into_raw

    def slow_mint(*args):
        inside.set()
        assert release.wait(10)
        assert handle not in freed, "the key was freed during the call"
        return real_mint(*args)
    monkeypatch.setattr(dstoken, "_mint_into_raw", slow_mint)
    monkeypatch.setattr(dstoken._native, "key_free", lambda h: (freed.append(h), real_free(h)))
    tokens = []
    minter = threading.Thread(target=lambda: tokens.append(mint(key, team_id="t", room="r", lifetime=60)))
    minter.start()
    assert inside.wait(10)
    closer = threading.Thread(target=key.close)
    closer.start()
    closer.join(10)  # a guard against a hang, not a timing
    assert not closer.is_alive() and key.closed, "close() waited for the call in flight"
    assert not freed, "close() freed the key under a call in flight"
    with pytest.raises(DstokenError, match="this key is closed"):  # later calls fail at once
        mint(key, team_id="t", room="r", lifetime=60)
    release.set()
    minter.join(10)
    assert freed == [handle]  # by the call, as it returned
    assert jwt.decode(tokens[0], KEY, algorithms=["HS256"])["td"] == "t"


def test_a_failed_call_keeps_no_reference_to_the_handle(monkeypatch):
    """Every exit path drops the call's reference, also the exceptions (kept here with their
    tracebacks): close() right after failing calls frees at once."""
    freed = []
    real_key_free, real_claims_free = dstoken._native.key_free, dstoken._native.claims_free
    monkeypatch.setattr(dstoken._native, "key_free", lambda h: (freed.append(h), real_key_free(h)))
    monkeypatch.setattr(dstoken._native, "claims_free", lambda h: (freed.append(h), real_claims_free(h)))
    key = Key(KEY)
    claims = verify(mint(key, team_id="t", room="r", lifetime=60), key)
    handles = [key._h.value, claims._h.value]
    kept = []
    for call in (lambda: mint(key, team_id="", room="r", lifetime=60),
                 lambda: verify("a.b.c", key),
                 lambda: dstoken.mint_url(key, "bad host!", team_id="t", room="r", lifetime=60),
                 lambda: claims.get_string("nope"),
                 lambda: sign(Claims(user_name="x", custom={"n": 1}), key)):
        with pytest.raises(DstokenError) as e:
            call()
        kept.append(e)
    freed.clear()
    key.close()
    claims.close()
    assert freed == handles and key.closed and claims.closed
    assert len(kept) == 5


def test_calls_share_no_per_call_state_on_the_key():
    """A call writes nothing on the Key: its slots are the handle and the closed flag, and each
    call's buffers are its own."""
    key = Key(KEY)
    before = {name: getattr(key, name) for name in ("_h", "_closed")}
    assert not hasattr(key, "__dict__") and not hasattr(key, "_inflight")
    results = []
    threads = [threading.Thread(target=lambda: results.extend(
        verify(mint(key, team_id="t", room="r", user_id=str(i), lifetime=60), key)["ud"] for i in range(200)))
        for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 200 * THREADS
    assert {name: getattr(key, name) for name in ("_h", "_closed")} == before
    token = mint(key, team_id="t", room="r", lifetime=60)
    assert jwt.decode(token, KEY, algorithms=["HS256"])["td"] == "t"


def test_shallow_copies_share_the_native_handle_safely(monkeypatch):
    """copy.copy() of a Key or of verified Claims shares the native handle: closing one copy
    leaves the other usable, and the handle is freed once, when the last copy lets go (a copy
    of a bare address would be used after free, then freed twice)."""
    import copy
    freed = []
    real_key_free, real_claims_free = dstoken._native.key_free, dstoken._native.claims_free
    monkeypatch.setattr(dstoken._native, "key_free", lambda h: (freed.append(h), real_key_free(h)))
    monkeypatch.setattr(dstoken._native, "claims_free", lambda h: (freed.append(h), real_claims_free(h)))
    key = Key(KEY)
    claims = verify(mint(key, team_id="t", room="r", lifetime=60), key)
    handles = [key._h.value, claims._h.value]
    key2, claims2 = copy.copy(key), copy.copy(claims)
    key.close()
    claims.close()
    assert not freed
    assert jwt.decode(mint(key2, team_id="t", room="r", lifetime=60), KEY, algorithms=["HS256"])["td"] == "t"
    assert claims2.get_string("td") == "t" and dict(claims2)["rd"] == "r"
    key2.close()
    claims2.close()
    assert freed == handles
