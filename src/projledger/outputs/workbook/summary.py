"""汇总 and 包抓领导: the two summary sheets of the dispatch workbook, and the 汇总 chart.

汇总 holds the units in rank order under the 合计 row, the same figures by 级别 on the same column grid,
and a chart of the units' completion rates against time progress. The chart reads its numbers from a
hidden sheet (`CHART_SHEET`), so nothing that is only chart plumbing prints. Bars at or above time
progress and bars below it have different colours (different greys on a black-and-white printer); each
bar's label sits where the dashed time-progress line cannot strike through it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.label import DataLabel, DataLabelList
from openpyxl.workbook.workbook import Workbook

from projledger.figures.fmt import percent_number
from projledger.figures.metrics import GroupFigures, MonthFigures, ProjectFigures, group_value

from .layout import Column, Look
from .style import LIGHT_MARK, POINTS_PER_UNIT
from .table import TableSheet
from .values import SHEETS, money_value, plan_value, points_value, rate_text, rate_value, subtitle, title

CHART_SHEET = "图表数据"
ABOVE_COLOUR = "2F5597"  # dark blue: prints dark grey
BELOW_COLOUR = "F4B183"  # light orange: prints light grey
LINE_COLOUR = "C00000"
CHART_ROW_HEIGHT = 20.0
CHART_ROWS = 12
CHART_FRAME = 90.0  # points of a chart's height outside its plot area (title, axis labels, legend)
LABEL_HEIGHT = 18.0  # points a data label takes above a bar, with its gap and a margin


def summary_columns(m: int) -> list[Column]:
    """The column grid of 汇总 (units, then levels)."""
    return [
        Column("责任单位", "text", max_width=20), Column("项目数", "int"),
        Column("计划\n新开工", "int"), Column("已开工", "int"), Column("开工率", "rate"),
        Column("年度计划\n投资", "money"), Column(f"1-{m}月\n计划投资", "money"), Column(f"1-{m}月\n完成", "money"),
        Column("投资\n完成率", "rate"), Column("完成序时\n计划", "rate"), Column("与时间\n进度差\n（百分点）", "points"),
        Column("年内计划\n竣工", "int"), Column("已竣工", "int"),
        Column(LIGHT_MARK["red"], "int", min_width=7), Column(LIGHT_MARK["yellow"], "int", min_width=7),
        Column(LIGHT_MARK["green"], "int", min_width=7), Column("排名", "int"),
    ]


SUMMARY_GROUPS = [("开工情况", 3, 5), ("投资完成情况（万元）", 6, 11), ("竣工情况", 12, 13), ("预警", 14, 16)]


def _summary_row(g: GroupFigures, rank: int | None) -> list[object]:
    return [g.name, g.projects, g.new_starts, g.started, rate_value(g.start_rate), money_value(g.annual_plan),
            plan_value(g.plan_to_date), money_value(g.completed), rate_value(g.completion_rate),
            rate_value(g.plan_rate), points_value(g.gap), g.finish_planned, g.finished, g.red, g.yellow, g.green,
            rank]


def summary_sheet(wb: Workbook, mf: MonthFigures, look: Look) -> TableSheet:
    """Units in rank order under 合计, the same by 级别, and the chart."""
    m = mf.month_number
    columns = summary_columns(m)
    t = TableSheet(wb.create_sheet(SHEETS[0]), columns, look)
    t.title(title(mf, "重点项目建设进展情况汇总表"), subtitle(mf))
    t.header(SUMMARY_GROUPS)
    t.add(_summary_row(mf.totals, None), bold=True, fill="total")
    for g in mf.units:
        t.add(_summary_row(g, g.rank))
    t.caption("分级别完成情况")
    t.header(SUMMARY_GROUPS, labels=["级别", *[c.header for c in columns[1:-1]], ""])
    t.add(_summary_row(mf.totals, None), bold=True, fill="total")
    for g in mf.groups["level"]:
        t.add(_summary_row(g, None))
    t.gap()
    first = t.reserve(CHART_ROWS, CHART_ROW_HEIGHT)
    t.finish(freeze_col=2, repeat_header=False)
    _chart(wb, t, mf, first, CHART_ROWS * CHART_ROW_HEIGHT)
    return t


# --- the chart -----------------------------------------------------------------------------------------

def _chart(wb: Workbook, t: TableSheet, mf: MonthFigures, row: int, height_pt: float) -> None:
    """Bars of the units' completion rates, split at time progress into two colours, and its line."""
    data = wb.create_sheet(CHART_SHEET)
    data.sheet_state = "hidden"
    data.append(["责任单位", "达到时间进度", "低于时间进度", "时间进度"])
    tp = percent_number(mf.time_progress) / 100  # rounded as the table shows it
    units = [g for g in mf.units if g.completion_rate is not None]
    rates = [percent_number(g.completion_rate) / 100 for g in units if g.completion_rate is not None]
    for g, rate in zip(units, rates, strict=True):
        data.append([g.name, rate if rate >= tp else None, rate if rate < tp else None, tp])
    for r in range(2, len(units) + 2):
        for c in (2, 3, 4):
            data.cell(r, c).number_format = "0.0%"
    n = max(len(units), 1)
    top = math.ceil((float(max([*rates, tp])) + 0.1) * 10) / 10

    bar = BarChart()
    bar.type = "col"
    bar.grouping = "clustered"
    bar.overlap = 100  # the two series share each unit's slot: one of them is empty
    bar.gapWidth = 80
    bar.title = f"各责任单位投资完成率（时间进度 {rate_text(mf.time_progress)}）"
    bar.y_axis.number_format = "0%"
    bar.y_axis.scaling.min = 0
    bar.y_axis.scaling.max = top
    bar.y_axis.majorUnit = 0.2 if top > 0.6 else 0.1
    bar.y_axis.majorGridlines = None
    bar.x_axis.delete = False
    bar.y_axis.delete = False
    bar.add_data(Reference(data, min_col=2, max_col=3, min_row=1, max_row=n + 1), titles_from_data=True)
    bar.set_categories(Reference(data, min_col=1, min_row=2, max_row=n + 1))
    for series, colour, values in ((bar.series[0], ABOVE_COLOUR, [r if r >= tp else None for r in rates]),
                                   (bar.series[1], BELOW_COLOUR, [r if r < tp else None for r in rates])):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
        series.dLbls = _labels(values, tp, top * LABEL_HEIGHT / (height_pt - CHART_FRAME))
    line = LineChart()
    line.add_data(Reference(data, min_col=4, min_row=1, max_row=n + 1), titles_from_data=True)
    style = line.series[0].graphicalProperties.line
    style.solidFill = LINE_COLOUR
    style.width = 28575  # 2.25 pt
    style.dashStyle = "dash"  # a dashed line stays a line, not a bar edge, in black and white
    line.series[0].smooth = False
    line.series[0].marker.symbol = "none"
    bar += line
    bar.legend.position = "b"
    bar.height = height_pt / 72 * 2.54
    bar.width = sum(t.widths) * POINTS_PER_UNIT / 72 * 2.54
    t.ws.add_chart(bar, f"A{row}")


def _labels(values: Sequence[Decimal | None], tp: Decimal, room: float) -> DataLabelList:
    """Value labels above a bar, or inside its top when the time-progress line runs just above it.

    `room` is the height of a label in the units of the value axis.
    """
    labels = DataLabelList()
    labels.showVal = True
    labels.numFmt = "0.0%"
    for hidden in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(labels, hidden, False)
    points = []
    for i, v in enumerate(values):
        if v is None:
            continue
        clear_below = v < tp and float(tp - v) < room
        points.append(DataLabel(idx=i, dLblPos="inEnd" if clear_below else "outEnd", showVal=True,
                                numFmt="0.0%", showSerName=False, showCatName=False, showLegendKey=False,
                                showPercent=False))
    labels.dLbl = points
    labels.dLblPos = "outEnd"
    return labels


# --- 包抓领导 ----------------------------------------------------------------------------------------------

def leader_sheet(wb: Workbook, mf: MonthFigures, look: Look) -> TableSheet:
    """Each 包抓领导's projects: money, starts, lights, and the names of the red and yellow ones."""
    m = mf.month_number
    columns = [
        Column("包抓领导", "text", max_width=12), Column("包抓\n项目数", "int"),
        Column("年度计划\n投资", "money"), Column(f"1-{m}月\n计划投资", "money"), Column(f"1-{m}月\n完成", "money"),
        Column("投资\n完成率", "rate"), Column("完成序时\n计划", "rate"), Column("与时间\n进度差\n（百分点）", "points"),
        Column("计划\n新开工", "int"), Column("已开工", "int"),
        Column(LIGHT_MARK["red"], "int", min_width=7), Column(LIGHT_MARK["yellow"], "int", min_width=7),
        Column(LIGHT_MARK["green"], "int", min_width=7),
        Column("红灯、黄灯项目（责任单位）", "wrap", min_width=30, max_width=44),
    ]
    t = TableSheet(wb.create_sheet(SHEETS[1]), columns, look)
    t.title(title(mf, "重点项目包抓领导分项情况表"), subtitle(mf))
    t.header([("投资完成情况（万元）", 3, 8), ("开工情况", 9, 10), ("预警", 11, 13)])
    by_leader: dict[str, list[ProjectFigures]] = {}
    for f in mf.projects:
        if f.light != "green":
            by_leader.setdefault(group_value(f.project, "leader"), []).append(f)
    t.add(_leader_row(mf.totals, []), bold=True, fill="total")
    for g in mf.groups["leader"]:
        t.add(_leader_row(g, by_leader.get(g.name, [])))
    t.finish(freeze_col=2)
    return t


def _leader_row(g: GroupFigures, lagging: list[ProjectFigures]) -> list[object]:
    names = "\n".join(f"{LIGHT_MARK[f.light][0]}{f.project.name}（{f.project.unit}）"
                      for f in sorted(lagging, key=lambda f: f.light != "red"))
    return [g.name, g.projects, money_value(g.annual_plan), plan_value(g.plan_to_date), money_value(g.completed),
            rate_value(g.completion_rate), rate_value(g.plan_rate), points_value(g.gap), g.new_starts, g.started,
            g.red, g.yellow, g.green, names or None]

