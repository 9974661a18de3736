"""The fill-in form a unit returns, and its validated merge back into the project files: form, import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from projledger.cli import LedgerOpt, command, err, load, out, print_errors

if TYPE_CHECKING:
    from projledger.ledger.loader import Ledger
from projledger.ledger.errors import UsageError


def form_month(ledger: Ledger, month: str | None) -> str:
    """`--month`, else the month after the latest month any project reported (January when none)."""
    from projledger.figures.metrics import latest_month, report_month
    from projledger.ledger.models import month_key, parse_month

    if month is not None:
        return report_month(ledger, month)
    latest = latest_month(ledger)
    year = ledger.settings.year
    return month_key(year, 1 if latest is None else min(parse_month(latest)[1] + 1, 12))


FormMonthOpt = Annotated[
    str | None,
    typer.Option("--month", metavar="YYYY-MM",
                 help="填报月份 YYYY-MM；默认为台账中最新填报月份的下一个月（没有填报时为 1 月）。", show_default=False),
]


@command("form")
def form_cmd(
    unit: Annotated[str, typer.Option(
        "--unit", metavar="单位", help="责任单位，须为 projledger.yaml 的 units 之一。", show_default=False)],
    month: FormMonthOpt = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="输出文件（.xlsx）；默认为“{单位}{年}年{月}月重点项目填报表.xlsx”。", show_default=False)] = None,
    ledger: LedgerOpt = None,
) -> None:
    """生成某责任单位的月度填报表（Excel）：每个项目一行，灰色为上月数据，白色格填写本月进度。

    --month 默认为台账中最新填报月份的下一个月。填好的表格用 projledger import 导回台账。

    示例：projledger form --unit 城关街道 --month 2026-10 --ledger ledgers/example
    """
    from projledger.outputs.workbook.form import default_name, write_form

    loaded = load(ledger)
    if unit not in loaded.settings.units:
        raise UsageError(f"--unit {unit} 不在 projledger.yaml 的 units 中（可选：{'、'.join(loaded.settings.units)}）")
    the_month = form_month(loaded, month)
    path = output if output is not None else Path(default_name(loaded, unit, the_month))
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件应以 .xlsx 结尾：{path}")
    for warning in write_form(path, loaded, unit, the_month):
        err.print(f"警告：{warning}", markup=False, style="yellow")
    n = sum(p.unit == unit for p in loaded.projects)
    out.print(f"已生成 {path}（{unit}，{the_month}，{n} 个项目）", markup=False)


@command("import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(metavar="FILE.xlsx", help="收回的填报表，可多个。", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只显示将要做的修改，不写入任何文件。")] = False,
    ledger: LedgerOpt = None,
) -> None:
    """把收回的填报表导入台账：逐格校验，全部无误才写入各项目文件（保留注释和格式），否则一个文件也不改。

    示例：projledger import 城关街道2026年10月重点项目填报表.xlsx --dry-run --ledger ledgers/example
    """
    from projledger.intake.importer import apply_import, plan_import

    loaded = load(ledger)
    plan = plan_import(loaded, files)
    if plan.errors:
        print_errors(plan.errors)
        err.print(f"填报表有 {len(plan.errors)} 个错误，未写入任何文件。", style="bold red", markup=False)
        raise typer.Exit(1)
    print_errors(plan.warnings)
    if not dry_run:
        apply_import(loaded, plan)
    for update in plan.updates:
        out.print(f"{update.rel}（{update.project.id} {update.project.name}）：", markup=False)
        for line in update.summary:
            out.print(f"  {line}", markup=False)
    tail = "（试运行，未写入任何文件）" if dry_run else ""
    out.print(f"{'将更新' if dry_run else '已更新'} {len(plan.updates)} 个项目，{len(plan.unchanged)} 个项目无变化{tail}。",
              markup=False)
