"""Read one returned fill-in form: every filled row of every sheet, cell by cell, or why not.

Nothing is assumed about positions that the form itself does not record: the hidden meta sheet says
where each sheet's header and first row are, and which problem or procedure each listed row shows;
columns are found by their header text. A filled row is read or refused, never skipped: a row with
content and no project id, a cell with content in a column the form does not have, a listed row that
no longer matches what was listed, a sheet added with content - each is an error or a warning naming
the cell. Cell values are checked in `formcells`; what they mean for the ledger is `importer`'s business.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from projledger.ledger.errors import LedgerError
from projledger.ledger.loader import Ledger
from projledger.ledger.models import Project, parse_month
from projledger.ledger.rewrite import UNSET
from projledger.ledger.xlsxin import open_workbook
from projledger.outputs.workbook.form import FORM_KIND, FORM_VERSION, META_SHEET, SHEET, columns
from projledger.outputs.workbook.form_layout import Column
from projledger.outputs.workbook.form_sheets import (
    PROBLEM_COLUMNS,
    PROBLEM_SHEET,
    PROCEDURE_COLUMNS,
    PROCEDURE_SHEET,
)

from .formcells import (
    Cells,
    FormInput,
    ListedRow,
    MainRow,
    NewRow,
    ProcedureRow,
    day,
    err,
    is_formula,
    money,
    text,
)

META_MAX_ROWS = 100_000
SEPARATORS = ("：", ":")


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Reader:
    """Reads one workbook; collects errors and warnings as it goes."""

    def __init__(self, wb: Any, path: Path, ledger: Ledger) -> None:
        self.wb, self.path, self.ledger = wb, path, ledger
        self.errors: list[LedgerError] = []
        self.warnings: list[LedgerError] = []
        self.meta: dict[str, Any] = {}
        self.problems: dict[int, tuple[str, str, str]] = {}
        self.procedures: dict[int, tuple[str, str]] = {}

    @property
    def label(self) -> str:
        return self.path.name

    def error(self, where: str, message: str) -> None:
        self.errors.append(LedgerError(where, None, message))

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(LedgerError(where, None, message, severity="warning"))

    # -- meta ---------------------------------------------------------------------------------------
    def read_meta(self) -> bool:
        names = self.wb.sheetnames
        if META_SHEET not in names or SHEET not in names:
            self.error(self.label, "不是 projledger 生成的填报表（缺少工作表“填报表”或隐藏的 meta 表）；"
                                   "请用 projledger form 生成的表格填报")
            return False
        for values in self.wb[META_SHEET].iter_rows(min_row=1, max_row=META_MAX_ROWS, max_col=5, values_only=True):
            if not values or values[0] is None:
                continue
            k = str(values[0])
            if k == "problem" and len(values) >= 5:
                self.problems[int(values[1])] = (str(values[2]), str(values[3]), str(values[4]))
            elif k == "procedure" and len(values) >= 4:
                self.procedures[int(values[1])] = (str(values[2]), str(values[3]))
            else:
                self.meta[k] = values[1] if len(values) > 1 else None
        return self._check_meta()

    def _check_meta(self) -> bool:
        meta, s = self.meta, self.ledger.settings
        if meta.get("form") != FORM_KIND or meta.get("version") != FORM_VERSION:
            self.error(self.label, "不是本版本 projledger 生成的填报表；请用 projledger form 重新生成")
            return False
        if meta.get("district") != s.district or meta.get("year") != s.year:
            self.error(self.label, f"这是“{meta.get('district')}{meta.get('year')}年”的填报表，不是本台账（{s.district}{s.year}年）的")
            return False
        try:
            y, _ = parse_month(str(meta.get("month")))
        except ValueError:
            y = 0
        ok = True
        if y != s.year:
            self.error(self.label, f"填报月份“{meta.get('month')}”不在台账年度 {s.year} 内")
            ok = False
        if meta.get("unit") not in s.units:
            self.error(self.label, f"责任单位“{meta.get('unit')}”不在 projledger.yaml 的 units 中")
            ok = False
        for sheet in (PROBLEM_SHEET, PROCEDURE_SHEET):
            if sheet not in self.wb.sheetnames:
                self.error(self.label, f"缺少工作表“{sheet}”；请勿删除或改名工作表")
                ok = False
        return ok

    def place(self, sheet: str, key: str) -> int:
        value = self.meta.get(f"{sheet}.{key}")
        return value if isinstance(value, int) and value > 0 else 0

    # -- rows ---------------------------------------------------------------------------------------
    def rows(self, sheet: str, cols: tuple[Column, ...], ignore: frozenset[str] = frozenset()) -> list[Cells] | None:
        """Every non-empty row from the sheet's first row on, cells keyed by column; None on a bad header."""
        ws = self.wb[sheet]
        label = f"{self.label} {sheet}"
        header_row, first_row = self.place(sheet, "header_row"), self.place(sheet, "first_row")
        if not header_row or first_row <= header_row:
            self.error(self.label, "隐藏的 meta 表已损坏；请用 projledger form 重新生成填报表")
            return None
        header = next(ws.iter_rows(min_row=header_row, max_row=header_row, values_only=True), ())
        known = {c.header: c.key for c in cols}
        index: dict[str, int] = {}
        for i, got in enumerate(header):
            key = known.get(text(got) or "")
            if key is not None and key not in index:
                index[key] = i
        missing = [c.header for c in cols if c.key not in index and (c.input or c.key == "id")]
        if missing:
            self.error(label, f"缺少列“{'”“'.join(missing)}”（第 {header_row} 行为表头）；请勿删除、修改表头")
            return None
        keys = {i: k for k, i in index.items()}
        out = []
        for cells in ws.iter_rows(min_row=first_row):
            r = next((c.row for c in cells if getattr(c, "row", None)), None)
            if r is None:
                continue
            by_key: dict[str, Any] = {}
            coords: dict[str, str] = {}
            filled = False
            for i, cell in enumerate(cells):
                if getattr(cell, "value", None) is None:
                    continue
                key = keys.get(i)
                if key is None:
                    if not _empty(cell.value):
                        self.error(f"{label}!{get_column_letter(i + 1)}{r}",
                                   "此列不是填报表的列，内容无法导入；请填在对应的列中，勿增加列")
                    continue
                by_key[key] = cell
                filled = filled or (key not in ignore and not _empty(cell.value))
            if filled:
                coords = {k: f"{get_column_letter(i + 1)}{r}" for k, i in index.items()}
                out.append(Cells(label, r, by_key, coords))
        return out

    def project(self, at: Cells, unit: str) -> Project | None:
        pid = text(at.value("id"))
        if pid is None:
            self.error(at.at("id"), "项目编号为空；请勿增加行或删除项目编号")
            return None
        p = self.ledger.find(pid)
        if p is None or p.unit != unit:
            self.error(at.at("id"), f"项目编号“{pid}”不是{unit}的项目；请勿修改项目编号")
            return None
        return p

    def formula_free(self, at: Cells, keys: tuple[str, ...]) -> bool:
        ok = True
        for key in keys:
            cell = at.cells.get(key)
            if cell is not None and is_formula(cell):
                self.error(at.at(key), "不能是公式，请直接填写文字")
                ok = False
        return ok

    def date_of(self, at: Cells, key: str) -> Any:
        value, problem = day(at.cells.get(key))
        if problem:
            self.error(at.at(key), problem)
        return value


    # -- sheets -------------------------------------------------------------------------------------
    def main_sheet(self, form: FormInput) -> None:
        rows = self.rows(SHEET, columns(int(form.month[5:])), ignore=frozenset({"month_done"}))
        seen: dict[str, int] = {}
        for at in rows or []:
            p = self.project(at, form.unit)
            if p is None:
                continue
            if p.id in seen:
                self.error(at.at("id"), f"项目“{p.id}”在第 {seen[p.id]} 行已出现")
                continue
            seen[p.id] = at.row
            before = len(self.errors)
            completed, problem = money(at.cells.get("completed"))
            if problem:
                self.error(at.at("completed"), problem)
            start, finish = self.date_of(at, "actual_start"), self.date_of(at, "actual_finish")
            self.formula_free(at, ("image", "next_plan", "coordination"))
            if len(self.errors) > before:
                continue
            if start is not UNSET and start == p.actual.start:
                start = UNSET
            if finish is not UNSET and finish == p.actual.finish:
                finish = UNSET
            row = MainRow(p, at, completed, text(at.value("image")), text(at.value("next_plan")),
                          text(at.value("coordination")), start, finish)
            if any(v is not None for v in (row.completed, row.image, row.next_plan, row.coordination)) or (
                    start is not UNSET or finish is not UNSET):
                form.main.append(row)

    def problem_sheet(self, form: FormInput) -> None:
        new_first = self.place(PROBLEM_SHEET, "new_first")
        rows = self.rows(PROBLEM_SHEET, PROBLEM_COLUMNS, ignore=frozenset({"name"}))
        if rows is None:
            return
        if not new_first:
            self.error(self.label, "隐藏的 meta 表已损坏；请用 projledger form 重新生成填报表")
            return
        for at in rows:
            if at.row < new_first - 1:
                self._listed(form, at)
            elif at.row >= new_first:
                self._new(form, at)
            # new_first - 1 is the form's own label row

    def _listed(self, form: FormInput, at: Cells) -> None:
        listed = self.problems.get(at.row)
        shown = (text(at.value("id")), text(at.value("type")), text(at.value("text")))
        if listed is None or shown != tuple(text(v) for v in listed):
            self.error(at.at("id"), "本行与生成时列出的问题不一致；请勿增删、移动行或修改灰色单元格（可重新生成填报表）")
            return
        pid, kind, what = listed
        p = self.ledger.find(pid)
        if p is None or p.unit != form.unit:
            self.error(at.at("id"), f"项目编号“{pid}”不是{form.unit}的项目")
            return
        before = len(self.errors)
        self.formula_free(at, ("note",))
        resolved = self.date_of(at, "resolved")
        due, _ = day(at.cells.get("due"))
        if len(self.errors) == before:
            form.listed.append(ListedRow(p, at, kind, what, text(at.value("owner")), due,
                                         text(at.value("note")), resolved))

    def _new(self, form: FormInput, at: Cells) -> None:
        owner = text(at.value("owner"))
        typed = [k for k in ("id", "type", "text", "due", "note", "resolved") if not _empty(at.value(k))]
        if not typed and owner in (None, form.unit):
            return  # an unused row for new problems (the owner is pre-filled)
        p = self.project(at, form.unit)
        before = len(self.errors)
        self.formula_free(at, ("type", "text", "owner", "note"))
        due, resolved = self.date_of(at, "due"), self.date_of(at, "resolved")
        kind, what = text(at.value("type")), text(at.value("text"))
        if what is None:
            self.error(at.at("text"), "新增问题没有填写“问题说明”")
        if p is None or len(self.errors) > before or what is None:
            return
        for sep in SEPARATORS:  # “拆迁：3户未签约” typed in one cell
            prefix, found, rest = what.partition(sep)
            if found and rest.strip() and (kind is None or prefix.strip() == kind) and len(prefix.strip()) <= 6:
                kind, what = prefix.strip(), rest.strip()
                break
        form.new.append(NewRow(p, at, kind or "其他", what, owner or form.unit,
                               None if due is UNSET else due, text(at.value("note")),
                               None if resolved is UNSET else resolved))

    def procedure_sheet(self, form: FormInput) -> None:
        for at in self.rows(PROCEDURE_SHEET, PROCEDURE_COLUMNS) or []:
            listed = self.procedures.get(at.row)
            shown = (text(at.value("id")), text(at.value("step")))
            if listed is None or shown != tuple(text(v) for v in listed):
                self.error(at.at("id"), "本行与生成时列出的手续不一致；请勿增删、移动行或修改灰色单元格（可重新生成填报表）")
                continue
            p = self.ledger.find(listed[0])
            done = self.date_of(at, "done")
            if p is None or p.unit != form.unit:
                self.error(at.at("id"), f"项目编号“{listed[0]}”不是{form.unit}的项目")
            elif done is not UNSET and done != p.procedures.get(listed[1]):
                form.procedures.append(ProcedureRow(p, at, listed[1], done))

    def other_sheets(self) -> None:
        ours = {SHEET, PROBLEM_SHEET, PROCEDURE_SHEET, META_SHEET}
        for name in self.wb.sheetnames:
            if name in ours:
                continue
            ws = self.wb[name]
            if any(not _empty(v) for row in ws.iter_rows(values_only=True) for v in row):
                self.warn(f"{self.label} {name}", f"工作表“{name}”不是填报表的一部分，其内容未导入")


def read_form(path: Path, ledger: Ledger) -> tuple[FormInput | None, list[LedgerError], list[LedgerError]]:
    """One returned form: what it says, its errors and its warnings."""
    wb, errors = open_workbook(path, path.name)
    if wb is None:
        return None, errors, []
    reader = _Reader(wb, path, ledger)
    try:
        if not reader.read_meta():
            return None, reader.errors, reader.warnings
        form = FormInput(path, path.name, str(reader.meta["month"]), str(reader.meta["unit"]))
        for pid, kind, what in reader.problems.values():
            form.shown.setdefault(pid, set()).add((kind, what))
        reader.main_sheet(form)
        reader.problem_sheet(form)
        reader.procedure_sheet(form)
        reader.other_sheets()
    except Exception as exc:  # noqa: BLE001 - openpyxl parses sheets lazily; a broken part surfaces here
        return None, [err(path.name, None, f"不是有效的 Excel 文件（.xlsx）：读取时出错（{type(exc).__name__}）")], []
    finally:
        wb.close()
    return form, reader.errors, reader.warnings


__all__ = ["read_form"]
