#!/usr/bin/env python3
"""No binding reads, rewrites or repeats the core's English error messages.

Each binding words its errors from the error's parts (reason, argument, numbers) with the
templates of schema/dstoken.json. This check collects the message text of every error the
core builds (the string literals passed to Error::new / invalid / malformed in src/) and fails
when a run of six or more of its words appears in a hand-written file of a binding, the C++
header or the command-line tool; generated tables are left out (they come from the schema).
Exit status 0 when clean, 1 with the offending lines.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
WORDS = 6

# The files a binding's author writes by hand.
SCAN = [
    ("bindings/python/dstoken", "*.py"),
    ("bindings/node", "*.js"),
    ("bindings/node", "*.d.ts"),
    ("bindings/go", "*.go"),
    ("bindings/go", "*.c"),
    ("bindings/java/src/main", "*.java"),
    ("bindings/java/jni", "*.c"),
    ("bindings/php/src", "*.php"),
    ("include", "dstoken.hpp"),
    ("cli/src", "*.rs"),
]


def generated():
    """The files scripts/schema/gen.py writes."""
    sys.path.insert(0, str(ROOT / "scripts" / "schema"))
    import gen  # noqa: E402
    return {ROOT / rel for rel in gen.outputs(gen.load())}


def core_phrases():
    """Runs of WORDS words from the core's error messages."""
    phrases = set()
    for path in (ROOT / "src").rglob("*.rs"):
        text = path.read_text(encoding="utf-8")
        text = text.split("#[cfg(test)]")[0]
        for call in re.finditer(r"Error::(?:new|invalid|malformed)\((.*?)\)\s*(?:\.why|\)|;|\n\s*\.)", text, re.S):
            for lit in re.findall(r'"((?:[^"\\]|\\.)*)"', call.group(1)):
                lit = re.sub(r"\\\n\s*", "", lit)
                for piece in re.split(r"\{[^}]*\}|\\\"|\(|\)|;|:", lit):
                    words = re.findall(r"[A-Za-z][A-Za-z'-]*", piece)
                    for i in range(len(words) - WORDS + 1):
                        phrases.add(" ".join(words[i:i + WORDS]).lower())
    return phrases


def main():
    phrases = core_phrases()
    if len(phrases) < 50:
        print(f"found only {len(phrases)} phrases in the core's messages: the extraction is broken")
        return 1
    bad = []
    scanned = 0
    skip = generated()
    for base, pattern in SCAN:
        for path in sorted((ROOT / base).rglob(pattern)):
            if "node_modules" in path.parts or "_test." in path.name or "/test" in str(path.relative_to(ROOT)):
                continue
            if path in skip:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            scanned += 1
            for n, line in enumerate(text.splitlines(), 1):
                words = " ".join(re.findall(r"[A-Za-z][A-Za-z'-]*", line)).lower()
                for p in phrases:
                    if p in words:
                        bad.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}  [{p}]")
                        break
    if bad:
        print("the core's English message text appears in hand-written binding code (word errors "
              "from dst_last_error()'s parts and schema/dstoken.json instead):")
        print("\n".join(bad))
        return 1
    print(f"no core message text in {scanned} hand-written binding files ({len(phrases)} phrases checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
