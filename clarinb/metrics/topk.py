"""Top-k accuracy: how often a ground-truth concept is among an input's k highest scores."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clarinb.errors import InvalidArgumentError
from clarinb.metrics._arrays import read_test_set

__all__ = ["top_k_accuracy"]


def top_k_accuracy(ts: pd.DataFrame, k: int = 1) -> float:
    """Fraction of inputs with a ground-truth concept among their ``k`` highest-scored concepts.

    This is the MetricsSummary's ``top1_accuracy`` (``k=1``) and
    ``top5_accuracy`` (``k=5``).  An input is a hit when at least one of its
    positive concepts ranks in its top ``k``; for mutually exclusive concepts
    (one positive per input) this is scikit-learn's ``top_k_accuracy_score``.
    For multi-label test sets, top-1 is right when the highest-scored concept
    is one of the input's true concepts.

    Ranks never depend on the order of the concepts: a positive concept's
    rank is the number of the input's *negative* concepts scored at least as
    high, and the input is a hit when its best-ranked positive has a rank
    below ``k``.  So a negative tied with a positive at the k-th place counts
    against the input, and ties among positives do not matter (scikit-learn
    breaks ties by label order instead; when no positive ties with a
    negative both agree).  An (input, concept) pair with no row is a negative
    scored 0.  Inputs without a positive concept cannot be ranked right or
    wrong and are left out.

    Parameters
    ----------
    ts : pandas.DataFrame
        A test set, as :func:`clarinb.frames.test_set` returns.
    k : int
        How many of the highest-scored concepts count (1 or more); ``k`` at
        least the number of concepts gives 1.0.

    Returns
    -------
    float
        The fraction in [0, 1]; NaN when no input has a positive concept.

    Raises
    ------
    InvalidArgumentError
        For a malformed test set, duplicate (input, concept) rows, or a ``k``
        that is not a positive integer.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["a", "a", "b", "b"],
    ...                    "concept_id": ["x", "y", "x", "y"],
    ...                    "score": [0.9, 0.1, 0.7, 0.3],
    ...                    "ground_truth": [True, False, False, True]})
    >>> top_k_accuracy(ts, 1), top_k_accuracy(ts, 2)
    (0.5, 1.0)
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise InvalidArgumentError(f"k must be a positive integer, not {k!r}.")
    a = read_test_set(ts)
    n_ids, n_concepts = a.n_input_ids, a.n_concepts
    inputs = a.input_codes.astype(np.int64)
    pair = inputs * n_concepts + a.concept_codes.astype(np.int64)
    if len(np.unique(pair)) < len(pair):
        raise InvalidArgumentError(
            "the test set has duplicate (input, concept) rows; keep one row per pair."
        )
    # Order each input's rows by score, highest first; at the last row of a run
    # of equal scores, the running count of negatives is how many of the input's
    # negative rows score at least that much.
    order = np.lexsort((-a.score, inputs))
    g, s = inputs[order], a.score[order]
    n = len(g)
    run_end = np.ones(n, dtype=bool)
    if n > 1:
        run_end[:-1] = (g[1:] != g[:-1]) | (s[1:] != s[:-1])
    ends = np.flatnonzero(run_end)
    negatives = np.cumsum(~a.truth[order], dtype=np.int64)
    before = np.concatenate(([0], negatives))[np.searchsorted(g, g)]  # before the input's rows
    at_least = np.empty(n, dtype=np.int64)
    at_least[order] = negatives[ends[np.searchsorted(ends, np.arange(n))]] - before
    present = np.bincount(inputs, minlength=n_ids)
    absent = n_concepts - present[inputs]  # negatives scored 0 without a row
    rank = at_least + np.where(a.score <= 0, absent, 0)
    positive = a.truth
    ranked = np.zeros(n_ids, dtype=bool)
    ranked[inputs[positive]] = True
    if not ranked.any():
        return float("nan")
    hit = np.zeros(n_ids, dtype=bool)
    hit[inputs[positive & (rank < k)]] = True
    return float(np.count_nonzero(hit) / np.count_nonzero(ranked))
