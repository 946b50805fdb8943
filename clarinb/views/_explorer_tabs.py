"""The contents of the explorer's tabs, each built from one evaluation's parts."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clarinb._html import Markup, html_widget, plotly_text, tag
from clarinb._html import table as html_table
from clarinb.errors import ClarinbError
from clarinb.metrics import top_predictions
from clarinb.views._source import EvaluationParts

__all__ = [
    "TAB_TITLES",
    "facts_html",
    "message",
    "message_html",
    "per_concept_metrics",
    "summary_figure",
    "inputs_html",
]

#: The explorer's tabs, in order.
TAB_TITLES = ("Summary", "Confusion", "Curves", "Thresholds", "Test set")
_ROWS = 100


def message_html(text: str, *, kind: str = "info") -> Markup:
    """Render a short message box (``kind``: ``info``, ``warning`` or ``error``), text escaped.

    Examples
    --------
    >>> str(message_html("<b>No test set.</b>")).count("&lt;b&gt;No test set.")
    1
    """
    colours = {"info": "#0072B2", "warning": "#E69F00", "error": "#D55E00"}
    return tag(
        "div",
        text,
        class_=f"clarinb-message clarinb-{kind}",
        style=f"border-left:4px solid {colours.get(kind, '#888')};padding:6px 10px",
    )


def message(text: str, *, kind: str = "info") -> widgets.HTML:
    """Make a widget showing :func:`message_html`.

    Examples
    --------
    >>> message("No test set.").value.count("No test set.")
    1
    """
    box: widgets.HTML = html_widget(message_html(text, kind=kind), f"clarinb-{kind}")
    return box


def describe_error(err: BaseException) -> str:
    """One line naming what failed, for a message box (never a traceback)."""
    kind = type(err).__name__
    text = str(err) or "no details"
    if not isinstance(err, ClarinbError):
        return f"Unexpected {kind}: {text}"
    return f"{kind}: {text}"


def per_concept_metrics(parts: EvaluationParts) -> pd.DataFrame:
    """Per-concept ``concept_id``, ``roc_auc``, ``avg_precision``, ``f1`` (body, else test set)."""
    try:
        frame = parts.binary_metrics
    except ClarinbError:
        frame = None
    if frame is not None and len(frame):
        cols = [c for c in ("concept_id", "roc_auc", "avg_precision", "f1") if c in frame]
        return frame[cols].astype({"concept_id": str})
    ts = parts.test_set
    if ts is None:
        raise ClarinbError("The evaluation has neither per-concept metrics nor a test set.")
    from clarinb import metrics  # noqa: PLC0415

    scores = metrics.scores(ts)
    f1 = metrics.at_threshold(ts, 0.5)[["concept_id", "f1"]]
    return scores.merge(f1, on="concept_id").astype({"concept_id": str})


def facts_html(facts: dict[str, Any]) -> Markup:
    """Render key facts (empty ones left out) as an escaped HTML table."""
    shown = {k: v for k, v in facts.items() if v not in (None, "")}
    rows = [tag("tr", tag("th", str(k)), tag("td", str(v))) for k, v in shown.items()]
    return tag("table", *rows, class_="clarinb-table clarinb-summary")


def summary_html(facts: dict[str, Any], table: pd.DataFrame) -> Markup:
    """Render key facts and macro averages as an escaped HTML table."""
    rows = {k: v for k, v in facts.items() if v not in (None, "")}
    for column, label in (("roc_auc", "macro ROC AUC"), ("avg_precision", "macro AP"),
                          ("f1", "macro F1 at 0.5")):  # fmt: skip
        if column in table:
            values = table[column].to_numpy(dtype=float)
            values = values[~np.isnan(values)]
            rows[label] = f"{values.mean():.4f}" if values.size else "n/a"
    rows["concepts"] = len(table)
    return facts_html(rows)


def summary_figure(table: pd.DataFrame, names: dict[str, str]) -> go.Figure:
    """Draw per-concept ROC AUC (or F1) as bars, lowest first."""
    metric = "roc_auc" if "roc_auc" in table else "f1"
    ranked = table.sort_values(metric, kind="stable", na_position="first")
    labels = [plotly_text(names.get(c, c)) for c in ranked["concept_id"]]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=ranked[metric].to_numpy(dtype=float),
            customdata=[plotly_text(c) for c in ranked["concept_id"]],
            hovertemplate="%{x}<br>" + metric + ": %{y:.4f}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": f"{metric} per concept (lowest first)"},
        yaxis={"range": [0, 1.02], "title": {"text": metric}},
        xaxis={"type": "category", "showticklabels": len(labels) <= 120},
        height=380,
    )
    return fig


def inputs_html(ts: pd.DataFrame, threshold: float = 0.5) -> Markup:
    """Summarise the test set and list its first inputs (truth, top prediction, correct)."""
    top = top_predictions(ts)
    truth = ts.loc[ts["ground_truth"].to_numpy(dtype=bool), ["input_id", "concept_id"]]
    truth = truth.astype(str).groupby("input_id")["concept_id"].agg(", ".join)
    top["ground_truth"] = top["input_id"].map(truth).fillna("")
    top["correct"] = [
        p in g.split(", ") and s >= threshold
        for p, g, s in zip(top["predicted"], top["ground_truth"], top["top_score"], strict=True)
    ]
    head = tag(
        "p",
        f"{ts['input_id'].nunique()} inputs, {ts['concept_id'].nunique()} concepts, "
        f"{int(ts['ground_truth'].sum())} positive labels; top prediction right at "
        f"{threshold:.2f} for {int(top['correct'].sum())} inputs. First {_ROWS}:",
    )
    cols = ["input_id", "ground_truth", "predicted", "top_score", "correct"]
    return head + html_table(top[cols].head(_ROWS))
