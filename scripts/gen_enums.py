"""Generate ``clarinb/_enums.py``: the enum tables of the client and the emulator.

Usage::

    python scripts/gen_enums.py            # rewrite the tables
    python scripts/gen_enums.py --check    # exit 1 if the tables are stale

One table, ``ENUMS``, gives the name -> number of every value of each enum
clarinb reads or the emulator's messages carry (the ``e:`` codes of the
emulator's generated ``SCHEMA``, written by ``tests/emulator/schema_gen.py``:
run that first); the client's number -> name tables are derived from it in the
generated module.  The numbers come from the protocol definitions in the
``clarifai-grpc`` package (a development-only dependency); clarinb itself
never imports it.
"""

from __future__ import annotations

import argparse
import pprint
import runpy
import sys
from pathlib import Path

from _format import ruff_format  # the sibling module; scripts run from this folder

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "clarinb" / "_enums.py"
SCHEMA_FILE = ROOT / "clarinb" / "emulator" / "_schema.py"
PREFIX = "clarifai.api."

#: The client's number -> name tables: (table name in clarinb, enum name in the protocol).
TABLES = (
    ("STATUS_CODE", "status.StatusCode"),
    ("METRICS_GROUP_TYPE", "DatasetVersionMetricsGroupType"),
    ("EXPORT_FORMAT", "DatasetVersionExportFormat"),
    ("REQUEST_ORIGIN", "DatasetVersionRequestOrigin"),
    ("VISIBILITY", "Visibility.Gettable"),
    ("EVALUATION_TYPE", "EvaluationType"),
)


def schema_enums() -> set[str]:
    """Names of the enums the emulator's generated schema names with ``e:`` codes."""
    schema = runpy.run_path(str(SCHEMA_FILE))["SCHEMA"]
    return {
        code.strip("[!").split("e:", 1)[1]
        for fields in schema.values()
        for code in fields.values()
        if "e:" in code
    }


def read_enum(name: str) -> dict[str, int]:
    """Name -> number of every value of one enum, aliases included, in the protocol's order."""
    from clarifai_grpc.grpc.api import service_pb2  # noqa: F401, PLC0415 - fills the pool
    from google.protobuf import descriptor_pool  # noqa: PLC0415

    enum = descriptor_pool.Default().FindEnumTypeByName(PREFIX + name)
    return {value.name: value.number for value in enum.values}


def render() -> str:
    """Render the module text."""
    import clarifai_grpc  # noqa: PLC0415

    version = getattr(clarifai_grpc, "__version__", "unknown")
    names = sorted(schema_enums() | {enum for _, enum in TABLES})
    enums = {name: read_enum(name) for name in names}
    parts = [
        "# GENERATED FILE: do not edit by hand.\n"
        "# Made by scripts/gen_enums.py from the enum definitions of clarifai-grpc "
        f"{version}.\n"
        "# Regenerate with `python scripts/gen_enums.py`.\n"
        '"""Name/number tables of the Clarifai API enums, for the client and the emulator.\n\n'
        "``ENUMS`` is the one source: the name -> number of every value of each enum\n"
        "clarinb reads or the emulator's messages carry, keyed by the enum's name in the\n"
        "protocol.  The number -> name tables below it are read from it.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "#: Name -> number of every value (aliases too, in the protocol's order) of each enum.\n"
        f"ENUMS: dict[str, dict[str, int]] = {pprint.pformat(enums, width=100, sort_dicts=False)}\n"
        "\n\n"
        "def _by_number(enum: str) -> dict[int, str]:\n"
        '    """Map each number of one enum of ``ENUMS`` to its first (canonical) name."""\n'
        "    table: dict[int, str] = {}\n"
        "    for name, number in ENUMS[enum].items():\n"
        "        table.setdefault(number, name)\n"
        "    return dict(sorted(table.items()))\n\n\n"
    ]
    for table, enum in TABLES:
        parts.append(f"{table}: dict[int, str] = _by_number({enum!r})\n")
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
