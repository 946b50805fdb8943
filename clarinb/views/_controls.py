"""Small factories for the stock ipywidgets controls the views share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets

from clarinb import _validate as validate

__all__ = ["check_threshold", "dropdown", "threshold_slider"]


def check_threshold(threshold: float | None) -> float | None:
    """Validate a score threshold: ``None`` or a number in [0, 1].

    Examples
    --------
    >>> check_threshold(0.5)
    0.5
    """
    if threshold is None:
        return None
    return validate.probability(threshold, "threshold", hint="or None for no threshold")


def dropdown(
    label: str,
    options: Sequence[tuple[str, Any]],
    value: Any,
    on_change: Callable[[Any], object],
) -> widgets.Dropdown:
    """Make a labelled dropdown calling ``on_change(new_value)`` when it changes.

    Examples
    --------
    >>> d = dropdown("order", [("name", "name"), ("body", "body")], "body", print)
    >>> d.value = "name"
    name
    """
    control = widgets.Dropdown(
        options=list(options),
        value=value,
        description=label,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="auto"),
    )
    control.observe(lambda change: on_change(change["new"]), names="value")
    return control


def threshold_slider(
    value: float, on_change: Callable[[float], object], *, label: str = "threshold"
) -> widgets.FloatSlider:
    """Make a 0-1 threshold slider (step 0.01) calling ``on_change`` once released.

    Examples
    --------
    >>> s = threshold_slider(0.5, print)
    >>> s.value = 0.25
    0.25
    """
    slider = widgets.FloatSlider(
        value=value,
        min=0.0,
        max=1.0,
        step=0.01,
        description=label,
        continuous_update=False,
        readout_format=".2f",
        style={"description_width": "initial"},
    )
    slider.add_class("clarinb-threshold")
    # the browser sends sums of float steps (0.7000000000000001): snap to the step grid
    slider.observe(lambda change: on_change(round(float(change["new"]), 4)), names="value")
    return slider
