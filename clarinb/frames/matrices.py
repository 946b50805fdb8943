"""Square concept x concept frames: the confusion and co-occurrence matrices of an evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb.frames._coerce import field, integer, items, number, obj, text
from clarinb.frames._parts import part

__all__ = [
    "NORMALIZE_CHOICES",
    "Normalize",
    "confusion_matrix",
    "cooccurrence_matrix",
    "normalize_matrix",
]

Normalize = Literal["true", "pred", "all"] | None
#: The accepted values of ``normalize``.
NORMALIZE_CHOICES = (None, "true", "pred", "all")


def _order(declared: list[str], seen: list[str]) -> list[str]:
    """Concepts in declared order, then the others in order of first appearance."""
    return list(dict.fromkeys([*declared, *seen]))


def _square(
    cells: Sequence[tuple[str, str, float]], declared: list[str], dtype: type
) -> tuple[np.ndarray, list[str]]:
    order = _order(declared, [c for cell in cells for c in cell[:2]])
    position = {c: i for i, c in enumerate(order)}
    matrix: np.ndarray = np.zeros((len(order), len(order)), dtype=dtype)
    if cells:
        rows = np.array([position[c[0]] for c in cells], dtype=np.intp)
        cols = np.array([position[c[1]] for c in cells], dtype=np.intp)
        np.add.at(matrix, (rows, cols), np.array([c[2] for c in cells], dtype=dtype))
    return matrix, order


def normalize_matrix(frame: pd.DataFrame, normalize: Normalize | str) -> pd.DataFrame:
    """Normalise a count matrix over rows (``"true"``), columns (``"pred"``) or everything.

    The one confusion normaliser: :meth:`clarinb.Evaluation.confusion_matrix`
    and the views' heatmaps use it.  Rows, columns or matrices that sum to 0
    stay 0.

    Parameters
    ----------
    frame : pandas.DataFrame
        Counts (any real numbers), index actual, columns predicted.
    normalize : {None, "true", "pred", "all"}
        As scikit-learn's ``confusion_matrix(normalize=...)``: ``None`` returns
        ``frame`` as it is.

    Returns
    -------
    pandas.DataFrame
        float64 rates with the labels of ``frame``.

    Raises
    ------
    InvalidArgumentError
        For a ``normalize`` other than None, "true", "pred" or "all".

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[3, 1], [0, 0]], index=["a", "b"], columns=["a", "b"])
    >>> normalize_matrix(m, "true").to_numpy().tolist()
    [[0.75, 0.25], [0.0, 0.0]]
    """
    validate.choice(normalize, "normalize", NORMALIZE_CHOICES)
    if normalize is None:
        return frame
    values = frame.to_numpy(dtype=np.float64)
    if normalize == "true":
        totals = values.sum(axis=1, keepdims=True)
    elif normalize == "pred":
        totals = values.sum(axis=0, keepdims=True)
    else:
        totals = np.full((1, 1), values.sum())
    empty = totals == 0
    out = values / np.where(empty, 1.0, totals)  # one pass; empty rows/columns zeroed below
    if empty.any():
        out[np.broadcast_to(empty, out.shape)] = 0.0
    return pd.DataFrame(out, index=frame.index, columns=frame.columns, copy=False)


def confusion_matrix(ev: Any, normalize: Normalize = None) -> pd.DataFrame:
    """Read the evaluation's confusion matrix as a square frame.

    Parameters
    ----------
    ev : dict
        An EvalMetrics dict, a GetEvaluation response, or the ConfusionMatrix object.
    normalize : {None, "true", "pred", "all"}
        Leave the values as the body gives them, or divide each row (actual
        concept), each column (predicted concept) or the whole matrix by its sum.

    Returns
    -------
    pandas.DataFrame
        Index ``actual``, columns ``predicted``, over every concept that
        appears, ordered by the body's ``concept_ids`` and then by first
        appearance; absent cells are 0.  Cells listed twice are summed.

    Raises
    ------
    ResponseFormatError
        When the evaluation has no ``confusion_matrix``
        (``fields.confusionMatrix=true``) or a cell has the wrong shape.
    InvalidArgumentError
        For an unknown ``normalize``.

    Examples
    --------
    >>> from clarinb import frames
    >>> cm = {"matrix": [{"actual": "cat", "predicted": "dog", "value": 2}],
    ...       "concept_ids": ["cat", "dog"]}
    >>> frames.confusion_matrix(cm)  # doctest: +NORMALIZE_WHITESPACE
    predicted  cat  dog
    actual
    cat        0.0  2.0
    dog        0.0  0.0
    """
    validate.choice(normalize, "normalize", NORMALIZE_CHOICES)
    value, path = part(ev, "confusion_matrix", marker="matrix")
    cm = obj(value, path)
    cells = []
    for i, raw in enumerate(items(field(cm, "matrix"), f"{path}.matrix")):
        p = f"{path}.matrix[{i}]"
        cell = obj(raw, p)
        actual = text(field(cell, "actual"), f"{p}.actual") or text(
            field(obj(field(cell, "actual_concept"), f"{p}.actual_concept"), "id"),
            f"{p}.actual_concept.id",
        )
        predicted = text(field(cell, "predicted"), f"{p}.predicted") or text(
            field(obj(field(cell, "predicted_concept"), f"{p}.predicted_concept"), "id"),
            f"{p}.predicted_concept.id",
        )
        cells.append((actual, predicted, number(field(cell, "value"), f"{p}.value")))
    declared = [
        text(c, f"{path}.concept_ids[{i}]")
        for i, c in enumerate(items(field(cm, "concept_ids"), f"{path}.concept_ids"))
    ]
    matrix, order = _square(cells, declared, np.float64)
    frame = pd.DataFrame(
        matrix,
        index=pd.Index(order, name="actual"),
        columns=pd.Index(order, name="predicted"),
    )
    return normalize_matrix(frame, normalize)


def cooccurrence_matrix(ev: Any) -> pd.DataFrame:
    """How many inputs are labelled with both concepts, as a square frame of counts.

    Parameters
    ----------
    ev : dict
        An EvalMetrics dict, a GetEvaluation response, or the CooccurrenceMatrix object.

    Returns
    -------
    pandas.DataFrame
        int64 counts; index ``row`` and columns ``col`` over every concept that
        appears, ordered by ``concept_ids`` and then by first appearance.

    Raises
    ------
    ResponseFormatError
        When the evaluation has no ``cooccurrence_matrix``
        (``fields.cooccurrenceMatrix=true``) or a cell has the wrong shape.
    """
    value, path = part(ev, "cooccurrence_matrix", marker="matrix")
    cm = obj(value, path)
    cells = []
    for i, raw in enumerate(items(field(cm, "matrix"), f"{path}.matrix")):
        p = f"{path}.matrix[{i}]"
        cell = obj(raw, p)
        cells.append(
            (
                text(field(cell, "row"), f"{p}.row"),
                text(field(cell, "col"), f"{p}.col"),
                integer(field(cell, "count"), f"{p}.count"),
            )
        )
    declared = [
        text(c, f"{path}.concept_ids[{i}]")
        for i, c in enumerate(items(field(cm, "concept_ids"), f"{path}.concept_ids"))
    ]
    matrix, order = _square(cells, declared, np.int64)
    return pd.DataFrame(
        matrix,
        index=pd.Index(order, name="row"),
        columns=pd.Index(order, name="col"),
    )
