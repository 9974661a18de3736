"""Each command imports what it uses: `--help` loads no library, `check` no workbook or template engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")
HEAVY = {"openpyxl", "jinja2", "ruamel", "pydantic", "pydantic_core", "yaml", "chinese_calendar", "docx",
         "docxtpl", "numpy"}
PROBE = """
import json, sys
from projledger.cli import main
sys.argv = ["projledger", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def _modules_after(*args: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, check=False)
    line = done.stderr.rsplit("MODULES ", 1)[-1]
    return set(json.loads(line))


def test_help_imports_no_library() -> None:
    assert not _modules_after("--help") & HEAVY
    # typer itself brings pydantic in to coerce a command's parameters when pydantic is installed.
    assert not _modules_after("status", "--help") & (HEAVY - {"pydantic", "pydantic_core"})


def test_check_imports_no_workbook_or_template_engine(example_root: Path) -> None:
    loaded = _modules_after("check", "--ledger", str(example_root))
    assert "yaml" in loaded and "pydantic" in loaded
    assert not loaded & {"openpyxl", "jinja2", "ruamel", "docx", "docxtpl", "numpy"}


def test_schedule_within_default_matches_the_library() -> None:
    from typer.testing import CliRunner

    from projledger.cli import app
    from projledger.figures.schedule import DEFAULT_WITHIN

    result = CliRunner().invoke(app, ["schedule", "--help"])
    assert f"默认：{DEFAULT_WITHIN}" in result.output or str(DEFAULT_WITHIN) in result.output
