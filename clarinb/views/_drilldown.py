"""The widget that lists the inputs behind a confusion-matrix cell, with thumbnails."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import pandas as pd

from clarinb._html import html_widget, tag
from clarinb._html import table as html_table
from clarinb.errors import ClarinbError

__all__ = ["ThumbnailFetcher", "inputs_panel"]

#: Fetches the image bytes of an input id (``None`` when it has no image).
ThumbnailFetcher = Callable[[str], "bytes | None"]
_MAX_THUMBNAILS = 24
_MAX_ROWS = 200


def _thumbnail(input_id: str, fetch: ThumbnailFetcher | None) -> widgets.Widget:
    caption = html_widget(tag("small", input_id))
    if fetch is None:
        return caption
    try:
        data = fetch(input_id)
    except ClarinbError as err:
        return widgets.VBox([caption, html_widget(tag("small", str(err)))])
    if not data:
        return widgets.VBox([caption, html_widget(tag("small", "no image"))])
    image = widgets.Image(value=data, layout=widgets.Layout(width="96px", height="96px"))
    image.add_class("clarinb-thumbnail")
    return widgets.VBox([image, caption])


def inputs_panel(
    inputs: pd.DataFrame, heading: str, fetch: ThumbnailFetcher | None = None
) -> list[widgets.Widget]:
    """Widgets listing the inputs of a cell: a heading, thumbnails and a table.

    Parameters
    ----------
    inputs : pandas.DataFrame
        From :func:`clarinb.metrics.cell_inputs`.
    heading : str
        Plain-text heading (escaped here).
    fetch : callable, optional
        Image bytes per input id; thumbnails are left out without it.

    Returns
    -------
    list of ipywidgets.Widget
        Children for the view's inputs area.
    """
    count = len(inputs)
    title = html_widget(tag("b", heading) + f": {count} input{'s' * (count != 1)}")
    if not count:
        return [title]
    ids = inputs["input_id"].astype(str).tolist()
    thumbs = [_thumbnail(i, fetch) for i in ids[:_MAX_THUMBNAILS]]
    grid = widgets.GridBox(
        thumbs, layout=widgets.Layout(grid_template_columns="repeat(auto-fill, 104px)")
    )
    table = html_widget(html_table(inputs, max_rows=_MAX_ROWS), "clarinb-inputs-table")
    return [title, grid, table]
