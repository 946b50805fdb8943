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

from clarinb.api.client import BaseClient
from clarinb.errors import InvalidArgumentError
from clarinb.frames._parts import FLAGS, evaluation_of

__all__ = ["FORMAT", "parse_version", "take_snapshot", "write_snapshot"]

FORMAT = "clarinb-workspace/1"
_LISTS = (
    "datasets", "dataset_versions", "inputs", "annotations", "models", "model_types",
    "evaluations", "label_orders", "inputs_add_jobs", "inputs_extraction_jobs", "searches",
)  # fmt: skip
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


def _empty(client: BaseClient) -> dict[str, Any]:
    ws: dict[str, Any] = {
        "format": FORMAT,
        "user_id": client.settings.user_id,
        "app_id": client.settings.app_id,
    }
    ws.update({name: [] for name in _LISTS})
    ws["metrics_groups"] = {}
    ws["images"] = {}
    return ws


def _input_ids(evaluation: dict[str, Any]) -> list[str]:
    ids = []
    for item in evaluation.get("test_set") or ():
        ident = ((item or {}).get("input") or {}).get("id")
        if isinstance(ident, str) and ident:
            ids.append(ident)
    return list(dict.fromkeys(ids))


def _image_url(item: dict[str, Any]) -> str | None:
    url = ((item.get("data") or {}).get("image") or {}).get("url")
    return url if isinstance(url, str) and url else None


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
        body = client.call(
            "V2_GetDatasetVersion2", datasetId=dataset_id, datasetVersionId=version_id
        )
        version = dict(body.get("dataset_version") or {})
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


def _record_inputs(client: BaseClient, ws: dict[str, Any], ids: list[str], images: bool) -> None:
    def fetch(ident: str) -> tuple[dict[str, Any], bytes | None]:
        item = client.call("V2_GetInput2", inputId=ident).get("input") or {"id": ident}
        url = _image_url(item)
        return item, client.download(url) if images and url else None

    urls: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        for item, data in pool.map(fetch, ids):
            if data is not None:
                ident = str(item["id"])
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
        gt = ev.get("ground_truth_dataset") or {}
        version_id = (gt.get("version") or {}).get("id")
        if gt.get("id") and version_id:
            eval_versions.append((str(gt["id"]), str(version_id)))
        model_id = (ev.get("model") or {}).get("id")
        if model_id and all(m.get("id") != model_id for m in ws["models"]):
            ws["models"].append(client.call("V2_GetModel2", modelId=model_id)["model"])
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
    """
    text = json.dumps(workspace, separators=(",", ":"), sort_keys=True)
    if secret and secret in text:
        raise InvalidArgumentError("the snapshot would contain the token; nothing was written.")
    target = Path(path)
    target.write_text(text, encoding="utf-8")
    return target
