"""Read proto3 JSON values defensively, naming the bad part of a body when one is wrong.

Bodies may come in snake_case or camelCase, with enums as numbers or names,
64-bit integers as strings, ``"NaN"``/``"Infinity"`` strings for floats and
zero values left out.  Every reader here takes the value and its path in the
body (``"eval_metrics.binary_metrics[3].num_pos"``) and either returns a
plain Python value or raises :class:`~clarinb.errors.ResponseFormatError`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from clarinb._wire import code_name, code_of_name, to_camel
from clarinb.errors import ResponseFormatError

__all__ = [
    "bad",
    "boolean",
    "envelope",
    "enum_name",
    "field",
    "floats",
    "integer",
    "items",
    "number",
    "obj",
    "status",
    "text",
    "timestamps",
    "uint64_array",
]

_FLOAT_WORDS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
UINT64_MAX = 2**64 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_DECIMAL = re.compile(r"-?[0-9]{1,25}")


def bad(path: str, expected: str, value: Any) -> ResponseFormatError:
    """Build the error for a value of the wrong kind at ``path``."""
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return ResponseFormatError(f"{path or 'the body'}: expected {expected}, got {shown}")


def field(d: Mapping[str, Any], key: str) -> Any:
    """``d[key]`` under its snake_case or camelCase name, ``None`` when absent."""
    value = d.get(key)
    if value is None and "_" in key:
        value = d.get(to_camel(key))
    return value


def obj(value: Any, path: str) -> dict[str, Any]:
    """Read a message: a dict, or ``{}`` when omitted."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad(path, "an object", value)
    return value


def items(value: Any, path: str) -> list[Any]:
    """Read a repeated field: a list, or ``[]`` when omitted."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise bad(path, "a list", value)
    return value


def text(value: Any, path: str) -> str:
    """Read a string field, ``""`` when omitted."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise bad(path, "a string", value)
    return value


def boolean(value: Any, path: str) -> bool:
    """Read a bool field, ``False`` when omitted."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise bad(path, "true or false", value)
    return value


def number(value: Any, path: str) -> float:
    """Read a float: a number, numeric string or ``"NaN"``/``"Infinity"``; 0.0 if omitted."""
    if value is None:
        return 0.0
    if isinstance(value, bool):
        raise bad(path, "a number", value)
    if isinstance(value, float):
        return value
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            raise bad(path, "a number in float range", value) from None
    if isinstance(value, str):
        if value in _FLOAT_WORDS:
            return _FLOAT_WORDS[value]
        try:
            return float(value)
        except ValueError:
            pass
    raise bad(path, "a number", value)


def integer(value: Any, path: str, *, lo: int = INT64_MIN, hi: int = INT64_MAX) -> int:
    """Read an integer: a number or a decimal string (64-bit ints); 0 when omitted."""
    if value is None:
        return 0
    result: int | None = None
    if isinstance(value, bool):
        result = None
    elif isinstance(value, int):
        result = value
    elif (isinstance(value, float) and value.is_integer()) or (
        isinstance(value, str) and _DECIMAL.fullmatch(value) is not None
    ):
        result = int(value)
    if result is None or not lo <= result <= hi:
        raise bad(path, f"an integer from {lo} to {hi}", value)
    return result


def enum_name(value: Any, table: Mapping[int, str], path: str) -> str:
    """Read an enum as its name: numbers are looked up, names kept; zero's name if omitted."""
    if value is None:
        return table.get(0, "")
    if isinstance(value, str) and _DECIMAL.fullmatch(value) is None:
        return value
    number_ = integer(value, path, lo=-(2**31), hi=2**31 - 1)
    return table.get(number_, str(number_))


def status(value: Any, path: str) -> tuple[int, str, str]:
    """Read a Status message as ``(code, code_name, description)``.

    The code may be a number or a name; an unknown name is kept as the name
    with code 0.
    """
    d = obj(value, path)
    raw = field(d, "code")
    description = text(field(d, "description"), f"{path}.description")
    if isinstance(raw, str) and _DECIMAL.fullmatch(raw) is None:
        return code_of_name(raw), raw, description
    code = integer(raw, f"{path}.code", lo=0, hi=2**31 - 1)
    return code, code_name(code) if code else "", description


def floats(value: Any, path: str) -> np.ndarray:
    """Read a repeated float field as a float64 array (numbers, numeric or NaN strings)."""
    values = items(value, path)
    try:
        out = np.array(values, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        for i, v in enumerate(values):
            number(v, f"{path}[{i}]")
        raise bad(path, "a list of numbers", values) from None  # pragma: no cover
    if out.ndim != 1:
        raise bad(path, "a flat list of numbers", values)
    return out


def uint64_array(value: Any, path: str) -> np.ndarray:
    """Read a repeated uint64 field (decimal strings or numbers) exactly, as uint64."""
    values = items(value, path)
    return np.array(
        [integer(v, f"{path}[{i}]", lo=0, hi=UINT64_MAX) for i, v in enumerate(values)],
        dtype=np.uint64,
    )


def timestamps(values: list[Any], path: str) -> pd.Series:
    """RFC 3339 timestamps as a UTC datetime Series; omitted ones become NaT."""
    for i, v in enumerate(values):
        if v is not None and not isinstance(v, str):
            raise bad(f"{path}[{i}]", "an RFC 3339 timestamp string", v)
    series = pd.Series(values, dtype=object)
    out = pd.to_datetime(series, utc=True, errors="coerce", format="ISO8601")
    failed = out.isna() & series.notna() & (series != "")
    if failed.any():
        i = int(np.argmax(failed.to_numpy()))
        raise bad(f"{path}[{i}]", "an RFC 3339 timestamp string", values[i])
    return out


def envelope(body: Any, key: str, what: str) -> Any:
    """Return ``body[key]`` for a response envelope, or ``body`` itself when it is the object.

    A dict holding ``key`` (in either casing) is an envelope; any other dict
    is taken to be the object; lists are returned as they are.
    """
    if isinstance(body, dict):
        inner = field(body, key)
        if inner is not None:
            return inner
        return body
    if isinstance(body, list):
        return body
    raise bad("", f"{what} (a dict or a response envelope)", body)
