"""Layout of a printable table sheet: styles, column widths, row heights, page setup, reproducible save.

`xlsx.py` decides what goes in each sheet; this module makes every sheet look and print the same way:
A3 landscape, one page wide, the header repeated on every page, page numbers in the footer, thin borders,
widths that fit Chinese text (a CJK character counts as two). Saving fixes every timestamp in the file
so that the same ledger and month give the same bytes.
"""

from __future__ import annotations

import math
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Literal

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from projledger.outputs.workbook.cells import put

Kind = Literal["text", "wrap", "center", "int", "money", "rate", "points", "date"]

FONT_NAME = "宋体"
TITLE_FONT = Font(name="黑体", size=16, bold=True)
SUBTITLE_FONT = Font(name=FONT_NAME, size=10)
BODY_FONT = Font(name=FONT_NAME, size=10)
BOLD_FONT = Font(name=FONT_NAME, size=10, bold=True)
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
RED_FILL = PatternFill("solid", fgColor="FFC7CE")
YELLOW_FILL = PatternFill("solid", fgColor="FFEB9C")
LIGHT_FILLS = {"red": RED_FILL, "yellow": YELLOW_FILL}

NUMBER_FORMATS: dict[Kind, str] = {
    "int": "0",
    "money": "#,##0.00",
    "rate": "0.0%",
    "points": "+0.0;-0.0;0.0",
    "date": "yyyy-mm-dd",
}
NUMERIC: frozenset[Kind] = frozenset({"int", "money", "rate", "points"})
WIDTHS: dict[Kind, tuple[int, int]] = {  # (min, max) column width in Excel units
    "text": (6, 20),
    "wrap": (8, 30),
    "center": (4, 10),
    "int": (4, 8),
    "money": (10, 14),
    "rate": (7, 9),
    "points": (7, 10),
    "date": (11, 11),
}
LINE_HEIGHT = 13.5  # points per text line at 10 pt
MIN_ROW_HEIGHT = 20.0
MAX_ROW_HEIGHT = 409.0  # Excel's limit; a longer text scrolls inside its cell
HEADER_MAX_WIDTH = 16
FOOTER = "第 &P 页，共 &N 页"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


@dataclass(frozen=True)
class Column:
    """One column of a table: header text, kind of content, and an optional width cap."""

    header: str
    kind: Kind = "text"
    max_width: int | None = None


def text_width(text: str) -> int:
    """Display width of one line: CJK and full-width characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """How many lines `text` takes when wrapped into a column `width` units wide.

    Measured as Excel draws 10 pt 宋体: a CJK glyph is 13.3 px and a column unit 7 px, so 1.9 units
    (a little less than the 2 used for column widths, which keeps a margin).
    """
    usable = max(width - 0.5, 1.0)
    return sum(max(1, math.ceil(text_width(line) * 0.95 / usable)) for line in text.split("\n"))


@dataclass
class TableSheet:
    """A worksheet holding one titled table; collects the warnings of the cells written into it."""

    ws: Worksheet
    columns: Sequence[Column]
    warnings: list[str] = field(default_factory=list)
    row: int = 1  # next row to write
    header_rows: tuple[int, int] = (0, 0)
    _widths: list[int] = field(default_factory=list)
    _header_widths: list[int] = field(default_factory=list)
    _body_rows: list[int] = field(default_factory=list)
    _notes: dict[int, str] = field(default_factory=dict)
    _texts: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # row -> wrapped (col, text)

    def __post_init__(self) -> None:
        self._widths = [0] * len(self.columns)
        self._header_widths = [0] * len(self.columns)

    @property
    def last_col(self) -> int:
        """Index (1-based) of the table's last column."""
        return len(self.columns)

    def put(self, row: int, col: int, value: object) -> Any:
        """Write one value safely; returns the cell."""
        cell = self.ws.cell(row=row, column=col)
        self.warnings.extend(put(cell, value))
        return cell

    def title(self, text: str, subtitle: str = "") -> None:
        """A bold title merged across the table, and an optional right-aligned subtitle line."""
        cell = self.put(self.row, 1, text)
        cell.font = TITLE_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center")
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.last_col)
        self.ws.row_dimensions[self.row].height = 30
        self.row += 1
        if subtitle:
            cell = self.put(self.row, 1, subtitle)
            cell.font = SUBTITLE_FONT
            cell.alignment = Alignment(horizontal="right", vertical="center")
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.last_col)
            self.row += 1

    def header(self, groups: Sequence[tuple[str, int, int]] = ()) -> None:
        """The header row; `groups` (text, first col, last col) add a merged row above it."""
        first = self.row
        if groups:
            grouped: set[int] = set()
            for text, c1, c2 in groups:
                self._header_cell(self.row, c1, text)
                for c in range(c1 + 1, c2 + 1):
                    self._header_cell(self.row, c, None)
                self.ws.merge_cells(start_row=self.row, start_column=c1, end_row=self.row, end_column=c2)
                grouped.update(range(c1, c2 + 1))
            for c, column in enumerate(self.columns, start=1):
                if c not in grouped:  # a single-level header spans both header rows
                    self._header_cell(self.row, c, column.header)
                    self._header_cell(self.row + 1, c, None)
                    self.ws.merge_cells(start_row=self.row, start_column=c, end_row=self.row + 1, end_column=c)
            self.row += 1
            for c, column in enumerate(self.columns, start=1):
                if c in grouped:
                    self._header_cell(self.row, c, column.header)
        else:
            for c, column in enumerate(self.columns, start=1):
                self._header_cell(self.row, c, column.header)
        for c, column in enumerate(self.columns, start=1):
            self._header_widths[c - 1] = max(text_width(line) for line in column.header.split("\n"))
        self.header_rows = (first, self.row)
        self.row += 1

    def _header_cell(self, row: int, col: int, text: str | None) -> None:
        cell = self.put(row, col, text)
        cell.font = BOLD_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if text:
            self._texts.setdefault(row, []).append((col, text))

    def add(
        self, values: Sequence[object], *, fill: PatternFill | None = None, bold: bool = False, span: int = 1
    ) -> int:
        """One table row in column order; returns its row number.

        With `span` > 1 the first value is a label merged across the first `span` columns (the values
        under it are ignored). A str in a numeric column ("—" for a rate that does not exist) is centred.
        """
        r = self.row
        self._body_rows.append(r)
        for c, (column, value) in enumerate(zip(self.columns, values, strict=True), start=1):
            if 1 < c <= span:
                value = None
            cell = self.put(r, c, value)
            cell.font = BOLD_FONT if bold else BODY_FONT
            cell.border = BORDER
            if fill is not None:
                cell.fill = fill
            kind: Kind = column.kind
            if c <= span and span > 1:
                kind = "text"
            elif isinstance(value, str) and kind in NUMERIC:
                kind = "center"
            if kind in NUMBER_FORMATS and value is not None and not isinstance(value, str):
                cell.number_format = NUMBER_FORMATS[kind]
            cell.alignment = _alignment(kind)
            if value is None or c <= span and span > 1:
                continue  # a merged label need not fit its first column
            text = value if isinstance(value, str) else _shown(value, kind)
            self._fit(c, text)
            if kind in ("text", "wrap"):
                self._texts.setdefault(r, []).append((c, text))
        if span > 1:
            self.ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=span)
        self.row += 1
        return r

    def note(self, text: str) -> None:
        """A free line of text under the table, merged across it."""
        cell = self.put(self.row, 1, text)
        cell.font = BODY_FONT
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.last_col)
        self._notes[self.row] = text
        self.row += 1

    def _fit(self, col: int, text: str) -> None:
        widest = max(text_width(line) for line in text.split("\n"))
        self._widths[col - 1] = max(self._widths[col - 1], widest)

    def finish(self, *, freeze_col: int = 1, landscape: bool = True) -> None:
        """Column widths, wrapped row heights, frozen header, print setup."""
        widths: list[float] = []
        for c, column in enumerate(self.columns, start=1):
            low, high = WIDTHS[column.kind]
            high = column.max_width or high
            width = float(min(max(self._widths[c - 1] + 2, low), high))
            # A header line (headers break where the text says, before "（万元）") widens its column.
            width = max(width, float(min(self._header_widths[c - 1] + 2, HEADER_MAX_WIDTH)))
            widths.append(width)
            self.ws.column_dimensions[get_column_letter(c)].width = width
        for r in self._body_rows:  # one even height for single-line rows reads better than autofit
            self.ws.row_dimensions[r].height = MIN_ROW_HEIGHT
        for r, texts in self._texts.items():
            lines = max(lines_needed(text, widths[c - 1]) for c, text in texts)
            if lines > 1 or r not in self._body_rows:
                self.ws.row_dimensions[r].height = _height(lines * LINE_HEIGHT + 6)
        for r, text in self._notes.items():
            self.ws.row_dimensions[r].height = _height(lines_needed(text, sum(widths)) * LINE_HEIGHT + 4)
        first, last = self.header_rows
        if first:
            self.ws.freeze_panes = self.ws.cell(row=last + 1, column=freeze_col).coordinate
            self.ws.print_title_rows = f"{first}:{last}"
        page_setup(self.ws, landscape=landscape)


def _height(points: float) -> float:
    return min(max(points, MIN_ROW_HEIGHT), MAX_ROW_HEIGHT)


def _alignment(kind: Kind) -> Alignment:
    if kind in NUMERIC:
        return Alignment(horizontal="right", vertical="center")
    if kind in ("center", "date"):
        return Alignment(horizontal="center", vertical="center", wrap_text=True)
    return Alignment(horizontal="left", vertical="center", wrap_text=True)


def _shown(value: object, kind: Kind) -> str:
    """Roughly the text Excel shows for a number or date, for sizing the column."""
    if isinstance(value, date | datetime):
        return "2026-01-01"
    if kind == "money" and isinstance(value, int | float | Decimal):
        return f"{value:,.2f}"
    if kind == "rate":
        return "100.0%"
    if kind == "points":
        return "+10.0"
    return str(value)


def page_setup(ws: Worksheet, *, landscape: bool = True) -> None:
    """A3, one page wide and as many pages tall as needed, centred, numbered pages."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = 9
    ws.evenFooter.center.text = FOOTER


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose entries all carry one fixed timestamp, so equal content gives equal bytes."""

    def writestr(  # type: ignore[override]
        self, name: str | zipfile.ZipInfo, data: bytes | str, compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if not isinstance(name, zipfile.ZipInfo):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            name = info
        super().writestr(name, data, compress_type, compresslevel)

    def write(  # type: ignore[override]
        self, filename: str | Path, arcname: str | None = None, compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        self.writestr(arcname or Path(filename).name, Path(filename).read_bytes(), compress_type, compresslevel)


def save_reproducibly(wb: Workbook, handle: IO[bytes], stamp: datetime) -> None:
    """Save `wb` into a binary handle with every timestamp set to `stamp` (none from the clock).

    openpyxl's `save()` sets `modified` to now() and zip entries carry the current time; both would make
    two exports of the same month differ. `ExcelWriter` is what `save()` runs after setting the time.
    """
    wb.properties.creator = "projledger"
    wb.properties.lastModifiedBy = "projledger"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    with _FixedTimeZip(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
