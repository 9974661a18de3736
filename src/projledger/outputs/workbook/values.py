"""Figures as the dispatch workbook stores them, and the titles its sheets share.

Numbers are stored as numbers rounded the way the terminal shows them (money to 2 decimals, rates to
0.1 %), so what Excel shows, sums and sorts is what `status` printed; the number format then hides the
decimals a figure does not have (5,200 rather than 5,200.00).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from projledger.figures.fmt import DASH, percent_number, round_money
from projledger.figures.metrics import MonthFigures

SHEETS = ("汇总", "包抓领导", "调度表", "滞后项目", "问题清单", "倒排工期")
CN_DIGITS = "零一二三四五六七八九"


def money_value(value: Decimal | None) -> Decimal | None:
    """万元 rounded to 2 decimals (as `fmt.money` shows it)."""
    return None if value is None else round_money(value)


def plan_value(amount: Fraction) -> Decimal:
    """An exact amount that may not be a decimal (a plan to date: a third of a 万元) rounded like money."""
    return round_money(Decimal(amount.numerator) / Decimal(amount.denominator))


def rate_value(rate: Fraction | None) -> Decimal | str:
    """A rate as a fraction rounded to 0.1 % (as `fmt.pct` shows it), or "—" when it does not exist."""
    if rate is None:
        return DASH
    return percent_number(rate) / 100  # a fraction for Excel's 0.0% format, rounded as `fmt.pct` shows it


def points_value(gap: Fraction | None) -> Decimal | str:
    """A gap in percentage points rounded to 0.1 (as `fmt.points` shows it), or "—"."""
    if gap is None:
        return DASH
    return percent_number(gap)


def rate_text(rate: Fraction | None) -> str:
    """The percent text of a rate, from the same rounding as the stored number."""
    value = rate_value(rate)
    return value if isinstance(value, str) else f"{value * 100:.1f}%"


def cn_number(n: int) -> str:
    """一, 二, … 十九, 二十 …: the numbering of category groups."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens] if tens < 10 else str(tens)
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def title(mf: MonthFigures, what: str) -> str:
    """`示例区2026年重点项目…（截至10月底）`."""
    return f"{mf.settings.district}{mf.settings.year}年{what}（截至{mf.month_number}月底）"


def subtitle(mf: MonthFigures, unit: bool = True) -> str:
    """`时间进度：83.3%　单位：万元`."""
    parts = [f"时间进度：{rate_text(mf.time_progress)}"]
    if unit:
        parts.append("单位：万元")
    return "　".join(parts)
