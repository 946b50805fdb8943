"""The inputs behind a confusion-matrix cell, and the widget that lists them."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import numpy as np
import pandas as pd

from clarinb._html import html_widget, tag
from clarinb._html import table as html_table
from clarinb.errors import ClarinbError
from clarinb.views._confusion_figure import NONE_LABEL

__all__ = ["ThumbnailFetcher", "cell_inputs", "inputs_panel", "top_predictions"]

#: Fetches the image bytes of an input id (``None`` when it has no image).
ThumbnailFetcher = Callable[[str], "bytes | None"]
_MAX_THUMBNAILS = 24
_MAX_ROWS = 200


def top_predictions(test_set: pd.DataFrame) -> pd.DataFrame:
    """Find the top-scoring concept of every input.

    Parameters
    ----------
    test_set : pandas.DataFrame
        As :func:`clarinb.frames.test_set`: ``input_id``, ``concept_id``,
        ``score``, ``ground_truth``.

    Returns
    -------
    pandas.DataFrame
        One row per input: ``input_id``, ``predicted`` (concept id) and
        ``top_score``.
    """
    concept = test_set["concept_id"]
    codes = (
        concept.cat.codes.to_numpy()
        if isinstance(concept.dtype, pd.CategoricalDtype)
        else pd.factorize(concept, sort=True)[0]
    )
    # highest score first; ties go to the first concept, as clarinb.metrics does
    order = np.lexsort((codes, -test_set["score"].to_numpy(dtype=float)))
    top = test_set.iloc[order].drop_duplicates("input_id", keep="first")
    return pd.DataFrame(
        {
            "input_id": top["input_id"].astype(str).to_numpy(),
            "predicted": top["concept_id"].astype(str).to_numpy(),
            "top_score": top["score"].to_numpy(dtype=float),
        }
    )


def cell_inputs(
    test_set: pd.DataFrame, actual: str, predicted: str, threshold: float | None = None
) -> pd.DataFrame:
    """Find the inputs counted in one cell of the test-set confusion matrix.

    An input is in cell (``actual``, ``predicted``) when ``actual`` is one of
    its ground-truth concepts and ``predicted`` its top-scoring concept, or
    ``"(none)"`` when its top score is below ``threshold``.

    Parameters
    ----------
    test_set : pandas.DataFrame
        As :func:`clarinb.frames.test_set`.
    actual, predicted : str
        Concept ids of the cell (``predicted`` may be ``"(none)"``).
    threshold : float, optional
        Minimum top score for a prediction to count.

    Returns
    -------
    pandas.DataFrame
        ``input_id``, ``predicted``, ``top_score`` and ``actual_score`` (the
        score the model gave the actual concept), highest top score first.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["i1", "i1"], "concept_id": ["cat", "dog"],
    ...                    "score": [0.3, 0.7], "ground_truth": [True, False]})
    >>> cell_inputs(ts, "cat", "dog")["input_id"].tolist()
    ['i1']
    """
    top = top_predictions(test_set)
    if threshold is not None:
        top.loc[top["top_score"] < threshold, "predicted"] = NONE_LABEL
    truth = test_set.loc[
        test_set["ground_truth"].to_numpy(dtype=bool)
        & (test_set["concept_id"].astype(str) == actual).to_numpy(),
        ["input_id", "score"],
    ]
    truth = pd.DataFrame(
        {
            "input_id": truth["input_id"].astype(str).to_numpy(),
            "actual_score": truth["score"].to_numpy(dtype=float),
        }
    )
    picked = top[top["predicted"] == predicted].merge(truth, on="input_id", how="inner")
    return picked.sort_values("top_score", ascending=False, kind="stable").reset_index(drop=True)


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
        From :func:`cell_inputs`.
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
