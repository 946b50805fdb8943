"""The emulator's in-memory state: one :class:`App` per user/app scope.

Plain Python, no HTTP: tables of resources in their snake_case wire form,
loaded from a workspace dict and changed by the request handlers.
"""

from __future__ import annotations

import base64
import pickle
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clarinb import _snapshot_schema
from clarinb.emulator._schema import SCHEMA
from clarinb.emulator.errors import ServiceError, conflict, not_found
from clarinb.emulator.wire import timestamp

__all__ = ["WORKSPACE_FORMAT", "App", "Store", "Table", "new_id"]

WORKSPACE_FORMAT = _snapshot_schema.FORMAT
Item = dict[str, Any]


def new_id() -> str:
    """Return a new resource id, 32 hex digits like the service's generated ids."""
    return secrets.token_hex(16)


class Table:
    """Resources of one kind, by id, in insertion order.

    Parameters
    ----------
    kind : str
        Resource kind, named in not-found and duplicate errors.
    message : str
        The resource's message; new resources get ``created_at`` and
        ``modified_at`` only if it has those fields.
    items : iterable of dict, optional
        Initial resources (each with an ``id``).
    """

    def __init__(self, kind: str, message: str, items: Any = ()) -> None:
        self.kind = kind
        self.message = message
        fields = SCHEMA.get(message, {})
        self._stamps = [k for k in ("created_at", "modified_at") if k in fields]
        self._items: dict[str, Item] = {}
        for item in items:
            self._items[str(item["id"])] = item

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Item]:
        return iter(list(self._items.values()))

    def __contains__(self, ident: object) -> bool:
        return ident in self._items

    def get(self, ident: str) -> Item:
        """Return the resource with this id; :func:`not_found` when absent."""
        try:
            return self._items[ident]
        except KeyError:
            raise not_found(self.kind, ident) from None

    def find(self, ident: str) -> Item | None:
        """Return the resource with this id, or ``None``."""
        return self._items.get(ident)

    def add(self, item: Item) -> Item:
        """Store a new resource, giving it an id and timestamps as needed.

        Raises
        ------
        ServiceError
            When the id is taken (HTTP 409).
        """
        ident = str(item.get("id") or new_id())
        if ident in self._items:
            raise conflict(self.kind, ident)
        item["id"] = ident
        now = timestamp()
        for key in self._stamps:
            item.setdefault(key, now)
        self._items[ident] = item
        return item

    def put(self, key: str, item: Item) -> None:
        """Store a resource under a key of the caller's choice (no checks)."""
        self._items[key] = item

    def remove(self, ident: str) -> Item:
        """Delete and return a resource; :func:`not_found` when absent."""
        item = self.get(ident)
        del self._items[ident]
        return item

    def clear(self) -> None:
        """Delete every resource."""
        self._items.clear()


class App:
    """Everything stored for one user/app scope."""

    def __init__(self, user_id: str, app_id: str) -> None:
        self.user_id = user_id
        self.app_id = app_id
        self.datasets = Table("dataset", "Dataset")
        self.dataset_versions = Table("dataset version", "DatasetVersion")
        self.metrics_groups: dict[str, list[Item]] = {}
        self.inputs = Table("input", "Input")
        self.annotations = Table("annotation", "Annotation")
        self.models = Table("model", "Model")
        self.model_types = Table("model type", "ModelType")
        self.evaluations = Table("evaluation", "EvalMetrics")
        self.label_orders = Table("label order", "LabelOrder")
        self.inputs_add_jobs = Table("inputs add job", "InputsAddJob")
        self.inputs_extraction_jobs = Table("inputs extraction job", "InputsExtractionJob")
        self.searches = Table("search", "Search")
        self.images: dict[str, bytes] = {}

    def version_key(self, dataset_id: str, version_id: str) -> str:
        """Key of a dataset version in :attr:`dataset_versions`."""
        return f"{dataset_id}/{version_id}"

    def version(self, dataset_id: str, version_id: str) -> Item:
        """Return a dataset version; not-found when the dataset or version is missing."""
        self.datasets.get(dataset_id)
        found = self.dataset_versions.find(self.version_key(dataset_id, version_id))
        if found is None:
            raise not_found("dataset version", f"{dataset_id}/{version_id}")
        return found

    def add_version(self, version: Item) -> Item:
        """Store a new version of ``version["dataset_id"]``; HTTP 409 if its id is taken."""
        key = self.version_key(version["dataset_id"], version["id"])
        if key in self.dataset_versions:
            raise conflict("dataset version", version["id"])
        now = timestamp()
        version.setdefault("created_at", now)
        version.setdefault("modified_at", now)
        self.dataset_versions.put(key, version)
        return version

    def versions_of(self, dataset_id: str) -> list[Item]:
        """Return the versions of one dataset, in creation order."""
        return [v for v in self.dataset_versions if v.get("dataset_id") == dataset_id]

    def load(self, workspace: dict[str, Any]) -> None:
        """Fill the tables from a workspace dict (copied, so the dict is never changed)."""
        # Evaluations are never changed in place (only created), so their bulky
        # parts are shared with the workspace; a pickle round trip copies the
        # rest faster than deepcopy.
        rest = {k: v for k, v in workspace.items() if k not in ("images", "evaluations")}
        ws = pickle.loads(pickle.dumps(rest, protocol=pickle.HIGHEST_PROTOCOL))
        ws["evaluations"] = [dict(e) for e in workspace.get("evaluations", ())]
        self.datasets = Table("dataset", "Dataset", ws.get("datasets", ()))
        versions = ws.get("dataset_versions", ())
        self.dataset_versions = Table("dataset version", "DatasetVersion")
        for version in versions:
            self.dataset_versions.put(
                self.version_key(version["dataset_id"], version["id"]), version
            )
        self.metrics_groups = dict(ws.get("metrics_groups", {}))
        for name in (
            "inputs",
            "annotations",
            "models",
            "model_types",
            "evaluations",
            "label_orders",
            "inputs_add_jobs",
            "inputs_extraction_jobs",
            "searches",
        ):
            table = getattr(self, name)
            setattr(self, name, Table(table.kind, table.message, ws.get(name, ())))
        self.images = {k: base64.b64decode(v) for k, v in workspace.get("images", {}).items()}


class Store:
    """All scopes of one emulator, guarded by one lock.

    Parameters
    ----------
    workspace : dict
        A workspace in the ``clarinb-workspace/1`` format; its user and app
        are the default scope of requests that name none, and the only scope
        the token reaches.
    """

    def __init__(self, workspace: dict[str, Any]) -> None:
        check_workspace(workspace)
        self.user_id = str(workspace["user_id"])
        self.app_id = str(workspace["app_id"])
        #: Seed the demo models predict with (workspaces made by the demo builder record it).
        self.seed = int(workspace.get("seed", 0))
        self.lock = threading.RLock()
        self.home = App(self.user_id, self.app_id)
        self.home.load(workspace)
        self._apps: dict[tuple[str, str], App] = {(self.user_id, self.app_id): self.home}

    def apps(self) -> list[App]:
        """Every scope the token reaches: the workspace's apps."""
        return list(self._apps.values())

    def app(self, user_id: str, app_id: str) -> App:
        """Return the state of a scope the token reaches.

        Raises
        ------
        ServiceError
            HTTP 404 CONN_DOES_NOT_EXIST for any other user or app, as the
            service answers for an app the token cannot reach; nothing is
            created.
        """
        found = self._apps.get((user_id, app_id))
        if found is None:
            raise ServiceError(
                404,
                11101,
                "Resource does not exist",
                f"app {app_id!r} of user {user_id!r} does not exist or this token cannot "
                "reach it; the token reaches " + ", ".join(f"{u}/{a}" for u, a in self._apps),
            )
        return found


def check_workspace(workspace: Any) -> None:
    """Raise :class:`~clarinb.errors.SnapshotError` naming what is wrong with a workspace dict.

    Checks what the store reads (files are checked in full when they are read).
    """
    _snapshot_schema.check_workspace(workspace, deep=False)


def read_workspace(path: str | Path) -> dict[str, Any]:
    """Load a workspace JSON file, with errors that name the file and the JSON path at fault.

    Raises
    ------
    SnapshotError
        When the file is missing, not JSON or not a workspace (also a ``ValueError``).
    """
    return _snapshot_schema.read_workspace(path)
