"""Walk an evaluation's ``test_set`` entries once, collecting ids and scores into flat lists.

A fast path reads well-formed bodies with C-level getters; any surprise
(an omitted zero value, a wrong type) sends the whole walk to the careful
path, which accepts every proto3 encoding and names the bad part otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from operator import itemgetter
from typing import Any

from clarinb.errors import ResponseFormatError
from clarinb.frames._coerce import field, items, number, obj, text

__all__ = ["Collected", "collect", "collect_careful"]

_ID = itemgetter("id")
_VALUE = itemgetter("value")
_NUMBERS = frozenset({float, int})
_STRINGS = frozenset({str})


@dataclass
class Collected:
    """Flat lists of one test set: per entry, and per predicted / ground-truth concept."""

    input_ids: list[str] = dc_field(default_factory=list)
    pred_counts: list[int] = dc_field(default_factory=list)
    pred_ids: list[Any] = dc_field(default_factory=list)
    pred_values: list[Any] = dc_field(default_factory=list)
    gt_counts: list[int] = dc_field(default_factory=list)
    gt_ids: list[Any] = dc_field(default_factory=list)
    gt_values: list[Any] = dc_field(default_factory=list)


def _annotation_concepts(entry: dict[str, Any], key: str, path: str) -> list[dict[str, Any]]:
    """Image-level and region concepts of a detector entry's annotation."""
    annotation = obj(field(entry, key), f"{path}.{key}")
    if not annotation:
        return []
    data = obj(field(annotation, "data"), f"{path}.{key}.data")
    found = [
        obj(c, f"{path}.{key}.data.concepts[{j}]")
        for j, c in enumerate(items(field(data, "concepts"), f"{path}.{key}.data.concepts"))
    ]
    regions = items(field(data, "regions"), f"{path}.{key}.data.regions")
    for r, raw in enumerate(regions):
        rp = f"{path}.{key}.data.regions[{r}]"
        region_data = obj(field(obj(raw, rp), "data"), f"{rp}.data")
        concepts = items(field(region_data, "concepts"), f"{rp}.data.concepts")
        found.extend(obj(c, f"{rp}.data.concepts[{j}]") for j, c in enumerate(concepts))
    return found


def _fast(entries: list[Any]) -> Collected:
    out = Collected()
    for entry in entries:
        out.input_ids.append(entry["input"]["id"])
        preds = field(entry, "predicted_concepts") or []
        gts = field(entry, "ground_truth_concepts") or []
        if field(entry, "predicted_annotation") or field(entry, "ground_truth_annotation"):
            raise LookupError  # detector entries take the careful path
        out.pred_counts.append(len(preds))
        out.pred_ids.extend(map(_ID, preds))
        out.pred_values.extend(map(_VALUE, preds))
        out.gt_counts.append(len(gts))
        out.gt_ids.extend(map(_ID, gts))
        out.gt_values.extend(map(_VALUE, gts))
    return out


def collect_careful(entries: list[Any], path: str) -> Collected:
    """Collect like :func:`collect`, checking every value and naming the first bad one."""
    out = Collected()
    for i, raw in enumerate(entries):
        p = f"{path}[{i}]"
        entry = obj(raw, p)
        inp = obj(field(entry, "input"), f"{p}.input")
        input_id = text(field(inp, "id"), f"{p}.input.id")
        if not input_id:
            raise ResponseFormatError(f"{p}.input.id: every test-set entry needs an input id")
        out.input_ids.append(input_id)
        for kind, key, annotation in (
            ("pred", "predicted_concepts", "predicted_annotation"),
            ("gt", "ground_truth_concepts", "ground_truth_annotation"),
        ):
            concepts = [
                obj(c, f"{p}.{key}[{j}]")
                for j, c in enumerate(items(field(entry, key), f"{p}.{key}"))
            ]
            concepts += _annotation_concepts(entry, annotation, p)
            ids = getattr(out, f"{kind}_ids")
            values = getattr(out, f"{kind}_values")
            for j, c in enumerate(concepts):
                ids.append(text(field(c, "id"), f"{p}.{key}[{j}].id"))
                values.append(number(field(c, "value"), f"{p}.{key}[{j}].value"))
            getattr(out, f"{kind}_counts").append(len(concepts))
    return out


def collect(entries: list[Any], path: str) -> Collected:
    """Collect the ids and values of every entry.

    Parameters
    ----------
    entries : list
        The ``test_set`` list of an EvalMetrics.
    path : str
        Its path in the body, for error messages.

    Returns
    -------
    Collected
        ``pred_*`` hold predicted concepts (and, for detectors, the concepts
        of predicted regions); ``gt_*`` ground-truth ones.

    Raises
    ------
    ResponseFormatError
        Naming the first entry or concept of the wrong shape.
    """
    try:
        out = _fast(entries)
    except (LookupError, TypeError, AttributeError):
        return collect_careful(entries, path)
    if not all(isinstance(i, str) and i for i in out.input_ids):
        return collect_careful(entries, path)
    # Only string concept ids stay on the fast path (not {}, [], numbers or null).
    if not _STRINGS.issuperset(map(type, out.pred_ids)) or not _STRINGS.issuperset(
        map(type, out.gt_ids)
    ):
        return collect_careful(entries, path)
    # Only plain JSON numbers stay on the fast path (not true/false, strings or null).
    if not _NUMBERS.issuperset(map(type, out.pred_values)) or not _NUMBERS.issuperset(
        map(type, out.gt_values)
    ):
        return collect_careful(entries, path)
    return out
