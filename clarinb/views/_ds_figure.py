"""Private: the one plotly figure of a metrics-groups level (every group type in a grid).

The traces are always the same, in the same order (empty when a type has no
groups), so a live ``FigureWidget`` can be updated in place and keeps its
click handlers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clarinb._html import plotly_text
from clarinb.views._ds_charts import (
    BINNED_TYPES,
    COUNT_TYPES,
    bar_data,
    binned_data,
    count_data,
)

__all__ = ["CONCEPT_TRACE", "LevelSettings", "level_figure", "panel_titles"]

#: Index of the concept bar trace (the one that drills down on click).
CONCEPT_TRACE = 0
_PANELS = ("CONCEPT_ID", "INPUT_TYPE", *COUNT_TYPES, *BINNED_TYPES, "REGION_LOCATION")
_TITLES = {
    "CONCEPT_ID": "Concepts",
    "INPUT_TYPE": "Input types",
    "CONCEPTS_COUNT": "Concepts per input",
    "BOUNDING_BOXES_COUNT": "Bounding boxes per input",
    "POLYGONS_COUNT": "Polygons per input",
    "POINTS_COUNT": "Points per input",
    "MASKS_COUNT": "Masks per input",
    "PIXELS_COUNT": "Pixels per input",
    "ASPECT_RATIO": "Aspect ratio",
    "REGION_LOCATION": "Region locations",
}


@dataclass(frozen=True)
class LevelSettings:
    """What the figure shows: the count plotted, concept bar order, cut and filter."""

    metric: str = "inputs_count"
    sort: str = "count"
    top_n: int | None = 30
    search: str = ""


def panel_titles() -> list[str]:
    """Titles of the panels, in trace order."""
    return [_TITLES[p] for p in _PANELS]


def _cells() -> list[tuple[int, int]]:
    # concepts span the first row; the rest go two per row
    return [(1, 1)] + [(2 + i // 2, 1 + i % 2) for i in range(len(_PANELS) - 1)]


def level_figure(
    rows: pd.DataFrame, matrix: np.ndarray | None, settings: LevelSettings, *, title: str
) -> go.Figure:
    """Build the grid figure of one level of metrics groups.

    Parameters
    ----------
    rows : pandas.DataFrame
        The groups of the level (one parent path).
    matrix : numpy.ndarray or None
        Region-location counts, rows top to bottom.
    settings : LevelSettings
        Metric, sort, top-N and search of the concept bars.
    title : str
        Figure title.

    Returns
    -------
    plotly.graph_objects.Figure
        Ten traces: concept bars, input-type bars, five count histograms, two
        binned histograms and the region-location heatmap. Labels from the data
        are escaped with :func:`clarinb._html.plotly_text`.
    """
    cells = _cells()
    n_rows = cells[-1][0]
    specs: list[list[dict | None]] = [[{"colspan": 2}, None]] + [
        [{}, {}] for _ in range(n_rows - 1)
    ]
    fig = make_subplots(
        rows=n_rows,
        cols=2,
        specs=specs,
        subplot_titles=panel_titles(),
        vertical_spacing=0.06,
        horizontal_spacing=0.1,
    )
    label = settings.metric.replace("_", " ")
    concepts = bar_data(
        rows,
        "CONCEPT_ID",
        settings.metric,
        sort=settings.sort,
        top_n=settings.top_n,
        search=settings.search,
    )
    fig.add_trace(
        go.Bar(
            x=[plotly_text(v) for v in concepts["label"]],
            y=concepts["count"].tolist(),
            name="concepts",
            hovertemplate="%{x}<br>" + label + ": %{y:,}<extra>click to drill down</extra>",
        ),
        row=1,
        col=1,
    )
    kinds = bar_data(rows, "INPUT_TYPE", settings.metric)
    fig.add_trace(
        go.Bar(
            x=[plotly_text(v) for v in kinds["label"]],
            y=kinds["count"].tolist(),
            name="input types",
        ),
        row=cells[1][0],
        col=cells[1][1],
    )
    for group_type, (r, c) in zip(COUNT_TYPES, cells[2:], strict=False):
        data = count_data(rows, group_type, settings.metric)
        fig.add_trace(
            go.Bar(
                x=data["value"].tolist(),
                y=data["count"].tolist(),
                name=_TITLES[group_type],
                hovertemplate="%{x} per input: %{y:,}<extra></extra>",
            ),
            row=r,
            col=c,
        )
    for group_type, (r, c) in zip(BINNED_TYPES, cells[2 + len(COUNT_TYPES) :], strict=False):
        data = binned_data(rows, group_type, settings.metric)
        ranges = [f"[{s:g}, {e:g})" for s, e in zip(data["start"], data["end"], strict=True)]
        fig.add_trace(
            go.Bar(
                x=data["center"].tolist(),
                y=data["count"].tolist(),
                width=data["width"].tolist(),
                customdata=ranges,
                name=_TITLES[group_type],
                hovertemplate="%{customdata}: %{y:,}<extra></extra>",
            ),
            row=r,
            col=c,
        )
    r, c = cells[-1]
    z = matrix.tolist() if matrix is not None else []
    fig.add_trace(
        go.Heatmap(
            z=z,
            colorscale="Blues",
            showscale=False,
            name="region locations",
            hovertemplate="row %{y}, column %{x}: %{z:,} regions<extra></extra>",
        ),
        row=r,
        col=c,
    )
    fig.update_yaxes(autorange="reversed", row=r, col=c)
    fig.update_layout(
        title=plotly_text(title),
        showlegend=False,
        height=260 * n_rows,
        bargap=0.05,
        yaxis_title=label,
    )
    return fig
