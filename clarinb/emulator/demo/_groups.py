"""Dataset-version metrics groups computed from inputs and annotations.

Groups and paths
----------------
Top-level groups have ``parent_path`` ``""`` (left out, as proto3 JSON leaves
empty strings out): the total group (no ``type``,
value ``"total"``), then one group per value of every other
DatasetVersionMetricsGroupType.  Under each concept ``c`` found in the
version, the same set of groups (except CONCEPT_ID) is repeated with
``parent_path`` ``"/concept_id/<c>"`` over the inputs labelled ``c``; there
region and tag counts only count ``c``'s regions and tags (so that subtree's
total equals the top-level CONCEPT_ID group of ``c``), while CONCEPTS_COUNT
still counts all of an input's concepts.

Values
------
INPUT_TYPE: ``"image"``, ``"video"``, ``"text"`` or ``"audio"``.
CONCEPTS_COUNT: distinct positive input-level concepts.  *_COUNT of regions:
regions of that kind on the input and its video frames.  PIXELS_COUNT: start
of a bin of :data:`PIXELS_BIN` pixels (width x height).  ASPECT_RATIO: start of
a bin of :data:`ASPECT_BIN` (width / height).  Count values are numbers.

Metrics
-------
Every count is a uint64 string, ``"0"`` included.  ``regions_count`` and the
per-kind counts include regions inside video frames; ``region_inputs_count``
counts inputs with regions of their own (not through frames).
``region_location_matrix`` (only where regions exist) is a
:data:`GRID` x :data:`GRID` grid, row-major, of region centres (top-left cell
first).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from clarinb._wire import METRICS_COUNT_FIELDS

__all__ = ["ASPECT_BIN", "GRID", "PIXELS_BIN", "TYPE_ORDER", "concept_path", "metrics_groups"]

PIXELS_BIN = 100_000
ASPECT_BIN = 0.1
GRID = 4
#: Group types in the order they are listed (enum numbers).
TYPE_ORDER = (2, 10, 11, 20, 21, 22, 23, 30, 31)
_KINDS = {"bounding_box": 20, "polygon": 21, "point": 22, "mask": 23}


def concept_path(concept_id: str) -> str:
    """Return the ``parent_path`` of the groups under a concept.

    Parameters
    ----------
    concept_id : str
        The concept.

    Returns
    -------
    str
        ``"/concept_id/<concept_id>"``.
    """
    return f"/concept_id/{concept_id}"


# The demo computes no embeddings, so it reports every count but that one.
_METRIC_KEYS = tuple(k for k in METRICS_COUNT_FIELDS if k != "embeddings_count")
_COLUMN = {k: j for j, k in enumerate(_METRIC_KEYS)}


def _positive(concepts: Iterable[dict[str, Any]] | None) -> list[str]:
    return [str(c["id"]) for c in concepts or () if float(c.get("value", 1.0)) > 0]


def _centre(info: dict[str, Any]) -> tuple[float, float] | None:
    if "bounding_box" in info:
        b = info["bounding_box"]
        return (
            (b.get("top_row", 0.0) + b.get("bottom_row", 0.0)) / 2,
            (b.get("left_col", 0.0) + b.get("right_col", 0.0)) / 2,
        )
    points = (info.get("polygon") or {}).get("points")
    if points:
        return (
            sum(p.get("row", 0.0) for p in points) / len(points),
            sum(p.get("col", 0.0) for p in points) / len(points),
        )
    if "point" in info:
        return (info["point"].get("row", 0.0), info["point"].get("col", 0.0))
    return None


class _Tables:
    """The inputs, tags and regions of a version as flat arrays (one row per thing)."""

    def __init__(self, inputs: Iterable[dict[str, Any]], annotations: Iterable[dict]) -> None:
        self.concepts: dict[str, int] = {}
        index: dict[str, int] = {}
        self.types: list[str] = []
        self.pixels: list[int] = []
        self.aspect: list[float] = []
        meta, geo = [], []
        for inp in inputs:
            index[str(inp["id"])] = len(index)
            data = inp.get("data") or {}
            kind = next((k for k in ("image", "video", "text", "audio") if k in data), "image")
            info = (data.get(kind) or {}).get(f"{kind}_info") or {}
            w, h = info.get("width"), info.get("height")
            self.types.append(kind)
            self.pixels.append(int(w) * int(h) // PIXELS_BIN * PIXELS_BIN if w and h else -1)
            self.aspect.append(
                round(math.floor(w / h / ASPECT_BIN + 1e-9) * ASPECT_BIN, 1) if w and h else -1.0
            )
            meta.append(bool(data.get("metadata")))
            geo.append(bool(data.get("geo")))
        self.n = len(index)
        self.meta, self.geo = np.array(meta, bool), np.array(geo, bool)
        tags: list[tuple[int, int]] = []
        ftags: list[tuple[int, int]] = []
        regions: list[tuple[int, int, int, int]] = []  # input, kind, cell, frame (-1: none)
        region_concepts: list[tuple[int, int]] = []
        frames = np.zeros(self.n, np.int64)
        n_frames = 0
        for ann in annotations:
            i = index.get(str(ann.get("input_id")))
            if i is None:
                continue
            data = ann.get("data") or {}
            tags += [(i, self._code(c)) for c in _positive(data.get("concepts"))]
            holders = [(-1, data)]
            for frame in data.get("frames") or ():
                fdata = frame.get("data") or {}
                ftags += [(i, self._code(c)) for c in _positive(fdata.get("concepts"))]
                holders.append((n_frames, fdata))
                frames[i] += 1
                n_frames += 1
            for frame_no, holder in holders:
                for raw in holder.get("regions") or ():
                    info = raw.get("region_info") or {}
                    shape = next((n for k, n in _KINDS.items() if k in info), 20)
                    centre = _centre(info)
                    cell = -1 if centre is None else _cell(centre)
                    region_concepts += [
                        (len(regions), self._code(c))
                        for c in _positive((raw.get("data") or {}).get("concepts"))
                    ]
                    regions.append((i, shape, cell, frame_no))
        self.frames = frames
        self.tags = np.array(tags, np.int64).reshape(-1, 2)
        self.ftags = np.array(ftags, np.int64).reshape(-1, 2)
        self.regions = np.array(regions, np.int64).reshape(-1, 4)
        self.region_concepts = np.array(region_concepts, np.int64).reshape(-1, 2)
        self.n_region_concepts = np.bincount(self.region_concepts[:, 0], minlength=len(regions))
        pairs = np.concatenate(
            [
                self.tags,
                self.ftags,
                np.stack(
                    [self.regions[self.region_concepts[:, 0], 0], self.region_concepts[:, 1]],
                    axis=1,
                ),
            ]
        )
        member = np.zeros((self.n, len(self.concepts)), bool)
        member[pairs[:, 0], pairs[:, 1]] = True
        self.member = member
        self.distinct_tags = np.zeros(self.n, np.int64)
        if len(self.tags):
            unique = np.unique(self.tags, axis=0)
            self.distinct_tags = np.bincount(unique[:, 0], minlength=self.n)

    def _code(self, concept_id: str) -> int:
        return self.concepts.setdefault(concept_id, len(self.concepts))

    def per_input(self, only: int | None) -> tuple[np.ndarray, np.ndarray]:
        """Per-input metric matrix (inputs x metrics) and the mask of regions counted."""
        n, reg = self.n, self.regions
        if only is None:
            mask = np.ones(len(reg), bool)
            tag_rows, ftag_rows = self.tags, self.ftags
            region_tags = self.n_region_concepts
        else:
            mask = np.zeros(len(reg), bool)
            mask[self.region_concepts[self.region_concepts[:, 1] == only, 0]] = True
            tag_rows = self.tags[self.tags[:, 1] == only]
            ftag_rows = self.ftags[self.ftags[:, 1] == only]
            region_tags = np.ones(len(reg), np.int64)
        m = np.zeros((n, len(_METRIC_KEYS)), np.int64)

        def count(rows: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
            return np.bincount(rows, weights=weights, minlength=n).astype(np.int64)

        kept = reg[mask]
        m[:, _COLUMN["inputs_count"]] = 1
        m[:, _COLUMN["unlabeled_inputs_count"]] = ~self.member.any(axis=1)
        m[:, _COLUMN["inputs_with_metadata_count"]] = self.meta
        m[:, _COLUMN["inputs_with_geo_count"]] = self.geo
        m[:, _COLUMN["regions_count"]] = count(kept[:, 0])
        for name, kind in _KINDS.items():
            key = "bounding_boxes_count" if name == "bounding_box" else f"{name}s_count"
            m[:, _COLUMN[key]] = count(kept[kept[:, 1] == kind, 0])
        m[:, _COLUMN["region_inputs_count"]] = count(kept[kept[:, 3] < 0, 0]) > 0
        framed = np.unique(kept[kept[:, 3] >= 0][:, [0, 3]], axis=0)
        m[:, _COLUMN["region_frames_count"]] = count(framed[:, 0])
        m[:, _COLUMN["frames_count"]] = self.frames
        m[:, _COLUMN["frame_inputs_count"]] = self.frames > 0
        m[:, _COLUMN["positive_input_tags_count"]] = count(tag_rows[:, 0])
        m[:, _COLUMN["positive_region_tags_count"]] = count(kept[:, 0], region_tags[mask])
        m[:, _COLUMN["positive_frame_tags_count"]] = count(ftag_rows[:, 0])
        return m, mask


def _cell(centre: tuple[float, float]) -> int:
    row = min(GRID - 1, max(0, int(centre[0] * GRID)))
    col = min(GRID - 1, max(0, int(centre[1] * GRID)))
    return row * GRID + col


def _wire(sums: np.ndarray, grid: np.ndarray) -> dict[str, Any]:
    out: dict[str, Any] = {k: str(int(v)) for k, v in zip(_METRIC_KEYS, sums, strict=True)}
    if sums[_COLUMN["regions_count"]]:
        out["region_location_matrix"] = {"n_cols": str(GRID), "data": [str(int(v)) for v in grid]}
    return out


def _buckets(
    t: _Tables, members: np.ndarray, m: np.ndarray, mask: np.ndarray, keys: Sequence[Any]
) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """Sum the metrics and region grids of ``members`` by key (``None`` keys left out)."""
    values = sorted({k for k in keys if k is not None})
    code_of = {v: j for j, v in enumerate(values)}
    bucket = np.full(t.n, -1, np.int64)
    bucket[members] = [code_of.get(k, -1) if k is not None else -1 for k in keys]
    sums = np.zeros((len(values), len(_METRIC_KEYS)), np.int64)
    rows = bucket >= 0
    np.add.at(sums, bucket[rows], m[rows])
    reg = t.regions
    rb = bucket[reg[:, 0]] if len(reg) else np.zeros(0, np.int64)
    ok = mask & (rb >= 0) & (reg[:, 2] >= 0) if len(reg) else np.zeros(0, bool)
    cells = np.bincount(rb[ok] * GRID * GRID + reg[ok, 2], minlength=len(values) * GRID * GRID)
    return values, sums, cells.reshape(len(values), GRID * GRID)


def _copy(metrics: dict[str, Any]) -> dict[str, Any]:
    out = dict(metrics)
    if "region_location_matrix" in out:
        matrix = out["region_location_matrix"]
        out["region_location_matrix"] = {"n_cols": matrix["n_cols"], "data": list(matrix["data"])}
    return out


def _group(path: str, group_type: int, value: Any, metrics: dict[str, Any]) -> dict[str, Any]:
    """One group in wire form: an empty path and the NOT_SET type are left out."""
    out: dict[str, Any] = {"parent_path": path} if path else {}
    if group_type:
        out["type"] = group_type
    out["value"] = value
    out["metrics"] = metrics
    return out


def _level(t: _Tables, members: np.ndarray, path: str, only: int | None) -> list[dict]:
    m, mask = t.per_input(only)
    total = m[members].sum(axis=0)
    reg = t.regions
    in_level = np.zeros(t.n, bool)
    in_level[members] = True
    ok = mask & in_level[reg[:, 0]] & (reg[:, 2] >= 0) if len(reg) else np.zeros(0, bool)
    grid = np.bincount(reg[ok, 2], minlength=GRID * GRID) if len(reg) else np.zeros(GRID * GRID)
    out: list[dict[str, Any]] = [_group(path, 0, "total", _wire(total, grid))]
    kind_column = {
        20: "bounding_boxes_count",
        21: "polygons_count",
        22: "points_count",
        23: "masks_count",
    }
    for group_type in TYPE_ORDER:
        if group_type == 10:
            continue  # concept groups are the totals of the concept subtrees
        if group_type == 2:
            keys: list[Any] = [t.types[i] for i in members]
        elif group_type == 11:
            keys = [int(v) for v in t.distinct_tags[members]]
        elif group_type in kind_column:
            keys = [int(v) for v in m[members, _COLUMN[kind_column[group_type]]]]
        elif group_type == 30:
            keys = [t.pixels[i] if t.pixels[i] >= 0 else None for i in members]
        else:
            keys = [t.aspect[i] if t.aspect[i] >= 0 else None for i in members]
        values, sums, cells = _buckets(t, members, m, mask, keys)
        out += [_group(path, group_type, v, _wire(sums[j], cells[j])) for j, v in enumerate(values)]
    return out


def metrics_groups(
    inputs: Iterable[dict[str, Any]], annotations: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Compute a dataset version's DatasetVersionMetricsGroups.

    Parameters
    ----------
    inputs : iterable of dict
        The version's Inputs (wire form).
    annotations : iterable of dict
        Their Annotations (wire form); annotations of other inputs are ignored.

    Returns
    -------
    list of dict
        Wire-form groups: the top level (total, then the group types in enum
        order, CONCEPT_ID by decreasing input count then id, other values
        increasing), then each concept's subtree in the same concept order.
        See the module docstring for paths, values and metric meanings.
    """
    t = _Tables(inputs, annotations)
    top = _level(t, np.arange(t.n), "", None)
    names = list(t.concepts)
    counts = t.member.sum(axis=0)
    order = sorted(range(len(names)), key=lambda c: (-counts[c], names[c]))
    subtrees, concept_groups = [], []
    for c in order:
        sub = _level(t, np.flatnonzero(t.member[:, c]), concept_path(names[c]), c)
        subtrees += sub
        concept_groups.append(_group("", 10, names[c], _copy(sub[0]["metrics"])))
    at = next((j for j, g in enumerate(top) if g.get("type", 0) > 10), len(top))
    return top[:at] + concept_groups + top[at:] + subtrees
