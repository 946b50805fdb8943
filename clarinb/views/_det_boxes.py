"""Private: image size from encoded bytes, data URIs, and fetching an image for the browser."""

from __future__ import annotations

import base64
import struct
from collections.abc import Callable

from clarinb._images import image_mime
from clarinb.errors import ClarinbError

__all__ = ["data_uri", "image_size", "load_image"]

_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            pos += 1
            continue
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            pos += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _JPEG_SOF:
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        pos += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    r"""Read the width and height of an encoded image from its header; None if unknown.

    Examples
    --------
    >>> png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") \
    ...     + (480).to_bytes(4, "big")
    >>> image_size(png)
    (640, 480)
    """
    mime = image_mime(data)
    try:
        if mime == "image/png" and len(data) >= 24:
            width, height = struct.unpack(">II", data[16:24])
            return width, height
        if mime == "image/jpeg":
            return _jpeg_size(data)
        if mime == "image/gif" and len(data) >= 10:
            width, height = struct.unpack("<HH", data[6:10])
            return width, height
        if mime == "image/webp":
            return _webp_size(data)
        if mime == "image/bmp" and len(data) >= 26:
            width, height = struct.unpack("<ii", data[18:26])
            return width, abs(height)
    except struct.error:
        return None
    return None


def data_uri(data: bytes) -> str:
    """Encode an image as a base64 ``data:`` URI of an encoded image, for a plotly layout image."""
    mime = image_mime(data) or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def load_image(
    fetch: Callable[[str], bytes] | None, url: str
) -> tuple[str | None, tuple[float, float] | None, str]:
    """Fetch an image: its data URI, its size from its header, and a note on any failure.

    Without ``fetch`` or ``url`` there is no image and no note; a failed
    download (a :class:`~clarinb.errors.ClarinbError`) gives no image and a
    note saying why, so that the boxes are still drawn on a blank canvas.
    """
    if fetch is None or not url:
        return None, None, ""
    try:
        data = fetch(url)
    except ClarinbError as err:
        return None, None, f"image not loaded: {err}"
    size = image_size(data)
    return data_uri(data), (None if size is None else (float(size[0]), float(size[1]))), ""
