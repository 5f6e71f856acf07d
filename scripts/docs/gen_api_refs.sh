#!/usr/bin/env bash
# Generates each language's API reference from the binding's own code, with that ecosystem's own
# tool (installed at pinned versions by scripts/docs/tools.sh), into the staged book sources for
# scripts/docs/build.sh (mdBook copies SRC/api/ into the site as it is):
#   python  pdoc over bindings/python/dstoken             -> SRC/api/python/
#   java    the JDK's javadoc over bindings/java/src/main  -> SRC/api/java/
#   node    TypeDoc over bindings/node/index.d.ts          -> SRC/api/node/
#   cpp     Doxygen over include/dstoken.hpp (+ its generated dstoken_schema.hpp) -> SRC/api/cpp/
#   php     Doxygen over bindings/php/src                  -> SRC/api/php/
#           (phpDocumentor and doctum install only from Packagist, which this project's machines
#           cannot reach, nor are they Debian packages; Doxygen reads PHP and its docblocks)
#   go      `go doc -all` over bindings/go, rendered by scripts/docs/gen_go_ref.py -> SRC/go-api.md
# and for each HTML reference a page of the book, SRC/<lang>-api.md, that says what made it and
# links to it. Each tool's broken-reference and doc-lint warnings fail the build (TypeDoc
# --treatWarningsAsErrors, javadoc -Xdoclint:all -Werror, any pdoc warning, Doxygen
# WARN_AS_ERROR for C++); Doxygen's PHP warnings are kept in build/docs/php-doxygen-warnings.txt
# (it misreads PHPDoc's generic types such as array<string, mixed>). Every generated HTML page
# links scripts/docs/api-ref.css (code scrolls in its box; no page wider than a phone's screen).
#
#   scripts/docs/gen_api_refs.sh SRC      (SRC: the staged book sources, build/docs/src)
# Environment: DSTOKEN_LIBRARY (default build/stage/lib/libdstoken.so, else
# target/release/libdstoken.so): pdoc imports the Python package, which loads the library.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=$(realpath -m "$1")
root=$PWD
mkdir -p "$src/api"
css="$root/scripts/docs/api-ref.css"

lib=${DSTOKEN_LIBRARY:-}
if [[ -z "$lib" ]]; then
  for l in build/stage/lib/libdstoken.so target/release/libdstoken.so; do
    [[ -e "$l" ]] && { lib=$PWD/$l; break; }
  done
fi
[[ -n "$lib" ]] || { cargo build --release --locked --quiet --lib; lib=$PWD/target/release/libdstoken.so; }

# add_css DIR: links scripts/docs/api-ref.css from every HTML page of a generated tree (one
# <link> per page, with the right relative path); the tools' own themes stay as they are.
add_css() {
  local dir=$1
  cp "$css" "$dir/dstoken-api-ref.css"
  (cd "$dir" && find . -name '*.html' -print0 | while IFS= read -r -d '' f; do
    local depth rel
    depth=$(($(tr -cd '/' <<<"${f#./}" | wc -c)))
    rel=""
    ((depth == 0)) || rel=$(printf '../%.0s' $(seq 1 "$depth"))
    sed -i "0,/<\/head>/s||<link rel=\"stylesheet\" href=\"${rel}dstoken-api-ref.css\">\n</head>|" "$f"
  done)
}

# unlink_missing DIR: a link to an element a page does not have ("#id" with no such id on the
# page) becomes its plain text. pdoc and Doxygen each make a few: pdoc to a private base class it
# does not render, Doxygen from a class's summary line to the section of a private nested class
# it leaves out.
unlink_missing() {
  find "$1" -name '*.html' -print0 | xargs -0 build/venv/bin/python -c '
import re, sys
for f in sys.argv[1:]:
    page = open(f).read()
    ids = set(re.findall(r"\b(?:id|name)=\"([^\"]+)\"", page))
    fixed = re.sub(r"<a href=\"#([^\"]+)\">(.*?)</a>", lambda m: m.group(0) if m.group(1) in ids else m.group(2), page)
    if fixed != page:
        open(f, "w").write(fixed)
'
}

# -- Python: pdoc -------------------------------------------------------------------------------
rm -rf "$src/api/python"
log=$(mktemp)
# pdoc imports the package, which loads the library named by DSTOKEN_LIBRARY, so
# dstoken.library_path is that path; pdoc then hides the value (it matches an environment
# variable) and says so, which is what this page wants: that one notice is not a failure.
if ! DSTOKEN_LIBRARY="$lib" PYTHONPATH="$root/bindings/python" build/venv/bin/pdoc \
    --output-directory "$src/api/python" --no-search --no-show-source \
    --footer-text "dstoken $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)" \
    dstoken >"$log" 2>&1 || grep -v 'environment variable' "$log" | grep -qi 'warn'; then
  cat "$log" >&2; echo "docs: pdoc failed or warned (above)" >&2; exit 1
fi
# pdoc links the private base class of Key and Claims (_Native, which gives them close() and
# closed) from their "bases" and "Inherited Members" without rendering it: see unlink_missing.
unlink_missing "$src/api/python"
add_css "$src/api/python"

# -- Java: javadoc ------------------------------------------------------------------------------
rm -rf "$src/api/java"
if ! javadoc -quiet -public -Xdoclint:all -Werror -notimestamp -d "$src/api/java" \
    -sourcepath bindings/java/src/main/java -subpackages org.dstoken \
    -windowtitle "dstoken Java API" -doctitle "dstoken Java API" >"$log" 2>&1; then
  cat "$log" >&2; echo "docs: javadoc failed (above)" >&2; exit 1
fi
# javadoc's stylesheet imports resources/fonts/dejavu.css, the DejaVu web fonts, which Debian's
# JDK leaves out (its javadoc uses the system's fonts): an empty one in its place, so no page
# asks for a file that is not there; the pages then use the reader's own fonts.
if grep -q 'resources/fonts/dejavu.css' "$src/api/java/stylesheet.css" && [[ ! -e "$src/api/java/resources/fonts/dejavu.css" ]]; then
  mkdir -p "$src/api/java/resources/fonts"
  echo "/* DejaVu web fonts: not shipped by this JDK; the reader's fonts are used. */" >"$src/api/java/resources/fonts/dejavu.css"
fi
add_css "$src/api/java"

# -- Node: TypeDoc ------------------------------------------------------------------------------
rm -rf "$src/api/node"
tsconfig=$(mktemp --suffix .json)
cat >"$tsconfig" <<EOF
{ "compilerOptions": { "strict": true, "noEmit": true, "types": [], "lib": ["es2022"] },
  "files": ["$root/bindings/node/index.d.ts"] }
EOF
if ! build/docs-typedoc/node_modules/.bin/typedoc --logLevel Warn --treatWarningsAsErrors \
    --tsconfig "$tsconfig" --out "$src/api/node" --name "dstoken (Node.js)" --readme none \
    --disableSources --cleanOutputDir bindings/node/index.d.ts >"$log" 2>&1; then
  cat "$log" >&2; echo "docs: TypeDoc failed (above)" >&2; exit 1
fi
rm -f "$tsconfig"
add_css "$src/api/node"

# -- C++ and PHP: Doxygen -----------------------------------------------------------------------
doxygen_ref() {
  local name=$1 out=$2; shift 2
  rm -rf "$out"
  mkdir -p "$out"
  local work
  work=$(mktemp -d)
  { cat <<EOF
PROJECT_NAME           = "$name"
PROJECT_NUMBER         = $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
OUTPUT_DIRECTORY       = $work
HTML_OUTPUT            = html
GENERATE_HTML          = YES
GENERATE_LATEX         = NO
HAVE_DOT               = NO
CLASS_GRAPH            = NO
QUIET                  = YES
FULL_PATH_NAMES        = NO
JAVADOC_AUTOBRIEF      = YES
EXTRACT_ALL            = YES
WARN_IF_UNDOCUMENTED   = NO
WARN_AS_ERROR          = FAIL_ON_WARNINGS
SEARCHENGINE           = YES
SERVER_BASED_SEARCH    = NO
HTML_TIMESTAMP         = NO
HTML_EXTRA_STYLESHEET  = $css
EOF
    printf '%s\n' "$@"; } >"$work/Doxyfile"
  if ! doxygen "$work/Doxyfile" >"$log" 2>&1; then
    cat "$log" >&2; echo "docs: doxygen failed or warned for $name (above)" >&2; exit 1
  fi
  if [[ -s "$log" ]]; then
    mkdir -p build/docs
    echo "docs: $name: $(grep -c ': \(warning\|error\):' "$log") Doxygen warnings, in build/docs/$(basename "$out")-doxygen-warnings.txt"
    cp "$log" "build/docs/$(basename "$out")-doxygen-warnings.txt"
  fi
  cp -r "$work/html/." "$out/"
  rm -rf "$work"
  unlink_missing "$out"
}
doxygen_ref "dstoken C++ API" "$src/api/cpp" \
  "INPUT = include/dstoken.hpp include/dstoken_schema.hpp" \
  "EXCLUDE_SYMBOLS = std std::* dstoken::detail dstoken::detail::* dstoken::Claims::Adopt" \
  "PREDEFINED = __cpp_exceptions=1 DSTOKEN_HPP_EXCEPTIONS=1"
doxygen_ref "dstoken PHP API" "$src/api/php" \
  "INPUT = bindings/php/src" "FILE_PATTERNS = *.php" "RECURSIVE = YES" \
  "EXCLUDE = bindings/php/src/Internal bindings/php/src/preload.php bindings/php/src/autoload.php" \
  "EXCLUDE_SYMBOLS = Dstoken\\Internal Dstoken\\Internal\\*" \
  "WARN_AS_ERROR = NO"

# -- Go: go doc -all, rendered as a page of the book ---------------------------------------------
build/venv/bin/python scripts/docs/gen_go_ref.py bindings/go > "$src/go-api.md"

# -- The book's page for each HTML reference -----------------------------------------------------
# api_page FILE TITLE GUIDE_PAGE GUIDE_NAME START WHAT TOOL
api_page() {
  cat >"$src/$1" <<EOF
# $2

<!-- Generated by scripts/docs/gen_api_refs.sh; do not edit. -->

$6, generated from the code by $7 each time this site is built: every public name with its
signature and its doc comment. The guide to using it, with examples that run, is the
[$4]($3) page.

**[Open the $2]($5)**
EOF
}
ver() { "$@" 2>&1 | grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -1; }
api_page python-api.md "Python API reference" python.md Python api/python/dstoken.html \
  'The `dstoken` package: its classes, functions and exceptions with their type hints' \
  "[pdoc](https://pdoc.dev) $(ver build/venv/bin/pdoc --version)"
api_page java-api.md "Java API reference" java.md Java api/java/index.html \
  'The `org.dstoken` package: its classes, methods and the `Status` enum' \
  "the JDK's javadoc ($(ver javadoc --version))"
api_page node-api.md "Node.js API reference" node.md Node.js api/node/index.html \
  'The `dstoken` npm package: its classes, functions and types' \
  "[TypeDoc](https://typedoc.org) $(ver build/docs-typedoc/node_modules/.bin/typedoc --version) from its \`index.d.ts\`"
api_page cpp-api.md "C++ API reference" cpp.md "C++" api/cpp/namespacedstoken.html \
  'The `dstoken` namespace of the header-only C++ wrapper `dstoken.hpp`' \
  "[Doxygen](https://www.doxygen.nl) $(ver doxygen --version)"
api_page php-api.md "PHP API reference" php.md PHP api/php/namespaceDstoken.html \
  'The `Dstoken` namespace of the Composer package `dstoken/dstoken`' \
  "[Doxygen](https://www.doxygen.nl) $(ver doxygen --version) from its PHPDoc comments"

rm -f "$log"
echo "api references: $(find "$src/api" -name '*.html' | wc -l) HTML pages under $(realpath --relative-to="$root" "$src/api"), and go-api.md"
