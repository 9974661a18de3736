"""The pieces a printable table is laid out with.

Columns and their width ranges, the sign-off line, the workbook's look, and the width arithmetic
(`spread`, text widths of shown values). Split from `table.py`, which lays out and writes a `TableSheet` with them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate

from .style import Kind, Paper, Styles
from .textfit import line_width

# Column widths (min, max) in column units when the column does not set its own.
WIDTHS: dict[str, tuple[float, float]] = {
    "text": (6, 18), "wrap": (8, 24), "center": (4, 10), "int": (4.5, 8), "money": (7.5, 22),
    "rate": (7, 9), "points": (7, 11), "date": (12.5, 12.5), "month": (9, 9),
}
MIN_WRAP_WIDTH = 10.0  # a wrapped column narrowed to fit the page keeps room for five characters a line
LINE_HEIGHT = 14.0  # points per line of 10 pt 宋体 (CJK fonts leave generous line gaps)
ROW_PADDING = 5.0
MIN_ROW_HEIGHT = 20.0
MAX_ROW_HEIGHT = 409.0  # Excel's limit
TITLE_HEIGHT = 32.0
SUBTITLE_HEIGHT = 20.0
SIGN_OFF_HEIGHT = 28.0
BLANK_NAME = "_" * 10


@dataclass(frozen=True)
class Column:
    """One column: header text (a line break where it should break), kind of content, width range."""

    header: str
    kind: Kind = "text"
    min_width: float | None = None
    max_width: float | None = None
    printed: bool = True  # False: kept for the screen, right of the print area (e.g. 项目编号)

    @property
    def widths(self) -> tuple[float, float]:
        """(min, max) width in column units."""
        low, high = WIDTHS[self.kind]
        return (self.min_width or low, self.max_width or high)


@dataclass(frozen=True)
class SignOff:
    """The 制表 line under every sheet; a name left out is a blank line to sign by hand."""

    office: str | None = None
    preparer: str | None = None
    reviewer: str | None = None

    def parts(self) -> list[str]:
        """The four pieces of the line."""
        return [f"制表单位：{self.office or BLANK_NAME + '____'}", f"制表人：{self.preparer or BLANK_NAME}",
                f"审核人：{self.reviewer or BLANK_NAME}", "制表日期：　　　　年　　月　　日"]


@dataclass(frozen=True)
class Look:
    """What every sheet of one workbook shares: its named styles, its paper and its sign-off line."""

    styles: Styles
    paper: Paper
    sign: SignOff | None = None



def spread(widths: list[float], needs: list[float]) -> list[tuple[int, int]] | None:
    """Runs of columns, one per need, each at least as wide as its need and as even as they can be.

    None when the columns cannot hold them (the caller then writes one line across the table).
    """
    n, k = len(widths), len(needs)
    if n < k:
        return None
    acc = list(accumulate(widths))
    bounds: list[tuple[int, int]] = []
    start, used = 1, 0.0
    for i, need in enumerate(needs):
        lo, hi = used + need, acc[-1] - sum(needs[i + 1:])
        ideal = acc[-1] * (i + 1) / k
        last = n - (k - 1 - i)  # leave a column for each run still to come
        fits = [c for c in range(start, last + 1) if lo <= acc[c - 1] <= hi]
        if i == k - 1:
            fits = [n] if acc[-1] >= lo else []
        if not fits:
            return None
        end = min(fits, key=lambda c: abs(acc[c - 1] - ideal))
        bounds.append((start, end))
        start, used = end + 1, acc[end - 1]
    return bounds


def _up(width: float) -> float:
    """A width rounded up to 0.1 unit (rounding down would wrap a text measured to fit)."""
    return math.ceil(round(width * 10, 6)) / 10


@lru_cache(maxsize=65536)
def line_width_of(text: str) -> float:
    """Width of the widest line of a text (explicit line breaks kept)."""
    if "\n" not in text:
        return line_width(text)
    return max(line_width(line) for line in text.split("\n"))


def _shown(value: object, kind: str) -> str:
    """The text a number or date shows in its format, for sizing the column."""
    if isinstance(value, datetime | date):
        return "2026.01" if kind == "month" else "2026-01-01"
    if kind.startswith("money") and isinstance(value, int | float | Decimal):
        places = int(kind[-1])
        return f"{value:,.{places}f}"
    if kind == "rate" and isinstance(value, int | float | Decimal):
        return f"{value * 100:.1f}%"
    if kind == "points" and isinstance(value, int | float | Decimal):
        return f"{value:+.1f}"
    return str(value)


__all__ = ["BLANK_NAME", "Column", "Look", "SignOff", "line_width_of", "spread"]
