"""Pieces of the dataset-version explorer's widget: the versions table, exports, confirmations."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import frames
from clarinb._html import Markup, html_widget, plotly_text, set_html, tag
from clarinb._html import table as html_table
from clarinb._names import readable
from clarinb.dataset_version import DatasetVersion, status_label

__all__ = ["Confirm", "exports_html", "versions_figure", "versions_frame"]

_STATE_COLOURS = {
    "ready": "#009E73",
    "failed": "#D55E00",
    "pending": "#E69F00",
    "in progress": "#56B4E9",
}


def versions_frame(versions: Sequence[DatasetVersion]) -> pd.DataFrame:
    """Tabulate the versions: id, status code and name, state, creation time, description."""
    full = frames.dataset_versions([v.raw for v in versions])
    codes = full["code"].astype("Int64")
    frame = pd.DataFrame(
        {
            "id": full["id"].astype(str),
            "status_code": codes.mask(codes == 0),
            "status": full["code_name"].astype(str),
            "state": [status_label(c or None) for c in full["code"]],
            "created_at": full["created_at"],
            "description": full["description"].astype(str),
        }
    )
    frame = frame.sort_values("created_at", ascending=False, kind="stable", na_position="last")
    return frame.reset_index(drop=True)


def versions_figure(versions: pd.DataFrame, dataset_id: str) -> go.Figure:
    """Draw the versions as a table coloured by state, newest first."""
    fill = [_STATE_COLOURS.get(s, "#999999") for s in versions["state"]]
    cells = [
        [plotly_text(x) for x in versions["id"]],
        versions["state"].tolist(),
        [plotly_text(x) for x in versions["status"]],
        [str(t)[:19] for t in versions["created_at"]],
        [plotly_text(x) for x in versions["description"]],
    ]
    fig = go.Figure(
        go.Table(
            header={"values": ["version", "state", "status", "created", "description"]},
            cells={"values": cells, "fill_color": [["rgba(0,0,0,0)"] * len(versions), fill]},
        )
    )
    fig.update_layout(
        title=plotly_text(f"Versions of {dataset_id}: {len(versions)}, newest first"),
        height=200 + 28 * len(versions),
    )
    return fig


def _link(url: object) -> Markup | str:
    """Link an http(s) URL from the service for download; anything else is not linked."""
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        return ""
    return tag("a", "download", href=url, target="_blank", rel="noopener noreferrer")


def _size(value: object) -> str:
    """Write a byte count with separators; empty when unknown."""
    try:
        number = float(str(value))
    except ValueError:
        return ""
    return "" if math.isnan(number) else f"{int(number):,} bytes"


def exports_html(exports: pd.DataFrame) -> Markup:
    """Render the exports of a version, a download link on each finished one."""
    if not len(exports):
        return tag("i", "No export requested for this version.")
    records = exports.to_dict("records")
    frame = pd.DataFrame(
        {
            "format": [readable(row["format"]) for row in records],
            "state": [str(row["state"]) for row in records],
            "size": [_size(row.get("size")) for row in records],
            "download": [
                _link(row.get("url")) if row["state"] == "ready" else "" for row in records
            ],
        }
    )
    return html_table(frame)


class Confirm:
    """A question with Confirm and Cancel buttons, shown before a write to the app.

    Call :meth:`ask` with the question and what to do on Confirm; nothing is
    done until the user confirms, and Cancel (or another question) drops it.
    """

    def __init__(self) -> None:
        self._question = html_widget()
        self._yes = widgets.Button(description="Confirm", button_style="warning")
        self._no = widgets.Button(description="Cancel")
        self._action: Callable[[], Any] | None = None
        self._yes.on_click(lambda _b: self.confirm())
        self._no.on_click(lambda _b: self.cancel())
        self.widget = widgets.HBox([self._question, self._yes, self._no])
        self.widget.layout.display = "none"

    @property
    def pending(self) -> bool:
        """Whether a question waits for an answer."""
        return self._action is not None

    def ask(self, question: str, action: Callable[[], Any]) -> None:
        """Show ``question``; run ``action`` only on Confirm."""
        self._action = action
        set_html(self._question, tag("b", question))
        self.widget.layout.display = "flex"

    def confirm(self) -> None:
        """Run the pending action (what the Confirm button does)."""
        action, self._action = self._action, None
        self.widget.layout.display = "none"
        if action is not None:
            action()

    def cancel(self) -> None:
        """Drop the pending action (what the Cancel button does)."""
        self._action = None
        self.widget.layout.display = "none"


def versions_table_html(versions: pd.DataFrame) -> Markup:
    """Render the versions as an escaped HTML table."""
    return html_table(versions[["id", "state", "status", "created_at", "description"]])
