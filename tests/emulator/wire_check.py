"""Checks of emulator bodies against the clarifai-grpc messages (test-only helper)."""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd
from google.protobuf import json_format
from schema_gen import request_class, response_class  # type: ignore[import-not-found]

from clarinb._wire import to_snake
from clarinb.api.endpoints import Endpoint

_TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def parse_response(endpoint: Endpoint, body: dict[str, Any]) -> Any:
    """Parse a response body into its message, unknown fields not ignored."""
    return json_format.ParseDict(
        body, response_class(endpoint.response_message)(), ignore_unknown_fields=False
    )


def parse_raw(endpoint: Endpoint, raw: str | bytes) -> Any:
    """Parse a response body exactly as sent (JSON text) into its message, strictly."""
    return json_format.Parse(
        raw, response_class(endpoint.response_message)(), ignore_unknown_fields=False
    )


def parse_request(endpoint: Endpoint, seen: Any) -> Any:
    """Parse a request as received (path, query, body) into its message, strictly."""
    message = request_class(endpoint.request_message)()
    data = request_dict(seen.params, seen.query, seen.body, message)
    return json_format.ParseDict(data, message, ignore_unknown_fields=False)


def _zero(value: Any) -> bool:
    return value in (0, 0.0, "", False, "0") or value in ([], {})


def _same_scalar(ours: Any, canon: Any) -> bool:
    if isinstance(ours, str) and isinstance(canon, str):
        if _TS.match(ours) and _TS.match(canon):
            return bool(pd.Timestamp(ours) == pd.Timestamp(canon))
        return ours == canon
    if isinstance(ours, bool) or isinstance(canon, bool):
        return ours == canon
    if isinstance(ours, (int, float)) and isinstance(canon, (int, float)):
        return math.isclose(float(ours), float(canon), rel_tol=1e-6, abs_tol=1e-7)
    return False


def wire_differences(ours: Any, canon: Any, path: str = "") -> list[str]:
    """How ``ours`` differs from the canonical proto3 JSON of the same message.

    Extra keys are allowed only with zero values (fields the service always
    emits); everything the canonical form holds must be there, with the same
    JSON type (64-bit integers as strings, enums as numbers).
    """
    problems: list[str] = []
    if isinstance(canon, dict):
        if not isinstance(ours, dict):
            return [f"{path}: expected an object, got {ours!r}"]
        for key, value in canon.items():
            if key not in ours:
                problems.append(f"{path}.{key}: missing")
            else:
                problems += wire_differences(ours[key], value, f"{path}.{key}")
        for key in set(ours) - set(canon):
            if not _zero(ours[key]):
                problems.append(f"{path}.{key}: not in the canonical form ({ours[key]!r})")
    elif isinstance(canon, list):
        if not isinstance(ours, list) or len(ours) != len(canon):
            return [f"{path}: expected a list of {len(canon)}"]
        for n, (a, b) in enumerate(zip(ours, canon, strict=False)):
            problems += wire_differences(a, b, f"{path}[{n}]")
    elif not _same_scalar(ours, canon):
        problems.append(f"{path}: {ours!r} != canonical {canon!r}")
    return problems


def canonical(message: Any) -> dict[str, Any]:
    """The message as proto3 JSON with proto field names and numeric enums."""
    return json_format.MessageToDict(
        message, preserving_proto_field_name=True, use_integers_for_enums=True
    )


def request_dict(
    params: dict[str, str], query: dict[str, list[str]], body: dict[str, Any], message: Any
) -> dict[str, Any]:
    """The request message's JSON form from path parameters, query and body.

    Dotted query names become nested objects; values of repeated fields stay
    lists, others take the last value; ``true``/``false`` become booleans.
    """
    out: dict[str, Any] = dict(body)
    for name, value in params.items():
        out[to_snake(name)] = value
    for name, values in query.items():
        desc = message.DESCRIPTOR
        target = out
        parts = name.split(".")
        for part in parts[:-1]:
            field = desc.fields_by_name[part]
            desc = field.message_type
            target = target.setdefault(part, {})
        field = desc.fields_by_name[parts[-1]]
        converted = [{"true": True, "false": False}.get(v.lower(), v) for v in values]
        target[parts[-1]] = converted if field.is_repeated else converted[-1]
    return out
