"""Fixed vocabulary of the demo workspace: ids, concepts, scenes, sizes, clock.

Data-making code.  Concepts come in families of look-alikes (three dogs, three
wild cats, ...); a family shares a hue, so both the generated pictures and the
simulated models confuse concepts within a family.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

__all__ = [
    "ANIMALS",
    "APP_ID",
    "DATASET_ID",
    "FAMILY",
    "IMAGE_SIZES",
    "SCENES",
    "USER_ID",
    "WEAK_CONCEPT",
    "WEAK_SCENE",
    "colour_of",
    "concept",
    "pattern_of",
    "timestamp",
]

USER_ID = "demo-user"
APP_ID = "demo-app"
DATASET_ID = "wildlife"

#: Families of look-alike animals: (family, base RGB, members).
_FAMILIES: tuple[tuple[str, tuple[int, int, int], tuple[str, ...]], ...] = (
    ("canine", (150, 150, 160), ("husky", "wolf", "malamute")),
    ("small-cat", (190, 140, 90), ("tabby-cat", "lynx", "bobcat")),
    ("big-cat", (220, 180, 60), ("leopard", "cheetah", "jaguar")),
    ("corvid", (40, 40, 50), ("crow", "raven")),
    ("fox-like", (210, 100, 40), ("red-fox", "coyote")),
    ("lagomorph", (170, 150, 130), ("rabbit", "hare")),
    ("equine", (120, 90, 60), ("horse", "donkey", "zebra")),
    ("mustelid", (100, 70, 50), ("otter", "beaver")),
)
_PATTERNS = ("plain", "spots", "stripes", "checks", "bands")

#: The 20 mutually exclusive animal concepts, in family order.
ANIMALS: tuple[str, ...] = tuple(m for _, _, members in _FAMILIES for m in members)
#: Family name of each animal.
FAMILY: dict[str, str] = {m: fam for fam, _, members in _FAMILIES for m in members}
#: The concept every model finds hard (looks like leopard).
WEAK_CONCEPT = "jaguar"
#: The scene the mobile classifier sees poorly in (its weak slice).
WEAK_SCENE = "night"

#: Scene tags (multi-label) and the background colour they give a picture.
SCENES: dict[str, tuple[int, int, int]] = {
    "outdoor": (120, 170, 220),
    "snow": (235, 240, 245),
    "grass": (90, 160, 70),
    "water": (50, 110, 170),
    "forest": (40, 90, 50),
    "night": (25, 25, 60),
}

#: Original image sizes (width, height) the inputs claim; thumbnails keep the aspect.
IMAGE_SIZES: tuple[tuple[int, int], ...] = (
    (640, 480),
    (800, 600),
    (1024, 768),
    (1280, 720),
    (480, 640),
    (600, 600),
    (960, 540),
    (1600, 1200),
)

_EPOCH = datetime(2026, 3, 2, 9, 0, 0, tzinfo=timezone.utc)


@lru_cache(maxsize=4096)
def timestamp(minutes: float) -> str:
    """Return the RFC 3339 time ``minutes`` after the demo's fixed epoch.

    Parameters
    ----------
    minutes : float
        Offset from 2026-03-02T09:00:00Z.

    Returns
    -------
    str
        For example ``"2026-03-02T09:30:00.250Z"`` (milliseconds shown only when not zero).
    """
    t = _EPOCH + timedelta(minutes=minutes)
    text = t.strftime("%Y-%m-%dT%H:%M:%S")
    if t.microsecond:
        text += f".{t.microsecond // 1000:03d}"
    return text + "Z"


def colour_of(concept_id: str) -> tuple[int, int, int]:
    """Return the RGB a concept is drawn in: its family's hue, shifted per member.

    Parameters
    ----------
    concept_id : str
        An animal concept id.

    Returns
    -------
    tuple of int
    """
    for _, base, members in _FAMILIES:
        if concept_id in members:
            shift = 18 * members.index(concept_id)
            return (min(255, base[0] + shift), base[1], max(0, base[2] - shift // 2))
    return (128, 128, 128)


def pattern_of(concept_id: str) -> str:
    """Return the pattern a concept is drawn with (its index among all animals).

    Parameters
    ----------
    concept_id : str
        An animal concept id.

    Returns
    -------
    str
    """
    index = ANIMALS.index(concept_id) if concept_id in ANIMALS else 0
    return _PATTERNS[index % len(_PATTERNS)]


def concept(concept_id: str, value: float | None = None, **extra: Any) -> dict[str, Any]:
    """Return a Concept in wire form: ``id``, ``name``, and ``value`` when given.

    Parameters
    ----------
    concept_id : str
        The id; the name is the id with dashes as spaces.
    value : float, optional
        The score or label value (always emitted when given, even 0).
    **extra
        More fields, such as ``app_id``.

    Returns
    -------
    dict
    """
    out: dict[str, Any] = {"id": concept_id, "name": concept_id.replace("-", " ")}
    if value is not None:
        out["value"] = value
    out.update(extra)
    return out
