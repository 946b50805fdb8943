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
concept_ids
    The concepts the per-concept metrics are over, in their order.
scores
    ROC AUC and average precision per concept.
curves
    ROC and precision-recall curves of every concept as long frames.
confusion_matrix
    Actual concept x top-scoring concept, for mutually exclusive concepts.
top_predictions, cell_inputs
    Each input's top-scoring concept; the inputs counted in one confusion cell.
binary_cell_inputs
    The inputs in one cell (TP, FN, FP, TN) of a concept's binary confusion.
cooccurrence
    Inputs labelled with both concepts of each pair (multi-label ground truth).
confused_pairs
    The off-diagonal cells of a confusion matrix, largest first, with the actual concept's rate.
top_k_accuracy
    Fraction of inputs with a true concept among their k highest scores.
mean_ap
    A detector's COCO-style mAP@0.5 and mAP@[.5:.95] from its per-class AP
    (the service's metrics by class, not a test set).
match_boxes, outcome_counts, box_iou
    A detector's boxes marked TP / FP / FN at one IoU (COCO-style greedy
    matching by score per input and class), their counts, pairwise IoU.

Test sets at scale
------------------
TestSetMatrix
    A test set as dense inputs x concepts float32 score and bool label matrices.
read_test_set_matrix
    Stream a body's test set from its JSON bytes into a TestSetMatrix,
    never holding the parsed body (``matrix_from_body``: from a parsed one,
    without the long frame).
matrix_curves
    Every concept's ROC and PR curve from a TestSetMatrix in one vectorised
    pass, decimated for drawing, with the exact ROC AUC and AP.
LiveConfusion
    The confusion matrix of a TestSetMatrix at any threshold, each update
    moving only the inputs whose top score crosses it.
ThresholdCounts
    Per-concept TP/FP/FN/TN, precision, recall and F1 of a TestSetMatrix at
    any threshold, from columns sorted once (a bisection per update).
matrix_at_threshold
    The same table at one threshold, in one pass over a TestSetMatrix.
decimate
    At most N points per curve that keep its shape (end points, even arc
    length, big jumps).

Uncertainty and comparison
--------------------------
bootstrap_intervals
    Percentile bootstrap intervals (resampling inputs, seeded) of per-concept
    and macro ROC AUC, AP, precision, recall and F1.
curve_bands
    Percentile bootstrap bands of every concept's ROC and PR curve on a grid.
metric_intervals
    The same as one tidy frame (``*_lo``, ``*_hi`` columns, a macro row, a
    note where an interval says little or a metric is n/a).
paired_bootstrap
    Per-concept and macro deltas between two models with paired bootstrap
    intervals, each concept marked better / worse / indistinguishable.
verdict
    One line: on how many concepts B beats A, is worse, or is indistinguishable.
largest_confusion_changes
    Two models' change of confusion rates on the concepts of the largest
    changes, read from the nonzero cells of thousands-of-concepts matrices.
mcnemar
    McNemar's test on the top-1 correctness of two single-label classifiers.

Which inputs to fix, where a model fails
----------------------------------------
label_issues
    Inputs ranked by how likely their given labels are wrong (cleanlab), for
    single-label and multi-label classifiers.
detection_label_issues
    The same for a detector, from its ground-truth and predicted boxes.
slice_metrics
    Top-1 accuracy and macro metrics with bootstrap intervals per slice of
    the test set, worst slice first, each marked when its interval overlaps
    the whole's.
metadata_slices, size_slices, aspect_slices, concept_slices
    Slice keys: by an input metadata field, image size or aspect-ratio
    bucket, or the presence of another concept in the ground truth.
"""

from __future__ import annotations

from clarinb.metrics.bootstrap import BootstrapIntervals, bootstrap_intervals
from clarinb.metrics.box_label_issues import detection_label_issues
from clarinb.metrics.box_matching import box_iou, match_boxes, outcome_counts
from clarinb.metrics.compare import PairedComparison, paired_bootstrap, verdict
from clarinb.metrics.confusion import (
    NONE_LABEL,
    cell_inputs,
    confused_pairs,
    confusion_matrix,
    top_predictions,
)
from clarinb.metrics.confusion_changes import largest_confusion_changes
from clarinb.metrics.confusion_live import LiveConfusion
from clarinb.metrics.curve_bands import curve_bands
from clarinb.metrics.curves_fast import MatrixCurves, decimate, matrix_curves
from clarinb.metrics.detection import mean_ap
from clarinb.metrics.interval_frame import metric_intervals
from clarinb.metrics.kinds import label_kind
from clarinb.metrics.label_issues import label_issues
from clarinb.metrics.matrix import TestSetMatrix
from clarinb.metrics.matrix_stream import matrix_from_body, read_test_set_matrix
from clarinb.metrics.multilabel import binary_cell_inputs, cooccurrence
from clarinb.metrics.ranking import curves, scores
from clarinb.metrics.significance import McNemarResult, mcnemar
from clarinb.metrics.slice_keys import (
    aspect_slices,
    concept_slices,
    metadata_slices,
    size_slices,
)
from clarinb.metrics.slices import SliceMetrics, slice_metrics
from clarinb.metrics.threshold import at_threshold, averages, concept_ids
from clarinb.metrics.threshold_live import ThresholdCounts, matrix_at_threshold
from clarinb.metrics.topk import top_k_accuracy

__all__ = [
    "NONE_LABEL",
    "BootstrapIntervals",
    "LiveConfusion",
    "McNemarResult",
    "PairedComparison",
    "SliceMetrics",
    "MatrixCurves",
    "TestSetMatrix",
    "ThresholdCounts",
    "aspect_slices",
    "at_threshold",
    "averages",
    "binary_cell_inputs",
    "box_iou",
    "bootstrap_intervals",
    "cell_inputs",
    "concept_ids",
    "concept_slices",
    "confused_pairs",
    "cooccurrence",
    "confusion_matrix",
    "curve_bands",
    "curves",
    "decimate",
    "detection_label_issues",
    "label_kind",
    "match_boxes",
    "matrix_at_threshold",
    "matrix_curves",
    "matrix_from_body",
    "mcnemar",
    "outcome_counts",
    "label_issues",
    "largest_confusion_changes",
    "mean_ap",
    "metadata_slices",
    "metric_intervals",
    "paired_bootstrap",
    "read_test_set_matrix",
    "scores",
    "size_slices",
    "slice_metrics",
    "top_k_accuracy",
    "top_predictions",
    "verdict",
]
