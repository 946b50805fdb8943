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

from clarinb import _validate as validate
from clarinb._html import Block, Markup, html_widget, set_html, tag
from clarinb._html import table as html_table
from clarinb._numbers import number_text
from clarinb.errors import InvalidArgumentError
from clarinb.evaluation import as_evaluation
from clarinb.metrics.detection import class_order, main_area, mean_ap, metrics_frame, reported_map
from clarinb.views._base import View, figure_widget, sync_figure
from clarinb.views._det_ap_figure import ap_figure

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
    concept_names : mapping of str to str, optional
        Display name of each concept id (default: the frame's ``concept_name``
        column when it has one, else the id).
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
    order_ : list of str
        The concepts as drawn, top row first: by AP at the chosen area and
        IoU, best first (no AP last).
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
    >>> view.figure_.data[1].x  # AP by size at IoU 0.8
    (0.6,)
    """

    title = "Detection metrics"
    settable = ("iou", "area", "concept")

    def __init__(
        self,
        *,
        metrics: pd.DataFrame,
        curves: pd.DataFrame | None = None,
        concept_names: Mapping[str, str] | None = None,
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
        names = validate.mapping(concept_names, "concept_names")
        if "concept_name" in self.metrics:
            known = self.metrics[["concept_id", "concept_name"]].dropna().astype(str)
            names = {**dict(zip(known["concept_id"], known["concept_name"], strict=True)), **names}
        self.concept_names = {str(k): str(v) for k, v in names.items() if v}
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
            Passed to the constructor (``concept_names`` (the evaluation's
            by default), ``iou``, ``area``, ``concept``, ``theme``).

        Examples
        --------
        >>> ev = client.evaluation("eval-1")  # doctest: +SKIP
        >>> DetectionMetricsView.from_evaluation(ev, iou=0.9)  # doctest: +SKIP
        """
        ev = as_evaluation(evaluation)
        kwargs.setdefault("summary", ev.metrics_summary)
        metrics = ev.metrics_by_class()
        kwargs.setdefault("concept_names", ev.concepts)
        return cls(metrics=metrics, curves=ev.detection_curves(), **kwargs)

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
    def order_(self) -> list[str]:
        """The concepts as drawn, top row first: best AP at the chosen area and IoU first."""
        return class_order(self.metrics, area=self.area, iou=self.iou)

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
        computed = mean_ap(self.metrics, main_area(self.areas_))
        return ap_figure(
            self.metrics,
            self._curves_of(self.concept, self.area),
            order=self.order_,
            names=self.concept_names,
            ious=self.ious_,
            areas=self.areas_,
            iou=self.iou,
            area=self.area,
            concept=self.concept,
            title=", ".join(f"{k} {v:.3f}" for k, v in computed.items() if not math.isnan(v)),
        )

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
            options=[(self.concept_names.get(c, c), c) for c in self.concepts_],
            value=self.concept,
            description="Concept",
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
