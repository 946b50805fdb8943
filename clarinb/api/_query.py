"""Query-string and path encoding for API calls, checked against the endpoint table."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from clarinb._wire import to_snake
from clarinb.api.endpoints import Endpoint
from clarinb.errors import InvalidArgumentError

__all__ = ["SCOPE_QUERY", "encode_query", "fill_path", "prepare_request"]

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
            f"{endpoint.operation_id} has no path parameter {sorted(unknown)[0]!r}; its path "
            f"is {endpoint.path} (parameters: {', '.join(endpoint.path_params) or 'none'})."
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


def prepare_request(
    endpoint: Endpoint,
    query: Mapping[str, Any] | None,
    body: Mapping[str, Any] | None,
    path_params: Mapping[str, Any],
    scope: Mapping[str, str],
) -> tuple[str, list[tuple[str, str]], dict[str, Any] | None]:
    """Check and encode one call: its path, query pairs and body.

    Parameters
    ----------
    endpoint : Endpoint
        The operation.
    query, body, path_params
        As given to :meth:`clarinb.Client.call`.
    scope : mapping
        ``{"user_id": ..., "app_id": ...}``, the client's default scope.  It
        fills the ``userAppId.*`` query parameters of GETs (and of calls
        without a body) or the body's ``user_app_id``, keeping whatever part
        of the scope the caller gave.

    Returns
    -------
    (str, list of (str, str), dict or None)
        The filled path, the query pairs and a copy of the body.

    Raises
    ------
    InvalidArgumentError
        For a missing or unknown path parameter, an unknown query parameter
        or body field, or a body given to an operation that takes none.
    """
    path = fill_path(endpoint, path_params)
    pairs = encode_query(endpoint, query)
    if body is not None and not isinstance(body, Mapping):
        raise InvalidArgumentError(f"body must be a dict, not {type(body).__name__}.")
    if body is not None and not endpoint.has_body:
        raise InvalidArgumentError(
            f"{endpoint.operation_id} ({endpoint.method} {endpoint.path}) takes no body; "
            "pass its parameters as query=... instead."
        )
    payload = copy.deepcopy(dict(body)) if body is not None else None
    if payload is not None:
        unknown = [k for k in payload if to_snake(k) not in endpoint.body_keys]
        if unknown:
            raise InvalidArgumentError(
                f"{endpoint.operation_id} body has no field {unknown[0]!r}; "
                f"its fields are: {', '.join(endpoint.body_keys)}."
            )
    if endpoint.method == "GET" or not endpoint.has_body:
        given = {name for name, _ in pairs}
        for name, key in zip(SCOPE_QUERY, ("user_id", "app_id"), strict=True):
            if name not in given:
                pairs.append((name, scope[key]))
    elif "user_app_id" in endpoint.body_keys:
        payload = payload if payload is not None else {}
        key = "userAppId" if "userAppId" in payload else "user_app_id"
        mine = payload.get(key)
        if mine is None:
            payload[key] = dict(scope)
        elif isinstance(mine, dict):
            have = {to_snake(k) for k in mine}
            mine.update({k: v for k, v in scope.items() if k not in have})
        else:
            raise InvalidArgumentError(
                f"body {key!r} must be a dict like {{'user_id': ..., 'app_id': ...}}, "
                f"not {type(mine).__name__}."
            )
    return path, pairs, payload
