"""Read a test-set frame into the flat numpy arrays the metrics work on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from clarinb._columns import category_codes, has_missing
from clarinb.errors import InvalidArgumentError

__all__ = ["TestSetArrays", "read_test_set", "thresholds_per_concept"]

COLUMNS = ("input_id", "concept_id", "score", "ground_truth")


@dataclass(frozen=True)
class TestSetArrays:
    """A test set as parallel arrays, one element per (input, concept) row.

    Attributes
    ----------
    concepts : pandas.Index
        The concept ids; ``concept_codes`` index into it.
    concept_codes : numpy.ndarray
        Integer code of each row's concept (never negative).
    score : numpy.ndarray
        float64 scores.
    truth : numpy.ndarray
        bool ground truth.
    input_column : pandas.Series
        The ``input_id`` column; :attr:`inputs` and :attr:`input_codes` are
        read from it when first needed.
    """

    concepts: pd.Index
    concept_codes: np.ndarray
    score: np.ndarray
    truth: np.ndarray
    input_column: pd.Series

    @cached_property
    def _input_codes(self) -> tuple[np.ndarray, pd.Index]:
        return _codes(self.input_column, "input_id")

    @property
    def input_codes(self) -> np.ndarray:
        """Integer code of each row's input (never negative)."""
        return self._input_codes[0]

    @property
    def inputs(self) -> pd.Index:
        """The input ids; :attr:`input_codes` index into it."""
        return self._input_codes[1]

    @property
    def n_input_ids(self) -> int:
        """Number of input ids the codes can take (a categorical's categories), used or not."""
        column = self.input_column
        if isinstance(column.dtype, pd.CategoricalDtype):
            return len(column.cat.categories)
        return len(self.inputs)

    @cached_property
    def n_inputs(self) -> int:
        """Number of inputs in the test set: those with at least one row."""
        seen = np.zeros(self.n_input_ids, dtype=bool)
        seen[self.input_codes] = True
        return int(np.count_nonzero(seen))

    def inputs_given_rows(self, rows: np.ndarray) -> int:
        """:attr:`n_inputs`, skipping the count when every concept has a row per input id.

        ``rows`` is the number of rows of each concept.  Without duplicate rows,
        concepts with one row per possible input id mean every id is used.
        """
        if len(rows) and bool((rows == self.n_input_ids).all()):
            return self.n_input_ids
        return self.n_inputs

    @property
    def n_concepts(self) -> int:
        """Number of concepts in the test set."""
        return len(self.concepts)


def _codes(column: pd.Series, name: str) -> tuple[np.ndarray, pd.Index]:
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = category_codes(column)
        categories = column.cat.categories
    else:
        codes, categories = pd.factorize(column, sort=True)
    if len(codes) and codes.min() < 0:
        raise InvalidArgumentError(
            f"the test set's {name!r} column has missing values; every row needs an id."
        )
    return codes, pd.Index(categories, name=name)


def read_test_set(ts: Any) -> TestSetArrays:
    """Check a test-set frame and return its columns as arrays.

    Parameters
    ----------
    ts : pandas.DataFrame
        Columns ``input_id``, ``concept_id`` (categorical or plain), ``score``
        (numbers) and ``ground_truth`` (bool), as :func:`clarinb.frames.test_set`
        returns.

    Returns
    -------
    TestSetArrays

    Raises
    ------
    InvalidArgumentError
        When ``ts`` is not a DataFrame, lacks a column, or holds missing ids,
        NaN scores or non-boolean ground truth.
    """
    if not isinstance(ts, pd.DataFrame):
        raise InvalidArgumentError(
            "expected a test-set DataFrame (from clarinb.frames.test_set), "
            f"not {type(ts).__name__}."
        )
    missing = [c for c in COLUMNS if c not in ts.columns]
    if missing:
        raise InvalidArgumentError(
            f"the test set lacks the column(s) {', '.join(missing)}; it needs "
            f"{', '.join(COLUMNS)} as clarinb.frames.test_set returns."
        )
    concept_codes, concepts = _codes(ts["concept_id"], "concept_id")
    try:
        score = ts["score"].to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(f"the test set's 'score' column is not numeric: {exc}") from None
    if not np.isfinite(score.sum()) and np.isnan(score).any():
        raise InvalidArgumentError(
            "the test set's 'score' column has NaN values; give every row a score "
            "(a missing prediction scores 0)."
        )
    truth_col = ts["ground_truth"]
    exact_bool = truth_col.dtype == np.dtype(bool)
    if not pd.api.types.is_bool_dtype(truth_col.dtype) or (not exact_bool and truth_col.hasnans):
        raise InvalidArgumentError(
            "the test set's 'ground_truth' column must be bool without missing values, "
            f"not {truth_col.dtype}."
        )
    truth = truth_col.to_numpy(dtype=bool)
    if has_missing(ts["input_id"]):
        raise InvalidArgumentError(
            "the test set's 'input_id' column has missing values; every row needs an id."
        )
    return TestSetArrays(concepts, concept_codes, score, truth, ts["input_id"])


def _real(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real | np.floating | np.integer):
        raise InvalidArgumentError(f"{what} must be a number, not {value!r}.")
    number = float(value)
    if np.isnan(number):
        raise InvalidArgumentError(f"{what} must be a number, not NaN.")
    return number


def thresholds_per_concept(
    threshold: float | Mapping[Any, float] | pd.Series, concepts: pd.Index, default: float
) -> np.ndarray | float:
    """Turn a threshold argument into a float or one threshold per concept code.

    Parameters
    ----------
    threshold : float, mapping or Series
        One threshold for every concept, or concept id -> threshold.
    concepts : pandas.Index
        The test set's concepts.
    default : float
        Threshold of concepts the mapping leaves out.

    Returns
    -------
    float or numpy.ndarray
        A float, or a float64 array aligned with ``concepts``.

    Raises
    ------
    InvalidArgumentError
        For a value that is not a number, or a concept the test set lacks.
    """
    if isinstance(threshold, pd.Series):
        threshold = dict(threshold.items())
    if not isinstance(threshold, Mapping):
        return _real(threshold, "threshold")
    fallback = _real(default, "default")
    out = np.full(len(concepts), fallback, dtype=np.float64)
    positions = concepts.get_indexer(pd.Index(list(threshold.keys())))
    unknown = [k for k, p in zip(threshold.keys(), positions, strict=True) if p < 0]
    if unknown:
        raise InvalidArgumentError(
            f"threshold names concept(s) not in the test set: {', '.join(map(repr, unknown[:5]))}."
        )
    for position, (key, value) in zip(positions, threshold.items(), strict=True):
        out[position] = _real(value, f"threshold for {key!r}")
    return out
