"""Assemble one standalone HTML page: plotly.js inlined once, every text from data escaped."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

__all__ = ["Block", "Section", "render_page", "table_html"]

_STYLE = """
body { font-family: Inter, Segoe UI, Helvetica, Arial, sans-serif; margin: 24px 40px;
       color: #1d2330; max-width: 1200px; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 2px solid #dde;}
h3 { font-size: 1.05em; margin-top: 1.4em; }
nav a { margin-right: 1em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border-bottom: 1px solid #dde; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.note { color: #667; font-style: italic; }
footer { margin-top: 3em; color: #889; font-size: 0.8em; }
"""

#: What a block holds: a plotly figure, a frame shown as a table, or a plain-text note.
Content: TypeAlias = go.Figure | pd.DataFrame | str


@dataclass
class Block:
    """One titled piece of a section: a figure, a table or a note (plain text)."""

    title: str
    content: Content


@dataclass
class Section:
    """A top-level section of the report, with an anchor for the table of contents."""

    title: str
    anchor: str
    blocks: list[Block] = field(default_factory=list)


def table_html(frame: pd.DataFrame, *, digits: int = 3) -> str:
    """Render a frame as an HTML table with every cell and header escaped."""
    return frame.to_html(
        escape=True, index=False, float_format=lambda v: f"{v:.{digits}f}", border=0, na_rep=""
    )


def _block_html(block: Block, index: int) -> str:
    head = f"<h3>{html.escape(block.title)}</h3>" if block.title else ""
    content = block.content
    if isinstance(content, go.Figure):
        body = content.to_html(
            full_html=False, include_plotlyjs=False, div_id=f"plot-{index}", validate=False
        )
    elif isinstance(content, pd.DataFrame):
        body = table_html(content)
    else:
        body = f'<p class="note">{html.escape(str(content))}</p>'
    return head + body


def render_page(title: str, sections: Sequence[Section], *, footer: str = "") -> str:
    """Render the sections into one HTML document (plotly.js inlined, no network needed).

    Parameters
    ----------
    title : str
        Page title (escaped).
    sections : sequence of Section
        The content; titles and notes are escaped, tables use escaped cells.
    footer : str
        A plain-text line at the bottom (escaped).

    Returns
    -------
    str
        The whole HTML text.
    """
    nav = " ".join(
        f'<a href="#{html.escape(s.anchor, quote=True)}">{html.escape(s.title)}</a>'
        for s in sections
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style>",
        f'<script type="text/javascript">{get_plotlyjs()}</script>',
        "</head><body>",
        f"<h1>{html.escape(title)}</h1><nav>{nav}</nav>",
    ]
    index = 0
    for section in sections:
        anchor = html.escape(section.anchor, quote=True)
        parts.append(f'<section id="{anchor}"><h2>{html.escape(section.title)}</h2>')
        for block in section.blocks:
            parts.append(_block_html(block, index))
            index += 1
        parts.append("</section>")
    parts.append(f"<footer>{html.escape(footer)}</footer></body></html>")
    return "\n".join(parts)
