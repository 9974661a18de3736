"""Plausibility of a returned month's figures (请核实): pure, no I/O, no clock.

None of these is an error: a project can outrun its annual plan, or buy its equipment in one month.
They are the typos an office clerk would catch by eye: an extra zero (10000 against 5410 the month
before), a figure above the plan, a report that copies last month's (停滞).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from projledger.figures.fmt import money
from projledger.ledger.models import Project, Report

SPIKE_FACTOR = 3  # a month's increase above this many times the average monthly increase so far
Kind = Literal["above_plan", "above_total", "spike", "stalled"]


@dataclass(frozen=True)
class Doubt:
    """One thing to check about a returned figure."""

    kind: Kind
    message: str


def _money(value: Decimal) -> str:
    return money(value).rstrip("0").rstrip(".")


def previous_in_year(project: Project, month: str) -> Report | None:
    """The latest entry of the same year before `month` (the figure the new one continues)."""
    earlier = [r for r in project.progress if r.month < month and r.month[:4] == month[:4]]
    return max(earlier, key=lambda r: r.month) if earlier else None


def average_increase(project: Project, month: str) -> Decimal | None:
    """The average monthly increase of the year before `month`, over the months since investment began.

    None when nothing was invested yet (there is no pace to compare a first figure with).
    """
    earlier = sorted((r for r in project.progress if r.month < month and r.month[:4] == month[:4]),
                     key=lambda r: r.month)
    active = [r for r in earlier if r.completed > 0]
    if not active:
        return None
    first, last = int(active[0].month[5:]), int(active[-1].month[5:])
    return active[-1].completed / (last - first + 1)


def doubts(project: Project, month: str, completed: Decimal, image: str | None) -> list[Doubt]:
    """What to check about `completed` (1-M月累计) and the image reported for `month`."""
    out: list[Doubt] = []
    m = int(month[5:])
    plan = project.investment.annual_plan
    if completed > 0 and plan == 0:
        out.append(Doubt("above_plan", f"年度计划投资为 0，却填报了 1-{m}月累计完成 {_money(completed)} 万元，请核实"))
    elif completed > plan:
        out.append(Doubt("above_plan", f"1-{m}月累计完成 {_money(completed)} 万元，超过年度计划 {_money(plan)} 万元，请核实"))
    inv = project.investment
    if inv.before_year + completed > inv.total:
        out.append(Doubt("above_total", f"开工以来累计 {_money(inv.before_year + completed)} 万元，"
                                        f"超过总投资 {_money(inv.total)} 万元，请核实"))
    prev = previous_in_year(project, month)
    if prev is None:
        return out
    increase = completed - prev.completed
    average = average_increase(project, month)
    if average is not None and increase > SPIKE_FACTOR * average:
        times = (increase / average).quantize(Decimal("0.1"))
        out.append(Doubt("spike", f"本月完成 {_money(increase)} 万元，是此前月均 {_money(average)} 万元的 {times} 倍，"
                                  "请核实（是否多输了一位数？）"))
    if completed == prev.completed and image == prev.image:
        out.append(Doubt("stalled", f"累计完成投资和形象进度与 {prev.month} 相同（停滞），请核实"))
    elif completed == prev.completed and image is None and prev.completed > 0:
        out.append(Doubt("stalled", f"累计完成投资与 {prev.month} 相同，且没有填写形象进度，请核实是否停滞"))
    return out


__all__ = ["SPIKE_FACTOR", "Doubt", "average_increase", "doubts", "previous_in_year"]
