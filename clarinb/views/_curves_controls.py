"""The controls of the curves view: which concepts to draw, how many, and the threshold."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from clarinb.views import _controls as controls

if TYPE_CHECKING:
    from clarinb.views.curves import CurvesView

__all__ = ["curve_controls"]

_MODES = [
    ("all", "all"),
    ("top k by AUC", "top"),
    ("bottom k by AUC", "bottom"),
    ("chosen", "custom"),
]


def curve_controls(view: CurvesView) -> tuple[widgets.HBox, widgets.SelectMultiple]:
    """Build the selection dropdowns, threshold slider and concept picker of a curves view.

    The picker is enabled when the mode is ``"chosen"``; in the other modes
    it shows the concepts the mode selects.

    Returns
    -------
    (ipywidgets.HBox, ipywidgets.SelectMultiple)
        The bar of controls and the concept picker.
    """
    mode = "custom" if isinstance(view.select, list) else view.select
    picker = widgets.SelectMultiple(
        options=[(view.concept_names.get(c, c), c) for c in view.concept_ids],
        value=tuple(view.selected()),
        rows=6,
        description="concepts",
        disabled=mode != "custom",
    )

    def on_mode(value: str) -> None:
        picker.disabled = value != "custom"
        if value == "custom":
            view.set_selection(list(picker.value))
        else:
            view.set_selection(value)
            picker.value = tuple(view.selected())

    def on_pick(change: dict[str, Any]) -> None:
        if not picker.disabled:
            view.set_selection(list(change["new"]))

    def on_k(value: int) -> None:
        view.set_selection(view.select if isinstance(view.select, str) else "bottom", k=value)
        picker.value = tuple(view.selected())

    picker.observe(on_pick, names="value")
    bar = widgets.HBox(
        [
            controls.dropdown("show", _MODES, mode, on_mode),
            controls.dropdown(
                "k", [(str(n), n) for n in sorted({5, 10, 20, 50, view.k})], view.k, on_k
            ),
            controls.threshold_slider(view.threshold or 0.5, view.set_threshold),
        ]
    )
    return bar, picker
