"""The paired results of a comparison view: each pair's comparison, verdict and McNemar's test.

Computed on first use and kept, per (baseline, other, threshold): the view
redraws without recomputing a pair it has seen.  The statistics are
:func:`clarinb.metrics.paired_bootstrap`, :func:`clarinb.metrics.verdict`
and :func:`clarinb.metrics.mcnemar`; this module only picks and keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from clarinb import metrics
from clarinb.metrics.compare import PairedComparison
from clarinb.metrics.compare_bounded import bounded_paired_bootstrap
from clarinb.metrics.matrix import TestSetMatrix, as_matrix
from clarinb.metrics.significance import McNemarResult

__all__ = ["PairedResults"]

_ROW_COLUMNS = ["delta", "delta_lo", "delta_hi", "verdict"]


class PairedResults:
    """Paired comparisons of models with test sets, computed once each.

    Parameters
    ----------
    test_sets : mapping of str to DataFrame or TestSetMatrix
        Label -> test set (labels without one get no interval).  Above a
        size budget only the concepts that changed most get intervals (see
        :func:`clarinb.metrics.compare_bounded.bounded_paired_bootstrap`);
        :meth:`note` says so.
    ci, n_resamples, seed
        As :func:`clarinb.metrics.paired_bootstrap`.
    """

    def __init__(
        self, test_sets: Mapping[str, pd.DataFrame], *, ci: float, n_resamples: int, seed: int
    ) -> None:
        self._sets = dict(test_sets)
        self._ci, self._n_resamples, self._seed = ci, n_resamples, seed
        self._matrices: dict[str, TestSetMatrix] = {}
        self._pairs: dict[tuple[str, str, float], PairedComparison | None] = {}
        self._notes: dict[tuple[str, str, float], str] = {}
        self._tests: dict[tuple[str, str], McNemarResult | None] = {}

    def has(self, label: str) -> bool:
        """Whether ``label`` has a test set."""
        return label in self._sets

    def _matrix(self, label: str) -> TestSetMatrix:
        if label not in self._matrices:
            given = self._sets[label]
            self._matrices[label] = as_matrix(given)
        return self._matrices[label]

    def comparison(self, baseline: str, other: str, threshold: float) -> PairedComparison | None:
        """Compare ``other`` with ``baseline``, paired; ``None`` without both test sets."""
        key = (baseline, other, threshold)
        if key not in self._pairs:
            found, note = (
                bounded_paired_bootstrap(
                    self._matrix(baseline),
                    self._matrix(other),
                    threshold,
                    ci=self._ci,
                    n_resamples=self._n_resamples,
                    seed=self._seed,
                    names=(baseline, other),
                )
                if self.has(baseline) and self.has(other)
                else (None, "")
            )
            self._pairs[key], self._notes[key] = found, note
        return self._pairs[key]

    def note(self, baseline: str, other: str, threshold: float) -> str:
        """Say which concepts of the pair got intervals when not all did ("" when all did)."""
        self.comparison(baseline, other, threshold)
        return self._notes.get((baseline, other, threshold), "")

    def verdict(self, baseline: str, other: str, metric: str, threshold: float) -> str:
        """Say the pair's verdict, or why there is none."""
        comparison = self.comparison(baseline, other, threshold)
        if comparison is None:
            return (
                f"{other} compared with {baseline} on {metric}: no test sets given, "
                "so no intervals and no verdict"
            )
        note = self.note(baseline, other, threshold)
        line = metrics.verdict(comparison, metric)
        return f"{line}; {note}" if note else line

    def mcnemar(self, baseline: str, other: str) -> McNemarResult | None:
        """McNemar's test of the pair when both are single-label classifiers with test sets."""
        key = (baseline, other)
        if key not in self._tests:
            single = all(
                self.has(label) and metrics.label_kind(self._matrix(label)) == "single-label"
                for label in key
            )
            self._tests[key] = (
                metrics.mcnemar(self._matrix(baseline), self._matrix(other)) if single else None
            )
        return self._tests[key]

    def rows(
        self,
        baseline: str,
        other: str,
        metric: str,
        threshold: float,
        fallback: pd.Series,
    ) -> pd.DataFrame:
        """Per-concept ``delta``, ``delta_lo``, ``delta_hi``, ``verdict`` of the pair.

        Indexed like ``fallback`` (the deltas of the evaluations' own metrics,
        used without test sets: no interval, verdict ``n/a``), largest gain
        first, unknown deltas last.
        """
        comparison = self.comparison(baseline, other, threshold)
        if comparison is None:
            rows = pd.DataFrame({"delta": fallback, "delta_lo": np.nan, "delta_hi": np.nan})
            rows["verdict"] = "n/a"
        else:
            long = comparison.concepts
            rows = long[long["metric"] == metric].set_index("concept_id")[_ROW_COLUMNS]
        rows = rows.reindex(fallback.index)
        rows["verdict"] = rows["verdict"].fillna("n/a")
        key = rows["delta"].fillna(-np.inf)
        return rows.loc[key.sort_values(ascending=False, kind="stable").index]
