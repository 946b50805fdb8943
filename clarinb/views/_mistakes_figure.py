"""The figure of :class:`MistakesView`: every listed mistake as a point, by concept and score."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clarinb._html import plotly_text
from clarinb._names import concept_name, named_concepts
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
        truths = named_concepts(rows[["truth"]], names)["truth"]
        fig.add_trace(
            go.Scatter(
                x=[plotly_text(concept_name(c, names)) for c in rows["concept_id"]],
                y=rows["score"].to_numpy(dtype=float),
                mode="markers",
                name=f"{kind}s",
                marker={"symbol": style["symbol"], "color": style["color"], "size": 9},
                customdata=np.column_stack(  # an array: plotly copies it, no per-item check
                    [
                        np.array([plotly_text(i) for i in rows["input_id"]], dtype=object),
                        np.array(
                            [plotly_text(concept_name(c, names)) for c in rows["top_concept"]],
                            dtype=object,
                        ),
                        rows["top_score"].to_numpy(dtype=float).astype(object),
                        np.array([plotly_text(t) for t in truths], dtype=object),
                    ]
                ),
                hovertemplate=(
                    "input %{customdata[0]}<br>%{x}: %{y:.3f}<br>top: %{customdata[1]} "
                    "(%{customdata[2]:.3f})<br>truth: %{customdata[3]}<extra>" + kind + "</extra>"
                ),
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
