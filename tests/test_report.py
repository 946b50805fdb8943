"""Static reports: standalone, every section present, data escaped, no token."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from clarinb import connect
from clarinb._plotlyjs import packed_plotlyjs
from clarinb.emulator import serve
from clarinb.emulator.server import demo_workspace
from clarinb.errors import InvalidArgumentError
from clarinb.report import build_report

HOSTILE = "<img src=x onerror=alert(1)>"


def hostile_workspace() -> dict:
    """The demo workspace with the concept named ``husky`` renamed to an HTML payload."""
    text = json.dumps(demo_workspace(), separators=(",", ":"))
    return json.loads(text.replace('"name":"husky"', '"name":' + json.dumps(HOSTILE)))


@pytest.fixture(scope="module")
def report() -> tuple[str, str]:
    with serve(data=hostile_workspace()) as emulator:
        return build_report(connect(emulator=emulator), title=f"Report {HOSTILE}"), emulator.pat


def test_standalone_with_plotlyjs_once_and_no_cdn(report) -> None:
    text, _ = report
    plotlyjs = packed_plotlyjs()
    assert text.count(plotlyjs) == 1
    assert base64.b64decode(plotlyjs)[:2] == b"\x1f\x8b"  # gzip
    rest = text.replace(plotlyjs, "")
    assert "<script src=" not in rest
    assert "cdn.plot.ly" not in rest
    assert "https://" not in rest
    assert text.count('class="plotly-graph-div"') >= 10


def test_every_section_is_present(report) -> None:
    text, _ = report
    for heading in [
        "Evaluation animals-base-on-v2",
        "Evaluation animals-detector-on-v2",
        "Confusion matrix (single-label, threshold 0.5)",
        "Per-concept confusion and co-occurrence (multi-label, threshold 0.5)",
        "ROC and precision-recall curves",
        "Average precision by class, IoU and area",
        "Per-concept metrics",
        "Model comparison",
        "Dataset versions",
        "What wildlife / v2 holds",
    ]:
        assert f">{heading}" in text, heading
    assert "Models: animals-large, animals-base, animals-mobile." in text
    assert "Not available" not in text


def test_data_is_escaped(report) -> None:
    text, _ = report
    assert HOSTILE not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text  # tables and headings show it as text
    assert "\\u003cimg" not in text  # figure text is escaped for plotly too
    plots = text.split("Plotly.newPlot(")[1:]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in p for p in plots)  # shown as typed
    assert "<title>Report &lt;img" in text


def test_token_is_absent(report) -> None:
    text, pat = report
    assert pat not in text


def test_nothing_to_report_is_an_error() -> None:
    with serve(data="demo") as emulator, pytest.raises(InvalidArgumentError, match="nothing"):
        build_report(connect(emulator=emulator), [])


def test_cli_report_from_a_snapshot(tmp_path: Path) -> None:
    snap, out = tmp_path / "snap.json", tmp_path / "report.html"
    base = [sys.executable, "-m", "clarinb.cli"]
    made = subprocess.run(
        [*base, "snapshot", "--demo", "--evaluation", "scene-tagger-on-v2", "-o", str(snap)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    done = subprocess.run(
        [*base, "report", "--snapshot", str(snap), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert ">Evaluation scene-tagger-on-v2" in text
    assert "Model comparison" not in text  # one evaluation: nothing to compare


@pytest.mark.parametrize("evaluation", ["animals-base-on-v2", "animals-detector-on-v2"])
def test_the_per_concept_table_is_bounded_and_says_so(monkeypatch, evaluation: str) -> None:
    from clarinb.report import _sections

    monkeypatch.setattr(_sections, "PER_CONCEPT_ROWS", 3)
    with serve() as emulator:
        ev = connect(emulator=emulator).evaluation(evaluation)
        page = str(_sections._per_concept(ev, None))
    assert page.count("<tr") == 1 + 3  # the header and three concepts
    assert "Showing the 3 of " in page
    assert "concepts with the lowest average precision" in page
