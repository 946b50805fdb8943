"""Build time of every evaluation view at 20, 200 and 1,000 concepts, and of threshold updates.

Each figure is printed as a ratio against a baseline measured in the same run:
building the bare plotly heatmap of the same (full) confusion matrix with
``go.Figure(go.Heatmap(z=...))``.  Ratios above 1 mean the view was faster than
that baseline; the absolute times are printed too, with the issue's target
(every figure built in the kernel in under a second), and each one's peak
memory (tracemalloc) against the test-set frame.

Run: ``python benchmarks/bench_views.py``.
"""

from __future__ import annotations

import os
import warnings

from _util import best_of, format_seconds, report, timed  # also puts the repository on sys.path
from bench_scale import MIB, peak_bytes

SIZES = tuple(int(s) for s in os.environ.get("BENCH_VIEW_SIZES", "20,200,1000").split(","))
TARGET_SECONDS = 1.0


def _inputs(n_concepts: int) -> int:
    return max(1000, 2 * n_concepts)


def bench_size(n: int) -> list[tuple[str, float]]:
    import plotly.graph_objects as go

    from clarinb import metrics
    from clarinb.views import CompareView, ConfusionMatrixView, CurvesView, ThresholdView
    from tests.views.conftest import synthetic_test_set

    n_inputs = _inputs(n)
    ts = synthetic_test_set(n_concepts=n, n_inputs=n_inputs, seed=1)
    ts2 = synthetic_test_set(n_concepts=n, n_inputs=n_inputs, seed=2)
    sizes = f"{n} concepts, {n_inputs} inputs, {len(ts):,} predictions"
    matrix = metrics.confusion_matrix(ts)
    roc, pr = metrics.curves(ts)
    scores = metrics.scores(ts)
    sizes_curves = f"{sizes}, {len(roc):,} ROC points"

    baseline = best_of(lambda: go.Figure(go.Heatmap(z=matrix.to_numpy())), repeat=3)
    print(f"-- {n} concepts: baseline bare heatmap {format_seconds(baseline)} [{sizes}]")
    rows: list[tuple[str, float]] = []

    ts_bytes = int(ts.memory_usage(deep=True).sum())

    def measure(name: str, fn, size_text: str = sizes) -> float:
        seconds = best_of(fn, repeat=3)
        report(name, seconds, baseline, sizes=size_text)
        peak = peak_bytes(fn)[0]
        print(f"  peak {peak / MIB:.1f} MiB = {peak / ts_bytes:.2f}x the test-set frame "
              f"({ts_bytes / MIB:.1f} MiB)", flush=True)  # fmt: skip
        rows.append((f"{name} @ {n}", seconds))
        return seconds

    measure(
        "ConfusionMatrixView from a matrix (default top-N)",
        lambda: ConfusionMatrixView(matrix=matrix).figure_,
    )
    measure(
        "ConfusionMatrixView full matrix, clustered",
        lambda: ConfusionMatrixView(matrix=matrix, top_n=None, order="cluster").figure_,
    )
    measure(
        "ConfusionMatrixView from the test set (matrix recomputed)",
        lambda: ConfusionMatrixView(test_set=ts, threshold=0.5).figure_,
    )
    measure(
        "CurvesView default selection",
        lambda: CurvesView(roc=roc, pr=pr, binary_metrics=scores, test_set=ts).figure_,
        sizes_curves,
    )
    measure(
        "CurvesView all concepts",
        lambda: (
            CurvesView(roc=roc, pr=pr, binary_metrics=scores, test_set=ts, selection="all").figure_
        ),
        sizes_curves,
    )
    measure("ThresholdView", lambda: ThresholdView(test_set=ts, threshold=0.5).figure_)
    per = {"a": scores, "b": metrics.scores(ts2)}
    matrices = {"a": matrix, "b": metrics.confusion_matrix(ts2)}
    measure(
        "CompareView (2 evaluations)",
        lambda: CompareView(per_concept=per, matrices=matrices).figure_,
    )

    # threshold updates with the widget built (what moving the slider costs in the kernel)
    cm = ConfusionMatrixView(test_set=ts, threshold=0.5)
    _ = cm.widget_
    flip = iter([0.4, 0.6] * 10)
    measure("threshold update: confusion matrix", lambda: cm.set(threshold=next(flip)))
    tv = ThresholdView(test_set=ts, threshold=0.5)
    _ = tv.widget_
    measure("threshold update: threshold table", lambda: tv.set(threshold=next(flip)))
    cv = CurvesView(roc=roc, pr=pr, binary_metrics=scores, test_set=ts, selection="all")
    _ = cv.widget_
    measure(
        "threshold update: curves (all concepts)",
        lambda: cv.set(threshold=next(flip)),
        sizes_curves,
    )
    return rows


def main() -> None:
    warnings.simplefilter("ignore")
    seconds, _ = timed(lambda: __import__("clarinb.views.confusion"))
    print(f"import of the views: {format_seconds(seconds)}")
    slow = []
    for n in SIZES:
        slow += [(name, s) for name, s in bench_size(n) if s >= TARGET_SECONDS]
    if slow:
        print("Over the 1 s target: " + ", ".join(f"{k} {format_seconds(s)}" for k, s in slow))
    else:
        print(f"Every figure and update built in under {TARGET_SECONDS:g} s at every size.")


if __name__ == "__main__":
    main()
