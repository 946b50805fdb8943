"""A demo workspace whose evaluations are synthetic classifiers of any number of concepts.

Two models are evaluated on the same inputs (the demo dataset's ``v2``
images) over ``n_concepts`` single-label concepts: each input has one true
concept, scored higher on average than the others; each test-set entry
carries the input's :data:`TOP_K` highest scores (all of them when there are
fewer concepts). The metrics are computed by the emulator's own
``evaluate``, as for the demo models.
"""

from __future__ import annotations

import copy
from typing import Any

import _util  # noqa: F401 - puts the repository on sys.path
import numpy as np

__all__ = ["TOP_K", "synthetic_workspace"]

#: Scores kept per test-set entry.
TOP_K = 20
_MODELS = (("animals-base", 0.45), ("animals-large", 0.3))


def _entries(inputs: list[dict[str, Any]], ids: list[str], noise: float, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    n, k = len(inputs), len(ids)
    truth = np.arange(n) % k
    scores = rng.random((n, k)) * noise
    scores[np.arange(n), truth] += 1 - noise
    keep = min(TOP_K, k)
    top = np.argsort(-scores, axis=1)[:, :keep]
    out = []
    for i, inp in enumerate(inputs):
        image = inp["data"]["image"]
        out.append(
            {
                "input": {"id": inp["id"], "data": {"image": {"url": image["url"]}}},
                "predicted_concepts": [
                    {"id": ids[j], "name": ids[j], "value": round(float(scores[i, j]), 4)}
                    for j in top[i]
                ],
                "ground_truth_concepts": [
                    {"id": ids[truth[i]], "name": ids[truth[i]], "value": 1.0}
                ],
            }
        )
    return out


def synthetic_workspace(n_concepts: int, seed: int = 0) -> tuple[dict[str, Any], int]:
    """Build the demo workspace with two synthetic evaluations of ``n_concepts`` concepts.

    Returns
    -------
    (dict, int)
        The workspace, and the number of inputs in each test set.
    """
    from clarinb.emulator.demo._evaluate import evaluate
    from clarinb.emulator.server import demo_workspace

    workspace = dict(demo_workspace())
    base = next(e for e in workspace["evaluations"] if e["id"] == "animals-base-on-v2")
    version = next(
        v
        for v in workspace["dataset_versions"]
        if v["id"] == "v2" and v["dataset_id"] == "wildlife"
    )
    members = set(version["_input_ids"])
    inputs = [
        i
        for i in workspace["inputs"]
        if i["id"] in members and (i.get("data") or {}).get("image", {}).get("url")
    ]
    ids = [f"concept-{j:04d}" for j in range(n_concepts)]
    evaluations = []
    for number, (model_id, noise) in enumerate(_MODELS):
        body = {
            k: copy.deepcopy(v) for k, v in base.items() if k in ("status", "user_id", "app_id")
        }
        body["id"] = f"{model_id}-synthetic"
        body["model"] = copy.deepcopy(
            next(e["model"] for e in workspace["evaluations"] if e["model"]["id"] == model_id)
        )
        body["ground_truth_dataset"] = copy.deepcopy(base["ground_truth_dataset"])
        body.update(evaluate(_entries(inputs, ids, noise, seed + number)))
        evaluations.append(body)
    workspace["evaluations"] = evaluations
    return workspace, len(inputs)


def multilabel_matrix(n_inputs: int, n_concepts: int, seed: int) -> Any:
    """Build a multi-label ``TestSetMatrix``: each concept true of about a fifth of the inputs.

    A true concept scores higher on average than a false one, so every
    curve has a corner at nearly every score (the hard case for curves).
    """
    from clarinb.metrics import TestSetMatrix

    rng = np.random.default_rng(seed)
    truth = rng.random((n_inputs, n_concepts), dtype=np.float32) < 0.2
    scores = rng.random((n_inputs, n_concepts), dtype=np.float32)
    scores *= 0.7
    scores += truth * np.float32(0.3)
    return TestSetMatrix.from_arrays(scores, truth)
