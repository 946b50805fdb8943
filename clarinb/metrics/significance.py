"""McNemar's test of two single-label classifiers' top-1 correctness on the same inputs.

Only the discordant inputs (right for one model, wrong for the other) carry
evidence.  With few of them the test is the exact two-sided binomial test of
an even split; with many, the chi-square test with continuity correction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from clarinb.errors import InvalidArgumentError
from clarinb.metrics.compare import align

__all__ = ["EXACT_BELOW", "McNemarResult", "mcnemar", "mcnemar_counts"]

#: McNemar's test is exact (binomial) below this many discordant inputs, chi-square from there.
EXACT_BELOW = 25


@dataclass(frozen=True)
class McNemarResult:
    """McNemar's test of two classifiers' top-1 correctness on the same inputs.

    Attributes
    ----------
    n_inputs : int
        Inputs tested: shared ones with at least one positive concept.
    both_right, a_only, b_only, both_wrong : int
        Inputs whose top-1 concept is right for both, only A, only B, neither.
    statistic : float
        The smaller discordant count (exact test) or the continuity-corrected
        chi-square statistic.
    p_value : float
        Two-sided p-value.
    method : str
        ``"exact"`` (binomial) or ``"chi2"``.
    """

    n_inputs: int
    both_right: int
    a_only: int
    b_only: int
    both_wrong: int
    statistic: float
    p_value: float
    method: str


def mcnemar_counts(
    a_only: int, b_only: int, *, exact: bool | None = None
) -> tuple[float, float, str]:
    """McNemar's statistic, two-sided p-value and method from the discordant counts.

    Parameters
    ----------
    a_only, b_only : int
        Inputs only A (only B) gets right.
    exact : bool or None
        Exact binomial test; ``None`` chooses it below :data:`EXACT_BELOW`
        discordant inputs, the chi-square with continuity correction from there.

    Returns
    -------
    tuple
        ``(statistic, p_value, method)``.
    """
    n = a_only + b_only
    if exact is None:
        exact = n < EXACT_BELOW
    if exact:
        low = min(a_only, b_only)
        tail = sum(math.comb(n, i) for i in range(low + 1))
        return float(low), min(1.0, 2 * tail / 2**n), "exact"
    if n == 0:
        return math.nan, 1.0, "chi2"
    stat = (abs(a_only - b_only) - 1) ** 2 / n
    return stat, math.erfc(math.sqrt(stat / 2.0)), "chi2"


def mcnemar(a: Any, b: Any, *, exact: bool | None = None) -> McNemarResult:
    """McNemar's test on top-1 correctness of two single-label classifiers.

    An input's top-1 prediction (its highest-scoring shared concept, ties to
    the first) is right when that concept is a positive of the input.  Inputs
    without any positive concept are left out.

    Parameters
    ----------
    a, b : TestSetMatrix or pandas.DataFrame
        The two models' test sets, aligned as in :func:`align`.
    exact : bool or None
        Force the exact binomial test (``True``) or the chi-square test with
        continuity correction (``False``); by default exact below
        :data:`EXACT_BELOW` discordant inputs.

    Returns
    -------
    McNemarResult

    Raises
    ------
    InvalidArgumentError
        When the test sets share no input or concept, or ``exact`` is not a bool or None.
    """
    if exact is not None and not isinstance(exact, bool):
        raise InvalidArgumentError(f"exact must be True, False or None, not {exact!r}.")
    ma, mb = align(a, b)
    keep = ma.labels.any(axis=1) & mb.labels.any(axis=1)
    rows = np.arange(ma.n_inputs)
    right_a = ma.labels[rows, ma.top1()[0]][keep]
    right_b = mb.labels[rows, mb.top1()[0]][keep]
    a_only = int(np.count_nonzero(right_a & ~right_b))
    b_only = int(np.count_nonzero(right_b & ~right_a))
    stat, p, method = mcnemar_counts(a_only, b_only, exact=exact)
    return McNemarResult(
        n_inputs=int(keep.sum()),
        both_right=int(np.count_nonzero(right_a & right_b)),
        a_only=a_only,
        b_only=b_only,
        both_wrong=int(np.count_nonzero(~right_a & ~right_b)),
        statistic=stat,
        p_value=p,
        method=method,
    )
