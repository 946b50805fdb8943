"""The heatmap figure of a confusion matrix: order, subset, colours, hover (and its cells)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clarinb._html import plotly_text
from clarinb.frames.matrices import normalize_matrix
from clarinb.metrics.confusion import NONE_LABEL
from clarinb.metrics.order import concept_order, most_errors, top_confused

__all__ = [
    "ANNOTATE_MAX",
    "MatrixLayout",
    "cells_frame",
    "confusion_figure",
    "confusion_parts",
    "lay_out",
]

#: Up to this many concepts each cell has its value written in it.
ANNOTATE_MAX = 30


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
    total : int
        How many concepts there were before ``limit`` left some out (as
        many as ``rows`` when none was).
    """

    counts: np.ndarray
    rows: list[str]
    cols: list[str]
    total: int = -1

    def __post_init__(self) -> None:
        if self.total < 0:
            object.__setattr__(self, "total", len(self.rows))


def lay_out(
    matrix: pd.DataFrame,
    names: Mapping[str, str],
    *,
    order: str = "body",
    top_n: int | None = None,
    search: str = "",
    limit: int | None = None,
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
    search : str
        Keep only the concepts whose id or display name contains it (any case).
    limit : int, optional
        Keep at most this many concepts, those with the most errors
        (:func:`clarinb.metrics.order.most_errors`); ``total`` then says how
        many there were.

    Returns
    -------
    MatrixLayout
        The counts to draw.
    """
    index, columns = list(map(str, matrix.index)), list(map(str, matrix.columns))
    concepts = [c for c in dict.fromkeys([*index, *columns]) if c != NONE_LABEL]
    values = matrix.to_numpy()  # as it is (a test set's int64 counts): no copy of the matrix
    if values.dtype.kind not in "iuf":
        values = values.astype(float)
    if index == concepts and columns[: len(concepts)] == concepts:  # square already
        counts = values[:, : len(concepts)]
    else:
        frame = pd.DataFrame(values, index=index, columns=columns)
        counts = frame.reindex(index=concepts, columns=concepts, fill_value=0).to_numpy()
    if counts.dtype.kind == "f" and np.isnan(counts).any():
        counts = np.nan_to_num(counts, nan=0.0)
    with_none = NONE_LABEL in columns
    none = np.zeros(len(concepts))
    if with_none:
        missed = pd.Series(values[:, columns.index(NONE_LABEL)], index=index, dtype=float)
        none = missed.reindex(concepts, fill_value=0).fillna(0).to_numpy(dtype=float)
    keep = np.arange(len(concepts)) if top_n is None else top_confused(counts, top_n)
    kept = [concepts[i] for i in keep]
    if search:
        needle = search.casefold()
        found = [
            i
            for i, c in enumerate(kept)
            if needle in c.casefold() or needle in names.get(c, c).casefold()
        ]
        keep, kept = keep[found], [kept[i] for i in found]
    total = len(kept)
    if limit is not None and total > limit:
        sub = counts if len(keep) == len(concepts) else counts[np.ix_(keep, keep)]
        chosen = most_errors(sub, limit, extra=none[keep])
        keep, kept = keep[chosen], [kept[i] for i in chosen]
    counts, none = counts[np.ix_(keep, keep)].astype(float), none[keep]
    perm = concept_order(counts, [names.get(c, c) for c in kept], order)
    counts = counts[np.ix_(perm, perm)]
    rows = [kept[i] for i in perm]
    cols = list(rows)
    if with_none:
        counts = np.column_stack([counts, none[perm]])
        cols.append(NONE_LABEL)
    return MatrixLayout(counts=counts, rows=rows, cols=cols, total=total)


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


def _log_colour(z: np.ndarray, whole: bool) -> tuple[np.ndarray, dict[str, Any]]:
    """Colour values on a log scale, ``log10(1 + z / unit)``, and a colour bar labelled in ``z``.

    ``unit`` is 1 for counts and the smallest rate above zero for rates, so
    zero stays zero and the smallest confusion is still coloured.
    """
    positive = z[np.isfinite(z) & (z > 0)]
    unit = 1.0 if whole or not positive.size else float(positive.min())
    coloured = np.log10(1.0 + z / unit)
    top = float(positive.max()) if positive.size else 1.0
    ticks = [0.0] + [v for v in (unit * 10.0**e for e in range(12)) if v <= top]
    if top not in ticks:
        ticks.append(top)
    bar = {
        "tickvals": [float(np.log10(1.0 + t / unit)) for t in ticks],
        "ticktext": [f"{t:.0f}" if whole else f"{t:.3g}" for t in ticks],
    }
    return coloured, bar


def _written(counts: np.ndarray, z: np.ndarray, how: str | None, whole: bool) -> list[list[str]]:
    """Write in each cell its count, or its rate when the colour is a rate."""
    if how or not whole:
        text = np.char.mod("%.2f", np.nan_to_num(z))
    else:
        text = np.char.mod("%d", counts.astype(np.int64))
    written: list[list[str]] = np.where(np.isnan(z), "", text).tolist()
    return written


def confusion_parts(
    layout: MatrixLayout,
    names: Mapping[str, str],
    *,
    how: str | None = None,
    title: str = "Confusion matrix",
    hide_diagonal: bool = False,
    log_color: bool = False,
    threshold: str = "none",
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the heatmap's properties and the figure's layout, as plain dicts.

    Parameters are those of :func:`confusion_figure`.  Every heatmap property
    the view sets is in the first dict, ``None`` where unused, so a live
    heatmap updated with it drops what an earlier drawing set.

    Returns
    -------
    trace : dict
        Keyword arguments of ``go.Heatmap`` (numpy arrays, no lists of lists
        but for hidden cells, which JSON writes as null).
    figure_layout : dict
        Keyword arguments of ``go.Layout``.
    """
    counts = layout.counts
    z, of_true, of_pred = _rates(layout, how)
    if hide_diagonal:
        z = z.copy()
        n = min(len(layout.rows), z.shape[1])
        z[np.arange(n), np.arange(n)] = np.nan
    custom = np.stack([counts, of_true, of_pred], axis=-1)
    small = max(counts.shape, default=0) <= ANNOTATE_MAX
    whole = bool(np.all(np.mod(counts, 1) == 0))  # counts, not the service's rates
    text = _written(counts, z, how, whole) if small else None
    colour: Any = z
    bar: dict[str, Any] = {}
    if log_color:
        colour, bar = _log_colour(z, whole and not how)
    shown = colour[np.isfinite(colour)]
    cols = [plotly_text(c) for c in layout.cols]
    rows = [plotly_text(c) for c in layout.rows]
    label = "rate" if how else "count"
    if not np.isfinite(colour).all():  # widget state is JSON: hidden cells are None, not NaN
        colour = np.where(np.isfinite(colour), colour, np.array(None)).tolist()
    trace = {
        "z": colour,
        "x": cols,
        "y": rows,
        "customdata": custom,
        "colorscale": "Blues",
        "zmin": 0,
        "zmax": float(shown.max()) if shown.size and shown.max() > 0 else 1.0,
        "text": text,
        "texttemplate": "%{text}" if small else None,
        "hovertemplate": (
            "actual: %{y}<br>predicted: %{x}<br>count: %{customdata[0]:.0f}"
            "<br>share of actual: %{customdata[1]:.1%}"
            "<br>share of predicted: %{customdata[2]:.1%}"
            f"<br>threshold: {plotly_text(threshold)}<extra></extra>"
        ),
        "colorbar": {
            "title": {"text": f"{label} (log scale)" if log_color else label},
            "tickvals": bar.get("tickvals"),
            "ticktext": bar.get("ticktext"),
        },
        "xgap": 1 if small else 0,
        "ygap": 1 if small else 0,
    }
    side = min(900, max(420, 16 * len(layout.rows) + 160))
    figure_layout = {
        "title": {"text": plotly_text(title)},
        "height": side,
        "xaxis": {
            "title": {"text": "predicted"},
            "type": "category",
            "tickvals": cols,
            "ticktext": [plotly_text(names.get(c, c)) for c in layout.cols],
            "showticklabels": len(layout.cols) <= 120,
        },
        "yaxis": {
            "title": {"text": "actual"},
            "type": "category",
            "autorange": "reversed",
            "tickvals": rows,
            "ticktext": [plotly_text(names.get(c, c)) for c in layout.rows],
            "showticklabels": len(layout.rows) <= 120,
        },
    }
    return trace, figure_layout


def confusion_figure(
    layout: MatrixLayout,
    names: Mapping[str, str],
    *,
    how: str | None = None,
    title: str = "Confusion matrix",
    hide_diagonal: bool = False,
    log_color: bool = False,
    threshold: str = "none",
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
    hide_diagonal : bool
        Leave the correct cells uncoloured, so the colour scale spans the
        confusions only.
    log_color : bool
        Colour by ``log10(1 + value)`` (the colour bar labelled in values),
        so small confusions show beside large ones.
    threshold : str
        The threshold as the hover writes it.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Heatmap`` trace with concept ids as x (predicted) and y (actual),
        escaped with :func:`clarinb._html.plotly_text` (as every label); up to
        :data:`ANNOTATE_MAX` concepts, each cell's value written in it.
    """
    trace, figure_layout = confusion_parts(
        layout,
        names,
        how=how,
        title=title,
        hide_diagonal=hide_diagonal,
        log_color=log_color,
        threshold=threshold,
    )
    return go.Figure(go.Heatmap(**trace), layout=figure_layout)
