"""What the demo plants for the mistakes and slices views to find, checked from the evaluations.

* Label errors: a few percent of the evaluated version's animal labels name a
  look-alike of what the picture shows; :func:`clarinb.emulator.demo.flipped_labels`
  says which, from the seed.
* A weak slice: the mobile animal classifier fails on night shots (inputs whose
  labels carry the ``night`` scene tag); the other classifiers barely notice.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import pytest

from clarinb import frames, metrics
from clarinb.emulator.demo import (
    FLIP_RATE,
    MODELS,
    WEAK_SLICE,
    build_workspace,
    flipped_labels,
)
from clarinb.emulator.demo._catalog import FAMILY

ANIMAL_CLASSIFIERS = [m for m, s in MODELS.items() if s.kind == "classifier"]


@functools.lru_cache(maxsize=1)
def _ws() -> dict[str, Any]:
    return build_workspace(0)


def _evaluation(model_id: str) -> dict[str, Any]:
    return next(e for e in _ws()["evaluations"] if e["model"]["id"] == model_id and "summary" in e)


def _given(ev: dict[str, Any]) -> dict[str, str]:
    """Input id -> the animal its test-set ground truth names."""
    return {
        e["input"]["id"]: next(c["id"] for c in e["ground_truth_concepts"] if c["value"] > 0)
        for e in ev["test_set"]
    }


def _current(ws: dict[str, Any]) -> dict[str, str]:
    """Input id -> the animal its current (fixed) annotations name."""
    animals = set(MODELS["animals-base"].concepts)
    return {
        a["input_id"]: c["id"]
        for a in ws["annotations"]
        if a.get("input_level")
        for c in a["data"]["concepts"]
        if c["id"] in animals
    }


def _scene_inputs(ws: dict[str, Any], scene: str) -> set[str]:
    return {
        a["input_id"]
        for a in ws["annotations"]
        if a.get("input_level") and any(c["id"] == scene for c in a["data"]["concepts"])
    }


# -- label errors --------------------------------------------------------------------------


def test_flips_are_between_look_alikes_at_the_stated_rate() -> None:
    flips = flipped_labels(0)
    ev = _evaluation("animals-base")
    assert set(flips) <= {e["input"]["id"] for e in ev["test_set"]}
    for given, shown in flips.values():
        assert given != shown
        assert FAMILY[given] == FAMILY[shown]
    rate = len(flips) / len(ev["test_set"])
    assert FLIP_RATE - 0.02 <= rate <= FLIP_RATE + 0.02
    assert len({FAMILY[shown] for _, shown in flips.values()}) >= 4  # not one family only


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_flip_rate_holds_for_other_seeds(seed: int) -> None:
    from clarinb.emulator.demo._facts import pictures

    labelled = sum(p.labelled for p in pictures(seed))
    assert FLIP_RATE - 0.02 <= len(flipped_labels(seed)) / labelled <= FLIP_RATE + 0.02


@pytest.mark.parametrize("model_id", ANIMAL_CLASSIFIERS)
def test_every_test_set_agrees_with_the_flips(model_id: str) -> None:
    ws = _ws()
    given, current = _given(_evaluation(model_id)), _current(ws)
    flips = flipped_labels(0)
    # The test set's ground truth is the flipped label, the fixed annotations name
    # what the picture shows, and nowhere else do the two differ.
    assert {i: (g, current[i]) for i, g in given.items() if g != current[i]} == flips


def test_the_models_see_through_the_flips() -> None:
    ev = _evaluation("animals-large")
    flips = flipped_labels(0)
    ts = frames.test_set(ev)
    ts = ts[ts["input_id"].astype(str).isin(flips)]
    best = ts.loc[ts.groupby("input_id", observed=True)["score"].idxmax()]
    top = dict(zip(best["input_id"].astype(str), best["concept_id"].astype(str), strict=True))
    agrees = sum(top[i] == shown for i, (_, shown) in flips.items())
    assert agrees >= 0.7 * len(flips)


# -- the weak slice ------------------------------------------------------------------------


def _slice_top1(model_id: str, members: set[str]) -> tuple[float, float, int]:
    ts = frames.test_set(_evaluation(model_id))
    inside = ts["input_id"].astype(str).isin(members)
    n = int(pd.Series(ts.loc[inside, "input_id"].astype(str)).nunique())
    return metrics.top_k_accuracy(ts[inside], 1), metrics.top_k_accuracy(ts[~inside], 1), n


def test_the_weak_slice_is_named() -> None:
    assert WEAK_SLICE == ("animals-mobile", "night")


def test_the_mobile_model_fails_on_night_shots() -> None:
    model_id, scene = WEAK_SLICE
    night = _scene_inputs(_ws(), scene)
    on, off, n = _slice_top1(model_id, night)
    assert n >= 80  # a real slice, not a handful
    assert off - on >= 0.15


@pytest.mark.parametrize("model_id", [m for m in ANIMAL_CLASSIFIERS if m != WEAK_SLICE[0]])
def test_the_other_classifiers_barely_notice_the_night(model_id: str) -> None:
    night = _scene_inputs(_ws(), WEAK_SLICE[1])
    on, off, _ = _slice_top1(model_id, night)
    weak_on, weak_off, _ = _slice_top1(WEAK_SLICE[0], night)
    assert off - on < 0.1
    assert off - on < 0.5 * (weak_off - weak_on)


def test_no_other_scene_is_a_weak_slice_for_the_mobile_model() -> None:
    ws = _ws()
    for scene in ("outdoor", "snow", "grass", "water", "forest"):
        on, off, _ = _slice_top1("animals-mobile", _scene_inputs(ws, scene))
        assert off - on < 0.1, scene


def test_night_shots_come_mostly_from_the_trail_cameras() -> None:
    ws = _ws()
    night = _scene_inputs(ws, "night")
    images = [i for i in ws["inputs"] if "image" in i["data"]]
    source = {i["id"]: i["data"]["metadata"]["source"] for i in images}
    assert set(source.values()) == {"trail-cam", "phone", "dslr"}
    from_trail = sum(source[i] == "trail-cam" for i in night)
    assert from_trail >= 0.75 * len(night)
    day = [i for i in source if i not in night]
    assert sum(source[i] == "trail-cam" for i in day) <= 0.3 * len(day)


def test_the_mobile_model_is_weaker_on_the_trail_cameras() -> None:
    ws = _ws()
    trail = {
        i["id"]
        for i in ws["inputs"]
        if (i["data"].get("metadata") or {}).get("source") == "trail-cam"
    }
    on, off, n = _slice_top1("animals-mobile", trail)
    assert n >= 100
    assert off - on >= 0.08
    for model_id in ("animals-base", "animals-large"):
        other_on, other_off, _ = _slice_top1(model_id, trail)
        assert other_off - other_on < 0.5 * (off - on), model_id
