"""Standalone HTML pages of plotly figures: plotly.js inlined once, no CDN, no kernel."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

__all__ = ["figures_to_html", "write_html"]

_STYLE = """
body { font-family: Inter, Segoe UI, Helvetica, Arial, sans-serif; margin: 24px; }
body.dark { background: #111; color: #eee; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
"""


def figures_to_html(
    sections: Sequence[tuple[str, go.Figure | str]], *, title: str, dark: bool = False
) -> str:
    """Render titled sections into one standalone HTML document.

    Parameters
    ----------
    sections : sequence of (str, Figure or str)
        Each section's heading and content: a plotly figure, or an HTML
        fragment that the caller has already escaped (e.g. ``DataFrame.to_html()``).
    title : str
        Page title; escaped here.
    dark : bool
        Use a dark page background.

    Returns
    -------
    str
        The HTML text, with plotly.js inlined once.
    """
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_STYLE}</style>",
        f'<script type="text/javascript">{get_plotlyjs()}</script>',
        f'</head><body class="{"dark" if dark else "light"}">',
        f"<h1>{html.escape(title)}</h1>",
    ]
    for heading, content in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        if isinstance(content, go.Figure):
            parts.append(content.to_html(full_html=False, include_plotlyjs=False))
        else:
            parts.append(content)
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(
    path: str | Path,
    sections: Sequence[tuple[str, go.Figure | str]],
    *,
    title: str,
    dark: bool = False,
) -> Path:
    """Write :func:`figures_to_html` to ``path`` and return the path."""
    target = Path(path)
    target.write_text(figures_to_html(sections, title=title, dark=dark), encoding="utf-8")
    return target
