"""A test set as dense inputs x concepts matrices: float32 scores and bool labels.

The long test-set frame of :func:`clarinb.frames.test_set` has one row per
(input, concept) and repeats both ids on every row.  :class:`TestSetMatrix`
holds the same facts once: the ids as two indexes, and the scores and
ground truth as C-contiguous ``(n_inputs, n_concepts)`` matrices.  An
(input, concept) pair with no row is a negative scored 0, as everywhere in
:mod:`clarinb.metrics`.

Why dense: Clarifai evaluations score every concept for every input, so the
matrices are full.  A cell costs 5 bytes (float32 score, bool label) against
13 or more per row of the long frame (float64 score, two integer codes, a
bool); at 5,000 concepts x 50,000 inputs that is 1.25 GB against 3.5 GB.  A
sparse layout (per present pair a float32, an int32 index and a label, 9
bytes) would be smaller only with under about half of the pairs present;
and since every metric reads an absent pair as a negative scored 0, whose
ranks it still needs, the dense form is kept for its plain vectorised
access (one sort per column, one argmax per row).  Building one from a
frame peaks under the frame's own size on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from clarinb.errors import InvalidArgumentError
from clarinb.metrics._arrays import read_test_set

__all__ = ["TestSetMatrix"]

#: Rows turned into matrix positions at a time, bounding the temporaries of
#: :meth:`TestSetMatrix.from_frame` (a few bytes per row of each chunk).
_CHUNK_ROWS = 1 << 20


@dataclass(frozen=True, eq=False)
class TestSetMatrix:
    """Scores and ground truth of a test set as inputs x concepts matrices.

    Build it with :meth:`from_frame` or :meth:`from_arrays` rather than
    directly: they check what the constructor takes as given.

    Attributes
    ----------
    inputs : pandas.Index
        The input ids, one per row, in the order first seen in the frame.
    concepts : pandas.Index
        The concept ids, one per column (the ``concept_id`` categories, or
        the sorted ids of a plain column), as the frame metrics order them.
    scores : numpy.ndarray
        float32, shape ``(n_inputs, n_concepts)``, C-contiguous; 0 where a
        pair had no row.
    labels : numpy.ndarray
        bool, same shape; ``False`` where a pair had no row.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["a", "a", "b"], "concept_id": ["x", "y", "x"],
    ...                    "score": [0.9, 0.1, 0.7], "ground_truth": [True, False, False]})
    >>> m = TestSetMatrix.from_frame(ts)
    >>> m.scores
    array([[0.9, 0.1],
           [0.7, 0. ]], dtype=float32)
    """

    inputs: pd.Index
    concepts: pd.Index
    scores: np.ndarray
    labels: np.ndarray
    __test__: ClassVar[bool] = False  # a name pytest would otherwise try to collect

    @property
    def n_inputs(self) -> int:
        """Number of inputs (rows)."""
        return int(self.scores.shape[0])

    @property
    def n_concepts(self) -> int:
        """Number of concepts (columns)."""
        return int(self.scores.shape[1])

    @property
    def nbytes(self) -> int:
        """Bytes held by the two matrices (the indexes are not counted)."""
        return int(self.scores.nbytes + self.labels.nbytes)

    def __repr__(self) -> str:
        return (
            f"TestSetMatrix({self.n_inputs} inputs x {self.n_concepts} concepts, "
            f"{self.nbytes / 2**20:.1f} MiB)"
        )

    @classmethod
    def from_frame(cls, ts: Any) -> TestSetMatrix:
        """Build the matrices from a long test-set frame.

        Parameters
        ----------
        ts : pandas.DataFrame
            A test set, as :func:`clarinb.frames.test_set` returns.

        Returns
        -------
        TestSetMatrix
            Inputs in the order first seen in ``ts`` (inputs without a row are
            not part of the test set); concepts as the frame metrics number
            them.  Scores are rounded to float32.

        Raises
        ------
        InvalidArgumentError
            For a malformed test set (see the metrics) or duplicate
            (input, concept) rows.
        """
        a = read_test_set(ts)
        codes = a.input_codes
        seen = _first_seen(codes)  # used input codes, in first-seen order
        n, k = len(seen), a.n_concepts
        remap: np.ndarray | None = None
        if len(seen) != a.n_input_ids or (n and (seen[0] != 0 or (np.diff(seen) != 1).any())):
            remap = np.empty(a.n_input_ids, dtype=np.intp)
            remap[seen] = np.arange(n, dtype=np.intp)
        scores = np.zeros((n, k), dtype=np.float32)
        labels = np.zeros((n, k), dtype=bool)
        flat_scores, flat_labels = scores.ravel(), labels.ravel()
        # The cells written, to find duplicate pairs. While the chunks come in matrix order,
        # each a slice after the last, no cell can be written twice: their ranges are kept
        # instead, and the full mask is made only if a chunk breaks that order.
        ranges: list[tuple[int, int]] = []
        filled: np.ndarray | None = None
        for start in range(0, len(codes), _CHUNK_ROWS):
            part = slice(start, start + _CHUNK_ROWS)
            flat = codes[part].astype(np.intp) if remap is None else remap[codes[part]]
            flat *= k
            flat += a.concept_codes[part]
            first = int(flat[0]) if len(flat) else 0
            target: slice | np.ndarray = flat
            if first + len(flat) <= n * k and np.array_equal(
                flat, np.arange(first, first + len(flat))
            ):  # rows in matrix order (input by input, concepts in order): copy a slice
                target = slice(first, first + len(flat))
            after = not ranges or first >= ranges[-1][1]
            if filled is None and isinstance(target, slice) and after:
                ranges.append((first, first + len(flat)))
            else:
                if filled is None:
                    filled = np.zeros(n * k, dtype=bool)
                    for r0, r1 in ranges:
                        filled[r0:r1] = True
                filled[target] = True
            flat_scores[target] = a.score[part]
            flat_labels[target] = a.truth[part]
        if filled is not None and int(np.count_nonzero(filled)) != len(codes):
            raise InvalidArgumentError(
                "the test set has duplicate (input, concept) rows; keep one row per pair "
                "(for example with ts.drop_duplicates(['input_id', 'concept_id']))."
            )
        del filled
        inputs = pd.Index(a.inputs[seen], name="input_id")
        return cls(inputs, pd.Index(a.concepts, name="concept_id"), scores, labels)

    @classmethod
    def from_arrays(
        cls,
        scores: Any,
        labels: Any,
        *,
        inputs: Any = None,
        concepts: Any = None,
    ) -> TestSetMatrix:
        """Wrap inputs x concepts score and label matrices.

        Parameters
        ----------
        scores : array_like
            Real numbers, shape ``(n_inputs, n_concepts)``, no NaN; stored as
            C-contiguous float32 (copied only when needed).
        labels : array_like
            bool, the same shape.
        inputs, concepts : sequence, optional
            Unique ids of the rows and columns; positions ``0 .. n - 1`` when
            not given.

        Returns
        -------
        TestSetMatrix

        Raises
        ------
        InvalidArgumentError
            For arrays that are not 2-D, of other shapes, not numeric or not
            bool, NaN scores, or ids of the wrong length or not unique.
        """
        score_arr = np.asarray(scores)
        label_arr = np.asarray(labels)
        if score_arr.ndim != 2:
            raise InvalidArgumentError(
                f"scores must be a 2-D inputs x concepts array, not {score_arr.ndim}-D."
            )
        if label_arr.shape != score_arr.shape:
            raise InvalidArgumentError(
                f"labels must have the shape of scores {score_arr.shape}, not {label_arr.shape}."
            )
        if score_arr.dtype == bool or score_arr.dtype.kind not in "iuf":
            raise InvalidArgumentError(f"scores must hold real numbers, not {score_arr.dtype}.")
        if label_arr.dtype != bool:
            raise InvalidArgumentError(
                f"labels must be a bool array, not {label_arr.dtype}; compare with a value "
                "first (for example labels == 1)."
            )
        score_arr = np.ascontiguousarray(score_arr, dtype=np.float32)
        if np.isnan(score_arr.sum(dtype=np.float64)) and np.isnan(score_arr).any():
            raise InvalidArgumentError("scores has NaN values; score a missing prediction 0.")
        label_arr = np.ascontiguousarray(label_arr)
        n, k = score_arr.shape
        return cls(
            _ids(inputs, n, "inputs", "input_id"),
            _ids(concepts, k, "concepts", "concept_id"),
            score_arr,
            label_arr,
        )

    def subset(self, inputs: Any = None, concepts: Any = None) -> TestSetMatrix:
        """Restrict the matrix to some inputs and/or concepts.

        Parameters
        ----------
        inputs, concepts : array_like, optional
            A boolean mask over the rows (columns), or integer positions in
            the order wanted; ``None`` keeps all.

        Returns
        -------
        TestSetMatrix
            Copies only the selected cells; with neither argument, ``self``.

        Raises
        ------
        InvalidArgumentError
            For a mask of the wrong length, positions out of range, or a
            selector that is neither.
        """
        rows = _positions(inputs, self.n_inputs, "inputs")
        cols = _positions(concepts, self.n_concepts, "concepts")
        if rows is None and cols is None:
            return self
        if rows is not None and cols is not None:
            grid = np.ix_(rows, cols)
            scores, labels = self.scores[grid], self.labels[grid]
        elif rows is not None:
            scores, labels = self.scores[rows], self.labels[rows]
        else:
            scores = np.ascontiguousarray(self.scores[:, cols])
            labels = np.ascontiguousarray(self.labels[:, cols])
        return TestSetMatrix(
            self.inputs if rows is None else self.inputs[rows],
            self.concepts if cols is None else self.concepts[cols],
            scores,
            labels,
        )

    def top1(self) -> tuple[np.ndarray, np.ndarray]:
        """Each input's highest-scoring concept and its score.

        Ties go to the lowest concept code, as in
        :func:`clarinb.metrics.confusion_matrix` (which, unlike the matrix,
        does not see absent pairs as scored 0: the two differ only for an
        input whose best row scores 0 or less).

        Returns
        -------
        codes : numpy.ndarray
            intp, one concept code per input (-1 when there are no concepts).
        best : numpy.ndarray
            float32, the top score per input (NaN when there are no concepts).
        """
        if self.n_concepts == 0:
            return (
                np.full(self.n_inputs, -1, dtype=np.intp),
                np.full(self.n_inputs, np.nan, dtype=np.float32),
            )
        codes = np.argmax(self.scores, axis=1)
        best = np.take_along_axis(self.scores, codes[:, None], axis=1)[:, 0]
        return codes.astype(np.intp, copy=False), best

    def to_frame(self) -> pd.DataFrame:
        """Turn the matrix back into a long test-set frame, a row for every (input, concept).

        Returns
        -------
        pandas.DataFrame
            ``input_id`` and ``concept_id`` (categoricals over
            :attr:`inputs` and :attr:`concepts`), ``score`` (float64 of the
            float32 scores) and ``ground_truth``; inputs in row order, each
            with all concepts in column order.  Pairs absent from the
            original frame come back as rows scored 0 and negative, which
            every metric reads the same way.
        """
        n, k = self.scores.shape
        icodes = np.repeat(np.arange(n, dtype=_code_dtype(n)), k)
        ccodes = np.tile(np.arange(k, dtype=_code_dtype(k)), n)
        return pd.DataFrame(
            {
                "input_id": pd.Categorical.from_codes(icodes, categories=self.inputs),
                "concept_id": pd.Categorical.from_codes(ccodes, categories=self.concepts),
                "score": self.scores.ravel().astype(np.float64),
                "ground_truth": self.labels.ravel().copy(),
            }
        )


def _first_seen(codes: np.ndarray) -> np.ndarray:
    """Return the distinct codes in the order first seen.

    Rows grouped input by input in code order (as :func:`clarinb.frames.test_set`
    writes them) are read in two linear passes, a block at a time (no mask as
    long as the frame); any other order is hashed.
    """
    step = _CHUNK_ROWS
    blocks = [codes[i : i + step + 1] for i in range(0, max(len(codes) - 1, 0), step)]
    if len(codes) and all(bool((b[1:] >= b[:-1]).all()) for b in blocks):
        starts = [np.zeros(1, dtype=np.intp)]
        starts += [np.flatnonzero(b[1:] != b[:-1]) + (1 + i * step) for i, b in enumerate(blocks)]
        return codes[np.concatenate(starts)]
    return np.asarray(pd.unique(codes))


def _code_dtype(n: int) -> type[np.signedinteger[Any]]:
    for dtype in (np.int8, np.int16, np.int32):
        if n <= np.iinfo(dtype).max:
            return dtype
    return np.int64


def _ids(ids: Any, n: int, what: str, name: str) -> pd.Index:
    if ids is None:
        return pd.RangeIndex(n, name=name)
    if isinstance(ids, str | bytes):
        raise InvalidArgumentError(f"{what} must be a sequence of ids, not a string.")
    try:
        index = pd.Index(ids, name=name)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(f"{what} must be a sequence of ids: {exc}") from None
    if len(index) != n:
        raise InvalidArgumentError(f"{what} has {len(index)} ids for {n} matrix entries.")
    if not index.is_unique:
        dup = index[index.duplicated()][0]
        raise InvalidArgumentError(f"{what} must be unique; {dup!r} appears more than once.")
    return index


def _positions(selector: Any, n: int, what: str) -> np.ndarray | None:
    if selector is None:
        return None
    arr = np.asarray(selector)
    if arr.ndim != 1:
        raise InvalidArgumentError(f"{what} must be a 1-D mask or positions, not {arr.ndim}-D.")
    if arr.dtype == bool:
        if len(arr) != n:
            raise InvalidArgumentError(f"the {what} mask has {len(arr)} entries for {n}.")
        return np.flatnonzero(arr)
    if arr.dtype.kind not in "iu" and not (arr.dtype.kind == "f" and len(arr) == 0):
        raise InvalidArgumentError(
            f"{what} must be a boolean mask or integer positions, not {arr.dtype}."
        )
    pos = arr.astype(np.intp)
    if len(pos) and (pos.min() < -n or pos.max() >= n):
        raise InvalidArgumentError(f"{what} positions must lie in [-{n}, {n}), got {arr!r}.")
    return pos


def check_matrix(m: Any) -> TestSetMatrix:
    """Return ``m`` if it is a :class:`TestSetMatrix`, else raise.

    Raises
    ------
    InvalidArgumentError
        When ``m`` is anything else (a frame, an array).
    """
    if not isinstance(m, TestSetMatrix):
        raise InvalidArgumentError(
            f"expected a TestSetMatrix (TestSetMatrix.from_frame(ts)), not {type(m).__name__}."
        )
    return m


def as_matrix(test_set: Any) -> TestSetMatrix:
    """Return a :class:`TestSetMatrix` as given, or a long test-set frame's (converted).

    Raises
    ------
    InvalidArgumentError
        For anything else, or a malformed frame.
    """
    if isinstance(test_set, TestSetMatrix):
        return test_set
    if isinstance(test_set, pd.DataFrame):
        return TestSetMatrix.from_frame(test_set)
    raise InvalidArgumentError(
        "expected a TestSetMatrix or a test-set DataFrame (from clarinb.frames.test_set), "
        f"not {type(test_set).__name__}."
    )


def float32_at_least(threshold: Any) -> np.ndarray:
    """Return the smallest float32 at or above each threshold.

    For a float32 score ``s``, ``s >= t`` exactly when
    ``s >= float32_at_least(t)``, so float32 sorted scores can be searched
    with float64 thresholds without rounding one the wrong way.

    Parameters
    ----------
    threshold : float or array_like
        Thresholds, no NaN.

    Returns
    -------
    numpy.ndarray
        float32, the shape of ``threshold`` (0-D for a number).
    """
    wanted = np.asarray(threshold, dtype=np.float64)
    with np.errstate(over="ignore"):
        low = wanted.astype(np.float32)
    below = low.astype(np.float64) < wanted
    return np.where(below, np.nextafter(low, np.float32(np.inf)), low).astype(np.float32)
