"""Paging yields exactly the server's items, in order, whatever the page shapes and timing."""

from __future__ import annotations

import pytest

from clarinb.errors import InvalidArgumentError, NotFoundError, ResponseFormatError

from ._server import ItemList, Reply, random_latency


def ids(items) -> list[str]:
    return [item["id"] for item in items]


def expected(n: int) -> list[str]:
    return [f"it-{i:05d}" for i in range(n)]


@pytest.mark.parametrize(
    ("total", "per_page", "workers"),
    [
        (0, 10, 4),  # nothing at all
        (1, 10, 4),
        (95, 10, 4),  # per_page does not divide the total
        (100, 10, 4),  # it does: the last page comes back empty
        (100, 10, 1),  # sequential
        (37, 1, 3),  # one item per page
        (128, 128, 8),  # exactly one full page
        (1000, 7, 16),  # more workers than needed for some pages
    ],
)
def test_numbered_pages_yield_exact_items(server, make_client, total, per_page, workers) -> None:
    server.routes["V2_ListInputs2"] = ItemList(total)
    client = make_client(max_workers=workers)
    assert ids(client.paginate("V2_ListInputs2", per_page=per_page)) == expected(total)


def test_sequential_paging_stops_at_the_first_short_page(server, make_client) -> None:
    server.routes["V2_ListInputs2"] = ItemList(95)
    client = make_client(max_workers=1)
    assert ids(client.paginate("V2_ListInputs2", per_page=10)) == expected(95)
    pages = [int(r.q("page")) for r in server.requests]
    assert pages == list(range(1, 11))
    assert {r.q("perPage") for r in server.requests} == {"10"}


def test_exact_multiple_asks_one_empty_page_then_stops(server, make_client) -> None:
    server.routes["V2_ListInputs2"] = ItemList(30)
    client = make_client(max_workers=1)
    assert ids(client.paginate("V2_ListInputs2", per_page=10)) == expected(30)
    assert [int(r.q("page")) for r in server.requests] == [1, 2, 3, 4]


def test_missing_list_key_past_the_end_ends_paging(server, make_client) -> None:
    server.routes["V2_ListEvaluations3"] = ItemList(40, "eval_metrics", drop_key_when_empty=True)
    client = make_client(max_workers=3)
    assert ids(client.paginate("V2_ListEvaluations3", per_page=10)) == expected(40)


def test_a_short_page_in_the_middle_is_the_last_one(server, make_client) -> None:
    server.routes["V2_ListInputs2"] = ItemList(100, short_page=3)
    client = make_client(max_workers=4)
    got = ids(client.paginate("V2_ListInputs2", per_page=10))
    assert got == expected(29)  # pages 1-2 full, page 3 has 9 items


def test_order_holds_when_pages_answer_out_of_order(server, make_client) -> None:
    server.routes["V2_ListInputs2"] = ItemList(500)
    server.latency = random_latency(0.0, 0.02, seed=3)
    client = make_client(max_workers=8)
    assert ids(client.paginate("V2_ListInputs2", per_page=16)) == expected(500)
    arrival = [int(r.q("page")) for r in server.requests]
    assert len(arrival) == len(set(arrival))  # no page asked twice
    # Every page up to the short one (32) was asked; pages fetched ahead of it may
    # have been cancelled before they started, in any order, so they need not be.
    assert set(range(1, 33)) <= set(arrival)


def test_later_pages_overtake_earlier_ones(server, make_client) -> None:
    # Page 1 answers last of the first batch; items still come out in order.
    server.routes["V2_ListInputs2"] = ItemList(50)
    server.latency = lambda r: 0.1 if r.q("page") == "1" else 0.0
    client = make_client(max_workers=4)
    assert ids(client.paginate("V2_ListInputs2", per_page=10)) == expected(50)


def test_lastid_stream_follows_the_cursor(server, make_client) -> None:
    server.routes["V2_StreamInputs2"] = ItemList(53)
    client = make_client()
    assert ids(client.paginate("V2_StreamInputs2", per_page=10)) == expected(53)
    cursors = [r.q("lastId") for r in server.requests]
    assert cursors == [None, "it-00009", "it-00019", "it-00029", "it-00039", "it-00049"]
    assert all(r.q("page") is None for r in server.requests)


def test_lastid_stream_with_exact_multiple(server, make_client) -> None:
    server.routes["V2_StreamInputs2"] = ItemList(20)
    client = make_client()
    assert ids(client.paginate("V2_StreamInputs2", per_page=10)) == expected(20)
    assert len(server.requests) == 3


@pytest.mark.parametrize(
    ("op", "key"), [("V2_PostInputsSearches2", "hits"), ("V2_PostModelsSearches2", "models")]
)
def test_body_paginated_searches(server, make_client, op, key) -> None:
    server.routes[op] = ItemList(45, key)
    client = make_client(max_workers=3)
    body = {"searches": [{"query": {}}]} if key == "hits" else {"model_query": {"name": "x"}}
    assert ids(client.paginate(op, per_page=10, body=body)) == expected(45)
    for request in server.requests:
        assert request.query == []
        assert request.body["pagination"]["per_page"] == 10
        assert request.body["user_app_id"] == {"user_id": "u1", "app_id": "a1"}
        assert {k: v for k, v in request.body.items() if k in body} == body
    pages = sorted(r.body["pagination"]["page"] for r in server.requests)
    assert pages[:5] == [1, 2, 3, 4, 5]
    assert "pagination" not in body  # the caller's body is left alone


def test_camelcase_pages_with_status_names(server, make_client) -> None:
    server.routes["V2_ListDatasetVersionMetricsGroups2"] = ItemList(
        25, "dataset_version_metrics_groups", camel=True
    )
    client = make_client()
    got = client.paginate(
        "V2_ListDatasetVersionMetricsGroups2",
        per_page=10,
        datasetId="d",
        datasetVersionId="v",
        query={"types": ["CONCEPT_ID", "INPUT_TYPE"]},
    )
    assert ids(got) == expected(25)
    first = server.requests[0]
    assert [v for k, v in first.query if k == "types"] == ["CONCEPT_ID", "INPUT_TYPE"]


def test_callers_paging_names_are_overridden(server, make_client) -> None:
    server.routes["V2_ListInputs2"] = ItemList(15)
    client = make_client(max_workers=1)
    got = client.paginate("V2_ListInputs2", per_page=10, query={"page": 5, "per_page": 2})
    assert ids(got) == expected(15)


def test_an_error_page_stops_paging_with_the_error(server, make_client) -> None:
    items = ItemList(100)

    def responder(request):
        if request.q("page") == "3":
            return Reply({"status": {"code": 11101, "description": "gone"}}, status=404)
        return items(request)

    server.routes["V2_ListInputs2"] = responder
    client = make_client(max_workers=2)
    got: list[str] = []
    items_iter = client.paginate("V2_ListInputs2", per_page=10)
    with pytest.raises(NotFoundError):
        got.extend(item["id"] for item in items_iter)
    assert got == expected(20)  # pages 1 and 2 were yielded before the failure


def test_list_key_of_the_wrong_type_is_a_format_error(server, make_client) -> None:
    server.routes["V2_ListInputs2"] = lambda r: Reply({"status": {"code": 10000}, "inputs": {}})
    with pytest.raises(ResponseFormatError, match="not a list"):
        list(make_client().paginate("V2_ListInputs2"))


@pytest.mark.parametrize("per_page", [0, -1, 1001, 2.5, True, "10"])
def test_bad_per_page_is_rejected_before_any_request(server, client, per_page) -> None:
    with pytest.raises(InvalidArgumentError, match="per_page"):
        client.paginate("V2_ListInputs2", per_page=per_page)
    assert server.requests == []


def test_operation_that_does_not_page_is_rejected(server, client) -> None:
    with pytest.raises(InvalidArgumentError, match="does not page"):
        client.paginate("V2_GetEvaluation2", evaluationId="e")
    assert server.requests == []


def test_bad_query_is_rejected_before_any_request(server, client) -> None:
    with pytest.raises(InvalidArgumentError, match="nope"):
        client.paginate("V2_ListInputs2", query={"nope": 1})
    assert server.requests == []


def test_progress_bar_counts_items(server, make_client, capsys) -> None:
    server.routes["V2_ListInputs2"] = ItemList(30)
    client = make_client(progress=True, max_workers=1)
    assert len(list(client.paginate("V2_ListInputs2", per_page=10))) == 30
    assert "V2_ListInputs2" in capsys.readouterr().err
    quiet = make_client(max_workers=1)
    assert len(list(quiet.paginate("V2_ListInputs2", per_page=10))) == 30
    assert capsys.readouterr().err == ""


def test_stopping_early_leaves_no_error(server, make_client) -> None:
    server.routes["V2_ListInputs2"] = ItemList(1000)
    client = make_client(max_workers=4)
    pages = client.paginate("V2_ListInputs2", per_page=10)
    first = [next(pages) for _ in range(15)]
    pages.close()
    assert ids(first) == expected(15)
