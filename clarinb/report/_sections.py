"""The report's sections: one per evaluation, the comparison, the dataset-version overview."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from clarinb._html import Block, Content, Section
from clarinb._numbers import number_text
from clarinb.evaluation import Evaluation
from clarinb.frames.summary import SUMMARY_FIELDS

__all__ = ["comparison_section", "dataset_section", "evaluation_section"]

_CONCEPT_COLUMNS = ["concept_name", "concept_id", "num_pos", "num_neg", "roc_auc"]
_CONCEPT_COLUMNS += ["avg_precision", "f1"]
_VERSION_COLUMNS = ["id", "description", "code_name", "inputs_count", "created_at"]


def _attempt(title: str, build: Callable[[], Content]) -> Block:
    """Make a block from ``build()``, or a note saying why it could not be made."""
    try:
        return Block(title, build())
    except Exception as exc:  # a view that does not apply to this data becomes a note
        return Block(title, f"Not available for this data: {exc}")


def _summary(ev: Evaluation) -> pd.DataFrame:
    s = ev.summary
    rows = [
        ("evaluation", ev.id),
        ("model", f"{ev.model_id} (version {ev.model_version_id})"),
        ("dataset version", f"{ev.dataset_id} / {ev.dataset_version_id}"),
        ("status", str(s.get("code_name", ""))),
    ]
    # Every MetricsSummary field; NaN (does not apply to this kind of model) shows "n/a".
    rows += [(name, number_text(s[name], ".4f")) for name in SUMMARY_FIELDS if name in s.index]
    return pd.DataFrame(rows, columns=["", "value"])


def _per_concept(ev: Evaluation) -> pd.DataFrame:
    if ev.kind == "detector":
        frame = ev.metrics_by_class()
        frame = frame[(frame["iou"] == 0.5) & (frame["area_name"] == "all")]
    else:
        frame = ev.binary_metrics()
    columns = [c for c in _CONCEPT_COLUMNS if c in frame.columns]
    return frame[columns].sort_values("num_pos", ascending=False, kind="stable")


def evaluation_section(client: Any, ev: Evaluation, anchor: str) -> Section:
    """Summary, confusion matrix, curves (or detection metrics) and per-concept table."""
    from clarinb import views  # noqa: PLC0415 - heavy, loaded when a report is made

    section = Section(f"Evaluation {ev.id}", anchor, [Block("Summary", _summary(ev))])
    if ev.is_failed or ev.is_pending:
        section.blocks.append(Block("", f"No metrics: the evaluation is {ev.code_name}."))
        return section
    if ev.kind == "detector":
        section.blocks.append(
            _attempt(
                "Average precision by class, IoU and area",
                lambda: views.DetectionMetricsView.from_evaluation(ev, iou=0.5).figure_,
            )
        )
    else:
        section.blocks.append(
            _attempt(
                "Confusion matrix (threshold 0.5)",
                lambda: views.ConfusionMatrixView.from_evaluation(ev, threshold=0.5).figure_,
            )
        )
        section.blocks.append(
            _attempt(
                "ROC and precision-recall curves (six most frequent concepts)",
                lambda: views.CurvesView.from_evaluation(ev, selection="top", k=6).figure_,
            )
        )
    section.blocks.append(_attempt("Per-concept metrics", lambda: _per_concept(ev)))
    return section


def comparison_section(evaluations: Sequence[Evaluation]) -> Section | None:
    """Compare the largest group (2 or more) of classifier evaluations sharing their concepts."""
    from clarinb import views  # noqa: PLC0415

    groups: dict[frozenset[str], list[Evaluation]] = {}
    for ev in evaluations:
        if ev.kind != "detector" and not (ev.is_failed or ev.is_pending):
            groups.setdefault(frozenset(ev.concepts), []).append(ev)
    same = max(groups.values(), key=len, default=[])[:6]
    if len(same) < 2:
        return None
    names = ", ".join(ev.model_id for ev in same)
    section = Section("Model comparison", "comparison", [Block("", f"Models: {names}.")])

    def summary() -> pd.DataFrame:
        compare = views.CompareView.from_evaluations(same)
        section.blocks.insert(1, Block("Per-concept differences", compare.figure_))
        return compare.summary_.reset_index()

    section.blocks.append(_attempt("Mean of each metric over the concepts", summary))
    return section


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
                    return views.MetricsGroupsView.from_dataset_version(version, top_n=20).figure_

                section.blocks.append(_attempt(f"What {d} / {version_id} holds", groups))
    return section
