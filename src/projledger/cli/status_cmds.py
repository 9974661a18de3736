"""The meeting figures: status (the dashboard) and show (one project)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from projledger.cli import LedgerOpt, MonthOpt, command, err, load, out, resolve_month
from projledger.ledger.errors import InputError


class By(StrEnum):
    """Grouping of the status table."""

    unit = "unit"
    category = "category"
    level = "level"
    kind = "kind"
    leader = "leader"


class StatusFormat(StrEnum):
    """Output formats of status."""

    table = "table"
    json = "json"
    csv = "csv"


@command("status")
def status_cmd(
    month: MonthOpt = None,
    by: Annotated[By, typer.Option("--by", help="分组方式：unit 单位、category 类别、level 级别、kind 类型、leader 包抓领导。")] = By.unit,
    fmt: Annotated[StatusFormat, typer.Option("--format", help="输出格式：table 表格、json、csv（带 BOM，Excel 可直接打开）。")] = StatusFormat.table,
    ledger: LedgerOpt = None,
) -> None:
    """调度会看板：投资完成率与时间进度、开工率、红黄绿预警、单位排名、滞后与未报项目。

    示例：projledger status --ledger ledgers/example --month 2026-10 --by unit
    """
    from projledger.figures.metrics import compute, dumps, to_json
    from projledger.outputs.csvout import status_csv
    from projledger.outputs.terminal.status import dashboard

    loaded = load(ledger)
    mf = compute(loaded, resolve_month(loaded, month))
    if fmt is StatusFormat.json:
        typer.echo(dumps(to_json(mf), pretty=out.is_terminal))
    elif fmt is StatusFormat.csv:
        typer.echo(status_csv(mf), nl=False)
    else:
        out.print(dashboard(mf, by.value))


@command("show")
def show_cmd(
    project_id: Annotated[str, typer.Argument(metavar="ID", help="项目编号。")],
    month: MonthOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    """一个项目的台账：基本情况、月度趋势、预警原因、未解决问题和倒排工期。

    示例：projledger show 2026-cj-001 --ledger ledgers/example
    """
    from projledger.figures.metrics import compute
    from projledger.figures.schedule import build_schedule
    from projledger.outputs.terminal.schedule import render_project_timeline
    from projledger.outputs.terminal.status import project_page

    loaded = load(ledger)
    mf = compute(loaded, resolve_month(loaded, month))
    figures = mf.project(project_id)
    if figures is None:
        raise InputError(f"台账中没有编号为“{project_id}”的项目")
    plan = build_schedule(loaded, mf.month, [project_id])
    for warning in plan.warnings:
        err.print(f"警告：{warning}", markup=False)
    out.print(project_page(mf, figures, [render_project_timeline(ps) for ps in plan.projects]))
