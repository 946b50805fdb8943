"""The confusion view's widget: a control bar, the live heatmap and the inputs area."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from clarinb._html import html_widget, tag
from clarinb.views import _controls as controls
from clarinb.views._base import figure_widget

__all__ = ["TOP_CHOICES", "ConfusionWidget"]

#: The choices of the top-confusions dropdown (0 shows every concept).
TOP_CHOICES = (10, 20, 40, 80, 160)
_NORMALIZE = [("counts", "none"), ("by actual", "true"), ("by predicted", "pred"), ("all", "all")]
_ORDER = [("body", "body"), ("name", "name"), ("error rate", "error"), ("clustered", "cluster")]


def _top_options(top_n: int | None) -> list[tuple[str, int]]:
    shown = sorted({*TOP_CHOICES, top_n or TOP_CHOICES[0]})
    return [("all", 0)] + [(str(n), n) for n in shown]


def _shown(values: Mapping[str, Any]) -> dict[str, Any]:
    """Turn the view's settings into the controls' values (``None`` shows as "none", 0, 0.0)."""
    return {
        "normalize": values["normalize"] or "none",
        "order": values["order"],
        "top_n": values["top_n"] or 0,
        "threshold": values["threshold"] or 0.0,
        "hide_diagonal": values["hide_diagonal"],
        "log_color": values["log_color"],
        "search": values["search"],
    }


def _toggle(label: str, value: bool, on_change: Callable[[Any], object]) -> widgets.Checkbox:
    box = widgets.Checkbox(value=value, description=label, indent=False,
                           layout=widgets.Layout(width="auto"))  # fmt: skip
    box.observe(lambda change: on_change(change["new"]), names="value")
    return box


def _search_box(value: str, on_change: Callable[[Any], object]) -> widgets.Text:
    box = widgets.Text(value=value, placeholder="search concepts", description="search",
                       continuous_update=False, style={"description_width": "initial"},
                       layout=widgets.Layout(width="220px"))  # fmt: skip
    box.observe(lambda change: on_change(change["new"]), names="value")
    return box


class ConfusionWidget:
    """Controls, heatmap and inputs area of a confusion view, kept in step with its settings.

    Parameters
    ----------
    figure : plotly.graph_objects.Figure
        The heatmap, shown as a ``FigureWidget``.
    values : mapping
        The settings shown: ``normalize``, ``order``, ``top_n`` (the number
        in effect, or None), ``threshold``, ``hide_diagonal``, ``log_color``,
        ``search``, ``pairs`` (the confused pairs listed, as ``(label,
        (actual, predicted))`` options) and ``cell``.
    on_change : callable
        ``(setting, value)``, called when the user moves a control (never
        when :meth:`update` does).
    on_click : callable, optional
        Plotly's ``(trace, points, state)`` click callback on the heatmap;
        with it the bar has a threshold slider and the inputs area a hint.

    Attributes
    ----------
    box : ipywidgets.VBox
        The whole widget.
    heat : plotly.graph_objects.FigureWidget
        The live heatmap.
    inputs : ipywidgets.VBox
        Where the inputs of a cell are listed.
    pairs : ipywidgets.Select
        The confused pairs, largest first; choosing one calls
        ``on_change("cell", (actual, predicted))`` (when cells can be drilled).
    """

    def __init__(
        self,
        figure: go.Figure,
        values: Mapping[str, Any],
        *,
        on_change: Callable[[str, Any], object],
        on_click: Callable[[Any, Any, Any], None] | None = None,
    ) -> None:
        self._syncing = False
        shown = _shown(values)

        def changed(key: str, convert: Callable[[Any], Any] = lambda v: v) -> Any:
            return lambda value: None if self._syncing else on_change(key, convert(value))

        self.controls: dict[str, widgets.Widget] = {
            "normalize": controls.dropdown(
                "normalize",
                _NORMALIZE,
                shown["normalize"],
                changed("normalize", lambda v: None if v == "none" else v),
            ),
            "order": controls.dropdown("order", _ORDER, shown["order"], changed("order")),
            "top_n": controls.dropdown(
                "top confusions",
                _top_options(values["top_n"]),
                shown["top_n"],
                changed("top_n", lambda v: v or None),
            ),
            "hide_diagonal": _toggle(
                "hide diagonal", shown["hide_diagonal"], changed("hide_diagonal")
            ),
            "log_color": _toggle("log colour", shown["log_color"], changed("log_color")),
            "search": _search_box(shown["search"], changed("search")),
        }
        self.pairs = widgets.Select(
            options=values["pairs"],
            value=self._pair_value(values),
            rows=8,
            description="confused pairs",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.pairs.add_class("clarinb-confused-pairs")
        self.heat = figure_widget(figure)
        hint = ""
        if on_click is not None:
            self.controls["threshold"] = controls.threshold_slider(
                shown["threshold"], changed("threshold", lambda v: v or None)
            )
            self.heat.data[0].on_click(on_click)
            self.pairs.observe(
                lambda change: (
                    None
                    if self._syncing or change["new"] is None
                    else on_change("cell", change["new"])
                ),
                names="value",
            )
            hint = tag("small", "Click a cell or a confused pair to list its inputs.")
        self.inputs = widgets.VBox()
        self.inputs.add_class("clarinb-inputs")
        bar = widgets.HBox(list(self.controls.values()))
        bar.layout.flex_flow = "row wrap"
        self.box = widgets.VBox([bar, self.heat, self.pairs, html_widget(hint), self.inputs])
        self.box.add_class("clarinb-confusion")

    def update(
        self,
        values: Mapping[str, Any],
        parts: tuple[Mapping[str, Any], Mapping[str, Any]] | None = None,
    ) -> None:
        """Show new settings in the controls (and a new drawing), without calling ``on_change``.

        Parameters
        ----------
        values : mapping
            As for the constructor.
        parts : tuple of dict, optional
            The heatmap's properties and the layout
            (:func:`clarinb.views._confusion_figure.confusion_parts`), set on
            the live heatmap in one update: no figure is built in between,
            and the widget keeps its template.
        """
        if parts is not None:
            trace, layout = parts
            with self.heat.batch_update():
                self.heat.data[0].update(trace, overwrite=True)
                self.heat.layout.update(layout, overwrite=True)
        shown = _shown(values)
        self._syncing = True
        try:
            for key, control in self.controls.items():
                if key == "top_n":
                    control.options = _top_options(values["top_n"])
                control.value = shown[key]
            self.pairs.options = values["pairs"]
            self.pairs.value = self._pair_value(values)
        finally:
            self._syncing = False

    @staticmethod
    def _pair_value(values: Mapping[str, Any]) -> tuple[str, str] | None:
        """Return the listed pair of the cell shown, or None when it is not listed."""
        cell = values["cell"]
        return cell if any(value == cell for _, value in values["pairs"]) else None

    def list_inputs(self, children: Iterable[widgets.Widget]) -> None:
        """Show ``children`` in the inputs area (nothing clears it)."""
        self.inputs.children = tuple(children)
