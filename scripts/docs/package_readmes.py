#!/usr/bin/env python3
"""Writes each package's README (what PyPI, npm, pkg.go.dev, Packagist and a Maven user see)
from the docs site's page for that language, so the two cannot drift:

    bindings/python/README.md  <- docs/src/python.md
    bindings/node/README.md    <- docs/src/node.md
    bindings/go/README.md      <- docs/src/go.md
    bindings/java/README.md    <- docs/src/java.md
    bindings/php/README.md     <- docs/src/php.md   (when bindings/php exists)

Each README is the language page, made self-contained: a title and an introduction, links to
other pages of the site turned into plain text naming the page, the status table of the
Concepts page appended, and the docs' markers removed.

    scripts/docs/package_readmes.py           write them
    scripts/docs/package_readmes.py --check   fail if any differs from what would be written
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"python": ("bindings/python", "dstoken for Python"), "node": ("bindings/node", "dstoken for Node.js"),
            "go": ("bindings/go", "dstoken for Go"), "java": ("bindings/java", "dstoken for Java"),
            "php": ("bindings/php", "dstoken for PHP")}
# The pages scripts/docs/build.sh generates (not in docs/src): their titles.
PAGE_TITLES = {"c-api.md": "C API reference", "cli-reference.md": "CLI reference",
               "cpp-api.md": "C++ API reference", "java-api.md": "Java API reference",
               "python-api.md": "Python API reference", "node-api.md": "Node.js API reference",
               "go-api.md": "Go API reference", "php-api.md": "PHP API reference"}


def page_title(name):
    if name not in PAGE_TITLES:
        p = ROOT / "docs/src" / name
        first = p.read_text().split("\n", 1)[0] if p.exists() else name
        PAGE_TITLES[name] = first.lstrip("# ").strip()
    return PAGE_TITLES[name]


def delink(text):
    """[text](page.md#anchor) -> text (dstoken docs: Page); in-page anchors stay as text."""
    def repl(m):
        label, target = m.group(1), m.group(2)
        if re.match(r"^[a-z]+:", target):
            return m.group(0)
        page = target.split("#", 1)[0]
        if not page:
            return label
        title = page_title(page)
        return f"{label} (dstoken docs)" if label == title else f"{label} (dstoken docs: {title})"
    return re.sub(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)", repl, text)


def errors_table():
    concepts = (ROOT / "docs/src/concepts.md").read_text()
    a = concepts.index("## Errors")
    b = concepts.index("\n## ", a + 1)
    return concepts[a:b].strip().replace("## Errors", "## Status codes", 1)


def render(lang):
    _, title = PACKAGES[lang]
    page = (ROOT / "docs/src" / f"{lang}.md").read_text()
    body = page.split("\n", 1)[1].lstrip("\n")
    body = re.sub(r"^<!--.*?-->\n", "", body, flags=re.M)
    intro = ("Mint and verify [Digital Samba](https://digitalsamba.com) room tokens (HS256 JWTs signed with "
             "your team's developer key) with dstoken: one native call per token for the registered claims, "
             "a fraction of the time of the usual JWT library, the same bytes as every other dstoken "
             "binding, and strict verification. The full documentation (concepts, every language, the C "
             "API, security, performance, troubleshooting) is the dstoken site, built by "
             "`scripts/package.sh docs` into `dist/docs`.")
    text = (f"<!-- Generated from docs/src/{lang}.md by scripts/docs/package_readmes.py: edit that page, "
            "then run the script. -->\n"
            f"# {title}\n\n{intro}\n\n{delink(body).rstrip()}\n\n{delink(errors_table())}\n\n"
            "## License\n\nMIT OR Apache-2.0.\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for lang, (pkg, _) in PACKAGES.items():
        d = ROOT / pkg
        if not d.is_dir():
            continue
        out = d / "README.md"
        want = render(lang)
        if check:
            if not out.exists() or out.read_text() != want:
                stale.append(str(out.relative_to(ROOT)))
        else:
            out.write_text(want)
            print(out.relative_to(ROOT))
    if stale:
        print("package READMEs out of step with docs/src (run scripts/docs/package_readmes.py): "
              + ", ".join(stale), file=sys.stderr)
        return 1
    if check:
        print("package READMEs: in step with docs/src")
    return 0


if __name__ == "__main__":
    sys.exit(main())
