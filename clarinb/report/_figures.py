"""The report's figures: decimated curves of the worst and best concepts, legends that fit."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clarinb import metrics
from clarinb.evaluation import Evaluation

__all__ = ["CURVE_POINTS", "EACH_END", "curve_concepts", "curves_figure", "fit_legend"]

#: Most points drawn per curve (a drawing needs no more; the areas are the service's).
CURVE_POINTS = 120
#: Concepts shown from each end of the ranking by average precision.
EACH_END = 3
#: Legend geometry (pixels): a line, a row's width, an entry's symbol and a character.
_LINE, _ROW, _ENTRY, _CHAR = 30, 1000, 50, 7


def fit_legend(figure: go.Figure) -> go.Figure:
    """Lay the legends out under the plot, tall enough that they never scroll.

    One legend of several entries runs in rows under the plot; several
    legends (one per subplot) stay in columns under their subplots. The
    figure grows by the room they take.
    """
    counts: dict[str, int] = {}
    for trace in figure.data:
        if trace.showlegend is not False and trace.name:
            key = getattr(trace, "legend", None) or "legend"
            counts[key] = counts.get(key, 0) + 1
    if sum(counts.values()) < 2:
        return figure
    height = figure.layout.height or 450
    if len(counts) == 1:
        names = [t.name for t in figure.data if t.showlegend is not False and t.name]
        rows = math.ceil(sum(_ENTRY + _CHAR * len(str(n)) for n in names) / _ROW)
        extra = _LINE * rows
        figure.update_layout(
            legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "xanchor": "left"}
        )
    else:
        extra = _LINE * max(counts.values())
        for key in counts:
            figure.layout[key].update(orientation="v", yanchor="top", y=-0.12)
        if figure.layout.legend.x is None:
            figure.layout.legend.x = 0
    for key in counts:
        figure.layout[key].update(maxheight=extra + 2 * _LINE)  # room to spare: no scrollbar
    margin = figure.layout.margin.b if figure.layout.margin.b is not None else 80
    figure.update_layout(height=height + extra, margin={"b": margin + extra})
    return figure


def curve_concepts(binary_metrics: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Pick the :data:`EACH_END` concepts with the lowest and the highest average precision.

    All concepts are in the first list when there are ``2 * EACH_END`` or fewer.
    """
    ranked = binary_metrics.assign(concept_id=binary_metrics["concept_id"].astype(str))
    ranked = ranked.dropna(subset=["avg_precision"]).drop_duplicates("concept_id")
    ranked = ranked.sort_values("avg_precision", kind="stable")
    ids = ranked["concept_id"].tolist()
    if len(ids) <= 2 * EACH_END:
        return ids, []
    return ids[:EACH_END], ids[-EACH_END:][::-1]


def _decimated(frame: pd.DataFrame, ids: list[str], x: str, y: str) -> pd.DataFrame:
    shown = frame[frame["concept_id"].astype(str).isin(ids)]
    shown = shown.assign(concept_id=shown["concept_id"].astype(str))
    shown = shown.sort_values("concept_id", kind="stable").reset_index(drop=True)
    keep = metrics.decimate(
        shown[x], shown[y], groups=shown["concept_id"].to_numpy(), max_points=CURVE_POINTS
    )
    return shown.iloc[np.asarray(keep)]


def curves_figure(ev: Evaluation, ids: list[str], threshold: float = 0.5) -> Any:
    """ROC and PR curves of ``ids``, decimated, with the service's AUC and AP in the legend."""
    from clarinb.views import CurvesView  # noqa: PLC0415 - heavy, loaded when a report is made

    view = CurvesView.from_frames(
        roc=_decimated(ev.roc_curves(), ids, "fpr", "tpr"),
        pr=_decimated(ev.pr_curves(), ids, "recall", "precision"),
        binary_metrics=ev.binary_metrics(),
        selection=ids,
        averages=False,
        threshold=threshold,
        concept_names=ev.concepts,
    )
    return fit_legend(view.figure_)
