"""Bytes the emulator serves outside the API: images, video manifests, export archives.

Like the service's media host, every path here needs the same
``Authorization: Key`` header as the API.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

from clarinb.emulator.store import App, Item, Store

__all__ = ["export_archive", "find_media", "video_manifest"]

MIMETYPES = {
    1: "application/x.clarifai-data+protobuf",
    3: "application/x.clarifai-data+json",
}
_IMAGE = re.compile(r"^/media/(?P<input>[^/]+)\.png$")
_MANIFEST = re.compile(r"^/media/(?P<input>[^/]+)/manifest\.mpd$")
_EXPORT = re.compile(r"^/media/exports/(?P<ds>[^/]+)/(?P<ver>[^/]+)/(?P<key>\w+)\.zip$")
_KEY_FORMAT = {"clarifai_data_protobuf": 1, "coco": 2, "clarifai_data_json": 3}
_FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def _entry(archive: zipfile.ZipFile, name: str, data: bytes | str) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def _coco(app: App, inputs: list[Item]) -> dict[str, Any]:
    ids = {item["id"]: n for n, item in enumerate(inputs, start=1)}
    concepts: dict[str, int] = {}
    annotations: list[dict[str, Any]] = []
    for annotation in app.annotations:
        if annotation.get("input_id") not in ids:
            continue
        for region in (annotation.get("data") or {}).get("regions") or []:
            box = (region.get("region_info") or {}).get("bounding_box")
            for concept in (region.get("data") or {}).get("concepts") or []:
                category = concepts.setdefault(concept.get("id", ""), len(concepts) + 1)
                entry: dict[str, Any] = {
                    "id": len(annotations) + 1,
                    "image_id": ids[annotation["input_id"]],
                    "category_id": category,
                }
                if box:
                    top, left = box.get("top_row", 0.0), box.get("left_col", 0.0)
                    entry["bbox"] = [
                        left,
                        top,
                        box.get("right_col", 0.0) - left,
                        box.get("bottom_row", 0.0) - top,
                    ]
                annotations.append(entry)
    images = [{"id": n, "file_name": f"{ident}.png"} for ident, n in ids.items()]
    categories = [{"id": n, "name": name} for name, n in concepts.items()]
    return {"images": images, "annotations": annotations, "categories": categories}


def export_archive(app: App, version: Item, fmt: int) -> bytes:
    """Return the ZIP archive of a dataset version export.

    Clarifai formats hold a ``mimetype`` entry and JSON batches of inputs
    (``{"inputs": [{"id", "data"}]}``); COCO holds one ``annotations.json``.
    The protobuf format is written with JSON batches too (the emulator has no
    protobuf encoder), under the protobuf mimetype.
    """
    ids = set(version.get("_input_ids") or [i["id"] for i in app.inputs])
    inputs = [i for i in app.inputs if i["id"] in ids]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if fmt == 2:
            _entry(archive, "annotations.json", json.dumps(_coco(app, inputs)))
        else:
            _entry(archive, "mimetype", MIMETYPES[fmt])
            batch = [{"id": i["id"], "data": i.get("data", {})} for i in inputs]
            _entry(archive, "batch-0.json", json.dumps({"inputs": batch}))
    return buffer.getvalue()


def video_manifest(item: Item) -> str:
    """Return a minimal MPEG-DASH manifest for a video input."""
    url = str(((item.get("data") or {}).get("video") or {}).get("url") or "")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static">\n'
        f'  <Period><AdaptationSet mimeType="video/mp4"><Representation id="{item["id"]}">'
        f"<BaseURL>{url}</BaseURL></Representation></AdaptationSet></Period>\n</MPD>\n"
    )


def find_media(store: Store, path: str) -> tuple[str, bytes] | None:
    """Content type and bytes served at ``path``, or ``None`` when there is nothing."""
    apps = [store.home, *(a for a in store.apps() if a is not store.home)]
    if m := _IMAGE.match(path):
        for app in apps:
            if m["input"] in app.images:
                return "image/png", app.images[m["input"]]
    elif m := _MANIFEST.match(path):
        for app in apps:
            item = app.inputs.find(m["input"])
            if item is not None and (item.get("data") or {}).get("video"):
                return "application/dash+xml", video_manifest(item).encode()
    elif (m := _EXPORT.match(path)) and m["key"] in _KEY_FORMAT:
        for app in apps:
            version = app.dataset_versions.find(app.version_key(m["ds"], m["ver"]))
            if version is not None:
                return "application/zip", export_archive(app, version, _KEY_FORMAT[m["key"]])
    return None
