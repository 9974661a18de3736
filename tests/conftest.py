"""Shared fixtures: the shipped example ledger and a CLI runner with a pinned terminal width."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from browser import browser  # noqa: F401  (the headless-Chromium fixture of the dashboard tests)

# rich reads COLUMNS when the console is created (at import of projledger.cli), so pin it first.
os.environ["COLUMNS"] = "100"
os.environ.pop("PROJLEDGER_DIR", None)
os.environ.setdefault("PROJLEDGER_CACHE_DIR", tempfile.mkdtemp(prefix="projledger-cache-"))

# No test is timed (speed goals live in bench/): hypothesis's per-example deadline would fail on a busy machine.
settings.register_profile("projledger", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("projledger")

EXAMPLE_ROOT = Path(__file__).resolve().parents[1] / "ledgers" / "example"


@pytest.fixture
def example_root() -> Path:
    """The shipped example ledger (read-only: copy it to tmp_path before changing anything)."""
    return EXAMPLE_ROOT


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner for `projledger.cli.app`."""
    return CliRunner(env={"COLUMNS": "100", "PROJLEDGER_DIR": None})
