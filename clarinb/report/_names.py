"""Readable names of the metrics a report shows, each with its API field as a tooltip."""

from __future__ import annotations

from clarinb._html import Markup, tag

__all__ = ["METRIC_NAMES", "metric_label", "metric_name"]

#: API field (or clarinb column) -> the name a reader sees.
METRIC_NAMES = {
    "top1_accuracy": "Top-1 accuracy",
    "top5_accuracy": "Top-5 accuracy",
    "macro_avg_roc_auc": "ROC AUC (mean over concepts)",
    "macro_std_roc_auc": "ROC AUC spread (std over concepts)",
    "macro_avg_f1_score": "F1 (mean over concepts)",
    "macro_std_f1_score": "F1 spread (std over concepts)",
    "macro_avg_precision": "Precision (mean over concepts)",
    "macro_avg_recall": "Recall (mean over concepts)",
    "mean_avg_precision_iou_50": "Mean average precision at IoU 0.5",
    "mean_avg_precision_iou_range": "Mean average precision, IoU 0.5 to 0.95",
    "roc_auc": "ROC AUC",
    "avg_precision": "Average precision",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
    "num_pos": "Positives",
    "num_neg": "Negatives",
    "concept_name": "Concept",
    "concept_id": "Concept id",
}


def metric_name(field: str) -> str:
    """Return the readable name of ``field`` (the field itself when it has none)."""
    return METRIC_NAMES.get(field, field)


def metric_label(field: str) -> Markup:
    """Return the readable name of ``field`` with the field as its tooltip (``title``)."""
    return tag("span", metric_name(field), title=field)
