"""The terminal views fit 80 and 120 columns on the example ledger, and never cut a figure, date or id.

Run the way an office worker meets them: the CLI on `ledgers/example`, its console set to the width of
their terminal. A line may not be wider than the terminal (measured in display cells: a Chinese
character is two), and every number, date and id the JSON output holds for what is shown must appear
whole in the text.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from projledger import cli
from projledger.cli import app
from projledger.figures.fmt import money, pct

EXAMPLE = Path(__file__).resolve().parents[1] / "ledgers" / "example"
WIDTHS = (80, 120)
runner = CliRunner()


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}cols")
def width(request: pytest.FixtureRequest) -> Iterator[int]:
    """The CLI's console as wide as a terminal of `width` columns."""
    old = cli.out.width
    cli.out.width = request.param
    yield request.param
    cli.out.width = old


def run(*args: str) -> str:
    result = runner.invoke(app, [*args, "--ledger", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    return result.stdout


def fits(text: str, width: int) -> None:
    wide = [line for line in text.splitlines() if cell_len(line) > width]
    assert not wide, f"{len(wide)} lines wider than {width}:\n" + "\n".join(wide[:5])


def whole(text: str, figures: list[str]) -> None:
    """Each figure appears, not followed by an ellipsis (cut) and not broken across lines."""
    missing = [f for f in figures if f not in text]
    assert not missing, f"cut or missing: {missing[:10]}"
    assert not re.search(r"\d…", text), re.search(r".{0,20}\d…", text)


def status_json() -> dict[str, object]:
    return json.loads(run("status", "--format", "json"))  # type: ignore[no-any-return]


def test_status_fits_and_shows_every_unit_figure(width: int) -> None:
    text = run("status")
    fits(text, width)
    data = status_json()
    units = data["units"]
    assert isinstance(units, list)
    whole(text, [money(_dec(u["completed"])) for u in units] + [money(_dec(u["annual_plan"])) for u in units])
    projects = data["projects"]
    assert isinstance(projects, list)
    lagging = [p for p in projects if p["light"] != "green"]
    # Every lagging project with its rate; at 120 columns with its id too (at 80 the id gives way).
    whole(text, [pct(_frac(p["completion_rate"])) for p in lagging if p["completion_rate"] is not None])
    if width >= 120:
        whole(text, [p["id"] for p in lagging])
    assert "亿元" in text.splitlines()[1]  # totals of 1亿 and more in 亿元


@pytest.mark.parametrize("by", ["leader", "category", "level", "kind"])
def test_status_by_group_fits(width: int, by: str) -> None:
    text = run("status", "--by", by)
    fits(text, width)
    if by == "leader":
        assert "按包抓领导排名" in text
        ranks = [int(m.group(1)) for m in re.finditer(r"^\s+(\d+) \S", text.split("按包抓领导排名")[1], re.M)]
        assert ranks[: len(set(ranks))] == list(range(1, len(set(ranks)) + 1))


def test_show_every_project_fits_and_keeps_its_dates(width: int) -> None:
    schedule = json.loads(run("schedule", "--format", "json"))
    steps = {p["id"]: p["steps"] for p in schedule["projects"]}
    data = status_json()
    projects = data["projects"]
    assert isinstance(projects, list) and len(projects) == 51
    for p in projects:
        text = run("show", p["id"])
        fits(text, width)
        dates = [d for s in steps.get(p["id"], []) for d in (s["latest_start"], s["latest_finish"], s["done"]) if d]
        whole(text, [p["id"], money(_dec(p["completed"])), *dates])


def test_schedule_fits_and_keeps_every_deadline(width: int) -> None:
    text = run("schedule")
    fits(text, width)
    data = json.loads(run("schedule", "--format", "json"))
    listed = [s for p in data["projects"] for s in p["steps"] if s["status"] in ("overdue", "due_soon")]
    whole(text, [s["latest_finish"] for s in listed])
    detail = run("schedule", "--detail")
    fits(detail, width)
    whole(detail, [p["id"] for p in data["projects"]] + [s["latest_start"] for p in data["projects"]
                                                         for s in p["steps"]])


def test_list_fits_and_keeps_every_id(width: int) -> None:
    text = run("list")
    fits(text, width)
    projects = status_json()["projects"]
    assert isinstance(projects, list)
    whole(text, [p["id"] for p in projects])
    whole(text, [pct(_frac(p["completion_rate"])) for p in projects if p["completion_rate"] is not None])


def test_a_real_80_column_terminal_gets_80_columns() -> None:
    # COLUMNS as a terminal sets it, through a fresh process (the console reads it once).
    env = {**os.environ, "COLUMNS": "80", "PYTHONPATH": str(Path(cli.__file__).parents[2])}
    done = subprocess.run([sys.executable, "-m", "projledger", "status", "--ledger", str(EXAMPLE)],
                          capture_output=True, env=env, check=False)
    assert done.returncode == 0, done.stderr.decode()
    text = done.stdout.decode("utf-8")
    fits(text, 80)
    assert max(cell_len(line) for line in text.splitlines()) == 80  # it uses the width it has


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def _frac(value: object) -> Fraction:
    return Fraction(Decimal(str(value)))
