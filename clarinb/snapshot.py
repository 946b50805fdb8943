"""Snapshots: record what is needed to render evaluations and dataset versions, offline.

A snapshot is a workspace dict (format ``clarinb-workspace/1``, the API's
snake_case wire format) that the emulator serves as it would the real API:
``clarinb serve --data FILE`` or ``clarinb.connect(snapshot=FILE)``. It holds
each evaluation with all its ``fields.*`` parts, its model, the dataset
versions (the evaluations' own and those asked for) with their metrics groups,
and the inputs the test sets reference with their images. It never holds the
token or any header: only response bodies are kept, and the written text is
checked for the token before it is saved.

Examples
--------
>>> import clarinb  # doctest: +SKIP
>>> ws = take_snapshot(clarinb.Client(), evaluations=["my-eval"])  # doctest: +SKIP
>>> write_snapshot(ws, "snapshot.json")  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from clarinb._atomic import write_text
from clarinb._images import IMAGE_KINDS, image_mime
from clarinb._snapshot_schema import FORMAT, RESOURCES, check_workspace
from clarinb.api.client import BaseClient
from clarinb.errors import InvalidArgumentError, NotFoundError, ResponseFormatError
from clarinb.frames._parts import FLAGS, evaluation_of

__all__ = ["FORMAT", "get_version", "parse_version", "take_snapshot", "write_snapshot"]

_WORKERS = 8


def parse_version(spec: str) -> tuple[str, str]:
    """Split ``"DATASET/VERSION"`` into its two ids.

    Raises
    ------
    InvalidArgumentError
        When ``spec`` is not two non-empty ids joined by one ``/``.
    """
    parts = spec.split("/") if isinstance(spec, str) else []
    if len(parts) != 2 or not all(parts):
        raise InvalidArgumentError(
            f"a dataset version is written DATASET/VERSION (e.g. 'wildlife/v3'), not {spec!r}."
        )
    return parts[0], parts[1]


def get_version(client: BaseClient, dataset_id: str, version_id: str) -> dict[str, Any]:
    """Fetch one dataset version, or say which versions its dataset has.

    Parameters
    ----------
    client : clarinb.Client
        Where to read from.
    dataset_id, version_id : str
        The version, as in ``"DATASET/VERSION"``.

    Returns
    -------
    dict
        The ``dataset_version`` of the response.

    Raises
    ------
    NotFoundError
        When the dataset or the version does not exist; the message names the
        version, the dataset's versions and how to list them.
    """
    try:
        body = client.call(
            "V2_GetDatasetVersion2", datasetId=dataset_id, datasetVersionId=version_id
        )
    except NotFoundError as exc:
        try:
            known = [
                repr(str(v.get("id")))
                for v in client.paginate("V2_ListDatasetVersions2", datasetId=dataset_id)
            ]
        except NotFoundError:
            known = None
        if known is None:
            found = f"dataset {dataset_id!r} does not exist in this app"
        else:
            shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
            found = f"dataset {dataset_id!r} has versions {shown or '(none)'}"
        raise NotFoundError(
            http_status=exc.http_status,
            code=exc.code,
            description=f"dataset version {dataset_id}/{version_id} does not exist",
            details=f"{found}; list them with clarinb.Client().dataset_versions({dataset_id!r})",
            req_id=exc.req_id,
            response=exc.response,
        ) from None
    return dict(_obj(body, "dataset_version"))


def _empty(client: BaseClient) -> dict[str, Any]:
    ws: dict[str, Any] = {
        "format": FORMAT,
        "user_id": client.settings.user_id,
        "app_id": client.settings.app_id,
    }
    ws.update({name: [] for name in RESOURCES})
    ws["metrics_groups"] = {}
    ws["images"] = {}
    return ws


def _obj(value: Any, *path: str) -> dict[str, Any]:
    """Follow ``path`` through nested objects; ``{}`` where one is missing or not an object."""
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _input_ids(evaluation: dict[str, Any]) -> list[str]:
    entries = evaluation.get("test_set")
    if not isinstance(entries, list):
        return []
    ids = [_text(_obj(e, "input").get("id")) for e in entries]
    return list(dict.fromkeys(i for i in ids if i))


def _image_url(item: dict[str, Any]) -> str | None:
    return _text(_obj(item, "data", "image").get("url"))


def _localise(obj: Any, urls: dict[str, str]) -> Any:
    """Replace every recorded image URL by the emulator's media path for that input."""
    if isinstance(obj, dict):
        return {
            k: urls.get(v, v) if k == "url" and isinstance(v, str) else _localise(v, urls)
            for k, v in obj.items()
        }
    if isinstance(obj, list):
        return [_localise(v, urls) for v in obj]
    return obj


def _record_versions(
    client: BaseClient, ws: dict[str, Any], versions: list[tuple[str, str]]
) -> None:
    for dataset_id, version_id in dict.fromkeys(versions):
        version = get_version(client, dataset_id, version_id)
        version.setdefault("id", version_id)
        version["dataset_id"] = dataset_id
        ws["dataset_versions"].append(version)
        groups = client.paginate(
            "V2_ListDatasetVersionMetricsGroups2", datasetId=dataset_id, datasetVersionId=version_id
        )
        ws["metrics_groups"][f"{dataset_id}/{version_id}"] = list(groups)
        if all(d["id"] != dataset_id for d in ws["datasets"]):
            scope = {"user_id": ws["user_id"], "app_id": ws["app_id"]}
            ws["datasets"].append({"id": dataset_id, **scope})


def _image(client: BaseClient, ident: str, url: str) -> bytes:
    """Download an input's image; refuse a body that is not one (an error page, a status)."""
    data = client.download(url)
    if image_mime(data) is None:
        raise ResponseFormatError(
            f"the image of input {ident!r} is not an image: its {len(data)} bytes start with "
            f"{data[:24]!r} (no {IMAGE_KINDS} signature); nothing was written. Try again "
            "later, or record without images (--no-images)."
        )
    return data


def _record_inputs(client: BaseClient, ws: dict[str, Any], ids: list[str], images: bool) -> None:
    def fetch(ident: str) -> tuple[str, dict[str, Any], bytes | None]:
        item = _obj(client.call("V2_GetInput2", inputId=ident), "input") or {"id": ident}
        url = _image_url(item)
        return ident, item, _image(client, ident, url) if images and url else None

    urls: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        for ident, item, data in pool.map(fetch, ids):
            if data is not None:
                ws["images"][ident] = base64.b64encode(data).decode("ascii")
                urls[str(_image_url(item))] = f"/media/{ident}.png"
            ws["inputs"].append(item)
    if urls:
        for name in ("inputs", "evaluations"):
            ws[name] = _localise(ws[name], urls)


def take_snapshot(
    client: BaseClient,
    *,
    evaluations: Iterable[str] = (),
    dataset_versions: Iterable[str | tuple[str, str]] = (),
    images: bool = True,
) -> dict[str, Any]:
    """Record evaluations and dataset versions into a workspace dict.

    Parameters
    ----------
    client : clarinb.Client
        Where to read from: the real API or an emulator.
    evaluations : iterable of str
        Evaluation ids; each is fetched with every ``fields.*`` part, along with
        its model and the dataset version it was run on.
    dataset_versions : iterable of str or (str, str)
        More dataset versions, as ``"DATASET/VERSION"`` or pairs.
    images : bool
        Also record the image of every input the test sets reference.

    Returns
    -------
    dict
        The workspace; pass it to :func:`write_snapshot`.

    Raises
    ------
    InvalidArgumentError
        When nothing is asked for or a dataset version is malformed.
    clarinb.ApiError
        When the API refuses a request (an unknown id, a bad token).
    clarinb.ResponseFormatError
        When a downloaded image is not an image (an error body in its place).
    """
    eval_ids = list(dict.fromkeys(evaluations))
    versions = [v if isinstance(v, tuple) else parse_version(v) for v in dataset_versions]
    if not eval_ids and not versions:
        raise InvalidArgumentError("nothing to record: give evaluation ids or dataset versions.")
    ws = _empty(client)
    query = dict.fromkeys(FLAGS.values(), True)
    input_ids: list[str] = []
    eval_versions: list[tuple[str, str]] = []
    for ident in eval_ids:
        ev = evaluation_of(client.call("V2_GetEvaluation2", evaluationId=ident, query=query))
        ws["evaluations"].append(ev)
        input_ids += _input_ids(ev)
        gt = _obj(ev, "ground_truth_dataset")
        dataset_id, version_id = _text(gt.get("id")), _text(_obj(gt, "version").get("id"))
        if dataset_id and version_id:
            eval_versions.append((dataset_id, version_id))
        model_id = _text(_obj(ev, "model").get("id"))
        if model_id and all(m.get("id") != model_id for m in ws["models"]):
            model = _obj(client.call("V2_GetModel2", modelId=model_id), "model")
            if not model:
                raise ResponseFormatError(f"GetModel for {model_id!r} answered without a model.")
            ws["models"].append(model)
    _record_versions(client, ws, eval_versions + versions)
    _record_inputs(client, ws, list(dict.fromkeys(input_ids)), images)
    return ws


def write_snapshot(workspace: dict[str, Any], path: str | Path, *, secret: str = "") -> Path:
    """Write a workspace as JSON; refuse if ``secret`` (the token) occurs in it.

    Parameters
    ----------
    workspace : dict
        From :func:`take_snapshot`.
    path : str or Path
        The file to write.
    secret : str
        The token used to record it; the file is not written if it appears.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    InvalidArgumentError
        When the token would end up in the file.
    SnapshotError
        When the workspace does not follow the snapshot format.
    ClarinbError
        When the file cannot be written; a previous file there is left as it was.
    """
    text = json.dumps(workspace, separators=(",", ":"), sort_keys=True)
    if secret and secret in text:
        raise InvalidArgumentError("the snapshot would contain the token; nothing was written.")
    check_workspace(workspace, source="the recorded snapshot")
    return write_text(path, text)
