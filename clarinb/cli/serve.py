"""``clarinb serve``: run the local emulator of the Clarifai API until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import threading
import warnings
from typing import Any

from clarinb.errors import ConfigError

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
        Stops serving when set (Ctrl-C does too).

    Returns
    -------
    int
        The exit code.

    Raises
    ------
    ConfigError
        For a bad workspace file, fault spec or address.
    """
    from clarinb.emulator import serve  # noqa: PLC0415 - keeps `clarinb --help` fast

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            emulator = serve(
                host=args.host,
                port=args.port,
                data=args.data,
                pat=args.pat,
                faults=args.faults,
                max_body_mb=args.max_body_mb,
            )
    except (ValueError, OSError) as exc:
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
    event = stop or threading.Event()
    try:
        while not event.wait(0.5):
            pass
    except KeyboardInterrupt:
        print("clarinb emulator stopped.", file=sys.stderr)
    finally:
        emulator.stop()
    return 0
