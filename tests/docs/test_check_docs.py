"""The docs checker fails when it should: a broken example, a console transcript that differs,
a token PyJWT rejects, a broken link or anchor, a stale version, too many fragments, a project
file that does not build its example, a repository path that is not a link.
Run by tests/docs/run.sh: build/venv/bin/python -m pytest -q tests/docs/test_check_docs.py"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "tests/docs/check_docs.py"


def run(*args):
    return subprocess.run([sys.executable, str(CHECK), *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def page(tmp_path, text, name="page.md"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_a_passing_example_passes(tmp_path):
    r = run("examples", page(tmp_path, "```python\nprint('hello')\n```\n"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 examples run" in r.stdout


def test_a_failing_example_fails(tmp_path):
    r = run("examples", page(tmp_path, "```python\nraise SystemExit(3)\n```\n"))
    assert r.returncode == 1
    assert "python example failed (exit 3)" in r.stderr


def test_a_c_example_that_does_not_compile_fails(tmp_path):
    r = run("examples", page(tmp_path, "```c\nint main(void) { return undefined_name; }\n```\n"))
    assert r.returncode == 1
    assert "compile failed" in r.stderr


def test_a_token_pyjwt_rejects_fails(tmp_path):
    forged = "eyJhbGciOiJIUzI1NiJ9.eyJ0ZCI6InQifQ.c2lnbmF0dXJlLW5vdC1tYXRjaGluZw"
    r = run("examples", page(tmp_path, f"```python\nprint('{forged}')\n```\n"))
    assert r.returncode == 1
    assert "Signature verification failed" in r.stderr or "InvalidSignature" in r.stderr


def test_a_console_transcript_must_match(tmp_path):
    good = run("examples", page(tmp_path, "```console\n$ echo hi\nhi\n```\n", "good.md"))
    assert good.returncode == 0, good.stdout + good.stderr
    bad = run("examples", page(tmp_path, "```console\n$ echo hi\nho\n```\n", "bad.md"))
    assert bad.returncode == 1
    assert "console transcript differs" in bad.stderr


def test_markers(tmp_path):
    text = ("<!-- no-run: a fragment -->\n```python\nraise SystemExit(1)\n```\n\n"
            "<!-- needs: no_such_thing_probe -->\n```python\nraise SystemExit(1)\n```\n")
    r = run("examples", page(tmp_path, text))
    assert r.returncode != 0 and "unknown feature" in (r.stdout + r.stderr)
    r = run("examples", page(tmp_path, "```python,ignore\nraise SystemExit(1)\n```\n", "ignored.md"))
    assert r.returncode == 0 and "1 marked no-run" in r.stdout


def test_too_many_fragments_fail(tmp_path):
    text = "".join("<!-- no-run: x -->\n```c\nint x;\n```\n\n" for _ in range(4))
    r = run("examples", page(tmp_path, text))
    assert r.returncode == 1
    assert "keep them at most" in r.stderr


def test_a_stale_version_fails(tmp_path):
    r = run("examples", page(tmp_path, "`pip install dist/dstoken-9.9.9-py3-none-any.whl`\n"))
    assert r.returncode == 1
    assert "names version 9.9.9" in r.stderr


def test_broken_links_and_anchors_fail(tmp_path):
    site = tmp_path / "src"
    site.mkdir()
    (site / "SUMMARY.md").write_text("- [A](a.md)\n- [B](b.md)\n")
    (site / "a.md").write_text("# A\n\n## Some heading\n\n[ok](b.md#the-b-page) [ok](#some-heading)\n")
    (site / "b.md").write_text("# The B page\n")
    assert run("links", "--staged", site).returncode == 0
    (site / "a.md").write_text("# A\n\n[gone](c.md) [bad anchor](b.md#nope)\n")
    r = run("links", "--staged", site)
    assert r.returncode == 1
    assert "c.md: no such file" in r.stderr and "no heading with id 'nope'" in r.stderr


def test_a_repository_path_must_be_a_link(tmp_path):
    site = tmp_path / "src"
    site.mkdir()
    (site / "SUMMARY.md").write_text("- [A](a.md)\n")
    url = "https://github.com/dstoken/dstoken/blob/main/bench/node/bench.js"
    (site / "a.md").write_text(f"# A\n\nMeasured by [`bench/node/bench.js`]({url}).\n\n"
                               "```sh\nnode bench/node/bench.js\n```\n<!-- bench/run.sh writes it -->\n")
    r = run("links", "--staged", site)
    assert r.returncode == 0, r.stdout + r.stderr
    (site / "a.md").write_text("# A\n\nMeasured by `bench/node/bench.js`; see the README and src/json.rs.\n")
    r = run("links", "--staged", site)
    assert r.returncode == 1
    assert "names bench/node/bench.js of the repository" in r.stderr
    assert "names src/json.rs of the repository" in r.stderr
    assert 'says "the README"' in r.stderr


def test_javadoc_percent_encoded_anchors_resolve(tmp_path):
    site = tmp_path / "src"
    site.mkdir()
    (site / "SUMMARY.md").write_text("- [A](a.md)\n")
    (site / "a.md").write_text("# A\n")
    html = tmp_path / "html"
    html.mkdir()
    (html / "C.html").write_text('<a id="&lt;init&gt;()"></a><a href="#%3Cinit%3E()">new</a>')
    assert run("links", "--staged", site, "--html", html).returncode == 0
    (html / "C.html").write_text('<a href="#%3Cgone%3E()">new</a>')
    r = run("links", "--staged", site, "--html", html)
    assert r.returncode == 1 and "no element with id '<gone>()'" in r.stderr


def test_a_project_file_builds_its_example(tmp_path):
    """A go.mod beside a Go program that mints: built with it; a broken one fails."""
    prog = ('```go\npackage main\n\nimport (\n\t"fmt"\n\t"os"\n\t"time"\n\n'
            '\tdstoken "github.com/dstoken/dstoken/bindings/go"\n)\n\nfunc main() {\n'
            '\tkey, _ := dstoken.NewKey([]byte(os.Getenv("DIGITALSAMBA_DEVELOPER_KEY")))\n'
            '\ttoken, err := dstoken.Mint(key, &dstoken.RoomToken{TeamID: "t", Room: "r", Lifetime: time.Hour})\n'
            '\tif err != nil {\n\t\tpanic(err)\n\t}\n\tfmt.Println(token)\n}\n```\n\n'
            "<!-- project: go.mod with main.go -->\n```text\nmodule example.com/app\n\ngo 1.24\n\n")
    ok = run("examples", page(tmp_path, prog + "require github.com/dstoken/dstoken/bindings/go v0.1.0\n```\n", "ok.md"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "1 of them whole projects" in ok.stdout
    bad = run("examples", page(tmp_path, prog + "require github.com/dstoken/dstoken/bindings/golang v0.1.0\n```\n", "bad.md"))
    assert bad.returncode == 1 and "go build failed" in bad.stderr
