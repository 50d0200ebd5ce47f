"""The import map of restore/ has no cycle, and no module hides an import inside a function to dodge one.

Walks the AST of every module: an edge A -> B for each ``import restore.B`` or
``from restore.B import x`` (to ``restore.B.x`` when that is a module). Only
cli.py may import inside functions (commands load what they need lazily).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "restore"
LAZY_OK = {"restore.cli"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> list[tuple[str, bool]]:
    """(module imported, whether inside a function) for each restore import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    local = {
        id(n)
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        for n in ast.walk(f)
        if n is not f
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [
                f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                for a in node.names
            ]
        else:
            continue
        for target in targets:
            if target in modules:
                found.append((target, id(node) in local))
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {t for t, _ in _imports(path, modules)} for name, path in modules.items()}


def test_the_import_map_has_no_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_no_module_imports_restore_inside_a_function():
    modules = _modules()
    hidden = [
        f"{name}: {target}"
        for name, path in modules.items()
        if name not in LAZY_OK
        for target, inside in _imports(path, modules)
        if inside
    ]
    assert not hidden, hidden


def test_the_bottom_layer_imports_nothing_above_it():
    bottom = {"restore.version", "restore.config", "restore.files", "restore.record", "restore.compose"}
    graph = _graph()
    for name in bottom:
        assert graph[name] <= bottom, (name, graph[name] - bottom)
