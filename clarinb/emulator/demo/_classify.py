"""A classifier's EvalMetrics computed from its test set.

Conventions (what the numbers mean)
-----------------------------------
* An (input, concept) pair is positive when the input's
  ``ground_truth_concepts`` holds the concept with a value above 0; its
  score is the ``predicted_concepts`` value (0 when the concept is missing).
* Per-concept ``f1`` and the summary's precision, recall and F1 are taken at
  :data:`THRESHOLD` (a concept is predicted when its score is ``>=`` it);
  ``macro_*`` are means over concepts with at least one positive,
  ``macro_std_*`` their population standard deviations.
* ``top1_accuracy`` and ``top5_accuracy``: fraction of inputs with a true
  concept among their 1 (5) highest-scored concepts
  (:func:`clarinb.metrics.top_k_accuracy`); for the mutually exclusive
  classifiers scikit-learn's ``top_k_accuracy_score``, for the multi-label
  tagger top-1 is right when the best-scored tag is one of the input's tags.
* ``roc_auc`` and ``avg_precision`` are scikit-learn's ``roc_auc_score`` and
  ``average_precision_score`` of the concept's column (``"NaN"`` where
  undefined).
* Curves are sampled on the grid :data:`GRID` (0, 0.01, ..., 1): the ROC curve
  with thresholds decreasing (``fpr``, ``tpr`` of ``score >= t``), the
  precision-recall curve with thresholds increasing (``precision`` is 1
  where nothing is predicted).
* ``confusion_matrix``: each input counts once per positive concept, under
  its top-scoring concept; a cell's ``value`` is the fraction of that actual
  concept's inputs (each row sums to 1); only non-zero cells are listed and
  ``concept_ids`` are ordered by decreasing diagonal value.
* ``cooccurrence_matrix``: ``count`` of inputs positive for both concepts
  (the diagonal counts each concept's inputs); non-zero cells only.
* ``label_counts``: positive inputs per concept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from clarinb import metrics
from clarinb.emulator.wire import Sealed

__all__ = [
    "GRID",
    "THRESHOLD",
    "classifier_metrics",
    "concept_order",
    "dense",
    "wire_float",
    "wire_floats",
]

THRESHOLD = 0.5
#: Thresholds the curves are sampled at, increasing.
GRID = np.round(np.linspace(0.0, 1.0, 101), 2)


def wire_float(x: float) -> float | str:
    """Return ``x`` as proto3 JSON writes a double (``"NaN"`` for NaN, ``"Infinity"``...).

    Parameters
    ----------
    x : float

    Returns
    -------
    float or str
    """
    if np.isnan(x):
        return "NaN"
    if np.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return float(x)


def wire_floats(values: np.ndarray) -> list[float | str]:
    """Return an array as a list of proto3 JSON doubles (see :func:`wire_float`).

    Parameters
    ----------
    values : numpy.ndarray

    Returns
    -------
    list
    """
    if np.isfinite(values).all():
        return values.astype(float).tolist()
    return [wire_float(v) for v in values.tolist()]


def concept_order(entries: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Return every concept of a test set, in order of first appearance, with its name.

    Parameters
    ----------
    entries : sequence of dict
        EvalTestSetEntry dicts.

    Returns
    -------
    dict
        Concept id -> ``{"id", "name", "value": 1.0}`` (a reference to the concept).
    """
    out: dict[str, dict[str, Any]] = {}
    for entry in entries:
        for key in ("predicted_concepts", "ground_truth_concepts"):
            for c in entry.get(key) or ():
                if c["id"] not in out:
                    out[c["id"]] = {"id": c["id"], "name": c.get("name", c["id"]), "value": 1.0}
    return out


def dense(entries: Sequence[dict[str, Any]], ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return the inputs x concepts matrices of scores and ground truth.

    Parameters
    ----------
    entries : sequence of dict
        EvalTestSetEntry dicts, one per input.
    ids : sequence of str
        Concept ids (the columns).

    Returns
    -------
    scores : numpy.ndarray
        float64, 0 where a concept was not predicted.
    truth : numpy.ndarray
        bool.
    """
    col = {c: j for j, c in enumerate(ids)}
    scores = np.zeros((len(entries), len(ids)))
    truth = np.zeros((len(entries), len(ids)), dtype=bool)
    for i, entry in enumerate(entries):
        for c in entry.get("predicted_concepts") or ():
            scores[i, col[c["id"]]] = float(c.get("value", 0.0))
        for c in entry.get("ground_truth_concepts") or ():
            truth[i, col[c["id"]]] = float(c.get("value", 1.0)) > 0
    return scores, truth


def _frame(scores: np.ndarray, truth: np.ndarray, ids: Sequence[str]) -> pd.DataFrame:
    n, k = scores.shape
    return pd.DataFrame(
        {
            "input_id": pd.Categorical.from_codes(np.repeat(np.arange(n), k), pd.Index(range(n))),
            "concept_id": pd.Categorical.from_codes(np.tile(np.arange(k), n), pd.Index(list(ids))),
            "score": scores.ravel(),
            "ground_truth": truth.ravel(),
        }
    )


def _grid_counts(scores: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TP and FP of ``score >= t`` for every grid threshold t (rows) and concept (columns)."""
    predicted = scores[None, :, :] >= GRID[:, None, None]
    tp = (predicted & truth[None]).sum(axis=1)
    fp = (predicted & ~truth[None]).sum(axis=1)
    return tp, fp


def _curves(tp: np.ndarray, fp: np.ndarray, pos: int, neg: int) -> tuple[dict, dict]:
    with np.errstate(divide="ignore", invalid="ignore"):
        tpr = tp / pos if pos else np.full(len(GRID), np.nan)
        fpr = fp / neg if neg else np.full(len(GRID), np.nan)
        precision = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 1.0)
        recall = tp / pos if pos else np.full(len(GRID), np.nan)
    down = slice(None, None, -1)
    roc = {
        "fpr": wire_floats(fpr[down]),
        "tpr": wire_floats(tpr[down]),
        "thresholds": GRID[down].tolist(),
    }
    pr = {
        "recall": wire_floats(recall),
        "precision": precision.tolist(),
        "thresholds": GRID.tolist(),
    }
    return roc, pr


def _confusion(ts: pd.DataFrame, concepts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    counts = metrics.confusion_matrix(ts).to_numpy(dtype=np.float64)
    rows = counts.sum(axis=1, keepdims=True)
    frac = np.divide(counts, rows, out=np.zeros_like(counts), where=rows > 0)
    ids = list(concepts)
    diagonal = np.diag(frac)
    order = sorted(range(len(ids)), key=lambda j: (-diagonal[j], j))
    cells = [
        {
            "predicted": ids[p],
            "actual": ids[a],
            "value": float(frac[a, p]),
            "predicted_concept": dict(concepts[ids[p]]),
            "actual_concept": dict(concepts[ids[a]]),
        }
        for a in range(len(ids))
        for p in range(len(ids))
        if counts[a, p] > 0
    ]
    return {"matrix": cells, "concept_ids": [ids[j] for j in order]}


def _cooccurrence(truth: np.ndarray, ids: Sequence[str]) -> dict[str, Any]:
    both = truth.T.astype(np.int64) @ truth.astype(np.int64)
    cells = [
        {"row": ids[r], "col": ids[c], "count": int(both[r, c])}
        for r in range(len(ids))
        for c in range(len(ids))
        if both[r, c] > 0
    ]
    return {"matrix": cells, "concept_ids": list(ids)}


def _std(values: np.ndarray) -> float:
    return float(np.std(values)) if len(values) else 0.0


def _mean(values: np.ndarray) -> float:
    return float(np.mean(values)) if len(values) else 0.0


def classifier_metrics(entries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Compute a classifier's EvalMetrics parts from its test set.

    Parameters
    ----------
    entries : sequence of dict
        EvalTestSetEntry dicts with ``predicted_concepts`` and ``ground_truth_concepts``.

    Returns
    -------
    dict
        ``summary``, ``confusion_matrix``, ``cooccurrence_matrix``,
        ``label_counts``, ``binary_metrics`` and ``test_set`` (the entries),
        following the module's conventions.
    """
    concepts = concept_order(entries)
    ids = list(concepts)
    scores, truth = dense(entries, ids)
    ts = _frame(scores, truth, ids)
    at = metrics.at_threshold(ts, THRESHOLD)
    ranked = metrics.scores(ts)
    tp, fp = _grid_counts(scores, truth)
    pos, n = truth.sum(axis=0), len(entries)
    binary = []
    for j, cid in enumerate(ids):
        roc, pr = _curves(tp[:, j], fp[:, j], int(pos[j]), int(n - pos[j]))
        item: dict[str, Any] = {
            "num_pos": int(pos[j]),
            "num_neg": int(n - pos[j]),
            "num_tot": n,
            "roc_auc": wire_float(ranked["roc_auc"].iloc[j]),
            "f1": float(at["f1"].iloc[j]),
            "concept": dict(concepts[cid]),
            "roc_curve": roc,
            "precision_recall_curve": pr,
            "avg_precision": wire_float(ranked["avg_precision"].iloc[j]),
        }
        binary.append({k: v for k, v in item.items() if v != 0 or k in _SHOWN})
    has_pos = pos > 0
    auc = ranked["roc_auc"].to_numpy()[has_pos]
    auc = auc[~np.isnan(auc)]
    f1 = at["f1"].to_numpy()[has_pos]
    summary = {
        "top1_accuracy": wire_float(metrics.top_k_accuracy(ts, 1)),
        "top5_accuracy": wire_float(metrics.top_k_accuracy(ts, 5)),
        "macro_avg_roc_auc": _mean(auc),
        "macro_std_roc_auc": _std(auc),
        "macro_avg_f1_score": _mean(f1),
        "macro_std_f1_score": _std(f1),
        "macro_avg_precision": _mean(at["precision"].to_numpy()[has_pos]),
        "macro_avg_recall": _mean(at["recall"].to_numpy()[has_pos]),
    }
    label_counts = []
    for j, cid in enumerate(ids):
        count: dict[str, Any] = {"concept": dict(concepts[cid])}
        if pos[j]:
            count["count"] = int(pos[j])
        label_counts.append(count)
    return {
        "summary": summary,
        "confusion_matrix": _confusion(ts, concepts),
        "cooccurrence_matrix": _cooccurrence(truth, ids),
        "label_counts": {"positive_label_counts": label_counts},
        "binary_metrics": binary,
        "test_set": Sealed(entries),  # never changed: rendered once
    }


_SHOWN = {"num_pos", "num_neg", "num_tot", "roc_auc", "f1"}
