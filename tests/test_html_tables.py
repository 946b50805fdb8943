"""Every table clarinb writes comes from the one writer and carries its light rules."""

from __future__ import annotations

import re

import pandas as pd

from clarinb._html import TABLE_CSS, html_widget, page, set_html, table
from clarinb.apps._dataset_panels import exports_html
from clarinb.apps._summary import facts_html


def _border_widths(css: str) -> list[int]:
    return [int(w) for w in re.findall(r"border[a-z-]*:\s*(\d+)px", css)]


def test_the_rules_are_light() -> None:
    widths = _border_widths(TABLE_CSS)
    assert widths
    assert max(widths) <= 1
    assert "border-collapse: collapse" in TABLE_CSS
    assert not re.search(r"(?<![-\w])border:\s*\d", TABLE_CSS)  # no box around every cell


def test_a_widget_showing_a_table_carries_the_rules() -> None:
    widget = html_widget(table(pd.DataFrame({"a": [1.0]})))
    assert TABLE_CSS in widget.value
    set_html(widget, "plain text")
    assert TABLE_CSS not in widget.value
    set_html(widget, facts_html({"model": "m"}))
    assert TABLE_CSS in widget.value


def test_a_page_carries_the_rules_once() -> None:
    from clarinb._html import Block

    text = page("t", [Block("x", pd.DataFrame({"a": [1]})), Block("y", pd.DataFrame({"b": [2]}))])
    assert text.count(TABLE_CSS) == 1


def test_hand_built_tables_use_the_writer() -> None:
    facts = str(facts_html({"model": "<m>", "evaluation": "e"}))
    assert "<thead>" not in facts  # facts have no header row
    assert "<th>model</th><td>&lt;m&gt;</td>" in facts
    exports = pd.DataFrame(
        {"format": ["COCO"], "state": ["ready"], "size": [2048], "url": ["https://x.test/a"]}
    )
    text = str(exports_html(exports))
    assert 'class="clarinb-table"' in text
    assert "<th>download</th>" in text
    assert 'href="https://x.test/a"' in text
    assert "2,048 bytes" in text
