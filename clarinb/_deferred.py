"""Deferring an optional import that is slow and rarely used: ``rfc3987_syntax``.

``jsonschema`` imports ``rfc3987_syntax`` when it is installed, to check the
``iri`` and ``iri-reference`` formats, and that package builds its parsers
from a grammar on import: 2 to 6 s of CPU per process on a busy machine.
Every kernel drawing a plotly widget pays it, because plotly imports
``nbformat``, which imports ``jsonschema``; so does Voila's server.

:func:`defer_slow_imports` puts a stand-in under that name until it is first
used. The stand-in's ``is_valid_syntax`` (the one name ``jsonschema`` takes)
and any other attribute import the real module on first use and hand over to
it, so every check gives the same answer as before, only later. Nothing is
done when the module is already imported or not installed.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

__all__ = ["SLOW_OPTIONAL_MODULES", "defer_slow_imports"]

#: Optional modules, slow to import, that :func:`defer_slow_imports` loads on first use.
SLOW_OPTIONAL_MODULES = ("rfc3987_syntax",)


class _StandIn(types.ModuleType):
    """A module standing in for ``name`` until something in it is used."""

    def __init__(self, name: str) -> None:
        super().__init__(name, f"stand-in for {name}, imported on first use (clarinb)")
        self.__clarinb_deferred__ = True

    def _load(self) -> types.ModuleType:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return importlib.import_module(self.__name__)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(self._load(), attr)

    def is_valid_syntax(self, *args: Any, **kwargs: Any) -> Any:
        """Import the real module, then run its ``is_valid_syntax``."""
        return self._load().is_valid_syntax(*args, **kwargs)


def defer_slow_imports() -> None:
    """Put a stand-in for each of :data:`SLOW_OPTIONAL_MODULES` until it is first used.

    A module already imported, or not installed, is left alone; calling this
    again does nothing more.
    """
    for name in SLOW_OPTIONAL_MODULES:
        if name in sys.modules:
            continue
        try:
            found = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            found = None
        if found is not None:
            sys.modules[name] = _StandIn(name)
