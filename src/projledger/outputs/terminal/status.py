"""The dashboard (`status`) and one project's page (`show`) as rich renderables.

Everything shown comes from `metrics.MonthFigures`; nothing is recomputed here, only formatted. Tables
are `fit.Grid`s and sentences `fit.Prose`, so the page fits the terminal down to 80 columns without
cutting a figure; ledger text is always `Text`, never markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from rich.console import Group, RenderableType
from rich.text import Text

from projledger.figures.fmt import DASH, amount, money, pct, points
from projledger.figures.metrics import (
    GROUP_LABELS,
    GroupFigures,
    MonthFigures,
    ProjectFigures,
    days_overdue,
    lagging,
    trend,
)
from projledger.figures.ranking import RANKED_GROUPS, ranked_groups
from projledger.outputs.terminal.fit import Col, Grid, Prose

LIGHT_TEXT = {"red": ("红", "bold red"), "yellow": ("黄", "bold yellow"), "green": ("绿", "green")}
STATUS_OF_PROBLEM = {True: "已解决", False: "未解决"}


def light_cell(light: str) -> Text:
    """A coloured 红/黄/绿 marker (plain text when the console has no colour)."""
    label, style = LIGHT_TEXT[light]
    return Text(f"●{label}", style=style)


def compare(gap: Fraction | None, yardstick: str = "时间进度") -> str:
    """`超过时间进度 3.2 个百分点` / `低于序时计划 4.8 个百分点`, chosen by sign.

    Groups are compared with time progress (how bulletins speak), a project with its own plan to date.
    """
    if gap is None:
        return "无年度计划"
    if gap == 0:
        return f"与{yardstick}持平"
    word = "超过" if gap > 0 else "低于"
    return f"{word}{yardstick} {points(gap, signed=False)} 个百分点"


def headline(mf: MonthFigures) -> RenderableType:
    """The figures the meeting opens with, as sentences wrapped at Chinese punctuation."""
    s, t, m = mf.settings, mf.totals, mf.month_number
    lines = [
        Text(f"{s.district}{s.year}年重点项目建设进展（截至{m}月底）", style="bold"),
        Text(f"时间进度 {pct(mf.time_progress)}｜项目 {t.projects} 个（亿元以上 {t.big} 个）｜总投资 {amount(t.total)}"),
        Text(
            f"年度计划投资 {amount(t.annual_plan)}，1-{m}月完成 {amount(t.completed)}，"
            f"投资完成率 {pct(t.completion_rate)}，{compare(t.gap)}，完成1-{m}月计划的 {pct(t.plan_rate)}"
        ),
        Text(
            f"开工：计划新开工 {t.new_starts} 项，已开工 {t.started} 项，开工率 {pct(t.start_rate)}；"
            f"1-{m}月计划开工 {t.due_to_start} 项，已开工 {t.due_started} 项，序时开工率 {pct(t.due_start_rate)}"
            f"（提前开工 {t.early_starts} 项，未按计划开工 {t.overdue_starts} 项）"
        ),
        Text(f"竣工：计划年内竣工 {t.finish_planned} 项，已竣工 {t.finished} 项"),
        Text.assemble(
            "预警：", ("红灯", "bold red"), f" {t.red} 个，", ("黄灯", "bold yellow"), f" {t.yellow} 个，",
            ("绿灯", "green"), f" {t.green} 个；本月未报 {t.unreported} 个，形象进度停滞 {t.stalled} 个",
        ),
    ]
    return Group(*(Prose(line) for line in lines))


def group_table(mf: MonthFigures, key: str) -> Grid:
    """The ranked (units, leaders) or ordered group table with a 合计 row."""
    m = mf.month_number
    ranked = key in RANKED_GROUPS
    columns = [
        *([Col("排名", justify="right")] if ranked else []),
        Col(GROUP_LABELS[key], kind="name", min_width=8),
        Col("项目", justify="right"),
        Col("年度计划\n(万元)", justify="right"),
        Col(f"1-{m}月完成\n(万元)", justify="right"),
        Col("完成率", justify="right"),
        Col("比时间\n进度", justify="right", drop=2),
        Col("新开工\n已开/计划", justify="right", short="新开工"),
        Col("开工率", justify="right", drop=1),
        Col("红/黄/绿", justify="right", short="红黄绿"),
    ]
    table = Grid(columns, title=f"按{GROUP_LABELS[key]}" + ("排名" if ranked else ""))
    for g in ranked_groups(mf, key):
        table.add_row(*([str(g.rank)] if ranked else []), *_group_cells(g))
    table.add_section()
    table.add_row(*([""] if ranked else []), *_group_cells(mf.totals), style="bold")
    return table


def _group_cells(g: GroupFigures) -> list[str | Text]:
    return [
        Text(g.name),
        str(g.projects),
        money(g.annual_plan),
        money(g.completed),
        pct(g.completion_rate),
        points(g.gap),
        f"{g.started}/{g.new_starts}",
        pct(g.start_rate),
        f"{g.red}/{g.yellow}/{g.green}",
    ]


def lagging_table(mf: MonthFigures) -> RenderableType:
    """Red, then yellow projects with unit, leader and reason."""
    rows = lagging(mf)
    if not rows:
        return Text("没有红灯、黄灯项目。", style="green")
    table = Grid([
        Col("预警"),
        Col("编号", drop=2),  # at 80 columns the leader stays and the id goes (`show` takes the name)
        Col("项目名称", kind="name", min_width=12),
        Col("责任单位", kind="name", min_width=8, short="单位", weight=0.6),
        Col("包抓领导", kind="name", min_width=6, short="领导", drop=1, weight=0.5),
        Col("完成率", justify="right"),
        Col("原因", kind="wrap", min_width=14, weight=1.5, want=26),
    ], title="滞后项目（红灯在前，按差距从大到小）")
    # Ledger text goes in as str: the Grid draws a str cell as literal Text (never markup), and a province's
    # fifteen thousand lagging rows then hold the projects' own strings instead of a Text object per cell.
    for f in rows:
        p = f.project
        table.add_row(light_cell(f.light), p.id, p.name, p.unit, p.leader or DASH,
                      pct(f.completion_rate), "；".join(f.reasons))
    return table


def _named(label: str, figures: list[ProjectFigures]) -> Prose:
    names = "、".join(f"{f.project.name}（{f.project.unit}）" for f in figures)
    return Prose(Text(f"{label}：") + Text(names))


def attention_lists(mf: MonthFigures) -> RenderableType:
    """Unreported and stalled projects, named so someone can be phoned."""
    parts: list[RenderableType] = []
    unreported = [f for f in mf.projects if f.owes_report]
    stalled = [f for f in mf.projects if f.stalled]
    if unreported:
        parts.append(_named(f"本月未报（{len(unreported)} 个）", unreported))
    if stalled:
        parts.append(_named(f"形象进度停滞（投资和形象进度与上月相同，{len(stalled)} 个）", stalled))
    return Group(*parts)


def dashboard(mf: MonthFigures, by: str = "unit") -> RenderableType:
    """The whole `status` table view."""
    return Group(*dashboard_parts(mf, by))


def dashboard_parts(mf: MonthFigures, by: str = "unit") -> Iterator[RenderableType]:
    """The `status` table view in the pieces it is printed in, each made when it is reached.

    Printed one by one (a long table in batches, `Grid.batches`), a province's dashboard holds one piece
    in memory at a time, not all of them.
    """
    yield headline(mf)
    yield Text("")
    yield group_table(mf, by)
    yield Text("")
    yield lagging_table(mf)
    yield Text("")
    yield attention_lists(mf)


# --- show ---------------------------------------------------------------------------------------------

BAR_WIDTH = 20


def _bar(value: Decimal, scale: Decimal, plan: Decimal) -> str:
    """Cumulative completed as a bar, with `│` where the project's plan to date stands (`┃` inside the bar)."""
    if scale <= 0:
        return ""
    n = int(value / scale * BAR_WIDTH)
    at = min(BAR_WIDTH, int(plan / scale * BAR_WIDTH))
    cells = ["█"] * n + [" "] * max(0, at + 1 - n)
    cells[at] = "┃" if at < n else "│"
    return "".join(cells).rstrip()


def trend_table(mf: MonthFigures, f: ProjectFigures) -> RenderableType:
    """Completed per month against the project's own plan to date (`metrics.trend`), as bars with a plan mark."""
    points = trend(mf, f)
    scale = max([f.annual_plan, *(t.report.completed for t in points if t.report)])
    table = Grid([
        Col("月份"),
        Col("累计完成", justify="right"),
        Col("序时计划", justify="right"),
        Col("完成率", justify="right"),
        Col("", drop=1),
        Col("形象进度", kind="wrap", min_width=12),
    ], title="月度趋势（累计完成 vs 序时计划，万元）")
    for t in points:
        r = t.report
        if r is None:
            table.add_row(t.month, "未报", money(t.target), DASH, "", "")
            continue
        style = "yellow" if r.completed < t.target else "green"
        table.add_row(t.month, money(r.completed), money(t.target), pct(t.completion_rate),
                      Text(_bar(r.completed, scale, t.target), style=style), Text(r.image or ""))
    return table


def project_facts(mf: MonthFigures, f: ProjectFigures) -> RenderableType:
    """The ledger facts of one project and its light with the reasons."""
    p, inv, m = f.project, f.project.investment, mf.month_number
    grid = Grid([Col("", kind="fixed"), Col("", kind="wrap", min_width=20)], header=False, gap=2)
    rows: list[tuple[str, Text]] = [
        ("项目", Text(p.name) + Text(f"（{p.id}）")),
        ("类别/级别/类型", Text(f"{p.category}｜{p.level}｜{p.kind}")),
        ("责任单位", Text(p.unit)),
        ("包抓领导", Text(p.leader or DASH)),
        ("建设单位", Text(p.owner or DASH)),
        ("建设内容", Text(p.content or DASH)),
        ("总投资", Text(f"{money(inv.total)} 万元")),
        ("年度计划投资", Text(f"{money(inv.annual_plan)} 万元" + ("（分月计划）" if inv.monthly_plan is not None else ""))),
        (f"1-{m}月计划", Text(f"{money(f.plan_to_date)} 万元（序时进度 {pct(f.expected_rate)}）")),
        (f"1-{m}月完成", Text(f"{money(f.completed)} 万元（完成率 {pct(f.completion_rate)}，"
                             f"{compare(f.gap, '序时计划')}，完成序时计划的 {pct(f.achieved)}）")),
        ("开工以来累计", Text(f"{money(f.cumulative)} 万元")),
        ("计划开工/竣工", Text(f"{p.planned.start or DASH} / {p.planned.finish or DASH}")),
        ("实际开工/竣工", Text(f"{p.actual.start or DASH} / {p.actual.finish or DASH}")),
        ("本月填报", Text("已报" if f.reported else f"未报（{'已竣工，' if f.finished else ''}数据沿用上次填报）")),
    ]
    for label, value in rows:
        grid.add_row(Text(label, style="bold"), value)
    reason = "；".join(f.reasons) if f.reasons else "进度正常"
    grid.add_row(Text("预警", style="bold"), Text.assemble(light_cell(f.light), "  ", reason))
    if f.stalled:
        grid.add_row("", Text("投资和形象进度与上次填报相同（停滞）", style="yellow"))
    return grid


def problems_table(mf: MonthFigures, f: ProjectFigures) -> RenderableType:
    """Open problems of the project (from its latest report), overdue ones marked."""
    problems = f.open_problems
    if not problems:
        return Text("没有未解决的问题。")
    table = Grid([
        Col("类型", kind="name", min_width=4),
        Col("问题", kind="wrap", min_width=16),
        Col("责任单位", kind="name", min_width=8),
        Col("时限"),
        Col("状态"),
    ], title="存在问题（未解决）")
    for q in problems:
        overdue = days_overdue(q, mf.as_of) is not None
        state = Text("已逾期", style="bold red") if overdue else Text("推进中")
        table.add_row(Text(q.type), Text(q.text), Text(q.owner or DASH), str(q.due or DASH), state)
    return table


def project_page(mf: MonthFigures, f: ProjectFigures, extra: list[RenderableType] | None = None) -> RenderableType:
    """The whole `show ID` view; `extra` holds the 倒排 timeline when there is one."""
    parts: list[RenderableType] = [project_facts(mf, f), Text(""), trend_table(mf, f), Text(""),
                                   problems_table(mf, f)]
    for item in extra or []:
        parts.extend([Text(""), item])
    return Group(*parts)
