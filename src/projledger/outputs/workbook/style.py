"""The look of the meeting packet: fonts, fills, number formats, paper and page setup, reproducible save.

Every sheet of the dispatch workbook and the fill-in form prints the same way: 宋体, thin black borders,
one page wide with the header repeated, page numbers in the footer. Cells get their look through named
styles created once per combination (`Styles`), never a new Font/Alignment per cell: that keeps the
file small and the export of thousands of projects fast. Fills are chosen so that a black-and-white
print still tells red from yellow (their greys differ), and the light's symbol carries it anyway.
Saving fixes every timestamp in the file so that the same ledger and month give the same bytes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Literal

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

Kind = Literal["text", "wrap", "center", "int", "money", "rate", "points", "date", "month"]
FillName = Literal["none", "header", "group", "total", "red", "yellow", "grey", "section"]

FONT_NAME = "宋体"
TITLE_FONT_NAME = "黑体"
BODY_SIZE = 10  # printed at 8 pt or more: every sheet is laid out to print at 80 % or larger
TITLE_SIZE = 16
SMALL_SIZE = 9

FILLS: dict[str, str | None] = {
    "none": None,
    "header": "D9D9D9",  # grey 85 %: a header reads as a header on any printer
    "group": None,  # subtotal rows are set apart by bold type: a grey fill would print like yellow
    "total": None,
    "red": "F4A6A6",  # prints as grey 189 (of 255)
    "yellow": "FFE699",  # prints as grey 229: between red and white, apart from both
    "grey": "E7E6E6",  # the fill-in form's reference cells
    "section": "FFF2CC",  # a label row inside the form
}
LIGHT_FILL: dict[str, FillName] = {"red": "red", "yellow": "yellow", "green": "none"}
LIGHT_MARK = {"red": "●红灯", "yellow": "▲黄灯", "green": "○绿灯"}  # the symbol survives grey printing

NUMBER_FORMATS: dict[str, str] = {
    "int": "0",
    "money0": "#,##0",
    "money1": "#,##0.0",
    "money2": "#,##0.00",
    "rate": "0.0%",
    "points": "+0.0;-0.0;0.0",
    "date": "yyyy-mm-dd",
    "month": 'yyyy"."mm',
}
NUMERIC_KINDS = frozenset({"int", "money", "rate", "points", "number"})
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NO_BORDER = Border()
FOOTER = "第 &P 页，共 &N 页"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold

# LibreOffice and Excel draw a column of width w (in digits of the default 11 pt font) about 5.55 pt
# wide; measured on LibreOffice's PDF output, linear in w.
POINTS_PER_UNIT = 5.55
MIN_SCALE = 0.8  # 10 pt body text printed at 8 pt or more


@dataclass(frozen=True)
class Paper:
    """A paper size in landscape, in points, with its openpyxl code."""

    name: str
    code: int
    width: float
    height: float

    def printable(self, landscape: bool = True) -> tuple[float, float]:
        """Width and height inside the margins `page_setup` sets."""
        w, h = (self.width, self.height) if landscape else (self.height, self.width)
        return w - 2 * MARGIN_SIDE * 72, h - 2 * MARGIN_TOP * 72

    def budget(self, landscape: bool = True) -> float:
        """The widest table (in column units) that prints one page wide at `MIN_SCALE` or larger."""
        return self.printable(landscape)[0] / MIN_SCALE / POINTS_PER_UNIT


MARGIN_SIDE = 0.4  # inches
MARGIN_TOP = 0.6
MARGIN_HEADER = 0.3
PAPERS = {"A3": Paper("A3", 8, 1190.55, 841.89), "A4": Paper("A4", 9, 841.89, 595.28)}


def print_scale(paper: Paper, width_units: float, landscape: bool = True) -> float:
    """The scale a one-page-wide sheet of this width prints at (whole percents, as LibreOffice does)."""
    printable = paper.printable(landscape)[0]
    needed = width_units * POINTS_PER_UNIT
    return 1.0 if needed <= printable else int(100 * printable / needed) / 100


def money_kind(value: object) -> str:
    """The money format that shows `value` without pointless decimals: 5,200 / 5,200.5 / 5,200.25."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return "money0"
        return "money1" if value * 10 == (value * 10).to_integral_value() else "money2"
    if isinstance(value, int):
        return "money0"
    return "money2"


def grey_level(rgb: str) -> float:
    """The grey (0 black .. 255 white) a colour prints as on a black-and-white printer (Rec. 601 luma)."""
    r, g, b = (int(rgb[i:i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b


class Styles:
    """Named cell styles of one workbook, created on first use and shared by every cell that looks alike.

    `name(...)` returns the style's name for `cell.style = name`; the combination of font, fill,
    alignment, border and number format is built once.
    """

    def __init__(self, wb: Workbook, prefix: str = "pl") -> None:
        self.wb = wb
        self.prefix = prefix
        self._names: dict[tuple[Any, ...], str] = {}

    def name(
        self, kind: str = "text", *, fill: str = "none", bold: bool = False, size: float = BODY_SIZE,
        border: bool = True, align: str | None = None, wrap: bool | None = None, font: str = FONT_NAME,
        locked: bool = True, valign: str = "center", color: str | None = None,
    ) -> str:
        """The style for a cell of this kind (`NUMBER_FORMATS` key or a layout kind) and look."""
        key = (kind, fill, bold, size, border, align, wrap, font, locked, valign, color)
        found = self._names.get(key)
        if found is not None:
            return found
        name = f"{self.prefix}-{len(self._names) + 1:03d}"
        horizontal, wraps = _alignment(kind)
        style = NamedStyle(
            name=name,
            font=Font(name=font, size=size, bold=bold, color=color),
            alignment=Alignment(horizontal=align or horizontal, vertical=valign,
                                wrap_text=wraps if wrap is None else wrap),
            border=BORDER if border else NO_BORDER,
            number_format=NUMBER_FORMATS.get(kind, "General"),
            protection=Protection(locked=locked),
        )
        colour = FILLS.get(fill)
        if colour:
            style.fill = PatternFill("solid", fgColor=colour)
        self.wb.add_named_style(style)
        self._names[key] = name
        return name


def _alignment(kind: str) -> tuple[str, bool]:
    if kind in NUMERIC_KINDS or kind.startswith("money"):
        return "right", False
    if kind in ("center", "date", "month"):
        return "center", True
    return "left", True


def page_setup(ws: Worksheet, paper: Paper, *, landscape: bool = True, fit_height: int = 0) -> None:
    """One page wide (as many tall as needed, or `fit_height`), centred, numbered pages."""
    ws.page_setup.paperSize = paper.code
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = fit_height
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
    ws.page_margins.top = ws.page_margins.bottom = MARGIN_TOP
    ws.page_margins.header = ws.page_margins.footer = MARGIN_HEADER
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = SMALL_SIZE
    ws.oddFooter.center.font = FONT_NAME
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


def save_reproducibly(
    wb: Workbook, handle: IO[bytes], stamp: datetime,
    writer: Callable[[Workbook, zipfile.ZipFile], ExcelWriter] = ExcelWriter,
) -> None:
    """Save `wb` into a binary handle with every timestamp set to `stamp` (none from the clock).

    openpyxl's `save()` sets `modified` to now() and zip entries carry the current time; both would make
    two exports of the same month differ. `ExcelWriter` is what `save()` runs after setting the time;
    `writer` may be one that writes some sheets' cells itself (`sheetxml.TableWriter`).
    """
    wb.properties.creator = "projledger"
    wb.properties.lastModifiedBy = "projledger"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    with _FixedTimeZip(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        writer(wb, archive).write_data()
