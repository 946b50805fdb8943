from __future__ import annotations

import json
from pathlib import Path

import pytest
from tiny import APP, USER, tiny_workspace

import clarinb


def test_connect_without_a_token_uses_one_demo_emulator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CLARIFAI_PAT", raising=False)
    first = clarinb.connect(max_retries=0)
    second = clarinb.connect()
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 2
    assert "CLARIFAI_PAT is not set" in out[0]
    assert first.settings.base_url == second.settings.base_url
    assert first.settings.base_url in out[0]
    assert first.call("V2_ListEvaluations3")["eval_metrics"]


def test_connect_with_a_token_uses_the_real_api(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLARIFAI_PAT", "real-token")
    monkeypatch.setenv("CLARIFAI_USER_ID", "someone")
    monkeypatch.setenv("CLARIFAI_APP_ID", "their-app")
    monkeypatch.delenv("CLARIFAI_API_BASE", raising=False)
    client = clarinb.connect()
    assert client.settings.base_url == "https://api.clarifai.com"
    assert client.settings.user_id == "someone"


def test_connect_on_a_snapshot_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLARIFAI_PAT", "ignored-when-a-snapshot-is-given")
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(tiny_workspace()))
    client = clarinb.connect(snapshot=path)
    assert "snapshot" in capsys.readouterr().out
    assert (client.settings.user_id, client.settings.app_id) == (USER, APP)
    assert len(client.call("V2_ListInputs2")["inputs"]) == 13
    assert "ignored-when" not in repr(client)


def test_connect_on_a_missing_snapshot_says_so(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        clarinb.connect(snapshot=tmp_path / "missing.json")
