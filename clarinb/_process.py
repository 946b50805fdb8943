"""Child-process helpers shared by ``clarinb demo`` and the tests that start servers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess

__all__ = ["port_open", "stop_group"]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def stop_group(proc: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """Stop a process started with ``start_new_session=True``, and all its children.

    Sends SIGTERM to the process group, then SIGKILL if it is still running
    after ``timeout`` seconds.
    """
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass
