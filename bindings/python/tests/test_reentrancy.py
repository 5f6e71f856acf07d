"""Calls that nest, and close() where no other call may be waited for.

A Python signal handler runs between two bytecodes of whatever the main thread was doing, so it
can interrupt a call half-way and make calls of its own on the same thread: a mint in a handler
must not hand the interrupted mint its token, and close() in a handler (rotating the key on
SIGHUP) must return although the interrupted call is still using the key. A fork() child
(multiprocessing's default start method on Linux) inherits the objects but not the threads that
were calling, and close() must not wait for those. Threads that keep calling must not hold up
close() either. The close() cases that used to hang run in a child process with a deadline, so a
hang fails the test instead of stopping the suite.
"""
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import jwt
import pytest

import dstoken
from dstoken import DstokenError, Key, mint, verify

from conftest import KEY

NOW = 1767225600
ALICE = dict(team_id="t", room="r", user_name="alice", role="attendee", lifetime=3600, now=NOW)
MALLORY = dict(team_id="t", room="r", user_name="mallory", role="moderator", lifetime=3600, now=NOW)
CLOSE_AT_ONCE = 0.5  # seconds: close() takes microseconds; this only absorbs a loaded machine
# Python 3.12+ warns on fork() with threads running; forking while threads call is the case here.
forks_with_threads = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")


def run_child(code, timeout=15):
    """Runs `code` in a fresh interpreter (the same dstoken); a hang fails, with the output so far."""
    preamble = f"import dstoken, jwt, signal, sys, time\nfrom dstoken import DstokenError, Key, mint, verify\nKEY = {KEY!r}\n"
    try:
        done = subprocess.run([sys.executable, "-c", preamble + textwrap.dedent(code)], capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"the child hung for {timeout} s (close() never returned?); its output: "
                             f"{e.stdout!r} {e.stderr!r}") from None
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_signal_handler_minting_on_the_same_thread_never_swaps_tokens():
    """Each mint writes its token into a buffer of its own: a handler's mint between the
    interrupted mint's native call and its read-back cannot replace alice's token with
    mallory's (a privilege escalation)."""
    key = Key(KEY)
    alice, mallory = mint(key, **ALICE), mint(key, **MALLORY)
    assert jwt.decode(alice, KEY, algorithms=["HS256"], options={"verify_exp": False})["u"] == "alice"
    seen = {"handled": 0, "inside": 0, "wrong": 0}
    package = os.path.dirname(dstoken.__file__)

    def handler(signum, frame):
        seen["handled"] += 1
        seen["inside"] += frame is not None and os.path.dirname(frame.f_code.co_filename) == package
        if mint(key, **MALLORY) != mallory:
            seen["wrong"] += 1

    previous = signal.signal(signal.SIGALRM, handler)
    swaps = mints = 0
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.0001, 0.0001)
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            for _ in range(200):
                swaps += mint(key, **ALICE) != alice
            mints += 200
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    # The race was run: many handlers interrupted the package itself, in the middle of a mint.
    assert seen["inside"] >= 100, seen
    assert (swaps, seen["wrong"]) == (0, 0), f"{swaps} of {mints} mints returned another token; {seen}"


def test_close_in_a_signal_handler_that_interrupted_calls_with_the_key():
    """Deterministic: the native entry point is wrapped so that a signal arrives inside the call,
    with the key's handle already in hand; that handler mints (a second call in flight) and its
    own call is interrupted by a second handler, which closes the key. close() returns at once,
    later calls raise, both interrupted calls finish with valid tokens, and the key is freed
    exactly once, when the outer call returns."""
    out = run_child("""
        freed, log = [], []
        real_free, real_raw = dstoken._native.key_free, dstoken._mint_into_raw
        dstoken._native.key_free = lambda h: (freed.append(getattr(h, "value", h)), real_free(h))[1]
        depth = [0]

        def raw(*args):  # the native call, entered with the key's handle as an argument
            depth[0] += 1
            try:
                if depth[0] <= 2:
                    signal.raise_signal((signal.SIGUSR1, signal.SIGUSR2)[depth[0] - 1])  # its handler runs here
                return real_raw(*args)
            finally:
                depth[0] -= 1
        dstoken._mint_into_raw = raw
        key = Key(KEY)

        def minting_handler(signum, frame):
            log.append(("handler 1", mint(key, team_id="t", room="r", user_name="nested", lifetime=60)))

        def closing_handler(signum, frame):
            t = time.monotonic()
            key.close()
            log.append(("close() took", time.monotonic() - t))
            key.close()  # idempotent
            for call in (lambda: mint(key, team_id="t", room="r", lifetime=60), lambda: verify("a.b.c", key)):
                try:
                    call()
                    raise SystemExit("a call after close() did not raise")
                except DstokenError as e:
                    assert "this key is closed" in e.message and isinstance(e, ValueError), e
            assert key.closed and freed == [], freed  # two calls are still using the key
        signal.signal(signal.SIGUSR1, minting_handler)
        signal.signal(signal.SIGUSR2, closing_handler)
        outer = mint(key, team_id="t", room="r", user_name="outer", lifetime=60)
        assert len(freed) == 1, freed  # freed once, by the last call that was using it
        assert log[0][0] == "close() took" and log[0][1] < 0.5, log
        for token, user in ((log[1][1], "nested"), (outer, "outer")):
            assert jwt.decode(token, KEY, algorithms=["HS256"])["u"] == user
        print("ok")
    """)
    assert out.strip() == "ok"


def test_rotating_the_key_in_nesting_signal_handlers_never_hangs():
    """The usual "rotate the key on SIGHUP", with a timer fast enough that handlers interrupt
    mints, verifies and each other (nested handlers closing keys) for a second."""
    out = run_child("""
        state = {"key": Key(KEY), "rotations": 0, "nested": 0}
        depth = [0]

        def rotate(signum, frame):
            depth[0] += 1
            try:
                if depth[0] > 3:  # the timer outpaces a slow machine: keep the nesting bounded
                    return
                state["nested"] += depth[0] > 1
                old, state["key"] = state["key"], Key(KEY)
                if depth[0] == 1 and state["rotations"] % 4 == 0:
                    signal.raise_signal(signal.SIGALRM)  # a nested rotation, before this one closes
                old.close()
                state["rotations"] += 1
                mint(state["key"], team_id="t", room="r", lifetime=60)
            except DstokenError as e:  # a nested handler closed the key this one had just made
                assert "this key is closed" in e.message, e
            finally:
                depth[0] -= 1
        signal.signal(signal.SIGALRM, rotate)
        signal.setitimer(signal.ITIMER_REAL, 0.0002, 0.0002)
        tokens = closed = 0
        deadline = time.monotonic() + 1
        while time.monotonic() < deadline:
            key = state["key"]
            try:
                verify(mint(key, team_id="t", room="r", lifetime=60), key)
                tokens += 1
            except DstokenError as e:  # rotated between the two calls
                assert "this key is closed" in e.message, e
                closed += 1
        signal.setitimer(signal.ITIMER_REAL, 0)
        assert state["rotations"] > 500 and state["nested"] > 100 and tokens > 1000, (state, tokens, closed)
        print("ok")
    """)
    assert out.strip() == "ok"


def _callers(key, n):
    """n threads calling mint and verify with `key` until stopped; after close() they see the
    closed error at once and keep calling."""
    stop = threading.Event()
    made, unexpected = [], []

    def call():
        while not stop.is_set():
            try:
                verify(mint(key, team_id="t", room="r", lifetime=60), key)
                made.append(1)
            except DstokenError as e:
                if "this key is closed" not in e.message:
                    unexpected.append(e)
    threads = [threading.Thread(target=call, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while len(made) < 20 * n and time.monotonic() < deadline:
        time.sleep(0.005)
    assert made, "the threads made no token"

    def finish():
        stop.set()
        for t in threads:
            t.join(10)
        assert not unexpected, unexpected
    return finish


def _close_in_child():
    """In a fork() child: close() returns at once, later calls raise. Exit status 0 when so."""
    key = _fork_key[0]
    t = time.monotonic()
    key.close()
    took = time.monotonic() - t
    try:
        mint(key, team_id="t", room="r", lifetime=60)
    except DstokenError as e:
        return 0 if "this key is closed" in e.message and took < CLOSE_AT_ONCE else 2
    return 3


_fork_key = [None]


def _wait_all(pids, timeout):
    """{pid: exit code} of the children that exited within `timeout`; the others are killed."""
    codes, deadline = {}, time.monotonic() + timeout
    while len(codes) < len(pids) and time.monotonic() < deadline:
        for pid in pids:
            if pid not in codes:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    codes[pid] = os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    for pid in pids:
        if pid not in codes:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    return codes


@forks_with_threads
def test_close_in_fork_children_while_threads_call():
    """os.fork() while 4 threads call with the key: each child closes its copy at once, and
    the parent's key goes on working."""
    key = _fork_key[0] = Key(KEY)
    finish = _callers(key, 4)
    pids = []
    try:
        for _ in range(12):
            time.sleep(0.01)  # the threads move on between forks
            pid = os.fork()
            if pid == 0:  # the child: nothing of pytest's may run here
                code = 1
                try:
                    code = _close_in_child()
                finally:
                    os._exit(code)
            pids.append(pid)
        codes = _wait_all(pids, 10)
    finally:
        finish()
    assert len(codes) == len(pids), f"{len(pids) - len(codes)} of {len(pids)} fork() children hung in close()"
    assert set(codes.values()) == {0}, codes
    assert not key.closed and jwt.decode(mint(key, team_id="t", room="r", lifetime=60), KEY, algorithms=["HS256"])


@forks_with_threads
def test_close_in_multiprocessing_fork_children_while_threads_call():
    key = _fork_key[0] = Key(KEY)
    finish = _callers(key, 4)
    ctx = multiprocessing.get_context("fork")
    procs = []
    try:
        for _ in range(6):
            time.sleep(0.01)
            p = ctx.Process(target=lambda: sys.exit(_close_in_child()))
            p.start()
            procs.append(p)
        deadline = time.monotonic() + 10
        for p in procs:
            p.join(max(0.0, deadline - time.monotonic()))
        hung = [p for p in procs if p.is_alive()]
        for p in hung:
            p.kill()
            p.join()
    finally:
        finish()
    assert not hung, f"{len(hung)} of {len(procs)} multiprocessing children hung in close()"
    assert [p.exitcode for p in procs] == [0] * len(procs)
    assert not key.closed


def test_close_returns_at_once_while_16_threads_keep_calling(monkeypatch):
    freed = []
    real_free = dstoken._native.key_free
    monkeypatch.setattr(dstoken._native, "key_free", lambda h: (freed.append(h), real_free(h))[1])
    key = Key(KEY)
    finish = _callers(key, 16)
    began, took = [], []

    def close():
        began.append(time.monotonic())
        key.close()
        took.append(time.monotonic() - began[0])
    closer = threading.Thread(target=close)
    try:
        closer.start()
        closer.join(2)
    finally:
        finish()  # stops the threads (a close() that waits for them returns then)
        closer.join(10)
    assert began, "the closing thread never ran"
    assert took and took[0] < CLOSE_AT_ONCE, f"close() took {took[0] if took else '> 2'} s with 16 threads calling"
    assert key.closed and len(freed) == 1, freed  # freed once, by close() or by the last call using it
