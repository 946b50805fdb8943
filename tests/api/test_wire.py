"""Wire helpers: casing both ways for every protocol field, status codes by number or name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clarinb._wire import code_name, has_camel_keys, snake_keys, status_code, to_camel, to_snake


def _protocol_fields() -> list[tuple[str, str]]:
    from clarifai_grpc.grpc.api import resources_pb2, service_pb2

    pairs: dict[str, str] = {}
    seen: set[str] = set()

    def walk(message) -> None:
        if message.full_name in seen:
            return
        seen.add(message.full_name)
        for field in message.fields:
            pairs[field.name] = field.json_name
            if field.message_type is not None:
                walk(field.message_type)

    for module in (resources_pb2, service_pb2):
        for message in module.DESCRIPTOR.message_types_by_name.values():
            walk(message)
    return sorted(pairs.items())


FIELDS = _protocol_fields()


def test_every_protocol_field_converts_both_ways() -> None:
    assert len(FIELDS) > 500
    wrong = [
        (name, json) for name, json in FIELDS if to_snake(json) != name or to_camel(name) != json
    ]
    assert wrong == []


@given(st.from_regex(r"[a-z][a-z0-9]{0,6}(_[a-z]{2}[a-z0-9]{0,5}){0,4}", fullmatch=True))
def test_snake_camel_round_trip(name: str) -> None:
    # Segments of two letters or more, as every protocol name has (one-letter
    # segments like "a_b_c" are ambiguous once camelCased).
    assert to_snake(to_camel(name)) == name


def test_dotted_names() -> None:
    assert to_snake("fields.confusionMatrix") == "fields.confusion_matrix"
    assert to_camel("user_app_id.user_id") == "userAppId.userId"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (10000, 10000),
        ("10000", 10000),
        ("SUCCESS", 10000),
        ("CONN_THROTTLED", 11005),
        (11005.0, 11005),
        (None, 0),
        (True, 0),
        ("NOT_A_CODE", 0),
        ([1], 0),
    ],
)
def test_status_code(value, code) -> None:
    assert status_code(value) == code


def test_code_name() -> None:
    assert code_name(10010) == "MIXED_STATUS"
    assert code_name(1) == ""


def test_snake_keys_keeps_free_form_values() -> None:
    body = {
        "evalInfo": {"params": {"maxDets": 3}},
        "metadata": {"myKey": {"innerKey": 1}},
        "items": [{"createdAt": "t"}],
    }
    assert has_camel_keys(body)
    out = snake_keys(body)
    assert out == {
        "eval_info": {"params": {"maxDets": 3}},
        "metadata": {"myKey": {"innerKey": 1}},
        "items": [{"created_at": "t"}],
    }
    assert not has_camel_keys(out)
    assert body["evalInfo"] == {"params": {"maxDets": 3}}  # the input is not changed


@pytest.mark.parametrize(
    "value", ["²", "\u0661\u0660\u0660\u0660\u0660", "10000x", "", None, True, 1.5, [10000]]
)
def test_status_code_rejects_non_codes_without_raising(value) -> None:
    assert status_code(value) == 0
