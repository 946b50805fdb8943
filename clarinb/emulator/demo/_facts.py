"""What each demo picture shows: the seeded ground facts everything else is made from.

Data-making code.  A :class:`Picture` records one image input's size, scene
tags, the animal it really shows and the objects drawn in it; the dataset
versions, the annotations, the PNGs and the simulated model scores are all
derived from these facts, so they agree with each other.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from clarinb.emulator.demo._catalog import ANIMALS, FAMILY, IMAGE_SIZES, SCENES

__all__ = [
    "FLIP_RATE",
    "N_IMAGES",
    "N_V1",
    "NEW_CONCEPT",
    "Picture",
    "Region",
    "flipped_labels",
    "pictures",
]

#: Image inputs in the demo dataset.
N_IMAGES = 640
#: Image inputs in the first dataset version (the oldest ones).
N_V1 = 400
#: The concept that first appears after version 1.
NEW_CONCEPT = "beaver"
#: Chance that a picture's label in versions 1 and 2 names a look-alike (fixed in version 3).
FLIP_RATE = 0.05

_SCENE_NAMES = tuple(SCENES)
#: Scene most likely for each family.
_HABITAT = {
    "canine": "snow",
    "small-cat": "forest",
    "big-cat": "grass",
    "corvid": "outdoor",
    "fox-like": "forest",
    "lagomorph": "grass",
    "equine": "grass",
    "mustelid": "water",
}


@dataclass(frozen=True)
class Region:
    """One object drawn in a picture.

    Attributes
    ----------
    box : tuple of float
        ``(top_row, left_col, bottom_row, right_col)`` as fractions of the image.
    kind : str
        How it is annotated: ``"bounding_box"``, ``"polygon"`` or ``"point"``.
    """

    box: tuple[float, float, float, float]
    kind: str


@dataclass(frozen=True)
class Picture:
    """The facts of one image input.

    Attributes
    ----------
    input_id : str
        Its id.
    width, height : int
        The size the input claims (``image_info``).
    animal : str
        The animal it really shows (the label of the latest dataset version).
    old_animal : str
        Its label before relabelling (versions 1 and 2); usually ``animal``.
    scenes : tuple of str
        Its scene tags; the first is the background.
    regions : tuple of Region
        Objects of ``animal`` drawn and annotated in it.
    labelled : bool
        Whether it has annotations at all.
    source : str
        The camera that took it (input metadata ``source``): night shots
        mostly come from the ``"trail-cam"``, others from ``"phone"`` or
        ``"dslr"`` too.
    """

    input_id: str
    width: int
    height: int
    animal: str
    old_animal: str
    scenes: tuple[str, ...]
    regions: tuple[Region, ...] = field(default=())
    labelled: bool = True
    source: str = "phone"


def _box(rng: random.Random, scale: float) -> tuple[float, float, float, float]:
    h = min(0.9, max(0.04, scale * rng.uniform(0.7, 1.3)))
    w = min(0.9, max(0.04, scale * rng.uniform(0.7, 1.3)))
    top = rng.uniform(0.02, 0.98 - h)
    left = rng.uniform(0.02, 0.98 - w)
    return (round(top, 4), round(left, 4), round(top + h, 4), round(left + w, 4))


def _regions(rng: random.Random) -> tuple[Region, ...]:
    # Object scale spans COCO's small, medium and large areas on these image sizes.
    main_scale = rng.choices([0.08, 0.2, 0.35, 0.55, 0.7], [0.15, 0.25, 0.25, 0.2, 0.15])[0]
    kind = "polygon" if rng.random() < 0.25 else "bounding_box"
    out = [Region(_box(rng, main_scale), kind)]
    if rng.random() < 0.3:
        out.append(Region(_box(rng, main_scale * 0.5), "bounding_box"))
    if rng.random() < 0.1:
        top, left, _, _ = _box(rng, 0.0)
        out.append(Region((top, left, top, left), "point"))
    return tuple(out)


_WEIGHTS = [1.6 - j / (len(ANIMALS) - 1) for j in range(len(ANIMALS))]


def _animal(rng: random.Random, index: int) -> str:
    # Imbalanced: early concepts are more common.
    weights = list(_WEIGHTS)
    # The new concept only after version 1, then often (a fresh batch of it).
    weights[ANIMALS.index(NEW_CONCEPT)] = 0.0 if index < N_V1 else 2.5
    return rng.choices(ANIMALS, weights)[0]


def _scenes(rng: random.Random, animal: str) -> tuple[str, ...]:
    first = _HABITAT[FAMILY[animal]] if rng.random() < 0.7 else rng.choice(_SCENE_NAMES)
    extra = [s for s in _SCENE_NAMES if s != first and rng.random() < 0.18]
    return (first, *extra)


def _relabel(rng: random.Random, animal: str) -> str:
    # About FLIP_RATE of the older labels name a look-alike; version 3 fixes them.
    if rng.random() >= FLIP_RATE:
        return animal
    family = [a for a in ANIMALS if FAMILY[a] == FAMILY[animal] and a != animal]
    return rng.choice(family)


def _source(rng: random.Random, scenes: tuple[str, ...]) -> str:
    # Camera traps take most night shots; a separate generator, so adding
    # this fact left every other one as it was.
    if "night" in scenes:
        return "trail-cam" if rng.random() < 0.85 else "phone"
    return rng.choices(_SOURCES, _SOURCE_WEIGHTS)[0]


_SOURCES = ("phone", "dslr", "trail-cam")
_SOURCE_WEIGHTS = (0.45, 0.35, 0.2)


def pictures(seed: int = 0) -> list[Picture]:
    """Return the facts of every demo image input, the same for the same seed.

    Parameters
    ----------
    seed : int
        Seed of the generator.

    Returns
    -------
    list of Picture
        ``N_IMAGES`` pictures with ids ``img-0000``, ``img-0001``, ...
    """
    rng = random.Random(f"clarinb-demo/{seed}")
    cameras = random.Random(f"clarinb-demo/{seed}/source")
    out = []
    for i in range(N_IMAGES):
        animal = _animal(rng, i)
        width, height = rng.choice(IMAGE_SIZES)
        old = _relabel(rng, animal)
        if i < N_V1 and old == NEW_CONCEPT:
            old = animal
        scenes = _scenes(rng, animal)
        out.append(
            Picture(
                input_id=f"img-{i:04d}",
                width=width,
                height=height,
                animal=animal,
                old_animal=old,
                scenes=scenes,
                regions=_regions(rng),
                labelled=rng.random() >= 0.03,
                source=_source(cameras, scenes),
            )
        )
    return out


def flipped_labels(seed: int = 0) -> dict[str, tuple[str, str]]:
    """Return the label errors of the evaluated version: labels naming a look-alike.

    The demo evaluations' test sets (dataset version ``v2``) carry these
    labels as ground truth, while the models see what the pictures show and
    version ``v3`` (the current annotations) has them fixed.  About
    :data:`FLIP_RATE` of the labelled pictures, always within a family of
    look-alikes.

    Parameters
    ----------
    seed : int
        Seed of the workspace.

    Returns
    -------
    dict
        Input id -> ``(given, shown)``: the label of versions 1 and 2 and the
        animal the picture really shows, in input id order.
    """
    return {
        p.input_id: (p.old_animal, p.animal)
        for p in pictures(seed)
        if p.labelled and p.old_animal != p.animal
    }
