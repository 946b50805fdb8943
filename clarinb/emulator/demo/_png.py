"""Small generated pictures for the demo workspace, encoded as PNG by hand.

Data-making code.  Each picture is a flat background (the scene) with one
patterned shape per object (the concept), drawn where the object's bounding
box lies, so thumbnails and drawn boxes agree.  Only :mod:`zlib` and
:mod:`struct` are used to encode, so the output is the same bytes on every
platform for the same pixels.
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

__all__ = ["Shape", "encode_png", "render", "render_base64"]

#: One drawn object: (top, left, bottom, right) as fractions, RGB colour, pattern name.
Shape = tuple[tuple[float, float, float, float], tuple[int, int, int], str]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def encode_png(pixels: np.ndarray) -> bytes:
    """Encode an RGB picture as an 8-bit truecolour PNG.

    Parameters
    ----------
    pixels : numpy.ndarray
        ``uint8`` array of shape ``(height, width, 3)``.

    Returns
    -------
    bytes
        The PNG file.
    """
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.dtype != np.uint8:
        raise ValueError("pixels must be a uint8 array of shape (height, width, 3)")
    height, width = pixels.shape[:2]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = np.zeros((height, width * 3 + 1), dtype=np.uint8)  # filter byte 0 per row
    rows[:, 1:] = pixels.reshape(height, width * 3)
    body = zlib.compress(rows.tobytes(), 1)  # fast; these pictures are tiny anyway
    return _PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


@lru_cache(maxsize=64)
def _grid(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel centres as fractions of the picture: a column of rows and a row of columns."""
    return ((np.arange(h) + 0.5) / h)[:, None], ((np.arange(w) + 0.5) / w)[None, :]


@lru_cache(maxsize=64)
def _pattern(name: str, h: int, w: int) -> np.ndarray:
    """Return a ``(h, w)`` mask of the pattern's darker pixels."""
    yy, xx = np.mgrid[0:h, 0:w]
    if name == "stripes":
        return (xx // 2) % 2 == 0
    if name == "spots":
        return ((yy % 4) < 2) & ((xx % 4) < 2)
    if name == "checks":
        return ((yy // 3) + (xx // 3)) % 2 == 0
    if name == "bands":
        return (yy // 2) % 2 == 0
    return np.zeros((h, w), dtype=bool)


def render(
    width: int, height: int, background: tuple[int, int, int], shapes: Sequence[Shape]
) -> np.ndarray:
    """Draw a picture: the background, then each shape as a patterned ellipse.

    Parameters
    ----------
    width, height : int
        Size in pixels.
    background : tuple of int
        RGB of the background.
    shapes : sequence of Shape
        Objects to draw, in order; each fills the ellipse inscribed in its box.

    Returns
    -------
    numpy.ndarray
        ``uint8`` array of shape ``(height, width, 3)``.
    """
    # Paint palette indices, then look the colours up once: 0 sky, 1 ground (the
    # darker lower third), then a plain and a patterned entry per shape.
    index = _ground(height, width).copy()
    palette = [background, tuple(int(c * 0.8) for c in background)]
    rows, cols = _grid(height, width)
    for (top, left, bottom, right), colour, pattern in shapes:
        ry, rx = max((bottom - top) / 2, 0.5 / height), max((right - left) / 2, 0.5 / width)
        distance = ((rows - (top + bottom) / 2) / ry) ** 2 + ((cols - (left + right) / 2) / rx) ** 2
        inside = distance <= 1.0
        index[inside] = len(palette)
        index[inside & _pattern(pattern, height, width)] = len(palette) + 1
        palette += [colour, tuple(int(c * 0.55) for c in colour)]
    return np.take(np.array(palette, dtype=np.uint8), index, axis=0)


@lru_cache(maxsize=64)
def _ground(h: int, w: int) -> np.ndarray:
    """Palette indices of an empty picture: 0 above, 1 in the lower third."""
    index = np.zeros((h, w), dtype=np.intp)
    index[(2 * h) // 3 :] = 1
    return index


def render_base64(
    width: int, height: int, background: tuple[int, int, int], shapes: Sequence[Shape]
) -> str:
    """Draw a picture and return its PNG encoding as base64 text.

    Parameters
    ----------
    width, height : int
        Size in pixels.
    background : tuple of int
        RGB of the background.
    shapes : sequence of Shape
        Objects to draw, in order.

    Returns
    -------
    str
        Base64 of the PNG file.
    """
    return base64.b64encode(encode_png(render(width, height, background, shapes))).decode("ascii")
