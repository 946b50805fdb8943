"""Write JupyterLab settings overrides into the active environment.

Turns off the "Jupyter news" notice and update checks, which would otherwise
try to reach the network and cover part of the page in browser tests.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def main() -> int:
    """Write ``share/jupyter/lab/settings/overrides.json`` under ``sys.prefix``."""
    target = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(OVERRIDES, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
