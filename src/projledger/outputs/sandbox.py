"""The one way to render a template a ledger may supply: Jinja2's immutable sandbox, bounded in time and memory.

A ledger is a shared git repository, so its `templates/` are written by whoever can commit. Three layers
keep such a template from doing harm:

- `environment()` is Jinja2's `ImmutableSandboxedEnvironment` (no `cycler.__init__.__globals__`, no
  changing the lists it is given), narrowed further: methods may be called only on plain values (text,
  numbers, dates, lists, dicts), never on our own objects (a figure, a model, a ledger and its `read`, a
  path), so nothing reachable from the context can read or write a file; no `lipsum`; operators and
  filters that multiply text (`'x' * n`, `**`, `'%9999999d' % 1`, `center(n)` …) refuse sizes no
  bulletin needs; `{% include %}`/`{% import %}`/`{% extends %}` load only from the ledger's own
  `templates/` folder (`TemplateFiles`), never an absolute or `../` name. Unknown names are errors
  (StrictUndefined), so a typo is reported, not printed as "".
- `bounded.run_bounded()` renders in a forked child process (POSIX) with a time limit and a memory limit,
  so a template that loops for ever or builds a huge text is stopped, whatever trick it uses; where fork
  is not available (Windows, or a process with threads) the same work runs in-process with the guards
  above, a loop budget and an output cap.
- `render()` puts it together for a text template and turns every failure into a located error
  (`templates/brief.md.j2:3: 通报模板…`), never a traceback.

Every output a ledger template feeds uses this module: the Markdown bulletin through `render()`; a Word
bulletin through docxtpl passes `environment()` as its jinja_env (with `TemplateFiles(ledger.read)` as
loader) and runs its render inside `bounded.run_bounded(work, describer("通报模板", {name}))`.
"""

from __future__ import annotations

import functools
import re
import string
import traceback
from collections.abc import Callable, Generator, Iterator
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import filters as jinja_filters
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from projledger.ledger.errors import LedgerError, LocatedError
from projledger.ledger.loader import Source
from projledger.ledger.safefile import ledger_relative
from projledger.outputs.bounded import Describe, Failure, TimeLimit, run_bounded

MAX_OUTPUT_CHARS = 10_000_000
MAX_TEXT = 1_000_000  # longest text one operator or filter may build
MAX_POWER_BITS = 4096
MAX_WIDTH = 1000  # padding and indentation widths
LOOP_BUDGET = 2_000_000  # range() items over a whole in-process render
TEMPLATES_DIR = "templates"

# Values whose public methods a template may call: text, numbers, dates, containers, and Jinja2's own
# helpers (loop.cycle, cycler.next, an imported template's macros, self.block()).
_PLAIN = (str, int, float, Decimal, Fraction, date, list, tuple, dict, set, frozenset, bool, type(None),
          jinja2.runtime.LoopContext, jinja2.runtime.TemplateReference, jinja2.environment.TemplateModule,
          jinja2.utils.Cycler, jinja2.utils.Joiner, jinja2.utils.Namespace)
_WIDTH_ARGS = re.compile(r"%[-#0 +]*(?:\*|\d{4,})|%[-#0 +]*\d*\.(?:\*|\d{4,})")


class TemplateRefused(SecurityError):
    """A template asked for more than a bulletin needs (size, width, loop), or for something unsafe."""


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with bounded operators and method calls on plain values only."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.loop_budget = LOOP_BUDGET
        for name in ("lipsum",):
            self.globals.pop(name, None)
        self.globals["range"] = self._range
        self.filters.update(
            center=_bounded(jinja_filters.do_center),
            indent=_bounded(jinja_filters.do_indent),
            format=_format,
            replace=_replace,
            tojson=_bounded(jinja_filters.do_tojson),
        )
        self.filters.pop("random", None)  # output must not change from run to run

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Public data anywhere; methods only of plain values (never of figures, models, ledgers, paths)."""
        if not super().is_safe_attribute(obj, attr, value):
            return False
        return not callable(value) or isinstance(obj, _PLAIN)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """Refuse padding and repetition widths no bulletin needs (`'x'.ljust(10**9)`)."""
        name = getattr(__obj, "__name__", "")
        if isinstance(getattr(__obj, "__self__", None), str) and name in (
            "center", "ljust", "rjust", "zfill", "expandtabs"
        ):
            _check_width(*args, *kwargs.values())
        if isinstance(getattr(__obj, "__self__", None), str) and name == "replace" and len(args) >= 2:
            _check_replace(__obj.__self__, args[0], args[1])
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """`*`, `**`, `+` and `%` with the size of their result bounded before it is built."""
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_repeat(left, right)
        elif operator == "+":
            _check_size(_length(left) + _length(right))
        elif operator == "%" and isinstance(left, str) and _WIDTH_ARGS.search(left):
            raise TemplateRefused("格式宽度过大")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`'{:>999999999}'.format(1)` is refused like `'%999999999d' % 1`."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _wide_format(value.__self__):
            return _refuse_format
        return wrapped

    def _range(self, *args: int) -> Iterator[int] | range:
        # In the forked child the time limit bounds loops; in-process, a shared budget does.
        items = range(*args)
        if len(items) > self.loop_budget:
            raise TemplateRefused(f"循环次数过多（range 共超过 {LOOP_BUDGET} 次）")
        self.loop_budget -= len(items)
        return items


def _wide_format(text: str) -> bool:
    """A str.format pattern whose width or precision is huge or taken from an argument."""
    try:
        specs = [spec for _, _, spec, _ in string.Formatter().parse(text) if spec]
    except ValueError:
        return False  # str.format itself will say what is wrong
    return any("{" in spec or re.search(r"\d{4,}", spec) for spec in specs)


def _refuse_format(*args: Any, **kwargs: Any) -> str:
    raise TemplateRefused("格式宽度过大")


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


def _check_size(size: int) -> None:
    if size > MAX_TEXT:
        raise TemplateRefused(f"生成的文字过长（超过 {MAX_TEXT} 字）")


def _check_width(*values: Any) -> None:
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_WIDTH:
            raise TemplateRefused(f"宽度 {v} 过大（最多 {MAX_WIDTH}）")


def _check_repeat(left: Any, right: Any) -> None:
    for seq, n in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(n, int):
            _check_size(len(seq) * max(n, 0))
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_POWER_BITS:
        raise TemplateRefused("数字过大")


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(base, int | Decimal | Fraction) and isinstance(exponent, int | Decimal | Fraction):
        bits = max(abs(int(base)), 2).bit_length()
        power: Any = abs(exponent)
        if power > MAX_POWER_BITS or bits * power > MAX_POWER_BITS:
            raise TemplateRefused("乘方结果过大")


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = len(text) + 1 if old == "" else text.count(old)
        _check_size(len(text) + count * max(len(new) - len(old), 0))


def _bounded(func: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter whose numeric arguments after the value are widths to bound."""
    skip = 2 if hasattr(func, "jinja_pass_arg") else 1  # the environment or eval context comes first

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _check_width(*args[skip:], *kwargs.values())
        return func(*args, **kwargs)

    return functools.update_wrapper(wrapper, func)  # keeps jinja_pass_arg


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    if isinstance(value, str) and _WIDTH_ARGS.search(value):
        raise TemplateRefused("格式宽度过大")
    return jinja_filters.do_format(value, *args, **kwargs)


def _replace(eval_ctx: Any, s: str, old: str, new: str, count: int | None = None) -> str:
    _check_replace(str(s), str(old), str(new))
    return jinja_filters.do_replace(eval_ctx, s, old, new, count)


_replace.jinja_pass_arg = jinja_filters.do_replace.jinja_pass_arg  # type: ignore[attr-defined]


def environment(**options: Any) -> BoundedSandbox:
    """A sandboxed environment; `options` are Environment keyword arguments (autoescape, trim_blocks, loader …)."""
    options.setdefault("undefined", jinja2.StrictUndefined)
    options.setdefault("autoescape", False)
    return BoundedSandbox(**options)


# --- templates from the ledger's own folder --------------------------------------------------------------

Reader = Callable[[str], "tuple[Source | None, list[LedgerError]]"]


def safe_template_name(name: str) -> str | None:
    """`name` as a path under templates/, or None when it would leave it (absolute, `..`, drive, control chars)."""
    rel = ledger_relative(name) if ":" not in name else None
    return None if rel is None else f"{TEMPLATES_DIR}/{rel}"


class TemplateFiles(jinja2.BaseLoader):
    """Loads `{% include %}`d, `{% import %}`ed and `{% extends %}`ed templates from the ledger's templates/ only.

    `read` is the ledger's own file reader (regular files inside the ledger, size-capped, UTF-8), so a
    symlink or a name pointing elsewhere is never read.
    """

    def __init__(self, read: Reader) -> None:
        self._read = read

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        """The text of templates/<template>; TemplateNotFound for any name outside the folder or unreadable."""
        rel = safe_template_name(template)
        if rel is None:
            raise jinja2.TemplateNotFound(template)
        source, errors = self._read(rel)
        if source is None:
            raise jinja2.TemplateNotFound(template, "；".join(e.message for e in errors) or None)
        return source.text, rel, lambda: True


# --- running bounded ------------------------------------------------------------------------------------


def refusal(exc: BaseException, what: str = "模板") -> str:
    """A template failure as a Chinese sentence: what the template (`what`, e.g. 通报模板) asked for that cannot be done."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{what}语法错误（{exc.message}）"
    if isinstance(exc, jinja2.TemplateNotFound):
        why = f"：{exc.message}" if exc.message and exc.message != exc.name else ""
        return f"{what}引用的“{exc.name}”不是台账 templates/ 目录中的文件{why}"
    if isinstance(exc, TemplateRefused):
        return f"{what}要求的内容超出限制，已停止：{exc}"
    if isinstance(exc, SecurityError):
        return f"{what}试图访问不允许的内容，出于安全原因已拒绝（{exc}）"
    if isinstance(exc, jinja2.UndefinedError):
        return f"{what}中有未知的名称或属性（{exc.message}）"
    if isinstance(exc, RecursionError):
        return f"{what}嵌套或递归过深（include、宏或 extends 调用了自己），已停止"
    if isinstance(exc, MemoryError):
        return f"{what}运行占用内存过多，已停止"
    if isinstance(exc, TimeLimit):
        return f"{what}运行超过 {exc.seconds:g} 秒，已停止（可能有死循环或过大的循环）"
    return f"{what}无法填写（{type(exc).__name__}: {exc}）"


def _template_line(exc: BaseException, names: set[str]) -> tuple[str | None, int | None]:
    """The template file and line an exception was raised at (Jinja2 rewrites tracebacks to template lines)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename or exc.name, exc.lineno
    found: tuple[str | None, int | None] = (None, None)
    tb: TracebackType | None = exc.__traceback__
    for frame, line in traceback.walk_tb(tb):
        name = frame.f_code.co_filename
        if name in names or name.startswith(f"{TEMPLATES_DIR}/"):
            # A traceback Jinja2 did not rewrite (KeyboardInterrupt) still has generated code's lines.
            template = frame.f_globals.get("__jinja_template__")
            found = (name, template.get_corresponding_lineno(line) if template is not None else line)
    return found


def _collect(pieces: Generator[str, None, None]) -> str:
    out: list[str] = []
    size = 0
    for piece in pieces:
        size += len(piece)
        if size > MAX_OUTPUT_CHARS:
            # Thrown into the template where it is writing, so the error names that line.
            pieces.throw(TemplateRefused(f"生成的内容超过 {MAX_OUTPUT_CHARS // 10000} 万字，模板可能有死循环"))
        out.append(piece)
    return "".join(out)


def describer(what: str, names: set[str]) -> Describe:
    """How a failure of a template named one of `names` is told: its file, its line, `refusal(exc, what)`."""

    def describe(exc: BaseException) -> Failure:
        if isinstance(exc, Failure):
            return exc
        path, line = _template_line(exc, names)
        return Failure(path, line, refusal(exc, what))

    return describe


def render(source: Source, context: dict[str, Any], read: Reader, what: str = "模板",
           filters: dict[str, Callable[..., Any]] | None = None, **options: Any) -> str:
    """Render a ledger-supplied (or bundled) text template in the sandbox, bounded (`bounded.run_bounded`).

    `source` is the template (its path names it in errors), `read` the ledger's reader for included files,
    `filters` extra filters, `options` Environment options (trim_blocks, finalize …). Any failure raises
    `LocatedError` with the template file and line, e.g. `templates/brief.md.j2:3: 通报模板试图访问…`.
    """

    def work() -> str:
        env = environment(loader=TemplateFiles(read), **options)
        env.filters.update(filters or {})
        code = env.compile(source.text, source.path, source.path)  # named, so errors carry its lines
        template = env.template_class.from_code(env, code, env.make_globals(None), None)
        return _collect(template.generate(context))  # type: ignore[arg-type]  # a generator in fact

    try:
        result = run_bounded(work, describer(what, {source.path}))
    except Failure as failure:
        where = LedgerError(failure.path or source.path, failure.line or 1, failure.message)
        raise LocatedError(f"{what}有错误，未生成", [where]) from None
    return str(result)


__all__ = [
    "BoundedSandbox",
    "TemplateFiles",
    "TemplateRefused",
    "describer",
    "environment",
    "refusal",
    "render",
    "safe_template_name",
]
