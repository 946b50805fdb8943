"""The ``clarinb`` command: help on every subcommand, one-line errors, exit codes, the demo."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from clarinb._process import port_open
from clarinb.cli import main

SUBCOMMANDS = {
    "serve": ["--data", "--port", "--faults"],
    "demo": ["--port", "--check"],
    "snapshot": ["--evaluation", "--dataset-version", "--output", "--no-images"],
    "report": ["--evaluation", "--snapshot", "--demo", "--output"],
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _no_clarifai_env(monkeypatch) -> None:
    for name in list(os.environ):
        if name.startswith("CLARIFAI_"):
            monkeypatch.delenv(name)


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_help_of_each_subcommand(name, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([name, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith(f"usage: clarinb {name}")
    for option in SUBCOMMANDS[name]:
        assert option in text, option


def test_top_level_help_lists_every_subcommand(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for name in SUBCOMMANDS:
        assert name in text


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["nonsense"],
        ["report"],  # -o is required
        ["report", "--demo", "--snapshot", "x.json", "-o", "r.html"],
        ["snapshot", "--evaluation", "e"],  # -o is required
        ["demo", "--port", "many"],
    ],
)
def test_bad_arguments_exit_2(argv, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["snapshot", "-o", "{tmp}/s.json"], "nothing to record"),
        (["snapshot", "--evaluation", "e", "-o", "{tmp}/s.json"], "set CLARIFAI_PAT"),
        (
            ["snapshot", "--demo", "--dataset-version", "v1", "-o", "{tmp}/s.json"],
            "DATASET/VERSION",
        ),
        (["snapshot", "--demo", "--evaluation", "nope", "-o", "{tmp}/s.json"], "does not exist"),
        (["report", "-o", "{tmp}/r.html"], "say what to report"),
        (["report", "--snapshot", "{tmp}/missing.json", "-o", "{tmp}/r.html"], "does not exist"),
        (["report", "--demo", "-o", "{tmp}/no/such/dir/r.html"], "cannot write"),
        (["demo", "--port", "70000"], "--port must be between"),
        (["report", "--snapshot", "{tmp}", "-o", "{tmp}/r.html"], "is a folder"),
        (["serve", "--port", "99999"], "--port must be between 0 and 65535"),
        (["serve", "--port", "-1"], "--port must be between 0 and 65535"),
        (["serve", "--host", "no such host", "--port", "0"], "cannot start the emulator"),
    ],
)
def test_clear_one_line_errors_exit_1(argv, message, tmp_path, capsys, monkeypatch) -> None:
    _no_clarifai_env(monkeypatch)
    code = main([a.replace("{tmp}", str(tmp_path)) for a in argv])
    err = capsys.readouterr().err
    assert code == 1
    assert message in err
    assert err.count("\n") == 1
    assert err.startswith(f"clarinb {argv[0]}: error: ")


@pytest.mark.parametrize(
    ("version", "says"),
    [
        ("nope/v9", "dataset 'nope' does not exist"),
        ("wildlife/v9", "dataset 'wildlife' has versions 'v3', 'v2', 'v1'"),
    ],
)
def test_report_and_snapshot_agree_on_an_unknown_dataset_version(
    version, says, tmp_path, capsys
) -> None:
    errors = []
    for command, out in [("report", "r.html"), ("snapshot", "s.json")]:
        argv = [command, "--demo", "--dataset-version", version, "-o", str(tmp_path / out)]
        assert main(argv) == 1, command
        err = capsys.readouterr().err
        assert err.startswith(f"clarinb {command}: error: ")
        assert err.count("\n") == 1
        assert f"dataset version {version} does not exist" in err
        assert says in err
        assert f".dataset_versions('{version.split('/')[0]}')" in err  # how to list them
        assert not (tmp_path / out).exists()
        errors.append(err.split(": error: ")[1].split(" [HTTP")[0])
    assert errors[0] == errors[1]


_LIMITED = (
    "import resource, sys\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))\n"
    "from clarinb.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--demo", "--evaluation", "animals-base-on-v2"],
        ["snapshot", "--demo", "--evaluation", "animals-base-on-v2"],
    ],
)
def test_a_failed_write_keeps_the_previous_file(argv, tmp_path) -> None:
    # A real failing write: the command may not write more than 1 MiB, less than
    # the report or the snapshot (Python ignores SIGXFSZ, so the write fails with EFBIG).
    target = tmp_path / "previous.out"
    target.write_bytes(b"the previous good file \x00\xff")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLARIFAI_")}
    done = subprocess.run(
        [sys.executable, "-c", _LIMITED, *argv, "-o", str(target)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert target.read_bytes() == b"the previous good file \x00\xff"
    assert [p.name for p in tmp_path.iterdir()] == ["previous.out"]
    assert done.stderr.startswith(f"clarinb {argv[0]}: error: cannot write {target}")
    assert done.stderr.count("\n") == 1, done.stderr
    assert "the previous file is unchanged" in done.stderr


def test_interrupted_command_exits_130_quietly(tmp_path, capsys, monkeypatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("clarinb.snapshot.take_snapshot", interrupted)
    assert main(["snapshot", "--demo", "--evaluation", "e", "-o", str(tmp_path / "s")]) == 130
    assert capsys.readouterr().err == ""


def test_a_closed_output_is_not_a_traceback() -> None:
    # `clarinb serve | head -1`: the reader goes away; the command ends quietly.
    code = (
        "import os, sys\n"
        "r, w = os.pipe()\n"
        "os.close(r)\n"
        "os.dup2(w, 1)\n"
        "from clarinb.cli import main\n"
        "sys.exit(main(['serve', '--port', '0']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Error" not in done.stderr


def test_unreachable_api_is_a_clear_error(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CLARIFAI_PAT", "not-a-real-token-0123456789")
    monkeypatch.setenv("CLARIFAI_USER_ID", "someone")
    monkeypatch.setenv("CLARIFAI_APP_ID", "some-app")
    monkeypatch.setenv("CLARIFAI_API_BASE", f"http://127.0.0.1:{_free_port()}")
    code = main(["report", "--evaluation", "e1", "-o", str(tmp_path / "r.html")])
    err = capsys.readouterr().err
    assert code == 1
    assert "no response" in err
    assert "not-a-real-token" not in err
    assert not (tmp_path / "r.html").exists()


def test_demo_port_in_use_is_a_clear_error(capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        code = main(["demo", "--port", str(taken.getsockname()[1])])
    assert code == 1
    assert "pick another --port" in capsys.readouterr().err


def _demo(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLARIFAI_")}
    return subprocess.Popen(
        [sys.executable, "-m", "clarinb.cli", "demo", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_demo_check_serves_the_explorer_and_exits_0() -> None:
    port = _free_port()
    proc = _demo("--port", str(port), "--check")
    try:
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, err
    assert f"the explorer answered at http://127.0.0.1:{port}/" in out
    assert not port_open(port)


def test_demo_prints_the_url_and_ctrl_c_stops_everything() -> None:
    port = _free_port()
    proc = _demo("--port", str(port))
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert (
            first.strip() == f"clarinb demo: the evaluation explorer is at http://127.0.0.1:{port}/"
        )
        assert port_open(port)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, err
    assert "stopped" in err
    deadline = time.monotonic() + 20
    while port_open(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not port_open(port)
