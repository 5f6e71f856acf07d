#!/usr/bin/env python3
"""dstoken's benchmark results: checks a run's data and generates every published number from it.

    bench/report.py publish [RUN_DIR]   checks the run (default: the one bench/run.sh wrote last,
                                        named in build/bench/last-run), names it in
                                        bench/results/PUBLISHED and regenerates the marked blocks
                                        of README.md and docs/src/performance.md and the chart's
                                        data docs/src/perf/results.json from it
    bench/report.py check               regenerates them in memory from the published run and
                                        fails when a committed file differs byte for byte
    bench/report.py show [RUN_DIR]      prints the generated blocks (no file is written)
    bench/report.py chart RESULTS.json OUT.svg   the chart (matplotlib), from docs/src/perf/results.json
    bench/report.py criterion TARGET_DIR OUT.json   criterion's own JSON (target/criterion) in the
                                        schema of bench/README.md
    bench/report.py run-info OUT.json --command CMD [--quick] [--start-load L] [--seconds NAME=S ...]
                                        the run's machine, date, commit and settings (bench/run.sh)

The data format (one JSON file per benchmark program plus run.json) is described in
bench/README.md. Every number on the pages is read from those files: `publish` and `check` fail
when a row the pages show is missing, when its unit is not the one the table states, or when a
file breaks the schema (a median that is not the median of its rounds, an unknown unit).
Nothing here is a timed assertion: the targets are reported as met or missed, never fail a run.
"""
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PUBLISHED = RESULTS / "PUBLISHED"
PAGES = [ROOT / "README.md", ROOT / "docs" / "src" / "performance.md"]
CHART_DATA = ROOT / "docs" / "src" / "perf" / "results.json"

SCHEMA = 1
UNITS = {"ns/token", "tokens/s", "instructions/token"}
CLOCKS = {"wall", "cpu", "instructions"}
KINDS = {"dstoken", "library", "hand-written", "reference"}
OPS = {"mint", "sign", "verify", "hmac"}
FIELDS = {"id": str, "name": str, "impl": str, "kind": str, "op": str, "threads": int, "unit": str,
          "clock": str, "median": (int, float), "rounds": list}


class DataError(Exception):
    """The run's data cannot give what a page shows: the message says which file and row."""


# -- loading and checking a run --------------------------------------------------------------------


def check_file(path, data):
    where = f"{path.name}"
    for key in ("schema", "benchmark", "language", "program", "settings", "results"):
        if key not in data:
            raise DataError(f"{where}: no {key!r}")
    if data["schema"] != SCHEMA:
        raise DataError(f"{where}: schema {data['schema']!r}, expected {SCHEMA}")
    if data["benchmark"] != path.stem:
        raise DataError(f"{where}: benchmark {data['benchmark']!r} does not match the file name")
    seen = set()
    for r in data["results"]:
        for field, typ in FIELDS.items():
            if not isinstance(r.get(field), typ) or isinstance(r.get(field), bool):
                raise DataError(f"{where}: result {r.get('id')!r}: field {field!r} missing or not {typ}")
        rid = (r["id"], r["threads"], r["unit"], r["clock"])
        if rid in seen:
            raise DataError(f"{where}: result {rid} appears twice")
        seen.add(rid)
        if r["unit"] not in UNITS:
            raise DataError(f"{where}: result {r['id']!r}: unknown unit {r['unit']!r} (known: {sorted(UNITS)})")
        if r["clock"] not in CLOCKS or r["kind"] not in KINDS or r["op"] not in OPS:
            raise DataError(f"{where}: result {r['id']!r}: clock/kind/op {r['clock']}/{r['kind']}/{r['op']} not known")
        if not r["rounds"] or not all(isinstance(x, (int, float)) and x > 0 for x in r["rounds"]):
            raise DataError(f"{where}: result {r['id']!r}: rounds must be positive numbers")
        med = statistics.median(r["rounds"])
        if abs(med - r["median"]) > 1e-6 * max(abs(med), 1.0) + 0.051:
            raise DataError(f"{where}: result {r['id']!r}: median {r['median']} is not the median of its rounds ({med})")


def load_run(run_dir):
    run_dir = Path(run_dir)
    info_path = run_dir / "run.json"
    if not info_path.exists():
        raise DataError(f"{run_dir}: no run.json (not a run directory written by bench/run.sh)")
    info = json.loads(info_path.read_text())
    for key in ("schema", "date", "commit", "command", "quick", "machine"):
        if key not in info:
            raise DataError(f"{info_path}: no {key!r}")
    files = {}
    for p in sorted(run_dir.glob("*.json")):
        if p.name == "run.json":
            continue
        data = json.loads(p.read_text())
        check_file(p, data)
        files[p.stem] = data
    return {"dir": run_dir, "info": info, "files": files}


def find(run, bench, rid, unit, threads=1, clock=None):
    """The result `rid` of benchmark file `bench`, which must be in `unit` (and `clock`)."""
    data = run["files"].get(bench)
    if data is None:
        raise DataError(f"{run['dir'].name}: no {bench}.json (the pages show its results)")
    rows = [r for r in data["results"] if r["id"] == rid and r["threads"] == threads]
    if clock is not None:
        rows = [r for r in rows if r["clock"] == clock]
    if not rows:
        raise DataError(f"{bench}.json: no result {rid!r} on {threads} thread(s)"
                        + (f" with a {clock} clock" if clock else ""))
    good = [r for r in rows if r["unit"] == unit]
    if not good:
        raise DataError(f"{bench}.json: result {rid!r} ({threads} thread(s)) is in {rows[0]['unit']}, "
                        f"the table needs {unit}")
    return good[0]


def interleaved(run, bench):
    return bool(run["files"][bench].get("interleaved", True))


def ratio(run, bench, a, b):
    """a / b: the median of the per-round ratios when the file's rounds are interleaved (round i
    of every path ran back to back), else the ratio of the medians."""
    if interleaved(run, bench) and len(a["rounds"]) == len(b["rounds"]):
        return statistics.median(x / y for x, y in zip(a["rounds"], b["rounds"]))
    return a["median"] / b["median"]


# -- formatting -------------------------------------------------------------------------------------


def ns(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"


def x(v):
    return f"{v:.2f}"


def md(s):
    return s.replace("|", "\\|")


# -- what the pages show ---------------------------------------------------------------------------

# One line per language of the README's table: the benchmark file, and the ids of dstoken's path
# (the README's example in that language), of the usual JWT library and of hand-written code
# (that language's own HMAC, JSON and base64), each in ns/token on one thread, with labels.
HEADLINE = [
    ("C", "c", ("mint", "`dst_mint`"), ("libjwt_encode", "libjwt"), "hand_written"),
    ("Rust", "rust-criterion", ("core_mint_into", "`mint_into`"), ("jsonwebtoken_encode", "jsonwebtoken crate"),
     "naive_hmac_base64"),
    ("Java", "java-jmh", ("builder", "`Claims` + `sign`"), ("javaJwt", "java-jwt"), "jdk"),
    ("Python", "python", ("mint", "`mint()`"), ("pyjwt_encode", "PyJWT"), "hand_written"),
    ("Node.js", "node", ("mint", "`mint()`"), ("jsonwebtoken_sign_keyobject", "jsonwebtoken"), "hand_written"),
    ("Go", "go", ("mint", "`Mint`"), ("golang_jwt_sign", "golang-jwt"), "hand_written"),
    # No JWT library row for PHP: firebase/php-jwt comes only from Packagist, which the
    # benchmark machine cannot reach; the usual PHP method is the hand-rolled one.
    ("PHP", "php", ("mint", "`mint()`"), None, "hand_rolled"),
]

# Each benchmark file, in the order of the "every path" section.
PROGRAMS = ["c", "rust-criterion", "rust-mint-ratio", "rust-verify-ratio", "java-jmh", "java-test", "python",
            "node", "go", "php"]

# The targets: (what, file, numerator id, denominator id, at most). Judged on the median of the
# per-round ratios of interleaved rounds.
TARGETS = [
    ("C ABI `dst_sign_into` (set `ud` + sign) ≤ 1.4× HMAC alone", "rust-mint-ratio", "sign_into", "hmac", 1.4),
    ("C ABI `dst_mint_into`, fresh values ≤ 1.6× HMAC alone", "rust-mint-ratio", "mint_into", "hmac", 1.6),
    ("C ABI `dst_verify` ≤ 3× HMAC alone", "rust-verify-ratio", "ffi_verify", "hmac", 3.0),
    ("Rust `verify` ≤ 3× HMAC alone", "rust-verify-ratio", "core_verify", "hmac", 3.0),
    ("Java builder + `Dstoken.sign` ≤ 0.5× hand-written JDK code (JMH)", "java-jmh", "builder", "jdk", 0.5),
    ("Java `Dstoken.verify` ≤ 0.5× java-jwt's verify (JMH)", "java-jmh", "verify", "javaJwtVerify", 0.5),
    ("Python `mint()` ≤ 0.2× PyJWT `jwt.encode`", "python", "mint", "pyjwt_encode", 0.2),
    ("Python `verify()` ≤ 0.5× PyJWT `jwt.decode`", "python", "verify", "pyjwt_decode", 0.5),
    ("PHP `mint()` ≤ 0.5× the hand-rolled `hash_hmac` method", "php", "mint", "hand_rolled", 0.5),
]

# The threads table: per binding, the paths run on 1 and 2 threads sharing one key (results
# "threads:<id>", in tokens/s of wall time and, where measured, CPU ns per token).
THREADS = [
    ("C (pthreads)", "c", ["hmac", "mint_into", "sign_into", "verify"]),
    ("Rust core via the C ABI (`mint_ratio`)", "rust-mint-ratio", ["hmac", "sign_into", "mint_into"]),
    ("Rust verify (`verify_ratio`)", "rust-verify-ratio", ["core_verify", "ffi_verify"]),
    ("Java (JMH threads)", "java-jmh", ["builder", "mint", "jdk", "javaJwt"]),
    ("Go (goroutines)", "go", ["mint", "builder", "verify", "mint_rwmutex"]),
    ("Node.js (worker threads, one `Key` each)", "node", ["mint"]),
    ("Python (threads, GIL)", "python", ["mint", "verify", "pyjwt_encode", "pyjwt_decode"]),
]


def machine_line(info):
    m = info["machine"]
    return (f"{m.get('cpu', '?')} ({m.get('cores', '?')} cores), {m.get('os', '?')}, Linux {m.get('kernel', '?')}; "
            f"load average {m.get('load_start', '?')} when it started, {m.get('load_end', '?')} when it ended")


def run_line(run):
    info = run["info"]
    commit = info["commit"][:12] + (" with uncommitted changes" if info.get("dirty") else "")
    rel = run["dir"].resolve().relative_to(ROOT) if run["dir"].resolve().is_relative_to(ROOT) else run["dir"]
    line = (f"Run of {info['date']}, commit `{commit}`: `{info['command']}` on {machine_line(info)}. "
            f"Raw data: `{rel}/`.")
    if info["quick"]:
        line += (" **Quick mode**: short measurements and few rounds, to exercise the pipeline; the "
                 "numbers are noisy and are not the project's measurement.")
    m = info["machine"]
    try:
        busy = float(str(m.get("load_end", "0")).split()[0]) > float(m.get("cores", 0))
    except ValueError:
        busy = False
    if busy:
        line += (" The machine was busy with other work (load above its core count): the times are inflated; "
                 "compare the ratios within the run.")
    return line


def headline_rows(run):
    out = []
    for lang, bench, (did, dlabel), library, hid in HEADLINE:
        d = find(run, bench, did, "ns/token")
        lid, llabel = library or (None, "—")
        lib = find(run, bench, lid, "ns/token") if lid else None
        hand = find(run, bench, hid, "ns/token") if hid else None
        out.append((lang, bench, dlabel, d, llabel, lib, hand))
    return out


def headline_table(run, names):
    lines = ["| language | dstoken | ns/token | usual library | ns/token | × library | hand-written ns/token | × hand-written |",
             "|---|---|---:|---|---:|---:|---:|---:|"]
    for lang, bench, dlabel, d, llabel, lib, hand in headline_rows(run):
        hand_cells = f"{ns(hand['median'])} | {x(ratio(run, bench, d, hand))}" if hand else "— | —"
        lib_cells = f"{ns(lib['median'])} | **{x(ratio(run, bench, d, lib))}**" if lib else "— | —"
        lines.append(f"| {lang} | {dlabel} | {ns(d['median'])} | {llabel} | {lib_cells} | {hand_cells} |")
    if names:
        lines.append("")
        lines.append("The benchmarks' own names of these paths: " + "; ".join(
            f"{lang} (`{bench}.json`): " + " / ".join(md(r["name"]) for r in (d, lib, hand) if r)
            for lang, bench, _, d, _, lib, hand in headline_rows(run)) + ".")
    return "\n".join(lines)


def program_tables(run):
    out = []
    for bench in PROGRAMS:
        data = run["files"].get(bench)
        if data is None:
            raise DataError(f"{run['dir'].name}: no {bench}.json")
        one = [r for r in data["results"] if not r["id"].startswith("threads:")]
        settings = ", ".join(f"{k} {v}" for k, v in data["settings"].items())
        how = ("median of interleaved rounds" if interleaved(run, bench)
               else "criterion: median of its samples, each benchmark measured on its own")
        out += [f"**{data['language']}**: `{data['program']}` ({settings}; {data.get('runtime', '')}; {how})", "",
                "| path | kind | clock | median | rounds |", "|---|---|---|---:|---:|"]
        for r in one:
            unit = r["unit"].replace("/token", " per token")
            out.append(f"| {md(r['name'])} | {r['kind']} | {r['clock']} | {ns(r['median'])} {unit} | {len(r['rounds'])} |")
        out.append("")
    return "\n".join(out)


def targets_table(run):
    lines = ["| target | measured | rounds | |", "|---|---:|---:|---|"]
    for what, bench, a, b, limit in TARGETS:
        ra, rb = find(run, bench, a, "ns/token"), find(run, bench, b, "ns/token")
        r = ratio(run, bench, ra, rb)
        lines.append(f"| {what} | {x(r)}× | {len(ra['rounds'])} | {'met' if r <= limit else '**missed**'} |")
    return "\n".join(lines)


def threads_table(run):
    lines = ["| binding | path | tokens/s, 1 thread | 2 threads | 2 vs 1 | CPU time per token, 2 vs 1 |",
             "|---|---|---:|---:|---:|---:|"]
    for label, bench, ids in THREADS:
        for rid in ids:
            rid = "threads:" + rid
            one = find(run, bench, rid, "tokens/s", threads=1)
            two = find(run, bench, rid, "tokens/s", threads=2)
            cpu = "—"
            try:
                c1 = find(run, bench, rid, "ns/token", threads=1, clock="cpu")
                c2 = find(run, bench, rid, "ns/token", threads=2, clock="cpu")
                cpu = x(ratio(run, bench, c2, c1))
            except DataError:
                if bench not in ("java-jmh",):  # JMH reports throughput only
                    raise
            lines.append(f"| {label} | {md(one['name'])} | {ns(one['median'])} | {ns(two['median'])} | "
                         f"{x(ratio(run, bench, two, one))}× | {cpu} |")
    return "\n".join(lines)


def payload_lines(run):
    lines = ["| payload | `sign_into` ns | HMAC alone ns | ratio |", "|---:|---:|---:|---:|"]
    for size in (100, 1000, 10000):
        s = find(run, "rust-criterion", f"payload_sign_into_{size}", "ns/token")
        h = find(run, "rust-criterion", f"payload_hmac_{size}", "ns/token")
        lines.append(f"| {size:,} B | {ns(s['median'])} | {ns(h['median'])} | {x(s['median'] / h['median'])} |")
    return "\n".join(lines)


def instructions_table(run):
    lines = ["| path | instructions per token | beyond HMAC alone |", "|---|---:|---:|"]
    h = find(run, "callgrind", "hmac", "instructions/token")
    for rid in ("hmac", "sign_into", "mint_into"):
        r = find(run, "callgrind", rid, "instructions/token")
        extra = "—" if rid == "hmac" else f"{r['median'] - h['median']:,.0f}"
        lines.append(f"| {md(r['name'])} | {r['median']:,.0f} | {extra} |")
    return "\n".join(lines)


def blocks(run):
    """Every generated block: (file, marker) -> text."""
    run_text = run_line(run)
    return {
        ("README.md", "perf-table"): headline_table(run, names=False),
        ("README.md", "perf-run"): run_text,
        ("performance.md", "perf-run"): run_text,
        ("performance.md", "perf-table"): headline_table(run, names=True),
        ("performance.md", "perf-targets"): targets_table(run),
        ("performance.md", "perf-threads"): threads_table(run),
        ("performance.md", "perf-payload"): payload_lines(run),
        ("performance.md", "perf-instructions"): instructions_table(run),
        ("performance.md", "perf-languages"): program_tables(run),
    }


def chart_data(run):
    """docs/src/perf/results.json: the run's headline rows, for the chart (drawn when the site is built)."""
    rows = []
    for lang, bench, dlabel, d, llabel, lib, hand in headline_rows(run):
        for kind, r in (("dstoken", d), ("library", lib), ("hand-written", hand)):
            if r is not None:
                rows.append({"language": lang, "kind": kind, "path": r["name"], "unit": r["unit"],
                             "median": r["median"], "benchmark": f"{bench}.json"})
    info = run["info"]
    return json.dumps({"run": run["dir"].name, "date": info["date"], "commit": info["commit"], "quick": info["quick"],
                       "machine": info["machine"], "rows": rows}, indent=1, ensure_ascii=False) + "\n"


def replace_marked(text, name, body, fname):
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if text.count(start) != 1 or text.count(end) != 1:
        raise DataError(f"{fname}: needs exactly one {start} ... {end} pair")
    a = text.index(start) + len(start)
    b = text.index(end)
    return text[:a] + "\n" + body.rstrip() + "\n" + text[b:]


# The repository, where the docs site links the files a run names (its reader has no checkout).
REPO_URL = "https://github.com/dstoken/dstoken"


def repo_links(text):
    """text with each file or directory of the repository it names (bench/node/bench.js,
    bindings/go, `bench/run.sh`, README) made a Markdown link to it, for the docs site."""
    def link(m):
        tick, name = m.group(1), m.group(2)
        if name == "README":
            return f"[README]({REPO_URL}#readme)"
        if not (ROOT / name).exists():
            return m.group(0)
        kind = "tree" if (ROOT / name).is_dir() else "blob"
        return f"[{tick}{name}{tick}]({REPO_URL}/{kind}/main/{name})"
    return re.sub(r"(?<![\w./\[-])(`?)((?:bench|bindings|tests|scripts)/[\w./-]*[\w-]|README)\b\1", link, text)


def render(run):
    """The pages as they should be: path -> new text. The docs site's page links the paths
    it names (repo_links); the README's stay plain."""
    out = {}
    generated = blocks(run)
    for page in PAGES:
        text = page.read_text()
        for (fname, marker), body in generated.items():
            if fname == page.name:
                if page.name == "performance.md":
                    body = repo_links(body)
                text = replace_marked(text, marker, body, page.name)
        out[page] = text
    out[CHART_DATA] = chart_data(run)
    return out


def published_run():
    if not PUBLISHED.exists():
        raise DataError(f"{PUBLISHED.relative_to(ROOT)} is missing: `bench/report.py publish RUN_DIR` writes it")
    name = PUBLISHED.read_text().strip()
    return load_run(RESULTS / name)


def publish(run_dir):
    run = load_run(run_dir)
    if run["dir"].resolve().parent != RESULTS.resolve():
        raise DataError(f"{run_dir}: a published run lives in bench/results/ (its data is committed there)")
    pages = render(run)
    for path, text in pages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    PUBLISHED.write_text(run["dir"].name + "\n")
    print(f"published {run['dir'].relative_to(ROOT)}: " + ", ".join(str(p.relative_to(ROOT)) for p in pages)
          + f", {PUBLISHED.relative_to(ROOT)}")


def check():
    run = published_run()
    stale = []
    for path, text in render(run).items():
        if not path.exists() or path.read_text() != text:
            stale.append(str(path.relative_to(ROOT)))
    if stale:
        raise DataError("generated from " + str(run["dir"].relative_to(ROOT)) + ", these differ from what is "
                        "committed: " + ", ".join(stale) + " (numbers typed by hand, or edited data? "
                        "`bench/report.py publish " + str(run["dir"].relative_to(ROOT)) + "` regenerates them)")
    print(f"bench/report.py check: README.md, docs/src/performance.md and docs/src/perf/results.json match "
          f"{run['dir'].relative_to(ROOT)}")


# -- the run's own data (bench/run.sh) --------------------------------------------------------------


def machine():
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().split("\n"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    osname = platform.system()
    try:
        osr = dict(l.split("=", 1) for l in Path("/etc/os-release").read_text().split("\n") if "=" in l)
        osname = osr.get("PRETTY_NAME", osname).strip('"')
    except OSError:
        pass
    return {"name": platform.node(), "cpu": cpu, "cores": os.cpu_count(), "os": osname, "kernel": platform.release(),
            "load_end": " ".join(f"{v:.1f}" for v in os.getloadavg())}


def run_info(out, command, quick, start_load, seconds):
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    m = machine()
    m["load_start"] = start_load
    info = {"schema": SCHEMA, "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ"),
            "commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
            "command": command, "quick": quick, "machine": m, "seconds": seconds}
    Path(out).write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n")


def result(rid, name, impl, kind, op, unit, rounds, clock="wall", threads=1):
    rounds = [round(v, 1) for v in rounds]
    return {"id": rid, "name": name, "impl": impl, "kind": kind, "op": op, "threads": threads, "unit": unit,
            "clock": clock, "median": round(statistics.median(rounds), 2), "rounds": rounds}


def criterion(target, out):
    """criterion's samples (target/criterion/<group>/<bench>/new/sample.json: iterations and total
    ns per sample) as ns per token per sample; the median of the samples."""
    root = Path(target) / "criterion"

    def samples(group, name):
        p = root / group / name / "new" / "sample.json"
        if not p.exists():
            raise DataError(f"{p}: missing (run `cargo bench -p dstoken-bench` first)")
        s = json.loads(p.read_text())
        return [t / i for t, i in zip(s["times"], s["iters"])]

    w = [("hmac_only", "HMAC-SHA256 alone (hmac crate, 244 B)", "hmac-crate", "reference", "hmac"),
         ("core_mint_into", "Rust mint_into, fresh values", "dstoken", "dstoken", "mint"),
         ("ffi_mint_into", "dst_mint_into, fresh values (C ABI)", "dstoken", "dstoken", "mint"),
         ("core_sign_into", "Rust sign_into (set ud + sign)", "dstoken", "dstoken", "sign"),
         ("ffi_sign_into", "dst_sign_into (C ABI, set ud + sign)", "dstoken", "dstoken", "sign"),
         ("core_sign", "Rust sign (set ud + sign, String)", "dstoken", "dstoken", "sign"),
         ("ffi_sign", "dst_sign (C ABI, + dst_string_free)", "dstoken", "dstoken", "sign"),
         ("core_verify", "Rust verify", "dstoken", "dstoken", "verify"),
         ("ffi_verify", "dst_verify (C ABI)", "dstoken", "dstoken", "verify"),
         ("naive_hmac_base64", "hand-written hmac + sha2 + base64 + format!", "hand-written", "hand-written", "mint"),
         ("jsonwebtoken_encode", "jsonwebtoken crate encode", "jsonwebtoken", "library", "mint"),
         ("jsonwebtoken_decode", "jsonwebtoken crate decode", "jsonwebtoken", "library", "verify")]
    results = [result(k, n, i, kd, op, "ns/token", samples("workload", k)) for k, n, i, kd, op in w]
    for size in (100, 1000, 10000):
        results.append(result(f"payload_sign_into_{size}", f"Rust sign_into, {size}-byte payload", "dstoken",
                              "dstoken", "sign", "ns/token", samples("payload", f"core_sign_into/{size}")))
        results.append(result(f"payload_hmac_{size}", f"HMAC-SHA256 alone, {size}-byte payload's input",
                              "hmac-crate", "reference", "hmac", "ns/token", samples("payload", f"hmac_only/{size}")))
    quick = bool(os.environ.get("DSTOKEN_BENCH_QUICK"))
    data = {"schema": SCHEMA, "benchmark": Path(out).stem, "language": "Rust",
            "program": "bench/rust/benches/sign.rs (criterion)", "interleaved": False,
            "settings": {"mode": "quick" if quick else "full", "samples": len(results[0]["rounds"])},
            "runtime": subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip(),
            "results": results}
    Path(out).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


# -- the chart --------------------------------------------------------------------------------------


def chart(results, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = json.loads(Path(results).read_text())
    langs = []
    for r in data["rows"]:
        if r["unit"] != "ns/token":
            raise DataError(f"{results}: {r['path']} is in {r['unit']}, the chart draws ns/token")
        if r["language"] not in langs:
            langs.append(r["language"])
    fig, ax = plt.subplots(figsize=(9, 0.9 + 0.75 * max(len(langs), 1)), dpi=100)
    kinds = {"dstoken": ("#2b7bba", -1), "library": ("#e4572e", 0), "hand-written": ("#9e9e9e", 1)}
    legend = {"dstoken": "dstoken", "library": "usual JWT library", "hand-written": "hand-written"}
    height, seen = 0.26, set()
    for r in data["rows"]:
        color, k = kinds[r["kind"]]
        y = langs.index(r["language"]) + k * height
        ax.barh(y, r["median"], height=height * 0.9, color=color,
                label=legend[r["kind"]] if r["kind"] not in seen else "_nolegend_")
        seen.add(r["kind"])
        ax.text(r["median"] * 1.05, y, f"{r['median']:,.0f} ns", va="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_yticks(range(len(langs)), langs)
    ax.invert_yaxis()
    ax.set_xlabel("ns per token (log scale; shorter is faster)")
    title = f"Minting one 288-byte room token — run {data['run']}"
    if data.get("quick"):
        title += " (quick mode: noisy)"
    ax.set_title(title, fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_xlim(right=max([r["median"] for r in data["rows"]] or [1]) * 4)
    ax.grid(axis="x", which="both", alpha=0.25)
    fig.tight_layout()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, metadata={"Date": None} if str(out).endswith(".svg") else None)
    print(out)


def main(argv):
    cmd, args = (argv[0], argv[1:]) if argv else ("", [])
    try:
        if cmd == "publish":
            if args:
                run_dir = Path(args[0])
            else:
                last = ROOT / "build" / "bench" / "last-run"
                if not last.exists():
                    raise DataError("no run given and build/bench/last-run is missing: run bench/run.sh first")
                run_dir = ROOT / last.read_text().strip()
            publish(run_dir)
        elif cmd == "check":
            check()
        elif cmd == "show":
            run = load_run(args[0]) if args else published_run()
            for (fname, marker), body in blocks(run).items():
                print(f"== {fname} {marker}\n{body}\n")
        elif cmd == "chart":
            chart(args[0], args[1])
        elif cmd == "criterion":
            criterion(args[0], args[1])
        elif cmd == "run-info":
            out, command, quick, start, seconds = args[0], "bench/run.sh", False, "?", {}
            rest = args[1:]
            while rest:
                a = rest.pop(0)
                if a == "--command":
                    command = rest.pop(0)
                elif a == "--quick":
                    quick = True
                elif a == "--start-load":
                    start = rest.pop(0)
                elif a == "--seconds":
                    k, v = rest.pop(0).split("=", 1)
                    seconds[k] = int(v)
                else:
                    raise DataError(f"run-info: unknown argument {a!r}")
            run_info(out, command, quick, start, seconds)
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except DataError as e:
        print(f"bench/report.py {cmd}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
