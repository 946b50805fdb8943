"""A report a manager can forward: summary first, readable names, honest curves, small enough."""

from __future__ import annotations

import json
import re

import pytest

from clarinb import connect
from clarinb.emulator import serve
from clarinb.report import build_report

#: The demo report, plotly.js included, must stay under this many bytes.
BUDGET = 4_000_000


@pytest.fixture(scope="module")
def text() -> str:
    with serve(data="demo") as emulator:
        return build_report(connect(emulator=emulator))


def _plots(text: str) -> list[dict]:
    """Every figure's (data, layout) as plotly writes them into the page."""
    found = []
    decoder = json.JSONDecoder()
    for chunk in text.split("Plotly.newPlot(")[1:]:
        rest = chunk.split(",", 1)[1].lstrip()
        data, end = decoder.raw_decode(rest)
        layout, _ = decoder.raw_decode(rest[end:].lstrip().lstrip(",").lstrip())
        found.append({"data": data, "layout": layout})
    return found


def _section(text: str, title: str) -> str:
    """The section headed ``title``."""
    return text.split(f"<h2>{title}</h2>")[1].split("</section>", maxsplit=1)[0]


def test_the_report_opens_with_a_summary_of_the_best_model(text: str) -> None:
    sections = re.findall(r'<section id="([a-z0-9-]+)">', text)
    assert sections[0] == "summary"
    summary = _section(text, "Summary")
    assert "animals-large" in summary
    assert "best" in summary
    assert "640 test inputs" in summary or re.search(r"\d+ test inputs", summary)
    assert "beats" in summary
    assert "paired bootstrap" in summary
    assert "95%" in summary


def test_classifiers_come_before_the_detector(text: str) -> None:
    titles = re.findall(r"<h2>Evaluation ([a-z0-9-]+)</h2>", text)
    assert titles[-1] == "animals-detector-on-v2"
    assert len(titles) == 5


def test_metric_names_are_readable_with_the_api_field_as_tooltip(text: str) -> None:
    assert 'title="mean_avg_precision_iou_50"' in text
    assert ">mean_avg_precision_iou_50<" not in text
    assert ">macro_avg_roc_auc<" not in text
    assert ">avg_precision<" not in text


def test_curves_show_the_worst_concepts_and_say_so(text: str) -> None:
    assert "six most frequent" not in text
    mobile = _section(text, "Evaluation animals-mobile-on-v2")
    heading = re.search(r"<h3>(ROC and precision-recall curves[^<]*)</h3>", mobile)
    assert heading is not None
    assert "lowest" in heading.group(1)
    assert "highest" in heading.group(1)
    plots = _plots(mobile)
    names = " ".join(str(t.get("name", "")) for p in plots for t in p["data"])
    assert "jaguar" in names  # the worst concept of animals-mobile by AP (0.135)


def test_intervals_verdict_and_label_issues_are_in_the_report(text: str) -> None:
    large = _section(text, "Evaluation animals-large-on-v2")
    assert "95% interval" in large
    assert re.search(r"0\.\d{3} \(0\.\d{2} to [01]\.\d{2}\)", large)  # value (lo to hi)
    assert "Suspected label errors" in large
    assert "Given label" in large
    assert "Suggested label" in large
    compare = _section(text, "Model comparison")
    assert "beats" in compare
    assert "indistinguishable" in compare


def test_not_applicable_metrics_show_n_a(text: str) -> None:
    detector = _section(text, "Evaluation animals-detector-on-v2")
    assert "<td>n/a</td>" in detector
    assert ">nan<" not in text.lower()


def test_legends_never_scroll(text: str) -> None:
    """A legend scrolls (a grey slab) past its maxheight: each has room for all its entries."""
    for plot in _plots(text):
        counts: dict[str, int] = {}
        for trace in plot["data"]:
            if trace.get("showlegend", True) and trace.get("name"):
                key = trace.get("legend", "legend")
                counts[key] = counts.get(key, 0) + 1
        if sum(counts.values()) < 2:
            continue
        for key, n in counts.items():
            legend = plot["layout"].get(key, {})
            rows = 1 if legend.get("orientation") == "h" else n
            assert legend.get("maxheight", 0) >= 30 * rows + 20, (plot["layout"].get("title"), key)


def test_no_figure_draws_the_same_trace_twice(text: str) -> None:
    for plot in _plots(text):
        seen = set()
        for trace in plot["data"]:
            key = json.dumps([trace.get(k) for k in ("name", "x", "y", "z", "xaxis", "yaxis")])
            assert key not in seen, trace.get("name")
            seen.add(key)


def test_the_demo_report_fits_the_size_budget(text: str) -> None:
    assert len(text.encode()) < BUDGET
