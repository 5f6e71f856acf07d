#!/usr/bin/env python3
"""The Go binding's two backends beside golang-jwt, in one run: BenchmarkMint and BenchmarkVerify
built with cgo (the native static library) and with CGO_ENABLED=0 (the WebAssembly core under
wazero), and golang-jwt's sign and parse (BenchmarkGolangJWT, BenchmarkGolangJWTVerify) on the
same room token. Rounds alternate the two builds; each figure is the median ns/op over the rounds
(one op = one token). Prints JSON.

    bench/go/backends.py [ROUNDS] [BENCHTIME]     (default 5 rounds, 20000x)

Needs target/release/libdstoken.a (cargo build --release --locked --lib) and the WebAssembly
core: DSTOKEN_WASM, or bindings/go/wasm/dstoken.wasm."""
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GO = ROOT / "bindings" / "go"
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
benchtime = sys.argv[2] if len(sys.argv) > 2 else "20000x"

BUILDS = {
    "cgo": ({"CGO_ENABLED": "1"}, "^(BenchmarkMint|BenchmarkVerify|BenchmarkGolangJWT|BenchmarkGolangJWTVerify)$"),
    "wasm": ({"CGO_ENABLED": "0"}, "^(BenchmarkMint|BenchmarkVerify)$"),
}
LINE = re.compile(r"^(Benchmark\w+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op")

samples = {}
for _ in range(rounds):
    for build, (env, pattern) in BUILDS.items():
        out = subprocess.run(["go", "test", "-run", "^$", "-bench", pattern, "-benchtime", benchtime, "-count", "1", "."],
                             cwd=GO, env={**os.environ, **env}, check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            m = LINE.match(line)
            if m:
                samples.setdefault((build, m.group(1)), []).append(float(m.group(2)))


def med(build, bench):
    v = samples.get((build, bench))
    if not v:
        raise SystemExit(f"no result for {bench} ({build})")
    return round(statistics.median(v))


cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor()) \
    if os.path.exists("/proc/cpuinfo") else platform.processor()
go_version = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.strip()
print(json.dumps({
    "benchmark": "go-backends",
    "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    "go": go_version,
    "cpu": cpu,
    "cpus": os.cpu_count(),
    "rounds": rounds,
    "benchtime": benchtime,
    "statistic": "median over rounds",
    "unit": "ns/token",
    "results": [
        {"path": "dstoken cgo (static native library)", "backend": "cgo",
         "mint_ns_per_token": med("cgo", "BenchmarkMint"), "verify_ns_per_token": med("cgo", "BenchmarkVerify")},
        {"path": "dstoken wazero (WebAssembly core, CGO_ENABLED=0)", "backend": "wasm",
         "mint_ns_per_token": med("wasm", "BenchmarkMint"), "verify_ns_per_token": med("wasm", "BenchmarkVerify")},
        {"path": "golang-jwt v5", "backend": None,
         "mint_ns_per_token": med("cgo", "BenchmarkGolangJWT"), "verify_ns_per_token": med("cgo", "BenchmarkGolangJWTVerify")},
    ],
}, indent=2))
