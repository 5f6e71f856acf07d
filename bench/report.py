#!/usr/bin/env python3
"""dstoken's benchmark results as data, a chart and tables.

    bench/report.py [criterion] [TARGET_DIR]   the criterion results of bench/rust as one table
                                               (target/criterion/<group>/<bench>/new/estimates.json)
    bench/report.py collect RAW_DIR OUT.json [--command CMD]
                                               reads what bench/run.sh saved of each benchmark
                                               (RAW_DIR/<language>.txt) plus the criterion results and
                                               writes OUT.json and OUT.csv: one row per language
                                               and path with ns per token and its kind (dstoken,
                                               library = that language's usual JWT library,
                                               hand-written = its standard HMAC/JSON/base64 by hand,
                                               reference = HMAC alone), plus machine, date, command
    bench/report.py chart RESULTS.json OUT.svg the log-scale chart: ns per token, per language,
                                               dstoken beside the usual library and hand-written
                                               code (matplotlib; .svg or .png by the suffix)
    bench/report.py table RESULTS.json         the Markdown table of the README and the docs
    bench/report.py publish [RESULTS.json]     puts a run (default build/bench/results.json) into
                                               docs/src/perf/results.json and rewrites the marked
                                               tables in README.md and docs/src/performance.md, so
                                               the chart and every table come from that one run

Never a timed assertion: the numbers are printed and drawn, not judged.
"""
import csv
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# -- criterion (the Rust core and the C ABI) -------------------------------------------------------


def criterion_median(root, group, name):
    path = root / group / name / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"]


def criterion_table(target):
    root = Path(target) / "criterion"

    def median(group, name):
        return criterion_median(root, group, name)

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


# -- collect: every language's output as rows ---------------------------------------------------

LANGUAGES = ["C", "Rust", "Java", "Python", "Node.js", "Go", "PHP"]
SOURCES = {"C": "build/dstoken_bench (bench/c/bench.c)", "Rust": "criterion (bench/rust)",
           "Java": "BenchmarkTest (bindings/java)", "Python": "bench/python/bench.py",
           "Node.js": "bench/node/bench.js", "Go": "go test -bench . (bindings/go)", "PHP": "bench/php"}
# Per language, in order: (regex on the path's name, kind). The first match wins; unmatched rows
# are "dstoken" when they name dstoken's API, else "other".
RULES = [
    (r"verify|decode|parse", "verify"),
    (r"HMAC.*alone|hmac_only", "reference"),
    (r"hand-?written|hand-?rolled|naive|hash_hmac|node:crypto|JDK \(", "hand-written"),
    (r"PyJWT|java-jwt|jsonwebtoken|golang-?jwt|GolangJWT|libjwt|php-jwt|firebase|joserfc|jose", "library"),
    (r"thread", "threads"),
]
# Short names of the picked paths for the table (the benchmarks' own names are long).
LABELS = {
    "C": ("`dst_mint`", "libjwt"), "Rust": ("`mint_into`", "jsonwebtoken crate"),
    "Java": ("`Claims` + `sign`", "java-jwt"), "Python": ("`mint()`", "PyJWT"),
    "Node.js": ("`mint()`", "jsonwebtoken"), "Go": ("`Mint`", "golang-jwt"), "PHP": ("`mint()`", "—"),
}
# The path each language's chart and table show (the README's example in that language), the
# usual library, and the hand-written code; regexes over the names, first match wins.
PICK = {
    "C": (r"^dst_mint \(", r"libjwt jwt_encode", r"hand"),
    "Rust": (r"mint_into", r"jsonwebtoken encode", r"naive"),
    "Java": (r"README builder", r"java-jwt", r"hand-written"),
    "Python": (r"one-call mint|one call|dstoken\.mint", r"PyJWT", r"hand"),
    "Node.js": (r"mint\(", r"jsonwebtoken\.sign.*KeyObject|jsonwebtoken.*KeyObject", r"hand-written"),
    "Go": (r"^Mint$", r"GolangJWT", r"[Hh]and"),
    "PHP": (r"mint", r"php-jwt|firebase", r"hand"),
}


def number(text):
    t = text.replace("\u202f", "").replace(" ", "").replace(",", "").replace("*", "")
    m = re.match(r"^([0-9]+(?:\.[0-9]+)?)", t)
    return float(m.group(1)) if m else None


def markdown_rows(text):
    """Rows (name, ns/token) of every Markdown table whose header has an ns or µs column."""
    rows, header = [], None
    for line in text.split("\n"):
        line = line.strip()
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if header is None:
            header = cells
            col = next((i for i, h in enumerate(header) if re.search(r"\bns\b|ns/|µs|us/token", h)), None)
            scale = 1000.0 if col is not None and re.search(r"µs|us/token", header[col]) else 1.0
            continue
        if all(re.fullmatch(r":?-+:?", c) for c in cells if c):
            continue
        if col is None or col >= len(cells):
            continue
        v = number(cells[col])
        if v is not None:
            rows.append((re.sub(r"\s+", " ", cells[0].replace("`", "")).strip(), v * scale))
    return rows


def plain_rows(text, header, row):
    """Rows (name, ns/token) of a plain-text table: the lines after one that starts with `header`
    and has an ns/token column, while they match `row` (name, then ns/token)."""
    rows, on = [], False
    for line in text.split("\n"):
        if line.startswith(header) and "ns/token" in line:
            on = True
            continue
        if on:
            m = re.match(row, line)
            if not m:
                on = False
                continue
            rows.append((m.group(1).strip(), float(m.group(2))))
    return rows


def c_rows(text):
    """build/dstoken_bench: `operation  ns/token  tokens/s ...`."""
    return plain_rows(text, "operation", r"^(\S.*?)\s{2,}(\d+(?:\.\d+)?)\s+(\d+)\s")


def php_rows(text):
    """bench/php/bench.php: `path  ns/token  tokens/s  x hand-rolled (median)` (tokens/s with commas)."""
    return plain_rows(text, "path", r"^(\S.*?)\s{2,}(\d+(?:\.\d+)?)\s+[\d,]+\s")


def go_rows(text):
    return [(m.group(1), float(m.group(2)))
            for m in re.finditer(r"^Benchmark(\w+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op", text, re.M)]


def rust_rows(target):
    root = Path(target) / "criterion"
    names = [("hmac_only", "HMAC-SHA256 alone (244 B)"), ("core_mint_into", "Rust mint_into, fresh values"),
             ("ffi_mint_into", "dst_mint_into, fresh values (C ABI)"), ("core_sign_into", "Rust sign_into"),
             ("ffi_sign_into", "dst_sign_into (C ABI)"), ("core_verify", "Rust verify"),
             ("naive_hmac_base64", "naive hmac+sha2+base64"), ("jsonwebtoken_encode", "jsonwebtoken encode"),
             ("jsonwebtoken_decode", "jsonwebtoken decode")]
    return [(label, v) for key, label in names if (v := criterion_median(root, "workload", key)) is not None]


def kind_of(name):
    for pat, kind in RULES:
        if re.search(pat, name, re.I):
            return kind
    return "dstoken"


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
    return {"cpu": cpu, "cores": os.cpu_count(), "os": osname, "kernel": platform.release(),
            "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg())}


def collect(raw_dir, out, command):
    raw_dir = Path(raw_dir)
    rows = []

    def add(language, found):
        for name, ns in found:
            rows.append({"language": language, "path": name, "kind": kind_of(name),
                         "ns_per_token": round(ns, 1), "source": SOURCES[language]})

    files = {"C": ("c.txt", c_rows), "Java": ("java.txt", markdown_rows), "Python": ("python.txt", markdown_rows),
             "Node.js": ("node.txt", markdown_rows), "Go": ("go.txt", go_rows), "PHP": ("php.txt", php_rows)}
    for language, (fname, parse) in files.items():
        f = raw_dir / fname
        if f.exists():
            add(language, parse(f.read_text(errors="replace")))
    add("Rust", rust_rows(ROOT / "target"))
    data = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ"),
            "command": command, "machine": machine(), "rows": rows}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    with out.with_suffix(".csv").open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["language", "path", "kind", "ns_per_token", "source"])
        w.writeheader()
        w.writerows(rows)
    langs = sorted({r["language"] for r in rows})
    print(f"{out}: {len(rows)} rows ({', '.join(langs)}); {out.with_suffix('.csv')}")


# -- the picks: per language, dstoken beside the library and hand-written code ------------------


def picks(data):
    by_lang = {}
    for r in data["rows"]:
        by_lang.setdefault(r["language"], []).append(r)
    out = []
    for lang in LANGUAGES:
        rs = by_lang.get(lang)
        if not rs:
            continue
        dst_pat, lib_pat, hand_pat = PICK[lang]

        def first(kind, pat):
            cands = [r for r in rs if r["kind"] == kind]
            return next((r for r in cands if re.search(pat, r["path"])), cands[0] if cands else None)

        d = first("dstoken", dst_pat)
        if d is None:
            continue
        out.append((lang, d, first("library", lib_pat), first("hand-written", hand_pat)))
    return out


def loaded(data):
    m = data.get("machine", {})
    try:
        return float(m["load_average"].split()[0]) > m["cores"]
    except (KeyError, ValueError, IndexError, TypeError):
        return False


def run_line(data):
    m = data["machine"]
    line = (f"Run of {data['date']}: `{data['command']}` on {m['cpu']} ({m['cores']} cores), {m['os']}, "
            f"Linux {m['kernel']}; load average {m['load_average']} when it ended.")
    if "--quick" in data["command"]:
        line += " A quick run: short measurements, noisier numbers."
    if loaded(data):
        line += (" The machine was busy with other work (load above its core count): the times are "
                 "inflated and only the ratios within the run are meaningful.")
    return line


def table(data, paths=True):
    lines = ["| language | dstoken | ns/token | usual library | ns/token | × library | hand-written ns/token | × hand-written |",
             "|---|---|---:|---|---:|---:|---:|---:|"]
    for lang, d, lib, hand in picks(data):
        dst_label, lib_label = LABELS.get(lang, (d["path"], lib["path"] if lib else ""))
        lib_cells = (f"{lib_label} | {lib['ns_per_token']:,.0f} | **{d['ns_per_token'] / lib['ns_per_token']:.2f}**"
                     if lib else "— | — | —")
        hand_cells = (f"{hand['ns_per_token']:,.0f} | {d['ns_per_token'] / hand['ns_per_token']:.2f}"
                      if hand else "— | —")
        lines.append(f"| {lang} | {dst_label} | {d['ns_per_token']:,.0f} | {lib_cells} | {hand_cells} |")
    if not paths:
        return "\n".join(lines)
    lines.append("")
    lines.append("Benchmarks' names of these paths: " + "; ".join(f"{lang}: {d['path']} vs {lib['path'] if lib else '—'}"
                                      + (f" and {hand['path']}" if hand else "")
                                      for lang, d, lib, hand in picks(data)).replace("|", "\\|") + ".")
    return "\n".join(lines)


def language_tables(data):
    """Every row of the run, one table per language: each path beside the usual library (a
    verify path beside the library's verify)."""
    out = []
    by_lang = {}
    for r in data["rows"]:
        by_lang.setdefault(r["language"], []).append(r)
    for lang in LANGUAGES:
        rs = by_lang.get(lang)
        if not rs:
            continue
        _, lib_pat, _ = PICK[lang]
        lib_sign = next((r for r in rs if r["kind"] == "library" and re.search(lib_pat, r["path"])),
                        next((r for r in rs if r["kind"] == "library"), None))
        lib_verify = next((r for r in rs if r["kind"] == "verify" and re.search(
            r"PyJWT|jwt\.decode|java-jwt|jsonwebtoken|golang|libjwt|php-jwt|firebase", r["path"], re.I)), None)
        out += [f"**{lang}** ({rs[0]['source']})", "",
                "| path | kind | ns/token | × usual library |", "|---|---|---:|---:|"]
        for r in rs:
            base = lib_verify if r["kind"] == "verify" else lib_sign
            ratio = f"{r['ns_per_token'] / base['ns_per_token']:.2f}" if base else "—"
            name = r["path"].replace("|", "\\|")
            out.append(f"| {name} | {r['kind']} | {r['ns_per_token']:,.0f} | {ratio} |")
        out.append("")
    return "\n".join(out)


def chart(results, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = json.loads(Path(results).read_text())
    sel = picks(data)
    fig, ax = plt.subplots(figsize=(9, 0.9 + 0.75 * max(len(sel), 1)), dpi=100)
    kinds = [("dstoken", "#2b7bba", 1), ("usual JWT library", "#e4572e", 2), ("hand-written", "#9e9e9e", 3)]
    height = 0.26
    labels, seen = [], set()
    for i, (lang, d, lib, hand) in enumerate(sel):
        labels.append(lang)
        for (label, color, k), row in zip(kinds, (d, lib, hand)):
            if row is None:
                continue
            y = i + (k - 2) * height
            ax.barh(y, row["ns_per_token"], height=height * 0.9, color=color,
                    label=label if label not in seen else "_nolegend_")
            seen.add(label)
            ax.text(row["ns_per_token"] * 1.05, y, f"{row['ns_per_token']:,.0f} ns", va="center", fontsize=8)
    if not sel:
        ax.text(0.5, 0.5, "no benchmark results in " + str(results), ha="center", va="center", transform=ax.transAxes)
    ax.set_xscale("log")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("ns per token (log scale; shorter is faster)")
    m = data.get("machine", {})
    title = f"Minting one 288-byte room token — {data.get('date', '')}, {m.get('cpu', '')}"
    if m.get("load_average"):
        title += f", load {m['load_average'].split()[0]}" + (" (busy: compare ratios)" if loaded(data) else "")
    ax.set_title(title, fontsize=10)
    handles, names = ax.get_legend_handles_labels()
    uniq = {n: h for h, n in zip(handles, names) if not n.startswith("_")}
    if uniq:
        ax.legend(uniq.values(), uniq.keys(), loc="lower right", fontsize=8)
    xmax = max([r["ns_per_token"] for _, d, l, h in sel for r in (d, l, h) if r] or [1])
    ax.set_xlim(right=xmax * 4)
    ax.grid(axis="x", which="both", alpha=0.25)
    fig.tight_layout()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, metadata={"Date": None} if str(out).endswith(".svg") else None)
    print(out)


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


def replace_marked(path, name, body):
    text = path.read_text()
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in text:
        return False
    a = text.index(start) + len(start)
    b = text.index(end)
    path.write_text(text[:a] + "\n" + body.rstrip() + "\n" + text[b:])
    return True


def publish(results):
    data = json.loads(Path(results).read_text())
    dest = ROOT / "docs/src/perf/results.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    if Path(results).resolve() != dest.resolve():
        shutil.copy(results, dest)
    run = run_line(data)
    replace_marked(ROOT / "README.md", "perf-table", table(data, False))
    replace_marked(ROOT / "README.md", "perf-run", run)
    docs = ROOT / "docs/src/performance.md"
    replace_marked(docs, "perf-table", repo_links(table(data, True)))
    replace_marked(docs, "perf-run", repo_links(run))
    replace_marked(docs, "perf-languages", repo_links(language_tables(data)))
    print(f"published {results} -> {dest.relative_to(ROOT)}, README.md, docs/src/performance.md")


def main(argv):
    if not argv or argv[0] not in ("criterion", "collect", "chart", "table", "publish"):
        criterion_table(argv[0] if argv else ROOT / "target")
        return 0
    cmd, args = argv[0], argv[1:]
    if cmd == "criterion":
        criterion_table(args[0] if args else ROOT / "target")
    elif cmd == "collect":
        command = "bench/run.sh"
        if "--command" in args:
            i = args.index("--command")
            command = args[i + 1]
            del args[i:i + 2]
        collect(args[0], args[1], command)
    elif cmd == "chart":
        chart(args[0], args[1])
    elif cmd == "table":
        data = json.loads(Path(args[0]).read_text())
        print(run_line(data) + "\n\n" + table(data))
    elif cmd == "publish":
        publish(args[0] if args else ROOT / "build/bench/results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
