"""``VersionDiffView``: how two dataset versions differ, per concept and per group type."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clarinb import _validate as validate
from clarinb._html import Block, Markup, html_widget, plotly_text, set_html, tag
from clarinb._html import table as html_table
from clarinb._names import concept_name, readable, readable_options
from clarinb.dataset_version import as_dataset_version
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.group_counts import version_diff
from clarinb.metrics.groups import COUNT_COLUMNS, GROUP_TYPES, groups_frame
from clarinb.views._base import View, figure_widget, sync_figure
from clarinb.views._theme import count_axis

if TYPE_CHECKING:
    from clarinb.dataset_version import DatasetVersion

__all__ = ["VersionDiffView"]

_POSITIVE, _NEGATIVE = "#009E73", "#D55E00"


class VersionDiffView(View):
    """Two dataset versions side by side: counts, deltas sorted by change, concepts added/removed.

    Parameters
    ----------
    a, b : pandas.DataFrame
        Metrics-groups frames (as :func:`clarinb.frames.dataset_version_metrics_groups`)
        of the older and the newer version.
    group_type : str
        The group type compared (``"CONCEPT_ID"`` by default).
    metric : str
        The count compared.
    top_n : int or None
        Bars shown (the largest changes); None for all.
    names : tuple of str
        Names of the two versions in legends.
    concept_names : mapping, optional
        Concept id -> display name, for the concept group type (metrics
        groups carry ids only); a concept without one shows its id.
    theme : {"light", "dark"}
        Plotly theme.

    Attributes
    ----------
    diff_ : pandas.DataFrame
        :func:`clarinb.metrics.group_counts.version_diff` for the current settings.
    frame_ : pandas.DataFrame
        The rows of ``diff_`` drawn (the first ``top_n``).

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"parent_path": "", "type": "CONCEPT_ID", "value": ["cat", "dog"],
    ...                   "inputs_count": [3, 5]})
    >>> b = pd.DataFrame({"parent_path": "", "type": "CONCEPT_ID", "value": ["cat", "dog"],
    ...                   "inputs_count": [9, 4]})
    >>> VersionDiffView(a=a, b=b).figure_.data[2].y
    (6.0, -1.0)
    """

    title = "Dataset version diff"
    settable = ("group_type", "metric", "top_n")

    def __init__(
        self,
        *,
        a: pd.DataFrame,
        b: pd.DataFrame,
        group_type: str = "CONCEPT_ID",
        metric: str = "inputs_count",
        top_n: int | None = 30,
        names: tuple[str, str] = ("a", "b"),
        concept_names: Mapping[str, str] | None = None,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        self.concept_names = validate.mapping(
            concept_names, "concept_names", hint="concept id -> name"
        )
        self.a = groups_frame(a, "the metrics-groups frame a")
        self.b = groups_frame(b, "the metrics-groups frame b")
        if not isinstance(names, tuple | list) or len(names) != 2:
            raise InvalidArgumentError(
                f"names must be two version names, as ('v1', 'v2'), not {validate.shown(names)}."
            )
        self.names = (str(names[0]), str(names[1]))
        self.group_type, self.metric, self.top_n = "CONCEPT_ID", "inputs_count", top_n
        self._apply({"group_type": group_type, "metric": metric, "top_n": top_n})

    @classmethod
    def from_frames(cls, **kwargs: Any) -> VersionDiffView:
        """Build the view from two metrics-groups frames ``a`` and ``b``; as the constructor."""
        return cls(**kwargs)

    @classmethod
    def from_dataset_versions(
        cls, a: DatasetVersion, b: DatasetVersion, **kwargs: Any
    ) -> VersionDiffView:
        """Compare the metrics groups of two dataset versions (each fetched once by its version).

        Parameters
        ----------
        a, b : clarinb.DatasetVersion
            The older and the newer version.
        **kwargs
            As the constructor; ``names`` defaults to the two version ids,
            ``concept_names`` to the newer version's
            :meth:`clarinb.DatasetVersion.concept_names`.

        Examples
        --------
        >>> old = client.dataset_version("my-dataset", "v1")  # doctest: +SKIP
        >>> new = client.dataset_version("my-dataset", "v2")  # doctest: +SKIP
        >>> VersionDiffView.from_dataset_versions(old, new)  # doctest: +SKIP
        """
        a, b = as_dataset_version(a, "a"), as_dataset_version(b, "b")
        kwargs.setdefault("names", (a.id, b.id))
        kwargs.setdefault("concept_names", b.concept_names())
        return cls(a=a.metrics_groups(), b=b.metrics_groups(), **kwargs)

    @property
    def diff_(self) -> pd.DataFrame:
        """The comparison table for the current group type and metric."""
        return version_diff(self.a, self.b, self.group_type, self.metric)

    def _shown(self) -> pd.DataFrame:
        diff = self.diff_
        return diff.head(self.top_n) if self.top_n else diff

    def _frame(self) -> pd.DataFrame:
        return self._shown().assign(group_type=self.group_type, metric=self.metric)

    def _apply(self, changes: dict[str, Any]) -> None:
        """Check ``group_type``, ``metric`` and ``top_n``, then apply them."""
        top_n = validate.positive_int(changes.get("top_n", self.top_n), "top_n", or_none=True)
        group_type = changes.get("group_type", self.group_type)
        metric = changes.get("metric", self.metric)
        validate.choice(group_type, "group_type", GROUP_TYPES)
        validate.choice(metric, "metric", COUNT_COLUMNS)
        self.group_type, self.metric, self.top_n = group_type, metric, top_n

    def _refresh_widget(self) -> None:
        for name in ("group_type", "metric"):  # a set() from code moves the dropdowns too
            if self.controls_[name].value != getattr(self, name):
                self.controls_[name].value = getattr(self, name)
        sync_figure(self._plot_widget, self.figure_)
        set_html(self._summary, self._summary_html())

    def _build_figure(self) -> go.Figure:
        shown = self._shown()
        if self.group_type == "CONCEPT_ID":
            labels = [plotly_text(concept_name(v, self.concept_names)) for v in shown["value"]]
        else:
            labels = [plotly_text(v) for v in shown["value"]]
        names = [plotly_text(n) for n in self.names]
        fig = make_subplots(
            rows=2,
            cols=1,
            shared_xaxes=True,
            vertical_spacing=0.08,
            subplot_titles=("Counts side by side", f"Change ({names[1]} - {names[0]})"),
        )
        label = readable(self.metric)
        for side, name in zip(("a", "b"), names, strict=True):
            fig.add_trace(
                go.Bar(x=labels, y=shown[side].tolist(), name=name, legendgroup=name),
                row=1,
                col=1,
            )
        colours = [_POSITIVE if d >= 0 else _NEGATIVE for d in shown["delta"]]
        fig.add_trace(
            go.Bar(
                x=labels,
                y=shown["delta"].tolist(),
                name="change",
                marker_color=colours,
                customdata=shown["change"].tolist(),
                hovertemplate="%{x}: %{y:+,} (%{customdata})<extra></extra>",
                showlegend=False,
            ),
            row=2,
            col=1,
        )
        fig.update_layout(
            title=plotly_text(f"{readable(self.group_type)}: {self.names[0]} vs {self.names[1]}"),
            barmode="group",
            height=620,
            yaxis_title=label,
            yaxis2_title="change",
        )
        sides = shown[["a", "b"]].to_numpy(dtype=float)
        delta = shown["delta"].to_numpy(dtype=float)
        fig.update_yaxes(count_axis(float(sides.max()) if sides.size else 0.0), row=1, col=1)
        fig.update_yaxes(count_axis(float(abs(delta).max()) if delta.size else 0.0), row=2, col=1)
        return fig

    def _summary_html(self) -> Markup:
        diff = self.diff_
        parts = []
        for change in ("added", "removed"):
            values = diff.loc[diff["change"] == change, "value"].tolist()
            listed = ", ".join(values[:50]) or "none"
            more = f" and {len(values) - 50} more" if len(values) > 50 else ""
            parts.append(tag("div", tag("b", change), f" ({len(values)}): {listed}{more}"))
        return tag("div", *parts, class_="clarinb-diff-summary")

    def _build_widget(self) -> Any:
        self._plot_widget = figure_widget(self.figure_)
        self._summary = html_widget(self._summary_html())
        present = set(self.a["type"]) | set(self.b["type"])
        kinds = [t for t in GROUP_TYPES if t in present] or [self.group_type]
        kind = widgets.Dropdown(
            options=readable_options(kinds),
            value=self.group_type,
            description="Group type",
            layout={"width": "300px"},
        )
        metric = widgets.Dropdown(
            options=readable_options(COUNT_COLUMNS), value=self.metric, description="Count",
            layout={"width": "280px"},
        )  # fmt: skip
        top_n = widgets.BoundedIntText(
            value=self.top_n or 0,
            min=0,
            max=100_000,
            description="Top N",
            style={"description_width": "initial"},
        )
        kind.observe(lambda c: self.set(group_type=c["new"]), names="value")
        metric.observe(lambda c: self.set(metric=c["new"]), names="value")
        top_n.observe(lambda c: self.set(top_n=c["new"] or None), names="value")
        self.controls_ = {"group_type": kind, "metric": metric, "top_n": top_n}
        box = widgets.VBox([widgets.HBox([kind, metric, top_n]), self._summary, self._plot_widget])
        box.add_class("clarinb-version-diff")
        return box

    def _html_sections(self) -> Sequence[Block]:
        return [
            Block("Concepts added and removed", self._summary_html()),
            Block(self.title, self.figure_),
            Block("Table", html_table(self.diff_, number_format=",.0f")),
        ]
