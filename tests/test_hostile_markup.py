"""Ledger text is shown verbatim in the terminal: never read as rich markup, emoji codes or hyperlinks (#11.2).

tests/bad/hostile/markup/ is a valid ledger whose district, units, names, leaders, problems and images are
written like rich markup (`[/x]坏` used to raise MarkupError, `[epc]总承包项目` lost its `[epc]`, `[link=…]`
became a live terminal hyperlink). Every command that shows them must print them exactly as typed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projledger import cli
from projledger.cli import app

runner = CliRunner()
MARKUP = Path(__file__).resolve().parent / "bad" / "hostile" / "markup"

SHOWN_BY = {
    ("status",): ["[bold]标记区[/bold]", "[/x]坏单位", "甲街道:smile:", "[epc]总承包项目", "[link=https://evil.example/]张三[/link]"],
    ("status", "--by", "leader"): ["[link=https://evil.example/]张三[/link]", "[i]李四"],
    ("status", "--by", "category"): ["[epc]城建"],
    ("show", "2026-mk-001"): ["[epc]总承包项目", "[/x]坏单位", "[/]建设单位", "[blink]闪烁[/blink]", "[/x]坏",
                              ":smile: [red]3户[/red]未签约", "[b]拆迁"],
    ("show", "2026-mk-002"): ["甲:thumbs_up:项目[/i]", "[link=file:///etc/passwd]点我[/link]", "[i]李四"],
    ("schedule",): ["[epc]总承包项目", "[/x]坏单位", "[red]十一[/red]集中开工", "[link=https://evil.example/]张三[/link]"],
    ("form", "--status", "--month", "2026-08"): ["[bold]标记区[/bold]", "[/x]坏单位", "需催报：甲街道:smile:"],
}


@pytest.fixture(autouse=True)
def wide_console() -> Iterator[None]:
    """Wide enough that no long hostile name is shortened with "…" (which tables do to fit the terminal)."""
    old = cli.out.width
    cli.out.width = 200
    yield
    cli.out.width = old


def run(*args: str) -> str:
    result = runner.invoke(app, [*args, "--ledger", str(MARKUP)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("args", list(SHOWN_BY), ids=[" ".join(a) for a in SHOWN_BY])
def test_markup_in_ledger_text_is_shown_as_typed(args: tuple[str, ...]) -> None:
    output = run(*args)
    for text in SHOWN_BY[args]:
        assert text in output, (text, output)
    assert "\x1b]8;" not in output  # no OSC 8 hyperlink


def test_no_hyperlink_or_emoji_reaches_a_real_terminal(tmp_path: Path) -> None:
    # Forced colour, as on a real terminal: styles are fine, links (OSC 8) and emoji are not.
    ledger = tmp_path / "markup"
    shutil.copytree(MARKUP, ledger)
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "120",
           "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    done = subprocess.run([sys.executable, "-m", "projledger", "show", "2026-mk-002", "--ledger", str(ledger)],
                          capture_output=True, text=True, timeout=60, check=False, env=env)
    assert done.returncode == 0, done.stderr
    assert "\x1b]8;" not in done.stdout
    assert "👍" not in done.stdout and ":thumbs_up:" in done.stdout
    assert "[link=file:///etc/passwd]点我[/link]" in done.stdout


def test_renderables_are_verbatim_on_any_console() -> None:
    # Not only through the CLI's consoles: the renderables themselves hold ledger text as Text.
    from rich.console import Console

    from projledger.figures.metrics import compute
    from projledger.figures.schedule import build_schedule
    from projledger.ledger.load import load_ledger
    from projledger.outputs.terminal.schedule import schedule_view
    from projledger.outputs.terminal.status import dashboard, project_page

    ledger, _ = load_ledger(MARKUP)
    assert ledger is not None
    mf = compute(ledger, "2026-09")
    console = Console(record=True, width=200, color_system=None)  # markup and emoji on, as rich defaults
    console.print(dashboard(mf, "leader"))
    console.print(dashboard(mf, "unit"))
    for f in mf.projects:
        console.print(project_page(mf, f))
    console.print(schedule_view(build_schedule(ledger, "2026-09"), ledger.settings.district, ledger.settings.units))
    shown = console.export_text()
    for text in ("[epc]总承包项目", "[/x]坏单位", "甲:thumbs_up:项目[/i]", "[link=https://evil.example/]张三[/link]",
                 ":smile: [red]3户[/red]未签约", "[link=file:///etc/passwd]点我[/link]", "[i]李四"):
        assert text in shown, text


def test_diff_shows_changed_text_verbatim(tmp_path: Path) -> None:
    ledger = tmp_path / "markup"
    shutil.copytree(MARKUP, ledger)
    git = ["git", "-C", str(ledger), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], check=True)
    path = ledger / "projects" / "2026-mk-002.yaml"
    path.write_text(path.read_text("utf-8").replace("[i]李四", "[/b]王五"), "utf-8")
    output = run_at(ledger, "diff")
    assert "[i]李四" in output and "[/b]王五" in output and "甲:thumbs_up:项目[/i]" in output


def run_at(ledger: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--ledger", str(ledger)])
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    return result.output
