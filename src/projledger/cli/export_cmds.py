"""The dispatch workbook: export (with a 全市排名 sheet from `--rollup rollup.yaml`)."""

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from projledger.cli import LedgerOpt, MonthOpt, command, load, out, resolve_month, warn, working
from projledger.ledger.errors import InputError, UsageError

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

    from projledger.outputs.workbook.layout import Look
    from projledger.outputs.workbook.table import TableSheet


def rollup_sheet_for(rollup: str, year: int, month: str) -> "Callable[[Workbook, Look], TableSheet]":
    """The 全市排名 sheet of `rollup` for the workbook's month; the members must keep the ledger's year."""
    from projledger.cli.rollup_cmds import load_members
    from projledger.figures.rollup import compute_rollup
    from projledger.outputs.workbook.rollup_sheet import rollup_sheet

    data = load_members([rollup])
    if data.year != year:
        raise InputError(f"{rollup} 的成员台账是 {data.year} 年的，本台账是 {year} 年的，不能放进同一份调度表")
    r = compute_rollup(data, month)
    return lambda wb, look: rollup_sheet(wb, r, look)


class PaperSize(StrEnum):
    """Paper of the printed workbook."""

    A3 = "A3"
    A4 = "A4"


@command("export")
def export_cmd(
    month: MonthOpt = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="输出文件（.xlsx）；默认在当前目录生成“{区县}{年}年{月}月重点项目调度表.xlsx”。",
                     show_default=False),
    ] = None,
    rollup: Annotated[
        str | None,
        typer.Option("--rollup", metavar="FILE", help="rollup.yaml：另加一张“全市排名”工作表（按本调度表的月份排名）。",
                     show_default=False),
    ] = None,
    paper: Annotated[
        PaperSize,
        typer.Option("--paper", help="打印纸张：A3（调度表列全）或 A4（调度表只保留主要列）；均为横向、一页宽、正文不小于 8 磅。",
                     case_sensitive=False),
    ] = PaperSize.A3,
    ledger: LedgerOpt = None,
) -> None:
    """导出调度会用的 Excel 调度表：汇总（单位排名、分级别情况和图表）、包抓领导、调度表、滞后项目、问题清单、倒排工期。

    示例：projledger export --ledger ledgers/example --month 2026-09 -o 9月调度表.xlsx --paper A3
    """
    from projledger.figures.metrics import compute
    from projledger.figures.schedule import build_schedule
    from projledger.outputs.workbook.xlsx import default_name, write_workbook

    loaded = load(ledger)
    with working("正在计算并写入调度表…", len(loaded.projects)):
        mf = compute(loaded, resolve_month(loaded, month))
        path = output if output is not None else Path(default_name(mf))
        if path.suffix.lower() != ".xlsx":
            raise UsageError(f"输出文件应以 .xlsx 结尾：{path}")
        extra = [] if rollup is None else [rollup_sheet_for(rollup, loaded.settings.year, mf.month)]
        schedule = build_schedule(loaded, mf.month)
        written = write_workbook(path, mf, schedule, paper.value, extra)
    warn(schedule.warnings)
    warn(written)
    out.print(f"已导出 {path}（{mf.month}，{len(mf.projects)} 个项目）", markup=False)
