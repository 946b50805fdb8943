"""Dataset-version metrics groups agree with the inputs and annotations they describe."""

from __future__ import annotations

import functools
import math
from collections import Counter
from typing import Any

import pytest

from clarinb.emulator.demo import build_workspace, concept_path, metrics_groups
from clarinb.emulator.demo._dataset import image_inputs, label_annotations, video_annotation
from clarinb.emulator.demo._facts import pictures

TYPES = {2, 10, 11, 20, 21, 22, 23, 30, 31}


def _image(iid: str, w: int, h: int, **data: Any) -> dict[str, Any]:
    return {
        "id": iid,
        "data": {"image": {"url": "x", "image_info": {"width": w, "height": h}}, **data},
    }


def _box(cid: str, top: float, left: float, bottom: float, right: float) -> dict[str, Any]:
    return {
        "region_info": {
            "bounding_box": {
                "top_row": top,
                "left_col": left,
                "bottom_row": bottom,
                "right_col": right,
            }
        },
        "data": {"concepts": [{"id": cid, "value": 1}]},
    }


TINY_INPUTS = [
    _image("a", 640, 480, metadata={"k": 1}),
    _image("b", 480, 640, geo={"geo_point": {"latitude": 1}}),
    {"id": "c", "data": {"video": {"video_info": {"width": 640, "height": 360}}}},
]
TINY_ANNOTATIONS = [
    {
        "input_id": "a",
        "data": {
            "concepts": [
                {"id": "cat", "value": 1},
                {"id": "dog", "value": 1},
                {"id": "fish", "value": 0},
            ]
        },
    },
    {"input_id": "a", "data": {"regions": [_box("cat", 0.0, 0.0, 0.2, 0.2)]}},
    {
        "input_id": "a",
        "data": {
            "regions": [
                {
                    "region_info": {
                        "polygon": {"points": [{"row": 0.5, "col": 0.8}, {"row": 0.7, "col": 1.0}]}
                    },
                    "data": {"concepts": [{"id": "dog", "value": 1}]},
                }
            ]
        },
    },
    {
        "input_id": "c",
        "data": {
            "frames": [
                {
                    "frame_info": {"time": "0"},
                    "data": {"regions": [_box("cat", 0.9, 0.9, 1.0, 1.0)]},
                },
                {"frame_info": {"time": "40"}, "data": {"concepts": [{"id": "cat", "value": 1}]}},
            ]
        },
    },
    {"input_id": "elsewhere", "data": {"concepts": [{"id": "cat", "value": 1}]}},
]


def _find(groups: list[dict], path: str, gtype: int | None, value: Any) -> dict[str, Any]:
    hits = [
        g
        for g in groups
        if g.get("parent_path", "") == path and g.get("type") == gtype and g["value"] == value
    ]
    assert len(hits) == 1, (path, gtype, value)
    return hits[0]["metrics"]


def test_tiny_total_by_hand() -> None:
    groups = metrics_groups(TINY_INPUTS, TINY_ANNOTATIONS)
    total = _find(groups, "", None, "total")
    assert total == {
        "inputs_count": "3",
        "unlabeled_inputs_count": "1",  # b
        "inputs_with_metadata_count": "1",
        "inputs_with_geo_count": "1",
        "regions_count": "3",  # a's box and polygon, c's frame box
        "bounding_boxes_count": "2",
        "polygons_count": "1",
        "points_count": "0",
        "masks_count": "0",
        "region_inputs_count": "1",  # a; c's regions are in frames
        "region_frames_count": "1",
        "frames_count": "2",
        "frame_inputs_count": "1",
        "positive_input_tags_count": "2",  # cat, dog (fish is negative)
        "positive_region_tags_count": "3",
        "positive_frame_tags_count": "1",
        # 4x4 grid of region centres: (0.1, 0.1) -> cell 0, (0.6, 0.9) -> 11, (0.95, 0.95) -> 15
        "region_location_matrix": {
            "n_cols": "4",
            "data": [
                "1",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "1",
                "0",
                "0",
                "0",
                "1",
            ],
        },
    }


def test_tiny_groups_by_type() -> None:
    groups = metrics_groups(TINY_INPUTS, TINY_ANNOTATIONS)
    assert _find(groups, "", 2, "image")["inputs_count"] == "2"
    assert _find(groups, "", 2, "video")["inputs_count"] == "1"
    assert [
        g["value"] for g in groups if g.get("type") == 10 and g.get("parent_path", "") == ""
    ] == [
        "cat",
        "dog",
    ]
    assert _find(groups, "", 11, 2)["inputs_count"] == "1"  # a: cat, dog
    assert _find(groups, "", 11, 0)["inputs_count"] == "2"  # b, and c (frame tags only)
    assert _find(groups, "", 20, 1)["inputs_count"] == "2"  # a, c
    assert _find(groups, "", 20, 0)["inputs_count"] == "1"
    assert _find(groups, "", 21, 1)["inputs_count"] == "1"
    assert _find(groups, "", 30, 300_000)["inputs_count"] == "2"  # 640x480 and 480x640
    assert _find(groups, "", 30, 200_000)["inputs_count"] == "1"  # 640x360
    assert _find(groups, "", 31, 1.3)["inputs_count"] == "1"
    assert _find(groups, "", 31, 0.7)["inputs_count"] == "1"
    assert _find(groups, "", 31, 1.7)["inputs_count"] == "1"


def test_tiny_concept_subtree_counts_only_that_concept() -> None:
    groups = metrics_groups(TINY_INPUTS, TINY_ANNOTATIONS)
    cat = concept_path("cat")
    assert cat == "/concept_id/cat"
    total = _find(groups, cat, None, "total")
    assert total == _find(groups, "", 10, "cat")
    assert total["inputs_count"] == "2"  # a and c
    assert total["regions_count"] == "2"
    assert total["polygons_count"] == "0"  # the polygon is a dog
    assert total["positive_input_tags_count"] == "1"
    assert total["positive_frame_tags_count"] == "1"
    assert _find(groups, cat, 20, 1)["inputs_count"] == "2"
    assert _find(groups, cat, 21, 0)["inputs_count"] == "2"
    assert _find(groups, cat, 11, 2)["inputs_count"] == "1"  # still all of a's concepts
    assert not [g for g in groups if g.get("parent_path", "") == cat and g.get("type") == 10]


def test_no_inputs_gives_only_a_zero_total() -> None:
    groups = metrics_groups([], [])
    assert len(groups) == 1
    assert groups[0]["metrics"]["inputs_count"] == "0"
    assert "region_location_matrix" not in groups[0]["metrics"]


# -- the demo's versions -------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _ws() -> dict[str, Any]:
    return build_workspace(0)


VERSIONS = ["wildlife/v1", "wildlife/v2", "wildlife/v3", "new-uploads/v1"]


def _content(key: str) -> tuple[list[dict], list[dict]]:
    """The inputs and annotations of a demo version, rebuilt from the picture facts."""
    pics = pictures(0)
    video = next(i for i in _ws()["inputs"] if "video" in i["data"])
    if key == "wildlife/v1":
        return image_inputs(pics[:400], relabelled=False), label_annotations(
            pics[:400], relabelled=False
        )
    if key == "new-uploads/v1":
        return [i for i in _ws()["inputs"] if "new-uploads" in i["dataset_ids"]], []
    fixed = key == "wildlife/v3"
    return (
        [*image_inputs(pics, relabelled=fixed), video],
        [*label_annotations(pics, relabelled=fixed), video_annotation()],
    )


def test_v3_is_the_current_state() -> None:
    inputs, annotations = _content("wildlife/v3")
    assert annotations == _ws()["annotations"]
    assert [i["id"] for i in inputs] == [i["id"] for i in _ws()["inputs"]]


@pytest.mark.parametrize("key", VERSIONS)
def test_stored_groups_are_recomputed_from_the_version(key: str) -> None:
    assert _ws()["metrics_groups"][key] == metrics_groups(*_content(key))


@pytest.mark.parametrize("key", VERSIONS[:3])
def test_groups_agree_with_a_plain_count(key: str) -> None:
    inputs, annotations = _content(key)
    groups = _ws()["metrics_groups"][key]
    top = [g for g in groups if g.get("parent_path", "") == ""]
    assert {g.get("type") for g in top} == TYPES | {None}
    concepts_of: dict[str, set[str]] = {i["id"]: set() for i in inputs}
    boxes: Counter[str] = Counter()
    n_regions = 0
    for ann in annotations:
        concepts_of[ann["input_id"]].update(c["id"] for c in ann["data"].get("concepts", []))
        holders = [ann["data"], *(f["data"] for f in ann["data"].get("frames", []))]
        for holder in holders:
            for r in holder.get("regions", []):
                n_regions += 1
                concepts_of[ann["input_id"]].update(c["id"] for c in r["data"]["concepts"])
                boxes[ann["input_id"]] += "bounding_box" in r["region_info"]
    total = _find(groups, "", None, "total")
    assert int(total["inputs_count"]) == len(inputs)
    assert int(total["regions_count"]) == n_regions
    assert sum(map(int, total["region_location_matrix"]["data"])) == n_regions
    assert int(total["unlabeled_inputs_count"]) == sum(not c for c in concepts_of.values())
    per_concept = Counter(c for cs in concepts_of.values() for c in cs)
    got = {g["value"]: int(g["metrics"]["inputs_count"]) for g in top if g.get("type") == 10}
    assert got == dict(per_concept)
    histogram = {g["value"]: int(g["metrics"]["inputs_count"]) for g in top if g.get("type") == 20}
    assert histogram == dict(Counter(boxes[i["id"]] for i in inputs))
    sizes = []
    for i in inputs:
        info = (
            i["data"]
            .get("image", i["data"].get("video", {}))
            .get("image_info", i["data"].get("video", {}).get("video_info"))
        )
        sizes.append((info["width"], info["height"]))
    pixels = {g["value"]: int(g["metrics"]["inputs_count"]) for g in top if g.get("type") == 30}
    assert pixels == dict(Counter(w * h // 100_000 * 100_000 for w, h in sizes))
    aspect = {g["value"]: int(g["metrics"]["inputs_count"]) for g in top if g.get("type") == 31}
    assert aspect == dict(Counter(math.floor(w / h * 10 + 1e-9) / 10 for w, h in sizes))
    for gtype in TYPES - {10}:
        assert sum(int(g["metrics"]["inputs_count"]) for g in top if g.get("type") == gtype) == len(
            inputs
        ), gtype


@pytest.mark.parametrize("key", VERSIONS[:3])
def test_each_concept_has_a_subtree_whose_total_is_its_group(key: str) -> None:
    groups = _ws()["metrics_groups"][key]
    concepts = [g for g in groups if g.get("parent_path", "") == "" and g.get("type") == 10]
    paths = {g.get("parent_path", "") for g in groups}
    assert paths == {""} | {concept_path(g["value"]) for g in concepts}
    for g in concepts:
        assert _find(groups, concept_path(g["value"]), None, "total") == g["metrics"]
        sub = [s for s in groups if s.get("parent_path", "") == concept_path(g["value"])]
        assert {s.get("type") for s in sub} == (TYPES - {10}) | {None}
