"""The public :class:`Client`: the API client plus helpers that return DataFrames.

The helpers page a list operation, then hand the items to a pure function of
:mod:`clarinb.frames`; their arguments are checked and spelt as the API wants
by :mod:`clarinb._list_queries`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from clarinb._list_queries import evaluations_query, metrics_groups_query
from clarinb.api.client import BaseClient

if TYPE_CHECKING:
    import pandas as pd

    from clarinb.dataset_version import DatasetVersion
    from clarinb.evaluation import Evaluation

__all__ = ["Client"]


def _pandas_module(name: str) -> ModuleType:
    """Import ``clarinb.frames`` or a read model's module when the first frame is made.

    Both bring pandas (about 0.3 s to import), which a client that only calls
    operations (``clarinb snapshot``) never needs.
    """
    return importlib.import_module(name)


class Client(BaseClient):
    """A connection to the Clarifai API v2 (or the local emulator).

    See :class:`clarinb.api.client.BaseClient` for the parameters.  Besides
    :meth:`call` and :meth:`paginate`, ``Client`` offers helpers that return
    pandas DataFrames: :meth:`evaluations`, :meth:`dataset_versions`,
    :meth:`dataset_version_metrics`, :meth:`inputs`, :meth:`models`,
    :meth:`model_types`, :meth:`label_orders`, :meth:`input_add_jobs`;
    :meth:`evaluation`, which returns a lazy :class:`clarinb.Evaluation`, and
    :meth:`dataset_version` and :meth:`create_dataset_version`, which return a
    :class:`clarinb.DatasetVersion`.
    """

    def _frame(
        self, builder: str, operation_id: str, per_page: int, **options: Any
    ) -> pd.DataFrame:
        """Page ``operation_id`` and turn the items into a frame with ``frames.<builder>``."""
        items = list(self.paginate(operation_id, per_page=per_page, **options))
        frame: pd.DataFrame = getattr(_pandas_module("clarinb.frames"), builder)(items)
        return frame

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
        evaluation: Evaluation = _pandas_module("clarinb.evaluation").Evaluation.fetch(
            self, evaluation_id
        )
        return evaluation

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
        query = evaluations_query(
            model_type_id=model_type_id,
            concept_ids=concept_ids,
            eval_dataset_ids=eval_dataset_ids,
            train_dataset_ids=train_dataset_ids,
            show_failed=show_failed,
            sort_by=sort_by,
            sort_ascending=sort_ascending,
            unknown=unknown,
        )
        return self._frame("evaluations", "V2_ListEvaluations3", per_page, query=query)

    def dataset_version(self, dataset_id: str, version_id: str) -> DatasetVersion:
        """Fetch one dataset version's status and ids; its metrics groups load when first used.

        Parameters
        ----------
        dataset_id, version_id : str
            The dataset and its version.

        Returns
        -------
        DatasetVersion
            Lazy: the metrics groups are fetched once, when a method needs them.

        Raises
        ------
        InvalidArgumentError
            When an id is not a non-empty string.
        NotFoundError
            When there is no such version.
        """
        version: DatasetVersion = _pandas_module("clarinb.dataset_version").DatasetVersion.fetch(
            self, dataset_id, version_id
        )
        return version

    def create_dataset_version(self, dataset_id: str, description: str = "") -> DatasetVersion:
        """Create a new version of a dataset; it starts pending (``refresh()`` it to follow it).

        Parameters
        ----------
        dataset_id : str
            The dataset.
        description : str
            The version's description.

        Returns
        -------
        DatasetVersion
            The new version.
        """
        version: DatasetVersion = _pandas_module("clarinb.dataset_version").DatasetVersion.create(
            self, dataset_id, description
        )
        return version

    def dataset_versions(self, dataset_id: str, *, per_page: int = 128) -> pd.DataFrame:
        """List a dataset's versions (see :func:`clarinb.frames.dataset_versions`)."""
        return self._frame(
            "dataset_versions", "V2_ListDatasetVersions2", per_page, datasetId=dataset_id
        )

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
        return self._frame(
            "dataset_version_metrics_groups",
            "V2_ListDatasetVersionMetricsGroups2",
            per_page,
            query=metrics_groups_query(types, parent_paths),
            datasetId=dataset_id,
            datasetVersionId=version_id,
        )

    def inputs(self, *, per_page: int = 128) -> pd.DataFrame:
        """List the app's inputs (see :func:`clarinb.frames.inputs`)."""
        return self._frame("inputs", "V2_ListInputs2", per_page)

    def models(self, *, model_type_id: str | None = None, per_page: int = 128) -> pd.DataFrame:
        """List the app's models (see :func:`clarinb.frames.models`)."""
        query = {"modelTypeId": model_type_id} if model_type_id else None
        return self._frame("models", "V2_ListModels3", per_page, query=query)

    def model_types(self, *, per_page: int = 128) -> pd.DataFrame:
        """List the model types (see :func:`clarinb.frames.model_types`)."""
        return self._frame("model_types", "V2_ListModelTypes2", per_page)

    def label_orders(self, *, per_page: int = 128) -> pd.DataFrame:
        """List the app's label orders (see :func:`clarinb.frames.label_orders`)."""
        return self._frame("label_orders", "V2_ListLabelOrders2", per_page)

    def input_add_jobs(self, *, per_page: int = 128) -> pd.DataFrame:
        """List the app's inputs-add jobs (see :func:`clarinb.frames.input_add_jobs`)."""
        return self._frame("input_add_jobs", "V2_ListInputsAddJobs2", per_page)
