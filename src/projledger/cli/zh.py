"""Chinese for the words click and typer print themselves (Usage, Options, --help, usage errors).

Click looks its messages up through `gettext` at call time; pointing that lookup at a small table is
enough. Newer typer releases carry their own trimmed copy of click (`typer._click`) with the English
written in; for those the few places that print are wrapped. Anything not known passes through
unchanged, and a typer without those internals simply keeps its English.
"""

from __future__ import annotations

import contextlib
import re
import types
from typing import IO, Any

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types
import typer.core

MESSAGES = {
    "Usage:": "用法:",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "Aborted!": "已中止。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值 {choices} 之一。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "integer": "整数",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
}

TYPE_LABELS = {
    "<str>": "<文字>",
    "<int>": "<整数>",
    "<path>": "<路径>",
    "<file>": "<文件>",
    "<directory>": "<目录>",
    "<list[str]>": "<文字…>",
    "<list[Path]>": "<文件…>",
    "<list[path]>": "<文件…>",
}

PLURALS = {
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "是不是 {possibility}？",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if singular in PLURALS:
        return PLURALS[singular].replace("{possibilities}", "{possibility}") if n == 1 else (
            PLURALS[singular].replace("{possibility}", "{possibilities}"))
    return singular if n == 1 else plural


def install() -> None:
    """Point click's and typer's message lookups at the Chinese table."""
    modules: tuple[types.ModuleType, ...] = (
        click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types, typer.core,
    )
    for module in modules:
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
    _install_vendored()


_ERRORS = (
    (re.compile(r"^No such option: (.*)$", re.S), "没有选项 {0}"),
    (re.compile(r"^No such command (.*?)\.?$", re.S), "没有命令 {0}"),
    (re.compile(r"^Missing argument (.*?)\.?$", re.S), "缺少参数 {0}"),
    (re.compile(r"^Missing option (.*?)\.?$", re.S), "缺少选项 {0}"),
    (re.compile(r"^Invalid value for (.*?): (?:Value error, )?(.*)$", re.S), "{0} 的值无效：{1}"),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$", re.S), "多余的参数：{0}"),
    (re.compile(r"^Option (.*) requires an argument\.?$", re.S), "选项 {0} 需要一个值"),
    (re.compile(r"^(.*) is not one of (.*)\.$", re.S), "{0} 不是可选值之一（{1}）"),
)


_SUGGESTION = re.compile(r"[.。]?\s*\(?(?:Did you mean|Possible options:)\s*(?:one of:?)?\s*(.*?)\??\)?$", re.S)


def translate_error(message: str) -> str:
    """A usage error message in Chinese, where its English form is known."""
    m = _SUGGESTION.search(message)
    if m and m.start() > 0:
        return f"{translate_error(message[: m.start()]).rstrip('。.')}；是不是 {m.group(1)}？"
    message = message.strip()
    for pattern, chinese in _ERRORS:
        m = pattern.match(message)
        if m:
            return translate_error(chinese.format(*m.groups())) if chinese.startswith("{0} 的值") else (
                chinese.format(*m.groups()))
    return message


def _install_vendored() -> None:
    """Wrap the printing spots of typer's own copy of click (typer >= 0.20)."""
    try:
        from typer._click import core, exceptions, formatting
        from typer._click.utils import echo
    except ImportError:  # an older typer uses real click, handled by gettext above
        return
    write_usage = formatting.HelpFormatter.write_usage

    def usage_zh(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, "用法: " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = usage_zh  # type: ignore[method-assign]

    get_help_option = core.Command.get_help_option

    def help_option_zh(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None and getattr(option, "help", None) == "Show this message and exit.":
            option.help = MESSAGES["Show this message and exit."]
        return option

    core.Command.get_help_option = help_option_zh  # type: ignore[method-assign]

    def show_usage_error(self: Any, file: IO[Any] | None = None) -> None:
        ctx = getattr(self, "ctx", None)
        if ctx is not None:
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                hint = f"运行“{ctx.command_path} {ctx.help_option_names[0]}”查看帮助。\n"
            echo(f"{ctx.get_usage()}\n{hint}", file=file, err=file is None, color=ctx.color)
        echo(f"错误：{translate_error(self.format_message())}", file=file, err=file is None)

    def show_error(self: Any, file: IO[Any] | None = None) -> None:
        echo(f"错误：{translate_error(self.format_message())}", file=file, err=file is None)

    with contextlib.suppress(AttributeError):
        param_class = typer.core._TyperParameter
        display_type = param_class.display_type

        def display_type_zh(self: Any, ctx: Any) -> str:
            label = str(display_type(self, ctx))
            return TYPE_LABELS.get(label, label)

        param_class.display_type = display_type_zh  # type: ignore[method-assign]
    with contextlib.suppress(AttributeError):
        exceptions.UsageError.show = show_usage_error  # type: ignore[method-assign]
        exceptions.ClickException.show = show_error  # type: ignore[method-assign]
