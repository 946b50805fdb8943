"""The Mistakes tab's review action: preview, confirm, then tag the selected inputs in the app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pandas as pd

from clarinb._html import html_widget, set_html, tag
from clarinb._html import table as html_table
from clarinb.apps._dataset_panels import Confirm
from clarinb.apps._messages import describe_error, message_html
from clarinb.errors import ClarinbError
from clarinb.review import REVIEW_VALUE, tag_inputs

__all__ = ["ReviewPanel"]


class ReviewPanel:
    """The "Tag selected for review…" action: a dry-run preview, then a confirmed write.

    Nothing is written until the user confirms; the preview shows each
    input's current and new tag.

    Parameters
    ----------
    client : clarinb.Client
        The connection to the app holding the inputs.
    selected : callable
        Returns the input ids to tag (the Mistakes view's selection).
    """

    def __init__(self, client: Any, selected: Callable[[], list[str]]) -> None:
        self.client, self.selected = client, selected
        self.button = widgets.Button(
            description="Tag selected for review…",
            tooltip=f'Preview, then write {{"clarinb": {{"review": "{REVIEW_VALUE}"}}}}',
            layout={"width": "240px"},
        )
        self.preview, self.confirm = html_widget(), Confirm()
        self.result: pd.DataFrame | None = None
        self.button.on_click(lambda _b: self.ask())
        self.widget = widgets.VBox([self.button, self.confirm.widget, self.preview])

    def ask(self) -> None:
        """Preview the tags of the selection (a dry run) and ask before writing them."""
        ids = self.selected()
        if not ids:
            set_html(self.preview, message_html("Select inputs first (click their points)."))
            return
        try:
            preview = tag_inputs(self.client, ids, dry_run=True)
        except ClarinbError as err:
            set_html(self.preview, message_html(describe_error(err), kind="error"))
            return
        changes = int(preview["changes"].sum())
        set_html(self.preview, tag("b", "Preview (nothing written yet)") + html_table(preview))
        if changes:
            self.confirm.ask(
                f"Write the review tag into the metadata of {changes} input(s)?",
                lambda: self.apply(ids),
            )

    def apply(self, ids: list[str]) -> None:
        """Write the tags (what Confirm does) and show what was written."""
        try:
            self.result = tag_inputs(self.client, ids, dry_run=False)
        except ClarinbError as err:
            set_html(self.preview, message_html(describe_error(err), kind="error"))
            return
        written = int(self.result["applied"].sum())
        set_html(self.preview, tag("b", f"Tagged {written} input(s)") + html_table(self.result))
