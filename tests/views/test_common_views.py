"""Every view keeps the same contract, in the manner of scikit-learn's common Display tests.

Each view builds from frames alone and from its read model, has ``figure_``,
``widget_``, ``frame_`` and ``to_html``, changes state through ``set`` only,
names its results with a trailing underscore, and refuses bad arguments with
``InvalidArgumentError`` without changing anything.
"""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import pytest
from view_case import ViewCase

import clarinb.views
from clarinb.errors import InvalidArgumentError
from clarinb.views import View

HERE = Path(__file__).parent


def _cases() -> list[ViewCase]:
    found: list[ViewCase] = []
    for path in sorted(HERE.glob("cases_*.py")):
        found.extend(importlib.import_module(path.stem).CASES)
    return found


CASES = _cases()
IDS = [case.name for case in CASES]
#: The explorers are an app layer above the views (they take a client), not views.
APPS = {"View", "EvaluationExplorer", "DatasetVersionExplorer"}
VIEW_CLASSES = [getattr(clarinb.views, name) for name in clarinb.views.__all__ if name not in APPS]


def test_every_view_has_a_case() -> None:
    covered = {case.cls for case in CASES}
    missing = [cls.__name__ for cls in VIEW_CLASSES if cls not in covered]
    assert not missing, f"views without a common-test case: {missing}"


@pytest.mark.parametrize("cls", VIEW_CLASSES, ids=lambda c: c.__name__)
def test_constructor_is_keyword_only_and_takes_data(cls: type) -> None:
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    positional = [
        p.name for p in params if p.kind is not p.KEYWORD_ONLY and p.kind is not p.VAR_KEYWORD
    ]
    assert not positional, f"{cls.__name__}.__init__ takes {positional} positionally"
    names = {p.name for p in params}
    assert not names & {"client", "source", "evaluation", "evaluation_id", "body"}, names


@pytest.mark.parametrize("cls", VIEW_CLASSES, ids=lambda c: c.__name__)
def test_one_way_in_and_one_way_out(cls: type) -> None:
    assert issubclass(cls, View)
    public = [n for n in dir(cls) if not n.startswith("_")]
    constructors = [n for n in public if isinstance(inspect.getattr_static(cls, n), classmethod)]
    assert "from_frames" in constructors
    allowed = {
        "from_frames",
        "from_evaluation",
        "from_evaluations",
        "from_dataset_version",
        "from_dataset_versions",
    }
    assert set(constructors) <= allowed, sorted(set(constructors) - allowed)
    assert not [n for n in public if n.startswith("set_")], "state changes go through set()"
    properties = [n for n in public if isinstance(inspect.getattr_static(cls, n), property)]
    assert all(n.endswith("_") for n in properties), [n for n in properties if not n.endswith("_")]
    assert cls.settable, f"{cls.__name__}.settable is empty"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_builds_from_frames_alone(case: ViewCase, tmp_path: Path) -> None:
    view = case.from_frames()
    assert isinstance(view, case.cls)
    assert view.plot() is view
    assert isinstance(view.figure_, go.Figure)
    assert isinstance(view.widget_, widgets.Widget)
    frame = view.frame_
    assert isinstance(frame, pd.DataFrame)
    assert len(frame), "frame_ is empty"
    written = view.to_html(tmp_path / "view.html")
    text = written.read_text(encoding="utf-8")
    assert "<html" in text.lower()
    assert "plotly" in text.lower()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_builds_from_its_read_model(case: ViewCase, eval_demo) -> None:
    view = case.from_read_model(eval_demo)
    assert isinstance(view, case.cls)
    assert isinstance(view.figure_, go.Figure)
    assert isinstance(view.frame_, pd.DataFrame)


def _shown(view: View) -> str:
    return json.dumps(view.figure_.to_plotly_json(), sort_keys=True, default=str)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_set_changes_the_figure_and_keeps_the_widget(case: ViewCase) -> None:
    view = case.from_frames()
    widget = view.widget_
    before = _shown(view)
    assert view.set(**case.change) is view
    assert _shown(view) != before, f"set({dict(case.change)}) did not change figure_"
    assert view.widget_ is widget, "set() rebuilt the widget instead of updating it"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bad_settings_are_refused_and_change_nothing(case: ViewCase) -> None:
    view = case.from_frames()
    before = _shown(view)
    with pytest.raises(InvalidArgumentError, match="unknown settings"):
        view.set(no_such_setting=1)
    with pytest.raises(InvalidArgumentError):
        view.set(**case.bad_change)
    assert _shown(view) == before


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bad_frames_are_refused(case: ViewCase) -> None:
    with pytest.raises(InvalidArgumentError):
        case.bad_frames()
