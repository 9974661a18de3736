"""The working-day calendar for reverse scheduling (SPEC section 3): pure, no I/O, no clock.

Working days are those of mainland China: Monday to Friday, minus statutory holidays, plus the weekend
days worked in exchange (调休), as the bundled `chinesecalendar` package knows them; the ledger's own
`calendar.holidays` / `calendar.workdays` override it. The package covers a fixed range of years (2004–2026
for 1.11); for any other year we fall back to weekends-only and remember the year, so that the caller
can warn once per run instead of guessing silently. A year for which the ledger lists any override is
taken as the user's own calendar and not reported.

Everything is cached per year as one flag per day, so a schedule of hundreds of projects stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import chinese_calendar

ONE_DAY = timedelta(days=1)


def _bundled_is_workday(d: date) -> bool | None:
    """The bundled answer, or None when chinesecalendar has no data for d's year."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return None


class WorkCalendar:
    """Working days: chinesecalendar plus the ledger's overrides (overrides win)."""

    def __init__(self, holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> None:
        self._holidays = frozenset(holidays)
        # A date listed as both is a check error; holidays win so the result errs towards less time.
        self._workdays = frozenset(workdays) - self._holidays
        self._override_years = {d.year for d in self._holidays | self._workdays}
        self._years: dict[int, tuple[int, bytes]] = {}  # year -> (ordinal of 1 Jan, one flag per day)
        self._guessed: set[int] = set()

    @property
    def uncovered_years(self) -> list[int]:
        """Years used so far that the bundled calendar lacks and the ledger does not fill in."""
        return sorted(self._guessed - self._override_years)

    def _year(self, year: int) -> tuple[int, bytes]:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        first = date(year, 1, 1)
        covered = _bundled_is_workday(first) is not None
        if not covered:
            self._guessed.add(year)
        flags = bytearray()
        d = first
        while d.year == year:
            if d in self._holidays:
                work = False
            elif d in self._workdays:
                work = True
            elif covered:
                work = bool(_bundled_is_workday(d))
            else:
                work = d.weekday() < 5
            flags.append(work)
            d += ONE_DAY
        cached = (first.toordinal(), bytes(flags))
        self._years[year] = cached
        return cached

    def is_workday(self, d: date) -> bool:
        """True when d is a working day."""
        start, flags = self._year(d.year)
        return bool(flags[d.toordinal() - start])

    def prev(self, d: date) -> date:
        """The last working day strictly before d."""
        d -= ONE_DAY
        while not self.is_workday(d):
            d -= ONE_DAY
        return d

    def next(self, d: date) -> date:
        """The first working day strictly after d."""
        d += ONE_DAY
        while not self.is_workday(d):
            d += ONE_DAY
        return d

    def back(self, d: date, n: int) -> date:
        """The working day n working days before d (back(d, 0) = d).

        Defined as n steps of `prev`, so for a working day d it is exactly SPEC's back(d, n).
        """
        for _ in range(n):
            d = self.prev(d)
        return d

    def forward(self, d: date, n: int) -> date:
        """The working day n working days after d (forward(d, 0) = d); n steps of `next`."""
        for _ in range(n):
            d = self.next(d)
        return d

    def count(self, a: date, b: date) -> int:
        """The number of working days x with a < x <= b (0 when b <= a)."""
        if b <= a:
            return 0
        total = 0
        year = a.year
        while year <= b.year:
            start, flags = self._year(year)
            lo = a.toordinal() - start + 1 if year == a.year else 0
            hi = b.toordinal() - start + 1 if year == b.year else len(flags)
            total += sum(flags[lo:hi])
            year += 1
        return total


def coverage_warning(*years: int) -> str:
    """The one short line a run gives for the years the bundled calendar lacks (`2027—2029 年…`)."""
    ordered = sorted(set(years))
    if len(ordered) > 2 and ordered[-1] - ordered[0] == len(ordered) - 1:
        named = f"{ordered[0]}—{ordered[-1]}"
    else:
        named = "、".join(str(y) for y in ordered)
    return f"{named} 年无内置节假日，按周一至周五上班推算，可在 projledger.yaml 补充"


__all__ = ["WorkCalendar", "coverage_warning"]
