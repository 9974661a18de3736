"""Between meetings: diff (what changed in the ledger between git revisions) and brief (the 通报)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from projledger.cli import LedgerOpt, MonthOpt, command, err, load, out, resolve_month
from projledger.ledger.errors import UsageError

SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help="与该 git 版本（分支、标签如 meeting-2026-09、提交号）比较，到当前工作区为止。",
                 show_default=False),
]


class DiffFormat(StrEnum):
    """Output formats of diff."""

    table = "table"
    json = "json"
    markdown = "markdown"


@command("diff")
def diff_cmd(
    rev_a: Annotated[str | None, typer.Argument(metavar="[REV_A]", help="起始版本；默认 HEAD。", show_default=False)] = None,
    rev_b: Annotated[str | None, typer.Argument(metavar="[REV_B]", help="结束版本；默认当前工作区。", show_default=False)] = None,
    since: SinceOpt = None,
    month: Annotated[str | None, typer.Option(
        "--month", metavar="月份",
        help="两边都按这个月份计算（如 10、2026-10）；默认按较新一边（REV_B 或工作区）最新的填报月份。",
        show_default=False)] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", help="输出格式：table 表格、json、markdown。")] = DiffFormat.table,
    ledger: LedgerOpt = None,
) -> None:
    """台账在两个 git 版本之间的变化：新增/移出项目、改动字段、新开工、完成投资增加、预警变化、问题和手续。

    不带版本时比较 HEAD 与当前工作区；--since REV 比较 REV 与工作区；两个版本则比较这两个提交。

    示例：projledger diff --since meeting-2026-09 --ledger ledgers/example
    """
    from projledger.figures import diff, diff_json
    from projledger.ledger.loader import find_root
    from projledger.outputs.terminal.diff import diff_markdown, diff_view

    if since is not None and rev_a is not None:
        raise UsageError("--since 与版本参数不能同时使用：用 diff REV_A REV_B，或 diff --since REV")
    worktree = load(ledger) if rev_b is None else None
    root = worktree.root if worktree is not None else find_root(ledger)
    changes = diff.between(root, since or rev_a, rev_b, month, worktree=worktree)
    if fmt is DiffFormat.json:
        typer.echo(json.dumps(diff_json.to_json(changes), ensure_ascii=False, indent=2))
    elif fmt is DiffFormat.markdown:
        typer.echo(diff_markdown(changes), nl=False)
    else:
        out.print(diff_view(changes))


@command("brief")
def brief_cmd(
    month: MonthOpt = None,
    since: SinceOpt = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="写入的 Markdown 文件；默认输出到屏幕。",
                                                show_default=False)] = None,
    ledger: LedgerOpt = None,
) -> None:
    """通报（Markdown）：投资完成率与时间进度、开工情况、分类型、单位排名、红灯项目、倒排逾期、逾期问题。

    模板为台账目录下的 templates/brief.md.j2（没有则用内置模板）；加 --since 时附上与该版本相比的变化。

    示例：projledger brief --since meeting-2026-09 -o 10月通报.md --ledger ledgers/example
    """
    from projledger.figures import diff
    from projledger.ledger.fsio import atomic_write_text
    from projledger.outputs import brief

    loaded = load(ledger)
    report_month = resolve_month(loaded, month)
    changes = diff.between(loaded.root, since, None, report_month, worktree=loaded) if since else None
    text = brief.render(loaded, report_month, changes)
    if output is None:
        typer.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
        err.print(f"已写入通报 {output}", markup=False)
