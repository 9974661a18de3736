"""The SPEC's own examples, verbatim, through the CLI: settings, project and procedure template.

`tests/data/spec_ledger` holds the settings and project examples of SPEC section 1 and the template of
section 3 exactly as written there (comments included), plus one 产业 project. The expected figures and
the 倒排 dates below were worked out by hand on the 2026 calendar.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projledger.cli import app

SPEC_LEDGER = Path(__file__).parent / "data" / "spec_ledger"
runner = CliRunner()


def run_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--ledger", str(SPEC_LEDGER), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_spec_ledger_checks_clean() -> None:
    result = runner.invoke(app, ["check", "--ledger", str(SPEC_LEDGER)])
    assert result.exit_code == 0, result.output
    assert "0 个错误" in result.output


def test_spec_status_figures() -> None:
    data = run_json("status", "--month", "2026-09")
    assert data["time_progress"] == 0.75 and data["as_of"] == "2026-09-30"
    cj = next(p for p in data["projects"] if p["id"] == "2026-cj-001")
    assert cj["completion_rate"] == pytest.approx(5200 / 12000)
    # Its monthly plan's Jan-Sep amounts: 0+0+0+0+1200+1500+1500+1800+1800 = 7800 (SPEC 2, plan to date).
    assert cj["plan_to_date"] == 7800 and cj["expected_rate"] == pytest.approx(7800 / 12000)
    assert cj["gap"] == pytest.approx(5200 / 12000 - 7800 / 12000)  # -21.7 points: red
    assert cj["achieved"] == pytest.approx(5200 / 7800)
    assert (cj["light"], cj["started"], cj["due_to_start"], cj["overdue_start"]) == ("red", True, True, False)
    assert cj["cumulative"] == 5200 and cj["days_late"] is None
    t = data["totals"]
    assert (t["new_starts"], t["started"], t["due_to_start"], t["due_started"], t["early_starts"]) == (2, 1, 1, 1, 0)
    assert (t["start_rate"], t["due_start_rate"], t["finish_planned"], t["finished"]) == (0.5, 1.0, 0, 0)
    assert [u["unit"] for u in data["units"]][:2] == ["城关街道", "产业集聚区管委会"]


def test_spec_schedule_by_hand() -> None:
    data = run_json("schedule", "2026-cy-002", "--month", "2026-09")
    (p,) = data["projects"]
    assert (p["anchor"], p["anchor_date"]) == ("start", "2026-11-16")
    steps = {s["name"]: s for s in p["steps"]}
    # 施工许可 ends prev(11-16) = 11-13 and fills 10 working days from 11-02.
    assert (steps["施工许可"]["latest_start"], steps["施工许可"]["latest_finish"]) == ("2026-11-02", "2026-11-13")
    # Its three predecessors end prev(11-02) = 10-30; going back crosses 10-10 (调休 Saturday), the
    # National Day week, 中秋 (09-25) and the 09-20 working Sunday.
    assert steps["规划许可"]["latest_start"] == "2026-10-12"
    assert steps["环评"]["latest_start"] == "2026-09-29"
    assert steps["土地报批"]["latest_start"] == "2026-09-01"
    assert (steps["立项"]["latest_start"], steps["立项"]["latest_finish"]) == ("2026-08-25", "2026-08-31")
    assert {n: s["status"] for n, s in steps.items()} == {
        "立项": "done", "规划许可": "due_soon", "土地报批": "due_soon", "环评": "done", "施工许可": "pending"}
    # Forward from next(09-30) = 10-08: 土地报批 40 days to 12-01, 施工许可 12-02..12-15, start 12-16,
    # 22 working days after 11-16.
    assert p["earliest"] == "2026-12-16" and p["behind_workdays"] == 22


def test_spec_schedule_of_started_project_uses_finish_chain_and_warns_for_2027() -> None:
    data = run_json("schedule", "2026-cj-001", "--month", "2026-09")
    (p,) = data["projects"]
    assert (p["anchor"], p["anchor_date"]) == ("finish", "2027-10-31")
    (step,) = p["steps"]
    assert (step["name"], step["latest_start"], step["latest_finish"]) == ("竣工验收", "2027-10-04", "2027-10-29")
    assert p["earliest"] == "2026-11-04" and p["behind_workdays"] == 0
    assert any("2027" in w for w in data["warnings"])
