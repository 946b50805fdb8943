"""``CompareView``: 2 to 6 evaluations of one dataset version side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb import metrics
from clarinb._html import Block, Markup, html_widget
from clarinb._html import table as html_table
from clarinb.errors import InvalidArgumentError
from clarinb.evaluation import as_evaluation
from clarinb.metrics.deltas import (
    align_concepts,
    confusion_rate_change,
    metric_deltas,
    metric_means,
)
from clarinb.views import _controls as controls
from clarinb.views._base import View, figure_widget, sync_figure
from clarinb.views._compare_data import METRICS, check_count, check_curves, check_versions
from clarinb.views._compare_figures import (
    confusion_diff_figure,
    curves_figure,
    delta_figure,
    largest_changes,
    summary_figure,
)

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
    """Compare evaluations: summary, per-concept deltas, overlaid curves, confusion change.

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
    dataset_versions : mapping of str to str, optional
        Label -> dataset version id; different versions are an error.
    intersect : bool
        Compare the common concepts when the concept sets differ (an error
        otherwise).
    metric : {"roc_auc", "avg_precision", "f1"}
        Metric of the delta bars (a column of every frame).
    baseline : str, optional
        Label the others are compared with; the first by default.
    concept : str, optional
        Concept of the overlaid curves; the one with the largest change by default.
    concept_names : mapping of str to str, optional
        Display names.
    theme : {"light", "dark"}
        Plotly template family.

    Attributes
    ----------
    figure_ : plotly.graph_objects.Figure
        The per-concept delta bars.
    figures_ : dict of str to Figure
        Every figure: ``summary``, ``deltas``, ``curves``, ``confusion``.
    deltas_ : pandas.DataFrame
        Per-concept difference of ``metric`` against the baseline.
    summary_ : pandas.DataFrame
        Mean of each metric over the compared concepts, one column per evaluation.
    frame_ : pandas.DataFrame
        One row per drawn delta bar.
    widget_ : ipywidgets.VBox
        Controls and one tab per figure.

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
    settable = ("metric", "baseline", "concept")

    def __init__(
        self,
        *,
        per_concept: Mapping[str, pd.DataFrame],
        curves: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]] | None = None,
        matrices: Mapping[str, pd.DataFrame] | None = None,
        dataset_versions: Mapping[str, str | None] | None = None,
        intersect: bool = False,
        metric: str = "roc_auc",
        baseline: str | None = None,
        concept: str | None = None,
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
            validate.count_matrix(matrix, f"the confusion matrix of {label!r}")
        self.concept_names = validate.mapping(concept_names, "concept_names")
        self.metric = self._check_metric(metric)
        self.baseline = self._check_baseline(self.labels[0] if baseline is None else baseline)
        self.concept = None if concept is None else self._check_concept(concept)
        self._figures: dict[str, go.Figure] = {}
        self._live: dict[str, go.FigureWidget] = {}

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_frames(cls, **frames: Any) -> CompareView:
        """Build from per-concept frames (and curves, matrices): the constructor's keywords.

        Examples
        --------
        >>> view = CompareView.from_frames(per_concept={"a": bm_a, "b": bm_b})  # doctest: +SKIP
        """
        return cls(**frames)

    @classmethod
    def from_evaluations(
        cls, evaluations: Sequence[Evaluation | Mapping[str, Any]], **kwargs: Any
    ) -> CompareView:
        """Build from 2 to 6 evaluations of the same dataset version.

        Each is labelled by its model id (with its evaluation id when two
        share a model). Its metrics, curves, confusion matrix (from its test
        set when it has one) and dataset version come from the read model.

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
            "per_concept": {}, "curves": {}, "matrices": {}, "dataset_versions": {},
            "concept_names": {},
        }  # fmt: skip
        for label, ev in zip(labels, evs, strict=True):
            if ev.is_failed:
                raise InvalidArgumentError(f"Evaluation {label} failed; it has no metrics.")
            data["per_concept"][label] = ev.binary_metrics()
            data["curves"][label] = (ev.roc_curves(), ev.pr_curves())
            ts = ev.test_set_or_none()
            matrix = metrics.confusion_matrix(ts) if ts is not None else ev.confusion_matrix()
            data["matrices"][label] = matrix
            data["dataset_versions"][label] = ev.dataset_version_id
            data["concept_names"].update(ev.concepts)
        for key, value in data.items():
            kwargs.setdefault(key, value)
        return cls(**kwargs)

    # -- checks -------------------------------------------------------------------------
    def _check_metric(self, metric: Any) -> str:
        checked = validate.choice(metric, "metric", METRICS)
        lacking = [label for label, f in self._aligned.items() if checked not in f.columns]
        if lacking:
            raise InvalidArgumentError(
                f"The metrics of {lacking[0]!r} have no {checked!r} column; choose a metric "
                "every evaluation has."
            )
        return checked

    def _check_baseline(self, baseline: Any) -> str:
        return validate.choice(baseline, "baseline", self.labels, hint="one of the labels")

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
            "baseline": self._check_baseline,
            "concept": self._check_concept,
        }
        checked = {key: checks[key](value) for key, value in changes.items()}
        for key, value in checked.items():
            setattr(self, key, value)

    # -- results ------------------------------------------------------------------------
    @property
    def deltas_(self) -> pd.DataFrame:
        """Per-concept difference of :attr:`metric` against the baseline, largest gain first."""
        return metric_deltas(self._aligned, self.metric, self.baseline)

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
        deltas = self.deltas_
        change = deltas.iloc[:, 0].abs() if len(deltas.columns) else pd.Series(dtype=float)
        return str(change.idxmax()) if change.notna().any() else self.concept_ids[0]

    def _top(self) -> int | None:
        return 40 if len(self.concept_ids) > LARGE else None

    def _frame(self) -> pd.DataFrame:
        """One row per drawn delta bar."""
        shown = largest_changes(self.deltas_, self._top())
        long = shown.rename_axis("concept_id").reset_index()
        long = long.melt("concept_id", var_name="evaluation", value_name="delta")
        long["concept_name"] = long["concept_id"].map(lambda c: self.concept_names.get(c, c))
        long["baseline"] = self.baseline
        long["metric"] = self.metric
        columns = ["concept_id", "concept_name", "evaluation", "baseline", "metric", "delta"]
        return long[columns]

    # -- figures ------------------------------------------------------------------------
    def _build_figures(self) -> dict[str, go.Figure]:
        deltas = self.deltas_
        figures = {
            "summary": summary_figure(self.summary_),
            "deltas": delta_figure(
                largest_changes(deltas, self._top()),
                self.metric,
                self.baseline,
                self.concept_names,
                len(deltas),
            ),
        }
        if len(self.curves) >= 2:
            concept = self._shown_concept()
            name = self.concept_names.get(concept, concept)
            figures["curves"] = curves_figure(self.curves, concept, name)
        others = [label for label in self.labels if label != self.baseline]
        if self.baseline in self.matrices and others and others[0] in self.matrices:
            change = confusion_rate_change(self.matrices[self.baseline], self.matrices[others[0]])
            figures["confusion"] = confusion_diff_figure(
                change, (self.baseline, others[0]), self.concept_names, self._top()
            )
        for fig in figures.values():
            fig.update_layout(template=self._template)
        return figures

    def _build_figure(self) -> go.Figure:
        self._figures = self._build_figures()
        return self._figures["deltas"]

    def _summary_table(self) -> Markup:
        return html_table(self.summary_, index=True, number_format=".4f")

    def _html_sections(self) -> list[Block]:
        blocks = [Block(_TITLES[k], f) for k, f in self.figures_.items()]
        return [Block("Mean metrics", self._summary_table()), *blocks]

    # -- widget -------------------------------------------------------------------------
    def _refresh_widget(self) -> None:
        self.plot()
        for key, live in self._live.items():
            if key in self._figures:
                sync_figure(live, self._figures[key])

    def _build_widget(self) -> widgets.VBox:
        self._live = {k: figure_widget(f) for k, f in self.figures_.items()}
        present = [m for m in METRICS if all(m in f.columns for f in self._aligned.values())]
        bar = widgets.HBox(
            [
                controls.dropdown(
                    "metric", [(m, m) for m in present], self.metric, lambda v: self.set(metric=v)
                ),
                controls.dropdown(
                    "baseline",
                    [(x, x) for x in self.labels],
                    self.baseline,
                    lambda v: self.set(baseline=v),
                ),
                controls.dropdown(
                    "concept",
                    [(self.concept_names.get(c, c), c) for c in self.concept_ids],
                    self._shown_concept(),
                    lambda v: self.set(concept=v),
                ),
            ]
        )
        table = html_widget(self._summary_table())
        summary = widgets.VBox([table, self._live["summary"]])
        children = [summary] + [self._live[k] for k in self._live if k != "summary"]
        names = {"deltas": "Per-concept deltas", "curves": "Curves",
                 "confusion": "Confusion difference"}  # fmt: skip
        titles = ["Summary"] + [names[k] for k in self._live if k != "summary"]
        box = widgets.VBox([bar, widgets.Tab(children=children, titles=titles)])
        box.add_class("clarinb-compare")
        return box
