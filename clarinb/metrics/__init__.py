"""Exact metrics recomputed locally from a test set, vectorised with numpy.

Every function takes the long test-set frame of
:func:`clarinb.frames.test_set` (``input_id``, ``concept_id``, ``score``,
``ground_truth``; one row per (input, concept)) and equals scikit-learn on
the inputs x concepts matrices of ground truth and scores.  An (input,
concept) pair with no row counts as a negative scored 0; the test set's
inputs are the ``input_id`` values that have at least one row (unused
categories of a filtered frame do not count).

Functions
---------
at_threshold
    Per-concept TP/FP/FN/TN, precision, recall, F1 at one or per-concept thresholds.
averages
    Micro, macro and weighted precision, recall, F1.
scores
    ROC AUC and average precision per concept.
curves
    ROC and precision-recall curves of every concept as long frames.
confusion_matrix
    Actual concept x top-scoring concept, for mutually exclusive concepts.
top_k_accuracy
    Fraction of inputs with a true concept among their k highest scores.

Test sets at scale
------------------
TestSetMatrix
    A test set as dense inputs x concepts float32 score and bool label matrices.
matrix_curves
    Every concept's ROC and PR curve from a TestSetMatrix in one vectorised
    pass, decimated for drawing, with the exact ROC AUC and AP.
decimate
    At most N points per curve that keep its shape (end points, even arc
    length, big jumps).
"""

from __future__ import annotations

from clarinb.metrics.confusion import NONE_LABEL, confusion_matrix
from clarinb.metrics.curves_fast import MatrixCurves, decimate, matrix_curves
from clarinb.metrics.matrix import TestSetMatrix
from clarinb.metrics.ranking import curves, scores
from clarinb.metrics.threshold import at_threshold, averages
from clarinb.metrics.topk import top_k_accuracy

__all__ = [
    "NONE_LABEL",
    "MatrixCurves",
    "TestSetMatrix",
    "at_threshold",
    "averages",
    "confusion_matrix",
    "curves",
    "decimate",
    "matrix_curves",
    "scores",
    "top_k_accuracy",
]
