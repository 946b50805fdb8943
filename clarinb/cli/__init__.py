"""The ``clarinb`` command: ``serve``, ``demo``, ``snapshot`` and ``report``.

Each subcommand lives in its own module of this package, which provides
``add_parser(subparsers)`` (registering its arguments) and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from clarinb._process import stop_signals
from clarinb._version import __version__
from clarinb.errors import ClarinbError

__all__ = ["main"]

SUBCOMMANDS = ("serve", "demo", "snapshot", "report")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every available subcommand."""
    parser = argparse.ArgumentParser(
        prog="clarinb",
        description="Explore Clarifai dataset versions and model evaluations.",
    )
    parser.add_argument("--version", action="version", version=f"clarinb {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"clarinb.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"clarinb.cli.{name}":
                continue
            raise
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``clarinb`` command; returns the process exit code.

    Errors clarinb raises are printed as one line on stderr with exit code 1;
    bad arguments exit with code 2 (argparse's convention); a command
    interrupted by Ctrl-C, SIGTERM or SIGHUP cleans up (no partial file, no
    server left) and exits with code 130 and no traceback (``serve`` and
    ``demo``, which run until stopped, exit with 0); one whose output was
    closed early (``clarinb serve | head -1``) exits quietly with code 1.
    """
    command = "clarinb"
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        command = f"clarinb {args.command}"
        with stop_signals():  # SIGTERM and SIGHUP end a command as Ctrl-C does, cleaned up
            return int(args.run(args) or 0)
    except ClarinbError as exc:
        print(f"{command}: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Whoever read the output has gone: say nothing more, and keep Python
        # from reporting the failed flush of stdout at exit.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
