"""Atomic file writes: every file clarinb writes goes through here.

A file is written to a temporary file in the target's folder, flushed to disk,
then moved over the target with :func:`os.replace`. A write that fails midway
(disk full, file-size limit, an exception while producing the content) leaves
the previous file byte for byte and no partial file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from clarinb.errors import ClarinbError

__all__ = ["atomic_open", "write_bytes", "write_text"]


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` that replaces ``path`` on success.

    Parameters
    ----------
    path : str or path-like
        The file to write. Its folder must exist.
    mode : {"w", "wb"}
        Text (UTF-8) or binary.

    Yields
    ------
    file object
        Write the content to it. When the ``with`` block ends without an
        exception the file is synced and moved over ``path``; otherwise it is
        removed and ``path`` is left as it was.

    Raises
    ------
    ClarinbError
        When ``path`` is a folder, its folder does not exist, or the write fails
        (the message names the file and the cause).
    """
    if mode not in ("w", "wb"):
        raise ClarinbError(f"atomic_open: mode must be 'w' or 'wb', not {mode!r}")
    target = Path(path)
    if target.is_dir():
        raise ClarinbError(f"cannot write {target}: it is a folder; give a file name")
    folder = target.parent
    if not folder.is_dir():
        raise ClarinbError(
            f"cannot write {target}: folder {folder} does not exist; create it first"
        )
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise ClarinbError(f"cannot write {target}: {err.strerror or err}") from None
    tmp = Path(tmp_name)
    try:
        if mode == "w":
            handle: IO[Any] = os.fdopen(fd, "w", encoding="utf-8", newline="")
        else:
            handle = os.fdopen(fd, "wb")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            # Keep the permissions an ordinary open() would have given a new file.
            umask = os.umask(0)
            os.umask(umask)
            mode_bits = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~umask
            os.chmod(tmp, mode_bits)
        os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(err, OSError):
            raise ClarinbError(
                f"cannot write {target}: {err.strerror or err}; the previous file is unchanged"
            ) from None
        raise


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically and return the path.

    Parameters
    ----------
    path : str or path-like
        The file to write.
    text : str
        The whole content.

    Returns
    -------
    Path
        ``path`` as a :class:`~pathlib.Path`.
    """
    with atomic_open(path, "w") as handle:
        handle.write(text)
    return Path(path)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path.

    Parameters
    ----------
    path : str or path-like
        The file to write.
    data : bytes
        The whole content.

    Returns
    -------
    Path
        ``path`` as a :class:`~pathlib.Path`.
    """
    with atomic_open(path, "wb") as handle:
        handle.write(data)
    return Path(path)
