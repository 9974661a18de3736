"""A unit's clerk filling in a returned form (openpyxl stands in for Excel): cells found by header, not letter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from typer.testing import CliRunner

from projledger.cli import app

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    """Run the CLI; never a traceback."""
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def snapshot(root: Path) -> dict[Path, bytes]:
    """Every file under `root`, byte for byte."""
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.parts}


class Form:
    """An opened fill-in form."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wb = openpyxl.load_workbook(path)
        self.meta = {row[0]: row[1] for row in self.wb["meta"].iter_rows(values_only=True) if row[0]}

    def header_row(self, sheet: str) -> int:
        return int(self.meta[f"{sheet}.header_row"])

    def column(self, sheet: str, header_start: str) -> int:
        """The column whose header starts with `header_start`."""
        ws = self.wb[sheet]
        for cell in ws[self.header_row(sheet)]:
            if isinstance(cell.value, str) and cell.value.startswith(header_start):
                return int(cell.column)
        raise KeyError(header_start)

    def rows(self, sheet: str) -> list[int]:
        first = int(self.meta[f"{sheet}.first_row"])
        return list(range(first, self.wb[sheet].max_row + 1))

    def main_row(self, pid: str) -> int:
        ws = self.wb["填报表"]
        return next(r for r in self.rows("填报表") if ws.cell(r, 1).value == pid)

    def coord(self, sheet: str, row: int, header_start: str) -> str:
        return str(self.wb[sheet].cell(row, self.column(sheet, header_start)).coordinate)

    def get(self, sheet: str, row: int, header_start: str) -> Any:
        return self.wb[sheet].cell(row, self.column(sheet, header_start)).value

    def set(self, sheet: str, row: int, header_start: str, value: Any) -> str:
        cell = self.wb[sheet].cell(row, self.column(sheet, header_start))
        cell.value = value
        return str(cell.coordinate)

    def figure(self, pid: str, value: Any, month: int = 11) -> str:
        """Type the 1-M月累计 figure of a project; returns the cell."""
        return self.set("填报表", self.main_row(pid), f"1-{month}月累计", value)

    def main(self, pid: str, header_start: str, value: Any) -> str:
        return self.set("填报表", self.main_row(pid), header_start, value)

    def problem_row(self, pid: str, text: str) -> int:
        ws = self.wb["存在问题"]
        tcol = self.column("存在问题", "问题说明")
        return next(r for r in self.rows("存在问题") if ws.cell(r, 1).value == pid and ws.cell(r, tcol).value == text)

    def listed_problems(self) -> list[tuple[Any, ...]]:
        ws = self.wb["存在问题"]
        new_first = int(self.meta["存在问题.new_first"])
        return [tuple(c.value for c in ws[r]) for r in range(int(self.meta["存在问题.first_row"]), new_first - 1)]

    def new_problem(self, pid: str, kind: str | None, text: str, owner: str | None = None, due: Any = None,
                    index: int = 0) -> int:
        """Fill the `index`-th row for new problems; returns its row."""
        r = int(self.meta["存在问题.new_first"]) + index
        self.set("存在问题", r, "项目编号", pid)
        self.set("存在问题", r, "问题类型", kind)
        self.set("存在问题", r, "问题说明", text)
        if owner is not None:
            self.set("存在问题", r, "责任单位", owner)
        if due is not None:
            self.set("存在问题", r, "限期", due)
        return r

    def procedure_row(self, pid: str, step: str) -> int:
        ws = self.wb["前期手续"]
        scol = self.column("前期手续", "手续名称")
        return next(r for r in self.rows("前期手续") if ws.cell(r, 1).value == pid and ws.cell(r, scol).value == step)

    def save(self, path: Path | None = None) -> Path:
        target = path or self.path.with_name("返回-" + self.path.name)
        self.wb.save(target)
        return target


def make_form(ledger: Path, out: Path, unit: str, month: str = "2026-11") -> Form:
    """`projledger form --unit` into `out`, opened."""
    code, output = invoke("form", "--unit", unit, "--month", month, "-o", str(out), "--ledger", str(ledger))
    assert code == 0, output
    return Form(out)
