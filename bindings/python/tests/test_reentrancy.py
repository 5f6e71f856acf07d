"""Calls that nest: a Python signal handler runs between two bytecodes of whatever the main
thread was doing, so it can interrupt a call half-way and make calls of its own on the same
thread. A mint in a handler must not hand the interrupted mint its token.
"""
import os
import signal
import time

import jwt

import dstoken
from dstoken import Key, mint

from conftest import KEY

NOW = 1767225600
ALICE = dict(team_id="t", room="r", user_name="alice", role="attendee", lifetime=3600, now=NOW)
MALLORY = dict(team_id="t", room="r", user_name="mallory", role="moderator", lifetime=3600, now=NOW)


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
