"""``clarinb.DatasetVersion``: one dataset version, its metrics groups and exports.

A version's metrics groups come from their own (paged) list operation, and its
exports from PutDatasetVersionExports, which starts an export the first time
and reports its progress when repeated.  ``DatasetVersion`` fetches the groups
the first time a method needs them, once, and caches the frame built from
them; it is the only code that fetches what the dataset views show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from clarinb import _validate as validate
from clarinb import frames
from clarinb._enums import EXPORT_FORMAT
from clarinb._list_queries import metrics_groups_query
from clarinb.errors import ClarinbError, InvalidArgumentError
from clarinb.frames._coerce import field
from clarinb.frames.dataset_exports import status_label

if TYPE_CHECKING:
    from clarinb.api.client import BaseClient

__all__ = ["EXPORT_FORMATS", "DatasetVersion", "as_dataset_version", "status_label"]

#: The formats a version can be exported in (``formats`` of :meth:`DatasetVersion.request_exports`).
EXPORT_FORMATS = tuple(name for number, name in EXPORT_FORMAT.items() if number)
_GROUPS_PER_PAGE = 1000


def _version_of(body: Mapping[str, Any]) -> dict[str, Any]:
    """Return the DatasetVersion of a GetDatasetVersion response, or the body itself."""
    inner = field(body, "dataset_version")
    return dict(inner) if isinstance(inner, Mapping) else dict(body)


class DatasetVersion:
    """One version of a dataset: its status and ids, its metrics groups and exports as frames.

    Build it with :meth:`Client.dataset_version <clarinb.Client.dataset_version>`
    (the metrics groups are fetched once, when first needed) or
    :meth:`from_dict` (the groups, if wanted, given with the body).

    Parameters
    ----------
    body : dict
        A DatasetVersion dict or a GetDatasetVersion response.
    client : Client, optional
        Used to fetch the metrics groups and exports and to refresh the status.
    metrics_groups : dict or list, optional
        The version's metrics groups (a list response or its list), when known.
    summary : pandas.Series, optional
        The version's row of :func:`clarinb.frames.dataset_versions`, when a
        listing already read it (the body is then not read again).

    Examples
    --------
    >>> dv = DatasetVersion.from_dict({"id": "v1", "dataset_id": "ds",
    ...                                "status": {"code": 64015}})
    >>> dv
    DatasetVersion(dataset_id='ds', id='v1', status=DATASET_VERSION_READY)
    >>> dv.state
    'ready'
    """

    def __init__(
        self,
        body: Mapping[str, Any],
        *,
        client: BaseClient | None = None,
        metrics_groups: Any = None,
        summary: pd.Series | None = None,
    ) -> None:
        self._data = _version_of(body)
        self._client = client
        self._light = (
            frames.dataset_versions([self._data]).iloc[0] if summary is None else summary.copy()
        )
        self._groups_body = metrics_groups
        self._groups: pd.DataFrame | None = None
        self._exports: pd.DataFrame | None = None
        self._names: dict[str, str] | None = None

    @classmethod
    def from_dict(cls, body: Mapping[str, Any], *, metrics_groups: Any = None) -> DatasetVersion:
        """Wrap a body (and, optionally, the version's metrics groups) without a client.

        Parameters
        ----------
        body : dict
            A DatasetVersion or a GetDatasetVersion response.
        metrics_groups : dict or list, optional
            A ListDatasetVersionMetricsGroups response or its list.

        Raises
        ------
        InvalidArgumentError
            When ``body`` is not a dict.
        ResponseFormatError
            When the body is not a dataset version.
        """
        if not isinstance(body, Mapping):
            raise InvalidArgumentError(
                f"DatasetVersion.from_dict takes a dict (a DatasetVersion or its response), "
                f"not {type(body).__name__}."
            )
        return cls(body, metrics_groups=metrics_groups)

    @classmethod
    def fetch(cls, client: BaseClient, dataset_id: str, version_id: str) -> DatasetVersion:
        """Fetch one version's status and ids (GetDatasetVersion) and wrap it."""
        validate.string(dataset_id, "dataset_id")
        validate.string(version_id, "version_id")
        body = client.call(
            "V2_GetDatasetVersion2", datasetId=dataset_id, datasetVersionId=version_id
        )
        return cls(body, client=client)

    @classmethod
    def of_dataset(
        cls, client: BaseClient, dataset_id: str, *, per_page: int = 128
    ) -> list[DatasetVersion]:
        """Every version of a dataset (all pages), in the order the service lists them.

        The bodies are read in one :func:`clarinb.frames.dataset_versions` call.
        """
        validate.string(dataset_id, "dataset_id")
        pages = client.paginate("V2_ListDatasetVersions2", per_page=per_page, datasetId=dataset_id)
        bodies = [{"dataset_id": dataset_id, **_version_of(body)} for body in pages]
        table = frames.dataset_versions(bodies)
        return [cls(body, client=client, summary=table.iloc[i]) for i, body in enumerate(bodies)]

    @classmethod
    def create(cls, client: BaseClient, dataset_id: str, description: str = "") -> DatasetVersion:
        """Create a new version of a dataset (PostDatasetVersions); it starts pending.

        Raises
        ------
        ClarinbError
            When the service answers without a version.
        """
        validate.string(dataset_id, "dataset_id")
        text = validate.text(description, "description")
        body = {"dataset_versions": [{"description": text}]}
        response = client.call("V2_PostDatasetVersions2", datasetId=dataset_id, body=body)
        created = field(response, "dataset_versions") or []
        if not created:
            raise ClarinbError(f"the service created no version of dataset {dataset_id!r}")
        version = _version_of(created[0])
        version.setdefault("dataset_id", dataset_id)
        return cls(version, client=client)

    # -- identity and status ---------------------------------------------------------------

    @property
    def client(self) -> BaseClient | None:
        """The client this version fetches with (``None`` when built from a dict)."""
        return self._client

    @property
    def id(self) -> str:
        """The version id."""
        return str(self._light["id"])

    @property
    def dataset_id(self) -> str:
        """The dataset's id."""
        return str(self._light["dataset_id"])

    @property
    def description(self) -> str:
        """The version's description."""
        return str(self._light["description"])

    @property
    def code(self) -> int:
        """The version's status code (64015 when ready)."""
        return int(self._light["code"])

    @property
    def code_name(self) -> str:
        """Name of :attr:`code` (``"DATASET_VERSION_READY"``)."""
        return str(self._light["code_name"])

    @property
    def state(self) -> str:
        """``"pending"``, ``"in progress"``, ``"ready"``, ``"failed"`` or ``"unknown"``."""
        return status_label(self.code or None)

    @property
    def is_ready(self) -> bool:
        """Whether the version is built (its metrics groups are there)."""
        return self.state == "ready"

    @property
    def is_failed(self) -> bool:
        """Whether building the version failed."""
        return self.state == "failed"

    @property
    def is_pending(self) -> bool:
        """Whether the version is queued or being built."""
        return self.state in ("pending", "in progress")

    @property
    def summary(self) -> pd.Series:
        """The version as one row of :func:`clarinb.frames.dataset_versions`."""
        return self._light.copy()

    @property
    def raw(self) -> dict[str, Any]:
        """The DatasetVersion body as last fetched."""
        return self._data

    # -- fetching -------------------------------------------------------------------------------

    def _need_client(self, what: str) -> BaseClient:
        if self._client is None:
            raise InvalidArgumentError(
                f"this DatasetVersion has no client to {what}; build it with "
                "client.dataset_version(dataset_id, version_id)."
            )
        return self._client

    def refresh(self) -> DatasetVersion:
        """Fetch the status again (for a pending version).

        The cached metrics groups are dropped when the status changed.
        """
        client = self._need_client("refresh it")
        body = client.call(
            "V2_GetDatasetVersion2", datasetId=self.dataset_id, datasetVersionId=self.id
        )
        before = self.code
        self._data.update(_version_of(body))
        self._light = frames.dataset_versions([self._data]).iloc[0]
        if self.code != before:
            self._groups_body, self._groups = None, None
        return self

    def _fetch_groups(self, query: Mapping[str, Any] | None = None) -> list[Any]:
        client = self._client
        if client is None:
            raise InvalidArgumentError(
                f"version {self.id!r} has no client and no metrics groups; pass "
                "metrics_groups= to DatasetVersion.from_dict, or use client.dataset_version()."
            )
        return list(
            client.paginate(
                "V2_ListDatasetVersionMetricsGroups2",
                per_page=_GROUPS_PER_PAGE,
                query=dict(query) if query else None,
                datasetId=self.dataset_id,
                datasetVersionId=self.id,
            )
        )

    def metrics_groups(
        self, types: Any = None, parent_paths: str | Iterable[str] | None = None
    ) -> pd.DataFrame:
        """Return the version's metrics groups, with each group's region-location matrix.

        Parameters
        ----------
        types : str, int or list, optional
            Only groups of these types, by name (``"CONCEPT_ID"``) or number;
            asked of the service (not cached).
        parent_paths : str or list of str, optional
            Only groups under these parent paths; asked of the service (not cached).

        Returns
        -------
        pandas.DataFrame
            :func:`clarinb.frames.dataset_version_metrics_groups` with
            ``matrices=True``.  All groups are fetched once and cached.

        Raises
        ------
        InvalidArgumentError
            For an unknown group type, or without a client and groups.
        ResponseFormatError
            When a group has the wrong shape.
        """
        query = metrics_groups_query(types, parent_paths)
        if query:
            return frames.dataset_version_metrics_groups(self._fetch_groups(query), matrices=True)
        if self._groups is None:
            if self._groups_body is None:
                self._groups_body = self._fetch_groups()
            self._groups = frames.dataset_version_metrics_groups(self._groups_body, matrices=True)
        return self._groups.copy()

    def concept_names(self) -> dict[str, str]:
        """Return the app's concept names by id, from its models' output concepts (fetched once).

        Metrics groups name concepts by id only; the views show these names
        instead, as the evaluation views do. Empty without a client; a concept
        no model outputs keeps its id.

        Returns
        -------
        dict
            Concept id -> name.
        """
        if self._names is None:
            found: dict[str, str] = {}
            if self._client is not None:
                try:
                    models = self._client.paginate("V2_ListModels3")
                    for model in models:
                        data = (model.get("output_info") or {}).get("data") or {}
                        for concept in data.get("concepts") or ():
                            cid, name = concept.get("id"), concept.get("name")
                            if isinstance(cid, str) and isinstance(name, str) and name:
                                found.setdefault(cid, name)
                except ClarinbError:
                    found = {}
            self._names = found
        return dict(self._names)

    def region_location_matrix(self) -> pd.DataFrame:
        """Regions per cell of a grid over the image, for the whole version.

        See :func:`clarinb.frames.region_location_matrix`.
        """
        self.metrics_groups()
        return frames.region_location_matrix(self._groups_body)

    # -- exports --------------------------------------------------------------------------------

    def exports(self) -> pd.DataFrame:
        """Return the exports as last reported by :meth:`request_exports` (empty before).

        See :func:`clarinb.frames.dataset_version_exports` for the columns.
        """
        if self._exports is None:
            return frames.dataset_version_exports([])
        return self._exports.copy()

    def request_exports(self, formats: Sequence[str] = ("CLARIFAI_DATA_PROTOBUF",)) -> pd.DataFrame:
        """Start exports in ``formats``, or, when repeated, report how far they are.

        Parameters
        ----------
        formats : list of str
            Some of :data:`EXPORT_FORMATS`.

        Returns
        -------
        pandas.DataFrame
            The exports (see :func:`clarinb.frames.dataset_version_exports`).

        Raises
        ------
        InvalidArgumentError
            For an unknown format, or without a client.
        """
        hint = f"some of {list(EXPORT_FORMATS)}"
        chosen = validate.strings(formats, "formats", hint=hint)
        for name in validate.non_empty(chosen, "formats", hint=f"pick {hint}"):
            validate.choice(name, "every item of formats", EXPORT_FORMATS)
        client = self._need_client("export it")
        response = client.call(
            "V2_PutDatasetVersionExports2",
            datasetId=self.dataset_id,
            datasetVersionId=self.id,
            body={"exports": [{"format": f} for f in chosen]},
        )
        self._exports = frames.dataset_version_exports(response)
        return self.exports()

    # -- display --------------------------------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"DatasetVersion(dataset_id={self.dataset_id!r}, id={self.id!r}, "
            f"status={self.code_name or self.code})"
        )

    def _repr_html_(self) -> str:
        from clarinb._html import tag  # noqa: PLC0415 - only when a notebook shows it

        rows = {
            "dataset": self.dataset_id,
            "version": self.id,
            "description": self.description,
            "status": f"{self.code} {self.code_name} ({self.state})",
            "inputs": str(self._light["inputs_count"]),
            "created": str(self._light["created_at"]),
        }
        cells = [
            tag("tr", tag("th", k, style="text-align:left"), tag("td", v)) for k, v in rows.items()
        ]
        return str(tag("table", tag("caption", "clarinb.DatasetVersion"), *cells))


def as_dataset_version(value: Any, name: str = "version") -> DatasetVersion:
    """Return ``value`` if it is a :class:`DatasetVersion` (not a body, not an id), else raise.

    The one check of the views' ``from_dataset_version(s)``.

    Raises
    ------
    InvalidArgumentError
        For anything else.
    """
    if not isinstance(value, DatasetVersion):
        raise InvalidArgumentError(
            f"{name} must be a clarinb.DatasetVersion, not {validate.shown(value)}; get one "
            "with client.dataset_version(dataset_id, version_id) or DatasetVersion.from_dict()."
        )
    return value
