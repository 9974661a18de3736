"""Errors as values, plus the few exceptions that end a command.

Bad input is never raised: loaders and checks return `LedgerError` values, which the CLI prints as
`file:line: message` so an editor can jump to the spot. Exceptions are kept for conditions that stop a
command as a whole (no ledger found, a bad command-line argument, a refused write).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class LedgerError:
    """One problem found in the ledger, placed at a file and (where known) a line."""

    path: str
    line: int | None
    message: str
    field: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        tag = "警告: " if self.severity == "warning" else ""
        return f"{where}: {tag}{self.message}"

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


_WRITE_REASONS = {
    errno.ENAMETOOLONG: "文件名太长，请换一个短一些的名字或目录",
    errno.EROFS: "只读的磁盘或目录，不能写入",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "目录不存在或不能在此新建文件",
    errno.ENOTDIR: "路径中有一段不是目录（是一个文件）",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.EEXIST: "同名的文件已存在",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EIO: "磁盘读写出错",
}


def write_reason(exc: OSError) -> str:
    """Why a file or folder could not be written or made, in Chinese (the locale's strerror may be English)."""
    return _WRITE_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
