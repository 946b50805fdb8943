"""Snapshots: recorded from the emulator, replayed by another one, same frames, no token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import clarinb
import clarinb.cli
from clarinb import connect
from clarinb.emulator import serve
from clarinb.errors import InvalidArgumentError
from clarinb.snapshot import parse_version, take_snapshot, write_snapshot

EVALS = ["animals-base-on-v2", "animals-detector-on-v2"]


@pytest.fixture(scope="module")
def source():
    with serve(data="demo") as emulator:
        yield emulator


@pytest.fixture(scope="module")
def snapshot(source, tmp_path_factory) -> Path:
    workspace = take_snapshot(
        connect(emulator=source), evaluations=EVALS, dataset_versions=["wildlife/v1"]
    )
    path = tmp_path_factory.mktemp("snap") / "snapshot.json"
    return write_snapshot(workspace, path, secret=source.pat)


def test_file_holds_the_workspace_without_the_token(source, snapshot) -> None:
    text = snapshot.read_text()
    assert source.pat not in text
    assert "authorization" not in text.lower()
    ws = json.loads(text)
    assert ws["format"] == "clarinb-workspace/1"
    assert [e["id"] for e in ws["evaluations"]] == EVALS
    assert {(v["dataset_id"], v["id"]) for v in ws["dataset_versions"]} == {
        ("wildlife", "v2"),  # the evaluations' own version
        ("wildlife", "v1"),
    }
    assert set(ws["metrics_groups"]) == {"wildlife/v1", "wildlife/v2"}
    assert {m["id"] for m in ws["models"]} == {"animals-base", "animals-detector"}
    base = ws["evaluations"][0]
    for part in ("confusion_matrix", "label_counts", "binary_metrics", "test_set"):
        assert base.get(part), part
    assert set(ws["images"]) == {i["id"] for i in ws["inputs"]}
    assert all(i["data"]["image"]["url"] == f"/media/{i['id']}.png" for i in ws["inputs"])


def test_replay_gives_the_same_frames(source, snapshot) -> None:
    live = connect(emulator=source)
    with serve(data=snapshot) as replay:
        offline = connect(emulator=replay)
        for ident in EVALS:
            a, b = live.evaluation(ident), offline.evaluation(ident)
            pd.testing.assert_frame_equal(a.binary_metrics(), b.binary_metrics())
            pd.testing.assert_frame_equal(a.metrics_by_class(), b.metrics_by_class())
            pd.testing.assert_frame_equal(a.test_set(), b.test_set())
        pd.testing.assert_frame_equal(
            live.evaluation(EVALS[0]).confusion_matrix(),
            offline.evaluation(EVALS[0]).confusion_matrix(),
        )
        for version in ("v1", "v2"):
            pd.testing.assert_frame_equal(
                live.dataset_version_metrics("wildlife", version),
                offline.dataset_version_metrics("wildlife", version),
            )
        inputs = offline.evaluation(EVALS[0]).test_set_inputs()
        url = inputs["image_url"].iloc[0]
        assert url.startswith(replay.url)
        first = inputs["input_id"].iloc[0]
        live_url = live.call("V2_GetInput2", inputId=first)["input"]["data"]["image"]["url"]
        assert offline.download(url) == live.download(live_url)


def test_connect_replays_a_snapshot(snapshot, capsys) -> None:
    client = clarinb.connect(snapshot=snapshot)
    assert "on snapshot" in capsys.readouterr().out
    assert sorted(client.evaluations()["id"]) == sorted(EVALS)


def test_write_refuses_a_workspace_holding_the_token(tmp_path) -> None:
    target = tmp_path / "leak.json"
    with pytest.raises(InvalidArgumentError, match="token"):
        write_snapshot({"note": "key s3cret-token-value"}, target, secret="s3cret-token-value")
    assert not target.exists()


def test_bad_requests_are_named(source) -> None:
    with pytest.raises(InvalidArgumentError, match="DATASET/VERSION"):
        parse_version("wildlife")
    with pytest.raises(InvalidArgumentError, match="DATASET/VERSION"):
        parse_version("a/b/c")
    with pytest.raises(InvalidArgumentError, match="nothing to record"):
        take_snapshot(connect(emulator=source))
    with pytest.raises(clarinb.NotFoundError):
        take_snapshot(connect(emulator=source), evaluations=["no-such-evaluation"])


def test_cli_records_from_the_api_named_by_the_environment(source, tmp_path) -> None:
    out = tmp_path / "cli.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLARIFAI_")}
    env.update(
        CLARIFAI_PAT=source.pat,
        CLARIFAI_USER_ID=source.user_id,
        CLARIFAI_APP_ID=source.app_id,
        CLARIFAI_API_BASE=source.url,
    )
    cmd = [sys.executable, "-m", "clarinb.cli", "snapshot", "--evaluation", EVALS[0]]
    cmd += ["--dataset-version", "wildlife/v3", "--no-images", "-o", str(out)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "1 evaluations, 2 dataset versions" in done.stdout
    text = out.read_text()
    assert source.pat not in text
    assert json.loads(text)["images"] == {}


def _environment_of(emulator, monkeypatch) -> None:
    for name in list(os.environ):
        if name.startswith("CLARIFAI_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CLARIFAI_PAT", emulator.pat)
    monkeypatch.setenv("CLARIFAI_USER_ID", emulator.user_id)
    monkeypatch.setenv("CLARIFAI_APP_ID", emulator.app_id)
    monkeypatch.setenv("CLARIFAI_API_BASE", emulator.url)


def test_a_body_that_is_not_an_image_is_refused_naming_the_input(
    tmp_path, monkeypatch, capsys
) -> None:
    with serve(data="demo") as emulator:
        ident = (
            connect(emulator=emulator).evaluation(EVALS[0]).test_set_inputs()["input_id"].iloc[3]
        )
        emulator.store.home.images[ident] = b"<html><body>Service unavailable</body></html>"
        with pytest.raises(clarinb.ResponseFormatError, match=f"input '{ident}' is not an image"):
            take_snapshot(connect(emulator=emulator), evaluations=[EVALS[0]])
        out = tmp_path / "snap.json"
        out.write_bytes(b"the previous snapshot")
        _environment_of(emulator, monkeypatch)
        code = clarinb.cli.main(["snapshot", "--evaluation", EVALS[0], "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("clarinb snapshot: error: ")
    assert err.count("\n") == 1
    assert ident in err
    assert "--no-images" in err
    assert out.read_bytes() == b"the previous snapshot"
    assert [p.name for p in tmp_path.iterdir()] == ["snap.json"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ground_truth_dataset", "wildlife"),
        ("ground_truth_dataset", {"id": "wildlife", "version": ["v2"]}),
        ("model", 5),
        ("model", {"id": {"not": "an id"}}),
        ("test_set", ["x", 3, {"input": "y"}, {"input": {"id": 7}}]),
        ("test_set", "not a list"),
    ],
)
def test_odd_shapes_from_the_api_give_typed_errors_or_a_snapshot(field, value) -> None:
    with serve(data="demo") as emulator:
        emulator.store.home.evaluations.get(EVALS[0])[field] = value
        try:
            ws = take_snapshot(connect(emulator=emulator), evaluations=[EVALS[0]], images=False)
        except clarinb.ClarinbError:
            return
    assert [e["id"] for e in ws["evaluations"]] == [EVALS[0]]
