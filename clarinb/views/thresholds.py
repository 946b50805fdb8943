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
from clarinb.metrics.interval_frame import RATES, SETTINGS, with_rates
from clarinb.metrics.matrix import TestSetMatrix, as_matrix
from clarinb.metrics.threshold import averages_of
from clarinb.metrics.threshold_live import PASSES, ThresholdCounts
from clarinb.views import _controls as controls
from clarinb.views import _intervals
from clarinb.views._base import View
from clarinb.views._threshold_table import (
    COLUMNS,
    SORT_KEYS,
    columns_of,
    summary_text,
    table_figure,
    table_html,
)

__all__ = ["FIGURE_ROWS", "HTML_ROWS", "WIDGET_ROWS", "ThresholdView"]

#: Most concepts the figure's table shows (in the sort order); the title says
#: how many were left out.
FIGURE_ROWS = 500
#: Most concepts the page's HTML table writes (``to_html``), with a note of the rest.
HTML_ROWS = 1000
#: Most concepts the widget's table writes on each update (it scrolls; sort to
#: bring others up), with a note of the rest.
WIDGET_ROWS = 200


class ThresholdView(View):
    """Precision, recall, F1, support and TP/FP/FN per concept at chosen thresholds.

    Parameters
    ----------
    test_set : pandas.DataFrame or TestSetMatrix
        As :func:`clarinb.frames.test_set`, or its
        :class:`clarinb.metrics.TestSetMatrix` (scores held as float32, as the
        API sends them; a frame is turned into one once, on first use).
        The metrics equal :func:`clarinb.metrics.at_threshold`'s: the first
        two tables in one pass over the matrix each, later ones from
        :class:`clarinb.metrics.ThresholdCounts` (built once on the second
        change, then each update costs a few binary searches per concept).
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
    intervals : pandas.DataFrame, optional
        Bootstrap intervals, as :meth:`clarinb.Evaluation.metric_intervals`
        or :func:`clarinb.metrics.metric_intervals` returns, of the test
        set's concepts: precision, recall and F1 are shown with their
        intervals (and a note where one says little).  At other thresholds
        than the frame's they are drawn again from the test set with the
        frame's settings (``ci``, ``n_resamples``, ``seed``), which gives
        the same resamples.  ``from_evaluation`` draws them by default.
    theme : {"light", "dark"}
        Plotly template family.

    Attributes
    ----------
    figure_ : plotly.graph_objects.Figure
        The table as a plotly ``Table`` under the summary line (its first
        :data:`FIGURE_ROWS` rows; the title says how many were left out).
    widget_ : ipywidgets.VBox
        Summary line, threshold and override controls, sortable HTML table (its
        first :data:`WIDGET_ROWS` rows, with a note of the rest).
    table_ : pandas.DataFrame
        Per-concept metrics at the chosen thresholds, sorted as shown; also
        ``frame_``.  With intervals also ``precision_lo``, ``precision_hi``,
        ``recall_lo``, ``recall_hi``, ``f1_lo``, ``f1_hi``,
        ``too_few_positives`` and ``note``.
    thresholds_ : dict of str to float
        The threshold of every concept: its override where set, else the global one.
    summary_ : str
        Micro and macro precision, recall and F1 on one line (the macro
        values with their intervals when known).
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
        test_set: pd.DataFrame | TestSetMatrix,
        threshold: float = 0.5,
        overrides: Mapping[str, float] | None = None,
        sort: str = "f1",
        ascending: bool = False,
        concept_names: Mapping[str, str] | None = None,
        intervals: pd.DataFrame | None = None,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        self.test_set = validate.test_set_or_matrix(test_set)
        self._concepts: list[str] | None = None
        self._matrix: TestSetMatrix | None = None
        self._live: ThresholdCounts | None = None
        self._per: tuple[tuple[float, ...], pd.DataFrame] | None = None
        self.intervals = self._check_intervals(intervals)
        self._drawn: tuple[tuple[float, ...], pd.DataFrame] | None = None
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

    def _check_intervals(self, intervals: Any) -> pd.DataFrame | None:
        frame = _intervals.check(intervals, RATES)
        if frame is None:
            return None
        validate.frame(
            frame,
            "intervals",
            columns=["threshold", *SETTINGS],
            hint="the settings let the view draw them again at other thresholds; build them "
            "with clarinb.metrics.metric_intervals()",
        )
        given = set(_intervals.concept_rows(frame).index)
        if given != set(self.concept_ids_):
            raise InvalidArgumentError(
                f"intervals are of other concepts than the test set's (e.g. "
                f"{sorted(given ^ set(self.concept_ids_))[:3]}); draw them from this test set "
                "with clarinb.metrics.metric_intervals()."
            )
        return frame

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

        ``intervals`` may be a frame, ``"auto"`` (the default: drawn from
        the test set with 500 resamples when it holds at most 200,000
        scores), ``True`` (drawn whatever the size) or ``False``.

        Raises
        ------
        InvalidArgumentError
            When the evaluation has no test set.

        Examples
        --------
        >>> view = ThresholdView.from_evaluation(client.evaluation(eid))  # doctest: +SKIP
        """
        ev = as_evaluation(evaluation)
        test_set = ev.test_set_matrix_or_none()
        if test_set is None:
            raise InvalidArgumentError(
                f"Evaluation {ev.model_id or '?'} / {ev.id or '?'} has no test set, so metrics "
                "cannot be recomputed at other thresholds; fetch it with client.evaluation(id)."
            )
        kwargs.setdefault("concept_names", ev.concepts)
        kwargs["intervals"] = _intervals.from_read_model(
            ev, kwargs.get("intervals", "auto"), kwargs.get("threshold", 0.5)
        )
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
            set_html(self._parts["table"], self._table_html())
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
            if isinstance(self.test_set, TestSetMatrix):
                self._concepts = [str(c) for c in self.test_set.concepts]
            else:
                self._concepts = metrics.concept_ids(self.test_set)
        return list(self._concepts)

    def _test_matrix(self) -> TestSetMatrix:
        """Return the test set as a matrix, built once from a frame."""
        if self._matrix is None:
            self._matrix = as_matrix(self.test_set)
        return self._matrix

    def _per_concept(self) -> pd.DataFrame:
        """Per-concept metrics at the chosen thresholds, in the test set's concept order.

        The first two tables are each one pass over the matrix; a third
        builds :class:`clarinb.metrics.ThresholdCounts` once (a sort of every
        concept's scores, which pays off when the thresholds keep moving) and
        reads every later one from it.
        """
        chosen = self.thresholds_
        key = tuple(chosen.values())
        if self._per is None or self._per[0] != key:
            # concept ids as the matrix holds them (they may be numbers)
            given = dict(zip(self._test_matrix().concepts, key, strict=True))
            if self._live is None:
                self._live = ThresholdCounts(self._test_matrix(), passes=PASSES)
            self._per = (key, self._live.frame(given))
        return self._per[1]

    @property
    def thresholds_(self) -> dict[str, float]:
        """The threshold of every concept: the override where set, else the global one."""
        return {c: self.overrides.get(c, self.threshold) for c in self.concept_ids_}

    @property
    def table_(self) -> pd.DataFrame:
        """Per-concept metrics at the chosen thresholds, sorted as the view shows them."""
        if self._table is None:
            table = self._per_concept().copy()
            table["concept_id"] = table["concept_id"].astype(str)
            table["concept"] = table["concept_id"].map(lambda c: self.concept_names.get(c, c))
            drawn = self._intervals_now()
            if drawn is not None:
                extra = [f"{m}{end}" for m in RATES for end in ("_lo", "_hi")]
                rows = _intervals.concept_rows(drawn)[[*extra, "too_few_positives", "note"]]
                table = table.join(rows, on="concept_id")
            self._table = table.sort_values(self.sort, ascending=self.ascending, kind="stable")
        return self._table.copy()

    def _intervals_now(self) -> pd.DataFrame | None:
        """Return the intervals at the chosen thresholds: the given ones, or drawn again."""
        if self.intervals is None:
            return None
        chosen = self.thresholds_
        key = tuple(chosen.values())
        if self._drawn is None or self._drawn[0] != key:
            given = _intervals.concept_rows(self.intervals)["threshold"]
            if given.reindex(list(chosen)).to_numpy(float).tolist() == list(key):
                drawn = self.intervals
            else:
                first = self.intervals.iloc[0]
                seed = None if pd.isna(first["seed"]) else int(first["seed"])
                rates = metrics.metric_intervals(
                    self._test_matrix(),
                    chosen,
                    ci=float(first["ci"]),
                    n_resamples=int(first["n_resamples"]),
                    seed=seed,
                    min_positives=int(first["min_positives"]),
                    ranking=False,
                )
                drawn = with_rates(self.intervals, rates)
            self._drawn = (key, drawn)
        return self._drawn[1]

    @property
    def summary_(self) -> str:
        """The summary line: micro and macro precision, recall and F1, and the override count."""
        if self._summary is None:
            averages = averages_of(self._per_concept())
            drawn = self._intervals_now()
            if drawn is None:
                self._summary = summary_text(averages, len(self.overrides))
            else:
                few = int(_intervals.concept_rows(drawn)["too_few_positives"].astype(bool).sum())
                macro = _intervals.macro_row(drawn)
                self._summary = summary_text(averages, len(self.overrides), macro, few)
        return self._summary

    def _interval_label(self) -> str:
        if self.intervals is None:
            return ""
        first = self.intervals.iloc[0]
        return (
            f"{float(first['ci']):.0%} interval, {int(first['n_resamples'])} bootstrap "
            "resamples of the test set's inputs"
        )

    def _table_html(self, limit: int = WIDGET_ROWS) -> Any:
        return table_html(self.table_, self.overrides, limit=limit, interval=self._interval_label())

    def _frame(self) -> pd.DataFrame:
        return self.table_

    def _build_figure(self) -> go.Figure:
        table = self.table_
        shown = table[[*columns_of(table), *_ends(table)]]
        return table_figure(shown, self.summary_, self.title, limit=FIGURE_ROWS)

    def _html_sections(self) -> list[Block]:
        return [
            Block(self.summary_, self._table_html(limit=HTML_ROWS)),
            Block("Thresholds (JSON)", tag("pre", self.to_json())),
        ]

    # -- widget -------------------------------------------------------------------------
    def _from_control(self, **changes: Any) -> None:
        if not self._syncing:
            self.set(**changes)

    def _build_widget(self) -> widgets.VBox:
        summary = html_widget(tag("b", self.summary_), "clarinb-summary")
        table = html_widget(self._table_html())
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


def _ends(table: pd.DataFrame) -> list[str]:
    """Return the interval columns of a table that has them."""
    return [f"{m}{end}" for m in RATES for end in ("_lo", "_hi") if f"{m}{end}" in table]
