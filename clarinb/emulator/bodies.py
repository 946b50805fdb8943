"""Request bodies: parsed with bounded nesting, then checked against the request message.

:func:`parse_body` turns the raw bytes into a snake_case dict, refusing bodies
that are not a JSON object or that nest deeper than :data:`MAX_DEPTH` levels
(the protocol's own parsers stop at 100).  :func:`check_fields` walks the
body along the request message's field kinds from the generated table
(``REQUEST_FIELDS`` in ``_schema.py``), with proto3 JSON's rules: a message is
an object, a repeated field a list, an integer a JSON integer or a string of
one, and so on; ``null`` stands for an unset field.  Fields the table does not
know are left to the dispatcher's unknown-field check.  Every refusal is an
HTTP 400 whose details name the field at fault.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from clarinb._wire import snake_keys
from clarinb.api.endpoints import Endpoint
from clarinb.emulator._schema import REQUEST_FIELDS
from clarinb.emulator.errors import ServiceError, bad_request

__all__ = ["MAX_DEPTH", "check_fields", "parse_body"]

#: Deepest nesting of objects and lists a request body may have.
MAX_DEPTH = 100
#: Status code of a body that cannot be read as the message (CONN_BAD_REQUEST_FORMAT).
FORMAT_CODE = 11100
_INTEGER = re.compile(r"^-?[0-9]+$")
_FLOAT_WORDS = frozenset({"NaN", "Infinity", "-Infinity"})


def parse_body(raw: bytes) -> dict[str, Any]:
    """Parse a request body into a dict with snake_case keys (``{}`` when empty).

    Raises
    ------
    ServiceError
        HTTP 400 when the body is not JSON, not an object or nested too deeply.
    """
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except RecursionError:
        raise _too_deep() from None
    except ValueError:
        raise bad_request("the request body is not valid JSON", FORMAT_CODE) from None
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object", FORMAT_CODE)
    if _deeper_than(body, MAX_DEPTH):
        raise _too_deep()
    result: dict[str, Any] = snake_keys(body)
    return result


def check_fields(endpoint: Endpoint, body: dict[str, Any]) -> None:
    """Check every known field of ``body`` has the JSON type of its kind.

    Raises
    ------
    ServiceError
        HTTP 400 naming the first field whose value has the wrong type.
    """
    fields = REQUEST_FIELDS.get(endpoint.request_message, {})
    try:
        _check_message(fields, body, "")
    except ServiceError as exc:
        raise bad_request(f"{endpoint.operation_id}: {exc.details}") from None


def _too_deep() -> ServiceError:
    return bad_request(f"the request body nests deeper than {MAX_DEPTH} levels", FORMAT_CODE)


def _deeper_than(obj: Any, limit: int) -> bool:
    """Whether ``obj`` nests objects and lists more than ``limit`` levels (no recursion)."""
    stack: list[tuple[Any, int]] = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _check_message(fields: dict[str, str], value: dict[str, Any], where: str) -> None:
    for key, item in value.items():
        kind = fields.get(key)
        if kind is not None:
            _check(kind, item, f"{where}.{key}" if where else key)


def _check(kind: str, value: Any, where: str) -> None:
    if value is None:
        return
    if kind.startswith("["):
        if not isinstance(value, list):
            raise _wrong(where, "a list", value)
        for n, item in enumerate(value):
            if item is None:
                raise _wrong(f"{where}[{n}]", "a value", item)
            _check(kind[1:], item, f"{where}[{n}]")
    elif kind.startswith("{"):
        if not isinstance(value, dict):
            raise _wrong(where, "an object", value)
        if kind[1:]:
            for key, item in value.items():
                _check(kind[1:], item, f"{where}.{key}")
    elif kind.startswith("M:"):
        if not isinstance(value, dict):
            raise _wrong(where, "an object", value)
        fields = REQUEST_FIELDS.get(kind[2:])
        if fields is not None:
            _check_message(fields, value, where)
    elif not _scalar_ok(kind, value):
        raise _wrong(where, _expected(kind), value)


def _expected(kind: str) -> str:
    if kind in ("x", "t"):
        return "a string"
    if kind == "b":
        return "true or false"
    if kind in ("i", "i64", "w64"):
        return "an integer"
    if kind == "n":
        return "a number"
    return "an enum name or number" if kind.startswith("e:") else "a single value"


def _scalar_ok(kind: str, value: Any) -> bool:
    if kind == "j":
        return True
    if isinstance(value, (dict, list)):
        return False
    if kind in ("x", "t"):
        return isinstance(value, str)
    if kind == "b":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return kind == "w"
    if kind in ("i", "i64", "w64"):
        if isinstance(value, str):
            return bool(_INTEGER.match(value))
        return isinstance(value, int) or (math.isfinite(value) and float(value).is_integer())
    if kind == "n":
        return not isinstance(value, str) or value in _FLOAT_WORDS or _is_float(value)
    if kind.startswith("e:"):
        return isinstance(value, (str, int))
    return True  # "w": a wrapper of any scalar


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _wrong(where: str, expected: str, value: Any) -> ServiceError:
    return bad_request(f"body field {where!r} must be {expected}, not {_describe(value)}")


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    kind = "a string" if isinstance(value, str) else "a number"
    shown = repr(value)
    return f"{kind} ({shown[:40]}{'...' if len(shown) > 40 else ''})"
