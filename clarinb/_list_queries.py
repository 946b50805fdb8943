"""Queries of :class:`clarinb.Client`'s list helpers: arguments checked, spelt as the API does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clarinb._enums import METRICS_GROUP_TYPE
from clarinb.errors import InvalidArgumentError

__all__ = ["EVALUATION_SORTS", "evaluations_query", "metrics_groups_query"]

#: ``sort_by`` choices of :meth:`clarinb.Client.evaluations` -> ListEvaluations flag.
EVALUATION_SORTS = {
    "app_id": "sortByAppId",
    "roc_auc": "sortByRocAuc",
    "f1": "sortByF1",
    "created_at": "sortByCreatedAt",
    "mean_avg_precision": "sortByMeanAvgPrecision",
    "precision": "sortByPrecision",
    "recall": "sortByRecall",
    "model_id": "sortByModelId",
    "eval_dataset_id": "sortByEvalDatasetId",
    "train_dataset_id": "sortByTrainDatasetId",
}
_GROUP_TYPES = {name: number for number, name in METRICS_GROUP_TYPE.items()}


def _strings(value: str | Iterable[str] | None, name: str) -> list[str] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, str) else list(value)
    if not all(isinstance(v, str) and v for v in values):
        raise InvalidArgumentError(f"{name} must be a string or a list of non-empty strings.")
    return values


def _group_types(types: Any) -> list[str] | None:
    if types is None:
        return None
    values = [types] if isinstance(types, str | int) else list(types)
    names = []
    for v in values:
        name = METRICS_GROUP_TYPE.get(v) if isinstance(v, int) and not isinstance(v, bool) else v
        if name not in _GROUP_TYPES:
            choices = ", ".join(n for n in _GROUP_TYPES if not n.endswith("NOT_SET"))
            raise InvalidArgumentError(f"unknown metrics group type {v!r}; use one of {choices}.")
        names.append(name)
    return names


def evaluations_query(
    *,
    model_type_id: str | None,
    concept_ids: str | Iterable[str] | None,
    eval_dataset_ids: str | Iterable[str] | None,
    train_dataset_ids: str | Iterable[str] | None,
    show_failed: bool,
    sort_by: str | None,
    sort_ascending: bool | None,
    unknown: dict[str, Any],
) -> dict[str, Any]:
    """Return the query of ListEvaluations for :meth:`clarinb.Client.evaluations`' arguments.

    Raises
    ------
    InvalidArgumentError
        For an unknown filter (``unknown`` not empty) or ``sort_by``, or ids
        that are not strings.
    """
    if unknown:
        raise InvalidArgumentError(
            f"evaluations() has no filter {next(iter(unknown))!r}; it takes model_type_id, "
            "concept_ids, eval_dataset_ids, train_dataset_ids, show_failed, sort_by, "
            "sort_ascending and per_page."
        )
    query: dict[str, Any] = {
        "modelTypeId": model_type_id,
        "conceptIds": _strings(concept_ids, "concept_ids"),
        "evalDatasetIds": _strings(eval_dataset_ids, "eval_dataset_ids"),
        "trainDatasetIds": _strings(train_dataset_ids, "train_dataset_ids"),
        "showFailedMetrics": bool(show_failed) or None,
        "sortAscending": sort_ascending,
    }
    if sort_by is not None:
        if sort_by not in EVALUATION_SORTS:
            raise InvalidArgumentError(
                f"sort_by must be one of {', '.join(EVALUATION_SORTS)}, not {sort_by!r}."
            )
        query[EVALUATION_SORTS[sort_by]] = True
    return {k: v for k, v in query.items() if v is not None}


def metrics_groups_query(types: Any, parent_paths: str | Iterable[str] | None) -> dict[str, Any]:
    """Return the query of ListDatasetVersionMetricsGroups for group types and parent paths.

    Raises
    ------
    InvalidArgumentError
        For an unknown group type, or parent paths that are not strings.
    """
    query = {"types": _group_types(types), "parentPaths": _strings(parent_paths, "parent_paths")}
    return {k: v for k, v in query.items() if v is not None}
