"""Service errors the emulator answers with, each rendering as the API's error body."""

from __future__ import annotations

from typing import Any

from clarinb.emulator.wire import status

__all__ = [
    "ServiceError",
    "bad_request",
    "conflict",
    "not_found",
]

#: Status code of "does not exist" per resource kind; others use CONN_DOES_NOT_EXIST.
NOT_FOUND_CODES = {"input": 30102, "model": 21200}
#: Status code of "already exists" per resource kind; others use DATABASE_DUPLICATE_KEY.
DUPLICATE_CODES = {"input": 30100}


class ServiceError(Exception):
    """An error response: HTTP status plus a Clarifai status code and text.

    Parameters
    ----------
    http_status : int
        HTTP status of the response.
    code : int
        Clarifai status code.
    description : str
        Short description (``status.description``).
    details : str
        Longer explanation (``status.details``).
    headers : dict, optional
        Extra response headers.
    """

    def __init__(
        self,
        http_status: int,
        code: int,
        description: str,
        details: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{code} {description}: {details}")
        self.http_status = http_status
        self.code = code
        self.description = description
        self.details = details
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """Return the response body: a ``status`` object only, like the service."""
        extra = {"details": self.details} if self.details else {}
        return {"status": status(self.code, self.description, **extra)}


def not_found(kind: str, ident: str) -> ServiceError:
    """HTTP 404 for a missing resource, with the kind's own code where it has one."""
    code = NOT_FOUND_CODES.get(kind, 11101)
    return ServiceError(
        404, code, "Resource does not exist", f"{kind} {ident!r} does not exist in this app"
    )


def conflict(kind: str, ident: str) -> ServiceError:
    """HTTP 409 for an id that is already taken."""
    code = DUPLICATE_CODES.get(kind, 40010)
    return ServiceError(409, code, "Duplicate id", f"{kind} {ident!r} already exists")


def bad_request(details: str, code: int = 11102) -> ServiceError:
    """HTTP 400 for a request the service would refuse as invalid."""
    return ServiceError(400, code, "Invalid request", details)
