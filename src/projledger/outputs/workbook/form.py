"""The fill-in form (填报表) one responsible unit gets each month and sends back for `import`.

Three sheets. 填报表: one row per project of the unit; grey columns are for reference (last month's
figures, the plan), white columns are this month's input, and 本月完成 is worked out from the
cumulative as it is typed. 存在问题: every problem still open for the unit's projects (type, text,
owner, due, overdue mark) with cells for 进展 and 解决日期, then empty rows for new problems. 前期手续:
for projects not yet started, each open procedure with its 倒排 deadline and a cell for 办结日期.

Re-issuing a form for a month already in the ledger pre-fills the input cells with what the ledger has,
so a re-import changes nothing unless someone edited a cell. The hidden sheet `META_SHEET` says what
the form is (district, year, month, unit, version, the project ids, where each sheet's rows start, and
which problem or procedure each listed row is), so `import` can refuse a form of another ledger, month
or unit and match every row to what it was. Ledger text goes into cells through `cells.put` (never a
formula); how the sheets look is `form_layout`'s business alone.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import IO, Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from projledger.figures.metrics import MonthFigures, compute
from projledger.figures.plausibility import previous_in_year
from projledger.figures.problems import entry
from projledger.ledger.errors import WriteRefusedError, write_reason
from projledger.ledger.fsio import atomic_write
from projledger.ledger.loader import Ledger
from projledger.ledger.models import Project

from . import form_layout as layout
from .cells import put
from .form_layout import FIRST_ROW, HEADER_ROW, Column
from .form_sheets import (
    MAIN_SHEET,
    PROBLEM_SHEET,
    PROCEDURE_SHEET,
    Listing,
    date_validation,
    problem_sheet,
    procedure_sheet,
)
from .values import plan_value

FORM_KIND = "projledger-填报表"
FORM_VERSION = 2
SHEET = MAIN_SHEET
META_SHEET = "meta"


def columns(month_number: int) -> tuple[Column, ...]:
    """The main sheet's columns; headers name the months they are about."""
    m = month_number
    prev = f"1-{m - 1}月" if m > 1 else "上月"
    prev_image = f"{m - 1}月" if m > 1 else "上月"
    return (
        Column("id", "项目编号", 14),
        Column("name", "项目名称", 26),
        Column("annual_plan", "年度计划投资（万元）", 12, kind="money"),
        Column("plan_to_date", f"1-{m}月计划投资（万元）", 12, kind="money"),
        Column("prev_completed", f"{prev}累计完成投资（万元）", 13, kind="money"),
        Column("prev_image", f"{prev_image}形象进度", 24),
        Column("completed", f"1-{m}月累计完成投资（万元）", 14, True, "money"),
        Column("month_done", f"{m}月完成投资（万元，自动计算）", 13, kind="computed"),
        Column("image", f"{m}月形象进度", 30, True),
        Column("actual_start", "实际开工日期", 13, True, "date"),
        Column("actual_finish", "实际竣工日期", 13, True, "date"),
        Column("next_plan", "下步计划", 26, True),
        Column("coordination", "需协调解决事项", 26, True),
    )


def default_name(ledger: Ledger, unit: str, month: str) -> str:
    """`城关街道2026年9月重点项目填报表.xlsx` (characters a file name cannot hold become `_`)."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", unit).strip(" .") or "_"
    return f"{safe}{month[:4]}年{int(month[5:])}月重点项目填报表.xlsx"


def unit_projects(ledger: Ledger, unit: str) -> list[Project]:
    """The unit's projects in ledger order."""
    return [p for p in ledger.projects if p.unit == unit]


def _instructions(month: str) -> str:
    m = int(month[5:])
    return (f"填写说明：只填白色单元格，灰色为参考数据（不能修改）。“1-{m}月累计完成投资”填今年1月至{m}月的累计数，"
            f"单位万元，只填数字，“{m}月完成投资”随之自动算出；日期填 2026-10-01 这样的日期。"
            "存在问题、前期手续在后面两张工作表中填写。没有变化的单元格保持原样。"
            "请勿增删行列、修改项目编号或工作表名称，填好后原样发回。")


def _main_sheet(ws: Any, mf: MonthFigures, projects: list[Project], month: str, unit: str) -> list[str]:
    m = int(month[5:])
    cols = columns(m)
    s = mf.settings
    layout.head(ws, cols, f"{s.district}{s.year}年重点项目{m}月进度填报表（{unit}）", _instructions(month))
    index = {c.key: i for i, c in enumerate(cols, start=1)}
    warnings: list[str] = []
    figures = {f.project.id: f for f in mf.projects}
    for row, p in enumerate(projects, start=FIRST_ROW):
        prev = previous_in_year(p, month)
        this = entry(p, month)
        done = (f'=IF(ISNUMBER({get_column_letter(index["completed"])}{row}),'
                f'{get_column_letter(index["completed"])}{row}-{get_column_letter(index["prev_completed"])}{row},"")')
        values: dict[str, object] = {
            "id": p.id, "name": p.name, "annual_plan": p.investment.annual_plan,
            "plan_to_date": plan_value(figures[p.id].plan_to_date),
            "prev_completed": prev.completed if prev else 0, "prev_image": prev.image if prev else None,
            "completed": this.completed if this else None, "image": this.image if this else None,
            "actual_start": p.actual.start, "actual_finish": p.actual.finish,
            "next_plan": this.next_plan if this else None, "coordination": this.coordination if this else None,
        }
        for col in cols:
            cell = ws.cell(row, index[col.key])
            if col.key == "month_done":
                cell.value = done  # our own formula: shows 本月完成 as the cumulative is typed
            else:
                warnings += put(cell, values[col.key], f"{SHEET}!{cell.coordinate}")
            layout.body(cell, col, col.input)
    _validations(ws, index, FIRST_ROW, FIRST_ROW + max(len(projects), 1) - 1)
    layout.finish(ws)
    return warnings


def _validations(ws: Any, index: dict[str, int], first: int, last: int) -> None:
    def rng(key: str) -> str:
        letter = get_column_letter(index[key])
        return f"{letter}{first}:{letter}{last}"

    money = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                           showErrorMessage=True, errorTitle="应为数字", error="请填写万元数字，如 5200 或 5200.5，不能为负")
    money.add(rng("completed"))
    day = date_validation()
    day.add(rng("actual_start"))
    day.add(rng("actual_finish"))
    for dv in (money, day):
        ws.add_data_validation(dv)


def _meta(wb: Workbook, mf: MonthFigures, unit: str, month: str, ids: list[str], listing: Listing) -> None:
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    s = mf.settings
    rows: list[tuple[object, ...]] = [
        ("form", FORM_KIND), ("version", FORM_VERSION), ("district", s.district), ("year", s.year),
        ("month", month), ("unit", unit), ("ids", "\n".join(ids)),
        (f"{SHEET}.header_row", HEADER_ROW), (f"{SHEET}.first_row", FIRST_ROW),
        *((f"{sheet}.{k}", v) for sheet, places in listing.places.items() for k, v in places.items()),
        *(("problem", r, pid, kind, text) for r, pid, kind, text in listing.problems),
        *(("procedure", r, pid, step) for r, pid, step in listing.procedures),
    ]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            put(meta.cell(r, c), value)
    meta.protection.sheet = True


def due_date(ledger: Ledger, month: str) -> date | None:
    """报送时限 from `packet.form_due_day`: that day of the form's month (its last day if shorter)."""
    day = ledger.settings.packet.form_due_day
    if day is None:
        return None
    year, m = int(month[:4]), int(month[5:7])
    return date(year, m, min(day, calendar.monthrange(year, m)[1]))


def build_form(ledger: Ledger, unit: str, month: str, due: date | None = None) -> tuple[Workbook, list[str]]:
    """The fill-in workbook for `unit` and `month`, and any warnings from text cells.

    `due` is the 报送时限 printed on every sheet (default: `due_date`).
    """
    mf = compute(ledger, month, only=lambda p: p.unit == unit)
    projects = unit_projects(ledger, unit)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    warnings = _main_sheet(ws, mf, projects, month, unit)
    listing = Listing()
    warnings += problem_sheet(wb.create_sheet(PROBLEM_SHEET), mf, projects, unit, listing)
    warnings += procedure_sheet(wb.create_sheet(PROCEDURE_SHEET), ledger, mf, projects, unit, listing)
    _meta(wb, mf, unit, month, [p.id for p in projects], listing)
    layout.print_setup(wb, unit, due or due_date(ledger, month))
    return wb, warnings


def _save(path: Path, wb: Workbook) -> None:
    def write(handle: IO[bytes]) -> None:
        wb.save(handle)

    try:
        atomic_write(path, write, refuse_if_open=True)
    except OSError as exc:
        raise WriteRefusedError(f"无法写入 {path}：{write_reason(exc)}") from None


def write_form(path: Path, ledger: Ledger, unit: str, month: str, due: date | None = None) -> list[str]:
    """Write the form atomically (refusing a workbook open in Excel/WPS); returns warnings."""
    wb, warnings = build_form(ledger, unit, month, due)
    _save(path, wb)
    return warnings


def write_forms(folder: Path, ledger: Ledger, month: str,
                done: Callable[[str, Path, int], None] | None = None, due: date | None = None) -> list[str]:
    """Every unit's form (units with projects) into `folder`, default names; `done` hears of each file."""
    warnings: list[str] = []
    written: set[str] = set()
    for i, unit in enumerate(ledger.settings.units, start=1):
        projects = unit_projects(ledger, unit)
        if not projects:
            continue
        name = default_name(ledger, unit, month)
        if name in written:  # two units whose names differ only in characters a file name cannot hold
            name = name.replace(".xlsx", f"-{i}.xlsx")
        written.add(name)
        path = folder / name
        warnings += write_form(path, ledger, unit, month, due)
        if done is not None:
            done(unit, path, len(projects))
    return warnings


__all__ = ["FORM_KIND", "FORM_VERSION", "META_SHEET", "SHEET", "build_form", "columns", "default_name", "due_date",
           "write_form", "write_forms"]
