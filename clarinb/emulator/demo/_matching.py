"""COCO-style matching of detections to objects, for every IoU threshold and area range.

Objects and detections of one concept in one image are matched as COCO's
evaluation does: by decreasing score, each detection takes the unmatched
object with the highest IoU at or above the threshold, preferring objects
inside the area range; objects outside the range, and detections matched to
them or unmatched and outside it, are ignored.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["AREAS", "Box", "Image", "Prepared", "area", "image", "iou", "match", "prepare"]

#: Area ranges (name, min, max) in square pixels, as COCO's.
AREAS: tuple[tuple[str, float, float], ...] = (
    ("all", 0.0, 1e10),
    ("small", 0.0, 32.0**2),
    ("medium", 32.0**2, 96.0**2),
    ("large", 96.0**2, 1e10),
)

Box = tuple[float, float, float, float]


def iou(a: Box, b: Box) -> float:
    """Return the intersection over union of two boxes (top, left, bottom, right).

    Parameters
    ----------
    a, b : tuple of float

    Returns
    -------
    float
    """
    h = min(a[2], b[2]) - max(a[0], b[0])
    w = min(a[3], b[3]) - max(a[1], b[1])
    if h <= 0 or w <= 0:
        return 0.0
    inter = h * w
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def area(box: Box) -> float:
    """Return a normalised box's area (a fraction of the image).

    Parameters
    ----------
    box : tuple of float

    Returns
    -------
    float
    """
    return (box[2] - box[0]) * (box[3] - box[1])


Image = tuple[list[float], list[tuple[float, float]], list[list[float]], list[bool], list[int]]


def _pairs(ious: list[list[float]], thr: float, ignored_gt: list[bool]) -> list[int]:
    """COCO's greedy matching: the object index each detection matches, or -1.

    Detections come by decreasing score; each takes the unmatched object with
    the highest IoU at or above ``thr``, objects in range before ignored ones.
    """
    limit = min(thr, 1 - 1e-10)
    if len(ignored_gt) == 1:  # the common case: the first detection close enough takes it
        hit = next((d for d, row in enumerate(ious) if row[0] >= limit), -1)
        return [0 if d == hit else -1 for d in range(len(ious))]
    order = sorted(range(len(ignored_gt)), key=lambda g: ignored_gt[g])
    taken = [False] * len(ignored_gt)
    out = []
    for row in ious:
        best, match = limit, -1
        for g in order:
            if taken[g]:
                continue
            if match > -1 and not ignored_gt[match] and ignored_gt[g]:
                break
            if row[g] < best:
                continue
            best, match = row[g], g
        if match > -1:
            taken[match] = True
        out.append(match)
    return out


def _in_range(area: float, k: int) -> bool:
    return AREAS[k][1] <= area <= AREAS[k][2]


def image(gts: list[Box], dts: list[tuple[Box, float]], px: float) -> Image:
    """Return one image's objects and detections of one concept, ready to match.

    Parameters
    ----------
    gts : list of Box
        The objects.
    dts : list of (Box, float)
        The detections and their scores, by decreasing score.
    px : float
        The image's width x height in pixels.

    Returns
    -------
    Image
        Object areas, detection (area, score), detection x object IoUs,
        whether each area range splits the objects, objects per range.
    """
    gt_areas = [area(b) * px for b in gts]
    inside = [[_in_range(a, k) for a in gt_areas] for k in range(len(AREAS))]
    return (
        gt_areas,
        [(area(b) * px, s) for b, s in dts],
        [[iou(b, g) for g in gts] for b, _ in dts],
        [any(f) and not all(f) for f in inside],
        [sum(f) for f in inside],
    )


class Prepared(NamedTuple):
    """One concept's detections over all images, flattened once for every IoU."""

    scores: np.ndarray
    det_area: np.ndarray
    split: np.ndarray  # (detections, areas): the range splits the image's objects
    # Detections in images with one object: row, IoU with it, image number, its area.
    single: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    others: list[tuple[Image, int]]  # images with several objects, and their first row


def prepare(images: list[Image]) -> Prepared:
    """Flatten one concept's images for :func:`match` (done once for every IoU).

    Parameters
    ----------
    images : list of Image
        From :func:`image`.

    Returns
    -------
    Prepared
    """
    scores: list[float] = []
    det_area: list[float] = []
    split: list[list[bool]] = []
    single: tuple[list[int], list[float], list[int], list[float]] = ([], [], [], [])
    others: list[tuple[Image, int]] = []
    for number, image in enumerate(images):
        gt_areas, dts, ious, mixed, _ = image
        start = len(scores)
        scores += [s for _, s in dts]
        det_area += [a for a, _ in dts]
        split += [mixed] * len(dts)
        if len(gt_areas) == 1:
            for d, row in enumerate(ious):
                single[0].append(start + d)
                single[1].append(row[0])
                single[2].append(number)
                single[3].append(gt_areas[0])
        elif gt_areas:
            others.append((image, start))
    return Prepared(
        np.array(scores, dtype=float),
        np.array(det_area, dtype=float),
        np.array(split, dtype=bool).reshape(-1, len(AREAS)),
        (
            np.array(single[0], dtype=np.intp),
            np.array(single[1], dtype=float),
            np.array(single[2], dtype=np.intp),
            np.array(single[3], dtype=float),
        ),
        others,
    )


def match(prep: Prepared, thr: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Match every image's detections of one concept at one IoU, for every area range.

    Detections come by decreasing score within each image.  Returns, per
    range of :data:`AREAS`, the scores and true-positive flags of the
    detections not ignored.
    """
    gt_area = np.full(len(prep.scores), np.nan)
    # One object: the best-scored detection close enough takes it, whatever the range.
    rows, ious, numbers, areas = prep.single
    close = ious >= min(thr, 1 - 1e-10)
    _, first = np.unique(numbers[close], return_index=True)
    taken = rows[close][first]
    gt_area[taken] = areas[close][first]
    extra: list[list[tuple[float, bool]]] = [[] for _ in AREAS]
    for (gt_areas, dts, pair_ious, mixed, _), start in prep.others:
        if not all(mixed):
            # With every object on the same side of a range, the pairs do not depend on it.
            for d, m in enumerate(_pairs(pair_ious, thr, [False] * len(gt_areas))):
                if m > -1:
                    gt_area[start + d] = gt_areas[m]
        for k in range(len(AREAS)):
            if not mixed[k]:
                continue
            ignored_gt = [not _in_range(a, k) for a in gt_areas]
            for (area, s), m in zip(dts, _pairs(pair_ious, thr, ignored_gt), strict=True):
                ignored = ignored_gt[m] if m > -1 else not _in_range(area, k)
                if not ignored:
                    extra[k].append((s, m > -1))
    matched = ~np.isnan(gt_area)
    out = []
    for k, (_, lo, hi) in enumerate(AREAS):
        with np.errstate(invalid="ignore"):
            inside = np.where(
                matched,
                (lo <= gt_area) & (gt_area <= hi),
                (lo <= prep.det_area) & (prep.det_area <= hi),
            )
        keep = inside & ~prep.split[:, k]
        if extra[k]:
            out.append(
                (
                    np.concatenate([prep.scores[keep], [v for v, _ in extra[k]]]),
                    np.concatenate([matched[keep], np.array([t for _, t in extra[k]], bool)]),
                )
            )
        else:
            out.append((prep.scores[keep], matched[keep]))
    return out
