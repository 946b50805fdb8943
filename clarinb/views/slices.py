"""``SlicesView``: where a model fails, one metric with its interval per slice of the test set."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb._html import Block, html_widget, plotly_text
from clarinb.errors import InvalidArgumentError
from clarinb.views._base import View, figure_widget, sync_figure

__all__ = ["SlicesView"]

#: Readable metric names.
METRIC_LABELS = {
    "accuracy": "top-1 accuracy",
    "roc_auc": "macro ROC AUC",
    "avg_precision": "macro average precision",
    "precision": "macro precision",
    "recall": "macro recall",
    "f1": "macro F1",
}
_APART, _OVERLAP, _UNKNOWN = "#D55E00", "#7f8c8d", "#bbbbbb"


class SlicesView(View):
    """A metric per slice of the test set, with its interval, beside the whole test set's.

    Slices are sorted worst first; a slice whose interval does not overlap
    the whole test set's is drawn in colour (it really differs), the others in
    grey; each is labelled with its number of inputs.

    Parameters
    ----------
    slices : pandas.DataFrame
        One row per slice: ``slice``, ``n_inputs``, and for each metric its
        value, ``<metric>_lo`` and ``<metric>_hi`` (as
        :func:`clarinb.metrics.slice_metrics` gives).
    whole : pandas.DataFrame
        The same columns, one row, for the whole test set.
    by : str
        What the slices are (``"source"``, ``"image size"``, ...), for headings.
    metric : str
        The metric drawn.
    ci : float
        The intervals' confidence level, for headings.
    top_n : int, optional
        Draw only the ``top_n`` worst slices.
    note : str
        What the metrics left out to bound their work (as
        :attr:`clarinb.metrics.SliceMetrics.note`), shown under the title.
    theme : {"light", "dark"}
        Plotly theme.

    Attributes
    ----------
    frame_ : pandas.DataFrame
        The slices drawn, worst first, with ``differs`` (True when the
        interval does not overlap the whole test set's; NA when undefined).

    Examples
    --------
    >>> SlicesView.from_evaluation(ev, by="metadata:source")  # doctest: +SKIP
    """

    title = "Metrics per slice"
    settable = ("metric", "top_n")

    def __init__(
        self,
        *,
        slices: pd.DataFrame,
        whole: pd.DataFrame,
        by: str = "slice",
        metric: str = "accuracy",
        ci: float = 0.95,
        top_n: int | None = None,
        note: str = "",
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        self.slices = validate.frame(slices, "slices", columns=("slice", "n_inputs"))
        self.whole = validate.frame(whole, "whole", columns=("slice",))
        if len(self.whole) != 1:
            raise InvalidArgumentError(
                f"whole must have one row (the whole test set), not {len(self.whole)}."
            )
        self.by = validate.text(by, "by")
        self.ci = validate.probability(ci, "ci")
        self.note = validate.text(note, "note")
        self.metric, self.top_n = "accuracy", top_n
        self._apply({"metric": metric, "top_n": top_n})

    @classmethod
    def from_frames(cls, **kwargs: Any) -> SlicesView:
        """Build the view from frames (the constructor's keywords)."""
        return cls(**kwargs)

    @classmethod
    def from_evaluation(
        cls,
        evaluation: Any,
        *,
        by: Any,
        metric: str | None = None,
        threshold: float = 0.5,
        labels_from: Any = None,
        n_resamples: int = 1000,
        seed: int = 0,
        budget: int | None = None,
        **kwargs: Any,
    ) -> SlicesView:
        """Slice an evaluation's test set and compute each slice's metrics with intervals.

        Parameters
        ----------
        evaluation : clarinb.Evaluation or dict
            An evaluation with a test set.
        by : str or pandas.Series
            ``"metadata:<field>"`` (an input metadata field), ``"size"`` (image
            size bucket), ``"aspect"`` (aspect-ratio bucket),
            ``"concept:<id>"`` (whether the input's ground truth has that
            concept, e.g. ``"concept:night"``), or a Series of input id ->
            slice name.
        metric : str, optional
            The metric drawn (by default accuracy for a single-label
            classifier, average precision otherwise).
        threshold : float
            The threshold of precision, recall and F1.
        labels_from : clarinb.Evaluation, optional
            For ``"concept:<id>"``: another evaluation on the same inputs
            whose ground truth has the concept (e.g. a scene tagger's, to slice
            an animal classifier by ``night``).
        n_resamples, seed
            Bootstrap resamples per slice, and their seed.
        budget : int, optional
            Most bootstrap work, as :func:`clarinb.metrics.slice_metrics`:
            above it, only the metric drawn is computed, and the macro
            metrics have no intervals (the title says so).
        **kwargs
            As the constructor.
        """
        from clarinb import metrics  # noqa: PLC0415
        from clarinb.evaluation import as_evaluation  # noqa: PLC0415

        ev = as_evaluation(evaluation)
        other = None if labels_from is None else as_evaluation(labels_from, "labels_from")
        keys, label = _slice_keys(ev, by, other)
        found = metrics.slice_metrics(
            ev.test_set_matrix(),  # shared with the other views: no second conversion
            keys,
            threshold=threshold,
            sort_by=metric,
            n_resamples=n_resamples,
            seed=seed,
            budget=budget,
        )
        kwargs.setdefault("by", label)
        kwargs.setdefault("note", found.note)
        return cls(
            slices=found.slices, whole=found.whole, metric=found.metric, ci=found.ci, **kwargs
        )

    # -- state --------------------------------------------------------------------------
    def _apply(self, changes: dict[str, Any]) -> None:
        metric = changes.get("metric", self.metric)
        available = [m for m in METRIC_LABELS if m in self.slices.columns]
        metric = validate.choice(metric, "metric", available)
        for end in ("_lo", "_hi"):
            validate.frame(self.slices, "slices", numeric=(metric, metric + end))
        top_n = validate.positive_int(changes.get("top_n", self.top_n), "top_n", or_none=True)
        self.metric, self.top_n = metric, top_n

    # -- results ------------------------------------------------------------------------
    def _frame(self) -> pd.DataFrame:
        m = self.metric
        whole_lo, whole_hi = (
            float(self.whole[m + "_lo"].iloc[0]),
            float(self.whole[m + "_hi"].iloc[0]),
        )
        shown = self.slices.sort_values(m, kind="stable", na_position="last")
        if self.top_n:
            shown = shown.head(self.top_n)
        lo, hi = shown[m + "_lo"].to_numpy(float), shown[m + "_hi"].to_numpy(float)
        apart = (lo > whole_hi) | (hi < whole_lo)
        undefined = np.isnan(lo) | np.isnan(hi) | np.isnan(whole_lo) | np.isnan(whole_hi)
        differs = pd.array(apart, dtype="boolean")
        differs[undefined] = pd.NA
        out = shown[["slice", "n_inputs", m, m + "_lo", m + "_hi"]].copy()
        out["differs"] = differs
        return out.reset_index(drop=True)

    # -- figure -------------------------------------------------------------------------
    def _build_figure(self) -> go.Figure:
        m, frame = self.metric, self.frame_
        label = METRIC_LABELS[m]
        names = [
            plotly_text(f"{s} (n={n})")
            for s, n in zip(frame["slice"], frame["n_inputs"], strict=True)
        ]
        colours = [
            _UNKNOWN if pd.isna(d) else (_APART if d else _OVERLAP) for d in frame["differs"]
        ]
        value = frame[m].to_numpy(float)
        fig = go.Figure(
            go.Scatter(
                x=value,
                y=names,
                mode="markers",
                marker={"color": colours, "size": 10},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": frame[m + "_hi"].to_numpy(float) - value,
                    "arrayminus": value - frame[m + "_lo"].to_numpy(float),
                    "color": "#555",
                },
                hovertemplate="%{y}<br>" + label + ": %{x:.3f}<extra></extra>",
                name="slices",
            )
        )
        whole = self.whole.iloc[0]
        band = float(whole[m + "_lo"]), float(whole[m + "_hi"])
        has_band = bool(np.isfinite(band).all())
        # The whole test set's value and interval as layout shapes (add_vline / add_vrect
        # cost some 40 ms of plotly's checks per figure).
        across = {"xref": "x", "yref": "paper", "y0": 0, "y1": 1}
        shapes = [
            {"type": "line", "x0": float(whole[m]), "x1": float(whole[m]), **across,
             "line": {"color": "#0072B2", "dash": "dot", "width": 2}},
        ]  # fmt: skip
        if has_band:
            shapes.insert(0, {"type": "rect", "x0": band[0], "x1": band[1], **across,
                              "fillcolor": "#0072B2", "opacity": 0.12, "line": {"width": 0},
                              "layer": "below"})  # fmt: skip
        label_at = band[0] if has_band else float(whole[m])
        fig.update_layout(
            shapes=shapes,
            annotations=[
                {"x": label_at, "y": 1, "xref": "x", "yref": "paper", "text": "whole test set",
                 "showarrow": False, "xanchor": "left", "yanchor": "bottom"}
            ],
        )  # fmt: skip
        fig.update_layout(
            title={
                "text": plotly_text(f"{label} by {self.by}, worst first"),
                "subtitle": {"text": plotly_text(self._subtitle(frame))},
            },
            xaxis={"title": {"text": label}},
            yaxis={"autorange": "reversed", "type": "category"},
            height=max(260, 120 + 28 * len(frame)),
            showlegend=False,
        )
        return fig

    def _subtitle(self, frame: pd.DataFrame) -> str:
        m = self.metric
        drawn = frame[[m + "_lo", m + "_hi"]].notna().to_numpy().any()
        text = (
            f"{self.ci:.0%} bootstrap intervals; orange: differs from the whole"
            if drawn
            else "no intervals"
        )
        return f"{text}; some metrics left out (see the note)" if self.note else text

    def _build_widget(self) -> Any:
        parts = [figure_widget(self.figure_)]
        if self.note:
            parts.append(html_widget(self.note, "clarinb-note"))
        box = widgets.VBox(parts)
        box.add_class("clarinb-slices")
        return box

    def _refresh_widget(self) -> None:
        sync_figure(self._widget.children[0], self.figure_)

    def _html_sections(self) -> Sequence[Block]:
        blocks = [Block(self.title + f" by {self.by}", self.figure_)]
        if self.note:
            blocks.append(Block("", self.note))
        return [*blocks, Block("Slices", self.frame_)]


def _slice_keys(ev: Any, by: Any, labels_from: Any = None) -> tuple[pd.Series, str]:
    """Input id -> slice name for a ``by`` of :meth:`SlicesView.from_evaluation`, and its label."""
    from clarinb.metrics import slice_keys  # noqa: PLC0415

    if isinstance(by, pd.Series):
        return by, str(by.name or "slice")
    by = validate.string(by, "by", hint='"metadata:<field>", "size", "aspect" or "concept:<id>"')
    kind, _, name = by.partition(":")
    if kind == "metadata" and name:
        return slice_keys.metadata_slices(ev.app_inputs(), name), name
    if kind == "size":
        return slice_keys.size_slices(ev.test_set_inputs()), "image size"
    if kind == "aspect":
        return slice_keys.aspect_slices(ev.test_set_inputs()), "aspect ratio"
    if kind == "concept" and name:
        known = set(ev.test_set_matrix().concepts.astype(str))
        if labels_from is not None:
            source = labels_from.test_set_matrix()
        else:
            source = ev.test_set_matrix() if name in known else ev.app_inputs()
        return slice_keys.concept_slices(source, name), f"whether {name} is labelled"
    raise InvalidArgumentError(
        f'by must be "metadata:<field>", "size", "aspect", "concept:<id>" or a Series, not {by!r}.'
    )
