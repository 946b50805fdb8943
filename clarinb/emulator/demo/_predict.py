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

import math
import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

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
    sharpness : float
        Scale of a classifier's logits, chosen so its top score is about as
        often right as it claims (calibration).
    """

    kind: str
    concepts: tuple[str, ...]
    signal: float
    model_type_id: str
    description: str
    sharpness: float = 1.0


#: The demo models by id.
MODELS: dict[str, ModelSpec] = {
    "animals-mobile": ModelSpec(
        "classifier", ANIMALS, 2.6, "visual-classifier", "Small, fast animal classifier.", 2.5
    ),
    "animals-base": ModelSpec(
        "classifier", ANIMALS, 3.8, "visual-classifier", "Balanced animal classifier.", 2.3
    ),
    "animals-large": ModelSpec(
        "classifier",
        ANIMALS,
        5.2,
        "visual-classifier",
        "Large, most accurate animal classifier.",
        2.0,
    ),
    "scene-tagger": ModelSpec(
        "multilabel", tuple(SCENES), 3.0, "visual-classifier", "Multi-label scene tags."
    ),
    "animals-detector": ModelSpec(
        "detector", ANIMALS, 3.0, "visual-detector", "Finds and names animals with boxes."
    ),
}


def rng_for(seed: int, *names: str) -> random.Random:
    """Return a generator that depends only on the seed and the given names.

    Python's Mersenne Twister seeded with an integer gives the same numbers on
    every platform and version, and is quick to create.

    Parameters
    ----------
    seed : int
        The workspace seed.
    *names : str
        For example a model id and an input id.

    Returns
    -------
    random.Random
    """
    key = int(seed) & 0xFFFFFFFF
    for name in names:
        key = (key << 32) | zlib.crc32(name.encode())
    return random.Random(key)


@lru_cache(maxsize=8192)
def difficulty(input_id: str, seed: int = 0) -> float:
    """Return how hard an input is for every model (0 easy .. 1 hard; Beta(2, 5)).

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
    return rng_for(seed, "difficulty", input_id).betavariate(2.0, 5.0)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@lru_cache(maxsize=64)
def _look_alikes(concepts: tuple[str, ...]) -> tuple[tuple[int, ...], ...]:
    return tuple(
        tuple(j for j, o in enumerate(concepts) if o != c and FAMILY.get(o) == FAMILY.get(c))
        for c in concepts
    )


def score(model_id: str, input_id: str, truth: Sequence[str], seed: int = 0) -> list[float]:
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
    list of float
        Scores in [0, 1], rounded to 4 decimals; they sum to about 1 for a
        classifier of mutually exclusive concepts.
    """
    spec = MODELS[model_id]
    rng = rng_for(seed, model_id, input_id)
    hard = difficulty(input_id, seed)
    concepts = spec.concepts
    noise = [rng.gauss(0.0, 1.0) for _ in concepts]
    if spec.kind == "multilabel":
        out = []
        for c, z in zip(concepts, noise, strict=True):
            strength = spec.signal * (1.0 - 0.6 * hard) * (0.4 if c == "night" else 1.0)
            out.append(round(_sigmoid((strength if c in truth else -strength) + 1.1 * z), 4))
        return out
    logits = [0.8 * z for z in noise]
    alikes = _look_alikes(concepts)
    for actual in truth:
        if actual not in concepts:
            continue
        a = concepts.index(actual)
        weak = actual == WEAK_CONCEPT
        logits[a] += spec.signal * (1.0 - 0.7 * hard) * (0.45 if weak else 1.0)
        for j in alikes[a]:
            boost = 0.8 if weak and concepts[j] == "leopard" else 0.45
            logits[j] += boost * spec.signal * rng.uniform(0.2, 1.0)
    logits = [spec.sharpness * v for v in logits]
    top = max(logits)
    exp = [math.exp(v - top) for v in logits]
    total = sum(exp)
    return [round(v / total, 4) for v in exp]


def _jitter(rng: random.Random, box: Box, amount: float) -> Box:
    top, left, bottom, right = box
    h, w = bottom - top, right - left
    t = max(0.0, top + rng.gauss(0.0, amount) * h)
    lft = max(0.0, left + rng.gauss(0.0, amount) * w)
    b = min(1.0, max(t + 0.01, bottom + rng.gauss(0.0, amount) * h))
    r = min(1.0, max(lft + 0.01, right + rng.gauss(0.0, amount) * w))
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
            name = rng.choice(family)
        logit = spec.signal * (1.0 - 0.8 * hard) - (1.5 if name != cid else 0.0)
        s = _sigmoid(logit + rng.gauss(0.0, 1.0))
        out.append((name, _jitter(rng, box, 0.04 + 0.12 * hard), round(s, 4)))
    for _ in range(3):  # a few false detections: Binomial(3, 0.13)
        if rng.random() >= 0.13:
            continue
        top, left, size = rng.uniform(0.0, 0.7), rng.uniform(0.0, 0.7), rng.uniform(0.05, 0.3)
        box = (round(top, 4), round(left, 4), round(top + size, 4), round(left + size, 4))
        s = _sigmoid(rng.gauss(-1.5, 1.0))
        out.append((rng.choice(spec.concepts), box, round(s, 4)))
    return out
