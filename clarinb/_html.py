"""The one way clarinb writes HTML: escaped fragments, tables, standalone pages, plotly text.

Every piece of HTML clarinb produces (a view's ``to_html`` page, an HTML
widget's value, the report, ``_repr_html_``) is assembled here from
:class:`Markup` fragments. A plain ``str`` is always *text*: wherever it meets
markup (:func:`tag`, :func:`join`, :func:`table`, :func:`page`,
:func:`html_widget`) it is escaped, so text from the data can never become a
tag by mistake. Only this module's builders make ``Markup``.

Plotly renders a subset of HTML in its labels (``<b>``, ``<a href>``, ``<br>``);
text from the data going into a figure passes through :func:`plotly_text`.

Examples
--------
>>> str(tag("b", "<script>"))
'<b>&lt;script&gt;</b>'
>>> plotly_text("<b>x</b> & y")
'&lt;b&gt;x&lt;/b&gt; &amp; y'
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup, escape
from plotly.offline import get_plotlyjs

from clarinb._atomic import write_text
from clarinb._plotlyjs import LOADER, STAND_IN, packed_plotlyjs
from clarinb.errors import InvalidArgumentError

__all__ = [
    "Block",
    "Content",
    "Markup",
    "Section",
    "TABLE_CSS",
    "escape",
    "figure_html",
    "from_plotly_text",
    "html_widget",
    "join",
    "page",
    "plotly_text",
    "set_html",
    "table",
    "tag",
    "write_page",
]

#: What a block of a page holds: a figure, a frame shown as a table, markup, or plain text.
Content: TypeAlias = go.Figure | pd.DataFrame | Markup | str

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
#: The look of every table :func:`table` writes: light horizontal rules, no boxes.
TABLE_CSS = """
.clarinb-table { border-collapse: collapse; font-size: 0.9em; margin: 0.4em 0; }
.clarinb-table th, .clarinb-table td { border: none; border-bottom: 1px solid #e6e8ee;
  padding: 3px 10px; text-align: right; vertical-align: top; }
.clarinb-table thead th { border-bottom-color: #b8bfcc; font-weight: 600; }
.clarinb-table tbody th { font-weight: 600; }
.clarinb-table th:first-child, .clarinb-table td:first-child { text-align: left; }
.clarinb-table tbody tr:last-child > * { border-bottom: none; }
body.dark .clarinb-table th, body.dark .clarinb-table td { border-color: #444; }
"""
_STYLE = (
    """
body { font-family: Inter, Segoe UI, Helvetica, Arial, sans-serif; margin: 24px 40px;
       color: #1d2330; background: #fff; max-width: 1200px; }
body.dark { background: #111; color: #eee; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 2px solid #dde; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
nav a { margin-right: 1em; }
body.dark h2 { border-color: #444; }
.note { color: #667; font-style: italic; }
footer { margin-top: 3em; color: #889; font-size: 0.8em; }
"""
    + TABLE_CSS
)


# -- fragments ------------------------------------------------------------------------------
def tag(name: str, *children: object, **attributes: object) -> Markup:
    """One element: ``children`` are escaped unless they are already :class:`Markup`.

    Parameters
    ----------
    name : str
        The element name (a constant of the caller, e.g. ``"div"``).
    *children : object
        Content, in order; ``None`` is skipped.
    **attributes : object
        Attribute values (escaped, quoted); ``class_`` gives ``class``; ``None`` is skipped.

    Examples
    --------
    >>> str(tag("div", "a < b", tag("br"), class_="x"))
    '<div class="x">a &lt; b<br></div>'
    """
    if not _NAME.match(name):
        raise InvalidArgumentError(f"not an element name: {name!r}")
    attrs = Markup("").join(
        Markup(' {}="{}"').format(key.rstrip("_").replace("_", "-"), str(value))
        for key, value in attributes.items()
        if value is not None
    )
    if name in ("br", "hr", "img", "meta"):
        return Markup("<{}{}>").format(Markup(name), attrs)
    body = join(child for child in children if child is not None)
    return Markup("<{0}{1}>{2}</{0}>").format(Markup(name), attrs, body)


def join(parts: Iterable[object], separator: str = "") -> Markup:
    """Concatenate fragments (plain strings escaped) with a plain-text separator."""
    return escape(separator).join(escape(p) for p in parts)


def _cell(value: object, number_format: str, na_rep: str) -> Markup:
    if isinstance(value, Markup):
        return value
    if value is None or value is pd.NaT or value is pd.NA:
        return escape(na_rep)
    if isinstance(value, float) and math.isnan(value):
        return escape(na_rep)
    if isinstance(value, float) and number_format:
        return escape(format(value, number_format))
    return escape(str(value))


def table(
    frame: pd.DataFrame,
    *,
    index: bool = False,
    number_format: str = ".3f",
    na_rep: str = "n/a",
    max_rows: int | None = None,
    class_: str = "clarinb-table",
    titles: Mapping[str, str] | None = None,
    header: bool = True,
    row_heads: bool = False,
) -> Markup:
    """Render a frame as an HTML table: every header and cell escaped, missing values as n/a.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows. Cells that are :class:`Markup` are kept as they are.
    index : bool
        Show the index as the first column(s).
    number_format : str
        Format spec of float cells (e.g. ``".3f"``, ``",.0f"``).
    na_rep : str
        Text of missing cells (NaN, None, NaT).
    max_rows : int, optional
        Rows written at most; a line below says how many more there are.
    class_ : str
        CSS class of the ``<table>``.
    titles : mapping of str to str, optional
        Column header -> tooltip (the header's ``title`` attribute).
    header : bool
        Write the header row.
    row_heads : bool
        Write each row's first cell as a heading (``<th>``), as in a list of facts.

    Returns
    -------
    Markup
        The table.

    Examples
    --------
    >>> import pandas as pd
    >>> text = str(table(pd.DataFrame({"<a>": [0.5, float("nan")]})))
    >>> "<th>&lt;a&gt;</th>" in text, "<td>0.500</td>" in text, "<td>n/a</td>" in text
    (True, True, True)
    """
    shown = frame if max_rows is None else frame.head(max_rows)
    if index:
        shown = shown.reset_index()
    heads = [
        " ".join(str(p) for p in col) if isinstance(col, tuple) else str(col)
        for col in shown.columns
    ]
    if index and shown.columns[0] == "index" and frame.index.name is None:
        heads[0] = ""
    tips = titles or {}
    head = tag("thead", tag("tr", *(tag("th", h, title=tips.get(h)) for h in heads)))
    rows = (
        tag(
            "tr",
            *(
                tag("th" if row_heads and i == 0 else "td", _cell(v, number_format, na_rep))
                for i, v in enumerate(record)
            ),
        )
        for record in shown.itertuples(index=False, name=None)
    )
    out = tag("table", head if header else None, tag("tbody", *rows), class_=class_)
    more = len(frame) - len(shown)
    if more > 0:
        out += tag("p", f"… and {more} more rows", class_="note")
    return out


def figure_html(
    figure: go.Figure, div_id: str | None = None, *, plotlyjs: bool | str = False
) -> Markup:
    """Render a figure as a fragment (by default without plotly.js: the page inlines it once).

    Plotly writes the figure's JSON with ``<``, ``>`` and ``/`` as unicode
    escapes, so no text in it can close the script element. ``plotlyjs="cdn"``
    adds a script element loading plotly.js from its CDN (for a fragment that
    stands alone, such as a notebook's static output).
    """
    return Markup(
        figure.to_html(full_html=False, include_plotlyjs=plotlyjs, div_id=div_id, validate=False)
    )


# -- plotly text ---------------------------------------------------------------------------
def plotly_text(value: object) -> str:
    """Escape text from the data for a plotly label (plotly renders ``<b>``, ``<a>``, ``<br>``).

    Use it for tick labels, category values, legend names, hover text,
    annotations and titles; plotly shows the escaped text as typed.

    Examples
    --------
    >>> plotly_text("<b>x</b>")
    '&lt;b&gt;x&lt;/b&gt;'
    """
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def from_plotly_text(text: object) -> str:
    """Undo :func:`plotly_text` (e.g. for the category value of a clicked point).

    Examples
    --------
    >>> from_plotly_text(plotly_text("a &lt; <b>"))
    'a &lt; <b>'
    """
    return html.unescape(str(text))


# -- widgets -------------------------------------------------------------------------------
def html_widget(content: Markup | str = "", *classes: str) -> Any:
    """Make an ``ipywidgets.HTML`` showing ``content`` (plain text is escaped)."""
    import ipywidgets as widgets  # noqa: PLC0415 - the report does not need widgets

    widget = widgets.HTML(_styled(content))
    for name in classes:
        widget.add_class(name)
    return widget


def set_html(widget: Any, content: Markup | str) -> None:
    """Show ``content`` in an HTML widget (plain text is escaped)."""
    widget.value = _styled(content)


def _styled(content: Markup | str) -> str:
    """Escape ``content``; markup holding a clarinb table gets the table rules beside it.

    A widget's HTML is not inside a page with :data:`TABLE_CSS`; the style
    element, scoped to ``.clarinb-table``, makes its tables look as in a page.
    """
    text = str(escape(content))
    if isinstance(content, Markup) and "clarinb-table" in text:
        return str(tag("style", Markup(TABLE_CSS))) + text
    return text


# -- pages ---------------------------------------------------------------------------------
@dataclass
class Block:
    """A titled piece of a page: a figure, a table (frame), markup or a plain-text note."""

    title: str
    content: Content


@dataclass
class Section:
    """A top-level part of a page with an anchor in the table of contents, holding blocks."""

    title: str
    anchor: str
    blocks: list[Block] = field(default_factory=list)


def _block(block: Block, level: str, plot: int) -> Markup:
    head = tag(level, block.title) if block.title else Markup("")
    content = block.content
    if isinstance(content, go.Figure):
        return head + figure_html(content, f"plot-{plot}")
    if isinstance(content, pd.DataFrame):
        return head + table(content)
    if isinstance(content, Markup):
        return head + content
    return head + tag("p", str(content), class_="note")


def page(
    title: str,
    parts: Sequence[Block | Section],
    *,
    dark: bool = False,
    footer: str = "",
    pack_plotlyjs: bool = False,
) -> str:
    """Render one standalone HTML document: plotly.js inlined once, no network needed.

    Parameters
    ----------
    title : str
        Page title (text).
    parts : sequence of Block or Section
        Blocks get an ``<h2>``; sections an ``<h2>``, an entry in the table of
        contents, and their blocks ``<h3>`` headings.
    dark : bool
        Dark background.
    footer : str
        A line of text at the bottom.
    pack_plotlyjs : bool
        Carry plotly.js gzipped and base64-encoded (about 2 MB instead of
        4.8 MB), unpacked by the browser when the page opens (see
        :mod:`clarinb._plotlyjs`); the figures are drawn once it is.

    Returns
    -------
    str
        The HTML text.
    """
    sections = [p for p in parts if isinstance(p, Section)]
    nav = tag("nav", *(tag("a", s.title, href=f"#{s.anchor}") for s in sections))
    body: list[Markup] = [tag("h1", title), nav if sections else Markup("")]
    plot = 0
    for part in parts:
        if isinstance(part, Section):
            inner = []
            for block in part.blocks:
                inner.append(_block(block, "h3", plot))
                plot += 1
            body.append(tag("section", tag("h2", part.title), *inner, id=part.anchor))
        else:
            body.append(_block(part, "h2", plot))
            plot += 1
    if footer:
        body.append(tag("footer", footer))
    if pack_plotlyjs:
        script = tag("script", Markup(STAND_IN), type="text/javascript")
        body.append(tag("script", Markup(LOADER % packed_plotlyjs()), type="text/javascript"))
    else:
        script = tag("script", Markup(get_plotlyjs()), type="text/javascript")
    head = join(
        [
            Markup('<meta charset="utf-8">'),
            tag("title", title),
            tag("style", Markup(_STYLE)),
            script,
        ]
    )
    document = tag(
        "html", tag("head", head), tag("body", *body, class_="dark" if dark else "light"), lang="en"
    )
    return "<!DOCTYPE html>\n" + str(document)


def write_page(
    path: str | Path,
    title: str,
    parts: Sequence[Block | Section],
    *,
    dark: bool = False,
    footer: str = "",
    pack_plotlyjs: bool = False,
) -> Path:
    """Write :func:`page` to ``path`` atomically (UTF-8) and return the path."""
    return write_text(
        path, page(title, parts, dark=dark, footer=footer, pack_plotlyjs=pack_plotlyjs)
    )
