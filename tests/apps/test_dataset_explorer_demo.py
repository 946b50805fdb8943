"""DatasetVersionExplorer on the emulator's demo dataset ``wildlife``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clarinb import connect
from clarinb.apps import DatasetVersionExplorer
from clarinb.emulator import serve


@pytest.fixture(scope="module")
def emulator() -> Iterator:
    with serve() as emu:
        yield emu


def test_dataset_version_created_and_polled_until_ready(emulator):
    explorer = DatasetVersionExplorer(
        connect(emulator=emulator), "wildlife", poll_interval=0.05, max_polls=200
    )
    assert {"v1", "v2", "v3"} <= set(explorer.versions_["id"])
    assert explorer.widget_ is not None
    explorer.create_version("from the test")
    new = explorer.version_id
    assert new not in {"v1", "v2", "v3"}
    explorer.poll()
    explorer._poller.join(60)
    assert explorer.state_ == "ready"
    assert explorer.views_["metrics"].totals_["inputs_count"] > 0
    explorer.export(["CLARIFAI_DATA_JSON"]).poll(background=False)
    assert explorer.exports_["state"].tolist() == ["ready"]
    assert explorer.exports_["size"].iloc[0] > 0
