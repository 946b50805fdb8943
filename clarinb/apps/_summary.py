"""The explorer's Summary tab: the evaluation's facts, macro averages and per-concept bars."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clarinb import metrics
from clarinb._html import Markup, plotly_text, tag
from clarinb._numbers import number_text
from clarinb.errors import ClarinbError

__all__ = ["facts_html", "per_concept_metrics", "summary_figure", "summary_html"]

#: Readable names of the per-concept columns.
LABELS = {"roc_auc": "ROC AUC", "avg_precision": "average precision", "f1": "F1"}


def per_concept_metrics(
    binary_metrics: pd.DataFrame | None, test_set: pd.DataFrame | None, threshold: float
) -> pd.DataFrame:
    """Per concept ``concept_id``, ``roc_auc``, ``avg_precision`` and ``f1`` at the threshold.

    ROC AUC and AP come from the service's binary metrics when it sent them,
    else from the test set; F1 is recomputed from the test set at the
    threshold when there is one.

    Raises
    ------
    ClarinbError
        When there are neither binary metrics nor a test set.
    """
    if test_set is not None and len(test_set):
        scores = metrics.scores(test_set)
        f1 = metrics.at_threshold(test_set, threshold)[["concept_id", "f1"]]
        return scores.merge(f1, on="concept_id").astype({"concept_id": str})
    if binary_metrics is not None and len(binary_metrics):
        cols = [c for c in ("concept_id", "roc_auc", "avg_precision", "f1") if c in binary_metrics]
        return binary_metrics[cols].astype({"concept_id": str})
    raise ClarinbError("the evaluation has neither per-concept metrics nor a test set.")


def facts_html(facts: Mapping[str, Any]) -> Markup:
    """Render key facts (empty ones left out) as an escaped two-column table."""
    shown = {k: v for k, v in facts.items() if v not in (None, "")}
    rows = [tag("tr", tag("th", str(k)), tag("td", str(v))) for k, v in shown.items()]
    return tag("table", *rows, class_="clarinb-table clarinb-summary")


def summary_html(facts: Mapping[str, Any], table: pd.DataFrame, threshold: float) -> Markup:
    """Render the facts and the macro averages ("n/a" where a metric does not apply)."""
    rows = dict(facts)
    for column, label in (("roc_auc", "macro ROC AUC"), ("avg_precision", "macro AP"),
                          ("f1", f"macro F1 at {threshold:.2f}")):  # fmt: skip
        if column in table:
            values = table[column].to_numpy(dtype=float)
            values = values[~np.isnan(values)]
            rows[label] = number_text(values.mean() if values.size else float("nan"))
    rows["concepts"] = len(table)
    return facts_html(rows)


def summary_figure(table: pd.DataFrame, names: Mapping[str, str], *, color: str) -> go.Figure:
    """Draw per-concept ROC AUC (else F1) as bars, lowest first, the axis fitted to the values."""
    metric = "roc_auc" if "roc_auc" in table else "f1"
    ranked = table.sort_values(metric, kind="stable", na_position="first")
    values = ranked[metric].to_numpy(dtype=float)
    labels = [plotly_text(names.get(c, c)) for c in ranked["concept_id"]]
    finite = values[np.isfinite(values)]
    low = max(0.0, float(finite.min()) - 0.05) if finite.size else 0.0
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=values,
            marker_color=color,
            customdata=[plotly_text(c) for c in ranked["concept_id"]],
            hovertemplate="%{x}<br>" + LABELS[metric] + ": %{y:.4f}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": f"{LABELS[metric]} per concept, lowest first"},
        yaxis={"range": [low, 1.0], "title": {"text": LABELS[metric]}},
        xaxis={"type": "category", "showticklabels": len(labels) <= 120},
        height=380,
    )
    return fig
