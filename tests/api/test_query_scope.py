"""Query encoding, path parameters, body checks and the user/app scope."""

from __future__ import annotations

import pytest

from clarinb.errors import InvalidArgumentError


def sent_query(server):
    (request,) = server.requests
    return request.query


def test_dotted_names_and_booleans(server, client) -> None:
    client.call(
        "V2_GetEvaluation2",
        evaluationId="e1",
        query={"fields.confusionMatrix": True, "fields.testSet": False},
    )
    assert sent_query(server)[:2] == [
        ("fields.confusionMatrix", "true"),
        ("fields.testSet", "false"),
    ]


def test_snake_case_aliases_are_accepted(server, client) -> None:
    client.call(
        "V2_GetEvaluation2",
        evaluationId="e1",
        query={"fields.confusion_matrix": True, "fields.binary_metrics": True},
    )
    assert sent_query(server)[:2] == [
        ("fields.confusionMatrix", "true"),
        ("fields.binaryMetrics", "true"),
    ]


def test_lists_repeat_the_name(server, client) -> None:
    client.call("V2_ListEvaluations3", query={"conceptIds": ["a", "b", "c"], "per_page": 5})
    assert sent_query(server)[:4] == [
        ("conceptIds", "a"),
        ("conceptIds", "b"),
        ("conceptIds", "c"),
        ("perPage", "5"),
    ]


def test_a_single_value_for_a_list_parameter_is_one_item(server, client) -> None:
    client.call("V2_ListEvaluations3", query={"conceptIds": "a"})
    assert sent_query(server)[0] == ("conceptIds", "a")


def test_none_values_are_left_out(server, client) -> None:
    client.call("V2_ListEvaluations3", query={"modelTypeId": None, "page": 2})
    assert sent_query(server)[0] == ("page", "2")


def test_values_are_percent_encoded(server, client) -> None:
    client.call("V2_ListModels3", query={"search": "a&b=c d"})
    assert ("search", "a&b=c d") in sent_query(server)


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ({"fields.nope": True}, "fields.nope"),
        ({"confusionMatrix": True}, "confusionMatrix"),
        ({"fields.confusionMatrix": "yes"}, "True or False"),
        ({"fields.confusionMatrix": 1}, "True or False"),
    ],
)
def test_bad_query_is_rejected_with_the_accepted_names(server, client, query, match) -> None:
    with pytest.raises(InvalidArgumentError, match=match) as caught:
        client.call("V2_GetEvaluation2", evaluationId="e1", query=query)
    if "nope" in str(query) or "confusionMatrix': True" in str(query):
        assert "fields.confusionMatrix" in str(caught.value)
    assert server.requests == []


def test_integer_parameters_take_ints(server, client) -> None:
    with pytest.raises(InvalidArgumentError, match="int"):
        client.call("V2_ListInputs2", query={"page": "2"})
    with pytest.raises(InvalidArgumentError, match="int"):
        client.call("V2_ListInputs2", query={"page": True})
    assert server.requests == []


def test_query_must_be_a_dict(server, client) -> None:
    with pytest.raises(InvalidArgumentError, match="dict"):
        client.call("V2_ListInputs2", query=[("page", 1)])


def test_get_scope_goes_in_the_query(server, client) -> None:
    client.call("V2_GetInput2", inputId="i1")
    assert sent_query(server) == [("userAppId.userId", "u1"), ("userAppId.appId", "a1")]


def test_callers_query_scope_is_kept(server, client) -> None:
    client.call("V2_GetInput2", inputId="i1", query={"userAppId.appId": "other"})
    assert sent_query(server) == [("userAppId.appId", "other"), ("userAppId.userId", "u1")]


def test_callers_snake_case_query_scope_is_kept(server, client) -> None:
    client.call(
        "V2_GetInput2", inputId="i1", query={"user_app_id.user_id": "me", "user_app_id.app_id": "x"}
    )
    assert sent_query(server) == [("userAppId.userId", "me"), ("userAppId.appId", "x")]


def test_body_scope_is_filled(server, client) -> None:
    client.call("V2_PostInputs2", body={"inputs": []})
    (request,) = server.requests
    assert request.body == {"inputs": [], "user_app_id": {"user_id": "u1", "app_id": "a1"}}
    assert request.query == []


def test_callers_body_scope_is_kept_and_completed(server, client) -> None:
    client.call("V2_PostInputs2", body={"inputs": [], "user_app_id": {"app_id": "other"}})
    assert server.requests[0].body["user_app_id"] == {"app_id": "other", "user_id": "u1"}


def test_callers_camelcase_body_scope_is_kept(server, client) -> None:
    client.call("V2_PostInputs2", body={"inputs": [], "userAppId": {"userId": "x", "appId": "y"}})
    body = server.requests[0].body
    assert body["userAppId"] == {"userId": "x", "appId": "y"}
    assert "user_app_id" not in body


def test_body_scope_that_is_not_a_dict_is_rejected(server, client) -> None:
    with pytest.raises(InvalidArgumentError, match="user_app_id"):
        client.call("V2_PostInputs2", body={"inputs": [], "user_app_id": "u1/a1"})


def test_delete_without_body_puts_scope_in_the_query(server, client) -> None:
    client.call("V2_DeleteModel2", modelId="m")
    (request,) = server.requests
    assert request.method == "DELETE"
    assert request.query == [("userAppId.userId", "u1"), ("userAppId.appId", "a1")]
    assert request.body is None


def test_unknown_body_field_is_rejected(server, client) -> None:
    with pytest.raises(InvalidArgumentError, match="inputz") as caught:
        client.call("V2_PostInputs2", body={"inputz": []})
    assert "inputs" in str(caught.value)
    assert server.requests == []


def test_camelcase_body_fields_are_accepted(server, client) -> None:
    client.call("V2_PostInputsSearches2", body={"searches": [], "onlyCount": True})
    assert server.requests[0].body["onlyCount"] is True


def test_body_for_an_operation_without_one_is_rejected(server, client) -> None:
    with pytest.raises(InvalidArgumentError, match="takes no body"):
        client.call("V2_GetInput2", inputId="i", body={"x": 1})


def test_body_must_be_a_dict(server, client) -> None:
    with pytest.raises(InvalidArgumentError, match="dict"):
        client.call("V2_PostInputs2", body=[1])


@pytest.mark.parametrize("value", [None, "", True])
def test_missing_or_empty_path_parameter(server, client, value) -> None:
    params = {} if value is None else {"evaluationId": value}
    with pytest.raises(InvalidArgumentError, match="evaluationId"):
        client.call("V2_GetEvaluation2", **params)
    assert server.requests == []


def test_unknown_path_parameter(server, client) -> None:
    with pytest.raises(InvalidArgumentError, match="evaluation_id"):
        client.call("V2_GetEvaluation2", evaluationId="e", evaluation_id="e")


def test_path_values_are_quoted_so_they_cannot_change_the_route(server, client) -> None:
    client.call("V2_GetInput2", inputId="../models/x?y=1")
    (request,) = server.requests
    assert request.operation_id == "V2_GetInput2"
    assert request.path == "/v2/inputs/..%2Fmodels%2Fx%3Fy%3D1"


def test_unknown_operation_suggests_close_ids(client) -> None:
    with pytest.raises(InvalidArgumentError, match="V2_GetEvaluation2"):
        client.call("V2_GetEvaluation")
    with pytest.raises(InvalidArgumentError, match="operations"):
        client.call("nothing_like_it")


def test_operations_lists_the_fifty_ids(client) -> None:
    ops = client.operations
    assert len(ops) == 50
    assert "V2_GetEvaluation2" in ops
    ops.clear()  # a copy: the client's list is unaffected
    assert len(client.operations) == 50
