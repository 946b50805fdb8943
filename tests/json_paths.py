"""Test helper: every path into a JSON value, and a copy with the value at one path replaced.

The property and fuzz tests mutate bodies one place at a time with these.
"""

from __future__ import annotations

import copy
from typing import Any


def json_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (keys and indices) into ``value``, the empty path included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += json_paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            found += json_paths(inner, (*prefix, i))
    return found


def replaced(body: Any, path: tuple[Any, ...], new: Any) -> Any:
    """A deep copy of ``body`` with the value at ``path`` replaced by ``new``."""
    if not path:
        return new
    out = copy.deepcopy(body)
    target = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return out
