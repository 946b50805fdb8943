"""Curve arithmetic for the curve views: joined points, areas, averages, operating points."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate as validate

__all__ = [
    "CURVE_COLUMNS",
    "check_curve_frame",
    "area_scores",
    "decimate",
    "thin",
    "join_points",
    "macro_average",
    "micro_average",
    "operating_points",
    "pooled_curves",
]

#: Columns of a joined point frame.
CURVE_COLUMNS = ["concept_id", "threshold", "fpr", "tpr", "precision"]
_GRID = np.linspace(0.0, 1.0, 101)


def check_curve_frame(frame: Any, what: str, rates: list[str]) -> pd.DataFrame:
    """Validate a ROC or PR frame: a DataFrame with ``concept_id``, ``threshold`` and ``rates``.

    Rates must be numbers (NaN allowed, infinities refused); concept ids
    strings or numbers.
    """
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


def thin(frame: pd.DataFrame, limit: int | None) -> pd.DataFrame:
    """Keep at most ``limit`` evenly spaced rows of each concept's curve, ends included.

    Rows keep their order within each concept; concepts are grouped in
    first-seen order.  ``None`` keeps everything.
    """
    codes, _ = pd.factorize(frame["concept_id"])
    order = np.argsort(codes, kind="stable")
    starts = np.r_[0, np.flatnonzero(np.diff(codes[order])) + 1]
    sizes = np.diff(np.r_[starts, len(order)])
    if limit is None or (sizes <= limit).all():
        return frame.iloc[order]
    picks = []
    for start, size in zip(starts, sizes, strict=True):
        if size <= limit:
            picks.append(order[start : start + size])
        else:
            idx = np.unique(np.linspace(0, size - 1, limit).round().astype(int))
            picks.append(order[start + idx])
    return frame.iloc[np.concatenate(picks)]


def join_points(roc: pd.DataFrame, pr: pd.DataFrame, *, limit: int | None = None) -> pd.DataFrame:
    """Join ROC and PR points of each concept on their threshold.

    Parameters
    ----------
    roc : pandas.DataFrame
        ``concept_id``, ``threshold``, ``fpr``, ``tpr``.
    pr : pandas.DataFrame
        ``concept_id``, ``threshold``, ``precision``, ``recall``.
    limit : int, optional
        Thin each concept's curves to about this many points first (for
        drawing; the kept points are exact).

    Returns
    -------
    pandas.DataFrame
        ``concept_id`` (str), ``threshold``, ``fpr``, ``tpr`` (= recall) and
        ``precision``, one row per threshold seen in either frame (NaN where
        one curve has no point), sorted by concept then descending threshold.

    Examples
    --------
    >>> import pandas as pd
    >>> roc = pd.DataFrame({"concept_id": ["a"], "threshold": [0.5], "fpr": [0.1], "tpr": [0.8]})
    >>> pr = pd.DataFrame({"concept_id": ["a"], "threshold": [0.5], "precision": [0.9],
    ...                    "recall": [0.8]})
    >>> join_points(roc, pr)[["fpr", "precision"]].to_numpy().tolist()
    [[0.1, 0.9]]
    """
    roc = check_curve_frame(roc, "ROC", ["fpr", "tpr"])
    pr = check_curve_frame(pr, "PR", ["precision", "recall"])
    left = thin(roc[["concept_id", "threshold", "fpr", "tpr"]], limit)
    right = thin(pr[["concept_id", "threshold", "precision", "recall"]], limit)
    left = left.astype({"concept_id": str})
    right = right.astype({"concept_id": str})
    joined = left.merge(right, on=["concept_id", "threshold"], how="outer", sort=False)
    joined["tpr"] = joined["tpr"].fillna(joined["recall"])
    joined = joined.drop(columns="recall")
    order = pd.unique(pd.concat([left["concept_id"], right["concept_id"]]))
    joined["concept_id"] = pd.Categorical(joined["concept_id"], categories=order)
    joined = joined.sort_values(["concept_id", "threshold"], ascending=[True, False])
    joined["concept_id"] = joined["concept_id"].astype(str)
    return joined[CURVE_COLUMNS].reset_index(drop=True)


def _roc_area(fpr: np.ndarray, tpr: np.ndarray) -> float:
    ok = ~(np.isnan(fpr) | np.isnan(tpr))
    if ok.sum() < 2:
        return float("nan")
    order = np.lexsort((tpr[ok], fpr[ok]))
    return float(np.trapezoid(tpr[ok][order], fpr[ok][order]))


def _average_precision(recall: np.ndarray, precision: np.ndarray) -> float:
    ok = ~(np.isnan(recall) | np.isnan(precision))
    if not ok.any():
        return float("nan")
    order = np.lexsort((-precision[ok], recall[ok]))
    r = np.concatenate([[0.0], recall[ok][order]])
    p = precision[ok][order]
    return float(np.sum(np.diff(r) * p))


def _split(points: pd.DataFrame) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """Per concept (in first-seen order): its fpr, tpr and precision arrays."""
    codes, uniques = pd.factorize(points["concept_id"])
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    cols = [points[c].to_numpy(dtype=float)[order] for c in ("fpr", "tpr", "precision")]
    parts = [np.split(col, bounds) for col in cols]
    return [(str(uniques[i]), parts[0][i], parts[1][i], parts[2][i]) for i in range(len(uniques))]


def area_scores(roc: pd.DataFrame, pr: pd.DataFrame) -> pd.DataFrame:
    """ROC AUC (trapezoid) and average precision (step sum) of each concept's curves.

    Returns
    -------
    pandas.DataFrame
        ``concept_id``, ``roc_auc``, ``avg_precision``, concepts in ROC order.
    """
    roc_part = roc.assign(precision=np.nan)
    pr_part = pr.rename(columns={"recall": "tpr"}).assign(fpr=np.nan)
    auc = {c: _roc_area(f, t) for c, f, t, _ in _split(roc_part)}
    ap = {c: _average_precision(t, p) for c, _, t, p in _split(pr_part)}
    concepts = list(dict.fromkeys([*auc, *ap]))
    return pd.DataFrame(
        {
            "concept_id": concepts,
            "roc_auc": [auc.get(c, float("nan")) for c in concepts],
            "avg_precision": [ap.get(c, float("nan")) for c in concepts],
        }
    )


def decimate(group: pd.DataFrame, limit: int = 200) -> pd.DataFrame:
    """Keep at most ``limit`` evenly spaced points of one curve, ends included."""
    if len(group) <= limit:
        return group
    keep = np.unique(np.linspace(0, len(group) - 1, limit).round().astype(int))
    return group.iloc[keep]


def operating_points(points: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Each concept's point at a threshold: the lowest curve threshold at or above it.

    Returns
    -------
    pandas.DataFrame
        One row per concept that has such a point, columns as :data:`CURVE_COLUMNS`.
    """
    above = points[points["threshold"] >= threshold]
    picked = above.sort_values("threshold", kind="stable").drop_duplicates("concept_id")
    order = pd.unique(points["concept_id"])
    return picked.set_index("concept_id").reindex(order).dropna(how="all").reset_index()


#: Above this many pooled pairs the micro curve is taken at a fixed grid of thresholds.
POOLED_EXACT_MAX = 200_000
_POOLED_GRID = 4001


def _pooled_on_grid(scores: np.ndarray, truth: np.ndarray) -> pd.DataFrame:
    """Curve points at evenly spaced thresholds: each point exact, found without a sort."""
    low, high = float(scores.min()), float(scores.max())
    edges = np.linspace(low, high, _POOLED_GRID) if high > low else np.array([low, low + 1e-12])
    pos, _ = np.histogram(scores[truth], bins=edges)
    allc, _ = np.histogram(scores, bins=edges)
    tp = np.cumsum(pos[::-1])[::-1].astype(float)  # scores >= each left edge
    pp = np.cumsum(allc[::-1])[::-1].astype(float)
    fp = pp - tp
    total_pos, total_neg = max(tp[0], 1.0), max(fp[0], 1.0)
    keep = np.r_[True, np.diff(pp) != 0]  # one point per distinct count
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(pp > 0, tp / pp, 1.0)
    frame = pd.DataFrame(
        {"threshold": edges[:-1], "fpr": fp / total_neg, "tpr": tp / total_pos,
         "precision": precision}
    )  # fmt: skip
    return frame[keep].iloc[::-1].reset_index(drop=True)


def pooled_curves(scores: np.ndarray, truth: np.ndarray) -> pd.DataFrame:
    """Curve points of pooled (score, truth) pairs.

    One exact point per distinct score up to :data:`POOLED_EXACT_MAX` pairs;
    above, exact points at 4,001 evenly spaced thresholds (drawing needs no
    more, and no sort of millions of scores is done).

    Returns
    -------
    pandas.DataFrame
        ``threshold``, ``fpr``, ``tpr``, ``precision`` in descending threshold.
    """
    truth = truth.astype(bool)
    if scores.size > POOLED_EXACT_MAX:
        return _pooled_on_grid(scores, truth)
    order = np.argsort(-scores, kind="stable")
    s = scores[order]
    y = truth[order].astype(float)
    last = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]
    tp = np.cumsum(y)[last]
    fp = (last + 1) - tp
    pos, neg = max(tp[-1], 1.0), max(fp[-1], 1.0)
    return pd.DataFrame(
        {"threshold": s[last], "fpr": fp / neg, "tpr": tp / pos, "precision": tp / (tp + fp)}
    )


def micro_average(
    points: pd.DataFrame,
    counts: pd.DataFrame | None = None,
    test_set: pd.DataFrame | None = None,
) -> pd.DataFrame | None:
    """Compute the micro-average curve: every (input, concept) decision pooled.

    Exact from the test set when given; otherwise from the per-concept curves
    and positive/negative counts when every concept shares one threshold grid
    (as Clarifai's 0.01 grid). ``None`` when neither is possible.

    Parameters
    ----------
    points : pandas.DataFrame
        From :func:`join_points`.
    counts : pandas.DataFrame, optional
        ``concept_id``, ``num_pos``, ``num_neg``.
    test_set : pandas.DataFrame, optional
        As :func:`clarinb.frames.test_set`.

    Returns
    -------
    pandas.DataFrame or None
        ``threshold``, ``fpr``, ``tpr``, ``precision``.
    """
    if test_set is not None:
        return pooled_curves(
            test_set["score"].to_numpy(dtype=float), test_set["ground_truth"].to_numpy(dtype=bool)
        )
    if counts is None or not {"num_pos", "num_neg"} <= set(counts.columns):
        return None
    base = counts[["concept_id", "num_pos", "num_neg"]].astype({"concept_id": str})
    merged = points.merge(base, on="concept_id", how="inner")
    if merged.empty or merged[["fpr", "tpr"]].isna().to_numpy().any():
        return None
    grid = merged.groupby("threshold")["concept_id"].nunique()
    if (grid != merged["concept_id"].nunique()).any():
        return None
    merged["tp"] = merged["tpr"] * merged["num_pos"]
    merged["fp"] = merged["fpr"] * merged["num_neg"]
    sums = merged.groupby("threshold")[["tp", "fp", "num_pos", "num_neg"]].sum()
    sums = sums.sort_index(ascending=False)
    predicted = sums["tp"] + sums["fp"]
    return pd.DataFrame(
        {
            "threshold": sums.index.to_numpy(),
            "fpr": (sums["fp"] / sums["num_neg"].clip(lower=1)).to_numpy(),
            "tpr": (sums["tp"] / sums["num_pos"].clip(lower=1)).to_numpy(),
            "precision": (sums["tp"] / predicted.where(predicted > 0)).fillna(1.0).to_numpy(),
        }
    )


def macro_average(points: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Macro-average curves: the mean over concepts on a fixed grid.

    ROC: mean TPR at FPR 0, 0.01, ..., 1 (linear interpolation). PR: mean
    interpolated precision (the best precision at that recall or above) at
    recall 0, 0.01, ..., 1.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``fpr``, ``tpr`` and ``recall``, ``precision``.
    """
    tprs, precs = [], []
    for _, fpr_all, tpr_all, prec_all in _split(points):
        ok = ~(np.isnan(fpr_all) | np.isnan(tpr_all))
        if ok.sum() >= 2:
            order = np.lexsort((tpr_all[ok], fpr_all[ok]))
            tprs.append(np.interp(_GRID, fpr_all[ok][order], tpr_all[ok][order]))
        ok = ~(np.isnan(tpr_all) | np.isnan(prec_all))
        if ok.any():
            r, p = tpr_all[ok], prec_all[ok]
            order = np.argsort(r, kind="stable")
            best = np.maximum.accumulate(p[order][::-1])[::-1]
            pos = np.searchsorted(r[order], _GRID, side="left")
            precs.append(np.where(pos < r.size, best[np.minimum(pos, r.size - 1)], 0.0))
    roc_avg = pd.DataFrame(
        {"fpr": _GRID, "tpr": np.mean(tprs, axis=0) if tprs else np.full(_GRID.size, np.nan)}
    )
    pr_avg = pd.DataFrame(
        {"recall": _GRID, "precision": np.mean(precs, axis=0) if precs else np.nan}
    )
    return roc_avg, pr_avg
