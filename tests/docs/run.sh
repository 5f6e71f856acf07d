#!/usr/bin/env bash
# The documentation's tests, as scripts/test.sh runs them (after the CMake build, which makes the
# library, the CLI and the jar the examples use):
#   1. the site builds (scripts/docs/build.sh -> dist/docs; generated C API and CLI references, and
#      each language's API reference made by its own tool: pdoc, javadoc, TypeDoc, Doxygen, go doc);
#   2. every internal link and anchor resolves, in README.md, the site's sources and its HTML;
#   3. the package READMEs are in step with the site's language pages;
#   4. every code example in README.md and docs/src runs (tests/docs/check_docs.py examples), and
#      each language page's project file (pom.xml, package.json, go.mod, composer.json,
#      pyproject.toml) builds its quick start with that ecosystem's tool;
#   5. the landing page, each language page and the API references render in headless chromium
#      (tests/docs/browser.js; screenshots in build/docs-screenshots/).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/docs/tools.sh --browser
step() { echo "== docs: $* (${SECONDS}s so far)"; }
step "build the site (dist/docs)"
scripts/docs/build.sh
step "links (README.md, docs/src with the generated pages, dist/docs HTML)"
build/venv/bin/python tests/docs/check_docs.py links --staged build/docs/src --html dist/docs
step "package READMEs generated from the language pages"
build/venv/bin/python scripts/docs/package_readmes.py --check
step "the checker itself fails on broken examples, transcripts, tokens, links, versions, project files, repository paths"
build/venv/bin/python -m pytest -q tests/docs/test_check_docs.py
step "every code example runs (tokens verified with PyJWT)"
# The Go examples link target/release/libdstoken.a, as the Go binding does (the CMake build's
# copy is elsewhere): make it, as the Go part of scripts/test.sh does (quick when up to date).
cargo build --release --locked --lib --quiet
build/venv/bin/python tests/docs/check_docs.py examples
step "the pages in headless chromium"
node tests/docs/browser.js dist/docs build/docs-screenshots
echo "== docs: all passed in ${SECONDS}s"
