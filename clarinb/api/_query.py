"""Query-string and path encoding for API calls, checked against the endpoint table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from clarinb._wire import to_snake
from clarinb.api.endpoints import Endpoint
from clarinb.errors import InvalidArgumentError

__all__ = ["encode_query", "fill_path"]

SCOPE_QUERY = ("userAppId.userId", "userAppId.appId")


def _scalar(name: str, kind: str, value: Any) -> str:
    if kind == "boolean":
        if not isinstance(value, bool):
            raise InvalidArgumentError(
                f"query parameter {name!r} takes True or False, not {value!r}."
            )
        return "true" if value else "false"
    if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidArgumentError(f"query parameter {name!r} takes an int, not {value!r}.")
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, (str, int, float)):
        raise InvalidArgumentError(
            f"query parameter {name!r} takes a string or number, not {type(value).__name__}."
        )
    return str(value)


def encode_query(endpoint: Endpoint, query: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Encode query parameters for one operation.

    Parameters
    ----------
    endpoint : Endpoint
        The operation; its table row lists the accepted names and types.
    query : mapping, optional
        Values by the API's names (``"fields.confusionMatrix"``) or their
        snake_case forms (``"fields.confusion_matrix"``).  Lists repeat the
        name, booleans become ``true``/``false``, ``None`` values are left out.

    Returns
    -------
    list of (str, str)
        Name/value pairs in the API's spelling.

    Raises
    ------
    InvalidArgumentError
        For a name the operation does not take, or a value of the wrong type.
    """
    if query is None:
        return []
    if not isinstance(query, Mapping):
        raise InvalidArgumentError(f"query must be a dict, not {type(query).__name__}.")
    names = {to_snake(n): n for n in endpoint.query_types} | {n: n for n in endpoint.query_types}
    names |= {n: n for n in SCOPE_QUERY} | {to_snake(n): n for n in SCOPE_QUERY}
    pairs: list[tuple[str, str]] = []
    for given, value in query.items():
        name = names.get(given) or names.get(to_snake(given))
        if name is None:
            accepted = ", ".join(sorted(endpoint.query_types)) or "none"
            raise InvalidArgumentError(
                f"{endpoint.operation_id} takes no query parameter {given!r}; "
                f"it accepts: {accepted}."
            )
        if value is None:
            continue
        kind = endpoint.query_types.get(name, "string")
        if kind == "array":
            items = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
            pairs.extend((name, _scalar(name, "string", v)) for v in items)
        else:
            pairs.append((name, _scalar(name, kind, value)))
    return pairs


def fill_path(endpoint: Endpoint, values: Mapping[str, Any]) -> str:
    """Fill an operation's path template, percent-encoding each value.

    Raises
    ------
    InvalidArgumentError
        When a path parameter is missing, empty or unknown.
    """
    expected = set(endpoint.path_params)
    unknown = set(values) - expected
    if unknown:
        raise InvalidArgumentError(
            f"{endpoint.operation_id} has no path parameter {sorted(unknown)[0]!r}; "
            f"its path is {endpoint.path} (parameters: {', '.join(endpoint.path_params) or 'none'})."
        )
    filled: dict[str, str] = {}
    for name in endpoint.path_params:
        value = values.get(name)
        if value is None or value == "" or isinstance(value, bool):
            raise InvalidArgumentError(
                f"{endpoint.operation_id} needs the path parameter {name}=... "
                f"(a non-empty id) for {endpoint.path}."
            )
        filled[name] = quote(str(value), safe="")
    return endpoint.format_path(filled)
