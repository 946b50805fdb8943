"""Static reports: one standalone HTML file of evaluations and dataset versions.

The report opens with a summary a reader can forward: which model is best,
by how much (with bootstrap intervals), on which concepts and how many test
inputs, and whether the differences are beyond noise (paired bootstrap).
Classifiers come before detectors; each evaluation shows its worst and best
concepts' curves, per-concept metrics with intervals and the inputs most
likely mislabelled. plotly.js is carried once, packed (no CDN, no kernel:
the file opens offline), and every text taken from the data is HTML-escaped,
so a concept named ``<img src=x onerror=alert(1)>`` shows as text and runs
nothing.

Examples
--------
>>> import clarinb  # doctest: +SKIP
>>> write_report("report.html", clarinb.connect())  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from clarinb._atomic import write_text
from clarinb._html import Section, page
from clarinb._version import __version__
from clarinb.errors import InvalidArgumentError
from clarinb.evaluation import Evaluation
from clarinb.report._analysis import analyse
from clarinb.report._sections import comparison_section, dataset_section, evaluation_section
from clarinb.report._summary import summary_section

__all__ = ["build_report", "write_report"]


def build_report(
    client: Any,
    evaluations: Iterable[str | Evaluation] | None = None,
    *,
    dataset_versions: Iterable[tuple[str, str]] = (),
    title: str = "clarinb report",
) -> str:
    """Build the report's HTML text.

    Parameters
    ----------
    client : clarinb.Client or None
        Where to read from (the real API, or an emulator serving a snapshot);
        ``None`` when every evaluation is given as a read model (the
        dataset-version overview is then left out).
    evaluations : iterable of str or clarinb.Evaluation, optional
        Evaluation ids (fetched) or read models (used as they are); all
        evaluations of the app by default.
    dataset_versions : iterable of (str, str)
        More dataset versions for the overview, besides the evaluations' own.
    title : str
        The page title.

    Returns
    -------
    str
        The standalone HTML document.

    Raises
    ------
    InvalidArgumentError
        When there is nothing to report.
    clarinb.ApiError
        When an evaluation cannot be fetched.
    """
    if evaluations is None and client is None:
        raise InvalidArgumentError("give a client, or the evaluations to report as read models.")
    ids = list(evaluations) if evaluations is not None else list(client.evaluations()["id"])
    versions = list(dataset_versions)
    if not ids and not versions:
        raise InvalidArgumentError("nothing to report: no evaluations and no dataset versions.")
    given = {ev.id: ev for ev in ids if isinstance(ev, Evaluation)}
    if len(given) < len(ids) and client is None:
        raise InvalidArgumentError("evaluation ids need a client to fetch them from.")
    fetched = [
        given[key] if key in given else Evaluation.fetch(client, key)
        for key in dict.fromkeys(ev.id if isinstance(ev, Evaluation) else ev for ev in ids)
    ]
    # classifiers first, then detectors; otherwise in the order asked
    evs = sorted(fetched, key=lambda ev: ev.kind == "detector")
    analysis = analyse(evs)
    sections: list[Section] = [summary_section(evs, analysis)] if evs else []
    sections += [
        evaluation_section(ev, f"evaluation-{i + 1}", analysis) for i, ev in enumerate(evs)
    ]
    compare = comparison_section(analysis)
    if compare is not None:
        sections.append(compare)
    versions = [(ev.dataset_id, ev.dataset_version_id) for ev in evs if ev.dataset_id] + versions
    if versions and client is not None:
        sections.append(dataset_section(client, list(dict.fromkeys(versions))))
    return page(title, sections, footer=f"Made with clarinb {__version__}.", pack_plotlyjs=True)


def write_report(path: str | Path, client: Any, *args: Any, **kwargs: Any) -> Path:
    """Write :func:`build_report` to ``path`` (UTF-8) atomically and return the path.

    The report is built first and then written beside ``path`` and moved over
    it, so a failure at any point leaves a previous file there as it was.

    Raises
    ------
    clarinb.ClarinbError
        As :func:`build_report`, or when the file cannot be written.
    """
    return write_text(path, build_report(client, *args, **kwargs))
