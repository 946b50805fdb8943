"""Reading the evaluations listing: which evaluation to open, how to name it in a picker."""

from __future__ import annotations

import pandas as pd

__all__ = ["EVALUATED", "candidates", "for_model", "option_label", "option_title", "options"]

#: Status code of an evaluation that finished (MODEL_EVALUATED).
EVALUATED = 21300


def _evaluated(listing: pd.DataFrame) -> pd.Series:
    if "code" not in listing:
        return pd.Series(True, index=listing.index)
    return listing["code"] == EVALUATED


def _classifier(listing: pd.DataFrame) -> pd.Series:
    if "model_type_id" not in listing:
        return pd.Series(True, index=listing.index)
    return ~listing["model_type_id"].astype(str).str.contains("detector")


def candidates(listing: pd.DataFrame) -> list[str]:
    """Order evaluation ids to try opening them: evaluated classifiers first.

    The caller opens the first single-label one (the kind every tab can
    show); detectors and failed evaluations stay in the pickers but come last.
    """
    evaluated, classifier = _evaluated(listing), _classifier(listing)
    rank = (~evaluated).astype(int) * 2 + (~classifier).astype(int)
    ordered = listing.assign(_rank=rank.to_numpy()).sort_values("_rank", kind="stable")
    return ordered["id"].astype(str).tolist()


def for_model(listing: pd.DataFrame, model_id: str) -> list[str]:
    """List a model's evaluation ids, the evaluated ones first (in listing order within each)."""
    rows = listing[listing["model_id"].astype(str) == model_id]
    ordered = rows.assign(_failed=(~_evaluated(rows)).to_numpy()).sort_values(
        "_failed", kind="stable"
    )
    return ordered["id"].astype(str).tolist()


def _state(row: pd.Series) -> str:
    code = row.get("code")
    if code is None or pd.isna(code) or int(code) == EVALUATED:
        return "evaluated"
    name = str(row.get("code_name") or "")
    return "failed" if "FAIL" in name or "NEED" in name or "ERROR" in name else "not ready"


def _text(row: pd.Series, key: str) -> str:
    value = row.get(key)
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def option_label(row: pd.Series) -> str:
    """Name an evaluation in a picker, short: model, dataset version and state.

    The full text (:func:`option_title`) goes in the picker's tooltip.

    Examples
    --------
    >>> option_label(pd.Series({"id": "e1", "model_id": "m", "dataset_version_id": "v2",
    ...                         "code": 21300}))
    'm · v2 · evaluated'
    >>> option_label(pd.Series({"id": "e2", "model_id": "m", "code": 21315,
    ...                         "code_name": "MODEL_EVALUATION_FAILED"}))
    'm · no version · failed'
    """
    version = _text(row, "dataset_version_id") or "no version"
    return f"{_text(row, 'model_id') or row['id']} · {version} · {_state(row)}"


def option_title(row: pd.Series) -> str:
    """Describe an evaluation in full: id, model, dataset and version, status and its reason.

    Examples
    --------
    >>> option_title(pd.Series({"id": "e1", "model_id": "m", "dataset_id": "d",
    ...     "dataset_version_id": "v2", "code_name": "MODEL_EVALUATED"}))
    'evaluation e1 of model m on d / v2: MODEL_EVALUATED'
    """
    where = " / ".join(p for p in (_text(row, "dataset_id"), _text(row, "dataset_version_id")) if p)
    status = ": ".join(p for p in (_text(row, "code_name"), _text(row, "description")) if p)
    text = f"evaluation {row['id']}"
    text += f" of model {_text(row, 'model_id')}" if _text(row, "model_id") else ""
    text += f" on {where}" if where else ""
    return text + (f": {status}" if status else "")


def options(listing: pd.DataFrame, ids: list[str]) -> list[tuple[str, str]]:
    """Picker options ``(label, id)`` of these evaluations; a label shared by two gets the id."""
    rows = listing.set_index(listing["id"].astype(str))
    labels = [option_label(rows.loc[i]) for i in ids]
    return [
        (f"{label} · {i}" if labels.count(label) > 1 else label, i)
        for label, i in zip(labels, ids, strict=True)
    ]
