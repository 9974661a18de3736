"""Change of the units' ranking since the previous report month (位次变化).

The ranking itself is `metrics.rank_units`; this module only compares two months of it. January has no
previous month in the ledger year, so its changes are all None.
"""

from __future__ import annotations

from projledger.figures.metrics import MonthFigures, compute
from projledger.ledger.loader import Ledger
from projledger.ledger.models import month_key, parse_month


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
