"""Wire-format helpers shared by the client, the emulator and the frames.

The REST API speaks proto3 JSON: snake_case keys (camelCase is accepted too),
enums as numbers or names, 64-bit integers as strings.  These helpers turn
either casing into one and status codes into numbers.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from clarinb._enums import STATUS_CODE

__all__ = [
    "FREE_FORM_KEYS",
    "METRICS_COUNT_FIELDS",
    "code_name",
    "code_of_name",
    "has_camel_keys",
    "snake_keys",
    "status_code",
    "to_camel",
    "to_snake",
]

#: Keys whose values are free-form JSON (``google.protobuf.Struct``): their
#: inner keys belong to the user and are never renamed.
FREE_FORM_KEYS = frozenset(
    {"metadata", "params", "user_metrics", "struct_value", "fields_map", "presets"}
)

#: The count fields of ``DatasetVersionMetrics`` (each a UInt64Value: a string on the wire).
METRICS_COUNT_FIELDS = (
    "inputs_count",
    "unlabeled_inputs_count",
    "inputs_with_metadata_count",
    "inputs_with_geo_count",
    "regions_count",
    "bounding_boxes_count",
    "polygons_count",
    "points_count",
    "masks_count",
    "region_inputs_count",
    "region_frames_count",
    "frames_count",
    "frame_inputs_count",
    "embeddings_count",
    "positive_input_tags_count",
    "positive_region_tags_count",
    "positive_frame_tags_count",
)

_CODE_BY_NAME = {name: number for number, name in STATUS_CODE.items()}
_UPPER = re.compile(r"(?<=[a-z0-9])([A-Z])")
#: JSON names whose snake_case form cannot be read back from the camelCase one
#: (an underscore before a digit is dropped by camelCase): the only such field
#: in the Clarifai protocol.
_SNAKE_EXCEPTIONS = {"meanAvgPrecisionIou50": "mean_avg_precision_iou_50"}


def to_snake(name: str) -> str:
    """Turn ``camelCase`` (or ``dotted.camelCase``) into ``snake_case``.

    Parameters
    ----------
    name : str
        A key or query-parameter name.

    Returns
    -------
    str
        The snake_case form; snake_case input is returned unchanged.
    """
    if name.islower() or not any(c.isupper() for c in name):
        return name
    if name in _SNAKE_EXCEPTIONS:
        return _SNAKE_EXCEPTIONS[name]
    return _UPPER.sub(r"_\1", name).lower()


@lru_cache(maxsize=1024)
def to_camel(name: str) -> str:
    """Turn ``snake_case`` (or ``dotted.snake_case``) into ``camelCase``.

    The one converter of the package (the frames look keys up in both casings,
    the query flags are spelt with it); cached, as the same few names recur.
    """
    return ".".join(
        head + "".join(p[:1].upper() + p[1:] for p in rest)
        for head, *rest in (part.split("_") for part in name.split("."))
    )


def has_camel_keys(obj: Any, depth: int = 6) -> bool:
    """Tell cheaply whether a parsed body uses camelCase keys.

    Looks at every key of dicts and at the first element of lists, down to
    ``depth`` levels, so that a large body is not walked in full.
    """
    if depth <= 0:
        return False
    if isinstance(obj, dict):
        for key, value in obj.items():
            if any(c.isupper() for c in key):
                return True
            if to_snake(key) not in FREE_FORM_KEYS and has_camel_keys(value, depth - 1):
                return True
    elif isinstance(obj, list) and obj:
        return has_camel_keys(obj[0], depth - 1)
    return False


def snake_keys(obj: Any) -> Any:
    """Return a copy of ``obj`` with every key in snake_case (free-form values kept)."""
    if isinstance(obj, dict):
        return {
            (snake := to_snake(k)): (v if snake in FREE_FORM_KEYS else snake_keys(v))
            for k, v in obj.items()
        }
    if isinstance(obj, list):
        return [snake_keys(v) for v in obj]
    return obj


def status_code(value: Any) -> int:
    """Read a status code given as a number, a numeric string or a name.

    Parameters
    ----------
    value : int, str or None
        ``status.code`` as found in a body.

    Returns
    -------
    int
        The numeric code, or 0 when the value is absent or unknown.
    """
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        if value.isascii() and value.isdigit():
            return int(value)
        return code_of_name(value)
    return 0


def code_of_name(name: str) -> int:
    """Numeric status code of a name (``"SUCCESS"`` -> ``10000``), 0 if unknown."""
    return _CODE_BY_NAME.get(name, 0)


def code_name(code: int) -> str:
    """Name of a numeric status code (``10000`` -> ``"SUCCESS"``), ``""`` if unknown."""
    return STATUS_CODE.get(code, "")
