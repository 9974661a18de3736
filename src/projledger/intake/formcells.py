"""The cells of a returned fill-in form: values checked one by one, and the rows they make up.

Numbers must be numbers (万元), dates dates, and nothing may be a formula (formulas are never
evaluated). `formread` walks the sheets; this module holds what it reads a cell as, and the rows it
hands to `importer`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from projledger.ledger.errors import LedgerError
from projledger.ledger.loader import error_message
from projledger.ledger.models import Money, OptDay, Project
from projledger.ledger.rewrite import UNSET

_MONEY: TypeAdapter[Decimal] = TypeAdapter(Money)
_DAY: TypeAdapter[date | None] = TypeAdapter(OptDay)


def err(where: str, cell: str | None, message: str, severity: str = "error") -> LedgerError:
    """An error (or warning) at `file sheet!cell`."""
    return LedgerError(f"{where}!{cell}" if cell else where, None, message, severity=severity)  # type: ignore[arg-type]


@dataclass
class Cells:
    """One row's cells by column key, and their coordinates."""

    sheet: str  # `file.xlsx 填报表`, for messages
    row: int
    cells: dict[str, Any]
    coords: dict[str, str]

    def value(self, key: str) -> Any:
        """The raw value of a column (None when the column is absent)."""
        cell = self.cells.get(key)
        return None if cell is None else cell.value

    def at(self, key: str) -> str:
        """`file sheet!F4` for a column of this row."""
        return f"{self.sheet}!{self.coords.get(key, f'?{self.row}')}"


@dataclass
class MainRow:
    """A filled row of the main sheet."""

    project: Project
    at: Cells
    completed: Decimal | None
    image: str | None
    next_plan: str | None
    coordination: str | None
    actual_start: Any  # a date, or UNSET when the cell is empty
    actual_finish: Any


@dataclass
class ListedRow:
    """A problem the form listed, with what was typed for it."""

    project: Project
    at: Cells
    type: str
    text: str
    owner: str | None  # the grey cells as returned (they are not imported; a change is pointed out)
    due: Any
    note: str | None
    resolved: Any  # a date, or UNSET


@dataclass
class NewRow:
    """A new problem typed on the form."""

    project: Project
    at: Cells
    type: str
    text: str
    owner: str
    due: date | None
    note: str | None
    resolved: date | None


@dataclass
class ProcedureRow:
    """A procedure the form listed, with its 办结日期 typed."""

    project: Project
    at: Cells
    step: str
    done: date


@dataclass
class FormInput:
    """Everything one returned form says."""

    path: Path
    label: str
    month: str
    unit: str
    shown: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # id -> problems the form listed
    main: list[MainRow] = field(default_factory=list)
    listed: list[ListedRow] = field(default_factory=list)
    new: list[NewRow] = field(default_factory=list)
    procedures: list[ProcedureRow] = field(default_factory=list)


def is_formula(cell: Any) -> bool:
    """A formula cell (never evaluated)."""
    return getattr(cell, "data_type", None) == "f" or (
        isinstance(cell.value, str) and cell.value.startswith("=") and getattr(cell, "data_type", "s") != "s")


def text(value: Any) -> str | None:
    """A cell's value as stripped text (None when empty)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    out = str(value).strip()
    return out or None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def money(cell: Any) -> tuple[Decimal | None, str | None]:
    """A 万元 figure, or why the cell is not one."""
    value = None if cell is None else cell.value
    if _empty(value):
        return None, None
    if is_formula(cell):
        return None, "不能是公式，请直接填写数字（可复制后“选择性粘贴-数值”）"
    if isinstance(value, bool) or isinstance(value, datetime | date):
        return None, "应为数字（万元），如 5200 或 5200.5"
    if isinstance(value, float) and not math.isfinite(value):
        return None, "应为数字（万元），如 5200 或 5200.5"
    try:
        return _MONEY.validate_python(value), None
    except ValidationError as exc:
        return None, f"应为数字（万元）：{error_message(exc.errors()[0])}"


def day(cell: Any) -> tuple[Any, str | None]:
    """A date (UNSET when empty), or why the cell is not one."""
    value = None if cell is None else cell.value
    if _empty(value):
        return UNSET, None
    if is_formula(cell):
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




__all__ = ["Cells", "FormInput", "ListedRow", "MainRow", "NewRow", "ProcedureRow", "day", "err", "is_formula",
           "money", "text"]
