"""Whether a classifier's test set is single-label or multi-label."""

from __future__ import annotations

from typing import Any

import numpy as np

from clarinb.metrics._arrays import read_test_set
from clarinb.metrics.matrix import TestSetMatrix

__all__ = ["MULTI_LABEL", "SINGLE_LABEL", "label_kind"]

SINGLE_LABEL = "single-label"
MULTI_LABEL = "multi-label"


def label_kind(test_set: Any) -> str:
    """Return ``"multi-label"`` if an input has two or more true concepts, else ``"single-label"``.

    A single-label classifier's inputs each carry one concept (mutually
    exclusive concepts): its confusion matrix reads actual x predicted. A
    multi-label one's inputs carry several: each concept is a separate yes/no
    question, read through per-concept binary confusion and co-occurrence.

    Parameters
    ----------
    test_set : pandas.DataFrame or TestSetMatrix
        The test set.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["a", "a"], "concept_id": ["day", "forest"],
    ...                    "score": [0.9, 0.8], "ground_truth": [True, True]})
    >>> label_kind(ts)
    'multi-label'
    """
    if isinstance(test_set, TestSetMatrix):  # positions of the positives, row by row
        rows = np.flatnonzero(test_set.labels.reshape(-1)) // max(test_set.n_concepts, 1)
        multi = rows.size > 1 and bool((rows[1:] == rows[:-1]).any())
        return MULTI_LABEL if multi else SINGLE_LABEL
    a = read_test_set(test_set)  # count the positive rows per input, without the matrix
    per_input = np.bincount(a.input_codes[a.truth].astype(np.intp))
    return MULTI_LABEL if per_input.size and int(per_input.max()) > 1 else SINGLE_LABEL
