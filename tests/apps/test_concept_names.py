"""One display name per concept everywhere: the API's name ("red fox"), never the id ("red-fox")."""

from __future__ import annotations

import re

import pytest

from clarinb import metrics
from clarinb.apps import EvaluationExplorer
from clarinb.views import MistakesView

_IDS = re.compile(r"\b(red-fox|tabby-cat)\b")


def _texts(widget) -> list[str]:
    found = []
    value = getattr(widget, "value", None)
    if isinstance(value, str):
        found.append(value)
    for option in getattr(widget, "options", None) or ():
        found.append(option[0] if isinstance(option, tuple) else str(option))
    for child in getattr(widget, "children", None) or ():
        found.extend(_texts(child))
    return found


@pytest.fixture(scope="module")
def explorer(demo_client) -> EvaluationExplorer:
    view = EvaluationExplorer(demo_client, evaluation_id="animals-large-on-v2", threshold=0.3)
    assert view.evaluation_.concepts["red-fox"] == "red fox"
    return view


@pytest.mark.parametrize("tab", ["Summary", "Mistakes", "Test set"])
def test_a_tab_shows_concept_names_not_ids(explorer, tab) -> None:
    explorer.set(tab=tab)
    shown = " ".join(t for w in explorer.tab_contents_[tab] for t in _texts(w))
    assert "red fox" in shown or tab == "Summary"
    assert _IDS.findall(shown) == []


def test_mistakes_view_lists_and_hovers_names(demo_client) -> None:
    ev = demo_client.evaluation("animals-large-on-v2")
    view = MistakesView.from_evaluation(ev, k=40, label_issues=metrics.label_issues(ev.test_set()))
    shown = " ".join(_texts(view.widget_))
    assert _IDS.findall(shown) == []
    hover = " ".join(str(v) for t in view.figure_.data for v in (*t.x, *t.text))
    assert "top:" in hover  # each point's hover: its input, top concept and truth
    assert _IDS.findall(hover) == []
