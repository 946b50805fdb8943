"""Threshold-free metrics: ROC and precision-recall curves, ROC AUC and average precision.

All concepts are ranked in one sort (scores descending, then concepts by
code); cumulative sums then give every concept's curve at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from clarinb.errors import InvalidArgumentError
from clarinb.metrics._arrays import TestSetArrays, read_test_set

__all__ = ["curves", "scores"]


@dataclass(frozen=True)
class _Points:
    """Curve points of every concept: one per distinct score, concepts in code order."""

    concepts: pd.Index
    group: np.ndarray  # concept code of each point
    threshold: np.ndarray
    tps: np.ndarray  # weighted true positives at or above the threshold
    fps: np.ndarray
    prev_tps: np.ndarray  # the previous point of the same concept, 0 for the first
    prev_fps: np.ndarray
    pos: np.ndarray  # per concept code: positives
    neg: np.ndarray  # per concept code: negatives
    starts: np.ndarray  # index of each present concept's first point
    present: np.ndarray  # codes of concepts that have points


def _points(a: TestSetArrays) -> _Points:
    """Rank a test set's rows (concepts by code, scores descending) and read the points."""
    k = a.n_concepts
    codes = a.concept_codes  # narrow ints: the stable sort below is then a radix sort
    rows = np.bincount(codes, minlength=k)
    absent = a.n_inputs - rows
    if (absent < 0).any():
        bad = a.concepts[int(np.argmax(absent < 0))]
        raise InvalidArgumentError(
            f"concept {bad!r} has more rows than the test set has inputs; "
            "drop duplicate (input, concept) rows first."
        )
    score, truth = a.score, a.truth
    weight: np.ndarray | None = None
    extra = np.flatnonzero(absent)
    if len(extra):  # absent (input, concept) pairs: negatives scored 0, one weighted row each
        codes = np.concatenate([codes, extra.astype(codes.dtype)])
        score = np.concatenate([score, np.zeros(len(extra))])
        truth = np.concatenate([truth, np.zeros(len(extra), dtype=bool)])
        weight = np.concatenate([np.ones(len(a.score), np.int64), absent[extra].astype(np.int64)])
    order = np.argsort(-score)  # ties may come in any order: only run ends are read
    order = order[np.argsort(codes[order], kind="stable")]
    w = None if weight is None else weight[order]
    return ranked_points(codes[order], score[order], truth[order], w, a.concepts)


def ranked_points(
    g: np.ndarray,
    s: np.ndarray,
    y: np.ndarray,
    w: np.ndarray | None,
    concepts: pd.Index,
) -> _Points:
    """Read every concept's curve points off its ranked rows.

    ``g`` (concept codes, non-decreasing), ``s`` (scores, non-increasing
    within a concept; ties in any order), ``y`` (bool truth; with ``w``
    ``None`` it may instead count positives, as only sums over whole runs
    of a score are read) and ``w`` (row weights, ``None`` for 1 each) are
    the rows in rank order.  This is
    the one core under :func:`scores`, :func:`curves` and the matrix curves.

    """
    n = len(g)
    last = np.ones(n, dtype=bool)  # last row of each (concept, score) run
    if n > 1:
        last[:-1] = (g[1:] != g[:-1]) | (s[1:] != s[:-1])
    idx = np.flatnonzero(last)  # the points: one per run
    del last
    at_tp = np.cumsum(y if w is None else np.where(y, w, 0), dtype=np.int64)[idx]
    # Rows (weights) up to each point, positives included.
    at_all = idx + 1 if w is None else np.cumsum(w)[idx]
    return points_at(g[idx].astype(np.intp), s[idx], at_tp, at_all, concepts)


def points_at(
    group: np.ndarray,
    threshold: np.ndarray,
    at_tp: np.ndarray,
    at_all: np.ndarray,
    concepts: pd.Index,
) -> _Points:
    """Build the points from the run ends chosen over all concepts' ranked rows.

    Per point, in rank order: its concept code ``group``, its score
    ``threshold``, and the positives ``at_tp`` and rows ``at_all`` (weights
    when weighted) counted from the first ranked row of the first concept
    up to and including the point's run.
    """
    k = len(concepts)
    first = np.ones(len(group), dtype=bool)  # first point of its concept
    first[1:] = group[1:] != group[:-1]
    starts = np.flatnonzero(first)
    present = group[starts]
    # Totals before each concept: at the previous point, the previous concept's last row.
    base_tp = np.where(starts > 0, at_tp[np.maximum(starts - 1, 0)], 0) if len(group) else at_tp
    base_all = np.where(starts > 0, at_all[np.maximum(starts - 1, 0)], 0) if len(group) else at_all
    which = np.cumsum(first) - 1  # index of the point's concept among present ones
    tps = at_tp - base_tp[which]
    fps = at_all - base_all[which] - tps
    prev_tps = np.where(first, 0, np.roll(tps, 1))
    prev_fps = np.where(first, 0, np.roll(fps, 1))
    pos = np.zeros(k, dtype=np.int64)
    neg = np.zeros(k, dtype=np.int64)
    ends = np.append(starts[1:], len(group))[: len(starts)] - 1
    pos[present] = tps[ends]
    neg[present] = fps[ends]
    return _Points(
        concepts, group, threshold, tps, fps, prev_tps, prev_fps, pos, neg, starts, present
    )


def areas(p: _Points) -> tuple[np.ndarray, np.ndarray]:
    """Exact ROC AUC and average precision per concept code (NaN where undefined)."""
    k = len(p.concepts)
    area = np.bincount(
        p.group, weights=(p.fps - p.prev_fps) * (p.tps + p.prev_tps).astype(np.float64), minlength=k
    )
    den = 2.0 * p.pos * p.neg
    with np.errstate(divide="ignore", invalid="ignore"):
        roc_auc = np.where(den > 0, area / np.where(den > 0, den, 1), np.nan)
        precision = p.tps / (p.tps + p.fps)
    ap_sum = np.bincount(p.group, weights=(p.tps - p.prev_tps) * precision, minlength=k)
    avg_precision = np.where(p.pos > 0, ap_sum / np.maximum(p.pos, 1), np.nan)
    return roc_auc, avg_precision


def scores_frame(p: _Points) -> pd.DataFrame:
    """Build the frame :func:`scores` returns from the points."""
    roc_auc, avg_precision = areas(p)
    return pd.DataFrame(
        {
            "concept_id": p.concepts.array,
            "roc_auc": roc_auc,
            "avg_precision": avg_precision,
            "num_pos": p.pos,
            "num_neg": p.neg,
        }
    )


def roc_arrays(p: _Points) -> dict[str, np.ndarray]:
    """ROC points of every concept: ``code``, ``threshold``, ``fpr``, ``tpr``, as :func:`curves`."""
    pos = p.pos[p.group].astype(np.float64)
    neg = p.neg[p.group].astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        fpr = np.where(neg > 0, p.fps / neg, np.nan)
        tpr = np.where(pos > 0, p.tps / pos, np.nan)
    return _splice(
        p.starts,
        code=(p.group, p.present),
        threshold=(p.threshold.astype(np.float64, copy=False), np.inf),
        fpr=(fpr, np.where(p.neg[p.present] > 0, 0.0, np.nan)),
        tpr=(tpr, np.where(p.pos[p.present] > 0, 0.0, np.nan)),
    )


def pr_arrays(p: _Points) -> dict[str, np.ndarray]:
    """PR points of every concept: ``code``, ``threshold``, ``precision``, ``recall``."""
    # Reverse each concept's points (thresholds increasing), then close with (1, 0).
    pos = p.pos[p.group].astype(np.float64)
    ends = np.append(p.starts[1:], len(p.group))[: len(p.starts)]
    span = np.repeat(p.starts + ends - 1, ends - p.starts)
    rev = span - np.arange(len(p.group))
    ps = (p.tps + p.fps)[rev]
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(ps > 0, p.tps[rev] / np.where(ps > 0, ps, 1), 0.0)
        recall = np.where(pos[rev] > 0, p.tps[rev] / pos[rev], 1.0)
    return _splice(
        ends,
        code=(p.group[rev], p.present),
        threshold=(p.threshold[rev].astype(np.float64, copy=False), np.inf),
        precision=(precision, 1.0),
        recall=(recall, 0.0),
    )


def _splice(where: np.ndarray, **columns: tuple[np.ndarray, Any]) -> dict[str, np.ndarray]:
    """Insert a value before each of the increasing positions ``where``, as ``np.insert``.

    One mask serves every column, which ``np.insert`` would rebuild for each.
    """
    n = len(next(iter(columns.values()))[0])
    at = where + np.arange(len(where))
    old = np.ones(n + len(where), dtype=bool)
    old[at] = False
    out = {}
    for name, (values, extra) in columns.items():
        merged = np.empty(n + len(where), dtype=values.dtype)
        merged[at] = extra
        merged[old] = values
        out[name] = merged
    return out


def curve_frame(arrays: dict[str, np.ndarray], concepts: pd.Index) -> pd.DataFrame:
    """Build a long curve frame, ``code`` turned into a ``concept_id`` categorical."""
    columns = {k: v for k, v in arrays.items() if k != "code"}
    cats = pd.CategoricalDtype(concepts)
    return pd.DataFrame(
        {"concept_id": pd.Categorical.from_codes(arrays["code"], dtype=cats), **columns}
    )


def scores(ts: pd.DataFrame) -> pd.DataFrame:
    """ROC AUC and average precision per concept.

    Equal to scikit-learn's ``roc_auc_score`` and ``average_precision_score``
    on each concept's column of the inputs x concepts matrices (an (input,
    concept) pair with no row is a negative scored 0).

    Parameters
    ----------
    ts : pandas.DataFrame
        A test set, as :func:`clarinb.frames.test_set` returns.

    Returns
    -------
    pandas.DataFrame
        One row per concept: ``concept_id``, ``roc_auc`` (NaN where the
        concept has no positives or no negatives), ``avg_precision`` (NaN
        where it has no positives; scikit-learn returns 0 there, with a
        warning), ``num_pos``, ``num_neg``.

    Raises
    ------
    InvalidArgumentError
        For a malformed test set or duplicate (input, concept) rows.
    """
    return scores_frame(_points(read_test_set(ts)))


def curves(ts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every concept's ROC and precision-recall curve, point for point as scikit-learn.

    Parameters
    ----------
    ts : pandas.DataFrame
        A test set, as :func:`clarinb.frames.test_set` returns.

    Returns
    -------
    roc : pandas.DataFrame
        Long frame ``concept_id`` (categorical), ``threshold``, ``fpr``,
        ``tpr``: per concept the points of scikit-learn's
        ``roc_curve(y, s, drop_intermediate=False)``, thresholds decreasing,
        starting at ``(inf, 0, 0)``.  ``fpr`` is NaN for a concept without
        negatives, ``tpr`` for one without positives.
    pr : pandas.DataFrame
        Long frame ``concept_id``, ``threshold``, ``precision``, ``recall``:
        per concept the points of ``precision_recall_curve(y, s)``,
        thresholds increasing, ending with the point ``(precision 1,
        recall 0)`` given the threshold ``inf``.  Recall is 1 everywhere for
        a concept without positives, as in scikit-learn.

    Raises
    ------
    InvalidArgumentError
        For a malformed test set or duplicate (input, concept) rows.
    """
    p = _points(read_test_set(ts))
    return curve_frame(roc_arrays(p), p.concepts), curve_frame(pr_arrays(p), p.concepts)
