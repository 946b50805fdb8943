"""A local emulator of the Clarifai API v2, with a generated demo workspace.

Real HTTP on loopback, all operations of clarinb's endpoint table, the same
JSON the service sends.  The layers follow one split: routes come from the
client's endpoint table (``dispatch``), request handling lives in the
``handlers_*`` modules, state in ``store``, the wire format in ``wire`` and
service errors in ``errors``.

Examples
--------
>>> import clarinb
>>> from clarinb.emulator import serve
>>> with serve() as emu:  # doctest: +SKIP
...     client = clarinb.connect(emulator=emu)
...     client.call("V2_ListEvaluations3")
"""

from __future__ import annotations

from clarinb.emulator import (  # noqa: F401 - importing registers the handlers
    handlers_datasets,
    handlers_evaluations,
    handlers_inputs,
    handlers_jobs,
    handlers_labels,
    handlers_models,
    handlers_searches,
)
from clarinb.emulator.faults import Faults, parse_faults
from clarinb.emulator.server import Emulator, serve

__all__ = ["Emulator", "Faults", "parse_faults", "serve"]
