"""Reading the evaluations listing: which evaluation to open, how to name it in a picker."""

from __future__ import annotations

import pandas as pd

__all__ = ["EVALUATED", "candidates", "option_label", "for_model"]

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


def option_label(row: pd.Series) -> str:
    """Name an evaluation in a picker: its dataset version and, unless it finished, its state.

    Examples
    --------
    >>> option_label(pd.Series({"id": "e1", "dataset_version_id": "v2", "code": 21300}))
    'e1 (on v2)'
    >>> option_label(pd.Series({"id": "e2", "code": 21315, "code_name": "MODEL_EVALUATION_FAILED"}))
    'e2 (failed)'
    """
    version = row.get("dataset_version_id")
    label = str(row["id"]) + (f" (on {version})" if isinstance(version, str) and version else "")
    code = row.get("code")
    if code is not None and not pd.isna(code) and int(code) != EVALUATED:
        name = str(row.get("code_name") or "")
        state = "failed" if "FAIL" in name or "NEED" in name or "ERROR" in name else "not ready"
        label = f"{row['id']} ({state})"
    return label
