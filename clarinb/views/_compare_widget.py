"""The controls of the comparison view: its verdict line, pickers and the beyond-noise toggle."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from clarinb._html import Markup, html_widget, set_html
from clarinb.views import _controls as controls

__all__ = ["CompareControls"]

_ORDER = ("metric", "baseline", "other", "concept", "beyond_noise")


class CompareControls:
    """The verdict line and the controls of a comparison view.

    Parameters
    ----------
    metrics : sequence of str
        The metrics offered.
    labels : sequence of str
        The compared models.
    concepts : sequence of (str, str)
        (display name, concept id) of the concepts offered for the curves.
    state : mapping
        The view's settings (``metric``, ``baseline``, ``other``, ``concept``,
        ``beyond_noise``) and ``others``, the labels ``other`` may take.
    verdict : Markup
        The verdict line.
    on_change : callable
        ``on_change(setting, value)`` when the user changes a control (not
        while :meth:`sync` brings the controls up to date).
    """

    def __init__(
        self,
        *,
        metrics: Sequence[str],
        labels: Sequence[str],
        concepts: Sequence[tuple[str, str]],
        state: Mapping[str, Any],
        verdict: Markup,
        on_change: Callable[[str, Any], object],
    ) -> None:
        self._syncing = False

        def on(name: str) -> Callable[[Any], object]:
            return lambda value: None if self._syncing else on_change(name, value)

        noise = widgets.Checkbox(
            value=state["beyond_noise"],
            description="confusion: changes beyond noise only",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        noise.observe(lambda change: on("beyond_noise")(bool(change["new"])), names="value")
        others = [(x, x) for x in state["others"]]
        self.verdict = html_widget(verdict, "clarinb-verdict")
        self.controls: dict[str, Any] = {
            "metric": controls.dropdown(
                "metric", [(m, m) for m in metrics], state["metric"], on("metric")
            ),
            "baseline": controls.dropdown(
                "baseline", [(x, x) for x in labels], state["baseline"], on("baseline")
            ),
            "other": controls.dropdown("compared with", others, state["other"], on("other")),
            "concept": controls.dropdown("concept", concepts, state["concept"], on("concept")),
            "beyond_noise": noise,
        }
        self.bar = widgets.HBox([self.controls[name] for name in _ORDER])

    def sync(self, state: Mapping[str, Any], verdict: Markup) -> None:
        """Show the view's current settings and verdict, without calling back."""
        self._syncing = True
        try:
            set_html(self.verdict, verdict)
            self.controls["other"].options = [(x, x) for x in state["others"]]
            for name in _ORDER:
                self.controls[name].value = state[name]
        finally:
            self._syncing = False
