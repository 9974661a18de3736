"""`brief` as Markdown: the bulletin's sentences, pinned against the `status --format json` figures."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from briefkit import statements, unit_rows
from ledgerkit import project, report, write_ledger
from projledger.cli import app

EXAMPLE = Path(__file__).resolve().parents[1] / "ledgers" / "example"
LATE = {"type": "拆迁", "text": "3户未签约", "owner": "丙管委会", "due": "2026-08-31"}
SIGNED = ("--date", "2026-11-05")


def run(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def brief(*args: str) -> str:
    result = run("brief", *SIGNED, *args)
    assert result.exit_code == 0, result.output
    text: str = result.stdout
    return text


def status(root: Path, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run("status", "--ledger", str(root), "--format", "json", *args).stdout)
    return data


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


def test_document_parts_in_order(ledger: Path) -> None:
    text = brief("--ledger", str(ledger))
    assert text.startswith("# 关于2026年1-9月测试区重点项目建设进展情况的通报\n\n各责任单位：\n\n")
    assert "现将2026年1-9月全区重点项目建设进展情况通报如下：" in text
    heads = ["## 一、总体情况", "## 二、各责任单位推进情况", "## 三、预警情况", "## 四、前期手续倒排情况",
             "## 五、存在问题", "## 六、未报送和停滞项目", "## 七、表扬和通报批评", "## 八、下步工作要求",
             "附件：测试区2026年9月重点项目调度表"]
    positions = [text.index(h) for h in heads]
    assert positions == sorted(positions)
    assert text.endswith("\n\n测试区重点项目建设指挥部办公室\n\n2026年11月5日\n")
    assert "None" not in text and "{{" not in text and "\n\n\n" not in text


def test_headline_pinned_against_status(ledger: Path) -> None:
    s = status(ledger)
    t = s["totals"]
    assert (t["projects"], t["completed"], t["annual_plan"], t["total"]) == (5, 14200, 28000, 88000)
    text = brief("--ledger", str(ledger))
    assert ("全区共有重点项目5个，总投资8.80亿元，年度计划投资2.80亿元；1-9月累计完成投资1.42亿元，"
            "占年度计划的50.7%，低于时间进度24.3个百分点，完成1-9月计划的88.8%。") in text
    assert ("本年度计划新开工项目3个，其中1-9月计划开工2个，已开工1个，序时开工率50.0%，未按计划开工1个；"
            "另有1个项目提前开工；全年已开工2个，开工率66.7%。"
            "未按计划开工的是：电子信息产业孵化园（丙管委会，逾期60天）。") in text
    for phrase in statements(s):
        assert phrase in text, phrase


def test_units_levels_and_lists(ledger: Path) -> None:
    text = brief("--ledger", str(ledger), "--month", "2026-09")
    assert "从项目级别看，区重点项目5个，完成投资1.42亿元，占年度计划的50.7%，低于时间进度24.3个百分点。" in text
    assert "投资完成率排名第一的是乙街道（81.8%）；排名最后的是丙管委会（0.0%）。" in text
    for row in unit_rows(status(ledger)):
        assert "| " + " | ".join(row) + " |" in text
    assert "| 1 | 乙街道 | 2 | 1.10 | 0.90 | 81.8% | +6.8 | 150.0% | 1/1 |" in text
    assert "本月红灯项目2个，没有黄灯项目。" in text
    assert ("1. 南大街提升改造工程（甲街道，包抓领导张建国）：低于序时计划23.3个百分点。\n"
            "2. 电子信息产业孵化园（丙管委会，包抓领导王海涛）：低于序时计划40.0个百分点，逾期未开工60天。") in text
    assert ("1. 电子信息产业孵化园（丙管委会，包抓领导王海涛）：拆迁问题“3户未签约”，责任单位丙管委会，"
            "办结时限8月31日，已逾期30天。") in text
    assert "## 四、前期手续倒排情况\n\n以下" in text and "工作日" not in text


def test_nothing_due_yet_reads_sensibly(tmp_path: Path) -> None:
    """A new ledger in January: no 0.0% start rate, no ranking of units without projects."""
    root = write_ledger(tmp_path / "l", [
        project("2026-xj-001", kind="新开工", unit="甲街道", planned={"start": "2026-06-01", "finish": "2026-12-20"},
                investment={"total": 9000, "annual_plan": 3000}),
        project("2026-xj-002", kind="新开工", unit="乙街道", planned={"start": "2026-07-01", "finish": None},
                investment={"total": 9000, "annual_plan": 3000}),
    ])
    text = brief("--ledger", str(root))
    prose = "\n".join(line for line in text.splitlines() if not line.startswith("|"))
    assert "0.0%" not in prose and "0.00亿元" not in prose
    assert "本年度计划新开工项目2个，均未到计划开工时间。" in text
    assert "1月尚未完成投资" in text
    assert "各责任单位尚未完成投资，暂不排名。" in text
    assert "| 丙管委会 |" not in text and "丙管委会本年度没有重点项目，未列入" in text


def test_ties_are_said_as_ties(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", [
        project("2026-xj-001", unit="甲街道", progress=[report("2026-09", 800)]),
        project("2026-xj-002", unit="乙街道", progress=[report("2026-09", 800)]),
        project("2026-xj-003", unit="丙管委会", progress=[report("2026-09", 500)]),
        project("2026-xj-004", unit="丁局", progress=[report("2026-09", 100)]),
    ], units=["甲街道", "乙街道", "丙管委会", "丁局"])
    text = brief("--ledger", str(root))
    assert ("投资完成率排名前两位的是甲街道、乙街道（并列，均为80.0%）；排名后两位的是丙管委会（50.0%）、丁局（10.0%）。"
            in text)


def test_lists_follow_unit_order_then_severity(tmp_path: Path) -> None:
    """projledger.yaml says 乙 before 甲: every list of projects follows that order, the worst first within a unit."""
    root = write_ledger(tmp_path / "l", [
        project("2026-xj-001", name="甲一", unit="甲街道", progress=[report("2026-09", 100)]),
        project("2026-xj-002", name="乙轻", unit="乙街道", progress=[report("2026-09", 400)]),
        project("2026-xj-003", name="乙重", unit="乙街道", progress=[report("2026-09", 50)]),
    ], units=["乙街道", "甲街道"])
    text = brief("--ledger", str(root))
    red = text.split("### （一）红灯项目")[1].split("##")[0]
    assert red.index("乙重") < red.index("乙轻") < red.index("甲一")


def test_lag_in_days_or_months(ledger: Path) -> None:
    text = brief("--ledger", str(ledger))
    overdue = text.split("## 四、")[1].split("## 五、")[0]
    assert "按现有进度开工将滞后" in overdue
    assert "工作日" not in overdue
    assert any(f"滞后{n}天" in overdue for n in range(1, 60)) or "滞后约" in overdue


def test_office_text_from_the_ledger(ledger: Path) -> None:
    (ledger / "templates").mkdir()
    (ledger / "templates" / "requirements.md").write_text(
        "（一）加快项目开工。未开工项目11月底前全部开工。\n\n- 各单位每月25日前报送进展。\n", encoding="utf-8")
    (ledger / "templates" / "praise.md").write_text("对乙街道予以表扬。\n", encoding="utf-8")
    text = brief("--ledger", str(ledger), "--issuer", "测试区发展和改革委员会", "--to", "各街道、管委会")
    assert "\n各街道、管委会：\n" in text
    assert "**（一）加快项目开工。**未开工项目11月底前全部开工。\n\n各单位每月25日前报送进展。" in text
    assert "## 七、表扬和通报批评\n\n对乙街道予以表扬。" in text
    assert text.endswith("测试区发展和改革委员会\n\n2026年11月5日\n")


def test_settings_give_issuer_and_addressees(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", [project("2026-xj-001", progress=[report("2026-09", 500)])],
                        bulletin={"issuer": "测试区重点项目办", "to": "各街道办事处：", "cc": "区委办公室"})
    text = brief("--ledger", str(root))
    assert "\n各街道办事处：\n" in text and "：：" not in text
    assert "测试区重点项目办\n\n2026年11月5日\n" in text and "抄送：区委办公室。" in text


def test_output_file_and_own_template(ledger: Path, tmp_path: Path) -> None:
    target = tmp_path / "10月通报.md"
    result = run("brief", *SIGNED, "--ledger", str(ledger), "-o", str(target))
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


def test_ledger_template_cannot_run_code(ledger: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (ledger / "templates").mkdir()
    for payload in ("{{ cycler.__init__.__globals__ }}",
                    f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}",
                    "{{ ''.__class__.__mro__[1].__subclasses__() }}"):
        (ledger / "templates" / "brief.md.j2").write_text(payload + "\n", encoding="utf-8")
        result = run("brief", "--ledger", str(ledger))
        assert result.exit_code == 1, payload
        assert "templates/brief.md.j2:1: 通报模板试图访问不允许的内容" in result.output
        assert "os" not in result.stdout and not marker.exists()


def test_bad_suffix_is_a_usage_error(ledger: Path, tmp_path: Path) -> None:
    for name in ("通报.pdf", "通报", "通报.doc", "通报.docx.txt"):
        result = run("brief", "--ledger", str(ledger), "-o", str(tmp_path / name))
        assert result.exit_code == 2, name
        assert "通报文件应以 .docx（Word）或 .md（Markdown）结尾" in result.output
        assert not (tmp_path / name).exists()
    assert run("brief", "--ledger", str(ledger), "--date", "2026-13-01").exit_code == 2


def _git(root: Path, *args: str, when: str = "2026-10-28T18:00:00+08:00") -> None:
    env = {**os.environ, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when}
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


@pytest.fixture
def history(ledger: Path) -> Path:
    _git(ledger, "init", "-q", "-b", "main")
    _git(ledger, "config", "user.name", "项目办")
    _git(ledger, "config", "user.email", "xmb@example.org")
    _git(ledger, "config", "commit.gpgsign", "false")
    _git(ledger, "config", "tag.gpgsign", "false")
    _git(ledger, "add", "-A")
    _git(ledger, "commit", "-q", "-m", "9月")
    _git(ledger, "tag", "-a", "meeting-2026-09", "-m", "9月调度会")
    _git(ledger, "tag", "light")
    path = ledger / "projects" / "2026-xj-002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("completed: 7000", "completed: 7500"), encoding="utf-8")
    return ledger


def test_since_is_named_by_the_tag_message(history: Path) -> None:
    text = brief("--ledger", str(history), "--since", "meeting-2026-09")
    assert "### （四）与9月调度会相比\n\n与9月调度会相比，全区新增完成投资0.05亿元。\n" in text
    assert "meeting-2026-09" not in text


def test_since_without_a_message_is_named_by_the_commit_date(history: Path) -> None:
    for rev in ("light", "HEAD", "main"):
        text = brief("--ledger", str(history), "--since", rev)
        assert "与2026年10月28日相比，全区新增完成投资0.05亿元。" in text, rev
        assert rev not in text
    assert run("brief", "--ledger", str(history), "--since", "nope").exit_code == 2


@pytest.mark.skipif(not (EXAMPLE / "projledger.yaml").is_file(), reason="example ledger not present")
def test_example_reads_like_a_bulletin() -> None:
    text = brief("--ledger", str(EXAMPLE))
    s = status(EXAMPLE)
    for phrase in statements(s):
        assert phrase in text, phrase
    for row in unit_rows(s):
        assert "| " + " | ".join(row) + " |" in text
    assert "排名前三位的是" in text and "None" not in text and "{{" not in text and "\n\n\n" not in text
