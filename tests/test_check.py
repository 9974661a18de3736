"""One test per cross-file check: a tiny ledger typed inline that trips it, and where it points."""

from __future__ import annotations

import textwrap
from pathlib import Path

from typer.testing import CliRunner

from projledger.cli import app
from projledger.ledger import checks
from projledger.ledger.errors import LedgerError
from projledger.ledger.load import load_ledger
from projledger.ledger.loader import Ledger

SETTINGS = """\
district: 测试区
year: 2026
units: [甲街道, 乙街道]
categories: [产业, 城建]
levels: [省重点, 区重点]
"""

# Line numbers in the tests below count from this text: id is line 1, investment.total line 8 ...
PROJECT = """\
id: {pid}
name: 测试项目
category: 产业
level: 区重点
kind: 续建
unit: 甲街道
investment:
  total: 10000
  annual_plan: 1000
  before_year: 0
planned: {{start: 2025-03-01, finish: 2027-12-31}}
actual: {{start: 2025-03-10, finish: null}}
progress:
  - month: 2026-01
    completed: 100
  - month: 2026-02
    completed: 200
"""


def ledger_of(tmp_path: Path, files: dict[str, str], settings: str = SETTINGS) -> Ledger:
    """Write the files under tmp_path and load them without running the checks."""
    (tmp_path / "projledger.yaml").write_text(settings, "utf-8")
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
    ledger, errors = load_ledger(tmp_path, run_checks=False)
    assert ledger is not None and errors == [], errors
    return ledger


def project(pid: str = "p1", **replace: str) -> str:
    text = PROJECT.format(pid=pid)
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def only(errors: list[LedgerError]) -> LedgerError:
    assert len(errors) == 1, errors
    return errors[0]


def test_the_base_project_passes_every_check(tmp_path: Path) -> None:
    ledger = ledger_of(tmp_path, {"projects/p1.yaml": project()})
    assert checks.run_checks(ledger) == []


def test_check_duplicate_ids(tmp_path: Path) -> None:
    ledger = ledger_of(tmp_path, {"projects/甲/p1.yaml": project(), "projects/乙/p1.yaml": project()})
    errors = sorted(checks.check_duplicate_ids(ledger))
    assert [(e.path, e.line, e.message) for e in errors] == [
        ("projects/乙/p1.yaml", 1, "项目编号“p1”重复，另见 projects/甲/p1.yaml"),
        ("projects/甲/p1.yaml", 1, "项目编号“p1”重复，另见 projects/乙/p1.yaml"),
    ]


def test_check_file_name(tmp_path: Path) -> None:
    ledger = ledger_of(tmp_path, {"projects/南大街.yaml": project("2026-cj-001")})
    e = only(checks.check_file_name(ledger))
    assert (e.path, e.line) == ("projects/南大街.yaml", 1)
    assert e.message == "文件名“南大街”与项目编号“2026-cj-001”不一致，请将文件改名为 2026-cj-001.yaml"


def test_declared_values_are_checked_with_the_file(tmp_path: Path) -> None:
    text = project(**{"unit: 甲街道": "unit: 丙街道", "level: 区重点": "level: 市重点"})
    (tmp_path / "projledger.yaml").write_text(SETTINGS, "utf-8")
    (tmp_path / "projects").mkdir()
    (tmp_path / "projects" / "p1.yaml").write_text(textwrap.dedent(text), "utf-8")
    _, found = load_ledger(tmp_path)
    errors = sorted(found, key=lambda e: e.line or 0)
    assert [(e.path, e.line, e.message) for e in errors] == [
        ("projects/p1.yaml", 4, "level: 级别“市重点”不在 projledger.yaml 的 levels 中（可选：省重点、区重点）"),
        ("projects/p1.yaml", 6, "unit: 责任单位“丙街道”不在 projledger.yaml 的 units 中（可选：甲街道、乙街道）"),
    ]
    assert all(e.is_error for e in errors)


def test_check_dates(tmp_path: Path) -> None:
    ledger = ledger_of(tmp_path, {"projects/p1.yaml": project(**{"finish: null": "finish: 2025-01-31"})})
    e = only(checks.check_dates(ledger))
    assert (e.path, e.line, e.field) == ("projects/p1.yaml", 12, "actual.finish")
    assert e.message == "actual.finish: 完工日期 2025-01-31 早于开工日期 2025-03-10"


def test_check_progress_months(tmp_path: Path) -> None:
    text = project(**{"month: 2026-02": "month: 2026-01"}) + "  - month: 2025-12\n    completed: 300\n"
    ledger = ledger_of(tmp_path, {"projects/p1.yaml": text})
    errors = sorted(checks.check_progress_months(ledger), key=lambda e: e.line or 0)
    assert [(e.line, e.message, e.severity) for e in errors] == [
        (16, "progress[1].month: 2026-01 重复填报", "error"),
        (18, "progress[2].month: 2025-12 不在台账年度 2026 内，计算时不计", "warning"),
    ]


def test_check_completed_never_decreases(tmp_path: Path) -> None:
    ledger = ledger_of(tmp_path, {"projects/p1.yaml": project(**{"completed: 200": "completed: 50"})})
    e = only(checks.check_completed_never_decreases(ledger))
    assert (e.path, e.line, e.field) == ("projects/p1.yaml", 17, "progress[1].completed")
    assert e.message == ("progress[1].completed: 2026-02 累计完成 50 少于 2026-01 的 100；"
                         "completed 是 1-M 月累计数，不能减少")


def test_check_completed_never_decreases_follows_months_not_file_order(tmp_path: Path) -> None:
    swapped = project(**{"month: 2026-01": "month: 2026-03"})  # 03: 100, then 02: 200
    e = only(checks.check_completed_never_decreases(ledger_of(tmp_path, {"projects/p1.yaml": swapped})))
    assert e.line == 15 and "2026-03 累计完成 100 少于 2026-02 的 200" in e.message


def test_check_completed_within_plan(tmp_path: Path) -> None:
    ledger = ledger_of(tmp_path, {"projects/p1.yaml": project(**{"completed: 200": "completed: 1200.5"})})
    e = only(checks.check_completed_within_plan(ledger))
    assert (e.path, e.line, e.severity) == ("projects/p1.yaml", 17, "warning")
    assert e.message == "progress[1].completed: 2026-02 累计完成 1200.5 超过年度计划 1000"


def test_check_cumulative_within_total(tmp_path: Path) -> None:
    ledger = ledger_of(tmp_path, {"projects/p1.yaml": project(**{"before_year: 0": "before_year: 9950"})})
    e = only(checks.check_cumulative_within_total(ledger))  # reported once, at the first month over
    assert (e.path, e.line, e.severity) == ("projects/p1.yaml", 15, "warning")
    assert e.message == "progress[0].completed: 开工以来累计 10050 超过总投资 10000"


def test_check_progress_before_start(tmp_path: Path) -> None:
    ledger = ledger_of(tmp_path, {"projects/p1.yaml": project(**{
        "kind: 续建": "kind: 新开工", "start: 2025-03-10": "start: 2026-02-15", "start: 2025-03-01": "start: 2026-02-01"})})
    e = only(checks.check_progress_before_start(ledger))
    assert (e.path, e.line, e.severity) == ("projects/p1.yaml", 14, "warning")
    assert e.message == "progress[0]: 2026-01 已填报完成投资 100，但实际开工日期为 2026-02-15"


def test_check_progress_before_start_without_a_start_date(tmp_path: Path) -> None:
    ledger = ledger_of(tmp_path, {"projects/p1.yaml": project(**{"start: 2025-03-10": "start: null"})})
    e = only(checks.check_progress_before_start(ledger))
    assert e.line == 14 and e.message.endswith("但尚未填写实际开工日期")


def test_check_nodes_in_year(tmp_path: Path) -> None:
    settings = SETTINGS + "nodes:\n  - {name: 五一集中开工, date: 2026-04-30}\n  - {name: 十一集中开工, date: 2025-09-30}\n"
    ledger = ledger_of(tmp_path, {"projects/p1.yaml": project()}, settings)
    e = only(checks.check_nodes_in_year(ledger))
    assert (e.path, e.line, e.severity) == ("projledger.yaml", 8, "warning")
    assert e.message == "nodes[1]: 节点“十一集中开工”日期 2025-09-30 不在 2026 年"


def test_every_check_is_listed_once() -> None:
    named = {name for name in dir(checks) if name.startswith("check_")}
    assert {c.__name__ for c in checks.CHECKS} >= named
    assert len(set(checks.CHECKS)) == len(checks.CHECKS)


def test_check_command_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    ledger_of(tmp_path, {"projects/p1.yaml": project(**{"completed: 200": "completed: 1200"})})
    result = runner.invoke(app, ["check", "--ledger", str(tmp_path)])
    assert result.exit_code == 0, result.output  # warnings alone do not fail
    assert "projects/p1.yaml:17: 警告: progress[1].completed: 2026-02 累计完成 1200 超过年度计划 1000" in result.output
    (tmp_path / "projects" / "p1.yaml").write_text(project(**{"unit: 甲街道": "unit: 丙街道"}), "utf-8")
    result = runner.invoke(app, ["check", "--ledger", str(tmp_path)])
    assert result.exit_code == 1
    assert "projects/p1.yaml:6: unit: 责任单位“丙街道”不在" in result.output
    assert "已检查 1 个项目文件（0 个通过校验）：1 个错误，0 条警告" in result.output


def test_check_without_a_ledger_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--ledger", str(tmp_path / "无")])
    assert result.exit_code == 1
    assert "不是台账目录" in result.output and "Traceback" not in result.output


def test_a_settings_error_does_not_hide_the_project_errors(tmp_path: Path, example_root: Path) -> None:
    import shutil

    root = tmp_path / "example"
    shutil.copytree(example_root, root)
    settings = root / "projledger.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("year: 2026", "year: 二〇二六", 1), encoding="utf-8")
    project = sorted((root / "projects").rglob("*.yaml"))[0]
    text = project.read_text(encoding="utf-8")
    total_line = next(i for i, line in enumerate(text.splitlines(), 1) if line.strip().startswith("total:"))
    project.write_text(text.replace("total:", "total: -", 1).replace("total: - ", "total: -", 1), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--ledger", str(root)])
    assert result.exit_code == 1
    assert "projledger.yaml:" in result.output and "year" in result.output
    rel = project.relative_to(root).as_posix()
    assert f"{rel}:{total_line}:" in result.output, result.output
    assert "projledger.yaml 有错误" in result.output
