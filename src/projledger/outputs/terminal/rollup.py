"""`projledger rollup` as rich renderables: the ranked members, then the peers listed apart.

Laid out for an 80-column terminal. Everything shown comes from `figures.rollup.Rollup`; ledger text
(district, group, peer name, source) is put in `Text` objects, so a `[` in a name is shown as typed.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from projledger.figures.fmt import DASH, pct, points
from projledger.figures.metrics import GroupFigures
from projledger.figures.rollup import MemberFigures, Rollup, rank_sentence
from projledger.ledger.rollup import Peer


def _table(title: str) -> Table:
    # No padding: the box's own blank separator is the one space between columns, so twelve fit 80.
    return Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                 padding=(0, 0))


def change_cell(change: int | None) -> Text:
    """↑2 (up, green), ↓1 (down, red), 持平, or — when there is no previous rank."""
    if change is None:
        return Text(DASH, style="dim")
    if change == 0:
        return Text("持平")
    if change > 0:
        return Text(f"↑{change}", style="green")
    return Text(f"↓{-change}", style="red")


def title(r: Rollup) -> str:
    """`示例市2026年重点项目建设进展排名（截至9月底）`."""
    return f"{r.name or ''}{r.year}年重点项目建设进展排名（截至{r.month_number}月底）"


def headline(r: Rollup) -> RenderableType:
    """Title, time progress and the totals over every member project."""
    t = r.totals
    return Group(
        Text(title(r), style="bold"),
        Text(f"时间进度 {pct(r.time_progress)}｜成员 {len(r.members)} 个｜项目 {t.projects} 个"),
        Text(f"合计：投资完成率 {pct(t.completion_rate)}，比时间进度 {points(t.gap)} 个百分点，"
             f"完成1-{r.month_number}月计划的 {pct(t.plan_rate)}"),
        Text(f"　　　开工率 {pct(t.start_rate)}；新开工 {t.new_starts} 个（亿元以上 {r.big_new_starts} 个）；"
             f"红灯 {t.red} 个，黄灯 {t.yellow} 个"),
    )


def _figure_cells(g: GroupFigures, big: int) -> list[str]:
    return [pct(g.completion_rate), points(g.gap), pct(g.start_rate), str(g.new_starts), str(big),
            str(g.red), str(g.yellow)]


def members_table(r: Rollup, own: MemberFigures | None = None) -> Table:
    """Members in rank order with group ranks, ↑↓ change, completion rate against time progress, starts."""
    grouped = any(m.group for m in r.members)
    table = _table("成员排名（按投资完成率，相同时比开工率）")
    table.add_column("排名", justify="right", no_wrap=True)
    table.add_column("较上月", justify="center", no_wrap=True)
    table.add_column("县区", overflow="ellipsis", no_wrap=True, min_width=6, max_width=12)
    if grouped:
        table.add_column("组别", overflow="ellipsis", no_wrap=True, max_width=6)
        table.add_column("组内", justify="right", no_wrap=True)
    for header in ("完成率", "比时间\n进度", "开工率", "新开工", "亿元\n以上", "红灯", "黄灯"):
        table.add_column(header, justify="right", no_wrap=True)
    for m in r.members:
        group: list[Text | str] = [Text(m.group or DASH), f"{m.group_rank}/{m.group_size}"] if grouped else []
        table.add_row(str(m.rank), change_cell(m.rank_change), Text(m.district), *group,
                      *_figure_cells(m.totals, m.big_new_starts), style="bold" if m is own else None)
    table.add_section()
    table.add_row("", "", Text("合计"), *(["", ""] if grouped else []), *_figure_cells(r.totals, r.big_new_starts),
                  style="bold")
    return table


def peer_rate(rate: Decimal | None) -> Fraction | None:
    """A typed-in rate as the exact fraction `fmt.pct` rounds."""
    return None if rate is None else Fraction(rate)


def peers_table(peers: list[Peer]) -> Table:
    """Published figures of other places (对标), never ranked, each with its source."""
    table = _table("对标（外地公开数据，不参与排名）")
    table.add_column("地区", overflow="ellipsis", no_wrap=True, min_width=6, max_width=10)
    table.add_column("组别", overflow="ellipsis", no_wrap=True, max_width=6)
    table.add_column("月份", no_wrap=True)
    for header in ("完成率", "开工率", "新开工", "亿元\n以上"):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("来源", overflow="fold", ratio=1)
    for p in peers:
        table.add_row(
            Text(p.name), Text(p.group or DASH), p.month,
            pct(peer_rate(p.completion_rate)),
            pct(peer_rate(p.start_rate)),
            DASH if p.new_starts is None else str(p.new_starts),
            DASH if p.big_new_starts is None else str(p.big_new_starts),
            Text(p.source),
        )
    return table


def notes(r: Rollup) -> list[Text]:
    """Members whose latest report is older than the month: their figures are carried forward."""
    late = [m for m in r.members if m.latest_month is None or m.latest_month < r.month]
    out = []
    for m in late:
        when = f"最新填报为 {m.latest_month}" if m.latest_month else "本年度尚无填报"
        out.append(Text(f"注：{m.district}{when}，{r.month} 的数字沿用此前填报。", style="yellow"))
    if r.month_number > 1 and any(m.rank_change is None for m in r.members):
        out.append(Text("注：“较上月”为 — 的成员上月之前没有任何填报，不计上月名次。", style="dim"))
    return out


def rollup_view(r: Rollup, own: MemberFigures | None = None) -> RenderableType:
    """The whole `rollup` table view; `own` (the --ledger member) is bolded and given its bulletin sentence."""
    parts: list[RenderableType] = [headline(r), Text(""), members_table(r, own), *notes(r)]
    if own is not None:
        parts.append(Text(f"{own.district}{rank_sentence(r, own)}。"))
        if own.group:
            parts.append(Text(f"{own.district}{rank_sentence(r, own, within_group=True)}。"))
    if r.peers:
        parts.extend([Text(""), peers_table(r.peers)])
    return Group(*parts)
