"""The working-day calendar against the real 2026 holiday schedule, worked out by hand.

2026 as the State Council published it (and chinesecalendar 1.11 holds it):
  春节  02-15 (Sun) .. 02-23 (Mon) off; Saturdays 02-14 and 02-28 are working days.
  中秋  09-25 (Fri) off; Sunday 09-20 is a working day.
  国庆  10-01 .. 10-07 off (10-03/04 is the weekend); Saturday 10-10 is a working day.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from projledger.figures.workdays import WorkCalendar, coverage_warning

D = date


def test_adjusted_weekend_days_and_holidays() -> None:
    cal = WorkCalendar()
    assert cal.is_workday(D(2026, 10, 10))  # Saturday, 调休
    assert not cal.is_workday(D(2026, 10, 11))  # Sunday
    assert cal.is_workday(D(2026, 9, 20))  # Sunday, 调休
    assert not cal.is_workday(D(2026, 9, 25))  # 中秋, a Friday
    assert not cal.is_workday(D(2026, 10, 6))  # 国庆, a Tuesday
    assert cal.is_workday(D(2026, 2, 14)) and cal.is_workday(D(2026, 2, 28))
    assert not cal.is_workday(D(2026, 2, 23))  # Monday, last day of 春节


def test_prev_and_next_jump_the_national_day_week() -> None:
    cal = WorkCalendar()
    # 10-08 (Thu) is the first day back; before it 10-07..10-01 are off, so prev is 09-30 (Wed).
    assert cal.prev(D(2026, 10, 8)) == D(2026, 9, 30)
    assert cal.next(D(2026, 9, 30)) == D(2026, 10, 8)
    # Friday 10-09 is followed by the 调休 Saturday.
    assert cal.next(D(2026, 10, 9)) == D(2026, 10, 10)
    # Monday 10-12: the working day before it is the 调休 Saturday, not Friday.
    assert cal.prev(D(2026, 10, 12)) == D(2026, 10, 10)


def test_prev_over_spring_festival_lands_on_the_working_saturday() -> None:
    cal = WorkCalendar()
    # 02-24 (Tue): 02-23 holiday, 02-22/21 weekend, 02-20..16 holiday, 02-15 Sun, 02-14 working Saturday.
    assert cal.prev(D(2026, 2, 24)) == D(2026, 2, 14)
    assert cal.next(D(2026, 2, 13)) == D(2026, 2, 14)
    assert cal.next(D(2026, 2, 14)) == D(2026, 2, 24)


def test_back_and_forward() -> None:
    cal = WorkCalendar()
    assert cal.back(D(2026, 10, 9), 0) == D(2026, 10, 9)
    # 10-08 (1), 09-30 (2), 09-29 (3)
    assert cal.back(D(2026, 10, 9), 3) == D(2026, 9, 29)
    # 09-25 holiday, 09-26/27 weekend: 09-28 (1), 09-29 (2), 09-30 (3)
    assert cal.forward(D(2026, 9, 24), 3) == D(2026, 9, 30)
    # back over the working Sunday: 09-21 (1), 09-20 (2), 09-18 (3)
    assert cal.back(D(2026, 9, 22), 3) == D(2026, 9, 18)
    assert cal.back(D(2026, 9, 22), 2) == D(2026, 9, 20)


def test_count_is_half_open() -> None:
    cal = WorkCalendar()
    # x in (09-30, 10-12]: 10-08, 10-09, 10-10 (Sat, 调休), 10-12 -> 4
    assert cal.count(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert cal.count(D(2026, 10, 12), D(2026, 10, 12)) == 0
    assert cal.count(D(2026, 10, 12), D(2026, 9, 30)) == 0
    # A whole year: 365 days - 104 weekend days - 19 weekday holidays + 6 调休 days = 248.
    assert cal.count(D(2025, 12, 31), D(2026, 12, 31)) == 248


def test_overrides_win_over_the_bundled_calendar() -> None:
    cal = WorkCalendar(holidays=[D(2026, 10, 10)], workdays=[D(2026, 10, 11)])
    assert not cal.is_workday(D(2026, 10, 10))
    assert cal.is_workday(D(2026, 10, 11))
    assert cal.prev(D(2026, 10, 12)) == D(2026, 10, 11)
    assert cal.uncovered_years == []


def test_uncovered_year_falls_back_to_weekends_and_is_reported() -> None:
    cal = WorkCalendar()
    assert cal.uncovered_years == []
    # 2027-01-01 is a Friday: a working day when only weekends are known.
    assert cal.is_workday(D(2027, 1, 1))
    # (2026-12-31, 2027-01-05]: 01-01 (Fri), 01-04 (Mon), 01-05 (Tue) -> 3
    assert cal.count(D(2026, 12, 31), D(2027, 1, 5)) == 3
    assert cal.uncovered_years == [2027]
    assert cal.is_workday(D(2003, 6, 2))
    assert cal.uncovered_years == [2003, 2027]
    text = coverage_warning(2027)
    assert "2027" in text and "projledger.yaml" in text and "周一至周五" in text
    assert "\n" not in text and len(text) < 60  # one short line
    assert coverage_warning(2027, 2028).startswith("2027、2028 年")


def test_ledger_holidays_for_an_uncovered_year_fix_it() -> None:
    cal = WorkCalendar(holidays=[D(2027, 1, 1)])
    assert not cal.is_workday(D(2027, 1, 1))
    assert cal.count(D(2026, 12, 31), D(2027, 1, 5)) == 2
    assert cal.uncovered_years == []  # the ledger took charge of 2027


working_2026 = st.dates(min_value=D(2026, 3, 1), max_value=D(2026, 12, 1)).filter(WorkCalendar().is_workday)


@given(working_2026, st.integers(min_value=0, max_value=40))
def test_back_forward_and_count_agree(d: date, n: int) -> None:
    cal = WorkCalendar()
    b = cal.back(d, n)
    assert cal.is_workday(b)
    assert cal.forward(b, n) == d
    assert cal.count(b, d) == n


@given(st.dates(min_value=D(2004, 1, 2), max_value=D(2026, 12, 30)))
def test_prev_next_are_the_nearest_working_days(d: date) -> None:
    cal = WorkCalendar()
    p, n = cal.prev(d), cal.next(d)
    assert p < d < n and cal.is_workday(p) and cal.is_workday(n)
    assert all(not cal.is_workday(p + timedelta(days=i)) for i in range(1, (d - p).days))
    assert all(not cal.is_workday(d + timedelta(days=i)) for i in range(1, (n - d).days))
