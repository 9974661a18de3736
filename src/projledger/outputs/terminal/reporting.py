"""`form --status`: which units have returned the month's figures, as a rich table (催报).

Everything comes from `figures.reporting`; nothing is counted here, only laid out.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from projledger.figures.metrics import MonthFigures
from projledger.figures.reporting import UnitReporting

STATE_STYLE = {"all": "green", "some": "bold yellow", "none": "bold red", "empty": "dim"}


def reporting_table(mf: MonthFigures, units: list[UnitReporting]) -> RenderableType:
    """One line per unit: state, reported/projects, and the projects still to report."""
    s = mf.settings
    reported = sum(u.reported for u in units)
    projects = sum(u.projects for u in units)
    late = [u for u in units if u.state in ("some", "none")]
    head = Text(f"{s.district}{s.year}年{mf.month_number}月（{mf.month}）填报情况：已报 {reported}/{projects} 个项目，"
                f"{len(late)} 个单位未报齐", style="bold")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("责任单位", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("已报/项目", justify="right", no_wrap=True)
    table.add_column("未报项目", overflow="fold")
    for u in units:
        missing = "（全部未报）" if u.state == "none" else "、".join(p.name for p in u.missing)
        table.add_row(Text(u.unit), Text(u.label, style=STATE_STYLE[u.state]), Text(f"{u.reported}/{u.projects}"),
                      Text(missing))
    parts: list[RenderableType] = [head, table]
    if late:
        parts.append(Text(f"需催报：{'、'.join(u.unit for u in late)}"))
    return Group(*parts)


__all__ = ["reporting_table"]
