"""倒排工期: the backward and forward passes of SPEC section 3, and the batch nodes they feed.

For every project not yet started, the `before_start` chain of its category is laid backwards from the
planned start; for every project started but not finished, the `before_finish` chain from the planned
finish. The backward pass gives each step the latest start and finish that still keep the anchor; the
status compares them with the report month's last day (as_of); the forward pass asks how soon the
remaining steps could be done from as_of and so how far the project is behind.

The computation is pure: the report month is an argument, never the clock, and all dates come from the
ledger and the `WorkCalendar`. The one read, the procedure template, is delegated to `procedures.py`
and can be skipped by passing `template=`.

A step recorded as done after as_of counts as not yet done at as_of, so a report for an earlier month
shows what was true then (as `started` does in SPEC section 2).
"""

from __future__ import annotations

import calendar
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from projledger.figures.workdays import WorkCalendar, coverage_warning
from projledger.ledger.errors import InputError
from projledger.ledger.loader import Ledger
from projledger.ledger.models import Node, Project, parse_month
from projledger.ledger.procedures import Anchor, ProcedureTemplate, StepSpec, load_template, topological

StepStatus = Literal["done", "done_late", "overdue", "due_soon", "pending"]
STEP_STATUSES: tuple[StepStatus, ...] = ("done", "done_late", "overdue", "due_soon", "pending")
NodeStatus = Literal[
    "started", "started_late", "finished", "finished_late", "missed", "on_track", "behind", "not_started", "unknown"
]
NEW_START = "新开工"
DEFAULT_WITHIN = 10
SANE_YEARS = (1950, 2150)  # anchor years outside this are typos, not plans


@dataclass(frozen=True)
class StepPlan:
    """One procedure step of one project: its deadlines, its state at as_of, and how soon it can be done."""

    name: str
    days: int
    after: tuple[str, ...]
    latest_start: date
    latest_finish: date
    done: date | None
    status: str  # one of STEP_STATUSES
    earliest_start: date | None
    earliest_finish: date | None


@dataclass(frozen=True)
class ProjectSchedule:
    """One project's chain laid out against its anchor date."""

    project: Project
    anchor: str  # "start" | "finish"
    anchor_date: date
    steps: tuple[StepPlan, ...]
    earliest: date | None
    behind_workdays: int
    # False for a finish chain whose planned finish lies after the report year: the remaining steps could
    # be done this year, but that says nothing about when the works will be finished, so no forecast.
    forecast: bool = True

    @property
    def on_time(self) -> bool:
        """The one answer to "can it make its date": nothing left, or the earliest date is not after it.

        The timeline's headline and the batch nodes both use it, so they never disagree.
        """
        return self.behind_workdays == 0

    @property
    def behind_days(self) -> int:
        """Calendar days from the anchor to the earliest feasible date (0 when not behind): what bulletins say."""
        if self.earliest is None or self.earliest <= self.anchor_date:
            return 0
        return (self.earliest - self.anchor_date).days


@dataclass(frozen=True)
class NodeProject:
    """A project a batch node concerns, and whether it will make the node."""

    project: Project
    planned: date
    actual: date | None
    earliest: date | None
    status: str  # one of NodeStatus
    behind_workdays: int = 0  # of the project's own timeline, when it is "behind"


@dataclass(frozen=True)
class NodeReport:
    """A batch node (集中开工/竣工) and the projects planned to start or finish by it."""

    name: str
    date: date
    kind: str  # "start" | "finish"
    projects: tuple[NodeProject, ...]


@dataclass
class ScheduleReport:
    """倒排 for a report month: the projects' schedules, the batch nodes, and what could not be done."""

    month: str
    as_of: date
    warnings: list[str]
    projects: list[ProjectSchedule]
    nodes: list[NodeReport] = field(default_factory=list)


def month_end(month: str) -> date:
    """The last day of a `YYYY-MM` month (as_of)."""
    year, m = parse_month(month)
    return date(year, m, calendar.monthrange(year, m)[1])


def plan_chain(
    steps: Sequence[StepSpec],
    anchor_date: date,
    as_of: date,
    cal: WorkCalendar,
    done: Mapping[str, date | None] | None = None,
    days: Mapping[str, int] | None = None,
    within: int = DEFAULT_WITHIN,
) -> tuple[tuple[StepPlan, ...], date | None, int]:
    """Lay one chain against its anchor: (steps in template order, earliest feasible date, behind_workdays).

    `done` maps a step to its done date, taken as written (SPEC 3: the done date comes from the project's
    `procedures:` map, whatever as_of is); `days` overrides a step's working days. The chain must be acyclic and closed, as `procedures.load_template` guarantees.
    """
    done = done or {}
    days = days or {}
    length = {s.name: days.get(s.name, s.days) for s in steps}
    finished = {s.name: d for s in steps if (d := done.get(s.name)) is not None}
    order = topological(steps)
    followers: dict[str, list[str]] = {s.name: [] for s in steps}
    for s in steps:
        for a in s.after:
            followers[a].append(s.name)

    # Backward pass: a step must end the working day before its earliest-starting follower (or the anchor).
    latest_start: dict[str, date] = {}
    latest_finish: dict[str, date] = {}
    for s in reversed(order):
        nxt = followers[s.name]
        bound = min(latest_start[f] for f in nxt) if nxt else anchor_date
        latest_finish[s.name] = cal.prev(bound)
        latest_start[s.name] = cal.back(latest_finish[s.name], length[s.name] - 1)

    # Forward pass over what is left: nothing can happen before the first working day after as_of.
    first = cal.next(as_of)
    earliest_start: dict[str, date] = {}
    earliest_finish: dict[str, date] = {}
    for s in order:
        if s.name in finished:
            continue
        start = first
        for a in s.after:
            if a in earliest_finish:
                start = max(start, cal.next(earliest_finish[a]))
        earliest_start[s.name] = start
        earliest_finish[s.name] = cal.forward(start, length[s.name] - 1)

    horizon = cal.forward(as_of, within)
    plans = []
    for s in steps:
        lf, ls = latest_finish[s.name], latest_start[s.name]
        d = finished.get(s.name)
        status: StepStatus
        if d is not None:
            status = "done" if d <= lf else "done_late"
        elif as_of > lf:
            status = "overdue"
        elif ls <= horizon:
            status = "due_soon"
        else:
            status = "pending"
        plans.append(StepPlan(
            s.name, length[s.name], s.after, ls, lf, d, status,
            earliest_start.get(s.name), earliest_finish.get(s.name)))

    earliest = cal.next(max(earliest_finish.values())) if earliest_finish else None
    behind = cal.count(anchor_date, earliest) if earliest is not None and earliest > anchor_date else 0
    return tuple(plans), earliest, behind


def anchor_of(project: Project, as_of: date) -> Anchor | None:
    """Which chain applies at as_of: "start" before the start, "finish" until the finish, None after."""
    a = project.actual
    if a.start is None or a.start > as_of:
        return "start"
    if a.finish is None or a.finish > as_of:
        return "finish"
    return None


def _label(p: Project) -> str:
    return f"{p.id}（{p.name}）"


def _select(ledger: Ledger, ids: Sequence[str]) -> list[Project]:
    if not ids:
        return list(ledger.projects)
    known = [p.id for p in ledger.projects]
    missing = [i for i in ids if ledger.find(i) is None]
    if missing:
        parts = []
        for i in missing:
            close = difflib.get_close_matches(i, known, n=1, cutoff=0.6)
            parts.append(f"“{i}”" + (f"（是不是“{close[0]}”？）" if close else ""))
        raise InputError(f"台账中没有项目 {'、'.join(parts)}；运行 projledger status 可查看全部项目编号")
    wanted = list(dict.fromkeys(ids))
    return [p for i in wanted if (p := ledger.find(i)) is not None]


def build_schedule(
    ledger: Ledger,
    month: str,
    ids: Sequence[str] = (),
    within: int = DEFAULT_WITHIN,
    template: ProcedureTemplate | None = None,
) -> ScheduleReport:
    """倒排 for every project (or those in `ids`) at the end of `month`; see the module docstring.

    Raises InputError for an unknown id or a procedure template with errors (`check` places them).
    """
    as_of = month_end(month)
    projects = _select(ledger, ids)
    if template is None:
        template, errors = load_template(ledger)
        if template is None:
            first = str(errors[0]) if errors else "无法读取"
            raise InputError(f"倒排模板有错误：{first}（运行 projledger check 查看全部）")
    overrides = ledger.settings.calendar
    cal = WorkCalendar(overrides.holidays, overrides.workdays)
    notes: list[str] = []
    no_chain: dict[str, list[str]] = {}
    schedules: list[ProjectSchedule] = []
    for p in projects:
        anchor = anchor_of(p, as_of)
        if anchor is None:
            if ids:
                notes.append(f"项目 {_label(p)} 已于 {p.actual.finish} 竣工，无需倒排")
            continue
        chain = template.chain(p.category, anchor)
        if chain is None:
            no_chain.setdefault(p.category, []).append(p.id)
            continue
        if not chain:
            if ids:
                notes.append(f"项目 {_label(p)}：倒排模板中类别“{p.category}”没有{_chain_word(anchor)}，无需倒排")
            continue
        anchor_date = p.planned.start if anchor == "start" else p.planned.finish
        if anchor_date is None:
            notes.append(_no_anchor(p, anchor))
            continue
        if not SANE_YEARS[0] <= anchor_date.year <= SANE_YEARS[1]:
            # A typo such as 0206-10-01 would otherwise walk the calendar for centuries.
            notes.append(f"项目 {_label(p)}：计划日期 {anchor_date} 不在可推算的范围内，未倒排")
            continue
        steps, earliest, behind = plan_chain(chain, anchor_date, as_of, cal, p.procedures, p.procedure_days, within)
        forecast = anchor == "start" or anchor_date.year <= as_of.year
        schedules.append(ProjectSchedule(p, anchor, anchor_date, steps, earliest, behind, forecast))
    for category, pids in no_chain.items():
        notes.append(
            f"倒排模板 {template.path} 中没有类别“{category}”的手续链，{len(pids)} 个项目未倒排："
            f"{'、'.join(pids)}")
    report = ScheduleReport(month, as_of, [], schedules)
    report.nodes = _nodes(ledger.settings.nodes, projects, schedules, as_of)
    # Calendar warnings last-computed but listed first: they qualify every date in the report.
    uncovered = cal.uncovered_years
    report.warnings = ([coverage_warning(*uncovered)] if uncovered else []) + notes
    return report


def _chain_word(anchor: Anchor) -> str:
    return "开工前手续" if anchor == "start" else "竣工前手续"


def _no_anchor(p: Project, anchor: Anchor) -> str:
    if anchor == "start":
        return f"项目 {_label(p)} 尚未开工，但未填计划开工日期（planned.start），无法倒排开工前手续"
    return f"项目 {_label(p)} 已开工未竣工，但未填计划竣工日期（planned.finish），无法倒排竣工前手续"


def node_kind(node: Node) -> Anchor | None:
    """A node's kind: as declared, else "start" for a name with 开工 and "finish" for one with 竣工."""
    if node.kind is not None:
        return node.kind if node.kind in ("start", "finish") else None
    if "开工" in node.name:
        return "start"
    if "竣工" in node.name:
        return "finish"
    return None


def _nodes(
    nodes: Sequence[Node], projects: Sequence[Project], schedules: Sequence[ProjectSchedule], as_of: date
) -> list[NodeReport]:
    by_id = {ps.project.id: ps for ps in schedules}
    out: list[NodeReport] = []
    for kind in ("start", "finish"):
        batch = sorted((n for n in nodes if node_kind(n) == kind), key=lambda n: n.date)
        lower: date | None = None
        for n in batch:
            # The first node of a year gathers that year's projects planned before it, not older ones.
            after = lower if lower is not None and lower.year == n.date.year else date(n.date.year - 1, 12, 31)
            members = []
            for p in projects:
                planned = p.planned.start if kind == "start" else p.planned.finish
                if planned is None or not after < planned <= n.date:
                    continue
                if kind == "start" and p.kind != NEW_START:
                    continue
                members.append(_node_project(p, planned, kind, n.date, as_of, by_id.get(p.id)))
            out.append(NodeReport(n.name, n.date, kind, tuple(members)))
            lower = n.date
    out.sort(key=lambda r: (r.date, r.kind != "start"))
    return out


def _node_project(
    p: Project, planned: date, kind: str, node_date: date, as_of: date, ps: ProjectSchedule | None
) -> NodeProject:
    actual = p.actual.start if kind == "start" else p.actual.finish
    status: NodeStatus
    earliest = ps.earliest if ps is not None and ps.anchor == kind else None
    if actual is not None and actual <= as_of:
        status = ("started" if actual <= node_date else "started_late") if kind == "start" else (
            "finished" if actual <= node_date else "finished_late")
    elif node_date <= as_of:
        status = "missed"
    elif kind == "finish" and (p.actual.start is None or p.actual.start > as_of):
        status = "not_started"
    elif ps is None or ps.anchor != kind:
        status = "unknown"
    elif ps.on_time:
        status = "on_track"
    else:
        status = "behind"
    behind = ps.behind_workdays if ps is not None and status == "behind" else 0
    return NodeProject(p, planned, actual if actual is not None and actual <= as_of else None, earliest, status,
                       behind)


def node_tracking(ledger: Ledger, month: str, ids: Sequence[str] = (), within: int = DEFAULT_WITHIN) -> list[NodeReport]:
    """The batch nodes (集中开工/竣工) of the ledger against the projects they concern, at month end."""
    return build_schedule(ledger, month, ids, within).nodes


__all__ = [
    "DEFAULT_WITHIN",
    "STEP_STATUSES",
    "NodeProject",
    "NodeReport",
    "ProjectSchedule",
    "ScheduleReport",
    "StepPlan",
    "anchor_of",
    "build_schedule",
    "month_end",
    "node_kind",
    "node_tracking",
    "plan_chain",
]
