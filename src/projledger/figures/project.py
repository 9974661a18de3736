"""One project's figures for a report month and its light (SPEC section 2): pure, no I/O, no clock.

Each project is measured against its own plan to date (1-M月计划投资): the first M amounts of its
monthly plan, else its annual plan spread over its own plan period (a 新开工 project's period starts in
its planned start month). Rates and gaps are exact `Fraction`s, so a project exactly on a threshold
falls on the side the SPEC says whatever the month (1/12 has no finite decimal).

The light: red when behind the red threshold or overdue to start by more than the grace days; yellow
when behind the yellow threshold, or started, not finished and unreported; green otherwise. "Behind"
is a gap in points below the plan-to-date share (`warning.measure: points`) or completed as a percentage
of plan to date (`ratio`). With `warning.escalate_after: N`, yellow in each of the N report months up to
M is red (连续N个月黄灯).
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from projledger.figures.fmt import pct, points
from projledger.ledger.models import Problem, Project, Report, Settings, month_key, parse_month

Light = Literal["red", "yellow", "green"]
NEW_START = "新开工"


@dataclass(frozen=True, slots=True)
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
    def owes_report(self) -> bool:
        """未报 as the meeting means it: no report for the month, and not finished (a finished project owes none)."""
        return self.report is None and not self.finished

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


def last_day(year: int, month: int) -> date:
    """The last day of a month: the as_of date of a report month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def time_progress(settings: Settings, year: int, month: int) -> Fraction:
    """时间进度 at the end of the month: M/12, or day-of-year / days-in-year in day mode."""
    if settings.time_progress == "day":
        as_of = last_day(year, month)
        days = 366 if calendar.isleap(year) else 365
        return Fraction(as_of.timetuple().tm_yday, days)
    return Fraction(month, 12)


def exact_sum(values: Iterable[Fraction]) -> Fraction:
    """The exact sum of many fractions with few distinct denominators (plans to date: amounts × k/12).

    Numerators are added per denominator first, so thousands of projects cost a handful of Fraction additions.
    """
    by_denominator: dict[int, int] = {}
    for value in values:
        den = value.denominator
        by_denominator[den] = by_denominator.get(den, 0) + value.numerator
    return sum((Fraction(num, den) for den, num in by_denominator.items()), Fraction(0))


def share(part: Decimal | int | Fraction, whole: Decimal | int | Fraction) -> Fraction | None:
    """The exact quotient part / whole; None when whole is 0 (a rate over nothing)."""
    return None if whole == 0 else Fraction(part) / Fraction(whole)


def plan_start_month(p: Project, settings: Settings) -> int:
    """The first month of the project's plan period (a 新开工 project's planned start month in Y, else 1)."""
    start = p.planned.start
    if p.kind == NEW_START and start is not None and start.year == settings.year:
        return start.month
    return 1


def plan_to_date(p: Project, settings: Settings, month: int, as_of: date) -> Fraction:
    """1-M月计划投资 (SPEC 2), exact.

    The monthly plan's first M amounts; else the annual plan × f, the elapsed share of the plan period
    (which runs to 31 December): months of the period up to M over its months, or in day mode days of
    the period up to as_of over its days; 0 before the period starts.
    """
    investment = p.investment
    if investment.monthly_plan is not None:
        return Fraction(sum(investment.monthly_plan[:month], Decimal(0)))
    year, first = settings.year, plan_start_month(p, settings)
    if settings.time_progress == "day":
        start = date(year, first, 1)
        period = (date(year, 12, 31) - start).days + 1
        elapsed = Fraction(max(0, (as_of - start).days + 1), period)
    else:
        elapsed = Fraction(max(0, month - first + 1), 12 - first + 1)
    return Fraction(investment.annual_plan) * elapsed


@dataclass(frozen=True)
class ReportMonth:
    """What one report month means for every project: its key, number, last day and time progress."""

    key: str
    number: int
    as_of: date
    time_progress: Fraction

    @classmethod
    def of(cls, settings: Settings, month: str) -> ReportMonth:
        """The report month `month` (YYYY-MM) of the ledger."""
        year, m = parse_month(month)
        return cls(month, m, last_day(year, m), time_progress(settings, year, m))


def project_figures(p: Project, settings: Settings, month: str, as_of: date, tp: Fraction) -> ProjectFigures:
    """One project's figures for the report month, its light escalated by `warning.escalate_after`."""
    at = ReportMonth(month, parse_month(month)[1], as_of, tp)
    f = _base_figures(p, settings, at)
    n = settings.warning.escalate_after
    if n > 0 and at.number >= n and f.light == "yellow" and _yellow_before(p, settings, at, n):
        f = replace(f, light="red", reasons=(f"连续{n}个月黄灯", *f.reasons))
    return f


def _yellow_before(p: Project, settings: Settings, at: ReportMonth, n: int) -> bool:
    """Yellow by the base rules in each of the n - 1 report months before `at` (with their own as_of)."""
    year = settings.year
    for m in range(at.number - n + 1, at.number):
        if _base_figures(p, settings, ReportMonth.of(settings, month_key(year, m))).light != "yellow":
            return False
    return True


def _base_figures(p: Project, settings: Settings, at: ReportMonth) -> ProjectFigures:
    """The figures of SPEC 2 for one month, with the light before escalation."""
    year = settings.year
    month, as_of = at.key, at.as_of
    prefix = f"{year:04d}-"
    report = previous = None
    for r in p.progress:  # the month's report and the latest earlier one of the year, in any file order
        key = r.month
        if key == month:
            if report is None:  # the first, as a month-ordered stable sort would give
                report = r
        elif key < month and key.startswith(prefix) and (previous is None or key >= previous.month):
            previous = r
    latest = report if report is not None else previous
    completed = latest.completed if latest is not None else Decimal(0)
    plan = p.investment.annual_plan
    # Each amount becomes a Fraction once; share() would convert it again for every quotient.
    exact_done, exact_plan = Fraction(completed), Fraction(plan)
    to_date = plan_to_date(p, settings, at.number, as_of)
    rate = exact_done / exact_plan if plan else None
    expected = to_date / exact_plan if plan else None
    gap = None if rate is None or expected is None else rate - expected
    achieved = exact_done / to_date if to_date else None

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


def behind_reason(measure: str, gap: Fraction | None, achieved: Fraction | None) -> str:
    """Why a project is behind its plan to date, as the meeting says it.

    points: "低于序时计划15.1个百分点" (or, under a threshold above 0, "仅超过序时计划2.0个百分点");
    ratio: "仅完成序时计划的58.0%".
    """
    if measure == "ratio":
        return f"仅完成序时计划的{pct(achieved)}"
    if gap is None:
        return ""
    if gap < 0:
        return f"低于序时计划{points(gap, signed=False)}个百分点"
    if gap == 0:
        return "与序时计划持平"
    return f"仅超过序时计划{points(gap, signed=False)}个百分点"


def _light(
    settings: Settings, gap: Fraction | None, achieved: Fraction | None, days_late: int | None,
    unreported_running: bool,
) -> tuple[Light, tuple[str, ...]]:
    rules = settings.warning
    red_below, yellow_below = _thresholds(rules.red_below, rules.yellow_below)
    red: list[str] = []
    if _behind(rules.measure, gap, achieved, red_below):
        red.append(behind_reason(rules.measure, gap, achieved))
    if days_late is not None and days_late > rules.start_grace_days:
        red.append(f"逾期未开工{days_late}天")
    if red:
        return "red", tuple(red)
    yellow: list[str] = []
    if _behind(rules.measure, gap, achieved, yellow_below):
        yellow.append(behind_reason(rules.measure, gap, achieved))
    if unreported_running:
        yellow.append("本月未报")
    if yellow:
        return "yellow", tuple(yellow)
    return "green", ()
