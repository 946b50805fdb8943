"""The emulator's one serializer: Python dicts to the JSON the REST API sends.

Every response body goes through :func:`render`, which applies proto3 JSON
rules using the generated field table in ``_schema.py``: keys that are not
fields of the message are never sent, zero values are left out except for
fields the service always emits, 64-bit integers become
strings, floats that are not finite become ``"NaN"``/``"Infinity"``, and
free-form JSON (``Struct``/``Value``) is passed through untouched.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

from clarinb._enums import ENUMS
from clarinb._wire import code_name
from clarinb.emulator._schema import SCHEMA

__all__ = ["Sealed", "is_zero", "render", "status", "timestamp"]

_DEFAULTS: dict[str, Any] = {"n": 0, "b": False, "x": "", "i64": "0"}
_DESCRIPTIONS = {
    10000: "Ok",
    10010: "Mixed Success",
    11005: "Making too many requests",
    11008: "Invalid API key",
    11009: "API key not found",
    11101: "Resource does not exist",
    11102: "Invalid request",
    21300: "Model is evaluated",
    21301: "Model is evaluating",
    21303: "Model is queued for evaluation",
    21315: "Model evaluation requires labeled inputs",
    64005: "Dataset version pending",
    64010: "Dataset version in progress",
    64015: "Dataset version ready",
    64200: "Dataset version export completed",
    64201: "Dataset version export pending",
}


class Sealed(list[Any]):
    """A stored list that never changes once stored (a finished evaluation's test set).

    :func:`render` renders it once per message type and answers later
    requests from that copy: a test set of thousands of entries is the
    slowest thing the emulator sends, and the same one is asked for again and
    again. Changing a sealed list raises :class:`TypeError`.
    """

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items)
        self._rendered: dict[str, list[Any]] = {}

    def _sealed(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a sealed list does not change; store a new list instead")

    append = extend = insert = remove = pop = clear = sort = reverse = _sealed
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _sealed

    def __reduce__(self) -> tuple[Any, ...]:
        return (Sealed, (list(self),))

    def __copy__(self) -> Sealed:
        return Sealed(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> Sealed:
        from copy import deepcopy  # noqa: PLC0415

        return Sealed(deepcopy(list(self), memo))

    def rendered(self, kind: str) -> list[Any]:
        """Return the items rendered as ``kind`` (a ``"M:Message"`` or scalar code), once."""
        found = self._rendered.get(kind)
        if found is None:
            found = self._rendered[kind] = [_one(kind, v) for v in self]
        return found


def timestamp(when: datetime | None = None) -> str:
    """Return an RFC 3339 UTC timestamp with microseconds, as the service writes them."""
    when = when or datetime.now(timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def status(code: int, description: str | None = None, **extra: Any) -> dict[str, Any]:
    """Return a ``Status`` object: numeric code, description and any extra fields."""
    if description is None:
        description = _DESCRIPTIONS.get(code) or code_name(code).replace("_", " ").capitalize()
    return {"code": code, "description": description, **extra}


def is_zero(value: Any) -> bool:
    """Whether proto3 JSON would leave this scalar or list out as a default value."""
    if value is None or value is False or value in ("", [], {}):
        return True
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0


def _float(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def _int64(value: Any) -> str:
    if isinstance(value, str):
        return value
    return str(int(value))


def _scalar(kind: str, value: Any) -> Any:
    if kind in ("i64", "w64"):
        return _int64(value)
    if kind == "j":
        return value
    if kind.startswith("e:") and isinstance(value, str):
        # Enums go out as numbers, as the service sends them; names are accepted.
        return ENUMS.get(kind[2:], {}).get(value, value)
    return _float(value)


def _one(kind: str, value: Any) -> Any:
    if kind.startswith("M:"):
        return render(value, kind[2:]) if isinstance(value, dict) else value
    return _scalar(kind, value)


def _field(code: str, value: Any) -> tuple[bool, Any]:
    """Return ``(emit, rendered)`` for one field of a message."""
    show = code.endswith("!")
    kind = code.rstrip("!")
    if kind.startswith("{"):
        inner = kind[1:]
        if not isinstance(value, dict) or (not value and not show):
            return (show or bool(value), value if value is not None else {})
        return (True, {k: _one(inner, v) if inner else v for k, v in value.items()})
    if kind.startswith("["):
        items = value if isinstance(value, list) else ([] if value is None else [value])
        if not items and not show:
            return (False, None)
        if isinstance(items, Sealed):
            return (True, items.rendered(kind[1:]))
        return (True, [_one(kind[1:], v) for v in items])
    if value is None:
        return (show, _DEFAULTS.get(kind, {}) if show else None)
    if kind.startswith("M:") or kind in ("j", "w", "w64", "t"):
        # Messages, wrappers and free JSON are emitted whenever they are set.
        return (True, _one(kind, value))
    rendered = _one(kind, value)
    zero = is_zero(value) or is_zero(rendered) or (kind == "i64" and rendered == "0")
    if zero and not show:
        return (False, None)
    return (True, rendered)


def render(obj: dict[str, Any], message: str) -> dict[str, Any]:
    """Render a resource or response dict as the named message's JSON.

    Parameters
    ----------
    obj : dict
        The value, snake_case keys.  Only the message's own fields are sent:
        any other key (the store's ``_`` bookkeeping, or a field the message
        does not have) is left out, so a strict parser always accepts the output.
    message : str
        Message name as in the schema (``"EvalMetrics"``, ``"MultiInputResponse"``).

    Returns
    -------
    dict
        A new dict ready for ``json.dumps``.
    """
    fields = SCHEMA.get(message) or SCHEMA.get("status." + message, {})
    out: dict[str, Any] = {}
    for key, value in obj.items():
        code = fields.get(key)
        if code is None:
            continue
        emit, rendered = _field(code, value)
        if emit:
            out[key] = rendered
    for key, code in fields.items():
        if code.endswith("!") and key not in out:
            emit, rendered = _field(code, None)
            if emit:
                out[key] = rendered
    return out
