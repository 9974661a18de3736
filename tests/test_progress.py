"""Long commands show progress on a terminal only, on stderr, gone when done; piped output is the result alone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projledger import cli
from projledger.cli import app


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a terminal looks like to rich, with the thresholds down to the example ledger's size."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setattr(cli, "WORKING_FROM", 0)
    monkeypatch.setattr(cli.ReadingBar, "DELAY", 0.0)


def test_export_shows_a_spinner_while_it_writes(tmp_path: Path, example_root: Path, terminal: None) -> None:
    result = CliRunner().invoke(app, ["export", "--ledger", str(example_root), "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 0, result.output
    assert "正在计算并写入调度表" in result.stderr
    assert "已导出" in result.stdout and "正在" not in result.stdout


def test_piped_export_shows_no_spinner(tmp_path: Path, example_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "WORKING_FROM", 0)
    result = CliRunner().invoke(app, ["export", "--ledger", str(example_root), "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 0 and "正在" not in result.output


def test_diff_shows_a_bar_for_each_revision(tmp_path: Path, example_root: Path, terminal: None) -> None:
    root = tmp_path / "ledger"
    shutil.copytree(example_root, root)

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True,
                       capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "v1")
    git("commit", "-q", "--allow-empty", "-m", "v2")
    result = CliRunner().invoke(app, ["diff", "HEAD~1", "HEAD", "--ledger", str(root)])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("读取台账") >= 2
