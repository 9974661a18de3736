"""The shipped example ledger: it passes `check`, shows every situation a meeting deals with, matches
its generator and its schema, and a copy with ten typical mistakes is reported line by line."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from projledger.cli import app
from projledger.ledger.load import load_ledger
from projledger.ledger.scaffold import project_schema

ROOT = Path(__file__).resolve().parents[1]


def test_check_passes_on_the_example(runner: CliRunner, example_root: Path) -> None:
    result = runner.invoke(app, ["check", "--ledger", str(example_root)])
    assert result.exit_code == 0, result.output
    # The one deliberate warning: a project that has done more than its annual plan.
    warnings = [line for line in result.output.splitlines() if ": 警告: " in line]
    assert len(warnings) == 1, result.output
    assert "2026-fw-010.yaml" in warnings[0] and "超过年度计划" in warnings[0]
    assert "已检查 51 个项目：0 个错误，1 条警告" in result.output


def test_example_covers_what_a_meeting_deals_with(example_root: Path) -> None:
    ledger, errors = load_ledger(example_root)
    assert ledger is not None and not [e for e in errors if e.is_error]
    s = ledger.settings
    projects = ledger.projects
    assert len(projects) >= 45
    assert len(s.units) >= 6
    assert {p.unit for p in projects} == set(s.units)
    assert {p.category for p in projects} == set(s.categories) == {"产业", "城建", "服务业", "民生"}
    assert {p.level for p in projects} == set(s.levels) == {"省重点", "市重点", "区重点"}
    assert [n.name for n in s.nodes] == ["五一集中开工", "半年观摩", "十一集中开工", "年底集中竣工"]
    as_of = date(2026, 10, 31)

    new = [p for p in projects if p.kind == "新开工"]
    started = [p for p in new if p.actual.start and p.actual.start <= as_of]
    overdue = [p for p in new if p.planned.start and p.planned.start <= as_of and p not in started]
    early = [p for p in started if p.planned.start and p.planned.start > as_of]
    before_plan = [p for p in started if p.planned.start and p.actual.start and p.actual.start < p.planned.start]
    assert len(overdue) >= 3 and len(early) >= 2 and len(before_plan) >= 5
    continuing = [p for p in projects if p.kind == "续建"]
    assert continuing and all(p.investment.before_year > 0 for p in continuing)
    assert all(p.actual.start and p.actual.start.year < 2026 for p in continuing)
    assert [p for p in projects if p.kind == "前期"]
    assert sum(p.investment.total >= 10000 for p in projects) >= 10
    assert min(p.investment.total for p in projects) <= 3000 and max(p.investment.total for p in projects) >= 100000

    unreported = [p for p in projects if not any(r.month == "2026-10" for r in p.progress)]
    assert len(unreported) == 4  # three running projects, and one finished in August that stopped reporting
    assert [p.id for p in unreported if p.actual.finish] == ["2026-ms-009"]
    monthly = [p for p in projects if p.investment.monthly_plan is not None]
    assert len(monthly) >= 3 and {p.kind for p in monthly} == {"新开工", "续建"}
    stalled = [p for p in projects if len(p.progress) >= 2 and p.progress[-1].month == "2026-10"
               and (p.progress[-1].completed, p.progress[-1].image) == (p.progress[-2].completed, p.progress[-2].image)]
    assert len(stalled) == 3
    lagging = [p for p in projects if p.investment.annual_plan and p.actual.start
               and p.progress and p.progress[-1].completed / p.investment.annual_plan < 0.633]
    assert len(lagging) >= 5

    problems = [q for p in projects for r in p.progress for q in r.problems]
    assert {q.type for q in problems} == {"拆迁", "融资", "土地", "手续", "环保"}
    assert any(q.resolved for q in problems)
    open_now = {(p.id, q.text) for p in projects for r in p.progress if r.month == "2026-10" for q in r.problems
                if q.resolved is None}
    assert open_now
    assert any(q.due and q.due < as_of and q.resolved is None for q in problems)
    assert sum(bool(p.procedures) for p in projects) == len(projects)
    assert any(d is None for p in projects for d in p.procedures.values())


def test_example_lights_are_fair(runner: CliRunner, example_root: Path) -> None:
    """The December new start is not red in October, the finished project that stopped reporting stays green,
    and projects with a monthly plan are measured against it (SPEC 2)."""
    result = runner.invoke(app, ["status", "--format", "json", "--ledger", str(example_root)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["month"] == "2026-10"
    rows = {p["id"]: p for p in data["projects"]}
    december = rows["2026-ms-005"]  # 新华街道社区综合服务中心, planned to start 2026-12-15
    assert (december["plan_to_date"], december["expected_rate"], december["achieved"]) == (0, 0, None)
    assert december["light"] == "green" and not december["due_to_start"]
    finished = rows["2026-ms-009"]  # 区第一高级中学新校区, finished 2026-08-25, last report in September
    assert finished["finished"] and not finished["reported"] and finished["light"] == "green"
    planned = rows["2026-cy-002"]  # monthly plan: 0, 0, 0, 2950, 3220, 3220, 2680, 2680, 3220, 3220, ...
    assert planned["plan_to_date"] == 2950 + 3220 * 2 + 2680 * 2 + 3220 * 2 == 21190
    assert data["totals"]["plan_to_date"] == pytest.approx(sum(p["plan_to_date"] for p in data["projects"]))


def test_example_files_are_named_after_their_ids_and_carry_the_schema_line(example_root: Path) -> None:
    for path in sorted((example_root / "projects").rglob("*.yaml")):
        text = path.read_text("utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../project.schema.json\n"), path
        assert f"\nid: {path.stem}\n" in text, path


def _load_generator() -> object:
    spec = importlib.util.spec_from_file_location("make_example_ledger", ROOT / "scripts" / "make_example_ledger.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_example_is_what_the_generator_writes(tmp_path: Path, example_root: Path) -> None:
    generator = _load_generator()
    generator.build(tmp_path)  # type: ignore[attr-defined]
    made = {p.relative_to(tmp_path).as_posix(): p.read_text("utf-8") for p in tmp_path.rglob("*") if p.is_file()}
    shipped = {p.relative_to(example_root).as_posix(): p.read_text("utf-8")
               for p in example_root.rglob("*") if p.is_file()}
    stale = sorted(k for k in made.keys() | shipped.keys() if made.get(k) != shipped.get(k))
    assert not stale, f"ledgers/example is out of date, run: python scripts/make_example_ledger.py ({stale[:5]})"


def _plain(value: object) -> object:
    """A YAML document as JSON would have it: dates become ISO text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def test_every_example_file_validates_against_the_schema(runner: CliRunner, example_root: Path) -> None:
    result = runner.invoke(app, ["schema", "--ledger", str(example_root)])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema == json.loads((example_root / "project.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    files = sorted((example_root / "projects").rglob("*.yaml"))
    assert len(files) >= 45
    for path in files:
        data = _plain(yaml.safe_load(path.read_text("utf-8")))
        problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
        assert not problems, f"{path.name}: {problems}"


def test_schema_rejects_what_check_rejects() -> None:
    validator = jsonschema.Draft202012Validator(project_schema(), format_checker=jsonschema.FormatChecker())
    good = {"id": "2026-cj-001", "name": "道路", "category": "城建", "level": "区重点", "kind": "新开工",
            "unit": "城关街道", "investment": {"total": 100, "annual_plan": 50}}
    assert not list(validator.iter_errors(good))
    bad_cases = [
        {**good, "anual_plan": 1},
        {**good, "investment": {"total": -1, "annual_plan": 50}},
        {**good, "investment": {"total": "100", "annual_plan": 50}},
        {**good, "kind": "新建"},
        {**good, "progress": [{"month": "2026-9", "completed": 1}]},
        {**good, "planned": {"start": "2026/10/1"}},
    ]
    for case in bad_cases:
        assert list(validator.iter_errors(case)), case


@pytest.mark.slow
def test_check_jsonschema_cli_accepts_the_example(example_root: Path) -> None:
    tool = shutil.which("check-jsonschema")
    if tool is None:
        pytest.skip("check-jsonschema not installed")
    import subprocess

    files = [str(p) for p in sorted((example_root / "projects").rglob("*.yaml"))]
    proc = subprocess.run([tool, "--schemafile", str(example_root / "project.schema.json"), *files],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- ten typical mistakes --------------------------------------------------------------------------

def _edit(path: Path, pattern: str, replacement: str) -> int:
    """Replace the first line matching `pattern` (a regex over the whole line); its 1-based number."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if re.fullmatch(pattern, line.rstrip("\n")):
            lines[i] = re.sub(pattern, replacement, line.rstrip("\n")) + "\n"
            path.write_text("".join(lines), "utf-8")
            return i + 1
    raise AssertionError(f"{pattern!r} not found in {path}")


def _line_of(path: Path, pattern: str) -> int:
    for i, line in enumerate(path.read_text("utf-8").splitlines()):
        if re.fullmatch(pattern, line):
            return i + 1
    raise AssertionError(f"{pattern!r} not found in {path}")


def test_ten_mistakes_are_reported_at_their_lines(runner: CliRunner, example_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    shutil.copytree(example_root, root)
    p = root / "projects"
    expected: list[tuple[str, int, str]] = []

    def file(unit: str, pid: str) -> tuple[Path, str]:
        return p / unit / f"{pid}.yaml", f"projects/{unit}/{pid}.yaml"

    # 1. a type error: money written with a unit
    f, rel = file("产业集聚区管委会", "2026-cy-001")
    expected.append((rel, _edit(f, r"  total: \d+", "  total: 12亿"), "investment.total: “12亿”不是金额数字"))
    # 2. a unit projledger.yaml does not declare
    f, rel = file("东城街道", "2026-cj-002")
    expected.append((rel, _edit(f, r"unit: 东城街道", "unit: 东城镇"), "unit: 责任单位“东城镇”不在 projledger.yaml 的 units 中"))
    # 3. the same id in two files (the copy sits in another folder under the same name)
    f, rel = file("区教体局", "2026-ms-009")
    (p / "归档").mkdir()
    shutil.copy(f, p / "归档" / f.name)
    id_line = _line_of(f, r"id: 2026-ms-009")
    expected.append((rel, id_line, "项目编号“2026-ms-009”重复，另见 projects/归档/2026-ms-009.yaml"))
    expected.append(("projects/归档/2026-ms-009.yaml", id_line, f"项目编号“2026-ms-009”重复，另见 {rel}"))
    # 4. negative money
    f, rel = file("区住建局", "2026-cj-010")
    expected.append((rel, _edit(f, r"  before_year: \d+", "  before_year: -100"), "investment.before_year: 不能小于 0"))
    # 5. a month without its leading zero
    f, rel = file("新华街道", "2026-cj-007")
    expected.append((rel, _edit(f, r"  - month: 2026-09", "  - month: 2026-9"),
                     "progress[8].month: “2026-9”不是月份；月份请写作 YYYY-MM"))
    # 6. a misspelt key: reported with the suggestion, and the real key is then missing (at its parent key)
    f, rel = file("商务中心区管委会", "2026-fw-004")
    expected.append((rel, _edit(f, r"  annual_plan: (\d+)", r"  anual_plan: \1"), "未知字段“anual_plan”，是不是“annual_plan”？"))
    expected.append((rel, _line_of(f, r"investment:"), "investment.annual_plan: 缺少必填字段"))
    # 7. a date written with slashes
    f, rel = file("城关街道", "2026-cj-004")
    expected.append((rel, _edit(f, r"  立项: [\d-]+", "  立项: 2026/10/1"), "procedures.立项: “2026/10/1”不是日期"))
    # 8. year-to-date completed going down
    f, rel = file("区交通局", "2026-cj-015")
    october = _line_of(f, r"  - month: 2026-10") + 1
    assert _edit(f, r"    completed: 21440", "    completed: 2144") == october
    expected.append((rel, october, "progress[9].completed: 2026-10 累计完成 2144 少于 2026-09 的 18760"))
    # 9. finished before it started
    f, rel = file("产业集聚区管委会", "2026-cy-004")
    expected.append((rel, _edit(f, r"actual: \{start: (2025-[\d-]+), finish: null\}", r"actual: {start: \1, finish: 2025-01-02}"),
                     "actual.finish: 完工日期 2025-01-02 早于开工日期"))
    # 10. a file renamed without changing its id
    f, _ = file("区教体局", "2026-ms-010")
    f.rename(f.with_name("2026-ms-010-旧.yaml"))
    expected.append(("projects/区教体局/2026-ms-010-旧.yaml", _line_of(f.with_name("2026-ms-010-旧.yaml"), r"id: 2026-ms-010"),
                     "文件名“2026-ms-010-旧”与项目编号“2026-ms-010”不一致"))

    result = runner.invoke(app, ["check", "--ledger", str(root)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    reported = [line for line in result.output.splitlines() if re.match(r"^projects/.+:\d+: ", line) and "警告" not in line]
    assert len(reported) == len(expected), "\n".join(reported)
    for rel, line, fragment in expected:
        matches = [r for r in reported if r.startswith(f"{rel}:{line}: ") and fragment in r]
        assert len(matches) == 1, f"{rel}:{line}: {fragment}\n---\n" + "\n".join(reported)
    assert f"{len(expected)} 个错误" in result.output
