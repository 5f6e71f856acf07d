#!/usr/bin/env python3
"""dstoken Python benchmark: minting (the README's one-call mint, the builder), verifying, and
threads sharing one key, beside PyJWT (and joserfc) on the same workload in one process, with
ratios. A printed table, never a timed assertion.

    python bench/python/bench.py [N] [ROUNDS]   N tokens per timed run (default 10000), ROUNDS
                                                interleaved rounds (default 15)

With DSTOKEN_BENCH_JSON=FILE it also writes every result with its rounds to FILE, in the format
of bench/README.md (bench/run.sh collects them).

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
import base64
import hashlib
import hmac
import json
import os
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
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 15


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


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=")


HEADER_B64 = b64url(b'{"alg":"HS256","typ":"JWT"}')


def hand_written(_key, ids):
    """What one writes with the standard library alone: json + base64 + hmac."""
    for ud in ids:
        now = int(time.time())
        payload = json.dumps({"td": TEAM, "rd": "daily-standup", "u": "John Smith", "ud": ud, "role": "moderator",
                              "iat": now, "exp": now + 3600}, separators=(",", ":")).encode()
        signing_input = HEADER_B64 + b"." + b64url(payload)
        (signing_input + b"." + b64url(hmac.new(KEY, signing_input, hashlib.sha256).digest())).decode()


# (id, name, implementation, kind, function) of each path; the ids are what bench/report.py reads.
MINT_PATHS = [
    ("mint", "dstoken README path: mint(..., lifetime=3600)", "dstoken", "dstoken", readme_mint),
    ("builder", "dstoken Claims(...) + set_expires_in + sign", "dstoken", "dstoken", builder_path),
    ("builder_explicit", "dstoken Claims(..., explicit times) + sign", "dstoken", "dstoken", builder_explicit),
    ("reused_claims", "dstoken one Claims reused, set(user_id=...)", "dstoken", "dstoken", reused_claims),
    ("hand_written", "hand-written hmac + json + base64 (standard library)", "hand-written", "hand-written",
     hand_written),
    ("pyjwt_encode", "PyJWT jwt.encode", "PyJWT", "library", pyjwt_encode),
    ("joserfc_encode", "joserfc jwt.encode", "joserfc", "library", joserfc_encode),
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
    ("verify", "dstoken verify(token, key)", "dstoken", "dstoken", dstoken_verify),
    ("verify_read", "dstoken verify(...)[\"ud\"] (one claim read)", "dstoken", "dstoken", dstoken_verify_read),
    ("verify_dict", "dstoken dict(verify(...)) (every claim)", "dstoken", "dstoken", dstoken_verify_dict),
    ("pyjwt_decode", "PyJWT jwt.decode", "PyJWT", "library", pyjwt_decode),
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
    now = int(time.time())
    # The hand-written path signs the same bytes as dstoken.
    payload = json.dumps({"td": TEAM, "rd": "daily-standup", "u": "John Smith", "ud": "user-000000",
                          "role": "moderator", "iat": now, "exp": now + 3600}, separators=(",", ":")).encode()
    signing_input = HEADER_B64 + b"." + b64url(payload)
    by_hand = (signing_input + b"." + b64url(hmac.new(KEY, signing_input, hashlib.sha256).digest())).decode()
    ours = mint(key, team_id=TEAM, room="daily-standup", user_name="John Smith", user_id="user-000000",
                role="moderator", lifetime=3600, now=now)
    if ours != by_hand:
        sys.exit(f"bench: the hand-written token differs:\n  dstoken {ours}\n  by hand {by_hand}")


def timed_rounds(paths, key, data, op, out):
    """CPU ns per token of each path in each round (every path once per round, in turn); appends
    a result per path to `out` and returns {id: median ns per token}."""
    times = {pid: [] for pid, *_ in paths}
    for *_, fn in paths:
        fn(key, data[: max(1, len(data) // 10)])  # warm up
    for _ in range(ROUNDS):
        for pid, *_, fn in paths:
            t0 = time.process_time()
            fn(key, data)
            times[pid].append((time.process_time() - t0) / len(data) * 1e9)
    for pid, name, impl, kind, _ in paths:
        out.append(result(pid, name, impl, kind, op, "ns/token", "cpu", 1, times[pid]))
    return {pid: statistics.median(t) for pid, t in times.items()}


def result(rid, name, impl, kind, op, unit, clock, threads, rounds):
    """One result in the format of bench/README.md."""
    rounds = [round(v, 1) for v in rounds]
    return {"id": rid, "name": name, "impl": impl, "kind": kind, "op": op, "threads": threads, "unit": unit,
            "clock": clock, "median": round(statistics.median(rounds), 2), "rounds": rounds}


def print_table(paths, results, base_id, peer):
    base = results[base_id]
    print(f"| {'path':<52} | {'CPU ns/token':>12} | {'x ' + peer:>15} |")
    print(f"|{'-' * 54}|{'-' * 14}|{'-' * 17}|")
    for pid, name, *_ in paths:
        print(f"| {name:<52} | {results[pid]:12.0f} | {results[pid] / base:15.3f} |")


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


def thread_rounds(key, n, tokens, out):
    paths = [("mint", "dstoken mint (README path)", "dstoken", "dstoken", "mint", readme_mint,
              [[f"user-{t}-{i:06d}" for i in range(n)] for t in range(2)]),
             ("verify", "dstoken verify", "dstoken", "dstoken", "verify", dstoken_verify, [tokens, list(tokens)]),
             ("pyjwt_encode", "PyJWT jwt.encode", "PyJWT", "library", "mint", pyjwt_encode,
              [[f"user-{t}-{i:06d}" for i in range(n)] for t in range(2)]),
             ("pyjwt_decode", "PyJWT jwt.decode", "PyJWT", "library", "verify", pyjwt_decode, [tokens, list(tokens)])]
    rates = {(pid, k): [] for pid, *_ in paths for k in (1, 2)}
    for _ in range(ROUNDS):
        for pid, *_, fn, data in paths:
            for k in (1, 2):
                rates[(pid, k)].append(throughput(fn, key, data, k))
    print(f"| {'path':<28} | {'1 thread tokens/s':>17} | {'2 threads tokens/s':>18} | {'2 / 1':>6} "
          f"| {'CPU ns/token 1 thread':>21} | {'2 threads':>9} |")
    print(f"|{'-' * 30}|{'-' * 19}|{'-' * 20}|{'-' * 8}|{'-' * 23}|{'-' * 11}|")
    scaling = {}
    for pid, name, impl, kind, op, _, _ in paths:
        for k in (1, 2):
            out.append(result("threads:" + pid, name, impl, kind, op, "tokens/s", "wall", k,
                              [r for r, _ in rates[(pid, k)]]))
            out.append(result("threads:" + pid, name, impl, kind, op, "ns/token", "cpu", k,
                              [c * 1e3 for _, c in rates[(pid, k)]]))
        ratio = statistics.median(b[0] / a[0] for a, b in zip(rates[(pid, 1)], rates[(pid, 2)]))
        cpu_ratio = statistics.median(b[1] / a[1] for a, b in zip(rates[(pid, 1)], rates[(pid, 2)]))
        one = statistics.median(r for r, _ in rates[(pid, 1)])
        two = statistics.median(r for r, _ in rates[(pid, 2)])
        cpu1 = statistics.median(c for _, c in rates[(pid, 1)]) * 1e3
        cpu2 = statistics.median(c for _, c in rates[(pid, 2)]) * 1e3
        scaling[pid] = (ratio, cpu_ratio)
        print(f"| {name:<28} | {one:17,.0f} | {two:18,.0f} | {ratio:6.2f} | {cpu1:21.0f} | {cpu2:9.0f} |")
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
    results = []
    minting = timed_rounds(MINT_PATHS, key, ids, "mint", results)
    print_table(MINT_PATHS, minting, "pyjwt_encode", "PyJWT encode")
    verifying = timed_rounds(VERIFY_PATHS, key, tokens, "verify", results)
    print()
    print_table(VERIFY_PATHS, verifying, "pyjwt_decode", "PyJWT decode")
    print()
    print(f"Threads sharing one Key (wall-clock, median of {ROUNDS} interleaved rounds, each thread {n} tokens):")
    scaling = thread_rounds(key, n, tokens, results)
    out = os.environ.get("DSTOKEN_BENCH_JSON")
    if out:
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"schema": 1, "benchmark": os.path.splitext(os.path.basename(out))[0], "language": "Python",
                       "program": "bench/python/bench.py", "settings": {"n": n, "rounds": ROUNDS},
                       "runtime": f"{sys.implementation.name} {sys.version.split()[0]}, dstoken {dstoken.__version__}, "
                                  f"PyJWT {pyjwt.__version__}", "results": results}, f, indent=1)
            f.write("\n")
    mint_ratio = minting["mint"] / minting["pyjwt_encode"]
    verify_ratio = verifying["verify"] / verifying["pyjwt_decode"]
    dict_ratio = verifying["verify_dict"] / verifying["pyjwt_decode"]
    print()
    print(f"target: README path (one-call mint) <= 0.2x PyJWT: {mint_ratio:.3f}x ({'met' if mint_ratio <= 0.2 else 'missed'})")
    print(f"target: verify <= 0.5x jwt.decode: {verify_ratio:.3f}x ({'met' if verify_ratio <= 0.5 else 'missed'}); "
          f"with every claim read into a dict {dict_ratio:.3f}x ({'met' if dict_ratio <= 0.5 else 'missed'})")
    mint_scale, mint_cpu = scaling["mint"]
    verify_scale, verify_cpu = scaling["verify"]
    print(f"threads: 2 threads / 1 thread = {mint_scale:.2f}x tokens/s for the mint, {verify_scale:.2f}x for verify "
          "(the GIL serialises the threads; the native calls keep it, a GIL hand-off costing more than a mint); "
          f"CPU per token with 2 threads / 1 thread: mint {mint_cpu:.2f}x, verify {verify_cpu:.2f}x "
          "(1.00x: sharing the key costs nothing)")
    key.close()


if __name__ == "__main__":
    main()
