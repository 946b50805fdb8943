"""Clarifai's own client, ``clarifai-grpc``'s JSON channel, against the emulator (test helper).

The JSON channel maps each method of the ``V2`` service onto its REST route
from the protocol's HTTP annotations, as the service's gateway does.  It
parses replies with unknown fields ignored, so :class:`JsonClient` also
keeps the raw text of every reply (a response hook on the channel's HTTP
session) and parses it strictly into the operation's response message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from wire_check import parse_raw

from clarinb.api.endpoints import ENDPOINTS

V2 = service_pb2.DESCRIPTOR.services_by_name["V2"]


def restore_field_label() -> None:
    """Give field descriptors back the ``label`` that protobuf 7 removed.

    clarifai-grpc 12.x's request printer reads ``FieldDescriptor.label``;
    derived from ``is_repeated``, it answers what older protobuf did.  On a
    protobuf that still has ``label`` this does nothing.
    """
    kind = type(resources_pb2.Concept.DESCRIPTOR.fields_by_name["id"])
    if not hasattr(kind, "label"):
        kind.label = property(  # type: ignore[attr-defined]
            lambda f: (
                FieldDescriptor.LABEL_REPEATED if f.is_repeated else FieldDescriptor.LABEL_OPTIONAL
            )
        )


restore_field_label()


def method_name(operation_id: str) -> str:
    """The ``V2`` method of an operation of the endpoint table (same request and response)."""
    name = operation_id.removeprefix("V2_").rstrip("0123456789")
    method = V2.methods_by_name[name]
    endpoint = ENDPOINTS[operation_id]
    assert method.input_type.name == endpoint.request_message, operation_id
    assert method.output_type.name == endpoint.response_message, operation_id
    return name


@dataclass
class Answer:
    """One reply as received: operation, HTTP status, raw text and its strict parse."""

    operation: str
    http_status: int
    raw: str
    message: Any

    @property
    def code(self) -> int:
        """The reply's status code."""
        return int(self.message.status.code)


class JsonClient:
    """``V2Stub`` on the JSON channel, with the token and the workspace's scope on every call."""

    def __init__(self, url: str, token: str, user_id: str, app_id: str) -> None:
        self.channel = ClarifaiChannel.get_json_channel(base_url=url)
        self.channel.session.hooks["response"].append(self._keep)
        self.stub = service_pb2_grpc.V2Stub(self.channel)
        self.metadata = (("authorization", "Key " + token),)
        self.scope = {"user_id": user_id, "app_id": app_id}
        self.answers: list[Answer] = []
        self._http: list[Any] = []

    def _keep(self, response: Any, *args: Any, **kwargs: Any) -> Any:
        self._http.append(response)
        return response

    def call(
        self, operation: str, request: dict[str, Any] | None = None, expect: int = 10000
    ) -> Any:
        """Send one request (a dict in proto JSON form) and return the strictly parsed reply.

        The workspace's ``user_app_id`` is added when the request has that
        field and names none.  The reply's status code must be ``expect``.
        """
        name = method_name(operation)
        message_class = getattr(service_pb2, ENDPOINTS[operation].request_message)
        body = dict(request or {})
        if "user_app_id" in message_class.DESCRIPTOR.fields_by_name:
            body.setdefault("user_app_id", self.scope)
        sent = json_format.ParseDict(body, message_class(), ignore_unknown_fields=False)
        self._http.clear()
        lenient = getattr(self.stub, name)(sent, metadata=self.metadata)
        assert len(self._http) == 1, f"{operation} made {len(self._http)} HTTP requests"
        http = self._http[0]
        strict = parse_raw(ENDPOINTS[operation], http.text)
        assert strict == lenient, f"{operation}: the strict and the client's parse differ"
        answer = Answer(operation, http.status_code, http.text, strict)
        self.answers.append(answer)
        status = strict.status
        assert answer.code == expect, (
            f"{operation} answered {status.code} {status.description}: {status.details}"
        )
        return strict

    def succeeded(self, operation: str) -> bool:
        """Whether some call of ``operation`` answered SUCCESS."""
        return any(a.operation == operation and a.code == 10000 for a in self.answers)
