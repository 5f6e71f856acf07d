"""The dstoken tool of a cross target mints every shared sign vector (tests/vectors/vectors.json)
byte for byte: each vector's fields become the tool's options (the key through --key-file),
all of them run in one shell script in the target's Debian root under its emulator (qemu-aarch64,
wine; x86_64 musl natively), and each printed token must equal the vector's.
usage: python3 tests/cross/cli_vectors.py TARGET      (root: it runs scripts/cross.sh run)"""
import json
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = sys.argv[1]
SUITE = "trixie" if TARGET == "aarch64-linux-gnu" else "sid"
RUN = {
    "aarch64-linux-gnu": "qemu-aarch64 -L /usr/aarch64-linux-gnu build/cross/aarch64-linux-gnu/dstoken",
    "x86_64-linux-musl": "build/cross/x86_64-linux-musl/dstoken",
    "aarch64-linux-musl": "qemu-aarch64 build/cross/aarch64-linux-musl/dstoken",
    "x86_64-windows-gnu": "WINEPREFIX=/root/.wine-dstoken WINEDEBUG=-all wine build/cross/x86_64-windows-gnu/dstoken.exe",
}[TARGET]
OPTIONS = {"team_id": "--team-id", "room": "--room", "user_name": "--user-name", "user_id": "--user-id",
           "initials": "--initials", "role": "--role", "breakout_id": "--breakout-id", "avatar": "--avatar",
           "issued_at": "--issued-at", "not_before": "--not-before", "expires_at": "--expires-at",
           "lifetime_seconds": "--ttl", "not_before_skew_seconds": "--not-before-skew", "now": "--now"}

work = ROOT / "build" / "cross" / "tests" / TARGET / "cli"
work.mkdir(parents=True, exist_ok=True)
# The tool refuses one thing the library signs: an exp that is not after iat (the token would
# never be valid), so the vector that has exp == iat is not the tool's to mint.
NOT_FOR_THE_TOOL = {"exp_equals_iat_and_nbf"}
vectors = [v for v in json.loads((ROOT / "tests/vectors/vectors.json").read_text())["sign"]
           if v["name"] not in NOT_FOR_THE_TOOL]
lines = ["set -u"]
for i, v in enumerate(vectors):
    key = work / f"key-{i}"
    key.write_bytes(bytes.fromhex(v["key_hex"]))
    key.chmod(0o600)  # the tool refuses a key file others can read
    args = ["mint", "--key-file", str(key.relative_to(ROOT))]
    token = dict(v["token"])
    if "expires_at" in token and "now" not in token and "issued_at" in token:
        # An explicit exp must be after the tool's now (the clock, without --now): mint at iat.
        token["now"] = token["issued_at"]
    for name, value in token.items():
        if name == "no_expiry":
            args += ["--no-expiry"] if value else []
        else:
            args += [OPTIONS[name], str(value)]
    for name, value in v.get("custom", []):
        args += ["--json-claim", f"{name}={value}"]
    lines.append(f"printf '== %s\\n' {shlex.quote(v['name'])}")
    # stderr apart (wine writes its own notices there), shown when the vector fails
    err = shlex.quote(str((work / f"stderr-{i}").relative_to(ROOT)))
    lines.append(f"{RUN} {' '.join(shlex.quote(a) for a in args)} 2>{err} | tr -d '\\r'; echo \"rc=${{PIPESTATUS[0]}}\"")
script = work / "mint.sh"
script.write_text("\n".join(lines) + "\n")

out = subprocess.run([str(ROOT / "scripts/cross.sh"), "run", SUITE, f"bash {script.relative_to(ROOT)}"],
                     capture_output=True, text=True, timeout=1800)
if out.returncode != 0:
    sys.exit(f"cli_vectors: the script failed in the {SUITE} root: {out.stderr[-2000:]}")
got, name = {}, None
for line in out.stdout.splitlines():
    if line.startswith("== "):
        name = line[3:]
        got[name] = []
    elif name is not None:
        got[name].append(line)
failed = 0
for v in vectors:
    lines_ = got.get(v["name"], [])
    printed = [l for l in lines_ if not l.startswith("rc=")]
    rc = [l for l in lines_ if l.startswith("rc=")]
    if rc != ["rc=0"] or printed != [v["jwt"]]:
        failed += 1
        i = vectors.index(v)
        err = (work / f"stderr-{i}").read_text(errors="replace")[-1000:] if (work / f"stderr-{i}").exists() else ""
        print(f"FAIL {v['name']}: {rc} {printed[:3]} {err!r}\n     expected {v['jwt']}")
print(f"{TARGET} dstoken tool: {len(vectors) - failed} of {len(vectors)} sign vectors minted byte for byte"
      + (f", {failed} failed" if failed else ""))
sys.exit(1 if failed else 0)
