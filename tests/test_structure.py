"""The import structure of clarinb: which way imports run, and one of each idea.

The product sits above the emulator: the emulator serves the API and never
imports the client, and ``clarinb.connect()`` (which decides to start an
emulator) lives outside it.  The views sit below the apps (the explorers) and
never hold a client; no module is part of an import cycle, and the wire-format
conversions are written once, in ``clarinb._wire``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import clarinb

PACKAGE = Path(clarinb.__file__).parent
CLIENT_MODULES = {"clarinb.client", "clarinb.api.client"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


MODULES = _modules()


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import anywhere in the module: lazy ones and ``TYPE_CHECKING`` ones too."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node


def _imports(name: str) -> set[str]:
    """The clarinb modules ``name`` imports (``from package import submodule``: the submodule)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*anchor, *([base] if base else [])])
        for alias in node.names:
            sub = f"{base}.{alias.name}"
            found.add(sub if sub in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_emulator_never_imports_the_client() -> None:
    offenders = {
        name: sorted(_imports(name) & CLIENT_MODULES)
        for name in MODULES
        if name.startswith("clarinb.emulator") and _imports(name) & CLIENT_MODULES
    }
    assert offenders == {}


def test_importing_the_emulator_loads_no_client() -> None:
    code = f"import sys, clarinb.emulator; print(sorted(set(sys.modules) & {CLIENT_MODULES!r}))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"


def test_importing_clarinb_loads_no_client() -> None:
    """``import clarinb`` stays cheap: the client (and requests) load with ``clarinb.Client``."""
    code = (
        "import sys, clarinb; loaded = {'clarinb.client', 'requests'} & set(sys.modules); "
        "clarinb.Client; print(sorted(loaded), 'clarinb.client' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.split() == ["[]", "True"]


def test_the_cycle_finder_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_connect_is_defined_outside_the_emulator() -> None:
    assert not clarinb.connect.__module__.startswith("clarinb.emulator")


def _sources() -> dict[str, str]:
    return {name: path.read_text(encoding="utf-8") for name, path in MODULES.items()}


def test_one_camel_case_converter() -> None:
    """Only ``_wire`` splits names at underscores and capitalises the pieces"""
    capitalising = (".upper()", ".title()", ".capitalize()")
    writers = sorted(
        name
        for name, text in _sources().items()
        if 'split("_")' in text and any(c in text for c in capitalising)
    )
    assert writers == ["clarinb._wire"]


def test_one_status_name_table() -> None:
    """Only ``_wire`` turns status names back into codes"""
    inverting = sorted(
        name for name, text in _sources().items() if "in STATUS_CODE.items()" in text
    )
    assert inverting == ["clarinb._wire"]


def test_one_enum_table_feeds_client_and_emulator() -> None:
    """The emulator reads enum values from the client's generated table, not a copy of its own."""
    from clarinb import _enums
    from clarinb.emulator import _schema, wire

    named = {
        code.strip("[!").split("e:", 1)[1]
        for fields in _schema.SCHEMA.values()
        for code in fields.values()
        if "e:" in code
    }
    assert not hasattr(_schema, "ENUMS")
    assert wire.ENUMS is _enums.ENUMS
    assert named <= set(_enums.ENUMS)


def test_views_call_no_operation_and_import_no_api() -> None:
    """Views draw what the read models fetched: no operation id, no ``clarinb.api`` import."""
    offenders = {}
    for name, path in MODULES.items():
        if not name.startswith("clarinb.views"):
            continue
        found = sorted(m for m in _imports(name) if m.startswith("clarinb.api"))
        if '"V2_' in path.read_text(encoding="utf-8"):
            found.append("an operation id")
        if found:
            offenders[name] = found
    assert offenders == {}


def test_views_sit_below_the_apps_and_hold_no_client() -> None:
    """Views import neither the client nor the apps; the apps (explorers) import views."""
    offenders = {
        name: sorted(
            m for m in _imports(name) if m in CLIENT_MODULES or m.startswith("clarinb.apps")
        )
        for name in MODULES
        if name.startswith("clarinb.views")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert "clarinb.views.explorer" not in MODULES
    assert "clarinb.views.dataset_explorer" not in MODULES
    assert "clarinb.views._source" not in MODULES


def test_no_import_cycles_anywhere() -> None:
    graph = {name: _imports(name) for name in MODULES}
    assert _cycles(graph) == []
