"""Stored response bodies for the frames tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(name="load")
def _load() -> Any:
    def load(name: str) -> Any:
        return json.loads((DATA / f"{name}.json").read_text())

    return load
