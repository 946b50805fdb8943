"""``CompareView``: 2 to 6 evaluations of one dataset version side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb._html import Block, Markup, html_widget
from clarinb._html import table as html_table
from clarinb.errors import InvalidArgumentError
from clarinb.views import _controls as controls
from clarinb.views._base import View, figure_widget, sync_figure
from clarinb.views._compare_data import (
    METRICS,
    align_concepts,
    check_count,
    check_curves,
    check_versions,
    deltas,
    long_metrics,
)
from clarinb.views._compare_figures import (
    confusion_diff_figure,
    curves_figure,
    delta_figure,
    summary_figure,
)
from clarinb.views._source import EvaluationLike, EvaluationParts

__all__ = ["CompareView"]

#: Above this many concepts, delta bars and the difference heatmap keep the largest changes.
LARGE = 60


class CompareView(View):
    """Compare evaluations: summary, per-concept deltas, overlaid curves, confusion change.

    Parameters
    ----------
    per_concept : mapping of str to DataFrame, or sequence of evaluations
        Label -> per-concept metrics (``concept_id`` and any of ``roc_auc``,
        ``avg_precision``, ``f1``, as :func:`clarinb.frames.binary_metrics`).
        A list of 2 to 6 evaluations (``clarinb.Evaluation`` or dicts) is
        loaded as :meth:`from_evaluations` does.
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
        Metric of the delta bars.
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
    widget_ : ipywidgets.VBox
        Controls and one tab per figure.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"concept_id": ["x", "y"], "roc_auc": [0.8, 0.9]})
    >>> b = pd.DataFrame({"concept_id": ["x", "y"], "roc_auc": [0.85, 0.7]})
    >>> view = CompareView({"old": a, "new": b})
    >>> view.deltas()["new"].round(2).tolist()
    [0.05, -0.2]
    """

    title = "Comparison of evaluations"

    def __init__(
        self,
        per_concept: Mapping[str, pd.DataFrame] | Sequence[EvaluationLike],
        *,
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
            loaded = _load(per_concept)
            per_concept = loaded["per_concept"]
            curves = curves or loaded["curves"]
            matrices = matrices or loaded["matrices"]
            dataset_versions = dataset_versions or loaded["dataset_versions"]
            concept_names = concept_names or loaded["concept_names"]
        frames = cast("Mapping[str, pd.DataFrame]", per_concept)
        self.labels = [str(label) for label in frames]
        check_count(self.labels)
        check_versions(validate.mapping(dataset_versions, "dataset_versions"))
        self.aligned = align_concepts(
            frames, intersect=validate.choice(intersect, "intersect", (True, False))
        )
        self.concept_ids = list(next(iter(self.aligned.values())).index)
        self.curves = check_curves(validate.mapping(curves, "curves"))
        self.matrices = validate.mapping(matrices, "matrices")
        for label, matrix in self.matrices.items():
            validate.count_matrix(matrix, f"the confusion matrix of {label!r}")
        self.concept_names = validate.mapping(concept_names, "concept_names")
        self.metric = validate.choice(metric, "metric", METRICS)
        self.baseline = self._check_baseline(baseline or self.labels[0])
        self.concept = self._check_concept(
            concept if concept is not None else self._largest_change()
        )
        self.figures_: dict[str, go.Figure] = {}
        self._live: dict[str, go.FigureWidget] = {}

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_frames(cls, per_concept: Mapping[str, pd.DataFrame], **kwargs: Any) -> CompareView:
        """Build from per-concept frames (and optional curves and matrices).

        Examples
        --------
        >>> view = CompareView.from_frames({"a": bm_a, "b": bm_b})  # doctest: +SKIP
        """
        return cls(per_concept, **kwargs).plot()

    @classmethod
    def from_evaluations(cls, evaluations: Sequence[EvaluationLike], **kwargs: Any) -> CompareView:
        """Build from 2 to 6 evaluations of the same dataset version.

        Examples
        --------
        >>> view = CompareView.from_evaluations([ev1, ev2])  # doctest: +SKIP
        """
        return cls(evaluations, **kwargs).plot()

    from_evaluation = from_evaluations

    # -- data ---------------------------------------------------------------------------
    def deltas(self) -> pd.DataFrame:
        """Per-concept difference of :attr:`metric` against the baseline, sorted."""
        return deltas(self.aligned, self.metric, self.baseline)

    def summary(self) -> pd.DataFrame:
        """Mean of each metric over the compared concepts, one column per evaluation."""
        long = long_metrics(self.aligned)
        table = long.pivot_table(index="metric", columns="evaluation", values="value", sort=False)
        return table.rename_axis(index=None, columns=None)

    def _largest_change(self) -> str:
        try:
            diffs = deltas(self.aligned, self.metric, self.labels[0])
        except InvalidArgumentError:
            return self.concept_ids[0]
        first = diffs.iloc[:, 0].abs()
        return str(first.idxmax()) if first.notna().any() else self.concept_ids[0]

    # -- figures ------------------------------------------------------------------------
    def _build_figures(self) -> dict[str, go.Figure]:
        top = 40 if len(self.concept_ids) > LARGE else None
        figures = {
            "summary": summary_figure(long_metrics(self.aligned)),
            "deltas": delta_figure(
                self.deltas(), self.metric, self.baseline, self.concept_names, top
            ),
        }
        if len(self.curves) >= 2:
            name = self.concept_names.get(self.concept, self.concept)
            figures["curves"] = curves_figure(self.curves, self.concept, name)
        others = [label for label in self.labels if label != self.baseline]
        if self.baseline in self.matrices and others and others[0] in self.matrices:
            figures["confusion"] = confusion_diff_figure(
                self.matrices[self.baseline],
                self.matrices[others[0]],
                (self.baseline, others[0]),
                self.concept_names,
                top,
            )
        for fig in figures.values():
            fig.update_layout(template=self._template)
        return figures

    def _build_figure(self) -> go.Figure:
        self.figures_ = self._build_figures()
        return self.figures_["deltas"]

    def _summary_table(self) -> Markup:
        return html_table(self.summary(), index=True, number_format=".4f")

    def _html_sections(self) -> list[Block]:
        self.plot()
        titles = {"summary": "Summary", "deltas": "Per-concept differences",
                  "curves": "Curves", "confusion": "Confusion difference"}  # fmt: skip
        blocks = [Block(titles[k], f) for k, f in self.figures_.items()]
        return [Block("Mean metrics", self._summary_table()), *blocks]

    def _check_baseline(self, baseline: Any) -> str:
        return validate.choice(baseline, "baseline", self.labels, hint="one of the labels")

    def _check_concept(self, concept: Any) -> str:
        if not isinstance(concept, str) or concept not in self.concept_ids:
            raise InvalidArgumentError(
                f"Unknown concept {validate.shown(concept)}; one of the compared concepts, "
                f"as {self.concept_ids[:5]}."
            )
        return concept

    def set(self, **settings: Any) -> CompareView:
        """Change ``metric``, ``baseline`` or ``concept`` and redraw."""
        validate.known_keys(settings, ("metric", "baseline", "concept"))
        checks = {
            "metric": lambda v: validate.choice(v, "metric", METRICS),
            "baseline": self._check_baseline,
            "concept": self._check_concept,
        }
        checked = {key: checks[key](value) for key, value in settings.items()}
        for key, value in checked.items():
            setattr(self, key, value)
        self.plot()
        for key, live in self._live.items():
            if key in self.figures_:
                sync_figure(live, self.figures_[key])
        return self

    # -- widget -------------------------------------------------------------------------
    def _build_widget(self) -> widgets.VBox:
        self.plot()
        self._live = {k: figure_widget(f) for k, f in self.figures_.items()}
        present = [m for m in METRICS if all(m in f.columns for f in self.aligned.values())]
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
                    self.concept,
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


def _load(evaluations: Sequence[EvaluationLike]) -> dict[str, Any]:
    """Per-concept metrics, curves, matrices and dataset versions of evaluations."""
    if isinstance(evaluations, str | bytes) or not isinstance(evaluations, Sequence):
        raise InvalidArgumentError(
            "CompareView takes a list of evaluations or a mapping of label -> metrics frame."
        )
    parts = [p if isinstance(p, EvaluationParts) else EvaluationParts(p) for p in evaluations]
    check_count([str(i) for i in range(len(parts))])
    labels = [str(getattr(p.evaluation, "model_id", "") or p.label) for p in parts]
    if len(set(labels)) != len(labels):
        labels = [p.label for p in parts]
    out: dict[str, Any] = {
        "per_concept": {}, "curves": {}, "matrices": {}, "dataset_versions": {},
        "concept_names": {},
    }  # fmt: skip
    from clarinb import metrics  # noqa: PLC0415

    for label, part in zip(labels, parts, strict=True):
        if getattr(part.evaluation, "is_failed", False):
            raise InvalidArgumentError(f"Evaluation {part.label} failed; it has no metrics.")
        out["per_concept"][label] = part.binary_metrics
        out["curves"][label] = (part.roc, part.pr)
        ts = part.test_set
        out["matrices"][label] = (
            metrics.confusion_matrix(ts) if ts is not None else part.confusion_matrix
        )
        out["dataset_versions"][label] = getattr(part.evaluation, "dataset_version_id", None)
        out["concept_names"].update(part.concept_names)
    return out
