"""``clarinb demo`` and ``clarinb serve`` stop everything on SIGINT, SIGTERM and SIGHUP."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from clarinb._process import port_open


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(condition: Callable[[], bool], what: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _catches(pid: int, *signals: int) -> bool:
    """Whether the process has handlers for all these signals (the SigCgt mask of /proc)."""
    status = Path(f"/proc/{pid}/status").read_text()
    mask = int(
        next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt")), 16
    )
    return all(mask >> (sig - 1) & 1 for sig in signals)


class Command:
    """A ``clarinb`` command in a subprocess, and every process it started."""

    def __init__(self, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLARIFAI_")}
        env["PYTHONUNBUFFERED"] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "clarinb.cli", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.seen: dict[int, psutil.Process] = {}

    def descendants(self) -> list[psutil.Process]:
        """The processes started under the command so far (remembered once seen)."""
        try:
            for child in psutil.Process(self.proc.pid).children(recursive=True):
                self.seen.setdefault(child.pid, child)
        except psutil.NoSuchProcess:
            pass
        return list(self.seen.values())

    def line(self, starts: str) -> str:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.descendants()
            if line.startswith(starts):
                return line
        raise AssertionError(f"no line starting {starts!r}")

    def stop_with(self, sig: int) -> tuple[int, str]:
        self.descendants()
        self.proc.send_signal(sig)
        _, err = self.proc.communicate(timeout=120)
        return self.proc.returncode, err

    def left_running(self) -> list[str]:
        alive = []
        for proc in self.seen.values():
            try:
                if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                    alive.append(" ".join(proc.cmdline()[:4]))
            except psutil.NoSuchProcess:
                pass
        return alive

    def kill_all(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        for proc in self.seen.values():
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        self.proc.wait(timeout=30)


@pytest.fixture
def command() -> Iterator[Callable[..., Command]]:
    started: list[Command] = []

    def start(*args: str) -> Command:
        started.append(Command(*args))
        return started[-1]

    yield start
    for cmd in started:
        cmd.kill_all()


def _assert_all_stopped(cmd: Command, code: int, err: str, port: int) -> None:
    deadline = time.monotonic() + 20
    while cmd.left_running() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert cmd.left_running() == []
    assert not port_open(port)
    assert code == 0, err
    assert "stopped" in err
    assert "Traceback" not in err


def test_demo_stops_everything_on_sighup(command) -> None:
    port = _free_port()
    cmd = command("demo", "--port", str(port))
    cmd.line("clarinb demo: the evaluation explorer is at")
    # Open the page, so that Voila has started a kernel too.
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=180) as page:
        assert b"clarinb" in page.read()
    assert any("voila" in " ".join(p.cmdline()) for p in cmd.descendants())
    assert any("ipykernel" in " ".join(p.cmdline()) for p in cmd.descendants())
    code, err = cmd.stop_with(signal.SIGHUP)
    _assert_all_stopped(cmd, code, err, port)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_demo_stops_everything_on_a_signal_during_start_up(command, sig) -> None:
    port = _free_port()
    cmd = command("demo", "--port", str(port))
    _wait(
        lambda: any("voila" in " ".join(p.cmdline()) for p in cmd.descendants()),
        "Voila to be started",
    )
    code, err = cmd.stop_with(sig)
    _assert_all_stopped(cmd, code, err, port)


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM, signal.SIGINT])
def test_serve_stops_on_a_signal(command, sig) -> None:
    port = _free_port()
    cmd = command("serve", "--port", str(port))
    cmd.line("Press Ctrl-C")
    assert port_open(port)
    code, err = cmd.stop_with(sig)
    _assert_all_stopped(cmd, code, err, port)


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_serve_stops_on_a_signal_during_start_up(command, sig) -> None:
    # Stop it while it still builds the demo workspace, once its handlers are in place.
    port = _free_port()
    cmd = command("serve", "--port", str(port), "--data", "demo")
    _wait(lambda: _catches(cmd.proc.pid, signal.SIGHUP, signal.SIGTERM), "the stop handlers", 60)
    code, err = cmd.stop_with(sig)
    _assert_all_stopped(cmd, code, err, port)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_report_stops_quietly_and_keeps_the_previous_file(command, sig, tmp_path) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(b"the previous report")
    cmd = command("report", "--demo", "-o", str(target))
    _wait(lambda: _catches(cmd.proc.pid, signal.SIGHUP, signal.SIGTERM), "the stop handlers", 60)
    code, err = cmd.stop_with(sig)
    assert (code, err) == (130, "")
    assert target.read_bytes() == b"the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    assert cmd.left_running() == []
