"""The figure of a multi-label classifier: per-concept binary confusion beside co-occurrence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clarinb._html import plotly_text
from clarinb._names import concept_name
from clarinb.metrics.multilabel import OUTCOMES
from clarinb.views._confusion_figure import ANNOTATE_MAX

__all__ = ["binary_cells", "cells_frame", "cooccurrence_cells", "multilabel_figure"]


def _share(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Divide, NaN where the denominator is 0 (a share of nothing is not applicable)."""
    return np.divide(num, den, out=np.full(num.shape, np.nan), where=den > 0)


def binary_cells(binary: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return counts and rates of the binary panel, a row per concept, columns TP, FN, FP, TN.

    The columns read as each concept's 2x2 matrix row by row: actual yes
    (predicted yes, no), then actual no (predicted yes, no).

    The rate is the share of the concept's actual positives (TP, FN) or actual
    negatives (FP, TN), as a confusion matrix normalised over its true rows.
    """
    counts = binary[["tp", "fn", "fp", "tn"]].to_numpy(dtype=float)
    positives = counts[:, 0] + counts[:, 1]
    negatives = counts[:, 2] + counts[:, 3]
    rates = np.column_stack(
        [_share(counts[:, i], positives if i < 2 else negatives) for i in range(4)]
    )
    return counts, rates


def cooccurrence_cells(counts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return counts and rates of the co-occurrence panel (rate: share of the row's positives)."""
    values = counts.to_numpy(dtype=float)
    diagonal = np.diag(values)[:, None]
    return values, _share(values, np.broadcast_to(diagonal, values.shape))


def cells_frame(
    concepts: Sequence[str],
    binary: pd.DataFrame,
    cooccurrence: pd.DataFrame,
    names: Mapping[str, str],
) -> pd.DataFrame:
    """Return the drawn cells of both panels as a tidy frame, one row per cell.

    Returns
    -------
    pandas.DataFrame
        ``panel`` ("binary confusion" or "co-occurrence"), ``concept``,
        ``concept_name``, ``other`` (the outcome, or the other concept),
        ``other_name``, ``count`` and ``rate`` (the colour).
    """
    b_counts, b_rates = binary_cells(binary)
    c_counts, c_rates = cooccurrence_cells(cooccurrence)
    n, k = len(concepts), len(OUTCOMES)
    rows = np.asarray(concepts, dtype=object)
    parts = [
        pd.DataFrame(
            {
                "panel": "binary confusion",
                "concept": np.repeat(rows, k),
                "other": np.tile(np.asarray(OUTCOMES, dtype=object), n),
                "count": b_counts.ravel(),
                "rate": b_rates.ravel(),
            }
        ),
        pd.DataFrame(
            {
                "panel": "co-occurrence",
                "concept": np.repeat(rows, n),
                "other": np.tile(rows, n),
                "count": c_counts.ravel(),
                "rate": c_rates.ravel(),
            }
        ),
    ]
    frame = pd.concat(parts, ignore_index=True)
    frame.insert(2, "concept_name", [concept_name(c, names) for c in frame["concept"]])
    frame.insert(4, "other_name", [concept_name(c, names) for c in frame["other"]])
    return frame


def _text(counts: np.ndarray) -> list[list[str]] | None:
    if max(counts.shape, default=0) > ANNOTATE_MAX:
        return None
    text: list[list[str]] = np.char.mod("%d", counts.astype(np.int64)).tolist()
    return text


def _json_safe(values: np.ndarray) -> list[Any]:
    """Values as nested lists with None for NaN (widget state is JSON)."""
    safe: list[Any] = np.where(np.isfinite(values), values, np.array(None)).tolist()
    return safe


def multilabel_figure(
    binary: pd.DataFrame,
    cooccurrence: pd.DataFrame,
    names: Mapping[str, str],
    *,
    concepts: Sequence[str],
    threshold: float,
    title: str,
) -> go.Figure:
    """Draw per-concept TP/FN/FP/TN counts (left) and co-occurrence of true labels (right).

    Parameters
    ----------
    binary : pandas.DataFrame
        :func:`clarinb.metrics.at_threshold` rows of the concepts shown, in order.
    cooccurrence : pandas.DataFrame
        Square counts over ``concepts`` (:func:`clarinb.metrics.cooccurrence`).
    names : mapping of str to str
        Display name per concept id.
    concepts : sequence of str
        The concepts shown, in order.
    threshold : float
        The threshold the counts are at, for the hover.
    title : str
        Figure title.

    Returns
    -------
    plotly.graph_objects.Figure
        Two ``Heatmap`` traces: binary confusion (x ``TP, FN, FP, TN``, y
        concepts) and co-occurrence (x and y concepts); both coloured by
        rate, counts in ``customdata[..., 0]`` and written in the cells up to
        :data:`clarinb.views._confusion_figure.ANNOTATE_MAX` concepts.
    """
    ids = [plotly_text(c) for c in concepts]
    ticks = [plotly_text(concept_name(c, names)) for c in concepts]
    b_counts, b_rates = binary_cells(binary)
    c_counts, c_rates = cooccurrence_cells(cooccurrence)
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.3, 0.7],
        horizontal_spacing=0.16,
        subplot_titles=(
            f"Per concept at threshold {threshold:.2f}",
            "Co-occurrence of true labels",
        ),
    )
    small = len(concepts) <= ANNOTATE_MAX
    common = {"colorscale": "Blues", "zmin": 0.0, "zmax": 1.0, "xgap": 1 if small else 0,
              "ygap": 1 if small else 0}  # fmt: skip
    fig.add_trace(
        go.Heatmap(
            z=_json_safe(b_rates),
            x=list(OUTCOMES),
            y=ids,
            customdata=_json_safe(np.dstack([b_counts, b_rates])),
            text=_text(b_counts),
            texttemplate="%{text}" if small else None,
            hovertemplate=(
                "concept: %{y}<br>outcome: %{x}<br>count: %{customdata[0]:.0f}"
                "<br>share of actual yes / no: %{customdata[1]:.1%}"
                f"<br>threshold: {threshold:.2f}<extra></extra>"
            ),
            showscale=False,
            **common,
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Heatmap(
            z=_json_safe(c_rates),
            x=ids,
            y=ids,
            customdata=c_counts.tolist(),
            text=_text(c_counts),
            texttemplate="%{text}" if small else None,
            hovertemplate=(
                "true: %{y}<br>also true: %{x}<br>inputs: %{customdata:.0f}<extra></extra>"
            ),
            colorbar={"title": {"text": "share of actual"}},
            **common,
        ),
        row=1,
        col=2,
    )
    axis = {"type": "category", "tickvals": ids, "ticktext": ticks,
            "showticklabels": len(ids) <= 120}  # fmt: skip
    fig.update_yaxes(autorange="reversed", title={"text": "concept"}, **axis, row=1, col=1)
    fig.update_xaxes(title={"text": "outcome"}, type="category", row=1, col=1)
    fig.update_yaxes(autorange="reversed", title={"text": "true concept"}, **axis, row=1, col=2)
    fig.update_xaxes(title={"text": "also true"}, **axis, row=1, col=2)
    fig.update_layout(
        title={"text": plotly_text(title)},
        height=min(900, max(420, 16 * len(ids) + 180)),
    )
    return fig
