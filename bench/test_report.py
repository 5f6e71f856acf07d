"""Tests of bench/report.py: the committed pages match the published run, and a page cannot show
what the data does not say (a missing row, a wrong unit, a median that is not its rounds').

    build/venv/bin/python -m pytest bench/test_report.py     (scripts/test.sh rust runs it)

Cheap: no benchmark runs; every test reads the committed run in bench/results/.
"""
import json
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A copy of the published run and of the pages, with report.py pointed at it."""
    run_name = report.PUBLISHED.read_text().strip()
    results = tmp_path / "bench" / "results"
    shutil.copytree(report.RESULTS / run_name, results / run_name)
    (results / "PUBLISHED").write_text(run_name + "\n")
    pages = []
    for page in report.PAGES:
        dest = tmp_path / page.relative_to(report.ROOT)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(page, dest)
        pages.append(dest)
    chart = tmp_path / report.CHART_DATA.relative_to(report.ROOT)
    chart.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(report.CHART_DATA, chart)
    monkeypatch.setattr(report, "ROOT", tmp_path)
    monkeypatch.setattr(report, "RESULTS", results)
    monkeypatch.setattr(report, "PUBLISHED", results / "PUBLISHED")
    monkeypatch.setattr(report, "PAGES", pages)
    monkeypatch.setattr(report, "CHART_DATA", chart)
    return results / run_name


def edit(run_dir, bench, change):
    path = run_dir / f"{bench}.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def result_of(data, rid, threads=1, unit=None):
    return next(r for r in data["results"] if r["id"] == rid and r["threads"] == threads
                and (unit is None or r["unit"] == unit))


def test_committed_pages_match_the_published_run():
    report.check()  # raises DataError when README.md or the performance page differs


def test_a_number_typed_into_a_generated_block_fails_the_check(tree):
    readme = report.PAGES[0]
    text = readme.read_text()
    a = text.index("<!-- perf-table:start -->")
    row = text.index("| Python |", a)
    cells = text[row:text.index("\n", row)].split("|")
    cells[3] = " 2,480 "  # the README's old hand-kept Python headline
    readme.write_text(text[:row] + "|".join(cells) + text[text.index("\n", row):])
    with pytest.raises(report.DataError, match="README.md"):
        report.check()


def test_a_rate_where_the_table_needs_ns_per_token_is_refused(tree):
    def to_rate(data):
        r = result_of(data, "mint")
        r["unit"] = "tokens/s"
    edit(tree, "python", to_rate)
    with pytest.raises(report.DataError, match=r"'mint' .* is in tokens/s, the table needs ns/token"):
        report.check()


def test_a_missing_row_is_refused(tree):
    edit(tree, "node", lambda d: d.update(results=[r for r in d["results"] if r["id"] != "hand_written"]))
    with pytest.raises(report.DataError, match="node.json: no result 'hand_written'"):
        report.check()


def test_a_missing_benchmark_file_is_refused(tree):
    (tree / "go.json").unlink()
    with pytest.raises(report.DataError, match="no go.json"):
        report.check()


def test_a_median_that_is_not_the_median_of_its_rounds_is_refused(tree):
    edit(tree, "c", lambda d: result_of(d, "mint").update(median=1.0))
    with pytest.raises(report.DataError, match="c.json: result 'mint': median 1.0 is not the median of its rounds"):
        report.check()


def test_an_unknown_unit_is_refused(tree):
    edit(tree, "php", lambda d: result_of(d, "mint").update(unit="us/token"))
    with pytest.raises(report.DataError, match="unknown unit 'us/token'"):
        report.check()


def test_threads_rows_need_both_thread_counts(tree):
    edit(tree, "go", lambda d: d.update(results=[r for r in d["results"]
                                                 if not (r["id"] == "threads:mint" and r["threads"] == 2)]))
    with pytest.raises(report.DataError, match="go.json: no result 'threads:mint' on 2 thread"):
        report.check()


def test_ratios_are_medians_of_per_round_ratios_when_rounds_interleave():
    a = {"rounds": [1.0, 10.0, 3.0], "median": 3.0}
    b = {"rounds": [1.0, 10.0, 1.0], "median": 1.0}
    run = {"files": {"x": {"results": []}}}
    # per round: 1, 1, 3 -> median 1 (the ratio of the medians would say 3)
    assert report.ratio(run, "x", a, b) == 1.0
    run["files"]["x"]["interleaved"] = False
    assert report.ratio(run, "x", a, b) == 3.0


def test_publish_then_check_agree(tree):
    report.publish(tree)
    report.check()
