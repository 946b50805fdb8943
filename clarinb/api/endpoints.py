"""The endpoint table as objects: one :class:`Endpoint` per Clarifai API v2 operation.

The rows live in the generated module ``_endpoints.py``; the client, its
docstrings, the emulator's routes and the table tests all read them from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from clarinb._wire import to_snake
from clarinb.api._endpoints import ROWS

__all__ = ["ENDPOINTS", "EVALUATION_FIELD_FLAGS", "EVALUATION_PARTS", "Endpoint", "match_route"]

Paging = Literal["page", "body", "last_id"]


@dataclass(frozen=True)
class Endpoint:
    """One API operation.

    Attributes
    ----------
    operation_id : str
        The operation's id, e.g. ``"V2_GetEvaluation2"``.
    method : str
        HTTP method.
    path : str
        Path template with ``{name}`` placeholders.
    group : str
        Resource family: evaluations, dataset_versions, inputs, label_orders or models.
    rpc : str
        Name of the underlying RPC (``"GetEvaluation"``).
    path_params : tuple of str
        Placeholder names, in path order.
    query_params : tuple of (str, str)
        ``(name, type)`` of each query parameter, names as in the API (``"fields.testSet"``).
    body_keys : tuple of str
        Root keys of the JSON request body (snake_case); empty when there is no body.
    list_key : str or None
        Key of the response's item list, for operations that return one.
    paging : {"page", "body", "last_id"} or None
        How the operation pages: ``page``/``perPage`` query parameters, a
        ``pagination`` object in the body, a ``lastId`` cursor, or not at all.
    request_message, response_message : str
        Names of the protocol messages of the request and the response.
    """

    operation_id: str
    method: str
    path: str
    group: str
    rpc: str
    path_params: tuple[str, ...]
    query_params: tuple[tuple[str, str], ...]
    body_keys: tuple[str, ...]
    list_key: str | None
    paging: Paging | None
    request_message: str
    response_message: str

    @property
    def has_body(self) -> bool:
        """Whether the operation takes a JSON body."""
        return bool(self.body_keys)

    @property
    def retry_safe(self) -> bool:
        """Whether repeating the request cannot change anything (GETs and searches)."""
        return self.method == "GET" or (self.method == "POST" and self.path.endswith("/searches"))

    @cached_property
    def query_types(self) -> dict[str, str]:
        """Query parameter name -> type (``string``, ``integer``, ``boolean``, ``array``)."""
        return dict(self.query_params)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Regular expression matching a concrete path of this operation."""
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(f"^{regex}$")

    def format_path(self, values: dict[str, str]) -> str:
        """Fill the path template with already-quoted values."""
        return self.path.format(**values)

    def summary(self) -> str:
        """One line describing the operation, for docstrings and reprs."""
        return f"{self.operation_id}: {self.method} {self.path}"


ENDPOINTS: dict[str, Endpoint] = {row["operation_id"]: Endpoint(**row) for row in ROWS}

#: GetEvaluation's ``fields.*`` query flags, each filling one heavy part of an evaluation.
EVALUATION_FIELD_FLAGS: tuple[str, ...] = tuple(
    name for name, _ in ENDPOINTS["V2_GetEvaluation2"].query_params if name.startswith("fields.")
)
#: The heavy parts of an EvalMetrics (snake_case keys), in the same order as the flags.
EVALUATION_PARTS: tuple[str, ...] = tuple(
    to_snake(flag.removeprefix("fields.")) for flag in EVALUATION_FIELD_FLAGS
)

# Literal segments win over placeholders: /v2/inputs/status before /v2/inputs/{inputId}.
_BY_SPECIFICITY = sorted(
    ENDPOINTS.values(),
    key=lambda e: (-e.path.count("/"), e.path.count("{"), e.path),
)


def match_route(method: str, path: str) -> tuple[Endpoint, dict[str, str]] | None:
    """Find the operation serving ``method path``.

    Parameters
    ----------
    method : str
        HTTP method.
    path : str
        Request path without the query string (still percent-encoded).

    Returns
    -------
    (Endpoint, dict) or None
        The operation and its raw path parameters, or ``None`` if nothing matches.
    """
    for endpoint in _BY_SPECIFICITY:
        if endpoint.method == method and (m := endpoint.pattern.match(path)):
            return endpoint, m.groupdict()
    return None
