"""A paired bootstrap whose work is bounded: every delta exact, intervals where affordable.

:func:`clarinb.metrics.paired_bootstrap` ranks every concept's scores once per
resample, so its work grows with inputs x concepts x resamples: at 1,000
concepts x 20,000 inputs and 1,000 resamples that is minutes.  Above a budget,
:func:`bounded_paired_bootstrap` computes every concept's delta exactly (one
pass over the matrices: :func:`clarinb.metrics.matrix_curves` for AUC and AP,
counts at the threshold for precision, recall and F1) and bootstraps only
the concepts whose metrics changed most, with fewer resamples; the others,
and the macro row, get no interval (verdict ``n/a``), and a note says so.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb.metrics.bootstrap import METRICS
from clarinb.metrics.compare import PairedComparison, align, paired_bootstrap
from clarinb.metrics.curve_matrix import matrix_operating_points
from clarinb.metrics.curves_fast import matrix_curves
from clarinb.metrics.matrix import TestSetMatrix

__all__ = ["BOOTSTRAP_BUDGET", "BOUNDED_RESAMPLES", "bounded_paired_bootstrap"]

#: Work allowed to the bootstrap: inputs x concepts x resamples.
BOOTSTRAP_BUDGET = 5 * 10**7
#: Resamples drawn when the budget is exceeded (fewer if asked for fewer).
BOUNDED_RESAMPLES = 200
_RANKED = ("roc_auc", "avg_precision")


def point_metrics(m: TestSetMatrix, threshold: float) -> pd.DataFrame:
    """Every concept's ROC AUC, AP (NaN where undefined) and precision, recall, F1 (0 there).

    Indexed by ``concept_id`` in the matrix's order; as the point estimates
    of :func:`clarinb.metrics.paired_bootstrap`.
    """
    areas = matrix_curves(m, max_points=2).scores
    at = matrix_operating_points(m, threshold)
    p, r = at["precision"].to_numpy(), at["tpr"].to_numpy()
    total = p + r
    f1 = np.divide(2 * p * r, total, out=np.zeros(len(p)), where=total > 0)
    return pd.DataFrame(
        {
            "roc_auc": areas["roc_auc"].to_numpy(dtype=float),
            "avg_precision": areas["avg_precision"].to_numpy(dtype=float),
            "precision": p,
            "recall": r,
            "f1": f1,
        },
        index=pd.Index(m.concepts.array, name="concept_id"),
    )


def bounded_paired_bootstrap(
    a: Any,
    b: Any,
    threshold: float = 0.5,
    *,
    ci: float = 0.95,
    n_resamples: int = 1000,
    seed: int | None = 0,
    names: tuple[str, str] = ("A", "B"),
    budget: int | None = None,
) -> tuple[PairedComparison, str]:
    """Paired bootstrap deltas B - A, restricted to a bounded amount of work.

    Parameters
    ----------
    a, b, threshold, ci, n_resamples, seed, names
        As :func:`clarinb.metrics.paired_bootstrap` (one threshold for all
        concepts).
    budget : int, optional
        Most inputs x concepts x resamples bootstrapped (by default
        :data:`BOOTSTRAP_BUDGET`).  Within it, the result is
        :func:`clarinb.metrics.paired_bootstrap`'s.

    Returns
    -------
    (PairedComparison, str)
        The comparison, and ``""`` or a note saying which concepts got
        intervals.  Above the budget, every concept's ``a``, ``b`` and
        ``delta`` are exact; intervals and verdicts only for the concepts
        of largest change (largest absolute delta over the five metrics),
        from at most :data:`BOUNDED_RESAMPLES` resamples; the macro row has
        its exact deltas and no interval.

    Raises
    ------
    InvalidArgumentError
        As :func:`clarinb.metrics.paired_bootstrap`.
    """
    ma, mb = align(a, b)
    n, k = ma.n_inputs, ma.n_concepts
    budget = BOOTSTRAP_BUDGET if budget is None else budget
    if n * k * n_resamples <= budget:
        out = paired_bootstrap(
            ma, mb, threshold, ci=ci, n_resamples=n_resamples, seed=seed, names=names
        )
        return out, ""
    resamples = min(n_resamples, BOUNDED_RESAMPLES)
    keep = int(max(1, min(k, budget // max(n * resamples, 1))))
    pa, pb = point_metrics(ma, threshold), point_metrics(mb, threshold)
    delta = pb - pa
    change = np.nan_to_num(np.abs(delta.to_numpy()), nan=-1.0).max(axis=1)
    chosen = np.sort(np.argsort(-change, kind="stable")[:keep])
    sub = paired_bootstrap(
        ma.subset(concepts=chosen),
        mb.subset(concepts=chosen),
        threshold,
        ci=ci,
        n_resamples=resamples,
        seed=seed,
        names=names,
    )
    parts = []
    for name in METRICS:
        part = pd.DataFrame(
            {
                "concept_id": ma.concepts.array,
                "metric": name,
                "a": pa[name].to_numpy(),
                "b": pb[name].to_numpy(),
                "delta": delta[name].to_numpy(),
                "delta_lo": np.nan,
                "delta_hi": np.nan,
                "undefined": resamples,
                "verdict": "n/a",
            }
        )
        got = sub.concepts[sub.concepts["metric"] == name]
        cols = ["delta_lo", "delta_hi", "undefined", "verdict"]
        part.loc[chosen, cols] = got[cols].to_numpy()
        parts.append(part)
    concepts = pd.concat(parts, ignore_index=True)
    concepts["undefined"] = concepts["undefined"].astype(int)
    both = {name: pa[name].notna() & pb[name].notna() for name in _RANKED}
    rows = []
    for name in METRICS:
        ok = both[name] if name in _RANKED else slice(None)
        ma_, mb_ = float(pa[name][ok].mean()), float(pb[name][ok].mean())
        rows.append((ma_, mb_, mb_ - ma_, np.nan, np.nan, resamples, "n/a"))
    macro = pd.DataFrame(
        rows,
        index=pd.Index(METRICS, name="metric"),
        columns=["a", "b", "delta", "delta_lo", "delta_hi", "undefined", "verdict"],
    )
    note = (
        f"intervals and verdicts on the {keep:,} of {k:,} concepts that changed most "
        f"({resamples} resamples), none for the macro average: bootstrapping all "
        f"{n:,} inputs x {k:,} concepts would take too long"
    )
    return PairedComparison(concepts, macro, names, n, sub.ci, resamples), note
