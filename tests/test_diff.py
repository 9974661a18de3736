"""`diff` on real git repositories built in tmp_path: commits, a meeting tag, a rename, a removal."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ledgerkit import _Dumper, project, report, write_ledger
from projledger.cli import app

PROBLEM = {"type": "拆迁", "text": "沿线2户未签约", "owner": "甲街道", "due": "2026-09-30"}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")


def new_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "项目办")
    git(path, "config", "user.email", "xmb@example.org")
    git(path, "config", "commit.gpgsign", "false")
    return path


def a_september() -> dict[str, Any]:
    return project("2026-xj-001", name="东环路道路工程", kind="新开工", unit="甲街道",
                   investment={"total": 5000, "annual_plan": 400},
                   planned={"start": "2026-09-15", "finish": "2027-06-30"},
                   procedures={"备案": "2026-03-01", "土地报批": None},
                   progress=[report("2026-09", 0, "场地清表", problems=[PROBLEM])])


def b_september() -> dict[str, Any]:
    return project("2026-xj-002", name="城中村改造项目", unit="乙街道",
                   investment={"total": 20000, "annual_plan": 1000},
                   progress=[report("2026-09", 600, "主体3层")])


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """repo/ledgers/2026 through four commits; the tag meeting-2026-09 on the second."""
    repo = new_repo(tmp_path / "repo")
    (repo / "README.md").write_text("重点项目台账\n", encoding="utf-8")
    commit(repo, "开始")
    git(repo, "tag", "before-ledger")
    root = repo / "ledgers" / "2026"
    c = project("2026-xj-003", name="养老服务中心", unit="丙管委会", progress=[report("2026-09", 100, "基础")])
    write_ledger(root, [a_september(), b_september(), c])
    commit(repo, "9月台账")
    git(repo, "tag", "meeting-2026-09")

    # Rename (move into a unit folder) and change the annual plan in the same commit.
    (root / "projects" / "乙街道").mkdir()
    git(repo, "mv", "ledgers/2026/projects/2026-xj-002.yaml", "ledgers/2026/projects/乙街道/2026-xj-002.yaml")
    b = b_september() | {"investment": {"total": 20000, "annual_plan": 1200}}
    dump(root / "projects" / "乙街道" / "2026-xj-002.yaml", b)
    commit(repo, "调整年度计划并按单位归档")

    # October: one project removed, one added, a start, a procedure done, a problem resolved.
    (root / "projects" / "2026-xj-003.yaml").unlink()
    a = a_september()
    a["actual"] = {"start": "2026-10-08", "finish": None}
    a["procedures"] = {"备案": "2026-03-01", "土地报批": "2026-10-05"}
    a["progress"] = [report("2026-09", 0, "场地清表", problems=[PROBLEM]),
                     report("2026-10", 300, "路基施工", problems=[PROBLEM | {"resolved": "2026-10-06"}])]
    dump(root / "projects" / "2026-xj-001.yaml", a)
    b["progress"] = [report("2026-09", 600, "主体3层"), report("2026-10", 800, "主体5层")]
    dump(root / "projects" / "乙街道" / "2026-xj-002.yaml", b)
    d = project("2026-xj-004", name="智能制造产业园", unit="丙管委会", investment={"total": 30000, "annual_plan": 2000},
                progress=[report("2026-10", 500, "厂房基础")])
    dump(root / "projects" / "2026-xj-004.yaml", d)
    commit(repo, "10月台账")
    return repo


def run(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def diff_json(*args: str) -> dict[str, Any]:
    result = run("diff", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in data["projects"]}


def test_two_revisions_by_project(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "ledgers" / "2026")
    data = diff_json("meeting-2026-09", "HEAD")
    # Like with like: both sides at HEAD's month; what October does to September's ledger by itself
    # (城中村改造项目 falls further behind its plan: yellow -> red) is listed apart.
    assert data["from"]["rev"] == "meeting-2026-09" and data["from"]["month"] == "2026-10"
    assert data["to"]["rev"] == "HEAD" and data["to"]["month"] == "2026-10"
    assert data["month_moved"]["from_month"] == "2026-09"
    assert [(x["id"], x["light_old"], x["light_new"]) for x in data["month_moved"]["shifts"]] == [
        ("2026-xj-002", "yellow", "red")]
    assert data["from"]["commit"] == git(repo, "rev-parse", "meeting-2026-09^{commit}").strip()
    assert data["added"] == ["2026-xj-004"]
    assert data["removed"] == ["2026-xj-003"]
    assert data["renamed"] == [{"id": "2026-xj-002", "old_path": "projects/2026-xj-002.yaml",
                                "new_path": "projects/乙街道/2026-xj-002.yaml"}]
    assert data["started"] == ["2026-xj-001"] and data["finished"] == []

    projects = by_id(data)
    a = projects["2026-xj-001"]
    assert a["change"] == "changed" and a["renamed"] is False
    assert a["procedures_done"] == [{"name": "土地报批", "date": "2026-10-05"}]
    assert a["completed_old"] == 0 and a["completed_new"] == 300 and a["completed_added"] == 300
    assert (a["light_old"], a["light_new"]) == ("red", "green")
    assert a["problems_resolved"] == [{"type": "拆迁", "text": "沿线2户未签约", "owner": "甲街道",
                                       "due": "2026-09-30", "resolved": "2026-10-06"}]
    assert a["problems_opened"] == []
    fields = {f["path"]: (f["old"], f["new"]) for f in a["fields"]}
    assert fields["actual.start"] == (None, "2026-10-08")
    assert fields["procedures.土地报批"] == (None, "2026-10-05")
    assert fields["progress[2026-10]"][0] is None

    b = projects["2026-xj-002"]
    assert {f["path"]: (f["old"], f["new"]) for f in b["fields"]}["investment.annual_plan"] == (1000, 1200)
    assert b["completed_added"] == 200

    removed, added = projects["2026-xj-003"], projects["2026-xj-004"]
    assert removed["change"] == "removed" and removed["completed_new"] is None and removed["completed_added"] == -100
    assert added["change"] == "added" and added["new_path"] == "projects/2026-xj-004.yaml"
    assert added["completed_added"] == 500

    assert data["totals"] == {"completed_old": 700, "completed_new": 1600, "completed_added": 900}
    units = {u["unit"]: u for u in data["units"]}
    assert units["甲街道"]["completed_added"] == 300
    assert units["乙街道"]["completed_added"] == 200
    assert units["丙管委会"]["completed_old"] == 100 and units["丙管委会"]["completed_new"] == 500


def test_figures_match_status_at_each_side(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The completed figures are exactly what `status` says at each revision."""
    root = repo / "ledgers" / "2026"
    data = diff_json("meeting-2026-09", "HEAD", "--ledger", str(root))
    now = json.loads(run("status", "--ledger", str(root), "--format", "json").stdout)
    assert data["totals"]["completed_new"] == now["totals"]["completed"]
    git(repo, "checkout", "-q", "meeting-2026-09")
    then = json.loads(run("status", "--ledger", str(root), "--format", "json").stdout)
    assert data["totals"]["completed_old"] == then["totals"]["completed"]
    assert {u["unit"]: u["completed_old"] for u in data["units"]} == {u["unit"]: u["completed"] for u in then["units"]}


def test_default_is_head_against_working_tree(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = repo / "ledgers" / "2026"
    path = root / "projects" / "乙街道" / "2026-xj-002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("finish: null", "finish: 2026-12-31", 1), encoding="utf-8")
    monkeypatch.chdir(root / "projects")
    data = diff_json()
    assert data["from"]["rev"] == "HEAD" and data["to"]["rev"] == "工作区" and data["to"]["commit"] is None
    assert [p["id"] for p in data["projects"]] == ["2026-xj-002"]
    assert by_id(data)["2026-xj-002"]["fields"] == [{"path": "planned.finish", "old": None, "new": "2026-12-31"}]
    assert data["totals"]["completed_added"] == 0


def test_since_is_revision_against_working_tree(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "ledgers" / "2026")
    since = diff_json("--since", "meeting-2026-09")
    assert since["to"]["rev"] == "工作区"
    two = diff_json("meeting-2026-09", "HEAD")
    assert since["projects"] == two["projects"] and since["units"] == two["units"]


def test_month_pins_both_sides(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "ledgers" / "2026")
    data = diff_json("meeting-2026-09", "HEAD", "--month", "2026-09")
    assert data["from"]["month"] == data["to"]["month"] == "2026-09"
    # At September both sides say 600 for the renamed project, so only its plan changed.
    b = by_id(data)["2026-xj-002"]
    assert b["completed_added"] == 0
    assert run("diff", "meeting-2026-09", "--month", "2025-09").exit_code == 2


def test_table_and_markdown(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "ledgers" / "2026")
    table = run("diff", "meeting-2026-09", "HEAD")
    assert table.exit_code == 0, table.output
    out = table.stdout
    assert "meeting-2026-09" in out and "新增项目 1 个，移出 1 个，改名或移动 1 个" in out
    assert "两边都按2026年1-10月计算" in out and "原2026年1-10月完成" in out
    assert "月份推移（不是改动）" in out and "原按9月计算，现按10月计算" in out.replace("\n", "")
    assert "预警 黄→红 1 个：城中村改造项目" in out
    assert "新开工" in out and "东环路道路工程" in out and "办结手续：土地报批（2026-10-05）" in out
    # Fields by the names people use, not YAML keys.
    assert "预警 红→绿" in out and "年度计划投资" in out and "前期手续·土地报批" in out and "10月填报" in out
    assert "investment.annual_plan" not in out and "progress[" not in out and "completed" not in out
    md = run("diff", "meeting-2026-09", "HEAD", "--format", "markdown")
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# 测试区重点项目台账变化：meeting-2026-09")
    assert "| 编号 | 项目名称 | 责任单位 | 变化 |" in md.stdout
    assert "| 2026-xj-002 | 年度计划投资 | 1000 | 1200 |" in md.stdout
    assert "月份推移（不是改动）" in md.stdout


def test_unknown_revision_is_usage_error(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "ledgers" / "2026")
    result = run("diff", "meeting-2099-01")
    assert result.exit_code == 2
    assert "找不到版本“meeting-2099-01”" in result.output
    assert run("diff", "HEAD", "no-such-branch").exit_code == 2
    assert run("diff", "--since", "--oops").exit_code == 2
    assert run("diff", "HEAD", "--since", "HEAD").exit_code == 2


def test_revision_without_the_ledger(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "ledgers" / "2026")
    result = run("diff", "before-ledger", "HEAD")
    assert result.exit_code == 1
    assert "版本“before-ledger”" in result.output and "ledgers/2026" in result.output


def test_revision_with_errors_names_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger at the repository top this time; the bad commit is tagged."""
    repo = new_repo(tmp_path / "top")
    write_ledger(repo, [b_september()])
    bad = repo / "projects" / "2026-xj-002.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("annual_plan: 1000", "annual_plan: 一千"), encoding="utf-8")
    commit(repo, "写错了")
    git(repo, "tag", "broken")
    write_ledger(repo, [b_september()])
    commit(repo, "改正")
    monkeypatch.chdir(repo)
    result = run("diff", "broken")
    assert result.exit_code == 1
    assert "版本“broken”" in result.output
    line = next(i for i, t in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "annual_plan" in t)
    assert f"projects/2026-xj-002.yaml:{line}: investment.annual_plan" in result.output
    assert diff_json("HEAD")["projects"] == []


def test_repository_without_commits_says_so(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    root = write_ledger(repo / "台账", [b_september()])
    result = run("diff", "--ledger", str(root))
    assert result.exit_code == 1
    assert "仓库还没有提交" in result.output and "git commit" in result.output
    assert "找不到版本" not in result.output


def test_ledger_outside_git(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "plain", [b_september()])
    result = run("diff", "--ledger", str(root))
    assert result.exit_code == 1
    assert "不在 git 仓库中" in result.output


def test_revision_uses_its_own_procedures_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger's own procedures.yaml is read from the revision, not from today's working tree."""
    repo = new_repo(tmp_path / "repo")
    own = {"产业": {"before_start": [{"name": "备案", "days": 5}, {"name": "土地报批", "days": 20, "after": ["备案"]}]},
           "城建": {"before_start": [{"name": "立项", "days": 5}]}}
    write_ledger(repo, [a_september()], procedures="procedures.yaml")
    dump(repo / "procedures.yaml", own)
    commit(repo, "自定义倒排模板")
    # Today the template loses 土地报批, which the old project still names: only today's ledger is wrong.
    own["产业"]["before_start"] = [{"name": "备案", "days": 5}]
    dump(repo / "procedures.yaml", own)
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(app, ["diff", "HEAD", "HEAD", "--format", "json"])
    assert result.exit_code == 0, result.output
