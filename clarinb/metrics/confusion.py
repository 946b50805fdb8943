"""A single-label confusion matrix from a test set: actual concept x top-scoring concept.

Also each input's top prediction and the inputs counted in one cell, by the
same rule (so a cell lists exactly as many inputs as it counts).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clarinb.errors import InvalidArgumentError
from clarinb.metrics._arrays import TestSetArrays, _real, read_test_set

__all__ = ["NONE_LABEL", "cell_inputs", "confused_pairs", "confusion_matrix", "top_predictions"]

#: Column of inputs whose top score is below the threshold.
NONE_LABEL = "(none)"


def _tops(a: TestSetArrays) -> tuple[np.ndarray, np.ndarray]:
    """Each input id's highest score and the code of its top concept.

    Ties go to the concept first in ``a.concepts``; input ids without a row
    get ``-inf`` and the code ``a.n_concepts``.
    """
    k, n = a.n_concepts, a.n_input_ids
    icodes = a.input_codes.astype(np.intp)
    ccodes = a.concept_codes.astype(np.intp)
    best = np.full(n, -np.inf)
    np.maximum.at(best, icodes, a.score)
    top = np.full(n, k, dtype=np.intp)
    is_top = a.score == best[icodes]
    np.minimum.at(top, icodes[is_top], ccodes[is_top])
    return best, top


def _shown(a: TestSetArrays, threshold: float | None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_tops`, with the code ``a.n_concepts`` ("(none)") below the threshold."""
    thr = None if threshold is None else _real(threshold, "threshold")
    best, top = _tops(a)
    if thr is not None:
        top = np.where(best >= thr, top, a.n_concepts)
    return best, top


def confusion_matrix(ts: pd.DataFrame, threshold: float | None = None) -> pd.DataFrame:
    """Count inputs by ground-truth concept and top-scoring concept.

    Meant for mutually exclusive concepts.  Each input's prediction is its
    highest-scoring concept among its rows (ties go to the concept first in
    the ``concept_id`` categories).  An input counts once per positive
    ground-truth concept; inputs without one are left out.

    Parameters
    ----------
    ts : pandas.DataFrame
        A test set, as :func:`clarinb.frames.test_set` returns.
    threshold : float, optional
        When given, inputs whose top score is below it are counted in a
        ``"(none)"`` column instead.

    Returns
    -------
    pandas.DataFrame
        int64 counts; index ``actual`` and columns ``predicted`` over the
        concepts in category order (plus ``"(none)"`` with a threshold).
        Equal to scikit-learn's ``confusion_matrix(actual, predicted,
        labels=...)``.

    Raises
    ------
    InvalidArgumentError
        For a malformed test set or a threshold that is not a number.
    """
    a = read_test_set(ts)
    _, top = _shown(a, threshold)
    k = a.n_concepts
    actual = a.concept_codes.astype(np.intp)[a.truth]
    predicted = top[a.input_codes.astype(np.intp)[a.truth]]
    width = k + 1
    counts = np.bincount(actual * width + predicted, minlength=k * width).reshape(k, width)
    columns = list(a.concepts)
    if threshold is not None:
        columns.append(NONE_LABEL)
    else:
        counts = counts[:, :k]
    return pd.DataFrame(
        counts.astype(np.int64),
        index=pd.Index(a.concepts, name="actual"),
        columns=pd.Index(columns, name="predicted"),
    )


def top_predictions(ts: pd.DataFrame) -> pd.DataFrame:
    """Find the top-scoring concept of every input, as :func:`confusion_matrix` does.

    Parameters
    ----------
    ts : pandas.DataFrame
        A test set, as :func:`clarinb.frames.test_set` returns.

    Returns
    -------
    pandas.DataFrame
        One row per input with at least one row: ``input_id``, ``predicted``
        (concept id, as a string) and ``top_score``; highest top score first.

    Raises
    ------
    InvalidArgumentError
        For a malformed test set.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["i1", "i1"], "concept_id": ["cat", "dog"],
    ...                    "score": [0.3, 0.7], "ground_truth": [True, False]})
    >>> top_predictions(ts).to_dict("records")
    [{'input_id': 'i1', 'predicted': 'dog', 'top_score': 0.7}]
    """
    a = read_test_set(ts)
    best, top = _tops(a)
    used = np.flatnonzero(top < a.n_concepts)
    order = used[np.argsort(-best[used], kind="stable")]
    return pd.DataFrame(
        {
            "input_id": a.inputs.astype(str)[order].to_numpy(dtype=object),
            "predicted": a.concepts.astype(str)[top[order]].to_numpy(dtype=object),
            "top_score": best[order],
        }
    )


def cell_inputs(
    ts: pd.DataFrame, actual: str, predicted: str, threshold: float | None = None
) -> pd.DataFrame:
    """Find the inputs counted in one cell of :func:`confusion_matrix`.

    An input is in cell (``actual``, ``predicted``) when ``actual`` is one of
    its ground-truth concepts and ``predicted`` its top-scoring concept, or
    ``"(none)"`` when its top score is below ``threshold``.

    Parameters
    ----------
    ts : pandas.DataFrame
        A test set, as :func:`clarinb.frames.test_set` returns.
    actual, predicted : str
        Concept ids of the cell, as strings (``predicted`` may be ``"(none)"``).
    threshold : float, optional
        Minimum top score for a prediction to count.

    Returns
    -------
    pandas.DataFrame
        ``input_id``, ``predicted``, ``top_score`` and ``actual_score`` (the
        score the model gave the actual concept), highest top score first;
        as many rows as the cell counts.

    Raises
    ------
    InvalidArgumentError
        For a malformed test set, a threshold that is not a number, or a
        concept the test set lacks.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["i1", "i1"], "concept_id": ["cat", "dog"],
    ...                    "score": [0.3, 0.7], "ground_truth": [True, False]})
    >>> cell_inputs(ts, "cat", "dog")["input_id"].tolist()
    ['i1']
    """
    a = read_test_set(ts)
    best, top = _shown(a, threshold)
    names = a.concepts.astype(str)
    known = {c: i for i, c in enumerate(names)}
    known_predicted = {**known, NONE_LABEL: a.n_concepts}
    for concept, where in ((actual, known), (predicted, known_predicted)):
        if concept not in where:
            raise InvalidArgumentError(f"concept {concept!r} is not in the test set.")
    rows = np.flatnonzero(a.truth & (a.concept_codes == known[actual]))
    inputs = a.input_codes.astype(np.intp)[rows]
    keep = top[inputs] == known_predicted[predicted]
    rows, inputs = rows[keep], inputs[keep]
    order = np.argsort(-best[inputs], kind="stable")
    rows, inputs = rows[order], inputs[order]
    labels = np.append(names.to_numpy(dtype=object), NONE_LABEL)
    return pd.DataFrame(
        {
            "input_id": a.inputs.astype(str)[inputs].to_numpy(dtype=object),
            "predicted": labels[top[inputs]],
            "top_score": best[inputs],
            "actual_score": a.score[rows],
        }
    )


def confused_pairs(matrix: pd.DataFrame) -> pd.DataFrame:
    """Rank the off-diagonal cells of a confusion matrix: the concepts taken for others.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Counts, index actual, columns predicted, as :func:`confusion_matrix`
        returns (a ``"(none)"`` column allowed: it counts in the row totals,
        but a miss is not a confusion between two concepts).

    Returns
    -------
    pandas.DataFrame
        One row per off-diagonal cell with a count above zero: ``actual``,
        ``predicted`` (concept ids, as strings), ``count`` and ``rate`` (the
        count over the actual concept's row total, NaN for an empty row);
        largest count first, then highest rate, then matrix order.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[8, 2], [4, 6]], index=["cat", "dog"], columns=["cat", "dog"])
    >>> confused_pairs(m).to_dict("records")
    [{'actual': 'dog', 'predicted': 'cat', 'count': 4.0, 'rate': 0.4}, \
{'actual': 'cat', 'predicted': 'dog', 'count': 2.0, 'rate': 0.2}]
    """
    rows = np.asarray(matrix.index.map(str), dtype=object)
    cols = np.asarray(matrix.columns.map(str), dtype=object)
    counts = matrix.to_numpy()
    totals = np.asarray(np.nansum(counts, axis=1, dtype=np.float64))
    # Each column's row position (-1 for none): compare positions, not strings.
    same = pd.Index(rows).get_indexer(cols) if pd.Index(rows).is_unique else None
    r, c = np.nonzero(counts > 0)  # the few cells above zero, then the string tests on them
    keep = rows[r] != cols[c] if same is None else same[c] != r
    keep &= cols[c] != NONE_LABEL
    r, c = r[keep], c[keep]
    count = counts[r, c].astype(np.float64)
    rate = np.divide(count, totals[r], out=np.full(count.shape, np.nan), where=totals[r] > 0)
    order = np.lexsort((np.arange(count.size), -np.nan_to_num(rate, nan=-1.0), -count))
    return pd.DataFrame(
        {
            "actual": rows[r][order],
            "predicted": cols[c][order],
            "count": count[order],
            "rate": rate[order],
        }
    )
