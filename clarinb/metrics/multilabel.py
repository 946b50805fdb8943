"""Multi-label test sets: how often two concepts are true of the same input."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clarinb.metrics.matrix import TestSetMatrix

__all__ = ["cooccurrence"]


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
    m = ts if isinstance(ts, TestSetMatrix) else TestSetMatrix.from_frame(ts)
    labels = m.labels.astype(np.int64)
    concepts = [str(c) for c in m.concepts]
    return pd.DataFrame(
        labels.T @ labels,
        index=pd.Index(concepts, name="row"),
        columns=pd.Index(concepts, name="col"),
    )
