"""The snapshot (workspace) format, checked by one validator that every loader uses.

A workspace in the ``clarinb-workspace/1`` format is a JSON object with:

- ``format``: ``"clarinb-workspace/1"``; ``user_id``, ``app_id``: non-empty
  strings; ``seed`` (optional): an integer;
- the resource lists (``datasets``, ``dataset_versions``, ``inputs``, ...;
  each optional): arrays of objects, each with a non-empty string ``id``
  unique in its list (a dataset version also names its ``dataset_id``), whose
  fields have the shapes the API's messages give them (an object where the
  API has a message, an array where it has a repeated field);
- ``metrics_groups`` (optional): an object from ``"DATASET/VERSION"`` to an
  array of metrics-group objects;
- ``images`` (optional): an object from input id to the base64 of a PNG,
  JPEG, GIF, WebP or BMP image.

:func:`check_workspace` raises :class:`~clarinb.errors.SnapshotError` naming
the JSON path at fault (``inputs[3].id: missing``); :func:`read_workspace`
reads a file and checks it. ``clarinb serve --data``, ``clarinb report
--snapshot``, ``clarinb.connect(snapshot=...)`` and the emulator's store all
go through them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clarinb._images import IMAGE_KINDS, image_mime
from clarinb.errors import SnapshotError

__all__ = ["FORMAT", "RESOURCES", "check_workspace", "read_workspace"]

FORMAT = "clarinb-workspace/1"
#: Each resource list of a workspace and the API message its items are.
RESOURCES = {
    "datasets": "Dataset",
    "dataset_versions": "DatasetVersion",
    "inputs": "Input",
    "annotations": "Annotation",
    "models": "Model",
    "model_types": "ModelType",
    "evaluations": "EvalMetrics",
    "label_orders": "LabelOrder",
    "inputs_add_jobs": "InputsAddJob",
    "inputs_extraction_jobs": "InputsExtractionJob",
    "searches": "Search",
}
_HINT = "record it again with 'clarinb snapshot', or fix that entry"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _FaultError(Exception):
    """One problem at one JSON path (internal: becomes a SnapshotError)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)


def _key(path: str, key: str) -> str:
    if _NAME.match(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key)}]"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, dict) else type(value).__name__


def _want(value: Any, kind: type, path: str, what: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _FaultError(path, f"must be {what}, got {_kind(value)}")
    return value


def _text(item: dict[str, Any], key: str, path: str) -> str:
    if key not in item:
        raise _FaultError(_key(path, key), "missing")
    value = item[key]
    if not isinstance(value, str) or not value:
        raise _FaultError(_key(path, key), f"must be a non-empty string, got {_kind(value)}")
    return value


def _shapes(message: str) -> dict[str, tuple[str, str | None]]:
    """Return the fields of ``message`` that have a shape: ``(one|array|map, inner message)``."""
    found = _SHAPES.get(message)
    if found is None:
        # Imported here: the emulator package imports this module while it loads.
        from clarinb.emulator._schema import SCHEMA  # noqa: PLC0415

        found = {}
        fields = SCHEMA.get(message) or SCHEMA.get("status." + message) or {}
        for key, code in fields.items():
            kind = code.rstrip("!")
            shape = {"[": "array", "{": "map"}.get(kind[:1], "one")
            inner = kind.lstrip("[{")
            name = inner[2:] if inner.startswith("M:") else None
            if name is not None or shape != "one":
                found[key] = (shape, name)
        _SHAPES[message] = found
    return found


_SHAPES: dict[str, dict[str, tuple[str, str | None]]] = {}


class _Nested(Exception):  # noqa: N818 - internal signal, carries the path back up
    def __init__(self, problem: str) -> None:
        self.problem = problem
        self.steps: list[str | int] = []


def _message(obj: dict[str, Any], message: str) -> None:
    """Check the fields of ``obj`` whose shape the API's ``message`` fixes (recursively)."""
    shapes = _shapes(message)
    for key, value in obj.items():
        shape = shapes.get(key)
        if shape is None or value is None:
            continue
        try:
            kind, inner = shape
            if kind == "array":
                if not isinstance(value, list):
                    raise _Nested(f"must be an array, got {_kind(value)}")
                if inner is not None:
                    for i, item in enumerate(value):
                        try:
                            _object(item, inner)
                        except _Nested as nested:
                            nested.steps.append(i)
                            raise
            elif kind == "map":
                if not isinstance(value, dict):
                    raise _Nested(f"must be an object, got {_kind(value)}")
                if inner is not None:
                    for name, item in value.items():
                        try:
                            _object(item, inner)
                        except _Nested as nested:
                            nested.steps.append(str(name))
                            raise
            elif inner is not None:
                _object(value, inner)
        except _Nested as nested:
            nested.steps.append(key)
            raise


def _object(value: Any, message: str) -> None:
    if not isinstance(value, dict):
        raise _Nested(f"must be an object, got {_kind(value)}")
    _message(value, message)


def _checked(obj: dict[str, Any], message: str, path: str) -> None:
    """:func:`_message` with the path of the fault spelled out from ``path``."""
    try:
        _message(obj, message)
    except _Nested as nested:
        for step in reversed(nested.steps):
            path = f"{path}[{step}]" if isinstance(step, int) else _key(path, step)
        raise _FaultError(path, nested.problem) from None


def _resources(ws: dict[str, Any], name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for i, item in enumerate(_want(ws[name], list, name, "an array of objects")):
        yield f"{name}[{i}]", _want(item, dict, f"{name}[{i}]", "an object")


def _check_list(ws: dict[str, Any], name: str, deep: bool) -> None:
    seen: dict[tuple[str, ...], str] = {}
    for path, item in _resources(ws, name):
        key: tuple[str, ...] = (_text(item, "id", path),)
        if name == "dataset_versions":
            key = (_text(item, "dataset_id", path), *key)
            ids = item.get("_input_ids")
            if ids is not None and not (
                isinstance(ids, list) and all(isinstance(i, str) for i in ids)
            ):
                raise _FaultError(_key(path, "_input_ids"), "must be an array of strings")
        private = [k for k in item if k.startswith("_") and k != "_input_ids"]
        if private:
            raise _FaultError(_key(path, str(private[0])), "not part of the format")
        if key in seen:
            taken = "/".join(key)
            raise _FaultError(_key(path, "id"), f"{taken!r} is already the id of {seen[key]}")
        seen[key] = path
        if deep:
            _checked(item, RESOURCES[name], path)


def _check_groups(groups: Any, deep: bool) -> None:
    for version, items in _want(groups, dict, "metrics_groups", "an object").items():
        here = _key("metrics_groups", str(version))
        for i, item in enumerate(_want(items, list, here, "an array of objects")):
            group = _want(item, dict, f"{here}[{i}]", "an object")
            if deep:
                _checked(group, "DatasetVersionMetricsGroup", f"{here}[{i}]")


def _check_images(images: Any) -> None:
    what = "an object from input id to a base64 image"
    for ident, encoded in _want(images, dict, "images", what).items():
        here = _key("images", str(ident))
        _want(encoded, str, here, "a base64 string")
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise _FaultError(here, "not valid base64") from None
        if image_mime(data) is None:
            raise _FaultError(here, f"not an image (no {IMAGE_KINDS} signature)")


def _check(ws: Any, deep: bool) -> None:
    _want(ws, dict, "", "a JSON object")
    if ws.get("format") != FORMAT:
        got = json.dumps(ws.get("format"))[:40] if "format" in ws else "missing"
        raise _FaultError("format", f"must be {FORMAT!r}, got {got}")
    for key in ("user_id", "app_id"):
        _text(ws, key, "")
    seed = ws.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise _FaultError("seed", f"must be an integer, got {_kind(seed)}")
    for name in RESOURCES:
        if name in ws:
            _check_list(ws, name, deep)
    if "metrics_groups" in ws:
        _check_groups(ws["metrics_groups"], deep)
    if "images" in ws:
        _check_images(ws["images"])


def check_workspace(
    workspace: Any, *, source: str = "the workspace", deep: bool = True
) -> dict[str, Any]:
    """Check a workspace against the format; return it unchanged.

    Parameters
    ----------
    workspace : Any
        A parsed snapshot file or a workspace dict.
    source : str
        What it came from, for the message (``"snapshot file 's.json'"``).
    deep : bool
        Also check the shape of every resource's fields, all the way down
        (files are; a workspace built in code, such as the demo, need only
        hold what the store reads).

    Returns
    -------
    dict
        ``workspace``.

    Raises
    ------
    SnapshotError
        Naming the JSON path at fault and what is wrong there, e.g.
        ``snapshot file 's.json' is not valid at inputs[3].id: missing``.
    """
    try:
        _check(workspace, deep)
    except _FaultError as fault:
        raise SnapshotError(f"{source} is not a valid snapshot: {fault}; {_HINT}.") from None
    except RecursionError:
        raise SnapshotError(f"{source} is nested too deeply to be a snapshot.") from None
    return workspace


def read_workspace(path: str | Path) -> dict[str, Any]:
    """Read a snapshot file and check it against the format.

    Parameters
    ----------
    path : str or Path
        The file, as written by ``clarinb snapshot``.

    Returns
    -------
    dict
        The workspace.

    Raises
    ------
    SnapshotError
        When the file is missing, a folder, unreadable, not UTF-8 JSON, or not
        a valid workspace; the message names the file.
    """
    source = f"snapshot file {str(path)!r}"
    p = Path(path)
    try:
        data = json.loads(p.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise SnapshotError(f"{source} does not exist.") from None
    except IsADirectoryError:
        raise SnapshotError(f"{source} is a folder; give the snapshot's file.") from None
    except OSError as exc:
        raise SnapshotError(f"cannot read {source}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise SnapshotError(f"{source} is not UTF-8 text, so not a snapshot.") from None
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{source} is not JSON: {exc}.") from None
    except RecursionError:
        raise SnapshotError(f"{source} is nested too deeply to be a snapshot.") from None
    return check_workspace(data, source=source)
