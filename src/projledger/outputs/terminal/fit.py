"""Tables and prose that fit the terminal's width, down to 80 columns, without cutting a figure.

Rich's own tables shrink every column alike when space runs out, so a number, a date or an id loses its
tail (`108,060.…`, `2025-09-…`), and rich wraps Chinese text at any character, so a line can break
inside a figure. Here the width is decided per kind of column instead:

- `fixed` columns (numbers, dates, ids, counts, short words) are never cut; a narrower header (`short`)
  is used first, and when the row still does not fit, whole columns are dropped, least important first;
- `name` columns (project and unit names) are shortened with "…";
- `wrap` columns (reasons, lists, progress text) are wrapped like prose.

Prose is wrapped by display width (a Chinese character is two cells) at Chinese punctuation first, then
between Chinese characters, never inside a run of digits, Latin letters and the marks numbers, dates and
ids are made of. Everything stays `rich.text.Text` (ledger text is never read as markup), and a table is
drawn as plain lines of text, which is also much cheaper than a rich Table.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Literal

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import StyleType
from rich.text import Text

Kind = Literal["fixed", "name", "wrap"]
Justify = Literal["left", "right"]
ELLIPSIS = "…"

# A line may end after these (and after a space), and may start before the opening ones.
_BREAK_AFTER = frozenset("，。；：、！？）」』】》｜,;")
_BREAK_BEFORE = frozenset("（「『【《")
# Runs of these stay together: numbers (1,631,300.00 / 74.3% / -9.1), dates, ids (2026-cj-003), words.
_TOKEN = re.compile(r"[0-9A-Za-z.,%+\-/:~_#@=·]+")


def _wide(c: str) -> bool:
    return cell_len(c) == 2


def break_points(plain: str) -> tuple[array[int], ...]:
    """Offsets where a line may break, in five lists from best to worst.

    After a Chinese punctuation mark, before an opening bracket, after a space, before a number, between
    Chinese characters; never inside a token, nor between a number and the word after it (`24 项`,
    `83.3个`), nor before a closing or after an opening mark.
    """
    # Flags and offsets in compact arrays: a paragraph naming 18,000 projects has 400,000 characters.
    in_token = bytearray(len(plain) + 1)
    token_char = bytearray(len(plain))
    for m in _TOKEN.finditer(plain):
        for i in range(m.start(), m.end()):
            token_char[i] = True
            if i > m.start():
                in_token[i] = True
    after, opening, space, number, chars = (array("q") for _ in range(5))
    for i in range(1, len(plain)):
        if in_token[i]:
            continue
        before, here = plain[i - 1], plain[i]
        if here in _BREAK_AFTER or before in _BREAK_BEFORE or here == " ":
            continue
        if before in _BREAK_AFTER:
            after.append(i)
        elif here in _BREAK_BEFORE:
            opening.append(i)
        elif before == " ":
            if not (i >= 2 and token_char[i - 2] and _wide(here)):
                space.append(i)
        elif _wide(before) and token_char[i]:
            number.append(i)
        elif _wide(before) and _wide(here):
            chars.append(i)
    return after, opening, space, number, chars


def wrap_text(text: Text | str, width: int, indent: int = 0) -> list[Text]:
    """`text` as lines of at most `width` cells (continuation lines indented by `indent` cells).

    A line breaks at the last punctuation mark or space that fits when that keeps a third of the line,
    else between Chinese characters, and only inside a run of digits and letters when that run alone is
    wider than the line.
    """
    text = Text(text) if isinstance(text, str) else text
    width = max(width, 2)
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        lines.extend(_wrap_paragraph(paragraph, width, indent))
    return lines


def _wrap_paragraph(text: Text, width: int, indent: int) -> list[Text]:
    plain = text.plain
    n = len(plain)
    # cum[i]: the cells of plain[:i]. With it and bisection each line costs its own length, not the rest of
    # the paragraph's: a list of 18,000 unreported projects' names wraps in linear time.
    cum = array("q", accumulate(map(_cells, plain), initial=0))
    levels = break_points(plain)  # each list in increasing order
    cuts: list[int] = []
    start, room = 0, width
    while cum[n] - cum[start] > room:
        # The longest prefix that fits, then the best break point inside it.
        end = bisect_right(cum, cum[start] + room) - 1
        fitting = [_last_in(level, start, end) for level in levels]
        cut = 0
        for k, best in enumerate(fitting):
            # A better kind of break wins when it still fills a third of the line (or when it is the last kind).
            if best and ((cum[best] - cum[start]) * 3 >= room or k == len(levels) - 1):
                cut = best
                break
        if not cut:
            cut = max(fitting)
        if not cut:
            cut = max(end, start + 1)  # one run wider than the line: fold it
        cuts.append(cut)
        start = cut
        while start < n and plain[start] == " ":
            start += 1
        if start != cut:
            cuts.append(start)
        room = width - indent
    pieces = text.divide(cuts) if cuts else [text]
    lines = [p for p in pieces if p.plain.strip() or len(pieces) == 1]
    for i in range(1, len(lines)):
        if indent:
            lines[i] = Text(" " * indent) + lines[i]
    for line in lines:
        line.rstrip()
    return lines or [Text("")]


def _last_in(points: array[int], start: int, end: int) -> int:
    """The largest point p with start < p <= end, or 0."""
    j = bisect_right(points, end) - 1
    return points[j] if j >= 0 and points[j] > start else 0


@lru_cache(maxsize=4096)
def _cells(ch: str) -> int:
    return cell_len(ch)


def shorten(text: Text | str, width: int) -> Text:
    """`text` cut to `width` cells with a trailing "…" when it is wider."""
    text = Text(text) if isinstance(text, str) else text
    if cell_len(text.plain) <= width:
        return text
    used, end = 0, 0
    for ch in text.plain:
        if used + cell_len(ch) > width - 1:
            break
        used += cell_len(ch)
        end += 1
    head = text.divide([end])[0] if end else Text("")
    head.append(ELLIPSIS, style=text.style)
    return head


def _pad(text: Text, width: int, justify: Justify) -> Text:
    gap = width - cell_len(text.plain)
    if gap <= 0:
        return text
    return Text(" " * gap) + text if justify == "right" else text + Text(" " * gap)


class Prose:
    """Text wrapped to the console's width by `wrap_text` (the terminal never breaks it mid-figure)."""

    def __init__(self, text: Text | str, indent: int = 0, style: StyleType = "") -> None:
        self.text = Text(text, style=style) if isinstance(text, str) else text
        self.indent = indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap_text(self.text, options.max_width, self.indent):
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(options.max_width, 20), min(options.max_width, cell_len(self.text.plain)))

    def batches(self, width: int, size: int = 500) -> Iterator[RenderableType]:
        """The paragraph wrapped once and drawn `size` lines at a time (see `Grid.batches`)."""
        lines = wrap_text(self.text, width, self.indent)
        for at in range(0, len(lines), size):
            yield _Lines(lines[at:at + size])


def in_batches(renderable: RenderableType, width: int) -> Iterator[RenderableType]:
    """A renderable as pieces to print one by one: long tables and paragraphs in batches, groups part by part.

    The text is the same as printing it whole; only the drawing held in memory at once is smaller.
    """
    if isinstance(renderable, Grid | Prose):
        yield from renderable.batches(width)
    elif isinstance(renderable, Group):
        for part in renderable.renderables:
            yield from in_batches(part, width)
    else:
        yield renderable


def prose_lines(items: Iterable[Text | str]) -> list[Prose]:
    """Several paragraphs as Prose."""
    return [Prose(item) for item in items]


@dataclass
class Col:
    """A column: how it may give up width (`kind`), and how soon it is dropped (`drop`, 0 = never)."""

    header: str
    kind: Kind = "fixed"
    justify: Justify = "left"
    drop: int = 0
    min_width: int = 6
    short: str | None = None  # a narrower header, used before anything is cut or dropped
    weight: float = 1.0  # how firmly a name or wrap column keeps its width (lower gives sooner)
    want: int = 0  # a width worth dropping a droppable column for (a wrap column's comfortable width)

    def header_width(self, short: bool) -> int:
        """Cells of the widest header line (of the short header when `short`)."""
        header = self.short if short and self.short is not None else self.header
        return max((cell_len(line) for line in header.split("\n")), default=0)


Cell = Text | str


@dataclass(slots=True)
class _Row:
    cells: tuple[Cell, ...] | None  # None: a full-width group line
    style: StyleType
    line: Text | None = None
    rule_before: bool = False


class Grid:
    """A table laid out for the width it is drawn at; see the module docstring for the rules."""

    def __init__(self, columns: Sequence[Col], title: Text | str | None = None, gap: int = 1,
                 header: bool = True) -> None:
        self.columns = list(columns)
        self.header = header
        self.title = Text(title, style="bold") if isinstance(title, str) else title
        self.gap = gap
        self.rows: list[_Row] = []
        self._rule = False

    def add_row(self, *cells: Cell, style: StyleType = "") -> None:
        """A row with one cell per column."""
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(_Row(cells, style, rule_before=self._rule))
        self._rule = False

    def add_line(self, text: Text | str, style: StyleType = "") -> None:
        """A full-width line between rows (a group heading), wrapped as prose."""
        line = Text(text, style=style) if isinstance(text, str) else text
        self.rows.append(_Row(None, style, line, rule_before=self._rule))
        self._rule = False

    def add_section(self) -> None:
        """A rule before the next row (e.g. before a 合计 row)."""
        self._rule = True

    # --- layout ---------------------------------------------------------------------------------------

    def _cells(self, i: int) -> list[str]:
        return [c.plain if isinstance(c, Text) else c for r in self.rows if r.cells is not None for c in [r.cells[i]]]

    def _natural(self, i: int, short: bool) -> int:
        values = [max((cell_len(x) for x in v.split("\n")), default=0) for v in self._cells(i)]
        head = self.columns[i].header_width(short) if self.header else 0
        return max([head, *values])

    def _least(self, i: int, short: bool) -> int:
        col = self.columns[i]
        head = col.header_width(short) if self.header else 0
        if col.kind == "fixed":
            return self._natural(i, short)
        if col.kind == "name":
            return min(self._natural(i, short), max(col.min_width, head))
        longest_token = max((cell_len(m.group()) for v in self._cells(i) for m in _TOKEN.finditer(v)), default=0)
        return min(self._natural(i, short), max(col.min_width, head, longest_token))

    def layout(self, width: int) -> tuple[list[int], dict[int, int], set[int]]:
        """(columns shown, their widths, those with the short header) for a total width."""
        # A column with neither header nor content (a trend bar of zeros) takes no room at all.
        shown = [i for i in range(len(self.columns)) if self._natural(i, False) > 0]
        while True:
            short: set[int] = set()
            widths = {i: self._natural(i, False) for i in shown}
            if self._total(widths) > width:
                for i in shown:
                    if self.columns[i].short is not None:
                        short.add(i)
                        widths[i] = self._natural(i, True)
            excess = self._total(widths) - width
            least = {i: self._least(i, i in short) for i in shown}
            room = sum(widths[i] - least[i] for i in shown)
            droppable = [i for i in shown if self.columns[i].drop > 0]
            if excess <= room or not droppable:
                self._shrink(widths, least, excess)
                # A text column squeezed below what it wants (a reason folding into three lines) is worth
                # more than the least important column: drop that one instead, if there is one.
                cramped = any(widths[i] < min(self.columns[i].want, self._natural(i, False)) for i in shown)
                if not (cramped and droppable):
                    return shown, widths, short
            shown.remove(max(droppable, key=lambda i: (self.columns[i].drop, i)))

    def _total(self, widths: dict[int, int]) -> int:
        return sum(widths.values()) + self.gap * max(len(widths) - 1, 0)

    def _shrink(self, widths: dict[int, int], least: dict[int, int], excess: int) -> None:
        # One cell at a time from the column widest for its weight, so that names end up alike.
        while excess > 0:
            giving = [i for i in widths if widths[i] > least[i]]
            if not giving:
                return
            widest = max(giving, key=lambda i: (widths[i] / self.columns[i].weight, i))
            widths[widest] -= 1
            excess -= 1

    # --- drawing --------------------------------------------------------------------------------------

    def lines(self, width: int) -> list[Text]:
        """The table as lines of at most `width` cells (wider only when even the fixed columns are)."""
        return list(self._lines(width))

    def batches(self, width: int, size: int = 500) -> Iterator[RenderableType]:
        """The table drawn `size` lines at a time, laid out once for all rows.

        Printed batch by batch, a table of twenty thousand projects never holds its whole drawing in memory
        (rich gathers everything one `print` draws before writing it); the text is the same as one print.
        """
        batch: list[Text] = []
        for line in self._lines(width):
            batch.append(line)
            if len(batch) >= size:
                yield _Lines(batch)
                batch = []
        if batch:
            yield _Lines(batch)

    def _lines(self, width: int) -> Iterator[Text]:
        shown, widths, short = self.layout(width)
        total = self._total({i: widths[i] for i in shown})
        out: list[Text] = []
        if self.title is not None:
            out.extend(wrap_text(self.title, width))
        if self.header:
            headers = [self._header_lines(i, i in short) for i in shown]
            height = max((len(h) for h in headers), default=0)
            # A one-line header sits on the bottom line, next to the second line of the two-line ones.
            headers = [[""] * (height - len(h)) + h for h in headers]
            for k in range(height):
                out.append(self._join([Text(h[k]) for h in headers], shown, widths, "bold"))
            out.append(Text("─" * min(total, width), style="dim"))
        for row in self.rows:
            if row.rule_before:
                out.append(Text("─" * min(total, width), style="dim"))
            if row.cells is None:
                assert row.line is not None
                out.extend(wrap_text(row.line, width))
            else:
                out.extend(self._row_lines(row, shown, widths))
            yield from _trimmed(out)
            out = []
        yield from _trimmed(out)

    def _header_lines(self, i: int, short: bool) -> list[str]:
        col = self.columns[i]
        return (col.short if short and col.short is not None else col.header).split("\n")

    def _row_lines(self, row: _Row, shown: list[int], widths: dict[int, int]) -> list[Text]:
        assert row.cells is not None
        blocks: list[list[Text]] = []
        for i in shown:
            cell = row.cells[i]
            text = Text(cell) if isinstance(cell, str) else cell
            kind, w = self.columns[i].kind, widths[i]
            if kind == "wrap":
                blocks.append(wrap_text(text, w))
            elif kind == "name":
                blocks.append([shorten(part, w) for part in text.split("\n")])
            else:
                blocks.append(list(text.split("\n")))
        height = max(len(b) for b in blocks)
        return [self._join([b[k] if k < len(b) else Text("") for b in blocks], shown, widths, row.style)
                for k in range(height)]

    def _join(self, cells: list[Text], shown: list[int], widths: dict[int, int], style: StyleType) -> Text:
        line = Text(style=style)  # the row's style under the cells' own styles
        for n, (i, cell) in enumerate(zip(shown, cells, strict=True)):
            if n:
                line.append(" " * self.gap)
            line.append_text(_pad(cell, widths[i], self.columns[i].justify))
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self._lines(options.max_width):
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        shown, widths, _ = self.layout(options.max_width)
        return Measurement(self._total({i: widths[i] for i in shown}), options.max_width)


def _trimmed(lines: list[Text]) -> list[Text]:
    for line in lines:
        line.rstrip()
    return lines


class _Lines:
    """Lines already laid out, drawn as they are."""

    def __init__(self, lines: list[Text]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines:
            yield from line.render(console)
            yield Segment.line()


__all__ = ["Col", "Grid", "in_batches", "Prose", "break_points", "prose_lines", "shorten", "wrap_text"]
