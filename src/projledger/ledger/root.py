"""Where a ledger is: its root folder and the names in it, without importing the models or the YAML reader.

A command finds its ledger before it decides whether to read anything (the output cache of `cli/replay.py`
answers a repeated command from this alone), so this module stays light.
"""

from __future__ import annotations

import os
from pathlib import Path

from projledger.ledger.errors import LedgerNotFoundError

SETTINGS_FILE = "projledger.yaml"
PROJECTS_DIR = "projects"
ENV_VAR = "PROJLEDGER_DIR"


def find_root(ledger_dir: str | Path | None = None, cwd: Path | None = None) -> Path:
    """The ledger root: `--ledger`, else $PROJLEDGER_DIR, else the nearest folder upward with settings."""
    given = ledger_dir if ledger_dir is not None else os.environ.get(ENV_VAR) or None
    if given is not None:
        root = Path(given).expanduser()
        if not (root / SETTINGS_FILE).is_file():
            raise LedgerNotFoundError(f"{root} 不是台账目录：找不到 {SETTINGS_FILE}")
        return root
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise LedgerNotFoundError(
        f"当前目录及其上级目录中找不到 {SETTINGS_FILE}；请在台账目录中运行，或用 --ledger 指定台账目录"
    )
