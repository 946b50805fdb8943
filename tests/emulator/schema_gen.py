"""Build ``clarinb/emulator/_schema.py`` from the clarifai-grpc message descriptors.

The emulator's serializer needs, for every message a response can contain,
which fields are 64-bit integers, wrappers, free-form JSON, timestamps,
enums, nested messages and which carry ``cl_show_if_empty``.  This module
derives that table from the protocol package (a test-only dependency) so
that the emulator itself never imports it.  ``test_schema.py`` checks the
committed table is current; regenerate with
``python tests/emulator/schema_gen.py``.
"""

from __future__ import annotations

import pprint
from pathlib import Path
from typing import Any

from clarinb.api.endpoints import ENDPOINTS

OUTPUT = Path(__file__).resolve().parents[2] / "clarinb" / "emulator" / "_schema.py"
PREFIX = "clarifai.api."
FREE_JSON = {"google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue"}
AS_STRING = {"google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask"}
WRAP64 = {"google.protobuf.UInt64Value", "google.protobuf.Int64Value"}
INT64_TYPES = {3, 4, 6, 16, 18}  # int64, uint64, fixed64, sfixed64, sint64
_SCALAR = {8: "b", 9: "x", 12: "x"}  # bool, string, bytes; other scalars are numbers


def response_class(name: str) -> Any:
    """The clarifai-grpc class of a response message named in the endpoint table."""
    from clarifai_grpc.grpc.api import service_pb2
    from clarifai_grpc.grpc.api.status import status_pb2

    return getattr(service_pb2, name, None) or getattr(status_pb2, name)


def request_class(name: str) -> Any:
    """The clarifai-grpc class of a request message named in the endpoint table."""
    from clarifai_grpc.grpc.api import service_pb2

    return getattr(service_pb2, name)


def _short(full_name: str) -> str:
    return full_name[len(PREFIX) :] if full_name.startswith(PREFIX) else full_name


def _code(field: Any, show_ext: Any) -> str | None:
    msg = field.message_type
    repeated = "[" if field.is_repeated else ""
    if msg is not None and msg.GetOptions().map_entry:
        value = msg.fields_by_name["value"]
        if value.message_type is not None and value.message_type.full_name not in FREE_JSON:
            code = "{M:" + _short(value.message_type.full_name)
        else:
            code = "{"
    elif msg is not None:
        name = msg.full_name
        if name in FREE_JSON:
            code = repeated + "j"
        elif name in AS_STRING:
            code = repeated + "t"
        elif name in WRAP64:
            code = repeated + "w64"
        elif name.startswith("google.protobuf.") and name.endswith("Value"):
            code = repeated + "w"
        else:
            code = repeated + "M:" + _short(name)
    elif field.type in INT64_TYPES:
        code = repeated + "i64"
    elif field.enum_type is not None:
        code = repeated + "e:" + _short(field.enum_type.full_name)
    else:
        code = None
    show = field.GetOptions().Extensions[show_ext]
    if show:
        return (code or repeated + _SCALAR.get(field.type, "n")) + "!"
    return code


def build_enums(schema: dict[str, dict[str, str]]) -> dict[str, dict[str, int]]:
    """Name -> number of every enum a field of ``schema`` uses."""
    from google.protobuf import descriptor_pool

    pool = descriptor_pool.Default()
    names = sorted(
        {c.strip("[!").split("e:", 1)[1] for f in schema.values() for c in f.values() if "e:" in c}
    )
    enums: dict[str, dict[str, int]] = {}
    for name in names:
        enum = pool.FindEnumTypeByName(name if name.startswith("google.") else PREFIX + name)
        enums[name] = {v.name: v.number for v in enum.values}
    return enums


def build_schema() -> dict[str, dict[str, str]]:
    """Walk every response message of the endpoint table and describe its fields."""
    from clarifai_grpc.grpc.api.utils import extensions_pb2

    show_ext = extensions_pb2.cl_show_if_empty
    schema: dict[str, dict[str, str]] = {}
    todo = [response_class(e.response_message).DESCRIPTOR for e in ENDPOINTS.values()]
    while todo:
        desc = todo.pop()
        name = _short(desc.full_name)
        if name in schema:
            continue
        fields: dict[str, str] = {}
        for field in desc.fields:
            code = _code(field, show_ext)
            if code is not None:
                fields[field.name] = code
            msg = field.message_type
            if msg is not None and msg.GetOptions().map_entry:
                msg = msg.fields_by_name["value"].message_type
            if msg is not None and not msg.full_name.startswith("google.protobuf."):
                todo.append(msg)
        schema[name] = fields
    return dict(sorted(schema.items()))


def render() -> str:
    """The text of the generated module."""
    header = (
        "# GENERATED FILE: do not edit by hand.\n"
        "# Made by tests/emulator/schema_gen.py from the clarifai-grpc message descriptors.\n"
        "# Regenerate with `python tests/emulator/schema_gen.py`.\n"
        '"""Field kinds of every message the emulator sends, for its serializer.\n\n'
        "Codes: ``M:Name`` message, ``i64`` 64-bit integer (a JSON string), ``w64``\n"
        "64-bit wrapper, ``w`` other wrapper, ``j`` free-form JSON, ``t`` timestamp or\n"
        "duration, ``e:Enum`` enum, ``n``/``b``/``x`` number/bool/string; a leading ``[``\n"
        "marks a repeated field,"
        " ``{`` a map, a trailing ``!`` a field always emitted (``cl_show_if_empty``).\n"
        "Plain scalars that are not always emitted are not listed.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
    )
    schema = build_schema()
    body = "SCHEMA: dict[str, dict[str, str]] = " + pprint.pformat(schema, width=100)
    body += "\n\n#: Name -> number of each enum named by an ``e:`` code.\n"
    body += "ENUMS: dict[str, dict[str, int]] = " + pprint.pformat(build_enums(schema), width=100)
    return header + body + "\n"


if __name__ == "__main__":
    import subprocess
    import sys

    OUTPUT.write_text(render())
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(OUTPUT)], check=False)
    print(f"wrote {OUTPUT.name}")
