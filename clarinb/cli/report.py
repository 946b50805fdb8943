"""``clarinb report``: one standalone HTML report (no kernel, opens offline)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from clarinb.cli.snapshot import add_connection_options, client_from_args
from clarinb.errors import ConfigError

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``report`` and its options."""
    parser = subparsers.add_parser(
        "report",
        help="write a standalone HTML report of evaluations and dataset versions",
        description=(
            "Write one HTML file (plotly.js packed inside, no CDN, no kernel) that opens with a "
            "summary (the best model, by how much with 95%% bootstrap intervals, on how many test "
            "inputs, and where the difference is beyond noise), then each evaluation (classifiers "
            "first): summary, confusion matrix, the worst and best concepts' curves, per-concept "
            "metrics with intervals and suspected label errors; the comparison, and the "
            "dataset-version overview. Read from the API (--evaluation with CLARIFAI_* set), a "
            "snapshot file, or the demo workspace."
        ),
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--snapshot", metavar="FILE", help="read from a snapshot file")
    source.add_argument("--demo", action="store_true", help="read from the demo workspace")
    parser.add_argument(
        "--evaluation",
        action="append",
        default=[],
        metavar="ID",
        help="an evaluation (repeat); with --snapshot or --demo, all of them by default",
    )
    parser.add_argument(
        "--dataset-version",
        action="append",
        default=[],
        metavar="DATASET/VERSION",
        help="another dataset version for the overview (repeat)",
    )
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="HTML file to write")
    parser.add_argument("--title", default="clarinb report", help="page title (%(default)s)")
    add_connection_options(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Write the report.

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
        For a bad snapshot, no token, an unreachable API, unknown ids (an
        unknown dataset version too, as ``clarinb snapshot`` does) or an
        unwritable file; a previous file at ``--output`` is then left as it was.
    """
    from clarinb._connect import connect  # noqa: PLC0415 - keeps `clarinb --help` fast
    from clarinb.emulator import serve  # noqa: PLC0415
    from clarinb.report import write_report  # noqa: PLC0415
    from clarinb.snapshot import get_version, parse_version  # noqa: PLC0415

    versions = [parse_version(v) for v in args.dataset_version]
    emulator = None
    if args.snapshot or args.demo:
        emulator = serve(data="demo" if args.demo else Path(args.snapshot))
        client = connect(emulator=emulator)
    elif not args.evaluation:
        raise ConfigError("say what to report: --evaluation ID, --snapshot FILE or --demo.")
    else:
        client = client_from_args(args)
    try:
        for dataset_id, version_id in versions:
            get_version(client, dataset_id, version_id)
        path = write_report(
            args.output,
            client,
            args.evaluation or None,
            dataset_versions=versions,
            title=args.title,
        )
    finally:
        if emulator is not None:
            emulator.stop()
    print(f"clarinb report: wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0
