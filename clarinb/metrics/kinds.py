"""Whether a classifier's test set is single-label or multi-label."""

from __future__ import annotations

from typing import Any

import numpy as np

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
    matrix = test_set if isinstance(test_set, TestSetMatrix) else TestSetMatrix.from_frame(test_set)
    per_input = np.count_nonzero(matrix.labels, axis=1)
    return MULTI_LABEL if per_input.size and int(per_input.max()) > 1 else SINGLE_LABEL
