"""``clarinb serve``: run the local emulator of the Clarifai API until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import threading
import warnings
from typing import Any

from clarinb._process import StopSignals, stop_signals
from clarinb.errors import ClarinbError, ConfigError

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``serve`` and its options."""
    parser = subparsers.add_parser(
        "serve",
        help="run the local emulator of the Clarifai API",
        description=(
            "Serve the Clarifai API v2 on this machine, from the generated demo workspace "
            "or a workspace file (such as one written by 'clarinb snapshot'), until Ctrl-C."
        ),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument(
        "--data", default="demo", metavar="demo|FILE", help="workspace to serve (default: demo)"
    )
    parser.add_argument(
        "--faults",
        default=None,
        metavar="SPEC",
        help=(
            "inject faults, e.g. "
            "'rate=0.3,seed=7,kinds=429+503+500+drop+truncate+throttle200,latency=0.02'"
        ),
    )
    parser.add_argument(
        "--pat", default=None, metavar="TOKEN", help="token to require (default: random)"
    )
    parser.add_argument(
        "--max-body-mb",
        type=float,
        default=64.0,
        metavar="MB",
        help="largest request body accepted, in megabytes; larger get HTTP 413 (default: 64)",
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, *, stop: threading.Event | None = None) -> int:
    """Start the emulator, print how to use it, and serve until interrupted.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.
    stop : threading.Event, optional
        Stops serving when set (so do SIGINT, SIGTERM and SIGHUP, at any
        moment, start-up included).

    Returns
    -------
    int
        The exit code.

    Raises
    ------
    ConfigError
        For a bad fault spec, port or address.
    SnapshotError
        For a workspace file that cannot be read or breaks the format.
    """
    if not 0 <= args.port <= 65535:
        raise ConfigError(
            f"--port must be between 0 and 65535 (0 picks a free one), not {args.port}."
        )
    with stop_signals() as guard:
        try:
            return _serve(args, stop or threading.Event(), guard)
        except KeyboardInterrupt:
            print("clarinb emulator stopped.", file=sys.stderr)
            return 0


def _serve(args: argparse.Namespace, event: threading.Event, guard: StopSignals) -> int:
    from clarinb.emulator import serve  # noqa: PLC0415 - keeps `clarinb --help` fast

    emulator = None
    try:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", UserWarning)
                # Not held: a stop while a large file loads is obeyed at once, and
                # the process ends with the half-started server's thread.
                emulator = serve(
                    host=args.host,
                    port=args.port,
                    data=args.data,
                    pat=args.pat,
                    faults=args.faults,
                    max_body_mb=args.max_body_mb,
                )
        except ClarinbError:
            raise
        except (ValueError, OSError, OverflowError) as exc:
            raise ConfigError(f"cannot start the emulator: {exc}") from None
        for warning in caught:
            print(f"clarinb serve: warning: {warning.message}", file=sys.stderr, flush=True)
        lines = [
            f"clarinb emulator serving the Clarifai API at {emulator.url}",
            f"  user id: {emulator.user_id}",
            f"  app id:  {emulator.app_id}",
            f"  token:   {emulator.pat}",
            "Use it from a shell with:",
            f"  export CLARIFAI_API_BASE={emulator.url}",
            f"  export CLARIFAI_PAT={emulator.pat}",
            f"  export CLARIFAI_USER_ID={emulator.user_id}",
            f"  export CLARIFAI_APP_ID={emulator.app_id}",
        ]
        if emulator.faults is not None:
            lines.append(f"  injecting faults: {args.faults}")
        lines.append("Press Ctrl-C to stop.")
        print("\n".join(lines), flush=True)
        while not event.wait(0.5):
            pass
        return 0
    finally:
        with guard.hold(then_stop=False):
            if emulator is not None:
                emulator.stop()
