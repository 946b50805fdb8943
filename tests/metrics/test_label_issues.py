"""Likely label errors: equal to cleanlab called directly, and planted flips are found."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from cleanlab import filter as cl_filter
from cleanlab import rank as cl_rank
from cleanlab.multilabel_classification import filter as ml_filter
from cleanlab.multilabel_classification import rank as ml_rank
from cleanlab.object_detection import filter as od_filter
from cleanlab.object_detection import rank as od_rank

from clarinb.errors import InvalidArgumentError
from clarinb.metrics import TestSetMatrix, detection_label_issues, label_issues


def softmax_matrix(
    seed: int, n: int = 600, k: int = 6, flip: float = 0.05
) -> tuple[TestSetMatrix, np.ndarray, np.ndarray]:
    """A single-label test set whose given labels have ``flip`` of them changed.

    Returns the matrix, the true classes and the positions of the flipped inputs.
    """
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n)
    logits = rng.normal(0, 1, (n, k))
    logits[np.arange(n), truth] += 5.0
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    given = truth.copy()
    flipped = rng.choice(n, int(flip * n), replace=False)
    given[flipped] = (truth[flipped] + rng.integers(1, k, len(flipped))) % k
    labels = np.zeros((n, k), dtype=bool)
    labels[np.arange(n), given] = True
    ids = [f"in-{i:04d}" for i in range(n)]
    m = TestSetMatrix.from_arrays(probs, labels, inputs=ids, concepts=[f"c{j}" for j in range(k)])
    return m, truth, flipped


def multilabel_matrix(seed: int, n: int = 600, k: int = 5) -> tuple[TestSetMatrix, np.ndarray]:
    rng = np.random.default_rng(seed)
    truth = rng.random((n, k)) < 0.3
    scores = np.clip(np.where(truth, 0.85, 0.1) + rng.normal(0, 0.08, (n, k)), 0.0, 1.0)
    given = truth.copy()
    flipped = rng.choice(n, n // 20, replace=False)
    cols = rng.integers(0, k, len(flipped))
    given[flipped, cols] = ~given[flipped, cols]
    ids = [f"in-{i:04d}" for i in range(n)]
    return TestSetMatrix.from_arrays(scores, given, inputs=ids), flipped


def test_single_label_equals_cleanlab_called_directly() -> None:
    m, _, _ = softmax_matrix(0)
    got = label_issues(m, issues_only=False)
    probs = m.scores.astype(np.float64)
    probs /= probs.sum(axis=1, keepdims=True)
    given = m.labels.argmax(axis=1)
    quality = cl_rank.get_label_quality_scores(given, probs)
    mask = cl_filter.find_label_issues(given, probs, n_jobs=1)
    by_id = got.set_index("input_id").loc[list(m.inputs)]
    np.testing.assert_allclose(by_id["label_quality"], quality, rtol=1e-12)
    np.testing.assert_array_equal(by_id["is_label_issue"], mask)
    assert list(by_id["given_label"]) == [m.concepts[j] for j in given]
    assert list(by_id["suggested_label"]) == [m.concepts[j] for j in probs.argmax(axis=1)]
    assert list(got["rank"]) == list(range(1, len(got) + 1))
    assert got["label_quality"].is_monotonic_increasing
    issues = label_issues(m)
    assert issues["is_label_issue"].all()
    assert set(issues["input_id"]) == set(np.asarray(m.inputs)[mask])
    assert list(issues["rank"]) == list(range(1, len(issues) + 1))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_single_label_recovers_planted_flips(seed: int) -> None:
    m, _, flipped = softmax_matrix(seed)
    planted = set(np.asarray(m.inputs)[flipped])
    ranked = label_issues(m, issues_only=False)
    top = set(ranked["input_id"].head(len(flipped)))
    assert len(top & planted) >= 0.8 * len(planted)
    flagged = set(label_issues(m)["input_id"])
    assert len(flagged & planted) >= 0.8 * len(flagged)  # what cleanlab flags is mostly planted


def test_single_label_from_a_long_frame_equals_the_matrix() -> None:
    m, _, _ = softmax_matrix(4, n=120)
    pd.testing.assert_frame_equal(
        label_issues(m.to_frame(), issues_only=False).astype({"input_id": str}),
        label_issues(m, issues_only=False).astype({"input_id": str}),
    )


def test_multi_label_equals_cleanlab_and_recovers_flips() -> None:
    m, flipped = multilabel_matrix(5)
    got = label_issues(m, issues_only=False)
    assert "given_labels" in got
    given = [list(np.flatnonzero(row)) for row in m.labels]
    scores = m.scores.astype(np.float64)
    quality = ml_rank.get_label_quality_scores(given, scores)
    mask = ml_filter.find_label_issues(given, scores, n_jobs=1)
    by_id = got.set_index("input_id").loc[list(m.inputs)]
    np.testing.assert_allclose(by_id["label_quality"], quality, rtol=1e-12)
    np.testing.assert_array_equal(by_id["is_label_issue"], mask)
    first = m.inputs[0]
    assert by_id.loc[first, "given_labels"] == tuple(m.concepts[m.labels[0]])
    assert by_id.loc[first, "suggested_labels"] == tuple(m.concepts[m.scores[0] >= 0.5])
    top = set(got["input_id"].head(len(flipped)))
    assert len(top & set(np.asarray(m.inputs)[flipped])) >= 0.8 * len(flipped)


def test_kind_is_inferred_from_the_labels_and_scores() -> None:
    single, _, _ = softmax_matrix(6, n=100)
    multi, _ = multilabel_matrix(6, n=100)
    assert "given_label" in label_issues(single)
    assert "given_labels" in label_issues(multi)
    assert "given_labels" in label_issues(single, multi_label=True)


def test_single_label_refuses_inputs_with_several_labels() -> None:
    multi, _ = multilabel_matrix(7, n=100)
    with pytest.raises(InvalidArgumentError, match="multi_label=True"):
        label_issues(multi, multi_label=False)


def test_single_label_leaves_out_inputs_without_a_label() -> None:
    m, _, _ = softmax_matrix(8, n=200)
    labels = m.labels.copy()
    labels[:3] = False
    unlabelled = TestSetMatrix.from_arrays(m.scores, labels, inputs=m.inputs)
    got = label_issues(unlabelled, multi_label=False, issues_only=False)
    assert len(got) == 197
    assert not set(m.inputs[:3]) & set(got["input_id"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"multi_label": "yes"}, "multi_label"),
        ({"threshold": 2.0}, "threshold"),
        ({"issues_only": 1}, "issues_only"),
        ({"method": "bogus"}, "method"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict, match: str) -> None:
    m, _, _ = softmax_matrix(9, n=50)
    with pytest.raises(InvalidArgumentError, match=match):
        label_issues(m, **kwargs)


def test_bad_test_set_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="TestSetMatrix"):
        label_issues([1, 2, 3])


# --- object detection ---------------------------------------------------------------------------

CLASSES = ("cat", "dog", "fox")


def boxes_frame(seed: int, n: int = 60) -> tuple[pd.DataFrame, set[str]]:
    """Boxes as :func:`clarinb.frames.test_set_boxes` gives them; a few labels swapped."""
    rng = np.random.default_rng(seed)
    rows = []
    swapped = set()
    for i in range(n):
        input_id = f"img-{i:03d}"
        for b in range(int(rng.integers(1, 3))):
            top, left = rng.uniform(0.05, 0.4, 2) + 0.45 * b
            bottom, right = top + 0.3, left + 0.3
            cls = CLASSES[int(rng.integers(0, 3))]
            given = cls
            if i % 10 == 3 and b == 0:
                given = CLASSES[(CLASSES.index(cls) + 1) % 3]
                swapped.add(input_id)
            box = {"top": top, "left": left, "bottom": bottom, "right": right}
            rows.append(
                {"input_id": input_id, "kind": "ground truth", "concept_id": given, "score": 1.0}
                | box
            )
            jitter = {k: v + rng.normal(0, 0.005) for k, v in box.items()}
            score = float(rng.uniform(0.96, 0.995))  # confident: cleanlab swaps from 0.95
            rows.append(
                {"input_id": input_id, "kind": "predicted", "concept_id": cls, "score": score}
                | jitter
            )
    frame = pd.DataFrame(rows)
    frame["image_url"] = ""
    frame["width"] = 640.0
    frame["height"] = 480.0
    return frame, swapped


def cleanlab_inputs(frame: pd.DataFrame) -> tuple[list[str], list[dict], list[list[np.ndarray]]]:
    ids = list(dict.fromkeys(frame["input_id"]))
    labels, predictions = [], []
    for input_id in ids:
        part = frame[frame["input_id"] == input_id]
        w, h = part["width"].iloc[0], part["height"].iloc[0]
        xyxy = np.column_stack(
            [part["left"] * w, part["top"] * h, part["right"] * w, part["bottom"] * h]
        )
        gt = (part["kind"] == "ground truth").to_numpy()
        codes = np.array([CLASSES.index(c) for c in part["concept_id"]])
        labels.append({"bboxes": xyxy[gt], "labels": codes[gt]})
        pred = ~gt
        per_class = []
        for k in range(len(CLASSES)):
            sel = pred & (codes == k)
            per_class.append(np.column_stack([xyxy[sel], part["score"].to_numpy()[sel]]))
        predictions.append(per_class)
    return ids, labels, predictions


def test_detection_equals_cleanlab_and_finds_swapped_labels() -> None:
    frame, swapped = boxes_frame(0)
    got = detection_label_issues(frame, issues_only=False)
    ids, labels, predictions = cleanlab_inputs(frame)
    quality = od_rank.get_label_quality_scores(labels, predictions, verbose=False)
    mask = od_filter.find_label_issues(labels, predictions)
    by_id = got.set_index("input_id").loc[ids]
    np.testing.assert_allclose(by_id["label_quality"], quality, rtol=1e-12)
    np.testing.assert_array_equal(by_id["is_label_issue"], mask)
    first = frame[frame["input_id"] == ids[0]]
    gt = first[first["kind"] == "ground truth"]["concept_id"]
    assert by_id.loc[ids[0], "given_labels"] == tuple(sorted(gt))
    top = set(got["input_id"].head(len(swapped)))
    assert len(top & swapped) >= 0.8 * len(swapped)


def test_detection_keeps_inputs_without_boxes_and_refuses_other_frames() -> None:
    frame, _ = boxes_frame(1, n=20)
    none = pd.DataFrame({"input_id": ["img-empty"], "kind": ["none"], "concept_id": [""]})
    got = detection_label_issues(pd.concat([frame, none], ignore_index=True), issues_only=False)
    assert "img-empty" in set(got["input_id"])
    with pytest.raises(InvalidArgumentError, match="test_set_boxes"):
        detection_label_issues(frame.drop(columns=["kind"]))


def test_importing_the_metrics_does_not_load_cleanlab() -> None:
    code = "import sys, clarinb.metrics; print('cleanlab' in sys.modules, 'sklearn' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
