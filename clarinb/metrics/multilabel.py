"""Multi-label test sets: how often two concepts are true of the same input."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clarinb.errors import InvalidArgumentError
from clarinb.metrics._arrays import _real, read_test_set
from clarinb.metrics.matrix import TestSetMatrix, as_matrix

__all__ = ["OUTCOMES", "binary_cell_inputs", "cooccurrence"]

#: The four cells of a concept's binary confusion, as :func:`binary_cell_inputs` names them.
OUTCOMES = ("TP", "FN", "FP", "TN")


def cooccurrence(ts: pd.DataFrame | TestSetMatrix) -> pd.DataFrame:
    """Count the inputs labelled with both concepts of each pair, from the ground truth.

    The same counts as the service's co-occurrence matrix
    (:func:`clarinb.frames.cooccurrence_matrix`), computed from a test set:
    the diagonal holds each concept's positives.

    Parameters
    ----------
    ts : pandas.DataFrame or TestSetMatrix
        A test set, as :func:`clarinb.frames.test_set` returns.

    Returns
    -------
    pandas.DataFrame
        int64 counts, index ``row`` and columns ``col`` over the test set's
        concepts in their order.

    Raises
    ------
    InvalidArgumentError
        For a malformed test set.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["a", "a", "b", "b"],
    ...                    "concept_id": ["day", "forest", "day", "forest"],
    ...                    "score": [0.9, 0.8, 0.2, 0.7],
    ...                    "ground_truth": [True, True, False, True]})
    >>> cooccurrence(ts).to_numpy().tolist()
    [[1, 1], [1, 2]]
    """
    m = as_matrix(ts)
    concepts = [str(c) for c in m.concepts]
    return pd.DataFrame(
        _gram(m.labels),
        index=pd.Index(concepts, name="row"),
        columns=pd.Index(concepts, name="col"),
    )


def _gram(labels: np.ndarray) -> np.ndarray:
    """``labels.T @ labels`` as int64 counts, through a floating-point product.

    Sparse labels (under 5% true) go through a sparse product, whose work
    grows with the pairs of labels per input; dense ones through BLAS in
    float32 (integer sums below 2**24 are exact), or float64 above.
    """
    n, _ = labels.shape
    if np.count_nonzero(labels) < 0.05 * labels.size:
        from scipy import sparse  # noqa: PLC0415

        m = sparse.csr_matrix(labels, dtype=np.int64)
        return np.asarray((m.T @ m).toarray(), dtype=np.int64)
    dtype = np.float32 if n < 2**24 else np.float64
    values = labels.astype(dtype)
    return np.rint(values.T @ values).astype(np.int64)


def binary_cell_inputs(
    ts: pd.DataFrame | TestSetMatrix, concept: str, outcome: str, threshold: float = 0.5
) -> pd.DataFrame:
    """Find the inputs counted in one cell of a concept's binary confusion.

    By the rule of :func:`clarinb.metrics.at_threshold`: a concept is
    predicted when its score is ``>= threshold``; an input without a row for
    the concept is a negative scored 0. So the cell lists exactly as many
    inputs as ``at_threshold`` counts.

    Parameters
    ----------
    ts : pandas.DataFrame or TestSetMatrix
        A test set, as :func:`clarinb.frames.test_set` returns, or its matrix
        (one column read; scores as ``to_frame`` gives them).
    concept : str
        The concept id.
    outcome : {"TP", "FN", "FP", "TN"}
        The cell.
    threshold : float
        The decision threshold.

    Returns
    -------
    pandas.DataFrame
        ``input_id`` and ``score`` (the concept's); the surest first: highest
        score first for TP and FP, lowest first for FN and TN.

    Raises
    ------
    InvalidArgumentError
        For a malformed test set, an unknown concept or outcome, or a
        threshold that is not a number.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["a", "a", "b", "b"],
    ...                    "concept_id": ["day", "forest", "day", "forest"],
    ...                    "score": [0.9, 0.8, 0.6, 0.7],
    ...                    "ground_truth": [True, True, False, True]})
    >>> binary_cell_inputs(ts, "day", "FP")["input_id"].tolist()
    ['b']
    """
    if outcome not in OUTCOMES:
        raise InvalidArgumentError(f"outcome must be one of {list(OUTCOMES)}, not {outcome!r}.")
    thr = _real(threshold, "threshold")
    ids, score, truth, present = _column(ts, concept)
    predicted = score >= thr
    wanted_truth, wanted_predicted = outcome in ("TP", "FN"), outcome in ("TP", "FP")
    keep = np.flatnonzero(present & (truth == wanted_truth) & (predicted == wanted_predicted))
    sign = -1.0 if wanted_predicted else 1.0
    keep = keep[np.argsort(sign * score[keep], kind="stable")]
    return pd.DataFrame(
        {
            "input_id": ids.astype(str)[keep].to_numpy(dtype=object),
            "score": score[keep],
        }
    )


def _column(
    ts: pd.DataFrame | TestSetMatrix, concept: str
) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """One concept's input ids, scores (float64), truth, and which inputs the test set has."""
    if isinstance(ts, TestSetMatrix):
        code = _code([str(c) for c in ts.concepts], concept)
        present = np.ones(ts.n_inputs, dtype=bool)
        return ts.inputs, ts.scores[:, code].astype(np.float64), ts.labels[:, code], present
    a = read_test_set(ts)
    code = _code([str(c) for c in a.concepts], concept)
    icodes = a.input_codes.astype(np.intp)
    present = np.zeros(a.n_input_ids, dtype=bool)
    present[icodes] = True
    score = np.zeros(a.n_input_ids)
    truth = np.zeros(a.n_input_ids, dtype=bool)
    rows = a.concept_codes == code
    score[icodes[rows]] = a.score[rows]
    truth[icodes[rows]] = a.truth[rows]
    return a.inputs, score, truth, present


def _code(names: list[str], concept: str) -> int:
    if concept not in names:
        raise InvalidArgumentError(f"concept {concept!r} is not in the test set.")
    return names.index(concept)
