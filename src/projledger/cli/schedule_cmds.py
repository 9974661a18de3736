"""倒排工期: the `schedule` command."""

import json
from enum import StrEnum
from typing import Annotated

import typer

from projledger.cli import LedgerOpt, MonthOpt, command, load, out, resolve_month, warn


class ScheduleFormat(StrEnum):
    """Output formats of schedule."""

    table = "table"
    json = "json"


@command("schedule", replay=True)
def schedule_cmd(
    ids: Annotated[list[str] | None, typer.Argument(
        metavar="[项目]...", help="只看这些项目（编号、名称或名称的一部分），并列出它们的倒排时间表；默认全部。",
        show_default=False)] = None,
    month: MonthOpt = None,
    within: Annotated[int, typer.Option("--within", min=0, max=250,
                                        help="最迟启动日落在报告月末后这么多个工作日内的手续算“即将到期”。")] = 10,
    detail: Annotated[bool, typer.Option("--detail", help="另列出每个项目的倒排时间表（默认只列督办清单和节点）。")] = False,
    fmt: Annotated[ScheduleFormat, typer.Option("--format", help="输出格式：table 表格、json。")] = ScheduleFormat.table,
    ledger: LedgerOpt = None,
) -> None:
    """倒排工期：督办清单（逾期和即将到期的手续，按单位和包抓领导）和集中开工/竣工节点；--detail 或指定项目时另列倒排时间表。

    按前期手续链从计划开工/竣工日倒排每项手续的最迟启动和办结日期。

    示例：projledger schedule --ledger ledgers/example --month 10；projledger schedule 东环路
    """
    from projledger.figures.schedule import build_schedule
    from projledger.figures.schedule_json import schedule_json
    from projledger.ledger.lookup import find_projects
    from projledger.outputs.terminal.schedule import schedule_view

    loaded = load(ledger)
    chosen = find_projects(loaded, ids) if ids else []
    report = build_schedule(loaded, resolve_month(loaded, month), chosen, within)
    warn(report.warnings)
    if fmt is ScheduleFormat.json:
        typer.echo(json.dumps(schedule_json(report), ensure_ascii=False, indent=2))
    else:
        out.print(schedule_view(report, loaded.settings.district, loaded.settings.units, detail or bool(ids)))
