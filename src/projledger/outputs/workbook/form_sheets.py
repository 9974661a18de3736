"""The fill-in form's 存在问题 and 前期手续 sheets (see `form.py` for the whole form).

存在问题 lists every problem of the unit's projects that is still open for the month (carried from the
latest earlier report, or already in the month's own), with cells for 进展 and 解决日期, then empty
rows for new problems. 前期手续 lists, for each project not started by the end of the month, the
procedures not yet done, with their 倒排 latest finish and a cell for 办结日期. `Listing` records which
row shows which problem or procedure, for the form's meta sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from projledger.figures.metrics import MonthFigures, days_overdue
from projledger.figures.problems import listed
from projledger.figures.schedule import build_schedule
from projledger.ledger.errors import ProjledgerError
from projledger.ledger.loader import Ledger
from projledger.ledger.models import PROBLEM_TYPES_HINT, Project

from . import form_layout as layout
from .cells import put
from .form_layout import FIRST_ROW, HEADER_ROW, Column

MAIN_SHEET = "填报表"
PROBLEM_SHEET = "存在问题"
PROCEDURE_SHEET = "前期手续"
NEW_ROWS_MIN = 10
STEP_STATUS = {"overdue": "已逾期", "due_soon": "即将到期", "pending": "未到期"}


@dataclass
class Listing:
    """Where each sheet's rows are, and which problem / procedure each listed row shows."""

    places: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)  # row, id, type, text
    procedures: list[tuple[int, str, str]] = field(default_factory=list)  # row, id, step


PROBLEM_COLUMNS: tuple[Column, ...] = (
    Column("id", "项目编号", 14, True),
    Column("name", "项目名称", 22),
    Column("type", "问题类型", 9, True),
    Column("text", "问题说明", 34, True),
    Column("owner", "责任单位", 14, True),
    Column("due", "限期解决日期", 12, True, "date"),
    Column("overdue", "逾期情况", 10),
    Column("note", "进展情况", 30, True),
    Column("resolved", "解决日期", 12, True, "date"),
)
LISTED_INPUT = frozenset({"note", "resolved"})  # what may be typed on a listed problem's row
NEW_INPUT = frozenset({"id", "type", "text", "owner", "due", "note"})  # on a new problem's row

PROCEDURE_COLUMNS: tuple[Column, ...] = (
    Column("id", "项目编号", 14),
    Column("name", "项目名称", 26),
    Column("step", "手续名称", 16),
    Column("latest", "最迟办结日期（倒排）", 14, kind="date"),
    Column("status", "状态", 10),
    Column("done", "办结日期", 13, True, "date"),
)


def date_validation() -> DataValidation:
    """Dates between 2000 and 2100, with a Chinese message."""
    return DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
                          allow_blank=True, showErrorMessage=True, errorTitle="应为日期",
                          error="请填写日期，如 2026-10-01")


def _problem_note(month: str) -> str:
    m = int(month[5:])
    return (f"说明：下列问题截至{m}月底尚未解决（上月延续或本月已登记），不填即按“未解决”延续到下月。"
            "有进展的填“进展情况”；已解决的在“解决日期”填写日期（如 2026-10-20）。"
            "新问题填在下方“新增问题”各行：选项目编号，填类型、说明，责任单位默认为本单位（可改），有限期的填限期。"
            "已列出的问题不要重复填写。")


def problem_sheet(ws: Any, mf: MonthFigures, projects: list[Project], unit: str, listing: Listing) -> list[str]:
    """Fill the 存在问题 sheet; returns warnings from text cells."""
    cols = PROBLEM_COLUMNS
    index = {c.key: i for i, c in enumerate(cols, start=1)}
    m = mf.month_number
    layout.head(ws, cols, f"{mf.settings.district}{mf.settings.year}年重点项目{m}月存在问题（{unit}）",
                _problem_note(mf.month))
    warnings: list[str] = []
    row = FIRST_ROW
    for p in projects:
        for item in listed(p, mf.month):
            q = item.problem
            late = days_overdue(q, mf.as_of)
            values: dict[str, object] = {
                "id": p.id, "name": p.name, "type": q.type, "text": q.text, "owner": q.owner, "due": q.due,
                "overdue": f"逾期{late}天" if late is not None else None, "note": q.note, "resolved": q.resolved,
            }
            for col in cols:
                cell = ws.cell(row, index[col.key])
                warnings += put(cell, values[col.key], f"{PROBLEM_SHEET}!{cell.coordinate}")
                layout.body(cell, col, col.key in LISTED_INPUT)
            if late is not None:
                layout.overdue(ws.cell(row, index["overdue"]))
            listing.problems.append((row, p.id, q.type, q.text))
            row += 1
    label = row
    layout.section(ws, label, len(cols), "新增问题（没有可不填；每行一个问题）")
    first_new = label + 1
    last_new = first_new + max(NEW_ROWS_MIN, 2 * len(projects)) - 1
    id_letter, name_key = get_column_letter(index["id"]), "name"
    for r in range(first_new, last_new + 1):
        for col in cols:
            cell = ws.cell(r, index[col.key])
            if col.key == name_key:
                cell.value = f"=IFERROR(VLOOKUP({id_letter}{r},'{MAIN_SHEET}'!A:B,2,FALSE),\"\")"
            elif col.key == "owner":
                put(cell, unit)
            layout.body(cell, col, col.key in NEW_INPUT)
    _problem_validations(ws, index, [p.id for p in projects], first_new, last_new,
                         f"{get_column_letter(index['resolved'])}{FIRST_ROW}:{get_column_letter(index['resolved'])}{max(label - 1, FIRST_ROW)}")
    layout.finish(ws)
    listing.places[PROBLEM_SHEET] = {"header_row": HEADER_ROW, "first_row": FIRST_ROW, "new_first": first_new}
    return warnings


def _problem_validations(ws: Any, index: dict[str, int], ids: list[str], first: int, last: int, resolved: str) -> None:
    def rng(key: str) -> str:
        letter = get_column_letter(index[key])
        return f"{letter}{first}:{letter}{last}"

    validations = []
    if ids:  # the ids as the main sheet lists them (an inline list is limited to 255 characters)
        source = f"'{MAIN_SHEET}'!$A${FIRST_ROW}:$A${FIRST_ROW + len(ids) - 1}"
        project = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                                 errorTitle="项目编号", error="请从下拉列表中选择本单位的项目编号")
        project.add(rng("id"))
        validations.append(project)
    kinds = DataValidation(type="list", formula1=f'"{",".join(PROBLEM_TYPES_HINT)}"', allow_blank=True,
                           showErrorMessage=False)  # a suggestion: other types may be typed
    kinds.add(rng("type"))
    validations.append(kinds)
    day = date_validation()
    day.add(rng("due"))
    day.add(resolved)
    validations.append(day)
    for dv in validations:
        ws.add_data_validation(dv)


def open_procedures(ledger: Ledger, mf: MonthFigures, projects: list[Project]) -> list[tuple[Project, str, date | None, str]]:
    """(project, step, latest finish, status) of every procedure not done, for projects not started at as_of."""
    waiting = [p for p in projects if p.actual.start is None or p.actual.start > mf.as_of]
    if not waiting:
        return []
    try:
        report = build_schedule(ledger, mf.month, [p.id for p in waiting])
        schedules = {s.project.id: s for s in report.projects if s.anchor == "start"}
    except ProjledgerError:  # a broken template is `check`'s to report; list the open steps without deadlines
        schedules = {}
    out: list[tuple[Project, str, date | None, str]] = []
    for p in waiting:
        schedule = schedules.get(p.id)
        if schedule is not None:
            out += [(p, s.name, s.latest_finish, STEP_STATUS.get(s.status, "")) for s in schedule.steps if s.done is None]
        else:
            out += [(p, name, None, "") for name, done in p.procedures.items() if done is None]
    return out


def procedure_sheet(ws: Any, ledger: Ledger, mf: MonthFigures, projects: list[Project], unit: str,
                    listing: Listing) -> list[str]:
    """Fill the 前期手续 sheet; returns warnings from text cells."""
    cols = PROCEDURE_COLUMNS
    index = {c.key: i for i, c in enumerate(cols, start=1)}
    m = mf.month_number
    steps = open_procedures(ledger, mf, projects)
    note = ("说明：列出截至月底尚未开工项目的未办结手续及倒排的最迟办结日期。已办结的在“办结日期”填写日期"
            "（如 2026-10-20），未办结的不填。" if steps else "说明：本单位没有尚未开工项目的未办结手续，本表不用填写。")
    layout.head(ws, cols, f"{mf.settings.district}{mf.settings.year}年重点项目{m}月前期手续办理情况（{unit}）", note)
    warnings: list[str] = []
    row = FIRST_ROW
    for p, step, latest, status in steps:
        values: dict[str, object] = {"id": p.id, "name": p.name, "step": step, "latest": latest, "status": status,
                                     "done": None}
        for col in cols:
            cell = ws.cell(row, index[col.key])
            warnings += put(cell, values[col.key], f"{PROCEDURE_SHEET}!{cell.coordinate}")
            layout.body(cell, col, col.input)
        if status == STEP_STATUS["overdue"]:
            layout.overdue(ws.cell(row, index["status"]))
        listing.procedures.append((row, p.id, step))
        row += 1
    if steps:
        letter = get_column_letter(index["done"])
        day = date_validation()
        day.add(f"{letter}{FIRST_ROW}:{letter}{row - 1}")
        ws.add_data_validation(day)
    layout.finish(ws)
    listing.places[PROCEDURE_SHEET] = {"header_row": HEADER_ROW, "first_row": FIRST_ROW}
    return warnings


__all__ = ["PROBLEM_COLUMNS", "PROBLEM_SHEET", "PROCEDURE_COLUMNS", "PROCEDURE_SHEET", "Listing", "date_validation",
           "open_procedures",
           "problem_sheet", "procedure_sheet"]
