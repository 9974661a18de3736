"""Ledger housekeeping commands: check, init, new, schema."""

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from projledger.cli import LedgerOpt, command, err, load_with_bar, out, print_errors, say


class Kind(StrEnum):
    """项目性质 as a command-line choice."""

    new = "新开工"
    continuing = "续建"
    preparing = "前期"


@command("check", replay=True)
def check_cmd(ledger: LedgerOpt = None) -> None:
    """校验整个台账，逐条列出错误和警告（文件:行号: 说明）。

    有错误时退出码为 1；只有警告时退出码为 0。

    示例：projledger check --ledger ledgers/example
    """
    from projledger.ledger.root import find_root

    root = find_root(ledger)
    loaded, errors = load_with_bar(root)
    print_errors(errors)
    n_err = sum(e.is_error for e in errors)
    n_warn = len(errors) - n_err
    if loaded is None:  # the settings are wrong: each project file was checked on its own
        summary = f"已检查台账：{n_err} 个错误，{n_warn} 条警告（projledger.yaml 有错误，改正后才做跨文件的校验）"
    else:
        files, valid = loaded.project_files, len(loaded.projects)
        checked = f"{files} 个项目" if valid == files else f"{files} 个项目文件（{valid} 个通过校验）"
        summary = f"已检查 {checked}：{n_err} 个错误，{n_warn} 条警告"
    if n_err:
        say(err, summary, style="bold red")
        raise typer.Exit(1)
    say(out, summary + "。台账无误。" if not n_warn else summary + "。", style="green")


@command("init")
def init_cmd(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="新台账目录；不存在则创建。", show_default=False)],
    district: Annotated[str, typer.Option("--district", help="区县名称，用于调度表和通报标题。")] = "示例区",
    year: Annotated[
        int | None, typer.Option("--year", help="台账年度；默认为今年。", show_default=False)
    ] = None,
) -> None:
    """新建台账：projledger.yaml、projects/（含一个示例项目）、project.schema.json 和 .gitignore。

    目录不在 git 仓库中时同时建立 git 仓库（diff 用它比较两次调度之间的变化）。目录中已有 projledger.yaml 时拒绝覆盖。建好后先修改 projledger.yaml 中的责任单位等设置。

    示例：projledger init 2026重点项目台账 --district 示例区 --year 2026
    """
    from projledger.ledger import scaffold
    from projledger.ledger.gitsource import start_repository
    from projledger.outputs.terminal.fit import Prose

    written = scaffold.init_ledger(directory, district=district, year=year or date.today().year)
    out.print(f"已新建台账 {directory}：", markup=False)
    for path in written:
        out.print(f"  {path.relative_to(directory).as_posix()}", markup=False)
    started = start_repository(directory)
    if started:
        out.print(Prose("已在台账目录建立 git 仓库（.gitignore 不收导出的 Excel、Word、网页文件）。"))
    elif started is None:
        out.print(Prose("未能运行 git：台账照常可用，但 diff（比较两次调度之间的变化）需要安装 git。"))
    out.print(Prose("下一步：修改 projledger.yaml 中的责任单位，再用 projledger new 新增项目，用 projledger check 校验，"
                    "然后 git add . 和 git commit 提交第一版。"))


@command("new")
def new_cmd(
    project_id: Annotated[str, typer.Argument(metavar="ID", help="项目编号，如 2026-cj-001；文件名为 ID.yaml。")],
    name: Annotated[str, typer.Option("--name", help="项目名称。", show_default=False)],
    unit: Annotated[str, typer.Option("--unit", help="责任单位，须为 projledger.yaml 的 units 之一。",
                                      show_default=False)],
    category: Annotated[str | None, typer.Option(
        "--category", help="类别；默认为 categories 的第一项。", show_default=False)] = None,
    level: Annotated[str | None, typer.Option(
        "--level", help="级别；默认为 levels 的最后一项（通常是区重点）。", show_default=False)] = None,
    kind: Annotated[Kind, typer.Option("--kind", help="项目性质。")] = Kind.new,
    leader: Annotated[str | None, typer.Option("--leader", help="包抓领导。", show_default=False)] = None,
    ledger: LedgerOpt = None,
) -> None:
    """按模板新增一个项目台账文件 projects/责任单位/ID.yaml。

    责任单位、类别、级别须在 projledger.yaml 中列出；文件已存在或编号已被其他文件使用时拒绝。

    示例：projledger new 2026-cj-009 --name 南大街提升改造工程 --unit 城关街道 --category 城建 --leader 张建国
    """
    from projledger.ledger import scaffold
    from projledger.ledger.root import find_root

    root = find_root(ledger)
    spec = scaffold.NewProject(project_id, name, unit, category, level, kind.value, leader)
    path = scaffold.new_project(root, spec)
    out.print(f"已新建 {path.relative_to(root).as_posix()}，请补充投资、计划日期和前期手续后运行 projledger check。",
              markup=False, soft_wrap=True)


@command("schema")
def schema_cmd(ledger: LedgerOpt = None) -> None:
    """输出项目台账文件的 JSON Schema，供编辑器（如 VS Code 的 YAML 插件）补全和校验字段。

    在台账目录中运行时，责任单位、类别、级别会带上本台账的取值作为示例。

    示例：projledger schema --ledger ledgers/example > project.schema.json
    """
    from projledger.ledger import scaffold

    typer.echo(scaffold.schema_for(ledger), nl=False)
