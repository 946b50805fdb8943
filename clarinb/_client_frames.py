"""DataFrame helpers of :class:`clarinb.Client`: list operations paged and turned into frames."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from clarinb._enums import METRICS_GROUP_TYPE
from clarinb.errors import InvalidArgumentError

if TYPE_CHECKING:
    import pandas as pd

    from clarinb.evaluation import Evaluation

__all__ = ["FramesMixin"]

#: ``sort_by`` choices of :meth:`FramesMixin.evaluations` -> ListEvaluations flag.
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


class FramesMixin:
    """Methods of :class:`clarinb.Client` that return DataFrames (or an :class:`Evaluation`)."""

    if TYPE_CHECKING:

        def paginate(
            self, operation_id: str, /, *, per_page: int = 128, query: Any = None, **kw: Any
        ) -> Iterator[dict[str, Any]]: ...

        def call(self, operation_id: str, /, *, query: Any = None, **kw: Any) -> dict[str, Any]: ...

    def evaluation(self, evaluation_id: str) -> Evaluation:
        """Fetch one evaluation's status, ids and summary; its parts load when first used.

        Parameters
        ----------
        evaluation_id : str
            The evaluation id.

        Returns
        -------
        Evaluation
            Lazy: each heavy part (confusion matrix, curves, test set...) is
            fetched once, with its ``fields.*`` flag, when a method needs it.

        Raises
        ------
        NotFoundError
            When there is no such evaluation.
        """
        from clarinb.evaluation import Evaluation  # noqa: PLC0415

        return Evaluation.fetch(self, evaluation_id)  # type: ignore[arg-type]

    def evaluations(
        self,
        *,
        model_type_id: str | None = None,
        concept_ids: str | Iterable[str] | None = None,
        eval_dataset_ids: str | Iterable[str] | None = None,
        train_dataset_ids: str | Iterable[str] | None = None,
        show_failed: bool = False,
        sort_by: str | None = None,
        sort_ascending: bool | None = None,
        per_page: int = 128,
        **unknown: Any,
    ) -> pd.DataFrame:
        """List the app's evaluations as a frame (see :func:`clarinb.frames.evaluations`).

        Parameters
        ----------
        model_type_id : str, optional
            Only evaluations of models of this type (``"visual-classifier"``).
        concept_ids, eval_dataset_ids, train_dataset_ids : str or list of str, optional
            Only evaluations involving these concepts or datasets.
        show_failed : bool
            Include failed evaluations.
        sort_by : str, optional
            One of ``app_id``, ``roc_auc``, ``f1``, ``created_at``,
            ``mean_avg_precision``, ``precision``, ``recall``, ``model_id``,
            ``eval_dataset_id``, ``train_dataset_id``.
        sort_ascending : bool, optional
            Sort order.
        per_page : int
            Items per request.

        Returns
        -------
        pandas.DataFrame
            One row per evaluation, newest first unless sorted otherwise.  A
            summary metric that does not apply to the model's kind (a
            detector's ROC AUC, a classifier's mAP) is NaN; one that applies
            and is 0 stays 0.

        Raises
        ------
        InvalidArgumentError
            For an unknown filter or ``sort_by``, or ids that are not strings.
        """
        from clarinb import frames  # noqa: PLC0415

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
        query = {k: v for k, v in query.items() if v is not None}
        items = list(self.paginate("V2_ListEvaluations3", per_page=per_page, query=query))
        return frames.evaluations(items)

    def dataset_versions(self, dataset_id: str, *, per_page: int = 128) -> pd.DataFrame:
        """List a dataset's versions (see :func:`clarinb.frames.dataset_versions`)."""
        from clarinb import frames  # noqa: PLC0415

        items = list(
            self.paginate("V2_ListDatasetVersions2", per_page=per_page, datasetId=dataset_id)
        )
        return frames.dataset_versions(items)

    def dataset_version_metrics(
        self,
        dataset_id: str,
        version_id: str,
        types: Any = None,
        parent_paths: str | Iterable[str] | None = None,
        *,
        per_page: int = 128,
    ) -> pd.DataFrame:
        """List a dataset version's metrics groups as a frame.

        See :func:`clarinb.frames.dataset_version_metrics_groups` for the columns.

        Parameters
        ----------
        dataset_id, version_id : str
            The dataset and its version.
        types : str, int or list, optional
            Only groups of these types, by name (``"CONCEPT_ID"``) or number.
        parent_paths : str or list of str, optional
            Only groups under these parent paths (as the API returns them).
        per_page : int
            Items per request.

        Raises
        ------
        InvalidArgumentError
            For an unknown group type.
        """
        from clarinb import frames  # noqa: PLC0415

        query = {
            "types": _group_types(types),
            "parentPaths": _strings(parent_paths, "parent_paths"),
        }
        items = list(
            self.paginate(
                "V2_ListDatasetVersionMetricsGroups2",
                per_page=per_page,
                query={k: v for k, v in query.items() if v is not None},
                datasetId=dataset_id,
                datasetVersionId=version_id,
            )
        )
        return frames.dataset_version_metrics_groups(items)

    def inputs(self, *, per_page: int = 128) -> pd.DataFrame:
        """List the app's inputs (see :func:`clarinb.frames.inputs`)."""
        from clarinb import frames  # noqa: PLC0415

        return frames.inputs(list(self.paginate("V2_ListInputs2", per_page=per_page)))

    def models(self, *, model_type_id: str | None = None, per_page: int = 128) -> pd.DataFrame:
        """List the app's models (see :func:`clarinb.frames.models`)."""
        from clarinb import frames  # noqa: PLC0415

        query = {"modelTypeId": model_type_id} if model_type_id else None
        return frames.models(list(self.paginate("V2_ListModels3", per_page=per_page, query=query)))

    def model_types(self, *, per_page: int = 128) -> pd.DataFrame:
        """List the model types (see :func:`clarinb.frames.model_types`)."""
        from clarinb import frames  # noqa: PLC0415

        return frames.model_types(list(self.paginate("V2_ListModelTypes2", per_page=per_page)))

    def label_orders(self, *, per_page: int = 128) -> pd.DataFrame:
        """List the app's label orders (see :func:`clarinb.frames.label_orders`)."""
        from clarinb import frames  # noqa: PLC0415

        return frames.label_orders(list(self.paginate("V2_ListLabelOrders2", per_page=per_page)))

    def input_add_jobs(self, *, per_page: int = 128) -> pd.DataFrame:
        """List the app's inputs-add jobs (see :func:`clarinb.frames.input_add_jobs`)."""
        from clarinb import frames  # noqa: PLC0415

        items = list(self.paginate("V2_ListInputsAddJobs2", per_page=per_page))
        return frames.input_add_jobs(items)
