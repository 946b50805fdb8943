"""The demo workspace: deterministic, complete, in wire form, parseable by clarifai-grpc."""

from __future__ import annotations

import base64
import copy
import functools
import re
import struct
import zlib
from collections import Counter
from typing import Any

import pytest
from clarifai_grpc.grpc.api import resources_pb2
from google.protobuf import json_format

from clarinb.emulator.demo import FORMAT, MODELS, build_workspace

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


@functools.lru_cache(maxsize=2)
def _built(seed: int) -> dict[str, Any]:
    return build_workspace(seed)


@pytest.fixture(scope="module")
def ws() -> dict[str, Any]:
    return copy.deepcopy(_built(0))


def _walk(value: Any, path: str = ""):
    """Yield (path, key, value) for every dict entry, recursively."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path, k, v
            yield from _walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR"
    assert length == 13
    width, height = struct.unpack(">II", data[16:24])
    assert zlib.crc32(data[12:29]) == struct.unpack(">I", data[29:33])[0]
    return width, height


# -- determinism ---------------------------------------------------------------------------


def test_same_seed_gives_the_same_workspace() -> None:
    assert build_workspace(0) == _built(0)


def test_another_seed_gives_other_data_of_the_same_shape() -> None:
    a, b = _built(0), _built(1)
    assert a["inputs"] != b["inputs"]
    assert a["evaluations"][0]["summary"] != b["evaluations"][0]["summary"]
    assert len(a["inputs"]) == len(b["inputs"])
    assert [e["id"] for e in a["evaluations"]] == [e["id"] for e in b["evaluations"]]
    assert b["seed"] == 1


def test_building_leaves_the_garbage_collector_as_it_was(ws: dict[str, Any]) -> None:
    import gc

    assert gc.isenabled()  # after the fixture's build
    gc.disable()
    try:
        _built.cache_clear()
        _built(0)
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- contents ------------------------------------------------------------------------------


def test_header(ws: dict[str, Any]) -> None:
    assert ws["format"] == FORMAT == "clarinb-workspace/1"
    assert (ws["user_id"], ws["app_id"]) == ("demo-user", "demo-app")
    for key in (
        "datasets",
        "dataset_versions",
        "metrics_groups",
        "inputs",
        "annotations",
        "models",
        "model_types",
        "evaluations",
        "label_orders",
        "inputs_add_jobs",
        "inputs_extraction_jobs",
        "searches",
        "images",
    ):
        assert ws[key], key


def test_inputs_images_and_video(ws: dict[str, Any]) -> None:
    images = [i for i in ws["inputs"] if "image" in i["data"]]
    videos = [i for i in ws["inputs"] if "video" in i["data"]]
    assert len(images) >= 500
    assert len(videos) >= 1
    assert len({i["id"] for i in ws["inputs"]}) == len(ws["inputs"])
    for inp in images:
        image = inp["data"]["image"]
        assert image["url"] == f"/media/{inp['id']}.png"
        info = image["image_info"]
        width, height = _png_size(base64.b64decode(ws["images"][inp["id"]]))
        assert max(width, height) == 64
        # The served thumbnail keeps the claimed aspect ratio.
        assert abs(width / height - info["width"] / info["height"]) < 0.05
        assert "wildlife" in inp["dataset_ids"]
    video = videos[0]["data"]["video"]
    assert video["video_info"]["frame_count"] > 0
    assert video["thumbnail_url"] == f"/media/{videos[0]['id']}.png"


def test_video_frames_have_pictures_and_boxes(ws: dict[str, Any]) -> None:
    video_id = next(i["id"] for i in ws["inputs"] if "video" in i["data"])
    frames = [
        f
        for a in ws["annotations"]
        if a["input_id"] == video_id
        for f in a["data"].get("frames", [])
    ]
    assert len(frames) >= 4
    times = [int(f["frame_info"]["time"]) for f in frames]
    assert times == sorted(times)
    for frame in frames:
        key = frame["data"]["image"]["url"].removeprefix("/media/").removesuffix(".png")
        assert _png_size(base64.b64decode(ws["images"][key])) == (64, 36)
        assert frame["data"]["regions"][0]["region_info"]["bounding_box"]


def test_annotations_hold_concepts_boxes_and_polygons(ws: dict[str, Any]) -> None:
    kinds: Counter[str] = Counter()
    input_ids = {i["id"] for i in ws["inputs"]}
    for ann in ws["annotations"]:
        assert ann["input_id"] in input_ids
        for region in ann["data"].get("regions", []):
            kinds.update(region["region_info"].keys())
            box = region["region_info"].get("bounding_box")
            if box:
                assert 0 <= box["top_row"] < box["bottom_row"] <= 1
                assert 0 <= box["left_col"] < box["right_col"] <= 1
            for point in region["region_info"].get("polygon", {}).get("points", []):
                assert 0 <= point["row"] <= 1
                assert 0 <= point["col"] <= 1
    assert kinds["bounding_box"] >= 300
    assert kinds["polygon"] >= 50
    assert kinds["point"] >= 10


def test_every_labelled_picture_has_exactly_one_animal(ws: dict[str, Any]) -> None:
    animals = set(MODELS["animals-base"].concepts)
    assert len(animals) == 20
    per_input: Counter[str] = Counter()
    for ann in ws["annotations"]:
        if ann.get("input_level") and ann["input_id"].startswith("img-"):
            per_input[ann["input_id"]] += sum(
                c["id"] in animals and c["value"] == 1 for c in ann["data"]["concepts"]
            )
    assert len(per_input) >= 500
    assert set(per_input.values()) == {1}


def test_three_dataset_versions_that_differ(ws: dict[str, Any]) -> None:
    versions = [v for v in ws["dataset_versions"] if v["dataset_id"] == "wildlife"]
    assert [v["id"] for v in versions] == ["v1", "v2", "v3"]
    members = [v["_input_ids"] for v in versions]
    assert len(members[0]) == 400
    assert set(members[0]) < set(members[1]) == set(members[2]) == {i["id"] for i in ws["inputs"]}
    for v in ws["dataset_versions"]:
        assert v["status"]["code"] == 64015
        assert f"{v['dataset_id']}/{v['id']}" in ws["metrics_groups"]

    def concept_counts(vid: str) -> dict[str, str]:
        return {
            g["value"]: g["metrics"]["inputs_count"]
            for g in ws["metrics_groups"][f"wildlife/{vid}"]
            if g.get("type") == 10 and g.get("parent_path", "") == ""
        }

    v1, v2, v3 = concept_counts("v1"), concept_counts("v2"), concept_counts("v3")
    assert "beaver" not in v1
    assert "beaver" in v2
    assert set(v2) == set(v3)
    assert v2 != v3  # relabelled
    total = {
        vid: next(
            g["metrics"]["inputs_count"]
            for g in ws["metrics_groups"][f"wildlife/{vid}"]
            if g["value"] == "total" and g.get("parent_path", "") == ""
        )
        for vid in ("v1", "v2", "v3")
    }
    assert int(total["v1"]) < int(total["v2"]) == int(total["v3"])


def test_models_and_evaluations(ws: dict[str, Any]) -> None:
    models = {m["id"]: m for m in ws["models"]}
    assert set(models) == set(MODELS)
    kinds = Counter(spec.kind for spec in MODELS.values())
    assert kinds["classifier"] >= 3
    assert kinds["multilabel"] >= 1
    assert kinds["detector"] >= 1
    for mid, m in models.items():
        concepts = [c["id"] for c in m["output_info"]["data"]["concepts"]]
        assert concepts == list(MODELS[mid].concepts)
        assert m["model_version"]["status"]["code"] == 21100
        assert re.fullmatch(r"[0-9a-f]{32}", m["model_version"]["id"])
    types = {t["id"]: t for t in ws["model_types"]}
    assert types["visual-classifier"]["evaluation_type"] == 1
    assert types["visual-detector"]["evaluation_type"] == 2
    evaluated = [e for e in ws["evaluations"] if e["status"]["code"] == 21300]
    assert {e["model"]["id"] for e in evaluated} == set(MODELS)
    for e in evaluated:
        assert e["ground_truth_dataset"]["version"]["id"] == "v2"
        assert e["model"]["model_version"]["id"] == models[e["model"]["id"]]["model_version"]["id"]
        assert len(e["test_set"]) >= 500
    failed = [e for e in ws["evaluations"] if e["status"]["code"] != 21300]
    assert [e["status"]["code"] for e in failed] == [21315]
    assert "summary" not in failed[0]


def test_models_differ_in_quality(ws: dict[str, Any]) -> None:
    auc = {
        e["model"]["id"]: e["summary"]["macro_avg_f1_score"]
        for e in ws["evaluations"]
        if e["model"]["id"].startswith("animals-") and "summary" in e
    }
    assert auc["animals-mobile"] < auc["animals-base"] < auc["animals-large"]


def test_the_weak_concept_is_the_worst_for_every_classifier(ws: dict[str, Any]) -> None:
    for e in ws["evaluations"]:
        if MODELS[e["model"]["id"]].kind != "classifier" or "binary_metrics" not in e:
            continue
        f1 = {b["concept"]["id"]: b["f1"] for b in e["binary_metrics"]}
        assert min(f1, key=f1.__getitem__) == "jaguar", e["id"]


def test_look_alikes_are_the_common_confusions(ws: dict[str, Any]) -> None:
    from clarinb.emulator.demo._catalog import FAMILY

    e = next(e for e in ws["evaluations"] if e["model"]["id"] == "animals-base")
    off = [c for c in e["confusion_matrix"]["matrix"] if c["actual"] != c["predicted"]]
    weight_in_family = sum(c["value"] for c in off if FAMILY[c["actual"]] == FAMILY[c["predicted"]])
    assert weight_in_family > 0.6 * sum(c["value"] for c in off)


def test_jobs_orders_and_searches(ws: dict[str, Any]) -> None:
    assert ws["inputs_add_jobs"][0]["status"]["code"] == 64002
    assert ws["inputs_add_jobs"][0]["progress"]["success_count"] == str(len(ws["inputs"]))
    extraction = ws["inputs_extraction_jobs"][0]["progress"]
    assert int(extraction["image_inputs_count"]) + int(extraction["video_inputs_count"]) == len(
        ws["inputs"]
    )
    assert {o["status"]["code"] for o in ws["label_orders"]} == {55002, 55003}
    assert all(s["save"] for s in ws["searches"])


def test_no_two_places_share_a_mutable_object() -> None:
    """The emulator edits resources in place: an edit must never show up elsewhere."""
    seen: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(_built(0), "ws")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, (dict, list)):
            assert id(value) not in seen, f"{path} is also {seen.get(id(value))}"
            seen[id(value)] = path
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((v, f"{path}.{k}") for k, v in items)


# -- wire form -----------------------------------------------------------------------------


def test_keys_are_snake_case_and_timestamps_rfc3339(ws: dict[str, Any]) -> None:
    free_json = {"metadata", "params", "geo_point"}
    for section in (
        "datasets",
        "dataset_versions",
        "inputs",
        "annotations",
        "models",
        "model_types",
        "label_orders",
        "inputs_add_jobs",
        "searches",
    ):
        for path, key, value in _walk(ws[section], section):
            if any(f".{k}" in path for k in free_json):
                continue
            assert SNAKE.match(key.removeprefix("_")), f"{path}.{key}"
            if key.endswith(("_at", "_time")):
                assert RFC3339.match(value), f"{path}.{key}={value}"


def test_counts_are_strings_and_zero_values_omitted(ws: dict[str, Any]) -> None:
    for groups in ws["metrics_groups"].values():
        for g in groups:
            for key, value in g["metrics"].items():
                if key == "region_location_matrix":
                    assert isinstance(value["n_cols"], str)
                    assert all(isinstance(v, str) for v in value["data"])
                else:
                    assert isinstance(value, str)
                    assert value.isdigit()
    shown = {
        "value",
        "num_pos",
        "num_neg",
        "num_tot",
        "roc_auc",
        "f1",
        "top_row",
        "left_col",
        "bottom_row",
        "right_col",
        "min_value",
        "index",
        "number",
        "time",
    }
    for section in ("inputs", "annotations", "models", "label_orders", "dataset_versions"):
        for path, key, value in _walk(ws[section], section):
            if ".metadata" in f"{path}.{key}":
                continue  # free-form JSON keeps its zeros
            if key not in shown and not isinstance(value, dict):
                assert value not in (0, 0.0, "", False, []), f"{path}.{key}"


def test_evaluations_leave_out_zero_values_except_show_if_empty_fields(ws: dict[str, Any]) -> None:
    shown = {
        "value",
        "num_pos",
        "num_neg",
        "num_tot",
        "roc_auc",
        "f1",
        "macro_avg_roc_auc",
        "macro_std_roc_auc",
        "macro_avg_f1_score",
        "macro_std_f1_score",
        "macro_avg_precision",
        "macro_avg_recall",
    }
    for e in ws["evaluations"]:
        light = {k: v for k, v in e.items() if k != "test_set"}
        for path, key, value in _walk(light, e["id"]):
            if key not in shown and not isinstance(value, dict):
                assert value not in (0, 0.0, "", False, []), f"{path}.{key}"
        if "summary" in e:
            assert shown - {"value", "num_pos", "num_neg", "num_tot", "roc_auc", "f1"} <= set(
                e["summary"]
            )


def test_every_concept_has_a_value(ws: dict[str, Any]) -> None:
    """Concept.value is always sent (cl_show_if_empty), so the workspace always has it."""
    for e in ws["evaluations"]:
        light = {k: v for k, v in e.items() if k != "test_set"}
        for path, key, value in _walk(light, e["id"]):
            if key.endswith("concept") and isinstance(value, dict):
                assert "value" in value, f"{path}.{key}"
    for section in ("inputs", "annotations", "models", "searches"):
        for path, key, value in _walk(ws[section], section):
            if key == "concepts":
                assert all("value" in c for c in value), f"{path}.{key}"


def test_confusion_cells_and_concepts_keep_value(ws: dict[str, Any]) -> None:
    for e in ws["evaluations"]:
        for c in e.get("confusion_matrix", {}).get("matrix", []):
            assert "value" in c
        for entry in e.get("test_set", [])[:20]:
            for c in entry.get("predicted_concepts", []):
                assert "value" in c


def test_the_workspace_is_already_what_the_emulator_sends(ws: dict[str, Any]) -> None:
    """The emulator's serializer (proto3 JSON rules) changes nothing but private keys."""
    from clarinb.emulator.wire import render

    for section, message in MESSAGE_NAMES.items():
        for item in ws[section]:
            public = {k: v for k, v in item.items() if not k.startswith("_")}
            assert render(item, message) == public, f"{section} {item['id']}"
    for groups in ws["metrics_groups"].values():
        for g in groups:
            assert render(g, "DatasetVersionMetricsGroup") == g


# -- clarifai-grpc messages ----------------------------------------------------------------

MESSAGES = {
    "datasets": resources_pb2.Dataset,
    "dataset_versions": resources_pb2.DatasetVersion,
    "inputs": resources_pb2.Input,
    "annotations": resources_pb2.Annotation,
    "models": resources_pb2.Model,
    "model_types": resources_pb2.ModelType,
    "evaluations": resources_pb2.EvalMetrics,
    "label_orders": resources_pb2.LabelOrder,
    "inputs_add_jobs": resources_pb2.InputsAddJob,
    "inputs_extraction_jobs": resources_pb2.InputsExtractionJob,
    "searches": resources_pb2.Search,
}


MESSAGE_NAMES = {section: cls.DESCRIPTOR.name for section, cls in MESSAGES.items()}


@pytest.mark.parametrize("section", sorted(MESSAGES))
def test_resources_parse_into_their_messages(ws: dict[str, Any], section: str) -> None:
    for raw in ws[section]:
        item = {k: v for k, v in raw.items() if not k.startswith("_")}  # emulator-private
        message = json_format.ParseDict(item, MESSAGES[section](), ignore_unknown_fields=False)
        assert message.id == item["id"]


def test_metrics_groups_parse(ws: dict[str, Any]) -> None:
    for groups in ws["metrics_groups"].values():
        for g in groups:
            message = json_format.ParseDict(
                g, resources_pb2.DatasetVersionMetricsGroup(), ignore_unknown_fields=False
            )
            assert message.metrics.inputs_count.value == int(g["metrics"]["inputs_count"])


def test_evaluations_parse_without_losing_fields(ws: dict[str, Any]) -> None:
    detector = next(e for e in ws["evaluations"] if e["model"]["id"] == "animals-detector")
    message = json_format.ParseDict(detector, resources_pb2.EvalMetrics())
    assert len(message.metrics_by_class) == len(detector["metrics_by_class"])
    assert message.summary.mean_avg_precision_iou_50 == pytest.approx(
        detector["summary"]["mean_avg_precision_iou_50"]
    )
    assert {round(m.iou, 2) for m in message.metrics_by_class} == {
        0.5,
        0.55,
        0.6,
        0.65,
        0.7,
        0.75,
        0.8,
        0.85,
        0.9,
        0.95,
    }
