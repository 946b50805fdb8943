"""clarinb.DatasetVersion: one dataset version, its metrics groups and exports, fetched once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from clarinb import DatasetVersion, connect, frames
from clarinb.dataset_version import status_label
from clarinb.emulator import serve
from clarinb.errors import InvalidArgumentError, NotFoundError, ResponseFormatError

GROUPS = [
    {
        "value": "total",
        "metrics": {
            "inputs_count": "12",
            "region_location_matrix": {"n_cols": "2", "data": ["5", "1", "0", "9"]},
        },
    },
    {"type": "CONCEPT_ID", "value": "cat", "metrics": {"inputs_count": "8"}},
    {"type": 10, "value": "dog", "metrics": {"inputs_count": "4"}},
]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with serve() as emu, connect(emulator=emu) as c:
        yield c


def _counting(client: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the list operations a client is asked to page through."""
    seen: list[str] = []
    paginate = client.paginate

    def counted(operation: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(operation)
        return paginate(operation, *args, **kwargs)

    monkeypatch.setattr(client, "paginate", counted)
    return seen


def test_client_fetches_a_version(client):
    dv = client.dataset_version("wildlife", "v3")
    assert isinstance(dv, DatasetVersion)
    assert (dv.dataset_id, dv.id) == ("wildlife", "v3")
    assert dv.code == 64015
    assert dv.code_name == "DATASET_VERSION_READY"
    assert dv.state == "ready"
    assert dv.is_ready
    assert dv.summary["id"] == "v3"
    assert repr(dv) == (
        "DatasetVersion(dataset_id='wildlife', id='v3', status=DATASET_VERSION_READY)"
    )
    assert "clarinb.DatasetVersion" in dv._repr_html_()


def test_metrics_groups_are_fetched_once_and_cached(client, monkeypatch):
    dv = client.dataset_version("wildlife", "v3")
    seen = _counting(client, monkeypatch)
    groups = dv.metrics_groups()
    assert dv.metrics_groups() is not None
    grid = dv.region_location_matrix()
    assert int(grid.to_numpy().sum()) > 0
    assert seen == ["V2_ListDatasetVersionMetricsGroups2"]  # the matrix is in the cached groups
    listed = client.dataset_version_metrics("wildlife", "v3")
    pd.testing.assert_frame_equal(groups.drop(columns="region_location_matrix"), listed)
    total = groups[(groups["parent_path"] == "") & (groups["type"] != "CONCEPT_ID")]
    assert any(m is not None for m in total["region_location_matrix"])
    concepts = dv.metrics_groups(types="CONCEPT_ID")
    assert set(concepts["type"]) == {"CONCEPT_ID"}
    assert len(concepts) < len(groups)


def test_listing_returns_read_models_and_the_frame(client):
    versions = DatasetVersion.of_dataset(client, "wildlife")
    assert {"v1", "v2", "v3"} <= {v.id for v in versions}
    assert all(v.client is client for v in versions)
    frame = client.dataset_versions("wildlife")
    assert frame["id"].tolist() == [v.id for v in versions]


def test_create_refresh_and_export(client):
    dv = client.create_dataset_version("wildlife", "from the read-model test")
    assert dv.id not in {"v1", "v2", "v3"}
    assert dv.description == "from the read-model test"
    assert dv.state == "pending"
    for _ in range(20):
        if dv.refresh().is_ready:
            break
    assert dv.state == "ready"
    assert dv.exports().empty
    exports = dv.request_exports(["CLARIFAI_DATA_JSON"])
    assert exports["format"].tolist() == ["CLARIFAI_DATA_JSON"]
    for _ in range(20):
        if exports["state"].tolist() == ["ready"]:
            break
        exports = dv.request_exports(["CLARIFAI_DATA_JSON"])
    assert exports["state"].tolist() == ["ready"]
    assert exports["size"].iloc[0] > 0
    assert len(dv.exports()) == 1


def test_bad_arguments_and_unknown_versions(client):
    with pytest.raises(InvalidArgumentError, match="dataset_id"):
        client.dataset_version("", "v1")
    with pytest.raises(InvalidArgumentError, match="version_id"):
        client.dataset_version("wildlife", None)
    with pytest.raises(NotFoundError):
        client.dataset_version("wildlife", "no-such-version")
    dv = client.dataset_version("wildlife", "v3")
    with pytest.raises(InvalidArgumentError, match="formats"):
        dv.request_exports(["ZIP"])


def test_from_dict_wraps_bodies_without_a_client():
    body = {"dataset_version": {"id": "v1", "dataset_id": "ds", "status": {"code": 64010}}}
    dv = DatasetVersion.from_dict(body, metrics_groups={"dataset_version_metrics_groups": GROUPS})
    assert dv.client is None
    assert (dv.dataset_id, dv.id, dv.state) == ("ds", "v1", "in progress")
    assert dv.is_pending
    assert not dv.is_ready
    assert not dv.is_failed
    groups = dv.metrics_groups()
    assert groups["type"].tolist()[1:] == ["CONCEPT_ID", "CONCEPT_ID"]
    assert groups["inputs_count"].tolist() == [12, 8, 4]
    assert groups.loc[0, "region_location_matrix"].tolist() == [[5, 1], [0, 9]]
    assert dv.region_location_matrix().to_numpy().tolist() == [[5, 1], [0, 9]]
    with pytest.raises(InvalidArgumentError, match="no client"):
        dv.refresh()
    bare = DatasetVersion.from_dict({"id": "v2", "status": {"code": 64020}})
    assert bare.is_failed
    assert bare.state == "failed"
    with pytest.raises(InvalidArgumentError, match="metrics_groups"):
        bare.metrics_groups()


def test_from_dict_refuses_what_is_not_a_version():
    with pytest.raises(InvalidArgumentError, match="dict"):
        DatasetVersion.from_dict(["v1"])  # type: ignore[arg-type]
    with pytest.raises(ResponseFormatError, match="created_at"):
        DatasetVersion.from_dict({"id": "v1", "created_at": 5})
    dv = DatasetVersion.from_dict(
        {"id": "v1"}, metrics_groups=[{"metrics": {"inputs_count": "many"}}]
    )
    with pytest.raises(ResponseFormatError, match=r"\[0\]\.metrics\.inputs_count"):
        dv.metrics_groups()


def test_status_labels():
    assert [status_label(c) for c in (64005, 64010, 64015, 64020, 64200, None, 1)] == [
        "pending",
        "in progress",
        "ready",
        "failed",
        "ready",
        "unknown",
        "unknown",
    ]


def test_exports_frame_reads_formats_states_and_sizes():
    body = {
        "exports": [
            {"format": 2, "status": {"code": 64200}, "url": "u", "size": "10"},
            {"format": "CLARIFAI_DATA_JSON", "status": {"code": "DATASET_VERSION_EXPORT_PENDING"}},
        ]
    }
    table = frames.dataset_version_exports(body)
    assert table.columns.tolist() == ["format", "status_code", "status", "state", "url", "size"]
    assert table["format"].tolist() == ["COCO", "CLARIFAI_DATA_JSON"]
    assert table["status_code"].tolist() == [64200, 64201]
    assert table["state"].tolist() == ["ready", "pending"]
    assert table["size"].iloc[0] == 10
    assert pd.isna(table["size"].iloc[1])
    assert frames.dataset_version_exports({}).empty
    with pytest.raises(ResponseFormatError, match=r"exports\[0\]\.size"):
        frames.dataset_version_exports({"exports": [{"format": 1, "size": "big"}]})


def test_metrics_groups_frame_with_matrices_refuses_ragged_rows():
    bad = [{"metrics": {"region_location_matrix": {"n_cols": "3", "data": ["1", "2"]}}}]
    with pytest.raises(ResponseFormatError, match=r"region_location_matrix\.n_cols"):
        frames.dataset_version_metrics_groups(bad, matrices=True)
