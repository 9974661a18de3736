"""The dispatch workbook: export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from projledger.cli import LedgerOpt, MonthOpt, command, err, load, out, resolve_month
from projledger.ledger.errors import UsageError


@command("export")
def export_cmd(
    month: MonthOpt = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="输出文件（.xlsx）；默认在当前目录生成“{区县}{年}年{月}月重点项目调度表.xlsx”。",
                     show_default=False),
    ] = None,
    ledger: LedgerOpt = None,
) -> None:
    """导出调度会用的 Excel 调度表：汇总（单位排名和图表）、调度表、滞后项目、问题清单、倒排工期。

    示例：projledger export --ledger ledgers/example --month 2026-09 -o 9月调度表.xlsx
    """
    from projledger.figures.metrics import compute
    from projledger.figures.schedule import build_schedule
    from projledger.outputs.workbook.xlsx import default_name, write_workbook

    loaded = load(ledger)
    mf = compute(loaded, resolve_month(loaded, month))
    path = output if output is not None else Path(default_name(mf))
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件应以 .xlsx 结尾：{path}")
    schedule = build_schedule(loaded, mf.month)
    for warning in [*schedule.warnings, *write_workbook(path, mf, schedule)]:
        err.print(f"警告：{warning}", markup=False, style="yellow")
    out.print(f"已导出 {path}（{mf.month}，{len(mf.projects)} 个项目）", markup=False)
