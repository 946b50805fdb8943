"""VersionDiffView on two synthetic versions: side-by-side counts, deltas, added/removed."""

from __future__ import annotations

import pandas as pd
import pytest

from clarinb import DatasetVersion
from clarinb.errors import InvalidArgumentError
from clarinb.views import VersionDiffView
from clarinb.views.version_diff import diff_frame


def _version(concepts: dict[str, int], per_input: dict[int, int]) -> pd.DataFrame:
    rows = [("", "CONCEPT_ID", c, n) for c, n in concepts.items()]
    rows += [("", "CONCEPTS_COUNT", float(k), n) for k, n in per_input.items()]
    rows.append(("CONCEPT_ID/cat", "CONCEPT_ID", "cat", 999))  # nested: not compared
    frame = pd.DataFrame(rows, columns=["parent_path", "type", "value", "inputs_count"])
    frame["inputs_count"] = frame["inputs_count"].astype("Int64")
    return frame


@pytest.fixture
def versions() -> tuple[pd.DataFrame, pd.DataFrame]:
    a = _version({"cat": 50, "dog": 40, "eel": 5, "fox": 7}, {1: 80, 2: 20})
    b = _version({"cat": 52, "dog": 10, "fox": 7, "gnu": 25}, {1: 60, 2: 30, 3: 4})
    return a, b


def test_diff_frame_sorted_by_change(versions):
    diff = diff_frame(*versions)
    assert diff["value"].tolist() == ["dog", "gnu", "eel", "cat", "fox"]
    assert diff["delta"].tolist() == [-30, 25, -5, 2, 0]
    assert diff["change"].tolist() == ["changed", "added", "removed", "changed", "same"]
    counts = diff_frame(*versions, group_type="CONCEPTS_COUNT")
    assert counts.set_index("value").loc["3", "change"] == "added"
    with pytest.raises(InvalidArgumentError, match="group_type"):
        diff_frame(*versions, group_type="COLOUR")


def test_figure_holds_counts_and_deltas(versions):
    view = VersionDiffView(*versions, names=("v1", "v2"), top_n=3)
    a_bars, b_bars, delta = view.figure_.data
    assert a_bars.name == "v1"
    assert list(a_bars.x) == ["dog", "gnu", "eel"]
    assert list(a_bars.y) == [40, 0, 5]
    assert list(b_bars.y) == [10, 25, 0]
    assert list(delta.y) == [-30, 25, -5]
    assert delta.marker.color[0] != delta.marker.color[1]


def test_controls_update_the_live_figure(versions):
    view = VersionDiffView(*versions)
    box = view.widget_
    summary = box.children[1].value
    assert "gnu" in summary
    assert "eel" in summary
    view.controls_["group_type"].value = "CONCEPTS_COUNT"
    assert list(view._plot_widget.data[2].x) == ["1", "2", "3"]
    assert list(view._plot_widget.data[2].y) == [-20, 10, 4]
    view.controls_["top_n"].value = 1
    assert list(view._plot_widget.data[2].x) == ["1"]
    assert "<b>added</b> (1): 3" in box.children[1].value


def test_html_and_errors(tmp_path, versions):
    text = VersionDiffView(*versions, theme="dark").to_html(tmp_path / "diff.html").read_text()
    assert "Concepts added and removed" in text
    assert "gnu" in text
    with pytest.raises(InvalidArgumentError, match="top_n"):
        VersionDiffView(*versions, top_n=0)
    with pytest.raises(InvalidArgumentError, match="metric"):
        VersionDiffView(*versions).set(metric="weight")


def test_built_from_two_dataset_version_read_models():
    def version(version_id: str, counts: dict[str, int]) -> DatasetVersion:
        groups = [
            {"type": "CONCEPT_ID", "value": c, "metrics": {"inputs_count": str(n)}}
            for c, n in counts.items()
        ]
        return DatasetVersion.from_dict({"id": version_id}, metrics_groups=groups)

    old, new = version("v1", {"cat": 3, "dog": 5}), version("v2", {"cat": 9, "eel": 1})
    view = VersionDiffView.from_dataset_versions(old, new)
    assert view.names == ("v1", "v2")
    assert view.diff_[["value", "delta", "change"]].values.tolist() == [
        ["cat", 6.0, "changed"],
        ["dog", -5.0, "removed"],
        ["eel", 1.0, "added"],
    ]
    with pytest.raises(InvalidArgumentError, match=r"b must be a clarinb\.DatasetVersion"):
        VersionDiffView.from_dataset_versions(old, "v2")  # type: ignore[arg-type]
