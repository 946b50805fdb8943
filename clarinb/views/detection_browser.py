"""``DetectionBrowser``: the boxes over each test-set image, marked TP / FP / FN."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb._html import Block, Markup, html_widget, set_html, tag
from clarinb._html import table as html_table
from clarinb.errors import InvalidArgumentError
from clarinb.evaluation import as_evaluation
from clarinb.frames.regions import BOX_COLUMNS
from clarinb.metrics.box_matching import match_boxes, outcome_counts
from clarinb.views._base import View, figure_widget, sync_figure
from clarinb.views._det_boxes import load_image
from clarinb.views._det_figure import box_label, boxes_figure
from clarinb.views._det_table import BoxTable, table_cells

if TYPE_CHECKING:
    from clarinb.evaluation import Evaluation

__all__ = ["DetectionBrowser"]

#: Fetches the encoded bytes of an image URL (with the client's auth).
ImageFetcher = Callable[[str], bytes]
_IOU_HINT = "an IoU threshold such as 0.5"


class DetectionBrowser(View):
    """Browse a detector's test set: each image with its boxes, marked TP / FP / FN.

    Box coordinates are normalised (0-1); they are drawn at the image's real
    width and height (from the test set's ``image_info``, else from the image
    header), over the image itself shown as a plotly layout image.  Each box
    is labelled with its class, its score (predictions) and its outcome at the
    chosen IoU (:func:`clarinb.metrics.match_boxes`: COCO-style greedy matching
    by score, per input and class, of the predictions scoring at least
    ``threshold``): a prediction that finds an object is a TP, one that does
    not an FP, an object no prediction finds an FN.  Clicking a box (or its
    row in the table under the image) selects and highlights it; the pointer
    over a box marks its row.

    Parameters
    ----------
    boxes : pandas.DataFrame
        One row per box: ``input_id``, ``image_url``, ``width``, ``height``,
        ``kind`` (``"ground truth"``, ``"predicted"`` or ``"none"``),
        ``concept_id``, ``score``, ``top``, ``left``, ``bottom``, ``right``.
    fetch : callable, optional
        Image bytes of a URL; without it boxes are drawn on a blank canvas.
    concept_names : mapping of str to str, optional
        Display name of each concept id (the id where missing).
    input_id : str, optional
        The input shown (the first of the test set by default).
    threshold : float
        Predicted boxes scoring below this are hidden (and not matched).
    iou : float
        The IoU a prediction needs with an object of its class to find it.
    concept : str, optional
        Show only boxes of this concept.
    box : int, optional
        The selected box (its row label in ``boxes``; one of ``frame_["box"]``).
    theme : {"light", "dark"}
        Plotly theme.

    Attributes
    ----------
    inputs_ : list of str
        The test-set input ids, in order.
    input_id : str
        The input shown (a setting: ``set(input_id=view.inputs_[1])``).
    boxes_ : pandas.DataFrame
        The boxes drawn for the current input, threshold and concept, with
        their ``outcome`` (TP, FP, FN or ``found``), ``match`` and ``match_iou``.
    frame_ : pandas.DataFrame
        One row per box drawn: ``box`` (its id), ``input_id``, ``kind``,
        ``concept_id``, ``concept_name``, ``score``, ``outcome``, ``match``,
        ``match_iou`` (NaN when unmatched), ``label`` (the text drawn on it)
        and its corners in pixels (``x0``, ``y0``, ``x1``, ``y1``).
    selected_box_ : pandas.Series or None
        The row of ``frame_`` of the selected box.
    outcome_counts_ : dict
        TP, FP and FN over the whole test set (the chosen concept only, when
        one is), at the current IoU and threshold.

    Examples
    --------
    >>> import pandas as pd
    >>> boxes = pd.DataFrame({"input_id": ["i1"], "image_url": [""], "width": [200.0],
    ...     "height": [100.0], "kind": ["predicted"], "concept_id": ["cat"], "score": [0.9],
    ...     "top": [0.1], "left": [0.25], "bottom": [0.5], "right": [0.75]})
    >>> view = DetectionBrowser(boxes=boxes)
    >>> view.frame_[["label", "x0", "x1"]].values.tolist()
    [['cat 0.90 FP', 50.0, 150.0]]
    """

    title = "Detection test set"
    settable = ("input_id", "threshold", "iou", "concept", "box")

    def __init__(
        self,
        *,
        boxes: pd.DataFrame,
        fetch: ImageFetcher | None = None,
        concept_names: Mapping[str, str] | None = None,
        input_id: str | None = None,
        threshold: float = 0.5,
        iou: float = 0.5,
        concept: str | None = None,
        box: int | None = None,
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
        self.concept_names = validate.mapping(concept_names, "concept_names")
        self.inputs_ = list(dict.fromkeys(self.boxes["input_id"].astype(str)))
        self.concepts_ = sorted(set(self.boxes["concept_id"].astype(str)) - {""})
        self._images: dict[str, tuple[str | None, tuple[float, float] | None, str]] = {}
        self._counts: dict[tuple[float, float, str | None], dict[str, int]] = {}
        self.input_id, self.threshold, self.iou = self.inputs_[0], 0.5, 0.5
        self.concept: str | None = None
        self.box: int | None = None
        self._apply(
            {"input_id": input_id or self.input_id, "threshold": threshold, "iou": iou,
             "concept": concept, "box": box}
        )  # fmt: skip

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
            Passed to the constructor (``fetch``, ``concept_names`` (the
            evaluation's by default), ``input_id``, ``threshold``, ``iou``,
            ``concept``, ``box``, ``theme``).

        Examples
        --------
        >>> ev = client.evaluation("eval-1")  # doctest: +SKIP
        >>> DetectionBrowser.from_evaluation(ev, threshold=0.3)  # doctest: +SKIP
        """
        ev = as_evaluation(evaluation)
        if ev.client is not None:
            kwargs.setdefault("fetch", ev.fetch_image)
        boxes = ev.detection_boxes()
        kwargs.setdefault("concept_names", ev.concepts)
        return cls(boxes=boxes, **kwargs)

    # -- state --------------------------------------------------------------------------
    def _apply(self, changes: dict[str, Any]) -> None:
        """Check ``input_id``, ``threshold``, ``iou``, ``concept`` and ``box``; apply them.

        A change of input, threshold, IoU or concept clears the selected box
        when it is no longer drawn (unless ``box`` is given with it).
        """
        input_id = validate.choice(
            changes.get("input_id", self.input_id),
            "input_id",
            self.inputs_,
            hint="an input id of the test set (see inputs_)",
        )
        threshold = validate.probability(changes.get("threshold", self.threshold), "threshold")
        iou = validate.number(changes.get("iou", self.iou), "iou", lo=0.01, hi=1.0, hint=_IOU_HINT)
        concept = changes.get("concept", self.concept) or None
        if concept is not None:
            concept = validate.choice(
                concept, "concept", self.concepts_, hint="a concept with a box in the test set"
            )
        drawn = self._drawn(input_id, threshold, concept)
        box = changes.get("box", self.box if self.box in drawn.index else None)
        if box is not None:
            box = validate.choice(
                box, "box", drawn.index.tolist(), hint="a box drawn now (see frame_['box'])"
            )
        self.input_id, self.threshold, self.iou, self.concept = input_id, threshold, iou, concept
        self.box = None if box is None else int(box)

    def _refresh_widget(self) -> None:
        sync_figure(self._plot_widget, self.figure_)
        set_html(self._note, self._note_html())
        self._table.show(self.frame_, self.box)
        if self._picker.value != self.input_id:
            self._picker.value = self.input_id

    def _select(self, box: Any) -> None:
        """Select a box (a table row's button, a click on the image); again: unselect."""
        self.set(box=None if box == self.box else box)

    @staticmethod
    def _box_at(trace: Any, points: Any) -> int | None:
        """Return the id of the box under a plotly click or hover (None: no box)."""
        if not points.point_inds or not trace.customdata:
            return None
        box = trace.customdata[points.point_inds[0]]
        return None if box is None else int(box)

    def _on_click(self, trace: Any, points: Any, state: Any) -> None:
        box = self._box_at(trace, points)
        if box is not None:
            self._select(box)

    def _step(self, offset: int) -> None:
        """Show the input ``offset`` places on (negative: back), wrapping around (the buttons)."""
        position = self.inputs_.index(self.input_id)
        self.set(input_id=self.inputs_[(position + offset) % len(self.inputs_)])

    def _drawn(self, input_id: str, threshold: float, concept: str | None) -> pd.DataFrame:
        b = self.boxes[self.boxes["input_id"].astype(str) == input_id]
        b = b[b["kind"] != "none"]
        keep = (b["kind"] == "ground truth") | (b["score"].astype(float) >= threshold)
        if concept:
            keep &= b["concept_id"].astype(str) == concept
        return b[keep]

    @property
    def boxes_(self) -> pd.DataFrame:
        """The boxes drawn for the current input, threshold and concept, with their outcome."""
        rows = self.boxes[self.boxes["input_id"].astype(str) == self.input_id]
        matched = match_boxes(rows, iou=self.iou, min_score=self.threshold)
        return matched.loc[matched.index.intersection(self._drawn_index())]

    def _drawn_index(self) -> pd.Index:
        return self._drawn(self.input_id, self.threshold, self.concept).index

    @property
    def outcome_counts_(self) -> dict[str, int]:
        """TP, FP and FN over the whole test set at the current IoU and threshold (and concept)."""
        key = (self.iou, self.threshold, self.concept)
        if key not in self._counts:
            rows = self.boxes
            if self.concept:
                rows = rows[rows["concept_id"] == self.concept]
            matched = match_boxes(rows, iou=self.iou, min_score=self.threshold)
            self._counts[key] = outcome_counts(matched)
        return dict(self._counts[key])

    @property
    def selected_box_(self) -> pd.Series | None:
        """The ``frame_`` row of the selected box (None when none is)."""
        if self.box is None:
            return None
        frame = self.frame_
        return frame[frame["box"] == self.box].iloc[0]

    def _frame(self) -> pd.DataFrame:
        _, (width, height), _ = self._image()
        boxes = self.boxes_
        names = [self.concept_names.get(c, c) for c in boxes["concept_id"].astype(str)]
        shown = boxes[["input_id", "kind", "concept_id", "score"]].assign(concept_name=names)
        shown = shown.assign(
            outcome=boxes["outcome"], match=boxes["match"], match_iou=boxes["match_iou"]
        )
        labels = [
            box_label(n, k, s, o)
            for n, k, s, o in zip(
                names, shown["kind"], shown["score"], shown["outcome"], strict=True
            )
        ]
        corners = boxes[["left", "top", "right", "bottom"]].to_numpy(dtype=float)
        pixels = corners * [width, height, width, height]
        shown = shown.assign(
            label=labels, x0=pixels[:, 0], y0=pixels[:, 1], x1=pixels[:, 2], y1=pixels[:, 3]
        )
        shown.insert(0, "box", shown.index.astype(int))
        return shown.reset_index(drop=True)

    # -- image --------------------------------------------------------------------------
    def _image(self) -> tuple[str | None, tuple[float, float], str]:
        """Return the current image's data URI, its size in pixels and a note on any failure."""
        rows = self.boxes[self.boxes["input_id"].astype(str) == self.input_id]
        url = str(rows["image_url"].iloc[0] or "")
        declared = (float(rows["width"].iloc[0]), float(rows["height"].iloc[0]))
        if url not in self._images:
            self._images[url] = load_image(self.fetch, url)
        uri, read_size, note = self._images[url]
        if all(math.isfinite(v) and v > 0 for v in declared):
            read_size = declared
        return uri, read_size or (1.0, 1.0), note

    def _title(self) -> str:
        _, (width, height), _ = self._image()
        counts = self.frame_["outcome"].value_counts()
        found = ", ".join(f"{int(counts.get(k, 0))} {k}" for k in ("TP", "FP", "FN"))
        return (
            f"{self.input_id} ({width:g} x {height:g} px): {found} "
            f"at IoU {self.iou:.2f}, min score {self.threshold:.2f}"
        )

    def _build_figure(self) -> go.Figure:
        uri, size, _ = self._image()
        return boxes_figure(
            self.frame_, size=size, uri=uri, title=self._title(), iou=self.iou, selected=self.box
        )

    # -- widget -------------------------------------------------------------------------
    def _note_html(self) -> Markup:
        counts = self.outcome_counts_
        where = f" of {self.concept_names.get(self.concept, self.concept)}" if self.concept else ""
        note = self._image()[2]
        parts = [
            tag("p", f"Test set{where} at IoU {self.iou:.2f}, min score {self.threshold:.2f}: "
                + ", ".join(f"{counts[k]:,} {k}" for k in ("TP", "FP", "FN"))
                + ". Click a box or a row's number to highlight it."),
        ]  # fmt: skip
        if note:
            parts.append(tag("p", note))
        if self.frame_.empty:
            parts.append(tag("p", "no boxes"))
        return tag("div", *parts)

    def _build_widget(self) -> Any:
        self._plot_widget = figure_widget(self.figure_)
        self._note = html_widget(self._note_html())
        self._table: BoxTable = BoxTable(self._select)
        self._table.show(self.frame_, self.box)
        table = self._table
        for trace in self._plot_widget.data:
            trace.on_click(self._on_click)
            trace.on_hover(lambda t, p, _: table.hover(self._box_at(t, p)))
            trace.on_unhover(lambda *_: table.hover(None))
        self._picker = widgets.Dropdown(
            options=self.inputs_, value=self.input_id, description="Input"
        )
        back = widgets.Button(description="Previous", layout=widgets.Layout(width="90px"))
        forward = widgets.Button(description="Next", layout=widgets.Layout(width="90px"))
        threshold = widgets.FloatSlider(
            value=self.threshold, min=0, max=1, step=0.05, description="Min score"
        )
        iou = widgets.FloatSlider(value=self.iou, min=0.05, max=0.95, step=0.05, description="IoU")
        concept = widgets.Dropdown(
            options=[("all", "")] + [(self.concept_names.get(c, c), c) for c in self.concepts_],
            value=self.concept or "",
            description="Concept",
        )
        back.on_click(lambda _: self._step(-1))
        forward.on_click(lambda _: self._step(1))
        self._picker.observe(lambda c: self.set(input_id=c["new"]), names="value")
        threshold.observe(lambda c: self.set(threshold=c["new"]), names="value")
        iou.observe(lambda c: self.set(iou=c["new"]), names="value")
        concept.observe(lambda c: self.set(concept=c["new"]), names="value")
        self.controls_ = {
            "input": self._picker, "previous": back, "next": forward,
            "threshold": threshold, "iou": iou, "concept": concept, "table": self._table,
        }  # fmt: skip
        box = widgets.VBox(
            [
                widgets.HBox([back, self._picker, forward]),
                widgets.HBox([threshold, iou, concept]),
                self._plot_widget,
                self._note,
                self._table.widget,
            ]
        )
        box.add_class("clarinb-detection-browser")
        return box

    def _html_sections(self) -> Sequence[Block]:
        frame = self.frame_
        rows = table_cells(frame) if len(frame) else frame.head(0)
        return [
            Block(self.title, self.figure_),
            Block("Boxes", self._note_html() + html_table(rows.reset_index(drop=True))),
        ]
