"""``ConfusionMatrixView``: an interactive confusion matrix with drill-down to inputs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb import metrics
from clarinb._html import from_plotly_text
from clarinb.errors import InvalidArgumentError
from clarinb.evaluation import (
    Evaluation,
    as_evaluation,
)
from clarinb.frames.matrices import NORMALIZE_CHOICES
from clarinb.metrics.confusion_live import LiveConfusion
from clarinb.metrics.kinds import MULTI_LABEL
from clarinb.metrics.matrix import TestSetMatrix, as_matrix
from clarinb.metrics.order import ORDERS
from clarinb.views import _controls as controls
from clarinb.views._base import View
from clarinb.views._confusion_figure import MatrixLayout, cells_frame, confusion_parts, lay_out
from clarinb.views._confusion_widget import ConfusionWidget
from clarinb.views._drilldown import ThumbnailFetcher, inputs_panel

__all__ = ["SHOWN_MAX", "ConfusionMatrixView"]

#: Above this many concepts the top-N filter is on by default.
LARGE = 60
#: Default number of largest confusions kept for large matrices.
DEFAULT_TOP_N = 40
#: Most concepts drawn: above it, those with the most errors (a 5,000-concept
#: matrix would be a gigabyte of HTML and a heatmap no screen can show).
SHOWN_MAX = 200
#: How many confused pairs the widget lists.
PAIRS_SHOWN = 30


def _refuse_multi_label(test_set: pd.DataFrame | TestSetMatrix) -> None:
    """Refuse a multi-label test set: its actual x top-score matrix would mislead."""
    if metrics.label_kind(test_set) == MULTI_LABEL:
        raise InvalidArgumentError(
            "ConfusionMatrixView shows single-label classifiers, but this test set is "
            "multi-label (an input has two or more true concepts), so an actual x predicted "
            "matrix would count correct tags as confusions; use "
            "clarinb.views.MultiLabelConfusionView (per-concept binary confusion and "
            "co-occurrence) instead."
        )


def _check_top_n(top_n: Any) -> int | str | None:
    if isinstance(top_n, str) and top_n == "auto":
        return "auto"
    return validate.positive_int(top_n, "top_n", or_none=True, hint="or 'auto'")


class ConfusionMatrixView(View):
    """Confusion matrix: normalisation, concept order, top confusions, threshold, drill-down.

    Parameters
    ----------
    matrix : pandas.DataFrame, optional
        Counts or rates, index ``actual``, columns ``predicted`` (as
        :func:`clarinb.frames.confusion_matrix`). Drawn when there is no
        ``test_set``.
    test_set : pandas.DataFrame or TestSetMatrix, optional
        As :func:`clarinb.frames.test_set`, or its
        :class:`clarinb.metrics.TestSetMatrix` (scores held as float32, as the
        API sends them). The counts are then recomputed (the frame turned
        into a matrix once, on first use) with
        :class:`clarinb.metrics.LiveConfusion`, equal to
        :func:`clarinb.metrics.confusion_matrix`, which enables the
        threshold and the inputs behind a cell; a new threshold moves only
        the inputs whose top score crosses it.
    threshold : float, optional
        Inputs whose top score is below it are counted as ``"(none)"``;
        needs ``test_set``.
    normalize : {None, "true", "pred", "all"}
        Colour by counts or by rates over rows, columns or the total
        (:func:`clarinb.frames.matrices.normalize_matrix`).
    order : {"body", "name", "error", "cluster"}
        Concept order.
    top_n : int or "auto" or None
        Keep only the concepts of the ``top_n`` largest confusions; ``"auto"``
        keeps 40 above 60 concepts and everything below.  Whatever it keeps,
        at most :data:`SHOWN_MAX` concepts are drawn (those with the most
        errors), and the title says so.
    concept_names : mapping of str to str, optional
        Display names per concept id.
    thumbnails : callable, optional
        ``input_id -> bytes`` of the input's image, for the drill-down.
    hide_diagonal : bool
        Leave the correct cells uncoloured, so the colour scale spans the
        confusions only.
    log_color : bool
        Colour on a log scale, so small confusions show beside large ones.
    search : str
        Show only the concepts whose id or display name contains it (any
        case); ``""`` shows every concept.
    theme : {"light", "dark"}
        Plotly template family.

    Raises
    ------
    InvalidArgumentError
        For a multi-label test set (an input with two or more true
        concepts): its single-label matrix would mislead; use
        :class:`clarinb.views.MultiLabelConfusionView`.

    Attributes
    ----------
    cell : tuple of str or None
        The (actual, predicted) cell whose inputs are listed; set it with
        ``set(cell=...)`` (or a click on the heatmap).
    figure_ : plotly.graph_objects.Figure
        The heatmap.
    widget_ : ipywidgets.VBox
        Controls, the heatmap as a ``FigureWidget`` and the inputs area.
    matrix_ : pandas.DataFrame
        The counts shown, before ordering and the top-N subset.
    cell_inputs_ : pandas.DataFrame or None
        The inputs behind :attr:`cell` (:func:`clarinb.metrics.cell_inputs`).
    confused_pairs_ : pandas.DataFrame
        The off-diagonal cells of :attr:`matrix_`, largest first
        (:func:`clarinb.metrics.confused_pairs`): ``actual``, ``predicted``,
        ``count``, ``rate`` (of the actual concept), plus ``actual_name`` and
        ``predicted_name``.
    frame_ : pandas.DataFrame
        The drawn cells, one row each.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[8, 2], [1, 9]], index=["cat", "dog"], columns=["cat", "dog"])
    >>> view = ConfusionMatrixView(matrix=m, normalize="true")
    >>> view.figure_.data[0].z[0].tolist()
    [0.8, 0.2]
    >>> view.set(normalize=None).figure_.data[0].z[0].tolist()
    [8.0, 2.0]
    """

    title = "Confusion matrix (single-label)"
    settable = (
        "normalize",
        "order",
        "top_n",
        "threshold",
        "cell",
        "hide_diagonal",
        "log_color",
        "search",
    )

    def __init__(
        self,
        *,
        matrix: pd.DataFrame | None = None,
        test_set: pd.DataFrame | TestSetMatrix | None = None,
        threshold: float | None = None,
        normalize: str | None = None,
        order: str = "body",
        top_n: int | str | None = "auto",
        concept_names: Mapping[str, str] | None = None,
        thumbnails: ThumbnailFetcher | None = None,
        hide_diagonal: bool = False,
        log_color: bool = False,
        search: str = "",
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        if matrix is None and test_set is None:
            raise InvalidArgumentError(
                "ConfusionMatrixView needs a matrix or a test set; give matrix= "
                "(clarinb.frames.confusion_matrix()) or test_set= (clarinb.frames.test_set())."
            )
        hint = "build it with clarinb.frames.confusion_matrix()"
        self.matrix = None if matrix is None else validate.count_matrix(matrix, "matrix", hint=hint)
        self.test_set = None if test_set is None else validate.test_set_or_matrix(test_set)
        if self.test_set is not None:
            _refuse_multi_label(self.test_set)
        self.threshold = self._check_threshold(threshold)
        self.normalize = validate.choice(normalize, "normalize", NORMALIZE_CHOICES)
        self.order = validate.choice(order, "order", ORDERS)
        self.top_n = _check_top_n(top_n)
        self.concept_names = validate.mapping(concept_names, "concept_names")
        self.thumbnails = validate.function(thumbnails, "thumbnails", takes="input_id -> bytes")
        self.hide_diagonal = validate.flag(hide_diagonal, "hide_diagonal")
        self.log_color = validate.flag(log_color, "log_color")
        self.search = validate.text(search, "search")
        self.cell: tuple[str, str] | None = None
        self._counts: tuple[float | None, pd.DataFrame] | None = None
        self._live: LiveConfusion | None = None
        self._pairs: tuple[float | None, pd.DataFrame] | None = None
        self._inputs_of: tuple[Any, pd.DataFrame] | None = None
        self._changed: set[str] = set()
        self._ui: ConfusionWidget | None = None
        self._heat: go.FigureWidget | None = None
        self._inputs: widgets.VBox | None = None

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_frames(cls, **kwargs: Any) -> ConfusionMatrixView:
        """Build the view from frames: the class parameters, all keywords.

        Examples
        --------
        >>> import pandas as pd
        >>> m = pd.DataFrame([[1, 0], [0, 1]], index=["a", "b"], columns=["a", "b"])
        >>> ConfusionMatrixView.from_frames(matrix=m).figure_.data[0].type
        'heatmap'
        """
        return cls(**kwargs)

    @classmethod
    def from_evaluation(
        cls, evaluation: Evaluation | Mapping[str, Any], **kwargs: Any
    ) -> ConfusionMatrixView:
        """Build the view from a :class:`clarinb.Evaluation` (or its body, as a dict).

        The test set, when the evaluation has one, is drawn from its
        :meth:`clarinb.Evaluation.test_set_matrix` (built once per
        evaluation, without the long frame) and enables the threshold and
        the drill-down (thumbnails downloaded with
        :meth:`clarinb.Evaluation.fetch_input_image` when the evaluation has a
        client); otherwise the evaluation's own confusion matrix is drawn.

        Parameters
        ----------
        evaluation : clarinb.Evaluation or dict
            The read model, or a body wrapped with ``Evaluation.from_dict``.
        **kwargs
            Further class parameters (``threshold``, ``normalize``...).

        Examples
        --------
        >>> view = ConfusionMatrixView.from_evaluation(client.evaluation(eid))  # doctest: +SKIP
        """
        ev = as_evaluation(evaluation)
        test_set = ev.test_set_matrix_or_none()
        kwargs.setdefault("concept_names", ev.concepts)
        if test_set is None:
            return cls(matrix=ev.confusion_matrix(), **kwargs)
        if ev.client is not None:
            kwargs.setdefault("thumbnails", ev.fetch_input_image)
        return cls(test_set=test_set, **kwargs)

    # -- settings ---------------------------------------------------------------------
    def _check_threshold(self, threshold: Any) -> float | None:
        if threshold is not None and self.test_set is None:
            raise InvalidArgumentError(
                "A threshold needs the test set to recompute the matrix; this view has none."
            )
        return controls.check_threshold(threshold)

    def _check_cell(self, cell: Any) -> tuple[str, str] | None:
        if cell is None:
            return None
        if self.test_set is None:
            raise InvalidArgumentError(
                "The inputs behind a cell need the evaluation's test set; this view has none."
            )
        hint = "give (actual, predicted) concept ids"
        pair = validate.strings(cell, "cell", hint=hint)
        if len(pair) != 2:
            raise InvalidArgumentError(
                f"cell must be a pair (actual, predicted), not {validate.shown(cell)}; {hint}."
            )
        concepts = [str(c) for c in self.matrix_.index]
        actual = validate.known(pair[0], "concept", set(concepts), where="the test set")
        predicted = validate.known(
            pair[1], "concept", {*concepts, metrics.NONE_LABEL}, where="the test set"
        )
        return actual, predicted

    def _apply(self, changes: dict[str, Any]) -> None:
        checks = {
            "normalize": lambda v: validate.choice(v, "normalize", NORMALIZE_CHOICES),
            "order": lambda v: validate.choice(v, "order", ORDERS),
            "top_n": _check_top_n,
            "threshold": self._check_threshold,
            "cell": self._check_cell,
            "hide_diagonal": lambda v: validate.flag(v, "hide_diagonal"),
            "log_color": lambda v: validate.flag(v, "log_color"),
            "search": lambda v: validate.text(v, "search"),
        }
        checked = {key: checks[key](value) for key, value in changes.items()}
        for key, value in checked.items():
            setattr(self, key, value)
        self._changed = set(checked)

    def _update(self) -> None:
        if self._changed - {"cell"}:
            self._figure = None
        if self._widget is not None:
            self._refresh_widget()

    def _refresh_widget(self) -> None:
        if self._ui is not None:
            # set on the live heatmap in place (it keeps its template), no figure between
            drawn = self._parts() if self._changed - {"cell"} else None
            self._ui.update(self._shown(), drawn)
        if self._changed & {"cell", "threshold"}:
            self._show_cell()

    # -- results ----------------------------------------------------------------------
    def _live_counts(self) -> LiveConfusion:
        """Return the live counts of the test set, built once (from a frame: its matrix)."""
        if self._live is None:
            assert self.test_set is not None
            self._live = LiveConfusion(as_matrix(self.test_set))
        return self._live

    @property
    def matrix_(self) -> pd.DataFrame:
        """The counts shown: from the test set at the threshold, else the matrix given."""
        if self.test_set is None:
            assert self.matrix is not None
            return self.matrix
        if self._counts is None or self._counts[0] != self.threshold:
            counts = self._live_counts().frame(self.threshold)
            self._counts = (self.threshold, counts)
        return self._counts[1]

    @property
    def cell_inputs_(self) -> pd.DataFrame | None:
        """The inputs behind :attr:`cell` at the threshold, or ``None`` when no cell is set.

        See :func:`clarinb.metrics.cell_inputs`: ``input_id``, ``predicted``,
        ``top_score``, ``actual_score``, highest top score first.
        """
        if self.cell is None or self.test_set is None:
            return None
        key = (self.cell, self.threshold)
        if self._inputs_of is None or self._inputs_of[0] != key:
            inputs = self._live_counts().cell_inputs(*self.cell, self.threshold)
            self._inputs_of = (key, inputs)
        return self._inputs_of[1]

    @property
    def confused_pairs_(self) -> pd.DataFrame:
        """The off-diagonal cells of :attr:`matrix_`, largest first, with display names."""
        return self._confused_pairs().copy()

    def _confused_pairs(self) -> pd.DataFrame:
        """:attr:`confused_pairs_`, kept while the counts stay the same."""
        if self._pairs is None or self._pairs[0] != self.threshold:
            pairs = metrics.confused_pairs(self._drawn())  # no copy of the counts
            name = self.concept_names.get
            for column in ("actual", "predicted"):
                ids = pairs[column].to_numpy(dtype=object)
                pairs[f"{column}_name"] = [name(c, c) for c in ids]
            self._pairs = (self.threshold, pairs)
        return self._pairs[1]

    def _top_n(self) -> int | None:
        if self.top_n == "auto":
            return DEFAULT_TOP_N if len(self._drawn().index) > LARGE else None
        return self.top_n  # type: ignore[return-value]

    def _drawn(self) -> pd.DataFrame:
        """Return the counts to lay out: :attr:`matrix_`, or the live counts without a copy.

        A test set's counts at the threshold are read in place (a ``k x (k + 1)``
        copy per update is 200 MB at 5,000 concepts); the frame is used at
        once, before the next update moves them.
        """
        if self.test_set is None:
            return self.matrix_
        live = self._live_counts()
        counts = live.counts(self.threshold, copy=False)
        concepts = live.matrix.concepts
        if self.threshold is not None:
            columns = concepts.append(pd.Index([metrics.NONE_LABEL]))
        else:
            columns = concepts
        return pd.DataFrame(counts, index=concepts, columns=columns, copy=False)

    def _layout(self) -> MatrixLayout:
        return lay_out(
            self._drawn(),
            self.concept_names,
            order=self.order,
            top_n=self._top_n(),
            search=self.search,
            limit=SHOWN_MAX,
        )

    def _threshold_text(self) -> str:
        if self.test_set is None:
            return "the service's"
        return "none (top score)" if self.threshold is None else f"{self.threshold:.2f}"

    def _build_figure(self) -> go.Figure:
        trace, layout = self._parts()
        return go.Figure(go.Heatmap(**trace), layout=layout)

    def _parts(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Return the heatmap's properties and the layout (:func:`confusion_parts`)."""
        title = self.title
        if self.threshold is not None:
            title += f" at threshold {self.threshold:.2f}"
        top_n = self._top_n()
        if top_n is not None:
            title += f" (concepts of the {top_n} largest confusions)"
        layout = self._layout()
        if layout.total > len(layout.rows):
            title += (
                f"; showing {len(layout.rows):,} of {layout.total:,} concepts: "
                f"the {len(layout.rows):,} with most errors"
            )
        if self.search:
            found = f"{len(layout.rows)} concepts" if layout.rows else "no concept matches"
            title += f", {found} {self.search!r}"
        return confusion_parts(
            layout,
            self.concept_names,
            how=self.normalize,
            title=title,
            hide_diagonal=self.hide_diagonal,
            log_color=self.log_color,
            threshold=self._threshold_text(),
        )

    def _frame(self) -> pd.DataFrame:
        return cells_frame(self._layout(), self.concept_names, self.normalize)

    # -- widget -------------------------------------------------------------------------
    def _on_click(self, trace: Any, points: Any, state: Any) -> None:
        if points.xs and points.ys and self.test_set is not None:
            # the figure holds escaped labels: map them back to the concept ids
            self.set(cell=(from_plotly_text(points.ys[0]), from_plotly_text(points.xs[0])))

    def _shown(self) -> dict[str, Any]:
        return {
            "normalize": self.normalize,
            "order": self.order,
            "top_n": self._top_n(),
            "threshold": self.threshold,
            "hide_diagonal": self.hide_diagonal,
            "log_color": self.log_color,
            "search": self.search,
            "pairs": self._pairs_shown(),
            "cell": self.cell,
        }

    def _pairs_shown(self) -> list[tuple[str, tuple[str, str]]]:
        """List the confused pairs the widget shows (of the concepts searched for), as options."""
        pairs = self._confused_pairs()
        if self.search:
            needle = self.search.casefold()
            hit = pd.concat(
                [pairs[c].str.casefold().str.contains(needle, regex=False)
                 for c in ("actual", "predicted", "actual_name", "predicted_name")],
                axis=1,
            ).any(axis=1)  # fmt: skip
            pairs = pairs[hit]
        return [
            (
                f"{r.actual_name} \u2192 {r.predicted_name}: {r.count:.0f} "
                + ("" if pd.isna(r.rate) else f"({r.rate:.0%} of {r.actual_name})"),
                (r.actual, r.predicted),
            )
            for r in pairs.head(PAIRS_SHOWN).itertuples()
        ]

    def _show_cell(self) -> None:
        if self._ui is None:
            return
        inputs = self.cell_inputs_
        if inputs is None or self.cell is None:
            self._ui.list_inputs(())
            return
        actual, predicted = self.cell
        name = self.concept_names.get
        heading = f"actual {name(actual, actual)}, predicted {name(predicted, predicted)}"
        self._ui.list_inputs(inputs_panel(inputs, heading, self.thumbnails))

    def _build_widget(self) -> widgets.VBox:
        self._ui = ConfusionWidget(
            self.figure_,
            self._shown(),
            on_change=lambda key, value: self.set(**{key: value}),
            on_click=self._on_click if self.test_set is not None else None,
        )
        self._heat, self._inputs = self._ui.heat, self._ui.inputs
        self._show_cell()
        return self._ui.box
