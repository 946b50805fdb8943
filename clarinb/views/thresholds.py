"""``ThresholdView``: per-concept metrics at a global threshold with per-concept overrides."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb import metrics
from clarinb._html import Block, html_widget, set_html, tag
from clarinb.errors import InvalidArgumentError
from clarinb.evaluation import Evaluation, as_evaluation
from clarinb.views import _controls as controls
from clarinb.views._base import View
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
    sort : str
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
    table_ : pandas.DataFrame
        Per-concept metrics at the chosen thresholds, sorted as shown; also ``frame_``.
    thresholds_ : dict of str to float
        The threshold of every concept: its override where set, else the global one.
    summary_ : str
        Micro and macro precision, recall and F1 on one line.
    concept_ids_ : list of str
        The test set's concepts, in the metrics' order.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["a", "a", "b", "b"],
    ...                    "concept_id": ["cat", "dog", "cat", "dog"],
    ...                    "score": [0.9, 0.2, 0.4, 0.7],
    ...                    "ground_truth": [True, False, False, True]})
    >>> view = ThresholdView(test_set=ts, threshold=0.5, overrides={"dog": 0.8})
    >>> view.thresholds_
    {'cat': 0.5, 'dog': 0.8}
    >>> view.table_.set_index("concept_id").loc["dog", "tp"]
    np.int64(0)
    >>> view.set(overrides={}).thresholds_
    {'cat': 0.5, 'dog': 0.5}
    """

    title = "Metrics per concept at the threshold"
    settable = ("threshold", "overrides", "sort", "ascending")

    def __init__(
        self,
        *,
        test_set: pd.DataFrame,
        threshold: float = 0.5,
        overrides: Mapping[str, float] | None = None,
        sort: str = "f1",
        ascending: bool = False,
        concept_names: Mapping[str, str] | None = None,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        self.test_set = validate.evaluation_test_set(test_set)
        self._concepts: list[str] | None = None
        self.threshold = validate.probability(threshold, "threshold")
        self.overrides = self._check_overrides(overrides)
        self.sort = validate.choice(sort, "sort", SORT_KEYS)
        self.ascending = validate.choice(ascending, "ascending", (True, False))
        self.concept_names = validate.mapping(concept_names, "concept_names")
        self._table: pd.DataFrame | None = None
        self._summary: str | None = None
        self._parts: dict[str, widgets.HTML] = {}
        self._controls: dict[str, widgets.Widget] = {}
        self._syncing = False

    def _check_overrides(self, overrides: Any) -> dict[str, float]:
        checked: dict[str, float] = {}
        given = validate.mapping(overrides, "overrides", hint="concept id -> threshold")
        if given:
            known = set(self.concept_ids_)
            for concept, value in given.items():
                key = validate.known(str(concept), "concept", known, where="the test set")
                checked[key] = validate.probability(value, f"overrides[{key!r}]")
        return checked

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_frames(cls, **kwargs: Any) -> ThresholdView:
        """Build from a test-set frame: the class parameters, all keywords.

        Examples
        --------
        >>> view = ThresholdView.from_frames(test_set=ts, threshold=0.3)  # doctest: +SKIP
        """
        return cls(**kwargs)

    @classmethod
    def from_evaluation(
        cls, evaluation: Evaluation | Mapping[str, Any], **kwargs: Any
    ) -> ThresholdView:
        """Build from the test set of a :class:`clarinb.Evaluation` (or its body, as a dict).

        Raises
        ------
        InvalidArgumentError
            When the evaluation has no test set.

        Examples
        --------
        >>> view = ThresholdView.from_evaluation(client.evaluation(eid))  # doctest: +SKIP
        """
        ev = as_evaluation(evaluation)
        test_set = ev.test_set_or_none()
        if test_set is None:
            raise InvalidArgumentError(
                f"Evaluation {ev.model_id or '?'} / {ev.id or '?'} has no test set, so metrics "
                "cannot be recomputed at other thresholds; fetch it with client.evaluation(id)."
            )
        kwargs.setdefault("concept_names", ev.concepts)
        return cls(test_set=test_set, **kwargs)

    # -- settings ---------------------------------------------------------------------
    def _apply(self, changes: dict[str, Any]) -> None:
        checks = {
            "threshold": lambda v: validate.probability(v, "threshold"),
            "overrides": self._check_overrides,
            "sort": lambda v: validate.choice(v, "sort", SORT_KEYS),
            "ascending": lambda v: validate.choice(v, "ascending", (True, False)),
        }
        checked = {key: checks[key](value) for key, value in changes.items()}
        for key, value in checked.items():
            setattr(self, key, value)
        self._table = None
        if changes.keys() & {"threshold", "overrides"}:
            self._summary = None

    def _refresh_widget(self) -> None:
        if self._parts:
            set_html(self._parts["summary"], tag("b", self.summary_))
            set_html(self._parts["table"], table_html(self.table_, self.overrides))
        self._syncing = True
        try:
            self._controls["threshold"].value = self.threshold
            self._controls["sort"].value = self.sort
            self._controls["ascending"].value = self.ascending
        finally:
            self._syncing = False

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the chosen thresholds as a JSON object, concept id -> threshold."""
        if indent is not None:
            indent = int(validate.number(indent, "indent", lo=0, hint="or None for one line"))
        return json.dumps(self.thresholds_, indent=indent)

    # -- results ----------------------------------------------------------------------
    @property
    def concept_ids_(self) -> list[str]:
        """The test set's concepts, in the order of :func:`clarinb.metrics.at_threshold`."""
        if self._concepts is None:
            self._concepts = metrics.concept_ids(self.test_set)
        return list(self._concepts)

    @property
    def thresholds_(self) -> dict[str, float]:
        """The threshold of every concept: the override where set, else the global one."""
        return {c: self.overrides.get(c, self.threshold) for c in self.concept_ids_}

    @property
    def table_(self) -> pd.DataFrame:
        """Per-concept metrics at the chosen thresholds, sorted as the view shows them."""
        if self._table is None:
            table = metrics.at_threshold(self.test_set, self.thresholds_)
            table["concept_id"] = table["concept_id"].astype(str)
            table["concept"] = table["concept_id"].map(lambda c: self.concept_names.get(c, c))
            self._table = table.sort_values(self.sort, ascending=self.ascending, kind="stable")
        return self._table.copy()

    @property
    def summary_(self) -> str:
        """The summary line: micro and macro precision, recall and F1, and the override count."""
        if self._summary is None:
            averages = metrics.averages(self.test_set, self.thresholds_)
            self._summary = summary_text(averages, len(self.overrides))
        return self._summary

    def _frame(self) -> pd.DataFrame:
        return self.table_

    def _build_figure(self) -> go.Figure:
        return table_figure(self.table_[list(COLUMNS)], self.summary_, self.title)

    def _html_sections(self) -> list[Block]:
        return [
            Block(self.summary_, table_html(self.table_, self.overrides, limit=10**6)),
            Block("Thresholds (JSON)", tag("pre", self.to_json())),
        ]

    # -- widget -------------------------------------------------------------------------
    def _from_control(self, **changes: Any) -> None:
        if not self._syncing:
            self.set(**changes)

    def _build_widget(self) -> widgets.VBox:
        summary = html_widget(tag("b", self.summary_), "clarinb-summary")
        table = html_widget(table_html(self.table_, self.overrides))
        self._parts = {"summary": summary, "table": table}
        sort = controls.dropdown(
            "sort by",
            [(h, c) for c, h in COLUMNS.items()],
            self.sort,
            lambda v: self._from_control(sort=v),
        )
        order = widgets.ToggleButtons(
            options=[("descending", False), ("ascending", True)], value=self.ascending
        )
        order.observe(lambda ch: self._from_control(ascending=ch["new"]), names="value")
        slider = controls.threshold_slider(
            self.threshold, lambda v: self._from_control(threshold=v)
        )
        self._controls = {"threshold": slider, "sort": sort, "ascending": order}
        concept = widgets.Dropdown(
            options=[(self.concept_names.get(c, c), c) for c in self.concept_ids_],
            description="concept",
        )
        value = widgets.FloatSlider(
            value=self.threshold, min=0, max=1, step=0.01, description="override"
        )
        apply, clear = widgets.Button(description="set"), widgets.Button(description="clear")
        apply.on_click(
            lambda _: self.set(overrides={**self.overrides, concept.value: round(value.value, 4)})
        )
        clear.on_click(
            lambda _: self.set(
                overrides={c: t for c, t in self.overrides.items() if c != concept.value}
            )
        )
        overrides = widgets.HBox([concept, value, apply, clear])
        box = widgets.VBox([summary, slider, overrides, widgets.HBox([sort, order]), table])
        box.add_class("clarinb-thresholds")
        return box
