"""What the common view test needs to know about one view: how to build it and how to change it.

Each group of views lists its cases in ``tests/views/cases_<group>.py`` as
``CASES: list[ViewCase]``; ``test_common_views.py`` runs every check on all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ViewCase:
    """One view under the common test.

    Attributes
    ----------
    cls : type
        The view class.
    from_frames : callable
        ``() -> view``, built with ``cls.from_frames`` from small synthetic frames
        (no client, no network).
    from_read_model : callable
        ``(client) -> view``, built with ``cls.from_evaluation(s)`` or
        ``cls.from_dataset_version(s)`` from the read models of the demo workspace (``client`` is
        a client on the demo emulator).
    change : dict
        A valid ``set(**change)`` that changes what ``figure_`` shows.
    bad_change : dict
        A ``set(**bad_change)`` with a known setting and a bad value.
    bad_frames : callable
        ``() -> None``, calls ``cls.from_frames`` with a wrong kind of data (must raise
        ``InvalidArgumentError``).
    """

    cls: type
    from_frames: Callable[[], Any]
    from_read_model: Callable[[Any], Any]
    change: Mapping[str, Any]
    bad_change: Mapping[str, Any]
    bad_frames: Callable[[], Any]
    id: str = field(default="")

    @property
    def name(self) -> str:
        """The test id: the view's class name (and ``id`` when a class has several cases)."""
        return self.cls.__name__ + (f"-{self.id}" if self.id else "")
