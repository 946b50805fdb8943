"""Private: the one plotly figure of a metrics-groups level (every group type in a grid).

The traces are always the same, in the same order (empty when a type has no
groups), so a live ``FigureWidget`` can be updated in place and keeps its
click handlers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clarinb._html import plotly_text
from clarinb._names import GROUP_TYPE_NAMES, concept_name
from clarinb.metrics.group_counts import (
    BINNED_TYPES,
    COUNT_TYPES,
    bar_data,
    binned_data,
    count_data,
    nothing_counted,
)
from clarinb.views._theme import count_axis

__all__ = ["CONCEPT_TRACE", "LevelSettings", "level_data", "level_figure", "level_frame"]

#: Index of the concept bar trace (the one that drills down on click).
CONCEPT_TRACE = 0
_PANELS = ("CONCEPT_ID", "INPUT_TYPE", *COUNT_TYPES, *BINNED_TYPES, "REGION_LOCATION")
_TITLES = GROUP_TYPE_NAMES
#: What a panel counts, for the message shown when it counts nothing.
_NOUNS = {
    "CONCEPT_ID": "concepts",
    "INPUT_TYPE": "inputs",
    "CONCEPTS_COUNT": "concepts",
    "BOUNDING_BOXES_COUNT": "bounding boxes",
    "POLYGONS_COUNT": "polygons",
    "POINTS_COUNT": "points",
    "MASKS_COUNT": "masks",
    "PIXELS_COUNT": "pixel counts",
    "ASPECT_RATIO": "aspect ratios",
    "REGION_LOCATION": "regions",
}


@dataclass(frozen=True)
class LevelSettings:
    """What the figure shows: the count plotted, concept bar order, cut and filter."""

    metric: str = "inputs_count"
    sort: str = "count"
    top_n: int | None = 30
    search: str = ""


def level_data(
    rows: pd.DataFrame, matrix: np.ndarray | None, settings: LevelSettings
) -> dict[str, pd.DataFrame]:
    """Compute what each panel of a level draws, by group type (``"REGION_LOCATION"``: matrix).

    Categorical types have ``label`` and ``count``; count types ``value`` and
    ``count``; binned types ``start``, ``end``, ``center``, ``width`` and
    ``count``; the region locations ``row``, ``column`` and ``count``.
    """
    data = {
        "CONCEPT_ID": bar_data(
            rows,
            "CONCEPT_ID",
            settings.metric,
            sort=settings.sort,
            top_n=settings.top_n,
            search=settings.search,
        ),
        "INPUT_TYPE": bar_data(rows, "INPUT_TYPE", settings.metric),
    }
    for group_type in COUNT_TYPES:
        data[group_type] = count_data(rows, group_type, settings.metric)
    for group_type in BINNED_TYPES:
        data[group_type] = binned_data(rows, group_type, settings.metric)
    grid = np.zeros((0, 0)) if matrix is None else np.asarray(matrix)
    cells = np.indices(grid.shape).reshape(2, -1) if grid.size else np.zeros((2, 0), dtype=int)
    data["REGION_LOCATION"] = pd.DataFrame(
        {"row": cells[0], "column": cells[1], "count": grid.ravel()}
    )
    return data


def level_frame(data: dict[str, pd.DataFrame], metric: str) -> pd.DataFrame:
    """Put the panels' data in one tidy frame: one row per bar, bin or matrix cell.

    Columns ``panel`` (title), ``group_type``, ``value`` (the bar's label, the
    count per input, the bin's start or ``"row r, column c"``), ``bin_end``
    (NaN but for binned types), the count's name as ``metric`` and ``count``.
    """
    parts = []
    for group_type, part in data.items():
        if "label" in part:
            values = part["label"].astype(object)
        elif "start" in part:
            values = part["start"].astype(object)
        elif "row" in part:
            values = pd.Series(
                [f"row {r}, column {c}" for r, c in zip(part["row"], part["column"], strict=True)],
                dtype=object,
            )
        else:
            values = part["value"].astype(object)
        parts.append(
            pd.DataFrame(
                {
                    "panel": _TITLES[group_type],
                    "group_type": group_type,
                    "value": values.to_numpy(),
                    "bin_end": part["end"].to_numpy(dtype=float) if "end" in part else np.nan,
                    "metric": metric,
                    "count": part["count"].to_numpy(dtype=float),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _cells() -> list[tuple[int, int]]:
    # concepts span the first row; the rest go two per row
    return [(1, 1)] + [(2 + i // 2, 1 + i % 2) for i in range(len(_PANELS) - 1)]


def _empty(data: pd.DataFrame) -> pd.DataFrame:
    """Return the panel's data, without rows when it counts nothing (the panel says so)."""
    return data.head(0) if nothing_counted(data) else data


def _axes(fig: go.Figure, data: dict[str, pd.DataFrame], where: str) -> None:
    """Give every count axis whole-number ticks from 0; put a message on empty panels."""
    for panel, trace in zip(_PANELS, fig.data, strict=True):
        part = data[panel]
        x_name = (trace.xaxis or "x").replace("x", "xaxis", 1)
        y_name = (trace.yaxis or "y").replace("y", "yaxis", 1)
        if nothing_counted(part):
            fig.add_annotation(
                text=f"no {_NOUNS[panel]} {where}", showarrow=False, font={"size": 14},
                xref=f"{trace.xaxis} domain", yref=f"{trace.yaxis} domain", x=0.5, y=0.5,
            )  # fmt: skip
            fig.layout[x_name].update(showticklabels=False, showgrid=False, zeroline=False)
            fig.layout[y_name].update(showticklabels=False, showgrid=False, zeroline=False)
            continue
        if panel == "REGION_LOCATION":
            continue
        top = float(part["count"].max())
        fig.layout[y_name].update(count_axis(top))
        if panel in COUNT_TYPES:  # the number per input: whole too
            fig.layout[x_name].update(count_axis(float(part["value"].max()), from_zero=False))


def level_figure(
    data: dict[str, pd.DataFrame],
    settings: LevelSettings,
    *,
    title: str,
    where: str = "in this version",
    concept_names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Build the grid figure of one level of metrics groups.

    Parameters
    ----------
    data : dict
        What each panel draws, from :func:`level_data`.
    settings : LevelSettings
        Metric, sort, top-N and search of the concept bars.
    title : str
        Figure title.
    where : str
        Where the level is, for the message of a panel that counts nothing
        (``"no masks in this version"``): a panel whose only value is 0, or
        that has no data, shows that message instead of a lone bar.
    concept_names : mapping, optional
        Concept id -> name: the concept bars are labelled with the names
        (the bars keep the ids, which a click reads).

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
        subplot_titles=[_TITLES[p] for p in _PANELS],
        vertical_spacing=0.06,
        horizontal_spacing=0.1,
    )
    label = settings.metric.replace("_", " ")
    shown = {panel: _empty(part) for panel, part in data.items()}
    concepts = shown["CONCEPT_ID"]
    ids = [plotly_text(v) for v in concepts["label"]]
    shown_names = [plotly_text(concept_name(v, concept_names)) for v in concepts["label"]]
    fig.add_trace(
        go.Bar(
            x=ids,
            y=concepts["count"].tolist(),
            name="concepts",
            customdata=shown_names,
            hovertemplate=(
                "%{customdata}<br>" + label + ": %{y:,}<extra>click to drill down</extra>"
            ),
        ),
        row=1,
        col=1,
    )
    if concept_names and ids:
        fig.update_xaxes(tickmode="array", tickvals=ids, ticktext=shown_names, row=1, col=1)
    kinds = shown["INPUT_TYPE"]
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
        counts = shown[group_type]
        fig.add_trace(
            go.Bar(
                x=counts["value"].tolist(),
                y=counts["count"].tolist(),
                name=_TITLES[group_type],
                hovertemplate="%{x} per input: %{y:,}<extra></extra>",
            ),
            row=r,
            col=c,
        )
    for group_type, (r, c) in zip(BINNED_TYPES, cells[2 + len(COUNT_TYPES) :], strict=False):
        bins = shown[group_type]
        ranges = [f"[{s:g}, {e:g})" for s, e in zip(bins["start"], bins["end"], strict=True)]
        fig.add_trace(
            go.Bar(
                x=bins["center"].tolist(),
                y=bins["count"].tolist(),
                width=bins["width"].tolist(),
                customdata=ranges,
                name=_TITLES[group_type],
                hovertemplate="%{customdata}: %{y:,}<extra></extra>",
            ),
            row=r,
            col=c,
        )
    r, c = cells[-1]
    grid = shown["REGION_LOCATION"]
    shape = (int(grid["row"].max()) + 1, int(grid["column"].max()) + 1) if len(grid) else (0, 0)
    z = grid["count"].to_numpy().reshape(shape).tolist() if len(grid) else []
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
    _axes(fig, data, where)
    return fig
