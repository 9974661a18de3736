"""`list`: the projects with their ids, filtered by unit, category, kind, light or 包抓领导.

The figures (light, completion rate) come from `metrics.MonthFigures`; this module only selects and
lays them out. A unit, category or leader filter matches a whole value or a part of it, so `--unit 城关`
finds 城关街道.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.text import Text

from projledger.figures.fmt import DASH, pct
from projledger.figures.metrics import MonthFigures, ProjectFigures
from projledger.outputs.terminal.fit import Col, Grid, Prose
from projledger.outputs.terminal.status import light_cell

FILTER_LABELS = {"unit": "责任单位", "category": "类别", "kind": "类型", "leader": "包抓领导", "light": "预警"}
LIGHT_WORDS = {"red": "红", "yellow": "黄", "green": "绿"}


def _value(f: ProjectFigures, key: str) -> str:
    p = f.project
    return {"unit": p.unit, "category": p.category, "kind": p.kind, "leader": p.leader or "", "light": f.light}[key]


def _matches(f: ProjectFigures, key: str, wanted: str) -> bool:
    value = _value(f, key)
    if key in ("light", "kind"):
        return value == wanted.strip()
    return bool(wanted.strip()) and wanted.strip() in value


def matching(mf: MonthFigures, filters: Mapping[str, str]) -> list[ProjectFigures]:
    """The projects passing every filter, by unit in projledger.yaml order, then by id."""
    order = {u: i for i, u in enumerate(mf.settings.units)}
    found = [f for f in mf.projects if all(_matches(f, k, v) for k, v in filters.items())]
    return sorted(found, key=lambda f: (order.get(f.project.unit, len(order)), f.project.unit, f.project.id))


def project_list(mf: MonthFigures, filters: Mapping[str, str]) -> RenderableType:
    """The table of projects (id first: that is what `show` and `schedule` also accept)."""
    rows = matching(mf, filters)
    said = "、".join(f"{FILTER_LABELS[k]}：{LIGHT_WORDS.get(v, v) if k == 'light' else v}" for k, v in filters.items())
    head = Text(f"{mf.settings.district}重点项目（{mf.month}）：{len(rows)} 个" + (f"（{said}）" if said else ""),
                style="bold")
    if not rows:
        return Group(Prose(head), Text("没有符合条件的项目。"))
    table = Grid([
        Col("编号"),
        Col("项目名称", kind="name", min_width=12),
        Col("责任单位", kind="name", min_width=8, short="单位", weight=0.6),
        Col("类别", drop=3),
        Col("类型", drop=2),
        Col("包抓领导", short="领导", drop=1),
        Col("预警"),
        Col("完成率", justify="right", drop=4),
    ])
    for f in rows:
        p = f.project
        table.add_row(p.id, Text(p.name), Text(p.unit), Text(p.category), Text(p.kind), Text(p.leader or DASH),
                      light_cell(f.light), pct(f.completion_rate))
    return Group(Prose(head), table, Prose(Text("查看一个项目：projledger show 编号或名称", style="dim")))


__all__ = ["matching", "project_list"]
