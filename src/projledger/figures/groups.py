"""Figures of a group of projects and the ranking of units (SPEC section 2): pure, no I/O, no clock.

Group rates are weighted by money, never a mean of rates: completion_rate = sum(completed) /
sum(annual_plan) and plan_rate = sum(completed) / sum(plan_to_date) ("完成1-M月计划的X%"). The group
gap stays against time progress (M/12), the yardstick bulletins speak in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from projledger.figures.project import NEW_START, ProjectFigures, exact_sum, share
from projledger.ledger.models import KINDS, Project, Settings

GROUP_KEYS: tuple[str, ...] = ("unit", "category", "level", "kind", "leader")
GROUP_LABELS = {"unit": "责任单位", "category": "类别", "level": "级别", "kind": "类型", "leader": "包抓领导"}
BIG_PROJECT = Decimal(10000)  # 万元: 亿元以上
NO_LEADER = "（未填）"


@dataclass(frozen=True)
class GroupFigures:
    """Figures of a group of projects (all, or one unit / category / level / kind / leader)."""

    name: str
    projects: int
    total: Decimal
    annual_plan: Decimal
    completed: Decimal
    completion_rate: Fraction | None
    gap: Fraction | None  # completion_rate - time progress (the bulletin's yardstick)
    plan_to_date: Fraction  # 1-M月计划投资: the sum of the projects' own plans to date
    plan_rate: Fraction | None  # completed / plan_to_date: 完成1-M月计划的X%
    new_starts: int
    started: int
    start_rate: Fraction | None
    due_to_start: int
    due_started: int
    due_start_rate: Fraction | None
    early_starts: int
    overdue_starts: int
    finish_planned: int
    finished: int
    big: int
    red: int
    yellow: int
    green: int
    unreported: int
    stalled: int
    rank: int | None = None
    before_year: Decimal = Decimal(0)  # 至上年底累计完成
    month_completed: Decimal = Decimal(0)  # 本月完成 of the projects that reported


def group_figures(name: str, figures: Sequence[ProjectFigures], tp: Fraction, year: int) -> GroupFigures:
    """Figures of a group, weighted by money (one pass over the group's projects)."""
    plan = done = total = before = month_done = Decimal(0)
    new = started = due = due_started = early = overdue = 0
    finish_planned = finished = big = red = yellow = green = unreported = stalled = 0
    for f in figures:
        p = f.project
        investment = p.investment
        plan += investment.annual_plan
        done += f.completed
        total += investment.total
        before += investment.before_year
        report = f.report
        if report is not None:
            month_done += report.completed - (f.previous.completed if f.previous is not None else 0)
        if p.kind == NEW_START:
            new += 1
            started += f.started
            early += f.early_start
            overdue += f.overdue_start
            if f.due_to_start:
                due += 1
                due_started += f.started
        finish = p.planned.finish
        if finish is not None and finish.year == year:
            finish_planned += 1
            finished += f.finished
        big += investment.total >= BIG_PROJECT
        light = f.light
        red += light == "red"
        yellow += light == "yellow"
        green += light == "green"
        unreported += report is None and not f.finished  # ProjectFigures.owes_report
        stalled += f.stalled
    rate = share(done, plan)
    to_date = exact_sum(f.plan_to_date for f in figures)
    return GroupFigures(
        name=name,
        projects=len(figures),
        total=total,
        annual_plan=plan,
        completed=done,
        completion_rate=rate,
        gap=None if rate is None else rate - tp,
        plan_to_date=to_date,
        plan_rate=share(done, to_date),
        new_starts=new,
        started=started,
        start_rate=share(started, new),
        due_to_start=due,
        due_started=due_started,
        due_start_rate=share(due_started, due),
        early_starts=early,
        overdue_starts=overdue,
        finish_planned=finish_planned,
        finished=finished,
        big=big,
        red=red,
        yellow=yellow,
        green=green,
        unreported=unreported,
        stalled=stalled,
        before_year=before,
        month_completed=month_done,
    )


def group_names(key: str, settings: Settings, figures: Sequence[ProjectFigures]) -> list[str]:
    """Display order: as declared in projledger.yaml; kinds fixed; leaders in order of appearance."""
    declared: dict[str, Iterable[str]] = {
        "unit": settings.units, "category": settings.categories, "level": settings.levels, "kind": KINDS,
    }
    names = list(dict.fromkeys(declared.get(key, ())))
    for f in figures:  # values not declared (only possible in a ledger with errors) still get a row
        value = group_value(f.project, key)
        if value not in names:
            names.append(value)
    return names


def group_value(p: Project, key: str) -> str:
    """The group a project belongs to under `key`."""
    if key == "leader":
        return p.leader or NO_LEADER
    return str(getattr(p, key))


def grouped(key: str, settings: Settings, figures: Sequence[ProjectFigures], tp: Fraction) -> list[GroupFigures]:
    """The groups under `key` in display order (units not yet ranked)."""
    members: dict[str, list[ProjectFigures]] = {n: [] for n in group_names(key, settings, figures)}
    for f in figures:
        members[group_value(f.project, key)].append(f)
    return [group_figures(n, fs, tp, settings.year) for n, fs in members.items()]


def rank_units(groups: list[GroupFigures]) -> list[GroupFigures]:
    """Units ranked by completion_rate (none last), ties by start_rate, then declared order."""

    def key(item: tuple[int, GroupFigures]) -> tuple[Any, ...]:
        index, g = item
        rate, start = g.completion_rate, g.start_rate
        return (rate is None, -(rate or 0), start is None, -(start or 0), index)

    ordered = sorted(enumerate(groups), key=key)
    return [replace(g, rank=i + 1) for i, (_, g) in enumerate(ordered)]
