"""The slow optional import under jsonschema waits until it is used, and answers the same.

Each case runs in a fresh interpreter, since the point is what an import does
to ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """\
import json, sys
{before}
import jsonschema
checker = jsonschema.FormatChecker()
loaded_at_import = type(sys.modules.get("rfc3987_syntax")).__name__ == "module"
values = ("https://example.org/ä", "a b", "http://[")
answers = [checker.conforms(v, f) for v in values for f in ("iri", "iri-reference")]
loaded_after = type(sys.modules.get("rfc3987_syntax")).__name__ == "module"
print(json.dumps([loaded_at_import, answers, loaded_after]))
"""


def _probe(before: str) -> list:
    code = PROBE.format(before=before)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_importing_clarinb_defers_the_grammar_and_keeps_every_answer() -> None:
    plain_loaded, plain_answers, _ = _probe("")
    loaded, answers, loaded_after = _probe("import clarinb")
    assert plain_loaded  # without clarinb, jsonschema's import builds the grammar
    assert not loaded  # with clarinb imported first, it waits
    assert answers == plain_answers  # and the iri checks answer as before
    assert False in answers
    assert True in answers
    assert loaded_after  # the first check imported the real module


def test_defer_leaves_an_imported_module_alone() -> None:
    first = "import rfc3987_syntax\nimport clarinb._deferred as d\nd.defer_slow_imports()"
    loaded, _, _ = _probe(first)
    assert loaded
