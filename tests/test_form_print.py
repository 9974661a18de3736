"""The fill-in form as a unit prints it: page setup, fonts, row heights, the 填报单位 lines and 报送时限."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from ledgerkit import project, report, write_ledger
from projledger.cli import app
from projledger.outputs.workbook.style import PAPERS, print_scale

UNIT = "产业集聚区管委会"


def make_form(root: Path, out: Path, *extra: str) -> openpyxl.Workbook:
    result = CliRunner().invoke(app, ["form", "--unit", UNIT, "--month", "2026-11", "-o", str(out),
                                      "--ledger", str(root), *extra])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


def visible(wb: openpyxl.Workbook) -> list[Worksheet]:
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


def meta(wb: openpyxl.Workbook) -> dict[str, object]:
    return {row[0]: row[1] for row in wb["meta"].iter_rows(values_only=True)}


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_repeated(
        example_root: Path, tmp_path: Path) -> None:
    wb = make_form(example_root, tmp_path / "f.xlsx")
    places = meta(wb)
    assert [ws.title for ws in visible(wb)] == ["填报表", "存在问题", "前期手续"]
    for ws in visible(wb):
        header = int(str(places[f"{ws.title}.header_row"]))
        first = int(str(places[f"{ws.title}.first_row"]))
        assert first == header + 1
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert int(setup.paperSize) == 9, ws.title  # A4: the form's columns fit it at 80 % or more
        assert ws.print_title_rows == f"${header}:${header}"
        last = max(c.column for c in ws[header] if c.value is not None)
        width = sum(ws.column_dimensions[chr(64 + c)].width for c in range(1, last + 1))
        assert print_scale(PAPERS["A4"], width) >= 0.8, (ws.title, width)
        assert ws.print_area == f"'{ws.title}'!$A$1:${chr(64 + last)}${ws.max_row}"
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
        # explicit heights: every row, data rows tall enough to write in by hand
        assert all(ws.row_dimensions[r].height for r in range(1, ws.max_row + 1)), ws.title
        assert all(ws.row_dimensions[r].height >= 30 for r in range(first, ws.max_row + 1)), ws.title
        # 宋体 throughout, the title in 黑体
        assert ws["A1"].font.name == "黑体"
        fonts = {c.font.name for row in ws.iter_rows(min_row=2) for c in row if c.value is not None}
        assert fonts == {"宋体"}, ws.title
        assert all(c.font.bold for c in ws[header] if c.value is not None)


def test_the_unit_line_the_deadline_and_the_signatures_above_the_table(example_root: Path, tmp_path: Path) -> None:
    wb = make_form(example_root, tmp_path / "f.xlsx")  # the example ledger says packet.form_due_day: 25
    for ws in visible(wb):
        info = [c.value for c in ws[2] if c.value]
        assert info == [f"填报单位（盖章）：{UNIT}", "报送时限：请于2026年11月25日前报送"], ws.title
        signs = "".join(str(c.value) for c in ws[3] if c.value)
        for label in ("单位负责人：", "填报人：", "联系电话：", "填报日期："):
            assert label in signs, (ws.title, signs)
        note = ws["A4"]
        assert note.value.startswith(("填写说明", "说明")) and note.alignment.wrap_text
        assert ws.row_dimensions[4].height >= 20
    # --due wins over the setting; a day past the month's end is its last day
    wb = make_form(example_root, tmp_path / "g.xlsx", "--due", "2026-11-20")
    assert "报送时限：请于2026年11月20日前报送" in [c.value for c in wb["填报表"][2]]
    result = CliRunner().invoke(app, ["form", "--unit", UNIT, "--due", "11月20日", "-o", str(tmp_path / "h.xlsx"),
                                      "--ledger", str(example_root)])
    assert result.exit_code == 2 and "--due" in result.output


def test_no_deadline_set_leaves_a_blank_to_fill_in(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", [project("001", unit="甲街道", progress=[report("2026-10", 10, "主体施工")])])
    out = tmp_path / "f.xlsx"
    result = CliRunner().invoke(app, ["form", "--unit", "甲街道", "--month", "2026-11", "-o", str(out),
                                      "--ledger", str(root)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["填报表"]
    assert [c.value for c in ws[2] if c.value] == ["填报单位（盖章）：甲街道", "报送时限：请于　　月　　日前报送"]
    settings = (root / "projledger.yaml").read_text("utf-8") + "packet: {form_due_day: 31}\n"
    (root / "projledger.yaml").write_text(settings, "utf-8")
    result = CliRunner().invoke(app, ["form", "--unit", "甲街道", "--month", "2026-11", "-o", str(out),
                                      "--ledger", str(root)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["填报表"]
    assert "报送时限：请于2026年11月30日前报送" in [c.value for c in ws[2]]  # November has 30 days


def test_short_names_are_not_wrapped_and_long_text_rows_grow(example_root: Path, tmp_path: Path) -> None:
    wb = make_form(example_root, tmp_path / "f.xlsx")
    ws = wb["存在问题"]
    owner = next(c.column for c in ws[5] if c.value == "责任单位")
    width = ws.column_dimensions[chr(64 + owner)].width
    assert width >= 2 * len("市生态环境局示例分局") * 0.95  # the longest owner prints on one line
    main = wb["填报表"]
    heights = [main.row_dimensions[r].height for r in range(6, main.max_row + 1)]
    assert max(heights) > min(heights) or min(heights) >= 30


def test_a_form_reimports_unchanged_after_the_layout(example_root: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    shutil.copytree(example_root, ledger)
    out = tmp_path / "f.xlsx"
    make_form(ledger, out, "--due", "2026-11-25")
    result = CliRunner().invoke(app, ["import", str(out), "--dry-run", "--ledger", str(ledger)])
    assert result.exit_code == 0, result.output
    assert "错误" not in result.output
