"""What the views read from an evaluation: frames, names, thumbnails, each fetched once."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Union

import pandas as pd

from clarinb.errors import ClarinbError, InvalidArgumentError
from clarinb.views._drilldown import ThumbnailFetcher

if TYPE_CHECKING:
    from clarinb.evaluation import Evaluation

__all__ = ["EvaluationLike", "EvaluationParts", "evaluation_parts"]

#: An evaluation object, or its EvalMetrics dict (or the whole response body).
EvaluationLike = Union["Evaluation", Mapping[str, Any]]


def _as_evaluation(evaluation: EvaluationLike) -> Evaluation:
    from clarinb.evaluation import Evaluation  # noqa: PLC0415

    if isinstance(evaluation, Evaluation):
        return evaluation
    if isinstance(evaluation, Mapping):
        return Evaluation.from_dict(dict(evaluation))
    raise InvalidArgumentError(
        f"Expected a clarinb.Evaluation or an evaluation dict, not {type(evaluation).__name__}."
    )


class EvaluationParts:
    """Lazy access to the parts of one evaluation that the views draw.

    Parameters
    ----------
    evaluation : clarinb.Evaluation or dict
        The evaluation.

    Examples
    --------
    >>> parts = EvaluationParts(evaluation)  # doctest: +SKIP
    >>> parts.test_set is None  # doctest: +SKIP
    False
    """

    def __init__(self, evaluation: EvaluationLike) -> None:
        self.evaluation = _as_evaluation(evaluation)

    @property
    def label(self) -> str:
        """A short label: model id and evaluation id."""
        ev = self.evaluation
        return f"{getattr(ev, 'model_id', '') or '?'} / {getattr(ev, 'id', '') or '?'}"

    @cached_property
    def confusion_matrix(self) -> pd.DataFrame:
        """The body's confusion matrix (counts or rates as the service sent them)."""
        return self.evaluation.confusion_matrix()

    @cached_property
    def test_set(self) -> pd.DataFrame | None:
        """The test-set frame, or ``None`` when the evaluation has none."""
        try:
            frame = self.evaluation.test_set()
        except ClarinbError:
            return None
        return frame if len(frame) else None

    @cached_property
    def binary_metrics(self) -> pd.DataFrame:
        """Per-concept metrics from the body."""
        return self.evaluation.binary_metrics()

    @cached_property
    def roc(self) -> pd.DataFrame:
        """ROC curves: ``concept_id``, ``threshold``, ``fpr``, ``tpr``."""
        return self.evaluation.roc_curves()

    @cached_property
    def pr(self) -> pd.DataFrame:
        """PR curves: ``concept_id``, ``threshold``, ``precision``, ``recall``."""
        return self.evaluation.pr_curves()

    @cached_property
    def concept_names(self) -> dict[str, str]:
        """Display name per concept id, where the body gives one."""
        try:
            frame = self.binary_metrics
        except ClarinbError:
            return {}
        if "concept_name" not in frame or "concept_id" not in frame:
            return {}
        pairs = frame[["concept_id", "concept_name"]].dropna().astype(str)
        return {c: n for c, n in zip(pairs["concept_id"], pairs["concept_name"], strict=True) if n}

    @cached_property
    def thumbnails(self) -> ThumbnailFetcher | None:
        """``input_id -> image bytes`` fetched with the client's auth, when possible."""
        ev = self.evaluation
        urls_of = getattr(ev, "input_urls", None)
        client = getattr(ev, "client", None)
        if urls_of is None or client is None:
            return None
        try:
            urls: Mapping[str, str] = urls_of()
        except ClarinbError:
            return None
        cache: dict[str, bytes | None] = {}

        def fetch(input_id: str) -> bytes | None:
            if input_id not in cache:
                url = urls.get(input_id)
                cache[input_id] = client.download(url) if url else None
            return cache[input_id]

        return fetch


def evaluation_parts(evaluation: EvaluationLike | EvaluationParts) -> EvaluationParts:
    """Wrap an evaluation (or pass parts through) for the views' ``from_evaluation``."""
    if isinstance(evaluation, EvaluationParts):
        return evaluation
    return EvaluationParts(evaluation)
