"""The package's one direction of dependency: ledger <- figures <- outputs <- intake <- cli.

A module may import its own layer and the layers below it, never one above; and no two modules
import each other, directly or round a longer loop, counting imports inside functions too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "projledger"
LAYERS = ("ledger", "figures", "outputs", "intake", "cli")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rsplit(".", 1)[0]
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("projledger"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            if module.startswith("projledger"):
                found.add(module)
                found.update(f"{module}.{a.name}" for a in node.names)
    return found


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def test_every_module_lives_in_a_layer() -> None:
    loose = [m for m in _modules() if _layer(m) is None and m not in {"projledger", "projledger.__main__"}]
    assert not loose, f"modules outside ledger/ figures/ outputs/ intake/ cli/: {loose}"


def test_no_layer_imports_a_layer_above_it() -> None:
    upward = []
    for module, path in _modules().items():
        own = _layer(module)
        if own is None:
            continue
        for imported in _imports(path):
            other = _layer(imported)
            if other is not None and other > own:
                upward.append(f"{module} imports {imported}")
    assert not upward, "\n".join(sorted(upward))


def test_no_import_circle() -> None:
    modules = _modules()
    graph = {m: {i for i in _imports(p) if i in modules and i != m} for m, p in modules.items()}
    for m in graph:  # a package's __init__ is not a dependency of its own modules' loop
        graph[m] = {i for i in graph[m] if not m.startswith(i + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in graph[m]:
            if state.get(n) == 1:
                raise AssertionError("import circle: " + " -> ".join([*stack[stack.index(n):], n]))
            if n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_lower_layers_use_no_cli_or_terminal_libraries() -> None:
    for module, path in _modules().items():
        if _layer(module) in (0, 1):
            text = path.read_text(encoding="utf-8")
            for lib in ("import typer", "from typer", "import rich", "from rich", "import openpyxl", "from openpyxl"):
                if lib in text and not module.endswith(("xlsxin",)):
                    raise AssertionError(f"{module}: {lib}")
