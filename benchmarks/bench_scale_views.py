"""The views at scale: 1,000 concepts x 20,000 inputs (20M predictions), and 5,000 x 50,000.

Each view's build (constructor + ``figure_``) against the hand-rolled
scikit-learn / pandas + plotly ten-liner that computes the same numbers and
draws them, measured in the same run (medians of interleaved rounds), with
the ratio (baseline / ours, target >= 1x) and each one's peak memory over
the inputs (tracemalloc, as a multiple of the ``TestSetMatrix``):

- ``CurvesView`` (default selection: the 10 lowest AUCs; and all concepts),
  single-label and multi-label, against the plotly ``add_trace`` loop over
  ``roc_curve`` and over ``roc_curve`` + ``precision_recall_curve``;
- ``CompareView`` of two models against per-concept ``roc_auc_score`` of
  both, the deltas and a ``px.bar``;
- ``MultiLabelConfusionView`` against ``multilabel_confusion_matrix`` +
  ``px.imshow``; ``MistakesView`` against a pandas argmax / sort / head and a
  ``go.Table``; ``SlicesView`` (``slice_metrics`` on the evaluation's matrix,
  200 resamples) against each slice's argmax accuracy with a numpy bootstrap
  interval and a ``px.scatter`` with error bars.

With ``CLARINB_BENCH_HUGE=1``: one round at 5,000 concepts x 50,000 inputs
(250M predictions) of the curves, slices and compare views (build < 10 s,
peak < 2x the matrix, ``to_html`` size), and of the mistakes and multi-label
confusion views, from the long frame (peak against the frame) and from the
matrix.  Those parts first write 12 GiB of new memory once (``touch_memory``):
on a virtual machine, memory used for the first time since boot can cost the
host's lazy backing, many times the code's own work.

Run: ``python benchmarks/bench_scale_views.py``.  ``CLARINB_BENCH_ONLY`` picks parts
(``curves,compare,multilabel-curves,frames,slices``), each run in a fresh process;
``CLARINB_BENCH_CONCEPTS`` / ``CLARINB_BENCH_INPUTS`` change the sizes.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from _synthetic_eval import multilabel_matrix
from _util import format_seconds, report, timed, touch_memory  # puts the repo on sys.path
from bench_scale import MIB, make_test_set, medians, peak_bytes, single_label_matrix

N_CONCEPTS = int(os.environ.get("CLARINB_BENCH_CONCEPTS", "1000"))
N_INPUTS = int(os.environ.get("CLARINB_BENCH_INPUTS", "20000"))
HUGE_CONCEPTS, HUGE_INPUTS = 5_000, 50_000
ROUNDS = 3


def row(
    name: str,
    fns: dict[str, Any],
    nbytes: int,
    sizes: str,
    *,
    rounds: int = ROUNDS,
    inputs: str = "the matrix",
) -> None:
    """Time ``ours`` against ``base`` (interleaved medians) and print both peaks."""
    times = medians(fns, rounds=rounds)
    report(name, times["ours"], times["base"], sizes=sizes, target=1.0)
    gc.collect()
    ours = peak_bytes(fns["ours"])[0]
    gc.collect()
    base = peak_bytes(fns["base"])[0]
    print(
        f"  peak over the inputs: ours {ours / MIB:.0f} MiB = {ours / nbytes:.2f}x {inputs}, "
        f"baseline {base / MIB:.0f} MiB = {base / nbytes:.2f}x",
        flush=True,
    )


def roc_loop(m: Any, pr: bool) -> Any:
    """Draw the hand-rolled figure: one ``add_trace`` per concept of ``roc_curve`` (and PR)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots
    from sklearn.metrics import precision_recall_curve, roc_curve

    fig = make_subplots(rows=1, cols=2) if pr else go.Figure()
    for c in range(m.n_concepts):
        y, s = m.labels[:, c], m.scores[:, c]
        fpr, tpr, _ = roc_curve(y, s)
        if pr:
            fig.add_trace(go.Scatter(x=fpr, y=tpr, mode="lines"), row=1, col=1)
            precision, recall, _ = precision_recall_curve(y, s)
            fig.add_trace(go.Scatter(x=recall, y=precision, mode="lines"), row=1, col=2)
        else:
            fig.add_trace(go.Scatter(x=fpr, y=tpr, mode="lines"))
    return fig


def bench_curves(m: Any, kind: str) -> None:
    """CurvesView on the matrix (as from_evaluation) against the two loops."""
    from clarinb.views import CurvesView

    sizes = f"{kind}, {m.n_concepts:,} concepts x {m.n_inputs:,} inputs"
    for selection in ("auto", "all"):

        def ours(selection: str = selection) -> Any:
            return CurvesView(test_set_matrix=m, selection=selection).figure_

        for pr in (False, True):
            base = "ROC + PR loop" if pr else "ROC loop"
            row(
                f"CurvesView figure ({selection} selection) vs plotly add_trace {base}",
                {"ours": ours, "base": lambda pr=pr: roc_loop(m, pr)},
                m.nbytes,
                sizes,
            )


def per_concept(m: Any) -> pd.DataFrame:
    from clarinb.metrics import matrix_curves

    return matrix_curves(m, max_points=2).scores


def bench_compare(ma: Any, mb: Any, rounds: int = ROUNDS) -> None:
    """CompareView of two models against the ten-liner of per-concept AUC deltas."""
    import plotly.express as px
    from sklearn.metrics import roc_auc_score

    from clarinb.views import CompareView

    given = {"a": per_concept(ma), "b": per_concept(mb)}

    def ours() -> Any:
        return CompareView(per_concept=given, test_sets={"a": ma, "b": mb}).figure_

    def base() -> Any:
        delta = [
            roc_auc_score(mb.labels[:, c], mb.scores[:, c])
            - roc_auc_score(ma.labels[:, c], ma.scores[:, c])
            for c in range(ma.n_concepts)
        ]
        frame = pd.DataFrame({"concept": ma.concepts.astype(str), "delta": delta})
        return px.bar(frame.sort_values("delta").tail(40), x="delta", y="concept")

    sizes = f"2 models, {ma.n_concepts:,} concepts x {ma.n_inputs:,} inputs"
    row("CompareView figure vs roc_auc_score deltas + px.bar", {"ours": ours, "base": base},
        ma.nbytes + mb.nbytes, sizes, rounds=rounds)  # fmt: skip


def frame_cases(ts: pd.DataFrame, part: str) -> dict[str, dict[str, Any]]:
    """Each frame view's build and its baseline on ``ts``, by row name.

    ``part`` ``"frames"``: the multi-label confusion and mistakes views;
    ``"slices"``: the slices view (run in a process of its own, see :func:`main`).
    """
    import plotly.express as px
    import plotly.graph_objects as go
    from sklearn.metrics import multilabel_confusion_matrix

    from clarinb import metrics
    from clarinb.views import MistakesView, MultiLabelConfusionView, SlicesView

    n_inputs, n_concepts = len(ts["input_id"].cat.categories), len(ts["concept_id"].cat.categories)
    shape = (n_inputs, n_concepts)

    def ml_base() -> Any:
        y = ts["ground_truth"].to_numpy().reshape(shape)
        pred = ts["score"].to_numpy().reshape(shape) >= 0.5
        cells = multilabel_confusion_matrix(y, pred).reshape(n_concepts, 4)
        return px.imshow(cells[:60], aspect="auto")

    def mistakes_base() -> Any:
        wrong = ts[(ts["score"] >= 0.5) != ts["ground_truth"]]
        top = wrong.sort_values("score", ascending=False).groupby("concept_id", observed=True)
        shown = top.head(10)
        return go.Figure(go.Table(cells={"values": [shown[c].astype(str) for c in shown]}))

    if part == "frames":
        return {
            "MultiLabelConfusionView figure vs multilabel_confusion_matrix + px.imshow": {
                "ours": lambda: MultiLabelConfusionView(test_set=ts).figure_, "base": ml_base,
            },
            "MistakesView figure vs pandas filter/sort/head + go.Table": {
                "ours": lambda: MistakesView(test_set=ts).figure_, "base": mistakes_base,
            },
        }  # fmt: skip
    names = ts["input_id"].cat.categories
    keys = pd.Series([f"slice-{i % 8}" for i in range(len(names))], index=names)
    # As SlicesView.from_evaluation: on the evaluation's matrix, built once and shared by the
    # views (the baseline reads the frame's columns as matrices without a copy).
    matrix = metrics.TestSetMatrix.from_frame(ts)

    def slices_ours() -> Any:
        found = metrics.slice_metrics(matrix, keys, n_resamples=200)
        return SlicesView(slices=found.slices, whole=found.whole, metric=found.metric).figure_

    def slices_base() -> Any:
        # The same numbers: each slice's and the whole's top-1 accuracy with a 95% percentile
        # bootstrap interval (200 resamples), drawn as points with error bars.
        scores = ts["score"].to_numpy().reshape(shape)
        truth = ts["ground_truth"].to_numpy().reshape(shape)
        correct = truth[np.arange(n_inputs), scores.argmax(axis=1)].astype(float)
        rng = np.random.default_rng(0)
        by = keys.to_numpy()
        groups = {"(all)": np.arange(n_inputs), **pd.Series(by).groupby(by).indices}
        rows = []
        for name, members in groups.items():
            hits = correct[members]
            boot = hits[rng.integers(0, len(hits), (200, len(hits)))].mean(axis=1)
            rows.append((name, hits.mean(), *np.percentile(boot, [2.5, 97.5])))
        acc = pd.DataFrame(rows, columns=["slice", "accuracy", "lo", "hi"]).sort_values("accuracy")
        value = acc["accuracy"].to_numpy()
        return px.scatter(acc, x="accuracy", y="slice", error_x=acc["hi"].to_numpy() - value,
                          error_x_minus=value - acc["lo"].to_numpy())  # fmt: skip

    name = "SlicesView (slice_metrics on the matrix, 200 resamples) vs groupby accuracy + bootstrap"
    return {name + " + px.scatter": {"ours": slices_ours, "base": slices_base}}


def bench_frame_views(n_inputs: int, n_concepts: int, part: str) -> None:
    """MultiLabelConfusionView and MistakesView, or SlicesView, on the long test-set frame."""
    for fns in frame_cases(make_test_set(200, 20, seed=0), part).values():
        for fn in fns.values():  # imports and plotly templates, untimed
            fn()
    ts = make_test_set(n_inputs, n_concepts, seed=0)
    frame_bytes = int(ts.memory_usage(deep=True).sum())
    sizes = f"{n_concepts:,} concepts x {n_inputs:,} inputs, frame {frame_bytes / MIB:.0f} MiB"
    for name, fns in frame_cases(ts, part).items():
        row(name, fns, frame_bytes, sizes, inputs="the frame")


def html_mb(view: Any) -> float:
    """Megabytes of the view's ``to_html`` page."""
    with tempfile.TemporaryDirectory() as folder:
        return view.to_html(Path(folder) / "view.html").stat().st_size / 1e6


def bench_huge() -> None:
    """One round at 5,000 x 50,000: build time, peak over the matrix, to_html size."""
    from clarinb import metrics
    from clarinb.views import CompareView, CurvesView, SlicesView

    warm()
    small = single_label_matrix(200, 20, seed=0)  # imports and plotly templates, untimed
    CurvesView(test_set_matrix=small).plot()
    CompareView(per_concept={"a": per_concept(small), "b": per_concept(small)},
                test_sets={"a": small, "b": small}).plot()  # fmt: skip
    m = single_label_matrix(HUGE_INPUTS, HUGE_CONCEPTS, seed=1)
    sizes = f"{HUGE_CONCEPTS:,} concepts x {HUGE_INPUTS:,} inputs, matrix {m.nbytes / MIB:.0f} MiB"
    for selection in ("auto", "all"):
        seconds = timed(lambda s=selection: CurvesView(test_set_matrix=m, selection=s).figure_)[0]
        view = CurvesView(test_set_matrix=m, selection=selection)
        peak, _ = peak_bytes(lambda view=view: view.figure_)
        html = html_mb(view)
        print(f"CurvesView ({selection}) build {format_seconds(seconds)}, "
              f"peak {peak / m.nbytes:.2f}x the matrix, to_html {html:.1f} MB [{sizes}]",
              flush=True)  # fmt: skip
    keys = pd.Series([f"slice-{i % 8}" for i in range(m.n_inputs)], index=m.inputs)

    def slices() -> Any:
        found = metrics.slice_metrics(m, keys, n_resamples=200)
        return SlicesView(slices=found.slices, whole=found.whole, metric=found.metric,
                          note=found.note)  # fmt: skip

    seconds, view = timed(lambda: slices().plot())
    peak, _ = peak_bytes(lambda: slices().figure_)
    print(f"SlicesView (slice_metrics, 8 slices, 200 resamples) build {format_seconds(seconds)}, "
          f"peak {peak / m.nbytes:.2f}x the matrix, to_html {html_mb(view):.1f} MB [{sizes}]",
          flush=True)  # fmt: skip
    mb = single_label_matrix(HUGE_INPUTS, HUGE_CONCEPTS, seed=2)
    given = {"a": per_concept(m), "b": per_concept(mb)}
    sets = {"a": m, "b": mb}
    seconds = timed(lambda: CompareView(per_concept=given, test_sets=sets).figure_)[0]
    view = CompareView(per_concept=given, test_sets=sets)
    peak, _ = peak_bytes(lambda: view.figure_)
    html = html_mb(view)
    print(f"CompareView build {format_seconds(seconds)}, peak "
          f"{peak / (m.nbytes + mb.nbytes):.2f}x the two matrices, to_html {html:.1f} MB "
          f"[{sizes}]", flush=True)  # fmt: skip
    counts = {"a": confusion_counts(m), "b": confusion_counts(mb)}
    count_bytes = sum(int(c.memory_usage().sum()) for c in counts.values())

    def with_confusion() -> Any:
        return CompareView(per_concept=given, test_sets=sets, matrices=counts)

    seconds = timed(lambda: with_confusion().figure_)[0]
    peak, view = peak_bytes(lambda: with_confusion().plot())
    print(f"CompareView with the {HUGE_CONCEPTS:,} x {HUGE_CONCEPTS:,} confusion difference build "
          f"{format_seconds(seconds)}, peak {peak / (m.nbytes + mb.nbytes + count_bytes):.2f}x "
          f"the two matrices and two confusion matrices, to_html {html_mb(view):.1f} MB "
          f"[{sizes}]", flush=True)  # fmt: skip


def bench_huge_frames() -> None:
    """One round at 5,000 x 50,000 of the views that also take the long frame (3.6 GiB of it).

    Each from the frame (converted to the matrix inside the view) and from the
    matrix, as ``from_evaluation`` gives it (the evaluation's, shared by the views).
    """
    from clarinb import metrics
    from clarinb.views import MistakesView, MultiLabelConfusionView

    warm()
    small = make_test_set(200, 20, seed=0)  # imports and plotly templates, untimed
    MistakesView(test_set=small).plot()
    MultiLabelConfusionView(test_set=small).plot()
    ts = make_test_set(HUGE_INPUTS, HUGE_CONCEPTS, seed=0)
    frame_bytes = int(ts.memory_usage(deep=True).sum())
    frame_mib = frame_bytes / MIB
    m = metrics.TestSetMatrix.from_frame(ts)
    sizes = (
        f"{HUGE_CONCEPTS:,} concepts x {HUGE_INPUTS:,} inputs, frame {frame_mib:.0f} MiB, "
        f"matrix {m.nbytes / MIB:.0f} MiB"
    )
    for given, data, nbytes in (("frame", ts, frame_bytes), ("matrix", m, m.nbytes)):
        for cls in (MistakesView, MultiLabelConfusionView):
            # Three rounds, all printed: at this size a round's time follows how much of its
            # new memory the host must back first, which varies from round to round.
            rounds = []
            for _ in range(3):
                seconds, view = timed(lambda cls=cls, data=data: cls(test_set=data).plot())
                rounds.append(seconds)
                del view
                gc.collect()
            seconds, view = timed(lambda cls=cls, data=data: cls(test_set=data).plot())
            html = html_mb(view)
            del view
            peak, _ = peak_bytes(lambda cls=cls, data=data: cls(test_set=data).figure_)
            middle = format_seconds(float(np.median(rounds)))
            print(f"{cls.__name__} from the {given} build {middle} "
                  f"(rounds {' / '.join(format_seconds(r) for r in rounds)}), peak "
                  f"{peak / nbytes:.2f}x the {given}, to_html {html:.1f} MB [{sizes}]",
                  flush=True)  # fmt: skip


def warm(gib: float = 12.0) -> None:
    """Touch the memory the 250M part will use, before timing it (see ``touch_memory``)."""
    size, seconds = touch_memory(gib)
    print(f"(wrote {size:.1f} GiB of new memory first: {format_seconds(seconds)})", flush=True)


def confusion_counts(m: Any) -> pd.DataFrame:
    """Count the single-label confusion matrix (actual x top-scored concept) of a matrix."""
    k = m.n_concepts
    actual, predicted = m.labels.argmax(axis=1), m.scores.argmax(axis=1)
    cells = np.bincount(actual * k + predicted, minlength=k * k).reshape(k, k)
    ids = pd.Index(m.concepts.astype(str))
    return pd.DataFrame(cells, index=ids, columns=ids)


#: The parts, each run in a process of its own (see :func:`main`).
PARTS = ("curves", "compare", "multilabel-curves", "frames", "slices", "huge", "huge-frames")


def run_part(part: str) -> None:
    """Run one part of the benchmark in this process."""
    if part in ("curves", "compare"):
        single = single_label_matrix(N_INPUTS, N_CONCEPTS, seed=0)
        if part == "curves":
            bench_curves(single, "single-label")
        else:
            bench_compare(single, single_label_matrix(N_INPUTS, N_CONCEPTS, seed=1))
    elif part == "multilabel-curves":
        bench_curves(multilabel_matrix(N_INPUTS, N_CONCEPTS, seed=0), "multi-label")
    elif part in ("frames", "slices"):
        bench_frame_views(N_INPUTS, N_CONCEPTS, part)
    elif part == "huge":
        bench_huge()
    else:
        bench_huge_frames()


def main() -> None:
    """Run every wanted part, each in a fresh process.

    A part then starts from the same interpreter state whatever ran before it
    (a heap left fragmented by gigabytes of earlier matrices slowed the
    frame views' own allocations two to four times); ours and the baseline
    still run interleaved in one process.
    """
    only = set(filter(None, os.environ.get("CLARINB_BENCH_ONLY", "").split(",")))

    def wanted(part: str) -> bool:
        return not only or part in only

    part = os.environ.get("CLARINB_BENCH_PART")
    if part:
        run_part(part)
        return
    huge = os.environ.get("CLARINB_BENCH_HUGE") == "1"
    for name in PARTS:
        if (name.startswith("huge") and huge) or (not name.startswith("huge") and wanted(name)):
            env = {**os.environ, "CLARINB_BENCH_PART": name}
            subprocess.run([sys.executable, __file__], env=env, check=True)


if __name__ == "__main__":
    main()
