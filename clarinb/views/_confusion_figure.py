"""The heatmap figure of a confusion matrix: order, subset, colours, hover (and its cells)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clarinb._html import plotly_text
from clarinb.frames.matrices import normalize_matrix
from clarinb.metrics.confusion import NONE_LABEL
from clarinb.metrics.order import concept_order, top_confused

__all__ = ["MatrixLayout", "cells_frame", "confusion_figure", "lay_out"]

_ANNOTATE_MAX = 20


@dataclass(frozen=True)
class MatrixLayout:
    """A confusion matrix ready to draw: counts in display order.

    Attributes
    ----------
    counts : numpy.ndarray
        Counts, rows in ``rows`` order, columns in ``cols`` order.
    rows, cols : list of str
        Concept ids of the rows (actual) and columns (predicted; may end with
        ``"(none)"``).
    """

    counts: np.ndarray
    rows: list[str]
    cols: list[str]


def lay_out(
    matrix: pd.DataFrame,
    names: Mapping[str, str],
    *,
    order: str = "body",
    top_n: int | None = None,
) -> MatrixLayout:
    """Square the matrix over its concepts, keep the top confusions, and order it.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Counts, index actual, columns predicted (a ``"(none)"`` column allowed).
    names : mapping of str to str
        Display name per concept id (ids missing here show as themselves).
    order : {"body", "name", "error", "cluster"}
        Concept order, see :func:`clarinb.metrics.order.concept_order`.
    top_n : int, optional
        Keep only the concepts of the ``top_n`` largest off-diagonal cells.

    Returns
    -------
    MatrixLayout
        The counts to draw.
    """
    concepts = list(dict.fromkeys([*map(str, matrix.index), *map(str, matrix.columns)]))
    concepts = [c for c in concepts if c != NONE_LABEL]
    frame = matrix.copy()
    frame.index = frame.index.map(str)
    frame.columns = frame.columns.map(str)
    square = frame.reindex(index=concepts, columns=concepts, fill_value=0).fillna(0)
    counts = square.to_numpy(dtype=float)
    keep = np.arange(len(concepts)) if top_n is None else top_confused(counts, top_n)
    counts = counts[np.ix_(keep, keep)]
    kept = [concepts[i] for i in keep]
    perm = concept_order(counts, [names.get(c, c) for c in kept], order)
    counts = counts[np.ix_(perm, perm)]
    rows = [kept[i] for i in perm]
    cols = list(rows)
    if NONE_LABEL in frame.columns:
        none = frame[NONE_LABEL].reindex(rows, fill_value=0).fillna(0).to_numpy(dtype=float)
        counts = np.column_stack([counts, none])
        cols.append(NONE_LABEL)
    return MatrixLayout(counts=counts, rows=rows, cols=cols)


def _rates(layout: MatrixLayout, how: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Compute the colour values (``how``) and the shares of the actual row and predicted column."""
    frame = pd.DataFrame(layout.counts)
    z, of_true, of_pred = (
        normalize_matrix(frame, h).to_numpy(dtype=float) for h in (how, "true", "pred")
    )
    return z, of_true, of_pred


def cells_frame(layout: MatrixLayout, names: Mapping[str, str], how: str | None) -> pd.DataFrame:
    """Return the drawn cells as a tidy frame, one row per cell in display order.

    Returns
    -------
    pandas.DataFrame
        ``actual``, ``predicted`` (ids), ``actual_name``, ``predicted_name``,
        ``count``, ``value`` (the colour: the count or the rate ``how`` asks
        for), ``share_of_actual`` and ``share_of_predicted``.
    """
    z, of_true, of_pred = _rates(layout, how)
    rows = np.repeat(layout.rows, len(layout.cols))
    cols = np.tile(layout.cols, len(layout.rows))
    return pd.DataFrame(
        {
            "actual": rows,
            "predicted": cols,
            "actual_name": [names.get(c, c) for c in rows],
            "predicted_name": [names.get(c, c) for c in cols],
            "count": layout.counts.ravel(),
            "value": z.ravel(),
            "share_of_actual": of_true.ravel(),
            "share_of_predicted": of_pred.ravel(),
        }
    )


def confusion_figure(
    layout: MatrixLayout,
    names: Mapping[str, str],
    *,
    how: str | None = None,
    title: str = "Confusion matrix",
) -> go.Figure:
    """Draw a laid-out matrix as a heatmap with counts and rates in the hover.

    Parameters
    ----------
    layout : MatrixLayout
        From :func:`lay_out`.
    names : mapping of str to str
        Display name per concept id, for tick labels.
    how : {None, "true", "pred", "all"}
        Normalisation of the colour values.
    title : str
        Figure title.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Heatmap`` trace with concept ids as x (predicted) and y (actual),
        escaped with :func:`clarinb._html.plotly_text` (as every label).
    """
    counts = layout.counts
    z, of_true, of_pred = _rates(layout, how)
    custom = np.stack([counts, of_true, of_pred], axis=-1)
    small = max(counts.shape) <= _ANNOTATE_MAX
    whole = bool(np.all(np.mod(counts, 1) == 0))  # counts, not the service's rates
    cols = [plotly_text(c) for c in layout.cols]
    rows = [plotly_text(c) for c in layout.rows]
    heat = go.Heatmap(
        z=z,
        x=cols,
        y=rows,
        customdata=custom,
        colorscale="Blues",
        zmin=0,
        zmax=float(z.max()) if z.size and z.max() > 0 else 1.0,
        texttemplate=("%{z:.2f}" if how or not whole else "%{z:.0f}") if small else None,
        hovertemplate=(
            "actual: %{y}<br>predicted: %{x}<br>count: %{customdata[0]:.0f}"
            "<br>share of actual: %{customdata[1]:.1%}"
            "<br>share of predicted: %{customdata[2]:.1%}<extra></extra>"
        ),
        colorbar={"title": {"text": "rate" if how else "count"}},
        xgap=1 if small else 0,
        ygap=1 if small else 0,
    )
    fig = go.Figure(heat)
    side = min(900, max(420, 16 * len(layout.rows) + 160))
    fig.update_layout(
        title={"text": plotly_text(title)},
        height=side,
        xaxis={
            "title": {"text": "predicted"},
            "type": "category",
            "tickvals": cols,
            "ticktext": [plotly_text(names.get(c, c)) for c in layout.cols],
            "showticklabels": len(layout.cols) <= 120,
        },
        yaxis={
            "title": {"text": "actual"},
            "type": "category",
            "autorange": "reversed",
            "tickvals": rows,
            "ticktext": [plotly_text(names.get(c, c)) for c in layout.rows],
            "showticklabels": len(layout.rows) <= 120,
        },
    )
    return fig
