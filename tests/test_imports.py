"""The package's import graph, read with ``ast`` (nothing is imported to check it).

- No import circle among ``dateline`` modules, counting module-level imports only
  (including those under ``if``/``try`` at module level). Imports inside functions are
  lazy: they run after every module has loaded, so they are allowed and not counted.
  ``from __future__`` and ``if TYPE_CHECKING:`` blocks are skipped.
- Nothing outside ``dateline/cli/`` imports ``dateline.cli`` (at any level, lazy too):
  the command line is the outermost layer.
- A module named by a string literal (``importlib.import_module("dateline.x")``, the
  events stage's ``helper("dateline.nlp.x", "name")``) counts as imported where the call
  stands: such imports are hidden from readers, not from this test.
"""
from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "dateline"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _resolve(module: str, node: ast.ImportFrom | ast.Import, path: Path) -> list[str]:
    """The dateline modules an import statement loads (a package's ``__init__`` included)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module if path.name == "__init__.py" else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base else package
        # ``from pkg import name``: name is a submodule or an attribute of pkg.
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
    loaded = set()
    for name in names:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # importing a.b.c runs a, a.b and a.b.c
            prefix = ".".join(parts[:i])
            if prefix in MODULES:
                loaded.add(prefix)
    return sorted(loaded)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


# Calls that import the module their first argument names.
_IMPORTING_CALLS = {"import_module", "helper", "__import__"}


def _named_import(node: ast.AST) -> ast.Import | None:
    """``import_module("dateline.x")`` / ``helper("dateline.x", ...)`` as ``import dateline.x``."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    first = node.args[0]
    if name in _IMPORTING_CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str) \
            and first.value.startswith("dateline"):
        return ast.Import(names=[ast.alias(name=first.value)])
    return None


def _imports(tree: ast.AST, module_level: bool) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            named = _named_import(child)
            if named is not None and (top or not module_level):
                found.append(named)
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                if not (isinstance(child, ast.ImportFrom) and child.module == "__future__"):
                    if top or not module_level:
                        found.append(child)
                continue
            inner = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            visit(child, inner)

    visit(tree, True)
    return found


def _graph(module_level: bool) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets = {t for node in _imports(tree, module_level) for t in _resolve(module, node, path)}
        # A package is loaded before its submodules: that edge is no circle.
        graph[module] = {t for t in targets if t != module and not module.startswith(t + ".")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_no_module_level_import_circle():
    assert _cycles(_graph(module_level=True)) == []


def test_nothing_outside_the_cli_imports_it():
    offenders = sorted(module for module, targets in _graph(module_level=False).items()
                       if not (module == "dateline.cli" or module.startswith("dateline.cli."))
                       and any(t == "dateline.cli" or t.startswith("dateline.cli.") for t in targets))
    assert offenders == []


def test_a_module_named_in_a_string_counts_as_imported():
    tree = ast.parse('_f = helper("dateline.nlp.actors", "resolve_pronoun")\n'
                     'def later():\n    importlib.import_module("dateline.cli.output")\n')
    at_import = [alias.name for node in _imports(tree, module_level=True) for alias in node.names]
    anywhere = [alias.name for node in _imports(tree, module_level=False) for alias in node.names]
    assert at_import == ["dateline.nlp.actors"]
    assert anywhere == ["dateline.nlp.actors", "dateline.cli.output"]


def test_a_circle_is_found():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
