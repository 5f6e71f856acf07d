#!/usr/bin/env bash
# Installs the documentation's tools, each at a pinned version, where the project keeps tools:
#   mdbook         from crates.io (cargo install --locked) into build/tools/bin
#   matplotlib     from PyPI into build/venv (the chart of the performance page)
#   playwright-core from npm into build/docs-browser (drives Debian's chromium in the browser test)
# and the tools of the API references (scripts/docs/gen_api_refs.sh):
#   pdoc           from PyPI into build/venv (Python)
#   TypeDoc        from npm into build/docs-typedoc, with TypeScript (scripts/docs/typedoc/
#                  package.json and its lock file pin both)
#   Doxygen        Debian's (C++ and PHP; 1.9.4 in Debian 12, the version is checked)
#   javadoc, go    the JDK's and Go's own (the Java and Go parts of the test suite need them too)
# Idempotent: installs only what is missing or at another version.
#   scripts/docs/tools.sh            what building the site needs
#   scripts/docs/tools.sh --browser  also playwright-core and Debian's chromium
set -euo pipefail
cd "$(dirname "$0")/../.."

MDBOOK_VERSION=0.5.4          # crates.io; 0.5 needs Rust 1.88
MATPLOTLIB_VERSION=3.10.8     # PyPI
PDOC_VERSION=16.0.0           # PyPI
DOXYGEN_SERIES=1.9            # Debian 12's doxygen is 1.9.4; another series may warn differently

if [[ "$(build/tools/bin/mdbook --version 2>/dev/null)" != "mdbook v$MDBOOK_VERSION" ]]; then
  echo "docs tools: cargo install mdbook $MDBOOK_VERSION into build/tools (a few minutes, once)"
  # No serve/watch features: the site is built, never served by mdbook, and they would add a web
  # server stack to compile.
  cargo install --quiet --locked mdbook --version "$MDBOOK_VERSION" --no-default-features \
    --features search --root build/tools
fi

[[ -x build/venv/bin/python ]] || scripts/bootstrap.sh --test
if [[ "$(build/venv/bin/python -c 'import matplotlib; print(matplotlib.__version__)' 2>/dev/null)" != "$MATPLOTLIB_VERSION" ]]; then
  echo "docs tools: matplotlib $MATPLOTLIB_VERSION into build/venv"
  build/venv/bin/python -m pip install --quiet --disable-pip-version-check "matplotlib==$MATPLOTLIB_VERSION"
fi

if [[ "$(build/venv/bin/python -c 'import pdoc; print(pdoc.__version__)' 2>/dev/null)" != "$PDOC_VERSION" ]]; then
  echo "docs tools: pdoc $PDOC_VERSION into build/venv"
  build/venv/bin/python -m pip install --quiet --disable-pip-version-check "pdoc==$PDOC_VERSION"
fi

# The same pattern as playwright-core below: the lock file's copy marks a finished install.
mkdir -p build/docs-typedoc
if ! cmp -s scripts/docs/typedoc/package-lock.json build/docs-typedoc/node_modules/.dstoken-installed-lock.json; then
  echo "docs tools: npm ci typedoc into build/docs-typedoc"
  cp scripts/docs/typedoc/package.json scripts/docs/typedoc/package-lock.json build/docs-typedoc/
  (cd build/docs-typedoc && npm ci --no-audit --no-fund --silent &&
    cp package-lock.json node_modules/.dstoken-installed-lock.json)
fi

apt_install() {
  local sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if ! command -v doxygen >/dev/null 2>&1; then
  echo "docs tools: installing Debian's doxygen"
  apt_install doxygen
fi
if [[ "$(doxygen --version)" != "$DOXYGEN_SERIES".* ]]; then
  echo "docs tools: doxygen $(doxygen --version) is not $DOXYGEN_SERIES.x, which scripts/docs/gen_api_refs.sh is written for" >&2
  exit 1
fi
for tool in javadoc go; do
  command -v "$tool" >/dev/null 2>&1 || { echo "docs tools: $tool is missing (the JDK's javadoc, the Go toolchain)" >&2; exit 1; }
done

if [[ "${1:-}" == "--browser" ]]; then
  if ! command -v chromium >/dev/null 2>&1; then
    echo "docs tools: installing Debian's chromium"
    apt_install chromium
  fi
  # tests/docs/package.json pins playwright-core; the lock file's copy marks a finished install.
  mkdir -p build/docs-browser
  if ! cmp -s tests/docs/package-lock.json build/docs-browser/node_modules/.dstoken-installed-lock.json; then
    echo "docs tools: npm ci playwright-core into build/docs-browser"
    cp tests/docs/package.json tests/docs/package-lock.json build/docs-browser/
    # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: the test drives Debian's chromium, never a downloaded one.
    (cd build/docs-browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent &&
      cp package-lock.json node_modules/.dstoken-installed-lock.json)
  fi
fi
