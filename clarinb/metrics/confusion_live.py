"""A confusion matrix kept live over a threshold: only the inputs that cross it move.

Built once from a :class:`TestSetMatrix`: each input's top-1 concept and
score, and every positive (input, true concept) pair, sorted by its input's
top score.  At a threshold the pairs whose top score is at or above it count
under their top concept, the others under ``"(none)"``; moving to a new
threshold moves only the pairs whose top score lies between the old and the
new one (a binary search finds them), so an update costs the crossing inputs,
not the test set.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clarinb.errors import InvalidArgumentError
from clarinb.metrics._arrays import _real
from clarinb.metrics._sorted import positives
from clarinb.metrics.confusion import NONE_LABEL
from clarinb.metrics.matrix import TestSetMatrix, check_matrix, float32_at_least

__all__ = ["LiveConfusion"]


class LiveConfusion:
    """Actual concept x top-scoring concept counts of a test set, at any threshold.

    Equal to :func:`clarinb.metrics.confusion_matrix` on ``m.to_frame()``
    and to scikit-learn's ``confusion_matrix`` over one (actual, predicted)
    pair per positive label, the prediction being the input's top concept
    (ties to the lowest code), or ``"(none)"`` when its top score is below
    the threshold.

    Parameters
    ----------
    m : TestSetMatrix
        The test set.

    Raises
    ------
    InvalidArgumentError
        When ``m`` is not a :class:`TestSetMatrix`.

    Examples
    --------
    >>> import numpy as np
    >>> m = TestSetMatrix.from_arrays(np.array([[0.9, 0.1], [0.3, 0.6]]),
    ...                               np.array([[True, False], [True, False]]))
    >>> live = LiveConfusion(m)
    >>> live.counts(0.5).tolist()
    [[1, 1, 0], [0, 0, 0]]
    >>> live.counts(0.7).tolist()
    [[1, 0, 1], [0, 0, 0]]
    """

    def __init__(self, m: TestSetMatrix) -> None:
        self._m = check_matrix(m)
        k = m.n_concepts
        labelled = positives(m)  # one pair per positive label
        rows, actual = labelled.row, labelled.concept
        top, best = m.top1()
        order = np.argsort(-best[rows], kind="stable")  # top scores descending
        self._top, self._best = top, best
        self._rows, self._actual = rows[order], actual[order]
        self._ascending = np.ascontiguousarray(best[rows][order][::-1])  # for the search
        width = k + 1
        base = actual[order].astype(np.intp) * width
        self._cell = base + top[rows][order]  # the pair's cell under its top concept
        self._none = base + k  # its cell under "(none)"
        # Start with every pair under its top concept: the state for no threshold.
        self._counts = np.bincount(self._cell, minlength=k * width).reshape(k, width)
        self._counts = self._counts.astype(np.int64, copy=False)
        self._above = len(self._cell)  # pairs counted under their top concept

    @property
    def matrix(self) -> TestSetMatrix:
        """The test set."""
        return self._m

    def _move_to(self, above: int) -> None:
        flat = self._counts.reshape(-1)
        if above < self._above:  # pairs drop under the threshold
            part = slice(above, self._above)
            np.subtract.at(flat, self._cell[part], 1)
            np.add.at(flat, self._none[part], 1)
        elif above > self._above:
            part = slice(self._above, above)
            np.subtract.at(flat, self._none[part], 1)
            np.add.at(flat, self._cell[part], 1)
        self._above = above

    def counts(self, threshold: float | None = None, *, copy: bool = True) -> np.ndarray:
        """Count the pairs at a threshold, moving from the last one asked.

        Parameters
        ----------
        threshold : float, optional
            Inputs whose top score is below it count under ``"(none)"``;
            ``None`` for no threshold.
        copy : bool
            ``False`` returns a read-only view of the live counts instead of
            a copy: no ``k * (k + 1)`` copy per update (200 MB at 5,000
            concepts), but later updates change it in place.

        Returns
        -------
        numpy.ndarray
            int64, ``(k, k + 1)`` (the last column is ``"(none)"``) with a
            threshold, ``(k, k)`` without.

        Raises
        ------
        InvalidArgumentError
            For a threshold that is not a number.
        """
        k = self._m.n_concepts
        if threshold is None:
            self._move_to(len(self._cell))
            counts = self._counts[:, :k]
        else:
            low = float32_at_least(_real(threshold, "threshold"))
            # Pairs are sorted by top score descending: count those at or above it.
            above = len(self._cell) - int(np.searchsorted(self._ascending, low, side="left"))
            self._move_to(above)
            counts = self._counts
        if copy:
            return counts.copy()
        view = counts.view()
        view.flags.writeable = False
        return view

    def frame(self, threshold: float | None = None) -> pd.DataFrame:
        """Return the counts at a threshold as :func:`clarinb.metrics.confusion_matrix` does.

        Parameters
        ----------
        threshold : float, optional
            As for :meth:`counts`.

        Returns
        -------
        pandas.DataFrame
            Index ``actual``, columns ``predicted`` (concepts, then
            ``"(none)"`` with a threshold).

        Raises
        ------
        InvalidArgumentError
            For a threshold that is not a number.
        """
        counts = self.counts(threshold)
        concepts = self._m.concepts
        columns = list(concepts) + ([NONE_LABEL] if threshold is not None else [])
        return pd.DataFrame(
            counts,
            index=pd.Index(concepts, name="actual"),
            columns=pd.Index(columns, name="predicted"),
        )

    def cell_inputs(
        self, actual: str, predicted: str, threshold: float | None = None
    ) -> pd.DataFrame:
        """Find the inputs counted in one cell, as :func:`clarinb.metrics.cell_inputs` does.

        Parameters
        ----------
        actual, predicted : str
            Concept ids of the cell, as strings (``predicted`` may be
            ``"(none)"``).
        threshold : float, optional
            Minimum top score for a prediction to count.

        Returns
        -------
        pandas.DataFrame
            ``input_id``, ``predicted``, ``top_score`` and ``actual_score``,
            highest top score first (ties in input order); as many rows as
            the cell counts.

        Raises
        ------
        InvalidArgumentError
            For a threshold that is not a number or a concept the test set lacks.
        """
        names = self._m.concepts.astype(str)
        k = self._m.n_concepts
        codes = {c: i for i, c in enumerate(names)}
        for concept, where in ((actual, codes), (predicted, {**codes, NONE_LABEL: k})):
            if concept not in where:
                raise InvalidArgumentError(f"concept {concept!r} is not in the test set.")
        code = codes[actual]
        rows = self._rows[self._actual == code]  # top score descending, ties in input order
        shown = self._top[rows]
        if threshold is not None:
            low = float32_at_least(_real(threshold, "threshold"))
            shown = np.where(self._best[rows] >= low, shown, k)
        keep = shown == (k if predicted == NONE_LABEL else codes[predicted])
        rows, shown = rows[keep], shown[keep]
        labels = np.append(names.to_numpy(dtype=object), NONE_LABEL)
        return pd.DataFrame(
            {
                "input_id": self._m.inputs.astype(str)[rows].to_numpy(dtype=object),
                "predicted": labels[shown],
                "top_score": self._best[rows].astype(np.float64),
                "actual_score": self._m.scores[rows, code].astype(np.float64),
            }
        )

    def __repr__(self) -> str:
        return f"LiveConfusion({self._m!r})"
