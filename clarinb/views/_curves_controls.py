"""The controls of the curves view: which concepts to draw, how many, and the threshold."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import ipywidgets as widgets

from clarinb.views import _controls as controls

__all__ = ["CurveSettings", "curve_controls"]

_MODES = [
    ("all", "all"),
    ("top k by AUC", "top"),
    ("bottom k by AUC", "bottom"),
    ("chosen", "custom"),
]


class CurveSettings(Protocol):
    """What the controls read and change: the settings of a curves view."""

    @property
    def concept_ids(self) -> list[str]:
        """Every concept id, in order."""

    @property
    def concept_names(self) -> Mapping[str, str]:
        """Display names."""

    @property
    def selection(self) -> str | list[str]:
        """``"all"``, ``"top"``, ``"bottom"`` or concept ids."""

    @property
    def k(self) -> int:
        """Size of the top/bottom selections."""

    @property
    def threshold(self) -> float | None:
        """The threshold of the operating points."""

    @property
    def selected_(self) -> list[str]:
        """The concept ids drawn."""

    def set(self, **changes: Any) -> Any:
        """Change settings and redraw."""


def curve_controls(view: CurveSettings) -> tuple[widgets.HBox, widgets.SelectMultiple]:
    """Build the selection dropdowns, threshold slider and concept picker of a curves view.

    The picker is enabled when the mode is ``"chosen"``; in the other modes
    it shows the concepts the mode selects. Every change goes through
    ``view.set``.

    Returns
    -------
    (ipywidgets.HBox, ipywidgets.SelectMultiple)
        The bar of controls and the concept picker.
    """
    mode = "custom" if isinstance(view.selection, list) else view.selection
    picker = widgets.SelectMultiple(
        options=[(view.concept_names.get(c, c), c) for c in view.concept_ids],
        value=tuple(view.selected_),
        rows=6,
        description="concepts",
        disabled=mode != "custom",
    )

    def on_mode(value: str) -> None:
        picker.disabled = value != "custom"
        if value == "custom":
            view.set(selection=list(picker.value))
        else:
            view.set(selection=value)
            picker.value = tuple(view.selected_)

    def on_pick(change: dict[str, Any]) -> None:
        if not picker.disabled:
            view.set(selection=list(change["new"]))

    def on_k(value: int) -> None:
        chosen = view.selection if isinstance(view.selection, str) else "bottom"
        view.set(selection=chosen, k=value)
        picker.value = tuple(view.selected_)

    picker.observe(on_pick, names="value")
    bar = widgets.HBox(
        [
            controls.dropdown("show", _MODES, mode, on_mode),
            controls.dropdown(
                "k", [(str(n), n) for n in sorted({5, 10, 20, 50, view.k})], view.k, on_k
            ),
            controls.threshold_slider(
                view.threshold or 0.5, lambda value: view.set(threshold=value)
            ),
        ]
    )
    return bar, picker
