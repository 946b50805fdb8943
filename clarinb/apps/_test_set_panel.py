"""The explorer's Test set tab: every input's outcome, filtered and sorted, with thumbnails."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import ipywidgets as widgets
import pandas as pd

from clarinb._html import html_widget, set_html, tag
from clarinb._names import concept_name, named_concepts
from clarinb.metrics.mistakes import input_outcomes
from clarinb.views._drilldown import inputs_panel

__all__ = ["OUTCOMES", "SORTS", "TestSetPanel", "filter_outcomes"]

#: Outcome filter choices.
OUTCOMES = ("all", "wrong", "correct")
#: Sort choices: label -> (column, ascending) applied after the filter.
SORTS = {
    "most confident wrong": None,  # the order of input_outcomes
    "least confident": ("top_score", True),
    "most confident": ("top_score", False),
    "input id": ("input_id", True),
}
_ROWS = 100


def filter_outcomes(
    outcomes: pd.DataFrame,
    *,
    outcome: str = "all",
    concept: str | None = None,
    scores: tuple[float, float] = (0.0, 1.0),
    sort: str = "most confident wrong",
) -> pd.DataFrame:
    """Keep the inputs matching the filters, in the chosen order.

    ``concept`` keeps inputs where it is true or predicted; ``scores`` bounds
    the top score (both ends included).
    """
    rows = outcomes
    if outcome != "all":
        rows = rows[rows["correct"] == (outcome == "correct")]
    if concept:
        truth = rows["truth"].str.split(", ").map(lambda names: concept in names)
        rows = rows[truth | (rows["predicted"] == concept)]
    rows = rows[rows["top_score"].between(scores[0], scores[1])]
    how = SORTS[sort]
    if how is not None:
        rows = rows.sort_values(how[0], ascending=how[1], kind="stable")
    return rows.reset_index(drop=True)


class TestSetPanel:
    """Filters (outcome, concept, top-score range, order) over the inputs, thumbnails first.

    Parameters
    ----------
    test_set : pandas.DataFrame
        The evaluation's test set.
    concept_names : mapping
        Display name per concept id.
    thumbnails : callable, optional
        ``input_id -> image bytes``.
    threshold : float
        The explorer's threshold.
    """

    __test__ = False  # not a pytest class

    def __init__(
        self,
        test_set: pd.DataFrame,
        concept_names: Mapping[str, str],
        thumbnails: Callable[[str], bytes | None] | None,
        threshold: float,
    ) -> None:
        self.test_set, self.names, self.thumbnails = test_set, dict(concept_names), thumbnails
        concepts = sorted(set(test_set["concept_id"].astype(str)))
        self.outcome = widgets.ToggleButtons(options=OUTCOMES, value="wrong", description="show")
        self.concept = widgets.Dropdown(
            options=[("(any concept)", "")] + [(concept_name(c, self.names), c) for c in concepts],
            description="concept",
        )
        self.scores = widgets.FloatRangeSlider(
            value=(0.0, 1.0), min=0.0, max=1.0, step=0.01, description="top score"
        )
        self.sort = widgets.Dropdown(options=list(SORTS), description="order")
        self.heading, self.rows = html_widget(), widgets.VBox()
        for control in (self.outcome, self.concept, self.scores, self.sort):
            control.observe(lambda _change: self.refresh(), names="value")
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.outcome, self.sort]),
                widgets.HBox([self.concept, self.scores]),
                self.heading,
                self.rows,
            ]
        )
        self.widget.add_class("clarinb-test-set")
        self.set_threshold(threshold)

    def set_threshold(self, threshold: float) -> None:
        """Recompute the outcomes at the explorer's threshold and redraw."""
        self.threshold = threshold
        self.outcomes = input_outcomes(self.test_set, threshold=threshold)
        self.refresh()

    def shown(self) -> pd.DataFrame:
        """Return the inputs the filters keep, in the chosen order."""
        return filter_outcomes(
            self.outcomes,
            outcome=self.outcome.value,
            concept=self.concept.value or None,
            scores=tuple(self.scores.value),
            sort=self.sort.value,
        )

    def refresh(self) -> None:
        """Redraw the heading and the rows for the current filters."""
        rows = self.shown()
        total, wrong = len(self.outcomes), int((~self.outcomes["correct"]).sum())
        head = (
            f"{total} inputs; {wrong} wrong at threshold {self.threshold:.2f}. "
            f"Showing {min(len(rows), _ROWS)} of the {len(rows)} that match"
        )
        set_html(self.heading, tag("p", head + (":" if len(rows) else ".")))
        if not len(rows):
            self.rows.children = (html_widget(tag("i", "No input matches these filters.")),)
            return
        shown = named_concepts(rows.head(_ROWS), self.names)
        self.rows.children = tuple(
            inputs_panel(shown, f"{self.outcome.value} inputs", self.thumbnails)[1:]
        )
