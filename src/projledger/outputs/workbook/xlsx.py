"""The dispatch workbook (调度表) for the meeting packet: print-ready sheets from computed figures.

Every figure comes from `metrics.compute` (and `schedule.build_schedule` for 倒排): this module only
lays them out. Sheets: 汇总 and 包抓领导 (`summary.py`), 调度表, 滞后项目, 问题清单, 倒排工期, and a hidden
sheet with the chart's numbers. Each prints one page wide on A3 (or A4 with fewer 调度表 columns) with
body text at 8 pt or more, and ends with the 制表 sign-off line. Warnings go back to the caller for the
terminal; nothing but what a leader reads goes into a sheet. Text from the ledger goes through
`cells.put`, so it is never taken as a formula. The file is written atomically and reproducibly: the
same ledger and month give the same bytes.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO

from openpyxl.workbook.workbook import Workbook

from projledger.figures.metrics import GroupFigures, MonthFigures, ProjectFigures, days_overdue, lagging
from projledger.figures.schedule import ScheduleReport
from projledger.ledger.errors import WriteRefusedError, write_reason
from projledger.ledger.fsio import atomic_write
from projledger.ledger.models import Packet

from .layout import Column, Look, SignOff
from .style import LIGHT_FILL, LIGHT_MARK, PAPERS, Styles
from .summary import CHART_SHEET, leader_sheet, summary_sheet
from .table import TableSheet, save_tables
from .values import SHEETS, cn_number, money_value, plan_value, points_value, rate_value, subtitle, title

STEP_LABEL = {"overdue": "已逾期", "due_soon": "即将到期", "done": "已办结", "done_late": "逾期办结",
              "pending": "未到期"}
ANCHOR_LABEL = {"start": "计划开工", "finish": "计划竣工"}
ID_COLUMN = Column("项目编号", "text", max_width=16, printed=False)

__all__ = ["SHEETS", "build_workbook", "cn_number", "default_name", "write_workbook"]


def default_name(mf: MonthFigures) -> str:
    """`示例区2026年9月重点项目调度表.xlsx`."""
    return f"{mf.settings.district}{mf.settings.year}年{mf.month_number}月重点项目调度表.xlsx"


def sign_off(packet: Packet) -> SignOff:
    """The sign-off line from `packet:` in projledger.yaml (blank lines for what it does not say)."""
    return SignOff(packet.office, packet.preparer, packet.reviewer)


def _unit_order(mf: MonthFigures) -> Callable[[ProjectFigures], int]:
    index = {u: i for i, u in enumerate(mf.settings.units)}
    return lambda f: index.get(f.project.unit, len(index))


# --- 调度表 ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """A column of 调度表: its header and how a project row and a subtotal row fill it."""

    column: Column
    project: Callable[[ProjectFigures], object]
    group: Callable[[GroupFigures], object] = lambda g: None


def _problems(f: ProjectFigures) -> str | None:
    """Open problems, one a line (numbered when several), then what the unit asks others to solve."""
    problems = f.open_problems
    if len(problems) == 1:
        lines = [f"{problems[0].type}：{problems[0].text}"]
    else:
        lines = [f"{i}.{q.type}：{q.text}" for i, q in enumerate(problems, start=1)]
    if f.latest is not None and f.latest.coordination:
        lines.append(f"需协调：{f.latest.coordination}")
    return "\n".join(lines) or None


def _remarks(f: ProjectFigures) -> str | None:
    notes = list(f.reasons)
    if f.finished:
        notes.append("已竣工")
    if f.early_start:
        notes.append("提前开工")
    if f.stalled:
        notes.append("本月进度停滞")
    return "；".join(notes) or None


def _light_counts(g: GroupFigures) -> str:
    return f"●{g.red} ▲{g.yellow} ○{g.green}"


def dispatch_fields(m: int) -> dict[str, Field]:
    """Every column 调度表 can have, by key."""
    return {
        "no": Field(Column("序号", "center", min_width=5), lambda f: None),
        "name": Field(Column("项目名称", "wrap", max_width=19), lambda f: f.project.name),
        "owner": Field(Column("建设单位", "wrap", max_width=15), lambda f: f.project.owner),
        "unit": Field(Column("责任单位", "wrap", max_width=17), lambda f: f.project.unit),
        "leader": Field(Column("包抓\n领导", "text", max_width=8), lambda f: f.project.leader),
        "content": Field(Column("建设内容", "wrap", max_width=19), lambda f: f.project.content),
        "total": Field(Column("总投资", "money"), lambda f: money_value(f.project.investment.total),
                       lambda g: money_value(g.total)),
        "before_year": Field(Column("至上年底\n累计完成", "money"),
                             lambda f: money_value(f.project.investment.before_year),
                             lambda g: money_value(g.before_year)),
        "annual_plan": Field(Column("年度计划\n投资", "money"), lambda f: money_value(f.annual_plan),
                             lambda g: money_value(g.annual_plan)),
        "plan_to_date": Field(Column(f"1-{m}月\n计划投资", "money"), lambda f: plan_value(f.plan_to_date),
                              lambda g: plan_value(g.plan_to_date)),
        "completed": Field(Column(f"1-{m}月\n完成", "money"), lambda f: money_value(f.completed),
                           lambda g: money_value(g.completed)),
        "month_completed": Field(Column("本月\n完成", "money"), lambda f: money_value(f.month_completed),
                                 lambda g: money_value(g.month_completed)),
        "rate": Field(Column("完成年度\n计划", "rate"), lambda f: rate_value(f.completion_rate),
                      lambda g: rate_value(g.completion_rate)),
        "achieved": Field(Column("完成序时\n计划", "rate"), lambda f: rate_value(f.achieved),
                          lambda g: rate_value(g.plan_rate)),
        "planned_start": Field(Column("计划\n开工", "month"), lambda f: f.project.planned.start),
        "planned_finish": Field(Column("计划\n竣工", "month"), lambda f: f.project.planned.finish),
        "image": Field(Column("形象进度", "wrap", max_width=20), lambda f: f.latest.image if f.latest else None),
        "problems": Field(Column("存在问题及\n需协调解决事项", "wrap", max_width=24), _problems),
        "next_plan": Field(Column("下步计划", "wrap", max_width=16),
                           lambda f: f.latest.next_plan if f.latest else None),
        "light": Field(Column("预警", "center", min_width=7), lambda f: LIGHT_MARK[f.light]),
        "remarks": Field(Column("备注", "wrap", max_width=15.5), _remarks),
        "id": Field(ID_COLUMN, lambda f: f.project.id),
    }


# Columns by paper: A3 carries the whole row a real 调度表 carries; A4 what a leader reads first.
DISPATCH_COLUMNS = {
    "A3": ("no", "name", "owner", "unit", "leader", "content", "total", "before_year", "annual_plan",
           "plan_to_date", "completed", "month_completed", "rate", "achieved", "planned_start", "planned_finish",
           "image", "problems", "next_plan", "light", "remarks", "id"),
    "A4": ("no", "name", "unit", "leader", "annual_plan", "plan_to_date", "completed", "month_completed", "rate",
           "achieved", "planned_finish", "image", "problems", "light", "remarks", "id"),
}
MONEY_KEYS = ("total", "before_year", "annual_plan")


def dispatch_sheet(wb: Workbook, mf: MonthFigures, look: Look) -> TableSheet:
    """合计, then one group per category (ledger order) with its subtotal; projects in unit order."""
    every = dispatch_fields(mf.month_number)
    fields = [every[k] for k in DISPATCH_COLUMNS[look.paper.name]]
    span = next(i for i, fd in enumerate(fields) if fd.column.kind in ("money", "rate"))
    t = TableSheet(wb.create_sheet(SHEETS[2]), [fd.column for fd in fields], look)
    t.title(title(mf, "重点项目建设进展调度表"), subtitle(mf))
    t.header()

    def group_row(label: str, g: GroupFigures, *, glue: bool) -> None:
        values = [label, *[None] * (span - 1), *[fd.group(g) for fd in fields[span:]]]
        t.add(values, bold=True, fill="group", span=span, glue=glue)

    group_row(f"合计（{mf.totals.projects}个）　{_light_counts(mf.totals)}", mf.totals, glue=False)
    by_category: dict[str, list[ProjectFigures]] = {}
    for f in sorted(mf.projects, key=_unit_order(mf)):
        by_category.setdefault(f.project.category, []).append(f)
    groups = [g for g in mf.groups["category"] if by_category.get(g.name)]  # empty categories get no row
    n = 0
    for i, g in enumerate(groups, start=1):
        group_row(f"{cn_number(i)}、{g.name}（{g.projects}个）　{_light_counts(g)}", g, glue=True)
        for f in by_category[g.name]:
            n += 1
            t.add([n, *[fd.project(f) for fd in fields[1:]]], fill=LIGHT_FILL[f.light])
    t.finish(freeze_col=3)
    return t


# --- 滞后项目 --------------------------------------------------------------------------------------------

def lagging_sheet(wb: Workbook, mf: MonthFigures, look: Look) -> TableSheet:
    """Red then yellow projects (from `metrics.lagging`), with the reasons."""
    m = mf.month_number
    columns = [
        Column("序号", "center", min_width=5), Column("预警", "center", min_width=7),
        Column("项目名称", "wrap", max_width=22), Column("责任单位", "wrap", max_width=17),
        Column("包抓\n领导", "text", max_width=8),
        Column("年度计划\n投资", "money"), Column(f"1-{m}月\n计划投资", "money"), Column(f"1-{m}月\n完成", "money"),
        Column("完成年度\n计划", "rate"), Column("完成序时\n计划", "rate"),
        Column("与序时\n进度差\n（百分点）", "points"), Column("原因", "wrap", max_width=34),
        ID_COLUMN,
    ]
    t = TableSheet(wb.create_sheet(SHEETS[3]), columns, look)
    rows = lagging(mf)
    t.title(title(mf, "滞后项目清单"), f"红灯 {mf.totals.red} 个，黄灯 {mf.totals.yellow} 个　" + subtitle(mf))
    t.header()
    for n, f in enumerate(rows, start=1):
        p = f.project
        t.add([n, LIGHT_MARK[f.light], p.name, p.unit, p.leader, money_value(f.annual_plan),
               plan_value(f.plan_to_date), money_value(f.completed), rate_value(f.completion_rate),
               rate_value(f.achieved), points_value(f.gap), "；".join(f.reasons), p.id], fill=LIGHT_FILL[f.light])
    if not rows:
        t.note("没有红灯、黄灯项目。")
    t.finish(freeze_col=4)
    return t


# --- 问题清单 --------------------------------------------------------------------------------------------

def problems_sheet(wb: Workbook, mf: MonthFigures, look: Look) -> TableSheet:
    """Open problems of every project's latest report; overdue (due before as_of) ones first and in red."""
    columns = [
        Column("序号", "center", min_width=5), Column("项目名称", "wrap", max_width=22),
        Column("问题\n类型", "center", max_width=8), Column("存在问题", "wrap", max_width=44),
        Column("责任单位", "wrap", max_width=17), Column("包抓\n领导", "text", max_width=8),
        Column("解决时限", "date"), Column("是否\n逾期", "center", min_width=7), ID_COLUMN,
    ]
    t = TableSheet(wb.create_sheet(SHEETS[4]), columns, look)
    unit = _unit_order(mf)
    items = [(f, q, days_overdue(q, mf.as_of) is not None) for f in mf.projects for q in f.open_problems]
    items.sort(key=lambda item: (not item[2], item[1].due is None, item[1].due or date.max, unit(item[0])))
    overdue = sum(late for _, _, late in items)
    t.title(title(mf, "重点项目问题清单"), f"未解决问题 {len(items)} 个，其中已逾期 {overdue} 个")
    t.header()
    for n, (f, q, late) in enumerate(items, start=1):
        p = f.project
        t.add([n, p.name, q.type, q.text, q.owner or p.unit, p.leader, q.due, "已逾期" if late else "否", p.id],
              fill="red" if late else "none")
    if not items:
        t.note("没有未解决的问题。")
    t.finish(freeze_col=3)
    return t


# --- 倒排工期 --------------------------------------------------------------------------------------------

def schedule_sheet(wb: Workbook, mf: MonthFigures, report: ScheduleReport, look: Look) -> TableSheet:
    """Overdue and due-soon steps of every project's 倒排 chain with their latest dates.

    The report's warnings (a year without a holiday calendar, …) are for the terminal, not for print.
    """
    columns = [
        Column("序号", "center", min_width=5), Column("项目名称", "wrap", max_width=22),
        Column("责任单位", "wrap", max_width=17), Column("包抓\n领导", "text", max_width=8),
        Column("节点", "center", max_width=10), Column("节点日期", "date"), Column("手续/环节", "wrap", max_width=14),
        Column("工作日", "int", min_width=7), Column("最迟开始", "date"), Column("最迟完成", "date"),
        Column("状态", "center", max_width=9), Column("预计\n最早可达", "date"), Column("滞后\n工作日", "int"),
        ID_COLUMN,
    ]
    t = TableSheet(wb.create_sheet(SHEETS[5]), columns, look)
    index = {u: i for i, u in enumerate(mf.settings.units)}
    projects = sorted(report.projects, key=lambda ps: index.get(ps.project.unit, len(index)))
    rows = [(ps, s) for ps in projects for s in ps.steps if s.status in ("overdue", "due_soon")]
    late = sum(s.status == "overdue" for _, s in rows)
    t.title(title(mf, "重点项目前期手续倒排工期表"),
            f"已逾期 {late} 项，即将到期（10个工作日内应启动） {len(rows) - late} 项")
    t.header()
    for n, (ps, s) in enumerate(rows, start=1):
        p = ps.project
        t.add([n, p.name, p.unit, p.leader, ANCHOR_LABEL.get(ps.anchor, ps.anchor), ps.anchor_date, s.name,
               s.days, s.latest_start, s.latest_finish, STEP_LABEL.get(s.status, s.status), ps.earliest,
               ps.behind_workdays, p.id],
              fill="red" if s.status == "overdue" else "yellow")
    if not rows:
        t.note("没有已逾期或即将到期的前期手续。")
    t.finish(freeze_col=3)
    return t


# --- the workbook -----------------------------------------------------------------------------------------

def build_workbook(
    mf: MonthFigures, schedule: ScheduleReport, paper: str = "A3",
    extra: Sequence[Callable[[Workbook, Look], TableSheet]] = (),
) -> tuple[Workbook, list[TableSheet], list[str]]:
    """The dispatch workbook, its table sheets and the warnings of the cells that had to be changed to fit.

    The table sheets hold their cells themselves until the workbook is saved with `table.save_tables`.

    `extra` adds sheets after the six (e.g. `rollup_sheet.rollup_sheet`, 全市排名), laid out alike.
    """
    wb = Workbook()
    wb.remove(wb.active)
    look = Look(Styles(wb), PAPERS[paper], sign_off(mf.settings.packet))
    sheets = [summary_sheet(wb, mf, look), leader_sheet(wb, mf, look), dispatch_sheet(wb, mf, look),
              lagging_sheet(wb, mf, look), problems_sheet(wb, mf, look), schedule_sheet(wb, mf, schedule, look)]
    wb.move_sheet(CHART_SHEET, offset=len(wb.sheetnames))  # the hidden chart data after the tables
    sheets += [add(wb, look) for add in extra]
    wb.active = 0
    wb.properties.title = title(mf, "重点项目建设进展调度表")
    warnings = [w for sheet in sheets for w in sheet.warnings]
    return wb, sheets, list(dict.fromkeys(warnings))


def stamp(mf: MonthFigures) -> datetime:
    """The fixed time written into the file: the report date at 00:00, never the clock."""
    return datetime.combine(mf.as_of, time())


def write_workbook(
    path: Path, mf: MonthFigures, schedule: ScheduleReport, paper: str = "A3",
    extra: Sequence[Callable[[Workbook, Look], TableSheet]] = (),
) -> list[str]:
    """Write the dispatch workbook atomically to `path`; returns the cell warnings.

    Refuses (WriteRefusedError) when the workbook is open in Excel/WPS or the folder is not writable;
    the old file is then left as it was.
    """
    # A workbook of 20,000 projects is a million small lists and strings, all alive until it is saved:
    # the cyclic collector would walk them again and again as they pile up (a third of the time at
    # 5,000 projects, half at 20,000). Nothing here needs it; it runs again once the file is written.
    collecting = gc.isenabled()
    gc.disable()
    try:
        wb, sheets, warnings = build_workbook(mf, schedule, paper, extra)

        def write(handle: IO[bytes]) -> None:
            save_tables(wb, sheets, handle, stamp(mf))

        try:
            atomic_write(path, write, refuse_if_open=True)
        except IsADirectoryError:
            raise WriteRefusedError(f"{path} 是一个目录；请用 -o 指定 .xlsx 文件名") from None
        except OSError as exc:
            raise WriteRefusedError(f"无法写入 {path}：{write_reason(exc)}") from None
    finally:
        if collecting:
            gc.enable()
    return warnings
