"""Short message boxes of the apps (info, warning, error), their text escaped."""

from __future__ import annotations

from typing import Any

from clarinb._html import Markup, html_widget, tag
from clarinb.errors import ClarinbError

__all__ = ["describe_error", "message", "message_html"]

_COLOURS = {"info": "#0072B2", "warning": "#E69F00", "error": "#D55E00"}


def message_html(text: str, *, kind: str = "info") -> Markup:
    """Render a short message box (``kind``: ``info``, ``warning`` or ``error``), text escaped.

    Examples
    --------
    >>> str(message_html("<b>No test set.</b>")).count("&lt;b&gt;No test set.")
    1
    """
    return tag(
        "div",
        text,
        class_=f"clarinb-message clarinb-{kind}",
        style=f"border-left:4px solid {_COLOURS.get(kind, '#888')};padding:6px 10px",
    )


def message(text: str, *, kind: str = "info") -> Any:
    """Make a widget showing :func:`message_html`.

    Examples
    --------
    >>> message("No test set.").value.count("No test set.")
    1
    """
    return html_widget(message_html(text, kind=kind), f"clarinb-{kind}")


def describe_error(err: BaseException) -> str:
    """Name what failed in one line, for a message box (never a traceback)."""
    text = str(err) or "no details"
    if not isinstance(err, ClarinbError):
        return f"Unexpected {type(err).__name__}: {text}"
    return f"{type(err).__name__}: {text}"
