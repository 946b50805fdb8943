"""Private: the table of ``DetectionBrowser``'s boxes, one clickable row per box drawn.

Each row starts with a button that selects its box (the box is highlighted
in the figure); the selected row is highlighted in turn.  Text from the data
reaches the page only through :mod:`clarinb._html`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pandas as pd

from clarinb._html import html_widget, set_html, tag
from clarinb._numbers import number_text

__all__ = ["TABLE_COLUMNS", "BoxTable", "table_cells"]

#: The columns shown, and their headers.
TABLE_COLUMNS = {
    "concept_name": "class",
    "score": "score",
    "outcome": "outcome",
    "match_iou": "IoU with its match",
}
_GRID = "48px 180px 70px 80px 150px"
_ROW_CLASS = "clarinb-box-row"


def table_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the table's text: one row per box, n/a where a value does not apply."""
    predicted = frame["kind"] == "predicted"
    return pd.DataFrame(
        {
            "class": frame["concept_name"].astype(str),
            "score": [
                number_text(s) if p else "n/a"
                for s, p in zip(frame["score"], predicted, strict=True)
            ],
            "outcome": frame["outcome"].astype(str),
            "IoU with its match": [number_text(v) for v in frame["match_iou"]],
        },
        index=frame.index,
    )


class BoxTable:
    """A grid of the boxes: a select button then the cells of each row.

    Parameters
    ----------
    on_select : callable
        Called with a box id when its row's button is clicked.
    """

    def __init__(self, on_select: Callable[[Any], None]) -> None:
        self._on_select = on_select
        self.widget = widgets.GridBox(layout=widgets.Layout(grid_template_columns=_GRID))
        self.widget.add_class("clarinb-box-table")
        self.buttons: dict[Any, widgets.Button] = {}
        self._cells: dict[Any, list[widgets.HTML]] = {}
        self._texts: dict[Any, list[str]] = {}

    def show(self, frame: pd.DataFrame, selected: Any) -> None:
        """Show the rows of ``frame`` (``box`` ids); the same rows again: only the highlight."""
        text = table_cells(frame.set_index("box", drop=False))
        rows = {box: [str(v) for v in row.tolist()] for box, row in text.iterrows()}
        if rows == self._texts and self.widget.children:
            self.highlight(selected)
            return
        header = [html_widget(tag("b", h)) for h in ["#", *TABLE_COLUMNS.values()]]
        children: list[Any] = header
        self.buttons, self._cells, self._texts = {}, {}, {}
        for number, box in enumerate(rows, start=1):
            button = widgets.Button(
                description=str(number),
                tooltip="highlight this box",
                layout=widgets.Layout(width="44px", height="24px"),
            )
            button.add_class(_ROW_CLASS)
            button.on_click(lambda _, box=box: self._on_select(box))
            values = rows[box]
            cells = [html_widget(tag("span", v)) for v in values]
            self.buttons[box], self._cells[box], self._texts[box] = button, cells, values
            children += [button, *cells]
        self.widget.children = children
        self.highlight(selected)

    def hover(self, box: Any) -> None:
        """Mark the row of the box under the pointer (None: none); the selected keeps its mark."""
        for key, button in self.buttons.items():
            if button.button_style != "warning":
                button.button_style = "info" if key == box else ""

    def highlight(self, selected: Any) -> None:
        """Mark the row of box ``selected`` (None: no row)."""
        for box, button in self.buttons.items():
            chosen = box == selected
            button.button_style = "warning" if chosen else ""
            for cell, value in zip(self._cells[box], self._texts[box], strict=True):
                shown = tag("b" if chosen else "span", value)
                if cell.value != str(shown):
                    set_html(cell, shown)
