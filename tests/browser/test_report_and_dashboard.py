"""A static report opened offline from file://, and the Voila dashboard of the explorer.

One report is built from a snapshot of a workspace where one concept is named
``<img src=x onerror=alert(1)>``: the page must render its plots without any
network request, show the name as text and raise no dialog. The README's
screenshot is taken from the plain demo workspace's report, never from that one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_helpers import (
    ROOT,
    new_page,
    plot_data,
    screenshot,
    wait_for_plots,
    wait_plot_data,
)

from clarinb import connect
from clarinb.emulator import serve
from clarinb.emulator.server import demo_workspace
from clarinb.report import write_report
from clarinb.snapshot import take_snapshot, write_snapshot

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    text = json.dumps(demo_workspace(), separators=(",", ":"))
    hostile = json.loads(text.replace('"name":"husky"', '"name":' + json.dumps(HOSTILE)))
    folder = tmp_path_factory.mktemp("report")
    with serve(data=hostile) as source:
        ids = ["animals-base-on-v2", "animals-large-on-v2", "animals-mobile-on-v2"]
        snapshot = write_snapshot(
            take_snapshot(connect(emulator=source), evaluations=ids),
            folder / "snap.json",
            secret=source.pat,
        )
        token = source.pat
    with serve(data=snapshot) as replay:
        path = write_report(folder / "report.html", connect(emulator=replay))
    return path, token


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with serve(data="demo") as emulator:
        return write_report(
            tmp_path_factory.mktemp("demo") / "report.html", connect(emulator=emulator)
        )


def _offline(page) -> list[str]:
    """Let the page load only files; return the list of other requests (all refused)."""
    requests: list[str] = []

    def only_files(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    page.route("**/*", only_files)
    return requests


def _drawn(page) -> int:
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".filter(g => g.querySelector('.main-svg')).length"
    )


def test_report_renders_offline_and_runs_nothing(browser, report) -> None:
    path, token = report
    text = path.read_text()
    assert token not in text
    assert token not in path.with_name("snap.json").read_text()
    expected = text.count('class="plotly-graph-div"')
    opened = new_page(browser, height=1200)
    requests = _offline(opened.page)
    try:
        page = opened.page
        page.goto(path.as_uri())
        wait_for_plots(page, expected, timeout=60_000)
        assert _drawn(page) == expected
        assert HOSTILE in page.inner_text("body")  # shown as text
        assert page.locator("img[src=x]").count() == 0
        z = plot_data(page, "z", within="#evaluation-1")
        assert any(isinstance(v, (int, float)) and v > 0 for row in z for v in row)
        page.wait_for_timeout(500)
        assert opened.dialogs == []
        assert requests == []
    finally:
        opened.close()


def test_the_readme_screenshot_is_the_plain_demo_report(browser, demo_report) -> None:
    text = demo_report.read_text()
    expected = text.count('class="plotly-graph-div"')
    opened = new_page(browser, height=1300)
    requests = _offline(opened.page)
    try:
        page = opened.page
        page.goto(demo_report.as_uri())
        wait_for_plots(page, expected, timeout=60_000)
        assert _drawn(page) == expected
        body = page.inner_text("body")
        assert "onerror" not in body
        assert "is the best of the 3 models compared" in page.inner_text("#summary")
        assert opened.dialogs == []
        assert requests == []
        screenshot(page, "report")
    finally:
        opened.close()


def test_voila_dashboard_shows_the_explorer(browser, voila) -> None:
    url = voila(ROOT / "notebooks" / "dashboard.ipynb")
    opened = new_page(browser, height=1100)
    try:
        page = opened.page
        page.goto(url)
        wait_for_plots(page, 1)
        tabs = [t.strip() for t in page.locator(".lm-TabBar-tab").all_inner_texts()]
        assert tabs[:8] == [
            "Summary", "Confusion", "Curves", "Thresholds", "Compare", "Mistakes", "Slices",
            "Test set",
        ]  # fmt: skip
        # it opens on an evaluated single-label classifier, not the multi-label scene tagger
        first = plot_data(page, "x")
        assert {"wolf", "husky"} <= set(first)
        assert "forest" not in first
        screenshot(page.locator(".clarinb-explorer").first, "dashboard")
        # another model in the picker: the kernel loads its evaluation and replots
        page.locator(".widget-dropdown select").first.select_option("animals-mobile")
        other = wait_plot_data(page, "x", lambda x: "wolf" in x and list(x) != list(first))
        assert set(other) == set(first)
        assert opened.dialogs == []
    finally:
        opened.close()
