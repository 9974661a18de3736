"""A printable table sheet: column widths from the text, row heights from the lines, page breaks, sign-off.

`xlsx.py` decides what goes in each sheet; a `TableSheet` makes it print well. Text cells are written
when the table is finished, once the column widths are known, broken into lines at sensible points
(`textfit.wrap`), so that no cell wraps mid-word and every row is exactly as tall as its lines. The
sheet is laid out for one page width at 80 % or more (body text at 8 pt or more), with page breaks
from `pages.py`. The print area holds the table and its sign-off line, nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from .cells import put, safe_text
from .layout import (
    LINE_HEIGHT,
    MAX_ROW_HEIGHT,
    MIN_ROW_HEIGHT,
    MIN_WRAP_WIDTH,
    ROW_PADDING,
    SIGN_OFF_HEIGHT,
    SUBTITLE_HEIGHT,
    TITLE_HEIGHT,
    Column,
    Look,
    SignOff,
    _shown,
    _up,
    line_width_of,
    spread,
)
from .pages import PAGE_FILL, Rows, page_breaks
from .sheetxml import CellRows, TableWriter
from .style import (
    BODY_SIZE,
    MIN_SCALE,
    NUMBER_FORMATS,
    NUMERIC_KINDS,
    POINTS_PER_UNIT,
    TITLE_FONT_NAME,
    TITLE_SIZE,
    Paper,
    Styles,
    money_kind,
    page_setup,
    print_scale,
    save_reproducibly,
)
from .textfit import SIDE_PADDING, line_width, widest_piece, wrap

# Formats whose shown text grows with the distance from zero (`_measure_shown`); ints in any format do.
MONOTONIC_KINDS = frozenset({"money0", "money1", "money2", "rate", "points"})


def _apply_style(cell: Any, style: str, cache: dict[str, Any]) -> None:
    """`cell.style = style`, without openpyxl's lookup of the name among all named styles for every cell.

    openpyxl's setter finds the named style by name (a list built and searched per cell: two-thirds of an
    export's time at 5,000 projects) and then sets `cell._style` to a copy of its style array; the first
    assignment of each name here goes through that setter and later ones copy what it set.
    """
    array = cache.get(style)
    if array is None or not hasattr(cell, "_style"):
        cell.style = style
        cache[style] = copy(cell._style)
    else:
        cell._style = copy(array)


# A text to break into lines once the widths are known: row, column, text, columns it spans (merged),
# and the body cell (see `sheetxml.CellRows`) it goes into, or None for the openpyxl cell at row, column.
_Text = tuple[int, int, str, int, "list[Any] | None"]


@dataclass
class TableSheet:
    """A worksheet holding one or more titled tables on one column grid; collects cell warnings."""

    ws: Worksheet
    columns: Sequence[Column]
    look: Look
    warnings: list[str] = field(default_factory=list)
    row: int = 1  # next row to write
    header_rows: tuple[int, int] = (0, 0)
    _demand: list[float] = field(default_factory=list)  # the widest line of each column
    _least: list[float] = field(default_factory=list)  # its widest unbreakable piece
    _texts: list[_Text] = field(default_factory=list)
    _heights: dict[int, float] = field(default_factory=dict)  # fixed heights (titles, chart rows)
    _body: set[int] = field(default_factory=set)  # rows that count as lines of the table
    _glue: set[int] = field(default_factory=set)  # rows that must stay on the page of the next row
    _blocks: list[tuple[int, int]] = field(default_factory=list)  # ranges never cut by a page break
    widths: list[float] = field(default_factory=list)
    _style_arrays: dict[str, Any] = field(default_factory=dict)  # named style -> the cell style it sets
    body: CellRows = field(default_factory=CellRows)  # the table's cells, written by `sheetxml`
    _kind_styles: dict[tuple[str, str, bool], str] = field(default_factory=dict)
    _base_styles: dict[tuple[str, bool], list[str]] = field(default_factory=dict)  # each column's own kind
    _shown: dict[tuple[int, str, bool], list[Any]] = field(default_factory=dict)  # numbers and dates to measure
    _plan: list[tuple[int, str, bool, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._demand = [0.0] * len(self.columns)
        self._least = [0.0] * len(self.columns)
        # Per column: number (1-based), kind, whether numeric, widest it may grow (see `add`).
        self._plan = [(c, col.kind, col.kind in NUMERIC_KINDS, col.widths[1])
                      for c, col in enumerate(self.columns, start=1)]

    @property
    def styles(self) -> Styles:
        """The workbook's named styles."""
        return self.look.styles

    @property
    def paper(self) -> Paper:
        """The paper the sheet prints on."""
        return self.look.paper

    @property
    def last_col(self) -> int:
        """Index (1-based) of the table's last printed column (unprinted ones come after it)."""
        return sum(c.printed for c in self.columns)

    # --- writing -------------------------------------------------------------------------------------

    def cell(self, row: int, col: int, value: object, style: str) -> Any:
        """Write one value with a named style; returns the cell."""
        cell = self.ws.cell(row=row, column=col)
        _apply_style(cell, style, self._style_arrays)
        self.warnings.extend(put(cell, value))
        return cell

    def title(self, text: str, subtitle: str = "") -> None:
        """A bold title across the table, and an optional right-aligned subtitle line."""
        style = self.styles.name("center", size=TITLE_SIZE, bold=True, border=False, font=TITLE_FONT_NAME)
        self._merged_text(text, style, TITLE_HEIGHT, glue=True)
        if subtitle:
            self._merged_text(subtitle, self.styles.name("text", border=False, align="right", wrap=False),
                              SUBTITLE_HEIGHT, glue=True)

    def caption(self, text: str) -> None:
        """A bold line introducing a further table on the sheet; it stays with the table."""
        self.gap()
        style = self.styles.name("text", bold=True, border=False, wrap=False, valign="bottom")
        self._merged_text(text, style, SUBTITLE_HEIGHT + 4, glue=True)

    def gap(self, height: float = 10.0) -> None:
        """An empty row."""
        self._heights[self.row] = height
        self.row += 1

    def _merged_text(self, text: str, style: str, height: float, *, glue: bool) -> int:
        r = self.row
        self.cell(r, 1, None, style)
        self._texts.append((r, 1, text, self.last_col, None))
        self.ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=self.last_col)
        self._heights[r] = height
        if glue:
            self._glue.add(r)
        self.row += 1
        return r

    def header(self, groups: Sequence[tuple[str, int, int]] = (), labels: Sequence[str] | None = None) -> None:
        """Header row(s); `groups` (text, first col, last col) add a merged row above the column names.

        The first header of a sheet is repeated on every printed page. `labels` replace the column
        headers (a further table on the same grid, e.g. 级别 instead of 责任单位).
        """
        names = list(labels) if labels is not None else [c.header for c in self.columns]
        style = self.styles.name("center", bold=True, fill="header", wrap=True)
        first = self.row
        if groups:
            grouped: set[int] = set()
            for text, c1, c2 in groups:
                self._header_text(self.row, c1, text, style, span=c2 - c1 + 1)
                for c in range(c1 + 1, c2 + 1):
                    self.cell(self.row, c, None, style)
                self.ws.merge_cells(start_row=self.row, start_column=c1, end_row=self.row, end_column=c2)
                grouped.update(range(c1, c2 + 1))
            for c, name in enumerate(names, start=1):
                if c not in grouped:  # a single-level header spans both header rows
                    self._header_text(self.row, c, name, style)
                    self.cell(self.row + 1, c, None, style)
                    self.ws.merge_cells(start_row=self.row, start_column=c, end_row=self.row + 1, end_column=c)
            self._glue.add(self.row)
            self.row += 1
            for c, name in enumerate(names, start=1):
                if c in grouped:
                    self._header_text(self.row, c, name, style)
        else:
            for c, name in enumerate(names, start=1):
                self._header_text(self.row, c, name, style)
        self._glue.add(self.row)
        if not self.header_rows[0]:
            self.header_rows = (first, self.row)
        self.row += 1

    def _header_text(self, row: int, col: int, text: str, style: str, span: int = 1) -> None:
        self.cell(row, col, None, style)
        self._texts.append((row, col, text, span, None))
        if span == 1:  # a header line may widen its column a little, never past the column's maximum
            self._demand[col - 1] = max(self._demand[col - 1], max(line_width(x) for x in text.split("\n")))

    def add(
        self, values: Sequence[object], *, fill: str = "none", bold: bool = False, span: int = 1,
        glue: bool = False,
    ) -> int:
        """One table row in column order; returns its row number.

        With `span` > 1 the first value is a label merged across the first `span` columns (the values
        under it are ignored). A str in a numeric column ("—" for a rate that does not exist) is centred.
        `glue` keeps the row on the same page as the next one (a group's label row).
        """
        r = self.row
        self._body.add(r)
        if glue:
            self._glue.add(r)
        row = self.body.row(r)
        base = self._base_styles.get((fill, bold))  # styles are named on first use, in the order cells need them
        if base is None:
            base = self._base_styles[(fill, bold)] = [""] * len(self.columns)
        demand, least, shown, plan = self._demand, self._least, self._shown, self._plan
        merged = span if span > 1 else 0
        append = row.append
        for (c, kind, numeric, high), value in zip(plan, values, strict=True):
            if c <= merged:  # the merged label and the cells under it stay openpyxl cells
                self._merged_label(r, c, value if c == 1 else None, fill, bold, span)
                continue
            if value is None:
                append([c, None, base[c - 1] or self._base(base, c, kind, fill, bold)])
                continue
            if isinstance(value, str):
                if numeric:
                    style = self._style("center", fill, bold)
                else:
                    style = base[c - 1] or self._base(base, c, kind, fill, bold)
                cell = [c, None, style]
                self._texts.append((r, c, value, 1, cell))
                wide = line_width_of(value)
                if wide > demand[c - 1]:
                    demand[c - 1] = wide
                if wide + SIDE_PADDING > high:  # it will wrap: mind its longest word
                    least[c - 1] = max(least[c - 1], widest_piece(value))
                append(cell)
                continue
            if kind == "money":
                kind = money_kind(value)
                style = self._style(kind, fill, bold)
            else:
                style = base[c - 1] or self._base(base, c, kind, fill, bold)
            t = type(value)
            if t is int or t is Decimal and kind in MONOTONIC_KINDS or t is date or t is datetime:
                # the widest of these shows the largest or the smallest value: measured in `finish`
                key = (c, kind, t is date or t is datetime)
                found = shown.get(key)
                if found is None:
                    shown[key] = [value]
                else:
                    found.append(value)
                append([c, value, style])
            else:
                append([c, self._value(value, r, c), style])
                demand[c - 1] = max(demand[c - 1], line_width(_shown(value, kind)))
        if span > 1:
            self.ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=span)
        self.row += 1
        return r

    def _style(self, kind: str, fill: str, bold: bool) -> str:
        """`styles.name(kind, fill=fill, bold=bold)`, looked up once per sheet."""
        key = (kind, fill, bold)
        style = self._kind_styles.get(key)
        if style is None:
            style = self._kind_styles[key] = self.styles.name(kind, fill=fill, bold=bold)
        return style

    def _base(self, base: list[str], c: int, kind: str, fill: str, bold: bool) -> str:
        """The style of column `c`'s own kind in rows of this look, named now."""
        style = base[c - 1] = self._style(kind, fill, bold)
        return style

    def _merged_label(self, r: int, c: int, value: object, fill: str, bold: bool, span: int) -> None:
        """A cell of a row's merged label (an openpyxl cell, as merging needs)."""
        style = self.styles.name("text" if c == 1 else self.columns[c - 1].kind, fill=fill, bold=bold)
        if isinstance(value, str):
            self.cell(r, c, None, style)
            self._texts.append((r, c, value, span, None))
        else:
            self.cell(r, c, value, style)
            if c == 1 and value is not None:
                self._demand[0] = max(self._demand[0], line_width(_shown(value, "text")))

    def _value(self, value: object, r: int, c: int) -> object:
        """A value other than text as `cells.put` stores it: numbers and dates as they are."""
        if value is None or isinstance(value, int | float | Decimal | date | datetime) and not isinstance(value, bool):
            return value
        shown = ("是" if value else "否") if isinstance(value, bool) else str(value)
        return self._safe(shown, r, c)

    def _safe(self, text: str, r: int, c: int) -> str:
        """`cells.safe_text` of a body cell's text, its warnings kept (naming the cell)."""
        safe, warnings = safe_text(text)
        if warnings:
            safe, warnings = safe_text(text, f"{self.ws.title}!{get_column_letter(c)}{r}")
            self.warnings.extend(warnings)
        return safe

    def note(self, text: str) -> None:
        """A free line of text under the table, merged across it."""
        r = self._merged_text(text, self.styles.name("text", border=False), MIN_ROW_HEIGHT, glue=False)
        self._heights.pop(r)
        self._body.add(r)

    def reserve(self, rows: int, height: float) -> int:
        """`rows` rows of `height` points kept together (for a chart); returns the first."""
        first = self.row
        for r in range(first, first + rows):
            self._heights[r] = height
        self._blocks.append((first, first + rows - 1))
        self._body.update(range(first, first + rows))  # a chart is content: its page is not a short one
        self.row += rows
        return first

    # --- finishing -------------------------------------------------------------------------------------

    def finish(self, *, freeze_col: int = 1, repeat_header: bool = True, one_page: bool = True) -> None:
        """Widths, the text cells broken to them, row heights, sign-off, page breaks and print setup.

        `one_page`: shrink a sheet a little too long for one page onto it, when that keeps it at
        `MIN_SCALE` or larger, rather than print a second page with a few rows.
        """
        self._measure_shown()
        self._set_widths()
        if self.look.sign is not None:
            self._write_sign_off(self.look.sign)
        lines: dict[int, int] = {}
        broken_by: dict[tuple[str, float], tuple[str, int]] = {}
        clean: dict[str, str] = {}  # texts safe_text leaves as they are
        widths = self.widths
        for r, c, text, span, cell in self._texts:
            width = widths[c - 1] if span == 1 else sum(widths[c - 1:c - 1 + span])
            found = broken_by.get((text, width))
            if found is None:
                broken = wrap(text, width)
                found = broken_by[(text, width)] = ("\n".join(broken), len(broken))
            joined, n = found
            if cell is None:
                self.warnings.extend(put(self.ws.cell(row=r, column=c), joined))
            else:
                safe = clean.get(joined)
                if safe is None:
                    safe = self._safe(joined, r, c)
                    if safe == joined:
                        clean[joined] = safe
                cell[1] = safe
            if n > 1 and n > lines.get(r, 1):
                lines[r] = n
        for r in range(1, self.row):
            height = self._heights.get(r)
            if height is None:
                height = max(MIN_ROW_HEIGHT, lines.get(r, 1) * LINE_HEIGHT + ROW_PADDING)
            elif lines.get(r, 1) > 1:
                height = max(height, lines[r] * LINE_HEIGHT + ROW_PADDING)
            self._heights[r] = min(height, MAX_ROW_HEIGHT)
        first, last = self.header_rows
        if first:
            self.ws.freeze_panes = self.ws.cell(row=last + 1, column=freeze_col).coordinate
            if repeat_header:
                self.ws.print_title_rows = f"{first}:{last}"
        self.ws.print_area = f"A1:{get_column_letter(self.last_col)}{self.row - 1}"
        if one_page and self.one_page_scale() >= MIN_SCALE:
            page_setup(self.ws, self.paper, fit_height=1)
            return
        page_setup(self.ws, self.paper)
        for r in self.page_breaks(repeat_header and bool(first)):
            self.ws.row_breaks.append(Break(id=r - 1))

    def _measure_shown(self) -> None:
        """Widen columns to their numbers and dates as shown (see `add`).

        Every character of a number's shown text (digits, sign, separators, %) is equally narrow and
        the text is longer the further the value is from zero, so the largest and the smallest value
        of a column and format are the widest (or a negative zero); a date shows as wide as any other.
        """
        for (c, kind, dated), values in self._shown.items():
            widest = [values[0]] if dated else [max(values), min(values)]
            if not dated and widest[1] == 0:  # a -0.0 shows a sign that 0 does not
                widest += [v for v in values if v == 0 and isinstance(v, Decimal) and v.is_signed()][:1]
            for value in widest:
                self._demand[c - 1] = max(self._demand[c - 1], line_width(_shown(value, kind)))
        self._shown.clear()

    def _set_widths(self) -> None:
        """Each column as wide as its text within its range; spare page width goes to wrapped text."""
        self.widths = []
        for c, column in enumerate(self.columns, start=1):
            low, high = column.widths
            low = max(low, min(self._least[c - 1] + SIDE_PADDING, high))  # no word cut if the cap allows
            self.widths.append(_up(min(max(self._demand[c - 1] + SIDE_PADDING, low), high)))
        # Too wide to print at 80 %: wrapped text gives up width (numbers never do), first down to its
        # longest word, then, if that is not enough, to a few characters a line.
        for keep_words in (True, False):
            over = sum(self.widths[:self.last_col]) - self.paper.budget()
            if over <= 0:
                break
            room = {}
            for c in range(self.last_col):
                low = max(self.columns[c].widths[0], MIN_WRAP_WIDTH,
                          self._least[c] + SIDE_PADDING if keep_words else 0.0)
                if self.columns[c].kind == "wrap" and low < self.widths[c]:
                    room[c] = self.widths[c] - low
            share = min(1.0, over / sum(room.values())) if room else 0.0
            for c, give in room.items():
                self.widths[c] = math.floor((self.widths[c] - give * share) * 10) / 10
        spare = self.paper.printable()[0] / POINTS_PER_UNIT - sum(self.widths[:self.last_col])
        short = {c: self._demand[c] + SIDE_PADDING - self.widths[c] for c in range(self.last_col)
                 if self.columns[c].kind == "wrap" and self._demand[c] + SIDE_PADDING > self.widths[c]}
        wanted = sum(short.values())
        if spare > 1 and wanted > 0:  # fewer lines at full size rather than a narrow table on a wide page
            share = min(1.0, (spare - 1) / wanted)
            for c, more in short.items():
                self.widths[c] = _up(self.widths[c] + more * share)
        for c, width in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(c)].width = width

    def _write_sign_off(self, sign: SignOff) -> None:
        self._glue.add(self.row - 1)  # the line is never alone on a page: it signs the rows above it
        self._glue.add(self.row)
        self.gap(8)
        r = self.row
        style = self.styles.name("text", border=False, wrap=False, valign="bottom")
        parts = sign.parts()
        bounds = spread(self.widths[:self.last_col], [line_width(p) + SIDE_PADDING for p in parts])
        if bounds is None:
            parts, bounds = ["　　".join(parts)], [(1, self.last_col)]
        for part, (c1, c2) in zip(parts, bounds, strict=True):
            self.cell(r, c1, None, style)
            self._texts.append((r, c1, part, c2 - c1 + 1, None))
            if c2 > c1:
                self.ws.merge_cells(start_row=r, start_column=c1, end_row=r, end_column=c2)
        self._heights[r] = SIGN_OFF_HEIGHT
        self.row += 1

    # --- pages -------------------------------------------------------------------------------------------

    def scale(self) -> float:
        """The scale the sheet prints at, one page wide (see `style.print_scale`)."""
        return print_scale(self.paper, sum(self.widths[:self.last_col]))

    def one_page_scale(self) -> float:
        """The scale that puts the whole sheet on one page."""
        height = sum(self._heights[r] for r in range(1, self.row))
        return min(self.scale(), int(100 * self.paper.printable()[1] * PAGE_FILL / height) / 100)

    def page_breaks(self, repeat_header: bool) -> list[int]:
        """First rows of the pages after the first (see `pages.page_breaks`)."""
        first, last = self.header_rows
        title = sum(self._heights[r] for r in range(first, last + 1)) if repeat_header else 0.0
        rows = Rows(self._heights, self._body, self._glue, self._blocks)
        return page_breaks(rows, self.paper.printable()[1] * PAGE_FILL / self.scale(), title)


def save_tables(wb: Workbook, sheets: Sequence[TableSheet], handle: IO[bytes], stamp: datetime) -> None:
    """Save a workbook whose table sheets keep their cells in `TableSheet.body` (see `sheetxml`)."""
    bodies = {id(t.ws): (t.body, t._heights) for t in sheets}
    save_reproducibly(wb, handle, stamp, lambda book, archive: TableWriter(book, archive, bodies))


__all__ = ["BODY_SIZE", "NUMBER_FORMATS", "TableSheet", "save_tables"]
