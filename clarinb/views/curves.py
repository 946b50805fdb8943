"""``CurvesView``: ROC and precision-recall curves per concept, with averages and a threshold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clarinb import _validate as validate
from clarinb import metrics
from clarinb._html import Block
from clarinb.errors import InvalidArgumentError
from clarinb.evaluation import as_evaluation
from clarinb.metrics.curve_averages import macro_curves, micro_curve_from_counts
from clarinb.metrics.curve_matrix import matrix_micro_curve, matrix_operating_points
from clarinb.metrics.curve_points import (
    check_curve_frame,
    curve_areas,
    join_points,
    operating_points,
)
from clarinb.metrics.matrix import TestSetMatrix, check_matrix
from clarinb.views import _controls as controls
from clarinb.views import _intervals
from clarinb.views._base import View, figure_widget, sync_figure
from clarinb.views._curve_data import concepts_of_test_set, thin
from clarinb.views._curve_figures import (
    CurveSet,
    drawn_points,
    operating_trace,
    pr_figure,
    roc_figure,
)
from clarinb.views._curves_controls import curve_controls

if TYPE_CHECKING:
    from clarinb.evaluation import Evaluation

__all__ = ["CurvesView"]

#: Selection modes of the concept multi-select.
SELECTIONS = ("all", "top", "bottom")
#: Most points drawn per curve (exact points, evenly thinned).
POINTS_PER_CURVE = 300
#: Above this many concepts the default selection is the ``k`` lowest by AUC.
AUTO_ALL = 12
_SCORES = ["roc_auc", "avg_precision"]
_BANDS = ["fpr", "tpr_lo", "tpr_hi", "recall", "precision_lo", "precision_hi"]
_BM_HINT = "build it with clarinb.frames.binary_metrics()"


class CurvesView(View):
    """ROC and precision-recall curves with AUC/AP, averages, iso-F1 and an operating point.

    Give the curves (``roc`` and ``pr``), or a test set to compute them from
    exactly.

    Parameters
    ----------
    roc : pandas.DataFrame, optional
        ``concept_id``, ``threshold``, ``fpr``, ``tpr`` (as :func:`clarinb.frames.roc_curves`).
    pr : pandas.DataFrame, optional
        ``concept_id``, ``threshold``, ``precision``, ``recall``.
    binary_metrics : pandas.DataFrame, optional
        ``concept_id`` with ``roc_auc``, ``avg_precision`` (the legend's AUC
        and AP; computed from the curves where missing) and ``num_pos``,
        ``num_neg`` (the micro average without a test set), as
        :func:`clarinb.frames.binary_metrics` or :func:`clarinb.metrics.scores`.
    test_set : pandas.DataFrame, optional
        Gives exact curves (when ``roc``/``pr`` are not given), the exact
        micro average and exact operating points; turned once (on first
        use) into a :class:`clarinb.metrics.TestSetMatrix`, which every
        figure reads.
    test_set_matrix : clarinb.metrics.TestSetMatrix, optional
        The test set as matrices instead of ``test_set`` (what
        ``from_evaluation`` passes: no long frame is built).  Curves from it
        carry at most 300 points each (:func:`clarinb.metrics.matrix_curves`,
        exact AUC and AP).
    threshold : float, optional
        Where the operating-point markers sit (none when ``None``).
    selection : {"all", "top", "bottom", "auto"} or sequence of str
        Which concepts to draw: all, the ``k`` highest or lowest by ROC AUC,
        or the given concept ids. ``"auto"`` means all up to 12 concepts and
        the ``k`` lowest above.
    k : int
        Size of the top/bottom selections.
    averages : bool
        Draw the micro and macro average curves.
    concept_names : mapping of str to str, optional
        Display names.
    intervals : pandas.DataFrame, optional
        Bootstrap intervals of ROC AUC and AP, as
        :meth:`clarinb.Evaluation.metric_intervals` or
        :func:`clarinb.metrics.metric_intervals` returns: shown with each
        concept's score in the legend and hovers (with the note where an
        interval says little), and the macro interval with the macro
        average.  ``from_evaluation`` draws them by default.
    bands : pandas.DataFrame, optional
        Bootstrap bands of the curves, as :func:`clarinb.metrics.curve_bands`
        or :meth:`clarinb.Evaluation.curve_bands` returns: drawn as a shaded
        band behind each shown concept's curve (up to 40 concepts shown).
        ``from_evaluation`` draws them by default.
    theme : {"light", "dark"}
        Plotly template family.

    Attributes
    ----------
    figure_ : plotly.graph_objects.Figure
        ROC and PR side by side.
    roc_figure_, pr_figure_ : plotly.graph_objects.Figure
        Each on its own (the widget's two tabs).
    scores_ : pandas.DataFrame
        ``concept_id``, ``roc_auc``, ``avg_precision`` of every concept; with
        intervals also ``roc_auc_lo``, ``roc_auc_hi``, ``avg_precision_lo``,
        ``avg_precision_hi``, ``too_few_positives`` and ``note``.
    selected_ : list of str
        The concept ids drawn.
    bands_ : pandas.DataFrame or None
        The bands of the drawn concepts (rows of ``bands``), None without bands.
    frame_ : pandas.DataFrame
        The drawn points.
    widget_ : ipywidgets.VBox
        Controls above ROC and PR tabs.

    Examples
    --------
    >>> import pandas as pd
    >>> roc = pd.DataFrame({"concept_id": ["a"] * 3, "threshold": [1.0, 0.5, 0.0],
    ...                     "fpr": [0.0, 0.0, 1.0], "tpr": [0.0, 1.0, 1.0]})
    >>> pr = pd.DataFrame({"concept_id": ["a"] * 2, "threshold": [1.0, 0.5],
    ...                    "precision": [1.0, 1.0], "recall": [0.0, 1.0]})
    >>> CurvesView(roc=roc, pr=pr).scores_["roc_auc"].tolist()
    [1.0]
    >>> view = CurvesView(roc=roc, pr=pr).set(threshold=0.7, selection=["a"])
    """

    title = "ROC and precision-recall curves"
    settable = ("threshold", "selection", "k", "averages")

    def __init__(
        self,
        *,
        roc: pd.DataFrame | None = None,
        pr: pd.DataFrame | None = None,
        binary_metrics: pd.DataFrame | None = None,
        test_set: pd.DataFrame | None = None,
        test_set_matrix: TestSetMatrix | None = None,
        threshold: float | None = 0.5,
        selection: str | Sequence[str] = "auto",
        k: int = 10,
        averages: bool = True,
        concept_names: Mapping[str, str] | None = None,
        intervals: pd.DataFrame | None = None,
        bands: pd.DataFrame | None = None,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        self.intervals = _intervals.check(intervals, _SCORES)
        if bands is not None:
            hint = "build it with Evaluation.curve_bands() or clarinb.metrics.curve_bands()"
            bands = validate.frame(
                bands, "bands", columns=["concept_id"], numeric=_BANDS, hint=hint
            )
        self.bands = bands
        self.test_set = None if test_set is None else validate.evaluation_test_set(test_set)
        self.test_set_matrix = None if test_set_matrix is None else check_matrix(test_set_matrix)
        if roc is None or pr is None:
            if self.test_set_matrix is not None:
                self.concept_ids = [str(c) for c in self.test_set_matrix.concepts]
            elif self.test_set is not None:
                self.concept_ids = concepts_of_test_set(self.test_set)
            else:
                raise InvalidArgumentError(
                    "CurvesView needs ROC and PR frames (roc=, pr=), or a test set "
                    "(test_set= or test_set_matrix=)."
                )
            self.roc = self.pr = None
        else:
            self.roc = check_curve_frame(roc, "ROC")
            self.pr = check_curve_frame(pr, "PR")
            ids = pd.concat([self.roc["concept_id"], self.pr["concept_id"]], ignore_index=True)
            self.concept_ids = [str(c) for c in pd.unique(ids.astype(str))]
        if not self.concept_ids:
            raise InvalidArgumentError(
                "the ROC and PR frames hold no curve point: the evaluation has no curves to draw."
            )
        if binary_metrics is not None:
            validate.frame(binary_metrics, "binary_metrics", columns=["concept_id"], hint=_BM_HINT)
        self.binary_metrics = binary_metrics
        self.threshold = controls.check_threshold(threshold)
        self.k = validate.positive_int(k, "k")
        self.averages = validate.choice(averages, "averages", (True, False))
        self.concept_names = validate.mapping(concept_names, "concept_names")
        if isinstance(selection, str) and selection == "auto":
            selection = "all" if len(self.concept_ids) <= AUTO_ALL else "bottom"
        self.selection = self._check_selection(selection)
        self._cache: dict[str, Any] = {}
        self._figures: tuple[go.Figure, go.Figure] | None = None
        self._live: tuple[go.FigureWidget, go.FigureWidget] | None = None
        self._changed: set[str] = set()
        self._threshold_before: float | None = self.threshold

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_frames(cls, **frames: Any) -> CurvesView:
        """Build from curve frames, or from a test set alone; the constructor's keywords.

        Examples
        --------
        >>> view = CurvesView.from_frames(test_set=ts, selection="top", k=5)  # doctest: +SKIP
        """
        return cls(**frames)

    @classmethod
    def from_evaluation(
        cls, evaluation: Evaluation | Mapping[str, Any], **kwargs: Any
    ) -> CurvesView:
        """Build from an evaluation: the service's curves and metrics, and its test set if any.

        Parameters
        ----------
        evaluation : clarinb.Evaluation or dict
            The read model (a body dict is wrapped with ``Evaluation.from_dict``).
        **kwargs
            The constructor's other keywords (``selection``, ``threshold``, ...).
            ``intervals`` may also be ``"auto"`` (the default: drawn from
            the test set with 500 resamples when it holds at most 200,000
            scores; none without a test set), ``True`` (drawn whatever the
            size) or ``False``.  ``bands`` follows the same rule (200
            resamples).

        Examples
        --------
        >>> view = CurvesView.from_evaluation(client.evaluation("ev-1"))  # doctest: +SKIP
        """
        ev = as_evaluation(evaluation)
        roc, pr, binary_metrics = ev.roc_curves(), ev.pr_curves(), ev.binary_metrics()
        kwargs.setdefault("concept_names", ev.concepts)  # known once the metrics are read
        kwargs["intervals"] = _intervals.from_read_model(
            ev, kwargs.get("intervals", "auto"), kwargs.get("threshold", 0.5)
        )
        kwargs["bands"] = _intervals.bands_from_read_model(ev, kwargs.get("bands", "auto"))
        matrix = ev.test_set_matrix_or_none()
        return cls(roc=roc, pr=pr, binary_metrics=binary_metrics, test_set_matrix=matrix, **kwargs)

    # -- checks ---------------------------------------------------------------------------
    def _check_selection(self, selection: Any) -> str | list[str]:
        hint = "'auto' or a list of concept ids is accepted too"
        if isinstance(selection, str):
            if selection == "auto":
                return "all" if len(self.concept_ids) <= AUTO_ALL else "bottom"
            return validate.choice(selection, "selection", SELECTIONS, hint=hint)
        try:
            chosen = validate.strings(selection, "selection")
        except InvalidArgumentError:
            raise InvalidArgumentError(
                f"selection must be one of {list(SELECTIONS)}, 'auto' or a list of concept ids, "
                f"not {validate.shown(selection)}."
            ) from None
        unknown = sorted(set(chosen) - set(self.concept_ids))
        if unknown:
            raise InvalidArgumentError(f"Unknown concept ids in selection: {unknown[:10]}.")
        return chosen

    def _apply(self, changes: dict[str, Any]) -> None:
        checks = {
            "threshold": controls.check_threshold,
            "selection": self._check_selection,
            "k": lambda v: validate.positive_int(v, "k"),
            "averages": lambda v: validate.choice(v, "averages", (True, False)),
        }
        checked = {key: checks[key](value) for key, value in changes.items()}
        self._threshold_before = self.threshold
        for key, value in checked.items():
            setattr(self, key, value)
        self._changed = set(checked)

    # -- data (computed on first use) ---------------------------------------------------
    def _cached(self, name: str, build: Any) -> Any:
        if name not in self._cache:
            self._cache[name] = build()
        return self._cache[name]

    def _matrix(self) -> TestSetMatrix | None:
        """Return the test set as matrices: given, or built once from the test-set frame."""
        if self.test_set_matrix is not None:
            return self.test_set_matrix
        if self.test_set is None:
            return None
        return self._cached("matrix", lambda: TestSetMatrix.from_frame(self.test_set))

    def _matrix_curves(self) -> metrics.MatrixCurves:
        """Every concept's curves (decimated for drawing) and exact areas, in one pass."""

        def build() -> metrics.MatrixCurves:
            m = self._matrix()
            assert m is not None
            return metrics.matrix_curves(m, max_points=POINTS_PER_CURVE, micro=True)

        return self._cached("matrix_curves", build)

    def _curves(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Return the ROC and PR frames: given, or from the test set (decimated, exact areas)."""
        if self.roc is not None and self.pr is not None:
            return self.roc, self.pr
        found = self._matrix_curves()
        return found.roc, found.pr

    def _points(self) -> pd.DataFrame:
        """Join the points of every concept, thinned for drawing."""

        def build() -> pd.DataFrame:
            roc, pr = self._curves()
            return join_points(thin(roc, POINTS_PER_CURVE), thin(pr, POINTS_PER_CURVE))

        return self._cached("points", build)

    @property
    def scores_(self) -> pd.DataFrame:
        """ROC AUC and average precision of every concept: given, else computed.

        From ``binary_metrics`` where it has them (values that are not numbers
        are unknown, NaN), the gaps filled from the test set or the curves.
        """
        return self._cached("scores", self._scores).copy()

    def _scores(self) -> pd.DataFrame:
        scores = self._with_counts(self._point_scores())
        if self.intervals is None:
            return scores
        rows = _intervals.concept_rows(self.intervals)
        extra = [f"{m}{end}" for m in _SCORES for end in ("_lo", "_hi")]
        extra += ["too_few_positives", "note"]
        joined = rows[extra].reindex(scores["concept_id"])
        return pd.concat([scores, joined.reset_index(drop=True)], axis=1)

    def _with_counts(self, scores: pd.DataFrame) -> pd.DataFrame:
        """Add each concept's positives and negatives (for the hovers' TP / FP / FN) when known."""
        if {"num_pos", "num_neg"} <= set(scores.columns):
            return scores
        m = self._matrix()
        if m is not None:
            pos = m.labels.sum(axis=0)
            found = pd.DataFrame(
                {"num_pos": pos, "num_neg": m.n_inputs - pos}, index=m.concepts.astype(str)
            )
        elif self.binary_metrics is not None and {"num_pos", "num_neg"} <= set(
            self.binary_metrics.columns
        ):
            bm = self.binary_metrics.drop_duplicates("concept_id")
            found = bm.set_index(bm["concept_id"].astype(str))[["num_pos", "num_neg"]]
        else:
            return scores
        joined = found.reindex(scores["concept_id"].astype(str)).reset_index(drop=True)
        return pd.concat([scores.reset_index(drop=True), joined], axis=1)

    def _point_scores(self) -> pd.DataFrame:
        concepts = self.concept_ids
        given = None
        if self.binary_metrics is not None:
            frame = self.binary_metrics
            given = frame.assign(concept_id=frame["concept_id"].astype(str))
            given = given.drop_duplicates("concept_id").set_index("concept_id")
            complete = set(_SCORES) <= set(given.columns) and set(concepts) <= set(given.index)
            given = given.reindex(columns=_SCORES).reindex(concepts)
            given = given.apply(pd.to_numeric, errors="coerce").astype(float)
            if complete:  # NaN stays NaN: a concept without positives has no AUC
                return given.rename_axis("concept_id").reset_index()
        if self.roc is None:
            computed = self._matrix_curves().scores.drop(columns=["num_pos", "num_neg"])
        else:
            computed = curve_areas(*self._curves())
        computed = computed.astype({"concept_id": str}).set_index("concept_id")[_SCORES]
        computed = computed.reindex(concepts)
        if given is not None:
            computed = given.fillna(computed)
        return computed.rename_axis("concept_id").reset_index()

    @property
    def selected_(self) -> list[str]:
        """Concept ids drawn under the current selection."""
        if isinstance(self.selection, list):
            return list(self.selection)
        if self.selection == "all":
            return list(self.concept_ids)
        ranked = self._cached("scores", self._scores).sort_values(
            "roc_auc", ascending=self.selection == "bottom", kind="stable", na_position="last"
        )
        return ranked["concept_id"].head(self.k).tolist()

    @property
    def bands_(self) -> pd.DataFrame | None:
        """The bootstrap bands of the drawn concepts, or None without bands."""
        if self.bands is None:
            return None
        shown = set(self.selected_)
        rows = self.bands[self.bands["concept_id"].astype(str).isin(shown)]
        out = rows.reset_index(drop=True)
        out.attrs = dict(self.bands.attrs)
        return out

    def _averages(self) -> tuple[pd.DataFrame | None, pd.DataFrame, pd.DataFrame]:
        """Micro average (None when it cannot be had) and the macro ROC and PR averages."""

        def build() -> tuple[pd.DataFrame | None, pd.DataFrame, pd.DataFrame]:
            roc, pr = self._curves()
            micro: pd.DataFrame | None
            m = self._matrix()
            if m is not None and (self.roc is None or self.pr is None):
                micro = self._matrix_curves().micro  # counted in the curves' one pass
            elif m is not None:
                micro = matrix_micro_curve(m)
            elif self.binary_metrics is not None:
                micro = micro_curve_from_counts(roc, self.binary_metrics)
            else:
                micro = None
            return (micro, *macro_curves(roc, pr))

        return self._cached("averages", build)

    def _operating(self, shown: list[str], threshold: float) -> pd.DataFrame:
        """Operating points of the shown concepts: exact from the test set when there is one."""
        m = self._matrix()
        if m is not None:
            return matrix_operating_points(m, threshold, shown)
        roc, pr = self._curves()
        keep = set(shown)
        mine = [f[f["concept_id"].astype(str).isin(keep)] for f in (roc, pr)]
        return operating_points(mine[0], mine[1], threshold)

    def _curve_set(self) -> CurveSet:
        shown = self.selected_
        points = self._points()
        points = points[points["concept_id"].isin(set(shown))]
        curves = CurveSet(points=points, scores=self.scores_, names=self.concept_names)
        curves.macro_interval = _intervals.macro_row(self.intervals)
        curves.bands = self.bands_
        if self.threshold is not None:
            curves.threshold = self.threshold
            curves.operating = self._operating(shown, self.threshold)
        if self.averages:
            curves.micro, curves.macro_roc, curves.macro_pr = self._averages()
        return curves

    # -- drawing ------------------------------------------------------------------------
    def _build_figure(self) -> go.Figure:
        curves = self._curve_set()
        roc, pr = roc_figure(curves), pr_figure(curves)
        roc.update_layout(template=self._template)
        pr.update_layout(template=self._template)
        self._figures = (roc, pr)
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
            title={"text": f"{self.title}{curves.band_text()}"},
            height=560,
            legend={"x": 0.0, "y": -0.15, "yanchor": "top", "orientation": "v"},
            legend2={"x": 0.56, "y": -0.15, "yanchor": "top", "orientation": "v"},
            margin={"b": 40},
        )
        return both

    def _both(self) -> tuple[go.Figure, go.Figure]:
        if self._figures is None:
            self.plot()
        assert self._figures is not None
        return self._figures

    @property
    def roc_figure_(self) -> go.Figure:
        """The ROC figure on its own."""
        return self._both()[0]

    @property
    def pr_figure_(self) -> go.Figure:
        """The precision-recall figure on its own."""
        return self._both()[1]

    def _frame(self) -> pd.DataFrame:
        """Drawn points: concept curves, averages and operating points, one row each."""
        return drawn_points(self._curve_set())

    def _html_sections(self) -> list[Block]:
        roc, pr = self._both()
        return [Block("ROC", roc), Block("Precision-recall", pr)]

    # -- redraw after set() ---------------------------------------------------------------
    def _update(self) -> None:
        changed, self._changed = self._changed, set()
        before = self._threshold_before
        markers_only = changed == {"threshold"} and self._figures is not None
        if markers_only and before is not None and self.threshold is not None:
            self._move_markers()
            return
        self._figure = None
        self._figures = None
        if self._live is not None:
            self.plot()
            roc, pr = self._both()
            sync_figure(self._live[0], roc)
            sync_figure(self._live[1], pr)

    def _move_markers(self) -> None:
        """Move only the operating-point markers (the curves stay): cheap with many concepts."""
        assert self._figures is not None
        assert self.threshold is not None
        shown = self.selected_
        curves = CurveSet(
            points=self._points().iloc[:0],
            scores=self.scores_,
            names=self.concept_names,
            operating=self._operating(shown, self.threshold),
            threshold=self.threshold,
        )
        targets = list(self._figures)
        if self._live is not None:
            targets.extend(self._live)
        for i, fig in enumerate(targets):
            x, y = ("fpr", "tpr") if i % 2 == 0 else ("tpr", "precision")
            new = operating_trace(curves, x, y)[0]
            fig.data[-1].update(new.to_plotly_json(), overwrite=True)
        self._figure = None  # the side-by-side figure is rebuilt on next access

    # -- widget -------------------------------------------------------------------------
    def _build_widget(self) -> widgets.VBox:
        roc, pr = self._both()
        self._live = (figure_widget(roc), figure_widget(pr))
        bar, picker = curve_controls(self)
        tabs = widgets.Tab(children=list(self._live), titles=("ROC", "Precision-recall"))
        box = widgets.VBox([bar, picker, tabs])
        box.add_class("clarinb-curves")
        return box
