"""The roll-up across ledgers (SPEC section 7, 全市排名 and 对标): pure, taking loaded ledgers.

Nothing here is a second implementation of a figure: a member's figures are its ledger's `totals`
from `metrics.compute`, the roll-up totals are `metrics.group_figures` over every member project, and
members are ranked by `metrics.rank_units`, the units' rule of section 2 (completion rate, then start
rate, then the order given). What is new is only what section 7 adds: the month rule, big_new_starts,
group ranks and the change of rank against the previous month.

"No figures for M-1" (rank_change is then null) is read as: none of the member's projects has a
progress entry of the ledger year for any month up to M-1. Such a member's M-1 figures would be
nothing but the "0 if none" defaults of section 2, so it is left out of the M-1 ranking, and the
others' previous ranks are counted without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from typing import Any

from projledger.figures.metrics import (
    BIG_PROJECT,
    NEW_START,
    GroupFigures,
    MonthFigures,
    compute,
    fraction,
    group_figures,
    group_json,
    latest_month,
    rank_units,
    report_month,
)
from projledger.ledger.loader import Ledger
from projledger.ledger.models import Project, month_key, parse_month
from projledger.ledger.rollup import Member, Peer, RollupInput

SCOPE = "全市"
MEMBER_NOUN = "县区"


@dataclass(frozen=True)
class MemberFigures:
    """One member's figures for the month and its places in the ranking."""

    member: Member
    figures: MonthFigures
    big_new_starts: int
    rank: int
    group_rank: int
    group_size: int  # members in its group (all members when no group is given)
    previous_rank: int | None
    rank_change: int | None  # previous rank - rank: positive = moved up
    group_rank_change: int | None
    latest_month: str | None  # the member's latest reported month (may be before the roll-up month)

    @property
    def totals(self) -> GroupFigures:
        """The member ledger's totals for the month."""
        return self.figures.totals

    @property
    def district(self) -> str:
        """The member's name (its ledger's district)."""
        return self.member.district

    @property
    def group(self) -> str | None:
        """Its peer group (区, 县), if given."""
        return self.member.group


@dataclass(frozen=True)
class Rollup:
    """The ranking of the members for one month, their totals, and the peers listed apart."""

    name: str | None
    year: int
    month: str
    month_number: int
    as_of: date
    time_progress: Fraction
    members: list[MemberFigures]  # in rank order
    totals: GroupFigures
    big_new_starts: int
    peers: list[Peer]


def big_new_starts(projects: Iterable[Project]) -> int:
    """Projects of kind 新开工 with a total investment of at least 10000 万元 (亿元以上新开工)."""
    return sum(p.kind == NEW_START and p.investment.total >= BIG_PROJECT for p in projects)


def rollup_month(members: Sequence[Member], month: str | None) -> str:
    """`--month` checked against the shared year, else the earliest of the members' latest reported months.

    Members with no report at all have no latest month and do not take part; when none has reported,
    January (as `status` does for an empty ledger).
    """
    ledger = members[0].ledger
    if month is not None:
        return report_month(ledger, month)
    latest = [m for m in (latest_month(x.ledger) for x in members) if m is not None]
    return min(latest) if latest else month_key(ledger.settings.year, 1)


def has_figures(ledger: Ledger, month: str) -> bool:
    """Whether any project of the ledger reported for a month of the ledger year up to `month`."""
    year = ledger.settings.year
    return any(r.year == year and r.month <= month for p in ledger.projects for r in p.progress)


def ranks(totals: Sequence[GroupFigures]) -> list[int]:
    """Ranks (1 best) of groups given in order, by the units' rule of section 2 (`rank_units`)."""
    tagged = [replace(g, name=str(i)) for i, g in enumerate(totals)]  # rank_units keeps no index
    out = [0] * len(totals)
    for g in rank_units(tagged):
        out[int(g.name)] = g.rank or 0
    return out


def _ranks_within(groups: Sequence[str | None], totals: Sequence[GroupFigures]) -> list[int]:
    """Each member's rank among the members of its group, in the order given."""
    out = [0] * len(totals)
    for name in dict.fromkeys(groups):
        index = [i for i, g in enumerate(groups) if g == name]
        for i, r in zip(index, ranks([totals[i] for i in index]), strict=True):
            out[i] = r
    return out


def _previous(
    members: Sequence[Member], month: str, groups: Sequence[str | None]
) -> tuple[list[int | None], list[int | None]]:
    """Each member's rank and group rank at `month` among the members that have figures for it."""
    present = [i for i, m in enumerate(members) if has_figures(m.ledger, month)]
    totals = [compute(members[i].ledger, month).totals for i in present]
    overall: list[int | None] = [None] * len(members)
    within: list[int | None] = [None] * len(members)
    for i, r in zip(present, ranks(totals), strict=True):
        overall[i] = r
    for i, r in zip(present, _ranks_within([groups[i] for i in present], totals), strict=True):
        within[i] = r
    return overall, within


def _change(before: int | None, now: int) -> int | None:
    return None if before is None else before - now


def compute_rollup(data: RollupInput, month: str) -> Rollup:
    """The roll-up for report month `month` (YYYY-MM) of the members' shared year."""
    members = data.members
    year, m = parse_month(month)
    figures = [compute(x.ledger, month) for x in members]
    totals = [f.totals for f in figures]
    groups = [x.group for x in members]
    overall, within = ranks(totals), _ranks_within(groups, totals)
    if m > 1:
        before, before_within = _previous(members, month_key(year, m - 1), groups)
    else:
        before = before_within = [None] * len(members)
    sizes = {g: groups.count(g) for g in groups}
    rows = [
        MemberFigures(
            member=x, figures=f, big_new_starts=big_new_starts(x.ledger.projects), rank=overall[i],
            group_rank=within[i], group_size=sizes[x.group], previous_rank=before[i],
            rank_change=_change(before[i], overall[i]), group_rank_change=_change(before_within[i], within[i]),
            latest_month=latest_month(x.ledger),
        )
        for i, (x, f) in enumerate(zip(members, figures, strict=True))
    ]
    rows.sort(key=lambda r: r.rank)
    progress = {f.time_progress for f in figures}
    # Members may measure time differently (month or day mode); the roll-up then uses M/12, as offices publish.
    tp = progress.pop() if len(progress) == 1 else Fraction(m, 12)
    everything = [p for f in figures for p in f.projects]
    return Rollup(
        name=data.name, year=year, month=month, month_number=m, as_of=figures[0].as_of, time_progress=tp,
        members=rows, totals=group_figures("合计", everything, tp, year),
        big_new_starts=sum(r.big_new_starts for r in rows), peers=list(data.peers),
    )


# --- sentences for the bulletin and the dashboard ---------------------------------------------------

def change_words(change: int | None) -> str:
    """`较上月上升2位` / `较上月下降1位` / `与上月持平`; empty when there is no previous rank."""
    if change is None:
        return ""
    if change == 0:
        return "与上月持平"
    return f"较上月{'上升' if change > 0 else '下降'}{abs(change)}位"


def rank_sentence(r: Rollup, m: MemberFigures, *, within_group: bool = False, scope: str = SCOPE) -> str:
    """`在全市5个县区中排名第2位，较上月上升1位`, the way bulletins put a member's place.

    `within_group=True` gives its place among its own group instead: `在全市8个县中排名第3位，…`.
    Without a previous rank (January, or no figures for the month before) the change is left out.
    """
    if within_group and m.group:
        head = f"在{scope}{m.group_size}个{m.group}中排名第{m.group_rank}位"
        change = change_words(m.group_rank_change)
    else:
        head = f"在{scope}{len(r.members)}个{MEMBER_NOUN}中排名第{m.rank}位"
        change = change_words(m.rank_change)
    return f"{head}，{change}" if change else head


# --- machine-readable output (SPEC section 7) -------------------------------------------------------

def member_json(m: MemberFigures) -> dict[str, Any]:
    """One entry of `members`: place, change and the member ledger's group figures."""
    row: dict[str, Any] = {
        "district": m.district,
        "group": m.group,
        "path": m.member.path,
        "rank": m.rank,
        "group_rank": m.group_rank,
        "rank_change": m.rank_change,
        "big_new_starts": m.big_new_starts,
    }
    row.update(group_json(m.totals))
    # extras
    row.update({"previous_rank": m.previous_rank, "group_rank_change": m.group_rank_change,
                "latest_month": m.latest_month})
    return row


def peer_json(p: Peer) -> dict[str, Any]:
    """One entry of `peers`, as typed in (rates as fractions)."""
    return {
        "name": p.name,
        "group": p.group,
        "month": p.month,
        "completion_rate": None if p.completion_rate is None else float(p.completion_rate),
        "start_rate": None if p.start_rate is None else float(p.start_rate),
        "new_starts": p.new_starts,
        "big_new_starts": p.big_new_starts,
        "source": p.source,
    }


def to_json(r: Rollup) -> dict[str, Any]:
    """The `rollup --format json` object; members in rank order."""
    return {
        "name": r.name,
        "year": r.year,
        "month": r.month,
        "time_progress": fraction(r.time_progress),
        "as_of": r.as_of.isoformat(),
        "members": [member_json(m) for m in r.members],
        "totals": {**group_json(r.totals), "big_new_starts": r.big_new_starts},
        "peers": [peer_json(p) for p in r.peers],
    }
