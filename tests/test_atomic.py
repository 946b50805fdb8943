"""Atomic writes: a write that fails midway leaves the previous file byte for byte."""

from __future__ import annotations

import errno
import os
import resource
import subprocess
import sys

import pytest

from clarinb import _atomic
from clarinb.errors import ClarinbError


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_text_replaces_whole_file(tmp_path):
    target = tmp_path / "out.html"
    target.write_text("old")
    _atomic.write_text(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert _leftovers(tmp_path) == []


def test_failure_midway_keeps_previous_file(tmp_path):
    target = tmp_path / "snap.json"
    target.write_bytes(b"previous good file")
    with (  # noqa: PT012
        pytest.raises(ClarinbError, match="previous file is unchanged"),
        _atomic.atomic_open(target, "wb") as handle,
    ):
        handle.write(b"half of the new")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_bytes() == b"previous good file"
    assert _leftovers(tmp_path) == []


def test_exception_from_producer_propagates_and_keeps_file(tmp_path):
    target = tmp_path / "r.html"
    target.write_text("keep")
    with pytest.raises(KeyError), _atomic.atomic_open(target) as handle:  # noqa: PT012
        handle.write("partial")
        raise KeyError("boom")
    assert target.read_text() == "keep"
    assert _leftovers(tmp_path) == []


def test_file_size_limit_keeps_previous_file(tmp_path):
    # A real failing write: the child process may not write more than 1 KiB.
    target = tmp_path / "big.txt"
    target.write_text("old content")
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))\n"
        "from clarinb import _atomic\n"
        "from clarinb.errors import ClarinbError\n"
        "try:\n"
        "    _atomic.write_text(sys.argv[1], 'x' * 100_000)\n"
        "except ClarinbError as err:\n"
        "    print('typed:', err)\n"
        "    sys.exit(3)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(target)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 3, done.stderr
    assert "unchanged" in done.stdout
    assert target.read_text() == "old content"
    assert _leftovers(tmp_path) == []
    assert resource.RLIMIT_FSIZE  # the platform has the limit the test relies on


def test_new_file_gets_ordinary_permissions(tmp_path):
    target = tmp_path / "new.txt"
    _atomic.write_text(target, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_keeps_existing_permissions(tmp_path):
    target = tmp_path / "kept.txt"
    target.write_text("a")
    target.chmod(0o600)
    _atomic.write_text(target, "b")
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("bad", ["folder", "missing"])
def test_bad_targets_are_typed(tmp_path, bad):
    target = tmp_path if bad == "folder" else tmp_path / "nope" / "x.txt"
    with pytest.raises(ClarinbError, match="folder"):
        _atomic.write_text(target, "x")


def test_bad_mode_is_typed(tmp_path):
    with pytest.raises(ClarinbError, match="mode"), _atomic.atomic_open(tmp_path / "x", "a"):
        pass
