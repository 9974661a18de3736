"""The body cells of a table sheet, kept as plain rows and written straight into the worksheet's XML.

openpyxl makes a Cell object per cell, binds its value, copies its style array and serialises it
through lxml: at 5,000 projects (220,000 cells) that was most of an export's time. A `TableSheet`
keeps its body cells here instead, as `[column, value, style name]`, and `TableWriter` writes them
into the worksheet's `<sheetData>` as the very bytes openpyxl writes for the same cells: inline
strings escaped the same way, the same number text, the same style ids given out in the same order
(each style array is made once per combination by openpyxl itself, on a scratch cell). Cells that
are still openpyxl cells on the worksheet (merged titles, headers, the sign-off line) are written
in their place among them; everything else in the worksheet (column widths, merged ranges, frozen
panes, print setup, page breaks, the chart) is written by openpyxl as before.
`tests/test_export_writer.py` compares the result with openpyxl's own writing, byte for byte.
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from collections.abc import Sequence
from copy import copy
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .cells import FORMULA_STARTS, put

EMPTY_ROWS = b"<sheetData></sheetData>"


class CellRows:
    """A sheet's body cells by row: each a mutable `[column, value, style name]`, in column order.

    A value is None, a str (already safe: see `cells.safe_text`), a number, a date or a datetime.
    Row heights are given when the sheet is written (`TableSheet` knows them once it is finished).
    """

    def __init__(self) -> None:
        self.rows: dict[int, list[list[Any]]] = {}

    def row(self, r: int) -> list[list[Any]]:
        """The cells of row `r` (a new, empty row on first use)."""
        cells = self.rows.get(r)
        if cells is None:
            cells = self.rows[r] = []
        return cells


class _Styles:
    """Style ids of one workbook, in the order openpyxl would give them out while writing."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.arrays: dict[tuple[str, str, bool], Any] = {}
        self.attrs: dict[tuple[str, str, bool], str] = {}
        self.scratch: Worksheet | None = None

    def array(self, style: str, kind: str, quote: bool) -> Any:
        """The style array openpyxl gives a cell of this named style holding a value of this kind."""
        key = (style, kind, quote)
        found = self.arrays.get(key)
        if found is None:
            if self.scratch is None:
                self.scratch = Worksheet(self.wb, "scratch")  # not added to the workbook
            cell = Cell(self.scratch, row=1, column=1)
            cell.style = style
            sample: object = {"n": 0, "d": date(2000, 1, 1), "t": datetime(2000, 1, 1), "e": None}.get(kind, None)
            if kind == "s":
                sample = "=" if quote else "x"
            put(cell, sample)
            found = self.arrays[key] = copy(cell._style)
        return found

    def attr(self, style: str, kind: str, quote: bool = False) -> str:
        """The ` s="…"` attribute of such a cell ("" for a cell without style), kept in `attrs`.

        The id is given out when first asked for, as openpyxl gives it to the first cell written with
        that style; later cells reuse it.
        """
        key = (style, kind, quote)
        found = self.attrs.get(key)
        if found is None:
            array = self.array(style, kind, quote)
            found = self.attrs[key] = f' s="{self.wb._cell_styles.add(array)}"' if any(array) else ""
        return found


def _escape(text: str) -> str:
    """Text content as lxml serialises it in openpyxl's worksheet stream (ASCII, character references)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")


class _Texts:
    """The `<is><t>…</t></is>` of each distinct text, made once."""

    def __init__(self) -> None:
        self.xml: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        found = self.xml.get(text)
        if found is None:
            space = ' xml:space="preserve"' if text != text.strip() else ""
            found = self.xml[text] = f"<is><t{space}>{_escape(text)}</t></is>"
        return found


def _number(value: object) -> str:
    return f"<v>{safe_string(value)}</v>"


def _cell_xml(ref: str, style: str, value: object, texts: _Texts, epoch: datetime) -> str:
    if value is None:
        return f'<c r="{ref}"{style} t="n"></c>'
    if isinstance(value, str):
        if value == "":
            return f'<c r="{ref}"{style} t="inlineStr"></c>'
        return f'<c r="{ref}"{style} t="inlineStr">{texts(value)}</c>'
    if isinstance(value, date):  # datetime too
        return f'<c r="{ref}"{style} t="n">{_number(to_excel(value, epoch))}</c>'
    return f'<c r="{ref}"{style} t="n">{_number(value)}</c>'


def _openpyxl_cell_xml(cell: Any, texts: _Texts, epoch: datetime) -> str | None:
    """A cell still held by openpyxl (merged ranges, headers), written as openpyxl writes it."""
    styled = cell.has_style
    if cell._value is None and not styled:
        return None
    if cell.data_type not in ("n", "s", "d"):
        raise ValueError(f"{cell.coordinate}: cell type {cell.data_type} is not written by sheetxml")
    return _cell_xml(cell.coordinate, f' s="{cell.style_id}"' if styled else "", cell._value, texts, epoch)


def sheet_xml(ws: Worksheet, body: CellRows, heights: dict[int, float], styles: _Styles,
              texts: _Texts) -> tuple[bytes, str]:
    """The `<sheetData>` of `ws` (its openpyxl cells and `body`) and the sheet's dimension ref."""
    epoch = ws.parent.epoch
    held: dict[int, list[Any]] = defaultdict(list)
    for (r, _), cell in sorted(ws._cells.items()):
        held[r].append(cell)
    letters: dict[int, str] = {}
    attrs, text_xml = styles.attrs, texts.xml
    days: dict[object, str] = {}
    out = ["<sheetData>"]
    append = out.append
    cols: set[int] = {c for _, c in ws._cells}
    for r in sorted(body.rows.keys() | held.keys() | heights.keys()):
        height = heights.get(r)
        dims = f' ht="{safe_string(height)}" customHeight="1"' if height else ""
        out.append(f'<row r="{r}"{dims}>')
        cells: Sequence[Any] = body.rows.get(r, ())
        theirs = held.get(r)
        if theirs:  # a row with merged or header cells: both kinds, in column order
            taken = {c[0] for c in cells}
            for cell in theirs:  # an empty cell openpyxl made (for a coordinate) stands aside
                if cell.column in taken and (cell._value is not None or cell.has_style):
                    raise ValueError(f"{ws.title}!{cell.coordinate}: a cell written twice")
            theirs = [cell for cell in theirs if cell.column not in taken]
            cells = sorted([*cells, *theirs], key=lambda x: x[0] if isinstance(x, list) else x.column)
        for item in cells:
            if item.__class__ is not list:
                xml = _openpyxl_cell_xml(item, texts, epoch)
                if xml is not None:
                    append(xml)
                continue
            col, value, style = item
            letter = letters.get(col)
            if letter is None:
                letter = letters[col] = get_column_letter(col)
                cols.add(col)
            if value is None:
                attr = attrs.get((style, "e", False))
                if attr is None:
                    attr = styles.attr(style, "e")
                if attr:  # openpyxl leaves out an empty cell without style
                    append(f'<c r="{letter}{r}"{attr} t="n"></c>')
            elif isinstance(value, str):
                quote = value.startswith(FORMULA_STARTS)
                attr = attrs.get((style, "s", quote))
                if attr is None:
                    attr = styles.attr(style, "s", quote)
                if value:
                    xml = text_xml.get(value)
                    if xml is None:
                        xml = texts(value)
                    append(f'<c r="{letter}{r}"{attr} t="inlineStr">{xml}</c>')
                else:
                    append(f'<c r="{letter}{r}"{attr} t="inlineStr"></c>')
            else:
                t = value.__class__
                kind = "n" if t is int or t is Decimal else "t" if t is datetime else "d" if t is date else "n"
                attr = attrs.get((style, kind, False))
                if attr is None:
                    attr = styles.attr(style, kind)
                if t is int or t is Decimal and value.is_finite():
                    shown = "%.16g" % value  # noqa: UP031  (openpyxl's `safe_string`: a float's digits, not the Decimal's)
                elif kind == "n":
                    shown = safe_string(value)
                else:
                    day = days.get(value)
                    if day is None:
                        day = days[value] = safe_string(to_excel(value, epoch))
                    shown = day
                append(f'<c r="{letter}{r}"{attr} t="n"><v>{shown}</v></c>')
        out.append("</row>")
    out.append("</sheetData>")
    rows = body.rows.keys() | {r for r, _ in ws._cells}
    if rows:
        ref = f"{get_column_letter(min(cols))}{min(rows)}:{get_column_letter(max(cols))}{max(rows)}"
    else:
        ref = "A1:A1"
    return "".join(out).encode("ascii"), ref


class _SheetWriter(WorksheetWriter):  # type: ignore[misc]
    """openpyxl's worksheet writer with the rows left out, and the sheet's true dimension."""

    def __init__(self, ws: Worksheet, ref: str) -> None:
        self._ref = ref
        super().__init__(ws, out=BytesIO())

    def write_dimensions(self) -> None:
        """The sheet's used range, of its body cells too."""
        self.xf.send(SheetDimension(self._ref).to_tree())

    def write_rows(self) -> None:
        """An empty <sheetData>, filled in afterwards."""
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            pass
        self.xf.send(None)


class TableWriter(ExcelWriter):  # type: ignore[misc]
    """`ExcelWriter` that writes the sheets of `bodies` (worksheet id → rows, heights) through `sheet_xml`."""

    def __init__(self, wb: Workbook, archive: zipfile.ZipFile,
                 bodies: dict[int, tuple[CellRows, dict[int, float]]]) -> None:
        super().__init__(wb, archive)
        self.bodies = bodies
        self.styles = _Styles(wb)
        self.texts = _Texts()

    def write_worksheet(self, ws: Worksheet) -> None:
        """Write one worksheet into the archive (openpyxl's own way for sheets without a body)."""
        found = self.bodies.get(id(ws))
        if found is None:
            super().write_worksheet(ws)
            return
        body, heights = found
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        data, ref = sheet_xml(ws, body, heights, self.styles, self.texts)
        writer = _SheetWriter(ws, ref)
        writer.write()
        head, found_rows, tail = writer.read().partition(EMPTY_ROWS)
        if not found_rows:
            raise RuntimeError("openpyxl wrote no <sheetData> to fill")  # an openpyxl this code does not know
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], head + data + tail)
        self.manifest.append(ws)


__all__ = ["CellRows", "TableWriter", "sheet_xml"]
