"""The meeting figures: status (the dashboard) and show (one project)."""

from enum import StrEnum
from typing import Annotated

import typer

from projledger.cli import LedgerOpt, MonthOpt, command, load, out, resolve_month, to_terminal, warn


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


@command("status", replay=True)
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

    loaded = load(ledger)
    mf = compute(loaded, resolve_month(loaded, month))
    if fmt is StatusFormat.json:
        typer.echo(dumps(to_json(mf), pretty=to_terminal(out)))
    elif fmt is StatusFormat.csv:
        from projledger.outputs.csvout import status_csv

        typer.echo(status_csv(mf, by.value), nl=False)
    else:
        from projledger.outputs.terminal.fit import in_batches
        from projledger.outputs.terminal.status import dashboard_parts

        for part in dashboard_parts(mf, by.value):
            for piece in in_batches(part, out.width):
                out.print(piece)


@command("show", replay=True)
def show_cmd(
    project: Annotated[str, typer.Argument(metavar="项目", help="项目编号、名称，或名称中独有的一部分（如“东环路”）。")],
    month: MonthOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    """一个项目的台账：基本情况、月度趋势、预警原因、未解决问题和倒排工期。

    项目可以写编号、名称或名称的一部分；对应多个项目时列出候选。

    示例：projledger show 东环路 --ledger ledgers/example
    """
    from projledger.figures.metrics import compute
    from projledger.figures.schedule import build_schedule
    from projledger.ledger.lookup import find_project
    from projledger.outputs.terminal.schedule import render_project_timeline
    from projledger.outputs.terminal.status import project_page

    loaded = load(ledger)
    found = find_project(loaded, project)
    mf = compute(loaded, resolve_month(loaded, month))
    figures = mf.project(found.id)
    assert figures is not None  # every loaded project has figures
    plan = build_schedule(loaded, mf.month, [found.id])
    warn(plan.warnings)
    out.print(project_page(mf, figures, [render_project_timeline(ps) for ps in plan.projects]))


LIGHT_KEYS = {"红": "red", "黄": "yellow", "绿": "green", "red": "red", "yellow": "yellow", "green": "green"}


@command("list")
def list_cmd(
    unit: Annotated[str | None, typer.Option("--unit", help="只列这个责任单位的项目（可写一部分）。", show_default=False)] = None,
    category: Annotated[str | None, typer.Option("--category", help="只列这个类别。", show_default=False)] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="只列这种类型：新开工、续建、前期。", show_default=False)] = None,
    light: Annotated[str | None, typer.Option("--light", metavar="红|黄|绿", help="只列这种预警灯的项目。",
                                              show_default=False)] = None,
    leader: Annotated[str | None, typer.Option("--leader", help="只列这位包抓领导的项目。", show_default=False)] = None,
    month: MonthOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    """列出项目和编号（可按单位、类别、类型、预警灯、包抓领导筛选），show 和 schedule 可用编号或名称。

    示例：projledger list --unit 城关街道 --light 红 --ledger ledgers/example
    """
    from projledger.figures.metrics import compute
    from projledger.ledger.errors import UsageError
    from projledger.outputs.terminal.listing import project_list

    if light is not None and light.strip() not in LIGHT_KEYS:
        raise UsageError(f"--light 应为 红、黄 或 绿，而不是“{light}”")
    loaded = load(ledger)
    mf = compute(loaded, resolve_month(loaded, month))
    filters = {"unit": unit, "category": category, "kind": kind, "leader": leader,
               "light": None if light is None else LIGHT_KEYS[light.strip()]}
    out.print(project_list(mf, {k: v for k, v in filters.items() if v}))
