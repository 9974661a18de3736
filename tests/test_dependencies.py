"""The package imports only what pyproject.toml declares (a fresh `pip install .` must run)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# The one module allowed to import what only an extra installs; the CLI imports it lazily (serve).
EXTRA_MODULES = {"web": ROOT / "src" / "projledger" / "outputs" / "web" / "server.py"}


def _names(deps: list[str]) -> set[str]:
    names = {re.split(r"[<>=!~;\[ ]", dep, maxsplit=1)[0] for dep in deps}
    return {n.lower().replace("_", "-") for n in names}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _declared() -> set[str]:
    return _names(_project()["dependencies"])


def _imported_top_levels(paths: list[Path] | None = None) -> set[str]:
    found: set[str] = set()
    if paths is None:
        paths = [p for p in (ROOT / "src" / "projledger").rglob("*.py") if p not in EXTRA_MODULES.values()]
    for path in paths:
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


def test_an_extra_is_imported_only_by_its_module() -> None:
    """serve's server may use the `web` extra; its imports are declared there, and nothing else needs them."""
    dists = packages_distributions()
    for extra, path in EXTRA_MODULES.items():
        declared = _declared() | _names(_project()["optional-dependencies"][extra])
        missing = {m for m in _imported_top_levels([path])
                   if not {d.lower().replace("_", "-") for d in dists.get(m, [m])} & declared}
        assert not missing, f"{path.name} imports {missing}, not declared in the {extra} extra"
