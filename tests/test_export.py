"""`export`: the dispatch workbook as the office opens it — reopened with openpyxl and checked cell by cell."""

from __future__ import annotations

import json
import time
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from ledgerkit import project, report, write_ledger
from projledger.cli import app
from projledger.figures.metrics import compute
from projledger.figures.schedule import ProjectSchedule, ScheduleReport, StepPlan
from projledger.ledger.load import load_ledger
from projledger.outputs.workbook.cells import MAX_CELL_CHARS, put, safe_text
from projledger.outputs.workbook.xlsx import SHEETS, build_workbook, cn_number

INJECTION = '=HYPERLINK("http://x","y")'
RED = "FFC7CE"
YELLOW = "FFEB9C"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    problem_late = {"type": "拆迁", "text": "沿街商户3户未签约", "owner": "甲街道", "due": "2026-08-31"}
    problem_open = {"type": "融资", "text": "贷款审批中", "due": "2026-12-31"}
    problem_done = {"type": "土地", "text": "已解决的问题", "due": "2026-07-31", "resolved": "2026-08-15"}
    projects = [
        # green, on track; an id of digits and a name that looks like a formula
        project("007", name=INJECTION, unit="乙街道", content="+86 联系电话；-负号开头\x07含控制字符",
                investment={"total": 900, "annual_plan": 900},
                progress=[report("2026-09", 700, "@装修收尾")]),
        # red: 60 points behind, with an overdue, an open and a resolved problem
        project("2026-cg-001", name="南大街提升改造工程", kind="新开工", unit="甲街道", leader="张建国",
                content="道路拓宽2.3公里，配套雨污管网",
                investment={"total": 38000, "annual_plan": 12000},
                planned={"start": "2026-04-30", "finish": "2027-10-31"}, actual={"start": "2026-05-12"},
                progress=[report("2026-08", 1000, "路基20%"),
                          report("2026-09", 1800, "路基30%", problems=[problem_late, problem_open, problem_done])]),
        # yellow: 15 points behind
        project("2026-cj-002", name="城北污水处理厂", category="城建", unit="丙管委会", leader="李卫东",
                investment={"total": 5000.5, "annual_plan": 2000},
                progress=[report("2026-09", 1200, "主体施工")]),
        # new start due after as_of and not started: the 倒排 chain of 产业 runs backwards from its start
        # (no money planned for this year: its rates do not exist and show as "—")
        project("2026-cy-003", name="新材料产业园", kind="新开工", unit="甲街道",
                investment={"total": 20000, "annual_plan": 0},
                planned={"start": "2026-12-31", "finish": "2028-06-30"}, procedures={"备案": "2026-03-01"},
                progress=[report("2026-09", 0, "前期手续办理中")]),
    ]
    return write_ledger(tmp_path / "ledger", projects)


def export(runner: CliRunner, ledger: Path, out: Path, *extra: str) -> Any:
    result = runner.invoke(app, ["export", "--ledger", str(ledger), "--month", "2026-09", "-o", str(out), *extra])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def workbook(runner: CliRunner, ledger: Path, tmp_path: Path) -> Path:
    out = tmp_path / "调度表.xlsx"
    result = export(runner, ledger, out)
    assert result.exit_code == 0, result.output
    return out


def status_json(runner: CliRunner, ledger: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["status", "--ledger", str(ledger), "--month", "2026-09", "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def find_row(ws: Worksheet, column: int, value: str) -> int:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=column).value == value:
            return row
    raise AssertionError(f"{value!r} not in column {column} of {ws.title}")


def headers(ws: Worksheet, row: int) -> list[Any]:
    return [ws.cell(row=row, column=c).value for c in range(1, ws.max_column + 1)]


def fill_of(ws: Worksheet, row: int) -> set[str]:
    return {str(ws.cell(row=row, column=c).fill.fgColor.rgb)[-6:] for c in range(1, ws.max_column + 1)}


# --- content ---------------------------------------------------------------------------------------------

def test_sheets_titles_and_headers(workbook: Path) -> None:
    wb = load_workbook(workbook)
    assert wb.sheetnames == list(SHEETS) == ["汇总", "调度表", "滞后项目", "问题清单", "倒排工期"]
    summary = wb["汇总"]
    assert summary["A1"].value == "测试区2026年重点项目建设进展情况汇总表（截至9月底）"
    assert summary["A2"].value == "时间进度：75.0%　单位：万元"
    assert "A1:M1" in {str(r) for r in summary.merged_cells.ranges}
    assert headers(summary, 4)[1:13] == [None, "计划新开工", "已开工", "开工率", "年度计划投资", "1-9月完成",
                                         "投资完成率", "与时间进度差\n（百分点）", "红灯", "黄灯", "绿灯", None]
    assert [summary[c].value for c in ("A3", "B3", "C3", "F3", "J3", "M3")] == [
        "责任单位", "项目数", "开工情况", "投资完成情况（万元）", "预警", "排名"]
    sheet = wb["调度表"]
    assert sheet["A1"].value == "测试区2026年重点项目建设进展调度表（截至9月底）"
    assert headers(sheet, 3) == [
        "序号", "项目编号", "项目名称", "建设内容", "责任单位", "包抓领导", "级别", "类型", "总投资\n（万元）",
        "年度计划投资\n（万元）", "1-9月完成\n（万元）", "完成率", "开工以来累计\n（万元）", "计划开工", "实际开工",
        "形象进度", "存在问题", "预警"]
    assert all(cell.font.bold for cell in sheet[3])


def test_summary_matches_status_json(runner: CliRunner, ledger: Path, workbook: Path) -> None:
    data = status_json(runner, ledger)
    ws = load_workbook(workbook)["汇总"]
    for i, unit in enumerate(data["units"]):  # rank order, one row each from row 5
        row = [ws.cell(row=5 + i, column=c).value for c in range(1, 14)]
        assert row[0] == unit["unit"] and row[12] == unit["rank"] == i + 1
        assert row[1:4] == [unit["projects"], unit["new_starts"], unit["started"]]
        assert row[5] == pytest.approx(unit["annual_plan"]) and row[6] == pytest.approx(unit["completed"])
        assert row[7] == pytest.approx(unit["completion_rate"], abs=0.0005)
        assert row[9:12] == [unit["red"], unit["yellow"], unit["green"]]
    total = [ws.cell(row=5 + len(data["units"]), column=c).value for c in range(1, 14)]
    t = data["totals"]
    assert total[0] == "合计" and total[1] == t["projects"] and total[12] is None
    assert total[6] == pytest.approx(t["completed"])
    assert total[7] == pytest.approx(t["completion_rate"], abs=0.0005)
    assert total[8] == pytest.approx(t["gap"] * 100, abs=0.05)
    assert ws.cell(row=5, column=8).number_format == "0.0%"
    assert ws.cell(row=5, column=6).number_format == "#,##0.00"


def test_dispatch_rows_match_status_json(runner: CliRunner, ledger: Path, workbook: Path) -> None:
    data = status_json(runner, ledger)
    ws = load_workbook(workbook)["调度表"]
    for p in data["projects"]:
        row = find_row(ws, 2, p["id"])
        assert ws.cell(row=row, column=3).value == p["name"]
        assert ws.cell(row=row, column=10).value == pytest.approx(p["annual_plan"])
        assert ws.cell(row=row, column=11).value == pytest.approx(p["completed"])
        rate = ws.cell(row=row, column=12).value
        if p["completion_rate"] is None:
            assert rate == "—"
        else:
            assert rate == pytest.approx(p["completion_rate"], abs=0.0005)
        assert ws.cell(row=row, column=13).value == pytest.approx(p["cumulative"])
        label = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}[p["light"]]
        assert ws.cell(row=row, column=18).value.startswith(label)
    # category groups in ledger order with subtotals, then 合计
    first = ws.cell(row=4, column=1).value
    assert first == "一、产业（3个）"
    assert ws.cell(row=4, column=10).value == pytest.approx(data["categories"][0]["annual_plan"])
    labels = [ws.cell(row=r, column=1).value for r in range(4, ws.max_row + 1)]
    assert [v for v in labels if isinstance(v, str)] == ["一、产业（3个）", "二、城建（1个）", "合计（4个）"]
    last = ws.max_row
    assert ws.cell(row=last, column=1).value == "合计（4个）"
    assert ws.cell(row=last, column=11).value == pytest.approx(data["totals"]["completed"])
    assert ws.cell(row=last, column=12).value == pytest.approx(data["totals"]["completion_rate"], abs=0.0005)


def test_dispatch_cells_dates_problems_and_fills(workbook: Path) -> None:
    ws = load_workbook(workbook)["调度表"]
    red = find_row(ws, 2, "2026-cg-001")
    assert fill_of(ws, red) == {RED}
    assert ws.cell(row=red, column=14).value == datetime(2026, 4, 30)
    assert ws.cell(row=red, column=14).number_format == "yyyy-mm-dd"
    assert ws.cell(row=red, column=16).value == "路基30%"
    problems = ws.cell(row=red, column=17).value
    assert problems == "1.拆迁：沿街商户3户未签约\n2.融资：贷款审批中"  # the resolved one is left out
    assert ws.cell(row=red, column=17).alignment.wrap_text
    assert ws.cell(row=red, column=18).value.startswith("红灯：滞后时间进度")
    assert fill_of(ws, find_row(ws, 2, "2026-cj-002")) == {YELLOW}
    green = find_row(ws, 2, "007")
    assert fill_of(ws, green) == {"000000"}  # no fill
    assert ws.cell(row=green, column=9).alignment.horizontal == "right"


def test_lagging_problems_and_schedule_sheets(workbook: Path) -> None:
    wb = load_workbook(workbook)
    lag = wb["滞后项目"]
    assert [lag.cell(row=r, column=3).value for r in (4, 5)] == ["2026-cg-001", "2026-cj-002"]
    assert [lag.cell(row=r, column=2).value for r in (4, 5)] == ["红灯", "黄灯"]
    assert fill_of(lag, 4) == {RED} and fill_of(lag, 5) == {YELLOW}
    issues = wb["问题清单"]
    assert headers(issues, 3) == ["序号", "项目编号", "项目名称", "问题类型", "存在问题", "责任单位", "包抓领导",
                                  "解决时限", "是否逾期"]
    assert [issues.cell(row=r, column=5).value for r in (4, 5)] == ["沿街商户3户未签约", "贷款审批中"]
    assert issues["I4"].value == "已逾期" and issues["I5"].value == "否"
    assert issues["F5"].value == "甲街道"  # no owner given: the project's unit
    assert fill_of(issues, 4) == {RED}
    assert issues.max_row == 5
    plan = wb["倒排工期"]
    statuses = {plan.cell(row=r, column=12).value for r in range(4, plan.max_row + 1)} - {None}
    assert statuses and statuses <= {"已逾期", "即将到期"}
    assert {plan.cell(row=r, column=2).value for r in range(4, plan.max_row + 1)} >= {"2026-cy-003"}


def test_schedule_sheet_from_a_report(ledger: Path) -> None:
    loaded, _ = load_ledger(ledger)
    assert loaded is not None
    mf = compute(loaded, "2026-09")
    p = loaded.find("2026-cy-003")
    assert p is not None

    def step(name: str, status: str, done: date | None = None) -> StepPlan:
        return StepPlan(name, 10, (), date(2026, 9, 1), date(2026, 9, 14), done, status, None, None)

    steps = (step("备案", "done", date(2026, 3, 1)), step("环评", "overdue"), step("能评", "due_soon"),
             step("施工许可", "pending"))
    fake = ScheduleReport("2026-09", date(2026, 9, 30), ["说明文字"],
                          [ProjectSchedule(p, "start", date(2026, 12, 31), steps, date(2027, 1, 20), 12)])
    wb, warnings = build_workbook(mf, fake)
    ws = wb["倒排工期"]
    assert [w.split("：")[0] for w in warnings] == ["调度表!D5"]  # the control character in 007's content
    assert [ws.cell(row=r, column=8).value for r in (4, 5)] == ["环评", "能评"]
    assert [ws.cell(row=r, column=12).value for r in (4, 5)] == ["已逾期", "即将到期"]
    assert ws["F4"].value == "计划开工" and ws["G4"].value == date(2026, 12, 31)
    assert ws["J4"].value == date(2026, 9, 1) and ws["K4"].value == date(2026, 9, 14)
    assert ws["M4"].value == date(2027, 1, 20) and ws["N4"].value == 12
    assert ws["A4"].fill.fgColor.rgb[-6:] == RED and ws["A5"].fill.fgColor.rgb[-6:] == YELLOW
    assert ws["A6"].value == "说明：说明文字"
    assert ws["A2"].value == "已逾期 1 项，即将到期（10个工作日内应启动） 1 项"


def test_summary_chart_reads_workbook_cells(workbook: Path) -> None:
    with zipfile.ZipFile(workbook) as z:
        names = z.namelist()
        assert "xl/charts/chart1.xml" in names
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "<barChart>" in chart and "<lineChart>" in chart
    assert "'汇总'!$H$5:$H$7" in chart  # the units' 投资完成率 column of the table
    assert "'汇总'!$A$5:$A$7" in chart  # unit names as categories
    ws = load_workbook(workbook)["汇总"]
    helper = find_row(ws, 2, "时间进度")
    assert f"'汇总'!$B${helper + 1}:$B${helper + 3}" in chart
    assert ws.cell(row=helper + 1, column=2).value == 0.75


# --- print setup --------------------------------------------------------------------------------------------

def test_every_sheet_is_print_ready(workbook: Path) -> None:
    wb = load_workbook(workbook)
    title_rows = {"汇总": "$3:$4", "调度表": "$3:$3", "滞后项目": "$3:$3", "问题清单": "$3:$3", "倒排工期": "$3:$3"}
    freeze = {"汇总": "B5", "调度表": "D4", "滞后项目": "E4", "问题清单": "D4", "倒排工期": "D4"}
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert int(setup.paperSize) == 8  # A3
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == title_rows[ws.title]
        assert ws.freeze_panes == freeze[ws.title]
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
        assert ws["A3"].border.left.style == "thin"
        widths = [ws.column_dimensions[chr(64 + c)].width for c in range(1, 10)]
        assert all(w and w >= 4 for w in widths), (ws.title, widths)


def test_widths_count_chinese_as_two(workbook: Path) -> None:
    ws = load_workbook(workbook)["调度表"]
    # 项目名称: the longest name is "南大街提升改造工程" (9 CJK chars = 18) → at least 18 wide
    assert ws.column_dimensions["C"].width >= 18
    assert ws.column_dimensions["D"].width <= 30  # 建设内容 capped and wrapped
    assert ws["D5"].alignment.wrap_text


# --- safety ----------------------------------------------------------------------------------------------

def test_no_formulas_anywhere(workbook: Path) -> None:
    wb = load_workbook(workbook)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(workbook) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in z.read(name).decode()


def test_formula_like_text_and_digit_ids_stay_text(runner: CliRunner, workbook: Path) -> None:
    wb = load_workbook(workbook)
    ws = wb["调度表"]
    row = find_row(ws, 2, "007")
    name = ws.cell(row=row, column=3)
    assert name.value == INJECTION and name.data_type == "s" and name.quotePrefix
    ident = ws.cell(row=row, column=2)
    assert ident.value == "007" and ident.data_type == "s"
    content = ws.cell(row=row, column=4)
    assert content.value == "+86 联系电话；-负号开头含控制字符"  # the BEL character is gone
    assert content.data_type == "s" and content.quotePrefix
    image = ws.cell(row=row, column=16)
    assert image.value == "@装修收尾" and image.quotePrefix


def test_illegal_characters_are_reported_naming_the_cell(runner: CliRunner, ledger: Path, tmp_path: Path) -> None:
    result = export(runner, ledger, tmp_path / "a.xlsx")
    assert result.exit_code == 0, result.output
    assert "调度表!D" in result.output and "控制字符" in result.output


def test_safe_text() -> None:
    assert safe_text("正常文字") == ("正常文字", [])
    text, warnings = safe_text("a\x00b\x1fc", "调度表!C5")
    assert text == "abc" and warnings == ["调度表!C5：删除了 2 个 Excel 不接受的控制字符"]
    text, warnings = safe_text("长" * 40000, "问题清单!E9")
    assert len(text) == MAX_CELL_CHARS and text.endswith("（已截断）")
    assert warnings and warnings[0].startswith("问题清单!E9：") and "32767" in warnings[0]


@pytest.mark.parametrize("value", [INJECTION, "+1", "-2", "@SUM(A1)", "=1+1", "007", "0012.50", "TRUE"])
def test_put_keeps_text_as_text_after_a_round_trip(tmp_path: Path, value: str) -> None:
    wb = Workbook()
    ws = wb.active
    assert put(ws["A1"], value) == []
    wb.save(tmp_path / "t.xlsx")
    cell = load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert cell.value == value and cell.data_type == "s"


def test_put_numbers_and_dates_stay_typed() -> None:
    ws = Workbook().active
    put(ws["A1"], 12)
    put(ws["A2"], date(2026, 9, 30))
    put(ws["A3"], None)
    assert ws["A1"].data_type == "n" and ws["A2"].is_date and ws["A3"].value is None


# --- writing -----------------------------------------------------------------------------------------------

def test_refuses_when_open_in_excel(runner: CliRunner, ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "调度表.xlsx"
    out.write_bytes(b"old workbook")
    (tmp_path / "~$调度表.xlsx").write_bytes(b"lock")
    result = export(runner, ledger, out)
    assert result.exit_code == 1
    assert "正在被 Excel/WPS 打开" in result.output
    assert out.read_bytes() == b"old workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger", "~$调度表.xlsx", "调度表.xlsx"]


def test_bad_output_paths(runner: CliRunner, ledger: Path, tmp_path: Path) -> None:
    result = export(runner, ledger, tmp_path / "调度表.csv")
    assert result.exit_code == 2 and ".xlsx" in result.output
    result = export(runner, ledger, tmp_path / "没有这个目录" / "a.xlsx")
    assert result.exit_code == 1 and "目录不存在" in result.output
    (tmp_path / "d.xlsx").mkdir()
    result = export(runner, ledger, tmp_path / "d.xlsx")
    assert result.exit_code == 1 and "错误" in result.output


def test_two_exports_are_byte_identical(runner: CliRunner, ledger: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    assert export(runner, ledger, first).exit_code == 0
    time.sleep(1.1)  # zip entries and docProps would differ by a second if they came from the clock
    assert export(runner, ledger, second).exit_code == 0
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.read("docProps/core.xml") == b.read("docProps/core.xml")
        core = a.read("docProps/core.xml").decode()
    assert first.read_bytes() == second.read_bytes()
    assert "2026-09-30T00:00:00Z" in core and "<dc:creator>projledger</dc:creator>" in core
    props = load_workbook(first).properties
    assert props.created == props.modified == datetime(2026, 9, 30)


def test_default_file_name_in_current_directory(
    runner: CliRunner, ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = runner.invoke(app, ["export", "--ledger", str(ledger), "--month", "2026-09"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in work.iterdir()] == ["测试区2026年9月重点项目调度表.xlsx"]
    assert "已导出 测试区2026年9月重点项目调度表.xlsx" in result.stdout


def test_month_defaults_to_latest_report(runner: CliRunner, ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    result = runner.invoke(app, ["export", "--ledger", str(ledger), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out)["汇总"]["A1"].value.endswith("（截至9月底）")


def test_empty_ledger_still_exports(runner: CliRunner, tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "empty", [])
    result = runner.invoke(app, ["export", "--ledger", str(root), "-o", str(tmp_path / "e.xlsx")])
    assert result.exit_code == 0, result.output
    wb = load_workbook(tmp_path / "e.xlsx")
    assert wb["滞后项目"]["A4"].value == "没有红灯、黄灯项目。"
    assert wb["问题清单"]["A4"].value == "没有未解决的问题。"


def test_cn_number() -> None:
    assert [cn_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


def test_example_ledger_exports(runner: CliRunner, example_root: Path, tmp_path: Path) -> None:
    if not (example_root / "projledger.yaml").is_file():
        pytest.skip("example ledger not present")
    out = tmp_path / "example.xlsx"
    result = runner.invoke(app, ["export", "--ledger", str(example_root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == list(SHEETS)
    assert wb["调度表"].max_row > 10


def test_long_text_keeps_rows_within_excel_limits(runner: CliRunner, tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "long", [project("001", content="长" * 3000,
                                                     progress=[report("2026-09", 100, "形象进度" * 50)])])
    out = tmp_path / "long.xlsx"
    assert runner.invoke(app, ["export", "--ledger", str(root), "-o", str(out)]).exit_code == 0
    for ws in load_workbook(out).worksheets:
        heights = [d.height for d in ws.row_dimensions.values() if d.height is not None]
        assert heights and max(heights) <= 409, ws.title
    ws = load_workbook(out)["调度表"]
    assert ws["D5"].value == "长" * 3000
    assert ws.row_dimensions[5].height == 409


def test_empty_categories_are_skipped_and_numbering_stays_continuous(runner: CliRunner, tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "cats", [project("001", category="产业"), project("002", category="城建")],
                        categories=["产业", "服务业", "城建"])
    out = tmp_path / "cats.xlsx"
    assert runner.invoke(app, ["export", "--ledger", str(root), "--month", "2026-09", "-o", str(out)]).exit_code == 0
    ws = load_workbook(out)["调度表"]
    labels = [ws.cell(row=r, column=1).value for r in range(4, ws.max_row + 1)]
    assert [v for v in labels if isinstance(v, str)] == ["一、产业（1个）", "二、城建（1个）", "合计（2个）"]
