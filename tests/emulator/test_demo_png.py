"""The demo's hand-made PNG encoder and picture renderer."""

from __future__ import annotations

import hashlib
import json
import os
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest

from clarinb.emulator.demo._png import encode_png, render


def _decode(data: bytes) -> np.ndarray:
    """Read an 8-bit RGB PNG with filter 0 rows (what the encoder writes), checking every CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks.append((kind, body))
        pos += 12 + length
    assert [k for k, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour, interlace) == (8, 2, 0)
    rows = np.frombuffer(zlib.decompress(chunks[1][1]), dtype=np.uint8).reshape(height, -1)
    assert (rows[:, 0] == 0).all()
    return rows[:, 1:].reshape(height, width, 3)


def test_encode_round_trips_pixels() -> None:
    pixels = np.random.default_rng(3).integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    np.testing.assert_array_equal(_decode(encode_png(pixels)), pixels)


def test_encode_refuses_other_arrays() -> None:
    with pytest.raises(ValueError, match="uint8"):
        encode_png(np.zeros((4, 4), dtype=np.uint8))
    with pytest.raises(ValueError, match="uint8"):
        encode_png(np.zeros((4, 4, 3), dtype=np.float64))


def test_render_draws_the_object_inside_its_box() -> None:
    background, colour = (10, 20, 30), (200, 100, 50)
    img = render(64, 48, background, [((0.25, 0.5, 0.75, 1.0), colour, "plain")])
    assert img.shape == (48, 64, 3)
    assert tuple(img[24, 48]) == colour  # the box's centre
    assert tuple(img[2, 2]) == background
    assert tuple(img[24, 10]) == background  # left of the box
    inside = (img == colour).all(axis=2)
    rows, cols = np.nonzero(inside)
    assert rows.min() >= 12
    assert rows.max() < 36
    assert cols.min() >= 32


def test_patterns_darken_part_of_the_object() -> None:
    colour = (200, 100, 50)
    img = render(64, 48, (0, 0, 0), [((0.0, 0.0, 1.0, 1.0), colour, "stripes")])
    dark = tuple(int(c * 0.55) for c in colour)
    assert tuple(img[24, 32]) in {colour, dark}
    assert (img == dark).all(axis=2).sum() > 100
    assert (img == colour).all(axis=2).sum() > 100


def test_the_workspace_is_the_same_in_another_process() -> None:
    """Nothing depends on the process (hash randomisation, import order)."""
    code = (
        "import hashlib, json; from clarinb.emulator.demo import build_workspace; "
        "print(hashlib.sha256(json.dumps(build_workspace(0)).encode()).hexdigest())"
    )
    seed = "7" if os.environ.get("PYTHONHASHSEED") != "7" else "8"
    env = dict(os.environ, PYTHONHASHSEED=seed)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    from clarinb.emulator.demo import build_workspace

    here = hashlib.sha256(json.dumps(build_workspace(0)).encode()).hexdigest()
    assert out.stdout.strip() == here
