"""check: an open problem that vanishes from the next report without a resolved date is a located warning."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ledgerkit import project, report, write_ledger
from projledger.cli import app

OPEN = {"type": "拆迁", "text": "3户未签约", "owner": "甲街道", "due": "2026-10-31"}


def check(root: Path) -> str:
    result = CliRunner().invoke(app, ["check", "--ledger", str(root)])
    assert result.exit_code == 0, result.output  # a warning, not an error
    return result.output


def test_a_dropped_open_problem_is_warned_at_the_later_report(tmp_path: Path) -> None:
    p = project("d1", progress=[report("2026-08", 100, problems=[OPEN]), report("2026-09", 200)])
    root = write_ledger(tmp_path, [p])
    output = check(root)
    [line] = [x for x in output.splitlines() if "没有了" in x]
    lines = (root / "projects" / "d1.yaml").read_text(encoding="utf-8").splitlines()
    number = int(line.split(":")[1])
    assert "2026-09" in lines[number - 1]
    assert "2026-08 未解决的问题“拆迁：3户未签约”在 2026-09 的记录中没有了" in line


def test_carried_retyped_or_resolved_problems_are_fine(tmp_path: Path) -> None:
    resolved = {**OPEN, "resolved": "2026-09-20"}
    retyped = {**OPEN, "text": "3 户未签约。"}
    for i, later in enumerate(([OPEN], [resolved], [retyped])):
        p = project("ok", progress=[report("2026-08", 100, problems=[dict(OPEN)]), report("2026-09", 200, problems=[dict(q) for q in later])])
        assert "没有了" not in check(write_ledger(tmp_path / str(i), [p]))
    # A problem resolved in August is not expected in September.
    p = project("r", progress=[report("2026-08", 100, problems=[resolved]), report("2026-09", 200)])
    assert "没有了" not in check(write_ledger(tmp_path / "r", [p]))


def test_form_status_does_not_chase_a_finished_project(tmp_path: Path) -> None:
    done = project("f1", actual={"start": "2025-03-01", "finish": "2026-08-20"}, progress=[report("2026-08", 900)])
    running = project("r1", actual={"start": "2025-03-01"}, progress=[report("2026-08", 100), report("2026-09", 200)])
    root = write_ledger(tmp_path, [done, running])
    result = CliRunner().invoke(app, ["form", "--status", "--month", "2026-09", "--json", "--ledger", str(root)])
    assert result.exit_code == 0, result.output
    import json

    unit = next(u for u in json.loads(result.stdout)["units"] if u["unit"] == "甲街道")
    assert (unit["state"], unit["projects"], unit["reported"], unit["missing"]) == ("all", 1, 1, [])
