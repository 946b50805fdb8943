"""The report's sections: one per evaluation, the comparison, the dataset-version overview."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pandas as pd

from clarinb import metrics
from clarinb._html import Block, Content, Markup, Section, table, tag
from clarinb._names import concept_name
from clarinb._numbers import number_text
from clarinb.evaluation import Evaluation
from clarinb.frames.summary import SUMMARY_FIELDS
from clarinb.metrics.bootstrap import BootstrapIntervals
from clarinb.report._analysis import HEADLINE, Analysis
from clarinb.report._figures import curve_concepts, curves_figure, fit_legend
from clarinb.report._names import METRIC_NAMES, metric_label, metric_name
from clarinb.report._text import interval_text, verdict_text

__all__ = ["comparison_section", "dataset_section", "evaluation_section"]

_VERSION_COLUMNS = ["id", "description", "code_name", "inputs_count", "created_at"]
_SERVICE_COLUMNS = ["concept_name", "num_pos", "num_neg", "roc_auc", "avg_precision", "f1"]
#: Suspected label errors listed per evaluation.
TOP_ISSUES = 10


def _attempt(title: str, build: Callable[[], Content]) -> Block:
    """Make a block from ``build()``, or a note saying why it could not be made."""
    try:
        return Block(title, build())
    except Exception as exc:  # a view that does not apply to this data becomes a note
        return Block(title, f"Not available for this data: {exc}")


def _summary(ev: Evaluation) -> pd.DataFrame:
    s = ev.summary
    rows: list[tuple[Any, str]] = [
        ("Evaluation", ev.id),
        ("Model", f"{ev.model_id} (version {ev.model_version_id})"),
        ("Dataset version", f"{ev.dataset_id} / {ev.dataset_version_id}"),
        ("Status", str(s.get("code_name", ""))),
    ]
    # Every MetricsSummary field; NaN (does not apply to this kind of model) shows "n/a".
    rows += [
        (metric_label(name), number_text(s[name], ".4f")) for name in SUMMARY_FIELDS if name in s
    ]
    return pd.DataFrame(rows, columns=["", "value"])


#: Most rows of an evaluation's per-concept table in a report.
PER_CONCEPT_ROWS = 1000


def _headers(frame: pd.DataFrame) -> Markup:
    """Render a table whose metric columns have readable names and their API field as tooltip."""
    names = {c: metric_name(c) for c in frame.columns if c in METRIC_NAMES}
    titles = {metric_name(c): c for c in names}
    return table(frame.rename(columns=names), titles=titles)


def _per_concept(ev: Evaluation, found: BootstrapIntervals | None) -> Content:
    """Render the per-concept table, lowest AP first, at most :data:`PER_CONCEPT_ROWS` rows."""
    if ev.kind == "detector":
        frame = ev.metrics_by_class()
        frame = frame[(frame["iou"] == 0.5) & (frame["area_name"] == "all")]
        columns = [c for c in _SERVICE_COLUMNS if c in frame.columns]
        return _bounded(frame[columns].sort_values("avg_precision", kind="stable"), _headers)
    if found is None:
        frame = ev.binary_metrics()
        columns = [c for c in _SERVICE_COLUMNS if c in frame.columns]
        return _bounded(frame[columns].sort_values("avg_precision", kind="stable"), _headers)
    return _bounded(found.concepts.sort_values("avg_precision", kind="stable"),
                    partial(_interval_table, ev, level=f"{found.ci:.0%} interval"))  # fmt: skip


def _interval_table(ev: Evaluation, c: pd.DataFrame, *, level: str) -> Markup:
    shown = pd.DataFrame(
        {
            "Concept": [concept_name(i, ev.concepts) for i in c["concept_id"]],
            "Positives": c["n_positives"].to_numpy(),
            "Negatives": c["n_negatives"].to_numpy(),
        }
    )
    titles = {}
    for name in ("avg_precision", "roc_auc", "f1"):
        head = f"{metric_name(name)} ({level})"
        titles[head] = name
        shown[head] = [
            interval_text(v, lo, hi)
            for v, lo, hi in zip(c[name], c[f"{name}_lo"], c[f"{name}_hi"], strict=True)
        ]
    shown["Note"] = [
        "too few positives for a useful interval" if f else "" for f in c["too_few_positives"]
    ]
    return table(shown, titles=titles)


def _bounded(frame: pd.DataFrame, render: Callable[[pd.DataFrame], Markup]) -> Markup:
    """Render the first :data:`PER_CONCEPT_ROWS` rows, with a note of the rest when cut."""
    if len(frame) <= PER_CONCEPT_ROWS:
        return render(frame)
    note = (
        f"Showing the {PER_CONCEPT_ROWS:,} of {len(frame):,} concepts with the lowest average "
        "precision, to keep the page small; every concept is in the evaluation's "
        "binary_metrics()."
    )
    return render(frame.head(PER_CONCEPT_ROWS)) + tag("p", note, class_="note")


def _label_issues(ev: Evaluation) -> Content:
    with warnings.catch_warnings():  # cleanlab warns once per rare class: noise in a report
        warnings.filterwarnings("ignore", category=UserWarning, module="cleanlab")
        found = metrics.label_issues(ev.test_set())
    if not len(found):
        return "cleanlab flags no input of this test set as a likely label error."
    names = ev.concepts

    def shown(value: Any) -> str:
        values = value if isinstance(value, tuple) else (value,)
        return ", ".join(concept_name(v, names) for v in values) or "(none)"

    given, suggested = ("given_label", "suggested_label")
    if given not in found.columns:
        given, suggested = ("given_labels", "suggested_labels")
    top = found.head(TOP_ISSUES)
    rows = pd.DataFrame(
        {
            "Rank": top["rank"].to_numpy(),
            "Input": top["input_id"].to_numpy(),
            "Given label": [shown(v) for v in top[given]],
            "Suggested label": [shown(v) for v in top[suggested]],
            "Label quality": top["label_quality"].to_numpy(),
        }
    )
    more = (
        f" (the {TOP_ISSUES} likeliest of {len(found)} flagged)" if len(found) > TOP_ISSUES else ""
    )
    note = tag(
        "p",
        f"Inputs whose given label the model most strongly disputes{more}, found with "
        "cleanlab's confident learning; lowest label quality first.",
        class_="note",
    )
    return note + table(rows, titles={"Label quality": "label_quality (cleanlab)"})


def evaluation_section(ev: Evaluation, anchor: str, analysis: Analysis) -> Section:
    """Summary, confusion matrix, curves (or detection metrics), per-concept table, label errors."""
    from clarinb import views  # noqa: PLC0415 - heavy, loaded when a report is made

    section = Section(f"Evaluation {ev.id}", anchor, [Block("Summary", _summary(ev))])
    if ev.is_failed or ev.is_pending:
        section.blocks.append(Block("", f"No metrics: the evaluation is {ev.code_name}."))
        return section
    found = analysis.intervals.get(ev.id)
    if ev.kind == "detector":
        section.blocks.append(
            _attempt(
                "Average precision by class, IoU and area",
                lambda: fit_legend(views.DetectionMetricsView.from_evaluation(ev, iou=0.5).figure_),
            )
        )
    else:
        multi = ev.model_kind == "multi-label"
        view = views.MultiLabelConfusionView if multi else views.ConfusionMatrixView
        heading = (
            "Per-concept confusion and co-occurrence (multi-label, threshold 0.5)"
            if multi
            else "Confusion matrix (single-label, threshold 0.5)"
        )
        section.blocks.append(
            _attempt(
                heading,
                lambda: fit_legend(view.from_evaluation(ev, threshold=0.5).figure_),
            )
        )
        worst, best = curve_concepts(ev.binary_metrics())
        if best:
            title = (
                f"ROC and precision-recall curves: the {len(worst)} concepts with the lowest "
                f"average precision and the {len(best)} with the highest"
            )
        else:
            title = f"ROC and precision-recall curves of all {len(worst)} concepts"
        section.blocks.append(_attempt(title, lambda: curves_figure(ev, worst + best)))
    heading = "Per-concept metrics, lowest average precision first"
    section.blocks.append(_attempt(heading, lambda: _per_concept(ev, found)))
    if found is not None:
        section.blocks.append(_attempt("Suspected label errors", lambda: _label_issues(ev)))
    return section


def comparison_section(analysis: Analysis) -> Section | None:
    """Show the compared models' verdicts, per-concept differences beyond noise, and their means."""
    from clarinb import views  # noqa: PLC0415

    if not analysis.group:
        return None
    names = ", ".join(ev.model_id for ev in analysis.group)
    section = Section("Model comparison", "comparison", [Block("", f"Models: {names}.")])
    for paired in analysis.paired:
        other, best = paired.names
        section.blocks.append(
            _attempt(f"{best} against {other}", partial(_paired_table, paired, analysis))
        )

    made: dict[str, Any] = {}

    def compare() -> Any:
        if "view" not in made:
            made["view"] = views.CompareView.from_evaluations(analysis.group)
        return made["view"]

    def deltas() -> Content:
        return fit_legend(compare().figure_)

    def means() -> Content:
        frame = compare().summary_.rename(index=metric_name).rename_axis("").reset_index()
        return _headers(frame)

    section.blocks.append(_attempt("Per-concept differences", deltas))
    section.blocks.append(_attempt("Mean of each metric over the concepts", means))
    return section


def _paired_table(paired: metrics.PairedComparison, analysis: Analysis) -> Markup:
    other, best = paired.names
    rows = paired.concepts[paired.concepts["metric"] == HEADLINE]
    rows = rows.sort_values("delta", ascending=False, kind="stable")
    names = analysis.group[0].concepts
    head = f"Difference {best} - {other} ({paired.ci:.0%} interval)"
    shown = pd.DataFrame(
        {
            "Concept": [concept_name(i, names) for i in rows["concept_id"]],
            other: rows["a"].to_numpy(),
            best: rows["b"].to_numpy(),
            head: [
                interval_text(d, lo, hi, signed=True)
                for d, lo, hi in zip(rows["delta"], rows["delta_lo"], rows["delta_hi"], strict=True)
            ],
            "Verdict": rows["verdict"].to_numpy(),
        }
    )
    line = tag("p", verdict_text(paired))
    note = tag(
        "p",
        f"{metric_name(HEADLINE)} per concept on the {paired.n_inputs} shared test inputs; "
        "better or worse only where the paired bootstrap interval excludes 0.",
        class_="note",
    )
    return line + note + table(shown, titles={head: f"delta of {HEADLINE}"})


def dataset_section(client: Any, versions: Sequence[tuple[str, str]]) -> Section:
    """Each dataset's versions, and what each version in scope holds (metrics groups)."""
    from clarinb import views  # noqa: PLC0415

    section = Section("Dataset versions", "datasets")
    for dataset_id in dict.fromkeys(d for d, _ in versions):

        def listing(dataset_id: str = dataset_id) -> pd.DataFrame:
            frame = client.dataset_versions(dataset_id)
            return frame[[c for c in _VERSION_COLUMNS if c in frame.columns]]

        section.blocks.append(_attempt(f"Versions of dataset {dataset_id}", listing))
        for d, version_id in versions:
            if d == dataset_id:

                def groups(d: str = d, v: str = version_id) -> Content:
                    version = client.dataset_version(d, v)
                    figure = views.MetricsGroupsView.from_dataset_version(version, top_n=20).figure_
                    return fit_legend(figure)

                section.blocks.append(_attempt(f"What {d} / {version_id} holds", groups))
    return section
