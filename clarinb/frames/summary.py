"""Which MetricsSummary fields apply to which kind of model, and an evaluation's kind.

proto3 leaves zero values out of a reply (and the service sends the
``macro_*`` fields as 0 when it has nothing to put there), so a summary field
that is 0 or missing in an EvalMetrics is either a true 0 or a metric the
service does not compute for that kind of model.  :data:`APPLIES` is the one
table that tells them apart:

* classifiers (single- and multi-label): ``top1_accuracy``,
  ``top5_accuracy``, ``macro_avg_roc_auc``, ``macro_std_roc_auc``,
  ``macro_avg_f1_score``, ``macro_std_f1_score``, ``macro_avg_precision``,
  ``macro_avg_recall``;
* detectors: ``mean_avg_precision_iou_50``, ``mean_avg_precision_iou_range``.

Single- and multi-label classifiers share their fields (the API does not tell them
apart): for a multi-label test set, top-1 is right when the highest-scored
concept is one of the input's true concepts (see
:func:`clarinb.metrics.top_k_accuracy`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clarinb.frames._coerce import field

__all__ = ["APPLIES", "SUMMARY_FIELDS", "applies", "model_kind"]

#: The MetricsSummary fields, in the message's order.
SUMMARY_FIELDS = (
    "top1_accuracy",
    "top5_accuracy",
    "macro_avg_roc_auc",
    "macro_std_roc_auc",
    "macro_avg_f1_score",
    "macro_std_f1_score",
    "macro_avg_precision",
    "macro_avg_recall",
    "mean_avg_precision_iou_50",
    "mean_avg_precision_iou_range",
)

#: Model kind -> the summary fields the service computes for it.
APPLIES: dict[str, frozenset[str]] = {
    "classifier": frozenset(SUMMARY_FIELDS[:8]),
    "detector": frozenset(SUMMARY_FIELDS[8:]),
}

#: Parts only an evaluation of that kind has.
_PARTS = {
    "detector": ("metrics_by_class", "metrics_by_area"),
    "classifier": ("binary_metrics", "confusion_matrix", "cooccurrence_matrix"),
}


def applies(name: str, kind: str | None) -> bool:
    """Whether the summary field ``name`` applies to a model of this kind.

    Parameters
    ----------
    name : str
        A MetricsSummary field.
    kind : str or None
        ``"classifier"``, ``"detector"``, or ``None`` when unknown (then every
        field is taken to apply).

    Returns
    -------
    bool
    """
    return kind is None or name in APPLIES.get(kind, frozenset(SUMMARY_FIELDS))


def _nonzero(value: Any) -> bool:
    try:
        return float(value) != 0.0
    except (TypeError, ValueError, OverflowError):
        return False


def model_kind(ev: Mapping[str, Any]) -> str | None:
    """Return the kind of model an EvalMetrics evaluates: classifier, detector or unknown.

    Read, in this order, from the model's ``model_type_id`` (``...detector``
    or ``...classifier``), from the parts only one kind has (metrics by class
    or area; binary metrics, confusion or co-occurrence matrix), then from
    non-zero summary fields only one kind has.

    Parameters
    ----------
    ev : dict
        An EvalMetrics dict (snake_case or camelCase).

    Returns
    -------
    str or None
        ``"classifier"``, ``"detector"``, or ``None`` when nothing tells.
    """
    model = field(ev, "model")
    type_id = field(model, "model_type_id") if isinstance(model, Mapping) else None
    if isinstance(type_id, str):
        if "detect" in type_id:
            return "detector"
        if "classif" in type_id:
            return "classifier"
    for kind, parts in _PARTS.items():
        if any(field(ev, part) for part in parts):
            return kind
    summary = field(ev, "summary")
    if isinstance(summary, Mapping):
        for kind, names in APPLIES.items():
            if any(_nonzero(field(summary, name)) for name in names):
                return kind
    return None
