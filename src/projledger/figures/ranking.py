"""Rankings: units and 包抓领导 in rank order, and the change since the previous report month (位次变化).

The ranking rule itself is `metrics.rank_units`; this module applies it to the groups that are ranked and
compares two months of it. January has no previous month in the ledger year, so its changes are all None.
"""

from __future__ import annotations

from projledger.figures.metrics import GroupFigures, MonthFigures, compute, rank_units
from projledger.ledger.loader import Ledger
from projledger.ledger.models import month_key, parse_month

RANKED_GROUPS = ("unit", "leader")


def ranked_groups(mf: MonthFigures, key: str) -> list[GroupFigures]:
    """The groups of `mf` under `key` in display order.

    Units and 包抓领导 are ranked by the one rule of SPEC 2 (completion rate, then start rate, then the
    order of appearance), each with its `rank`; categories, levels and kinds keep their declared order.
    """
    groups = mf.groups[key]
    if key == "unit":
        return sorted(groups, key=lambda g: g.rank or 0)
    if key == "leader":
        return rank_units(groups)
    return list(groups)


def previous_month(month: str) -> str | None:
    """The report month before `month` in the same year; None for January."""
    year, m = parse_month(month)
    return None if m == 1 else month_key(year, m - 1)


def previous_figures(ledger: Ledger, mf: MonthFigures) -> MonthFigures | None:
    """The figures of the month before `mf.month` (None in January), for comparisons."""
    month = previous_month(mf.month)
    return None if month is None else compute(ledger, month)


def rank_changes(current: MonthFigures, previous: MonthFigures | None) -> dict[str, int | None]:
    """{unit: previous rank - rank}: positive moved up, negative down, None without a previous month."""
    before = {g.name: g.rank for g in previous.units} if previous is not None else {}
    changes: dict[str, int | None] = {}
    for g in current.units:
        old = before.get(g.name)
        changes[g.name] = None if old is None or g.rank is None else old - g.rank
    return changes
