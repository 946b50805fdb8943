"""The evaluation's test set as a compact long frame: one row per (input, concept)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb.errors import ResponseFormatError
from clarinb.frames._coerce import bad, items
from clarinb.frames._parts import part
from clarinb.frames._predictions_collect import Collected, collect, collect_careful

__all__ = ["test_set"]

#: Dense lookup tables are used up to this many (input, concept) cells per row.
_DENSE_FACTOR = 8


def _code(ids: list[Any], path: str) -> tuple[np.ndarray, list[str]]:
    """Integer codes of ``ids`` in first-appearance order, and the distinct ids."""
    table = {key: i for i, key in enumerate(dict.fromkeys(ids))}
    uniques = list(table)
    for u in uniques:
        if not isinstance(u, str):
            raise bad(f"{path}[].id", "a concept id string", u)
    codes = np.fromiter(map(table.__getitem__, ids), dtype=np.int64, count=len(ids))
    return codes, uniques


def _values(values: list[Any], path: str) -> np.ndarray:
    try:
        return np.array(values, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ResponseFormatError(f"{path}: a concept value is not a number") from None


def _isin(keys: np.ndarray, members: np.ndarray, size: int) -> np.ndarray:
    """Whether each key is among ``members`` (all keys below ``size``)."""
    if size <= _DENSE_FACTOR * (len(keys) + len(members)) + (1 << 20):
        table = np.zeros(size, dtype=bool)
        table[members] = True
        return table[keys]
    return np.isin(keys, members)


def _build(c: Collected, path: str) -> pd.DataFrame:
    inputs = list(dict.fromkeys(c.input_ids))
    entry_input = np.arange(len(c.input_ids), dtype=np.int64)  # entry -> input code
    if len(inputs) != len(c.input_ids):  # the same input in several entries
        where = {key: i for i, key in enumerate(inputs)}
        entry_input = np.fromiter(map(where.__getitem__, c.input_ids), dtype=np.int64)
    concept_codes, concepts = _code(c.pred_ids + c.gt_ids, path)
    n_pred = len(c.pred_ids)
    k = max(len(concepts), 1)
    pred_in = np.repeat(entry_input, np.array(c.pred_counts, dtype=np.intp))
    gt_in = np.repeat(entry_input, np.array(c.gt_counts, dtype=np.intp))
    pred_key = pred_in * k + concept_codes[:n_pred]
    gt_key = gt_in * k + concept_codes[n_pred:]
    score = _values(c.pred_values, f"{path}[].predicted_concepts")
    gt_value = _values(c.gt_values, f"{path}[].ground_truth_concepts")
    size = len(inputs) * k
    # Repeated (input, concept) predictions (regions of a detector): keep the best score.
    if len(pred_key) and not _unique(pred_key, size):
        best = pd.Series(score).groupby(pred_key, sort=False).max()
        pred_key = best.index.to_numpy(dtype=np.int64)
        score = best.to_numpy(dtype=np.float64)
    # Ground truth only: (input, concept) pairs with no prediction score 0.
    extra = pd.unique(gt_key[~_isin(gt_key, pred_key, size)])
    keys = np.concatenate([pred_key, extra]) if len(extra) else pred_key
    if len(extra):
        score = np.concatenate([score, np.zeros(len(extra))])
        order = np.argsort(keys // k, kind="stable")
        keys, score = keys[order], score[order]
    truth = _isin(keys, gt_key[gt_value > 0], size)  # value 0 is an explicit negative
    sorted_concepts = sorted(concepts)
    position = {concept: i for i, concept in enumerate(sorted_concepts)}
    rank = np.array([position[x] for x in concepts], dtype=np.int64)
    return pd.DataFrame(
        {
            "input_id": pd.Categorical.from_codes(
                keys // k, categories=pd.Index(inputs, dtype=str)
            ),
            "concept_id": pd.Categorical.from_codes(
                rank[keys % k] if len(concepts) else keys[:0],
                categories=pd.Index(sorted_concepts, dtype=str),
            ),
            "score": score,
            "ground_truth": truth,
        }
    )


def _unique(keys: np.ndarray, size: int) -> bool:
    if size <= _DENSE_FACTOR * len(keys) + (1 << 20):
        table = np.zeros(size, dtype=bool)
        table[keys] = True
        return int(np.count_nonzero(table)) == len(keys)
    return len(np.unique(keys)) == len(keys)


def test_set(ev: Any) -> pd.DataFrame:
    """The evaluation's test set: one row per (input, concept) seen in predictions or ground truth.

    Parameters
    ----------
    ev : dict or list
        An EvalMetrics dict, a GetEvaluation response fetched with
        ``fields.testSet=true``, or the ``test_set`` list itself.

    Returns
    -------
    pandas.DataFrame
        ``input_id`` (categorical, inputs in body order), ``concept_id``
        (categorical, concepts sorted), ``score`` (float64: the predicted
        value; 0.0 for a ground-truth concept the model did not score) and
        ``ground_truth`` (bool: True when a ground-truth concept has a value
        above 0; a value of 0 is an explicit negative).  Rows follow the body:
        each input's predictions, then its unscored ground-truth concepts.

        Detector test sets (``predicted_annotation`` /
        ``ground_truth_annotation`` with regions) are reduced to image level:
        a concept's score is its best region (or image) score on the input, and
        it is ground truth when any ground-truth region carries it.  The boxes
        themselves are in :func:`clarinb.frames.test_set_regions`.

        Codes use the smallest integer types and the score float64, so the
        frame takes about 12 bytes a row.

    Raises
    ------
    ResponseFormatError
        When the evaluation has no ``test_set`` or an entry has the wrong shape.

    Examples
    --------
    >>> from clarinb import frames
    >>> body = {"test_set": [{"input": {"id": "in1"},
    ...   "predicted_concepts": [{"id": "cat", "value": 0.9}, {"id": "dog", "value": 0.1}],
    ...   "ground_truth_concepts": [{"id": "cat", "value": 1}]}]}
    >>> frames.test_set(body)
      input_id concept_id  score  ground_truth
    0      in1        cat    0.9          True
    1      in1        dog    0.1         False
    """
    value, path = part(ev, "test_set")
    entries = items(value, path)
    collected = collect(entries, path)
    try:
        return _build(collected, path)
    except ResponseFormatError:
        _build(collect_careful(entries, path), path)  # names the bad part, if one is
        raise
