"""The typer app: parse arguments, call the library, render, map errors to exit codes.

This package is the only place that prints or exits. Each command module registers its commands on
`app`; a command body parses, makes one library call and hands the result to `render`/`export`.
Exit codes: 0 fine, 1 the ledger or an input has errors, 2 bad usage.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from projledger import __version__
from projledger.cli import zh
from projledger.ledger.errors import (
    InputError,
    LedgerError,
    LedgerNotFoundError,
    LocatedError,
    ProjledgerError,
    UsageError,
    WriteRefusedError,
    has_errors,
    write_reason,
)

if TYPE_CHECKING:
    from rich.console import Console

    from projledger.ledger.loader import Ledger

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="projledger",
    cls=zh.ZhGroup,
    help="重点项目台账与调度会工具：校验台账，计算开工率、投资完成率与预警，倒排工期，导出调度表和通报。",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    options_metavar=zh.OPTIONS_METAVAR,
    subcommand_metavar=zh.SUBCOMMAND_METAVAR,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"projledger {__version__}")
        raise typer.Exit()


_SETTINGS = {"cache": True}


@app.callback()
def _root(
    version: Annotated[bool, typer.Option(
        "--version", help="显示版本并退出。", is_eager=True, callback=_show_version)] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="不使用缓存（默认缓存已校验的项目文件和只读命令的输出，台账未改动时再次运行更快；"
        "也可设环境变量 PROJLEDGER_NO_CACHE=1）。")] = False,
) -> None:
    """重点项目台账与调度会工具：校验台账，计算开工率、投资完成率与预警，倒排工期，导出调度表和通报。"""
    _SETTINGS["cache"] = not no_cache


LedgerOpt = Annotated[
    str | None,
    typer.Option(
        "--ledger",
        metavar="DIR",
        help="台账目录（含 projledger.yaml）；默认取环境变量 PROJLEDGER_DIR，或从当前目录向上查找。",
        show_default=False,
    ),
]
MonthOpt = Annotated[
    str | None,
    typer.Option("--month", metavar="月份",
                 help="报告月份，如 10、10月、2026-10、2026年10月；默认取台账中最新的填报月份。", show_default=False),
]

PIPE_WIDTH = 100


class _LazyConsole:
    """A rich Console made on first use, so `--help` and commands that print little never import rich's console."""

    def __init__(self, **options: Any) -> None:
        object.__setattr__(self, "_options", options)
        object.__setattr__(self, "_console", None)
        object.__setattr__(self, "_fit", False)

    def _get(self) -> Console:
        console = object.__getattribute__(self, "_console")
        if console is None:
            from rich.console import Console

            console = Console(**object.__getattribute__(self, "_options"))
            object.__setattr__(self, "_console", console)
            if object.__getattribute__(self, "_fit"):
                _fit(console)
        return console  # type: ignore[no-any-return]

    def fit_width(self) -> None:
        """Give piped output the terminal's width, now or when the console is first used."""
        console = object.__getattribute__(self, "_console")
        if console is None:
            object.__setattr__(self, "_fit", True)
        else:
            _fit(console)

    def plain(self) -> bool:
        """Whether this console's stream is no terminal (nor forced to act as one): rich would add nothing."""
        stream = sys.stderr if object.__getattribute__(self, "_options").get("stderr") else sys.stdout
        if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
            return False
        try:
            return not stream.isatty()
        except (AttributeError, ValueError):
            return False


    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._get(), name, value)


# Ledger text is typed by many people and shown verbatim: never read as rich markup (`[/x]` would raise,
# `[link=…]` would become a live hyperlink) or emoji codes, whatever a renderable forgets to wrap in Text.
_OUT = _LazyConsole(highlight=False, soft_wrap=True, markup=False, emoji=False)
_ERR = _LazyConsole(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)
out: Console = _OUT  # type: ignore[assignment]
err: Console = _ERR  # type: ignore[assignment]


def to_terminal(console: Console) -> bool:
    """Whether a console writes to a terminal, told without making it (and importing rich)."""
    return not (_ERR if console is err else _OUT).plain()


def say(console: Console, text: str, style: str | None = None) -> None:
    """Print one line of plain text (never markup): straight to the stream when it is no terminal.

    A pre-commit hook runs `check` on every commit with its output piped; without a terminal rich would
    print the same characters, after 20 ms of importing itself.
    """
    lazy = _ERR if console is err else _OUT
    if lazy.plain():
        stream = sys.stderr if console is err else sys.stdout
        stream.write(text + "\n")
        stream.flush()
    else:
        console.print(text, markup=False, style=style)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a message to stderr and end the command with `code`."""
    say(err, message)
    raise typer.Exit(code)


def print_errors(errors: list[LedgerError]) -> None:
    """Print errors and warnings as `file:line: message`, one per line."""
    for e in errors:
        say(err, str(e), style="red" if e.is_error else "yellow")


class ReadingBar:
    """A progress bar for a long read, on the terminal only: after half a second, and gone when done.

    Drawn on the real stderr (never into what `cli/replay.py` records): a replayed run takes no time to show.
    """

    DELAY = 0.5

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        """Told by the loader every 200 files."""
        if self.bar is None:
            if done >= total or time.monotonic() - self.started < self.DELAY or not to_terminal(err):
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            stream = getattr(sys.stderr, "real_stream", sys.stderr)
            self.bar = Progress(TextColumn("读取台账"), BarColumn(), MofNCompleteColumn(), TextColumn("个项目文件"),
                                TimeElapsedColumn(), console=Console(file=stream), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=total)
        self.bar.update(self.task, completed=done)
        if done >= total:
            self.close()

    def close(self) -> None:
        """Take the bar off the screen."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


WORKING_FROM = 1000  # projects: from about here, computing and writing a packet file takes seconds


@contextlib.contextmanager
def working(message: str, projects: int) -> Iterator[None]:
    """A spinner with `message` while a large ledger's file is made, on the terminal only (real stderr)."""
    if projects < WORKING_FROM or not to_terminal(err):
        yield
        return
    from rich.console import Console

    with Console(file=getattr(sys.stderr, "real_stream", sys.stderr)).status(message):
        yield


def load_with_bar(root: Path) -> tuple[Ledger | None, list[LedgerError]]:
    """`load_ledger` with the cache as the user set it and a progress bar on a terminal."""
    from projledger.ledger.load import load_ledger

    bar = ReadingBar()
    try:
        return load_ledger(root, use_cache=use_cache(), progress=bar)
    finally:
        bar.close()


def load(ledger_dir: str | None, *, quiet_warnings: bool = True) -> Ledger:
    """Load the ledger for a command; any error ends the command with exit 1 after listing them all."""
    from projledger.ledger.root import find_root

    root = find_root(ledger_dir)
    ledger, errors = load_with_bar(root)
    # Everything loaded lives until the command ends: keep the cyclic collector from walking it again.
    gc.freeze()
    if ledger is None or has_errors(errors):
        print_errors([e for e in errors if e.is_error])
        n = sum(e.is_error for e in errors)
        fail(f"台账有 {n} 个错误，请先修正（运行 projledger check 查看全部）。")
    warnings = [e for e in errors if not e.is_error]
    if warnings and quiet_warnings:
        say(err, f"（台账有 {len(warnings)} 条警告，运行 projledger check 查看）", style="dim")
    elif warnings:
        print_errors(warnings)
    return ledger


_WARNED: set[str] = set()


def warn(messages: list[str]) -> None:
    """Print warnings of a computation to stderr, each once per run however often it is computed."""
    from projledger.outputs.terminal.fit import Prose

    for message in messages:
        if message not in _WARNED:
            _WARNED.add(message)
            err.print(Prose("警告：" + message, style="yellow"))


def use_cache() -> bool:
    """Whether this run may use the cache of validated files (`--no-cache`, `PROJLEDGER_NO_CACHE`)."""
    from projledger.ledger.cache import disabled_by_env

    return _SETTINGS["cache"] and not disabled_by_env()


def resolve_month(ledger: Ledger, month: str | None) -> str:
    """The report month: `--month` checked against the ledger year, else the latest reported month."""
    from projledger.figures.metrics import report_month

    return report_month(ledger, month)


def _terminal_columns() -> int | None:
    """The width of the terminal the user is typing in, even when stdout goes to `less` or `head`."""
    for stream in (sys.stderr, sys.stdin, sys.stdout):
        try:
            if stream is not None and stream.isatty():
                return os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError):
            continue
    return None


def _fit(console: Console) -> None:
    if not console.is_terminal:
        console.width = _terminal_columns() or PIPE_WIDTH


def _fit_width() -> None:
    """Piped output gets the width of the user's terminal (`status | less`).

    Output with no terminal at all (files written by a script, CI, tests) gets 100 columns, not rich's 80.
    Applied when a console is first used, so a command that prints through `say` alone never imports rich.
    """
    if "COLUMNS" in os.environ:
        return
    for console in (_OUT, _ERR):
        console.fit_width()


def command(*args: Any, **kwargs: Any) -> Callable[[F], F]:
    """Register a command on `app` with the one handler that maps our exceptions to exit codes."""
    replayable = kwargs.pop("replay", False)

    def decorate(fn: F) -> F:
        def run(*a: Any, **k: Any) -> Any:
            _fit_width()
            _WARNED.clear()  # "once per run": a new command is a new run (tests invoke many in one process)
            try:
                return fn(*a, **k)
            except UsageError as exc:
                fail(f"用法错误：{exc}", 2)
            except LocatedError as exc:
                print_errors(exc.errors)
                fail(f"错误：{exc.summary}", 1)
            except (LedgerNotFoundError, InputError, WriteRefusedError, ProjledgerError) as exc:
                fail(f"错误：{exc}", 1)
            except OSError as exc:  # a write or read the system refused, somewhere without its own message
                from projledger.ledger.fsio import shown

                where = f"{shown(exc.filename)}：" if exc.filename else ""
                fail(f"错误：{where}{write_reason(exc)}", 1)
            except (MemoryError, RecursionError) as exc:
                fail(f"错误：输入过大或嵌套过深，无法处理（{type(exc).__name__}）", 1)

        @functools.wraps(fn)
        def wrapper(*a: Any, **k: Any) -> Any:
            where = _replay_slot(args[0], k) if replayable else None
            if where is None:
                return run(*a, **k)
            from projledger.cli import replay

            if replay.replayed(where):
                return None
            return replay.recorded(where, lambda: run(*a, **k))

        kwargs.setdefault("cls", zh.ZhCommand)
        kwargs.setdefault("options_metavar", zh.OPTIONS_METAVAR)
        app.command(*args, **kwargs)(wrapper)
        return fn

    return decorate


def _replay_slot(name: str, params: dict[str, Any]) -> Any:
    """Where a read-only command's output may be replayed from (see `cli/replay.py`), or None."""
    if not use_cache():
        return None
    from projledger.cli import replay
    from projledger.ledger.cache import cache_dir
    from projledger.ledger.root import find_root

    try:
        root = find_root(params.get("ledger"))
    except ProjledgerError:
        return None  # the command itself says what is wrong
    return replay.slot(name, {**params, "*": sorted(_SETTINGS.items())}, root, cache_dir())


def utf8_streams() -> None:
    """Print UTF-8 when the locale cannot encode Chinese (LANG=C with UTF-8 mode off): never a crash."""
    for stream in (sys.stdout, sys.stderr):
        try:
            "台账".encode(stream.encoding or "ascii")
        except (LookupError, UnicodeEncodeError):
            if isinstance(stream, io.TextIOWrapper):
                stream.reconfigure(encoding="utf-8")


def main() -> None:
    """Console-script entry point."""
    # pydantic looks for plugins (observability hooks) by scanning every installed distribution's entry points
    # when the first model is built, about 10 ms of every command's start; the command's models never want
    # them. Set here, for this process only, so importing projledger as a library changes nothing.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    utf8_streams()
    app(prog_name="projledger")


# Command modules register themselves on `app`; imported last so they can use the helpers above.
from projledger.cli import (  # noqa: E402,F401
    export_cmds,
    form_cmds,
    git_cmds,
    ledger_cmds,
    rollup_cmds,
    schedule_cmds,
    status_cmds,
    web_cmds,
)
