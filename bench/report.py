#!/usr/bin/env python3
"""Prints the criterion results of bench/rust as one table with ratios side by side.

Reads target/criterion/<group>/<bench>/new/estimates.json (median) from the last
`cargo bench -p dstoken-bench` run. Usage: bench/report.py [target-dir]
"""
import json
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "target") / "criterion"


def median(group, name):
    path = root / group / name / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"]


def table(title, rows, base_name, base):
    print(f"\n{title}")
    print(f"{'benchmark':<34} {'ns/token':>10} {'tokens/s':>12} {'x ' + base_name:>16} {'target':>8}")
    for name, ns, target in rows:
        if ns is None:
            continue
        ratio = ns / base if base else float("nan")
        verdict = "" if target is None else ("met" if ratio <= target else f"MISSED (<= {target})")
        print(f"{name:<34} {ns:>10.1f} {1e9 / ns:>12.0f} {ratio:>16.2f} {verdict:>8}")


hmac = median("workload", "hmac_only")
if hmac is None:
    sys.exit(f"no criterion results under {root}: run `cargo bench -p dstoken-bench` first")
workload = [
    ("HMAC-SHA256 alone (244 B)", hmac, None),
    ("dst_sign_into (C ABI)", median("workload", "ffi_sign_into"), 1.4),
    ("Rust sign_into", median("workload", "core_sign_into"), 1.4),
    ("  of which: set_user_id", median("workload", "core_set_user_id_only"), None),
    ("  of which: sign_into", median("workload", "core_sign_into_only"), None),
    ("dst_mint_into, fresh values (C ABI)", median("workload", "ffi_mint_into"), 1.6),
    ("Rust mint_into, fresh values", median("workload", "core_mint_into"), 1.6),
    ("dst_sign (C ABI)", median("workload", "ffi_sign"), 1.6),
    ("Rust sign", median("workload", "core_sign"), 1.6),
    ("dst_verify (C ABI)", median("workload", "ffi_verify"), 3.0),
    ("Rust verify", median("workload", "core_verify"), 3.0),
    ("naive hmac+sha2+base64", median("workload", "naive_hmac_base64"), None),
    ("jsonwebtoken encode", median("workload", "jsonwebtoken_encode"), None),
    ("jsonwebtoken decode", median("workload", "jsonwebtoken_decode"), None),
]
table("Fixed workload (288-byte token), single thread", workload, "HMAC", hmac)

one = median("threads", "core_sign_into/1")
two = median("threads", "core_sign_into/2")
if one and two:
    print(f"\nOne key, N threads (wall time per token): 1 thread {one:.1f} ns, 2 threads {two:.1f} ns "
          f"-> {one / two:.2f}x throughput on 2 threads")

print(f"\n{'payload':>8} {'sign_into ns':>14} {'HMAC ns':>10} {'ratio':>7} {'ns per payload byte':>20}")
for size in (100, 1000, 10000):
    s, h = median("payload", f"core_sign_into/{size}"), median("payload", f"hmac_only/{size}")
    if s and h:
        print(f"{size:>8} {s:>14.1f} {h:>10.1f} {s / h:>7.2f} {s / size:>20.2f}")
