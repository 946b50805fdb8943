"""Snapshot files are checked against their format by every loader, naming the JSON path."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiny import tiny_workspace

import clarinb
from clarinb.cli import main
from clarinb.emulator.store import Store, read_workspace
from clarinb.errors import SnapshotError

Workspace = dict[str, Any]


def _set(path: list[Any], value: Any) -> Callable[[Workspace], Any]:
    def change(ws: Workspace) -> Any:
        target: Any = ws
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        return ws

    return change


def _drop(path: list[Any]) -> Callable[[Workspace], Any]:
    def change(ws: Workspace) -> Any:
        target: Any = ws
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]
        return ws

    return change


def _duplicate_input(ws: Workspace) -> Workspace:
    ws["inputs"][1]["id"] = ws["inputs"][0]["id"]
    return ws


THROTTLE = json.dumps({"status": {"code": 11005, "description": "Making too many requests"}})

BROKEN: list[tuple[Callable[[Workspace], Any], str]] = [
    (_drop(["inputs", 3, "id"]), "inputs[3].id: missing"),
    (_set(["images"], []), "images: must be an object from input id to a base64 image"),
    (_set(["evaluations"], [None]), "evaluations[0]: must be an object, got null"),
    (_drop(["dataset_versions", 0, "dataset_id"]), "dataset_versions[0].dataset_id: missing"),
    (_set(["format"], "other"), "format: must be 'clarinb-workspace/1'"),
    (lambda ws: [ws], "must be a JSON object, got an array"),
    (_set(["user_id"], 7), "user_id: must be a non-empty string, got a number"),
    (_set(["models"], {}), "models: must be an array of objects, got an object"),
    (_set(["annotations", 0, "id"], ""), "annotations[0].id: must be a non-empty string"),
    (_set(["inputs", 0, "data"], "x"), "inputs[0].data: must be an object, got a string"),
    (
        _set(["evaluations", 0, "test_set", 2, "predicted_concepts"], {}),
        "evaluations[0].test_set[2].predicted_concepts: must be an array, got an object",
    ),
    (
        _set(["evaluations", 0, "test_set", 2, "predicted_concepts", 1], None),
        "evaluations[0].test_set[2].predicted_concepts[1]: must be an object, got null",
    ),
    (
        _set(["metrics_groups", "pets/v1"], None),
        'metrics_groups["pets/v1"]: must be an array of objects, got null',
    ),
    (
        _set(["images", "in-00"], base64.b64encode(THROTTLE.encode()).decode()),
        'images["in-00"]: not an image',
    ),
    (_set(["images", "in-00"], "%%%"), 'images["in-00"]: not valid base64'),
    (_duplicate_input, "inputs[1].id: 'in-00' is already the id of inputs[0]"),
    (_set(["inputs", 0, "_steps"], [1]), "inputs[0]._steps: not part of the format"),
    (_set(["seed"], "7"), "seed: must be an integer, got a string"),
]


def _write(tmp_path: Path, change: Callable[[Workspace], Any]) -> Path:
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(change(tiny_workspace())))
    return path


def _one_line_error(err: str, command: str) -> str:
    assert err.startswith(f"clarinb {command}: error: "), err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("change", "where"), BROKEN)
def test_serve_names_the_path_at_fault(change, where, tmp_path, capsys) -> None:
    path = _write(tmp_path, change)
    assert main(["serve", "--data", str(path)]) == 1
    err = _one_line_error(capsys.readouterr().err, "serve")
    assert where in err
    assert str(path) in err


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("change", "where"), BROKEN)
def test_report_names_the_path_at_fault(change, where, tmp_path, capsys) -> None:
    path = _write(tmp_path, change)
    out = tmp_path / "r.html"
    assert main(["report", "--snapshot", str(path), "-o", str(out)]) == 1
    err = _one_line_error(capsys.readouterr().err, "report")
    assert where in err
    assert not out.exists()


@pytest.mark.parametrize(("change", "where"), BROKEN)
def test_connect_names_the_path_at_fault(change, where, tmp_path) -> None:
    path = _write(tmp_path, change)
    with pytest.raises(SnapshotError, match=re.escape(where)):
        clarinb.connect(snapshot=path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "is a folder"),
        (b"\xff\xfe not text", "not UTF-8"),
        (b'{"format": ', "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_files_that_cannot_be_snapshots(content, message, tmp_path, capsys) -> None:
    path = tmp_path / "snap.json"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    for argv in (["serve", "--data", str(path)], ["report", "--snapshot", str(path), "-o", "r"]):
        assert main(argv) == 1
        err = _one_line_error(capsys.readouterr().err, argv[0])
        assert message in err
    with pytest.raises(SnapshotError, match=message):
        clarinb.connect(snapshot=path)


def test_a_valid_snapshot_still_loads(tmp_path) -> None:
    path = _write(tmp_path, lambda ws: ws)
    client = clarinb.connect(snapshot=path)
    assert len(client.call("V2_ListInputs2")["inputs"]) == 13


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_change_is_loaded_or_named(data, tmp_path_factory) -> None:
    # Replace one value anywhere in a good workspace by any JSON: the file either loads
    # into the emulator's store or gives a SnapshotError, nothing else.
    ws = tiny_workspace()
    parent: Any = ws
    key: Any = data.draw(st.sampled_from(sorted(ws)))
    while isinstance(parent[key], (dict, list)) and parent[key] and data.draw(st.booleans()):
        parent = parent[key]
        key = data.draw(
            st.sampled_from(sorted(parent))
            if isinstance(parent, dict)
            else st.sampled_from(range(len(parent)))
        )
    parent[key] = data.draw(_JSON)
    path = tmp_path_factory.mktemp("fuzz") / "snap.json"
    path.write_text(json.dumps(ws))
    try:
        loaded = read_workspace(path)
    except SnapshotError:
        return
    Store(loaded)
