"""Slice keys for :func:`clarinb.metrics.slice_metrics`: each input's slice, by what it is.

Every function returns a pandas Series from input id to slice name (None
where an input falls in no slice), ready to pass as ``by``.  Inputs come from
:func:`clarinb.frames.inputs` (``id``, ``width``, ``height``, ``metadata``,
``concepts``) or :func:`clarinb.frames.test_set_inputs` (``input_id``,
``width``, ``height``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.matrix import TestSetMatrix, as_matrix

__all__ = ["aspect_slices", "concept_slices", "metadata_slices", "size_slices"]

_HINT = "use clarinb.frames.inputs (client.inputs()) or clarinb.frames.test_set_inputs"


def _ids(inputs: Any, *needs: str) -> tuple[pd.DataFrame, pd.Index]:
    frame = _validate.frame(inputs, "inputs", hint=_HINT)
    key = "id" if "id" in frame else "input_id"
    missing = [c for c in (key, *needs) if c not in frame]
    if missing:
        raise InvalidArgumentError(f"inputs has no column {missing[0]!r}; {_HINT}.")
    return frame, pd.Index(frame[key].astype(str), name="input_id")


def metadata_slices(inputs: Any, field: str) -> pd.Series:
    """Slice inputs by one field of their metadata (``"source"``, or ``"camera.site"`` nested).

    Parameters
    ----------
    inputs : pandas.DataFrame
        Inputs with a ``metadata`` column of dicts, as :func:`clarinb.frames.inputs`.
    field : str
        The field; dots walk into nested objects.

    Returns
    -------
    pandas.Series
        Input id -> the field's value as a string; None where it is missing.

    Raises
    ------
    InvalidArgumentError
        For inputs without ids or a ``metadata`` column, or an empty field name.
    """
    path = _validate.string(field, "field", hint='name a metadata field such as "source"')
    frame, ids = _ids(inputs, "metadata")
    values = []
    for meta in frame["metadata"]:
        value: Any = meta
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        values.append(None if value is None else str(value))
    return pd.Series(values, index=ids, dtype=object, name=path)


def _edges(edges: Any, name: str) -> list[float]:
    try:
        out = [float(e) for e in edges]
    except (TypeError, ValueError):
        raise InvalidArgumentError(
            f"{name} must be a sequence of numbers, not {edges!r}."
        ) from None
    if not out or any(not np.isfinite(e) or e <= 0 for e in out) or sorted(set(out)) != out:
        raise InvalidArgumentError(f"{name} must be positive, increasing numbers, not {edges!r}.")
    return out


def _bucket(values: np.ndarray, ids: pd.Index, edges: list[float], labels: list[str]) -> pd.Series:
    known = np.isfinite(values)
    codes = np.searchsorted(edges, np.where(known, values, 0.0), side="right")
    names = np.array(labels, dtype=object)[codes]
    names[~known] = None
    return pd.Series(names, index=ids, dtype=object)


def _sizes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    width = (
        pd.to_numeric(frame["width"], errors="coerce")
        .astype("Float64")
        .to_numpy(np.float64, na_value=np.nan)
    )
    height = (
        pd.to_numeric(frame["height"], errors="coerce")
        .astype("Float64")
        .to_numpy(np.float64, na_value=np.nan)
    )
    bad = ~(width > 0) | ~(height > 0)
    width[bad] = np.nan
    height[bad] = np.nan
    return width, height


def size_slices(inputs: Any, edges: Sequence[int] = (256, 512, 1024)) -> pd.Series:
    """Slice inputs by their image's shorter side, in pixels (from ``image_info``).

    Parameters
    ----------
    inputs : pandas.DataFrame
        Inputs with ``width`` and ``height``.
    edges : sequence of int
        Bucket edges, increasing: ``(256, 1024)`` gives ``short side < 256
        px``, ``short side 256-1023 px`` and ``short side >= 1024 px``.

    Returns
    -------
    pandas.Series
        Input id -> bucket; None where the size is unknown.

    Raises
    ------
    InvalidArgumentError
        For inputs without ids or sizes, or bad edges.
    """
    cuts = [float(int(e)) for e in _edges(edges, "edges")]
    frame, ids = _ids(inputs, "width", "height")
    width, height = _sizes(frame)
    ints = [int(e) for e in cuts]
    labels = [f"short side < {ints[0]} px"]
    labels += [f"short side {lo}-{hi - 1} px" for lo, hi in itertools.pairwise(ints)]
    labels.append(f"short side >= {ints[-1]} px")
    out = _bucket(np.fmin(width, height), ids, cuts, labels)
    return out.rename("size")


def aspect_slices(
    inputs: Any,
    edges: Sequence[float] = (0.8, 1.25),
    labels: Sequence[str] = ("portrait", "square", "landscape"),
) -> pd.Series:
    """Slice inputs by their image's aspect ratio, width / height (from ``image_info``).

    Parameters
    ----------
    inputs : pandas.DataFrame
        Inputs with ``width`` and ``height``.
    edges : sequence of float
        Increasing ratios; a ratio equal to an edge goes to the bucket above.
    labels : sequence of str
        One name per bucket (``len(edges) + 1``).

    Returns
    -------
    pandas.Series
        Input id -> bucket; None where the size is unknown.

    Raises
    ------
    InvalidArgumentError
        For inputs without ids or sizes, bad edges, or a label count that
        does not match.
    """
    cuts = _edges(edges, "edges")
    names = _validate.strings(labels, "labels")
    if len(names) != len(cuts) + 1:
        raise InvalidArgumentError(
            f"labels must name {len(cuts) + 1} buckets for {len(cuts)} edges, not {len(names)}."
        )
    frame, ids = _ids(inputs, "width", "height")
    width, height = _sizes(frame)
    return _bucket(width / height, ids, cuts, names).rename("aspect")


def concept_slices(source: Any, concept_id: str) -> pd.Series:
    """Slice inputs by whether their ground truth holds a concept (``night`` / ``not night``).

    Parameters
    ----------
    source : pandas.DataFrame or TestSetMatrix
        Where the ground truth comes from: a test set (frame of
        :func:`clarinb.frames.test_set` or a matrix), for instance another
        model's evaluation on the same inputs, or inputs with a ``concepts``
        column of positive concept ids (:func:`clarinb.frames.inputs`).
    concept_id : str
        The concept.

    Returns
    -------
    pandas.Series
        Input id -> ``concept_id`` or ``"not <concept_id>"``.

    Raises
    ------
    InvalidArgumentError
        For a source of another kind, or a concept it never mentions.
    """
    concept = _validate.string(concept_id, "concept_id")
    if isinstance(source, pd.DataFrame) and "concepts" in source:
        _, ids = _ids(source, "concepts")
        has = np.array(
            [concept in (c if isinstance(c, list | tuple) else ()) for c in source["concepts"]],
            dtype=bool,
        )
        known = bool(has.any())
    else:
        if not isinstance(source, TestSetMatrix | pd.DataFrame):
            raise InvalidArgumentError(
                f"source must be a test set or an inputs frame, not {_validate.shown(source)}."
            )
        m = as_matrix(source)
        col = int(m.concepts.astype(str).get_indexer(pd.Index([concept]))[0])
        known = col >= 0
        ids = pd.Index(m.inputs.astype(str), name="input_id")
        has = m.labels[:, col] if known else np.zeros(m.n_inputs, dtype=bool)
    if not known:
        raise InvalidArgumentError(
            f"no input of the source is labelled {concept!r}; check the concept id."
        )
    names = np.where(has, concept, f"not {concept}").astype(object)
    return pd.Series(names, index=ids, dtype=object, name=concept)
