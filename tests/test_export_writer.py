"""The fast writer of table cells (`sheetxml`) writes what openpyxl itself writes, byte for byte.

Each workbook is saved twice: once as `export` saves it (body cells written by `sheetxml.TableWriter`),
once with every body cell put into an openpyxl cell and the workbook saved by openpyxl alone. The two
files must be the same, part by part: same values, types, styles (ids and their order), row heights,
dimensions. Then the file is reopened to check what a user meets: formula-like text stays text.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook, load_workbook

from projledger.figures.metrics import compute, report_month
from projledger.figures.schedule import build_schedule
from projledger.ledger.load import load_ledger
from projledger.outputs.workbook.cells import put
from projledger.outputs.workbook.layout import Column, Look, SignOff
from projledger.outputs.workbook.style import PAPERS, Styles, save_reproducibly
from projledger.outputs.workbook.table import TableSheet, save_tables
from projledger.outputs.workbook.xlsx import build_workbook

STAMP = datetime(2026, 10, 31)
TRICKY = ["=SUM(A1:A2)", '=HYPERLINK("http://x","y")', "+86 123", "-负号", "@提及", "\t制表符开头",
          "a<b>&c \"引号\" 'x'", "  前后空格  ", "行一\n行二", "回车\r在中间", "#N/A", "#DIV/0!", "007", "",
          "😀 表情", "㐀𠀀 扩展区汉字", "]]>", "&amp;"]


def _saved_fast(wb: Workbook, sheets: list[TableSheet]) -> dict[str, bytes]:
    out = io.BytesIO()
    save_tables(wb, sheets, out, STAMP)
    with zipfile.ZipFile(out) as z:
        return {name: z.read(name) for name in z.namelist()}


def _saved_by_openpyxl(wb: Workbook, sheets: list[TableSheet]) -> dict[str, bytes]:
    """Every body cell as an openpyxl cell, with its height, then openpyxl's own save."""
    for t in sheets:
        for r, cells in t.body.rows.items():
            for c, value, style in cells:
                cell = t.ws.cell(row=r, column=c)
                cell.style = style
                put(cell, value)
        for r, height in t._heights.items():
            t.ws.row_dimensions[r].height = height
    out = io.BytesIO()
    save_reproducibly(wb, out, STAMP)
    with zipfile.ZipFile(out) as z:
        return {name: z.read(name) for name in z.namelist()}


def _same(fast: dict[str, bytes], slow: dict[str, bytes]) -> None:
    assert list(fast) == list(slow)
    for name in slow:
        assert fast[name] == slow[name], name


def _tricky_sheet() -> tuple[Workbook, list[TableSheet]]:
    wb = Workbook()
    wb.remove(wb.active)
    look = Look(Styles(wb), PAPERS["A4"], SignOff("办公室", None, "审核"))
    columns = [Column("序号", "center"), Column("文字", "wrap", max_width=20), Column("金额", "money"),
               Column("完成率", "rate"), Column("差", "points"), Column("日期", "date"), Column("月份", "month"),
               Column("数", "int"), Column("备注", "text")]
    t = TableSheet(wb.create_sheet("表"), columns, look)
    t.title("=标题像公式", "-副标题")
    t.header()
    t.add(["合计", None, Decimal("5200.5"), Decimal("0.5"), Decimal("-3.2"), None, None, 7, None], span=2,
          bold=True, fill="group", glue=True)
    for i, text in enumerate(TRICKY, start=1):
        t.add([i, text, Decimal(i * 1000) / 8, Decimal(i) / 100, "—", date(2026, 1, i), datetime(2026, i % 12 + 1, 1),
               -i, text], fill="red" if i % 3 == 0 else "none")
    t.add([None, True, 1.25, Fraction(1, 3), None, None, None, 10 ** 17, False])  # what `put` turns to text
    t.note("@说明")
    t.finish(freeze_col=3)
    return wb, [t]


def test_tricky_cells_are_written_as_openpyxl_writes_them() -> None:
    fast = _saved_fast(*_tricky_sheet())
    _same(fast, _saved_by_openpyxl(*_tricky_sheet()))


def test_the_example_workbook_is_written_as_openpyxl_writes_it(example_root: Path) -> None:
    def build() -> tuple[Workbook, list[TableSheet]]:
        loaded, _ = load_ledger(example_root)
        assert loaded is not None
        mf = compute(loaded, report_month(loaded, None))
        wb, sheets, _ = build_workbook(mf, build_schedule(loaded, mf.month))
        return wb, sheets

    _same(_saved_fast(*build()), _saved_by_openpyxl(*build()))


def test_tricky_cells_read_back(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(_zip(_saved_fast(*_tricky_sheet())))
    ws = load_workbook(path)["表"]
    for i, text in enumerate(TRICKY):
        cell = ws.cell(row=5 + i, column=9)
        if text == "":
            assert cell.value is None  # an empty text reads back as an empty cell
            continue
        assert cell.value.replace("\n", "") == text.replace("\n", ""), text  # broken into lines, nothing lost
        assert cell.data_type == "s", text  # never a formula or an error value
        assert cell.quotePrefix == text.startswith(("=", "+", "-", "@", "\t")), text
        assert cell.font.name == "宋体" and cell.border.left.style == "thin"
        assert cell.fill.fgColor.rgb[-6:] == ("F4A6A6" if i % 3 == 2 else "000000")
    assert ws["A1"].value == "=标题像公式" and ws["A1"].data_type == "s" and ws["A1"].quotePrefix
    money = ws["C5"]
    assert money.value == 125 and money.number_format == "#,##0" and money.alignment.horizontal == "right"
    assert ws["F5"].value == datetime(2026, 1, 1) and ws["F5"].number_format == "yyyy-mm-dd"
    assert ws["G5"].number_format == 'yyyy"."mm'
    last = 5 + len(TRICKY)
    assert ws.cell(row=last, column=2).value == "是" and ws.cell(row=last, column=9).value == "否"
    assert ws.cell(row=last, column=4).value == "1/3"
    assert ws.freeze_panes == "C4"
    assert ws.row_dimensions[1].height == 32


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()
