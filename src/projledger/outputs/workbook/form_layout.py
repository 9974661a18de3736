"""How the fill-in form looks: the one place for its styles, row positions, widths and protection.

`form.py` and `form_sheets.py` decide what goes in each cell and which cells are input; this module
decides how every sheet of the form looks (and where its header and first data row are). `import`
never assumes these positions: the form's hidden meta sheet records each sheet's header and first row,
and columns are found by their header text. So the print layout can change here alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter

from .cells import put

TITLE_ROW, NOTE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3, 4

Kind = Literal["text", "money", "date", "computed"]


@dataclass(frozen=True)
class Column:
    """One column of a form sheet: key, header text, width, and whether its cells are input."""

    key: str
    header: str
    width: float
    input: bool = False
    kind: Kind = "text"


GREY = PatternFill("solid", fgColor="E7E6E6")
HEAD = PatternFill("solid", fgColor="D9E1F2")
SECTION = PatternFill("solid", fgColor="FFF2CC")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
NUMBER_FORMATS = {"money": "#,##0.00", "date": "yyyy-mm-dd", "computed": "#,##0.00"}
OVERDUE_FONT = Font(color="C00000", bold=True)


def head(ws: Any, cols: Sequence[Column], title: str, note: str) -> None:
    """Title, instructions and the header row of a sheet."""
    put(ws.cell(TITLE_ROW, 1), title)
    ws.cell(TITLE_ROW, 1).font = Font(bold=True, size=14)
    put(ws.cell(NOTE_ROW, 1), note)
    ws.cell(NOTE_ROW, 1).alignment = WRAP
    last = max(len(cols), 1)
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=last)
    ws.merge_cells(start_row=NOTE_ROW, start_column=1, end_row=NOTE_ROW, end_column=last)
    ws.row_dimensions[NOTE_ROW].height = 60
    for i, col in enumerate(cols, start=1):
        cell = ws.cell(HEADER_ROW, i)
        put(cell, col.header)
        cell.font, cell.fill, cell.alignment, cell.border = Font(bold=True), HEAD, WRAP, BOX
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.row_dimensions[HEADER_ROW].height = 45


def body(cell: Any, col: Column, editable: bool) -> None:
    """A data cell: boxed and wrapped; input cells white and unlocked, the rest grey and locked."""
    cell.border, cell.alignment = BOX, WRAP
    if editable:
        cell.protection = Protection(locked=False)
    else:
        cell.fill = GREY
    number_format = NUMBER_FORMATS.get(col.kind)
    if number_format:
        cell.number_format = number_format


def overdue(cell: Any) -> None:
    """The overdue mark of a problem stands out."""
    cell.font = OVERDUE_FONT


def section(ws: Any, row: int, width: int, text: str) -> None:
    """A label row inside a sheet (e.g. where the rows for new problems begin)."""
    put(ws.cell(row, 1), text)
    ws.cell(row, 1).font = Font(bold=True)
    ws.cell(row, 1).fill = SECTION
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(width, 1))


def finish(ws: Any, freeze_column: int = 3) -> None:
    """Freeze the header and the id/name columns; protect the sheet without a password.

    The protection only keeps the grey cells from being typed over by accident.
    """
    ws.freeze_panes = f"{get_column_letter(freeze_column)}{FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


__all__ = ["FIRST_ROW", "HEADER_ROW", "NOTE_ROW", "TITLE_ROW", "Column", "body", "finish", "head", "overdue", "section"]
