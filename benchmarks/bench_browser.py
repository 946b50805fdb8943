"""Time to the first plot in a real browser, and the size of the static report.

Headless Debian Chromium driven by Playwright (``make browser`` installs it),
on the demo workspace. Each figure is printed as a ratio against a baseline
measured in the same run, in the same browser, served the same way:

(a) JupyterLab: from running the ``EvaluationExplorer(client)`` cell to its
    first plot visible, against a cell drawing a bare plotly express bar chart
    of the ROC AUC of each concept of the same evaluation (fetched in the
    cell too). Each notebook starts a fresh kernel whose first cell connects
    to the demo emulator (untimed); target: under 3 s. Then switching: from
    picking another model in the explorer's drop-down to its plot visible,
    against a cell drawing that model's bare figure after the first one;
    target: under 2 s.
(b) Voila: from launching ``clarinb demo`` to the dashboard's first plot
    visible (the page is opened as soon as the URL is printed), against
    ``clarinb demo --notebook`` serving a notebook of that same bare figure;
    target: under 8 s.
(c) ``clarinb report`` of two synthetic classifier evaluations at 20 and at
    1,000 concepts (and of the demo workspace), in bytes, against a page
    holding only plotly.js (an empty figure, plotly.js inlined); the issue's
    budget is 4 MB for the demo.

One untimed warm-up of (a) and (b) first; then ``BENCH_BROWSER_REPEAT``
(default 2) interleaved rounds, the fastest of each kept. Choose parts with
``BENCH_BROWSER_PARTS`` (default ``lab,voila,report``).

Run: ``python benchmarks/bench_browser.py``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from _first_plot import (
    clarinb_command,
    lab_cell_to_plot,
    lab_pick_to_plot,
    launch_to_plot,
    shut_down_kernels,
    write_notebook,
)
from _util import format_seconds, report, timed

from tests.browser.browser_helpers import CHROMIUM, CHROMIUM_ARGS, free_port, start_lab, stop_group

REPEAT = int(os.environ.get("BENCH_BROWSER_REPEAT", "2"))
PARTS = set(os.environ.get("BENCH_BROWSER_PARTS", "lab,voila,report").split(","))
REPORT_SIZES = (20, 1000)

CONNECT = "import clarinb\n\nclient = clarinb.connect()"
EXPLORER = """\
try:
    from clarinb import EvaluationExplorer
except ImportError:
    from clarinb.views import EvaluationExplorer

EvaluationExplorer(client)"""
#: The bare figure: the ROC AUC of each concept of the first evaluated classifier.
BARE = """\
import plotly.express as px

listing = client.evaluations()
evaluated = listing[(listing["code"] == 21300) & (listing["model_type_id"] != "visual-detector")]
ev = client.evaluation(evaluated["id"].iloc[0])
px.bar(ev.binary_metrics(), x="concept_name", y="roc_auc", title=ev.id)"""
#: The bare figure of another model's evaluation: what switching costs done by hand.
BARE_OTHER = """\
ev = client.evaluation(evaluated[evaluated["model_id"] == SWITCH_TO]["id"].iloc[0])
px.bar(ev.binary_metrics(), x="concept_name", y="roc_auc", title=ev.id)"""
#: The model picked in the explorer's model drop-down when timing a switch.
SWITCH_TO = "animals-mobile"


def bench_lab(browser: Any, home: Path) -> None:
    lab, proc = start_lab(home / "lab")
    try:
        explorer = write_notebook(lab.root / "explorer.ipynb", [CONNECT, EXPLORER])
        bare = write_notebook(lab.root / "bare.ipynb", [CONNECT, BARE])
        warm = _lab_run(browser, lab, explorer)
        print(
            f"warm-up (first explorer cell of the server): kernel done at "
            f"{format_seconds(warm[0])}, first plot at {format_seconds(warm[1])}",
            flush=True,
        )
        times: dict[str, list[tuple[float, float]]] = {"explorer": [], "bare": []}
        for _ in range(REPEAT):
            for name, notebook in (("bare", bare), ("explorer", explorer)):
                times[name].append(_lab_run(browser, lab, notebook))
        _rounds("(kernel done, first plot)", times)
        best = min(t for _, t in times["explorer"])
        report(
            "JupyterLab: EvaluationExplorer(client) cell -> first plot visible",
            best,
            min(t for _, t in times["bare"]),
            sizes="fresh kernel, demo workspace; baseline: plotly express ROC AUC bars",
        )
        _target("explorer cell", best, 3.0)
        bare_switch = write_notebook(
            lab.root / "bare-switch.ipynb",
            [CONNECT + f"\nSWITCH_TO = {SWITCH_TO!r}", BARE, BARE_OTHER],
        )
        switches: dict[str, list[tuple[float, float]]] = {"explorer": [], "bare": []}
        for _ in range(REPEAT):
            switches["bare"].append(_lab_run(browser, lab, bare_switch))
            switches["explorer"].append((0.0, _lab_pick(browser, lab, explorer)))
        _rounds("(kernel done, plot) of the switch", switches)
        best = min(t for _, t in switches["explorer"])
        report(
            f"JupyterLab: picking {SWITCH_TO} in the explorer -> its plot visible",
            best,
            min(t for _, t in switches["bare"]),
            sizes="demo workspace; baseline: a cell drawing that model's bare figure, "
            "plotly already imported",
        )
        _target("switching evaluation", best, 2.0)
    finally:
        stop_group(proc)


def _lab_run(browser: Any, lab: Any, notebook: Path) -> tuple[float, float]:
    """One timed run in a fresh kernel; a run with no plot in time counts as infinitely slow."""
    try:
        return lab_cell_to_plot(browser, lab, notebook)
    except RuntimeError as exc:
        print(f"  {' '.join(str(exc).split())[:300]}", flush=True)
        return float("inf"), float("inf")
    finally:
        shut_down_kernels(lab)


def _lab_pick(browser: Any, lab: Any, notebook: Path) -> float:
    """One timed switch in the explorer; no plot in time counts as infinitely slow."""
    try:
        return lab_pick_to_plot(browser, lab, notebook, SWITCH_TO)
    except Exception as exc:  # Playwright's TimeoutError: say what happened
        print(f"  {' '.join(str(exc).split())[:300]}", flush=True)
        return float("inf")
    finally:
        shut_down_kernels(lab)


def bench_voila(browser: Any, home: Path) -> None:
    bare = write_notebook(home / "bare-dashboard.ipynb", [CONNECT, BARE])

    def demo(*extra: str) -> tuple[float, float]:
        run_home = Path(tempfile.mkdtemp(dir=home))
        return launch_to_plot(
            browser, clarinb_command("demo", "--port", str(free_port()), *extra), run_home
        )

    warm = demo()
    print(
        f"warm-up (first clarinb demo): URL at {format_seconds(warm[0])}, "
        f"first plot at {format_seconds(warm[1])}",
        flush=True,
    )
    times: dict[str, list[tuple[float, float]]] = {"demo": [], "bare": []}
    for _ in range(REPEAT):
        times["bare"].append(demo("--notebook", str(bare)))
        times["demo"].append(demo())
    _rounds("(URL printed, first plot)", times)
    best = min(t for _, t in times["demo"])
    report(
        "Voila: clarinb demo launch -> first dashboard plot visible",
        best,
        min(t for _, t in times["bare"]),
        sizes="demo workspace; baseline: clarinb demo --notebook of plotly express ROC AUC bars",
    )
    _target("clarinb demo", best, 8.0)


def bench_report(home: Path) -> None:
    import plotly.graph_objects as go
    from _synthetic_eval import TOP_K, synthetic_workspace

    from clarinb import connect
    from clarinb.emulator import serve
    from clarinb.report import write_report

    empty = len(go.Figure().to_html(include_plotlyjs=True).encode())
    print(f"baseline: an empty figure with plotly.js inlined, {empty:,} bytes")
    cases: list[tuple[str, Any, str]] = [("demo workspace", "demo", "all 6 demo evaluations")]
    for n in REPORT_SIZES:
        cases.append((f"{n:,} concepts", n, ""))
    for label, source, described in cases:
        data, sizes = source, described
        if isinstance(source, int):
            seconds, (data, n_inputs) = timed(lambda n=source: synthetic_workspace(n))
            sizes = (
                f"2 evaluations x {n_inputs} inputs, {min(TOP_K, source)} scores per input, "
                f"workspace made in {format_seconds(seconds)}"
            )
        with serve(data=data) as emulator:
            start = time.perf_counter()
            path = write_report(home / "report.html", connect(emulator=emulator))
            seconds = time.perf_counter() - start
        size = path.stat().st_size
        report(
            f"report size at {label}",
            size,
            empty,
            unit="bytes",
            sizes=f"{sizes}; written in {format_seconds(seconds)}",
        )
    print("(ratios below 1: the report is that fraction of plotly.js alone)")


def _rounds(what: str, times: dict[str, list[tuple[float, float]]]) -> None:
    rounds = (f"{k} {[(round(a, 2), round(b, 2)) for a, b in v]}" for k, v in times.items())
    print(f"  rounds {what}: " + ", ".join(rounds), flush=True)


def _target(what: str, seconds: float, target: float) -> None:
    verdict = "met" if seconds < target else "NOT met"
    print(f"  {what}: {format_seconds(seconds)} (target < {target:g} s: {verdict})", flush=True)


def main() -> None:
    warnings.simplefilter("ignore")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average at start (1, 5, 15 min): {load} on {os.cpu_count()} CPUs", flush=True)
    home = Path(tempfile.mkdtemp(prefix="clarinb-bench-browser-"))
    try:
        if PARTS & {"lab", "voila"}:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    if "lab" in PARTS:
                        bench_lab(browser, home)
                    if "voila" in PARTS:
                        bench_voila(browser, home)
                finally:
                    browser.close()
        if "report" in PARTS:
            bench_report(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
