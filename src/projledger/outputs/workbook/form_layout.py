"""How the fill-in form looks and prints: the one place for its styles, row positions, widths and pages.

`form.py` and `form_sheets.py` decide what goes in each cell and which cells are input; this module
decides how every sheet of the form looks (and where its header and first data row are). `import`
never assumes these positions: the form's hidden meta sheet records each sheet's header and first row,
and columns are found by their header text. So the print layout can change here alone.

Every sheet prints landscape and one page wide (A4 when its columns fit at 80 % or more, else A3), in
宋体, with its header row repeated on every page, every row as tall as its wrapped text (and tall enough
to write in by hand), the instructions in their own row across the print width, and above the table the
填报单位（盖章）/报送时限 line and the 单位负责人/填报人/联系电话/填报日期 line. Text the unit sends back is never
changed for looks: no line breaks are put into cells, only widths and heights are set.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal
from weakref import WeakKeyDictionary

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break

from .cells import put
from .layout import BLANK_NAME, spread
from .pages import PAGE_FILL, Rows, page_breaks
from .style import PAPERS, TITLE_FONT_NAME, TITLE_SIZE, Styles, money_kind, page_setup, print_scale
from .textfit import SIDE_PADDING, line_width, lines_needed

TITLE_ROW, INFO_ROW, SIGN_ROW, NOTE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3, 4, 5, 6

Kind = Literal["text", "money", "date", "computed"]

LINE_HEIGHT = 14.0  # points per line of 10 pt 宋体
ROW_PADDING = 6.0
WRITE_HEIGHT = 30.0  # a data row is at least this tall: room to write in by hand
FIXED_WIDTHS: dict[str, float] = {"money": 11.0, "computed": 11.0, "date": 12.5}
MIN_TEXT_WIDTH = 12.0
SHORT_TEXT = 22.0  # texts up to this wide (about eleven characters: units, owners, ids) stay on one line
FOOTER = "第 &P 页，共 &N 页"


@dataclass(frozen=True)
class Column:
    """One column of a form sheet: key, header text, width, and whether its cells are input."""

    key: str
    header: str
    width: float
    input: bool = False
    kind: Kind = "text"


_STYLES: WeakKeyDictionary[Workbook, Styles] = WeakKeyDictionary()


def styles(wb: Workbook) -> Styles:
    """The form's named styles in `wb` (one per look, shared by every cell that has it)."""
    found = _STYLES.get(wb)
    if found is None:
        found = _STYLES[wb] = Styles(wb, prefix="form")
    return found


def widths(cols: Sequence[Column]) -> list[float]:
    """Column widths that print one A4 page wide at 80 % or more when the columns allow it.

    Numbers and dates get what they need; text columns share the rest in proportion to their width
    (text wraps, and rows grow to hold it), never narrower than `MIN_TEXT_WIDTH`.
    """
    out = [FIXED_WIDTHS.get(c.kind, c.width) if c.kind != "text" else c.width for c in cols]
    budget = PAPERS["A4"].budget()
    text = [i for i, c in enumerate(cols) if c.kind == "text" and c.key != "id"]
    fixed = sum(w for i, w in enumerate(out) if i not in text)
    wanted = sum(out[i] for i in text)
    if fixed + wanted > budget and wanted:
        share = max(budget - fixed, 0) / wanted
        for i in text:
            out[i] = max(MIN_TEXT_WIDTH, math.floor(out[i] * share * 10) / 10)  # down: the sum stays within budget
    return out


def head(ws: Any, cols: Sequence[Column], title: str, note: str) -> None:
    """Title, instructions and the header row of a sheet (the 填报单位 lines come with `print_setup`)."""
    st = styles(ws.parent)
    last = max(len(cols), 1)
    put(ws.cell(TITLE_ROW, 1), title)
    ws.cell(TITLE_ROW, 1).style = st.name("center", size=TITLE_SIZE, bold=True, border=False, font=TITLE_FONT_NAME)
    put(ws.cell(NOTE_ROW, 1), note)
    ws.cell(NOTE_ROW, 1).style = st.name("wrap", border=False, valign="top")
    for row in (TITLE_ROW, INFO_ROW, SIGN_ROW, NOTE_ROW):
        if row not in (INFO_ROW, SIGN_ROW):
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
    header = st.name("center", bold=True, fill="header", wrap=True)
    for i, (col, width) in enumerate(zip(cols, widths(cols), strict=True), start=1):
        cell = ws.cell(HEADER_ROW, i)
        put(cell, col.header)
        cell.style = header
        ws.column_dimensions[get_column_letter(i)].width = width


def body(cell: Any, col: Column, editable: bool) -> None:
    """A data cell: boxed and wrapped; input cells white and unlocked, the rest grey and locked."""
    if col.kind == "money":
        kind = money_kind(cell.value) if isinstance(cell.value, int | float | Decimal) else "number"
    else:
        kind = {"text": "wrap", "date": "date", "computed": "number"}[col.kind]
    prefix = cell.quotePrefix  # set by `cells.put` for text that starts like a formula: keep it
    cell.style = styles(cell.parent.parent).name(kind, fill="none" if editable else "grey", locked=not editable)
    if prefix:
        cell.quotePrefix = True


def overdue(cell: Any) -> None:
    """The overdue mark of a problem stands out (red and bold; bold stays visible in grey print)."""
    cell.style = styles(cell.parent.parent).name("wrap", fill="grey", bold=True, color="C00000")


def section(ws: Any, row: int, width: int, text: str) -> None:
    """A label row inside a sheet (e.g. where the rows for new problems begin)."""
    put(ws.cell(row, 1), text)
    ws.cell(row, 1).style = styles(ws.parent).name("text", bold=True, fill="section", wrap=False)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(width, 1))


def finish(ws: Any, freeze_column: int = 3) -> None:
    """Freeze the header and the id/name columns; protect the sheet without a password.

    The protection only keeps the grey cells from being typed over by accident.
    """
    ws.freeze_panes = f"{get_column_letter(freeze_column)}{FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


# --- printing -------------------------------------------------------------------------------------------

def due_text(due: date | None) -> str:
    """报送时限 as the form prints it; blank lines to fill in by hand when no date is set."""
    if due is None:
        return "报送时限：请于　　月　　日前报送"
    return f"报送时限：请于{due.year}年{due.month}月{due.day}日前报送"


def print_setup(wb: Workbook, unit: str, due: date | None) -> None:
    """Make every visible sheet print-ready: 填报单位 lines, row heights, paper, pages (after filling)."""
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            _print_sheet(ws, unit, due)


def _print_sheet(ws: Any, unit: str, due: date | None) -> None:
    last = max((c.column for c in ws[HEADER_ROW] if c.value is not None), default=1)
    cols = _fit_short_texts(ws, last)
    total = sum(cols)
    heights: dict[int, float] = {TITLE_ROW: 32.0}
    heights[INFO_ROW] = _spread_line(ws, INFO_ROW, cols, [f"填报单位（盖章）：{unit}", due_text(due)], right_last=True)
    heights[SIGN_ROW] = _spread_line(ws, SIGN_ROW, cols, [
        f"单位负责人：{BLANK_NAME}", f"填报人：{BLANK_NAME}", f"联系电话：{BLANK_NAME}{'_' * 4}",
        "填报日期：　　　　年　　月　　日"])
    note = str(ws.cell(NOTE_ROW, 1).value or "")
    heights[NOTE_ROW] = lines_needed(note, total) * LINE_HEIGHT + ROW_PADDING
    merged = {(m.min_row, m.min_col): m.max_col - m.min_col + 1 for m in ws.merged_cells.ranges}
    heights[HEADER_ROW] = max(_lines(ws, HEADER_ROW, cols, merged) * LINE_HEIGHT + ROW_PADDING, 30.0)
    for r in range(FIRST_ROW, ws.max_row + 1):
        heights[r] = max(_lines(ws, r, cols, merged) * LINE_HEIGHT + ROW_PADDING, WRITE_HEIGHT)
    for r, h in heights.items():
        ws.row_dimensions[r].height = min(h, 409.0)
    paper = PAPERS["A4"] if print_scale(PAPERS["A4"], total) >= 0.8 else PAPERS["A3"]
    page_setup(ws, paper)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{get_column_letter(last)}{max(ws.max_row, HEADER_ROW)}"
    rows = Rows(heights, body=set(range(FIRST_ROW, ws.max_row + 1)), glue={TITLE_ROW, INFO_ROW, SIGN_ROW, NOTE_ROW,
                                                                             HEADER_ROW})
    room = paper.printable()[1] * PAGE_FILL / print_scale(paper, total)
    for r in page_breaks(rows, room, heights[HEADER_ROW]):
        ws.row_breaks.append(Break(id=r - 1))


def _fit_short_texts(ws: Any, last: int) -> list[float]:
    """Column widths, widened while the sheet still fits A4 so that a short text is never wrapped.

    A unit's name or a project id then prints whole rather than as "产业集聚区管委/会".
    """
    cols = [ws.column_dimensions[get_column_letter(c)].width or 10.0 for c in range(1, last + 1)]
    budget = PAPERS["A4"].budget()
    for c in range(1, last + 1):
        short = [line_width(v) + SIDE_PADDING for (v,) in ws.iter_rows(min_row=FIRST_ROW, min_col=c, max_col=c,
                                                                       values_only=True)
                 if isinstance(v, str) and not v.startswith("=") and line_width(v) <= SHORT_TEXT]
        need = max(short, default=0.0)
        if need > cols[c - 1] and sum(cols) + need - cols[c - 1] <= budget:
            cols[c - 1] = round(need + 0.05, 1)
            ws.column_dimensions[get_column_letter(c)].width = cols[c - 1]
    return cols


def _spread_line(ws: Any, row: int, cols: list[float], parts: list[str], *, right_last: bool = False) -> float:
    """Pieces of a line spread across the columns (one wrapped line when they do not fit); its height."""
    st = styles(ws.parent)
    needs = [line_width(p) + SIDE_PADDING for p in parts]
    bounds = spread(cols, needs)
    lines = 1
    if bounds is None:  # one cell across the table, the pieces packed into as few lines as fit
        packed: list[str] = []
        for part in parts:
            if packed and line_width(packed[-1] + "　　" + part) + SIDE_PADDING <= sum(cols):
                packed[-1] += "　　" + part
            else:
                packed.append(part)
        parts, bounds, lines = ["\n".join(packed)], [(1, len(cols))], len(packed)
    for i, (part, (c1, c2)) in enumerate(zip(parts, bounds, strict=True)):
        cell = ws.cell(row, c1)
        put(cell, part)
        right = right_last and i == len(parts) - 1 and len(parts) > 1
        cell.style = st.name("text", border=False, wrap=lines > 1, valign="bottom", align="right" if right else None)
        if c2 > c1:
            ws.merge_cells(start_row=row, start_column=c1, end_row=row, end_column=c2)
    return max(24.0, lines * LINE_HEIGHT + ROW_PADDING)


def _lines(ws: Any, row: int, cols: list[float], merged: dict[tuple[int, int], int]) -> int:
    """The most lines any text cell of `row` wraps into at its column's (or merged cells') width."""
    most = 1
    for c, width in enumerate(cols, start=1):
        value = ws.cell(row, c).value
        if isinstance(value, str) and not value.startswith("="):  # a formula shows one number
            span = merged.get((row, c), 1)
            most = max(most, lines_needed(value, sum(cols[c - 1:c - 1 + span]) if span > 1 else width))
    return most


__all__ = ["FIRST_ROW", "HEADER_ROW", "NOTE_ROW", "TITLE_ROW", "Column", "body", "due_text", "finish", "head",
           "overdue", "print_setup", "section", "styles", "widths"]
