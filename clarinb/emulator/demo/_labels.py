"""Ground truth read from wire annotations: input-level tags and boxed objects per input."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Box", "Labels", "read_labels"]

#: A box (top_row, left_col, bottom_row, right_col), fractions of the image.
Box = tuple[float, float, float, float]


@dataclass
class Labels:
    """What a set of annotations says about each input.

    Attributes
    ----------
    positive : dict
        Input id -> concept ids labelled present at input level.
    negative : dict
        Input id -> concept ids labelled absent (value 0) at input level.
    objects : dict
        Input id -> (concept id, box) of each region with a positive concept;
        a polygon counts as its enclosing box, points are left out.
    sources : dict
        Input id -> (annotation id, region id) of each of its ``objects``, in
        the same order: where each object was read from.
    """

    positive: dict[str, list[str]] = field(default_factory=dict)
    negative: dict[str, list[str]] = field(default_factory=dict)
    objects: dict[str, list[tuple[str, Box]]] = field(default_factory=dict)
    sources: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def _box(info: dict[str, Any]) -> Box | None:
    if "bounding_box" in info:
        b = info["bounding_box"]
        return (
            b.get("top_row", 0.0),
            b.get("left_col", 0.0),
            b.get("bottom_row", 0.0),
            b.get("right_col", 0.0),
        )
    points = (info.get("polygon") or {}).get("points")
    if points:
        rows = [p.get("row", 0.0) for p in points]
        cols = [p.get("col", 0.0) for p in points]
        return (min(rows), min(cols), max(rows), max(cols))
    return None


def read_labels(annotations: Iterable[dict[str, Any]] | Labels) -> Labels:
    """Read the ground truth of wire Annotations (a :class:`Labels` is returned as is).

    Parameters
    ----------
    annotations : iterable of dict or Labels
        Wire Annotations.  A concept without ``value`` counts as positive,
        as the API's request default of 1.

    Returns
    -------
    Labels
    """
    if isinstance(annotations, Labels):
        return annotations
    out = Labels()
    for ann in annotations:
        iid = str(ann.get("input_id"))
        data = ann.get("data") or {}
        for c in data.get("concepts") or ():
            side = out.positive if float(c.get("value", 1.0)) > 0 else out.negative
            side.setdefault(iid, []).append(c["id"])
        for region in data.get("regions") or ():
            box = _box(region.get("region_info") or {})
            names = [
                c["id"]
                for c in (region.get("data") or {}).get("concepts") or ()
                if float(c.get("value", 1.0)) > 0
            ]
            if box is not None and names:
                out.objects.setdefault(iid, []).append((names[0], box))
                source = (str(ann.get("id") or ""), str(region.get("id") or ""))
                out.sources.setdefault(iid, []).append(source)
    return out
