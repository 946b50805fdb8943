"""Child-process helpers shared by ``clarinb demo``/``serve`` and the tests that start servers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["STOP_SIGNALS", "StopSignals", "port_open", "stop_group", "stop_signals"]

#: The signals that stop a server command: Ctrl-C, ``kill`` and a closed terminal.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


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


class StopSignals:
    """Turns the first stop signal into :class:`KeyboardInterrupt` (see :func:`stop_signals`).

    Attributes
    ----------
    received : int or None
        The signal that asked to stop, once one has.
    """

    def __init__(self) -> None:
        self.received: int | None = None
        self._held = 0

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is not None:
            return  # already stopping: let the clean-up finish
        self.received = signum
        if not self._held:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def hold(self, *, then_stop: bool = True) -> Iterator[None]:
        """Defer a stop signal until the block ends.

        Start a child and record it inside such a block: a signal arriving while
        :class:`subprocess.Popen` runs would otherwise interrupt it after the
        fork and before the caller knows the child, leaving it running. Run the
        clean-up inside ``hold(then_stop=False)`` so that no signal cuts it short.

        Parameters
        ----------
        then_stop : bool
            Raise :class:`KeyboardInterrupt` when the block ends if a signal
            came during it.
        """
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
        if then_stop and not self._held and self.received is not None:
            raise KeyboardInterrupt


@contextlib.contextmanager
def stop_signals() -> Iterator[StopSignals]:
    """Make SIGINT, SIGTERM and SIGHUP stop the command as Ctrl-C does, for the ``with`` block.

    The first of them raises :class:`KeyboardInterrupt` in the main thread
    (after :meth:`StopSignals.hold` when it arrives inside one); later ones are
    ignored so that the clean-up runs to its end. The previous handlers are put
    back when the block ends. Outside the main thread nothing is installed.

    Yields
    ------
    StopSignals
        Use its :meth:`~StopSignals.hold` around starting each child.
    """
    guard = StopSignals()
    if threading.current_thread() is not threading.main_thread():
        yield guard
        return
    previous = {sig: signal.signal(sig, guard._handle) for sig in STOP_SIGNALS}
    try:
        yield guard
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
