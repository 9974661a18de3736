"""The dashboard's data: every figure of a report month, formatted, as one JSON-ready dict.

The page (`page.py`) embeds this dict and its script lays it out; nothing is computed here, only
picked from `metrics`, `ranking` and `schedule` and formatted with `fmt` (so the browser shows the same
rounding as the terminal and the workbook). Each number travels as a pair `[value, text]`: the value
for sorting and charts, the text for display.

Masking (脱敏, for projection in a wider meeting) happens here, not in the browser: money amounts and
leaders' names are left out of the dict altogether, so a masked file does not contain them at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import groupby
from typing import Any

from projledger import __version__
from projledger.figures.fmt import DASH, money, pct, points
from projledger.figures.metrics import (
    GroupFigures,
    MonthFigures,
    ProjectFigures,
    days_overdue,
    exact_number,
    lagging,
    number,
    trend,
)
from projledger.figures.ranking import rank_changes
from projledger.figures.rollup import Rollup, rank_sentence
from projledger.figures.schedule import ProjectSchedule, ScheduleReport
from projledger.ledger.gitsource import Provenance
from projledger.ledger.models import KINDS, Problem

# An amount written into free text ("资金缺口约6000万元", "1.2亿元"): masked pages show "××万元".
MONEY_IN_TEXT = re.compile(r"[0-9０-９][0-9０-９,，.．]*\s*(?=(?:多|余)?(?:万元|亿元|元))")
STEP_WORDS = {"done": "已办结", "done_late": "超期办结", "overdue": "逾期", "due_soon": "即将到期", "pending": "未到期"}
ANCHOR_WORDS = {"start": "开工", "finish": "竣工"}
LIGHT_WORDS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}


@dataclass(frozen=True)
class PageInput:
    """What one page is built from: the month's figures, the previous month's, the 倒排 and the source."""

    month: MonthFigures
    previous: MonthFigures | None
    schedule: ScheduleReport
    source: Provenance | None
    months: list[str]  # the report months a live page may switch to
    mask: bool = False
    live: str | None = None  # the ledger fingerprint when served live, else None (a file)
    rollup: Rollup | None = None  # 全市排名 (`report --rollup rollup.yaml`), for this page's month


Pair = list[Any]


def free_text(text: str | None, mask: bool) -> str | None:
    """Ledger prose as written; when masked, amounts of money in it are replaced by ××."""
    if text is None or not mask:
        return text
    return MONEY_IN_TEXT.sub("××", text)


def _money(value: Decimal) -> Pair:
    return [number(value), money(value)]


def _exact_money(value: Fraction) -> Pair:
    """An exact amount (a plan to date may be a third of a 万元), shown rounded like any money."""
    return [exact_number(value), money(Decimal(value.numerator) / Decimal(value.denominator))]


def _rate(value: Fraction | None) -> Pair:
    return [None if value is None else float(value), pct(value)]


def _points(value: Fraction | None) -> Pair:
    return [None if value is None else float(value), points(value)]


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def group_row(g: GroupFigures, mask: bool) -> dict[str, Any]:
    """A unit (or the totals) with its figures; money omitted when masked."""
    row: dict[str, Any] = {
        "name": g.name,
        "projects": g.projects,
        "completion_rate": _rate(g.completion_rate),
        "gap": _points(g.gap),  # against time progress, as bulletins compare a group
        "plan_rate": _rate(g.plan_rate),  # 完成1-M月计划的X%
        "new_starts": g.new_starts,
        "started": g.started,
        "start_rate": _rate(g.start_rate),
        "due_to_start": g.due_to_start,
        "due_started": g.due_started,
        "due_start_rate": _rate(g.due_start_rate),
        "early_starts": g.early_starts,
        "overdue_starts": g.overdue_starts,
        "finish_planned": g.finish_planned,
        "finished": g.finished,
        "big_projects": g.big,
        "red": g.red,
        "yellow": g.yellow,
        "green": g.green,
        "unreported": g.unreported,
        "stalled": g.stalled,
    }
    if not mask:
        row.update(total=_money(g.total), annual_plan=_money(g.annual_plan), completed=_money(g.completed),
                   plan_to_date=_exact_money(g.plan_to_date))
    return row


def project_row(f: ProjectFigures, mask: bool) -> dict[str, Any]:
    """One project's line in the table."""
    p = f.project
    row: dict[str, Any] = {
        "id": p.id,
        "name": p.name,
        "unit": p.unit,
        "category": p.category,
        "level": p.level,
        "kind": p.kind,
        "light": f.light,
        "reasons": list(f.reasons),
        "completion_rate": _rate(f.completion_rate),
        "gap": _points(f.gap),  # against the project's own 序时进度 (expected_rate)
        "expected_rate": _rate(f.expected_rate),
        "achieved": _rate(f.achieved),
        "reported": f.reported,
        "stalled": f.stalled,
        "started": f.started,
        "finished": f.finished,
        "overdue_start": f.overdue_start,
        "days_late": f.days_late,
        "early_start": f.early_start,
        "image": free_text(f.latest.image if f.latest is not None else None, mask),
    }
    if not mask:
        row.update(leader=p.leader, annual_plan=_money(p.investment.annual_plan), completed=_money(f.completed),
                   cumulative=_money(f.cumulative), total=_money(p.investment.total),
                   plan_to_date=_exact_money(f.plan_to_date))
    return row


def project_detail(mf: MonthFigures, f: ProjectFigures, ps: ProjectSchedule | None, mask: bool) -> dict[str, Any]:
    """What the project page adds to the table row: facts, the monthly trend, problems, the 倒排."""
    p = f.project
    months = []
    for t in trend(mf, f):
        point: dict[str, Any] = {
            "month": t.month,
            "label": f"{int(t.month[5:])}月",
            "reported": t.report is not None,
            "rate": _rate(t.completion_rate),
            "expected": _rate(t.expected_rate),
            "image": free_text(t.report.image if t.report is not None else None, mask),
        }
        if not mask:
            point["completed"] = None if t.report is None else _money(t.report.completed)
            point["target"] = _money(t.target)
        months.append(point)
    detail: dict[str, Any] = {
        "owner": p.owner,
        "content": free_text(p.content, mask),
        "planned_start": _iso(p.planned.start),
        "planned_finish": _iso(p.planned.finish),
        "actual_start": _iso(p.actual.start),
        "actual_finish": _iso(p.actual.finish),
        "trend": months,
        "problems": [_problem(mf, f, q, mask) for q in f.open_problems],
        "schedule": None if ps is None else _schedule(ps, mf.as_of),
    }
    if not mask:
        detail["before_year"] = _money(p.investment.before_year)
    return detail


def _problem(mf: MonthFigures, f: ProjectFigures, q: Problem, mask: bool) -> dict[str, Any]:
    late = days_overdue(q, mf.as_of)
    return {"id": f.project.id, "name": f.project.name, "unit": f.project.unit, "type": q.type,
            "text": free_text(q.text, mask),
            "owner": q.owner, "due": _iso(q.due), "overdue_days": late}


def _schedule(ps: ProjectSchedule, as_of: date) -> dict[str, Any]:
    steps = []
    for s in ps.steps:
        late = (as_of - s.latest_finish).days if s.status == "overdue" else None
        steps.append({
            "name": s.name, "days": s.days, "after": list(s.after), "latest_start": s.latest_start.isoformat(),
            "latest_finish": s.latest_finish.isoformat(), "done": _iso(s.done), "status": s.status,
            "status_text": STEP_WORDS[s.status], "overdue_days": late,
        })
    return {"anchor": ps.anchor, "anchor_word": ANCHOR_WORDS[ps.anchor], "anchor_date": ps.anchor_date.isoformat(),
            "earliest": _iso(ps.earliest), "behind_workdays": ps.behind_workdays, "steps": steps}


def problems(mf: MonthFigures, mask: bool) -> list[dict[str, Any]]:
    """Every open problem, overdue first (longest overdue first), then by deadline."""
    items = [_problem(mf, f, q, mask) for f in mf.projects for q in f.open_problems]
    far = date.max.isoformat()
    items.sort(key=lambda q: (q["overdue_days"] is None, -(q["overdue_days"] or 0), q["due"] or far, q["id"]))
    return items


def supervision(report: ScheduleReport, units: list[str], mask: bool) -> list[dict[str, Any]]:
    """督办清单: overdue and due-soon steps by unit, then 包抓领导, worst project first (as `schedule`)."""
    order = {u: i for i, u in enumerate(units)}
    items = [(ps, s) for ps in report.projects for s in ps.steps if s.status in ("overdue", "due_soon")]
    first_due: dict[str, date] = {}
    for ps, s in items:
        first_due[ps.project.id] = min(first_due.get(ps.project.id, s.latest_finish), s.latest_finish)

    def leader(ps: ProjectSchedule) -> str:
        return "" if mask else ps.project.leader or ""

    items.sort(key=lambda it: (order.get(it[0].project.unit, len(order)), it[0].project.unit, leader(it[0]),
                               first_due[it[0].project.id], it[0].project.id, it[1].latest_finish))
    groups = []
    for unit, rows in groupby(items, key=lambda it: it[0].project.unit):
        steps = []
        for ps, s in rows:
            row = {"id": ps.project.id, "name": ps.project.name, "step": s.name, "status": s.status,
                   "status_text": STEP_WORDS[s.status], "latest_start": s.latest_start.isoformat(),
                   "latest_finish": s.latest_finish.isoformat(),
                   "overdue_days": (report.as_of - s.latest_finish).days if s.status == "overdue" else None,
                   "start_in_days": (s.latest_start - report.as_of).days}
            if not mask:
                row["leader"] = ps.project.leader
            steps.append(row)
        groups.append({"unit": unit, "overdue": sum(r["status"] == "overdue" for r in steps),
                       "due_soon": sum(r["status"] == "due_soon" for r in steps), "steps": steps})
    return groups


def _source(source: Provenance | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return {"commit": source.commit, "short": source.commit[:7], "date": source.date, "subject": source.subject,
            "dirty": source.dirty}


def page_data(inp: PageInput) -> dict[str, Any]:
    """The whole dashboard of one report month as a JSON-ready dict (see the module docstring)."""
    mf, mask = inp.month, inp.mask
    s = mf.settings
    changes = rank_changes(mf, inp.previous)
    before = {g.name: g.rank for g in inp.previous.units} if inp.previous is not None else {}
    units = []
    for g in sorted(mf.units, key=lambda g: g.rank or 0):
        row = group_row(g, mask)
        row.update(rank=g.rank, rank_change=changes.get(g.name), previous_rank=before.get(g.name))
        units.append(row)
    by_id = {ps.project.id: ps for ps in inp.schedule.projects}
    projects = []
    for f in mf.projects:
        row = project_row(f, mask)
        row["detail"] = project_detail(mf, f, by_id.get(f.project.id), mask)
        projects.append(row)
    return {
        "meta": {
            "district": s.district,
            "year": s.year,
            "month": mf.month,
            "month_number": mf.month_number,
            "as_of": mf.as_of.isoformat(),
            "previous_month": inp.previous.month if inp.previous is not None else None,
            "masked": mask,
            "live": inp.live,
            "months": inp.months,
            "version": __version__,
            "source": _source(inp.source),
            "warnings": list(inp.schedule.warnings),
            "dash": DASH,
            "options": _options(mf, mask),
        },
        "time_progress": _rate(mf.time_progress),
        "totals": group_row(mf.totals, mask),
        "units": units,
        "projects": projects,
        "lagging": [f.project.id for f in lagging(mf)],
        "problems": problems(mf, mask),
        "supervision": supervision(inp.schedule, list(s.units), mask),
        "unreported": [f.project.id for f in mf.projects if f.owes_report],
        "stalled": [f.project.id for f in mf.projects if f.stalled],
        "rollup": None if inp.rollup is None else rollup_data(inp.rollup, s.district, mask),
    }


def rollup_data(r: Rollup, district: str, mask: bool) -> dict[str, Any]:
    """全市排名: the members in rank order (this ledger's own row marked), the peers apart with their source."""
    members = []
    for m in r.members:
        row = group_row(m.figures.totals, mask)
        row.update(name=m.district, group=m.group, rank=m.rank, group_rank=m.group_rank, rank_change=m.rank_change,
                   big_new_starts=m.big_new_starts, own=m.district == district)
        members.append(row)
    own = next((m for m in r.members if m.district == district), None)
    peers = [{"name": p.name, "group": p.group, "month": p.month, "completion_rate": _rate(_fraction(p.completion_rate)),
              "start_rate": _rate(_fraction(p.start_rate)), "new_starts": p.new_starts,
              "big_new_starts": p.big_new_starts, "source": p.source} for p in r.peers]
    return {"name": r.name, "month": r.month, "members": members, "peers": peers,
            "sentence": rank_sentence(r, own) if own is not None else None}


def _fraction(value: Any) -> Fraction | None:
    return None if value is None else Fraction(str(value))


def _options(mf: MonthFigures, mask: bool) -> dict[str, list[str]]:
    """The choices of the table's filters, in the ledger's declared order (no leaders when masked)."""
    s = mf.settings
    kinds = {f.project.kind for f in mf.projects}
    options: dict[str, list[str]] = {"unit": list(s.units), "category": list(s.categories), "level": list(s.levels),
               "kind": [k for k in KINDS if k in kinds]}
    if not mask:
        options["leader"] = sorted({f.project.leader for f in mf.projects if f.project.leader})
    return options
