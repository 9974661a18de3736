"""`export`: the dispatch workbook as the office opens it — reopened with openpyxl and checked cell by cell."""

from __future__ import annotations

import json
import re
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
from projledger.outputs.workbook.style import PAPERS, grey_level, print_scale
from projledger.outputs.workbook.textfit import wrap
from projledger.outputs.workbook.values import cn_number
from projledger.outputs.workbook.xlsx import SHEETS, write_workbook

INJECTION = '=HYPERLINK("http://x","y")'
RED = "F4A6A6"
YELLOW = "FFE699"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    problem_late = {"type": "拆迁", "text": "沿街商户3户未签约", "owner": "甲街道", "due": "2026-08-31"}
    problem_open = {"type": "融资", "text": "贷款审批中", "due": "2026-12-31"}
    problem_done = {"type": "土地", "text": "已解决的问题", "due": "2026-07-31", "resolved": "2026-08-15"}
    projects = [
        # green, on track; an id of digits and a name that looks like a formula
        project("007", name=INJECTION, unit="乙街道", content="+86 联系电话；-负号开头含控制字符",
                investment={"total": 900, "annual_plan": 900},
                progress=[report("2026-09", 700, "@装修收尾")]),
        # red: 60 points behind, with an overdue, an open and a resolved problem
        project("2026-cg-001", name="南大街提升改造工程", kind="新开工", unit="甲街道", leader="张建国",
                content="道路拓宽2.3公里，配套雨污管网",
                investment={"total": 38000, "annual_plan": 12000},
                planned={"start": "2026-04-30", "finish": "2027-10-31"}, actual={"start": "2026-05-12"},
                progress=[report("2026-08", 1000, "路基20%"),
                          {**report("2026-09", 1800, "路基30%", problems=[problem_late, problem_open, problem_done]),
                           "next_plan": "完成路基施工", "coordination": "请区自然资源局加快用地审批"}]),
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

def flat(value: Any) -> Any:
    """A text cell as the ledger wrote it (the workbook breaks long texts into lines at sensible points)."""
    return value.replace("\n", "") if isinstance(value, str) else value


def test_sheets_titles_and_headers(workbook: Path) -> None:
    wb = load_workbook(workbook)
    assert list(SHEETS) == ["汇总", "包抓领导", "调度表", "滞后项目", "问题清单", "倒排工期"]
    assert wb.sheetnames == [*SHEETS, "图表数据"]
    assert [ws.sheet_state for ws in wb.worksheets] == ["visible"] * 6 + ["hidden"]
    summary = wb["汇总"]
    assert summary["A1"].value == "测试区2026年重点项目建设进展情况汇总表（截至9月底）"
    assert summary["A2"].value == "时间进度：75.0%　单位：万元"
    assert "A1:Q1" in {str(r) for r in summary.merged_cells.ranges}
    assert [flat(v) for v in headers(summary, 4)] == [
        None, None, "计划新开工", "已开工", "开工率", "年度计划投资", "1-9月计划投资", "1-9月完成", "投资完成率",
        "完成序时计划", "与时间进度差（百分点）", "年内计划竣工", "已竣工", "●红灯", "▲黄灯", "○绿灯", None]
    assert [summary[c].value for c in ("A3", "B3", "C3", "F3", "L3", "N3", "Q3")] == [
        "责任单位", "项目数", "开工情况", "投资完成情况（万元）", "竣工情况", "预警", "排名"]
    sheet = wb["调度表"]
    assert sheet["A1"].value == "测试区2026年重点项目建设进展调度表（截至9月底）"
    assert [flat(v) for v in headers(sheet, 3)] == DISPATCH_A3
    assert all(cell.font.bold for cell in sheet[3])


DISPATCH_A3 = ["序号", "项目名称", "建设单位", "责任单位", "包抓领导", "建设内容", "总投资", "至上年底累计完成",
               "年度计划投资", "1-9月计划投资", "1-9月完成", "本月完成", "完成年度计划", "完成序时计划", "计划开工",
               "计划竣工", "形象进度", "存在问题及需协调解决事项", "下步计划", "预警", "备注", "项目编号"]
DISPATCH_A4 = ["序号", "项目名称", "责任单位", "包抓领导", "年度计划投资", "1-9月计划投资", "1-9月完成", "本月完成",
               "完成年度计划", "完成序时计划", "计划竣工", "形象进度", "存在问题及需协调解决事项", "预警", "备注",
               "项目编号"]


def test_summary_matches_status_json(runner: CliRunner, ledger: Path, workbook: Path) -> None:
    data = status_json(runner, ledger)
    ws = load_workbook(workbook)["汇总"]
    total = [ws.cell(row=5, column=c).value for c in range(1, 18)]  # 合计 leads the table
    t = data["totals"]
    assert total[0] == "合计" and total[1] == t["projects"] and total[16] is None
    assert total[6] == pytest.approx(t["plan_to_date"], abs=0.005)
    assert total[7] == pytest.approx(t["completed"])
    assert total[8] == pytest.approx(t["completion_rate"], abs=0.0005)
    assert total[9] == pytest.approx(t["plan_rate"], abs=0.0005)
    assert total[10] == pytest.approx(t["gap"] * 100, abs=0.05)
    assert total[11:13] == [t["finish_planned"], t["finished"]]
    assert ws["A5"].font.bold
    for i, unit in enumerate(data["units"]):  # then rank order, one row each
        row = [ws.cell(row=6 + i, column=c).value for c in range(1, 18)]
        assert row[0] == unit["unit"] and row[16] == unit["rank"] == i + 1
        assert row[1:4] == [unit["projects"], unit["new_starts"], unit["started"]]
        assert row[5] == pytest.approx(unit["annual_plan"]) and row[7] == pytest.approx(unit["completed"])
        assert row[8] == pytest.approx(unit["completion_rate"], abs=0.0005)
        assert row[13:16] == [unit["red"], unit["yellow"], unit["green"]]
    assert ws.cell(row=6, column=9).number_format == "0.0%"
    assert ws.cell(row=5, column=6).number_format == "#,##0"  # 15,900: no pointless ".00"


def test_summary_has_the_levels_on_the_same_grid(runner: CliRunner, ledger: Path, workbook: Path) -> None:
    data = status_json(runner, ledger)
    ws = load_workbook(workbook)["汇总"]
    caption = find_row(ws, 1, "分级别完成情况")
    assert ws.cell(row=caption + 1, column=1).value == "级别"
    rows = {ws.cell(row=r, column=1).value: r for r in range(caption + 3, caption + 3 + 1 + len(data["levels"]))}
    assert list(rows) == ["合计", *[g["level"] for g in data["levels"]]]
    for g in data["levels"]:
        r = rows[g["level"]]
        assert ws.cell(row=r, column=2).value == g["projects"]
        assert ws.cell(row=r, column=8).value == pytest.approx(g["completed"])
        assert [ws.cell(row=r, column=c).value for c in (12, 13)] == [g["finish_planned"], g["finished"]]


def test_dispatch_rows_match_status_json(runner: CliRunner, ledger: Path, workbook: Path) -> None:
    data = status_json(runner, ledger)
    ws = load_workbook(workbook)["调度表"]
    col = {name: i for i, name in enumerate(DISPATCH_A3, start=1)}
    for p in data["projects"]:
        row = find_row(ws, col["项目编号"], p["id"])
        assert flat(ws.cell(row=row, column=col["项目名称"]).value) == p["name"]
        assert ws.cell(row=row, column=col["年度计划投资"]).value == pytest.approx(p["annual_plan"])
        assert ws.cell(row=row, column=col["1-9月完成"]).value == pytest.approx(p["completed"])
        rate = ws.cell(row=row, column=col["完成年度计划"]).value
        if p["completion_rate"] is None:
            assert rate == "—"
        else:
            assert rate == pytest.approx(p["completion_rate"], abs=0.0005)
        assert ws.cell(row=row, column=col["1-9月计划投资"]).value == pytest.approx(p["plan_to_date"], abs=0.005)
        achieved = ws.cell(row=row, column=col["完成序时计划"]).value
        assert achieved == "—" if p["achieved"] is None else achieved == pytest.approx(p["achieved"], abs=0.0005)
        assert ws.cell(row=row, column=col["预警"]).value == {"red": "●红灯", "yellow": "▲黄灯",
                                                              "green": "○绿灯"}[p["light"]]
    # 合计 first, then category groups in ledger order with subtotals
    labels = [ws.cell(row=r, column=1).value for r in range(4, ws.max_row + 1)]
    assert [v for v in labels if isinstance(v, str) and "（" in v] == [
        "合计（4个）　●1 ▲1 ○2", "一、产业（3个）　●1 ▲0 ○2", "二、城建（1个）　●0 ▲1 ○0"]
    assert ws.cell(row=4, column=col["1-9月完成"]).value == pytest.approx(data["totals"]["completed"])
    assert ws.cell(row=4, column=col["完成年度计划"]).value == pytest.approx(data["totals"]["completion_rate"],
                                                                      abs=0.0005)
    assert ws.cell(row=5, column=col["年度计划投资"]).value == pytest.approx(data["categories"][0]["annual_plan"])
    assert ws.cell(row=4, column=col["总投资"]).value == pytest.approx(900 + 38000 + 5000.5 + 20000)


def test_dispatch_rows_follow_the_unit_order_of_projledger_yaml(runner: CliRunner, tmp_path: Path) -> None:
    # files sort 丙, 乙, 甲 by code point; projledger.yaml says 甲, 乙, 丙
    projects = [project(f"{n}", unit=u) for n, u in (("a1", "丙管委会"), ("a2", "乙街道"), ("a3", "甲街道"),
                                                      ("a4", "丙管委会"))]
    root = write_ledger(tmp_path / "order", projects)
    out = tmp_path / "o.xlsx"
    assert export(runner, root, out).exit_code == 0
    ws = load_workbook(out)["调度表"]
    units = [flat(ws.cell(row=r, column=4).value) for r in range(6, 10)]
    assert units == ["甲街道", "乙街道", "丙管委会", "丙管委会"]
    assert [ws.cell(row=r, column=1).value for r in range(6, 10)] == [1, 2, 3, 4]


def test_dispatch_cells_dates_problems_and_fills(workbook: Path) -> None:
    ws = load_workbook(workbook)["调度表"]
    col = {name: i for i, name in enumerate(DISPATCH_A3, start=1)}
    red = find_row(ws, col["项目编号"], "2026-cg-001")
    assert fill_of(ws, red) == {RED}
    start = ws.cell(row=red, column=col["计划开工"])
    assert start.value == datetime(2026, 4, 30) and start.number_format == 'yyyy"."mm'
    assert ws.cell(row=red, column=col["形象进度"]).value == "路基30%"
    problems = ws.cell(row=red, column=col["存在问题及需协调解决事项"])
    assert problems.value.startswith("1.拆迁：沿街商户3户")  # one problem a line; the resolved one is left out
    assert flat(problems.value) == "1.拆迁：沿街商户3户未签约2.融资：贷款审批中需协调：请区自然资源局加快用地审批"
    assert problems.value.split("\n")[-1].endswith("用地审批")
    assert flat(ws.cell(row=red, column=col["下步计划"]).value) == "完成路基施工"
    assert problems.alignment.wrap_text
    assert ws.cell(row=red, column=col["本月完成"]).value == 800  # 1800 in September less 1000 in August
    assert ws.cell(row=red, column=col["本月完成"]).number_format == "#,##0"
    assert flat(ws.cell(row=red, column=col["备注"]).value).startswith("低于序时计划")
    yellow = find_row(ws, col["项目编号"], "2026-cj-002")
    assert fill_of(ws, yellow) == {YELLOW}
    assert ws.cell(row=yellow, column=col["总投资"]).value == 5000.5
    assert ws.cell(row=yellow, column=col["总投资"]).number_format == "#,##0.0"  # the cell keeps 5000.5
    green = find_row(ws, col["项目编号"], "007")
    assert fill_of(ws, green) == {"000000"}  # no fill
    assert ws.cell(row=green, column=col["总投资"]).alignment.horizontal == "right"


def test_a4_dispatch_has_fewer_columns(runner: CliRunner, ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "a4.xlsx"
    assert export(runner, ledger, out, "--paper", "A4").exit_code == 0
    wb = load_workbook(out)
    assert [flat(v) for v in headers(wb["调度表"], 3)] == DISPATCH_A4
    assert all(int(ws.page_setup.paperSize) == 9 for ws in wb.worksheets if ws.sheet_state == "visible")
    assert export(runner, ledger, tmp_path / "b.xlsx", "--paper", "B5").exit_code == 2


def test_leader_sheet(runner: CliRunner, ledger: Path, workbook: Path) -> None:
    data = status_json(runner, ledger)
    ws = load_workbook(workbook)["包抓领导"]
    assert ws["A1"].value == "测试区2026年重点项目包抓领导分项情况表（截至9月底）"
    assert ws["A5"].value == "合计" and ws["B5"].value == 4
    leaders = {ws.cell(row=r, column=1).value: r for r in range(6, 6 + len(data["leaders"]))}
    assert list(leaders) == [g["leader"] for g in data["leaders"]]
    zhang = leaders["张建国"]
    assert ws.cell(row=zhang, column=2).value == 1 and ws.cell(row=zhang, column=11).value == 1
    assert flat(ws.cell(row=zhang, column=14).value) == "●南大街提升改造工程（甲街道）"
    li = leaders["李卫东"]
    assert flat(ws.cell(row=li, column=14).value) == "▲城北污水处理厂（丙管委会）"


def test_lagging_problems_and_schedule_sheets(workbook: Path) -> None:
    wb = load_workbook(workbook)
    lag = wb["滞后项目"]
    assert [lag.cell(row=r, column=13).value for r in (4, 5)] == ["2026-cg-001", "2026-cj-002"]
    assert [lag.cell(row=r, column=2).value for r in (4, 5)] == ["●红灯", "▲黄灯"]
    assert fill_of(lag, 4) == {RED} and fill_of(lag, 5) == {YELLOW}
    issues = wb["问题清单"]
    assert [flat(v) for v in headers(issues, 3)] == ["序号", "项目名称", "问题类型", "存在问题", "责任单位",
                                                     "包抓领导", "解决时限", "是否逾期", "项目编号"]
    assert [issues.cell(row=r, column=4).value for r in (4, 5)] == ["沿街商户3户未签约", "贷款审批中"]
    assert issues["H4"].value == "已逾期" and issues["H5"].value == "否"
    assert issues["E5"].value == "甲街道"  # no owner given: the project's unit
    assert fill_of(issues, 4) == {RED}
    plan = wb["倒排工期"]
    statuses = {plan.cell(row=r, column=11).value for r in range(4, plan.max_row + 1)} - {None}
    assert statuses and statuses <= {"已逾期", "即将到期"}
    assert {plan.cell(row=r, column=14).value for r in range(4, plan.max_row + 1)} >= {"2026-cy-003"}


def test_schedule_sheet_from_a_report(ledger: Path, tmp_path: Path) -> None:
    loaded, _ = load_ledger(ledger)
    assert loaded is not None
    mf = compute(loaded, "2026-09")
    p = loaded.find("2026-cy-003")
    assert p is not None

    def step(name: str, status: str, done: date | None = None) -> StepPlan:
        return StepPlan(name, 10, (), date(2026, 9, 1), date(2026, 9, 14), done, status, None, None)

    steps = (step("备案", "done", date(2026, 3, 1)), step("环评", "overdue"), step("能评", "due_soon"),
             step("施工许可", "pending"))
    fake = ScheduleReport("2026-09", date(2026, 9, 30), ["请在 projledger.yaml 中补充 calendar"],
                          [ProjectSchedule(p, "start", date(2026, 12, 31), steps, date(2027, 1, 20), 12)])
    warnings = write_workbook(tmp_path / "倒排.xlsx", mf, fake)
    wb = load_workbook(tmp_path / "倒排.xlsx")
    ws = wb["倒排工期"]
    assert warnings == []  # a validated ledger holds no control character (check refuses them at their line)
    assert [ws.cell(row=r, column=7).value for r in (4, 5)] == ["环评", "能评"]
    assert [ws.cell(row=r, column=11).value for r in (4, 5)] == ["已逾期", "即将到期"]
    assert ws["E4"].value == "计划开工" and ws["F4"].value == datetime(2026, 12, 31)  # dates read back as datetimes
    assert ws["I4"].value == datetime(2026, 9, 1) and ws["J4"].value == datetime(2026, 9, 14)
    assert ws["L4"].value == datetime(2027, 1, 20) and ws["M4"].value == 12
    assert ws["A4"].fill.fgColor.rgb[-6:] == RED and ws["A5"].fill.fgColor.rgb[-6:] == YELLOW
    assert ws["A2"].value == "已逾期 1 项，即将到期（10个工作日内应启动） 1 项"
    # the calendar warning is for the terminal: no sheet carries program text
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert "projledger.yaml" not in str(cell.value or ""), (sheet.title, cell.coordinate)


def test_summary_chart_reads_the_hidden_sheet(workbook: Path) -> None:
    with zipfile.ZipFile(workbook) as z:
        names = z.namelist()
        assert "xl/charts/chart1.xml" in names
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "<barChart>" in chart and "<lineChart>" in chart
    assert "'图表数据'!$B$2:$B$4" in chart and "'图表数据'!$C$2:$C$4" in chart  # two colours of bars
    assert "'图表数据'!$A$2:$A$4" in chart and "'图表数据'!$D$2:$D$4" in chart  # units; time progress
    assert 'val="inEnd"' in chart or 'val="outEnd"' in chart
    wb = load_workbook(workbook)
    data = wb["图表数据"]
    assert data.sheet_state == "hidden"
    assert [c.value for c in data[1]] == ["责任单位", "达到时间进度", "低于时间进度", "时间进度"]
    assert {data.cell(row=r, column=4).value for r in range(2, 5)} == {0.75}
    for r in range(2, 5):  # each unit's rate sits in exactly one of the two bar series
        above, below = data.cell(row=r, column=2).value, data.cell(row=r, column=3).value
        assert (above is None) != (below is None)
        assert (above is not None and above >= 0.75) or (below is not None and below < 0.75)
    summary = wb["汇总"]
    assert all("图表" not in str(c.value or "") for row in summary.iter_rows() for c in row)


# --- print setup --------------------------------------------------------------------------------------------

PRINTED_COLUMNS = {"汇总": "Q", "包抓领导": "N", "调度表": "U", "滞后项目": "L", "问题清单": "H", "倒排工期": "M"}


def visible(wb: Workbook) -> list[Worksheet]:
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


def print_rows(ws: Worksheet) -> range:
    last = int(str(ws.print_area).rsplit("$", 1)[1])
    return range(1, last + 1)


def test_every_sheet_is_print_ready(workbook: Path) -> None:
    wb = load_workbook(workbook)
    title_rows = {"包抓领导": "$3:$4", "调度表": "$3:$3", "滞后项目": "$3:$3", "问题清单": "$3:$3", "倒排工期": "$3:$3"}
    freeze = {"汇总": "B5", "包抓领导": "B5", "调度表": "C4", "滞后项目": "D4", "问题清单": "C4", "倒排工期": "C4"}
    for ws in visible(wb):
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert int(setup.paperSize) == 8  # A3
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) in (0, 1)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == title_rows.get(ws.title), ws.title  # 汇总 holds two tables: none
        assert ws.freeze_panes == freeze[ws.title]
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
        assert ws["A3"].border.left.style == "thin"
        # the print area is the table and its sign-off; 项目编号 stays on screen, right of it
        last = PRINTED_COLUMNS[ws.title]
        assert ws.print_area == f"'{ws.title}'!$A$1:${last}${ws.max_row}"
        rows = print_rows(ws)
        assert all(ws.row_dimensions[r].height for r in rows), ws.title  # every row has its height
        widths = [ws.column_dimensions[chr(64 + c)].width for c in range(1, 10)]
        assert all(w and w >= 4 for w in widths), (ws.title, widths)


def test_fonts_are_songti_and_legible(workbook: Path) -> None:
    wb = load_workbook(workbook)
    for ws in visible(wb):
        body = [c for row in ws.iter_rows(min_row=4, max_row=ws.max_row - 2) for c in row if c.value is not None]
        assert body, ws.title
        assert {c.font.name for c in body} == {"宋体"}, ws.title
        assert {c.font.size for c in body} == {10}, ws.title
        assert ws["A1"].font.name == "黑体" and ws["A1"].font.size == 16


@pytest.mark.parametrize("paper", ["A3", "A4"])
def test_body_text_prints_at_8_pt_or_more(runner: CliRunner, tmp_path: Path, paper: str) -> None:
    """Column widths are capped so that one page width never needs less than 80 % (10 pt -> 8 pt)."""
    long = "很长的文字" * 40
    projects = [project(f"p{i:03d}", name="产业集聚区标准化厂房建设及配套基础设施工程" * 2, owner=long, content=long,
                        unit="丙管委会", leader="欧阳长名字领导",
                        investment={"total": 123456789.25, "annual_plan": 98765432.5, "before_year": 1234567.75},
                        planned={"start": "2026-03-01", "finish": "2027-12-31"},
                        progress=[report("2026-09", 5432109.87, long,
                                         problems=[{"type": "土地", "text": long, "due": "2026-08-01"}])])
                for i in range(3)]
    root = write_ledger(tmp_path / "wide", projects)
    out = tmp_path / "wide.xlsx"
    assert export(runner, root, out, "--paper", paper).exit_code == 0
    wb = load_workbook(out)
    budget = PAPERS[paper].budget()
    for ws in visible(wb):
        last = str(ws.print_area).split(":")[1].split("$")[1]
        width = sum(ws.column_dimensions[chr(c)].width for c in range(ord("A"), ord(last) + 1))
        assert width <= budget, (ws.title, width, budget)
        assert print_scale(PAPERS[paper], width) >= 0.8


def test_sign_off_line_from_projledger_yaml(runner: CliRunner, ledger: Path, tmp_path: Path,
                                            workbook: Path) -> None:
    def sign_off(ws: Worksheet) -> str:
        """The last printed row: the sign-off, spread over the width or as one line across it."""
        last = max(print_rows(ws))
        return "|".join(flat(c.value) for c in ws[last] if c.value)

    def in_order(line: str, parts: list[str]) -> bool:
        at = 0
        for part in parts:
            at = line.find(part, at)
            if at < 0:
                return False
        return True

    blank = ["制表单位：______________", "制表人：__________", "审核人：__________", "制表日期：　　　　年　　月　　日"]
    for ws in visible(load_workbook(workbook)):  # not set: blank lines to sign by hand
        assert in_order(sign_off(ws), blank), (ws.title, sign_off(ws))
    assert sign_off(load_workbook(workbook)["调度表"]).split("|") == blank  # spread over the width
    settings = (ledger / "projledger.yaml").read_text("utf-8")
    (ledger / "projledger.yaml").write_text(
        settings + "packet: {office: 测试区重点项目办, preparer: 王小明, reviewer: 李主任}\n", "utf-8")
    out = tmp_path / "signed.xlsx"
    assert export(runner, ledger, out).exit_code == 0
    signed = ["制表单位：测试区重点项目办", "制表人：王小明", "审核人：李主任", "制表日期：　　　　年　　月　　日"]
    for ws in visible(load_workbook(out)):
        assert in_order(sign_off(ws), signed), (ws.title, sign_off(ws))


def test_red_and_yellow_print_as_different_greys(workbook: Path) -> None:
    red, yellow = grey_level(RED), grey_level(YELLOW)
    assert 255 - yellow >= 20 and yellow - red >= 30  # white, yellow and red stay apart in black and white
    ws = load_workbook(workbook)["调度表"]
    lights = {ws.cell(row=r, column=20).value for r in range(4, 12) if isinstance(ws.cell(row=r, column=1).value, int)}
    assert lights == {"●红灯", "▲黄灯", "○绿灯"}


def test_long_names_wrap_at_sensible_points(runner: CliRunner, tmp_path: Path) -> None:
    projects = [project("001", name="年产10万吨新能源电池正极材料项目", unit="产业集聚区管委会",
                        progress=[report("2026-09", 100, "主体完工，完成总工程量的41%")])]
    root = write_ledger(tmp_path / "names", projects, units=["产业集聚区管委会"])
    out = tmp_path / "n.xlsx"
    assert export(runner, root, out).exit_code == 0
    ws = load_workbook(out)["调度表"]
    assert ws["D6"].value == "产业集聚区管委会"  # short names are never wrapped: the column fits them
    image = ws.cell(row=6, column=DISPATCH_A3.index("形象进度") + 1).value
    assert flat(image) == "主体完工，完成总工程量的41%"
    assert "总工程量" in image.replace("\n", "|") and "41%" in image  # words and numbers stay whole
    for line in ws["B6"].value.split("\n"):
        assert not line.startswith(("池", "料", "吨", "目")), ws["B6"].value


def test_textfit_breaks_between_words() -> None:
    assert wrap("完成总工程量的41%", 14) == ["完成总工程量", "的41%"]
    assert wrap("产业集聚区管委会", 14) == ["产业集聚区", "管委会"]
    assert wrap("滞后时间进度15.1个百分点", 16) == ["滞后时间进度", "15.1个百分点"]
    assert "".join(wrap("建设GMP标准化厂房及质检研发楼4.8万平方米", 20)) == "建设GMP标准化厂房及质检研发楼4.8万平方米"
    assert all("4.8万平方米" in line or "万" not in line for line in wrap("建设厂房及研发楼4.8万平方米", 14))
    assert wrap("短", 10) == ["短"] and wrap("一行\n两行", 30) == ["一行", "两行"]
    assert wrap("（一期）工程", 9) == ["（一期）", "工程"]
    assert not any(line.startswith("）") for line in wrap("（一期）工程", 6))  # no line ends with an opening bracket


def test_page_breaks_leave_no_short_last_page(runner: CliRunner, tmp_path: Path) -> None:
    # enough projects for a little more than one A3 page: the greedy split would leave a few rows alone
    projects = [project(f"p{i:03d}", progress=[report("2026-09", 100, "主体施工")]) for i in range(33)]
    root = write_ledger(tmp_path / "pages", projects)
    out = tmp_path / "p.xlsx"
    assert export(runner, root, out).exit_code == 0
    ws = load_workbook(out)["调度表"]
    breaks = [b.id for b in ws.row_breaks.brk]
    last = max(print_rows(ws))
    assert breaks, "expected more than one page"
    pages = list(zip([3, *breaks], [*breaks, last], strict=True))
    body = [sum(isinstance(ws.cell(row=r, column=1).value, int) for r in range(lo + 1, hi + 1)) for lo, hi in pages]
    assert min(body) >= 6, body


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
    row = find_row(ws, 22, "007")
    name = ws.cell(row=row, column=2)
    assert flat(name.value) == INJECTION and name.data_type == "s" and name.quotePrefix
    ident = ws.cell(row=row, column=22)
    assert ident.value == "007" and ident.data_type == "s"
    content = ws.cell(row=row, column=6)
    assert flat(content.value) == "+86 联系电话；-负号开头含控制字符"
    assert content.data_type == "s" and content.quotePrefix
    image = ws.cell(row=row, column=17)
    assert image.value == "@装修收尾" and image.quotePrefix


def test_a_control_character_in_the_ledger_stops_the_export_at_its_line(
        runner: CliRunner, ledger: Path, tmp_path: Path) -> None:
    path = ledger / "projects" / "007.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("-负号开头含控制字符", "-负号开头\x07含控制字符"), encoding="utf-8")
    result = export(runner, ledger, tmp_path / "a.xlsx")
    assert result.exit_code == 1 and "projects/007.yaml:" in result.output and "控制字符" in result.output
    assert not (tmp_path / "a.xlsx").exists()


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
    assert "2026-09-30T00:00:00Z" in core and re.search(r"<dc:creator[^>]*>projledger</dc:creator>", core)
    props = load_workbook(first).properties
    assert props.creator == props.lastModifiedBy == "projledger"
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
    assert wb.sheetnames == [*SHEETS, "图表数据"]
    assert wb["调度表"].max_row > 10


def test_long_text_keeps_rows_within_excel_limits(runner: CliRunner, tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "long", [project("001", content="长" * 3000,
                                                     progress=[report("2026-09", 100, "形象进度" * 50)])])
    out = tmp_path / "long.xlsx"
    assert runner.invoke(app, ["export", "--ledger", str(root), "-o", str(out)]).exit_code == 0
    for ws in visible(load_workbook(out)):
        heights = [d.height for d in ws.row_dimensions.values() if d.height is not None]
        assert heights and max(heights) <= 409, ws.title
    ws = load_workbook(out)["调度表"]
    assert flat(ws["F6"].value) == "长" * 3000
    assert ws.row_dimensions[6].height == 409


def test_empty_categories_are_skipped_and_numbering_stays_continuous(runner: CliRunner, tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "cats", [project("001", category="产业"), project("002", category="城建")],
                        categories=["产业", "服务业", "城建"])
    out = tmp_path / "cats.xlsx"
    assert runner.invoke(app, ["export", "--ledger", str(root), "--month", "2026-09", "-o", str(out)]).exit_code == 0
    ws = load_workbook(out)["调度表"]
    labels = [ws.cell(row=r, column=1).value for r in range(4, ws.max_row + 1)]
    assert [v.split("　")[0] for v in labels if isinstance(v, str) and "个）" in v] == [
        "合计（2个）", "一、产业（1个）", "二、城建（1个）"]
