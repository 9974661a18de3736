"""`brief`: the bulletin's sentences, pinned against the `status --format json` figures."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ledgerkit import project, report, write_ledger
from projledger.cli import app

EXAMPLE = Path(__file__).resolve().parents[1] / "ledgers" / "example"
LATE = {"type": "拆迁", "text": "3户未签约", "owner": "丙管委会", "due": "2026-08-31"}


def run(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def brief(*args: str) -> str:
    result = run("brief", *args)
    assert result.exit_code == 0, result.output
    text: str = result.stdout
    return text


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path / "ledger", [
        project("2026-xj-001", name="南大街提升改造工程", kind="新开工", unit="甲街道", leader="张建国",
                investment={"total": 38000, "annual_plan": 12000},
                planned={"start": "2026-04-30", "finish": "2027-10-31"}, actual={"start": "2026-05-12"},
                progress=[report("2026-09", 5200, "路基80%")]),
        project("2026-xj-002", name="城中村改造项目", unit="乙街道", investment={"total": 20000, "annual_plan": 8000},
                progress=[report("2026-09", 7000, "主体封顶")]),
        project("2026-xj-003", name="电子信息产业孵化园", kind="新开工", unit="丙管委会", leader="王海涛",
                investment={"total": 15000, "annual_plan": 5000}, planned={"start": "2026-08-01", "finish": None},
                progress=[report("2026-09", 0, "未开工", problems=[LATE])]),
        project("2026-xj-004", name="智能制造产业园", kind="新开工", unit="乙街道",
                investment={"total": 9000, "annual_plan": 3000},
                planned={"start": "2026-11-01", "finish": None}, actual={"start": "2026-09-10"},
                progress=[report("2026-09", 2000, "厂房基础")]),
        project("2026-xj-005", name="物流园二期", kind="前期", unit="甲街道", investment={"total": 6000, "annual_plan": 0}),
    ])


def test_headline_pinned_against_status(ledger: Path) -> None:
    status = json.loads(run("status", "--ledger", str(ledger), "--format", "json").stdout)
    t = status["totals"]
    assert (t["projects"], t["completed"], t["annual_plan"]) == (5, 14200, 28000)
    assert round(t["completion_rate"] * 100, 1) == 50.7
    assert round((t["completion_rate"] - status["time_progress"]) * 100, 1) == -24.3
    assert (t["new_starts"], t["due_to_start"], t["started"], t["early_starts"]) == (3, 2, 2, 1)
    assert round(t["start_rate"] * 100, 1) == 66.7
    text = brief("--ledger", str(ledger))
    assert text.startswith("# 关于2026年1-9月测试区重点项目建设进展情况的通报\n")
    assert (
        "1-9月，全区5个重点项目累计完成投资1.42亿元，占年度投资计划的50.7%，低于时间进度24.3个百分点。"
        "本年度计划开工项目3项（其中1-9月份计划新开工2项），目前实际已开工2项（提前开工1项），"
        "完成年度计划开工的66.7%，未按计划开工1项。\n"
    ) in text


def test_by_kind_units_red_and_overdue(ledger: Path) -> None:
    text = brief("--ledger", str(ledger), "--month", "2026-09")
    assert ("1个续建项目完成投资0.70亿元，投资完成率87.5%，超序时进度12.5个百分点；"
            "3个计划开工项目完成投资0.72亿元，投资完成率36.0%，低于序时进度39.0个百分点，已开工2项，开工率66.7%；"
            "1个加快前期项目无年度投资计划。") in text
    assert "排名前一位的是乙街道（81.8%）；排名后一位的是丙管委会（0.0%）。" in text
    assert "| 1 | 乙街道 | 2 | 1.10 | 0.90 | 81.8% | +6.8 | 1/1 | 100.0% |" in text
    assert "电子信息产业孵化园（丙管委会，包抓领导王海涛）：低于序时计划40.0个百分点，逾期未开工60天。" in text
    assert "电子信息产业孵化园（丙管委会，包抓领导王海涛）：拆迁问题“3户未签约”，责任单位丙管委会，时限8月31日，已逾期30天。" in text
    assert "## 三、前期手续倒排逾期情况" in text and "应于" in text


@pytest.mark.parametrize(("completed", "words"), [
    (900, "0.09亿元，占年度投资计划的90.0%，超过时间进度15.0个百分点。"),
    (750, "0.08亿元，占年度投资计划的75.0%，与时间进度持平。"),  # 0.075 rounds half up
    (600, "0.06亿元，占年度投资计划的60.0%，低于时间进度15.0个百分点。"),
])
def test_ahead_or_behind_by_sign(tmp_path: Path, completed: int, words: str) -> None:
    root = write_ledger(tmp_path / "l", [project("2026-xj-001", investment={"total": 90000, "annual_plan": 1000},
                                                 progress=[report("2026-09", completed)])], district="示例县")
    text = brief("--ledger", str(root))
    assert f"1-9月，全县1个重点项目累计完成投资{words}" in text
    assert "本年度计划开工项目" not in text  # no new starts: no start sentence


def test_yi_amounts_round_half_up(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", [project("2026-xj-001", investment={"total": 90000, "annual_plan": 900000},
                                                 progress=[report("2026-01", "629050")])])
    text = brief("--ledger", str(root))
    assert text.split("\n\n")[1].startswith("1月，全区1个重点项目累计完成投资62.91亿元，占年度投资计划的69.9%")


def test_output_file_and_own_template(ledger: Path, tmp_path: Path) -> None:
    target = tmp_path / "10月通报.md"
    result = run("brief", "--ledger", str(ledger), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == brief("--ledger", str(ledger))

    (ledger / "templates").mkdir()
    (ledger / "templates" / "brief.md.j2").write_text(
        "{{ district }}{{ months }}：{{ totals.completed | yi }}亿元，{{ totals.gap | versus }}\n", encoding="utf-8")
    assert brief("--ledger", str(ledger)) == "测试区1-9月：1.42亿元，低于时间进度24.3个百分点\n"

    (ledger / "templates" / "brief.md.j2").write_text("第一行\n{% if %}\n", encoding="utf-8")
    bad = run("brief", "--ledger", str(ledger))
    assert bad.exit_code == 1
    assert "templates/brief.md.j2:2: 通报模板语法错误" in bad.output


def test_since_adds_what_changed(ledger: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=ledger, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.name", "项目办")
    git("config", "user.email", "xmb@example.org")
    git("config", "commit.gpgsign", "false")
    git("add", "-A")
    git("commit", "-q", "-m", "9月")
    git("tag", "meeting-2026-09")
    path = ledger / "projects" / "2026-xj-002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("completed: 7000", "completed: 7500"), encoding="utf-8")
    text = brief("--ledger", str(ledger), "--since", "meeting-2026-09")
    assert "## 五、与meeting-2026-09相比\n\n- 较meeting-2026-09时（2026年1-9月）新增完成投资0.05亿元。\n" in text
    assert run("brief", "--ledger", str(ledger), "--since", "nope").exit_code == 2


@pytest.mark.skipif(not (EXAMPLE / "projledger.yaml").is_file(), reason="example ledger not present")
def test_example_reads_like_a_bulletin() -> None:
    text = brief("--ledger", str(EXAMPLE))
    print(text)
    head = text.split("\n\n")[1]
    assert head.startswith("1-") and "个重点项目累计完成投资" in head and "亿元，占年度投资计划的" in head
    assert "本年度计划开工项目" in head and "完成年度计划开工的" in head
    for section in ("## 一、各责任单位进展情况", "## 二、红灯预警项目", "排名前三位的是"):
        assert section in text
    assert "None" not in text and "{{" not in text and "\n\n\n" not in text
