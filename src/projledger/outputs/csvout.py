"""`status --format csv` and `rollup --format csv`: tables for people in Excel (Chinese headers, UTF-8 with BOM)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from fractions import Fraction
from typing import Any

from projledger.figures.fmt import pct, percent_number, round_money
from projledger.figures.metrics import GROUP_LABELS, GroupFigures, MonthFigures, ProjectFigures, group_value
from projledger.figures.ranking import RANKED_GROUPS, ranked_groups
from projledger.figures.rollup import Rollup

BOM = "\ufeff"


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        # A spreadsheet must never run a project name as a formula.
        return "'" + value
    return value


LIGHT_WORDS = {"red": "红", "yellow": "黄", "green": "绿"}


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _money(value: Decimal | Fraction) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return round_money(value)


def _percent(rate: Fraction | None) -> str:
    """`74.3%`: Excel reads it as the number 0.743 shown as a percentage."""
    return "" if rate is None else pct(rate)


def _points(gap: Fraction | None) -> Decimal | str:
    """Percentage points as a number (`-9.1`), so that Excel can sort and sum it."""
    return "" if gap is None else percent_number(gap)


def status_header(mf: MonthFigures, by: str) -> list[str]:
    """The Chinese column names of `status --format csv`."""
    m = mf.month_number
    return [f"分组（{GROUP_LABELS[by]}）", *(["排名"] if by in RANKED_GROUPS else []), "项目编号", "项目名称", "责任单位", "类别",
            "级别", "类型", "包抓领导", "总投资（万元）", "年度计划投资（万元）", f"1-{m}月计划投资（万元）",
            f"1-{m}月完成投资（万元）", "开工以来累计完成（万元）", "投资完成率", "比时间进度（百分点）", "序时进度",
            "比序时进度（百分点）", "完成序时计划", "预警", "预警原因", "本月已报", "已开工", "已竣工", "逾期未开工天数",
            "形象进度停滞"]


def _group_row(g: GroupFigures, label: str, by: str, rank: str) -> list[Any]:
    return [label, *([rank] if by in RANKED_GROUPS else []), "", f"{g.name}（{g.projects}个项目）", "", "", "", "",
            "", _money(g.total), _money(g.annual_plan), _money(g.plan_to_date), _money(g.completed), "",
            _percent(g.completion_rate), _points(g.gap), "", "", _percent(g.plan_rate),
            # Counts as words: Excel would read a bare `4/4` as the date 4月4日.
            f"红{g.red} 黄{g.yellow} 绿{g.green}", "", f"{g.projects - g.unreported}个（共{g.projects}个）",
            f"{g.started}个（新开工{g.new_starts}个）", f"{g.finished}个（计划年内竣工{g.finish_planned}个）", "",
            f"{g.stalled}个"]


def _project_row(f: ProjectFigures, group: str, by: str) -> list[Any]:
    p = f.project
    return [group, *([""] if by in RANKED_GROUPS else []), p.id, p.name, p.unit, p.category, p.level, p.kind,
            p.leader or "", _money(p.investment.total), _money(p.investment.annual_plan), _money(f.plan_to_date),
            _money(f.completed), _money(f.cumulative), _percent(f.completion_rate), "", _percent(f.expected_rate),
            _points(f.gap), _percent(f.achieved), LIGHT_WORDS[f.light], "；".join(f.reasons), _yes(f.reported),
            _yes(f.started), _yes(f.finished), f.days_late if f.overdue_start else "", _yes(f.stalled)]


def status_csv(mf: MonthFigures, by: str = "unit") -> str:
    """`status --format csv` for people opening it in Excel (UTF-8 with BOM).

    Chinese headers, rates as `74.3%`, lights as 红/黄/绿, yes/no as 是/否. The 合计 row comes first, then
    each group of `by` (ranked for units and leaders) as a 小计 row followed by its projects. A group row
    compares with 时间进度 (SPEC 2's group gap), a project row with its own 序时进度. The machine contract
    is `--format json`, not this.
    """
    members: dict[str, list[ProjectFigures]] = {}
    for f in mf.projects:
        members.setdefault(group_value(f.project, by), []).append(f)
    rows: list[list[Any]] = [status_header(mf, by), _group_row(mf.totals, "合计", by, "")]
    for g in ranked_groups(mf, by):
        rows.append(_group_row(g, f"{g.name}小计", by, str(g.rank or "")))
        rows.extend(_project_row(f, g.name, by) for f in members.get(g.name, []))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(rows[0])
    writer.writerows([[_cell(v) for v in row] for row in rows[1:]])
    return BOM + buffer.getvalue()


def rollup_csv(r: Rollup) -> str:
    """`rollup --format csv`: members in rank order, then the peers, with Chinese headers (BOM for Excel)."""
    m = r.month_number
    header = ["类型", "排名", "较上月", "组别", "组内排名", "县区", "路径", "月份", "项目数", "年度计划投资（万元）",
              f"1-{m}月计划投资（万元）", f"1-{m}月完成投资（万元）", "投资完成率（%）", "时间进度（%）",
              "比时间进度（百分点）", f"完成1-{m}月计划（%）", "计划新开工", "已开工", "开工率（%）", "序时开工率（%）",
              "亿元以上新开工", "红灯", "黄灯", "绿灯", "来源"]
    rows: list[list[Any]] = []
    tp = percent_number(r.time_progress)
    for x in r.members:
        rows.append(["成员", x.rank, x.rank_change, x.group, x.group_rank, x.district, x.member.path, r.month,
                     *_group_cells(x.totals, tp, x.big_new_starts), None])
    rows.append(["合计", None, None, None, None, "合计", None, r.month, *_group_cells(r.totals, tp, r.big_new_starts),
                 None])
    for p in r.peers:
        rows.append(["对标", None, None, p.group, None, p.name, None, p.month, None, None, None, None,
                     _pct(_fraction(p.completion_rate)), None, None, None, p.new_starts, None,
                     _pct(_fraction(p.start_rate)), None, p.big_new_starts, None, None, None, p.source])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return BOM + buffer.getvalue()


def _group_cells(g: GroupFigures, tp: Decimal, big: int) -> list[Any]:
    plan_to_date = round_money(Decimal(g.plan_to_date.numerator) / Decimal(g.plan_to_date.denominator))
    return [g.projects, round_money(g.annual_plan), plan_to_date, round_money(g.completed), _pct(g.completion_rate),
            tp, _pct(g.gap), _pct(g.plan_rate), g.new_starts, g.started, _pct(g.start_rate), _pct(g.due_start_rate),
            big, g.red, g.yellow, g.green]


def _fraction(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def _pct(rate: Fraction | None) -> Decimal | None:
    """A rate in percent rounded as every display rounds it; empty when it does not exist."""
    return None if rate is None else percent_number(rate)
