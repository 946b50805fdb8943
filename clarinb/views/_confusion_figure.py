"""The heatmap figure of a confusion matrix: normalisation, order, subset, hover."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb._html import plotly_text
from clarinb.metrics.order import concept_order, top_confused

__all__ = ["NONE_LABEL", "NORMALIZE", "MatrixLayout", "confusion_figure", "lay_out", "normalize"]

#: Column of inputs whose top score is below the threshold.
NONE_LABEL = "(none)"
#: Accepted values of ``normalize``.
NORMALIZE = (None, "true", "pred", "all")
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


def normalize(counts: np.ndarray, how: str | None) -> np.ndarray:
    """Normalise counts by row (``"true"``), column (``"pred"``) or total (``"all"``).

    Parameters
    ----------
    counts : numpy.ndarray
        The counts.
    how : {None, "true", "pred", "all"}
        As scikit-learn's ``confusion_matrix(normalize=...)``; empty rows or
        columns give 0.

    Returns
    -------
    numpy.ndarray
        Rates (a float copy of ``counts`` for ``None``).

    Examples
    --------
    >>> import numpy as np
    >>> normalize(np.array([[3.0, 1.0], [0.0, 0.0]]), "true").tolist()
    [[0.75, 0.25], [0.0, 0.0]]
    """
    validate.choice(how, "normalize", NORMALIZE)
    counts = counts.astype(float)
    if how is None:
        return counts.copy()
    if how == "true":
        denom = counts.sum(axis=1, keepdims=True)
    elif how == "pred":
        denom = counts.sum(axis=0, keepdims=True)
    else:
        denom = np.full((1, 1), counts.sum())
    denom = np.broadcast_to(denom, counts.shape)
    return np.divide(counts, denom, out=np.zeros(counts.shape), where=denom > 0)


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
    z = normalize(counts, how)
    of_true = normalize(counts, "true")
    of_pred = normalize(counts, "pred")
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
