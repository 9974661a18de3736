"""Write small ledgers inline into tmp_path, the way a user would type them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Writes Decimals as the plain numbers a user would type."""


_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", str(v)))

SETTINGS: dict[str, Any] = {
    "district": "测试区",
    "year": 2026,
    "units": ["甲街道", "乙街道", "丙管委会"],
    "categories": ["产业", "城建"],
    "levels": ["省重点", "区重点"],
}


def project(pid: str, **fields: Any) -> dict[str, Any]:
    """A valid project mapping with sensible defaults; `fields` override (nested dicts replace)."""
    data: dict[str, Any] = {
        "id": pid,
        "name": f"项目{pid}",
        "category": "产业",
        "level": "区重点",
        "kind": "续建",
        "unit": "甲街道",
        "leader": "王副区长",
        "investment": {"total": 10000, "annual_plan": 1000, "before_year": 0},
        "planned": {"start": None, "finish": None},
        "actual": {"start": None, "finish": None},
        "progress": [],
    }
    data.update(fields)
    return data


def report(month: str, completed: Any, image: str | None = None, problems: list[Any] | None = None) -> dict[str, Any]:
    """One monthly progress entry."""
    entry: dict[str, Any] = {"month": month, "completed": completed}
    if image is not None:
        entry["image"] = image
    if problems:
        entry["problems"] = problems
    return entry


def write_ledger(root: Path, projects: list[dict[str, Any]], **settings: Any) -> Path:
    """Write projledger.yaml and one file per project under projects/; returns the root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "projects").mkdir(exist_ok=True)
    merged = {**SETTINGS, **settings}
    (root / "projledger.yaml").write_text(yaml.dump(merged, Dumper=_Dumper, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    for p in projects:
        text = yaml.dump(p, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
        (root / "projects" / f"{p['id']}.yaml").write_text(text, encoding="utf-8")
    return root
