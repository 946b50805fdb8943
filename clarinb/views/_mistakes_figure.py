"""The figure of :class:`MistakesView`: every listed mistake as a point, by concept and score."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clarinb._html import plotly_text
from clarinb._names import concept_name, named_text
from clarinb.metrics.mistakes import FALSE_POSITIVE, MISSED

__all__ = ["KIND_STYLE", "mistakes_figure"]

#: Marker and colour of each kind of mistake (the same in every figure and table).
KIND_STYLE = {
    FALSE_POSITIVE: {"symbol": "triangle-up", "color": "#D55E00"},
    MISSED: {"symbol": "triangle-down", "color": "#0072B2"},
}


def mistakes_figure(
    frame: pd.DataFrame, names: Mapping[str, str], *, threshold: float, title: str
) -> go.Figure:
    """Draw each mistake at (concept, score), one trace per kind, the threshold as a line.

    Concepts are ordered by their number of listed mistakes, most first. The
    hover names the input, its score, its top concept and its true concepts.
    """
    counts = frame.groupby("concept_id", sort=False).size().sort_values(ascending=False)
    order = [plotly_text(concept_name(c, names)) for c in counts.index]
    fig = go.Figure()
    for kind, style in KIND_STYLE.items():
        rows = frame[frame["kind"] == kind]
        truths = _each_distinct(rows["truth"], lambda t: plotly_text(named_text(t, names)))
        tops = _each_distinct(rows["top_concept"], lambda c: plotly_text(concept_name(c, names)))
        inputs = [plotly_text(i) for i in rows["input_id"].to_numpy(dtype=object)]
        top_scores = rows["top_score"].to_numpy(dtype=float)
        hover = [  # one string per point: plotly copies it, no per-item check of 4 columns
            f"input {i}<br>top: {c} ({s:.3f})<br>truth: {t}"
            for i, c, s, t in zip(inputs, tops, top_scores, truths, strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=_each_distinct(rows["concept_id"], lambda c: plotly_text(concept_name(c, names))),
                y=rows["score"].to_numpy(dtype=float),
                mode="markers",
                name=f"{kind}s",
                marker={"symbol": style["symbol"], "color": style["color"], "size": 9},
                text=np.array(hover, dtype=object),
                hovertemplate="%{x}: %{y:.3f}<br>%{text}<extra>" + kind + "</extra>",
            )
        )
    fig.add_hline(
        y=threshold,
        line={"dash": "dot", "color": "#888"},
        annotation_text=f"threshold {threshold:.2f}",
    )
    fig.update_layout(
        title={"text": plotly_text(title)},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": order},
        yaxis={"range": [-0.02, 1.02], "title": {"text": "score of the concept"}},
        legend={"orientation": "h", "y": -0.25},
        height=420,
    )
    return fig


def _each_distinct(values: pd.Series, show: Callable[[Any], str]) -> np.ndarray:
    """``show`` of every value, computed once per distinct value (object array)."""
    codes, distinct = pd.factorize(values.to_numpy(dtype=object))
    shown = np.array([show(v) for v in distinct], dtype=object)
    return shown[codes] if len(codes) else np.empty(0, dtype=object)
