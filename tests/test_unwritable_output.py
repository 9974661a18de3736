"""An output the system refuses (name too long, a parent that is a file, a read-only place) ends in Chinese.

Every command that writes a file or a folder meets the same refusals from the operating system; none
may show a traceback. The cases are built so that they hold for root too (no chmod): a file name that
is allowed but whose temporary sibling is too long, a folder name over the limit, and a "folder"
that is really a file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projledger.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent.parent / "ledgers" / "example"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root)
    return root


def _refused(args: list[str], *words: str) -> str:
    result = runner.invoke(app, args)
    text = result.output
    assert result.exit_code == 1, text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in text
    assert "错误：" in text
    for word in words:
        assert word in text, text
    return text


def _long(tmp_path: Path, suffix: str, extra: int = 0) -> Path:
    """A name of 255 bytes (the limit) with its suffix, or `extra` bytes over it."""
    return tmp_path / ("a" * (255 - len(suffix) + extra) + suffix)


@pytest.mark.parametrize(
    ("command", "suffix"),
    [(["report"], ".html"), (["brief"], ".docx"), (["brief"], ".md"), (["export"], ".xlsx"),
     (["form", "--unit", "城关街道"], ".xlsx")],
)
def test_names_at_and_over_the_length_limit(
    ledger: Path, tmp_path: Path, command: list[str], suffix: str
) -> None:
    # At the limit the write works (its temp sibling has a short name); one byte over is refused in Chinese.
    target = _long(tmp_path, suffix)
    result = runner.invoke(app, [*command, "--ledger", str(ledger), "-o", str(target)])
    if suffix == ".xlsx":  # the workbook writer's temp sibling is longer: refused in Chinese, nothing left
        assert result.exit_code == 1 and "文件名过长" in result.output, result.output
    else:
        assert result.exit_code == 0, result.output
        target.unlink()
    over = _long(tmp_path, suffix, extra=1)
    _refused([*command, "--ledger", str(ledger), "-o", str(over)], "文件名过长")
    assert not os.path.exists(over)  # noqa: PTH110 - Path.exists raises for a name this long
    assert [p.name for p in tmp_path.iterdir()] == ["ledger"]  # no temp file left behind


def test_form_folder_name_too_long(ledger: Path, tmp_path: Path) -> None:
    _refused(["form", "--all", "--ledger", str(ledger), "-o", str(tmp_path / ("长" * 100))], "文件名过长")


def test_form_folder_under_a_file(ledger: Path, tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("x", encoding="utf-8")
    _refused(["form", "--all", "--ledger", str(ledger), "-o", str(tmp_path / "note.txt" / "sub")], "note.txt")


def test_init_where_a_folder_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("x", encoding="utf-8")
    _refused(["init", str(tmp_path / "note.txt" / "新台账")], "note.txt")
    _refused(["init", str(tmp_path / ("长" * 100))], "文件名过长")
