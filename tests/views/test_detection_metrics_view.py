"""DetectionMetricsView: every class labelled on the heatmap, a readable AP-per-area chart."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

from clarinb import connect
from clarinb.emulator import serve
from clarinb.metrics.detection import class_order
from clarinb.views import DetectionMetricsView

DETECTOR = "animals-detector-on-v2"


@pytest.fixture(scope="module")
def view() -> Iterator[DetectionMetricsView]:
    with serve() as emu:
        yield DetectionMetricsView.from_evaluation(connect(emulator=emu).evaluation(DETECTOR))


def _areas(fig) -> list:
    return [t for t in fig.data if t.type == "scatter" and t.name.startswith("area")]


def test_the_heatmap_labels_every_class(view):
    fig = view.figure_
    names = [view.concept_names.get(c, c) for c in view.concepts_]
    assert len(names) == 20
    axis = fig.layout.yaxis
    assert axis.tickmode == "array"
    assert sorted(axis.ticktext) == sorted(names)  # every class, none skipped
    assert list(axis.tickvals) == list(range(20))
    assert "tabby cat" in axis.ticktext  # the display name, not the id "tabby-cat"
    assert fig.layout.height >= 20 * 24


def test_ap_per_area_is_one_row_per_class_sorted_with_a_legend_of_sizes(view):
    fig = view.figure_
    areas = _areas(fig)
    names = [t.name for t in areas]
    assert len(names) == 4
    assert any("small" in n and "32" in n for n in names)
    assert any("medium" in n for n in names)
    assert any("large" in n and "96" in n for n in names)
    everything = next(t for t in areas if "all" in t.name)
    # one marker per class, best first (NaN last)
    assert sorted(everything.y) == list(range(20))
    ap = np.array(everything.x, dtype=float)[np.argsort(everything.y)]
    shown = ap[~np.isnan(ap)]
    assert list(shown) == sorted(shown, reverse=True)
    # the sizes' legend is not merged with the PR curves' one
    curves = [t for t in fig.data if t.type == "scatter" and t.name.startswith("IoU")]
    assert curves
    assert {t.legend for t in areas} != {t.legend for t in curves}
    assert len({t.legend for t in areas}) == 1


def test_the_order_follows_the_chosen_iou(view):
    view.set(iou=0.9)
    order = class_order(view.metrics, area="all", iou=0.9)
    names = [view.concept_names.get(c, c) for c in order]
    assert list(view.figure_.layout.yaxis.ticktext) == names
    view.set(iou=0.5)


def test_class_order():
    m = pd.DataFrame(
        {
            "concept_id": ["a", "b", "c", "a", "b", "c"],
            "iou": [0.5, 0.5, 0.5, 0.75, 0.75, 0.75],
            "area_name": "all",
            "avg_precision": [0.2, math.nan, 0.9, 0.8, 0.1, 0.3],
        }
    )
    assert class_order(m, area="all", iou=0.5) == ["c", "a", "b"]
    assert class_order(m, area="all", iou=0.75) == ["a", "c", "b"]
