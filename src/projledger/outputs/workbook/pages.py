"""Where a printed sheet's pages break: full pages, and no page left with a handful of rows.

Excel and LibreOffice break a one-page-wide sheet where a page is full, so the last page of a table
often carries two or three rows, a group's label row ends a page without its projects, and a chart can
be cut in half. The table knows every row's height, the scale it prints at and the paper, so it sets
the breaks itself: rows glued to the next one (titles, header rows, group labels, the sign-off line)
and blocks (a chart) stay together, and the last break moves up until the last page holds at least
`MIN_ROWS_PER_PAGE` rows of the table, when the page before can spare them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

MIN_ROWS_PER_PAGE = 6
PAGE_FILL = 0.96  # of the printable height: leave room for rounding in the spreadsheet's own layout


@dataclass(frozen=True)
class Rows:
    """What the breaking needs to know of a sheet's rows (numbered from 1, every one with a height)."""

    heights: Mapping[int, float]
    body: Collection[int]  # rows that count as lines of a table
    glue: Collection[int]  # rows that stay on the page of the row after them
    blocks: Sequence[tuple[int, int]] = ()  # (first, last) ranges never cut


Atom = tuple[list[int], float]  # rows that go onto a page together, and their height


def page_breaks(rows: Rows, room: float, title: float) -> list[int]:
    """First rows of the pages after the first.

    `room` is the printable height in sheet points (already divided by the print scale); `title` the
    height of the header rows repeated at the top of every page after the first.
    """
    atoms = _atoms(rows)
    starts = [0]  # indexes into atoms where a page starts
    used = 0.0
    for i, (_, height) in enumerate(atoms):
        cap = room if len(starts) == 1 else room - title
        if used + height > cap and used > 0:
            starts.append(i)
            used = 0.0
        used += height
    if len(starts) > 1:
        starts[-1] = _fill_last_page(rows, atoms, starts, room - title)
    return [atoms[i][0][0] for i in starts[1:]]


def _atoms(rows: Rows) -> list[Atom]:
    """Runs of rows that stay on one page: a glued row with the next, a block as a whole."""
    in_block = {r: b for b in rows.blocks for r in range(b[0], b[1] + 1)}
    end = max(rows.heights, default=0) + 1
    atoms: list[Atom] = []
    pending: list[int] = []
    r = 1
    while r < end:
        block = in_block.get(r)
        run = list(range(block[0], block[1] + 1)) if block else [r]
        pending.extend(run)
        r = run[-1] + 1
        if run[-1] in rows.glue and r < end:
            continue
        atoms.append((pending, sum(rows.heights[x] for x in pending)))
        pending = []
    if pending:
        atoms.append((pending, sum(rows.heights[x] for x in pending)))
    return atoms


def _fill_last_page(rows: Rows, atoms: list[Atom], starts: list[int], cap: float) -> int:
    """Move the last break earlier until the last page holds `MIN_ROWS_PER_PAGE` rows, if it can."""

    def body(lo: int, hi: int) -> int:
        return sum(r in rows.body for run, _ in atoms[lo:hi] for r in run)

    start, previous = starts[-1], starts[-2]
    height = sum(h for _, h in atoms[start:])
    while body(start, len(atoms)) < MIN_ROWS_PER_PAGE and start - 1 > previous:
        moved = atoms[start - 1][1]
        if height + moved > cap or body(previous, start - 1) < MIN_ROWS_PER_PAGE:
            break
        start -= 1
        height += moved
    return start
