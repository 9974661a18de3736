"""`status --format csv` (one row per project with the JSON fields) and `rollup --format csv`; UTF-8 with BOM for Excel."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from fractions import Fraction
from typing import Any

from projledger.figures.fmt import percent_number, round_money
from projledger.figures.metrics import GroupFigures, MonthFigures, project_json
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


def status_csv(mf: MonthFigures) -> str:
    """The CSV text (with BOM) of every project's figures for the month."""
    rows = [project_json(f) for f in mf.projects]
    buffer = io.StringIO()
    header = list(rows[0]) if rows else ["id"]
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
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
