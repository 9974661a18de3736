"""The 全市排名 sheet of the dispatch workbook (`export --rollup rollup.yaml`).

Members in rank order with their group ranks and change against last month, the 合计 row over every
member project, then the peers (对标) below, never ranked, each with its source. Every figure comes from
`figures.rollup.Rollup`; numbers are stored rounded the way the terminal shows them.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from openpyxl.workbook.workbook import Workbook

from projledger.figures.fmt import DASH
from projledger.figures.metrics import GroupFigures
from projledger.figures.rollup import MemberFigures, Rollup, change_words
from projledger.ledger.rollup import Peer

from .layout import Column, Look
from .style import LIGHT_MARK
from .table import TableSheet
from .values import money_value, plan_value, points_value, rate_text, rate_value

SHEET = "全市排名"


def _typed_rate(rate: Decimal | None) -> Decimal | str:
    """A rate a peer published, stored like a computed one."""
    return rate_value(None if rate is None else Fraction(rate))


def _count(n: int | None) -> int | str:
    return DASH if n is None else n


def columns(month_number: int) -> list[Column]:
    """The sheet's columns."""
    return [
        Column("排名", "center"), Column("较上月", "center"), Column("县区", "text", max_width=14),
        Column("组别", "center", max_width=8), Column("组内\n排名", "center"), Column("项目数", "int"),
        Column("年度计划\n投资", "money"), Column(f"1-{month_number}月\n计划投资", "money"),
        Column(f"1-{month_number}月\n完成", "money"), Column("投资\n完成率", "rate"),
        Column("与时间\n进度差\n（百分点）", "points"), Column("完成序时\n计划", "rate"), Column("计划\n新开工", "int"),
        Column("已开工", "int"), Column("开工率", "rate"), Column("亿元以上\n新开工", "int", min_width=9, max_width=10),
        Column(LIGHT_MARK["red"], "int", min_width=7), Column(LIGHT_MARK["yellow"], "int", min_width=7),
        Column("备注", "wrap", max_width=36),
    ]


def _figures(g: GroupFigures, big: int) -> list[object]:
    return [g.projects, money_value(g.annual_plan), plan_value(g.plan_to_date), money_value(g.completed),
            rate_value(g.completion_rate), points_value(g.gap), rate_value(g.plan_rate), g.new_starts, g.started,
            rate_value(g.start_rate), big, g.red, g.yellow]


def _member_row(r: Rollup, m: MemberFigures) -> list[object]:
    change = change_words(m.rank_change).removeprefix("较上月").removeprefix("与上月") or DASH
    group = f"{m.group_rank}/{m.group_size}" if m.group else DASH
    note = "" if m.latest_month is not None and m.latest_month >= r.month else (
        f"最新填报为 {m.latest_month}，数字沿用此前填报" if m.latest_month else "本年度尚无填报")
    return [m.rank, change, m.district, m.group or DASH, group, *_figures(m.totals, m.big_new_starts), note]


def _peer_row(p: Peer) -> list[object]:
    return ["", "", p.name, p.group or DASH, "", DASH, DASH, DASH, DASH, _typed_rate(p.completion_rate), DASH, DASH,
            _count(p.new_starts), DASH, _typed_rate(p.start_rate), _count(p.big_new_starts), DASH, DASH,
            f"{p.month}，来源：{p.source}"]


def rollup_sheet(wb: Workbook, r: Rollup, look: Look) -> TableSheet:
    """Add the 全市排名 sheet to `wb`, laid out and signed like the workbook's other sheets."""
    cols = columns(r.month_number)
    t = TableSheet(wb.create_sheet(SHEET), cols, look)
    t.title(f"{r.name or ''}{r.year}年重点项目建设进展排名（截至{r.month_number}月底）",
            f"时间进度：{rate_text(r.time_progress)}　单位：万元　排名按投资完成率，相同时比开工率")
    t.header()
    for m in r.members:
        t.add(_member_row(r, m))
    t.add(["合计", "", f"{len(r.members)}个成员", "", "", *_figures(r.totals, r.big_new_starts), ""],
          bold=True, fill="total")
    if r.peers:
        t.add(["对标（外地公开数据，不参与排名）", *[None] * (len(cols) - 1)], span=len(cols), bold=True)
        for p in r.peers:
            t.add(_peer_row(p))
    t.finish(freeze_col=4)
    return t
