"""Generate ``clarinb/_enums.py``: the name/number tables of the API's enums.

Usage::

    python scripts/gen_enums.py            # rewrite the table
    python scripts/gen_enums.py --check    # exit 1 if the table is stale

The numbers come from the protocol definitions in the ``clarifai-grpc``
package (a development-only dependency); clarinb itself never imports it.
"""

from __future__ import annotations

import argparse
import pprint
import sys
from pathlib import Path

from _format import ruff_format  # the sibling module; scripts run from this folder

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "clarinb" / "_enums.py"

# (table name in clarinb, proto module, enum path inside that module)
ENUMS = (
    ("STATUS_CODE", "clarifai_grpc.grpc.api.status.status_code_pb2", "StatusCode"),
    (
        "METRICS_GROUP_TYPE",
        "clarifai_grpc.grpc.api.resources_pb2",
        "DatasetVersionMetricsGroupType",
    ),
    ("EXPORT_FORMAT", "clarifai_grpc.grpc.api.resources_pb2", "DatasetVersionExportFormat"),
    ("REQUEST_ORIGIN", "clarifai_grpc.grpc.api.resources_pb2", "DatasetVersionRequestOrigin"),
    ("VISIBILITY", "clarifai_grpc.grpc.api.resources_pb2", "Visibility.Gettable"),
    ("EVALUATION_TYPE", "clarifai_grpc.grpc.api.resources_pb2", "EvaluationType"),
)


def read_enum(module: str, path: str) -> dict[int, str]:
    """Map each number of one enum to its first (canonical) name."""
    import importlib  # noqa: PLC0415

    mod = importlib.import_module(module)
    head, *rest = path.split(".")
    if rest:
        desc = mod.DESCRIPTOR.message_types_by_name[head].enum_types_by_name[rest[0]]
    else:
        desc = mod.DESCRIPTOR.enum_types_by_name[head]
    table: dict[int, str] = {}
    for value in desc.values:
        table.setdefault(value.number, value.name)
    return dict(sorted(table.items()))


def render() -> str:
    """Render the module text."""
    import clarifai_grpc  # noqa: PLC0415

    version = getattr(clarifai_grpc, "__version__", "unknown")
    parts = [
        "# GENERATED FILE: do not edit by hand.\n"
        "# Made by scripts/gen_enums.py from the enum definitions of clarifai-grpc "
        f"{version}.\n"
        "# Regenerate with `python scripts/gen_enums.py`.\n"
        '"""Number-to-name tables of the Clarifai API enums that clarinb reads."""\n\n'
        "from __future__ import annotations\n"
    ]
    for name, module, path in ENUMS:
        body = pprint.pformat(read_enum(module, path), width=100)
        parts.append(f"\n# {path}\n{name}: dict[int, str] = {body}\n")
    return ruff_format("".join(parts), OUT)


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the generated tables."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if the tables are stale")
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        stale = OUT.read_text(encoding="utf-8") != text
        print("stale" if stale else "up to date")
        return int(stale)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
