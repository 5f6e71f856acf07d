#!/usr/bin/env python3
"""dstoken Python benchmark: minting (the README's one-call mint, the builder), verifying, and
threads sharing one key, beside PyJWT (and joserfc) on the same workload in one process, with
ratios. A printed table, never a timed assertion.

    python bench/python/bench.py [N]      N tokens per timed run (default 10000); 15 rounds

Single thread: each round times every path once, in turn, and the times are this process's CPU
time (time.process_time: a busy shared machine's waiting is left out); the table gives each
path's median over the rounds and its ratio to the peer (PyJWT's jwt.encode for minting,
jwt.decode for verifying) in the same run.

Threads: tokens per second of wall-clock time with 1 and with 2 threads sharing one Key (each
thread makes N tokens), and the process's CPU time per token, interleaved rounds, medians. CPython's GIL lets only one thread run
Python code at a time, and the package keeps it during its short native calls (ctypes.PyDLL: a
hand-off of the GIL costs more than a mint), so two threads make about as many tokens as one. The columns say how far that
goes here; equal CPU time per token with 1 and 2 threads shows the key adds no contention.

Workload (as bench/c/bench.c): key "0123456789abcdef0123456789abcdef"; td, rd "daily-standup",
u "John Smith", ud "user-%06d" (a new value every token, prepared before timing), role
"moderator", iat = now, exp = now + 3600 (the README's lifetime=3600) -> 288-byte tokens. Every
path builds its claims afresh for each token, as an application minting one token per request
does. Needs dstoken (installed, or bindings/python with DSTOKEN_LIBRARY), PyJWT and joserfc.
"""
import statistics
import sys
import threading
import time

import jwt as pyjwt
from joserfc import jwt as jose_jwt
from joserfc.jwk import OctKey

import dstoken
from dstoken import Claims, Key, mint, sign, verify

KEY = b"0123456789abcdef0123456789abcdef"
TEAM = "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f"
IAT = 1767225600
ROUNDS = 15


# ---- minting -------------------------------------------------------------------------------------

def readme_mint(key, ids):
    for ud in ids:
        mint(key, team_id=TEAM, room="daily-standup", user_name="John Smith", user_id=ud, role="moderator",
             lifetime=3600)


def builder_path(key, ids):
    for ud in ids:
        c = Claims(team_id=TEAM, room="daily-standup", user_name="John Smith", user_id=ud, role="moderator")
        c.set_expires_in(3600)
        sign(c, key)


def builder_explicit(key, ids):
    for ud in ids:
        now = int(time.time())
        sign(Claims(team_id=TEAM, room="daily-standup", user_name="John Smith", user_id=ud, role="moderator",
                    issued_at=now, expires_at=now + 3600), key)


def reused_claims(key, ids):
    c = Claims(team_id=TEAM, room="daily-standup", user_name="John Smith", role="moderator")
    c.set_expires_in(3600)
    for ud in ids:
        c.set(user_id=ud)
        sign(c, key)


def pyjwt_encode(_key, ids):
    for ud in ids:
        now = int(time.time())
        pyjwt.encode({"td": TEAM, "rd": "daily-standup", "u": "John Smith", "ud": ud, "role": "moderator",
                      "iat": now, "exp": now + 3600}, KEY, algorithm="HS256")


def joserfc_encode(_key, ids, _jose_key=OctKey.import_key(KEY), _header={"alg": "HS256"}):
    for ud in ids:
        now = int(time.time())
        jose_jwt.encode(_header, {"td": TEAM, "rd": "daily-standup", "u": "John Smith", "ud": ud,
                                  "role": "moderator", "iat": now, "exp": now + 3600}, _jose_key)


MINT_PATHS = [
    ("dstoken README path: mint(..., lifetime=3600)", readme_mint),
    ("dstoken Claims(...) + set_expires_in + sign", builder_path),
    ("dstoken Claims(..., explicit times) + sign", builder_explicit),
    ("dstoken one Claims reused, set(user_id=...)", reused_claims),
    ("PyJWT jwt.encode", pyjwt_encode),
    ("joserfc jwt.encode", joserfc_encode),
]

# ---- verifying (each path reads the same tokens, minted before timing) --------------------------


def dstoken_verify(key, tokens):
    for t in tokens:
        verify(t, key)


def dstoken_verify_read(key, tokens):
    for t in tokens:
        verify(t, key)["ud"]


def dstoken_verify_dict(key, tokens):
    for t in tokens:
        dict(verify(t, key))


def pyjwt_decode(_key, tokens):
    for t in tokens:
        pyjwt.decode(t, KEY, algorithms=["HS256"])


VERIFY_PATHS = [
    ("dstoken verify(token, key)", dstoken_verify),
    ("dstoken verify(...)[\"ud\"] (one claim read)", dstoken_verify_read),
    ("dstoken dict(verify(...)) (every claim)", dstoken_verify_dict),
    ("PyJWT jwt.decode", pyjwt_decode),
]


def check_same_workload(key):
    """Every path makes a token of the same claims; PyJWT's is even byte-identical."""
    ours = mint(key, team_id=TEAM, room="daily-standup", user_name="John Smith", user_id="user-000000",
                role="moderator", lifetime=3600, now=IAT)
    theirs = pyjwt.encode({"td": TEAM, "rd": "daily-standup", "u": "John Smith", "ud": "user-000000",
                           "role": "moderator", "iat": IAT, "exp": IAT + 3600}, KEY, algorithm="HS256")
    if ours != theirs or len(ours) != 288:
        sys.exit(f"bench: the workloads differ:\n  dstoken {ours}\n  PyJWT   {theirs}")
    fresh = mint(key, team_id=TEAM, room="daily-standup", user_name="John Smith", user_id="user-000000",
                 role="moderator", lifetime=3600)
    if dict(verify(fresh, key)) != pyjwt.decode(fresh, KEY, algorithms=["HS256"]):
        sys.exit("bench: dstoken.verify and jwt.decode read different claims")


def timed_rounds(paths, key, data):
    times = {name: [] for name, _ in paths}
    for _, fn in paths:
        fn(key, data[: max(1, len(data) // 10)])  # warm up
    for _ in range(ROUNDS):
        for name, fn in paths:
            t0 = time.process_time()
            fn(key, data)
            times[name].append(time.process_time() - t0)
    return {name: statistics.median(t) / len(data) * 1e6 for name, t in times.items()}


def print_table(results, base_name, peer):
    base = results[base_name]
    print(f"| {'path':<48} | {'us/token':>9} | {'x ' + peer:>15} |")
    print(f"|{'-' * 50}|{'-' * 11}|{'-' * 17}|")
    for name, us in results.items():
        print(f"| {name:<48} | {us:9.2f} | {us / base:15.3f} |")


# ---- threads sharing one key --------------------------------------------------------------------

def throughput(fn, key, per_thread, threads):
    """(tokens per second of wall-clock time, process CPU microseconds per token), `threads`
    threads each running fn on its own list."""
    start = threading.Barrier(threads + 1)
    done = []

    def run(i):
        start.wait()
        fn(key, per_thread[i])
        done.append(time.perf_counter())

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    start.wait()
    t0, c0 = time.perf_counter(), time.process_time()
    for w in workers:
        w.join()
    c1 = time.process_time()
    tokens = threads * len(per_thread[0])
    return tokens / (max(done) - t0), (c1 - c0) / tokens * 1e6


def thread_rounds(key, n, tokens):
    paths = [("dstoken mint (README path)", readme_mint, [[f"user-{t}-{i:06d}" for i in range(n)] for t in range(2)]),
             ("dstoken verify", dstoken_verify, [tokens, list(tokens)]),
             ("PyJWT jwt.encode", pyjwt_encode, [[f"user-{t}-{i:06d}" for i in range(n)] for t in range(2)]),
             ("PyJWT jwt.decode", pyjwt_decode, [tokens, list(tokens)])]
    rates = {(name, k): [] for name, _, _ in paths for k in (1, 2)}
    for _ in range(ROUNDS):
        for name, fn, data in paths:
            for k in (1, 2):
                rates[(name, k)].append(throughput(fn, key, data, k))
    print(f"| {'path':<28} | {'1 thread tokens/s':>17} | {'2 threads tokens/s':>18} | {'2 / 1':>6} "
          f"| {'CPU us/token 1 thread':>21} | {'2 threads':>9} |")
    print(f"|{'-' * 30}|{'-' * 19}|{'-' * 20}|{'-' * 8}|{'-' * 23}|{'-' * 11}|")
    scaling = {}
    for name, _, _ in paths:
        one = statistics.median(r for r, _ in rates[(name, 1)])
        two = statistics.median(r for r, _ in rates[(name, 2)])
        cpu1 = statistics.median(c for _, c in rates[(name, 1)])
        cpu2 = statistics.median(c for _, c in rates[(name, 2)])
        scaling[name] = (two / one, cpu2 / cpu1)
        print(f"| {name:<28} | {one:17,.0f} | {two:18,.0f} | {two / one:6.2f} | {cpu1:21.2f} | {cpu2:9.2f} |")
    return scaling


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    key = Key(KEY)
    check_same_workload(key)
    ids = [f"user-{i:06d}" for i in range(n)]
    tokens = [mint(key, team_id=TEAM, room="daily-standup", user_name="John Smith", user_id=ud, role="moderator",
                   lifetime=3600) for ud in ids]
    print(f"dstoken {dstoken.__version__} Python benchmark ({sys.implementation.name} "
          f"{sys.version.split()[0]}), N={n}, median CPU time of {ROUNDS} interleaved rounds; library {dstoken.library_path}")
    minting = timed_rounds(MINT_PATHS, key, ids)
    print_table(minting, "PyJWT jwt.encode", "PyJWT encode")
    verifying = timed_rounds(VERIFY_PATHS, key, tokens)
    print()
    print_table(verifying, "PyJWT jwt.decode", "PyJWT decode")
    print()
    print(f"Threads sharing one Key (wall-clock, median of {ROUNDS} interleaved rounds, each thread {n} tokens):")
    scaling = thread_rounds(key, n, tokens)
    mint_ratio = minting["dstoken README path: mint(..., lifetime=3600)"] / minting["PyJWT jwt.encode"]
    verify_ratio = verifying["dstoken verify(token, key)"] / verifying["PyJWT jwt.decode"]
    dict_ratio = verifying["dstoken dict(verify(...)) (every claim)"] / verifying["PyJWT jwt.decode"]
    print()
    print(f"target: README path (one-call mint) <= 0.2x PyJWT: {mint_ratio:.3f}x ({'met' if mint_ratio <= 0.2 else 'missed'})")
    print(f"target: verify <= 0.5x jwt.decode: {verify_ratio:.3f}x ({'met' if verify_ratio <= 0.5 else 'missed'}); "
          f"with every claim read into a dict {dict_ratio:.3f}x ({'met' if dict_ratio <= 0.5 else 'missed'})")
    mint_scale, mint_cpu = scaling["dstoken mint (README path)"]
    verify_scale, verify_cpu = scaling["dstoken verify"]
    print(f"threads: 2 threads / 1 thread = {mint_scale:.2f}x tokens/s for the mint, {verify_scale:.2f}x for verify "
          "(the GIL serialises the threads; the native calls keep it, a GIL hand-off costing more than a mint); "
          f"CPU per token with 2 threads / 1 thread: mint {mint_cpu:.2f}x, verify {verify_cpu:.2f}x "
          "(1.00x: sharing the key costs nothing)")
    key.close()


if __name__ == "__main__":
    main()
