"""`status` and `show` as a user meets them: through the CLI on real ledger folders."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledgerkit import project, report, write_ledger
from projledger.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[1] / "ledgers" / "example"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    projects = [
        project("2026-cg-001", name="南大街提升改造工程", kind="新开工", unit="甲街道", leader="张建国",
                investment={"total": 38000, "annual_plan": 12000},
                planned={"start": "2026-04-30", "finish": "2027-10-31"}, actual={"start": "2026-05-12"},
                progress=[report("2026-08", 4000, "路基60%"), report("2026-09", 5200, "路基80%", problems=[
                    {"type": "拆迁", "text": "沿街商户3户未签约", "owner": "甲街道", "due": "2026-08-31"}])]),
        project("007", name="=HYPERLINK(\"x\")", unit="乙街道", investment={"total": 900, "annual_plan": 900},
                progress=[report("2026-08", 700, "装修")]),
    ]
    return write_ledger(tmp_path / "ledger", projects)


def invoke(*args: str) -> tuple[int, str]:
    """Run the CLI; returns the exit code and stdout+stderr as the user sees them."""
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def stdout(*args: str) -> str:
    """Run the CLI and return stdout only (machine-readable output)."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_status_table_defaults_to_latest_month(ledger: Path) -> None:
    code, output = invoke("status", "--ledger", str(ledger))
    assert code == 0, output
    assert "测试区2026年重点项目建设进展（截至9月底）" in output
    assert "时间进度 75.0%" in output
    assert "南大街提升改造工程" in output and "滞后" in output
    assert "本月未报（1 个）" in output


def test_status_by_leader_and_category(ledger: Path) -> None:
    for by in ("leader", "category", "level", "kind"):
        code, output = invoke("status", "--ledger", str(ledger), "--by", by)
        assert code == 0, output
    assert "张建国" in invoke("status", "--ledger", str(ledger), "--by", "leader")[1]


def test_status_json_matches_spec(ledger: Path) -> None:
    data = json.loads(stdout("status", "--ledger", str(ledger), "--format", "json", "--month", "2026-09"))
    assert data["ledger"] == {"district": "测试区", "year": 2026}
    assert data["totals"]["annual_plan"] == 12900 and data["totals"]["completed"] == 5900
    assert data["totals"]["completion_rate"] == pytest.approx(5900 / 12900)
    by_id = {p["id"]: p for p in data["projects"]}
    assert by_id["007"]["reported"] is False and by_id["007"]["completed"] == 700
    assert by_id["2026-cg-001"]["completion_rate"] == pytest.approx(5200 / 12000)
    assert [u["unit"] for u in data["units"]] == ["乙街道", "甲街道", "丙管委会"]
    assert [u["rank"] for u in data["units"]] == [1, 2, 3]
    assert data["units"][2]["completion_rate"] is None


def test_status_csv_has_bom_and_chinese(ledger: Path) -> None:
    output = stdout("status", "--ledger", str(ledger), "--format", "csv")
    assert output.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(output.lstrip("\ufeff"))))
    projects = {r["项目编号"]: r for r in rows if r["项目编号"]}
    assert set(projects) == {"2026-cg-001", "007"}
    road = projects["2026-cg-001"]
    assert road["项目名称"] == "南大街提升改造工程" and road["责任单位"] == "甲街道"
    assert road["投资完成率"] == "43.3%" and road["预警"] in ("红", "黄", "绿") and road["本月已报"] == "是"
    assert road["1-9月完成投资（万元）"] == "5200.00"
    assert projects["007"]["项目名称"].startswith("'=")  # never a live formula in a spreadsheet
    assert projects["007"]["本月已报"] == "否"
    # 合计 first, then each unit in rank order as a 小计 row followed by its projects.
    assert [r["分组（责任单位）"] for r in rows] == ["合计", "乙街道小计", "乙街道", "甲街道小计", "甲街道", "丙管委会小计"]
    assert rows[0]["投资完成率"] == f"{5900 / 12900:.1%}" and rows[0]["1-9月完成投资（万元）"] == "5900.00"
    assert [r["排名"] for r in rows if r["分组（责任单位）"].endswith("小计")] == ["1", "2", "3"]
    assert not any(re.fullmatch(r"\d+/\d+", v) for r in rows for v in r.values())  # Excel would read dates


def test_status_csv_honours_by(ledger: Path) -> None:
    output = stdout("status", "--ledger", str(ledger), "--format", "csv", "--by", "category")
    rows = list(csv.DictReader(io.StringIO(output.lstrip("\ufeff"))))
    assert "排名" not in rows[0]  # categories are not ranked
    groups = [r["分组（类别）"] for r in rows if r["分组（类别）"].endswith("小计")]
    assert groups and all(g[:-2] in ("产业", "城建", "服务业", "民生") for g in groups)
    output = stdout("status", "--ledger", str(ledger), "--format", "csv", "--by", "leader")
    rows = list(csv.DictReader(io.StringIO(output.lstrip("\ufeff"))))
    assert rows[1]["分组（包抓领导）"].endswith("小计") and rows[1]["排名"] == "1"


def test_bad_month_is_usage_error(ledger: Path) -> None:
    assert invoke("status", "--ledger", str(ledger), "--month", "2025-09")[0] == 2
    assert invoke("status", "--ledger", str(ledger), "--month", "2026-13")[0] == 2
    assert invoke("status", "--ledger", str(ledger), "--month", "九月")[0] == 2


def test_ledger_with_errors_exits_1_with_located_errors(ledger: Path) -> None:
    bad = ledger / "projects" / "007.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("annual_plan: 900", "annual_plan: -9"),
                   encoding="utf-8")
    code, output = invoke("status", "--ledger", str(ledger))
    assert code == 1
    assert "projects/007.yaml:" in output and "investment.annual_plan" in output


def test_no_ledger_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROJLEDGER_DIR", raising=False)
    code, output = invoke("status")
    assert code == 1 and "projledger.yaml" in output


def test_ledger_found_upward_and_from_env(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROJLEDGER_DIR", raising=False)
    monkeypatch.chdir(ledger / "projects")
    assert invoke("status")[0] == 0
    monkeypatch.chdir(ledger.parent)
    monkeypatch.setenv("PROJLEDGER_DIR", str(ledger))
    assert invoke("status", "--format", "json")[0] == 0


def test_show_project(ledger: Path) -> None:
    code, output = invoke("show", "2026-cg-001", "--ledger", str(ledger))
    assert code == 0, output
    assert "南大街提升改造工程" in output and "张建国" in output
    assert "月度趋势" in output and "2026-09" in output
    assert "沿街商户3户未签约" in output and "已逾期" in output


def test_show_unknown_project(ledger: Path) -> None:
    code, output = invoke("show", "nope", "--ledger", str(ledger))
    assert code == 1 and "nope" in output


@pytest.mark.skipif(not EXAMPLE.is_dir(), reason="example ledger not present")
def test_example_ledger_status_runs() -> None:
    code, output = invoke("status", "--ledger", str(EXAMPLE))
    assert code == 0, output
    data = json.loads(stdout("status", "--ledger", str(EXAMPLE), "--format", "json"))
    assert data["month"] == "2026-10"
    assert data["totals"]["projects"] >= 40
    assert sum(data["totals"][c] for c in ("red", "yellow", "green")) == data["totals"]["projects"]


@pytest.mark.skipif(not EXAMPLE.is_dir(), reason="example ledger not present")
def test_show_includes_reverse_schedule_timeline() -> None:
    code, output = invoke("show", "2026-cy-007", "--ledger", str(EXAMPLE))
    assert code == 0, output
    assert "施工许可" in output and "最迟办结" in output
