"""Ledger housekeeping commands: check, init, new, schema."""

from __future__ import annotations

import typer

from projledger.cli import LedgerOpt, command, err, out, print_errors
from projledger.loader import find_root, load_ledger


@command("check")
def check_cmd(ledger: LedgerOpt = None) -> None:
    """校验整个台账，逐条列出错误和警告（文件:行号: 说明）。

    有错误时退出码为 1；只有警告时退出码为 0。

    示例：projledger check --ledger ledgers/example
    """
    root = find_root(ledger)
    loaded, errors = load_ledger(root)
    print_errors(errors)
    n_err = sum(e.is_error for e in errors)
    n_warn = len(errors) - n_err
    n_projects = 0 if loaded is None else len(loaded.projects)
    summary = f"已检查 {n_projects} 个项目：{n_err} 个错误，{n_warn} 条警告"
    if n_err:
        err.print(summary, style="bold red")
        raise typer.Exit(1)
    out.print(summary + "。台账无误。" if not n_warn else summary + "。", style="green")
