"""The fill-in form a unit returns, and its validated merge back into the project files: form, import."""

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from projledger.cli import LedgerOpt, command, err, load, out, to_terminal
from projledger.ledger.errors import UsageError

if TYPE_CHECKING:
    from projledger.ledger.errors import LedgerError
    from projledger.ledger.loader import Ledger


def form_month(ledger: "Ledger", month: str | None) -> str:
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
    typer.Option("--month", metavar="月份",
                 help="填报月份，如 11、11月、2026-11；默认为台账中最新填报月份的下一个月（没有填报时为 1 月）；"
                      "与 --status 同用时默认为最新填报月份。", show_default=False),
]


def _status(loaded: "Ledger", month: str | None, as_json: bool) -> None:
    from projledger.figures.metrics import compute, dumps, report_month
    from projledger.figures.reporting import reporting_json, unit_reporting
    from projledger.outputs.terminal.reporting import reporting_table

    mf = compute(loaded, report_month(loaded, month))
    units = unit_reporting(mf)
    if as_json:
        typer.echo(dumps(reporting_json(mf, units), pretty=to_terminal(out)))
    else:
        out.print(reporting_table(mf, units))


def _due(text: str | None) -> date | None:
    """`--due YYYY-MM-DD` as a date."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--due 应为日期，如 2026-11-25：{text}") from None


def _all(loaded: "Ledger", month: str, folder: Path, due: date | None) -> None:
    from projledger.outputs.workbook.form import write_forms

    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--all 时 -o 应为目录：{folder} 是文件")
    folder.mkdir(parents=True, exist_ok=True)

    def done(unit: str, path: Path, n: int) -> None:
        out.print(f"已生成 {path}（{unit}，{month}，{n} 个项目）", markup=False)

    for warning in write_forms(folder, loaded, month, done, due):
        err.print(f"警告：{warning}", markup=False, style="yellow")
    empty = [u for u in loaded.settings.units if not any(p.unit == u for p in loaded.projects)]
    if empty:
        out.print(f"（{'、'.join(empty)} 没有项目，未生成填报表）", markup=False)


@command("form")
def form_cmd(
    unit: Annotated[str | None, typer.Option(
        "--unit", metavar="单位", help="责任单位，须为 projledger.yaml 的 units 之一。", show_default=False)] = None,
    all_units: Annotated[bool, typer.Option("--all", help="为每个责任单位各生成一份填报表（-o 为目录）。")] = False,
    status: Annotated[bool, typer.Option(
        "--status", help="不生成表格，列出各单位本月是否已报齐（全部已报 / 部分 / 未报），便于催报。")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="与 --status 同用：输出 JSON。")] = False,
    month: FormMonthOpt = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="输出文件（.xlsx），默认为“{单位}{年}年{月}月重点项目填报表.xlsx”；--all 时为目录（默认当前目录）。",
        show_default=False)] = None,
    due: Annotated[str | None, typer.Option(
        "--due", metavar="YYYY-MM-DD", help="报送时限，印在每张表上；默认取 projledger.yaml 的 packet.form_due_day（填报月份的几日）。",
        show_default=False)] = None,
    ledger: LedgerOpt = None,
) -> None:
    """生成责任单位的月度填报表（Excel）：项目进度、存在问题、前期手续三张表；或查看各单位填报情况。

    --month 默认为台账中最新填报月份的下一个月。填好的表格用 projledger import 导回台账。

    示例：projledger form --all --month 2026-11 -o 填报表 --ledger ledgers/example
    """
    from projledger.outputs.workbook.form import default_name, write_form

    if sum((unit is not None, all_units, status)) != 1:
        raise UsageError("请指定 --unit 单位、--all 或 --status 之一")
    loaded = load(ledger)
    if status:
        _status(loaded, month, as_json)
        return
    the_month = form_month(loaded, month)
    deadline = _due(due)
    if all_units:
        _all(loaded, the_month, output or Path(), deadline)
        return
    assert unit is not None
    if unit not in loaded.settings.units:
        raise UsageError(f"--unit {unit} 不在 projledger.yaml 的 units 中（可选：{'、'.join(loaded.settings.units)}）")
    path = output if output is not None else Path(default_name(loaded, unit, the_month))
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件应以 .xlsx 结尾：{path}")
    for warning in write_form(path, loaded, unit, the_month, deadline):
        err.print(f"警告：{warning}", markup=False, style="yellow")
    n = sum(p.unit == unit for p in loaded.projects)
    out.print(f"已生成 {path}（{unit}，{the_month}，{n} 个项目）", markup=False)


def print_labelled(messages: "list[LedgerError]") -> None:
    """Errors and warnings, each labelled 错误 / 警告, `where: 错误：message`."""
    for e in messages:
        tag, style = ("错误", "red") if e.is_error else ("警告", "yellow")
        where = e.path if e.line is None else f"{e.path}:{e.line}"
        err.print(f"{where}: {tag}：{e.message}", markup=False, style=style)


@command("import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(metavar="FILE.xlsx", help="收回的填报表，可多个。", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只显示将要做的修改，不写入任何文件。")] = False,
    ledger: LedgerOpt = None,
) -> None:
    """把收回的填报表导入台账：逐格校验，全部无误才写入各项目文件（保留注释和格式），否则一个文件也不改。

    未解决的问题自动延续到本月；填了解决日期的问题记为已解决。

    示例：projledger import 城关街道2026年10月重点项目填报表.xlsx --dry-run --ledger ledgers/example
    """
    from projledger.intake.importer import apply_import, plan_import

    loaded = load(ledger)
    plan = plan_import(loaded, files)
    print_labelled(plan.errors + plan.warnings)
    if plan.errors:
        err.print(f"填报表有 {len(plan.errors)} 个错误，未写入任何文件。", style="bold red", markup=False)
        raise typer.Exit(1)
    if not dry_run:
        apply_import(loaded, plan)
    for update in plan.updates:
        out.print(f"{update.rel}（{update.project.id} {update.project.name}）：", markup=False)
        for line in update.summary:
            out.print(f"  {line}", markup=False)
    tail = "（试运行，未写入任何文件）" if dry_run else ""
    warned = f"，{len(plan.warnings)} 条警告请核实" if plan.warnings else ""
    out.print(f"{'将更新' if dry_run else '已更新'} {len(plan.updates)} 个项目，{len(plan.unchanged)} 个项目无变化{warned}{tail}。",
              markup=False)
