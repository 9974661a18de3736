"""倒排工期 as rich renderables: the meeting list, the batch nodes and one timeline per project.

Everything shown comes from `schedule.ScheduleReport`; nothing is recomputed here, only arranged. Tables
are laid out for 100 columns; colour is a hint only (every status is also a word), so piped output
without colour reads the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from itertools import groupby

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from projledger.figures.fmt import DASH
from projledger.figures.schedule import NodeReport, ProjectSchedule, ScheduleReport, StepPlan

STEP_TEXT = {
    "done": ("已办结", "green"),
    "done_late": ("超期办结", "yellow"),
    "overdue": ("逾期", "bold red"),
    "due_soon": ("即将到期", "bold yellow"),
    "pending": ("未到期", ""),
}
NODE_TEXT = {  # "{w}" is 开工 or 竣工, the node's kind
    "started": ("已开工", "green"),
    "started_late": ("晚于节点开工", "yellow"),
    "finished": ("已竣工", "green"),
    "finished_late": ("晚于节点竣工", "yellow"),
    "missed": ("未按节点{w}", "bold red"),
    "on_track": ("可按期{w}", "green"),
    "behind": ("难以按期{w}", "bold red"),
    "not_started": ("尚未开工", "bold red"),
    "unknown": ("无倒排模板", "dim"),
}
# Tally order in a node's headline: done first, then trouble, then the rest.
NODE_ORDER = ("started", "finished", "started_late", "finished_late", "on_track", "behind", "missed",
              "not_started", "unknown")
ANCHOR_WORD = {"start": "开工", "finish": "竣工"}
NO_LEADER = "（未填）"


def _d(d: date | None) -> str:
    return DASH if d is None else d.isoformat()


def status_cell(status: str) -> Text:
    """A step status as a word, coloured when the console has colour."""
    label, style = STEP_TEXT[status]
    return Text(label, style=style)


def _situation(step: StepPlan, as_of: date) -> Text:
    if step.status == "overdue":
        return Text(f"逾期 {(as_of - step.latest_finish).days} 天", style="bold red")
    if step.latest_start <= as_of:
        return Text("已过最迟启动日", style="bold yellow")
    return Text(f"{(step.latest_start - as_of).days} 天后须启动", style="yellow")


def _leader(ps: ProjectSchedule) -> str:
    return ps.project.leader or NO_LEADER


def _unit_order(units: Sequence[str]) -> dict[str, int]:
    return {u: i for i, u in enumerate(units)}


def meeting_list(report: ScheduleReport, units: Sequence[str] = ()) -> RenderableType:
    """督办清单: overdue and due-soon steps by unit and 包抓领导, then a count per leader."""
    order = _unit_order(units)
    items = [(ps, s) for ps in report.projects for s in ps.steps if s.status in ("overdue", "due_soon")]
    title = Text("一、督办清单：逾期和即将到期的手续", style="bold")
    if not items:
        return Group(title, Text("本月没有逾期或即将到期的手续。"))
    # Worst first inside a leader's group: the project with the earliest missed deadline leads.
    first_due: dict[str, date] = {}
    for ps, step in items:
        pid = ps.project.id
        first_due[pid] = min(first_due.get(pid, step.latest_finish), step.latest_finish)
    items.sort(key=lambda it: (order.get(it[0].project.unit, len(order)), it[0].project.unit, _leader(it[0]),
                               first_due[it[0].project.id], it[0].project.id, it[1].latest_finish))
    parts: list[RenderableType] = [title]
    for unit, group in groupby(items, key=lambda it: it[0].project.unit):
        rows = list(group)
        overdue = sum(step.status == "overdue" for _, step in rows)
        parts.append(Text(f"{unit}：逾期 {overdue} 项，即将到期 {len(rows) - overdue} 项", style="bold"))
        parts.append(_unit_table(rows, report.as_of))
    parts.append(_by_leader(items))
    return Group(*parts)


def _unit_table(rows: list[tuple[ProjectSchedule, StepPlan]], as_of: date) -> Table:
    # Fixed widths so that the tables of successive units line up in one column grid.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    table.add_column("包抓领导", width=8, overflow="fold")
    table.add_column("编号", width=11, no_wrap=True)
    table.add_column("项目", width=20, overflow="fold")
    table.add_column("手续", width=14, no_wrap=True)
    table.add_column("最迟启动", width=10, no_wrap=True)
    table.add_column("最迟办结", width=10, no_wrap=True)
    table.add_column("情况", width=14, no_wrap=True)
    last: tuple[str, str] = ("", "")
    for ps, step in rows:
        key = (_leader(ps), ps.project.id)
        table.add_row(
            Text(key[0] if key[0] != last[0] else ""),
            Text(ps.project.id if key != last else ""),
            Text(ps.project.name if key != last else ""),
            Text(step.name),
            _d(step.latest_start),
            _d(step.latest_finish),
            _situation(step, as_of),
        )
        last = key
    return table


def _by_leader(items: list[tuple[ProjectSchedule, StepPlan]]) -> RenderableType:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    projects: dict[str, dict[str, None]] = defaultdict(dict)
    for ps, step in items:
        counts[_leader(ps)][0 if step.status == "overdue" else 1] += 1
        projects[_leader(ps)][ps.project.id] = None
    table = Table(title="按包抓领导", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("包抓领导", no_wrap=True)
    table.add_column("逾期", justify="right")
    table.add_column("即将到期", justify="right")
    table.add_column("涉及项目", overflow="fold")
    for leader in sorted(counts, key=lambda name: (-counts[name][0], -counts[name][1], name)):
        overdue, soon = counts[leader]
        table.add_row(Text(leader), str(overdue), str(soon), Text("、".join(projects[leader])))
    return table


def node_label(status: str, kind: str) -> Text:
    """A node status as words for a start or finish node."""
    label, style = NODE_TEXT[status]
    return Text(label.format(w=ANCHOR_WORD[kind]), style=style)


def node_section(nodes: Sequence[NodeReport], units: Sequence[str] = ()) -> RenderableType:
    """集中开工/竣工节点: the projects each node concerns and whether they will make it."""
    title = Text("二、集中开工/竣工节点", style="bold")
    if not nodes:
        return Group(title, Text("projledger.yaml 中没有集中开工或竣工节点（nodes）。"))
    order = _unit_order(units)
    parts: list[RenderableType] = [title]
    for n in nodes:
        word = ANCHOR_WORD[n.kind]
        tally = {st: sum(np.status == st for np in n.projects) for st in NODE_ORDER}
        summary = "，".join(f"{node_label(st, n.kind).plain} {k} 个" for st, k in tally.items() if k)
        head = f"{n.name}（{n.date}）：计划{word} {len(n.projects)} 个" + (f"：{summary}" if summary else "")
        parts.append(Text(head, style="bold"))
        if not n.projects:
            continue
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
        table.add_column("编号", width=11, no_wrap=True)
        table.add_column("项目", width=22, overflow="fold")
        table.add_column("责任单位", max_width=16, overflow="fold")
        table.add_column(f"计划{word}", no_wrap=True)
        # One date column: the actual date once it happened, else how soon it could.
        table.add_column(f"实际/最早{word}", no_wrap=True)
        table.add_column("情况", no_wrap=True)
        rows = sorted(n.projects, key=lambda np: (order.get(np.project.unit, len(order)), np.project.unit,
                                                  np.planned, np.project.id))
        for np in rows:
            when = np.actual if np.actual is not None else np.earliest
            table.add_row(Text(np.project.id), Text(np.project.name), Text(np.project.unit), _d(np.planned), _d(when),
                          node_label(np.status, n.kind))
        parts.append(table)
    return Group(*parts)


def timeline_headline(ps: ProjectSchedule) -> Text:
    """`计划开工 2026-10-12；最早可开工 2026-11-03，落后 15 个工作日` and the like."""
    word = ANCHOR_WORD[ps.anchor]
    head = f"计划{word} {ps.anchor_date}；"
    if ps.earliest is None:
        return Text(head + f"{word}前手续已全部办结")
    if ps.behind_workdays:
        return Text.assemble(head + f"剩余手续最快 {ps.earliest} 可{word}，",
                             (f"落后 {ps.behind_workdays} 个工作日", "bold red"))
    return Text(head + f"剩余手续最快 {ps.earliest} 可{word}，能按期{word}")


def render_project_timeline(ps: ProjectSchedule) -> RenderableType:
    """One project's chain: each step's latest and earliest dates, done date and status."""
    p = ps.project
    title = Text.assemble((f"{p.id} {p.name}", "bold"), f"｜{p.unit}｜包抓领导 {p.leader or NO_LEADER}")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    table.add_column("手续", no_wrap=True)
    table.add_column("工作日", justify="right", no_wrap=True)
    table.add_column("最迟启动", no_wrap=True)
    table.add_column("最迟办结", no_wrap=True)
    table.add_column("办结日期", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("最早启动", no_wrap=True)
    table.add_column("最早办结", no_wrap=True)
    for s in ps.steps:
        table.add_row(Text(s.name), str(s.days), _d(s.latest_start), _d(s.latest_finish), _d(s.done), status_cell(s.status),
                      _d(s.earliest_start), _d(s.earliest_finish))
    return Group(title, timeline_headline(ps), table)


def timelines(report: ScheduleReport, units: Sequence[str] = ()) -> RenderableType:
    """Every project's timeline, by unit in settings order."""
    order = _unit_order(units)
    title = Text("三、逐项目倒排时间表", style="bold")
    if not report.projects:
        return Group(title, Text("没有需要倒排的项目。"))
    ordered = sorted(report.projects, key=lambda ps: (order.get(ps.project.unit, len(order)), ps.project.unit))
    parts: list[RenderableType] = [title]
    for ps in ordered:
        parts.append(Text(""))
        parts.append(render_project_timeline(ps))
    return Group(*parts)


def schedule_view(report: ScheduleReport, district: str = "", units: Sequence[str] = ()) -> RenderableType:
    """The whole `schedule` output: meeting list, nodes, timelines."""
    head = Text(f"{district}重点项目倒排工期（{report.month}，截至 {report.as_of}）", style="bold")
    return Group(head, Text(""), meeting_list(report, units), Text(""), node_section(report.nodes, units), Text(""),
                 timelines(report, units))


__all__ = [
    "meeting_list",
    "node_label",
    "node_section",
    "render_project_timeline",
    "schedule_view",
    "status_cell",
    "timeline_headline",
    "timelines",
]
