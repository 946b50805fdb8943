"""The base class of every view, in the manner of scikit-learn's Display objects.

A view is built from data only: its constructor is keyword-only and takes
frames (never raw JSON, never a client) and stores them; nothing is computed
until :meth:`View.plot` or the first access to a result. The ``from_*``
classmethods convert and then call the constructor, named the same in every
view:

- ``from_frames(...)``: the frames themselves;
- ``from_evaluation(ev)`` / ``from_evaluations([a, b])``: read models
  (:class:`clarinb.Evaluation`);
- ``from_dataset_version(dv)`` / ``from_dataset_versions(a, b)``:
  :class:`clarinb.DatasetVersion` read models.

State changes go through one method, :meth:`View.set` (``view.set(threshold=0.7)``),
which checks every change before applying any and redraws. Results are
attributes with a trailing underscore:

- ``figure_``: a plain :class:`plotly.graph_objects.Figure`, usable without a
  kernel (``figure_.show()``, ``figure_.write_image(...)``, ``to_html``);
- ``widget_``: the interactive ipywidgets layout, built on first access;
- ``frame_``: the tidy :class:`pandas.DataFrame` behind ``figure_``;
- view-specific results (``deltas_``, ``table_``, ...).

A view shows itself when it is the last expression of a notebook cell.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb._html import Block, write_page
from clarinb.errors import InvalidArgumentError
from clarinb.views._display import live, static_bundle
from clarinb.views._theme import template

__all__ = ["View", "figure_widget", "sync_figure"]

_V = TypeVar("_V", bound="View")


def _json_safe(value: Any) -> Any:
    """Replace NaN and infinities in plain lists and dicts with ``None`` (a gap to plotly).

    Widget state travels as JSON; a NaN there makes Jupyter print "Out of
    range float values are not JSON compliant". Numpy arrays travel as
    binary buffers and are kept as they are.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def _plain(figure: go.Figure) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    traces = [_json_safe(trace.to_plotly_json()) for trace in figure.data]
    return traces, _json_safe(figure.layout.to_plotly_json())


def figure_widget(figure: go.Figure) -> go.FigureWidget:
    """Make a ``FigureWidget`` from a figure, passing the layout to the constructor.

    (A layout applied after construction can be lost when the widget is shown
    in Voila; given to the constructor it is kept everywhere.) NaN values
    become gaps (``None``), so the widget's state is valid JSON.
    """
    traces, layout = _plain(figure)
    return go.FigureWidget(data=traces, layout=layout)


def sync_figure(widget: go.FigureWidget, figure: go.Figure) -> None:
    """Copy a freshly built figure into a live ``FigureWidget`` in one update.

    When the traces have the same types in the same order they are updated in
    place, so callbacks registered on them (``on_click``) survive; otherwise
    the traces are replaced. NaN values become gaps, as in :func:`figure_widget`.
    """
    traces, layout = _plain(figure)
    same = len(widget.data) == len(traces) and all(
        a.type == b["type"] for a, b in zip(widget.data, traces, strict=True)
    )
    with widget.batch_update():
        if same:
            for live, new in zip(widget.data, traces, strict=True):
                live.update(new, overwrite=True)
        else:
            widget.data = ()
            widget.add_traces(traces)
        widget.layout.update(layout, overwrite=True)


class View:
    """Base class of clarinb's views.

    Parameters
    ----------
    theme : {"light", "dark"}
        Plotly template family used by every figure of the view.

    Attributes
    ----------
    figure_ : plotly.graph_objects.Figure
        The static figure (built by :meth:`plot`, or on first access).
    widget_ : ipywidgets.Widget
        The interactive widget (built on first access).
    """

    #: Title used by :meth:`to_html` when none is given.
    title: str = "clarinb view"
    #: The settings :meth:`set` accepts.
    settable: tuple[str, ...] = ()

    def __init__(self, *, theme: str = "light") -> None:
        self.theme = theme
        self._template = template(theme)
        self._figure: go.Figure | None = None
        self._widget: Any = None

    # -- to implement -----------------------------------------------------------------
    def _build_figure(self) -> go.Figure:
        """Build the static figure from the view's data and current settings."""
        raise NotImplementedError

    def _build_widget(self) -> Any:
        """Build the interactive widget; by default the figure as a ``FigureWidget``."""
        return figure_widget(self.figure_)

    def _apply(self, changes: dict[str, Any]) -> None:
        """Check every change, then apply them all (or none: raise before changing anything)."""
        raise NotImplementedError

    def _update(self) -> None:
        """Redraw after a change: the live widget when built, else drop ``figure_``."""
        self._figure = None
        if self._widget is not None:
            self._refresh_widget()

    def _refresh_widget(self) -> None:
        """Bring the built widget up to date: by default the figure widget, in place."""
        if isinstance(self._widget, go.FigureWidget):
            sync_figure(self._widget, self.figure_)
        else:
            self._widget = None

    def _frame(self) -> pd.DataFrame:
        """Return the tidy data behind ``figure_``."""
        raise NotImplementedError

    def _html_sections(self) -> Sequence[Block]:
        """Blocks written by :meth:`to_html`; by default the one figure."""
        return [Block(self.title, self.figure_)]

    # -- public -------------------------------------------------------------------------
    def plot(self: _V) -> _V:
        """(Re)build ``figure_`` from the current settings and return the view."""
        fig = self._build_figure()
        fig.update_layout(template=self._template)
        self._figure = fig
        return self

    @property
    def figure_(self) -> go.Figure:
        """The static plotly figure of the view."""
        if self._figure is None:
            self.plot()
        assert self._figure is not None
        return self._figure

    @property
    def frame_(self) -> pd.DataFrame:
        """The tidy data behind ``figure_``, one row per drawn value, for use in pandas."""
        return self._frame()

    def set(self: _V, **changes: Any) -> _V:
        """Change settings and redraw; every view's one state-change method.

        Parameters
        ----------
        **changes
            New values of the settings named in :attr:`settable`.

        Returns
        -------
        View
            The view itself, for chaining.

        Raises
        ------
        InvalidArgumentError
            For an unknown setting or a bad value; nothing is changed then.
        """
        validate.known_keys(changes, self.settable)
        if changes:
            self._apply(dict(changes))
            self._update()
        return self

    @property
    def widget_(self) -> Any:
        """The interactive ipywidgets widget of the view."""
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    def _refresh(self, widget: go.FigureWidget | None = None) -> None:
        """Rebuild ``figure_`` from the current settings and copy it into ``widget``."""
        self.plot()
        if widget is not None:
            sync_figure(widget, self.figure_)

    def show(self) -> None:
        """Display the view in the notebook (the live widget and its static copy)."""
        self._ipython_display_()

    def to_html(self, path: str | Path, *, title: str | None = None) -> Path:
        """Write a standalone HTML file (plotly.js inlined, opens offline, no kernel).

        Every text from the data is escaped; the file is written atomically
        (a failed write leaves any previous file as it was).

        Parameters
        ----------
        path : str or Path
            Where to write.
        title : str, optional
            Page title; the view's own by default.

        Returns
        -------
        Path
            The written file.

        Raises
        ------
        InvalidArgumentError
            When ``path`` is not a path, or the file cannot be written there.
        """
        if not isinstance(path, str | os.PathLike) or not str(path):
            raise InvalidArgumentError(
                f"path must be a file path (str or Path), not {validate.shown(path)}."
            )
        title = validate.text(title, "title", or_none=True)
        sections = self._html_sections()
        try:
            return write_page(path, title or self.title, sections, dark=self.theme == "dark")
        except OSError as err:
            raise InvalidArgumentError(
                f"cannot write {str(path)!r}: {err.strerror or err}; give a file path in a "
                "folder you can write to."
            ) from None

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget_._repr_mimebundle_(**kwargs)

    def _ipython_display_(self) -> None:
        """Show the live widget, then a static copy of the figure for saved notebooks.

        The copy (plotly JSON and HTML) is what a notebook reopened without a
        kernel, nbviewer and GitHub show; while the widget is live it hides
        the copy, so a running notebook shows the figure once.
        """
        from IPython.display import display  # noqa: PLC0415

        display(live(self.widget_))
        display(static_bundle(self.figure_, repr(self)), raw=True)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} theme={self.theme!r}>"
