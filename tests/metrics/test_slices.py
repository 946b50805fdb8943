"""Metrics per slice of a test set: equal to scikit-learn on each subset, right flags if planted."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    precision_recall_fscore_support,
    roc_auc_score,
)

from clarinb import connect, frames
from clarinb.emulator import serve
from clarinb.errors import InvalidArgumentError
from clarinb.metrics import (
    TestSetMatrix,
    aspect_slices,
    bootstrap_intervals,
    concept_slices,
    metadata_slices,
    size_slices,
    slice_metrics,
)
from clarinb.metrics.slices import top1_correct


def single_label(
    seed: int, n: int = 600, k: int = 5, weak: float = 1.0, every: int = 3
) -> TestSetMatrix:
    """A softmax classifier; slice ``night`` (each ``every``-th input) has ``weak`` x signal."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n)
    night = np.arange(n) % every == 0
    logits = rng.normal(0, 1, (n, k))
    logits[np.arange(n), truth] += np.where(night, 3.0 * weak, 3.0)
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = np.zeros((n, k), dtype=bool)
    labels[np.arange(n), truth] = True
    ids = [f"in-{i:04d}" for i in range(n)]
    return TestSetMatrix.from_arrays(
        probs, labels, inputs=ids, concepts=[f"c{j}" for j in range(k)]
    )


def by_slice(m: TestSetMatrix, every: int = 3) -> pd.Series:
    i = np.arange(m.n_inputs)
    names = np.where(i % every == 0, "night", np.where(i % 2 == 1, "a", "b"))
    return pd.Series(names, index=m.inputs)


def test_slice_metrics_equal_sklearn_on_the_same_subsets() -> None:
    rng = np.random.default_rng(0)
    n, k = 300, 4
    labels = rng.random((n, k)) < 0.3
    scores = (labels * 0.4 + rng.random((n, k)) * 0.6).round(3)
    ids = [f"in-{i}" for i in range(n)]
    m = TestSetMatrix.from_arrays(scores, labels, inputs=ids)
    by = pd.Series(rng.choice(["x", "y", "z"], n), index=ids)
    by.iloc[:10] = None  # in no slice
    res = slice_metrics(m, by, n_resamples=20, threshold=0.5)
    assert set(res.slices["slice"]) == {"x", "y", "z"}
    for _, row in res.slices.iterrows():
        rows = np.flatnonzero((by == row["slice"]).to_numpy())
        y, s = labels[rows], scores[rows].astype(np.float32)
        assert row["n_inputs"] == len(rows)
        ranked = [j for j in range(k) if y[:, j].any() and not y[:, j].all()]
        want_auc = np.mean([roc_auc_score(y[:, j], s[:, j]) for j in ranked])
        want_ap = np.mean([average_precision_score(y[:, j], s[:, j]) for j in ranked])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p, r, f, _ = precision_recall_fscore_support(
                y, s >= np.float32(0.5), average="macro", zero_division=0
            )
        np.testing.assert_allclose(row["roc_auc"], want_auc, rtol=1e-9)
        np.testing.assert_allclose(row["avg_precision"], want_ap, rtol=1e-9)
        np.testing.assert_allclose([row["precision"], row["recall"], row["f1"]], [p, r, f])
        hit = (s >= np.where(y, s, -np.inf).max(axis=1, keepdims=True)) & ~y
        defined = y.any(axis=1)
        np.testing.assert_allclose(row["accuracy"], (~hit.any(axis=1))[defined].mean())


def test_single_label_accuracy_equals_sklearn_and_intervals_equal_the_bootstrap() -> None:
    m = single_label(1)
    by = by_slice(m)
    res = slice_metrics(m, by, n_resamples=200, seed=7)
    night = res.slices.set_index("slice").loc["night"]
    rows = np.flatnonzero((by == "night").to_numpy())
    want = accuracy_score(m.labels[rows].argmax(axis=1), m.scores[rows].argmax(axis=1))
    assert night["accuracy"] == pytest.approx(want)
    alone = bootstrap_intervals(m.subset(rows), n_resamples=200, seed=7).macro
    for metric in ("roc_auc", "avg_precision", "f1"):
        assert night[f"{metric}_lo"] == alone.loc[metric, "lo"]
        assert night[f"{metric}_hi"] == alone.loc[metric, "hi"]
    assert night["accuracy_lo"] <= night["accuracy"] <= night["accuracy_hi"]


def test_a_planted_weak_slice_comes_first_and_is_flagged() -> None:
    m = single_label(2, n=1000, weak=0.8, every=10)
    res = slice_metrics(m, by_slice(m, every=10), n_resamples=300, seed=0)
    assert res.metric == "accuracy"  # single-label: sorted by top-1 accuracy
    assert res.slices["slice"].iloc[0] == "night"
    flags = res.slices.set_index("slice")["overlaps_whole"]
    assert not flags["night"]
    assert flags["a"]
    assert flags["b"]
    assert res.slices["accuracy"].is_monotonic_increasing
    whole = res.whole.iloc[0]
    lo, hi = res.slices["accuracy_lo"], res.slices["accuracy_hi"]
    want = (lo <= whole["accuracy_hi"]) & (hi >= whole["accuracy_lo"])
    assert res.slices["overlaps_whole"].tolist() == want.tolist()
    assert whole["n_inputs"] == m.n_inputs
    assert whole["accuracy_lo"] <= whole["accuracy"] <= whole["accuracy_hi"]


def test_no_weak_slice_overlaps_everywhere() -> None:
    m = single_label(3, n=1000, every=10)
    res = slice_metrics(m, by_slice(m, every=10), n_resamples=300, seed=0)
    assert res.slices["overlaps_whole"].all()


def test_sort_by_another_metric_and_concepts_subset() -> None:
    m = single_label(4)
    res = slice_metrics(m, by_slice(m), n_resamples=20, sort_by="avg_precision", concepts=["c1"])
    assert res.metric == "avg_precision"
    assert res.slices["avg_precision"].is_monotonic_increasing
    rows = np.flatnonzero((by_slice(m) == "a").to_numpy())
    a = res.slices.set_index("slice").loc["a"]
    want = average_precision_score(m.labels[rows, 1], m.scores[rows, 1])
    assert a["avg_precision"] == pytest.approx(want)


def test_slice_builders() -> None:
    inputs = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "width": pd.array([100, 600, 2000, None], dtype="Int64"),
            "height": pd.array([100, 300, 1200, None], dtype="Int64"),
            "metadata": [{"source": "cam1", "x": {"y": 1}}, {"source": "cam2"}, {}, None],
            "concepts": [["night"], [], ["night", "snow"], []],
        }
    )
    meta = metadata_slices(inputs, "source")
    assert meta.to_dict() == {"a": "cam1", "b": "cam2", "c": None, "d": None}
    assert metadata_slices(inputs, "x.y")["a"] == "1"
    sizes = size_slices(inputs, edges=(256, 1024))
    assert sizes["a"] == "short side < 256 px"
    assert sizes["b"] == "short side 256-1023 px"
    assert sizes["c"] == "short side >= 1024 px"
    assert pd.isna(sizes["d"])
    aspect = aspect_slices(inputs)
    assert aspect[["a", "b", "c"]].tolist() == ["square", "landscape", "landscape"]
    assert pd.isna(aspect["d"])
    night = concept_slices(inputs, "night")
    assert night.to_dict() == {"a": "night", "b": "not night", "c": "night", "d": "not night"}
    ts = pd.DataFrame(
        {
            "input_id": ["a", "a", "b", "b"],
            "concept_id": ["night", "snow", "night", "snow"],
            "score": [0.1] * 4,
            "ground_truth": [True, False, False, False],
        }
    )
    assert concept_slices(ts, "night").to_dict() == {"a": "night", "b": "not night"}
    with pytest.raises(InvalidArgumentError, match="night2"):
        concept_slices(ts, "night2")


def test_metadata_slices_from_the_demo_inputs() -> None:
    with serve(data="demo") as emulator, connect(emulator=emulator) as client:
        inputs = client.inputs()
    sources = metadata_slices(inputs, "source")
    assert set(sources.dropna()) == {"trail-cam", "phone", "dslr"}
    assert sources.notna().sum() >= 600
    assert list(sources.index) == list(inputs["id"])


@pytest.mark.parametrize("cells", [1 << 22, 7, 64])
@pytest.mark.parametrize("seed", range(6))
def test_top1_correct_is_the_plain_definition_on_ties(
    seed: int, cells: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("clarinb.metrics.slices._CHUNK_CELLS", cells)  # blocks on threads
    rng = np.random.default_rng(seed)
    n, k = 700, int(rng.integers(1, 6))
    scores = rng.integers(0, 3, (n, k)) / 2  # many ties, rows of equal scores
    labels = rng.random((n, k)) < 0.35  # rows without positives, and with several
    got = top1_correct(TestSetMatrix.from_arrays(scores, labels))
    for row in range(n):
        pos, neg = scores[row][labels[row]], scores[row][~labels[row]]
        if not len(pos):
            assert np.isnan(got[row])
        else:
            assert got[row] == float(not len(neg) or neg.max() < pos.max())


def test_rows_on_threads_equal_the_rows_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    m = single_label(12, n=400, k=4)
    threaded = slice_metrics(m, by_slice(m), n_resamples=60, seed=5)

    def in_turn(fn, items):  # type: ignore[no-untyped-def]
        return [fn(item) for item in items]

    monkeypatch.setattr("clarinb.metrics.slices.in_threads", in_turn)
    sequential = slice_metrics(m, by_slice(m), n_resamples=60, seed=5)
    pd.testing.assert_frame_equal(threaded.slices, sequential.slices)
    pd.testing.assert_frame_equal(threaded.whole, sequential.whole)
    assert list(threaded.whole["slice"]) == ["(all)"]


def test_above_the_budget_only_the_sorted_metric_with_the_same_accuracy_intervals() -> None:
    m = single_label(11, n=300, k=4)
    full = slice_metrics(m, by_slice(m), n_resamples=100, seed=3)
    small = slice_metrics(m, by_slice(m), n_resamples=100, seed=3, budget=1_000)
    assert full.note == ""
    assert small.metric == "accuracy"
    assert list(small.slices.columns) == [
        "slice", "n_inputs", "accuracy", "accuracy_lo", "accuracy_hi", "overlaps_whole",
    ]  # fmt: skip
    cols = list(small.slices.columns)
    pd.testing.assert_frame_equal(small.slices, full.slices[cols])
    pd.testing.assert_frame_equal(small.whole, full.whole[cols])
    assert "not computed: roc_auc, avg_precision, precision, recall, f1" in small.note
    assert "300 inputs x 4 concepts x 100 resamples" in small.note


def test_above_the_budget_macro_metrics_asked_for_are_exact_without_intervals() -> None:
    m = single_label(12, n=300, k=4)
    full = slice_metrics(m, by_slice(m), n_resamples=60, seed=1, sort_by="roc_auc")
    small = slice_metrics(
        m, by_slice(m), n_resamples=60, seed=1, sort_by="roc_auc", metrics=["f1"], budget=10
    )
    assert [c for c in small.slices if c.endswith("_lo")] == ["roc_auc_lo", "f1_lo"]
    for name in ("roc_auc", "f1"):
        np.testing.assert_allclose(small.slices[name], full.slices[name], rtol=0, atol=1e-12)
        assert small.slices[[f"{name}_lo", f"{name}_hi"]].isna().all().all()
        assert small.whole[name].iloc[0] == pytest.approx(full.whole[name].iloc[0], abs=1e-12)
    assert small.slices["overlaps_whole"].isna().all()  # no interval: unknown, not False
    assert "macro metrics without intervals" in small.note
    assert "accuracy" in small.note  # left out, and said
    asked = slice_metrics(m, by_slice(m), n_resamples=60, seed=1, sort_by="roc_auc", metrics=[])
    assert asked.note == ""  # within the budget, what was not asked for is no news
    assert "f1" not in asked.slices


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"by": [1, 2]}, "by"),
        ({"sort_by": "bogus"}, "sort_by"),
        ({"metrics": ["speed"]}, "metrics"),
        ({"metrics": "f1"}, "metrics"),
        ({"budget": 0}, "budget"),
        ({"by": pd.Series(["x"], index=["nowhere"])}, "no input"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict, match: str) -> None:
    m = single_label(5, n=60)
    args = {"by": by_slice(m), **kwargs}
    with pytest.raises(InvalidArgumentError, match=match):
        slice_metrics(m, args.pop("by"), n_resamples=10, **args)


def test_the_inputs_frame_carries_metadata() -> None:
    body = {"inputs": [{"id": "a", "data": {"metadata": {"source": "cam"}}}, {"id": "b"}]}
    assert frames.inputs(body)["metadata"].tolist() == [{"source": "cam"}, {}]
