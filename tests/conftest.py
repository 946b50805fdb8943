"""Hypothesis profiles shared by every property-based test.

- ``ci`` (when ``CI=true``): derandomized, with no example database, no
  deadline and no slowness health check, so a run tests the same cases every
  time whatever the machine's load, and a failure can be replayed from the
  log alone (timing belongs in ``benchmarks/``);
- ``fuzz`` (when ``CLARINB_FUZZ=1``, as ``make fuzz`` sets it): random
  exploration with ten times the examples; what it finds is pinned as an
  ``@example`` in the test that found it;
- otherwise Hypothesis' defaults.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("fuzz", derandomize=False, max_examples=1000, print_blob=True)

if os.environ.get("CLARINB_FUZZ", "") not in ("", "0"):
    settings.load_profile("fuzz")
elif os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")
