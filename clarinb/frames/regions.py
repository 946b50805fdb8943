"""Per-input and per-region views of a test set: images and boxes for the detection views."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb.frames._coerce import field, integer, items, number, obj, text
from clarinb.frames._parts import part

__all__ = ["BOX_COLUMNS", "test_set_boxes", "test_set_inputs", "test_set_regions"]

BOX = ("top_row", "left_col", "bottom_row", "right_col")
#: Columns of :func:`test_set_boxes`.
BOX_COLUMNS = (
    "input_id",
    "image_url",
    "width",
    "height",
    "kind",
    "concept_id",
    "score",
    "top",
    "left",
    "bottom",
    "right",
)
REGION_COLUMNS = (
    "input_id",
    "ground_truth",
    "region_id",
    "concept_id",
    "concept_name",
    "score",
    *BOX,
)


def _image(entry: dict[str, Any], path: str) -> tuple[str, str, int | None, int | None]:
    inp = obj(field(entry, "input"), f"{path}.input")
    data = obj(field(inp, "data"), f"{path}.input.data")
    image = obj(field(data, "image"), f"{path}.input.data.image")
    info = obj(field(image, "image_info"), f"{path}.input.data.image.image_info")
    width, height = field(info, "width"), field(info, "height")
    return (
        text(field(inp, "id"), f"{path}.input.id"),
        text(field(image, "url"), f"{path}.input.data.image.url"),
        None if width is None else integer(width, f"{path}.input.data.image.image_info.width"),
        None if height is None else integer(height, f"{path}.input.data.image.image_info.height"),
    )


def test_set_inputs(ev: Any) -> pd.DataFrame:
    """The test set's inputs: one row per entry, with the image URL and size.

    Parameters
    ----------
    ev : dict or list
        An EvalMetrics dict, a GetEvaluation response fetched with
        ``fields.testSet=true``, or the ``test_set`` list itself.

    Returns
    -------
    pandas.DataFrame
        ``input_id``, ``image_url`` (hosted URLs need the client's
        authorization to download), ``width`` and ``height`` (nullable Int64).

    Raises
    ------
    ResponseFormatError
        When the evaluation has no ``test_set`` or an entry has the wrong shape.
    """
    value, path = part(ev, "test_set")
    rows = [
        _image(obj(e, f"{path}[{i}]"), f"{path}[{i}]") for i, e in enumerate(items(value, path))
    ]
    frame = pd.DataFrame(rows, columns=["input_id", "image_url", "width", "height"])
    return frame.astype({"width": "Int64", "height": "Int64"})


def _regions(entry: dict[str, Any], key: str, path: str) -> list[tuple[Any, ...]]:
    annotation = obj(field(entry, key), f"{path}.{key}")
    data = obj(field(annotation, "data"), f"{path}.{key}.data")
    rows = []
    for r, raw in enumerate(items(field(data, "regions"), f"{path}.{key}.data.regions")):
        rp = f"{path}.{key}.data.regions[{r}]"
        region = obj(raw, rp)
        info = obj(field(region, "region_info"), f"{rp}.region_info")
        box = field(info, "bounding_box")
        coords: tuple[float, ...]
        if box is None:
            coords = (np.nan,) * 4
        else:
            b = obj(box, f"{rp}.region_info.bounding_box")
            coords = tuple(number(field(b, k), f"{rp}.region_info.bounding_box.{k}") for k in BOX)
        region_id = text(field(region, "id"), f"{rp}.id")
        region_data = obj(field(region, "data"), f"{rp}.data")
        concepts = items(field(region_data, "concepts"), f"{rp}.data.concepts")
        for j, c in enumerate(concepts):
            concept = obj(c, f"{rp}.data.concepts[{j}]")
            rows.append(
                (
                    text(field(concept, "id"), f"{rp}.data.concepts[{j}].id"),
                    text(field(concept, "name"), f"{rp}.data.concepts[{j}].name"),
                    number(field(concept, "value"), f"{rp}.data.concepts[{j}].value"),
                    region_id,
                    coords,
                )
            )
    return rows


def test_set_regions(ev: Any) -> pd.DataFrame:
    """Every predicted and ground-truth region of a detector's test set, one row per concept.

    Parameters
    ----------
    ev : dict or list
        An EvalMetrics dict, a GetEvaluation response fetched with
        ``fields.testSet=true``, or the ``test_set`` list itself.

    Returns
    -------
    pandas.DataFrame
        ``input_id``, ``ground_truth`` (True for a ground-truth region, False
        for a prediction), ``region_id``, ``concept_id``, ``concept_name``,
        ``score`` (the concept's value: the prediction's score, 1 for ground
        truth), the normalised box ``top_row``, ``left_col``, ``bottom_row``,
        ``right_col`` (NaN for regions without a box), and the input's
        ``image_url``, ``width`` and ``height`` (multiply the box by them for
        pixels).  Classifier test sets give an empty frame.

    Raises
    ------
    ResponseFormatError
        When the evaluation has no ``test_set`` or an entry has the wrong shape.
    """
    value, path = part(ev, "test_set")
    rows = []
    for i, raw in enumerate(items(value, path)):
        p = f"{path}[{i}]"
        entry = obj(raw, p)
        input_id, url, width, height = _image(entry, p)
        for flag, key in ((True, "ground_truth_annotation"), (False, "predicted_annotation")):
            for concept_id, name, score, region_id, coords in _regions(entry, key, p):
                rows.append(
                    (
                        input_id,
                        flag,
                        region_id,
                        concept_id,
                        name,
                        score,
                        *coords,
                        url,
                        width,
                        height,
                    )
                )
    frame = pd.DataFrame(rows, columns=[*REGION_COLUMNS, "image_url", "width", "height"])
    floats = dict.fromkeys(("score", *BOX), np.float64)
    return frame.astype({**floats, "ground_truth": bool, "width": "Int64", "height": "Int64"})


def test_set_boxes(ev: Any) -> pd.DataFrame:
    """One row per box of a region test set, with its image: columns :data:`BOX_COLUMNS`.

    Built from :func:`test_set_regions` and :func:`test_set_inputs`; an input
    with no box keeps one row with ``kind`` ``"none"`` so that it can still be
    browsed.  ``kind`` is ``"ground truth"`` or ``"predicted"`` otherwise.
    Coordinates stay normalised (0-1); ``width``/``height`` are NaN when the
    test set does not give them.  Rows follow the test set's input order.

    Parameters
    ----------
    ev : dict
        An EvalMetrics dict holding ``test_set``, or its response envelope.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ResponseFormatError
        When the evaluation has no test set or it is malformed.

    Examples
    --------
    >>> ev = {"test_set": [{"input": {"id": "i1", "data": {"image": {"url": "u"}}}}]}
    >>> test_set_boxes(ev)[["input_id", "kind"]].values.tolist()
    [['i1', 'none']]
    """
    regions = test_set_regions(ev)
    inputs = test_set_inputs(ev)
    regions = regions[regions[list(BOX)].notna().all(axis=1)]
    boxes = pd.DataFrame(
        {
            "input_id": regions["input_id"].astype(str),
            "kind": np.where(regions["ground_truth"], "ground truth", "predicted"),
            "concept_id": regions["concept_id"].astype(str),
            "score": regions["score"].astype(float),
            "top": regions["top_row"],
            "left": regions["left_col"],
            "bottom": regions["bottom_row"],
            "right": regions["right_col"],
        }
    )
    empty = inputs[~inputs["input_id"].isin(set(boxes["input_id"]))]
    boxes = pd.concat(
        [boxes, pd.DataFrame({"input_id": empty["input_id"].astype(str), "kind": "none"})],
        ignore_index=True,
    )
    info = inputs.drop_duplicates("input_id").astype({"width": "Float64", "height": "Float64"})
    merged = boxes.merge(info, on="input_id", how="left")
    merged["width"] = merged["width"].astype(float)
    merged["height"] = merged["height"].astype(float)
    merged["concept_id"] = merged["concept_id"].fillna("")
    order = {v: i for i, v in enumerate(inputs["input_id"].astype(str))}
    merged = merged.sort_values("input_id", key=lambda s: s.map(order), kind="stable")
    return merged[list(BOX_COLUMNS)].reset_index(drop=True)
