"""VersionDiffView on two synthetic versions: side-by-side counts, deltas, added/removed."""

from __future__ import annotations

import pandas as pd
import pytest

from clarinb import DatasetVersion
from clarinb.errors import InvalidArgumentError
from clarinb.views import VersionDiffView


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


def test_figure_holds_counts_and_deltas(versions):
    a, b = versions
    view = VersionDiffView(a=a, b=b, names=("v1", "v2"), top_n=3)
    a_bars, b_bars, delta = view.figure_.data
    assert a_bars.name == "v1"
    assert list(a_bars.x) == ["dog", "gnu", "eel"]
    assert list(a_bars.y) == [40, 0, 5]
    assert list(b_bars.y) == [10, 25, 0]
    assert list(delta.y) == [-30, 25, -5]
    assert delta.marker.color[0] != delta.marker.color[1]


def test_controls_update_the_live_figure(versions):
    a, b = versions
    view = VersionDiffView(a=a, b=b)
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
    a, b = versions
    text = VersionDiffView(a=a, b=b, theme="dark").to_html(tmp_path / "diff.html").read_text()
    assert "Concepts added and removed" in text
    assert "gnu" in text
    with pytest.raises(InvalidArgumentError, match="top_n"):
        VersionDiffView(a=a, b=b, top_n=0)
    with pytest.raises(InvalidArgumentError, match="metric"):
        VersionDiffView(a=a, b=b).set(metric="weight")
    with pytest.raises(TypeError):
        VersionDiffView(a, b)  # type: ignore[misc]
    assert not hasattr(VersionDiffView, "from_groups")


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


def test_frame_holds_the_rows_drawn(versions):
    a, b = versions
    view = VersionDiffView(a=a, b=b, top_n=2)
    frame = view.frame_
    assert frame[["value", "a", "b", "delta", "change"]].values.tolist() == [
        ["dog", 40.0, 10.0, -30.0, "changed"],
        ["gnu", 0.0, 25.0, 25.0, "added"],
    ]
    assert set(frame["group_type"]) == {"CONCEPT_ID"}
    view.set(top_n=None, group_type="CONCEPTS_COUNT")
    assert view.frame_["value"].tolist() == ["1", "2", "3"]
