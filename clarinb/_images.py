"""Private: what kind of image a byte string is, from its signature (magic bytes)."""

from __future__ import annotations

__all__ = ["IMAGE_KINDS", "image_mime"]

#: The kinds :func:`image_mime` recognises, for messages.
IMAGE_KINDS = "PNG, JPEG, GIF, WebP or BMP"


def image_mime(data: bytes) -> str | None:
    r"""Media type of an encoded image from its magic bytes, or ``None`` if it is not one.

    Parameters
    ----------
    data : bytes
        The encoded image (only its first twelve bytes are read).

    Returns
    -------
    str or None
        ``"image/png"``, ``"image/jpeg"``, ``"image/gif"``, ``"image/webp"``,
        ``"image/bmp"``, or ``None`` for anything else (an error body, text).

    Examples
    --------
    >>> image_mime(b"\x89PNG\r\n\x1a\n...")
    'image/png'
    >>> image_mime(b'{"status": {"code": 11005}}') is None
    True
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"BM") and len(data) >= 26:
        return "image/bmp"
    return None
