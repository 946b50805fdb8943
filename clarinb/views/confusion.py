"""``ConfusionMatrixView``: an interactive confusion matrix with drill-down to inputs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb._html import from_plotly_text, html_widget, tag
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.order import ORDERS
from clarinb.views import _controls as controls
from clarinb.views._base import View, figure_widget
from clarinb.views._confusion_figure import NORMALIZE, confusion_figure, lay_out
from clarinb.views._drilldown import ThumbnailFetcher, cell_inputs, inputs_panel
from clarinb.views._source import EvaluationLike, evaluation_parts

__all__ = ["ConfusionMatrixView"]

#: Above this many concepts the top-N filter is on by default.
LARGE = 60
#: Default number of largest confusions kept for large matrices.
DEFAULT_TOP_N = 40
#: The choices of the top-confusions dropdown.
TOP_CHOICES = (10, 20, 40, 80, 160)


class ConfusionMatrixView(View):
    """Confusion matrix: normalisation, concept order, top confusions, threshold, drill-down.

    Parameters
    ----------
    matrix : pandas.DataFrame, optional
        Counts or rates, index ``actual``, columns ``predicted`` (as
        :func:`clarinb.frames.confusion_matrix`). Computed from ``test_set``
        when omitted.
    test_set : pandas.DataFrame, optional
        As :func:`clarinb.frames.test_set`. Enables the threshold slider
        (recomputed with :func:`clarinb.metrics.confusion_matrix`) and the
        list of inputs behind a cell.
    threshold : float, optional
        Inputs whose top score is below it are counted as ``"(none)"``;
        needs ``test_set``.
    normalize : {None, "true", "pred", "all"}
        Colour by counts or by rates over rows, columns or the total.
    order : {"body", "name", "error", "cluster"}
        Concept order.
    top_n : int or "auto" or None
        Keep only the concepts of the ``top_n`` largest confusions; ``"auto"``
        keeps 40 above 60 concepts and everything below.
    concept_names : mapping of str to str, optional
        Display names per concept id.
    thumbnails : callable, optional
        ``input_id -> bytes`` of the input's image, for the drill-down.
    theme : {"light", "dark"}
        Plotly template family.

    Attributes
    ----------
    figure_ : plotly.graph_objects.Figure
        The heatmap.
    widget_ : ipywidgets.VBox
        Controls, the heatmap as a ``FigureWidget`` and the inputs area.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[8, 2], [1, 9]], index=["cat", "dog"], columns=["cat", "dog"])
    >>> view = ConfusionMatrixView(m, normalize="true")
    >>> view.figure_.data[0].z[0].tolist()
    [0.8, 0.2]
    """

    title = "Confusion matrix"

    def __init__(
        self,
        matrix: pd.DataFrame | None = None,
        *,
        test_set: pd.DataFrame | None = None,
        threshold: float | None = None,
        normalize: str | None = None,
        order: str = "body",
        top_n: int | str | None = "auto",
        concept_names: Mapping[str, str] | None = None,
        thumbnails: ThumbnailFetcher | None = None,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        if matrix is None and test_set is None:
            raise InvalidArgumentError("ConfusionMatrixView needs a matrix or a test set.")
        if threshold is not None and test_set is None:
            raise InvalidArgumentError("A threshold needs the test set to recompute the matrix.")
        if test_set is not None:
            test_set = validate.evaluation_test_set(test_set)
        elif matrix is not None:
            validate.count_matrix(
                matrix, "matrix", hint="build it with clarinb.frames.confusion_matrix()"
            )
        self.normalize = validate.choice(normalize, "normalize", NORMALIZE)
        self.order = validate.choice(order, "order", ORDERS)
        self.test_set = test_set
        self.threshold = controls.check_threshold(threshold)
        self.concept_names = validate.mapping(concept_names, "concept_names")
        self.thumbnails = validate.function(thumbnails, "thumbnails", takes="input_id -> bytes")
        self._body_matrix = matrix
        self.matrix = self._compute_matrix()
        self.top_n = self._resolve_top_n(top_n)
        self._heat: go.FigureWidget | None = None
        self._inputs = widgets.VBox()
        self._inputs.add_class("clarinb-inputs")

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_frames(
        cls,
        matrix: pd.DataFrame | None = None,
        test_set: pd.DataFrame | None = None,
        **kwargs: Any,
    ) -> ConfusionMatrixView:
        """Build the view from frames (see the class parameters).

        Examples
        --------
        >>> import pandas as pd
        >>> m = pd.DataFrame([[1, 0], [0, 1]], index=["a", "b"], columns=["a", "b"])
        >>> ConfusionMatrixView.from_frames(m).plot().figure_.data[0].type
        'heatmap'
        """
        return cls(matrix, test_set=test_set, **kwargs).plot()

    @classmethod
    def from_evaluation(cls, evaluation: EvaluationLike, **kwargs: Any) -> ConfusionMatrixView:
        """Build the view from an evaluation (``clarinb.Evaluation`` or its dict).

        The test set, when the evaluation has one, enables the threshold and
        the drill-down; thumbnails are fetched with the evaluation's client.

        Examples
        --------
        >>> view = ConfusionMatrixView.from_evaluation(evaluation)  # doctest: +SKIP
        """
        parts = evaluation_parts(evaluation)
        matrix = parts.confusion_matrix if parts.test_set is None else None
        kwargs.setdefault("concept_names", parts.concept_names)
        kwargs.setdefault("thumbnails", parts.thumbnails)
        return cls.from_frames(matrix, parts.test_set, **kwargs)

    def _resolve_top_n(self, top_n: int | str | None) -> int | None:
        if top_n == "auto":
            return DEFAULT_TOP_N if len(self.matrix.index) > LARGE else None
        if top_n is None:
            return None
        return int(validate.positive_int(top_n, "top_n", hint="or 'auto' or None"))

    def _compute_matrix(self) -> pd.DataFrame:
        if self.test_set is None:
            assert self._body_matrix is not None
            return self._body_matrix
        from clarinb import metrics  # noqa: PLC0415

        return metrics.confusion_matrix(self.test_set, threshold=self.threshold)

    # -- settings ---------------------------------------------------------------------
    def set_threshold(self, threshold: float | None) -> ConfusionMatrixView:
        """Recompute the matrix at a new threshold and redraw (needs the test set)."""
        if self.test_set is None:
            raise InvalidArgumentError("This view has no test set, so no threshold.")
        self.threshold = controls.check_threshold(threshold)
        self.matrix = self._compute_matrix()
        self._refresh(self._heat)
        return self

    def _build_figure(self) -> go.Figure:
        layout = lay_out(self.matrix, self.concept_names, order=self.order, top_n=self.top_n)
        title = self.title
        if self.threshold is not None:
            title += f" at threshold {self.threshold:.2f}"
        if self.top_n is not None:
            title += f" (concepts of the {self.top_n} largest confusions)"
        return confusion_figure(layout, self.concept_names, how=self.normalize, title=title)

    # -- drill-down ---------------------------------------------------------------------
    def select_cell(self, actual: str, predicted: str) -> pd.DataFrame:
        """List the inputs behind a cell in the inputs area, as a click on it does.

        Parameters
        ----------
        actual, predicted : str
            Concept ids of the cell (``predicted`` may be ``"(none)"``).

        Returns
        -------
        pandas.DataFrame
            The inputs (see :func:`clarinb.views._drilldown.cell_inputs`).

        Raises
        ------
        InvalidArgumentError
            Without a test set.
        """
        if self.test_set is None:
            raise InvalidArgumentError(
                "The inputs behind a cell need the evaluation's test set; this view has none."
            )
        inputs = cell_inputs(self.test_set, str(actual), str(predicted), self.threshold)
        name = self.concept_names.get
        heading = f"actual {name(actual, actual)}, predicted {name(predicted, predicted)}"
        self._inputs.children = tuple(inputs_panel(inputs, heading, self.thumbnails))
        return inputs

    def _on_click(self, trace: Any, points: Any, state: Any) -> None:
        if points.xs and points.ys and self.test_set is not None:
            # the figure holds escaped labels: map them back to the concept ids
            self.select_cell(from_plotly_text(points.ys[0]), from_plotly_text(points.xs[0]))

    # -- widget -------------------------------------------------------------------------
    def _build_widget(self) -> widgets.VBox:
        heat = figure_widget(self.figure_)
        self._heat = heat
        heat.data[0].on_click(self._on_click)

        def redraw(**changes: Any) -> None:
            for key, value in changes.items():
                setattr(self, key, value)
            self._refresh(heat)

        bar: list[widgets.Widget] = [
            controls.dropdown(
                "normalize",
                [
                    ("counts", "none"),
                    ("by actual", "true"),
                    ("by predicted", "pred"),
                    ("all", "all"),
                ],
                self.normalize or "none",
                lambda v: redraw(normalize=None if v == "none" else v),
            ),
            controls.dropdown(
                "order",
                [
                    ("body", "body"),
                    ("name", "name"),
                    ("error rate", "error"),
                    ("clustered", "cluster"),
                ],
                self.order,
                lambda v: redraw(order=v),
            ),
            controls.dropdown(
                "top confusions",
                [("all", 0)] + [(str(n), n) for n in TOP_CHOICES],
                self.top_n if self.top_n in TOP_CHOICES else 0,
                lambda v: redraw(top_n=v or None),
            ),
        ]
        if self.test_set is not None:
            bar.append(
                controls.threshold_slider(
                    self.threshold or 0.0, lambda v: self.set_threshold(v or None)
                )
            )
        hint = html_widget(
            tag("small", "Click a cell to list its inputs.") if self.test_set is not None else ""
        )
        box = widgets.VBox([widgets.HBox(bar), heat, hint, self._inputs])
        box.add_class("clarinb-confusion")
        return box
