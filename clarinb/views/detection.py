"""``DetectionMetricsView``: a detector's AP by class, IoU and object size, with PR curves.

The mAP maths is :mod:`clarinb.metrics.detection`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clarinb import _validate as validate
from clarinb._html import Block, Markup, html_widget, plotly_text, set_html, tag
from clarinb._html import table as html_table
from clarinb._numbers import number_text
from clarinb.errors import InvalidArgumentError
from clarinb.evaluation import as_evaluation
from clarinb.metrics.detection import main_area, mean_ap, metrics_frame, reported_map
from clarinb.views._base import View, figure_widget, sync_figure

if TYPE_CHECKING:
    from clarinb.evaluation import Evaluation

__all__ = ["DetectionMetricsView"]

_PR_COLUMNS = ["concept_id", "area_name", "iou", "threshold", "precision", "recall"]


class DetectionMetricsView(View):
    """AP by class x IoU x area (heatmap, bars and table) and PR curves per IoU and area.

    Parameters
    ----------
    metrics : pandas.DataFrame
        One row per (concept, IoU, area): ``concept_id``, ``iou``, ``area_name``,
        ``avg_precision`` (and optionally ``num_tot``), as
        :func:`clarinb.frames.metrics_by_class`.
    curves : pandas.DataFrame, optional
        PR curves keyed by ``concept_id``, ``area_name`` and ``iou`` with
        ``precision`` and ``recall``, as :func:`clarinb.frames.pr_curves`.
    summary : dict, optional
        The evaluation's MetricsSummary; its reported ``mean_avg_precision_iou_50``
        and ``mean_avg_precision_iou_range`` are shown next to the computed ones.
    iou : float
        Selected IoU threshold; must be one of the data's (e.g. 0.8 or 0.9).
    area : str, optional
        Selected area range (``"all"`` by default when present).
    concept : str, optional
        Concept whose PR curves are drawn (the first by default).
    theme : {"light", "dark"}
        Plotly theme.

    Attributes
    ----------
    ious_ : list of float
        The IoU thresholds present, ascending.
    areas_ : list of str
        The area ranges present.
    map_ : dict
        Computed (and reported) mAP@0.5 and mAP@[.5:.95].
    ap_table_ : pandas.DataFrame
        AP with one row per concept and one column per (area, IoU).
    frame_ : pandas.DataFrame
        One row per value drawn: ``panel``, ``concept_id``, ``area_name``,
        ``iou``, ``avg_precision`` (the heatmap and the bars) or ``recall``
        and ``precision`` (the PR curves); NaN where a column does not apply.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"concept_id": ["cat", "cat"], "iou": [0.5, 0.8],
    ...                   "area_name": "all", "avg_precision": [0.9, 0.6]})
    >>> view = DetectionMetricsView(metrics=m, iou=0.8)
    >>> view.figure_.data[1].y
    (0.6,)
    """

    title = "Detection metrics"
    settable = ("iou", "area", "concept")

    def __init__(
        self,
        *,
        metrics: pd.DataFrame,
        curves: pd.DataFrame | None = None,
        summary: Mapping[str, Any] | None = None,
        iou: float = 0.5,
        area: str | None = None,
        concept: str | None = None,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        self.metrics = metrics_frame(metrics)
        if self.metrics.empty:
            raise InvalidArgumentError(
                "the metrics frame is empty: is this a detector's evaluation?"
            )
        if curves is None:
            curves = pd.DataFrame(columns=_PR_COLUMNS)
        validate.frame(
            curves,
            "the curves frame",
            columns=["concept_id", "area_name"],
            numeric=["iou", "precision", "recall"],
            hint="build it with clarinb.frames.pr_curves(ev, source='metrics_by_class')",
        )
        validate.finite_columns(curves, "the curves frame", ["iou", "precision", "recall"])
        self.curves = metrics_frame(curves.assign(avg_precision=0.0)) if len(curves) else curves
        self.summary = validate.mapping(summary, "summary")
        self._reported = reported_map(self.summary)
        self._curve_index: dict[Any, Any] | None = None
        self.ious_ = sorted(float(v) for v in self.metrics["iou"].unique())
        self.areas_ = list(dict.fromkeys(self.metrics["area_name"]))
        self.concepts_ = list(dict.fromkeys(self.metrics["concept_id"]))
        self.iou, self.area, self.concept = (
            self.ious_[0],
            main_area(self.areas_),
            self.concepts_[0],
        )
        self._apply({"iou": iou, "area": area or self.area, "concept": concept or self.concept})

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def from_frames(cls, **kwargs: Any) -> DetectionMetricsView:
        """Build the view from the ``metrics`` (by class) and ``curves`` frames."""
        return cls(**kwargs)

    @classmethod
    def from_evaluation(
        cls, evaluation: Evaluation | Mapping[str, Any], **kwargs: Any
    ) -> DetectionMetricsView:
        """Build the view from a detector's evaluation: metrics by class, PR curves, summary.

        Parameters
        ----------
        evaluation : clarinb.Evaluation or dict
            From :meth:`Client.evaluation <clarinb.Client.evaluation>` (its
            metrics by class are fetched once, when needed), or an EvalMetrics
            body (with or without its response envelope), read with
            :meth:`Evaluation.from_dict <clarinb.Evaluation.from_dict>`.
        **kwargs
            Passed to the constructor (``iou``, ``area``, ``concept``, ``theme``).

        Examples
        --------
        >>> ev = client.evaluation("eval-1")  # doctest: +SKIP
        >>> DetectionMetricsView.from_evaluation(ev, iou=0.9)  # doctest: +SKIP
        """
        ev = as_evaluation(evaluation)
        kwargs.setdefault("summary", ev.metrics_summary)
        return cls(metrics=ev.metrics_by_class(), curves=ev.detection_curves(), **kwargs)

    # -- state --------------------------------------------------------------------------
    def _apply(self, changes: dict[str, Any]) -> None:
        """Check ``iou`` (one of :attr:`ious_`, exactly), ``area`` and ``concept``, then apply."""
        iou = round(validate.number(changes.get("iou", self.iou), "iou"), 6)
        if iou not in self.ious_:
            raise InvalidArgumentError(
                f"iou {iou:g} is not in the data; choose one of {self.ious_}."
            )
        area = validate.choice(changes.get("area", self.area), "area", self.areas_)
        concept = validate.choice(
            changes.get("concept", self.concept),
            "concept",
            self.concepts_,
            hint="a concept of the metrics frame",
        )
        self.iou, self.area, self.concept = iou, area, concept

    def _refresh_widget(self) -> None:
        sync_figure(self._plot_widget, self.figure_)
        set_html(self._table, self._table_html())

    def _curves_of(self, concept: str, area: str) -> pd.DataFrame:
        """Return the PR-curve points of one concept and area (indexed once, on first use)."""
        if self._curve_index is None:
            self._curve_index = (
                self.curves.groupby(["concept_id", "area_name"], sort=False, observed=True).indices
                if len(self.curves)
                else {}
            )
        rows = self._curve_index.get((concept, area))
        return self.curves.iloc[rows] if rows is not None else self.curves.head(0)

    @property
    def map_(self) -> dict[str, float]:
        """Computed mAP@0.5 and mAP@[.5:.95] (area "all"), and the reported ones given a summary."""
        out = mean_ap(self.metrics, main_area(self.areas_))
        out.update(self._reported)
        return out

    @property
    def ap_table_(self) -> pd.DataFrame:
        """AP per concept (rows) and (area, IoU) (columns)."""
        table = self.metrics.pivot_table(
            index="concept_id", columns=["area_name", "iou"], values="avg_precision", sort=False
        )
        return table.reindex(index=self.concepts_)

    def _frame(self) -> pd.DataFrame:
        m = self.metrics
        keys = ["concept_id", "area_name", "iou", "avg_precision"]
        grid = m.loc[m["area_name"] == self.area, keys].assign(panel="AP by class and IoU")
        bars = m.loc[m["iou"] == self.iou, keys].assign(panel="AP by class and area")
        mine = self._curves_of(self.concept, self.area)
        pr = mine[["concept_id", "area_name", "iou", "recall", "precision"]].assign(
            panel="PR curve"
        )
        frame = pd.concat([grid, bars, pr], ignore_index=True)
        columns = ["panel", *keys, "recall", "precision"]
        return frame.reindex(columns=columns).astype(dict.fromkeys(columns[3:], float))

    # -- figure -------------------------------------------------------------------------
    def _summary_text(self) -> str:
        return "   ".join(f"{k} {number_text(v)}" for k, v in self.map_.items())

    def _build_figure(self) -> go.Figure:
        m = self.metrics
        at_area = m[m["area_name"] == self.area]
        grid = at_area.pivot_table(
            index="concept_id", columns="iou", values="avg_precision", sort=False
        ).reindex(index=self.concepts_, columns=self.ious_)
        labels = [f"{v:g}" for v in self.ious_]
        concepts = [plotly_text(c) for c in self.concepts_]
        area_text = plotly_text(self.area)
        fig = make_subplots(
            rows=2,
            cols=2,
            specs=[[{"colspan": 2}, None], [{}, {}]],
            vertical_spacing=0.14,
            subplot_titles=(
                f"AP by class and IoU (area: {area_text})",
                f"AP by class at IoU {self.iou:g}, per area",
                f"PR curves of {plotly_text(self.concept)} (area: {area_text})",
            ),
        )
        values = grid.to_numpy(dtype=float)
        z = [[None if math.isnan(v) else v for v in row] for row in values.tolist()]
        fig.add_trace(
            go.Heatmap(
                z=z,
                x=labels,
                y=concepts,
                zmin=0,
                zmax=1,
                colorscale="Viridis",
                colorbar={"title": "AP", "len": 0.45, "y": 0.78},
                hovertemplate="%{y} @ IoU %{x}: AP %{z:.3f}<extra></extra>",
            ),
            row=1,
            col=1,
        )
        at_iou = m[m["iou"] == self.iou]
        for area in self.areas_:
            part = at_iou[at_iou["area_name"] == area].set_index("concept_id")["avg_precision"]
            part = part[~part.index.duplicated()].reindex(self.concepts_)
            fig.add_trace(
                go.Bar(
                    x=concepts,
                    y=part.tolist(),
                    name=f"area {plotly_text(area)}",
                    legendgroup="areas",
                ),
                row=2,
                col=1,
            )
        mine = self._curves_of(self.concept, self.area)
        for iou, label in zip(self.ious_, labels, strict=True):
            pts = mine[mine["iou"] == iou]
            chosen = iou == self.iou
            fig.add_trace(
                go.Scatter(
                    x=pts["recall"].tolist(),
                    y=pts["precision"].tolist(),
                    mode="lines",
                    name=f"IoU {label}",
                    line={"width": 3 if chosen else 1},
                    opacity=1.0 if chosen else 0.45,
                ),
                row=2,
                col=2,
            )
        index = self.ious_.index(self.iou)
        fig.add_shape(
            type="rect",
            x0=index - 0.5,
            x1=index + 0.5,
            y0=-0.5,
            y1=len(self.concepts_) - 0.5,
            line={"width": 3, "color": "#E69F00"},
            row=1,
            col=1,
        )
        fig.update_xaxes(title_text="IoU threshold", row=1, col=1)
        fig.update_yaxes(title_text="AP", range=[0, 1.02], row=2, col=1)
        fig.update_xaxes(title_text="recall", range=[0, 1], row=2, col=2)
        fig.update_yaxes(title_text="precision", range=[0, 1.02], row=2, col=2)
        fig.update_yaxes(autorange="reversed", row=1, col=1)
        computed = mean_ap(self.metrics, main_area(self.areas_))
        fig.update_layout(
            title=", ".join(f"{k} {v:.3f}" for k, v in computed.items() if not math.isnan(v)),
            height=max(760, 480 + 18 * len(self.concepts_)),
            barmode="group",
            legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        )
        return fig

    # -- widget -------------------------------------------------------------------------
    def _table_html(self) -> Markup:
        table = pd.DataFrame(self.ap_table_.xs(self.area, axis=1, level="area_name"))
        table.columns = [f"IoU {v:g}" for v in table.columns]
        return html_table(table, index=True)

    def _build_widget(self) -> Any:
        self._plot_widget = figure_widget(self.figure_)
        self._table = html_widget(self._table_html())
        iou = widgets.Dropdown(
            options=[(f"{v:g}", v) for v in self.ious_], value=self.iou, description="IoU"
        )
        area = widgets.Dropdown(options=self.areas_, value=self.area, description="Area")
        concept = widgets.Dropdown(
            options=self.concepts_, value=self.concept, description="Concept"
        )
        iou.observe(lambda c: self.set(iou=c["new"]), names="value")
        area.observe(lambda c: self.set(area=c["new"]), names="value")
        concept.observe(lambda c: self.set(concept=c["new"]), names="value")
        self.controls_ = {"iou": iou, "area": area, "concept": concept}
        summary = html_widget(tag("b", self._summary_text()))
        box = widgets.VBox(
            [summary, widgets.HBox([iou, area, concept]), self._plot_widget, self._table]
        )
        box.add_class("clarinb-detection")
        return box

    def _html_sections(self) -> Sequence[Block]:
        table = self.ap_table_.copy()
        table.columns = [f"{a} @ IoU {i:g}" for a, i in table.columns]
        return [
            Block("Summary", tag("p", self._summary_text())),
            Block(self.title, self.figure_),
            Block("AP by class, area and IoU", html_table(table, index=True)),
        ]
