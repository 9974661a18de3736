"""The package imports only what pyproject.toml declares (a fresh `pip install .` must run)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!~;\[ ]", dep, maxsplit=1)[0] for dep in project["dependencies"]}
    return {n.lower().replace("_", "-") for n in names}


def _imported_top_levels() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "projledger").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"projledger"}


def test_every_imported_package_is_declared() -> None:
    dists = packages_distributions()
    declared = _declared()
    missing = {}
    for module in _imported_top_levels():
        owners = {d.lower().replace("_", "-") for d in dists.get(module, [module])}
        if not owners & declared:
            missing[module] = sorted(owners)
    assert not missing, f"imported but not declared in pyproject.toml dependencies: {missing}"


def test_click_is_not_imported_directly() -> None:
    """typer >= 0.26 carries its own click and no longer installs click."""
    assert "click" not in _imported_top_levels()
