"""Errors as values, plus the few exceptions that end a command.

Bad input is never raised: loaders and checks return `LedgerError` values, which the CLI prints as
`file:line: message` so an editor can jump to the spot. Exceptions are kept for conditions that stop a
command as a whole (no ledger found, a bad command-line argument, a refused write).
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# Characters that must never reach a terminal raw from a file name or a value: C0/C1 controls (ESC starts
# terminal commands, a newline would forge a `file:line:` line), DEL, line/paragraph separators, and the
# bidirectional overrides that make text display in another order than it is stored.
_CONTROLS = [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
             0x2028, 0x2029, 0x061C]
_ESCAPES = {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in _CONTROLS} | {
    0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}


def escape_controls(text: str) -> str:
    """`text` with control and bidi-override characters written as escapes (ESC as a backslash, x, 1b)."""
    return text.translate(_ESCAPES)


ANY_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in _ESCAPES) + "]")


def control_characters(text: str, allow: str = "") -> list[str]:
    """The control characters in `text` (other than those in `allow`), escaped, in order of appearance."""
    if ANY_CONTROL.search(text) is None:  # nearly every value: one scan in C
        return []
    return [_ESCAPES[ord(c)] for c in dict.fromkeys(text) if ord(c) in _ESCAPES and c not in allow]


@dataclass(frozen=True, order=True)
class LedgerError:
    """One problem found in the ledger, placed at a file and (where known) a line."""

    path: str
    line: int | None
    message: str
    field: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        # Escaped: a file named "a\nb.yaml" or a value holding ESC must not forge lines or drive the terminal.
        path = escape_controls(self.path)
        where = path if self.line is None else f"{path}:{self.line}"
        tag = "警告: " if self.severity == "warning" else ""
        return f"{where}: {tag}{escape_controls(self.message)}"

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.severity == "error"


def has_errors(errors: list[LedgerError]) -> bool:
    """True when any of `errors` is an error rather than a warning."""
    return any(e.is_error for e in errors)


class ProjledgerError(Exception):
    """Base of the exceptions that end a command."""


class LedgerNotFoundError(ProjledgerError):
    """No ledger root (a folder with projledger.yaml) could be found."""


class UsageError(ProjledgerError):
    """A command-line argument is wrong (exit code 2)."""


class InputError(ProjledgerError):
    """An input file is unusable as a whole (exit code 1)."""


class WriteRefusedError(ProjledgerError):
    """A write was refused to protect an existing file (exit code 1)."""


class LocatedError(InputError):
    """An input failed at known places: `errors` print as `file:line: message`, then `summary` (exit code 1)."""

    def __init__(self, summary: str, errors: list[LedgerError]) -> None:
        super().__init__("\n".join([*(str(e) for e in errors), summary]))
        self.summary = summary
        self.errors = errors


class WriteFailedError(WriteRefusedError, OSError):
    """A write the system refused (full disk, read-only folder, no permission, name too long …), said in Chinese.

    Also an OSError (with the original errno), so code that undoes writes on OSError still does; `str()` is
    the whole Chinese sentence, `reason` the Chinese reason alone.
    """

    def __init__(self, code: int | None, reason: str, path: str, message: str) -> None:
        OSError.__init__(self, code or 0, reason, path)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


# Why the system refused a write or a folder, as the user can act on it (the locale's strerror may be English).
_WRITE_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "磁盘或文件夹是只读的，不能写入",
    errno.EACCES: "没有写入权限（或文件正被其他程序打开）",
    errno.EPERM: "没有写入权限",
    errno.ENAMETOOLONG: "文件名过长，请换一个短一些的名字或目录",
    errno.EISDIR: "这是一个文件夹，请给出文件名",
    errno.ENOENT: "目录不存在或不能在此新建文件",
    errno.ENOTDIR: "路径中有一段不是文件夹（是一个文件）",
    errno.EFBIG: "文件超过系统允许的大小",
    errno.EIO: "磁盘读写出错",
    errno.EINVAL: "文件名中有系统不允许的字符",
    errno.EBUSY: "文件正被占用",
    errno.EEXIST: "已有同名文件",
    errno.ELOOP: "符号链接循环",
    errno.EMFILE: "打开的文件过多",
}


def write_reason(exc: OSError) -> str:
    """Why a file or folder could not be written or made, in Chinese."""
    if isinstance(exc, WriteFailedError):
        return exc.reason
    return _WRITE_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
