"""`projledger schedule` as a user meets it, on small ledgers written inline."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from projledger.cli import app
from projledger.figures.schedule import build_schedule
from projledger.ledger.load import load_ledger
from projledger.outputs.terminal.schedule import render_project_timeline, schedule_view

runner = CliRunner()

SETTINGS = """
    district: 测试区
    year: 2026
    units: [城关街道, 产业集聚区管委会]
    categories: [产业, 城建]
    levels: [区重点]
    nodes:
      - {name: 十一集中开工, date: 2026-09-30}
"""

# Uses the bundled chains. As of 2026-08-31 the 城建 project is behind: 土地报批 (60 days) and everything
# after it cannot be done by 2026-10-12.
ROAD = """
    id: 2026-cj-001
    name: 南大街提升改造工程
    category: 城建
    level: 区重点
    kind: 新开工
    unit: 城关街道
    leader: 张建国
    investment: {total: 38000, annual_plan: 12000}
    planned: {start: 2026-09-30, finish: 2027-10-31}
    procedures:
      立项: 2026-01-15
      用地预审与选址: 2026-02-20
      可研批复: 2026-03-30
    progress:
      - {month: 2026-08, completed: 0}
"""

PARK = """
    id: 2026-cy-001
    name: 新能源电池产业园
    category: 产业
    level: 区重点
    kind: 续建
    unit: 产业集聚区管委会
    leader: 李明
    investment: {total: 50000, annual_plan: 20000, before_year: 10000}
    planned: {start: 2025-03-01, finish: 2026-12-20}
    actual: {start: 2025-03-15}
    procedures:
      规划核实: 2026-08-01
    progress:
      - {month: 2026-08, completed: 9000}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write(tmp_path, {"projledger.yaml": SETTINGS, "projects/2026-cj-001.yaml": ROAD,
                            "projects/2026-cy-001.yaml": PARK})


def test_table_lists_the_meeting_items_and_nodes_and_timelines_on_request(ledger: Path) -> None:
    result = runner.invoke(app, ["schedule", "--ledger", str(ledger)])
    assert result.exit_code == 0, result.output
    brief = result.stdout
    assert "2026-08" in brief  # defaults to the latest reported month
    assert brief.index("督办清单") < brief.index("集中开工/竣工节点")
    assert "三、逐项目倒排时间表" not in brief and "schedule --detail" in brief
    # The 督办清单 names projects; ids are for the timelines.
    assert "南大街提升改造工程" in brief and "2026-cj-001" not in brief.split("二、")[0]
    result = runner.invoke(app, ["schedule", "--detail", "--ledger", str(ledger)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("督办清单") < out.index("集中开工/竣工节点") < out.index("逐项目倒排时间表")
    assert "城关街道" in out and "张建国" in out and "土地报批" in out and "逾期" in out
    assert "按包抓领导" in out
    assert "十一集中开工（2026-09-30）" in out and "难以按期" in out
    assert "落后" in out and "个工作日" in out
    assert "新能源电池产业园" in out and "竣工验收" in out
    assert "\x1b[" not in out  # no colour codes when piped
    assert max(cell_len(line) for line in out.splitlines()) <= 100


def test_json_has_exactly_the_spec_keys(ledger: Path) -> None:
    result = runner.invoke(app, ["schedule", "--ledger", str(ledger), "--month", "2026-08", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"month", "as_of", "warnings", "projects", "nodes"}
    assert (data["month"], data["as_of"]) == ("2026-08", "2026-08-31")
    road, park = sorted(data["projects"], key=lambda p: p["id"])
    for p in (road, park):
        assert set(p) == {"id", "name", "unit", "leader", "anchor", "anchor_date", "steps", "earliest",
                          "behind_workdays"}
        for s in p["steps"]:
            assert set(s) == {"name", "days", "after", "latest_start", "latest_finish", "done", "status"}
    assert (road["anchor"], road["anchor_date"]) == ("start", "2026-09-30")
    assert road["behind_workdays"] > 0 and road["earliest"] > "2026-09-30"
    assert (park["anchor"], park["anchor_date"], park["behind_workdays"]) == ("finish", "2026-12-20", 0)
    steps = {s["name"]: s for s in park["steps"]}
    assert steps["规划核实"]["done"] == "2026-08-01" and steps["规划核实"]["status"] == "done"
    assert steps["竣工验收"]["after"] == ["规划核实", "消防验收"] and steps["竣工验收"]["done"] is None
    assert data["nodes"][0]["name"] == "十一集中开工"
    assert data["nodes"][0]["projects"][0]["id"] == "2026-cj-001"


def test_calendar_warning_goes_to_stderr_and_into_json(ledger: Path) -> None:
    # The 城建 project's remaining steps run into 2027, which the bundled calendar lacks.
    result = runner.invoke(app, ["schedule", "--ledger", str(ledger), "--format", "json"])
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert len([w for w in warnings if "2027" in w and "节假日" in w]) == 1
    calendar_lines = [line for line in result.stderr.splitlines() if "节假日" in line]
    assert len(calendar_lines) == 1 and "2027" in calendar_lines[0] and cell_len(calendar_lines[0]) <= 80


def test_ids_select_projects_and_unknown_id_exits_1(ledger: Path) -> None:
    result = runner.invoke(app, ["schedule", "2026-cy-001", "--ledger", str(ledger), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [p["id"] for p in json.loads(result.stdout)["projects"]] == ["2026-cy-001"]
    result = runner.invoke(app, ["schedule", "2026-cj-01", "--ledger", str(ledger)])
    assert result.exit_code == 1
    assert "2026-cj-01" in result.stderr and "是不是“2026-cj-001”" in result.stderr
    assert "Traceback" not in result.output


def test_within_option(ledger: Path) -> None:
    def due_soon(within: str) -> int:
        result = runner.invoke(app, ["schedule", "--ledger", str(ledger), "--format", "json", "--within", within])
        assert result.exit_code == 0, result.output
        return sum(s["status"] == "due_soon" for p in json.loads(result.stdout)["projects"] for s in p["steps"])

    assert due_soon("0") <= due_soon("10") <= due_soon("60")
    assert due_soon("60") > due_soon("0")
    assert runner.invoke(app, ["schedule", "--ledger", str(ledger), "--within", "-1"]).exit_code == 2


def test_bad_month_is_usage_error(ledger: Path) -> None:
    result = runner.invoke(app, ["schedule", "--ledger", str(ledger), "--month", "2025-09"])
    assert result.exit_code == 2


def test_template_cycle_fails_check_and_schedule_with_file_line(ledger: Path) -> None:
    write(ledger, {
        "projledger.yaml": SETTINGS + "    procedures: my_procedures.yaml\n",
        "my_procedures.yaml": """
            产业:
              before_finish:
                - {name: 规划核实, days: 5, after: [竣工验收]}
                - {name: 竣工验收, days: 5, after: [规划核实]}
            城建:
              before_start:
                - {name: 立项, days: 5}
        """,
    })
    result = runner.invoke(app, ["check", "--ledger", str(ledger)])
    assert result.exit_code == 1
    assert "my_procedures.yaml:3: 产业.before_finish: 手续之间存在循环依赖" in result.output
    result = runner.invoke(app, ["schedule", "--ledger", str(ledger)])
    assert result.exit_code == 1 and "my_procedures.yaml:3" in result.output


def test_views_fit_100_columns_and_timeline_renders_alone(ledger: Path) -> None:
    loaded, _ = load_ledger(ledger)
    assert loaded is not None
    report = build_schedule(loaded, "2026-08")
    console = Console(width=100, record=True, color_system=None)
    console.print(schedule_view(report, "测试区", loaded.settings.units))
    for ps in report.projects:
        console.print(render_project_timeline(ps))
    text = console.export_text()
    assert max(cell_len(line) for line in text.splitlines()) <= 100
    assert "施工许可" in text and "最早办结" in text
