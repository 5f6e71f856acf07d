#!/usr/bin/env bash
# Builds the documentation site into dist/docs (what `scripts/package.sh docs` runs):
#   1. the tools at their pinned versions (scripts/docs/tools.sh: mdbook, matplotlib, and the
#      API references' pdoc, TypeDoc, Doxygen);
#   2. build/docs/src = docs/src plus the generated pages:
#        c-api.md          from include/dstoken.h (scripts/docs/gen_c_api.py)
#        cli-reference.md  from the man pages the dstoken tool writes (`dstoken man`,
#                          scripts/docs/gen_cli_ref.py); the tool is built when missing
#        changelog.md      CHANGELOG.md, with a line saying it is the repository's
#        perf/ns-per-token.svg  the chart of docs/src/perf/results.json (bench/report.py)
#        api/<lang>/ and <lang>-api.md  each language's API reference, made from the binding's
#                          code by its ecosystem's tool (scripts/docs/gen_api_refs.sh: pdoc,
#                          javadoc, TypeDoc, Doxygen, `go doc`)
#   3. mdbook build into dist/docs (offline: the theme, fonts and search are in the output), with
#      docs/css (wide tables scroll), and 404.html without mdBook's <base href="/">.
# DSTOKEN_CLI=<path to dstoken> names the tool to take the man pages from.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/docs/tools.sh

stage=build/docs
rm -rf "$stage"
mkdir -p "$stage"
cp docs/book.toml "$stage/"
cp -r docs/src "$stage/src"
cp -r docs/css "$stage/css"

build/venv/bin/python scripts/docs/gen_c_api.py include/dstoken.h > "$stage/src/c-api.md"

cli=${DSTOKEN_CLI:-}
if [[ -z "$cli" ]]; then
  # A dstoken at least as new as its sources: CMake's (build/cargo) or cargo's (target).
  for c in build/cargo/release/dstoken target/release/dstoken; do
    if [[ -x "$c" ]] && [[ -z "$(find cli/src cli/Cargo.toml -newer "$c" -print -quit)" ]]; then cli=$c; break; fi
  done
fi
if [[ -z "$cli" ]]; then
  cargo build --release --locked --quiet -p dstoken-cli
  cli=target/release/dstoken
fi
mkdir -p "$stage/man1"
"$cli" man --out-dir "$stage/man1" >/dev/null
build/venv/bin/python scripts/docs/gen_cli_ref.py "$stage/man1" > "$stage/src/cli-reference.md"

# The history names the repository's files throughout: the page says once, under its title,
# that they are the repository's and links it (tests/docs/check_docs.py leaves this page's
# paths unlinked for that reason).
repo=https://github.com/dstoken/dstoken
awk -v note="The repository's [\`CHANGELOG.md\`]($repo/blob/main/CHANGELOG.md). The files, scripts and directories it names are the repository's: [$repo]($repo)." \
  'NR == 1 { print; print ""; print note; next } { print }' CHANGELOG.md > "$stage/src/changelog.md"

scripts/docs/gen_api_refs.sh "$stage/src"

mkdir -p "$stage/src/perf"
build/venv/bin/python bench/report.py chart docs/src/perf/results.json "$stage/src/perf/ns-per-token.svg"

rm -rf dist/docs
mkdir -p dist
if ! build/tools/bin/mdbook build "$stage" --dest-dir "$PWD/dist/docs" > "$stage/mdbook.log" 2>&1; then
  cat "$stage/mdbook.log" >&2
  echo "docs: mdbook build failed" >&2
  exit 1
fi
grep -v ' INFO ' "$stage/mdbook.log" >&2 || true
[[ -f dist/docs/index.html ]] || { echo "docs: mdbook made no dist/docs/index.html" >&2; exit 1; }
# mdBook's 404 page carries <base href="/"> (its site-url), so opened from disk or under a
# sub-path its styles and links point at the wrong place. Every page sits at the site's top
# level, so its relative links are right without it.
sed -i '/<base href="\/">/d' dist/docs/404.html
if grep -q '<base ' dist/docs/404.html; then
  echo "docs: 404.html still has a <base> tag" >&2
  exit 1
fi
echo "dist/docs ($(find dist/docs -name '*.html' | wc -l) pages)"
