"""Private: the figure of ``DetectionBrowser``: boxes marked TP / FP / FN, labelled, over the image.

The traces are always the same six, in the same order (empty when there is
nothing to draw), so a live ``FigureWidget`` is updated in place and keeps
its click handlers: one outline trace per outcome (:data:`OUTCOME_STYLE`),
the labels (a marker and a text per box), and the selected box.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from clarinb._html import plotly_text

__all__ = ["LABEL_TRACE", "OUTCOME_STYLE", "SELECTED_TRACE", "box_label", "boxes_figure"]

#: Per outcome: colour, dash, line width and the legend's words (``{iou}``: the threshold).
OUTCOME_STYLE: dict[str, tuple[str, str, float, str]] = {
    "TP": ("#009E73", "solid", 3.0, "TP: predicted box that found an object (IoU \u2265 {iou})"),
    "FP": ("#D55E00", "dash", 3.0, "FP: predicted box with no object"),
    "FN": ("#CC79A7", "dot", 3.0, "FN: object no box found"),
    "found": ("#56B4E9", "solid", 1.5, "object found by a TP"),
}
#: Index of the labels trace and of the selected box's trace.
LABEL_TRACE, SELECTED_TRACE = len(OUTCOME_STYLE), len(OUTCOME_STYLE) + 1
_SELECTED = "#F0E442"


def box_label(name: str, kind: str, score: float, outcome: str) -> str:
    """Return the text drawn on a box: its class, its score when predicted, and its outcome."""
    if kind == "predicted":
        return f"{name} {score:.2f} {outcome}"
    return f"{name} {outcome}"


def _outline(part: pd.DataFrame) -> tuple[list[Any], list[Any], list[Any]] | None:
    """Return closed rectangles, ``None``-separated, and each vertex's box id (None: no box)."""
    xs: list[Any] = []
    ys: list[Any] = []
    ids: list[Any] = []
    corners = part[["x0", "y0", "x1", "y1"]].to_numpy(dtype=float).tolist()
    for box, (x0, y0, x1, y1) in zip(part["box"].tolist(), corners, strict=True):
        xs += [x0, x1, x1, x0, x0, None]
        ys += [y0, y0, y1, y1, y0, None]
        ids += [box] * 5 + [None]
    return (xs, ys, ids) if xs else None


def boxes_figure(
    frame: pd.DataFrame,
    *,
    size: tuple[float, float],
    uri: str | None,
    title: str,
    iou: float,
    selected: Any = None,
) -> go.Figure:
    """Draw the boxes of one input over its image.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per box: ``box`` (its id), ``kind``, ``outcome``, ``label``
        (the text drawn), ``x0``, ``y0``, ``x1``, ``y1`` in pixels.
    size : (float, float)
        The image's width and height in pixels.
    uri : str or None
        The image as a data URI (None: a blank canvas).
    title : str
        The figure's title (escaped here).
    iou : float
        The IoU threshold, for the legend.
    selected : optional
        The id of the box to highlight.
    """
    width, height = size
    fig = go.Figure()
    for outcome, (colour, dash, line, words) in OUTCOME_STYLE.items():
        # one empty point keeps the outcome in the legend when no box has it
        xs, ys, ids = _outline(frame[frame["outcome"] == outcome]) or ([None], [None], [None])
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, customdata=ids, mode="lines", name=words.format(iou=f"{iou:.2f}"),
                line={"color": colour, "width": line, "dash": dash}, hoverinfo="skip",
                showlegend=True,
            )
        )  # fmt: skip
    truth = (frame["kind"] != "predicted").to_numpy()
    colours = [OUTCOME_STYLE[o][0] for o in frame["outcome"]]
    texts = [plotly_text(t) for t in frame["label"]]
    fig.add_trace(
        go.Scatter(
            x=frame["x0"].tolist(),
            y=frame["y1"].where(truth, frame["y0"]).tolist(),
            customdata=frame["box"].tolist(),
            text=texts,
            mode="markers+text",
            textposition=["top right" if t else "bottom right" for t in truth],
            textfont={"color": colours, "size": 13, "shadow": "auto", "weight": "bold"},
            marker={"symbol": "square", "size": 9, "color": colours},
            name="box labels",
            showlegend=False,
            hovertemplate="%{text}<extra>click to select</extra>",
        )
    )
    chosen = frame[frame["box"] == selected] if selected is not None else frame.head(0)
    xs, ys, ids = _outline(chosen) or ([], [], [])
    fig.add_trace(
        go.Scatter(
            x=xs, y=ys, customdata=ids, mode="lines", hoverinfo="skip",
            name="selected: " + (plotly_text(chosen["label"].iloc[0]) if len(chosen) else "none"),
            line={"color": _SELECTED, "width": 6}, opacity=0.8, showlegend=len(chosen) > 0,
        )
    )  # fmt: skip
    # always one layout image (hidden when there is none), so that a live
    # widget updated in place drops the previous input's picture
    image = {
        "source": uri or "", "visible": uri is not None, "xref": "x", "yref": "y",
        "x": 0, "y": 0, "sizex": width, "sizey": height, "sizing": "stretch",
        "layer": "below", "xanchor": "left", "yanchor": "top",
    }  # fmt: skip
    fig.update_layout(
        title=plotly_text(title),
        images=[image],
        height=600,
        legend={"orientation": "h", "yanchor": "top", "y": -0.06, "x": 0, "font": {"size": 13}},
        margin={"t": 60, "b": 120},
        clickmode="event",
    )
    fig.update_xaxes(range=[0, width], showgrid=False, zeroline=False, constrain="domain")
    fig.update_yaxes(
        range=[height, 0], showgrid=False, zeroline=False, scaleanchor="x", constrain="domain"
    )
    return fig
