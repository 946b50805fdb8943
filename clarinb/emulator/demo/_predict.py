"""Simulated models: seeded score generators that behave like trained models.

Data-making code.  A model's output for one input depends only on the model,
the input's id, what the input really shows and the seed, never on which
other inputs are scored with it: the demo build and an evaluation POSTed to
the emulator give the same scores for the same input.

* Classifiers over the 20 mutually exclusive animals: a softmax over logits
  where the true animal gets the model's ``signal`` (less on hard pictures),
  look-alikes from the same family get part of it, and :data:`WEAK_CONCEPT`
  gets little, so it is mostly mistaken for a leopard.  A classifier with a
  ``weak_scene`` gets less of its ``signal`` on pictures tagged with that
  scene: ``animals-mobile`` on night shots (:data:`WEAK_SLICE`).
* The multi-label scene tagger: one sigmoid per tag.
* The detector: finds each true object with a probability that grows with
  its size, with a jittered box; sometimes names a look-alike; adds a few
  low-scoring false detections.
"""

from __future__ import annotations

import hashlib
import math
import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from clarinb.emulator.demo._catalog import ANIMALS, FAMILY, SCENES, WEAK_CONCEPT, WEAK_SCENE

__all__ = [
    "MODELS",
    "WEAK_SLICE",
    "Box",
    "ModelSpec",
    "detect",
    "difficulties",
    "difficulty",
    "rng_for",
    "scores",
    "uniforms",
]

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
    weak_scene : str
        A scene tag on whose pictures a classifier sees less (``""``: none).
    weak_scene_signal : float
        The share of its evidence for the truth left on those pictures.
    """

    kind: str
    concepts: tuple[str, ...]
    signal: float
    model_type_id: str
    description: str
    sharpness: float = 1.0
    weak_scene: str = ""
    weak_scene_signal: float = 1.0


#: The demo models by id.
MODELS: dict[str, ModelSpec] = {
    "animals-mobile": ModelSpec(
        "classifier",
        ANIMALS,
        2.6,
        "visual-classifier",
        "Small, fast animal classifier.",
        2.5,
        weak_scene=WEAK_SCENE,
        weak_scene_signal=0.6,
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

#: The model with a weak slice and the scene tag that marks the slice's inputs.
WEAK_SLICE: tuple[str, str] = next((m, s.weak_scene) for m, s in MODELS.items() if s.weak_scene)


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


def uniforms(seed: int, names: Sequence[str], count: int) -> np.ndarray:
    """Return ``count`` uniform numbers in (0, 1) per name, each row fixed by seed and name.

    The numbers come from SHAKE-128 of ``"<seed>/<name>"``, so a row never
    depends on the other names asked for at the same time.

    Parameters
    ----------
    seed : int
        The workspace seed.
    names : sequence of str
        For example ``"<model id>/<input id>"`` per input.
    count : int
        Numbers per name.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(names), count)``.
    """
    raw = b"".join(hashlib.shake_128(f"{seed}/{n}".encode()).digest(4 * count) for n in names)
    words = np.frombuffer(raw, dtype="<u4").reshape(len(names), count)
    return (words + 0.5) / 2.0**32


def _normals(u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def difficulties(input_ids: Sequence[str], seed: int = 0) -> np.ndarray:
    """Return how hard each input is for every model (0 easy .. 1 hard).

    Kumaraswamy(2, 5) distributed (mostly easy, a tail of hard ones), from
    :func:`uniforms` of ``"difficulty/<input id>"``.

    Parameters
    ----------
    input_ids : sequence of str
        The inputs.
    seed : int
        The workspace seed.

    Returns
    -------
    numpy.ndarray
    """
    u = uniforms(seed, [f"difficulty/{i}" for i in input_ids], 1)[:, 0]
    return np.sqrt(1.0 - (1.0 - u) ** (1.0 / 5.0))


def difficulty(input_id: str, seed: int = 0) -> float:
    """Return :func:`difficulties` of one input, without numpy.

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
    word = hashlib.shake_128(f"{seed}/difficulty/{input_id}".encode()).digest(4)
    u = (int.from_bytes(word, "little") + 0.5) / 2.0**32
    return math.sqrt(1.0 - (1.0 - u) ** (1.0 / 5.0))


@lru_cache(maxsize=64)
def _boosts(concepts: tuple[str, ...]) -> np.ndarray:
    """Share of the evidence each true concept (row) lends each look-alike (column)."""
    k = len(concepts)
    out = np.zeros((k, k))
    for a, actual in enumerate(concepts):
        for j, other in enumerate(concepts):
            if other != actual and FAMILY.get(other) == FAMILY.get(actual):
                out[a, j] = 0.8 if actual == WEAK_CONCEPT and other == "leopard" else 0.45
    return out


def scores(
    model_id: str, input_ids: Sequence[str], truths: Sequence[Sequence[str]], seed: int = 0
) -> np.ndarray:
    """Return a classifier's scores for inputs, one row per input, aligned with its concepts.

    Parameters
    ----------
    model_id : str
        A key of :data:`MODELS` (classifier or multi-label).
    input_ids : sequence of str
        The inputs.
    truths : sequence of sequences of str
        What each input really shows: concept ids, and scene tags (which
        matter to a model with a ``weak_scene``); other ids are ignored.
    seed : int
        The workspace seed.

    Returns
    -------
    numpy.ndarray
        Scores in [0, 1], rounded to 4 decimals; a row sums to about 1 for a
        classifier of mutually exclusive concepts.  A row depends only on
        the model, the input, its truth and the seed.
    """
    spec = MODELS[model_id]
    concepts = spec.concepts
    k = len(concepts)
    u = uniforms(seed, [f"{model_id}/{i}" for i in input_ids], 3 * k)
    noise = _normals(u[:, :k], u[:, k : 2 * k])
    hard = difficulties(input_ids, seed)[:, None]
    col = {c: j for j, c in enumerate(concepts)}
    truth = np.zeros((len(input_ids), k), dtype=bool)
    for i, shown in enumerate(truths):
        truth[i, [col[c] for c in shown if c in col]] = True
    if spec.kind == "multilabel":
        weak = np.array([0.4 if c == "night" else 1.0 for c in concepts])
        strength = spec.signal * (1.0 - 0.6 * hard) * weak
        return np.round(
            1.0 / (1.0 + np.exp(-(np.where(truth, strength, -strength) + 1.1 * noise))), 4
        )
    weak = np.array([0.45 if c == WEAK_CONCEPT else 1.0 for c in concepts])
    signal = spec.signal * (1.0 - 0.7 * hard) * weak
    if spec.weak_scene:
        dim = np.array([spec.weak_scene in shown for shown in truths])
        signal = signal * np.where(dim, spec.weak_scene_signal, 1.0)[:, None]
    logits = 0.8 * noise + truth * signal
    logits += (truth @ _boosts(concepts)) * spec.signal * (0.2 + 0.8 * u[:, 2 * k :])
    logits *= spec.sharpness
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.round(exp / exp.sum(axis=1, keepdims=True), 4)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


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
