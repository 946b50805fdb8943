"""The report's first section: which model is best, by how much, on what, on how many inputs."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from clarinb._html import Block, Markup, Section, join, table, tag
from clarinb._numbers import number_text
from clarinb.evaluation import Evaluation
from clarinb.report._analysis import HEADLINE, Analysis
from clarinb.report._names import metric_name
from clarinb.report._text import interval_text, verdict_text

__all__ = ["summary_section"]

#: The summary field shown for each kind of model.
_HEADLINE_FIELD = {"detector": "mean_avg_precision_iou_50", "classifier": "macro_avg_roc_auc"}


def _inputs(analysis: Analysis, ev: Evaluation) -> int | None:
    found = analysis.intervals.get(ev.id)
    if found is None or not len(found.concepts):
        return None
    row = found.concepts.iloc[0]
    return int(row["n_positives"] + row["n_negatives"])


def _headline(analysis: Analysis) -> Markup:
    best = analysis.best
    if best is None:
        return tag("p", "No two evaluated classifiers share their concepts: nothing to rank.")
    row = analysis.macro(best)
    assert row is not None
    n = _inputs(analysis, best)
    others = ", ".join(ev.model_id for ev in analysis.group[1:])
    level = f"{analysis.paired[0].ci:.0%}"
    first = tag(
        "p",
        tag("b", best.model_id),
        f" is the best of the {len(analysis.group)} models compared (against {others}) "
        f"on {len(best.concepts)} concepts and {n} test inputs of {best.dataset_id} / "
        f"{best.dataset_version_id}: {metric_name(HEADLINE).lower()} (mean over concepts) "
        f"{interval_text(row['value'], row['lo'], row['hi'])}, {level} interval in brackets.",
    )
    items = []
    for paired in analysis.paired:
        macro = paired.macro.loc[HEADLINE]
        sure = {"better": "really better", "worse": "really worse"}.get(
            str(macro["verdict"]), "within noise"
        )
        change = interval_text(macro["delta"], macro["delta_lo"], macro["delta_hi"], signed=True)
        items.append(
            tag(
                "li",
                f"{verdict_text(paired)}. Mean {metric_name(HEADLINE).lower()} {change}"
                f" over {paired.names[0]}: {sure}.",
            )
        )
    return join([first, tag("ul", *items)])


def _listing(evaluations: Sequence[Evaluation], analysis: Analysis) -> pd.DataFrame:
    rows = []
    for ev in evaluations:
        field = _HEADLINE_FIELD.get(ev.kind, "macro_avg_roc_auc")
        found = analysis.macro(ev)
        if found is not None:
            name, value = (
                metric_name(HEADLINE) + " (mean)",
                interval_text(*found[["value", "lo", "hi"]]),
            )
        else:
            value = (
                "n/a"
                if ev.is_failed or ev.is_pending
                else number_text(ev.summary.get(field), ".3f")
            )
            name = metric_name(field)
        n = _inputs(analysis, ev)
        rows.append(
            (ev.model_id, ev.id, ev.kind, ev.code_name, name, value, "n/a" if n is None else n)
        )
    columns = ["Model", "Evaluation", "Kind", "Status", "Headline metric", "Value", "Test inputs"]
    return pd.DataFrame(rows, columns=columns)


def summary_section(evaluations: Sequence[Evaluation], analysis: Analysis) -> Section:
    """Say the verdict on the compared models, and one line per evaluation."""
    return Section(
        "Summary",
        "summary",
        [
            Block("", _headline(analysis)),
            Block("Every evaluation in this report", table(_listing(evaluations, analysis))),
        ],
    )
