"""``clarinb snapshot``: record evaluations and dataset versions into a workspace file."""

from __future__ import annotations

import argparse
import os
from typing import Any

from clarinb.config import ENV_PAT
from clarinb.errors import ConfigError

__all__ = ["add_connection_options", "add_parser", "client_from_args", "run"]


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--user-id``, ``--app-id``, ``--api-base`` (the token comes from the environment)."""
    group = parser.add_argument_group(
        "connection", f"the token is read from {ENV_PAT}, never from the command line"
    )
    group.add_argument("--user-id", help="user id (default: CLARIFAI_USER_ID)")
    group.add_argument("--app-id", help="app id (default: CLARIFAI_APP_ID)")
    group.add_argument("--api-base", help="API base URL (default: CLARIFAI_API_BASE or Clarifai)")


def client_from_args(args: argparse.Namespace) -> Any:
    """Build a :class:`clarinb.Client` from the flags and ``CLARIFAI_*`` variables.

    Raises
    ------
    ConfigError
        When no token is set (with a hint to use ``--demo``).
    """
    from clarinb.client import Client  # noqa: PLC0415

    if not os.environ.get(ENV_PAT):
        raise ConfigError(f"set {ENV_PAT} (and CLARIFAI_USER_ID, CLARIFAI_APP_ID), or use --demo.")
    return Client(user_id=args.user_id, app_id=args.app_id, base_url=args.api_base)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``snapshot`` and its options."""
    parser = subparsers.add_parser(
        "snapshot",
        help="record evaluations and dataset versions into a workspace file",
        description=(
            "Record everything needed to render evaluations and dataset versions (all "
            "evaluation parts, metrics groups, test-set inputs and their images) into one "
            "JSON file, without the token. Replay it with 'clarinb serve --data FILE' or "
            "clarinb.connect(snapshot=FILE)."
        ),
    )
    parser.add_argument(
        "--evaluation", action="append", default=[], metavar="ID", help="an evaluation (repeat)"
    )
    parser.add_argument(
        "--dataset-version",
        action="append",
        default=[],
        metavar="DATASET/VERSION",
        help="a dataset version (repeat)",
    )
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
    parser.add_argument("--no-images", action="store_true", help="do not record input images")
    parser.add_argument(
        "--demo", action="store_true", help="record from the demo emulator instead of the API"
    )
    add_connection_options(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Record the snapshot and write it.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.

    Returns
    -------
    int
        0 on success.

    Raises
    ------
    clarinb.ClarinbError
        For bad ids, no token, an unreachable API, a downloaded image that is
        not one, or an unwritable file (a previous file is then left as it was).
    """
    from clarinb.snapshot import parse_version, take_snapshot, write_snapshot  # noqa: PLC0415

    if not args.evaluation and not args.dataset_version:
        raise ConfigError("nothing to record: give --evaluation ID or --dataset-version D/V.")
    versions = [parse_version(v) for v in args.dataset_version]
    emulator = None
    if args.demo:
        from clarinb._connect import connect  # noqa: PLC0415
        from clarinb.emulator import serve  # noqa: PLC0415

        emulator = serve(data="demo")
        client = connect(emulator=emulator)
    else:
        client = client_from_args(args)
    try:
        workspace = take_snapshot(
            client,
            evaluations=args.evaluation,
            dataset_versions=versions,
            images=not args.no_images,
        )
        path = write_snapshot(workspace, args.output, secret=client.settings.pat)
    finally:
        if emulator is not None:
            emulator.stop()
    counts = ", ".join(
        f"{len(workspace[k])} {k.replace('_', ' ')}"
        for k in ("evaluations", "dataset_versions", "inputs", "images")
    )
    print(f"clarinb snapshot: wrote {path} ({counts})")
    return 0
