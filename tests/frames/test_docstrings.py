"""The Examples sections of the frames, metrics and Evaluation docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "clarinb.frames.evaluations",
    "clarinb.frames.matrices",
    "clarinb.frames.predictions",
    "clarinb.frames.datasets",
    "clarinb.metrics.confusion",
    "clarinb.metrics.groups",
    "clarinb.metrics.group_counts",
    "clarinb.metrics.order",
    "clarinb.metrics.threshold",
    "clarinb.metrics.topk",
    "clarinb.evaluation",
    "clarinb._numbers",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
