"""The meeting figures for one report month (SPEC section 2): pure, no I/O, no clock.

Money stays `Decimal`; rates and gaps are exact `Fraction`s so that a project exactly 20 points behind
is yellow, not red, whatever the month (1/12 has no finite decimal). Group rates are weighted by money:
sum(completed) / sum(annual_plan), never a mean of rates. Everything the terminal, the workbook and the
bulletin show comes from `compute`.
"""

from __future__ import annotations

import calendar
import functools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any, Literal

from projledger.figures.fmt import pct, points
from projledger.ledger.errors import UsageError
from projledger.ledger.loader import Ledger
from projledger.ledger.models import KINDS, Problem, Project, Report, Settings, month_key, parse_month

Light = Literal["red", "yellow", "green"]
GROUP_KEYS: tuple[str, ...] = ("unit", "category", "level", "kind", "leader")
GROUP_LABELS = {"unit": "责任单位", "category": "类别", "level": "级别", "kind": "类型", "leader": "包抓领导"}
BIG_PROJECT = Decimal(10000)  # 万元: 亿元以上
NEW_START = "新开工"
NO_LEADER = "（未填）"


@dataclass(frozen=True)
class ProjectFigures:
    """One project's figures for the month."""

    project: Project
    report: Report | None  # the entry for the month; None when unreported
    latest: Report | None  # the entry the figures come from (carried forward when unreported)
    previous: Report | None  # the latest entry of the year before the month
    completed: Decimal
    cumulative: Decimal
    completion_rate: Fraction | None
    gap: Fraction | None  # completion_rate - expected_rate, in points of the annual plan
    plan_to_date: Fraction  # 1-M月计划投资 (万元, exact)
    expected_rate: Fraction | None  # plan_to_date / annual_plan: the project's own 序时进度
    achieved: Fraction | None  # completed / plan_to_date: 完成序时计划的X%
    started: bool
    finished: bool
    due_to_start: bool
    overdue_start: bool
    days_late: int | None
    early_start: bool
    stalled: bool
    light: Light
    reasons: tuple[str, ...]

    @property
    def reported(self) -> bool:
        """True when the project has a report for the month."""
        return self.report is not None

    @property
    def annual_plan(self) -> Decimal:
        """年度计划投资."""
        return self.project.investment.annual_plan

    @property
    def month_completed(self) -> Decimal | None:
        """本月完成: the month's cumulative less the latest earlier one of the year (None when unreported)."""
        if self.report is None:
            return None
        return self.report.completed - (self.previous.completed if self.previous is not None else Decimal(0))

    @property
    def open_problems(self) -> list[Problem]:
        """Problems of the latest report (carried forward when unreported) not yet resolved."""
        return [q for q in (self.latest.problems if self.latest else []) if q.resolved is None]


def days_overdue(problem: Problem, as_of: date) -> int | None:
    """Days an open problem is past its deadline at the report date; None when it is not overdue."""
    if problem.resolved is not None or problem.due is None or problem.due >= as_of:
        return None
    return (as_of - problem.due).days


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
    plan_to_date: Fraction
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


def last_day(year: int, month: int) -> date:
    """The last day of a month: the as_of date of a report month."""
    return date(year, month, calendar.monthrange(year, month)[1])


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
        y, m = parse_month(month)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if y != year:
        raise UsageError(f"--month {month} 不在台账年度 {year} 内")
    return month_key(y, m)


def time_progress(settings: Settings, year: int, month: int) -> Fraction:
    """时间进度 at the end of the month: M/12, or day-of-year / days-in-year in day mode."""
    if settings.time_progress == "day":
        as_of = last_day(year, month)
        days = 366 if calendar.isleap(year) else 365
        return Fraction(as_of.timetuple().tm_yday, days)
    return Fraction(month, 12)


def _rate(part: Decimal | int, whole: Decimal | int) -> Fraction | None:
    return None if whole == 0 else Fraction(part) / Fraction(whole)


def plan_to_date(p: Project, settings: Settings, month: int, as_of: date) -> Fraction:
    """1-M月计划投资 (SPEC 2), exact.

    The monthly plan's first M amounts; else the annual plan spread over the project's own plan period,
    which runs to 31 December and starts on 1 January, or for a 新开工 project planned to start in the
    ledger year on the first day of its planned start month (nothing is expected before it).
    """
    investment = p.investment
    if investment.monthly_plan is not None:
        return Fraction(sum(investment.monthly_plan[:month], Decimal(0)))
    year = settings.year
    first = 1
    if p.kind == NEW_START and p.planned.start is not None and p.planned.start.year == year:
        first = p.planned.start.month
    if settings.time_progress == "day":
        start = date(year, first, 1)
        period = (date(year, 12, 31) - start).days + 1
        share = Fraction(max(0, (as_of - start).days + 1), period)
    else:
        share = Fraction(max(0, month - first + 1), 12 - first + 1)
    return Fraction(investment.annual_plan) * share


@dataclass(frozen=True)
class _Month:
    """What one report month means for every project: its number, last day and time progress."""

    key: str
    number: int
    as_of: date
    time_progress: Fraction


def _month(settings: Settings, month: str) -> _Month:
    year, m = parse_month(month)
    return _Month(month, m, last_day(year, m), time_progress(settings, year, m))


def project_figures(p: Project, settings: Settings, month: str, as_of: date, tp: Fraction) -> ProjectFigures:
    """One project's figures for the report month, its light escalated by `warning.escalate_after`."""
    at = _Month(month, parse_month(month)[1], as_of, tp)
    f = _base_figures(p, settings, at)
    n = settings.warning.escalate_after
    if n > 0 and at.number >= n and f.light == "yellow" and _yellow_for(p, settings, at, n):
        f = replace(f, light="red", reasons=(f"连续{n}个月黄灯", *f.reasons))
    return f


def _yellow_for(p: Project, settings: Settings, at: _Month, n: int) -> bool:
    """Yellow by the base rules in each of the n report months up to and including `at`."""
    year = settings.year
    for m in range(at.number - n + 1, at.number):
        if _base_figures(p, settings, _month(settings, month_key(year, m))).light != "yellow":
            return False
    return True


def _base_figures(p: Project, settings: Settings, at: _Month) -> ProjectFigures:
    """The figures of SPEC 2 for one month, with the light before escalation."""
    year = settings.year
    month, as_of = at.key, at.as_of
    in_year = sorted((r for r in p.progress if r.year == year), key=lambda r: r.month)
    report = next((r for r in in_year if r.month == month), None)
    earlier = [r for r in in_year if r.month < month]
    previous = earlier[-1] if earlier else None
    latest = report if report is not None else previous
    completed = latest.completed if latest is not None else Decimal(0)
    plan = p.investment.annual_plan
    rate = _rate(completed, plan)
    to_date = plan_to_date(p, settings, at.number, as_of)
    expected = None if plan == 0 else to_date / Fraction(plan)
    gap = None if rate is None or expected is None else rate - expected
    achieved = None if to_date == 0 else Fraction(completed) / to_date

    started = p.actual.start is not None and p.actual.start <= as_of
    finished = p.actual.finish is not None and p.actual.finish <= as_of
    is_new = p.kind == NEW_START
    due = is_new and p.planned.start is not None and p.planned.start <= as_of
    overdue = due and not started
    days_late = (as_of - p.planned.start).days if overdue and p.planned.start is not None else None
    early = is_new and started and p.planned.start is not None and p.planned.start > as_of
    stalled = (
        report is not None
        and previous is not None
        and report.completed == previous.completed
        and report.image == previous.image
    )
    unreported_running = started and not finished and report is None
    light, reasons = _light(settings, gap, achieved, days_late, unreported_running)
    return ProjectFigures(
        project=p, report=report, latest=latest, previous=previous, completed=completed,
        cumulative=p.investment.before_year + completed, completion_rate=rate, gap=gap,
        plan_to_date=to_date, expected_rate=expected, achieved=achieved,
        started=started, finished=finished, due_to_start=due, overdue_start=overdue,
        days_late=days_late, early_start=early, stalled=stalled, light=light, reasons=reasons,
    )


@functools.lru_cache(maxsize=8)
def _thresholds(red_below: Decimal, yellow_below: Decimal) -> tuple[Fraction, Fraction]:
    """Thresholds as exact fractions (points or percent / 100), computed once per ledger."""
    return Fraction(red_below) / 100, Fraction(yellow_below) / 100


def _behind(measure: str, gap: Fraction | None, achieved: Fraction | None, threshold: Fraction) -> bool:
    """behind(p) for a threshold (SPEC 2): points compare the gap, ratio compares achieved."""
    if measure == "ratio":
        return achieved is not None and achieved < threshold
    return gap is not None and gap < threshold


def _light(
    settings: Settings, gap: Fraction | None, achieved: Fraction | None, days_late: int | None,
    unreported_running: bool,
) -> tuple[Light, tuple[str, ...]]:
    rules = settings.warning
    red_below, yellow_below = _thresholds(rules.red_below, rules.yellow_below)
    if rules.measure == "ratio":
        behind = f"仅完成序时计划的{pct(achieved)}" if achieved is not None else ""
    else:
        behind = f"低于序时计划{points(gap, signed=False)}个百分点" if gap is not None and gap < 0 else ""
    red: list[str] = []
    if _behind(rules.measure, gap, achieved, red_below):
        red.append(behind)
    if days_late is not None and days_late > rules.start_grace_days:
        red.append(f"逾期未开工{days_late}天")
    if red:
        return "red", tuple(red)
    yellow: list[str] = []
    if _behind(rules.measure, gap, achieved, yellow_below):
        yellow.append(behind)
    if unreported_running:
        yellow.append("本月未报")
    if yellow:
        return "yellow", tuple(yellow)
    return "green", ()


def group_figures(name: str, figures: Sequence[ProjectFigures], tp: Fraction, year: int) -> GroupFigures:
    """Figures of a group, weighted by money."""
    plan = sum((f.annual_plan for f in figures), Decimal(0))
    done = sum((f.completed for f in figures), Decimal(0))
    rate = _rate(done, plan)
    to_date = sum((f.plan_to_date for f in figures), Fraction(0))
    new = [f for f in figures if f.project.kind == NEW_START]
    started = sum(f.started for f in new)
    due = [f for f in new if f.due_to_start]
    due_started = sum(f.started for f in due)
    finish_planned = [
        f for f in figures if f.project.planned.finish is not None and f.project.planned.finish.year == year
    ]
    return GroupFigures(
        name=name,
        projects=len(figures),
        total=sum((f.project.investment.total for f in figures), Decimal(0)),
        annual_plan=plan,
        completed=done,
        completion_rate=rate,
        gap=None if rate is None else rate - tp,
        plan_to_date=to_date,
        plan_rate=None if to_date == 0 else Fraction(done) / to_date,
        new_starts=len(new),
        started=started,
        start_rate=_rate(started, len(new)),
        due_to_start=len(due),
        due_started=due_started,
        due_start_rate=_rate(due_started, len(due)),
        early_starts=sum(f.early_start for f in new),
        overdue_starts=sum(f.overdue_start for f in new),
        finish_planned=len(finish_planned),
        finished=sum(f.finished for f in finish_planned),
        big=sum(f.project.investment.total >= BIG_PROJECT for f in figures),
        red=sum(f.light == "red" for f in figures),
        yellow=sum(f.light == "yellow" for f in figures),
        green=sum(f.light == "green" for f in figures),
        unreported=sum(not f.reported for f in figures),
        stalled=sum(f.stalled for f in figures),
        before_year=sum((f.project.investment.before_year for f in figures), Decimal(0)),
        month_completed=sum((f.month_completed or Decimal(0) for f in figures), Decimal(0)),
    )


def _group_names(key: str, settings: Settings, figures: Sequence[ProjectFigures]) -> list[str]:
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


def rank_units(groups: list[GroupFigures]) -> list[GroupFigures]:
    """Units ranked by completion_rate (none last), ties by start_rate, then declared order."""

    def key(item: tuple[int, GroupFigures]) -> tuple[Any, ...]:
        index, g = item
        rate, start = g.completion_rate, g.start_rate
        return (rate is None, -(rate or 0), start is None, -(start or 0), index)

    ordered = sorted(enumerate(groups), key=key)
    return [_with_rank(g, i + 1) for i, (_, g) in enumerate(ordered)]


def _with_rank(g: GroupFigures, rank: int) -> GroupFigures:
    return replace(g, rank=rank)


def compute(ledger: Ledger, month: str, only: Callable[[Project], bool] | None = None) -> MonthFigures:
    """All figures for report month `month` (YYYY-MM) of the ledger year."""
    settings = ledger.settings
    year, m = parse_month(month)
    as_of = last_day(year, m)
    tp = time_progress(settings, year, m)
    projects = [p for p in ledger.projects if only is None or only(p)]
    figures = [project_figures(p, settings, month, as_of, tp) for p in projects]
    groups: dict[str, list[GroupFigures]] = {}
    for key in GROUP_KEYS:
        members: dict[str, list[ProjectFigures]] = {n: [] for n in _group_names(key, settings, figures)}
        for f in figures:
            members[group_value(f.project, key)].append(f)
        groups[key] = [group_figures(n, fs, tp, settings.year) for n, fs in members.items()]
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
        expected = to_date / Fraction(plan) if plan else Fraction(0)
        points.append(TrendPoint(month_key(year, m), r, target, None if r is None else _rate(r.completed, plan), expected))
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
