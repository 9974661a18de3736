"""The fill-in form (填报表) one responsible unit gets each month and sends back for `import`.

One row per project of the unit. Grey columns are last month's figures for reference (locked: the
sheet is protected without a password, so they cannot be overwritten by accident); white columns are
this month's input, with data validation on numbers and dates. Re-issuing a form for a month that is
already in the ledger pre-fills the input columns with what the ledger has, so a re-import changes
nothing unless someone edited a cell. A hidden sheet `META_SHEET` says what the form is (district,
year, month, unit, form version and the project ids in row order), so `import` can refuse a form of
another ledger, month or unit. Ledger text goes into cells through `cells.put` (never a formula).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from projledger.ledger.errors import WriteRefusedError
from projledger.ledger.fsio import atomic_write
from projledger.ledger.loader import Ledger, os_reason
from projledger.ledger.models import Problem, Project, Report

from .cells import put

FORM_KIND = "projledger-填报表"
FORM_VERSION = 1
SHEET = "填报表"
META_SHEET = "meta"
TITLE_ROW, NOTE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3, 4


@dataclass(frozen=True)
class Column:
    """One column of the form: header text, width, and whether it is input."""

    key: str
    header: str
    width: float
    input: bool = False


def columns(month_number: int) -> tuple[Column, ...]:
    """The form's columns; headers name the months they are about."""
    prev = f"1-{month_number - 1}月" if month_number > 1 else "上月"
    return (
        Column("id", "项目编号", 14),
        Column("name", "项目名称", 28),
        Column("annual_plan", "年度计划投资（万元）", 12),
        Column("prev_completed", f"{prev}累计完成投资（万元）", 14),
        Column("prev_image", f"{prev}形象进度", 28),
        Column("completed", f"1-{month_number}月累计完成投资（万元）", 14, True),
        Column("image", f"{month_number}月形象进度", 32, True),
        Column("actual_start", "实际开工日期", 13, True),
        Column("actual_finish", "实际竣工日期", 13, True),
        Column("problems", "存在问题（每行一条，写作“类型：说明”，如“拆迁：3户未签约”）", 40, True),
    )


def column_index(month_number: int) -> dict[str, int]:
    """1-based column numbers by key."""
    return {c.key: i for i, c in enumerate(columns(month_number), start=1)}


GREY = PatternFill("solid", fgColor="E7E6E6")
HEAD = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")


def default_name(ledger: Ledger, unit: str, month: str) -> str:
    """`城关街道2026年9月重点项目填报表.xlsx`."""
    return f"{unit}{month[:4]}年{int(month[5:])}月重点项目填报表.xlsx"


def unit_projects(ledger: Ledger, unit: str) -> list[Project]:
    """The unit's projects in ledger order."""
    return [p for p in ledger.projects if p.unit == unit]


def previous_report(project: Project, month: str) -> Report | None:
    """The latest report of the same year before `month` (what the meeting carried forward)."""
    earlier = [r for r in project.progress if r.month < month and r.month[:4] == month[:4]]
    return max(earlier, key=lambda r: r.month) if earlier else None


def problems_text(problems: list[Problem]) -> str:
    """Problems as the form writes them: one per line, “类型：说明”."""
    return "\n".join(f"{p.type}：{p.text}" for p in problems if p.resolved is None)


def _instructions(month: str) -> str:
    m = int(month[5:])
    return (f"填写说明：只填白色单元格，灰色为上月数据（仅供参考，不能修改）。“1-{m}月累计完成投资”填今年1月至{m}月"
            "的累计数，单位万元，只填数字；日期填 2026-10-01 这样的日期；存在问题每行一条，写作“类型：说明”。"
            "没有变化的单元格保持原样。请勿增删行列、修改项目编号或工作表名称，填好后原样发回。")


def build_form(ledger: Ledger, unit: str, month: str) -> tuple[Workbook, list[str]]:
    """The fill-in workbook for `unit` and `month`, and any warnings from text cells."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    m = int(month[5:])
    cols = columns(m)
    warnings: list[str] = []
    s = ledger.settings
    put(ws.cell(TITLE_ROW, 1), f"{s.district}{s.year}年重点项目{m}月进度填报表（{unit}）")
    ws.cell(TITLE_ROW, 1).font = Font(bold=True, size=14)
    put(ws.cell(NOTE_ROW, 1), _instructions(month))
    ws.cell(NOTE_ROW, 1).alignment = WRAP
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(cols))
    ws.merge_cells(start_row=NOTE_ROW, start_column=1, end_row=NOTE_ROW, end_column=len(cols))
    ws.row_dimensions[NOTE_ROW].height = 48
    for i, col in enumerate(cols, start=1):
        cell = ws.cell(HEADER_ROW, i)
        put(cell, col.header)
        cell.font, cell.fill, cell.alignment, cell.border = Font(bold=True), HEAD, WRAP, BOX
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.row_dimensions[HEADER_ROW].height = 45

    projects = unit_projects(ledger, unit)
    for row, p in enumerate(projects, start=FIRST_ROW):
        prev = previous_report(p, month)
        this = next((r for r in p.progress if r.month == month), None)
        values: dict[str, object] = {
            "id": p.id, "name": p.name, "annual_plan": p.investment.annual_plan,
            "prev_completed": prev.completed if prev else 0, "prev_image": prev.image if prev else None,
            "completed": this.completed if this else None, "image": this.image if this else None,
            "actual_start": p.actual.start, "actual_finish": p.actual.finish,
            "problems": problems_text(this.problems) if this else None,
        }
        for i, col in enumerate(cols, start=1):
            cell = ws.cell(row, i)
            where = f"{SHEET}!{cell.coordinate}"
            warnings += put(cell, values[col.key], where)
            cell.border, cell.alignment = BOX, WRAP
            if col.input:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = GREY
            if col.key in ("actual_start", "actual_finish"):
                cell.number_format = "yyyy-mm-dd"
            elif col.key in ("annual_plan", "prev_completed", "completed"):
                cell.number_format = "#,##0.00"
    _validations(ws, cols, FIRST_ROW, FIRST_ROW + max(len(projects), 1) - 1)
    ws.freeze_panes = ws.cell(FIRST_ROW, 3)
    ws.protection.sheet = True  # no password: it only keeps the grey cells from being typed over
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _meta(wb, ledger, unit, month, [p.id for p in projects])
    return wb, warnings


def _validations(ws: object, cols: tuple[Column, ...], first: int, last: int) -> None:
    index = {c.key: i for i, c in enumerate(cols, start=1)}

    def rng(key: str) -> str:
        letter = get_column_letter(index[key])
        return f"{letter}{first}:{letter}{last}"

    money = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                           showErrorMessage=True, errorTitle="应为数字", error="请填写万元数字，如 5200 或 5200.5，不能为负")
    money.add(rng("completed"))
    day = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
                         allow_blank=True, showErrorMessage=True, errorTitle="应为日期",
                         error="请填写日期，如 2026-10-01")
    day.add(rng("actual_start"))
    day.add(rng("actual_finish"))
    for dv in (money, day):
        ws.add_data_validation(dv)  # type: ignore[attr-defined]


def _meta(wb: Workbook, ledger: Ledger, unit: str, month: str, ids: list[str]) -> None:
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    s = ledger.settings
    rows: list[tuple[str, object]] = [
        ("form", FORM_KIND), ("version", FORM_VERSION), ("district", s.district), ("year", s.year),
        ("month", month), ("unit", unit), ("first_row", FIRST_ROW), ("ids", "\n".join(ids)),
    ]
    for r, (key, value) in enumerate(rows, start=1):
        put(meta.cell(r, 1), key)
        put(meta.cell(r, 2), value)
    meta.protection.sheet = True


def write_form(path: Path, ledger: Ledger, unit: str, month: str) -> list[str]:
    """Write the form atomically (refusing a workbook open in Excel/WPS); returns warnings."""
    wb, warnings = build_form(ledger, unit, month)

    def write(handle: IO[bytes]) -> None:
        wb.save(handle)

    try:
        atomic_write(path, write, refuse_if_open=True)
    except OSError as exc:
        raise WriteRefusedError(f"无法写入 {path}：{os_reason(exc)}") from None
    return warnings


__all__ = ["FORM_KIND", "FORM_VERSION", "META_SHEET", "SHEET", "build_form", "columns", "write_form"]
