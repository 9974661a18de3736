"""Between meetings: diff (what changed in the ledger between git revisions) and brief (the 通报)."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from projledger.cli import LedgerOpt, MonthOpt, ReadingBar, command, err, load, out, resolve_month
from projledger.ledger.errors import UsageError

if TYPE_CHECKING:
    from projledger.ledger.loader import Ledger

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
    from projledger.ledger.root import find_root
    from projledger.outputs.terminal.diff import diff_markdown, diff_view

    if since is not None and rev_a is not None:
        raise UsageError("--since 与版本参数不能同时使用：用 diff REV_A REV_B，或 diff --since REV")
    worktree = load(ledger) if rev_b is None else None
    root = worktree.root if worktree is not None else find_root(ledger)
    bar = ReadingBar()
    try:
        changes = diff.between(root, since or rev_a, rev_b, month, worktree=worktree, progress=bar)
    finally:
        bar.close()
    if fmt is DiffFormat.json:
        import json

        typer.echo(json.dumps(diff_json.to_json(changes), ensure_ascii=False, indent=2))
    elif fmt is DiffFormat.markdown:
        typer.echo(diff_markdown(changes), nl=False)
    else:
        out.print(diff_view(changes))


BRIEF_SUFFIXES = (".docx", ".md")


def _citywide(rollup: str, loaded: "Ledger", month: str) -> str:
    """The ledger's place in the roll-up of `rollup` at the bulletin's month, as the bulletin says it."""
    from projledger.cli.web_cmds import roll_up
    from projledger.figures.rollup import rank_sentence
    from projledger.ledger.errors import InputError

    r = roll_up(rollup, loaded.settings.year, month)
    own = next((m for m in r.members if m.member.ledger.root.resolve() == loaded.root.resolve()), None)
    if own is None:
        raise InputError(f"{rollup} 的成员中没有本台账（{loaded.root}），通报里无法写全市排名；"
                         "请把本台账加入 rollup.yaml 的 members，或去掉 --rollup")
    return rank_sentence(r, own)


@command("brief")
def brief_cmd(
    month: MonthOpt = None,
    since: SinceOpt = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="写入的文件：.docx 为公文格式的 Word 文档，.md 为 Markdown；默认把 Markdown 输出到屏幕。",
        show_default=False)] = None,
    signed: Annotated[str | None, typer.Option(
        "--date", metavar="YYYY-MM-DD", help="成文日期；默认为今天。", show_default=False)] = None,
    issuer: Annotated[str | None, typer.Option(
        "--issuer", help="发文机关署名（落款）；默认取 projledger.yaml 的 bulletin.issuer。", show_default=False)] = None,
    to: Annotated[str | None, typer.Option(
        "--to", help="主送机关；默认取 projledger.yaml 的 bulletin.to，没有则为“各责任单位”。", show_default=False)] = None,
    number: Annotated[str | None, typer.Option(
        "--number", help="发文字号，如 区重点办〔2026〕12号（写在版头下）。", show_default=False)] = None,
    rollup: Annotated[str | None, typer.Option(
        "--rollup", metavar="FILE",
        help="rollup.yaml：在“总体情况”末尾写上本台账在全市的排名（如“投资完成率在全市5个县区中排名第2位，较上月上升1位”）。",
        show_default=False)] = None,
    ledger: LedgerOpt = None,
) -> None:
    """通报：总体情况、开工竣工、分级别、单位排名、预警、倒排、存在问题、未报和停滞、下步工作要求、落款。

    -o 通报.docx 生成公文格式的 Word 文档（模板为台账目录下的 templates/brief.docx，没有则用内置模板）；
    -o 通报.md 或不写 -o 生成 Markdown（模板 templates/brief.md.j2）。加 --since 时附上与该版本相比的变化。

    示例：projledger brief --since meeting-2026-09 -o 10月通报.docx --ledger ledgers/example
    """
    from datetime import date

    from projledger.figures import diff
    from projledger.ledger.fsio import atomic_write, atomic_write_text
    from projledger.ledger.gitsource import describe
    from projledger.outputs import brief
    from projledger.outputs.bulletin.context import parts, revision_label

    if output is not None and output.suffix.lower() not in BRIEF_SUFFIXES:
        raise UsageError(f"通报文件应以 .docx（Word）或 .md（Markdown）结尾：{output}")
    try:
        day = date.fromisoformat(signed) if signed is not None else date.today()
    except ValueError:
        raise UsageError(f"--date {signed} 不是有效日期，请写作 YYYY-MM-DD，如 2026-11-05") from None
    loaded = load(ledger)
    report_month = resolve_month(loaded, month)
    changes = None
    if since:
        changes = (diff.between(loaded.root, since, None, report_month, worktree=loaded),
                   revision_label(since, describe(loaded.root, since)))
    doc = parts(loaded, day, issuer=issuer, to=to, number=number)
    citywide = None if rollup is None else _citywide(rollup, loaded, report_month)
    context = brief.context_for(loaded, report_month, doc, changes, citywide)
    if output is None:
        typer.echo(brief.markdown(loaded, context), nl=False)
    elif output.suffix.lower() == ".md":
        atomic_write_text(output, brief.markdown(loaded, context))
        err.print(f"已写入通报 {output}", markup=False)
    else:
        from projledger.outputs.document.bulletin import render_docx

        data = render_docx(loaded, context)
        atomic_write(output, lambda handle: handle.write(data))
        err.print(f"已写入通报 {output}（Word 文档）", markup=False)
