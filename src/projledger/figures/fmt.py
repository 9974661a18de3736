"""Display formatting shared by the terminal, the workbook and the bulletin.

Money is exact until here: amounts round to 2 decimals (万元) or to 亿元 as offices write them, rates to
one decimal place of a percent. A rate that does not exist (an empty set) shows as "—".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

DASH = "—"
YI = Decimal(10000)  # 万元 in one 亿元


def round_money(value: Decimal, places: int = 2) -> Decimal:
    """Round half up, as offices do by hand."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money(value: Decimal | Fraction | None, places: int = 2) -> str:
    """`12,345.60` (万元, thousands separators); an exact Fraction (a plan to date) rounds the same way."""
    if value is None:
        return DASH
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{round_money(value, places):,.{places}f}"


def yi(value: Decimal, places: int = 2) -> str:
    """万元 as 亿元 text: 62900 -> `6.29`."""
    return f"{round_money(value / Decimal(10000), places):.{places}f}"


def amount(value: Decimal | None) -> str:
    """An amount as a headline says it: `163.13 亿元` from 1亿 (10,000 万元) up, else `4,620.00 万元`."""
    if value is None:
        return DASH
    if abs(value) >= YI:
        return f"{yi(value)} 亿元"
    return f"{money(value)} 万元"


def percent_number(rate: Fraction, places: int = 1) -> Decimal:
    """A rate (or gap) in percent, rounded half up: the one rounding every display uses."""
    return round_money(Decimal(rate.numerator) * 100 / Decimal(rate.denominator), places)


def pct(rate: Fraction | None, places: int = 1) -> str:
    """`75.0%`, or "—" when the rate does not exist."""
    if rate is None:
        return DASH
    return f"{percent_number(rate, places):.{places}f}%"


def points(gap: Fraction | None, places: int = 1, signed: bool = True) -> str:
    """A gap in percentage points: `-12.3` (signed) or `12.3`."""
    if gap is None:
        return DASH
    value = percent_number(gap, places)
    if not signed:
        value = abs(value)
    text = f"{value:+.{places}f}" if signed else f"{value:.{places}f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


DAYS_AS_MONTHS = 60  # from two months on, offices speak of a lag in months


def lag(days: int) -> str:
    """A lag in calendar days as offices write it: `45天` up to two months, then `约5个月` (30-day months)."""
    if days < DAYS_AS_MONTHS:
        return f"{days}天"
    months = (days + 15) // 30  # rounded half up
    return f"约{months}个月"
