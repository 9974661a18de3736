"""Values that would reach a terminal raw, and ids that are the same to a reader, are located errors."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ledgerkit import project, write_ledger
from projledger.cli import app


def check(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check", "--ledger", str(root)])
    return result.exit_code, result.output


def test_yaml_escaped_control_characters_are_errors_at_their_line(tmp_path: Path) -> None:
    root = write_ledger(tmp_path, [project("c1")])
    path = root / "projects" / "c1.yaml"
    text = path.read_text(encoding="utf-8").replace("name: 项目c1", 'name: "坏\\e[2J名\\0字\\u202e"')
    path.write_text(text, encoding="utf-8")
    code, output = check(root)
    assert code == 1
    line = next(x for x in output.splitlines() if "控制字符" in x)
    number = int(line.split(":")[1])
    assert text.splitlines()[number - 1].startswith("name:")
    assert "\x1b" not in output and "\x00" not in output and "\\x1b" in line


def test_ids_differing_only_in_case_or_width_are_duplicates(tmp_path: Path) -> None:
    root = write_ledger(tmp_path, [project("2026-cj-001"), project("2026-CJ-001"), project("２０２６-cj-002"),
                                   project("2026-cj-002")])
    code, output = check(root)
    assert code == 1
    assert sum("重复" in x for x in output.splitlines()) == 4, output


def test_thousands_of_unknown_keys_are_each_placed_at_their_own_line(tmp_path: Path) -> None:
    # Each mapping is indexed once per file, so placing every error stays linear (it was a scan per error).
    root = write_ledger(tmp_path, [project("k1")])
    path = root / "projects" / "k1.yaml"
    base = path.read_text(encoding="utf-8")
    path.write_text(base + "".join(f"bogus{i}: {i}\n" for i in range(5000)), encoding="utf-8")
    code, output = check(root)
    first = len(base.splitlines()) + 1
    assert code == 1
    assert f"projects/k1.yaml:{first}: bogus0:" in output
    assert f"projects/k1.yaml:{first + 4999}: bogus4999:" in output


def test_merge_conflict_markers_are_named_at_their_line_even_inside_a_quoted_value(tmp_path: Path) -> None:
    root = write_ledger(tmp_path, [project("m1"), project("m2")])
    plain = root / "projects" / "m1.yaml"
    lines = plain.read_text(encoding="utf-8").splitlines()
    lines[1:1] = ["<<<<<<< HEAD", "name: 甲", "=======", "name: 乙", ">>>>>>> feature"]
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    quoted = root / "projects" / "m2.yaml"
    quoted.write_text(quoted.read_text(encoding="utf-8").replace(
        "name: 项目m2", 'name: "项目\n<<<<<<< HEAD\n甲\n=======\n乙\n>>>>>>> feature\n"'), encoding="utf-8")
    code, output = check(root)
    assert code == 1
    assert "projects/m1.yaml:2: 文件中有未解决的 git 合并冲突" in output
    assert "projects/m2.yaml:3: 文件中有未解决的 git 合并冲突" in output


def test_blank_or_repeated_units_are_errors(tmp_path: Path) -> None:
    for units, message in ((["甲街道", "", "乙街道", "丙管委会"], "第 2 项是空的"),
                           (["甲街道", "甲街道", "乙街道", "丙管委会"], "“甲街道”写了不止一次")):
        root = write_ledger(tmp_path / message[:3], [project("u1")], units=units)
        code, output = check(root)
        assert code == 1 and "projledger.yaml:" in output and message in output, output


def test_a_plan_above_the_total_is_a_warning_at_its_line(tmp_path: Path) -> None:
    root = write_ledger(tmp_path, [project("t1", investment={"total": 1000, "annual_plan": 1200, "before_year": 1500})])
    code, output = check(root)
    assert code == 0
    assert "investment.annual_plan: 年度计划投资 1200 超过总投资 1000" in output
    assert "investment.before_year: 截至上年底累计完成投资 1500 超过总投资 1000" in output
