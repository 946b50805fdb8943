"""Tagging inputs for review: a dry run previews and writes nothing; applying merges the tag."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

from clarinb import Client, connect
from clarinb.emulator import serve
from clarinb.errors import ApiError, InvalidArgumentError
from clarinb.review import REVIEW_VALUE, tag_inputs


@pytest.fixture
def client() -> Iterator[Client]:
    with serve(data="demo") as emulator, connect(emulator=emulator) as c:
        yield c


def _raw(client: Client, ids: list[str]) -> dict[str, dict]:
    items = client.paginate("V2_ListInputs2", query={"ids": ids})
    return {item["id"]: item for item in items}


IDS = ["img-0003", "img-0007", "img-0011"]


def test_dry_run_previews_and_writes_nothing(client: Client) -> None:
    before = _raw(client, IDS)
    everything = client.inputs()
    preview = tag_inputs(client, IDS)
    assert list(preview["input_id"]) == IDS
    assert preview["current"].isna().all()
    assert (preview["new"] == REVIEW_VALUE).all()
    assert preview["changes"].all()
    assert not preview["applied"].any()
    assert _raw(client, IDS) == before
    pd.testing.assert_frame_equal(client.inputs(), everything)


def test_apply_merges_the_tag_and_keeps_the_rest_of_the_metadata(client: Client) -> None:
    before = _raw(client, IDS)
    done = tag_inputs(client, IDS[:2], dry_run=False)
    assert done["applied"].all()
    after = _raw(client, IDS)
    for input_id in IDS[:2]:
        meta = after[input_id]["data"]["metadata"]
        assert meta["clarinb"] == {"review": REVIEW_VALUE}
        old = before[input_id]["data"]["metadata"]
        assert {k: v for k, v in meta.items() if k != "clarinb"} == old
        assert after[input_id]["data"]["image"] == before[input_id]["data"]["image"]
    assert after[IDS[2]] == before[IDS[2]]
    again = tag_inputs(client, IDS[:2])
    assert (again["current"] == REVIEW_VALUE).all()
    assert not again["changes"].any()


def test_other_clarinb_keys_survive_and_unchanged_inputs_are_not_sent(client: Client) -> None:
    tag_inputs(client, IDS[:1], value="checked", key="status", dry_run=False)
    tag_inputs(client, IDS[:2], dry_run=False)
    meta = _raw(client, IDS[:1])[IDS[0]]["data"]["metadata"]["clarinb"]
    assert meta == {"status": "checked", "review": REVIEW_VALUE}
    stamp = _raw(client, IDS[:1])[IDS[0]]["modified_at"]
    done = tag_inputs(client, IDS[:2], dry_run=False)
    assert not done["changes"].any()
    assert not done["applied"].any()
    assert _raw(client, IDS[:1])[IDS[0]]["modified_at"] == stamp


def test_takes_the_label_issues_frame(client: Client) -> None:
    issues = pd.DataFrame({"input_id": IDS, "label_quality": [0.1, 0.2, 0.3]})
    assert list(tag_inputs(client, issues)["input_id"]) == IDS


def test_unknown_inputs_are_refused_before_any_write(client: Client) -> None:
    before = _raw(client, IDS)
    with pytest.raises(InvalidArgumentError, match="no-such-input"):
        tag_inputs(client, [*IDS, "no-such-input"], dry_run=False)
    assert _raw(client, IDS) == before


@pytest.mark.parametrize(
    ("ids", "kwargs", "match"),
    [
        ([], {}, "input_ids"),
        ("img-0003", {}, "input_ids"),
        ([3], {}, "input_ids"),
        (IDS, {"value": ""}, "value"),
        (IDS, {"key": 5}, "key"),
        (IDS, {"dry_run": "no"}, "dry_run"),
    ],
)
def test_bad_arguments_are_refused(client: Client, ids: object, kwargs: dict, match: str) -> None:
    with pytest.raises(InvalidArgumentError, match=match):
        tag_inputs(client, ids, **kwargs)


def test_an_input_gone_before_the_patch_is_named_and_the_others_are_tagged(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = client.paginate

    def list_then_delete(*args: object, **kwargs: object) -> Iterator[dict]:
        items = list(listed(*args, **kwargs))  # type: ignore[arg-type]
        client.call("V2_DeleteInputs2", body={"ids": [IDS[1]]})
        return iter(items)

    monkeypatch.setattr(client, "paginate", list_then_delete)
    with pytest.raises(ApiError, match=IDS[1]) as caught:
        tag_inputs(client, IDS[:2], dry_run=False)
    assert caught.value.code == 10010
    monkeypatch.undo()
    assert _raw(client, IDS[:1])[IDS[0]]["data"]["metadata"]["clarinb"]["review"] == REVIEW_VALUE
