"""Given ROC and precision-recall curve frames: their areas, joined points and operating points.

The curves are frames as :func:`clarinb.frames.roc_curves` and
:func:`clarinb.frames.pr_curves` return them (the service's points) or as
:func:`clarinb.metrics.curves` computes them; every function works on all
concepts at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb.metrics.threshold import at_threshold

__all__ = [
    "CURVE_COLUMNS",
    "check_curve_frame",
    "curve_areas",
    "exact_operating_points",
    "join_points",
    "operating_points",
]

#: Columns of a joined point frame.
CURVE_COLUMNS = ["concept_id", "threshold", "fpr", "tpr", "precision"]
_RATES = {"ROC": ["fpr", "tpr"], "PR": ["precision", "recall"]}


def check_curve_frame(frame: Any, what: str) -> pd.DataFrame:
    """Check a ``"ROC"`` or ``"PR"`` frame: ``concept_id``, ``threshold`` and its two rates.

    Rates must be numbers (NaN allowed, infinities refused); concept ids
    strings or numbers.

    Returns
    -------
    pandas.DataFrame
        The frame, its threshold and rates as floats.

    Raises
    ------
    InvalidArgumentError
        For anything else.
    """
    rates = _RATES[what]
    name = f"the {what} frame"
    hint = f"build it with clarinb.frames.{what.lower()}_curves()"
    checked = validate.frame(
        frame, name, columns=["concept_id"], numeric=["threshold", *rates], hint=hint
    )
    validate.finite_columns(checked, name, rates, hint=hint)
    validate.ids(checked["concept_id"], f"every concept_id of {name}", hint=hint)
    numbers = ["threshold", *rates]
    if all(pd.api.types.is_float_dtype(checked[c].dtype) for c in numbers):
        return checked
    return checked.assign(**{c: pd.to_numeric(checked[c]).astype(float) for c in numbers})


def join_points(roc: pd.DataFrame, pr: pd.DataFrame) -> pd.DataFrame:
    """Join ROC and PR points of each concept on their threshold.

    Parameters
    ----------
    roc : pandas.DataFrame
        ``concept_id``, ``threshold``, ``fpr``, ``tpr``.
    pr : pandas.DataFrame
        ``concept_id``, ``threshold``, ``precision``, ``recall``.

    Returns
    -------
    pandas.DataFrame
        ``concept_id`` (str), ``threshold``, ``fpr``, ``tpr`` (= recall) and
        ``precision``, one row per threshold seen in either frame (NaN where
        one curve has no point), concepts in first-seen order, thresholds
        descending.

    Examples
    --------
    >>> import pandas as pd
    >>> roc = pd.DataFrame({"concept_id": ["a"], "threshold": [0.5], "fpr": [0.1], "tpr": [0.8]})
    >>> pr = pd.DataFrame({"concept_id": ["a"], "threshold": [0.5], "precision": [0.9],
    ...                    "recall": [0.8]})
    >>> join_points(roc, pr)[["fpr", "precision"]].to_numpy().tolist()
    [[0.1, 0.9]]
    """
    roc = check_curve_frame(roc, "ROC")
    pr = check_curve_frame(pr, "PR")
    left = roc[["concept_id", "threshold", "fpr", "tpr"]].astype({"concept_id": str})
    right = pr[["concept_id", "threshold", "precision", "recall"]].astype({"concept_id": str})
    joined = left.merge(right, on=["concept_id", "threshold"], how="outer", sort=False)
    joined["tpr"] = joined["tpr"].fillna(joined["recall"])
    order = pd.unique(pd.concat([left["concept_id"], right["concept_id"]]))
    joined["concept_id"] = pd.Categorical(joined["concept_id"], categories=order)
    joined = joined.sort_values(["concept_id", "threshold"], ascending=[True, False])
    joined["concept_id"] = joined["concept_id"].astype(str)
    return joined[CURVE_COLUMNS].reset_index(drop=True)


def _ids(frame: pd.DataFrame) -> pd.Index:
    """List the concept ids (str) of a frame in first-seen order."""
    return pd.Index(np.asarray(pd.factorize(frame["concept_id"])[1], dtype=object)).astype(str)


def _concepts(*frames: pd.DataFrame) -> pd.Index:
    """List the concept ids (str) of several frames, in first-seen order."""
    found = [_ids(frame) for frame in frames]
    return found[0].append(found[1:]).unique() if found else pd.Index([])


def _grouped(
    frame: pd.DataFrame, x: str, y: str, y_first: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index]:
    """Known (x, y) points sorted by concept code, then x, then y (descending with ``y_first``).

    Returns the codes, x and y in that order, and the concept id (str) of each code.
    """
    xs = frame[x].to_numpy(dtype=float)
    ys = frame[y].to_numpy(dtype=float)
    known = ~(np.isnan(xs) | np.isnan(ys))
    codes, uniques = pd.factorize(frame["concept_id"])
    ids = pd.Index(np.asarray(uniques, dtype=object)).astype(str)  # as _ids
    codes, xs, ys = codes[known], xs[known], ys[known]
    order = _order(codes, xs, -ys if y_first else ys)
    return codes[order], xs[order], ys[order], ids


def _order(codes: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Sort order by (code, x, y); without a sort when each concept's points come in order.

    Curves are usually stored point after point (by threshold), so each
    concept's run is already sorted, or sorted backwards; a full sort is the
    fallback.
    """
    n = len(codes)
    step = np.diff(codes)
    if n > 1 and (step >= 0).all():
        dx, dy, within = np.diff(xs), np.diff(ys), step == 0
        if ((dx > 0) | ((dx == 0) & (dy >= 0)) | ~within).all():
            return np.arange(n)
        if ((dx < 0) | ((dx == 0) & (dy <= 0)) | ~within).all():  # each run backwards
            starts = np.r_[0, np.flatnonzero(step) + 1]
            ends = np.r_[starts[1:], n]
            run = np.repeat(np.arange(len(starts)), ends - starts)
            return ends[run] - 1 - (np.arange(n) - starts[run])
    return np.lexsort((ys, xs, codes))


def curve_areas(roc: pd.DataFrame, pr: pd.DataFrame) -> pd.DataFrame:
    """ROC AUC (trapezoids) and average precision (steps) of each concept's curve points.

    On the exact curves of :func:`clarinb.metrics.curves` these equal
    scikit-learn's ``roc_auc_score`` and ``average_precision_score``; on the
    service's curves (points at fixed thresholds) they approximate them.

    Returns
    -------
    pandas.DataFrame
        ``concept_id`` (str), ``roc_auc``, ``avg_precision``, concepts in
        first-seen order (ROC, then PR); NaN where a concept has fewer than
        two ROC points or no PR point.

    Raises
    ------
    InvalidArgumentError
        For malformed frames.
    """
    roc = check_curve_frame(roc, "ROC")
    pr = check_curve_frame(pr, "PR")
    index = _concepts(roc, pr)
    concepts = index.to_numpy()
    auc = np.full(len(index), np.nan)
    ap = np.full(len(index), np.nan)
    g, fpr, tpr, ids = _grouped(roc, "fpr", "tpr", y_first=False)
    if len(g):
        same = np.r_[False, g[1:] == g[:-1]]  # the point continues its concept's curve
        pieces = np.where(same, np.diff(fpr, prepend=0.0) * (tpr + np.r_[0.0, tpr[:-1]]) / 2, 0)
        sums = np.bincount(g, weights=pieces, minlength=len(ids))
        points = np.bincount(g, minlength=len(ids))
        auc[index.get_indexer(ids)] = np.where(points >= 2, sums, np.nan)
    g, rec, prec, ids = _grouped(pr, "recall", "precision", y_first=True)
    if len(g):
        same = np.r_[False, g[1:] == g[:-1]]
        steps = (rec - np.where(same, np.r_[0.0, rec[:-1]], 0.0)) * prec
        points = np.bincount(g, minlength=len(ids))
        sums = np.bincount(g, weights=steps, minlength=len(ids))
        ap[index.get_indexer(ids)] = np.where(points >= 1, sums, np.nan)
    return pd.DataFrame({"concept_id": concepts, "roc_auc": auc, "avg_precision": ap})


def _at(frame: pd.DataFrame, threshold: float, columns: list[str]) -> pd.DataFrame:
    """Each concept's row of lowest threshold at or above ``threshold``."""
    above = frame[frame["threshold"] >= threshold]
    picked = above.sort_values("threshold", kind="stable").drop_duplicates("concept_id")
    return picked[["concept_id", *columns]].astype({"concept_id": str})


def operating_points(roc: pd.DataFrame, pr: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Each concept's curve point at a threshold: the lowest curve threshold at or above it.

    Returns
    -------
    pandas.DataFrame
        ``concept_id`` (str), ``threshold`` (the ROC point's, else the PR
        point's), ``fpr``, ``tpr`` (the recall where the ROC has no point)
        and ``precision``; one row per concept with such a point, in
        first-seen order.

    Raises
    ------
    InvalidArgumentError
        For malformed frames.
    """
    roc = check_curve_frame(roc, "ROC")
    pr = check_curve_frame(pr, "PR")
    order = _concepts(roc, pr)
    a = _at(roc, threshold, ["threshold", "fpr", "tpr"]).set_index("concept_id")
    b = _at(pr, threshold, ["threshold", "precision", "recall"]).set_index("concept_id")
    b = b.rename(columns={"threshold": "threshold_pr"})
    both = a.join(b, how="outer").reindex(order).dropna(how="all")
    return pd.DataFrame(
        {
            "concept_id": both.index.to_numpy(dtype=str),
            "threshold": both["threshold"].fillna(both["threshold_pr"]).to_numpy(dtype=float),
            "fpr": both["fpr"].to_numpy(dtype=float),
            "tpr": both["tpr"].fillna(both["recall"]).to_numpy(dtype=float),
            "precision": both["precision"].to_numpy(dtype=float),
        }
    )


def exact_operating_points(ts: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Each concept's exact ROC and PR point at a threshold, from a test set.

    Returns
    -------
    pandas.DataFrame
        ``concept_id`` (str), ``threshold``, ``fpr`` (NaN for a concept
        without negatives), ``tpr`` (= recall) and ``precision`` (0 where
        nothing is predicted, as :func:`clarinb.metrics.at_threshold`).

    Raises
    ------
    InvalidArgumentError
        As :func:`clarinb.metrics.at_threshold`.
    """
    at = at_threshold(ts, threshold)
    fp = at["fp"].to_numpy(dtype=float)
    negatives = fp + at["tn"].to_numpy(dtype=float)
    fpr = np.divide(fp, negatives, out=np.full(len(at), np.nan), where=negatives > 0)
    return pd.DataFrame(
        {
            "concept_id": at["concept_id"].astype(str).to_numpy(),
            "threshold": at["threshold"].to_numpy(dtype=float),
            "fpr": fpr,
            "tpr": at["recall"].to_numpy(dtype=float),
            "precision": at["precision"].to_numpy(dtype=float),
        }
    )
