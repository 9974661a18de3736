"""Chinese for the words typer prints itself: usage line, section titles, the help option, usage errors.

Only public click/typer extension points are used: the command classes typer accepts through `cls=`
(`format_usage`, `format_options`, `get_help_option`, `main(standalone_mode=False)`), the help records
click builds, and the usage-error objects' `format_message()` and `ctx`. Nothing in typer or click is
patched, so a typer release that changes its internals cannot break the tool: a message this module
does not know is printed in English, never a crash.

The classes are found by name on `typer.BadParameter`'s bases, which is the same for typer's own copy
of click (typer >= 0.26) and real click.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
import typer.core


def _click_class(name: str) -> type[Exception]:
    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == name:
            return cls
    raise ImportError(f"typer.BadParameter has no base called {name}")


ClickException = _click_class("ClickException")
UsageError = _click_class("UsageError")

HELP_OPTION_TEXT = "显示本帮助并退出。"
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."

# Help texts typer writes itself (completion options) and the brackets it appends to help records.
_HELP_TEXTS = {
    "Show this message and exit.": HELP_OPTION_TEXT,
    "Install completion for the current shell.": "为当前 shell 安装命令补全。",
    "Show completion for the current shell, to copy it or customize the installation.":
        "显示当前 shell 的命令补全脚本，可复制或自行安装。",
}
_BRACKETS = (
    ("[default: ", "[默认："),
    ("[required]", "[必填]"),
    ("[env var: ", "[环境变量："),
    ("[default:", "[默认："),
)
_METAVARS = {
    "TEXT": "文字", "INTEGER": "整数", "PATH": "路径", "FILE": "文件", "DIRECTORY": "目录",
    "<str>": "<文字>", "<int>": "<整数>", "<path>": "<路径>", "<list[str]>": "<文字…>",
    "<list[Path]>": "<文件…>", "<list[path]>": "<文件…>",
}
_METAVAR_RE = re.compile("|".join(re.escape(k) for k in sorted(_METAVARS, key=len, reverse=True)))

_ERRORS = (
    (re.compile(r"^No such option: (.*)$", re.S), "没有选项 {0}"),
    (re.compile(r"^No such command (.*?)\.?$", re.S), "没有命令 {0}"),
    (re.compile(r"^Missing argument (.*?)\.?$", re.S), "缺少参数 {0}"),
    (re.compile(r"^Missing option (.*?)\.?$", re.S), "缺少选项 {0}"),
    (re.compile(r"^Missing command\.?$", re.S), "缺少命令"),
    (re.compile(r"^Invalid value for (.*?): (?:Value error, )?(.*)$", re.S), "{0} 的值无效：{1}"),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$", re.S), "多余的参数：{0}"),
    (re.compile(r"^Option (.*) requires an argument\.?$", re.S), "选项 {0} 需要一个值"),
    (re.compile(r"^Option (.*) does not take a value\.?$", re.S), "选项 {0} 不接受值"),
    (re.compile(r"^(.*) is not one of (.*)\.$", re.S), "{0} 不是可选值之一（{1}）"),
    (re.compile(r"^(.*) is not a valid integer(?: range)?\.$", re.S), "{0} 不是有效的整数"),
    (re.compile(r"^(?:File|Path|Directory) (.*) does not exist\.$", re.S), "{0} 不存在"),
    # typer's min=/max= and int parsing report in pydantic's words
    (re.compile(r"^Input should be less than or equal to (.*?)\.?$", re.S), "不能大于 {0}"),
    (re.compile(r"^Input should be greater than or equal to (.*?)\.?$", re.S), "不能小于 {0}"),
    (re.compile(r"^Input should be less than (.*?)\.?$", re.S), "应小于 {0}"),
    (re.compile(r"^Input should be greater than (.*?)\.?$", re.S), "应大于 {0}"),
    (re.compile(r"^Input should be a valid integer.*$", re.S), "应为整数"),
    (re.compile(r"^Input should be a valid number.*$", re.S), "应为数字"),
)
_SUGGESTION = re.compile(r"[.。]?\s*\(?(?:Did you mean|Possible options:)\s*(?:one of:?)?\s*(.*?)\??\)?$", re.S)


def translate_error(message: str) -> str:
    """A usage error message in Chinese, where its English form is known; otherwise unchanged."""
    m = _SUGGESTION.search(message)
    if m and m.start() > 0:
        return f"{translate_error(message[: m.start()]).rstrip('。.')}；是不是 {m.group(1)}？"
    message = message.strip()
    for pattern, chinese in _ERRORS:
        m = pattern.match(message)
        if m:
            if chinese.startswith("{0} 的值"):  # translate the reason after "Invalid value for X:"
                return chinese.format(m.group(1), translate_error(m.group(2)))
            return chinese.format(*m.groups())
    return message


def translate_help(text: str) -> str:
    """One help record's text with typer's own English (completion help, [default: …]) in Chinese."""
    text = _HELP_TEXTS.get(text, text)
    for english, chinese in _BRACKETS:
        text = text.replace(english, chinese)
    return text


def translate_metavar(text: str) -> str:
    """An option's left column (`--ledger DIR`, `--count INTEGER`) with click's type names in Chinese."""
    return _METAVAR_RE.sub(lambda m: _METAVARS[m.group(0)], text)


def _format_usage(cmd: Any, ctx: Any, formatter: Any) -> None:
    formatter.write_usage(ctx.command_path, " ".join(cmd.collect_usage_pieces(ctx)), prefix="用法: ")


def _format_params(cmd: Any, ctx: Any, formatter: Any) -> None:
    args: list[tuple[str, str]] = []
    opts: list[tuple[str, str]] = []
    for param in cmd.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        row = (translate_metavar(record[0]), translate_help(record[1]))
        (args if param.param_type_name == "argument" else opts).append(row)
    if args:
        with formatter.section("参数"):
            formatter.write_dl(args)
    if opts:
        with formatter.section("选项"):
            formatter.write_dl(opts)


def _help_option(option: Any) -> Any:
    if option is not None:
        option.help = HELP_OPTION_TEXT
    return option


def _show_usage_error(exc: Any) -> None:
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            typer.echo(f"运行“{ctx.command_path} {ctx.help_option_names[0]}”查看帮助。\n", err=True)
    typer.echo(f"错误：{translate_error(exc.format_message())}", err=True)


def _run(main: Any, args: Sequence[str] | None, prog_name: str | None, complete_var: str | None,
         standalone_mode: bool, extra: dict[str, Any]) -> Any:
    """Run click's main without its English error printing; print usage errors in Chinese instead."""
    if not standalone_mode:
        return main(args, prog_name, complete_var, standalone_mode=False, **extra)
    try:
        rv = main(args, prog_name, complete_var, standalone_mode=False, **extra)
    except UsageError as exc:
        _show_usage_error(exc)
        _exit(exc.exit_code)  # type: ignore[attr-defined]
    except ClickException as exc:
        typer.echo(f"错误：{translate_error(exc.format_message())}", err=True)  # type: ignore[attr-defined]
        _exit(exc.exit_code)  # type: ignore[attr-defined]
    except typer.Abort:
        typer.echo("已中止。", err=True)
        _exit(1)
    _exit(rv if isinstance(rv, int) else 0)


def _exit(code: int) -> NoReturn:
    sys.exit(code)


class ZhCommand(typer.core.TyperCommand):
    """A typer command whose usage line, sections and help option read in Chinese."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:  # noqa: D102
        _format_usage(self, ctx, formatter)

    def format_options(self, ctx: Any, formatter: Any) -> None:  # noqa: D102
        _format_params(self, ctx, formatter)

    def get_help_option(self, ctx: Any) -> Any:  # noqa: D102
        return _help_option(super().get_help_option(ctx))


class ZhGroup(typer.core.TyperGroup):
    """The root command: Chinese help like `ZhCommand`, and usage errors printed in Chinese."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:  # noqa: D102
        _format_usage(self, ctx, formatter)

    def format_options(self, ctx: Any, formatter: Any) -> None:  # noqa: D102
        _format_params(self, ctx, formatter)
        rows = []
        for name in self.list_commands(ctx):
            sub = self.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                rows.append((name, sub.get_short_help_str(limit=formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)

    def get_help_option(self, ctx: Any) -> Any:  # noqa: D102
        return _help_option(super().get_help_option(ctx))

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,  # noqa: D102
             complete_var: str | None = None, standalone_mode: bool = True, windows_expand_args: bool = True,
             **extra: Any) -> Any:
        extra["windows_expand_args"] = windows_expand_args
        return _run(super().main, args, prog_name, complete_var, standalone_mode, extra)
