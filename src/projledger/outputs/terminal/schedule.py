"""倒排工期 as rich renderables: the 督办清单, the batch nodes and, on request, one timeline per project.

Everything shown comes from `schedule.ScheduleReport`; nothing is recomputed here, only arranged. The
meeting reads the 督办清单 (projects named, not numbered); the per-project timelines are for `--detail`
or a few chosen projects. Tables are `fit.Grid`s, drawn as lines of text (cheap, and never cutting a
date); colour is a hint only (every status is also a word), so piped output reads the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from itertools import groupby

from rich.console import Group, RenderableType
from rich.text import Text

from projledger.figures.fmt import DASH
from projledger.figures.schedule import NodeReport, ProjectSchedule, ScheduleReport, StepPlan
from projledger.outputs.terminal.fit import Col, Grid, Prose

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
    # One grid for all units, so that their columns line up; each unit opens with its own line.
    table = Grid([
        Col("包抓领导", short="领导"),
        Col("项目", kind="name", min_width=12),
        Col("手续"),
        Col("最迟启动", drop=1),
        Col("最迟办结"),
        Col("情况"),
    ])
    for unit, group in groupby(items, key=lambda it: it[0].project.unit):
        rows = list(group)
        overdue = sum(step.status == "overdue" for _, step in rows)
        table.add_line(Text(unit) + Text(f"：逾期 {overdue} 项，即将到期 {len(rows) - overdue} 项"), style="bold")
        last: tuple[str, str] = ("", "")
        for ps, step in rows:
            key = (_leader(ps), ps.project.id)
            table.add_row(
                Text(key[0] if key[0] != last[0] else ""),
                Text(ps.project.name if key != last else ""),
                Text(step.name),
                _d(step.latest_start),
                _d(step.latest_finish),
                _situation(step, report.as_of),
            )
            last = key
    return Group(title, table, Text(""), _by_leader(items))


def _by_leader(items: list[tuple[ProjectSchedule, StepPlan]]) -> RenderableType:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    projects: dict[str, dict[str, str]] = defaultdict(dict)
    for ps, step in items:
        counts[_leader(ps)][0 if step.status == "overdue" else 1] += 1
        projects[_leader(ps)][ps.project.id] = ps.project.name
    table = Grid([
        Col("包抓领导"),
        Col("逾期", justify="right"),
        Col("即将到期", justify="right"),
        Col("涉及项目", kind="wrap", min_width=16),
    ], title="按包抓领导")
    for leader in sorted(counts, key=lambda name: (-counts[name][0], -counts[name][1], name)):
        overdue, soon = counts[leader]
        table.add_row(Text(leader), str(overdue), str(soon), Text("、".join(projects[leader].values())))
    return table


def node_label(status: str, kind: str, behind: int = 0) -> Text:
    """A node status as words for a start or finish node (`难以按期开工，落后 15 个工作日`)."""
    label, style = NODE_TEXT[status]
    text = label.format(w=ANCHOR_WORD[kind])
    if status == "behind" and behind:
        text += f"（落后 {behind} 个工作日）"
    return Text(text, style=style)


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
        parts.append(Prose(Text(head, style="bold")))
        if not n.projects:
            continue
        table = Grid([
            Col("项目", kind="name", min_width=12),
            Col("责任单位", kind="name", min_width=8, short="单位", weight=0.6),
            Col(f"计划{word}"),
            # One date column: the actual date once it happened, else how soon it could.
            Col(f"实际/最早{word}", short=f"实际/最早\n{word}"),
            Col("情况", kind="wrap", min_width=10),
        ])
        rows = sorted(n.projects, key=lambda np: (order.get(np.project.unit, len(order)), np.project.unit,
                                                  np.planned, np.project.id))
        for np in rows:
            when = np.actual if np.actual is not None else np.earliest
            table.add_row(Text(np.project.name), Text(np.project.unit), _d(np.planned), _d(when),
                          node_label(np.status, n.kind, np.behind_workdays))
        parts.append(table)
    return Group(*parts)


def timeline_headline(ps: ProjectSchedule) -> Text:
    """`计划开工 2026-10-12；剩余手续最快 2026-11-03 可开工，落后 15 个工作日` and the like."""
    word = ANCHOR_WORD[ps.anchor]
    head = f"计划{word} {ps.anchor_date}；"
    if ps.earliest is None:
        return Text(head + f"{word}前手续已全部办结")
    if not ps.forecast:
        return Text(head + f"不在本年度，不预测{word}日期")
    if not ps.on_time:
        return Text.assemble(head + f"剩余手续最快 {ps.earliest} 可{word}，",
                             (f"落后 {ps.behind_workdays} 个工作日", "bold red"))
    return Text(head + f"剩余手续最快 {ps.earliest} 可{word}，能按期{word}")


def render_project_timeline(ps: ProjectSchedule) -> RenderableType:
    """One project's chain: each step's latest dates, done date and status (and how soon, when it says so)."""
    p = ps.project
    title = Text.assemble((p.id, "bold"), " ", (p.name, "bold"), "｜", p.unit, "｜包抓领导 ", p.leader or NO_LEADER)
    columns = [
        Col("手续"),
        Col("工作日", justify="right"),
        Col("最迟启动"),
        Col("最迟办结"),
        Col("办结日期"),
        Col("状态"),
    ]
    if ps.forecast:
        columns += [Col("最早启动", drop=2), Col("最早办结", drop=1)]
    table = Grid(columns)
    for s in ps.steps:
        cells: list[Text | str] = [Text(s.name), str(s.days), _d(s.latest_start), _d(s.latest_finish), _d(s.done),
                                   status_cell(s.status)]
        if ps.forecast:
            cells += [_d(s.earliest_start), _d(s.earliest_finish)]
        table.add_row(*cells)
    return Group(Prose(title), Prose(timeline_headline(ps)), table)


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


def schedule_view(report: ScheduleReport, district: str = "", units: Sequence[str] = (),
                  detail: bool = True) -> RenderableType:
    """The `schedule` output: the 督办清单 and the nodes, then (with `detail`) every project's timeline."""
    head = Text(f"{district}重点项目倒排工期（{report.month}，截至 {report.as_of}）", style="bold")
    parts: list[RenderableType] = [Prose(head), Text(""), meeting_list(report, units), Text(""),
                                   node_section(report.nodes, units), Text("")]
    if detail:
        parts.append(timelines(report, units))
    else:
        parts.append(Prose(Text("逐项目倒排时间表：projledger schedule --detail；只看某个项目："
                                "projledger schedule 项目名称或编号", style="dim")))
    return Group(*parts)


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
