"""Intervals in the views: taken from a read model, checked, and read row by row.

The frames are those of :func:`clarinb.metrics.metric_intervals` (or
:meth:`clarinb.Evaluation.metric_intervals`): a row per concept and a macro
row, ``<metric>_lo`` and ``<metric>_hi`` beside each metric, a ``note``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from clarinb import _validate as validate

__all__ = [
    "AUTO_CELLS",
    "BAND_RESAMPLES",
    "RESAMPLES",
    "bands_from_read_model",
    "check",
    "concept_rows",
    "from_read_model",
    "macro_row",
    "skipped_text",
]

#: Resamples drawn by a view's ``from_evaluation``: enough for the intervals'
#: second decimal, and quick on an evaluation's test set.
RESAMPLES = 500
#: ``intervals="auto"`` draws them for test sets of at most this many scores
#: (inputs x concepts): about a second or two at :data:`RESAMPLES` resamples.
#: (200 concepts x 20,000 inputs take about 30 s.)
AUTO_CELLS = 200_000
#: Resamples of the curves' bootstrap bands drawn by ``from_evaluation``.
BAND_RESAMPLES = 200
_HINT = "build it with Evaluation.metric_intervals() or clarinb.metrics.metric_intervals()"


def check(value: Any, metrics: Sequence[str]) -> pd.DataFrame | None:
    """Check an ``intervals`` keyword: ``None``, or a frame with the columns the view draws.

    Raises
    ------
    InvalidArgumentError
        For anything else, naming the missing columns.
    """
    if value is None:
        return None
    ends = [m + end for m in metrics for end in ("", "_lo", "_hi")]
    return validate.frame(
        value,
        "intervals",
        columns=["level", "concept_id", "too_few_positives", "note"],
        numeric=ends,
        hint=_HINT,
    )


def from_read_model(evaluation: Any, intervals: Any, threshold: float | None) -> Any:
    """Resolve ``from_evaluation``'s ``intervals``: a frame as given, else drawn or None.

    ``True`` draws :data:`RESAMPLES` resamples of the evaluation's test set
    (None when it has none) at ``threshold`` (0.5 when ``None``);
    ``"auto"`` does so when the test set holds at most :data:`AUTO_CELLS`
    scores; ``False`` and ``None`` give None.
    """
    if isinstance(intervals, pd.DataFrame):
        return intervals
    choices = ("auto", True, False, None)
    validate.choice(intervals, "intervals", choices, hint=f"or a frame: {_HINT}")
    test_set = evaluation.test_set_or_none() if intervals else None
    if test_set is None or (intervals == "auto" and len(test_set) > AUTO_CELLS):
        return None
    at = 0.5 if threshold is None else threshold
    return evaluation.metric_intervals(at, n_resamples=RESAMPLES)


def bands_from_read_model(evaluation: Any, bands: Any) -> Any:
    """Resolve ``from_evaluation``'s ``bands``: a frame as given, else drawn or None.

    Under the rule of :func:`from_read_model`: ``True`` draws
    :data:`BAND_RESAMPLES` resamples of the test set's curves (None without
    a test set), ``"auto"`` does so up to :data:`AUTO_CELLS` scores.
    """
    if isinstance(bands, pd.DataFrame):
        return bands
    hint = "or a frame: build it with Evaluation.curve_bands() or clarinb.metrics.curve_bands()"
    validate.choice(bands, "bands", ("auto", True, False, None), hint=hint)
    test_set = evaluation.test_set_or_none() if bands else None
    if test_set is None or (bands == "auto" and len(test_set) > AUTO_CELLS):
        return None
    return evaluation.curve_bands(n_resamples=BAND_RESAMPLES)


def skipped_text(test_set: pd.DataFrame) -> str:
    """Say why ``"auto"`` drew no intervals for a test set, and how to draw them."""
    return (
        f"not drawn: the test set holds {len(test_set):,} scores, more than the "
        f"{AUTO_CELLS:,} drawn by default; Evaluation.metric_intervals() or "
        "intervals=True draws them"
    )


def concept_rows(intervals: pd.DataFrame) -> pd.DataFrame:
    """Return the per-concept rows, indexed by concept id (as text)."""
    rows = intervals[intervals["level"] == "concept"]
    return rows.set_index(rows["concept_id"].astype(str).rename(None))


def macro_row(intervals: pd.DataFrame | None) -> pd.Series | None:
    """Return the macro row, or None."""
    if intervals is None:
        return None
    rows = intervals[intervals["level"] == "macro"]
    return rows.iloc[0] if len(rows) else None
