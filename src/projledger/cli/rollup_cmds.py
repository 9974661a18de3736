"""全市排名 and 对标: rollup (several ledgers ranked side by side)."""

import gc
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from projledger.cli import command, err, fail, out, print_errors, to_terminal, use_cache
from projledger.ledger.errors import has_errors

if TYPE_CHECKING:
    from projledger.figures.rollup import MemberFigures, Rollup
    from projledger.ledger.rollup import RollupInput


class RollupFormat(StrEnum):
    """Output formats of rollup."""

    table = "table"
    json = "json"
    csv = "csv"


def load_members(paths: list[str]) -> "RollupInput":
    """Load a roll-up; every error of every member (named), of rollup.yaml and of the peers ends with exit 1."""
    from projledger.ledger.rollup import load_rollup

    data, errors = load_rollup(paths, use_cache=use_cache())
    gc.freeze()
    if data is None or has_errors(errors) or not data.members:
        print_errors([e for e in errors if e.is_error])
        n = sum(e.is_error for e in errors)
        fail(f"排名的输入有 {n} 个错误，请先修正（各成员台账可用 projledger check --ledger 目录 查看全部）。")
    warnings = [e for e in errors if not e.is_error]
    if warnings:
        err.print(f"（成员台账共有 {len(warnings)} 条警告，可在各台账目录运行 projledger check 查看）", style="dim")
    return data


def compute_rollup_for(data: "RollupInput", month: str | None) -> "Rollup":
    """The roll-up for `--month`, else the earliest of the members' latest reported months."""
    from projledger.figures.rollup import compute_rollup, rollup_month

    return compute_rollup(data, rollup_month(data.members, month))


def own_member(r: "Rollup", ledger_dir: str | None) -> "MemberFigures | None":
    """The member that is the `--ledger` (or $PROJLEDGER_DIR) ledger, if it is one of them."""
    given = ledger_dir if ledger_dir is not None else os.environ.get("PROJLEDGER_DIR") or None
    if given is None:
        return None
    wanted = Path(given).expanduser().resolve()
    found = next((m for m in r.members if m.member.ledger.root.resolve() == wanted), None)
    if found is None and ledger_dir is not None:
        err.print(f"警告：--ledger {ledger_dir} 不是参加排名的成员台账", markup=False, style="yellow")
    return found


@command("rollup")
def rollup_cmd(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH", help="若干台账目录，或一个 rollup.yaml（成员、分组和对标文件）。", show_default=False)],
    month: Annotated[str | None, typer.Option(
        "--month", metavar="月份", help="排名月份，如 10、2026-10；默认取各成员最新填报月份中最早的一个（保证每个成员都有数据）。",
        show_default=False)] = None,
    fmt: Annotated[RollupFormat, typer.Option(
        "--format", help="输出格式：table 表格、json、csv（带 BOM，Excel 可直接打开）。")] = RollupFormat.table,
    ledger: Annotated[str | None, typer.Option(
        "--ledger", metavar="DIR", help="本台账：在排名表中加粗，并给出通报用的排名句。", show_default=False)] = None,
) -> None:
    """全市排名与对标：多个台账按投资完成率（相同时比开工率）并列排名，含组内排名、较上月升降和外地对标数据。

    示例：projledger rollup ledgers/rollup-example/rollup.yaml --month 2026-09
    """
    from projledger.figures.metrics import dumps
    from projledger.figures.rollup import to_json
    from projledger.outputs.csvout import rollup_csv
    from projledger.outputs.terminal.rollup import rollup_view

    r = compute_rollup_for(load_members(paths), month)
    if fmt is RollupFormat.json:
        typer.echo(dumps(to_json(r), pretty=to_terminal(out)))
    elif fmt is RollupFormat.csv:
        typer.echo(rollup_csv(r), nl=False)
    else:
        out.print(rollup_view(r, own_member(r, ledger)))
