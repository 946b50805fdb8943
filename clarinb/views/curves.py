"""``CurvesView``: ROC and precision-recall curves per concept, with averages and a threshold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clarinb import _validate as validate
from clarinb._html import Block
from clarinb.errors import InvalidArgumentError
from clarinb.views import _controls as controls
from clarinb.views._base import View, figure_widget, sync_figure
from clarinb.views._curve_data import (
    area_scores,
    join_points,
    macro_average,
    micro_average,
    operating_points,
)
from clarinb.views._curve_figures import CurveSet, operating_trace, pr_figure, roc_figure
from clarinb.views._curves_controls import curve_controls
from clarinb.views._source import EvaluationLike, evaluation_parts

__all__ = ["CurvesView"]

#: Selection modes of the concept multi-select.
SELECTIONS = ("all", "top", "bottom")
#: Most points drawn per curve (exact points, evenly thinned).
POINTS_PER_CURVE = 300
#: Above this many concepts the default selection is the ``k`` lowest by AUC.
AUTO_ALL = 12


class CurvesView(View):
    """ROC and precision-recall curves with AUC/AP, averages, iso-F1 and an operating point.

    Parameters
    ----------
    roc : pandas.DataFrame
        ``concept_id``, ``threshold``, ``fpr``, ``tpr`` (as :func:`clarinb.frames.roc_curves`).
    pr : pandas.DataFrame
        ``concept_id``, ``threshold``, ``precision``, ``recall``.
    scores : pandas.DataFrame, optional
        ``concept_id``, ``roc_auc``, ``avg_precision``; computed from the
        curves when omitted.
    counts : pandas.DataFrame, optional
        ``concept_id``, ``num_pos``, ``num_neg``: lets the micro average be
        computed from the curves when there is no test set.
    test_set : pandas.DataFrame, optional
        Gives the exact micro average.
    threshold : float, optional
        Where the operating-point markers sit (none when ``None``).
    select : {"all", "top", "bottom"} or sequence of str
        Which concepts to draw: all, the ``k`` highest or lowest by ROC AUC,
        or the given concept ids. ``"auto"`` means all up to 12 concepts and
        the ``k`` lowest above.
    k : int
        Size of the top/bottom selections.
    averages : bool
        Draw the micro and macro average curves.
    concept_names : mapping of str to str, optional
        Display names.
    theme : {"light", "dark"}
        Plotly template family.

    Attributes
    ----------
    figure_ : plotly.graph_objects.Figure
        ROC and PR side by side.
    roc_figure_, pr_figure_ : plotly.graph_objects.Figure
        Each on its own (the widget's two tabs).
    widget_ : ipywidgets.VBox
        Controls above ROC and PR tabs.

    Examples
    --------
    >>> import pandas as pd
    >>> roc = pd.DataFrame({"concept_id": ["a"] * 3, "threshold": [1.0, 0.5, 0.0],
    ...                     "fpr": [0.0, 0.0, 1.0], "tpr": [0.0, 1.0, 1.0]})
    >>> pr = pd.DataFrame({"concept_id": ["a"] * 2, "threshold": [1.0, 0.5],
    ...                    "precision": [1.0, 1.0], "recall": [0.0, 1.0]})
    >>> CurvesView(roc, pr).scores["roc_auc"].tolist()
    [1.0]
    """

    title = "ROC and precision-recall curves"

    def __init__(
        self,
        roc: pd.DataFrame,
        pr: pd.DataFrame,
        *,
        scores: pd.DataFrame | None = None,
        counts: pd.DataFrame | None = None,
        test_set: pd.DataFrame | None = None,
        threshold: float | None = 0.5,
        select: str | Sequence[str] = "auto",
        k: int = 10,
        averages: bool = True,
        concept_names: Mapping[str, str] | None = None,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        self.points = join_points(roc, pr, limit=POINTS_PER_CURVE)
        if self.points.empty:
            raise InvalidArgumentError(
                "the ROC and PR frames hold no curve point: the evaluation has no curves to draw."
            )
        for name, frame in (("scores", scores), ("counts", counts)):
            if frame is not None:
                validate.frame(frame, name, columns=["concept_id"])
        self.scores = self._scores(scores, roc, pr)
        self.counts = counts
        self.test_set = None if test_set is None else validate.evaluation_test_set(test_set)
        self.threshold = controls.check_threshold(threshold)
        self.concept_ids = list(self.scores["concept_id"])
        self.k = validate.positive_int(k, "k")
        if isinstance(select, str) and select == "auto":
            select = "all" if len(self.concept_ids) <= AUTO_ALL else "bottom"
        self.select = self._check_select(select)
        self.averages = validate.choice(averages, "averages", (True, False))
        self.concept_names = validate.mapping(concept_names, "concept_names")
        self._micro: pd.DataFrame | None = None
        self._macro: tuple[pd.DataFrame, pd.DataFrame] | None = None
        self.roc_figure_: go.Figure | None = None
        self.pr_figure_: go.Figure | None = None
        self._live: tuple[go.FigureWidget, go.FigureWidget] | None = None

    def _scores(
        self, scores: pd.DataFrame | None, roc: pd.DataFrame, pr: pd.DataFrame
    ) -> pd.DataFrame:
        concepts = pd.unique(self.points["concept_id"])
        columns = ["roc_auc", "avg_precision"]
        given = None
        if scores is not None and "concept_id" in scores:
            given = scores.assign(concept_id=scores["concept_id"].astype(str))
            given = given.drop_duplicates("concept_id").set_index("concept_id")
            complete = set(columns) <= set(given.columns) and set(concepts) <= set(given.index)
            given = given.reindex(columns=columns).reindex(concepts)
            # scores that are not numbers are unknown (NaN, "n/a"), never an error later
            given = given.apply(pd.to_numeric, errors="coerce").astype(float)
            if complete:  # NaN stays NaN: a concept without positives has no AUC
                return given.reset_index()
        computed = area_scores(roc, pr).astype({"concept_id": str}).set_index("concept_id")
        computed = computed.reindex(concepts)
        if given is not None:
            computed = given.fillna(computed)
        return computed.reset_index()

    def _check_select(self, select: str | Sequence[str]) -> str | list[str]:
        hint = "'auto' or a list of concept ids is accepted too"
        if isinstance(select, str):
            return validate.choice(select, "select", SELECTIONS, hint=hint)
        try:
            chosen = validate.strings(select, "select")
        except InvalidArgumentError:
            raise InvalidArgumentError(
                f"select must be one of {list(SELECTIONS)}, 'auto' or a list of concept ids, "
                f"not {validate.shown(select)}."
            ) from None
        unknown = sorted(set(chosen) - set(self.concept_ids))
        if unknown:
            raise InvalidArgumentError(f"Unknown concept ids in select: {unknown[:10]}.")
        return chosen

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_frames(
        cls,
        roc: pd.DataFrame | None = None,
        pr: pd.DataFrame | None = None,
        *,
        binary_metrics: pd.DataFrame | None = None,
        test_set: pd.DataFrame | None = None,
        **kwargs: Any,
    ) -> CurvesView:
        """Build from curve frames, or from a test set alone (curves computed exactly).

        ``binary_metrics`` (as :func:`clarinb.frames.binary_metrics`) gives the
        service's AUC/AP and the counts for the micro average.

        Examples
        --------
        >>> view = CurvesView.from_frames(test_set=ts)  # doctest: +SKIP
        """
        scores = counts = None
        if roc is None or pr is None:
            if test_set is None:
                raise InvalidArgumentError("CurvesView needs ROC and PR frames, or a test set.")
            from clarinb import metrics  # noqa: PLC0415

            test_set = validate.evaluation_test_set(test_set)
            roc, pr = metrics.curves(test_set)
            scores = metrics.scores(test_set)
        elif binary_metrics is not None:
            validate.frame(
                binary_metrics,
                "binary_metrics",
                columns=["concept_id"],
                hint="build it with clarinb.frames.binary_metrics()",
            )
            scores = binary_metrics
            counts = binary_metrics
        return cls(roc, pr, scores=scores, counts=counts, test_set=test_set, **kwargs).plot()

    @classmethod
    def from_evaluation(cls, evaluation: EvaluationLike, **kwargs: Any) -> CurvesView:
        """Build from an evaluation: the body's curves, plus its test set when it has one.

        Examples
        --------
        >>> view = CurvesView.from_evaluation(evaluation)  # doctest: +SKIP
        """
        parts = evaluation_parts(evaluation)
        kwargs.setdefault("concept_names", parts.concept_names)
        return cls.from_frames(
            parts.roc,
            parts.pr,
            binary_metrics=parts.binary_metrics,
            test_set=parts.test_set,
            **kwargs,
        )

    # -- drawing ------------------------------------------------------------------------
    def selected(self) -> list[str]:
        """Concept ids drawn under the current selection."""
        if isinstance(self.select, list):
            return list(self.select)
        if self.select == "all":
            return list(self.concept_ids)
        ranked = self.scores.sort_values(
            "roc_auc", ascending=self.select == "bottom", kind="stable", na_position="last"
        )
        return ranked["concept_id"].head(self.k).tolist()

    def set_threshold(self, threshold: float | None) -> CurvesView:
        """Move the operating-point markers to a threshold and redraw them.

        Only the marker traces change (the curves stay), so this is cheap even
        with many concepts drawn.
        """
        before = self.threshold
        self.threshold = controls.check_threshold(threshold)
        if before is None or self.threshold is None or self.roc_figure_ is None:
            return self._redraw()
        shown = self.points[self.points["concept_id"].isin(set(self.selected()))]
        curves = CurveSet(
            points=shown,
            scores=self.scores,
            names=self.concept_names,
            operating=self._operating(shown, self.threshold),
            threshold=self.threshold,
        )
        assert self.pr_figure_ is not None
        targets = [self.roc_figure_, self.pr_figure_]
        if self._live is not None:
            targets.extend(self._live)
        for i, fig in enumerate(targets):
            x, y = ("fpr", "tpr") if i % 2 == 0 else ("tpr", "precision")
            new = operating_trace(curves, x, y)[0]
            fig.data[-1].update(new.to_plotly_json(), overwrite=True)
        self._figure = None  # the side-by-side figure is rebuilt on next access
        return self

    def set_selection(self, select: str | Sequence[str], k: int | None = None) -> CurvesView:
        """Change the drawn concepts (``"all"``, ``"top"``, ``"bottom"`` or ids) and redraw."""
        if k is not None:
            self.k = validate.positive_int(k, "k")
        self.select = self._check_select(select)
        return self._redraw()

    def _operating(self, shown: pd.DataFrame, threshold: float) -> pd.DataFrame:
        """Operating points of the shown concepts: exact from the test set when there is one."""
        if self.test_set is None:
            return operating_points(shown, threshold)
        from clarinb import metrics  # noqa: PLC0415

        at = metrics.at_threshold(self.test_set, threshold)
        at = at.assign(concept_id=at["concept_id"].astype(str))
        at = at[at["concept_id"].isin(set(shown["concept_id"]))]
        negatives = (at["fp"] + at["tn"]).to_numpy(dtype=float)
        fpr = np.divide(at["fp"].to_numpy(dtype=float), negatives, where=negatives > 0,
                        out=np.zeros(len(at)))  # fmt: skip
        return pd.DataFrame(
            {
                "concept_id": at["concept_id"].to_numpy(),
                "threshold": threshold,
                "fpr": fpr,
                "tpr": at["recall"].to_numpy(dtype=float),
                "precision": at["precision"].to_numpy(dtype=float),
            }
        )

    def _redraw(self) -> CurvesView:
        self.plot()
        if self._live is not None:
            assert self.roc_figure_ is not None
            assert self.pr_figure_ is not None
            sync_figure(self._live[0], self.roc_figure_)
            sync_figure(self._live[1], self.pr_figure_)
        return self

    def _curve_set(self) -> CurveSet:
        shown = self.selected()
        points = self.points[self.points["concept_id"].isin(set(shown))]
        curves = CurveSet(points=points, scores=self.scores, names=self.concept_names)
        if self.threshold is not None:
            curves.threshold = self.threshold
            curves.operating = self._operating(points, self.threshold)
        if self.averages:
            if self._macro is None:
                self._micro = micro_average(self.points, self.counts, self.test_set)
                self._macro = macro_average(self.points)
            curves.micro = self._micro
            curves.macro_roc, curves.macro_pr = self._macro
        return curves

    def _build_figure(self) -> go.Figure:
        curves = self._curve_set()
        roc, pr = roc_figure(curves), pr_figure(curves)
        roc.update_layout(template=self._template)
        pr.update_layout(template=self._template)
        self.roc_figure_, self.pr_figure_ = roc, pr
        both = make_subplots(rows=1, cols=2, subplot_titles=("ROC", "Precision-recall"))
        for trace in roc.data:
            both.add_trace(trace, row=1, col=1)
        for trace in pr.data:
            both.add_trace(trace, row=1, col=2)
        both.update_traces(legend="legend2", col=2)
        both.update_xaxes(roc.layout.xaxis, row=1, col=1)
        both.update_yaxes(roc.layout.yaxis, row=1, col=1)
        both.update_xaxes(pr.layout.xaxis, row=1, col=2)
        both.update_yaxes(pr.layout.yaxis, row=1, col=2)
        both.update_layout(
            title={"text": self.title},
            height=560,
            legend={"x": 0.0, "y": -0.15, "yanchor": "top", "orientation": "v"},
            legend2={"x": 0.56, "y": -0.15, "yanchor": "top", "orientation": "v"},
            margin={"b": 40},
        )
        return both

    def _html_sections(self) -> list[Block]:
        self.plot()
        assert self.roc_figure_ is not None
        assert self.pr_figure_ is not None
        return [Block("ROC", self.roc_figure_), Block("Precision-recall", self.pr_figure_)]

    # -- widget -------------------------------------------------------------------------
    def _build_widget(self) -> widgets.VBox:
        self.plot()
        assert self.roc_figure_ is not None
        assert self.pr_figure_ is not None
        roc, pr = figure_widget(self.roc_figure_), figure_widget(self.pr_figure_)
        self._live = (roc, pr)
        bar, picker = curve_controls(self)
        tabs = widgets.Tab(children=[roc, pr], titles=("ROC", "Precision-recall"))
        box = widgets.VBox([bar, picker, tabs])
        box.add_class("clarinb-curves")
        return box
