"""The explorer's Summary tab: the evaluation's facts, macro averages and per-concept bars.

With bootstrap intervals (:meth:`clarinb.Evaluation.metric_intervals`) the
bars get error bars and the macro averages their intervals.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clarinb import metrics
from clarinb._html import Markup, plotly_text, table
from clarinb._names import concept_name
from clarinb._numbers import interval_text, number_text
from clarinb.errors import ClarinbError
from clarinb.views._theme import score_axis

__all__ = ["facts_html", "per_concept_metrics", "summary_figure", "summary_html"]

#: Readable names of the per-concept columns.
LABELS = {"roc_auc": "ROC AUC", "avg_precision": "average precision", "f1": "F1"}
#: Columns taken from the intervals, beside the values.
_INTERVAL_COLUMNS = [f"{m}{end}" for m in LABELS for end in ("_lo", "_hi")]
_FADED = 0.45  # opacity of the bars of concepts with too few positives


def per_concept_metrics(
    binary_metrics: pd.DataFrame | None,
    test_set: pd.DataFrame | None,
    threshold: float,
    intervals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per concept ``concept_id``, ``roc_auc``, ``avg_precision`` and ``f1`` at the threshold.

    ROC AUC and AP come from the service's binary metrics when it sent them,
    else from the test set; F1 is recomputed from the test set at the
    threshold when there is one.  With ``intervals`` (of the test set, at
    the threshold) also ``<metric>_lo``, ``<metric>_hi``,
    ``too_few_positives``, ``note`` and ``ci``.

    Raises
    ------
    ClarinbError
        When there are neither binary metrics nor a test set.
    """
    if test_set is not None and len(test_set):
        scores = metrics.scores(test_set)
        f1 = metrics.at_threshold(test_set, threshold)[["concept_id", "f1"]]
        table = scores.merge(f1, on="concept_id").astype({"concept_id": str})
        if intervals is None:
            return table
        rows = intervals[intervals["level"] == "concept"].astype({"concept_id": str})
        kept = rows[["concept_id", *_INTERVAL_COLUMNS, "too_few_positives", "note", "ci"]]
        return table.merge(kept, on="concept_id", how="left")
    if binary_metrics is not None and len(binary_metrics):
        cols = [c for c in ("concept_id", "roc_auc", "avg_precision", "f1") if c in binary_metrics]
        return binary_metrics[cols].astype({"concept_id": str})
    raise ClarinbError("the evaluation has neither per-concept metrics nor a test set.")


def facts_html(facts: Mapping[str, Any]) -> Markup:
    """Render key facts (empty ones left out) as an escaped two-column table."""
    shown = {str(k): str(v) for k, v in facts.items() if v not in (None, "")}
    frame = pd.DataFrame({"fact": list(shown), "value": list(shown.values())})
    return table(frame, header=False, row_heads=True, class_="clarinb-table clarinb-summary")


def summary_html(
    facts: Mapping[str, Any],
    table: pd.DataFrame,
    threshold: float,
    intervals: pd.DataFrame | None = None,
    names: Mapping[str, str] | None = None,
) -> Markup:
    """Render the facts and the macro averages ("n/a" where a metric does not apply).

    With ``intervals`` the macro averages carry their intervals, and the
    concepts with too few positives for a useful interval are named (by
    ``names``, concept id -> name, where given).
    """
    rows = dict(facts)
    macro = intervals[intervals["level"] == "macro"] if intervals is not None else None
    for column, label in (("roc_auc", "macro ROC AUC"), ("avg_precision", "macro AP"),
                          ("f1", f"macro F1 at {threshold:.2f}")):  # fmt: skip
        if column in table:
            values = table[column].to_numpy(dtype=float)
            values = values[~np.isnan(values)]
            mean = values.mean() if values.size else float("nan")
            rows[label] = number_text(mean)
            if macro is not None and len(macro) and column + "_lo" in macro:
                ends = macro[[column + "_lo", column + "_hi"]].to_numpy(float)[0]
                rows[label] = interval_text(mean, *ends)
    rows["concepts"] = len(table)
    if intervals is not None and len(intervals):
        first = intervals.iloc[0]
        rows["intervals"] = (
            f"{float(first['ci']):.0%}, from {int(first['n_resamples'])} bootstrap resamples "
            "of the test inputs"
        )
        few = intervals[(intervals["level"] == "concept") & intervals["too_few_positives"]]
        if len(few):
            named = ", ".join(concept_name(c, names) for c in few["concept_id"].head(8))
            more = "…" if len(few) > 8 else ""
            rows["too few positives"] = (
                f"{len(few)} concept{'s' * (len(few) != 1)} ({named}{more}): their intervals "
                "say little"
            )
    return facts_html(rows)


def summary_figure(table: pd.DataFrame, names: Mapping[str, str], *, color: str) -> go.Figure:
    """Draw per-concept ROC AUC (else F1) as bars, lowest first, the axis fitted to the values.

    When the table has intervals (``<metric>_lo``, ``<metric>_hi``) the
    bars get error bars, the hovers the interval and the note, and the bars
    of concepts with too few positives are faded.
    """
    metric = "roc_auc" if "roc_auc" in table else "f1"
    ranked = table.sort_values(metric, kind="stable", na_position="first")
    values = ranked[metric].to_numpy(dtype=float)
    labels = [plotly_text(concept_name(c, names)) for c in ranked["concept_id"]]
    bar = go.Bar(
        x=labels,
        y=values,
        marker_color=color,
        customdata=[plotly_text(c) for c in ranked["concept_id"]],
        hovertemplate="%{x}<br>" + LABELS[metric] + ": %{y:.4f}<extra></extra>",
    )
    shown = values
    title = f"{LABELS[metric]} per concept, lowest first"
    if metric + "_lo" in ranked:
        lo, hi = ranked[metric + "_lo"].to_numpy(float), ranked[metric + "_hi"].to_numpy(float)
        shown = np.concatenate([values, lo])
        bar.error_y = {"type": "data", "symmetric": False, "array": hi - values,
                       "arrayminus": values - lo, "color": "#444"}  # fmt: skip
        notes = ranked["note"].fillna("").astype(str)
        bar.hovertext = [
            f"{label}<br>{LABELS[metric]}: {interval_text(v, a, b)}"
            + (f"<br>{plotly_text(note)}" if note else "")
            for label, v, a, b, note in zip(labels, values, lo, hi, notes, strict=True)
        ]
        bar.hovertemplate = "%{hovertext}<extra></extra>"
        few = ranked["too_few_positives"].fillna(False).to_numpy(bool)
        bar.marker.opacity = np.where(few, _FADED, 1.0)
        title += f", with {float(ranked['ci'].iloc[0]):.0%} intervals (faded: too few positives)"
    fig = go.Figure(bar)
    fig.update_layout(
        title={"text": title},
        yaxis=score_axis(shown, LABELS[metric]),
        xaxis={"type": "category", "showticklabels": len(labels) <= 120},
        height=380,
    )
    return fig
