"""Simulated models: seeded score generators that behave like trained models.

Data-making code.  A model's output for one input depends only on the model,
the input's id, what the input really shows and the seed, never on which
other inputs are scored with it: the demo build and an evaluation POSTed to
the emulator give the same scores for the same input.

* Classifiers over the 20 mutually exclusive animals: a softmax over logits
  where the true animal gets the model's ``signal`` (less on hard pictures),
  look-alikes from the same family get part of it, and :data:`WEAK_CONCEPT`
  gets little, so it is mostly mistaken for a leopard.
* The multi-label scene tagger: one sigmoid per tag.
* The detector: finds each true object with a probability that grows with
  its size, with a jittered box; sometimes names a look-alike; adds a few
  low-scoring false detections.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from clarinb.emulator.demo._catalog import ANIMALS, FAMILY, SCENES, WEAK_CONCEPT

__all__ = ["MODELS", "Box", "ModelSpec", "detect", "difficulty", "rng_for", "score"]

#: A box (top_row, left_col, bottom_row, right_col), fractions of the image.
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class ModelSpec:
    """How a demo model behaves.

    Attributes
    ----------
    kind : str
        ``"classifier"``, ``"multilabel"`` or ``"detector"``.
    concepts : tuple of str
        Its output concepts.
    signal : float
        Strength of the evidence for the truth (higher is better).
    model_type_id : str
        Its model type.
    description : str
        One line for its Model resource.
    """

    kind: str
    concepts: tuple[str, ...]
    signal: float
    model_type_id: str
    description: str


#: The demo models by id.
MODELS: dict[str, ModelSpec] = {
    "animals-mobile": ModelSpec(
        "classifier", ANIMALS, 2.6, "visual-classifier", "Small, fast animal classifier."
    ),
    "animals-base": ModelSpec(
        "classifier", ANIMALS, 3.8, "visual-classifier", "Balanced animal classifier."
    ),
    "animals-large": ModelSpec(
        "classifier", ANIMALS, 5.2, "visual-classifier", "Large, most accurate animal classifier."
    ),
    "scene-tagger": ModelSpec(
        "multilabel", tuple(SCENES), 3.0, "visual-classifier", "Multi-label scene tags."
    ),
    "animals-detector": ModelSpec(
        "detector", ANIMALS, 3.0, "visual-detector", "Finds and names animals with boxes."
    ),
}


def rng_for(seed: int, *names: str) -> np.random.Generator:
    """Return a generator that depends only on the seed and the given names.

    Parameters
    ----------
    seed : int
        The workspace seed.
    *names : str
        For example a model id and an input id.

    Returns
    -------
    numpy.random.Generator
    """
    key = int(seed) & 0xFFFFFFFF
    for name in names:
        key = (key << 32) | zlib.crc32(name.encode())
    return np.random.Generator(np.random.PCG64(key))


def difficulty(input_id: str, seed: int = 0) -> float:
    """Return how hard an input is for every model (0 easy .. 1 hard).

    Parameters
    ----------
    input_id : str
        The input.
    seed : int
        The workspace seed.

    Returns
    -------
    float
    """
    return float(rng_for(seed, "difficulty", input_id).beta(2.0, 5.0))


def score(model_id: str, input_id: str, truth: Sequence[str], seed: int = 0) -> np.ndarray:
    """Return a classifier's scores for one input, aligned with its concepts.

    Parameters
    ----------
    model_id : str
        A key of :data:`MODELS` (classifier or multi-label).
    input_id : str
        The input.
    truth : sequence of str
        What the input really shows (concept ids; others are ignored).
    seed : int
        The workspace seed.

    Returns
    -------
    numpy.ndarray
        Scores in [0, 1], rounded to 4 decimals; they sum to about 1 for a
        classifier of mutually exclusive concepts.
    """
    spec = MODELS[model_id]
    rng = rng_for(seed, model_id, input_id)
    hard = difficulty(input_id, seed)
    concepts = spec.concepts
    noise = rng.normal(0.0, 1.0, size=len(concepts))
    if spec.kind == "multilabel":
        truth_mask = np.array([c in truth for c in concepts])
        strength = (
            spec.signal * (1.0 - 0.6 * hard) * np.where(np.array(concepts) == "night", 0.4, 1.0)
        )
        tag_logits = np.where(truth_mask, strength, -strength) + 1.1 * noise
        return np.round(1.0 / (1.0 + np.exp(-tag_logits)), 4)
    logits = 0.9 * noise
    for actual in truth:
        if actual not in concepts:
            continue
        gain = spec.signal * (1.0 - 0.7 * hard) * (0.35 if actual == WEAK_CONCEPT else 1.0)
        logits[concepts.index(actual)] += gain
        for j, other in enumerate(concepts):
            if other != actual and FAMILY.get(other) == FAMILY[actual]:
                boost = 0.75 if actual == WEAK_CONCEPT and other == "leopard" else 0.45
                logits[j] += boost * spec.signal * rng.uniform(0.2, 1.0)
    exp = np.exp(logits - logits.max())
    return np.round(exp / exp.sum(), 4)


def _jitter(rng: np.random.Generator, box: Box, amount: float) -> Box:
    top, left, bottom, right = box
    h, w = bottom - top, right - left
    d = rng.normal(0.0, amount, size=4) * np.array([h, w, h, w])
    t, lft = max(0.0, top + d[0]), max(0.0, left + d[1])
    b = min(1.0, max(t + 0.01, bottom + d[2]))
    r = min(1.0, max(lft + 0.01, right + d[3]))
    return (round(t, 4), round(lft, 4), round(b, 4), round(r, 4))


def detect(
    model_id: str,
    input_id: str,
    objects: Sequence[tuple[str, Box]],
    seed: int = 0,
    *,
    pixel_area: float = 640 * 480,
) -> list[tuple[str, Box, float]]:
    """Return a detector's detections for one input.

    Parameters
    ----------
    model_id : str
        A detector in :data:`MODELS`.
    input_id : str
        The input.
    objects : sequence of (str, Box)
        What the input really shows: concept and box of each object.
    seed : int
        The workspace seed.
    pixel_area : float
        The image's width x height (small objects are found less often).

    Returns
    -------
    list of (str, Box, float)
        Concept, box and score (4 decimals) of each detection.
    """
    spec = MODELS[model_id]
    rng = rng_for(seed, model_id, input_id)
    hard = difficulty(input_id, seed)
    out = []
    for cid, box in objects:
        area = (box[2] - box[0]) * (box[3] - box[1]) * pixel_area
        p_find = 0.95 - 0.35 * hard - (0.3 if area < 32 * 32 else 0.0)
        if cid not in spec.concepts or rng.random() > p_find:
            continue
        name = cid
        if rng.random() < 0.12 + (0.3 if cid == WEAK_CONCEPT else 0.0):
            family = [c for c in spec.concepts if FAMILY[c] == FAMILY[cid] and c != cid]
            name = str(rng.choice(family))
        logit = spec.signal * (1.0 - 0.8 * hard) - (1.5 if name != cid else 0.0)
        s = 1.0 / (1.0 + np.exp(-(logit + rng.normal(0.0, 1.0))))
        out.append((name, _jitter(rng, box, 0.04 + 0.12 * hard), round(float(s), 4)))
    for _ in range(int(rng.poisson(0.4))):
        top, left = rng.uniform(0.0, 0.7, size=2)
        size = rng.uniform(0.05, 0.3)
        box = (round(top, 4), round(left, 4), round(top + size, 4), round(left + size, 4))
        s = 1.0 / (1.0 + np.exp(-rng.normal(-1.5, 1.0)))
        out.append((str(rng.choice(spec.concepts)), box, round(float(s), 4)))
    return out
