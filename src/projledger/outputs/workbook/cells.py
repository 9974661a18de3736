"""Safe cells: text from a ledger goes into a workbook as text, never as a formula or a broken file.

Project names, problems and image texts are typed by many people. A name like `=HYPERLINK(...)` must
stay text (formula injection), an id like `007` must keep its zeros, a stray control character must not
make Excel refuse the whole file, and a cell holds at most 32,767 characters. Every writer of the meeting
packet (the dispatch workbook, the fill-in form) puts ledger values into cells through `put`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

MAX_CELL_CHARS = 32767
# Leading characters that Excel, WPS or LibreOffice would read as the start of a formula when the cell is
# edited or the text is re-imported.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CUT_MARK = "…（已截断）"


def safe_text(value: str, where: str = "") -> tuple[str, list[str]]:
    """The text as a cell can hold it, and a warning for each change made (naming `where`, e.g. 调度表!B7)."""
    warnings: list[str] = []
    label = f"{where}：" if where else ""
    text, removed = ILLEGAL_CHARACTERS_RE.subn("", value)
    if removed:
        warnings.append(f"{label}删除了 {removed} 个 Excel 不接受的控制字符")
    if len(text) > MAX_CELL_CHARS:
        warnings.append(f"{label}文字有 {len(text)} 个字符，超过 Excel 单元格上限 {MAX_CELL_CHARS}，已截断")
        text = text[: MAX_CELL_CHARS - len(CUT_MARK)] + CUT_MARK
    return text, warnings


def put(cell: Any, value: object, where: str = "") -> list[str]:
    """Write `value` into an openpyxl cell: text as text, numbers as numbers, dates as dates.

    Returns the warnings of `safe_text`. Strings are always stored as strings (`data_type == "s"`);
    those that start like a formula also get the quote-prefix style, so that Excel keeps them text even
    after someone edits the cell.
    """
    if value is None:
        cell.value = None
        return []
    if isinstance(value, bool):
        return put(cell, "是" if value else "否", where)
    if isinstance(value, int | float | Decimal | date | datetime):
        cell.value = value
        return []
    text, warnings = safe_text(str(value), where or f"{cell.parent.title}!{cell.coordinate}")
    cell.value = text
    cell.data_type = "s"  # openpyxl takes any string starting with "=" as a formula
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return warnings


__all__ = ["CUT_MARK", "FORMULA_STARTS", "MAX_CELL_CHARS", "put", "safe_text"]
