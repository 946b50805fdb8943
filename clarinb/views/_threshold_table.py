"""The per-concept table of the threshold view, as a plotly Table and as HTML."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from clarinb._html import Markup, plotly_text, tag
from clarinb._html import table as html_table
from clarinb._numbers import interval_text, number_text

__all__ = [
    "COLUMNS",
    "SORT_KEYS",
    "columns_of",
    "left_out",
    "summary_text",
    "table_figure",
    "table_html",
]

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
_RATES = ("precision", "recall", "f1")


def columns_of(table: pd.DataFrame) -> dict[str, str]:
    """Return the shown columns: :data:`COLUMNS`, and ``note`` when the table has intervals."""
    return {**COLUMNS, "note": "note"} if "f1_lo" in table else dict(COLUMNS)


def _cells(table: pd.DataFrame, column: str) -> list[str]:
    """Write a column's cells; precision, recall and F1 with their intervals when known."""
    values = table[column]
    if column in _RATES and f"{column}_lo" in table:
        ends = zip(table[f"{column}_lo"], table[f"{column}_hi"], strict=True)
        return [interval_text(v, lo, hi) for v, (lo, hi) in zip(values, ends, strict=True)]
    if column in _FLOATS:
        return [number_text(v) for v in values]
    return ["" if column == "note" and pd.isna(v) else str(v) for v in values]


def _macro_text(macro: pd.Series) -> str:
    parts = [
        f"{short} {interval_text(macro[m], macro[m + '_lo'], macro[m + '_hi'])}"
        for short, m in (("P", "precision"), ("R", "recall"), ("F1", "f1"))
    ]
    return "macro " + " ".join(parts)


def summary_text(
    averages: pd.DataFrame,
    overrides: int,
    macro: pd.Series | None = None,
    few: int = 0,
) -> str:
    """One line: micro and macro precision, recall and F1, and the override count.

    With ``macro`` (the macro row of the intervals) the macro values carry
    their intervals, and ``few`` concepts with too few positives for a useful
    interval are counted.

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
        if row == "macro" and macro is not None:
            parts.append(_macro_text(macro))
        elif row in averages.index:
            p, r, f = averages.loc[row, ["precision", "recall", "f1"]].to_numpy(dtype=float)
            parts.append(f"{row} P {number_text(p)} R {number_text(r)} F1 {number_text(f)}")
    text = " · ".join(parts)
    if overrides:
        text += f" · {overrides} per-concept override{'s' * (overrides != 1)}"
    if few:
        text += f" · {few} concept{'s' * (few != 1)} with too few positives for a useful interval"
    return text


def table_html(
    table: pd.DataFrame,
    overridden: Mapping[str, float],
    limit: int = 1000,
    interval: str = "",
) -> Markup:
    """Render the table as escaped HTML; overridden thresholds in bold.

    Parameters
    ----------
    table : pandas.DataFrame
        Sorted rows with ``concept_id`` and the :data:`COLUMNS` (with
        intervals: ``<metric>_lo``, ``<metric>_hi`` and ``note`` too).
    overridden : mapping of str to float
        The per-concept overrides.
    limit : int
        Most rows written.
    interval : str
        What the intervals are (e.g. "95% interval, 500 bootstrap
        resamples"): the hover of the cells that show one.

    Returns
    -------
    Markup
        A ``<table>`` inside a scrolling ``<div>``.
    """
    rows = table.head(limit)
    columns = columns_of(table)
    shown = pd.DataFrame({heading: _cells(rows, column) for column, heading in columns.items()})
    if interval and "f1_lo" in rows:
        for column in _RATES:
            heading = columns[column]
            shown[heading] = [tag("span", text, title=interval) for text in shown[heading]]
    shown["threshold"] = [
        tag("b", text) if str(concept) in overridden else text
        for concept, text in zip(rows["concept_id"], shown["threshold"], strict=True)
    ]
    note = tag("p", left_out(len(rows), len(table)), class_="note")
    return tag(
        "div",
        html_table(shown),
        note if len(rows) < len(table) else None,
        class_="clarinb-threshold-table",
        style="max-height:420px;overflow:auto",
    )


def left_out(shown: int, total: int) -> str:
    """Say how many rows of the table were written, and where the rest are.

    Examples
    --------
    >>> print(left_out(10, 50))
    showing 10 of 50 concepts in the table's order; the other 40 are in frame_ and to_json()
    """
    return (
        f"showing {shown:,} of {total:,} concepts in the table's order; the other "
        f"{total - shown:,} are in frame_ and to_json()"
    )


def table_figure(
    table: pd.DataFrame, summary: str, title: str, limit: int | None = None
) -> go.Figure:
    """Draw the table as a plotly ``Table`` under a title and the summary line.

    Parameters
    ----------
    table : pandas.DataFrame
        Sorted rows, as for :func:`table_html`.
    summary, title : str
        Plain text, escaped here.
    limit : int, optional
        Most rows drawn; the subtitle says how many were left out.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Table`` trace, columns as :data:`COLUMNS` (and ``note`` with
        intervals; precision, recall and F1 then show theirs).
    """
    total = len(table)
    if limit is not None and total > limit:
        table = table.head(limit)
        summary = f"{summary} · {left_out(limit, total)}"
    columns = columns_of(table)
    values = [[plotly_text(text) for text in _cells(table, c)] for c in columns]
    align = ["left"] + ["right"] * (len(COLUMNS) - 1) + ["left"] * (len(columns) - len(COLUMNS))
    fig = go.Figure(
        go.Table(
            header={"values": list(columns.values()), "align": "left"},
            cells={"values": values, "align": align},
        )
    )
    fig.update_layout(
        title={"text": f"{plotly_text(title)}<br><sup>{plotly_text(summary)}</sup>"},
        height=min(900, 140 + 24 * len(table)),
    )
    return fig
