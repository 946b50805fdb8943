"""Build ``clarinb/emulator/_schema.py`` from the clarifai-grpc message descriptors.

The emulator's serializer needs, for every message a response can contain,
which fields are 64-bit integers, wrappers, free-form JSON, timestamps,
enums, nested messages and which carry ``cl_show_if_empty``; its request
checks need the kind of every field of every message a request can contain.
This module derives both tables from the protocol package (a test-only
dependency) so that the emulator itself never imports it.  The values of the
enums the tables name live with the client's, in ``clarinb/_enums.py``, written
from this schema by ``scripts/gen_enums.py`` (run it after this one).  ``test_wire.py``
and ``test_hardening.py`` check the committed tables are current; regenerate
with ``python tests/emulator/schema_gen.py``.
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
INT32_TYPES = {5, 7, 13, 15, 17}  # int32, fixed32, uint32, sfixed32, sint32


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


def _code(field: Any, show_ext: Any) -> str:
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
        code = repeated + _SCALAR.get(field.type, "n")
    show = field.GetOptions().Extensions[show_ext]
    return code + "!" if show else code


def _walk(roots: list[Any], code: Any) -> dict[str, dict[str, str]]:
    """Describe every message reachable from ``roots``, fields coded by ``code``."""
    schema: dict[str, dict[str, str]] = {}
    todo = list(roots)
    while todo:
        desc = todo.pop()
        name = _short(desc.full_name)
        if name in schema:
            continue
        fields: dict[str, str] = {}
        for field in desc.fields:
            kind = code(field)
            if kind is not None:
                fields[field.name] = kind
            msg = field.message_type
            if msg is not None and msg.GetOptions().map_entry:
                msg = msg.fields_by_name["value"].message_type
            if msg is not None and not msg.full_name.startswith("google.protobuf."):
                todo.append(msg)
        schema[name] = fields
    return dict(sorted(schema.items()))


def _request_code(field: Any, show_ext: Any) -> str:
    """A field's kind for request checks: every field, 32-bit integers as ``i``."""
    code = (_code(field, show_ext) or "").rstrip("!")
    if code.lstrip("[") in ("", "n", "b", "x"):
        kind = "i" if field.type in INT32_TYPES else _SCALAR.get(field.type, "n")
        code = ("[" if field.is_repeated else "") + kind
    return code


def build_requests() -> dict[str, dict[str, str]]:
    """Walk every request message of the endpoint table and give the kind of each field."""
    from clarifai_grpc.grpc.api.utils import extensions_pb2

    show_ext = extensions_pb2.cl_show_if_empty
    roots = [request_class(e.request_message).DESCRIPTOR for e in ENDPOINTS.values()]
    return _walk(roots, lambda field: _request_code(field, show_ext))


def build_schema() -> dict[str, dict[str, str]]:
    """Walk every response message of the endpoint table and describe its fields."""
    from clarifai_grpc.grpc.api.utils import extensions_pb2

    show_ext = extensions_pb2.cl_show_if_empty
    roots = [response_class(e.response_message).DESCRIPTOR for e in ENDPOINTS.values()]
    return _walk(roots, lambda field: _code(field, show_ext))


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
        "The values of each ``e:Enum`` are in ``clarinb._enums.ENUMS``.\n"
        "Every field of each message is listed: the serializer sends no other key.\n\n"
        "``REQUEST_FIELDS`` gives the kind of every field of every message a request\n"
        "body can hold, for the emulator's request checks: the same codes, plain\n"
        "scalars included (``i`` a 32-bit integer, ``n`` a float), no ``!``.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
    )
    schema = build_schema()
    body = "SCHEMA: dict[str, dict[str, str]] = " + pprint.pformat(schema, width=100)
    body += "\n\n#: Kind of every field of every message a request body can hold.\n"
    body += "REQUEST_FIELDS: dict[str, dict[str, str]] = " + pprint.pformat(
        build_requests(), width=100
    )
    return header + body + "\n"


if __name__ == "__main__":
    import subprocess
    import sys

    OUTPUT.write_text(render())
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(OUTPUT)], check=False)
    print(f"wrote {OUTPUT.name}")
