"""Find an evaluation, and one part of it, in whatever body the caller passes."""

from __future__ import annotations

from typing import Any

from clarinb.api.endpoints import EVALUATION_FIELD_FLAGS, EVALUATION_PARTS
from clarinb.errors import ResponseFormatError
from clarinb.frames._coerce import bad, field, obj

__all__ = ["FLAGS", "evaluation_of", "part"]

#: Query flag of GetEvaluation that fills each heavy part, spelled as the API does
#: (``"test_set": "fields.testSet"``); the one table of them.
FLAGS: dict[str, str] = dict(zip(EVALUATION_PARTS, EVALUATION_FIELD_FLAGS, strict=True))


def evaluation_of(body: Any) -> dict[str, Any]:
    """Return the EvalMetrics object of a body.

    The one reader of the evaluation envelope.  Accepts an EvalMetrics
    dict, a GetEvaluation envelope
    (``{"status": ..., "eval_metrics": {...}}``), a list envelope holding
    exactly one evaluation, or a GetModelVersionMetrics envelope
    (``{"model_version": {"metrics": {...}}}``).

    Raises
    ------
    ResponseFormatError
        When the body is not one of those.
    """
    if not isinstance(body, dict):
        raise bad("", "an evaluation (an EvalMetrics dict or its response envelope)", body)
    inner = field(body, "eval_metrics")
    if isinstance(inner, list):
        if len(inner) != 1:
            raise ResponseFormatError(
                f"eval_metrics: expected one evaluation, got a list of {len(inner)}; "
                "pass one of its items"
            )
        inner = inner[0]
    if inner is None:
        version = field(body, "model_version")
        if isinstance(version, dict) and field(version, "metrics") is not None:
            return obj(field(version, "metrics"), "model_version.metrics")
        return body
    return obj(inner, "eval_metrics")


def part(body: Any, key: str, *, marker: str | None = None) -> tuple[Any, str]:
    """Return one part of an evaluation and its path in the body.

    Parameters
    ----------
    body : Any
        The part itself (a list for repeated parts, a dict holding ``marker``
        for message parts), an EvalMetrics dict, or a response envelope.
    key : str
        The part's field name, e.g. ``"binary_metrics"``.
    marker : str, optional
        For message parts, a key that only the part itself holds (``"matrix"``).

    Raises
    ------
    ResponseFormatError
        When the evaluation lacks the part; the message names the
        ``fields.*`` flag that fills it.
    """
    if isinstance(body, list):
        return body, key
    if marker is not None and isinstance(body, dict) and field(body, marker) is not None:
        return body, key
    ev = evaluation_of(body)
    value = field(ev, key)
    if value is None:
        flag = FLAGS.get(key)
        hint = f"; fetch the evaluation with {flag}=true" if flag else ""
        raise ResponseFormatError(f"the evaluation has no {key}{hint}")
    return value, f"eval_metrics.{key}"
