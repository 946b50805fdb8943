"""Count axes show whole numbers from 0; a distribution with nothing but 0 says so in words."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

from clarinb import connect
from clarinb.emulator import serve
from clarinb.views import MetricsGroupsView, VersionDiffView


def _groups() -> pd.DataFrame:
    rows = [
        ("", "CONCEPT_ID", "cat", 3),
        ("", "CONCEPT_ID", "dog", 1),
        ("", "CONCEPTS_COUNT", 1.0, 3),
        ("", "CONCEPTS_COUNT", 2.0, 1),
        ("", "BOUNDING_BOXES_COUNT", 0.0, 2),
        ("", "BOUNDING_BOXES_COUNT", 1.0, 2),
        ("", "MASKS_COUNT", 0.0, 4),  # nobody has a mask
        ("", "ASPECT_RATIO", 0.5, 1),
        ("", "ASPECT_RATIO", 0.6, 3),
    ]
    frame = pd.DataFrame(rows, columns=["parent_path", "type", "value", "inputs_count"])
    return frame.astype({"inputs_count": "Int64"})


def _axis(fig, trace, letter: str):
    name = getattr(trace, letter + "axis") or letter
    return fig.layout[name.replace(letter, letter + "axis", 1)]


def _is_count_axis(axis) -> None:
    assert axis.tickformat == ",d"
    assert axis.dtick is None or float(axis.dtick) >= 1  # never a tick at 0.5
    assert axis.rangemode == "tozero" or (axis.range and axis.range[0] == 0)


def _trace(fig, name: str):
    return next(t for t in fig.data if t.name == name)


def test_every_count_axis_of_the_groups_figure_is_whole_numbers_from_zero():
    fig = MetricsGroupsView(groups=_groups()).figure_
    for trace in fig.data:
        if trace.type == "bar" and len(trace.x):  # (an empty panel says why instead)
            _is_count_axis(_axis(fig, trace, "y"))
    for name in ("Concepts per input", "Bounding boxes per input"):
        axis = _axis(fig, _trace(fig, name), "x")  # the number per input: whole too
        assert axis.tickformat == ",d"
        assert float(axis.dtick) >= 1


def test_small_counts_get_a_tick_per_unit():
    fig = MetricsGroupsView(groups=_groups()).figure_
    # 3 inputs at most: ticks 0, 1, 2, 3 (plotly would put ticks at 0.5)
    assert float(_axis(fig, _trace(fig, "Concepts per input"), "y").dtick) == 1


def test_a_distribution_of_only_zeros_says_so_instead_of_one_bar():
    fig = MetricsGroupsView(groups=_groups()).figure_
    masks = _trace(fig, "Masks per input")
    assert len(masks.x) == 0
    notes = [a.text for a in fig.layout.annotations]
    assert "no masks in this version" in notes
    assert "no bounding boxes in this version" not in notes
    note = next(a for a in fig.layout.annotations if a.text == "no masks in this version")
    assert note.xref == masks.xaxis + " domain"


def test_version_diff_counts_are_whole_numbers():
    a = _groups()
    b = _groups().assign(inputs_count=lambda f: f["inputs_count"] + 1)
    fig = VersionDiffView(a=a, b=b).figure_
    for trace in fig.data:
        axis = _axis(fig, trace, "y")
        assert axis.tickformat == ",d"
        assert axis.dtick is None or float(axis.dtick) >= 1


@pytest.fixture(scope="module")
def client() -> Iterator:
    with serve() as emu:
        yield connect(emulator=emu)


def test_the_demo_version_without_masks(client):
    view = MetricsGroupsView.from_dataset_version(client.dataset_version("wildlife", "v3"))
    fig = view.figure_
    assert "no masks in this version" in [a.text for a in fig.layout.annotations]
    assert len(_trace(fig, "Masks per input").x) == 0
    assert len(_trace(fig, "Polygons per input").x) == 2  # 0 and 1: drawn
