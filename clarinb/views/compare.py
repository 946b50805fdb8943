"""``CompareView``: 2 to 6 evaluations of one dataset version side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb import metrics
from clarinb._html import Block, Markup, html_widget, plotly_text, set_html, tag
from clarinb._html import table as html_table
from clarinb.errors import InvalidArgumentError
from clarinb.evaluation import as_evaluation
from clarinb.metrics import _resample
from clarinb.metrics.bootstrap import METRICS as PAIRED_METRICS
from clarinb.metrics.compare import PairedComparison
from clarinb.metrics.confusion_changes import largest_confusion_changes
from clarinb.metrics.deltas import (
    align_concepts,
    confusion_change_beyond_noise,
    confusion_rate_change,
    metric_deltas,
    metric_means,
)
from clarinb.metrics.significance import McNemarResult
from clarinb.views._base import View, figure_widget, sync_figure
from clarinb.views._compare_data import (
    METRICS,
    check_count,
    check_curves,
    check_test_sets,
    check_versions,
)
from clarinb.views._compare_figures import (
    confusion_diff_figure,
    curves_figure,
    delta_figure,
    largest_changes,
    mcnemar_line,
    model_colors,
    summary_figure,
)
from clarinb.views._compare_pairs import PairedResults
from clarinb.views._compare_widget import CompareControls

if TYPE_CHECKING:
    from clarinb.evaluation import Evaluation

__all__ = ["CompareView"]

#: Above this many concepts, delta bars and the difference heatmap keep the largest changes.
LARGE = 60
_TITLES = {
    "summary": "Summary",
    "deltas": "Per-concept differences",
    "curves": "Curves",
    "confusion": "Confusion difference",
}


class CompareView(View):
    """Compare evaluations: which differences are real, per concept and overall.

    With the evaluations' test sets (the same dataset version, so the same
    inputs), each model is compared with the baseline by a paired bootstrap
    over the shared inputs (:func:`clarinb.metrics.paired_bootstrap`): every
    concept's delta gets an interval and is marked better, worse or
    indistinguishable, and the view opens with the verdict ("B beats A on 7
    concepts, is worse on 2, indistinguishable on 11"); for single-label
    classifiers McNemar's test on top-1 correctness follows it. Without test
    sets the deltas of the evaluations' own metrics are shown, without
    intervals.

    A model keeps one colour in every figure (from its position in the
    labels); the delta bars and the confusion difference are coloured by
    better / worse instead.

    Parameters
    ----------
    per_concept : mapping of str to DataFrame
        Label -> per-concept metrics (``concept_id`` and any of ``roc_auc``,
        ``avg_precision``, ``f1``, as :func:`clarinb.frames.binary_metrics`),
        2 to 6 of them.
    curves : mapping of str to (DataFrame, DataFrame), optional
        Label -> (ROC, PR) frames, for the overlaid curves.
    matrices : mapping of str to DataFrame, optional
        Label -> confusion matrix (counts), for the difference heatmap.
    test_sets : mapping of str to DataFrame or TestSetMatrix, optional
        Label -> test set (as :func:`clarinb.frames.test_set`, or its
        :class:`clarinb.metrics.TestSetMatrix`), for the paired intervals,
        the verdict and McNemar's test.  Above a size budget (inputs x
        concepts x resamples over 5e7) every delta stays exact but only the
        concepts that changed most get intervals, from 200 resamples; the
        verdict and ``frame_``'s ``interval_note`` say so.
    dataset_versions : mapping of str to str, optional
        Label -> dataset version id; different versions are an error.
    intersect : bool
        Compare the common concepts when the concept sets differ (an error
        otherwise).
    metric : str
        Metric of the delta bars and the verdict: ``roc_auc``,
        ``avg_precision``, ``f1`` (a column of every frame), or with test sets
        also ``precision``, ``recall``.
    baseline : str, optional
        Label the others are compared with; the first by default.
    other : str, optional
        The model compared with the baseline in the delta bars, the verdict
        and the confusion difference; the first label that is not the
        baseline by default (and when the baseline becomes it).
    concept : str, optional
        Concept of the overlaid curves; the one with the largest change by default.
    threshold : float
        Decision threshold of precision, recall and F1 in the paired comparison.
    beyond_noise : bool
        Draw only the confusion-rate changes beyond noise (a two-proportion
        test per cell at level ``ci``, see
        :func:`clarinb.metrics.deltas.confusion_change_beyond_noise`).
    ci : float
        Confidence level of the intervals and tests.
    n_resamples : int
        Bootstrap resamples of the paired comparison.
    seed : int
        Seed of the resamples.
    concept_names : mapping of str to str, optional
        Display names.
    theme : {"light", "dark"}
        Plotly template family.

    Attributes
    ----------
    figure_ : plotly.graph_objects.Figure
        The per-concept delta bars of ``other`` against the baseline, with
        intervals, titled with the verdict.
    figures_ : dict of str to Figure
        Every figure: ``summary``, ``deltas``, ``curves``, ``confusion``.
    comparison_ : PairedComparison or None
        The paired comparison of ``other`` with the baseline (``None``
        without both test sets).
    comparisons_ : dict of str to PairedComparison or None
        The paired comparison of every other model with the baseline.
    verdict_ : str
        The verdict line of ``other`` against the baseline on ``metric``.
    verdicts_ : dict of str to str
        The verdict line of every other model against the baseline.
    macro_ : pandas.DataFrame or None
        Macro deltas of the pair, with intervals and verdicts, one row per
        metric (``None`` without test sets).
    mcnemar_ : McNemarResult or None
        McNemar's test on top-1 correctness of the pair, for single-label
        classifiers with test sets (``None`` otherwise).
    deltas_ : pandas.DataFrame
        Per-concept difference of ``metric`` against the baseline, one column
        per other model (from the test sets when given).
    confusion_ : pandas.DataFrame or None
        The drawn change of confusion rates (``other`` minus baseline, NaN
        where hidden as noise); ``None`` without both matrices.
    summary_ : pandas.DataFrame
        Mean of each metric over the compared concepts, one column per evaluation.
    frame_ : pandas.DataFrame
        One row per drawn delta bar, with its interval and verdict.
    widget_ : ipywidgets.VBox
        The verdict, controls and one tab per figure.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"concept_id": ["x", "y"], "roc_auc": [0.8, 0.9]})
    >>> b = pd.DataFrame({"concept_id": ["x", "y"], "roc_auc": [0.85, 0.7]})
    >>> view = CompareView(per_concept={"old": a, "new": b})
    >>> view.deltas_["new"].round(2).tolist()
    [0.05, -0.2]
    """

    title = "Comparison of evaluations"
    settable = ("metric", "baseline", "other", "concept", "threshold", "beyond_noise")

    def __init__(
        self,
        *,
        per_concept: Mapping[str, pd.DataFrame],
        curves: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]] | None = None,
        matrices: Mapping[str, pd.DataFrame] | None = None,
        test_sets: Mapping[str, pd.DataFrame] | None = None,
        dataset_versions: Mapping[str, str | None] | None = None,
        intersect: bool = False,
        metric: str = "roc_auc",
        baseline: str | None = None,
        other: str | None = None,
        concept: str | None = None,
        threshold: float = 0.5,
        beyond_noise: bool = False,
        ci: float = 0.95,
        n_resamples: int = 1000,
        seed: int = 0,
        concept_names: Mapping[str, str] | None = None,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        if not isinstance(per_concept, Mapping):
            raise InvalidArgumentError(
                "per_concept must be a mapping of label -> metrics frame, not "
                f"{validate.shown(per_concept)}; build from evaluations with "
                "CompareView.from_evaluations([...])."
            )
        self.labels = [str(label) for label in per_concept]
        check_count(self.labels)
        check_versions(validate.mapping(dataset_versions, "dataset_versions"))
        intersect = validate.choice(intersect, "intersect", (True, False))
        frames = {str(label): frame for label, frame in per_concept.items()}
        self._aligned = align_concepts(frames, intersect=intersect)
        self.concept_ids = list(next(iter(self._aligned.values())).index)
        self.curves = check_curves(validate.mapping(curves, "curves"))
        self.matrices = validate.mapping(matrices, "matrices")
        for label, matrix in self.matrices.items():
            validate.count_matrix(matrix, f"the confusion matrix of {label!r}", as_float=False)
        self.test_sets = check_test_sets(validate.mapping(test_sets, "test_sets"), self.labels)
        self.ci, self.n_resamples, _ = _resample.check_args(ci, n_resamples, seed)
        self.seed = seed
        self.concept_names = validate.mapping(concept_names, "concept_names")
        self.metric = self._check_metric(metric)
        self.baseline = self._check_baseline(self.labels[0] if baseline is None else baseline)
        self.other = self._check_other(other, self.baseline)
        self.concept = None if concept is None else self._check_concept(concept)
        self.threshold = validate.probability(threshold, "threshold")
        self.beyond_noise = validate.choice(beyond_noise, "beyond_noise", (True, False))
        self._colors = model_colors(self.labels)
        self._paired = PairedResults(
            self.test_sets, ci=self.ci, n_resamples=self.n_resamples, seed=seed
        )
        self._figures: dict[str, go.Figure] = {}
        self._live: dict[str, go.FigureWidget] = {}
        self._controls: CompareControls | None = None
        self._table: Any = None

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_frames(cls, **frames: Any) -> CompareView:
        """Build from frames (metrics, curves, matrices, test sets): the constructor's keywords.

        Examples
        --------
        >>> view = CompareView.from_frames(
        ...     per_concept={"a": bm_a, "b": bm_b}, test_sets={"a": ts_a, "b": ts_b}
        ... )  # doctest: +SKIP
        """
        return cls(**frames)

    @classmethod
    def from_evaluations(
        cls, evaluations: Sequence[Evaluation | Mapping[str, Any]], **kwargs: Any
    ) -> CompareView:
        """Build from 2 to 6 evaluations of the same dataset version.

        Each is labelled by its model id (with its evaluation id when two
        share a model). Its metrics, curves, test set (when it has one), the
        confusion matrix (from the test set when there is one) and dataset
        version come from the read model.

        Parameters
        ----------
        evaluations : sequence of clarinb.Evaluation or dict
            The read models (body dicts are wrapped with ``Evaluation.from_dict``).
        **kwargs
            The constructor's other keywords (``metric``, ``baseline``, ...).

        Examples
        --------
        >>> view = CompareView.from_evaluations([ev1, ev2])  # doctest: +SKIP
        """
        if isinstance(evaluations, str | bytes | Mapping) or not isinstance(evaluations, Sequence):
            raise InvalidArgumentError(
                "evaluations must be a list of 2 to 6 clarinb.Evaluation, not "
                f"{validate.shown(evaluations)}."
            )
        evs = [as_evaluation(ev, f"evaluations[{i}]") for i, ev in enumerate(evaluations)]
        check_count([str(i) for i in range(len(evs))])
        labels = [ev.model_id or ev.id for ev in evs]
        if len(set(labels)) != len(labels):
            labels = [f"{ev.model_id or '?'} / {ev.id or '?'}" for ev in evs]
        data: dict[str, dict[str, Any]] = {
            "per_concept": {}, "curves": {}, "matrices": {}, "test_sets": {},
            "dataset_versions": {}, "concept_names": {},
        }  # fmt: skip
        for label, ev in zip(labels, evs, strict=True):
            if ev.is_failed:
                raise InvalidArgumentError(f"Evaluation {label} failed; it has no metrics.")
            data["per_concept"][label] = ev.binary_metrics()
            data["curves"][label] = (ev.roc_curves(), ev.pr_curves())
            ts = ev.test_set_or_none()
            if ts is not None:
                data["test_sets"][label] = ts
            matrix = metrics.confusion_matrix(ts) if ts is not None else ev.confusion_matrix()
            data["matrices"][label] = matrix
            data["dataset_versions"][label] = ev.dataset_version_id
            data["concept_names"].update(ev.concepts)
        for key, value in data.items():
            kwargs.setdefault(key, value)
        return cls(**kwargs)

    # -- checks -------------------------------------------------------------------------
    def _check_metric(self, metric: Any) -> str:
        paired = len(self.test_sets) == len(self.labels)
        checked = validate.choice(metric, "metric", PAIRED_METRICS if paired else METRICS)
        lacking = [label for label, f in self._aligned.items() if checked not in f.columns]
        if lacking and not paired:
            raise InvalidArgumentError(
                f"The metrics of {lacking[0]!r} have no {checked!r} column; choose a metric "
                "every evaluation has, or give the test sets."
            )
        return checked

    def _check_baseline(self, baseline: Any) -> str:
        return validate.choice(baseline, "baseline", self.labels, hint="one of the labels")

    def _check_other(self, other: Any, baseline: str) -> str | None:
        if other is None:
            return None
        others = [label for label in self.labels if label != baseline]
        return validate.choice(other, "other", others, hint="a label other than the baseline")

    def _check_concept(self, concept: Any) -> str:
        if not isinstance(concept, str) or concept not in self.concept_ids:
            raise InvalidArgumentError(
                f"Unknown concept {validate.shown(concept)}; one of the compared concepts, "
                f"as {self.concept_ids[:5]}."
            )
        return concept

    def _apply(self, changes: dict[str, Any]) -> None:
        checks = {
            "metric": self._check_metric,
            "concept": self._check_concept,
            "threshold": lambda v: validate.probability(v, "threshold"),
            "beyond_noise": lambda v: validate.choice(v, "beyond_noise", (True, False)),
        }
        checked = {key: checks[key](value) for key, value in changes.items() if key in checks}
        baseline = self._check_baseline(changes.get("baseline", self.baseline))
        if "other" in changes:
            checked["other"] = self._check_other(changes["other"], baseline)
        elif self.other == baseline:
            checked["other"] = None
        checked["baseline"] = baseline
        for key, value in checked.items():
            setattr(self, key, value)

    # -- results ------------------------------------------------------------------------
    def _other(self) -> str:
        """Return the model compared with the baseline: the chosen one, else the first other."""
        if self.other is not None and self.other != self.baseline:
            return self.other
        return next(label for label in self.labels if label != self.baseline)

    def _others(self) -> list[str]:
        return [label for label in self.labels if label != self.baseline]

    def _pair(self, other: str) -> PairedComparison | None:
        return self._paired.comparison(self.baseline, other, self.threshold)

    @property
    def comparison_(self) -> PairedComparison | None:
        """The paired comparison of :attr:`other` with the baseline (``None`` without test sets)."""
        return self._pair(self._other())

    @property
    def macro_(self) -> pd.DataFrame | None:
        """Macro deltas of the pair with their intervals and verdicts (``None`` without test sets).

        Index ``metric``; columns as :attr:`PairedComparison.macro`.
        """
        comparison = self.comparison_
        return None if comparison is None else comparison.macro

    @property
    def comparisons_(self) -> dict[str, PairedComparison | None]:
        """The paired comparison of every other model with the baseline."""
        return {label: self._pair(label) for label in self._others()}

    def _verdict(self, other: str) -> str:
        return self._paired.verdict(self.baseline, other, self.metric, self.threshold)

    @property
    def verdict_(self) -> str:
        """The verdict of :attr:`other` against the baseline on :attr:`metric`."""
        return self._verdict(self._other())

    @property
    def verdicts_(self) -> dict[str, str]:
        """The verdict of every other model against the baseline."""
        return {label: self._verdict(label) for label in self._others()}

    @property
    def mcnemar_(self) -> McNemarResult | None:
        """McNemar's test on top-1 correctness of the pair (single-label classifiers only)."""
        return self._paired.mcnemar(self.baseline, self._other())

    def _pair_rows(self, other: str) -> pd.DataFrame:
        """Per-concept delta, interval and verdict of ``other`` against the baseline."""
        fallback = (
            pd.Series(float("nan"), index=pd.Index(self.concept_ids, name="concept_id"))
            if self._pair(other) is not None
            else metric_deltas(self._aligned, self.metric, self.baseline)[other]
        )
        return self._paired.rows(
            self.baseline, other, self.metric, self.threshold, fallback.reindex(self.concept_ids)
        )

    @property
    def deltas_(self) -> pd.DataFrame:
        """Per-concept difference of :attr:`metric` against the baseline, largest gain first."""
        if not all(self._pair(label) is not None for label in self._others()):
            return metric_deltas(self._aligned, self.metric, self.baseline)
        table = pd.DataFrame(
            {label: self._pair_rows(label)["delta"] for label in self._others()},
            index=pd.Index(self.concept_ids, name="concept_id"),
        )
        key = table[self._others()[0]].fillna(float("-inf"))
        return table.loc[key.sort_values(ascending=False, kind="stable").index]

    @property
    def confusion_(self) -> pd.DataFrame | None:
        """The drawn change of confusion rates (NaN where hidden as noise), or ``None``."""
        first, second = self.matrices.get(self.baseline), self.matrices.get(self._other())
        if first is None or second is None:
            return None
        change = confusion_rate_change(first, second)
        if self.beyond_noise:
            change = change.where(confusion_change_beyond_noise(first, second, ci=self.ci))
        return change

    def _drawn_confusion(self) -> tuple[pd.DataFrame, int] | None:
        """Return the change drawn (every cell, or the largest changes') and the concept count."""
        first, second = self.matrices.get(self.baseline), self.matrices.get(self._other())
        if first is None or second is None:
            return None
        top = self._top()
        if top is None:
            change = self.confusion_
            assert change is not None
            return change, len(change)
        ci = self.ci if self.beyond_noise else None  # read from the nonzero cells only
        return largest_confusion_changes(first, second, top, ci=ci)

    @property
    def summary_(self) -> pd.DataFrame:
        """Mean of each metric over the compared concepts, one column per evaluation."""
        return metric_means(self._aligned, METRICS)

    @property
    def figures_(self) -> dict[str, go.Figure]:
        """Every figure: ``summary``, ``deltas``, and ``curves``, ``confusion`` when given."""
        if self._figure is None:
            self.plot()
        return dict(self._figures)

    def _shown_concept(self) -> str:
        """Pick the concept of the overlaid curves: the chosen one, else the largest change."""
        if self.concept is not None:
            return self.concept
        change = self._pair_rows(self._other())["delta"].abs()
        return str(change.idxmax()) if change.notna().any() else self.concept_ids[0]

    def _top(self) -> int | None:
        return 40 if len(self.concept_ids) > LARGE else None

    def _shown_rows(self) -> pd.DataFrame:
        return largest_changes(self._pair_rows(self._other()), self._top())

    def _frame(self) -> pd.DataFrame:
        """One row per drawn delta bar, with its interval and verdict."""
        long = self._shown_rows().rename_axis("concept_id").reset_index()
        long["concept_name"] = long["concept_id"].map(lambda c: self.concept_names.get(c, c))
        long["evaluation"] = self._other()
        long["baseline"] = self.baseline
        long["metric"] = self.metric
        long["interval_note"] = self._paired.note(self.baseline, self._other(), self.threshold)
        columns = ["concept_id", "concept_name", "evaluation", "baseline", "metric", "delta",
                   "delta_lo", "delta_hi", "verdict", "interval_note"]  # fmt: skip
        return long[columns]

    # -- figures ------------------------------------------------------------------------
    def _mcnemar_text(self) -> str:
        result = self.mcnemar_
        return "" if result is None else mcnemar_line(result, (self.baseline, self._other()))

    def _heading(self) -> str:
        """Return the verdict (and McNemar's test) as plotly text, for the delta bars' title."""
        line = plotly_text(self.verdict_)
        test = self._mcnemar_text()
        return line + (
            f"<br><span style='font-size:12px'>{plotly_text(test)}</span>" if test else ""
        )

    def _build_figures(self) -> dict[str, go.Figure]:
        other = self._other()
        figures = {
            "summary": summary_figure(self.summary_, self._colors),
            "deltas": delta_figure(
                self._shown_rows().rename_axis("concept_id").reset_index(),
                self._heading(),
                self.concept_names,
                len(self.concept_ids),
                self.ci,
            ),
        }
        if len(self.curves) >= 2:
            concept = self._shown_concept()
            name = self.concept_names.get(concept, concept)
            figures["curves"] = curves_figure(self.curves, concept, name, self._colors)
        change = self._drawn_confusion()
        if change is not None:
            note = (
                f"; only changes beyond noise ({self.ci:.0%} two-proportion test)"
                if self.beyond_noise
                else ""
            )
            figures["confusion"] = confusion_diff_figure(
                change[0], (self.baseline, other), self.concept_names, change[1], note
            )
        for key, fig in figures.items():
            if key != "deltas":  # plot() themes figure_
                fig.update_layout(template=self._template)
        return figures

    def _build_figure(self) -> go.Figure:
        self._figures = self._build_figures()
        return self._figures["deltas"]

    def _summary_table(self) -> Markup:
        """Mean metrics of every model, then the pair's macro deltas with their intervals."""
        means = html_table(self.summary_, index=True, number_format=".4f")
        macro = self.macro_
        if macro is None:
            return means
        title = f"Macro differences, {self._other()} minus {self.baseline}"
        return (
            means + tag("p", tag("b", title)) + html_table(macro, index=True, number_format=".4f")
        )

    def _verdict_markup(self) -> Markup:
        """Write the pair's verdict in bold, McNemar's test, then the other pairs' verdicts."""
        other = self._other()
        parts = [tag("b", self.verdicts_[other])]
        test = self._mcnemar_text()
        if test:
            parts += [tag("br"), tag("span", test)]
        for label, line in self.verdicts_.items():
            if label != other:
                parts += [tag("br"), tag("span", line, class_="clarinb-note")]
        return tag("div", *parts, class_="clarinb-verdict")

    def _html_sections(self) -> list[Block]:
        blocks = [Block(_TITLES[k], f) for k, f in self.figures_.items()]
        return [
            Block(self.verdict_, self._verdict_markup()),
            Block("Mean metrics and macro differences", self._summary_table()),
            *blocks,
        ]

    # -- widget -------------------------------------------------------------------------
    def _state(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "baseline": self.baseline,
            "other": self._other(),
            "others": self._others(),
            "concept": self._shown_concept(),
            "beyond_noise": self.beyond_noise,
        }

    def _refresh_widget(self) -> None:
        self.plot()
        for key, live in self._live.items():
            if key in self._figures:
                sync_figure(live, self._figures[key])
        if self._controls is not None:
            self._controls.sync(self._state(), self._verdict_markup())
            set_html(self._table, self._summary_table())

    def _build_widget(self) -> widgets.VBox:
        self._live = {k: figure_widget(f) for k, f in self.figures_.items()}
        paired = len(self.test_sets) == len(self.labels)
        present = [
            m
            for m in (PAIRED_METRICS if paired else METRICS)
            if paired or all(m in f.columns for f in self._aligned.values())
        ]
        self._controls = CompareControls(
            metrics=present,
            labels=self.labels,
            concepts=[(self.concept_names.get(c, c), c) for c in self.concept_ids],
            state=self._state(),
            verdict=self._verdict_markup(),
            on_change=lambda name, value: self.set(**{name: value}),
        )
        self._table = html_widget(self._summary_table())
        summary = widgets.VBox([self._table, self._live["summary"]])
        children = [summary] + [self._live[k] for k in self._live if k != "summary"]
        names = {"deltas": "Per-concept deltas", "curves": "Curves",
                 "confusion": "Confusion difference"}  # fmt: skip
        titles = ["Summary"] + [names[k] for k in self._live if k != "summary"]
        tabs = widgets.Tab(children=children, titles=titles)
        box = widgets.VBox([self._controls.verdict, self._controls.bar, tabs])
        box.add_class("clarinb-compare")
        return box
