"""Merge returned fill-in forms back into the project files, all or nothing.

`plan_import` reads every form (safely: `xlsxin`), validates every cell (errors say `file sheet!cell`),
turns each filled row into a `ReportChange`, rewrites the project's text (`rewrite`, which keeps the
file's comments and layout and checks the result reads back as intended), and then loads the whole
ledger again with the new texts in place through the same loader, models and checks as `check`. Any
error anywhere means nothing is written. `apply_import` writes the planned texts, each atomically.

Empty input cells mean "not filled in": an empty 1-M月累计 cell leaves the project unreported for the
month, an empty date or problem cell leaves the ledger's value as it is (the form pre-fills both, so
clearing a cell to erase a date is not supported; edit the ledger for that).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import TypeAdapter, ValidationError

from projledger.ledger.errors import LedgerError, WriteRefusedError
from projledger.ledger.load import load_ledger
from projledger.ledger.loader import DiskFiles, Ledger, Source, error_message, os_reason, source_from_bytes
from projledger.ledger.models import Money, OptDay, Project, parse_month
from projledger.ledger.rewrite import UNSET, ReportChange, RewriteError, rewrite_file, rewrite_text
from projledger.ledger.xlsxin import open_workbook
from projledger.outputs.workbook.form import (
    FIRST_ROW,
    FORM_KIND,
    FORM_VERSION,
    HEADER_ROW,
    META_SHEET,
    SHEET,
    columns,
    problems_text,
)

MAX_ROWS = 2000
_MONEY: TypeAdapter[Decimal] = TypeAdapter(Money)
_DAY: TypeAdapter[date | None] = TypeAdapter(OptDay)


@dataclass
class Row:
    """One filled row of a form."""

    label: str  # `file.xlsx 填报表` for messages
    row: int
    project: Project
    change: ReportChange
    cells: dict[str, str]  # key -> coordinate


@dataclass
class Update:
    """A planned change to one project file."""

    project: Project
    rel: str
    new_text: str
    summary: list[str]


@dataclass
class Plan:
    """What an import would do, or why it must not."""

    updates: list[Update] = field(default_factory=list)
    errors: list[LedgerError] = field(default_factory=list)
    warnings: list[LedgerError] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _err(label: str, cell: str | None, message: str) -> LedgerError:
    return LedgerError(f"{label}!{cell}" if cell else label, None, message)


def _is_formula(cell: Any) -> bool:
    return getattr(cell, "data_type", None) == "f" or (
        isinstance(cell.value, str) and cell.value.startswith("=") and getattr(cell, "data_type", "s") != "s")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    text = str(value).strip()
    return text or None


def _money(cell: Any) -> tuple[Decimal | None, str | None]:
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if _is_formula(cell):
        return None, "不能是公式，请直接填写数字（可复制后“选择性粘贴-数值”）"
    if isinstance(value, bool) or isinstance(value, datetime | date):
        return None, "应为数字（万元），如 5200 或 5200.5"
    if isinstance(value, float) and not math.isfinite(value):
        return None, "应为数字（万元），如 5200 或 5200.5"
    try:
        return _MONEY.validate_python(value), None
    except ValidationError as exc:
        return None, f"应为数字（万元）：{error_message(exc.errors()[0])}"


def _day(cell: Any) -> tuple[Any, str | None]:
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return UNSET, None
    if _is_formula(cell):
        return UNSET, "不能是公式，请直接填写日期，如 2026-10-01"
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            return UNSET, "只填日期，不填时间，如 2026-10-01"
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if not isinstance(value, str):
        return UNSET, "应为日期，如 2026-10-01（单元格可能被设成了数字格式）"
    try:
        return _DAY.validate_python(value), None
    except ValidationError as exc:
        return UNSET, error_message(exc.errors()[0])


def _problems(text: str | None, project: Project, month: str, unit: str) -> list[dict[str, Any]] | None:
    """Problem lines as problem mappings; None when the cell repeats what the ledger has."""
    old = next((r for r in project.progress if r.month == month), None)
    old_problems = list(old.problems) if old else []
    if (text or "") == problems_text(old_problems):
        return None
    kept = [p.model_dump(exclude_none=True) for p in old_problems if p.resolved is not None]
    open_by_line = {f"{p.type}：{p.text}": p for p in old_problems if p.resolved is None}
    out = list(kept)
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line in open_by_line:
            out.append(open_by_line[line].model_dump(exclude_none=True))
            continue
        for sep in ("：", ":"):
            if sep in line:
                kind, _, what = line.partition(sep)
                break
        else:
            kind, what = "其他", line
        kind, what = kind.strip() or "其他", what.strip()
        out.append({"type": kind, "text": what or kind, "owner": unit})
    if out == [p.model_dump(exclude_none=True) for p in old_problems]:
        return None  # written differently (a half-width colon), the same problems
    return out


def _meta(wb: Any, label: str, ledger: Ledger) -> tuple[dict[str, Any], list[LedgerError]]:
    if META_SHEET not in wb.sheetnames or SHEET not in wb.sheetnames:
        return {}, [_err(label, None, "不是 projledger 生成的填报表（缺少工作表“填报表”或隐藏的 meta 表）；"
                                      "请用 projledger form 生成的表格填报")]
    meta: dict[str, Any] = {}
    for row in wb[META_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if row and row[0] is not None:
            meta[str(row[0])] = row[1] if len(row) > 1 else None
    s = ledger.settings
    problems = []
    if meta.get("form") != FORM_KIND or meta.get("version") != FORM_VERSION:
        problems.append("不是本版本 projledger 生成的填报表；请用 projledger form 重新生成")
    elif meta.get("district") != s.district or meta.get("year") != s.year:
        problems.append(f"这是“{meta.get('district')}{meta.get('year')}年”的填报表，不是本台账（{s.district}{s.year}年）的")
    else:
        try:
            y, _ = parse_month(str(meta.get("month")))
        except ValueError:
            y = 0
        if y != s.year:
            problems.append(f"填报月份“{meta.get('month')}”不在台账年度 {s.year} 内")
        if meta.get("unit") not in s.units:
            problems.append(f"责任单位“{meta.get('unit')}”不在 projledger.yaml 的 units 中")
    return meta, [_err(label, None, p) for p in problems]


def read_form(path: Path, ledger: Ledger) -> tuple[list[Row], list[LedgerError]]:
    """The filled rows of one returned form, or the errors of every bad cell."""
    label = path.name
    wb, errors = open_workbook(path, label)
    if wb is None:
        return [], errors
    try:
        return _read_rows(wb, label, ledger)
    except Exception as exc:  # noqa: BLE001 - openpyxl parses sheets lazily; a broken part surfaces here
        return [], [_err(label, None, f"不是有效的 Excel 文件（.xlsx）：读取时出错（{type(exc).__name__}）")]
    finally:
        wb.close()


def _read_rows(wb: Any, label: str, ledger: Ledger) -> tuple[list[Row], list[LedgerError]]:
    meta, errors = _meta(wb, label, ledger)
    if errors:
        return [], errors
    month, unit = str(meta["month"]), str(meta["unit"])
    cols = columns(int(month[5:]))
    index = {c.key: i for i, c in enumerate(cols)}
    sheet = f"{label} {SHEET}"
    ws = wb[SHEET]
    header = next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, max_col=len(cols) + 1, values_only=True), ())
    for i, col in enumerate(cols):
        got = header[i] if i < len(header) else None
        if got != col.header:
            cell = f"{_letter(i)}{HEADER_ROW}"
            return [], [_err(sheet, cell, f"表头应为“{col.header}”，实际是“{got or ''}”；请勿增删、移动列")]
    by_id = {p.id: p for p in ledger.projects if p.unit == unit}
    seen: dict[str, int] = {}
    rows: list[Row] = []
    for cells in ws.iter_rows(min_row=FIRST_ROW, max_row=FIRST_ROW + MAX_ROWS, max_col=len(cols)):
        cells = tuple(cells) + (None,) * (len(cols) - len(cells))
        r = next((c.row for c in cells if c is not None and getattr(c, "row", None)), None)
        if r is None or all(c is None or c.value is None for c in cells):
            continue
        by_key = {k: cells[i] for k, i in index.items()}
        coord = {k: f"{_letter(i)}{r}" for k, i in index.items()}
        row_errors, row = _read_row(sheet, r, by_key, coord, by_id, seen, month, unit)
        errors += row_errors
        if row is not None:
            rows.append(row)
    return rows, errors


def _letter(i: int) -> str:
    return str(get_column_letter(i + 1))


class _Empty:
    value = None
    data_type = "n"


def _read_row(where: str, r: int, cell: dict[str, Any], coord: dict[str, str], by_id: dict[str, Project],
              seen: dict[str, int], month: str, unit: str) -> tuple[list[LedgerError], Row | None]:
    cell = {k: (c if c is not None else _Empty()) for k, c in cell.items()}
    pid = _text(cell["id"].value)
    if pid is None:
        return [_err(where, coord["id"], "项目编号为空；请勿增加行或删除项目编号")], None
    project = by_id.get(pid)
    if project is None:
        return [_err(where, coord["id"], f"项目编号“{pid}”不是{unit}的项目；请勿修改项目编号")], None
    if pid in seen:
        return [_err(where, coord["id"], f"项目“{pid}”在第 {seen[pid]} 行已出现")], None
    seen[pid] = r
    errors: list[LedgerError] = []
    completed, problem = _money(cell["completed"])
    if problem:
        errors.append(_err(where, coord["completed"], problem))
    start, problem = _day(cell["actual_start"])
    if problem:
        errors.append(_err(where, coord["actual_start"], problem))
    finish, problem = _day(cell["actual_finish"])
    if problem:
        errors.append(_err(where, coord["actual_finish"], problem))
    for key in ("image", "problems"):
        if _is_formula(cell[key]):
            errors.append(_err(where, coord[key], "不能是公式，请直接填写文字"))
    if errors:
        return errors, None
    image = _text(cell["image"].value)
    problems = _problems(_text(cell["problems"].value), project, month, unit)
    if start is not UNSET and start == project.actual.start:
        start = UNSET
    if finish is not UNSET and finish == project.actual.finish:
        finish = UNSET
    if completed is None:
        if image is not None or problems or start is not UNSET or finish is not UNSET:
            old = next((x for x in project.progress if x.month == month), None)
            if old is None:
                return [_err(where, coord["completed"],
                             f"填写了本月其他内容，但没有填写“1-{int(month[5:])}月累计完成投资”")], None
            completed = old.completed
        else:
            return [], None
    change = ReportChange(month, completed, image, problems, start, finish)
    return [], Row(where, r, project, change, coord)


def _is_noop(project: Project, change: ReportChange) -> bool:
    old = next((r for r in project.progress if r.month == change.month), None)
    return (old is not None and old.completed == change.completed
            and (change.image is None or change.image == old.image) and change.problems is None
            and change.actual_start is UNSET and change.actual_finish is UNSET)


def _summary(project: Project, change: ReportChange) -> list[str]:
    old = next((r for r in project.progress if r.month == change.month), None)
    lines = []
    if old is None:
        lines.append(f"新增 {change.month} 进度：1-{int(change.month[5:])}月累计完成 {change.completed} 万元")
    elif old.completed != change.completed:
        lines.append(f"{change.month} 累计完成 {old.completed} → {change.completed} 万元")
    if change.image is not None and (old is None or old.image != change.image):
        lines.append(f"形象进度：{change.image}")
    if change.problems is not None:
        lines.append(f"存在问题：{len([p for p in change.problems if p.get('resolved') is None])} 条")
    for label, key, value in (("实际开工日期", "start", change.actual_start), ("实际竣工日期", "finish", change.actual_finish)):
        if value is not UNSET:
            lines.append(f"{label} {getattr(project.actual, key) or '未填'} → {value}")
    return lines


@dataclass
class _Overlay:
    """The ledger on disk with some files replaced by planned texts (for the final re-check)."""

    disk: DiskFiles
    texts: dict[str, str]

    def read(self, rel: str) -> tuple[Source | None, list[LedgerError]]:
        """A planned text, else the file on disk."""
        if rel in self.texts:
            return source_from_bytes(self.texts[rel].encode("utf-8"), rel)
        return self.disk.read(rel)

    def project_paths(self) -> tuple[list[str], list[LedgerError]]:
        """The same files as on disk."""
        return self.disk.project_paths()

    def exists(self, rel: str) -> bool:
        """A planned text or a file on disk."""
        return rel in self.texts or self.disk.exists(rel)


def plan_import(ledger: Ledger, paths: list[Path]) -> Plan:
    """Read and validate every form and plan every file change; nothing is written."""
    plan = Plan()
    rows: list[Row] = []
    for path in dict.fromkeys(p.resolve() for p in paths):
        got, errors = read_form(path, ledger)
        rows += got
        plan.errors += errors
    owner: dict[str, Row] = {}
    for row in rows:
        first = owner.setdefault(row.project.id, row)
        if first is not row:
            plan.errors.append(_err(row.label, row.cells["id"],
                                    f"项目“{row.project.id}”也在 {first.label}!{first.cells['id']} 中填报，请只保留一份"))
    if plan.errors:
        return plan
    texts: dict[str, str] = {}
    by_rel: dict[str, Row] = {}
    for row in rows:
        if _is_noop(row.project, row.change):
            plan.unchanged.append(row.project.id)
            continue
        rel = ledger.source(row.project).path
        try:
            raw = (ledger.root / rel).read_bytes()
            new_text = rewrite_text(raw.decode("utf-8"), rel, row.change)
        except (OSError, UnicodeDecodeError) as exc:
            plan.errors.append(LedgerError(rel, None, f"无法读取文件：{exc}"))
            continue
        except (RewriteError, ValidationError, ValueError) as exc:
            plan.errors.append(_err(row.label, row.cells["completed"], f"项目“{row.project.id}”：{exc}"))
            continue
        texts[rel] = new_text
        by_rel[rel] = row
        plan.updates.append(Update(row.project, rel, new_text, _summary(row.project, row.change)))
    if plan.errors or not texts:
        return plan
    # The same loader, models and cross-file checks as `check`, over the ledger as it would be.
    _, after = load_ledger(ledger.root, files=_Overlay(DiskFiles(ledger.root), texts))
    for e in after:
        changed = by_rel.get(e.path)
        if changed is not None:
            where = _err(changed.label, changed.cells["completed"], f"项目“{changed.project.id}”：{e.message}")
            (plan.errors if e.is_error else plan.warnings).append(where)
        elif e.is_error:
            plan.errors.append(e)
    if plan.errors:
        plan.updates = []
    return plan


def apply_import(ledger: Ledger, plan: Plan) -> None:
    """Write every planned file, each atomically; a failed write names what was and was not written."""
    done: list[str] = []
    for update in plan.updates:
        try:
            rewrite_file(ledger.root / update.rel, update.new_text)
        except OSError as exc:
            written = "、".join(done) or "无"
            raise WriteRefusedError(f"{update.rel} 写入失败（{os_reason(exc)}），该文件未改动；已写入：{written}") from None
        done.append(update.rel)
