#!/usr/bin/env python3
"""The documentation's tests: every code example runs, every internal link resolves.

    tests/docs/check_docs.py examples [FILE.md ...]     run the examples (default: README.md, docs/src/*.md)
    tests/docs/check_docs.py links --staged DIR [--html DIR]
                                                        check links in README.md and the staged site
                                                        sources (DIR: docs/src plus the generated
                                                        pages), and in the built HTML; and that a
                                                        page names a file of the repository
                                                        (bench/run.sh, src/json.rs, README.md, "the
                                                        README") only as a link to the repository

Examples. Each fenced block is an example in its language's terms:
  c, cpp        a whole program: compiled (-std=c11 / -std=c++17, -Wall -Wextra -Wpedantic
                -Werror) against include/ and the built libdstoken, then run
  java          a whole program: `java -cp dstoken.jar Example.java` (the jar's bundled natives)
  python        run by build/venv's python with bindings/python and the built library
  js            run by node with `require('dstoken')` resolving to bindings/node
  go            a `package main`, built in a fresh module that uses bindings/go
  php           run by php with the Composer package's autoloading of bindings/php
  sh            run by bash -euo pipefail in a scratch directory
  console       a transcript: each `$ command` is run in one scratch directory (the dstoken CLI
                on PATH, no developer key in the environment) and its output must match the
                lines that follow it exactly
Other blocks (text, json, xml, cmake, ini, ...) are configuration or output, not run.
Every program runs with DIGITALSAMBA_DEVELOPER_KEY and DIGITALSAMBA_TEAM_ID set to test values,
and every token an example prints is verified with PyJWT (an independent implementation).

Markers, on the line(s) before a block (or in the info string, ```python,ignore):
  <!-- no-run: reason -->     a fragment or a command that cannot run here (kept few: more
                              than MAX_FRAGMENTS program fragments fail the test)
  <!-- needs: FEATURE -->     runs only when this build has FEATURE (no_expiry, php,
                              python-mapping); otherwise listed as waiting, so an example can
                              document an API another branch is adding
  <!-- project: FILE with SOURCE -->
                              a project file (pom.xml, package.json, go.mod, composer.json,
                              pyproject.toml) for the program block before it: the program is
                              saved as SOURCE beside FILE and built and run with the ecosystem's
                              own tool as the page tells a user to (mvn, npm, go, composer, pip),
                              with packages made from this checkout standing in for dist/. Each
                              language page in PROJECT_PAGES must have one.

Also checked: a `dist/` file name or version in an install command names Cargo.toml's version.
Environment: DSTOKEN_LIBRARY (default build/stage/lib/libdstoken.so), DSTOKEN_JAR (default
build/java/dstoken.jar), DSTOKEN_CLI_DIR (default build/cargo/release,
or target/release), DSTOKEN_PYTHON (default
build/venv/bin/python).
"""
import argparse
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY = "docs-test-developer-key-0123456789abcdef"
TEAM_ID = "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f"
MAX_FRAGMENTS = 3
# The language pages whose quick start comes with a whole project, and its project file.
PROJECT_PAGES = {"java.md": "pom.xml", "python.md": "pyproject.toml", "node.md": "package.json",
                 "go.md": "go.mod", "php.md": "composer.json"}
LANGS = {"c": "c", "cpp": "cpp", "c++": "cpp", "java": "java", "python": "python", "py": "python",
         "js": "js", "javascript": "js", "node": "js", "go": "go", "php": "php", "sh": "sh",
         "bash": "sh", "shell": "sh", "console": "console"}
PROGRAM_LANGS = {"c", "cpp", "java", "python", "js", "go", "php"}
JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


class Block:
    def __init__(self, path, line, info, code, marker):
        self.path, self.line, self.info, self.code, self.marker = path, line, info, code, marker
        parts = re.split(r"[,\s]+", info.strip())
        self.lang = LANGS.get(parts[0].lower()) if parts and parts[0] else None
        self.attrs = set(parts[1:])

    @property
    def where(self):
        return f"{self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path}:{self.line}"


def blocks(path):
    """Fenced code blocks of a Markdown file, with the marker comment before each."""
    lines = path.read_text().split("\n")
    out, i = [], 0
    while i < len(lines):
        m = re.match(r"^(\s*)(`{3,}|~{3,})(.*)$", lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.group(1), m.group(2), m.group(3)
        start = i
        j = i + 1
        while j < len(lines) and not re.match(rf"^\s*{fence[0]}{{{len(fence)},}}\s*$", lines[j]):
            j += 1
        code = "\n".join(l[len(indent):] if l.startswith(indent) else l for l in lines[i + 1:j]) + "\n"
        k = start - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        marker = None
        if k >= 0:
            mm = re.match(r"^\s*<!--\s*(no-run|needs|project)\s*:\s*(.*?)\s*-->\s*$", lines[k])
            if mm:
                marker = (mm.group(1), mm.group(2))
        out.append(Block(path, start + 1, info, code, marker))
        i = j + 1
    return out


def cargo_version():
    m = re.search(r'^version = "(\d+\.\d+\.\d+)"', (ROOT / "Cargo.toml").read_text(), re.M)
    return m.group(1)


class Runner:
    def __init__(self, work):
        self.work = Path(work)
        self.lib = Path(os.environ.get("DSTOKEN_LIBRARY") or ROOT / "build/stage/lib/libdstoken.so")
        if not self.lib.exists():
            self.lib = ROOT / "target/release/libdstoken.so"
        self.libdir = self.lib.resolve().parent
        self.jar = Path(os.environ.get("DSTOKEN_JAR") or ROOT / "build/java/dstoken.jar")
        self.cli_dir = Path(os.environ.get("DSTOKEN_CLI_DIR") or next(
            (d for d in (ROOT / "build/cargo/release", ROOT / "target/release") if (d / "dstoken").exists()),
            ROOT / "target/release"))
        self.python = os.environ.get("DSTOKEN_PYTHON") or str(ROOT / "build/venv/bin/python")
        self.env = dict(os.environ, DIGITALSAMBA_DEVELOPER_KEY=KEY, DIGITALSAMBA_TEAM_ID=TEAM_ID,
                        DSTOKEN_LIBRARY=str(self.lib), PYTHONPATH=str(ROOT / "bindings/python"),
                        LD_LIBRARY_PATH=str(self.libdir))
        self.counter = 0
        self._features = {}

    def feature(self, name):
        if name not in self._features:
            self._features[name] = self._probe(name)
        return self._features[name]

    def _probe(self, name):
        if name == "no_expiry":
            return "no_expiry" in (ROOT / "include/dstoken.h").read_text()
        if name == "php":
            if not (ROOT / "bindings/php/composer.json").exists() or not shutil.which("php"):
                return False
            r = subprocess.run(["php", "-m"], capture_output=True, text=True)
            return "FFI" in r.stdout.split()
        if name == "python-mapping":
            probe = ("import dstoken; k = dstoken.Key(b'k'); "
                     "c = dstoken.verify(dstoken.mint(k, team_id='t', room='r', lifetime=60), k); "
                     "assert c['rd'] == 'r' and 'rd' in c and dict(c)['td'] == 't'")
            return subprocess.run([self.python, "-c", probe], env=self.env, capture_output=True).returncode == 0
        raise SystemExit(f"check_docs: unknown feature {name!r} in a needs: marker")

    def scratch(self):
        self.counter += 1
        d = self.work / f"ex{self.counter:03d}"
        d.mkdir(parents=True)
        return d

    def run(self, cmd, cwd, env=None, timeout=300):
        r = subprocess.run(cmd, cwd=cwd, env=env or self.env, capture_output=True, text=True, timeout=timeout)
        return r.returncode, r.stdout, r.stderr

    def example(self, b):
        d = self.scratch()
        lang = b.lang
        if lang in ("c", "cpp"):
            src = d / ("example.c" if lang == "c" else "example.cpp")
            src.write_text(b.code)
            cc = ["cc", "-std=c11"] if lang == "c" else ["c++", "-std=c++17"]
            rc, out, err = self.run(cc + ["-Wall", "-Wextra", "-Wpedantic", "-Werror", "-I", str(ROOT / "include"),
                                          str(src), "-o", str(d / "example"), "-L", str(self.libdir), "-ldstoken",
                                          f"-Wl,-rpath,{self.libdir}"], d)
            if rc != 0:
                return rc, out, "compile failed:\n" + err
            return self.run([str(d / "example")], d)
        if lang == "java":
            m = re.search(r"public\s+(?:final\s+)?class\s+(\w+)", b.code)
            src = d / f"{m.group(1) if m else 'Example'}.java"
            src.write_text(b.code)
            return self.run(["java", "-cp", str(self.jar), str(src)], d)
        if lang == "python":
            (d / "example.py").write_text(b.code)
            return self.run([self.python, "example.py"], d)
        if lang == "js":
            (d / "node_modules").mkdir()
            (d / "node_modules/dstoken").symlink_to(ROOT / "bindings/node")
            (d / "example.js").write_text(b.code)
            return self.run(["node", "example.js"], d)
        if lang == "go":
            gomod = (ROOT / "examples/go/go.mod").read_text()
            gomod = re.sub(r"^module .*$", "module example.com/docsexample", gomod, flags=re.M)
            gomod = re.sub(r"=> \S+", f"=> {ROOT / 'bindings/go'}", gomod)
            (d / "go.mod").write_text(gomod)
            shutil.copy(ROOT / "examples/go/go.sum", d / "go.sum")
            (d / "main.go").write_text(b.code)
            env = dict(self.env, GOFLAGS="-mod=mod", GOPROXY="off", CGO_ENABLED="1")
            rc, out, err = self.run(["go", "build", "-o", "example", "."], d, env)
            if rc != 0:
                return rc, out, "go build failed:\n" + err
            return self.run([str(d / "example")], d)
        if lang == "php":
            self.php_autoload(d)
            (d / "example.php").write_text(b.code)
            return self.run(["php", "-d", "ffi.enable=1", "example.php"], d)
        if lang == "sh":
            (d / "example.sh").write_text(b.code)
            env = dict(self.env, PATH=f"{self.cli_dir}:{os.environ['PATH']}")
            return self.run(["bash", "-euo", "pipefail", "example.sh"], d, env)
        raise AssertionError(lang)

    def php_autoload(self, d):
        """vendor/autoload.php as Composer would write it for bindings/php (PSR-4 + files)."""
        import json
        spec = json.loads((ROOT / "bindings/php/composer.json").read_text()).get("autoload", {})
        php = ["<?php"]
        for prefix, dirs in spec.get("psr-4", {}).items():
            for sub in ([dirs] if isinstance(dirs, str) else dirs):
                base = str(ROOT / "bindings/php" / sub).rstrip("/") + "/"
                php.append("spl_autoload_register(function ($c) { $p = " + repr(prefix) + "; "
                           "if (strncmp($c, $p, strlen($p)) !== 0) return; "
                           "$f = " + repr(base) + " . str_replace('\\\\', '/', substr($c, strlen($p))) . '.php'; "
                           "if (is_file($f)) require $f; });")
        for f in spec.get("files", []):
            php.append(f"require_once {str(ROOT / 'bindings/php' / f)!r};")
        (d / "vendor").mkdir()
        (d / "vendor/autoload.php").write_text("\n".join(php) + "\n")

    # -- project files: a quick start built as a whole project, as a user would -----------------

    def project(self, b, prog):
        """Builds and runs the program block `prog` inside the project file block `b` (marker
        `<!-- project: FILE with SOURCE -->`): FILE gets the block's text, with the page's
        `/path/to/dstoken/dist` (where the user's dist/ is) pointed at packages made here from the
        checkout, and SOURCE the program's. Returns (rc, stdout, stderr)."""
        m = re.match(r"^(\S+)\s+with\s+(\S+)$", b.marker[1])
        if not m:
            raise SystemExit(f"check_docs: {b.where}: a project marker reads 'project: FILE with SOURCE'")
        name, source = m.groups()
        d = self.scratch()
        dist = d / "dist"
        dist.mkdir()
        text = b.code.replace("/path/to/dstoken/dist", str(dist))
        (d / name).write_text(text)
        (d / source).parent.mkdir(parents=True, exist_ok=True)
        (d / source).write_text(prog.code)
        version = cargo_version()
        if name == "pom.xml":
            # The jar as `mvn install:install-file` puts it into the local repository (the docs'
            # own, build/docs-m2, so the Java tests' repository is left alone; Maven Central
            # fills it with the plugins on first use).
            repo = ROOT / "build/docs-m2"
            rc, out, err = self.run(["mvn", "-q", "-B", f"-Dmaven.repo.local={repo}", "install:install-file",
                                     f"-Dfile={self.jar}", "-DgroupId=org.dstoken", "-DartifactId=dstoken",
                                     f"-Dversion={version}", "-Dpackaging=jar"], d)
            if rc != 0:
                return rc, out, "mvn install:install-file failed:\n" + out + err
            rc, out, err = self.run(["mvn", "-q", "-B", f"-Dmaven.repo.local={repo}", "package", "exec:java"], d)
            if rc != 0:
                return rc, out, "mvn package exec:java failed:\n" + out + err
            # and the jar `mvn package` made, run with java as the page says
            jar = repo / f"org/dstoken/dstoken/{version}/dstoken-{version}.jar"
            artifact = re.search(r"<artifactId>([^<]+)</artifactId>", text).group(1)
            own = re.search(r"</artifactId>\s*<version>([^<]+)</version>", text).group(1)
            rc2, out2, err2 = self.run(["java", "-cp", f"{jar}:target/{artifact}-{own}.jar", Path(source).stem], d)
            return rc2, out + out2, err + err2
        if name == "package.json":
            # `npm pack` of bindings/node stands for dist/dstoken-<version>.tgz (without the
            # bundled library: DSTOKEN_LIBRARY names the built one).
            rc, out, err = self.run(["npm", "pack", "--silent", "--pack-destination", str(dist), str(ROOT / "bindings/node")], d)
            if rc != 0:
                return rc, out, "npm pack failed:\n" + err
            rc, out, err = self.run(["npm", "install", "--no-audit", "--no-fund"], d)
            if rc != 0:
                return rc, out, "npm install failed:\n" + out + err
            if "allowScripts" in out + err:
                return 1, out, "npm install still warns about install scripts:\n" + out + err
            return self.run(["npm", "start", "--silent"], d)
        if name == "go.mod":
            # The module from the checkout instead of dist/goproxy: a replace directive, as the
            # repository's own examples use.
            with open(d / "go.mod", "a") as f:
                f.write(f"\nreplace github.com/dstoken/dstoken/bindings/go => {ROOT / 'bindings/go'}\n")
            shutil.copy(ROOT / "examples/go/go.sum", d / "go.sum")
            env = dict(self.env, GOFLAGS="-mod=mod", GOPROXY="off", CGO_ENABLED="1")
            rc, out, err = self.run(["go", "build", "-o", "roomtokens", "."], d, env)
            if rc != 0:
                return rc, out, "go build failed:\n" + err
            return self.run([str(d / "roomtokens")], d)
        if name == "composer.json":
            # The Composer artifact as scripts/package.sh php writes it (composer.json with its
            # version, src/, bin/), without the bundled library: DSTOKEN_LIBRARY names the built one.
            import json
            import zipfile
            meta = json.loads((ROOT / "bindings/php/composer.json").read_text())
            meta["version"] = version
            with zipfile.ZipFile(dist / f"dstoken-php-{version}.zip", "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("composer.json", json.dumps(meta, indent=4) + "\n")
                for base in ("src", "bin"):
                    for f in sorted((ROOT / "bindings/php" / base).rglob("*")):
                        if f.is_file():
                            z.write(f, str(f.relative_to(ROOT / "bindings/php")))
            env = dict(self.env, COMPOSER_HOME=str(d / ".composer-home"), COMPOSER_CACHE_DIR=str(d / ".composer-cache"),
                       COMPOSER_DISABLE_NETWORK="1", COMPOSER_NO_INTERACTION="1")
            rc, out, err = self.run(["composer", "install", "--no-progress"], d, env)
            if rc != 0:
                return rc, out, "composer install failed:\n" + out + err
            return self.run(["php", "-d", "ffi.enable=1", source], d, env)
        if name == "pyproject.toml":
            # The project's wheel, built by its build backend (hatchling, from build/venv), and
            # dstoken's (pure: DSTOKEN_LIBRARY names the built library) stand for dist/; a fresh
            # virtual environment installs the project with its dependency from there only.
            for what in (d, ROOT / "bindings/python"):
                rc, out, err = self.run([self.python, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                                         "--disable-pip-version-check", "-w", str(dist), str(what)], d)
                if rc != 0:
                    return rc, out, f"pip wheel {what} failed:\n" + out + err
            rc, out, err = self.run([self.python, "-m", "venv", str(d / "venv")], d)
            if rc != 0:
                return rc, out, "python -m venv failed:\n" + err
            env = {k: v for k, v in self.env.items() if k != "PYTHONPATH"}
            project = re.search(r'^name\s*=\s*"([^"]+)"', text, re.M).group(1)
            rc, out, err = self.run([str(d / "venv/bin/python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                                     "--no-index", "--find-links", str(dist), project], d, env)
            if rc != 0:
                return rc, out, "pip install failed:\n" + out + err
            return self.run([str(d / "venv/bin/python"), source], d, env)
        raise SystemExit(f"check_docs: {b.where}: no way to build a project from {name}")

    def console(self, b):
        """Runs a `$ command` transcript; returns a list of mismatches."""
        d = self.scratch()
        env = {k: v for k, v in self.env.items() if k not in ("DIGITALSAMBA_DEVELOPER_KEY", "DIGITALSAMBA_TEAM_ID")}
        env["PATH"] = f"{self.cli_dir}:{os.environ['PATH']}"
        steps, cur = [], None
        lines = b.code.rstrip("\n").split("\n")
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("$ "):
                cmd = line[2:]
                while cmd.endswith("\\") and i + 1 < len(lines):
                    i += 1
                    cmd = cmd[:-1] + " " + lines[i].strip()
                cur = [cmd, []]
                steps.append(cur)
            elif cur is not None:
                cur[1].append(line)
            i += 1
        problems = []
        for cmd, expected in steps:
            r = subprocess.run(["bash", "-c", "{ " + cmd + "\n} 2>&1"], cwd=d, env=env, capture_output=True, text=True,
                               timeout=120)
            got = [l.rstrip() for l in r.stdout.rstrip("\n").split("\n")] if r.stdout.strip() else []
            want = [l.rstrip() for l in expected]
            if got != want:
                problems.append(f"$ {cmd}\n  expected:\n    " + "\n    ".join(want) + "\n  got:\n    " + "\n    ".join(got))
        return problems


def verify_tokens(python, text):
    """Verifies every JWT in text with PyJWT (HS256, the test key, exp checked)."""
    tokens = sorted(set(JWT.findall(text)))
    if not tokens:
        return 0, ""
    code = ("import jwt, sys\n"
            "for t in sys.argv[2:]:\n"
            "    jwt.decode(t, sys.argv[1], algorithms=['HS256'], options={'verify_aud': False}, leeway=60)\n")
    r = subprocess.run([python, "-c", code, KEY] + tokens, capture_output=True, text=True)
    return len(tokens), (r.stderr if r.returncode else "")


def check_versions(path, text, version):
    bad = []
    for pat in (r"dist/(?:deb/)?[\w.-]*?(?:dstoken|libdstoken[\w.-]*?)(?:-php)?[-_](\d+\.\d+\.\d+)",
                r"dstoken/bindings/go@v(\d+\.\d+\.\d+)", r"org\.dstoken:dstoken:(\d+\.\d+\.\d+)",
                r"dstoken/dstoken:(\d+\.\d+\.\d+)"):
        for m in re.finditer(pat, text):
            if m.group(1) != version:
                line = text[:m.start()].count("\n") + 1
                bad.append(f"{path}:{line}: names version {m.group(1)}, Cargo.toml has {version}")
    return bad


def cmd_examples(args):
    files = [Path(f).resolve() for f in args.files] or [ROOT / "README.md"] + sorted((ROOT / "docs/src").glob("*.md"))
    version = cargo_version()
    failures, waiting, norun, ran, tokens, projects = [], [], [], 0, 0, 0
    work = Path(tempfile.mkdtemp(prefix="dstoken-docs-", dir=ROOT / "build" if (ROOT / "build").is_dir() else None))
    runner = Runner(work)
    for f in files:
        failures += check_versions(f.relative_to(ROOT) if f.is_relative_to(ROOT) else f, f.read_text(), version)
        prog, projects_here = None, []
        for b in blocks(f):
            if b.marker and b.marker[0] == "project":
                projects_here.append(b.marker[1].split()[0])
                if prog is None:
                    failures.append(f"{b.where}: a project file with no program block before it")
                    continue
                ran += 1
                projects += 1
                try:
                    rc, out, err = runner.project(b, prog)
                except subprocess.TimeoutExpired:
                    rc, out, err = -1, "", "timed out"
                n, bad = verify_tokens(runner.python, out)
                tokens += n
                if rc != 0 or bad or not n:
                    print(f"FAIL {b.where} project {b.marker[1]} (exit {rc})")
                    failures.append(f"{b.where}: project {b.marker[1]} (the example at {prog.where}) failed "
                                    f"(exit {rc}{', printed no token' if not n else ''}):\n{out}{err}{bad}")
                else:
                    print(f"ok   {b.where} project {b.marker[1]} (the example at line {prog.line}; "
                          f"{n} token{'s' * (n != 1)} verified by PyJWT)")
                continue
            if b.lang is None:
                continue
            if b.lang in PROGRAM_LANGS:
                prog = b
            if "ignore" in b.attrs or "no_run" in b.attrs or (b.marker and b.marker[0] == "no-run"):
                norun.append(b)
                continue
            if b.marker and b.marker[0] == "needs" and not runner.feature(b.marker[1]):
                waiting.append(b)
                continue
            ran += 1
            if b.lang == "console":
                problems = runner.console(b)
                status = "ok" if not problems else "FAIL"
                print(f"{status:4} {b.where} console ({len(problems)} mismatches)" if problems else
                      f"ok   {b.where} console")
                if problems:
                    failures.append(f"{b.where}: console transcript differs:\n" + "\n".join(problems))
                continue
            try:
                rc, out, err = runner.example(b)
            except subprocess.TimeoutExpired:
                rc, out, err = -1, "", "timed out"
            n, bad = verify_tokens(runner.python, out)
            tokens += n
            if rc != 0 or bad:
                print(f"FAIL {b.where} {b.lang} (exit {rc})")
                failures.append(f"{b.where}: {b.lang} example failed (exit {rc}):\n{out}{err}{bad}")
            else:
                print(f"ok   {b.where} {b.lang}" + (f" ({n} token{'s' * (n != 1)} verified by PyJWT)" if n else ""))
        want = PROJECT_PAGES.get(f.name) if f.parent == ROOT / "docs/src" else None
        if want and want not in projects_here:
            failures.append(f"{f.relative_to(ROOT)}: no {want} next to the quick start "
                            f"(a block marked <!-- project: {want} with SOURCE -->)")
    fragments = [b for b in norun if b.lang in PROGRAM_LANGS]
    print(f"\n{ran} examples run ({projects} of them whole projects), {tokens} printed tokens verified with PyJWT; "
          f"{len(norun)} marked no-run ({len(fragments)} program fragments, at most {MAX_FRAGMENTS}); "
          f"{len(waiting)} waiting for a feature of this build")
    for b in norun:
        print(f"  no-run  {b.where} {b.lang}: {b.marker[1] if b.marker else ','.join(sorted(b.attrs))}")
    for b in waiting:
        print(f"  waiting {b.where} {b.lang}: needs {b.marker[1]} (not in this build; runs once it is)")
    if len(fragments) > MAX_FRAGMENTS:
        failures.append(f"{len(fragments)} program examples are marked no-run; keep them at most {MAX_FRAGMENTS}")
    if failures:
        print("\n" + "\n\n".join(failures), file=sys.stderr)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


# -- links -----------------------------------------------------------------------------------

def heading_ids(md_text):
    """The ids mdBook gives a page's headings (and explicit <a id>/id= attributes)."""
    ids, counts = set(), {}
    in_code = False
    for line in md_text.split("\n"):
        if re.match(r"^\s*(```|~~~)", line):
            in_code = not in_code
            continue
        if in_code:
            continue
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", m.group(1))
            text = re.sub(r"<[^>]+>", "", text)
            base = "".join(c.lower() if c.isalnum() or c in "_-" else ("-" if c.isspace() else "")
                           for c in text)
            n = counts.get(base, 0)
            counts[base] = n + 1
            ids.add(base if n == 0 else f"{base}-{n}")
        for m in re.finditer(r'\bid="([^"]+)"', line):
            ids.add(m.group(1))
    return ids


def md_links(text):
    """(line, target) of Markdown links and images outside code."""
    out, in_code = [], False
    for n, line in enumerate(text.split("\n"), 1):
        if re.match(r"^\s*(```|~~~)", line):
            in_code = not in_code
            continue
        if in_code:
            continue
        line = re.sub(r"`[^`]*`", "", line)
        for m in re.finditer(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", line):
            out.append((n, m.group(1)))
        for m in re.finditer(r'\b(?:href|src)="([^"]+)"', line):
            out.append((n, m.group(1)))
    return out


def check_md(path, base_dirs):
    """Broken internal links of one Markdown file; base_dirs are where its relative links may
    resolve (the staged site for docs pages)."""
    bad = []
    text = path.read_text()
    for line, target in md_links(text):
        if re.match(r"^[a-z]+:", target) or target.startswith("//"):
            continue  # external: not checked here (offline)
        file_part, _, anchor = target.partition("#")
        dest = path if not file_part else None
        if file_part:
            for base in base_dirs:
                cand = (base / file_part).resolve()
                if cand.exists():
                    dest = cand
                    break
        if dest is None:
            bad.append(f"{path}:{line}: link to {target}: no such file")
            continue
        if anchor and dest.suffix == ".md" and anchor not in heading_ids(dest.read_text()):
            bad.append(f"{path}:{line}: link to {target}: no heading with id {anchor!r} in {dest.name}")
    return bad


class _Html(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "base":
            return  # mdBook's 404 page sets <base href="/">: where the site is served, not a link
        for k in ("href", "src"):
            if a.get(k):
                # a page loads what src= and <link href=> name; an <a href> is only a link
                self.links.append((self.getpos()[0], a[k], k == "src" or tag == "link"))


def check_html(root):
    bad, pages = [], {}
    for f in sorted(root.rglob("*.html")):
        p = _Html()
        p.feed(f.read_text(errors="replace"))
        pages[f.resolve()] = p
    for f, p in pages.items():
        for line, target, loads in p.links:
            if re.match(r"^[a-z]+:", target) or target.startswith("//"):
                if loads and target.startswith(("http:", "https:")) and ("fonts.googleapis" in target or target.endswith(".js")):
                    bad.append(f"{f}:{line}: loads {target} from the network")
                continue
            file_part, _, anchor = target.partition("#")
            # Percent-encoded in the href (javadoc's "#%3Cinit%3E()"), plain in the id.
            file_part, anchor = urllib.parse.unquote(file_part.split("?")[0]), urllib.parse.unquote(anchor)
            if file_part.startswith("/"):
                dest = (root / file_part.lstrip("/")).resolve()
            else:
                dest = f if not file_part else (f.parent / file_part).resolve()
            if dest.is_dir():
                dest = dest / "index.html"
            if not dest.exists():
                bad.append(f"{f.relative_to(root)}:{line}: {target}: no such file")
            elif anchor and dest in pages and anchor not in pages[dest].ids:
                bad.append(f"{f.relative_to(root)}:{line}: {target}: no element with id {anchor!r}")
    return bad, len(pages)


# -- source paths -------------------------------------------------------------------------------

REPO_URL = "https://github.com/dstoken/dstoken"   # bindings/java/pom.xml's <url>
# Pages that say in words, once, that the paths they name are the repository's (and link it).
REPO_PATH_PAGES = {"changelog.md"}


def tracked_top_level():
    r = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return {f.split("/")[0] for f in r.stdout.split("\n") if f}


def unlinked_repo_paths(path, top):
    """Where a page names a file or directory of the repository (bench/node/bench.js,
    src/json.rs, README.md, "the README") outside a link and outside code blocks: a reader of the
    site does not have the repository, so each such name links to it (REPO_URL)."""
    bad, in_code, in_comment = [], False, False
    for n, line in enumerate(path.read_text().split("\n"), 1):
        if re.match(r"^\s*(```|~~~)", line):
            in_code = not in_code
            continue
        if in_code:
            continue
        # HTML comments (markers, notes to the page's editors) are not shown.
        if in_comment:
            if "-->" not in line:
                continue
            line, in_comment = line.split("-->", 1)[1], False
        line = re.sub(r"<!--.*?-->", "", line)
        if "<!--" in line:
            line, in_comment = line.split("<!--", 1)[0], True
        # Link texts and targets are fine: the name is a link.
        line = re.sub(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\([^)]*\)", " ", line)
        line = re.sub(r"<a\s[^>]*>.*?</a>", " ", line)
        for m in re.finditer(r"(?<![\w./@:~-])([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*/?)", line):
            name = m.group(1).rstrip(".")
            first = name.split("/")[0]
            if first not in top or not ("/" in name or first == name and "." in name):
                continue
            if (ROOT / name).exists():
                bad.append(f"{path.name}:{n}: names {name} of the repository without linking it ({REPO_URL}/...)")
        if re.search(r"\b(?:the|this|our) README\b(?!\.md)", line):
            bad.append(f"{path.name}:{n}: says \"the README\" without linking it ({REPO_URL}#readme)")
    return bad


def cmd_links(args):
    bad = check_md(ROOT / "README.md", [ROOT])
    staged = Path(args.staged).resolve()
    mds = sorted(staged.glob("*.md"))
    if not mds:
        raise SystemExit(f"check_docs: no pages in {staged}")
    for f in mds:
        bad += check_md(f, [staged])
    # Every page is in SUMMARY.md, and every SUMMARY entry exists (mdBook would create it empty).
    summary = (staged / "SUMMARY.md").read_text()
    listed = {t for _, t in md_links(summary)}
    for f in mds:
        if f.name != "SUMMARY.md" and f.name not in listed:
            bad.append(f"{f}: not listed in SUMMARY.md")
    top = tracked_top_level()
    for f in mds:
        if f.name not in REPO_PATH_PAGES:
            bad += unlinked_repo_paths(f, top)
    print(f"links: README.md and {len(mds)} pages checked (and that each names the repository's files only as links to it)")
    if args.html:
        hb, n = check_html(Path(args.html).resolve())
        bad += hb
        print(f"links: {n} HTML pages of {args.html} checked")
    if bad:
        print("\n".join(bad), file=sys.stderr)
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("examples")
    e.add_argument("files", nargs="*")
    li = sub.add_parser("links")
    li.add_argument("--staged", required=True)
    li.add_argument("--html")
    args = ap.parse_args()
    return cmd_examples(args) if args.cmd == "examples" else cmd_links(args)


if __name__ == "__main__":
    sys.exit(main())
