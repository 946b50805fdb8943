"""Likely label errors of a detector's test set: cleanlab's object-detection variant.

The ground-truth and predicted boxes of :func:`clarinb.frames.test_set_boxes`
give cleanlab what it needs: per input, the labelled boxes with their class,
and the predicted boxes with their class and score.  cleanlab scores each
input's annotation for overlooked objects, badly placed boxes and swapped
classes, and flags the inputs whose annotation is likely wrong.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.label_issues import _flag, _ranked

__all__ = ["NOMINAL_SIDE", "detection_label_issues"]

#: Image side, in pixels, assumed for an input whose size the test set does not give
#: (cleanlab weighs box distances in pixels).
NOMINAL_SIDE = 1000.0

_COLUMNS = ("input_id", "kind", "concept_id", "score", "top", "left", "bottom", "right")
_GROUND_TRUTH, _PREDICTED = "ground truth", "predicted"


def _cleanlab_arrays(
    boxes: pd.DataFrame, classes: pd.Index
) -> tuple[list[Any], list[dict[str, np.ndarray]], list[list[np.ndarray]]]:
    """Per input, in first-seen order: cleanlab's label dict and per-class prediction arrays."""
    frame = boxes[boxes["kind"].isin((_GROUND_TRUTH, _PREDICTED))]
    width = _side(frame, "width")
    height = _side(frame, "height")
    xyxy = np.column_stack(
        [
            frame["left"].to_numpy(np.float64) * width,
            frame["top"].to_numpy(np.float64) * height,
            frame["right"].to_numpy(np.float64) * width,
            frame["bottom"].to_numpy(np.float64) * height,
        ]
    )
    codes = classes.get_indexer(frame["concept_id"].astype(str))
    truth = (frame["kind"] == _GROUND_TRUTH).to_numpy()
    score = frame["score"].to_numpy(np.float64)
    ids = pd.unique(boxes["input_id"].astype(str))
    position = pd.Index(ids).get_indexer(frame["input_id"].astype(str))
    order = np.argsort(position, kind="stable")
    starts = np.searchsorted(position[order], np.arange(len(ids) + 1))
    labels, predictions = [], []
    for i in range(len(ids)):
        rows = order[starts[i] : starts[i + 1]]
        gt, pred = rows[truth[rows]], rows[~truth[rows]]
        labels.append({"bboxes": xyxy[gt], "labels": codes[gt]})
        predictions.append(
            [
                np.column_stack([xyxy[pred[codes[pred] == k]], score[pred[codes[pred] == k]]])
                for k in range(len(classes))
            ]
        )
    return list(ids), labels, predictions


def _side(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), NOMINAL_SIDE)
    side = pd.to_numeric(frame[name], errors="coerce").astype(np.float64).to_numpy()
    return np.where(np.isfinite(side) & (side > 0), side, NOMINAL_SIDE)


def detection_label_issues(
    boxes: Any, *, threshold: float = 0.5, issues_only: bool = True
) -> pd.DataFrame:
    """Rank a detector's test inputs by how likely their box annotations are wrong.

    Parameters
    ----------
    boxes : pandas.DataFrame
        The test set's boxes, as :func:`clarinb.frames.test_set_boxes`
        returns them (``input_id``, ``kind``, ``concept_id``, ``score`` and
        the normalised ``top``, ``left``, ``bottom``, ``right``; ``width``
        and ``height`` in pixels when known).  Rows of kind ``"none"`` keep
        an input without boxes in the ranking.
    threshold : float
        The score from which a predicted box's concept is suggested.
    issues_only : bool
        Keep only the inputs cleanlab flags (the default); ``False`` keeps
        every input.

    Returns
    -------
    pandas.DataFrame
        One row per input, lowest label quality first: ``input_id``,
        ``given_labels`` (the concepts of its ground-truth boxes, one per
        box, sorted), ``suggested_labels`` (those of its predicted boxes
        scoring at least ``threshold``), ``label_quality`` (cleanlab's
        :func:`~cleanlab.object_detection.rank.get_label_quality_scores`),
        ``is_label_issue`` (its
        :func:`~cleanlab.object_detection.filter.find_label_issues`) and
        ``rank``.  Boxes are given to cleanlab in pixels; an input without a
        size is taken as :data:`NOMINAL_SIDE` pixels a side.

    Raises
    ------
    InvalidArgumentError
        For a frame without the columns of ``test_set_boxes`` or without
        inputs, or bad arguments.
    """
    hint = "build it with clarinb.frames.test_set_boxes()"
    frame = _validate.frame(boxes, "boxes", columns=_COLUMNS, hint=hint)
    limit = _validate.probability(threshold, "threshold")
    issues_only = _flag(issues_only, "issues_only")
    if frame.empty:
        raise InvalidArgumentError(f"boxes has no rows: there is no input to check; {hint}.")
    kept = frame[frame["kind"].isin((_GROUND_TRUTH, _PREDICTED))]
    located = kept[["top", "left", "bottom", "right"]].notna().all(axis=1)
    frame = frame.drop(index=kept.index[~located.to_numpy()])  # regions without a box
    classes = pd.Index(sorted(set(kept.loc[located, "concept_id"].astype(str))))
    ids, labels, predictions = _cleanlab_arrays(frame, classes)
    from cleanlab.object_detection import filter as od_filter  # noqa: PLC0415
    from cleanlab.object_detection import rank as od_rank  # noqa: PLC0415

    quality = od_rank.get_label_quality_scores(labels, predictions, verbose=False)
    mask = od_filter.find_label_issues(labels, predictions)
    concepts = np.asarray(classes, dtype=object)
    suggested = [
        tuple(sorted(np.repeat(concepts, [int((a[:, 4] >= limit).sum()) for a in per_class])))
        for per_class in predictions
    ]
    out = pd.DataFrame(
        {
            "input_id": np.asarray(ids, dtype=object),
            "given_labels": [tuple(sorted(concepts[d["labels"]])) for d in labels],
            "suggested_labels": suggested,
            "label_quality": np.asarray(quality, dtype=np.float64),
            "is_label_issue": np.asarray(mask, dtype=bool),
        }
    )
    return _ranked(out, issues_only)
