"""From an HTTP request to a rendered response: auth, routing, scope, paging.

Routes come from the client's endpoint table (:func:`match_route`); the
handlers for each resource group register themselves with :func:`handles`.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote

from clarinb._wire import FREE_FORM_KEYS, to_snake
from clarinb.api.endpoints import Endpoint, match_route
from clarinb.emulator.bodies import check_fields, parse_body
from clarinb.emulator.errors import ServiceError, bad_request
from clarinb.emulator.store import App, Item, Store
from clarinb.emulator.wire import render, status

__all__ = ["HANDLERS", "Reply", "Request", "Seen", "dispatch", "handles", "paged"]

log = logging.getLogger("clarinb.emulator")

DEFAULT_PER_PAGE = 128
MAX_PER_PAGE = 1000
MEDIA_PREFIX = "/media/"
_FULL_PATH = re.compile(r"^/v2/users/(?P<user>[^/]+)/apps/(?P<app>[^/]+)(?P<rest>/.*)$")
_USER_PATH = re.compile(
    r"^/v2/users/(?P<user>[^/]+)(?P<rest>/(?:evaluations|models|datasets)(?:/.*)?)$"
)


class Seen(NamedTuple):
    """A routed request as received, before any checks (for tests and tools)."""

    endpoint: Endpoint
    params: dict[str, str]
    query: dict[str, list[str]]
    body: dict[str, Any]


@dataclass
class Reply:
    """A handler's answer: the body without ``status``, HTTP status and code."""

    body: dict[str, Any] = field(default_factory=dict)
    http_status: int = 200
    code: int = 10000
    details: str = ""


@dataclass
class Request:
    """One parsed API request, as handlers see it."""

    endpoint: Endpoint
    params: dict[str, str]
    query: dict[str, list[str]]
    body: dict[str, Any]
    store: Store
    app: App
    base_url: str

    def q(self, name: str, default: str | None = None) -> str | None:
        """Last value of a query parameter (snake_case name)."""
        values = self.query.get(name)
        return values[-1] if values else default

    def q_list(self, name: str) -> list[str]:
        """All values of a repeated query parameter."""
        return list(self.query.get(name, []))

    def q_bool(self, name: str) -> bool:
        """Return a boolean query parameter (``true``/``True``/``1``)."""
        return (self.q(name) or "").lower() in ("true", "1")

    def q_int(self, name: str, default: int) -> int:
        """Return an integer query parameter; HTTP 400 when it is not one."""
        value = self.q(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise bad_request(f"query parameter {name} must be an integer, not {value!r}") from None


Handler = Callable[[Request], Reply]
HANDLERS: dict[str, Handler] = {}


def handles(operation_id: str) -> Callable[[Handler], Handler]:
    """Register a function as the handler of one operation."""

    def register(fn: Handler) -> Handler:
        HANDLERS[operation_id] = fn
        return fn

    return register


def paged(req: Request, items: list[Item]) -> list[Item]:
    """Return the requested page of ``items`` (``page``/``per_page`` or a body ``pagination``)."""
    pagination = req.body.get("pagination") if isinstance(req.body, dict) else None
    if isinstance(pagination, dict):
        page = int(pagination.get("page") or 1)
        per_page = int(pagination.get("per_page") or DEFAULT_PER_PAGE)
    else:
        page = req.q_int("page", 1)
        per_page = req.q_int("per_page", DEFAULT_PER_PAGE)
    if page < 1 or per_page < 1:
        raise bad_request(f"page ({page}) and per_page ({per_page}) must be at least 1")
    per_page = min(per_page, MAX_PER_PAGE)
    start = (page - 1) * per_page
    return items[start : start + per_page]


def _absolute_media(obj: Any, base_url: str) -> Any:
    """Return ``obj`` with the emulator's media paths made absolute URLs on ``base_url``.

    Nothing is changed in place: a dict or list holding such a path is
    copied, the rest is shared. A rendering kept for later requests (a
    sealed test set, see :class:`clarinb.emulator.wire.Sealed`) may be served
    by emulators on other addresses.
    """
    if isinstance(obj, dict):
        changed: dict[str, Any] | None = None
        for key, value in obj.items():
            if key == "url" and isinstance(value, str) and value.startswith(MEDIA_PREFIX):
                new = base_url + value
            elif isinstance(value, (dict, list)):
                new = _absolute_media(value, base_url)
            else:
                continue
            if new is not value:
                changed = changed if changed is not None else dict(obj)
                changed[key] = new
        return obj if changed is None else changed
    if isinstance(obj, list):
        items = [_absolute_media(value, base_url) for value in obj]
        same = all(a is b for a, b in zip(items, obj, strict=True))
        return obj if same else items
    return obj


#: Request fields every route names in its path or query: the scope.
ROUTE_FIELDS = ("user_app_id",)


def _check_body(endpoint: Endpoint, body: dict[str, Any]) -> dict[str, Any]:
    """Return the body the operation reads; HTTP 400 naming a field it does not take.

    An operation whose route takes no body (GET, and DELETE of one resource)
    is built from the path and query alone, as the service's gateway does: a
    body repeating what the route carries (the scope, a path parameter), as
    Clarifai's own JSON client sends on DELETE, is ignored.  Any other field
    is refused, because the service would drop it without a word.
    """
    private = _private_key(body)
    if private:
        raise bad_request(f"the body has no field {private!r}")
    if not endpoint.body_keys:
        carried = {*ROUTE_FIELDS, *(to_snake(p) for p in endpoint.path_params)}
        body = {k: v for k, v in body.items() if k not in carried}
    unknown = sorted(set(body) - set(endpoint.body_keys))
    if unknown:
        accepted = ", ".join(endpoint.body_keys) or "no body"
        raise bad_request(
            f"{endpoint.operation_id} has no body field {unknown[0]!r}; it takes {accepted}"
        )
    return body


def _private_key(obj: Any) -> str | None:
    """Return the first key starting with ``_`` outside free-form JSON, if any."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key.startswith("_"):
                return str(key)
            found = None if key in FREE_FORM_KEYS else _private_key(value)
            if found:
                return found
    elif isinstance(obj, list):
        for value in obj:
            found = _private_key(value)
            if found:
                return found
    return None


def check_auth(header: str | None, pat: str) -> None:
    """Raise HTTP 401 unless the header is ``Key <pat>``."""
    if not header:
        raise ServiceError(
            401, 11009, "API key not found", "send the header 'Authorization: Key <token>'"
        )
    scheme, _, token = header.partition(" ")
    if scheme != "Key" or not hmac.compare_digest(token.strip().encode(), pat.encode()):
        raise ServiceError(401, 11008, "Invalid API key", "the token is not valid here")


def split_scope(path: str) -> tuple[str, dict[str, str]]:
    """Turn a full-form path into the table's short form and the scope it names.

    ``/v2/users/{u}/apps/{a}/inputs`` and the user-level
    ``/v2/users/{u}/evaluations`` answer like ``/v2/inputs`` and
    ``/v2/evaluations`` scoped to that user (and app).
    """
    if m := _FULL_PATH.match(path):
        return "/v2" + m["rest"], {"user_id": unquote(m["user"]), "app_id": unquote(m["app"])}
    if m := _USER_PATH.match(path):
        return "/v2" + m["rest"], {"user_id": unquote(m["user"])}
    return path, {}


def _scope(
    store: Store, query: dict[str, list[str]], body: dict[str, Any], named: dict[str, str]
) -> App:
    found = body.get("user_app_id")
    ids: dict[str, Any] = found if isinstance(found, dict) else {}
    ids = {**ids, **named}
    user = (query.get("user_app_id.user_id") or [ids.get("user_id") or store.user_id])[-1]
    app = (query.get("user_app_id.app_id") or [ids.get("app_id") or store.app_id])[-1]
    if user == "me":
        user = store.user_id
    return store.app(user, app)


def dispatch(
    store: Store,
    method: str,
    raw_path: str,
    query_string: str,
    raw_body: bytes,
    *,
    auth: str | None,
    pat: str,
    base_url: str,
    capture: Callable[[Seen], None] | None = None,
) -> tuple[int, dict[str, Any]]:
    """Answer one API request.

    Returns
    -------
    (int, dict)
        HTTP status and the JSON body (always with a ``status`` object).
    """
    try:
        check_auth(auth, pat)
        short_path, named = split_scope(raw_path)
        route = match_route(method, short_path)
        if route is None:
            raise ServiceError(
                404, 11101, "Resource does not exist", f"no route {method} {raw_path}"
            )
        endpoint, raw_params = route
        query: dict[str, list[str]] = {}
        for name, value in parse_qsl(query_string, keep_blank_values=True):
            query.setdefault(to_snake(name), []).append(value)
        params = {k: unquote(v) for k, v in raw_params.items()}
        body = parse_body(raw_body)
        if capture is not None:
            capture(Seen(endpoint, params, query, body))
        body = _check_body(endpoint, body)
        check_fields(endpoint, body)
        handler = HANDLERS.get(endpoint.operation_id)
        if handler is None:  # pragma: no cover - every operation has one (tested)
            raise ServiceError(501, 10040, "Not implemented", endpoint.operation_id)
        with store.lock:
            req = Request(
                endpoint, params, query, body, store, _scope(store, query, body, named), base_url
            )
            reply = handler(req)
            extra = {"details": reply.details} if reply.details else {}
            payload = {"status": status(reply.code, **extra), **reply.body}
            rendered = render(payload, endpoint.response_message)
        req_id = secrets.token_hex(8)
        rendered["status"]["req_id"] = req_id
        return reply.http_status, _absolute_media(rendered, base_url)
    except Exception as exc:
        if not isinstance(exc, ServiceError):
            log.exception("the emulator failed on %s %s", method, raw_path)
            exc = ServiceError(500, 98004, "Internal server issue", type(exc).__name__)
        body_out = exc.body()
        body_out["status"]["req_id"] = secrets.token_hex(8)
        return exc.http_status, body_out
