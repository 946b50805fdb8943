from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from tiny import APP, USER, tiny_workspace

from clarinb.cli import main


def _start(*args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "clarinb.cli", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    seen: dict[str, str] = {}
    for line in proc.stdout:
        if m := re.match(r"\s+export (\w+)=(\S+)", line):
            seen[m[1]] = m[2]
        if line.startswith("Press Ctrl-C"):
            break
    return proc, seen


def test_serve_from_a_shell_prints_what_to_use(tmp_path: Path) -> None:
    path = tmp_path / "ws.json"
    path.write_text(json.dumps(tiny_workspace()))
    proc, env = _start("--data", str(path), "--pat", "shell-token")
    try:
        assert env["CLARIFAI_PAT"] == "shell-token"
        assert env["CLARIFAI_USER_ID"] == USER
        assert env["CLARIFAI_APP_ID"] == APP
        url = env["CLARIFAI_API_BASE"]
        ok = requests.get(
            f"{url}/v2/inputs", headers={"Authorization": "Key shell-token"}, timeout=5
        )
        assert ok.status_code == 200
        assert len(ok.json()["inputs"]) == 13
        assert requests.get(f"{url}/v2/inputs", timeout=5).status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_with_a_random_token_and_faults(tmp_path: Path) -> None:
    path = tmp_path / "ws.json"
    path.write_text(json.dumps(tiny_workspace()))
    proc, env = _start("--data", str(path), "--faults", "rate=1,kinds=503")
    try:
        assert re.fullmatch(r"[0-9a-f]{32}", env["CLARIFAI_PAT"])
        got = requests.get(
            f"{env['CLARIFAI_API_BASE']}/v2/inputs",
            headers={"Authorization": f"Key {env['CLARIFAI_PAT']}"},
            timeout=5,
        )
        assert got.status_code == 503
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "no/such/file.json"], "does not exist"),
        (["--faults", "rate=7"], "between 0 and 1"),
    ],
)
def test_bad_options_are_one_line_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("clarinb serve: error:")
    assert message in err


def test_a_file_that_is_not_a_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "other"}))
    assert main(["serve", "--data", str(path)]) == 1
    assert "clarinb-workspace/1" in capsys.readouterr().err
