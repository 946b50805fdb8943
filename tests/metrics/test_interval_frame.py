"""The tidy frame of intervals: the numbers of bootstrap_intervals, a macro row and a note."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.metrics import bootstrap_intervals, metric_intervals
from clarinb.metrics.bootstrap import METRICS
from clarinb.metrics.interval_frame import with_rates

RATES = ("precision", "recall", "f1")


def _ends(names: tuple[str, ...]) -> list[str]:
    return [f"{n}{end}" for n in names for end in ("", "_lo", "_hi")]


def test_concept_and_macro_rows_equal_bootstrap_intervals(random_test_set) -> None:
    ts = random_test_set(3, n_inputs=90, n_concepts=6)
    frame = metric_intervals(ts, {"c3": 0.3}, ci=0.9, n_resamples=120, seed=5)
    direct = bootstrap_intervals(ts, {"c3": 0.3}, ci=0.9, n_resamples=120, seed=5)
    concepts = frame[frame["level"] == "concept"].reset_index(drop=True)
    want = direct.concepts
    assert concepts["concept_id"].tolist() == [str(c) for c in want["concept_id"]]
    for column in [*_ends(METRICS), "n_positives", "n_negatives", "threshold"]:
        np.testing.assert_array_equal(
            concepts[column].to_numpy(float), want[column].to_numpy(float), err_msg=column
        )
    np.testing.assert_array_equal(concepts["too_few_positives"], want["too_few_positives"])
    (macro,) = frame[frame["level"] == "macro"].itertuples()
    assert pd.isna(macro.concept_id)
    for name in METRICS:
        row = direct.macro.loc[name]
        got = [getattr(macro, name), getattr(macro, f"{name}_lo"), getattr(macro, f"{name}_hi")]
        np.testing.assert_array_equal(got, row[["value", "lo", "hi"]].to_numpy(float))
    assert set(frame["ci"]) == {0.9}
    assert set(frame["n_resamples"]) == {120}
    assert set(frame["seed"]) == {5}


def test_notes_say_na_and_few_positives(random_test_set) -> None:
    ts = random_test_set(7, n_inputs=120, n_concepts=5)  # c0: no positives, c1: no negatives
    frame = metric_intervals(ts, n_resamples=80, seed=1).set_index("concept_id", drop=False)
    c0, c1 = frame.loc["c0"], frame.loc["c1"]
    assert c0["too_few_positives"]
    assert np.isnan([c0["roc_auc"], c0["roc_auc_lo"], c0["avg_precision_hi"]]).all()
    assert "no positives" in c0["note"]
    assert "n/a" in c0["note"]
    assert "no negatives" in c1["note"]
    assert np.isnan(c1["roc_auc"])
    few = frame[(frame["level"] == "concept") & (frame["n_positives"].between(1, 9))]
    plenty = frame[(frame["level"] == "concept") & (frame["n_positives"] >= 10)]
    for row in few.itertuples():
        assert row.too_few_positives
        assert f"only {row.n_positives} positives: too few" in row.note
    assert not plenty.empty
    for row in plenty.itertuples():
        assert "positives" not in row.note


def test_few_positives_threshold_is_a_setting() -> None:
    rng = np.random.default_rng(2)
    labels = np.zeros((300, 2), dtype=bool)
    labels[:12, 0] = True
    labels[:40, 1] = True
    m = metrics.TestSetMatrix.from_arrays(labels + rng.normal(0, 0.5, labels.shape), labels)
    base = metric_intervals(m, n_resamples=60).set_index("concept_id")
    strict = metric_intervals(m, n_resamples=60, min_positives=20).set_index("concept_id")
    assert not base.loc["0", "too_few_positives"]
    assert strict.loc["0", "too_few_positives"]
    assert "only 12 positives" in strict.loc["0", "note"]
    assert not strict.loc["1", "too_few_positives"]


def test_rates_alone_equal_the_full_computation(random_test_set) -> None:
    ts = random_test_set(11, n_inputs=70, n_concepts=5)
    full = metric_intervals(ts, 0.4, n_resamples=90, seed=3)
    rates = metric_intervals(ts, 0.4, n_resamples=90, seed=3, ranking=False)
    assert not {"roc_auc", "avg_precision_lo"} & set(rates.columns)
    pd.testing.assert_frame_equal(rates[_ends(RATES)], full[_ends(RATES)])


def test_with_rates_moves_the_threshold_metrics_only(random_test_set) -> None:
    ts = random_test_set(12, n_inputs=80, n_concepts=5)
    at_half = metric_intervals(ts, 0.5, n_resamples=70, seed=2)
    rates = metric_intervals(ts, 0.3, n_resamples=70, seed=2, ranking=False)
    moved = with_rates(at_half, rates)
    want = metric_intervals(ts, 0.3, n_resamples=70, seed=2)
    pd.testing.assert_frame_equal(moved, want)


def test_bad_arguments_are_named() -> None:
    m = metrics.TestSetMatrix.from_arrays(np.array([[0.2], [0.8]]), np.array([[False], [True]]))
    with pytest.raises(InvalidArgumentError, match="ranking"):
        metric_intervals(m, ranking="yes")
    with pytest.raises(InvalidArgumentError, match="ci"):
        metric_intervals(m, ci=1.5)
    with pytest.raises(InvalidArgumentError, match="seed"):
        metric_intervals(m, seed=np.random.default_rng(0))
    with pytest.raises(InvalidArgumentError, match="rates"):
        with_rates(metric_intervals(m, n_resamples=5), pd.DataFrame({"x": [1]}))


def test_with_rates_aligns_rows_by_concept(random_test_set) -> None:
    ts = random_test_set(13, n_inputs=60, n_concepts=4)
    at_half = metric_intervals(ts, 0.5, n_resamples=50, seed=2)
    rates = metric_intervals(ts, 0.3, n_resamples=50, seed=2, ranking=False)
    shuffled = rates.iloc[[2, 0, 4, 1, 3]]
    pd.testing.assert_frame_equal(with_rates(at_half, shuffled), with_rates(at_half, rates))
    other = metric_intervals(ts, 0.3, n_resamples=50, seed=3, ranking=False)
    with pytest.raises(InvalidArgumentError, match="same settings"):
        with_rates(at_half, other)
    assert rates.set_index("concept_id").loc["c0", "note"].startswith("no positives;")
