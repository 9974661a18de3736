"""Errors as values, plus the few exceptions that end a command.

Bad input is never raised: loaders and checks return `LedgerError` values, which the CLI prints as
`file:line: message` so an editor can jump to the spot. Exceptions are kept for conditions that stop a
command as a whole (no ledger found, a bad command-line argument, a refused write).
"""

from __future__ import annotations

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
