"""The per-concept table of the threshold view, as a plotly Table and as HTML."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from clarinb._html import Markup, plotly_text, tag
from clarinb._html import table as html_table
from clarinb._numbers import number_text

__all__ = ["COLUMNS", "SORT_KEYS", "summary_text", "table_figure", "table_html"]

#: Shown columns: frame column -> heading.
COLUMNS = {
    "concept": "concept",
    "threshold": "threshold",
    "precision": "precision",
    "recall": "recall",
    "f1": "F1",
    "support": "support",
    "tp": "TP",
    "fp": "FP",
    "fn": "FN",
}
#: Columns the table can be sorted by.
SORT_KEYS = tuple(COLUMNS)
_FLOATS = {"threshold", "precision", "recall", "f1"}


def _cell(column: str, value: object) -> str:
    if column in _FLOATS:
        number = float(value)  # type: ignore[arg-type]
        return "n/a" if math.isnan(number) else f"{number:.3f}"
    return str(value)


def summary_text(averages: pd.DataFrame, overrides: int) -> str:
    """One line: micro and macro precision, recall and F1, and the override count.

    Examples
    --------
    >>> import pandas as pd
    >>> avg = pd.DataFrame({"precision": [0.5, 0.4], "recall": [0.6, 0.3], "f1": [0.55, 0.35]},
    ...                    index=["micro", "macro"])
    >>> summary_text(avg, 0)
    'micro P 0.500 R 0.600 F1 0.550 · macro P 0.400 R 0.300 F1 0.350'
    """
    parts = []
    for row in ("micro", "macro"):
        if row in averages.index:
            p, r, f = averages.loc[row, ["precision", "recall", "f1"]].to_numpy(dtype=float)
            parts.append(f"{row} P {number_text(p)} R {number_text(r)} F1 {number_text(f)}")
    text = " · ".join(parts)
    if overrides:
        text += f" · {overrides} per-concept override{'s' * (overrides != 1)}"
    return text


def table_html(table: pd.DataFrame, overridden: Mapping[str, float], limit: int = 1000) -> Markup:
    """Render the table as escaped HTML; overridden thresholds in bold.

    Parameters
    ----------
    table : pandas.DataFrame
        Sorted rows with ``concept_id`` and the :data:`COLUMNS`.
    overridden : mapping of str to float
        The per-concept overrides.
    limit : int
        Most rows written.

    Returns
    -------
    Markup
        A ``<table>`` inside a scrolling ``<div>``.
    """
    rows = table.head(limit)
    shown = pd.DataFrame(
        {heading: [_cell(column, v) for v in rows[column]] for column, heading in COLUMNS.items()}
    )
    shown["threshold"] = [
        tag("b", text) if str(concept) in overridden else text
        for concept, text in zip(rows["concept_id"], shown["threshold"], strict=True)
    ]
    more = len(table) - limit
    return tag(
        "div",
        html_table(shown),
        tag("p", f"… and {more} more concepts") if more > 0 else None,
        class_="clarinb-threshold-table",
        style="max-height:420px;overflow:auto",
    )


def table_figure(table: pd.DataFrame, summary: str, title: str) -> go.Figure:
    """Draw the table as a plotly ``Table`` under a title and the summary line.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Table`` trace, columns as :data:`COLUMNS`.
    """
    values = [[plotly_text(_cell(c, v)) for v in table[c]] for c in COLUMNS]
    fig = go.Figure(
        go.Table(
            header={"values": list(COLUMNS.values()), "align": "left"},
            cells={"values": values, "align": ["left"] + ["right"] * (len(COLUMNS) - 1)},
        )
    )
    fig.update_layout(
        title={"text": f"{plotly_text(title)}<br><sup>{plotly_text(summary)}</sup>"},
        height=min(900, 140 + 24 * len(table)),
    )
    return fig
