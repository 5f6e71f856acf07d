#!/usr/bin/env python3
"""Generates every table the core and the bindings need from schema/dstoken.json.

    scripts/schema/gen.py           write the generated files
    scripts/schema/gen.py --check   fail (exit 1) when a generated file is out of step

Each language's output is written by an `emit_<language>.py` module beside this file: a
function `emit(schema) -> dict[path, text]` (paths relative to the repository root). A new
binding adds one such module; nothing else here changes.
"""
import difflib
import importlib.util
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent
SCHEMA = ROOT / "schema" / "dstoken.json"


def load():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for table in ("arguments", "types", "statuses", "reasons"):
        values = [row["value"] for row in schema[table]]
        if values != list(range(len(values))):
            sys.exit(f"{SCHEMA}: {table} must be numbered 0, 1, 2, ... in order")
        names = [row["name"] for row in schema[table]]
        if len(set(names)) != len(names):
            sys.exit(f"{SCHEMA}: {table} has a duplicate name")
    args = {a["name"] for a in schema["arguments"]}
    for a in schema["arguments"]:
        missing = [s for s in schema["spellings"] if s not in a]
        if missing:
            sys.exit(f"{SCHEMA}: argument {a['name']} has no spelling for {missing}")
    for c in schema["claims"]:
        if c["arg"] not in args:
            sys.exit(f"{SCHEMA}: claim {c['jwt']} names unknown argument {c['arg']}")
    return schema


def camel(name):
    """NOT_YET_VALID -> NotYetValid."""
    return "".join(part.capitalize() for part in name.split("_"))


def outputs(schema):
    out = {}
    for path in sorted(HERE.glob("emit_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for rel, text in module.emit(schema).items():
            if rel in out:
                sys.exit(f"{path.name}: {rel} is already written by another emitter")
            out[rel] = text
    return out


def main(argv):
    check = "--check" in argv
    stale = []
    for rel, text in outputs(load()).items():
        path = ROOT / rel
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            continue
        if check:
            stale.append(rel)
            diff = difflib.unified_diff((old or "").splitlines(True), text.splitlines(True),
                                        f"{rel} (committed)", f"{rel} (from the schema)")
            sys.stderr.writelines(list(diff)[:40])
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {rel}")
    if stale:
        print("out of step with schema/dstoken.json: " + ", ".join(stale)
              + "\nrun scripts/schema/gen.py and commit the result", file=sys.stderr)
        return 1
    if check:
        print("generated files match schema/dstoken.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
