"""The dispatch workbook (调度表) for the meeting packet: five print-ready sheets from computed figures.

Every figure comes from `metrics.compute` (and `schedule.build_schedule` for 倒排): this module only
lays them out. Numbers are stored as numbers rounded the way the terminal shows them (money to 2
decimals, rates to 0.1 %), so what Excel shows, sums and sorts is what `status` printed. Text from the
ledger goes through `cells.put`, so it is never taken as a formula. The file is written atomically and
reproducibly: the same ledger and month give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import IO

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.workbook.workbook import Workbook

from projledger.figures.fmt import DASH, percent_number, round_money
from projledger.figures.metrics import GroupFigures, MonthFigures, ProjectFigures, days_overdue, lagging
from projledger.figures.schedule import ScheduleReport
from projledger.ledger.errors import WriteRefusedError
from projledger.ledger.fsio import atomic_write

from .style import GROUP_FILL, LIGHT_FILLS, RED_FILL, YELLOW_FILL, Column, TableSheet, save_reproducibly

SHEETS = ("汇总", "调度表", "滞后项目", "问题清单", "倒排工期")
LIGHT_LABEL = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}
STEP_LABEL = {"overdue": "已逾期", "due_soon": "即将到期", "done": "已办结", "done_late": "逾期办结",
              "pending": "未到期"}
ANCHOR_LABEL = {"start": "计划开工", "finish": "计划竣工"}
CN_DIGITS = "零一二三四五六七八九"


# --- numbers as stored: rounded exactly as fmt shows them ------------------------------------------------

def money_value(value: Decimal) -> Decimal:
    """万元 rounded to 2 decimals (as `fmt.money` shows it)."""
    return round_money(value)


def rate_value(rate: Fraction | None) -> Decimal | str:
    """A rate as a fraction rounded to 0.1 % (as `fmt.pct` shows it), or "—" when it does not exist."""
    if rate is None:
        return DASH
    return percent_number(rate) / 100  # a fraction for Excel's 0.0% format, rounded as `fmt.pct` shows it


def points_value(gap: Fraction | None) -> Decimal | str:
    """A gap in percentage points rounded to 0.1 (as `fmt.points` shows it), or "—"."""
    if gap is None:
        return DASH
    return percent_number(gap)


def cn_number(n: int) -> str:
    """一, 二, … 十九, 二十 …: the numbering of category groups."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens] if tens < 10 else str(tens)
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def default_name(mf: MonthFigures) -> str:
    """`示例区2026年9月重点项目调度表.xlsx`."""
    return f"{mf.settings.district}{mf.settings.year}年{mf.month_number}月重点项目调度表.xlsx"


def _title(mf: MonthFigures, what: str) -> str:
    return f"{mf.settings.district}{mf.settings.year}年{what}（截至{mf.month_number}月底）"


def _subtitle(mf: MonthFigures, unit: bool = True) -> str:
    parts = [f"时间进度：{rate_text(mf.time_progress)}"]
    if unit:
        parts.append("单位：万元")
    return "　".join(parts)


def rate_text(rate: Fraction | None) -> str:
    """The percent text of a rate, from the same rounding as the stored number."""
    value = rate_value(rate)
    return value if isinstance(value, str) else f"{value * 100:.1f}%"


def _light_text(f: ProjectFigures) -> str:
    label = LIGHT_LABEL[f.light]
    return f"{label}：{'；'.join(f.reasons)}" if f.reasons else label


# --- 汇总 -----------------------------------------------------------------------------------------------

def summary_sheet(wb: Workbook, mf: MonthFigures) -> TableSheet:
    """Units in rank order with the 合计 row, and a bar chart of completion rates against time progress."""
    m = mf.month_number
    columns = [
        Column("责任单位", "text", 24), Column("项目数", "int"),
        Column("计划新开工", "int"), Column("已开工", "int"), Column("开工率", "rate"),
        Column("年度计划投资", "money"), Column(f"1-{m}月完成", "money"), Column("投资完成率", "rate"),
        Column("与时间进度差\n（百分点）", "points"),
        Column("红灯", "int"), Column("黄灯", "int"), Column("绿灯", "int"), Column("排名", "int"),
    ]
    t = TableSheet(wb.create_sheet(SHEETS[0]), columns)
    t.title(f"{mf.settings.district}{mf.settings.year}年重点项目建设进展情况汇总表（截至{m}月底）", _subtitle(mf))
    t.header([("开工情况", 3, 5), ("投资完成情况（万元）", 6, 9), ("预警", 10, 12)])
    first = t.row
    for g in mf.units:
        t.add(_summary_row(g, g.rank))
    t.add(_summary_row(mf.totals, None), bold=True, fill=GROUP_FILL)
    last = first + len(mf.units) - 1
    _summary_chart(t, mf, first, last)
    t.finish(freeze_col=2)
    return t


def _summary_row(g: GroupFigures, rank: int | None) -> list[object]:
    return [g.name, g.projects, g.new_starts, g.started, rate_value(g.start_rate), money_value(g.annual_plan),
            money_value(g.completed), rate_value(g.completion_rate), points_value(g.gap), g.red, g.yellow,
            g.green, rank]


def _summary_chart(t: TableSheet, mf: MonthFigures, first: int, last: int) -> None:
    """Bars of the units' completion rates (the table's cells) and a line at time progress.

    The line's values sit in a small helper range under the chart, labelled, so that every number the
    chart shows is a cell of the workbook.
    """
    ws = t.ws
    chart_row = t.row + 1
    helper = chart_row + 21
    t.put(helper, 1, "附：图表数据（时间进度参考线）")
    t.put(helper + 1, 1, "责任单位")
    t.put(helper + 1, 2, "时间进度")
    for i, g in enumerate(mf.units):
        t.put(helper + 2 + i, 1, g.name)
        cell = t.put(helper + 2 + i, 2, rate_value(mf.time_progress))
        cell.number_format = "0.0%"
    bar = BarChart()
    bar.type = "col"
    bar.title = f"各责任单位投资完成率（时间进度 {rate_text(mf.time_progress)}）"
    bar.y_axis.title = "投资完成率"
    bar.y_axis.number_format = "0%"
    bar.y_axis.scaling.min = 0
    bar.y_axis.majorGridlines = None
    bar.x_axis.delete = False
    bar.y_axis.delete = False
    # Series title from the header cell above the rates ("投资完成率"), categories from the unit names.
    bar.add_data(Reference(ws, min_col=8, min_row=first - 1, max_row=last), titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    bar.series[0].dLbls = DataLabelList()
    bar.series[0].dLbls.showVal = True
    bar.series[0].dLbls.numFmt = "0.0%"
    for hidden in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(bar.series[0].dLbls, hidden, False)
    bar.series[0].graphicalProperties.solidFill = "4472C4"
    line = LineChart()
    line.add_data(Reference(ws, min_col=2, min_row=helper + 1, max_row=helper + 1 + len(mf.units)),
                  titles_from_data=True)
    line.series[0].graphicalProperties.line.solidFill = "C00000"
    line.series[0].graphicalProperties.line.width = 28575  # 2.25 pt
    line.series[0].smooth = False
    bar += line
    bar.legend.position = "b"
    bar.height = 10
    bar.width = 28
    ws.add_chart(bar, f"A{chart_row}")


# --- 调度表 ---------------------------------------------------------------------------------------------

def dispatch_sheet(wb: Workbook, mf: MonthFigures) -> TableSheet:
    """One row per project grouped by category (ledger order) with subtotals, then 合计."""
    m = mf.month_number
    columns = [
        Column("序号", "center"), Column("项目编号", "text", 14), Column("项目名称", "wrap", 24),
        Column("建设内容", "wrap", 30), Column("责任单位", "wrap", 14), Column("包抓领导", "text", 10),
        Column("级别", "center", 8), Column("类型", "center", 6),
        Column("总投资\n（万元）", "money"), Column("年度计划投资\n（万元）", "money"),
        Column(f"1-{m}月完成\n（万元）", "money"), Column("完成率", "rate"),
        Column("开工以来累计\n（万元）", "money"),
        Column("计划开工", "date"), Column("实际开工", "date"),
        Column("形象进度", "wrap", 28), Column("存在问题", "wrap", 32), Column("预警", "wrap", 22),
    ]
    t = TableSheet(wb.create_sheet(SHEETS[1]), columns)
    t.title(_title(mf, "重点项目建设进展调度表"), _subtitle(mf))
    t.header()
    n = 0
    by_category: dict[str, list[ProjectFigures]] = {}
    for f in mf.projects:
        by_category.setdefault(f.project.category, []).append(f)
    groups = [g for g in mf.groups["category"] if by_category.get(g.name)]  # empty categories get no row
    for i, g in enumerate(groups, start=1):
        members = by_category[g.name]
        label = f"{cn_number(i)}、{g.name}（{g.projects}个）"
        t.add([label, *[None] * 7, *_money_cells(g), None, None, None, None, _light_counts(g)],
              bold=True, fill=GROUP_FILL, span=8)
        for f in members:
            n += 1
            t.add(_project_row(n, f), fill=LIGHT_FILLS.get(f.light))
    total = mf.totals
    t.add([f"合计（{total.projects}个）", *[None] * 7, *_money_cells(total), None, None, None, None,
           _light_counts(total)], bold=True, fill=GROUP_FILL, span=8)
    t.finish(freeze_col=4)
    return t


def _money_cells(g: GroupFigures) -> list[object]:
    return [money_value(g.total), money_value(g.annual_plan), money_value(g.completed),
            rate_value(g.completion_rate), None]


def _light_counts(g: GroupFigures) -> str:
    return f"红{g.red} 黄{g.yellow} 绿{g.green}"


def _project_row(n: int, f: ProjectFigures) -> list[object]:
    p = f.project
    problems = f.open_problems
    if len(problems) == 1:
        problem_text = f"{problems[0].type}：{problems[0].text}"
    else:
        problem_text = "\n".join(f"{i}.{q.type}：{q.text}" for i, q in enumerate(problems, start=1))
    return [
        n, p.id, p.name, p.content, p.unit, p.leader, p.level, p.kind,
        money_value(p.investment.total), money_value(f.annual_plan), money_value(f.completed),
        rate_value(f.completion_rate), money_value(f.cumulative),
        p.planned.start, p.actual.start if f.started else None,
        f.latest.image if f.latest else None, problem_text or None, _light_text(f),
    ]


# --- 滞后项目 --------------------------------------------------------------------------------------------

def lagging_sheet(wb: Workbook, mf: MonthFigures) -> TableSheet:
    """Red then yellow projects (from `metrics.lagging`), with the reasons."""
    m = mf.month_number
    columns = [
        Column("序号", "center"), Column("预警", "center", 6), Column("项目编号", "text", 14),
        Column("项目名称", "wrap", 28), Column("责任单位", "wrap", 16), Column("包抓领导", "text", 10),
        Column("年度计划投资\n（万元）", "money"), Column(f"1-{m}月完成\n（万元）", "money"),
        Column("完成率", "rate"), Column("与时间进度差\n（百分点）", "points"), Column("原因", "wrap", 40),
    ]
    t = TableSheet(wb.create_sheet(SHEETS[2]), columns)
    rows = lagging(mf)
    t.title(_title(mf, "滞后项目清单"),
            f"红灯 {mf.totals.red} 个，黄灯 {mf.totals.yellow} 个　" + _subtitle(mf))
    t.header()
    for n, f in enumerate(rows, start=1):
        p = f.project
        t.add([n, LIGHT_LABEL[f.light], p.id, p.name, p.unit, p.leader, money_value(f.annual_plan),
               money_value(f.completed), rate_value(f.completion_rate), points_value(f.gap),
               "；".join(f.reasons)], fill=LIGHT_FILLS.get(f.light))
    if not rows:
        t.note("没有红灯、黄灯项目。")
    t.finish(freeze_col=5)
    return t


# --- 问题清单 --------------------------------------------------------------------------------------------

def problems_sheet(wb: Workbook, mf: MonthFigures) -> TableSheet:
    """Open problems of every project's latest report; overdue (due before as_of) ones first and in red."""
    columns = [
        Column("序号", "center"), Column("项目编号", "text", 14), Column("项目名称", "wrap", 28),
        Column("问题类型", "center", 8), Column("存在问题", "wrap", 48), Column("责任单位", "wrap", 16),
        Column("包抓领导", "text", 10), Column("解决时限", "date"), Column("是否逾期", "center", 8),
    ]
    t = TableSheet(wb.create_sheet(SHEETS[3]), columns)
    items = [(f, q, days_overdue(q, mf.as_of) is not None) for f in mf.projects for q in f.open_problems]
    items.sort(key=lambda item: (not item[2], item[1].due is None, item[1].due or date.max))
    overdue = sum(late for _, _, late in items)
    t.title(_title(mf, "重点项目问题清单"), f"未解决问题 {len(items)} 个，其中已逾期 {overdue} 个")
    t.header()
    for n, (f, q, late) in enumerate(items, start=1):
        p = f.project
        t.add([n, p.id, p.name, q.type, q.text, q.owner or p.unit, p.leader, q.due, "已逾期" if late else "否"],
              fill=RED_FILL if late else None)
    if not items:
        t.note("没有未解决的问题。")
    t.finish(freeze_col=4)
    return t


# --- 倒排工期 --------------------------------------------------------------------------------------------

def schedule_sheet(wb: Workbook, mf: MonthFigures, report: ScheduleReport) -> TableSheet:
    """Overdue and due-soon steps of every project's 倒排 chain with their latest dates."""
    columns = [
        Column("序号", "center"), Column("项目编号", "text", 14), Column("项目名称", "wrap", 26),
        Column("责任单位", "wrap", 16), Column("包抓领导", "text", 10), Column("节点", "center", 8),
        Column("节点日期", "date"), Column("手续/环节", "wrap", 14), Column("工作日", "int"),
        Column("最迟开始", "date"), Column("最迟完成", "date"), Column("状态", "center", 8),
        Column("预计最早可达", "date"), Column("滞后工作日", "int"),
    ]
    t = TableSheet(wb.create_sheet(SHEETS[4]), columns)
    rows = [(ps, s) for ps in report.projects for s in ps.steps if s.status in ("overdue", "due_soon")]
    late = sum(s.status == "overdue" for _, s in rows)
    t.title(_title(mf, "重点项目前期手续倒排工期表"),
            f"已逾期 {late} 项，即将到期（10个工作日内应启动） {len(rows) - late} 项")
    t.header()
    for n, (ps, s) in enumerate(rows, start=1):
        p = ps.project
        t.add([n, p.id, p.name, p.unit, p.leader, ANCHOR_LABEL.get(ps.anchor, ps.anchor), ps.anchor_date,
               s.name, s.days, s.latest_start, s.latest_finish, STEP_LABEL.get(s.status, s.status),
               ps.earliest, ps.behind_workdays],
              fill=RED_FILL if s.status == "overdue" else YELLOW_FILL)
    if not rows:
        t.note("没有已逾期或即将到期的前期手续。")
    for w in report.warnings:
        t.note(f"说明：{w}")
    t.finish(freeze_col=4)
    return t


# --- the workbook -----------------------------------------------------------------------------------------

def build_workbook(
    mf: MonthFigures, schedule: ScheduleReport, extra: Sequence[Callable[[Workbook], TableSheet]] = ()
) -> tuple[Workbook, list[str]]:
    """The dispatch workbook and the warnings of the cells that had to be changed to fit.

    `extra` adds sheets after the five (e.g. `rollup_sheet.rollup_sheet`, 全市排名).
    """
    wb = Workbook()
    wb.remove(wb.active)
    sheets = [summary_sheet(wb, mf), dispatch_sheet(wb, mf), lagging_sheet(wb, mf), problems_sheet(wb, mf),
              schedule_sheet(wb, mf, schedule), *(add(wb) for add in extra)]
    wb.active = 0
    wb.properties.title = _title(mf, "重点项目建设进展调度表")
    warnings = [w for sheet in sheets for w in sheet.warnings]
    return wb, list(dict.fromkeys(warnings))


def stamp(mf: MonthFigures) -> datetime:
    """The fixed time written into the file: the report date at 00:00, never the clock."""
    return datetime.combine(mf.as_of, time())


def write_workbook(
    path: Path, mf: MonthFigures, schedule: ScheduleReport, extra: Sequence[Callable[[Workbook], TableSheet]] = ()
) -> list[str]:
    """Write the dispatch workbook atomically to `path`; returns the cell warnings.

    Refuses (WriteRefusedError) when the workbook is open in Excel/WPS or the folder is not writable;
    the old file is then left as it was.
    """
    wb, warnings = build_workbook(mf, schedule, extra)

    def write(handle: IO[bytes]) -> None:
        save_reproducibly(wb, handle, stamp(mf))

    try:
        atomic_write(path, write, refuse_if_open=True)
    except IsADirectoryError:
        raise WriteRefusedError(f"{path} 是一个目录；请用 -o 指定 .xlsx 文件名") from None
    except OSError as exc:
        raise WriteRefusedError(f"无法写入 {path}：{exc.strerror or exc}") from None
    return warnings

