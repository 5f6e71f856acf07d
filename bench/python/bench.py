#!/usr/bin/env python3
"""dstoken Python benchmark: the README's builder path, the one-call mint, PyJWT and joserfc on
the same workload in one process, with ratios. A printed table, never a timed assertion.

    python bench/python/bench.py [N]      N tokens per timed run (default 10000); 15 rounds

Each round times every path once, in turn, and the times are this process's CPU time
(time.process_time: a busy shared machine's waiting is left out); the table gives each path's
median over the rounds and its ratio to PyJWT in the same run.

Workload (as bench/c/bench.c): key "0123456789abcdef0123456789abcdef"; td, rd "daily-standup",
u "John Smith", ud "user-%06d" (a new value every token, prepared before timing), role
"moderator", iat 1767225600, exp 1767229200 -> 288-byte tokens. Every path builds its claims
afresh for each token, as an application minting one token per request does. Needs dstoken
(installed, or bindings/python with DSTOKEN_LIBRARY), PyJWT and joserfc.
"""
import statistics
import sys
import time

import jwt as pyjwt
from joserfc import jwt as jose_jwt
from joserfc.jwk import OctKey

import dstoken
from dstoken import Claims, Key, mint, sign

KEY = b"0123456789abcdef0123456789abcdef"
TEAM = "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f"
IAT, EXP = 1767225600, 1767229200


def readme_path(key, ids):
    for ud in ids:
        sign(Claims(team_id=TEAM, room="daily-standup", user_name="John Smith", user_id=ud, role="moderator",
                    issued_at=IAT, expires_at=EXP), key)


def one_call_mint(key, ids):
    for ud in ids:
        mint(key, team_id=TEAM, room="daily-standup", user_name="John Smith", user_id=ud, role="moderator",
             issued_at=IAT, expires_at=EXP)


def reused_claims(key, ids):
    c = Claims(team_id=TEAM, room="daily-standup", user_name="John Smith", role="moderator",
               issued_at=IAT, expires_at=EXP)
    for ud in ids:
        c["ud"] = ud
        sign(c, key)


def pyjwt_encode(_key, ids):
    for ud in ids:
        pyjwt.encode({"td": TEAM, "rd": "daily-standup", "u": "John Smith", "ud": ud, "role": "moderator",
                      "iat": IAT, "exp": EXP}, KEY, algorithm="HS256")


def joserfc_encode(_key, ids, _jose_key=OctKey.import_key(KEY), _header={"alg": "HS256"}):
    for ud in ids:
        jose_jwt.encode(_header, {"td": TEAM, "rd": "daily-standup", "u": "John Smith", "ud": ud,
                                  "role": "moderator", "iat": IAT, "exp": EXP}, _jose_key)


PATHS = [
    ("dstoken README path: Claims(...) + sign", readme_path),
    ("dstoken one-call mint(...)", one_call_mint),
    ("dstoken one Claims reused, ud changed", reused_claims),
    ("PyJWT jwt.encode", pyjwt_encode),
    ("joserfc jwt.encode", joserfc_encode),
]


def check_same_workload(key):
    """Every path makes a token of the same claims; PyJWT's is even byte-identical."""
    ours = mint(key, team_id=TEAM, room="daily-standup", user_name="John Smith", user_id="user-000000",
                role="moderator", issued_at=IAT, expires_at=EXP)
    theirs = pyjwt.encode({"td": TEAM, "rd": "daily-standup", "u": "John Smith", "ud": "user-000000",
                           "role": "moderator", "iat": IAT, "exp": EXP}, KEY, algorithm="HS256")
    if ours != theirs or len(ours) != 288:
        sys.exit(f"bench: the workloads differ:\n  dstoken {ours}\n  PyJWT   {theirs}")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    runs = 15
    key = Key(KEY)
    check_same_workload(key)
    ids = [f"user-{i:06d}" for i in range(n)]
    times = {name: [] for name, _ in PATHS}
    for name, fn in PATHS:
        fn(key, ids[: max(1, n // 10)])  # warm up
    for _ in range(runs):
        for name, fn in PATHS:
            t0 = time.process_time()
            fn(key, ids)
            times[name].append(time.process_time() - t0)
    results = {name: statistics.median(t) / n * 1e6 for name, t in times.items()}
    base = results["PyJWT jwt.encode"]
    print(f"dstoken {dstoken.__version__} Python benchmark ({sys.implementation.name} "
          f"{sys.version.split()[0]}), N={n}, median CPU time of {runs} interleaved rounds; library {dstoken.library_path}")
    print(f"| {'path':<42} | {'us/token':>9} | {'x PyJWT':>7} |")
    print(f"|{'-' * 44}|{'-' * 11}|{'-' * 9}|")
    for name, us in results.items():
        print(f"| {name:<42} | {us:9.2f} | {us / base:7.3f} |")
    ratio = results["dstoken README path: Claims(...) + sign"] / base
    print(f"target: README path <= 0.2x PyJWT: {ratio:.3f}x ({'met' if ratio <= 0.2 else 'missed'})")
    key.close()


if __name__ == "__main__":
    main()
