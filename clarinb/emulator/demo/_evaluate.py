"""Evaluating a demo model: its test set from inputs and annotations, then its metrics.

The emulator and the demo build share these two steps, so an evaluation
POSTed to the emulator is computed exactly like the demo's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from clarinb.emulator.demo._catalog import concept
from clarinb.emulator.demo._classify import classifier_metrics
from clarinb.emulator.demo._detection import detector_metrics
from clarinb.emulator.demo._labels import Box, Labels, read_labels
from clarinb.emulator.demo._predict import MODELS, detect, scores

__all__ = ["EvaluationFailed", "evaluate", "predict", "run_evaluation"]

_KINDS = ("classifier", "detector")


class EvaluationFailed(Exception):  # noqa: N818 - named after the status it carries
    """An evaluation that cannot be computed, with the status it ends in.

    Parameters
    ----------
    code : int
        The evaluation's status code (21315 MODEL_EVALUATION_NEED_LABELS,
        21316 MODEL_EVALUATION_NEED_INPUTS).
    description : str
        The status description.
    """

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def _region(cid: str, box: Box, value: float, index: int, ident: str = "") -> dict[str, Any]:
    top, left, bottom, right = box
    return {
        "id": ident or f"region-{index}",
        "region_info": {
            "bounding_box": {
                "top_row": top,
                "left_col": left,
                "bottom_row": bottom,
                "right_col": right,
            }
        },
        "data": {"concepts": [concept(cid, value)]},
    }


def _entry_input(inp: dict[str, Any]) -> dict[str, Any]:
    image = (inp.get("data") or {}).get("image") or {}
    kept: dict[str, Any] = {"url": image["url"]} if "url" in image else {}
    if "image_info" in image:
        kept["image_info"] = dict(image["image_info"])  # flat: a copy shares nothing
    return {"id": inp["id"], "data": {"image": kept}}


def predict(
    model_id: str,
    inputs: Sequence[dict[str, Any]],
    annotations: Iterable[dict[str, Any]] | Labels,
    *,
    seed: int = 0,
    shown: Iterable[dict[str, Any]] | Labels | None = None,
) -> list[dict[str, Any]]:
    """Predict with a demo model and pair the predictions with the ground truth.

    Parameters
    ----------
    model_id : str
        A key of ``MODELS``.
    inputs : sequence of dict
        Wire Inputs; only image inputs are used.
    annotations : iterable of dict or Labels
        Wire Annotations giving the ground truth (or them read already).
    seed : int
        The workspace seed.
    shown : iterable of dict or Labels, optional
        Annotations describing what the pictures really show, which the
        simulated model sees (defaults to ``annotations``); the demo uses it
        to evaluate against an older, partly wrong labelling.

    Returns
    -------
    list of dict
        EvalTestSetEntry dicts.  Classifiers: every image input with a
        positive label among the model's concepts, with all the model's
        concepts in ``predicted_concepts`` (scores) and its labels among
        them in ``ground_truth_concepts`` (value 1 present, 0 labelled
        absent; a concept not listed is absent).  Detectors: every image input
        with ground-truth boxes, with ``ground_truth_annotation`` and
        ``predicted_annotation`` regions.
    """
    spec = MODELS[model_id]
    truth = read_labels(annotations)
    seen = truth if shown is None else read_labels(shown)
    images = [i for i in inputs if (i.get("data") or {}).get("image") is not None]
    if spec.kind == "detector":
        return _detections(model_id, images, truth, seen, seed)
    return _classifications(model_id, images, truth, seen, seed)


def _detections(
    model_id: str, images: Sequence[dict[str, Any]], truth: Labels, seen: Labels, seed: int
) -> list[dict[str, Any]]:
    concepts = set(MODELS[model_id].concepts)
    out = []
    for inp in images:
        iid = str(inp["id"])
        boxes = truth.objects.get(iid, [])
        sources = truth.sources.get(iid) or [("", "")] * len(boxes)
        objects = [(c, b, s) for (c, b), s in zip(boxes, sources, strict=True) if c in concepts]
        if not objects:
            continue
        info = inp["data"]["image"].get("image_info") or {}
        area = float(info.get("width", 640) * info.get("height", 480))
        found = detect(model_id, iid, seen.objects.get(iid, ()), seed, pixel_area=area)
        out.append(
            {
                "input": _entry_input(inp),
                # The ground truth is the input's own annotations: the id of the
                # one holding its first object, and each region's own id.
                "ground_truth_annotation": {
                    **({"id": objects[0][2][0]} if objects[0][2][0] else {}),
                    "input_id": iid,
                    "data": {
                        "regions": [
                            _region(c, b, 1.0, k, rid) for k, (c, b, (_, rid)) in enumerate(objects)
                        ]
                    },
                },
                # Predictions are not stored annotations; a stable id per model and input.
                "predicted_annotation": {
                    "id": f"{iid}-{model_id}-prediction",
                    "input_id": iid,
                    "data": {"regions": [_region(c, b, s, k) for k, (c, b, s) in enumerate(found)]}
                    if found
                    else {},
                },
            }
        )
    return out


def _classifications(
    model_id: str, images: Sequence[dict[str, Any]], truth: Labels, seen: Labels, seed: int
) -> list[dict[str, Any]]:
    concepts = MODELS[model_id].concepts
    known = set(concepts)
    names = {c: concept(c)["name"] for c in concepts}
    kept = [i for i in images if known.intersection(truth.positive.get(str(i["id"]), ()))]
    ids = [str(i["id"]) for i in kept]
    table = scores(model_id, ids, [seen.positive.get(i, ()) for i in ids], seed).tolist()
    out = []
    for inp, iid, row in zip(kept, ids, table, strict=True):
        positive = known.intersection(truth.positive[iid])
        negative = known.intersection(truth.negative.get(iid, ())) - positive
        out.append(
            {
                "input": _entry_input(inp),
                "predicted_concepts": [
                    {"id": c, "name": names[c], "value": v}
                    for c, v in zip(concepts, row, strict=True)
                ],
                "ground_truth_concepts": [
                    {"id": c, "name": names[c], "value": 1.0 if c in positive else 0.0}
                    for c in concepts
                    if c in positive or c in negative
                ],
            }
        )
    return out


def evaluate(entries: Sequence[dict[str, Any]], *, kind: str = "classifier") -> dict[str, Any]:
    """Compute an EvalMetrics body (no ids, model or status) from a test set.

    Parameters
    ----------
    entries : sequence of dict
        EvalTestSetEntry dicts, as :func:`predict` returns.
    kind : {"classifier", "detector"}
        Classifiers (single- or multi-label) get summary, confusion and
        co-occurrence matrices, label counts, binary metrics and the test
        set; detectors get summary (mAP), metrics by class and by area and
        the test set.

    Returns
    -------
    dict
        The computed parts of an EvalMetrics, in wire form.

    Raises
    ------
    EvaluationFailed
        21316 when the test set is empty, 21315 when it has no positive label.
    ValueError
        For an unknown ``kind``.
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, not {kind!r}")
    if not entries:
        raise EvaluationFailed(21316, "Model evaluation requires inputs")
    if kind == "detector":
        if not any(
            (e.get("ground_truth_annotation") or {}).get("data", {}).get("regions") for e in entries
        ):
            raise EvaluationFailed(21315, "Model evaluation requires labeled inputs")
        return detector_metrics(entries)
    if not any(
        float(c.get("value", 1.0)) > 0
        for e in entries
        for c in e.get("ground_truth_concepts") or ()
    ):
        raise EvaluationFailed(21315, "Model evaluation requires labeled inputs")
    return classifier_metrics(entries)


def run_evaluation(
    model_id: str,
    inputs: Sequence[dict[str, Any]],
    annotations: Iterable[dict[str, Any]] | Labels,
    *,
    seed: int = 0,
    shown: Iterable[dict[str, Any]] | Labels | None = None,
) -> dict[str, Any]:
    """Evaluate a demo model on inputs and annotations: :func:`predict`, then :func:`evaluate`.

    Parameters
    ----------
    model_id : str
        A key of ``MODELS``.
    inputs : sequence of dict
        Wire Inputs of the ground-truth dataset version.
    annotations : iterable of dict or Labels
        Their wire Annotations.
    seed : int
        The workspace seed.
    shown : iterable of dict or Labels, optional
        As for :func:`predict`.

    Returns
    -------
    dict
        The computed parts of the EvalMetrics.

    Raises
    ------
    EvaluationFailed
        21316 MODEL_EVALUATION_NEED_INPUTS without image inputs, 21315
        MODEL_EVALUATION_NEED_LABELS when none is labelled with the model's concepts.
    KeyError
        For a model that is not a demo model.
    """
    spec = MODELS[model_id]
    images = [i for i in inputs if (i.get("data") or {}).get("image") is not None]
    if not images:
        raise EvaluationFailed(21316, "Model evaluation requires inputs")
    entries = predict(model_id, images, annotations, seed=seed, shown=shown)
    if not entries:
        raise EvaluationFailed(21315, "Model evaluation requires labeled inputs")
    return evaluate(entries, kind="detector" if spec.kind == "detector" else "classifier")
