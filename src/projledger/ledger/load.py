"""Load a ledger and check it: the one place that composes reading (`loader`) with `checks`.

`loader` reads and validates files; `checks` runs the cross-file rules over what was read. Neither
imports the other, so this small module above both is what commands call.
"""

from __future__ import annotations

import gc
from pathlib import Path

from projledger.ledger import checks
from projledger.ledger.errors import LedgerError
from projledger.ledger.loader import Files, Ledger, Progress, read_ledger


def load_ledger(
    root: Path, run_checks: bool = True, files: Files | None = None, use_cache: bool = False,
    progress: Progress | None = None,
) -> tuple[Ledger | None, list[LedgerError]]:
    """Load a whole ledger: settings, every project file, then the cross-file checks.

    `files` defaults to the folder `root` on disk; `diff` passes the ledger as stored in git.
    `use_cache` reuses validated models of unchanged files (the CLI turns it on unless told not to).
    `progress(read, all)` is told how far the read has got (the CLI draws a bar on a terminal).
    """
    # The load builds hundreds of thousands of small objects that all live until the command ends;
    # the cyclic collector's passes during it free nothing and cost up to a third of the time.
    paused = gc.isenabled()
    gc.disable()
    try:
        ledger, errors = read_ledger(root, files, use_cache, progress)
        if ledger is not None and run_checks:
            errors = sorted([*errors, *checks.run_checks(ledger)], key=lambda e: (e.path, e.line or 0, e.message))
        return ledger, errors
    finally:
        if paused:
            gc.enable()
