"""Run an example notebook and make its outputs fit to commit.

``make notebooks`` (through ``make_notebooks.py``) and ``tests/test_notebooks.py``
share this: the test runs each notebook once, the way the generator does, and
compares what it gets with the committed file.

What a committed notebook holds, and why:

- The outputs of a run on the demo emulator (no ``CLARIFAI_*`` variable is
  passed to the kernel), so GitHub, nbviewer and a JupyterLab without a kernel
  show the views' figures.
- No token: a hidden last cell writes the emulator's token to a file beside
  the run; :func:`normalise` fails when any output or widget state holds it.
- Stable text: widget model ids are derived from the cell and the order of
  the widgets in it; the emulator's port, the run's folder and memory
  addresses are replaced; no execution timings are recorded.
- The widget state in ``metadata.widgets``, small: each plotly ``FigureWidget``
  (an anywidget model carrying all of plotly.js) is saved as an output widget
  holding its current figure as plotly JSON, which JupyterLab draws without a
  kernel; the dropdowns, sliders and tables around it are saved as they were.
- A static copy of every view's figure that needs no script and no network:
  :func:`render_images` draws the plotly JSON of each static output to a PNG
  in Chromium and puts it, as an ``<img>``, in place of the HTML that loads
  plotly.js from its CDN. (Not as ``image/png``: an untrusted JupyterLab
  prefers that to the plotly JSON and would show a flat picture.)
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from clarinb.views._display import LIVE_CLASS

PLOTLY = "application/vnd.plotly.v1+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
STATIC_CLASS = "clarinb-static"
_REF = "IPY_MODEL_"
_PORT = re.compile(r"(127\.0\.0\.1|localhost):\d+")
_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+")

# The hidden last cell: the token (to prove no output holds it) and every plotly
# FigureWidget's current figure (its synced traits can lag behind batch updates).
_AFTER = """\
import json as _json, pathlib as _pathlib
import plotly.io as _pio
from ipywidgets.widgets.widget import _instances as _widgets
from plotly.basewidget import BaseFigureWidget as _Figure
_pathlib.Path({path!r}).write_text(_json.dumps({{
    "token": clarinb.connect().settings.pat,
    "figures": {{k: _json.loads(_pio.to_json(w, validate=False))
                for k, w in _widgets.items() if isinstance(w, _Figure)}},
}}))"""


def execute(nb: nbformat.NotebookNode, workdir: Path, name: str) -> tuple[Any, dict[str, Any]]:
    """Run a copy of ``nb`` in a fresh kernel on the demo emulator.

    Returns the executed notebook (outputs and raw widget state filled in) and
    what the hidden last cell recorded: ``{"token": ..., "figures": {model id: figure}}``.
    """
    nb = copy.deepcopy(nb)
    record = workdir / f"{name}.record.json"
    nb.cells.append(nbformat.v4.new_code_cell(_AFTER.format(path=str(record))))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLARIFAI_")}
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        NotebookClient(
            nb,
            timeout=300,
            kernel_name="python3",
            record_timing=False,
            store_widget_state=True,
            resources={"metadata": {"path": str(workdir)}},
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    nb.cells.pop()
    return nb, json.loads(record.read_text())


def _figure_output(figure: dict[str, Any]) -> dict[str, Any]:
    bundle = {"data": figure.get("data", []), "layout": figure.get("layout", {})}
    bundle["config"] = {"displaylogo": False}
    return {"output_type": "display_data", "metadata": {}, "data": {PLOTLY: bundle}}


def _as_output_widget(model_id: str, figure: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Make an output widget (and its layout) showing ``figure``, saved for a FigureWidget."""
    layout_id = f"{model_id}-layout"
    base = {"_view_count": None, "_model_module_version": "1.0.0", "_view_module_version": "1.0.0"}
    output = {
        **base,
        "_model_module": "@jupyter-widgets/output",
        "_model_name": "OutputModel",
        "_view_module": "@jupyter-widgets/output",
        "_view_name": "OutputView",
        "_dom_classes": ["clarinb-saved-figure"],
        "layout": _REF + layout_id,
        "msg_id": "",
        "outputs": [_figure_output(figure)],
    }
    layout = {
        "_view_count": None,
        "_model_module": "@jupyter-widgets/base",
        "_model_module_version": "2.0.0",
        "_model_name": "LayoutModel",
        "_view_module": "@jupyter-widgets/base",
        "_view_module_version": "2.0.0",
        "_view_name": "LayoutView",
    }
    return {
        model_id: {
            "model_module": "@jupyter-widgets/output",
            "model_module_version": "1.0.0",
            "model_name": "OutputModel",
            "state": output,
        },
        layout_id: {
            "model_module": "@jupyter-widgets/base",
            "model_module_version": "2.0.0",
            "model_name": "LayoutModel",
            "state": layout,
        },
    }


def _refs(value: Any) -> Iterator[str]:
    """Yield the model ids ``value`` refers to, in a stable order (dict keys sorted)."""
    if isinstance(value, str) and value.startswith(_REF):
        yield value[len(_REF) :]
    elif isinstance(value, dict):
        for key in sorted(value):
            yield from _refs(value[key])
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def _stable_ids(nb: Any, state: dict[str, Any]) -> dict[str, str]:
    """Map each model the outputs reach to a new id (cell index, then order met)."""
    new: dict[str, str] = {}
    for index, cell in enumerate(nb.cells):
        count = 0
        stack = [
            o["data"][WIDGET_VIEW]["model_id"]
            for o in cell.get("outputs", [])
            if WIDGET_VIEW in o.get("data", {})
        ][::-1]
        while stack:
            old = stack.pop()
            if old in new or old not in state:
                continue
            new[old] = f"{index:016x}{count:016x}"
            count += 1
            stack.extend(list(_refs(state[old]["state"]))[::-1])
    return new


def _saved_state(nb: Any, figures: dict[str, Any]) -> dict[str, Any]:
    """Make the widget state to save: figures as output widgets, anywidgets dropped."""
    saved = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {})
    state: dict[str, Any] = {}
    for model_id, model in saved.get("state", {}).items():
        if model_id in figures:
            state.update(_as_output_widget(model_id, figures[model_id]))
        elif "_esm" not in model.get("state", {}):  # an anywidget we cannot save without its code
            state[model_id] = model
    return state


def _saved_rule(state: dict[str, Any]) -> None:
    """Hide a static copy only behind a saved view that draws its figure (in place).

    Where the saved widgets cannot draw a plotly figure (nbviewer's widget
    manager, an untrusted JupyterLab) the static copy stays visible.
    """
    for model in state.values():
        value = model["state"].get("value")
        if model["model_name"] == "HTMLModel" and isinstance(value, str) and LIVE_CLASS in value:
            drawn = f":has(.{LIVE_CLASS} .js-plotly-plot)"
            model["state"]["value"] = value.replace(f":has(.{LIVE_CLASS})", drawn)


def _label_live_outputs(nb: Any) -> None:
    """Say in plain text what a widget output is, for where it cannot be drawn (in place)."""
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        for output, after in zip(outputs, [*outputs[1:], None], strict=False):
            if WIDGET_VIEW not in output.get("data", {}):
                continue
            text = "interactive view: run the cell to use it"
            if after is not None and PLOTLY in after.get("data", {}):
                name = after["data"].get("text/plain", "").split(" ")[0].lstrip("<")
                text = f"{name}: {text} (its figure is saved below)"
            output["data"]["text/plain"] = text


def normalise(nb: Any, record: dict[str, Any], workdir: Path) -> Any:
    """Make an executed notebook fit to commit (see the module's docstring); a new notebook.

    Raises
    ------
    AssertionError
        When the token appears anywhere in the result.
    """
    nb = copy.deepcopy(nb)
    state = _saved_state(nb, record["figures"])
    _saved_rule(state)
    _label_live_outputs(nb)
    ids = _stable_ids(nb, state)
    nb.metadata.pop("widgets", None)
    if ids:
        kept = {old: state[old] for old in ids}
        nb.metadata["widgets"] = {WIDGET_STATE: {"version_major": 2, "version_minor": 0}}
        nb.metadata["widgets"][WIDGET_STATE]["state"] = kept
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
    text = nbformat.writes(nb)
    # ids are 32 hex digits, or a layout id made from one: replace the longest first
    for old in sorted(ids, key=len, reverse=True):
        text = text.replace(old, ids[old])
    text = _PORT.sub(r"\1:PORT", text).replace(str(workdir), ".")
    text = _ADDRESS.sub("at 0x0", text)
    token = record["token"]
    assert len(token) >= 16, "the run recorded no token"
    assert token not in text, "an output holds the emulator's token"
    return nbformat.reads(text, as_version=4)


def static_outputs(nb: Any) -> Iterator[dict[str, Any]]:
    """Yield the static copies of the views' figures: the outputs holding plotly JSON."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if PLOTLY in output.get("data", {}):
                yield output


def comparable(nb: Any) -> dict[str, Any]:
    """Give what must match between a fresh run and the committed file.

    The images are drawn from the plotly JSON beside them (compared), and their
    bytes depend on the fonts of the machine drawing them, so they are left out.
    """
    nb = copy.deepcopy(nb)
    for output in static_outputs(nb):
        output["data"].pop("text/html", None)
    return json.loads(nbformat.writes(nb))


_TO_PNG = """async ([spec, width, height]) =>
  Plotly.toImage(spec, {format: "png", width: width, height: height, scale: 1})"""


def render_images(notebooks: list[Any], chromium: str = "/usr/bin/chromium") -> None:
    """Replace each static copy's HTML by a PNG of its figure drawn in Chromium (in place).

    The HTML written in the kernel loads plotly.js from its CDN; the image shows
    offline and where scripts do not run (GitHub).
    """
    import plotly.offline  # noqa: PLC0415 - only make notebooks draws images
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    from clarinb._html import tag  # noqa: PLC0415

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.set_content("<!doctype html><html><body></body></html>")
            page.add_script_tag(content=plotly.offline.get_plotlyjs())
            for nb in notebooks:
                for output in static_outputs(nb):
                    spec = output["data"][PLOTLY]
                    layout = spec.get("layout", {})
                    width, height = (
                        int(layout.get("width") or 900),
                        int(layout.get("height") or 450),
                    )
                    url = page.evaluate(_TO_PNG, [spec, width, height])
                    title = layout.get("title", {})
                    alt = title.get("text", "") if isinstance(title, dict) else str(title)
                    alt = html.unescape(re.sub(r"<[^>]*>", " ", alt))
                    image = tag("img", src=url, alt=alt, style="max-width: 100%; height: auto")
                    output["data"]["text/html"] = str(tag("div", image, class_=STATIC_CLASS))
        finally:
            browser.close()
