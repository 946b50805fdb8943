"""What each tab of the evaluation explorer holds, built from one evaluation when first opened."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb._html import Markup, html_widget
from clarinb.apps._figure_output import FigureOutput
from clarinb.apps._messages import message
from clarinb.apps._summary import facts_html, per_concept_metrics, summary_figure, summary_html
from clarinb.apps._test_set_panel import TestSetPanel
from clarinb.errors import ClarinbError
from clarinb.evaluation import Evaluation
from clarinb.views import _intervals
from clarinb.views._base import View
from clarinb.views._theme import template

__all__ = ["BUILDERS", "TABS", "Built", "TabContext", "summary_bars"]

#: The tabs of a classifier's evaluation (the Confusion tab fits its kind).
CLASSIFIER_TABS = (
    "Summary", "Confusion", "Curves", "Thresholds", "Compare", "Mistakes", "Slices", "Test set",
)  # fmt: skip
#: The tabs shown for each kind of evaluation.
TABS = {
    "single-label": CLASSIFIER_TABS,
    "multi-label": CLASSIFIER_TABS,
    "detector": ("Summary", "Detection metrics", "Boxes"),
}


@dataclass
class TabContext:
    """What a tab is built from: the evaluation and the explorer's settings."""

    evaluation: Evaluation
    kind: str
    threshold: float
    theme: str
    color: str
    others: Callable[[], list[Evaluation]] = list
    open_cell: Callable[[tuple[str, str]], Any] | None = None
    _test_set: Any = field(default=None, repr=False)
    _per_concept: tuple[float, pd.DataFrame] | None = field(default=None, repr=False)

    @property
    def test_set(self) -> pd.DataFrame | None:
        """The evaluation's test set, or None when it has none (fetched once)."""
        if self._test_set is None:
            try:
                ts = self.evaluation.test_set()
            except ClarinbError:
                ts = pd.DataFrame()
            self._test_set = ts
        return self._test_set if len(self._test_set) else None

    @property
    def names(self) -> Mapping[str, str]:
        """Display name per concept id."""
        return self.evaluation.concepts

    def facts(self) -> dict[str, Any]:
        """Key facts of the evaluation, for the summary table."""
        ev, ts = self.evaluation, self.test_set
        return {
            "model": ev.model_id, "evaluation": ev.id, "kind": self.kind,
            "dataset version": ev.dataset_version_id,
            "test inputs": ts["input_id"].nunique() if ts is not None else None,
        }  # fmt: skip

    def intervals(self) -> pd.DataFrame | None:
        """Bootstrap intervals at the threshold, as the views draw them by default; or None."""
        if self.test_set is None:
            return None
        try:
            found = _intervals.from_read_model(self.evaluation, "auto", self.threshold)
        except ClarinbError:
            return None
        return found if isinstance(found, pd.DataFrame) else None

    def per_concept(self) -> pd.DataFrame:
        """Per-concept ROC AUC, AP and F1 at the threshold, with their intervals when known.

        Computed once per threshold (the Summary's bars and table share it).
        """
        kept = self._per_concept
        if kept is not None and kept[0] == self.threshold:
            return kept[1]
        try:
            binary = self.evaluation.binary_metrics()
        except ClarinbError:
            binary = None
        table = per_concept_metrics(binary, self.test_set, self.threshold, self.intervals())
        self._per_concept = (self.threshold, table)
        return table

    def summary_markup(self) -> Markup:
        """Render the facts and macro averages at the threshold, with intervals when known."""
        facts, intervals = self.facts(), self.intervals()
        if intervals is None and self.test_set is not None:
            facts["intervals"] = _intervals.skipped_text(self.test_set)
        return summary_html(facts, self.per_concept(), self.threshold, intervals, self.names)


@dataclass
class Built:
    """A built tab: its widgets, and the view, figure or panel the explorer keeps in step.

    A panel has ``set_threshold(threshold)``; ``drawn`` shows ``figure``, redrawn
    with the threshold.
    """

    children: list[Any]
    view: View | None = None
    figure: go.Figure | None = None
    summary: Any = None
    drawn: FigureOutput | None = None
    panel: Any = None


def summary_bars(ctx: TabContext) -> go.Figure:
    """Draw the per-concept bars of the Summary tab at the context's threshold."""
    figure = summary_figure(ctx.per_concept(), ctx.names, color=ctx.color)
    figure.update_layout(template=template(ctx.theme))
    return figure


def summary(ctx: TabContext) -> Built:
    """Show facts, macro averages and per-concept bars (facts only for a detector).

    The bars are drawn by plotly's notebook renderer (:class:`FigureOutput`),
    not a ``FigureWidget``: this is the explorer's first plot.
    """
    if ctx.kind == "detector":
        return Built([html_widget(facts_html(ctx.facts()))])
    figure = summary_bars(ctx)
    text = html_widget(ctx.summary_markup())
    drawn = FigureOutput(figure, text="per-concept bars")
    return Built([text, drawn.widget], figure=figure, summary=text, drawn=drawn)


def _view(make: Callable[[], View]) -> Built:
    view = make()
    return Built([view.widget_], view=view)


def _needs_test_set(ctx: TabContext, what: str) -> Built | None:
    if ctx.test_set is None:
        return Built([message(f"This evaluation has no test set, so {what}.")])
    return None


def confusion(ctx: TabContext) -> Built:
    """Show the confusion matrix at the threshold (per-concept confusion for multi-label)."""
    from clarinb.views.confusion import ConfusionMatrixView  # noqa: PLC0415

    if ctx.kind == "multi-label":
        from clarinb.views.multilabel import MultiLabelConfusionView  # noqa: PLC0415

        return _needs_test_set(ctx, "its per-concept confusion cannot be counted") or _view(
            lambda: MultiLabelConfusionView.from_evaluation(
                ctx.evaluation, threshold=ctx.threshold, theme=ctx.theme
            )
        )
    return _view(
        lambda: ConfusionMatrixView.from_evaluation(
            ctx.evaluation, threshold=ctx.threshold, theme=ctx.theme
        )
    )


def curves(ctx: TabContext) -> Built:
    """Draw ROC and precision-recall curves, the threshold marked."""
    from clarinb.views.curves import CurvesView  # noqa: PLC0415

    return _view(
        lambda: CurvesView.from_evaluation(ctx.evaluation, threshold=ctx.threshold, theme=ctx.theme)
    )


def thresholds(ctx: TabContext) -> Built:
    """Tabulate per-concept precision, recall and F1 at the threshold."""
    from clarinb.views.thresholds import ThresholdView  # noqa: PLC0415

    return _needs_test_set(ctx, "thresholds cannot be moved") or _view(
        lambda: ThresholdView.from_evaluation(
            ctx.evaluation, threshold=ctx.threshold, theme=ctx.theme
        )
    )


def mistakes(ctx: TabContext) -> Built:
    """List the surest false positives and faintest misses per concept."""
    from clarinb.views.mistakes import MistakesView  # noqa: PLC0415

    missing = _needs_test_set(ctx, "its mistakes are unknown")
    if missing is not None:
        return missing
    view = MistakesView.from_evaluation(ctx.evaluation, threshold=ctx.threshold, theme=ctx.theme)
    children: list[Any] = [view.widget_]
    if ctx.open_cell is not None and ctx.kind == "single-label":
        button = widgets.Button(
            description="Show in the confusion matrix",
            tooltip="Open the Confusion tab on the cell of the last selected input",
            layout={"width": "260px"},
        )
        open_cell = ctx.open_cell

        def show(_button: Any) -> None:
            cell = view.drilldown_
            if cell is not None:
                open_cell(cell)

        button.on_click(show)
        children.insert(0, button)
    if ctx.evaluation.client is not None:
        from clarinb.apps._review_panel import ReviewPanel  # noqa: PLC0415

        children.append(ReviewPanel(ctx.evaluation.client, lambda: list(view.selection)).widget)
    return Built(children, view=view)


def test_set(ctx: TabContext) -> Built:
    """List every input's outcome, filtered and sorted, with thumbnails."""
    ts = ctx.test_set
    if ts is None:
        return Built([message("This evaluation has no test set.")])
    ev = ctx.evaluation
    thumbnails = getattr(ev, "fetch_input_image", None) if ev.client is not None else None
    panel = TestSetPanel(ts, ctx.names, thumbnails, ctx.threshold)
    return Built([panel.widget], panel=panel)


def compare(ctx: TabContext) -> Built:
    """Compare with the other models evaluated on the same dataset version and concepts.

    Paired bootstrap over the shared test inputs: which concepts this model
    is really better or worse on, with the one-line verdict.
    """
    from clarinb.views.compare import CompareView  # noqa: PLC0415

    ev = ctx.evaluation
    concepts = set(ev.concepts)
    peers = [o for o in ctx.others() if set(o.concepts) == concepts][:5]
    if not peers:
        return Built(
            [message("No other model was evaluated on this dataset version with these concepts.")]
        )
    view = CompareView.from_evaluations(
        [ev, *peers], baseline=ev.model_id, threshold=ctx.threshold, theme=ctx.theme
    )
    return Built([view.widget_], view=view)


def slices(ctx: TabContext) -> Built:
    """Show a metric per slice of the test set (metadata, image size, other labels)."""
    from clarinb.apps._slices_panel import SlicesPanel  # noqa: PLC0415

    if ctx.test_set is None:
        return Built([message("This evaluation has no test set to slice.")])
    panel = SlicesPanel(ctx.evaluation, ctx.threshold, ctx.theme, ctx.others())
    return Built([panel.widget], panel=panel)


def detection(ctx: TabContext) -> Built:
    """Show AP by class, IoU and area."""
    from clarinb.views.detection import DetectionMetricsView  # noqa: PLC0415

    return _view(lambda: DetectionMetricsView.from_evaluation(ctx.evaluation, theme=ctx.theme))


def boxes(ctx: TabContext) -> Built:
    """Draw ground-truth and predicted boxes over the images."""
    from clarinb.views.detection_browser import DetectionBrowser  # noqa: PLC0415

    return _view(
        lambda: DetectionBrowser.from_evaluation(
            ctx.evaluation, threshold=ctx.threshold, theme=ctx.theme
        )
    )


#: The builder of each tab, by title.
BUILDERS: dict[str, Callable[[TabContext], Built]] = {
    "Summary": summary,
    "Confusion": confusion,
    "Curves": curves,
    "Thresholds": thresholds,
    "Compare": compare,
    "Mistakes": mistakes,
    "Slices": slices,
    "Test set": test_set,
    "Detection metrics": detection,
    "Boxes": boxes,
}
test_set.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
