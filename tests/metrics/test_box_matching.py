"""COCO-style greedy matching of predicted to ground-truth boxes: TP, FP, FN at one IoU."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clarinb.emulator.demo._matching import _pairs, iou
from clarinb.errors import InvalidArgumentError
from clarinb.metrics import box_iou, match_boxes, outcome_counts

BOX = tuple[float, float, float, float]


def frame(rows: list[tuple[str, str, str, float, BOX]]) -> pd.DataFrame:
    """Rows of (input_id, kind, concept_id, score, (top, left, bottom, right))."""
    return pd.DataFrame(
        [
            {"input_id": i, "kind": k, "concept_id": c, "score": s,
             "top": b[0], "left": b[1], "bottom": b[2], "right": b[3]}
            for i, k, c, s, b in rows
        ],
        columns=["input_id", "kind", "concept_id", "score", "top", "left", "bottom", "right"],
    )  # fmt: skip


GT, PRED = "ground truth", "predicted"


def test_the_higher_score_takes_the_object_first():
    boxes = frame(
        [
            ("a", GT, "cat", 1.0, (0.0, 0.0, 0.5, 0.5)),
            ("a", PRED, "cat", 0.6, (0.0, 0.0, 0.5, 0.5)),  # IoU 1, but scores lower
            ("a", PRED, "cat", 0.9, (0.0, 0.0, 0.5, 0.4)),  # IoU 0.8
        ]
    )
    out = match_boxes(boxes, iou=0.5)
    assert out["outcome"].tolist() == ["found", "FP", "TP"]
    assert out["match"].tolist() == [2, pd.NA, 0]
    assert out.loc[2, "match_iou"] == pytest.approx(0.8)
    assert out.loc[0, "match_iou"] == pytest.approx(0.8)
    assert np.isnan(out.loc[1, "match_iou"])  # no match: n/a, not 0
    assert outcome_counts(out) == {"TP": 1, "FP": 1, "FN": 0}


def test_each_detection_takes_the_best_unmatched_object_of_its_class():
    boxes = frame(
        [
            ("a", GT, "cat", 1.0, (0.0, 0.0, 0.5, 0.5)),
            ("a", GT, "cat", 1.0, (0.0, 0.1, 0.5, 0.6)),
            ("a", PRED, "cat", 0.9, (0.0, 0.1, 0.5, 0.6)),  # the second object, IoU 1
            ("a", PRED, "cat", 0.8, (0.0, 0.05, 0.5, 0.55)),  # both close: the first is left
            ("a", PRED, "dog", 0.95, (0.0, 0.0, 0.5, 0.5)),  # another class: no match
            ("b", GT, "dog", 1.0, (0.0, 0.0, 0.5, 0.5)),  # another input: missed
        ]
    )
    out = match_boxes(boxes, iou=0.5)
    assert out["outcome"].tolist() == ["found", "found", "TP", "TP", "FP", "FN"]
    assert out["match"].tolist() == [3, 2, 1, 0, pd.NA, pd.NA]
    assert outcome_counts(out) == {"TP": 2, "FP": 1, "FN": 1}


def test_iou_threshold_and_min_score():
    boxes = frame(
        [
            ("a", GT, "cat", 1.0, (0.0, 0.0, 1.0, 1.0)),
            ("a", PRED, "cat", 0.4, (0.0, 0.0, 1.0, 0.5)),  # IoU exactly 0.5
        ]
    )
    assert match_boxes(boxes, iou=0.5)["outcome"].tolist() == ["found", "TP"]
    assert match_boxes(boxes, iou=0.55)["outcome"].tolist() == ["FN", "FP"]
    hidden = match_boxes(boxes, iou=0.5, min_score=0.5)
    assert hidden["outcome"].tolist() == ["FN"]  # the prediction is below the minimum score
    assert outcome_counts(hidden) == {"TP": 0, "FP": 0, "FN": 1}


def test_rows_without_a_box_or_of_kind_none_are_left_out():
    boxes = frame(
        [
            ("a", GT, "cat", 1.0, (0.0, 0.0, 1.0, 1.0)),
            ("b", "none", "", float("nan"), (np.nan,) * 4),
        ]
    )
    out = match_boxes(boxes)
    assert out.index.tolist() == [0]
    assert match_boxes(boxes.head(0))["outcome"].tolist() == []
    with pytest.raises(InvalidArgumentError, match="iou"):
        match_boxes(boxes, iou=0)
    with pytest.raises(InvalidArgumentError, match="boxes"):
        match_boxes({"input_id": []})


def test_box_iou():
    a = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 0.5, 0.5]])
    b = np.array([[0.0, 0.0, 1.0, 0.5], [2.0, 2.0, 3.0, 3.0]])
    assert box_iou(a, b) == pytest.approx(np.array([[0.5, 0.0], [0.5, 0.0]]))


_coord = st.integers(0, 10).map(lambda v: v / 10)


@st.composite
def _box(draw) -> BOX:
    top, bottom = sorted((draw(_coord), draw(_coord)))
    left, right = sorted((draw(_coord), draw(_coord)))
    return (top, left, bottom + 0.1, right + 0.1)


@given(
    st.lists(_box(), min_size=0, max_size=5),
    st.lists(st.tuples(_box(), st.integers(1, 9).map(lambda v: v / 10)), max_size=6),
    st.sampled_from([0.3, 0.5, 0.75]),
)
def test_same_pairs_as_the_emulators_coco_matching(gts, dts, threshold):
    rows = [("a", GT, "cat", 1.0, b) for b in gts]
    rows += [("a", PRED, "cat", s, b) for b, s in dts]
    out = match_boxes(frame(rows), iou=threshold)
    order = sorted(range(len(dts)), key=lambda d: -dts[d][1])  # stable, as COCO's mergesort
    pairs = _pairs([[iou(dts[d][0], g) for g in gts] for d in order], threshold, [False] * len(gts))
    expected = {len(gts) + d: m for d, m in zip(order, pairs, strict=True)}
    got = out["match"].iloc[len(gts) :]
    assert {k: (-1 if pd.isna(v) else int(v)) for k, v in got.items()} == expected
