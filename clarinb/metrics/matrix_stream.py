"""A test set read straight into a :class:`TestSetMatrix`, streamed from a body's JSON bytes.

:func:`clarinb.frames.test_set` needs the parsed body (every prediction a
Python dict, a few hundred bytes each) and builds a long frame (about 12
bytes a row) before :meth:`TestSetMatrix.from_frame` makes the matrices.
Here the ``test_set`` entries are parsed a batch at a time (ijson's C
parser), each batch reduced to compact arrays (input, concept codes, float32
scores: about 8 bytes per prediction) and dropped; the matrices (5 bytes a
cell) are filled at the end, batch by batch.  The result equals
``TestSetMatrix.from_frame(frames.test_set(body))``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import ijson
import numpy as np
import pandas as pd

from clarinb.errors import ResponseFormatError
from clarinb.frames._coerce import items
from clarinb.frames._parts import FLAGS, part
from clarinb.frames._predictions_collect import Collected, collect
from clarinb.metrics.matrix import TestSetMatrix

__all__ = ["matrix_from_body", "read_test_set_matrix"]

#: Predictions parsed and reduced at a time (about): batches of entries are
#: sized to it from the entries seen so far.
BATCH_PREDICTIONS = 1 << 14

#: Entries in the first batch, before their size is known.
_FIRST_BATCH = 16

#: Where a body can hold the evaluation (see :func:`clarinb.frames._parts.evaluation_of`).
_PARENTS = ("", "eval_metrics.", "eval_metrics.item.", "model_version.metrics.")


def _paths() -> frozenset[str]:
    found = set()
    for parent in _PARENTS:
        for p in (
            parent,
            parent.replace("eval_metrics", "evalMetrics").replace("model_version", "modelVersion"),
        ):
            found.update({p + "test_set", p + "testSet"})
    return frozenset(found)


_TEST_SET_PATHS = _paths()


@dataclass
class _Batch:
    """One batch of entries as compact arrays (concept codes in first-seen order)."""

    rows: np.ndarray  # int64 input code per entry
    pred_counts: np.ndarray
    pred_codes: np.ndarray  # int32
    pred_values: np.ndarray  # float32
    gt_counts: np.ndarray
    gt_codes: np.ndarray
    gt_positive: np.ndarray  # bool: value above 0


class _Builder:
    """Accumulate batches of entries, then fill the matrices."""

    def __init__(self) -> None:
        self.inputs: dict[str, int] = {}
        self.concepts: dict[str, int] = {}
        self.batches: list[_Batch] = []
        self.predictions = 0  # concepts (predicted or true) seen so far
        self.entries = 0

    def batch_size(self, predictions: int) -> int:
        """Entries to take next so that a batch holds about ``predictions`` concepts."""
        if not self.entries:
            return max(1, min(_FIRST_BATCH, predictions))
        return max(1, predictions * self.entries // max(self.predictions, 1))

    @staticmethod
    def _codes(table: dict[str, int], ids: list[Any], dtype: Any) -> np.ndarray:
        """Codes of ``ids`` in ``table``, adding the new ones in first-seen order."""
        try:  # after the first batch every id is usually known: a C-level lookup
            return np.fromiter(map(table.__getitem__, ids), dtype=dtype, count=len(ids))
        except KeyError:
            for key in dict.fromkeys(ids):
                table.setdefault(key, len(table))
            return np.fromiter(map(table.__getitem__, ids), dtype=dtype, count=len(ids))

    def add(self, entries: list[Any], path: str, offset: int) -> None:
        try:
            c: Collected = collect(entries, path)
            pred_values = np.array(c.pred_values, dtype=np.float64).astype(np.float32)
            gt_values = np.array(c.gt_values, dtype=np.float64)
        except ResponseFormatError as exc:
            if not offset:
                raise
            raise ResponseFormatError(
                f"{exc} (entries counted from {path}[{offset}], where this batch starts)"
            ) from None
        except (TypeError, ValueError, OverflowError):
            raise ResponseFormatError(f"{path}: a concept value is not a number") from None
        if np.isnan(pred_values).any():
            raise ResponseFormatError(f"{path}: a predicted concept value is NaN")
        self.predictions += len(c.pred_ids) + len(c.gt_ids)
        self.entries += len(entries)
        rows = self._codes(self.inputs, c.input_ids, np.int64)
        self.batches.append(
            _Batch(
                rows,
                np.array(c.pred_counts, dtype=np.intp),
                self._codes(self.concepts, c.pred_ids, np.int32),
                pred_values,
                np.array(c.gt_counts, dtype=np.intp),
                self._codes(self.concepts, c.gt_ids, np.int32),
                gt_values > 0,  # value 0 is an explicit negative
            )
        )

    def finish(self) -> TestSetMatrix:
        ids = list(self.inputs)
        present = np.zeros(len(ids), dtype=bool)  # inputs with at least one concept
        for b in self.batches:
            present[b.rows[(b.pred_counts + b.gt_counts) > 0]] = True
        row_of = np.cumsum(present) - 1
        n = int(np.count_nonzero(present))
        concept_ids = list(self.concepts)
        sorted_ids = sorted(concept_ids)
        position = {concept: i for i, concept in enumerate(sorted_ids)}
        rank = np.array([position[x] for x in concept_ids], dtype=np.int64)
        k = len(sorted_ids)
        scores = np.full((n, k), -np.inf, dtype=np.float32)
        labels = np.zeros((n, k), dtype=bool)
        flat_scores, flat_labels = scores.reshape(-1), labels.reshape(-1)
        while self.batches:
            b = self.batches.pop(0)  # dropped once written
            rows = row_of[b.rows]
            keys = np.repeat(rows, b.pred_counts) * k + rank[b.pred_codes]
            _assign_max(flat_scores, keys, b.pred_values)
            gt_keys = np.repeat(rows, b.gt_counts) * k + rank[b.gt_codes]
            flat_labels[gt_keys[b.gt_positive]] = True
        # Unscored pairs (ground truth only, or never named) score 0, a block of rows at a time.
        step = max(1, (1 << 22) // max(k, 1))
        for r0 in range(0, n, step):
            block = scores[r0 : r0 + step]
            block[np.isneginf(block)] = 0
        return TestSetMatrix(
            pd.Index(np.array(ids, dtype=object)[present], dtype=str, name="input_id"),
            pd.Index(sorted_ids, dtype=str, name="concept_id"),
            scores,
            labels,
        )


def _assign_max(flat: np.ndarray, keys: np.ndarray, values: np.ndarray) -> None:
    """Set ``flat[keys]`` to the largest value given each key (cells start at -inf)."""
    before = flat[keys]
    flat[keys] = values
    if (before != -np.inf).any() or (flat[keys] != values).any():  # a key seen twice
        np.maximum.at(flat, keys, values)
        np.maximum.at(flat, keys, before)


def matrix_from_body(body: Any, *, batch: int = BATCH_PREDICTIONS) -> TestSetMatrix:
    """Build the test set's matrices from a parsed body, without the long frame.

    Parameters
    ----------
    body : dict or list
        An EvalMetrics dict, a GetEvaluation response fetched with
        ``fields.testSet=true``, or the ``test_set`` list itself.
    batch : int
        About how many predictions to reduce at a time.

    Returns
    -------
    TestSetMatrix
        Equal to ``TestSetMatrix.from_frame(frames.test_set(body))``.

    Raises
    ------
    ResponseFormatError
        When the body has no test set or an entry has the wrong shape.
    """
    value, path = part(body, "test_set")
    entries = items(value, path)
    builder = _Builder()
    start = 0
    while start < len(entries):
        stop = start + builder.batch_size(batch)
        builder.add(entries[start:stop], path, start)
        start = stop
    return builder.finish()


def _find_test_set(stream: Any) -> str:
    """Return the ijson prefix of the test-set entries, reading only up to the list."""
    for prefix, event, _ in ijson.parse(stream):
        if event == "start_array" and (prefix == "" or prefix in _TEST_SET_PATHS):
            return f"{prefix}.item" if prefix else "item"
    raise ResponseFormatError(
        f"the evaluation has no test_set list; fetch the evaluation with {FLAGS['test_set']}=true"
    )


def read_test_set_matrix(source: Any, *, batch: int = BATCH_PREDICTIONS) -> TestSetMatrix:
    """Stream a body's test set into its matrices, never holding the parsed body.

    Parameters
    ----------
    source : bytes, str or binary file
        The JSON text of a GetEvaluation response fetched with
        ``fields.testSet=true``, of an EvalMetrics, or of the ``test_set``
        list itself (snake_case or camelCase keys); a file must be seekable
        (it is read twice: up to the list, then the list).
    batch : int
        About how many predictions to parse and reduce at a time (the parsed
        entries of one batch are the largest temporary).

    Returns
    -------
    TestSetMatrix
        Equal to ``TestSetMatrix.from_frame(frames.test_set(json.loads(source)))``.

    Raises
    ------
    ResponseFormatError
        When the text is not JSON, has no test set, or an entry has the
        wrong shape.
    """
    if isinstance(source, str):
        source = source.encode()
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
    start = stream.tell()
    builder = _Builder()
    try:
        prefix = _find_test_set(stream)
        stream.seek(start)
        path = "test_set" if prefix == "item" else prefix.removesuffix(".item")
        chunk: list[Any] = []
        offset, size = 0, builder.batch_size(batch)
        for entry in ijson.items(stream, prefix, use_float=True):
            chunk.append(entry)
            if len(chunk) == size:
                builder.add(chunk, path, offset)
                offset += len(chunk)
                chunk = []
                size = builder.batch_size(batch)
        builder.add(chunk, path, offset)
    except ijson.JSONError as exc:
        raise ResponseFormatError(f"the body is not valid JSON: {exc}") from None
    return builder.finish()
