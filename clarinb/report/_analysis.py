"""What the report's summary and comparison say: intervals, the best model, the verdicts.

The numbers come from :mod:`clarinb.metrics` (bootstrap intervals, paired
bootstrap, cleanlab's label issues); this module only picks what to compare
and keeps the results for the sections.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from clarinb import metrics
from clarinb.evaluation import Evaluation
from clarinb.metrics.bootstrap import BootstrapIntervals
from clarinb.metrics.compare import PairedComparison

__all__ = ["HEADLINE", "N_RESAMPLES", "Analysis", "analyse", "comparable"]

#: Bootstrap resamples of every interval in the report.
N_RESAMPLES = 1000
#: The metric the best model is chosen by, and the verdicts are about.
HEADLINE = "avg_precision"


@dataclass
class Analysis:
    """Intervals of each evaluation with a test set, and the comparison of the largest group.

    Attributes
    ----------
    intervals : dict of str to BootstrapIntervals
        Evaluation id -> its intervals.
    group : list of Evaluation
        The evaluations compared (best first), empty when fewer than two share their concepts.
    paired : list of PairedComparison
        The best against each other member of ``group`` (A: the other, B: the best).
    """

    intervals: dict[str, BootstrapIntervals] = field(default_factory=dict)
    group: list[Evaluation] = field(default_factory=list)
    paired: list[PairedComparison] = field(default_factory=list)

    @property
    def best(self) -> Evaluation | None:
        """The best evaluation of the group by macro :data:`HEADLINE`, if there is a group."""
        return self.group[0] if self.group else None

    def macro(self, ev: Evaluation) -> pd.Series | None:
        """Return the macro row of :data:`HEADLINE` (value, lo, hi) of ``ev``, if any."""
        found = self.intervals.get(ev.id)
        return None if found is None else found.macro.loc[HEADLINE]


def _usable(ev: Evaluation) -> bool:
    return ev.kind != "detector" and not (ev.is_failed or ev.is_pending)


def comparable(evaluations: Sequence[Evaluation]) -> list[Evaluation]:
    """Return the largest group (2 to 6) of evaluated classifiers sharing concepts, or []."""
    groups: dict[frozenset[str], list[Evaluation]] = {}
    for ev in evaluations:
        if _usable(ev):
            groups.setdefault(frozenset(ev.concepts), []).append(ev)
    same = max(groups.values(), key=len, default=[])[:6]
    return same if len(same) >= 2 else []


def analyse(evaluations: Sequence[Evaluation], threshold: float = 0.5) -> Analysis:
    """Compute the intervals of every classifier with a test set, and compare the largest group.

    Parameters
    ----------
    evaluations : sequence of Evaluation
        The report's evaluations.
    threshold : float
        Threshold of precision, recall and F1.

    Returns
    -------
    Analysis
        The best of the group is the one with the highest macro average
        precision; it is compared with each other one by paired bootstrap
        over their shared test inputs.
    """
    found = Analysis()
    tests: dict[str, pd.DataFrame] = {}
    for ev in evaluations:
        ts = ev.test_set_or_none() if _usable(ev) else None
        if ts is not None and len(ts):
            tests[ev.id] = ts
            found.intervals[ev.id] = metrics.bootstrap_intervals(
                ts, threshold, n_resamples=N_RESAMPLES
            )
    group = [ev for ev in comparable(evaluations) if ev.id in tests]
    if len(group) < 2:
        return found
    group.sort(key=lambda ev: -float(found.intervals[ev.id].macro["value"][HEADLINE]))
    best = group[0]
    found.group = group
    found.paired = [
        metrics.paired_bootstrap(
            tests[other.id],
            tests[best.id],
            threshold,
            n_resamples=N_RESAMPLES,
            names=(other.model_id or other.id, best.model_id or best.id),
        )
        for other in group[1:]
    ]
    return found
