"""``ThresholdView``: per-concept metrics at a global threshold with per-concept overrides."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb._html import Block, html_widget, set_html, tag
from clarinb.errors import InvalidArgumentError
from clarinb.views import _controls as controls
from clarinb.views._base import View
from clarinb.views._source import EvaluationLike, evaluation_parts
from clarinb.views._threshold_table import (
    COLUMNS,
    SORT_KEYS,
    summary_text,
    table_figure,
    table_html,
)

__all__ = ["ThresholdView"]


class ThresholdView(View):
    """Precision, recall, F1, support and TP/FP/FN per concept at chosen thresholds.

    Parameters
    ----------
    test_set : pandas.DataFrame
        As :func:`clarinb.frames.test_set`; metrics come from
        :func:`clarinb.metrics.at_threshold`.
    threshold : float
        The global threshold.
    overrides : mapping of str to float, optional
        Per-concept thresholds that replace the global one.
    sort_by : str
        Column to sort the table by (one of ``concept``, ``threshold``,
        ``precision``, ``recall``, ``f1``, ``support``, ``tp``, ``fp``, ``fn``).
    ascending : bool
        Sort order.
    concept_names : mapping of str to str, optional
        Display names.
    theme : {"light", "dark"}
        Plotly template family.

    Attributes
    ----------
    figure_ : plotly.graph_objects.Figure
        The table as a plotly ``Table`` under the summary line.
    widget_ : ipywidgets.VBox
        Summary line, threshold and override controls, sortable HTML table.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["a", "a", "b", "b"],
    ...                    "concept_id": ["cat", "dog", "cat", "dog"],
    ...                    "score": [0.9, 0.2, 0.4, 0.7],
    ...                    "ground_truth": [True, False, False, True]})
    >>> view = ThresholdView(ts, threshold=0.5, overrides={"dog": 0.8})
    >>> view.thresholds()
    {'cat': 0.5, 'dog': 0.8}
    >>> view.table().set_index("concept_id").loc["dog", "tp"]
    np.int64(0)
    """

    title = "Metrics per concept at the threshold"

    def __init__(
        self,
        test_set: pd.DataFrame,
        *,
        threshold: float = 0.5,
        overrides: Mapping[str, float] | None = None,
        sort_by: str = "f1",
        ascending: bool = False,
        concept_names: Mapping[str, str] | None = None,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        from clarinb import metrics  # noqa: PLC0415

        self._metrics = metrics
        self.test_set = validate.evaluation_test_set(test_set)
        self.concept_ids = [str(c) for c in metrics.at_threshold(test_set, 0.5)["concept_id"]]
        self.threshold = self._check(threshold)
        self.overrides: dict[str, float] = {}
        for concept, value in validate.mapping(overrides, "overrides").items():
            self._set_override(str(concept), value)
        self.sort_by = self._check_sort(sort_by)
        self.ascending = validate.choice(ascending, "ascending", (True, False))
        self.concept_names = validate.mapping(concept_names, "concept_names")
        self._parts: dict[str, widgets.HTML] = {}

    @staticmethod
    def _check(threshold: float | None) -> float:
        return validate.probability(threshold, "threshold")

    @staticmethod
    def _check_sort(sort_by: str) -> str:
        return validate.choice(sort_by, "sort_by", SORT_KEYS)

    def _set_override(self, concept: str, value: float | None) -> None:
        if concept not in self.concept_ids:
            raise InvalidArgumentError(f"Unknown concept {concept!r}: not in the test set.")
        if value is None:
            self.overrides.pop(concept, None)
        else:
            self.overrides[concept] = self._check(value)

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_frames(cls, test_set: pd.DataFrame, **kwargs: Any) -> ThresholdView:
        """Build from a test-set frame (see the class parameters).

        Examples
        --------
        >>> view = ThresholdView.from_frames(ts, threshold=0.3)  # doctest: +SKIP
        """
        return cls(test_set, **kwargs).plot()

    @classmethod
    def from_evaluation(cls, evaluation: EvaluationLike, **kwargs: Any) -> ThresholdView:
        """Build from an evaluation's test set.

        Raises
        ------
        InvalidArgumentError
            When the evaluation has no test set.

        Examples
        --------
        >>> view = ThresholdView.from_evaluation(evaluation)  # doctest: +SKIP
        """
        parts = evaluation_parts(evaluation)
        if parts.test_set is None:
            raise InvalidArgumentError(
                f"Evaluation {parts.label} has no test set, so metrics cannot be recomputed "
                "at other thresholds."
            )
        kwargs.setdefault("concept_names", parts.concept_names)
        return cls.from_frames(parts.test_set, **kwargs)

    # -- state ----------------------------------------------------------------------------
    def thresholds(self) -> dict[str, float]:
        """Return the threshold of every concept: the override where set, else the global one."""
        return {c: self.overrides.get(c, self.threshold) for c in self.concept_ids}

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the chosen thresholds as a JSON object, concept id -> threshold."""
        if indent is not None:
            indent = int(validate.number(indent, "indent", lo=0, hint="or None for one line"))
        return json.dumps(self.thresholds(), indent=indent)

    def table(self) -> pd.DataFrame:
        """Per-concept metrics at the chosen thresholds, sorted as the view shows them."""
        table = self._metrics.at_threshold(self.test_set, self.thresholds())
        table["concept_id"] = table["concept_id"].astype(str)
        table["concept"] = table["concept_id"].map(lambda c: self.concept_names.get(c, c))
        return table.sort_values(self.sort_by, ascending=self.ascending, kind="stable")

    def summary(self) -> str:
        """Return the summary line: micro and macro precision, recall and F1."""
        averages = self._metrics.averages(self.test_set, self.thresholds())
        return summary_text(averages, len(self.overrides))

    def set_threshold(self, threshold: float) -> ThresholdView:
        """Set the global threshold and redraw."""
        self.threshold = self._check(threshold)
        return self._update()

    def set_override(self, concept: str, threshold: float | None) -> ThresholdView:
        """Set (or with ``None`` clear) one concept's threshold and redraw."""
        self._set_override(str(concept), threshold)
        return self._update()

    def sort(self, by: str, *, ascending: bool = False) -> ThresholdView:
        """Sort the table by a column and redraw."""
        self.sort_by = self._check_sort(by)
        self.ascending = validate.choice(ascending, "ascending", (True, False))
        return self._update()

    def _update(self) -> ThresholdView:
        self.plot()
        if self._parts:
            set_html(self._parts["summary"], tag("b", self.summary()))
            set_html(self._parts["table"], table_html(self.table(), self.overrides))
        return self

    def _build_figure(self) -> go.Figure:
        return table_figure(self.table()[list(COLUMNS)], self.summary(), self.title)

    def _html_sections(self) -> list[Block]:
        return [
            Block(self.summary(), table_html(self.table(), self.overrides, limit=10**6)),
            Block("Thresholds (JSON)", tag("pre", self.to_json())),
        ]

    # -- widget -------------------------------------------------------------------------
    def _build_widget(self) -> widgets.VBox:
        summary = html_widget(tag("b", self.summary()), "clarinb-summary")
        table = html_widget(table_html(self.table(), self.overrides))
        self._parts = {"summary": summary, "table": table}
        sort = controls.dropdown(
            "sort by",
            [(h, c) for c, h in COLUMNS.items()],
            self.sort_by,
            lambda v: self.sort(v, ascending=self.ascending),
        )
        order = widgets.ToggleButtons(
            options=[("descending", False), ("ascending", True)], value=self.ascending
        )
        order.observe(lambda ch: self.sort(self.sort_by, ascending=ch["new"]), names="value")
        concept = widgets.Dropdown(
            options=[(self.concept_names.get(c, c), c) for c in self.concept_ids],
            description="concept",
        )
        value = widgets.FloatSlider(
            value=self.threshold, min=0, max=1, step=0.01, description="override"
        )
        apply, clear = widgets.Button(description="set"), widgets.Button(description="clear")
        apply.on_click(lambda _: self.set_override(concept.value, value.value))
        clear.on_click(lambda _: self.set_override(concept.value, None))
        overrides = widgets.HBox([concept, value, apply, clear])
        box = widgets.VBox(
            [
                summary,
                controls.threshold_slider(self.threshold, self.set_threshold),
                overrides,
                widgets.HBox([sort, order]),
                table,
            ]
        )
        box.add_class("clarinb-thresholds")
        return box
