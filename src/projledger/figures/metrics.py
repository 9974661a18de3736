"""The meeting figures for one report month (SPEC section 2): pure, no I/O, no clock.

Money stays `Decimal`; rates and gaps are exact `Fraction`s so that a project exactly 20 points behind
is yellow, not red, whatever the month (1/12 has no finite decimal). Group rates are weighted by money:
sum(completed) / sum(annual_plan), never a mean of rates. Everything the terminal, the workbook and the
bulletin show comes from `compute`.

By idea: `project` holds one project's figures, its plan to date and its light; `groups` the group sums
and the ranking of units; this module puts a month together (`compute`), the trend for `show`, the
lagging list and the JSON of section 4. The names of `project` and `groups` are importable from here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

from projledger.figures.groups import (
    BIG_PROJECT,
    GROUP_KEYS,
    GROUP_LABELS,
    NO_LEADER,
    GroupFigures,
    group_figures,
    group_names,
    group_value,
    grouped,
    rank_units,
)
from projledger.figures.months import month_text
from projledger.figures.project import (
    NEW_START,
    Light,
    ProjectFigures,
    ReportMonth,
    behind_reason,
    days_overdue,
    last_day,
    plan_start_month,
    plan_to_date,
    project_figures,
    share,
    time_progress,
)
from projledger.ledger.errors import UsageError
from projledger.ledger.loader import Ledger
from projledger.ledger.models import Project, Report, Settings, month_key, parse_month

__all__ = [
    "BIG_PROJECT", "GROUP_JSON_KEYS", "GROUP_KEYS", "GROUP_LABELS", "NEW_START", "NO_LEADER", "GroupFigures",
    "Light", "MonthFigures", "ProjectFigures", "ReportMonth", "TrendPoint", "behind_reason", "compute",
    "days_overdue", "dumps", "exact_number", "fraction", "group_figures", "group_json", "group_names",
    "group_value", "grouped", "lagging", "last_day", "latest_month", "number", "plan_start_month", "plan_to_date",
    "project_figures", "project_json", "rank_units", "report_month", "share", "time_progress", "to_json", "trend",
]


@dataclass(frozen=True)
class MonthFigures:
    """Everything computed for one report month."""

    settings: Settings
    month: str
    month_number: int
    as_of: date
    time_progress: Fraction
    projects: list[ProjectFigures]
    totals: GroupFigures
    groups: dict[str, list[GroupFigures]] = field(default_factory=dict)

    @property
    def units(self) -> list[GroupFigures]:
        """Units in rank order (rank 1 best)."""
        return self.groups["unit"]

    @cached_property
    def _by_id(self) -> dict[str, ProjectFigures]:
        return {f.project.id: f for f in self.projects}

    def project(self, project_id: str) -> ProjectFigures | None:
        """The figures of one project by id (an index, so callers that look up every project stay linear)."""
        return self._by_id.get(project_id)


def latest_month(ledger: Ledger) -> str | None:
    """The latest month of the ledger year that any project reported (the default report month)."""
    year = ledger.settings.year
    return max((r.month for p in ledger.projects for r in p.progress if r.year == year), default=None)


def report_month(ledger: Ledger, month: str | None) -> str:
    """`month` (YYYY-MM) checked against the ledger year; by default the latest reported month (else January).

    A malformed month or one outside the ledger year is a UsageError: it comes from the command line.
    """
    year = ledger.settings.year
    if month is None:
        return latest_month(ledger) or month_key(year, 1)
    try:
        y, m = parse_month(month_text(month, year))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if y != year:
        raise UsageError(f"--month {month} 不在台账年度 {year} 内")
    return month_key(y, m)


def compute(ledger: Ledger, month: str, only: Callable[[Project], bool] | None = None) -> MonthFigures:
    """All figures for report month `month` (YYYY-MM) of the ledger year."""
    settings = ledger.settings
    year, m = parse_month(month)
    as_of = last_day(year, m)
    tp = time_progress(settings, year, m)
    projects = [p for p in ledger.projects if only is None or only(p)]
    figures = [project_figures(p, settings, month, as_of, tp) for p in projects]
    groups = {key: grouped(key, settings, figures, tp) for key in GROUP_KEYS}
    groups["unit"] = rank_units(groups["unit"])
    return MonthFigures(
        settings=settings, month=month, month_number=m, as_of=as_of, time_progress=tp,
        projects=figures, totals=group_figures("合计", figures, tp, settings.year), groups=groups,
    )


@dataclass(frozen=True)
class TrendPoint:
    """One month of a project's year: its report (if any) against its own plan to date."""

    month: str
    report: Report | None
    target: Decimal  # plan_to_date at the end of that month (1-M月计划投资)
    completion_rate: Fraction | None
    expected_rate: Fraction  # target as a share of the annual plan (what a masked chart draws)


def trend(mf: MonthFigures, f: ProjectFigures) -> list[TrendPoint]:
    """Month by month from January to the report month, for `show`: cumulative against plan to date."""
    year, plan = mf.settings.year, f.annual_plan
    reports = {r.month: r for r in f.project.progress if r.year == year}
    points = []
    for m in range(1, mf.month_number + 1):
        to_date = plan_to_date(f.project, mf.settings, m, last_day(year, m))
        r = reports.get(month_key(year, m))
        target = Decimal(to_date.numerator) / Decimal(to_date.denominator)
        expected = share(to_date, plan) or Fraction(0)
        rate = None if r is None else share(r.completed, plan)
        points.append(TrendPoint(month_key(year, m), r, target, rate, expected))
    return points


def lagging(mf: MonthFigures) -> list[ProjectFigures]:
    """Red, then yellow projects, worst gap first (overdue starts and unreported ones after gaps)."""

    def key(f: ProjectFigures) -> tuple[Any, ...]:
        return (f.light != "red", f.gap is None, f.gap if f.gap is not None else 0, -(f.days_late or 0))

    return sorted((f for f in mf.projects if f.light != "green"), key=key)


# --- machine-readable output (SPEC section 4) -------------------------------------------------------

GROUP_JSON_KEYS = {"unit": "units", "category": "categories", "level": "levels", "kind": "kinds",
                   "leader": "leaders"}


def number(value: Decimal) -> int | float:
    """Money as a JSON number: integral amounts as ints, others as floats."""
    return int(value) if value == value.to_integral_value() else float(value)


def exact_number(value: Fraction) -> int | float:
    """An exact amount (a plan to date may be a third of a 万元) as a JSON number."""
    return value.numerator if value.denominator == 1 else float(value)


def fraction(value: Fraction | None) -> float | None:
    """A rate or gap as a JSON fraction (0.75, not 75)."""
    return None if value is None else float(value)


def group_json(g: GroupFigures) -> dict[str, Any]:
    """<group figures> of SPEC section 4, plus a few extra keys."""
    return {
        "projects": g.projects,
        "annual_plan": number(g.annual_plan),
        "completed": number(g.completed),
        "completion_rate": fraction(g.completion_rate),
        "new_starts": g.new_starts,
        "started": g.started,
        "start_rate": fraction(g.start_rate),
        "due_to_start": g.due_to_start,
        "due_started": g.due_started,
        "due_start_rate": fraction(g.due_start_rate),
        "early_starts": g.early_starts,
        "finish_planned": g.finish_planned,
        "finished": g.finished,
        "red": g.red,
        "yellow": g.yellow,
        "green": g.green,
        "plan_to_date": exact_number(g.plan_to_date),
        "plan_rate": fraction(g.plan_rate),
        # extras (allowed by the spec: more keys may be added)
        "gap": fraction(g.gap),
        "total": number(g.total),
        "big_projects": g.big,
        "overdue_starts": g.overdue_starts,
        "unreported": g.unreported,
        "stalled": g.stalled,
    }


def project_json(f: ProjectFigures) -> dict[str, Any]:
    """One project's entry in `projects` (SPEC section 4)."""
    p = f.project
    return {
        "id": p.id,
        "name": p.name,
        "unit": p.unit,
        "category": p.category,
        "level": p.level,
        "kind": p.kind,
        "annual_plan": number(p.investment.annual_plan),
        "completed": number(f.completed),
        "cumulative": number(f.cumulative),
        "completion_rate": fraction(f.completion_rate),
        "gap": fraction(f.gap),
        "light": f.light,
        "reported": f.reported,
        "started": f.started,
        "finished": f.finished,
        "due_to_start": f.due_to_start,
        "overdue_start": f.overdue_start,
        "days_late": f.days_late,
        "stalled": f.stalled,
        "plan_to_date": exact_number(f.plan_to_date),
        "expected_rate": fraction(f.expected_rate),
        "achieved": fraction(f.achieved),
        # extras
        "leader": p.leader,
        "total": number(p.investment.total),
        "early_start": f.early_start,
        "reasons": list(f.reasons),
    }


def dumps(data: dict[str, Any], pretty: bool) -> str:
    """JSON text: indented for a person at a terminal, compact (and fast) for a program reading a pipe."""
    return json.dumps(data, ensure_ascii=False, indent=2 if pretty else None)


def to_json(mf: MonthFigures) -> dict[str, Any]:
    """The `status --format json` object."""
    data: dict[str, Any] = {
        "ledger": {"district": mf.settings.district, "year": mf.settings.year},
        "month": mf.month,
        "as_of": mf.as_of.isoformat(),
        "time_progress": float(mf.time_progress),
        "totals": group_json(mf.totals),
    }
    for key, name in GROUP_JSON_KEYS.items():
        rows = []
        for g in mf.groups[key]:
            row: dict[str, Any] = {key: g.name}
            if g.rank is not None:
                row["rank"] = g.rank
            row.update(group_json(g))
            rows.append(row)
        data[name] = rows
    data["projects"] = [project_json(f) for f in mf.projects]
    return data
