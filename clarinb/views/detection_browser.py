"""``DetectionBrowser``: ground-truth and predicted boxes over each test-set image."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb._html import Block, Markup, html_widget, plotly_text, set_html, tag
from clarinb._html import table as html_table
from clarinb.errors import ClarinbError, InvalidArgumentError
from clarinb.evaluation import as_evaluation
from clarinb.frames.regions import BOX_COLUMNS
from clarinb.views._base import View, figure_widget, sync_figure
from clarinb.views._det_boxes import box_outline, data_uri, image_size

if TYPE_CHECKING:
    from clarinb.evaluation import Evaluation

__all__ = ["DetectionBrowser"]

#: Fetches the encoded bytes of an image URL (with the client's auth).
ImageFetcher = Callable[[str], bytes]
_TRUTH, _PREDICTED = "#009E73", "#E69F00"


class DetectionBrowser(View):
    """Browse a detector's test set: the image with its ground-truth and predicted boxes.

    Box coordinates are normalised (0-1); they are drawn at the image's real
    width and height (from the test set's ``image_info``, else from the image
    header), over the image itself shown as a plotly layout image.

    Parameters
    ----------
    boxes : pandas.DataFrame
        One row per box: ``input_id``, ``image_url``, ``width``, ``height``,
        ``kind`` (``"ground truth"``, ``"predicted"`` or ``"none"``),
        ``concept_id``, ``score``, ``top``, ``left``, ``bottom``, ``right``.
    fetch : callable, optional
        Image bytes of a URL; without it boxes are drawn on a blank canvas.
    input_id : str, optional
        The input shown (the first of the test set by default).
    threshold : float
        Predicted boxes scoring below this are hidden.
    concept : str, optional
        Show only boxes of this concept.
    theme : {"light", "dark"}
        Plotly theme.

    Attributes
    ----------
    inputs_ : list of str
        The test-set input ids, in order.
    input_id : str
        The input shown (a setting: ``set(input_id=view.inputs_[1])``).
    boxes_ : pandas.DataFrame
        The boxes drawn for the current input, threshold and concept.
    frame_ : pandas.DataFrame
        ``boxes_`` with each box's corners in pixels (``x0``, ``y0``, ``x1``, ``y1``).

    Examples
    --------
    >>> import pandas as pd
    >>> boxes = pd.DataFrame({"input_id": ["i1"], "image_url": [""], "width": [200.0],
    ...     "height": [100.0], "kind": ["predicted"], "concept_id": ["cat"], "score": [0.9],
    ...     "top": [0.1], "left": [0.25], "bottom": [0.5], "right": [0.75]})
    >>> DetectionBrowser(boxes=boxes).figure_.data[1].x[:2]
    (50.0, 150.0)
    """

    title = "Detection test set"
    settable = ("input_id", "threshold", "concept")

    def __init__(
        self,
        *,
        boxes: pd.DataFrame,
        fetch: ImageFetcher | None = None,
        input_id: str | None = None,
        threshold: float = 0.5,
        concept: str | None = None,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        numbers = ["width", "height", "score", "top", "left", "bottom", "right"]
        hint = "build it with clarinb.frames.test_set_boxes() or DetectionBrowser.from_evaluation()"
        validate.frame(boxes, "the boxes frame", columns=BOX_COLUMNS, numeric=numbers, hint=hint)
        if boxes.empty:
            raise InvalidArgumentError("the test set has no inputs.")
        validate.finite_columns(boxes, "the boxes frame", numbers[2:], hint=hint)
        self.boxes = boxes.reset_index(drop=True)
        for column in numbers:
            self.boxes[column] = pd.to_numeric(self.boxes[column]).astype(float)
        for column in ("input_id", "concept_id"):  # ids as text; a missing one is ""
            self.boxes[column] = self.boxes[column].fillna("").astype(str)
        self.fetch = validate.function(fetch, "fetch", takes="url -> bytes")
        self.inputs_ = list(dict.fromkeys(self.boxes["input_id"].astype(str)))
        self.concepts_ = sorted(set(self.boxes["concept_id"].astype(str)) - {""})
        self._images: dict[str, tuple[str | None, tuple[float, float] | None, str]] = {}
        self.input_id, self.threshold, self.concept = self.inputs_[0], 0.5, concept
        self._apply(
            {"input_id": input_id or self.input_id, "threshold": threshold, "concept": concept}
        )

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def from_frames(cls, **kwargs: Any) -> DetectionBrowser:
        """Build the browser from a ``boxes`` frame; keywords as the constructor."""
        return cls(**kwargs)

    @classmethod
    def from_evaluation(
        cls, evaluation: Evaluation | Mapping[str, Any], **kwargs: Any
    ) -> DetectionBrowser:
        """Browse a detector's test set; the images come through the evaluation's client.

        Parameters
        ----------
        evaluation : clarinb.Evaluation or dict
            From :meth:`Client.evaluation <clarinb.Client.evaluation>` (its
            test set is fetched once, when needed, and its
            :meth:`~clarinb.Evaluation.fetch_image` becomes ``fetch``), or an
            EvalMetrics body holding a region test set (no images then, unless
            ``fetch`` is given).
        **kwargs
            Passed to the constructor (``fetch``, ``input_id``, ``threshold``,
            ``concept``, ``theme``).

        Examples
        --------
        >>> ev = client.evaluation("eval-1")  # doctest: +SKIP
        >>> DetectionBrowser.from_evaluation(ev, threshold=0.3)  # doctest: +SKIP
        """
        ev = as_evaluation(evaluation)
        if ev.client is not None:
            kwargs.setdefault("fetch", ev.fetch_image)
        return cls(boxes=ev.detection_boxes(), **kwargs)

    # -- state --------------------------------------------------------------------------
    def _apply(self, changes: dict[str, Any]) -> None:
        """Check ``input_id`` (one of :attr:`inputs_`), ``threshold``, ``concept``; apply them."""
        input_id = validate.choice(
            changes.get("input_id", self.input_id),
            "input_id",
            self.inputs_,
            hint="an input id of the test set (see inputs_)",
        )
        threshold = validate.probability(changes.get("threshold", self.threshold), "threshold")
        concept = changes.get("concept", self.concept) or None
        if concept is not None:
            concept = validate.choice(
                concept, "concept", self.concepts_, hint="a concept with a box in the test set"
            )
        self.input_id, self.threshold, self.concept = input_id, threshold, concept

    def _refresh_widget(self) -> None:
        sync_figure(self._plot_widget, self.figure_)
        set_html(self._table, self._table_html())
        if self._picker.value != self.input_id:
            self._picker.value = self.input_id

    def _step(self, offset: int) -> None:
        """Show the input ``offset`` places on (negative: back), wrapping around (the buttons)."""
        position = self.inputs_.index(self.input_id)
        self.set(input_id=self.inputs_[(position + offset) % len(self.inputs_)])

    @property
    def boxes_(self) -> pd.DataFrame:
        """The boxes drawn for the current input, threshold and concept."""
        b = self.boxes[self.boxes["input_id"].astype(str) == self.input_id]
        b = b[b["kind"] != "none"]
        keep = (b["kind"] == "ground truth") | (b["score"].astype(float) >= self.threshold)
        if self.concept:
            keep &= b["concept_id"].astype(str) == self.concept
        return b[keep]

    def _frame(self) -> pd.DataFrame:
        _, (width, height), _ = self._image()
        shown = self.boxes_[["input_id", "kind", "concept_id", "score"]].reset_index(drop=True)
        corners = self.boxes_[["left", "top", "right", "bottom"]].to_numpy(dtype=float)
        pixels = corners * [width, height, width, height]
        return shown.assign(x0=pixels[:, 0], y0=pixels[:, 1], x1=pixels[:, 2], y1=pixels[:, 3])

    # -- image --------------------------------------------------------------------------
    def _image(self) -> tuple[str | None, tuple[float, float], str]:
        """Return the current image's data URI, its size in pixels and a note on any failure."""
        rows = self.boxes[self.boxes["input_id"].astype(str) == self.input_id]
        url = str(rows["image_url"].iloc[0] or "")
        declared = (float(rows["width"].iloc[0]), float(rows["height"].iloc[0]))
        if url not in self._images:
            uri: str | None = None
            size: tuple[float, float] | None = None
            note = ""
            if self.fetch is not None and url:
                try:
                    data = self.fetch(url)
                    uri, size = data_uri(data), image_size(data)
                except ClarinbError as err:
                    note = f"image not loaded: {err}"
            self._images[url] = (uri, size, note)
        cached_uri, read_size, cached_note = self._images[url]
        if all(math.isfinite(v) and v > 0 for v in declared):
            read_size = declared
        return cached_uri, read_size or (1.0, 1.0), cached_note

    def _build_figure(self) -> go.Figure:
        uri, (width, height), _ = self._image()
        boxes = self.boxes_
        fig = go.Figure()
        for kind, colour, dash in (
            ("ground truth", _TRUTH, "solid"),
            ("predicted", _PREDICTED, "dash"),
        ):
            xs, ys, labels = box_outline(boxes[boxes["kind"] == kind], width, height)
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    text=[None if t is None else plotly_text(t) for t in labels],
                    mode="lines",
                    name=kind,
                    line={"color": colour, "width": 2, "dash": dash},
                    hovertemplate="%{text}<extra>" + kind + "</extra>",
                )
            )
        # always one layout image (hidden when there is none), so that a live
        # widget updated in place drops the previous input's picture
        image = {
            "source": uri or "", "visible": uri is not None, "xref": "x", "yref": "y",
            "x": 0, "y": 0, "sizex": width, "sizey": height, "sizing": "stretch",
            "layer": "below", "xanchor": "left", "yanchor": "top",
        }  # fmt: skip
        fig.update_layout(
            title=plotly_text(f"{self.input_id} ({width:g} x {height:g} px)"),
            images=[image],
            height=560,
            legend={"orientation": "h"},
        )
        fig.update_xaxes(range=[0, width], showgrid=False, zeroline=False, constrain="domain")
        fig.update_yaxes(
            range=[height, 0], showgrid=False, zeroline=False, scaleanchor="x", constrain="domain"
        )
        return fig

    # -- widget -------------------------------------------------------------------------
    def _table_html(self) -> Markup:
        boxes = self.boxes_
        note = self._image()[2]
        head = tag("p", note) if note else Markup("")
        if boxes.empty:
            return head + tag("p", "no boxes")
        shown = boxes[["kind", "concept_id", "score", "top", "left", "bottom", "right"]]
        return head + html_table(shown)

    def _build_widget(self) -> Any:
        self._plot_widget = figure_widget(self.figure_)
        self._table = html_widget(self._table_html())
        self._picker = widgets.Dropdown(
            options=self.inputs_, value=self.input_id, description="Input"
        )
        back = widgets.Button(description="Previous", layout=widgets.Layout(width="90px"))
        forward = widgets.Button(description="Next", layout=widgets.Layout(width="90px"))
        threshold = widgets.FloatSlider(
            value=self.threshold, min=0, max=1, step=0.05, description="Min score"
        )
        concept = widgets.Dropdown(
            options=[("all", "")] + [(c, c) for c in self.concepts_],
            value=self.concept or "",
            description="Concept",
        )
        back.on_click(lambda _: self._step(-1))
        forward.on_click(lambda _: self._step(1))
        self._picker.observe(lambda c: self.set(input_id=c["new"]), names="value")
        threshold.observe(lambda c: self.set(threshold=c["new"]), names="value")
        concept.observe(lambda c: self.set(concept=c["new"]), names="value")
        self.controls_ = {
            "input": self._picker, "previous": back, "next": forward,
            "threshold": threshold, "concept": concept,
        }  # fmt: skip
        box = widgets.VBox(
            [
                widgets.HBox([back, self._picker, forward]),
                widgets.HBox([threshold, concept]),
                self._plot_widget,
                self._table,
            ]
        )
        box.add_class("clarinb-detection-browser")
        return box

    def _html_sections(self) -> Sequence[Block]:
        return [Block(self.title, self.figure_), Block("Boxes", self._table_html())]
