"""The package's shape: one idea per module, imports flowing one way, no private cross-imports.

These are the rules the module map follows (see the package docstring of :mod:`kmbook`):
modules stay short, a module never reaches into another module's private names, and the
import graph has no cycles, so every module can be read after the ones it imports.
"""

import ast
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kmbook"
MAX_LINES = 450


def _modules():
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _imports(name, path):
    """(target module, imported name) for every relative import of `name`, at any depth."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                yield target, alias.name


def _graph():
    graph = {}
    for name, path in MODULES.items():
        deps = set()
        for target, imported in _imports(name, path):
            full = f"{target}.{imported}"
            deps.add(full if full in MODULES else target)
        graph[name] = deps - {name}
    return graph


def test_every_module_is_short():
    long = {n: len(p.read_text().splitlines()) for n, p in MODULES.items()}
    assert {n: c for n, c in long.items() if c > MAX_LINES} == {}


def test_the_import_graph_has_no_cycles():
    graph, state, cycles = _graph(), {}, []

    def visit(node, stack):
        state[node] = "open"
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == "open":
                cycles.append(stack[stack.index(dep):] + [dep])
            elif dep not in state:
                visit(dep, stack + [dep])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_no_module_imports_another_modules_private_names():
    private = [
        (name, target, imported)
        for name, path in MODULES.items()
        for target, imported in _imports(name, path)
        if imported.startswith("_") and not imported.startswith("__") and f"{target}.{imported}" not in MODULES
    ]
    assert private == []


@pytest.mark.parametrize(
    "pattern",
    [r"noqa:\s*E402", r"__all__\s*\+=", r"\(issue \d+\)", r"\bissue #?\d+\b"],
)
def test_no_growth_by_issue_marks_in_package_or_tests(pattern):
    files = list(PACKAGE.rglob("*.py")) + list((ROOT / "tests").glob("*.py")) + list((ROOT / "scripts").glob("*.py"))
    hits = [
        f"{f.relative_to(ROOT)}:{i}"
        for f in files
        if f.name != "test_architecture.py"
        for i, line in enumerate(f.read_text().splitlines(), 1)
        if re.search(pattern, line)
    ]
    assert hits == []
