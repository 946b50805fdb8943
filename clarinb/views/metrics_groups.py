"""``MetricsGroupsView``: what a dataset version holds, from its metrics groups."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb._html import Block, Markup, from_plotly_text, html_widget, set_html, tag
from clarinb._names import readable_options
from clarinb.dataset_version import as_dataset_version
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.group_counts import bar_data, imbalance
from clarinb.metrics.groups import (
    COUNT_COLUMNS,
    groups_frame,
    level_matrix,
    level_paths,
    totals,
)
from clarinb.views._base import View, figure_widget, sync_figure
from clarinb.views._ds_figure import (
    CONCEPT_TRACE,
    LevelSettings,
    level_data,
    level_figure,
    level_frame,
)

if TYPE_CHECKING:
    from clarinb.dataset_version import DatasetVersion

__all__ = ["MetricsGroupsView", "cards_html"]

#: The overview cards: label and count column.
CARDS = (
    ("inputs", "inputs_count"),
    ("unlabeled inputs", "unlabeled_inputs_count"),
    ("regions", "regions_count"),
    ("bounding boxes", "bounding_boxes_count"),
    ("polygons", "polygons_count"),
    ("points", "points_count"),
    ("masks", "masks_count"),
    ("embeddings", "embeddings_count"),
)


def cards_html(
    counts: Mapping[str, int | None], balance: Mapping[str, float], *, dark: bool
) -> Markup:
    """Overview cards (escaped HTML): one per total, plus the class-imbalance indicator."""
    border = "#555" if dark else "#ccc"
    style = (
        f"display:inline-block;min-width:110px;margin:4px;padding:6px 10px;"
        f"border:1px solid {border};border-radius:6px;text-align:center"
    )
    big = "font-size:1.4em"
    cards = []
    for label, col in CARDS:
        value = counts.get(col)
        shown = "n/a" if value is None else f"{value:,}"
        cards.append(
            tag("div", tag("div", shown, style=big), tag("div", label),
                class_="clarinb-card", style=style)
        )  # fmt: skip
    ratio, entropy = balance.get("ratio", math.nan), balance.get("entropy", math.nan)
    if not math.isnan(ratio):
        cards.append(
            tag("div", tag("div", f"{ratio:,.1f}\u00d7", style=big),
                tag("div", f"max/min per concept, balance {entropy:.2f}"),
                class_="clarinb-card clarinb-imbalance", style=style)
        )  # fmt: skip
    return tag("div", *cards)


class MetricsGroupsView(View):
    """The metrics groups of one dataset version: totals, a chart per group type, drill-down.

    Parameters
    ----------
    groups : pandas.DataFrame
        One row per metrics group, as :func:`clarinb.frames.dataset_version_metrics_groups`
        (``parent_path``, ``type``, ``value`` and the count columns), optionally
        with a ``region_location_matrix`` column of 2-D arrays.
    metric : str
        The count plotted, e.g. ``"inputs_count"`` or ``"bounding_boxes_count"``.
    sort : {"count", "name"}
        Order of the concept bars.
    top_n : int or None
        Concept bars shown (the biggest, or the first by name); None for all.
    search : str
        Show only concepts whose id contains this text (case-insensitive).
    path : sequence of str
        Concepts drilled into, outermost first (empty: the top level).
    name : str, optional
        Title of the view (e.g. the dataset and version ids).
    concept_names : mapping, optional
        Concept id -> display name for the concept bars (the metrics groups
        carry ids only); a concept without one shows its id.
    theme : {"light", "dark"}
        Plotly theme.

    Attributes
    ----------
    path : tuple of str
        The concepts drilled into (a setting: ``set(path=[*view.path, "cat"])``
        drills into ``cat``, ``set(path=view.path[:-1])`` goes up).
    level_ : str
        The parent path whose groups are shown.
    totals_ : dict
        The cards' counts at the current level.
    imbalance_ : dict
        ``classes``, ``ratio`` (max/min) and ``entropy`` (normalised) of the
        per-concept counts at the current level.
    frame_ : pandas.DataFrame
        One row per bar, bin or matrix cell drawn (see
        :func:`clarinb.views._ds_figure.level_frame`).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"parent_path": ["", ""], "type": ["CONCEPT_ID"] * 2,
    ...                       "value": ["cat", "dog"], "inputs_count": [30, 10]})
    >>> view = MetricsGroupsView(groups=frame)
    >>> view.figure_.data[0].x
    ('cat', 'dog')
    >>> view.imbalance_["ratio"]
    3.0
    """

    title = "Dataset version metrics"
    settable = ("metric", "sort", "top_n", "search", "path")

    def __init__(
        self,
        *,
        groups: pd.DataFrame,
        metric: str = "inputs_count",
        sort: str = "count",
        top_n: int | None = 30,
        search: str = "",
        path: Sequence[str] = (),
        name: str | None = None,
        concept_names: Mapping[str, str] | None = None,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        self.groups = groups_frame(groups)
        self.name = validate.text(name, "name", or_none=True)
        self.concept_names = validate.mapping(
            concept_names, "concept_names", hint="concept id -> name"
        )
        self.settings = LevelSettings()
        self.path: tuple[str, ...] = ()
        self._levels: list[str] = level_paths(self.groups, ())
        self._message: Any = None
        self._apply(
            {"metric": metric, "sort": sort, "top_n": top_n, "search": search, "path": path}
        )

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def from_frames(cls, **kwargs: Any) -> MetricsGroupsView:
        """Build the view from a metrics-groups frame; keywords as the constructor."""
        return cls(**kwargs)

    @classmethod
    def from_dataset_version(cls, version: DatasetVersion, **kwargs: Any) -> MetricsGroupsView:
        """Build the view from a dataset version's metrics groups (fetched once by it).

        Parameters
        ----------
        version : clarinb.DatasetVersion
            From :meth:`clarinb.Client.dataset_version`, or ``DatasetVersion.from_dict``.
        **kwargs
            As the constructor; ``name`` defaults to ``"<dataset> / <version>"``,
            ``concept_names`` to :meth:`clarinb.DatasetVersion.concept_names`.

        Examples
        --------
        >>> dv = client.dataset_version("my-dataset", "v1")  # doctest: +SKIP
        >>> view = MetricsGroupsView.from_dataset_version(dv)  # doctest: +SKIP
        """
        version = as_dataset_version(version)
        kwargs.setdefault("name", f"{version.dataset_id} / {version.id}")
        kwargs.setdefault("concept_names", version.concept_names())
        return cls(groups=version.metrics_groups(), **kwargs)

    # -- state --------------------------------------------------------------------------
    def _apply(self, changes: dict[str, Any]) -> None:
        """Check ``metric``, ``sort``, ``top_n``, ``search`` and ``path``, then apply them."""
        path = changes.pop("path", self.path)
        settings = LevelSettings(**{**self.settings.__dict__, **changes})
        validate.choice(settings.metric, "metric", COUNT_COLUMNS)
        level_data(self.groups.head(0), None, settings)  # checks sort, top_n and search
        concepts = tuple(validate.strings(path, "path", hint="concept ids, outermost first"))
        levels = level_paths(self.groups, concepts)
        self.settings, self.path, self._levels = settings, concepts, levels

    @property
    def level_(self) -> str:
        """The parent path whose groups are shown."""
        return self._levels[-1]

    def _rows(self) -> pd.DataFrame:
        return self.groups[self.groups["parent_path"] == self.level_]

    def _fallback(self) -> dict[str, Any] | None:
        if not self.path:
            return None
        parent = self.groups[
            (self.groups["parent_path"] == self._levels[-2])
            & (self.groups["type"] == "CONCEPT_ID")
            & (self.groups["value"].astype(str) == self.path[-1])
        ]
        return parent.iloc[0].to_dict() if not parent.empty else None

    @property
    def totals_(self) -> dict[str, int | None]:
        """Card counts at the current level (None where no group gives one)."""
        return totals(self._rows(), self._fallback(), [col for _, col in CARDS])

    @property
    def imbalance_(self) -> dict[str, float]:
        """Class-imbalance indicators of the concepts at the current level."""
        counts = bar_data(self._rows(), "CONCEPT_ID", self.settings.metric)["count"]
        return imbalance(counts.to_numpy())

    def _data(self) -> dict[str, pd.DataFrame]:
        return level_data(self._rows(), level_matrix(self._rows(), self._fallback()), self.settings)

    def _frame(self) -> pd.DataFrame:
        return level_frame(self._data(), self.settings.metric)

    # -- figure and widget --------------------------------------------------------------
    def _title(self) -> str:
        parts = [self.name or self.title, *self.path]
        return " > ".join(parts)

    def _build_figure(self) -> go.Figure:
        where = "among these inputs" if self.path else "in this version"
        return level_figure(
            self._data(),
            self.settings,
            title=self._title(),
            where=where,
            concept_names=self.concept_names,
        )

    def _cards_html(self) -> Markup:
        return cards_html(self.totals_, self.imbalance_, dark=self.theme == "dark")

    def _refresh_widget(self) -> None:
        sync_figure(self._plot_widget, self.figure_)
        set_html(self._cards, self._cards_html())
        set_html(self._crumbs, tag("b", self._title()))

    def _on_click(self, trace: Any, points: Any, state: Any) -> None:
        if not points.point_inds:
            return
        concept = from_plotly_text(trace.x[points.point_inds[0]])  # the figure holds escaped text
        try:
            self.set(path=(*self.path, concept))
            set_html(self._message, "")
        except InvalidArgumentError as err:
            set_html(self._message, str(err))

    def _build_widget(self) -> Any:
        self._plot_widget = figure_widget(self.figure_)
        self._plot_widget.data[CONCEPT_TRACE].on_click(self._on_click)
        self._cards = html_widget(self._cards_html())
        self._crumbs = html_widget(tag("b", self._title()))
        self._message = html_widget()
        up = widgets.Button(description="Up", icon="arrow-up", layout=widgets.Layout(width="80px"))
        up.on_click(lambda _: self.set(path=self.path[:-1]))
        metric = widgets.Dropdown(
            options=readable_options(COUNT_COLUMNS), value=self.settings.metric,
            description="Count", layout={"width": "280px"},
        )  # fmt: skip
        sort = widgets.ToggleButtons(
            options=["count", "name"], value=self.settings.sort, description="Sort"
        )
        top_n = widgets.BoundedIntText(
            value=self.settings.top_n or 0,
            min=0,
            max=100_000,
            description="Top N",
            style={"description_width": "initial"},
        )
        search = widgets.Text(
            value=self.settings.search, description="Search", continuous_update=True
        )
        metric.observe(lambda c: self.set(metric=c["new"]), names="value")
        sort.observe(lambda c: self.set(sort=c["new"]), names="value")
        top_n.observe(lambda c: self.set(top_n=c["new"] or None), names="value")
        search.observe(lambda c: self.set(search=c["new"]), names="value")
        self.controls_ = {
            "metric": metric,
            "sort": sort,
            "top_n": top_n,
            "search": search,
            "up": up,
        }
        box = widgets.VBox(
            [
                self._cards,
                widgets.HBox([up, self._crumbs]),
                widgets.HBox([metric, sort]),
                widgets.HBox([top_n, search]),
                self._message,
                self._plot_widget,
            ]
        )
        box.add_class("clarinb-metrics-groups")
        return box

    def _html_sections(self) -> Sequence[Block]:
        return [Block("Totals", self._cards_html()), Block(self._title(), self.figure_)]
