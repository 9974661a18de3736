"""The fill-in form and its import, as an office uses them: form -> a unit fills it in -> import."""

from __future__ import annotations

import shutil
import time
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from projledger.cli import app
from projledger.ledger.load import load_ledger

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[1] / "ledgers" / "example"
UNIT = "新华街道"
CJ9 = "projects/新华街道/2026-cj-009.yaml"


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root)
    return root


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def make_form(ledger: Path, tmp_path: Path, month: str = "2026-11") -> Path:
    path = tmp_path / "新华街道填报表.xlsx"
    code, output = invoke("form", "--unit", UNIT, "--month", month, "-o", str(path), "--ledger", str(ledger))
    assert code == 0, output
    return path


def fill(form: Path, cells: dict[Any, Any], out: Path | None = None, sheet: str = "填报表") -> Path:
    """A unit's staff filling in the form in Excel (openpyxl stands in for Excel); a key may be (sheet, cell)."""
    wb = openpyxl.load_workbook(form)
    for where, value in cells.items():
        name, coord = where if isinstance(where, tuple) else (sheet, where)
        wb[name][coord] = value
    target = out or form.with_name("返回-" + form.name)
    wb.save(target)
    return target


def row_of(form: Path, pid: str) -> int:
    ws = openpyxl.load_workbook(form)["填报表"]
    return next(c.row for c in ws["A"] if c.value == pid)


def test_defusedxml_guards_openpyxl() -> None:
    import projledger.ledger.xlsxin  # noqa: F401

    assert openpyxl.DEFUSEDXML is True


def test_form_has_one_row_per_project_last_month_grey_and_a_hidden_meta_sheet(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path)
    wb = openpyxl.load_workbook(form)
    ws = wb["填报表"]
    assert ws["A1"].value == "示例区2026年重点项目11月进度填报表（新华街道）"
    assert ws["A2"].value == "填报单位（盖章）：新华街道"
    assert "填写说明" in ws["A4"].value
    assert [c.value for c in ws[5]] == [
        "项目编号", "项目名称", "年度计划投资（万元）", "1-11月计划投资（万元）", "1-10月累计完成投资（万元）", "10月形象进度",
        "1-11月累计完成投资（万元）", "11月完成投资（万元，自动计算）", "11月形象进度", "实际开工日期", "实际竣工日期",
        "下步计划", "需协调解决事项"]
    r = row_of(form, "2026-cj-009")
    assert ws[f"B{r}"].value == "新华公园改造提升工程"
    assert ws[f"D{r}"].value == 2453.33  # 1-11月计划: 2760 × 8/9 (a new start planned for April: Apr-Dec)
    assert ws[f"E{r}"].value == 2390.7 and ws[f"F{r}"].value == "园路及广场铺装，完成总工程量的35%"
    assert ws[f"G{r}"].value is None  # this month: to fill in
    assert ws[f"H{r}"].value == f'=IF(ISNUMBER(G{r}),G{r}-E{r},"")'  # 本月完成, worked out as it is typed
    assert ws[f"E{r}"].fill.fgColor.rgb.endswith("E7E6E6") and ws[f"E{r}"].protection.locked
    assert ws[f"H{r}"].protection.locked
    assert not ws[f"G{r}"].protection.locked and ws.protection.sheet
    assert not ws[f"L{r}"].protection.locked and not ws[f"M{r}"].protection.locked
    assert {str(dv.sqref) for dv in ws.data_validations.dataValidation} >= {"G6:G11", "J6:J11 K6:K11"}
    meta = {row[0]: row[1] for row in wb["meta"].iter_rows(values_only=True)}
    assert wb["meta"].sheet_state == "hidden"
    assert meta["unit"] == UNIT and meta["month"] == "2026-11" and meta["year"] == 2026
    ids = [c.value for c in ws["A"][5:]]
    assert ids == meta["ids"].split("\n") and len(ids) == 6
    assert wb.sheetnames == ["填报表", "存在问题", "前期手续", "meta"]


def test_form_text_cells_are_never_formulas(tmp_path: Path) -> None:
    from ledgerkit import project, write_ledger

    root = write_ledger(tmp_path / "l", [project("007", name='=HYPERLINK("http://x","点我")', unit="甲街道",
                                                 progress=[{"month": "2026-08", "completed": 10, "image": "+1"}])])
    form = tmp_path / "f.xlsx"
    code, output = invoke("form", "--unit", "甲街道", "--month", "2026-09", "-o", str(form), "--ledger", str(root))
    assert code == 0, output
    ws = openpyxl.load_workbook(form)["填报表"]
    assert ws["A6"].value == "007" and ws["A6"].data_type == "s"
    assert ws["B6"].data_type == "s" and ws["B6"].value.startswith("=HYPERLINK") and ws["B6"].quotePrefix
    assert ws["F6"].data_type == "s" and ws["F6"].quotePrefix


def test_filled_form_is_merged_keeping_the_file_as_written(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path)
    r = row_of(form, "2026-cj-009")
    wb = openpyxl.load_workbook(form)
    new_first = next(row[1] for row in wb["meta"].iter_rows(values_only=True) if row[0] == "存在问题.new_first")
    back = fill(form, {f"G{r}": 2500.25, f"I{r}": "园路完成，完成总工程量的40%", f"K{r}": datetime(2026, 11, 20),
                       f"L{r}": "完成儿童游乐设施安装", f"M{r}": "请区财政局拨付配套资金",
                       ("存在问题", f"A{new_first}"): "2026-cj-009", ("存在问题", f"C{new_first}"): "资金",
                       ("存在问题", f"D{new_first}"): "配套资金未到位",
                       ("存在问题", f"A{new_first + 1}"): "2026-cj-009",
                       ("存在问题", f"D{new_first + 1}"): "拆迁: 沿街2户未签约",
                       ("存在问题", f"F{new_first + 1}"): datetime(2026, 12, 15)})
    before = (ledger / CJ9).read_text(encoding="utf-8")
    others = {p: b for p, b in snapshot(ledger).items() if not str(p).endswith("2026-cj-009.yaml")}

    code, output = invoke("import", str(back), "--dry-run", "--ledger", str(ledger))
    assert code == 0, output
    assert "新增 2026-11 进度：1-11月累计完成 2500.25 万元" in output and "试运行，未写入任何文件" in output
    assert "新增问题：资金：配套资金未到位（责任单位 新华街道，限期 未定）" in output
    assert (ledger / CJ9).read_text(encoding="utf-8") == before

    code, output = invoke("import", str(back), "--ledger", str(ledger))
    assert code == 0, output
    assert "已更新 1 个项目" in output and "实际竣工日期 未填 → 2026-11-20" in output
    after = (ledger / CJ9).read_text(encoding="utf-8")
    assert after.startswith(before.split("actual:")[0])  # header comments and everything above untouched
    assert "actual: {start: 2026-04-20, finish: 2026-11-20}\n" in after
    assert after.endswith(
        "  - month: 2026-11\n    completed: 2500.25\n    image: 园路完成，完成总工程量的40%\n"
        "    next_plan: 完成儿童游乐设施安装\n    coordination: 请区财政局拨付配套资金\n    problems:\n"
        "      - {type: 资金, text: 配套资金未到位, owner: 新华街道, due: null, resolved: null}\n"
        "      - {type: 拆迁, text: 沿街2户未签约, owner: 新华街道, due: 2026-12-15, resolved: null}\n")
    assert {p: b for p, b in snapshot(ledger).items() if not str(p).endswith("2026-cj-009.yaml")} == others
    loaded, errors = load_ledger(ledger)
    assert loaded is not None and not [e for e in errors if e.is_error]
    p = loaded.find("2026-cj-009")
    assert p is not None and p.progress[-1].completed == Decimal("2500.25") and p.actual.finish == date(2026, 11, 20)
    assert p.progress[-1].next_plan == "完成儿童游乐设施安装"

    code, output = invoke("import", str(back), "--ledger", str(ledger))  # importing again changes nothing
    assert code == 0 and "已更新 0 个项目" in output, output
    assert (ledger / CJ9).read_text(encoding="utf-8") == after


def test_every_bad_cell_is_reported_and_nothing_written(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path)
    r7, r9 = row_of(form, "2026-cj-007"), row_of(form, "2026-cj-009")
    back = fill(form, {f"G{r7}": "五千", f"J{r7}": "2026/10/1", f"G{r9}": "=E9*1.1", f"K{r9}": "下月底",
                       "A12": "2026-xx-999", "G12": 1, "G2100": 5, "O7": "备注"})
    before = snapshot(ledger)
    code, output = invoke("import", str(back), "--ledger", str(ledger))
    assert code == 1
    name = back.name
    assert f"{name} 填报表!G{r7}: 错误：应为数字（万元）：“五千”不是金额数字" in output
    assert f"{name} 填报表!J{r7}: 错误：“2026/10/1”不是日期；日期请写作 YYYY-MM-DD" in output
    assert f"{name} 填报表!G{r9}: 错误：不能是公式，请直接填写数字" in output
    assert f"{name} 填报表!K{r9}: 错误：“下月底”不是日期" in output
    assert f"{name} 填报表!A12: 错误：项目编号“2026-xx-999”不是新华街道的项目" in output
    assert f"{name} 填报表!A2100: 错误：项目编号为空" in output  # a filled row far below is read, not skipped
    assert f"{name} 填报表!O7: 错误：此列不是填报表的列" in output
    assert "填报表有 7 个错误，未写入任何文件" in output
    assert snapshot(ledger) == before


def test_ledger_rules_are_checked_on_the_result(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path)
    r9 = row_of(form, "2026-cj-009")
    back = fill(form, {f"G{r9}": 100})  # less than 1-10月's 2390.7
    before = snapshot(ledger)
    code, output = invoke("import", str(back), "--ledger", str(ledger))
    assert code == 1
    assert f"{back.name} 填报表!G{r9}: 错误：项目“2026-cj-009”：" in output and "不能减少" in output
    assert snapshot(ledger) == before


def test_form_of_another_ledger_or_twice_the_same_project_is_refused(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path)
    r9 = row_of(form, "2026-cj-009")
    one = fill(form, {f"G{r9}": 2500}, tmp_path / "a.xlsx")
    two = fill(form, {f"G{r9}": 2600}, tmp_path / "b.xlsx")
    code, output = invoke("import", str(one), str(two), "--ledger", str(ledger))
    assert code == 1 and f"b.xlsx 填报表!A{r9}: 错误：项目“2026-cj-009”也在 a.xlsx 填报表!A{r9} 中填报" in output
    other = fill(form, {"B3": "示例县"}, tmp_path / "c.xlsx", sheet="meta")
    code, output = invoke("import", str(other), "--ledger", str(ledger))
    assert code == 1 and "c.xlsx: 错误：这是“示例县2026年”的填报表，不是本台账（示例区2026年）的" in output


def test_not_a_workbook_is_refused(ledger: Path, tmp_path: Path) -> None:
    fake = tmp_path / "城关街道填报表.xlsx"
    fake.write_text("id,completed\n2026-cj-001,5\n", encoding="utf-8")
    old = tmp_path / "旧版.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    code, output = invoke("import", str(fake), str(old), "--ledger", str(ledger))
    assert code == 1
    assert "城关街道填报表.xlsx: 错误：不是有效的 Excel 文件" in output
    assert "旧版.xlsx: 错误：不是有效的 Excel 文件（.xlsx）：这是旧版 .xls" in output


def bomb(path: Path, megabytes: int, extra_entries: int = 0) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1 << 20)
            for _ in range(megabytes):
                entry.write(chunk)
        for i in range(extra_entries):
            archive.writestr(f"xl/media/{i}.bin", b"x")
    return path


@pytest.mark.parametrize(("megabytes", "entries", "why"), [
    (200, 0, "解压后共 200 MB，超过上限 100 MB（疑似压缩炸弹）"),
    (20, 0, "xl/worksheets/sheet1.xml 的压缩比超过 100 倍（疑似压缩炸弹）"),
    (0, 1200, "压缩包内有 1202 个文件，超过上限 1000"),
])
def test_zip_bombs_are_refused_from_the_directory(ledger: Path, tmp_path: Path, megabytes: int, entries: int,
                                                  why: str) -> None:
    path = bomb(tmp_path / "炸弹.xlsx", megabytes, entries)
    start = time.perf_counter()
    code, output = invoke("import", str(path), "--ledger", str(ledger))
    assert time.perf_counter() - start < 2
    assert code == 1 and f"炸弹.xlsx: 错误：不是有效的 Excel 文件（.xlsx）：{why}" in output


def test_form_usage_errors(ledger: Path) -> None:
    code, output = invoke("form", "--unit", "不存在的单位", "--ledger", str(ledger))
    assert code == 2 and "不在 projledger.yaml 的 units 中" in output
    code, output = invoke("form", "--unit", UNIT, "--month", "2025-09", "--ledger", str(ledger))
    assert code == 2 and "不在台账年度 2026 内" in output


def test_a_failed_write_leaves_the_file_as_it_was(ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    form = make_form(ledger, tmp_path)
    back = fill(form, {f"G{row_of(form, '2026-cj-009')}": 2500})
    before = snapshot(ledger)

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    code, output = invoke("import", str(back), "--ledger", str(ledger))
    assert code == 1 and f"{CJ9} 写入失败" in output and "该文件未改动" in output
    assert snapshot(ledger) == before  # byte-identical, no temp file left
