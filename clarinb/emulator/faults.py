"""Seeded, repeatable faults: the failures a client must survive.

A :class:`Faults` spec says how often requests fail and how; a
:class:`FaultPlan` decides, from the seed and the request's sequence number
alone, what happens to each request, so the same spec gives the same faults
in the same order on every run.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

__all__ = ["KINDS", "FaultPlan", "Faults", "parse_faults"]

#: Every kind of fault, by its name in a spec string.
KINDS = ("429", "500", "503", "drop", "truncate", "throttle200")


@dataclass(frozen=True)
class Faults:
    """How the emulator misbehaves.

    Parameters
    ----------
    rate : float
        Share of requests that fail, 0 to 1.
    seed : int
        Seed of the fault sequence.
    kinds : tuple of str
        Kinds to draw from, among :data:`KINDS`: ``429`` (with ``Retry-After``
        and a CONN_THROTTLED body), ``500``, ``503``, ``drop`` (the connection
        is closed without an answer), ``truncate`` (half a body) and
        ``throttle200`` (HTTP 200 carrying a CONN_THROTTLED status).
    latency : float
        Seconds added to every response.
    retry_after : float
        Value of the ``Retry-After`` header of 429 answers, in seconds.
    """

    rate: float = 0.0
    seed: int = 0
    kinds: tuple[str, ...] = field(default=KINDS)
    latency: float = 0.0
    retry_after: float = 1.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, not {self.rate!r}")
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown or not self.kinds:
            raise ValueError(
                f"unknown fault kind {unknown[0] if unknown else '(none)'!r}; "
                f"use some of {'+'.join(KINDS)}"
            )
        if self.latency < 0 or self.retry_after < 0:
            raise ValueError("fault latency and retry_after must be >= 0 seconds")


def parse_faults(spec: str | Faults | None) -> Faults | None:
    """Read a spec like ``"rate=0.3,seed=7,kinds=429+503+drop,latency=0.02"``.

    Parameters
    ----------
    spec : str, Faults or None
        Comma-separated ``name=value`` pairs (names: ``rate``, ``seed``,
        ``kinds`` joined by ``+``, ``latency``, ``retry_after``), a
        :class:`Faults`, or ``None`` for no faults.

    Raises
    ------
    ValueError
        Naming the part of the spec that is wrong.
    """
    if spec is None or isinstance(spec, Faults):
        return spec
    values: dict[str, object] = {}
    for part in filter(None, (p.strip() for p in str(spec).split(","))):
        name, sep, value = part.partition("=")
        try:
            if not sep:
                raise ValueError
            if name == "kinds":
                values[name] = tuple(k for k in value.split("+") if k)
            elif name == "seed":
                values[name] = int(value)
            elif name in ("rate", "latency", "retry_after"):
                values[name] = float(value)
            else:
                raise KeyError(name)
        except KeyError:
            raise ValueError(
                f"unknown fault setting {name!r} in {spec!r}; "
                "use rate, seed, kinds, latency or retry_after"
            ) from None
        except ValueError:
            raise ValueError(f"bad fault setting {part!r} in {spec!r}; write name=value") from None
    return Faults(**values)  # type: ignore[arg-type]


class FaultPlan:
    """Decides the fault (or none) of each request in arrival order."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        #: How many requests got each fault kind so far.
        self.counts: dict[str, int] = dict.fromkeys(faults.kinds, 0)
        self._count = 0
        self._lock = threading.Lock()

    def next(self) -> str | None:
        """Return the fault kind of the next request, or ``None``."""
        with self._lock:
            n = self._count
            self._count += 1
        rng = random.Random(f"{self.faults.seed}:{n}")
        if rng.random() >= self.faults.rate:
            return None
        kind = rng.choice(self.faults.kinds)
        with self._lock:
            self.counts[kind] += 1
        return kind
