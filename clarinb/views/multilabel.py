"""``MultiLabelConfusionView``: what a multi-label classifier gets right and wrong, per concept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb import metrics
from clarinb._html import from_plotly_text, html_widget, tag
from clarinb._names import concept_name
from clarinb.errors import ClarinbError, InvalidArgumentError
from clarinb.evaluation import Evaluation, as_evaluation
from clarinb.metrics.matrix import TestSetMatrix, as_matrix
from clarinb.metrics.multilabel import OUTCOMES, binary_cell_inputs
from clarinb.metrics.threshold_live import PASSES, ThresholdCounts
from clarinb.views import _controls as controls
from clarinb.views._base import View, figure_widget, sync_figure
from clarinb.views._drilldown import ThumbnailFetcher, inputs_panel
from clarinb.views._multilabel_figure import cells_frame, multilabel_figure

__all__ = ["MultiLabelConfusionView"]

#: Most concepts drawn: above, those with most positives (a search finds the others).
SHOWN_MAX = 60


class MultiLabelConfusionView(View):
    """Per-concept binary confusion (TP/FN/FP/TN) and co-occurrence of a multi-label classifier.

    A multi-label classifier answers one yes/no question per concept, so its
    mistakes are read per concept, not in an actual x predicted matrix
    (:class:`ConfusionMatrixView`, for single-label classifiers, refuses its
    test sets). Left: each concept's 2x2 confusion at the threshold, coloured
    by the share of its actual positives (TP, FN) or negatives (FP, TN).
    Right: how many inputs carry both concepts of a pair, coloured by the
    share of the row concept's positives.

    Parameters
    ----------
    test_set : pandas.DataFrame or TestSetMatrix
        As :func:`clarinb.frames.test_set`, or its
        :class:`clarinb.metrics.TestSetMatrix` (a frame is turned into one
        once, on first use; :meth:`from_evaluation` passes the evaluation's
        own, shared with the other views).  The first two thresholds are each
        counted in one pass over it; a third sorts every concept's scores
        once (:class:`clarinb.metrics.ThresholdCounts`), so that later moves
        of the threshold cost a few binary searches per concept.
    cooccurrence : pandas.DataFrame, optional
        Square counts of inputs labelled with both concepts (the service's,
        :func:`clarinb.frames.cooccurrence_matrix`); computed from the test
        set's ground truth (:func:`clarinb.metrics.cooccurrence`) without it.
    threshold : float
        A concept is predicted for an input when its score is at or above it.
    search : str
        Show only the concepts whose id or display name contains it (any case).
    concept_names : mapping of str to str, optional
        Display name per concept id.
    thumbnails : callable, optional
        ``input_id -> bytes`` of the input's image, for the drill-down.
    theme : {"light", "dark"}
        Plotly template family.

    Attributes
    ----------
    cell : tuple of str or None
        The (concept, outcome) cell of the binary panel whose inputs are
        listed, outcome one of ``"TP"``, ``"FN"``, ``"FP"``, ``"TN"``; set it
        with ``set(cell=...)`` or a click on the left heatmap.
    cell_inputs_ : pandas.DataFrame or None
        The inputs behind :attr:`cell` at the threshold
        (:func:`clarinb.metrics.binary_cell_inputs`).
    binary_ : pandas.DataFrame
        Per concept at the threshold (:func:`clarinb.metrics.at_threshold`):
        ``concept_id``, ``tp``, ``fp``, ``fn``, ``tn``, precision, recall, F1...
    cooccurrence_ : pandas.DataFrame
        The co-occurrence counts, index ``row``, columns ``col``.
    figure_ : plotly.graph_objects.Figure
        The two heatmaps.
    widget_ : ipywidgets.VBox
        Threshold slider, concept search and the live figure.
    frame_ : pandas.DataFrame
        The drawn cells, one row each.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["a", "a", "b", "b"],
    ...                    "concept_id": ["day", "forest", "day", "forest"],
    ...                    "score": [0.9, 0.8, 0.2, 0.7],
    ...                    "ground_truth": [True, True, False, True]})
    >>> view = MultiLabelConfusionView(test_set=ts, threshold=0.5)
    >>> view.binary_[["concept_id", "tp", "fp", "fn", "tn"]].values.tolist()
    [['day', 1, 0, 0, 1], ['forest', 2, 0, 0, 0]]
    """

    title = "Multi-label classifier: per-concept confusion and co-occurrence"
    settable = ("threshold", "search", "cell")

    def __init__(
        self,
        *,
        test_set: pd.DataFrame | TestSetMatrix,
        cooccurrence: pd.DataFrame | None = None,
        threshold: float = 0.5,
        search: str = "",
        concept_names: Mapping[str, str] | None = None,
        thumbnails: ThumbnailFetcher | None = None,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        if test_set is None:
            raise InvalidArgumentError(
                "MultiLabelConfusionView needs the evaluation's test set; give test_set= "
                "(clarinb.frames.test_set() or Evaluation.test_set())."
            )
        self.test_set = validate.test_set_or_matrix(test_set)
        hint = "give clarinb.frames.cooccurrence_matrix() or leave it out"
        self.cooccurrence = (
            None
            if cooccurrence is None
            else validate.count_matrix(cooccurrence, "cooccurrence", square=True, hint=hint)
        )
        self.threshold = validate.probability(threshold, "threshold")
        self.search = validate.text(search, "search")
        self.concept_names = validate.mapping(concept_names, "concept_names")
        self.thumbnails = validate.function(thumbnails, "thumbnails", takes="input_id -> bytes")
        self.cell: tuple[str, str] | None = None
        self._inputs_of: tuple[Any, pd.DataFrame] | None = None
        self._inputs: widgets.VBox | None = None
        self._binary: tuple[float, pd.DataFrame] | None = None
        self._both: pd.DataFrame | None = None
        self._counts: ThresholdCounts | None = None
        self._controls: dict[str, widgets.Widget] = {}
        self._heat: go.FigureWidget | None = None
        self._syncing = False

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_frames(cls, **kwargs: Any) -> MultiLabelConfusionView:
        """Build the view from frames: the class parameters, all keywords."""
        return cls(**kwargs)

    @classmethod
    def from_evaluation(
        cls, evaluation: Evaluation | Mapping[str, Any], **kwargs: Any
    ) -> MultiLabelConfusionView:
        """Build the view from a :class:`clarinb.Evaluation` (or its body, as a dict).

        Reads the test set, the concept names and the service's co-occurrence
        matrix (computed from the test set when the evaluation lacks it).

        Examples
        --------
        >>> MultiLabelConfusionView.from_evaluation(client.evaluation(eid))  # doctest: +SKIP
        """
        ev = as_evaluation(evaluation)
        test_set = ev.test_set_matrix_or_none()  # shared with the other views
        if test_set is None:
            raise InvalidArgumentError(
                f"evaluation {ev.id!r} has no test set, so its per-concept confusion cannot "
                "be counted; evaluate the model with a test set first."
            )
        kwargs.setdefault("concept_names", ev.concepts)
        if ev.client is not None:
            kwargs.setdefault("thumbnails", ev.fetch_input_image)
        if "cooccurrence" not in kwargs:
            try:
                kwargs["cooccurrence"] = ev.cooccurrence_matrix()
            except ClarinbError:
                kwargs["cooccurrence"] = None
        return cls(test_set=test_set, **kwargs)

    # -- settings ---------------------------------------------------------------------
    def _apply(self, changes: dict[str, Any]) -> None:
        checks = {
            "threshold": lambda v: validate.probability(v, "threshold"),
            "search": lambda v: validate.text(v, "search"),
            "cell": self._check_cell,
        }
        checked = {key: checks[key](value) for key, value in changes.items()}
        for key, value in checked.items():
            setattr(self, key, value)

    def _check_cell(self, cell: Any) -> tuple[str, str] | None:
        if cell is None:
            return None
        hint = "give (concept, outcome), outcome one of TP, FN, FP, TN"
        pair = validate.strings(cell, "cell", hint=hint)
        if len(pair) != 2:
            raise InvalidArgumentError(
                f"cell must be a pair (concept, outcome), not {validate.shown(cell)}; {hint}."
            )
        concepts = {str(c) for c in self.binary_["concept_id"]}
        concept = validate.known(pair[0], "concept", concepts, where="the test set")
        return concept, validate.choice(pair[1], "outcome", OUTCOMES)

    def _refresh_widget(self) -> None:
        if self._heat is None:
            self._widget = None
            return
        sync_figure(self._heat, self.figure_)
        self._syncing = True
        try:
            self._controls["threshold"].value = self.threshold
            self._controls["search"].value = self.search
        finally:
            self._syncing = False
        self._show_cell()

    # -- results ----------------------------------------------------------------------
    def _threshold_counts(self) -> ThresholdCounts:
        """Return the test set's counts at any threshold, over its matrix, built once."""
        if self._counts is None:
            self._counts = ThresholdCounts(as_matrix(self.test_set), passes=PASSES)
        return self._counts

    @property
    def binary_(self) -> pd.DataFrame:
        """Per-concept TP/FP/FN/TN at the threshold (:func:`clarinb.metrics.at_threshold`)."""
        if self._binary is None or self._binary[0] != self.threshold:
            self._binary = (self.threshold, self._threshold_counts().frame(self.threshold))
        return self._binary[1].copy()

    @property
    def cell_inputs_(self) -> pd.DataFrame | None:
        """The inputs behind :attr:`cell` at the threshold, or ``None`` when no cell is set."""
        if self.cell is None:
            return None
        key = (self.cell, self.threshold)
        if self._inputs_of is None or self._inputs_of[0] != key:
            matrix = self._threshold_counts().matrix
            inputs = binary_cell_inputs(matrix, *self.cell, self.threshold)
            self._inputs_of = (key, inputs)
        return self._inputs_of[1]

    @property
    def cooccurrence_(self) -> pd.DataFrame:
        """Inputs labelled with both concepts: the given matrix, or the test set's."""
        return self._cooccurrence().copy()

    def _cooccurrence(self) -> pd.DataFrame:
        """Return the co-occurrence counts of every pair of concepts, found once."""
        if self._both is None:
            if self.cooccurrence is not None:
                both = self.cooccurrence.copy()
                if np.all(np.mod(both.to_numpy(dtype=float), 1) == 0):
                    both = both.astype(np.int64)
                both.index = pd.Index(both.index.map(str), name="row")
                both.columns = pd.Index(both.columns.map(str), name="col")
            else:
                both = metrics.cooccurrence(self._threshold_counts().matrix)
            self._both = both
        return self._both

    def _cooccurrence_of(self, concepts: list[str]) -> pd.DataFrame:
        """Co-occurrence of the concepts drawn: from the given or full counts, else theirs alone.

        Counting only the drawn concepts keeps a test set of thousands of
        concepts from building every pair (a dense concepts x concepts table).
        """
        if self.cooccurrence is not None or self._both is not None:
            return self._cooccurrence().reindex(index=concepts, columns=concepts, fill_value=0)
        m = self._threshold_counts().matrix
        columns = m.concepts.astype(str).get_indexer(pd.Index(concepts))
        return metrics.cooccurrence(m.subset(concepts=columns))

    def _concepts(self) -> list[str]:
        """List the concepts shown: the test set's (in order) that match the search."""
        ids = [str(c) for c in self.binary_["concept_id"]]
        if not self.search:
            return ids
        needle = self.search.casefold()
        name = self.concept_names.get
        return [c for c in ids if needle in c.casefold() or needle in name(c, c).casefold()]

    def _shown(self) -> tuple[list[str], pd.DataFrame, pd.DataFrame]:
        concepts = self._concepts()
        binary = self.binary_
        if len(concepts) > SHOWN_MAX:  # the most positives, in the test set's order
            counts = binary.set_axis(binary["concept_id"].astype(str))
            positives = (counts["tp"] + counts["fn"]).reindex(concepts)
            top = set(positives.sort_values(ascending=False, kind="stable").index[:SHOWN_MAX])
            concepts = [c for c in concepts if c in top]
        binary = binary.set_axis(binary["concept_id"].astype(str)).loc[concepts]
        both = self._cooccurrence_of(concepts)
        return concepts, binary, both

    def _build_figure(self) -> go.Figure:
        concepts, binary, both = self._shown()
        title = f"{self.title}, threshold {self.threshold:.2f}"
        matching = len(self._concepts())
        if matching > len(concepts):
            title += (
                f", the {len(concepts)} of {matching} concepts with most positives "
                "(search to see others)"
            )
        if self.search:
            found = f"{len(concepts)} concepts" if concepts else "no concept matches"
            title += f", {found} {self.search!r}"
        return multilabel_figure(
            binary,
            both,
            self.concept_names,
            concepts=concepts,
            threshold=self.threshold,
            title=title,
        )

    def _frame(self) -> pd.DataFrame:
        return cells_frame(*self._shown(), self.concept_names)

    # -- widget -------------------------------------------------------------------------
    def _on_click(self, trace: Any, points: Any, state: Any) -> None:
        if points.xs and points.ys:
            # the figure holds escaped labels: map them back to the concept ids
            self.set(cell=(from_plotly_text(points.ys[0]), str(points.xs[0])))

    def _show_cell(self) -> None:
        if self._inputs is None:
            return
        inputs = self.cell_inputs_
        if inputs is None or self.cell is None:
            self._inputs.children = ()
            return
        concept, outcome = self.cell
        heading = f"{concept_name(concept, self.concept_names)}, {outcome}"
        heading += f" at threshold {self.threshold:.2f}"
        self._inputs.children = tuple(inputs_panel(inputs, heading, self.thumbnails))

    def _build_widget(self) -> widgets.VBox:
        def changed(key: str) -> Any:
            return lambda value: None if self._syncing else self.set(**{key: value})

        search = widgets.Text(
            value=self.search,
            placeholder="search concepts",
            description="search",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        search.observe(lambda change: changed("search")(change["new"]), names="value")
        self._controls = {
            "threshold": controls.threshold_slider(self.threshold, changed("threshold")),
            "search": search,
        }
        self._heat = figure_widget(self.figure_)
        self._heat.data[0].on_click(self._on_click)
        self._inputs = widgets.VBox()
        self._inputs.add_class("clarinb-inputs")
        hint = html_widget(tag("small", "Click a TP, FN, FP or TN cell to list its inputs."))
        box = widgets.VBox(
            [widgets.HBox(list(self._controls.values())), self._heat, hint, self._inputs]
        )
        box.add_class("clarinb-multilabel")
        self._show_cell()
        return box
