"""What the views read from an evaluation: frames, names, thumbnails, each fetched once.

:class:`EvaluationParts` adapts a :class:`clarinb.Evaluation` (which fetches
and parses) to the few frames the classifier views draw, with one cache of
its own; :class:`FrameParts` is the same adapter over frames given directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Union

import pandas as pd

from clarinb import _validate as validate
from clarinb.errors import ClarinbError, InvalidArgumentError
from clarinb.views._drilldown import ThumbnailFetcher

if TYPE_CHECKING:
    from clarinb.evaluation import Evaluation

__all__ = [
    "FRAME_NAMES",
    "EvaluationLike",
    "EvaluationParts",
    "FrameParts",
    "evaluation_parts",
    "read_model",
]

#: An evaluation object, its EvalMetrics dict (or the whole response body), or its parts.
EvaluationLike = Union["Evaluation", Mapping[str, Any], "EvaluationParts"]


#: The methods an evaluation-like object must have.
_DUCK = ("test_set", "binary_metrics", "roc_curves", "pr_curves", "confusion_matrix")


def read_model(evaluation: Evaluation | Mapping[str, Any]) -> Evaluation:
    """Return ``evaluation`` as a :class:`clarinb.Evaluation`, wrapping a body with ``from_dict``.

    Raises
    ------
    InvalidArgumentError
        For anything else.
    """
    from clarinb.evaluation import Evaluation  # noqa: PLC0415

    if isinstance(evaluation, Evaluation):
        return evaluation
    if isinstance(evaluation, Mapping):
        return Evaluation.from_dict(evaluation)
    raise InvalidArgumentError(
        f"Expected a clarinb.Evaluation or an evaluation dict, not {type(evaluation).__name__}."
    )


def _as_evaluation(evaluation: Evaluation | Mapping[str, Any]) -> Evaluation:
    """:func:`read_model`, letting through an object with Evaluation's frame methods."""
    if not isinstance(evaluation, Mapping) and all(
        callable(getattr(evaluation, m, None)) for m in _DUCK
    ):
        return evaluation
    return read_model(evaluation)


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

    def __init__(self, evaluation: Evaluation | Mapping[str, Any]) -> None:
        self.evaluation: Evaluation | None = _as_evaluation(evaluation)
        self._cache: dict[str, Any] = {}

    def _get(self, name: str) -> Any:
        """Return one part, read once (a failed read is not cached and raises again)."""
        if name not in self._cache:
            self._cache[name] = self._read(name)
        return self._cache[name]

    def _read(self, name: str) -> Any:
        """Read one part from the evaluation."""
        ev = self.evaluation
        if ev is None:
            raise InvalidArgumentError("No evaluation behind these parts.")
        readers = {
            "confusion_matrix": ev.confusion_matrix,
            "binary_metrics": ev.binary_metrics,
            "roc": ev.roc_curves,
            "pr": ev.pr_curves,
            "test_set": lambda: _test_set_of(ev),
            "concept_names": lambda: self._names(ev),
            "thumbnails": lambda: _thumbnails_of(ev),
        }
        return readers[name]()

    @property
    def label(self) -> str:
        """A short label: model id and evaluation id."""
        ev = self.evaluation
        return f"{getattr(ev, 'model_id', '') or '?'} / {getattr(ev, 'id', '') or '?'}"

    @property
    def confusion_matrix(self) -> pd.DataFrame:
        """The body's confusion matrix (counts or rates as the service sent them)."""
        return self._get("confusion_matrix")

    @property
    def test_set(self) -> pd.DataFrame | None:
        """The test-set frame, or ``None`` when the evaluation has none."""
        return self._get("test_set")

    @property
    def binary_metrics(self) -> pd.DataFrame:
        """Per-concept metrics from the body."""
        return self._get("binary_metrics")

    @property
    def roc(self) -> pd.DataFrame:
        """ROC curves: ``concept_id``, ``threshold``, ``fpr``, ``tpr``."""
        return self._get("roc")

    @property
    def pr(self) -> pd.DataFrame:
        """PR curves: ``concept_id``, ``threshold``, ``precision``, ``recall``."""
        return self._get("pr")

    @property
    def concept_names(self) -> dict[str, str]:
        """Display name per concept id, where the body gives one."""
        return self._get("concept_names")

    @property
    def thumbnails(self) -> ThumbnailFetcher | None:
        """``input_id -> image bytes``, downloaded with the client's auth, when possible.

        Reads the image URLs of the test set's inputs; each image is fetched
        once, with :meth:`clarinb.Evaluation.fetch_image`, when first shown.
        A failed download shows as a message beside the input, not as an error.
        """
        return self._get("thumbnails")

    def _names(self, ev: Evaluation) -> dict[str, str]:
        known = getattr(ev, "concepts", None)
        if isinstance(known, Mapping) and known:
            return {str(k): str(v) for k, v in known.items() if v}
        try:
            frame = self.binary_metrics
        except ClarinbError:
            return {}
        if "concept_name" not in frame or "concept_id" not in frame:
            return {}
        pairs = frame[["concept_id", "concept_name"]].dropna().astype(str)
        return {c: n for c, n in zip(pairs["concept_id"], pairs["concept_name"], strict=True) if n}


def _test_set_of(ev: Evaluation) -> pd.DataFrame | None:
    try:
        frame = ev.test_set()
    except ClarinbError:
        return None
    return frame if len(frame) else None


def _thumbnails_of(ev: Evaluation) -> ThumbnailFetcher | None:
    """``input_id -> bytes`` over the evaluation's ``fetch_image``, or None without a client."""
    fetch_image = getattr(ev, "fetch_image", None)
    inputs_of = getattr(ev, "test_set_inputs", None)
    if getattr(ev, "client", None) is None or fetch_image is None or inputs_of is None:
        return None
    try:
        inputs = inputs_of()
    except ClarinbError:
        return None
    if "input_id" not in inputs or "image_url" not in inputs:
        return None
    urls = dict(zip(inputs["input_id"].astype(str), inputs["image_url"], strict=True))
    cache: dict[str, bytes | None] = {}

    def fetch(input_id: str) -> bytes | None:
        if input_id not in cache:
            url = urls.get(input_id)
            cache[input_id] = fetch_image(url) if isinstance(url, str) and url else None
        return cache[input_id]

    return fetch


#: The frames function that builds each frame :class:`FrameParts` takes.
_BUILT_BY = {
    "binary_metrics": "binary_metrics",
    "confusion_matrix": "confusion_matrix",
    "roc": "roc_curves",
    "pr": "pr_curves",
}
#: The keyword arguments of :class:`FrameParts` (after the label).
FRAME_NAMES = (*_BUILT_BY, "test_set", "concept_names", "thumbnails")


class FrameParts(EvaluationParts):
    """Evaluation parts given as frames, for views and explorers built without a service.

    Parameters
    ----------
    label : str
        Shown as the evaluation's label.
    binary_metrics, confusion_matrix, roc, pr, test_set : pandas.DataFrame, optional
        The frames, as :mod:`clarinb.frames` returns them.
    concept_names : mapping of str to str, optional
        Display names.
    thumbnails : callable, optional
        ``input_id -> bytes``.

    Examples
    --------
    >>> parts = FrameParts("demo", test_set=None)
    >>> parts.label
    'demo'
    """

    def __init__(
        self,
        label: str,
        *,
        binary_metrics: pd.DataFrame | None = None,
        confusion_matrix: pd.DataFrame | None = None,
        roc: pd.DataFrame | None = None,
        pr: pd.DataFrame | None = None,
        test_set: pd.DataFrame | None = None,
        concept_names: Mapping[str, str] | None = None,
        thumbnails: ThumbnailFetcher | None = None,
    ) -> None:
        self.evaluation = None
        self._label = validate.text(label, "label")
        self._cache = {}
        given = {
            "binary_metrics": binary_metrics,
            "confusion_matrix": confusion_matrix,
            "roc": roc,
            "pr": pr,
        }
        for name, frame in given.items():
            if frame is not None:
                self._cache[name] = validate.frame(
                    frame, name, hint=f"build it with clarinb.frames.{_BUILT_BY[name]}()"
                )
        if test_set is not None:
            test_set = validate.evaluation_test_set(test_set)
        self._cache["test_set"] = test_set
        self._cache["concept_names"] = validate.mapping(concept_names, "concept_names")
        self._cache["thumbnails"] = validate.function(
            thumbnails, "thumbnails", takes="input_id -> bytes"
        )

    @property
    def label(self) -> str:
        """The label given."""
        return self._label

    def _read(self, name: str) -> Any:
        """Refuse a frame that was not given."""
        raise InvalidArgumentError(f"The {name.replace('_', ' ')} frame was not given.")


def evaluation_parts(evaluation: EvaluationLike) -> EvaluationParts:
    """Wrap an evaluation (or pass parts through) for the views' ``from_evaluation``."""
    if isinstance(evaluation, EvaluationParts):
        return evaluation
    return EvaluationParts(evaluation)
