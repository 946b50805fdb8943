"""Shared by the generators: lay generated source out as the project's formatter would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ruff_format(text: str, target: Path) -> str:
    """Return ``text`` formatted by ruff as if it were the file ``target``.

    Generated files then stay clean under ``ruff format --check``.
    """
    sibling = Path(sys.executable).with_name("ruff")
    ruff = str(sibling) if sibling.exists() else shutil.which("ruff")
    if ruff is None:
        raise SystemExit("ruff is needed to lay out generated files; install the test extras.")
    done = subprocess.run(
        [ruff, "format", "--stdin-filename", str(target.relative_to(ROOT)), "-"],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return done.stdout
