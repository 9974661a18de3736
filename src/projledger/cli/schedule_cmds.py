"""倒排工期: the `schedule` command."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from projledger.cli import LedgerOpt, MonthOpt, command, err, load, out, resolve_month


class ScheduleFormat(StrEnum):
    """Output formats of schedule."""

    table = "table"
    json = "json"


@command("schedule")
def schedule_cmd(
    ids: Annotated[list[str] | None, typer.Argument(metavar="[ID]...", help="只看这些项目；默认全部。",
                                                    show_default=False)] = None,
    month: MonthOpt = None,
    within: Annotated[int, typer.Option("--within", min=0, max=250,
                                        help="最迟启动日落在报告月末后这么多个工作日内的手续算“即将到期”。")] = 10,
    fmt: Annotated[ScheduleFormat, typer.Option("--format", help="输出格式：table 表格、json。")] = ScheduleFormat.table,
    ledger: LedgerOpt = None,
) -> None:
    """倒排工期：按前期手续链从计划开工/竣工日倒排每项手续的最迟启动和办结日期，列出逾期和即将到期的手续。

    示例：projledger schedule --ledger ledgers/example --month 2026-09
    """
    from projledger.figures.schedule import build_schedule, schedule_json
    from projledger.outputs.terminal.schedule import schedule_view

    loaded = load(ledger)
    report = build_schedule(loaded, resolve_month(loaded, month), ids or (), within)
    for warning in report.warnings:
        err.print(f"警告：{warning}", markup=False, style="yellow")
    if fmt is ScheduleFormat.json:
        typer.echo(json.dumps(schedule_json(report), ensure_ascii=False, indent=2))
    else:
        out.print(schedule_view(report, loaded.settings.district, loaded.settings.units))
