"""Bootstrap resampling of a test set's inputs: seeded weight draws and percentile intervals.

A bootstrap resample draws ``n`` inputs with replacement out of ``n``.  It is
held as integer weights (how often each input was drawn), so that a metric of
the resample is the same metric weighted by the counts: exact, and computed
for many resamples at once with matrix products and cumulative sums.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from clarinb import _validate
from clarinb.errors import InvalidArgumentError

__all__ = [
    "BLOCK",
    "MIN_DEFINED_FRACTION",
    "check_args",
    "index_blocks",
    "percentile_interval",
    "resample_indices",
    "weight_chunks",
]

#: Resamples drawn per call of the generator; the draws depend on the seed
#: only, never on how the work is chunked.
BLOCK = 64

#: Weights held at once, in elements (inputs x resamples), bounding memory.
_CHUNK_ELEMENTS = 1 << 23

#: An interval is NaN when fewer than this fraction of the resamples define the metric.
MIN_DEFINED_FRACTION = 0.5


def check_args(ci: Any, n_resamples: Any, seed: Any) -> tuple[float, int, np.random.Generator]:
    """Check the bootstrap arguments shared by every interval function.

    Parameters
    ----------
    ci : float
        Confidence level, strictly between 0 and 1.
    n_resamples : int
        Number of bootstrap resamples, at least 1.
    seed : int, numpy.random.Generator or None
        Seed of the draws; ``None`` draws fresh entropy (results then vary).

    Returns
    -------
    tuple
        ``(ci, n_resamples, generator)``.

    Raises
    ------
    InvalidArgumentError
        For a level outside (0, 1), a count below 1, or a seed of another type.
    """
    level = _validate.number(ci, "ci", hint="use a confidence level such as 0.95")
    if not 0.0 < level < 1.0:
        raise InvalidArgumentError(
            f"ci must lie strictly between 0 and 1, not {ci!r}; use a level such as 0.95."
        )
    count = _validate.positive_int(n_resamples, "n_resamples", hint="1,000 is a common choice")
    if isinstance(seed, np.random.Generator):
        return level, count, seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)):
        raise InvalidArgumentError(
            f"seed must be an int, a numpy Generator or None, not {_validate.shown(seed)}."
        )
    if seed is not None and seed < 0:
        raise InvalidArgumentError(f"seed must be a non-negative int, not {seed!r}.")
    return level, count, np.random.default_rng(seed)


def index_blocks(n_inputs: int, n_resamples: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Yield the inputs drawn by the resamples, a block of resamples at a time.

    The draws of :func:`weight_chunks` and :func:`resample_indices`: int64
    blocks of shape ``(at most BLOCK, n_inputs)``.
    """
    for start in range(0, n_resamples, BLOCK):
        size = min(BLOCK, n_resamples - start)
        yield rng.integers(0, n_inputs, size=(size, n_inputs), dtype=np.int64)


def resample_indices(n_inputs: int, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Return the inputs drawn by every resample, as :func:`weight_chunks` draws them.

    Parameters
    ----------
    n_inputs : int
        Inputs of the test set.
    n_resamples : int
        Number of resamples.
    rng : numpy.random.Generator
        The generator, in the state :func:`weight_chunks` would get it.

    Returns
    -------
    numpy.ndarray
        int64, shape ``(n_resamples, n_inputs)``: row ``b`` lists the input
        positions of resample ``b``.  Meant for reference computations.
    """
    blocks = list(index_blocks(n_inputs, n_resamples, rng))
    return np.concatenate(blocks) if blocks else np.empty((0, n_inputs), dtype=np.int64)


def weight_chunks(
    n_inputs: int, n_resamples: int, rng: np.random.Generator
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield the resamples' input weights a chunk of resamples at a time.

    Parameters
    ----------
    n_inputs : int
        Inputs of the test set.
    n_resamples : int
        Number of resamples.
    rng : numpy.random.Generator
        Source of the draws (consumed).

    Yields
    ------
    start : int
        Index of the chunk's first resample.
    weights : numpy.ndarray
        Shape ``(chunk, n_inputs)``, C-contiguous: row ``b`` counts how often
        each input was drawn by resample ``start + b``.  int8 when every
        count fits (nearly always: counts are about Poisson(1)), else int32.
    """
    per_chunk = max(BLOCK, (_CHUNK_ELEMENTS // max(n_inputs, 1)) // BLOCK * BLOCK)
    blocks = index_blocks(n_inputs, n_resamples, rng)
    for start in range(0, n_resamples, per_chunk):
        size = min(per_chunk, n_resamples - start)
        weights = np.empty((size, n_inputs), dtype=np.int32)
        row = 0
        while row < size:
            idx = next(blocks)
            b = len(idx)
            flat = idx + (np.arange(b, dtype=np.int64) * n_inputs)[:, None]
            counts = np.bincount(flat.ravel(), minlength=b * n_inputs)
            weights[row : row + b] = counts.reshape(b, n_inputs)
            row += b
        yield start, weights.astype(np.int8) if weights.max(initial=0) < 128 else weights


def percentile_interval(values: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of each row, leaving out undefined (NaN) resamples.

    Parameters
    ----------
    values : numpy.ndarray
        Shape ``(m, n_resamples)``: the metric of each resample, NaN where
        the resample does not define it.
    ci : float
        Confidence level.

    Returns
    -------
    lo, hi : numpy.ndarray
        The ``(1 - ci) / 2`` and ``(1 + ci) / 2`` quantiles (numpy's linear
        interpolation) of the defined values; NaN when fewer than
        :data:`MIN_DEFINED_FRACTION` of the resamples are defined.
    undefined : numpy.ndarray
        int64, the number of undefined resamples of each row.
    """
    m, b = values.shape
    defined = np.count_nonzero(~np.isnan(values), axis=1)
    lo = np.full(m, np.nan)
    hi = np.full(m, np.nan)
    enough = defined >= max(1, math.ceil(MIN_DEFINED_FRACTION * b))
    if enough.any():
        alpha = (1.0 - ci) / 2.0
        lo[enough], hi[enough] = _nan_quantiles(values[enough], defined[enough], (alpha, 1 - alpha))
    return lo, hi, (b - defined).astype(np.int64)


def _nan_quantiles(
    rows: np.ndarray, defined: np.ndarray, qs: tuple[float, ...]
) -> list[np.ndarray]:
    """``np.nanquantile(rows, qs, axis=1)`` (linear) by one sort: NaN sorts last in each row.

    ``np.nanquantile`` with NaN present goes row by row in Python; this reads
    each row's ``defined`` values at the same virtual indices, interpolated
    as numpy's ``_lerp`` does, so the results are the same.
    """
    ordered = np.sort(rows, axis=1)
    at = np.arange(len(ordered))
    out = []
    for q in qs:
        position = q * (defined - 1)
        low = np.floor(position).astype(np.intp)
        high = np.minimum(low + 1, defined - 1)
        t = position - low
        a, b = ordered[at, low], ordered[at, high]
        diff = b - a
        out.append(np.where(t >= 0.5, b - diff * (1 - t), a + diff * t))
    return out
