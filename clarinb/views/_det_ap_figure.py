"""Private: the figure of ``DetectionMetricsView``.

Row 1: AP by class x IoU (heatmap) and, on the same class axis, AP by class
at the chosen IoU per object size (one marker per size, one row per class,
best class first).  Row 2: the chosen class's PR curves, one per IoU.  Every
class is labelled (an explicit tick per row) and the sizes and the IoUs have
separate legends.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clarinb._html import plotly_text

__all__ = ["AREA_WORDS", "ap_figure"]

#: How each COCO area range is named in the legend.
AREA_WORDS = {
    "all": "all sizes",
    "small": "small (< 32\u00b2 px)",
    "medium": "medium (32\u00b2 to 96\u00b2 px)",
    "large": "large (> 96\u00b2 px)",
}
# colour and marker of each area range (others: the theme's colours, circles)
_AREA_MARKS = {
    "all": ("#000000", "diamond-open"),
    "small": ("#56B4E9", "circle"),
    "medium": ("#E69F00", "square"),
    "large": ("#009E73", "triangle-up"),
}
_ROW_PX = 24


def _nan_none(values: Sequence[float]) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values]


def ap_figure(
    metrics: pd.DataFrame,
    curves: pd.DataFrame,
    *,
    order: Sequence[str],
    names: Mapping[str, str],
    ious: Sequence[float],
    areas: Sequence[str],
    iou: float,
    area: str,
    concept: str,
    title: str,
) -> go.Figure:
    """Draw the AP heatmap, the AP by size and the PR curves of one class.

    Parameters
    ----------
    metrics : pandas.DataFrame
        ``concept_id``, ``iou``, ``area_name``, ``avg_precision``.
    curves : pandas.DataFrame
        The chosen class's PR points at ``area`` (``iou``, ``recall``, ``precision``).
    order : sequence of str
        The classes, top row first.
    names : mapping
        Display name of a class id.
    ious, areas : sequence
        The IoUs and area ranges present.
    iou, area, concept : float, str, str
        What is chosen.
    title : str
        The figure's title (plain text: escaped here).
    """
    n = len(order)
    rows = list(range(n))
    ticks = [plotly_text(names.get(c, c)) for c in order]
    area_text = plotly_text(AREA_WORDS.get(area, area))
    top = max(260, _ROW_PX * n + 60)
    fig = make_subplots(
        rows=2,
        cols=2,
        specs=[[{}, {}], [{"colspan": 2}, None]],
        shared_yaxes=True,
        column_widths=[0.58, 0.42],
        row_heights=[top, 320],
        horizontal_spacing=0.03,
        vertical_spacing=90 / (top + 320 + 90),
        subplot_titles=(
            f"AP by class and IoU ({area_text})",
            f"AP by class and object size at IoU {iou:g}",
            f"PR curves of {plotly_text(names.get(concept, concept))} ({area_text})",
        ),
    )
    at_area = metrics[metrics["area_name"] == area]
    grid = at_area.pivot_table(
        index="concept_id", columns="iou", values="avg_precision", sort=False
    ).reindex(index=list(order), columns=list(ious))
    labels = [f"{v:g}" for v in ious]
    fig.add_trace(
        go.Heatmap(
            z=[_nan_none(row) for row in grid.to_numpy(dtype=float).tolist()],
            x=labels,
            y=rows,
            customdata=[[t] * len(labels) for t in ticks],
            zmin=0,
            zmax=1,
            colorscale="Viridis",
            colorbar={
                "title": {"text": "AP"},
                "thickness": 12,
                "x": 1.01,
                "len": top / (top + 410),
                "y": 1.0,
                "yanchor": "top",
            },
            hovertemplate="%{customdata} @ IoU %{x}: AP %{z:.3f}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    at_iou = metrics[metrics["iou"] == iou]
    for name in areas:
        part = at_iou[at_iou["area_name"] == name].drop_duplicates("concept_id")
        values = part.set_index("concept_id")["avg_precision"].reindex(list(order))
        colour, symbol = _AREA_MARKS.get(name, (None, "circle"))
        words = plotly_text(AREA_WORDS.get(name, name))
        fig.add_trace(
            go.Scatter(
                x=_nan_none(values.to_numpy(dtype=float).tolist()),
                y=rows,
                mode="markers",
                name=f"area {words}",
                customdata=ticks,
                legend="legend",
                marker={
                    "size": 10,
                    "symbol": symbol,
                    "color": colour,
                    "line": {"width": 1.5, "color": colour},
                },
                hovertemplate="%{customdata}, " + words + ": AP %{x:.3f}<extra></extra>",
            ),
            row=1,
            col=2,
        )
    for value, label in zip(ious, labels, strict=True):
        pts = curves[curves["iou"] == value]
        chosen = value == iou
        fig.add_trace(
            go.Scatter(
                x=pts["recall"].tolist(),
                y=pts["precision"].tolist(),
                mode="lines",
                name=f"IoU {label}",
                legend="legend2",
                line={"width": 3 if chosen else 1},
                opacity=1.0 if chosen else 0.45,
            ),
            row=2,
            col=1,
        )
    index = list(ious).index(iou)
    fig.add_shape(
        type="rect", x0=index - 0.5, x1=index + 0.5, y0=-0.5, y1=n - 0.5,
        line={"width": 3, "color": "#E69F00"}, row=1, col=1,
    )  # fmt: skip
    fig.update_yaxes(
        tickmode="array", tickvals=rows, ticktext=ticks, autorange="reversed",
        showgrid=False, row=1, col=1,
    )  # fmt: skip
    fig.update_yaxes(showgrid=True, row=1, col=2)
    fig.update_xaxes(title_text="IoU threshold", type="category", row=1, col=1)
    fig.update_xaxes(title_text="AP", range=[-0.02, 1.02], row=1, col=2)
    fig.update_xaxes(title_text="recall", range=[0, 1], row=2, col=1)
    fig.update_yaxes(title_text="precision", range=[0, 1.02], row=2, col=1)
    height = top + 320 + 90 + 230
    fig.update_layout(
        title={"text": title, "y": 1 - 12 / height, "yanchor": "top", "yref": "container"},
        height=height,
        margin={"t": 120, "b": 120, "r": 80},
        # 48 px under the top, above the subplot titles (in plot fractions: a
        # report that moves the legends under the plot keeps them in its frame)
        legend={"title": {"text": "object size "}, "orientation": "h", "x": 1.0,
                "xanchor": "right", "y": 1 + 72 / (height - 240), "yanchor": "top"},
        legend2={"title": {"text": "PR curve at IoU "}, "orientation": "h",
                 "x": 0, "y": -0.06, "yanchor": "top"},
    )  # fmt: skip
    return fig
