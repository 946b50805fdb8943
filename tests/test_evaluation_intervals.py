"""Evaluation.metric_intervals: the test set's intervals, cached, cheap at a new threshold."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

from clarinb import Evaluation, connect, metrics
from clarinb.errors import ClarinbError
from clarinb.metrics import interval_frame


@pytest.fixture(scope="module")
def demo_evaluation() -> Iterator[Evaluation]:
    from clarinb.emulator import serve

    with serve(data="demo") as emulator:
        client = connect(emulator=emulator)
        for row in client.evaluations().itertuples():
            ev = client.evaluation(row.id)
            if ev.kind == "classifier" and str(row.model_id).startswith("animals"):
                yield ev
                return
    raise AssertionError("the demo has no animal classifier")


def test_equals_metric_intervals_on_the_test_set(demo_evaluation: Evaluation) -> None:
    ev = demo_evaluation
    got = ev.metric_intervals(0.4, n_resamples=200, seed=3)
    want = metrics.metric_intervals(ev.test_set(), 0.4, n_resamples=200, seed=3)
    pd.testing.assert_frame_equal(got, want)


def test_cached_and_cheap_at_a_new_threshold(
    demo_evaluation: Evaluation, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = demo_evaluation
    calls: list[bool] = []
    real = interval_frame.metric_intervals

    def counting(*args: object, **kwargs: object) -> pd.DataFrame:
        calls.append(bool(kwargs.get("ranking", True)))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("clarinb.metrics.metric_intervals", counting)
    first = ev.metric_intervals(0.5, n_resamples=150, seed=9)
    again = ev.metric_intervals(0.5, n_resamples=150, seed=9)
    pd.testing.assert_frame_equal(first, again)
    assert calls == [True]
    again.loc[0, "roc_auc"] = -1.0  # a copy: the cache is not changed through it
    assert ev.metric_intervals(0.5, n_resamples=150, seed=9).loc[0, "roc_auc"] != -1.0
    concept = str(ev.test_set()["concept_id"].iloc[0])
    moved = ev.metric_intervals({concept: 0.2}, default=0.7, n_resamples=150, seed=9)
    assert calls == [True, False]  # only the threshold's metrics were drawn again
    want = real(ev.test_set(), {concept: 0.2}, default=0.7, n_resamples=150, seed=9)
    pd.testing.assert_frame_equal(moved, want)


def test_without_a_test_set_it_says_so() -> None:
    ev = Evaluation.from_dict({"id": "e", "status": {"code": 21300}, "test_set": []})
    with pytest.raises(ClarinbError, match="test set"):
        ev.metric_intervals()
