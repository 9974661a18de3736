"""`projledger rollup` (SPEC section 7) as a city office meets it: member ledgers in folders, a rollup.yaml.

The five members below are small enough to rank by hand (2026, report month March unless said):

    member group  Feb completed/plan   Mar completed/plan   start rate (Mar)  big new starts
    A      区     200/1000 = 20%       300/1000 = 30%       1/1 (a2 started)   1 (a2, 20000 万元)
    B      县     250/1000 = 25%       300/1000 = 30%       0/1 (b2 not yet)   0 (b2, 5000 万元)
    C      县     400/2000 = 20%       600/2000 = 30%       none (no 新开工)    0
    D      区     200/1000 = 20%       300/1000 = 30%       none               0
    E      区     nothing reported     500/1000 = 50%       none               0

March: E 50% first; A, B, C, D tie at 30%: A (start 100%) before B (0%) before C and D (none, last),
C before D by the order given -> E1 A2 B3 C4 D5. February: E has no figures (its first report is March),
so it is left out: B1 (25%), A2 (20%, start 100%), C3, D4 (20%, none; order given).
rank_change = Feb - Mar: A 0, B -2, C -1, D -1, E null. Group ranks: 区 E1 A2 D3; 县 B1 C2.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from ledgerkit import project, report, write_ledger
from projledger.cli import app, out

runner = CliRunner()
NEW = {"kind": "新开工"}


def _members(base: Path) -> dict[str, Path]:
    a = [project("a1", progress=[report("2026-01", 100), report("2026-02", 200), report("2026-03", 300)]),
         project("a2", **NEW, investment={"total": 20000, "annual_plan": 0},
                 planned={"start": "2026-02-01", "finish": "2027-12-31"}, actual={"start": "2026-02-10"})]
    b = [project("b1", progress=[report("2026-01", 50), report("2026-02", 250), report("2026-03", 300)]),
         project("b2", **NEW, investment={"total": 5000, "annual_plan": 0},
                 planned={"start": "2026-02-01", "finish": "2027-12-31"})]
    c = [project("c1", investment={"total": 9000, "annual_plan": 2000},
                 progress=[report("2026-01", 200), report("2026-02", 400), report("2026-03", 600)])]
    d = [project("d1", progress=[report("2026-01", 100), report("2026-02", 200), report("2026-03", 300)])]
    e = [project("e1", progress=[report("2026-03", 500)])]
    return {name: write_ledger(base / name, projects, district=f"{name}区县")
            for name, projects in zip("ABCDE", (a, b, c, d, e), strict=True)}


ROLLUP = """\
name: 测试市
members:
  - {path: A, group: 区}
  - {path: B, group: 县}
  - {path: C, group: 县}
  - {path: D, group: 区}
  - {path: E, group: 区}
peers: peers.yaml
"""

PEERS = """\
- {name: 许昌县, group: 县, month: 2026-03, completion_rate: 0.262, start_rate: 91%,
   new_starts: 32, big_new_starts: 18, source: 许昌县发改委2026年1-3月重点项目通报}
"""


@pytest.fixture
def city(tmp_path: Path) -> Path:
    """The five members, rollup.yaml and peers.yaml; returns rollup.yaml."""
    _members(tmp_path)
    (tmp_path / "rollup.yaml").write_text(ROLLUP, encoding="utf-8")
    (tmp_path / "peers.yaml").write_text(PEERS, encoding="utf-8")
    return tmp_path / "rollup.yaml"


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def rollup_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["rollup", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def by_path(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["path"]: m for m in data["members"]}


def test_ranking_with_ties_group_ranks_and_rank_change(city: Path) -> None:
    data = rollup_json(str(city))
    assert (data["name"], data["year"], data["month"], data["time_progress"]) == ("测试市", 2026, "2026-03", 0.25)
    assert [m["path"] for m in data["members"]] == ["E", "A", "B", "C", "D"]  # rank order
    members = by_path(data)
    assert {p: m["rank"] for p, m in members.items()} == {"E": 1, "A": 2, "B": 3, "C": 4, "D": 5}
    assert {p: m["group_rank"] for p, m in members.items()} == {"E": 1, "A": 2, "D": 3, "B": 1, "C": 2}
    assert {p: m["rank_change"] for p, m in members.items()} == {"A": 0, "B": -2, "C": -1, "D": -1, "E": None}
    assert {p: m["group"] for p, m in members.items()} == {"A": "区", "B": "县", "C": "县", "D": "区", "E": "区"}
    assert members["A"]["district"] == "A区县"
    assert members["A"]["start_rate"] == 1.0 and members["B"]["start_rate"] == 0.0
    assert members["C"]["start_rate"] is None
    assert {p: m["big_new_starts"] for p, m in members.items()} == {"A": 1, "B": 0, "C": 0, "D": 0, "E": 0}


def test_member_figures_are_the_ledgers_own_totals(city: Path) -> None:
    members = by_path(rollup_json(str(city)))
    for name in "ABCDE":
        result = runner.invoke(app, ["status", "--ledger", str(city.parent / name), "--month", "2026-03",
                                     "--format", "json"])
        totals = json.loads(result.stdout)["totals"]
        assert {k: members[name][k] for k in totals} == totals, name


def test_totals_are_one_money_weighted_group(city: Path) -> None:
    totals = rollup_json(str(city))["totals"]
    assert totals["projects"] == 7
    assert (totals["annual_plan"], totals["completed"]) == (6000, 2000)
    assert totals["completion_rate"] == pytest.approx(1 / 3)  # 2000/6000, not the mean of the rates
    assert (totals["new_starts"], totals["started"], totals["start_rate"]) == (2, 1, 0.5)
    assert totals["big_new_starts"] == 1
    # 1-3月计划: each project's annual plan × 3/12 (no monthly_plan; the new starts' plans are 0)
    assert (totals["plan_to_date"], totals["plan_rate"]) == (1500, pytest.approx(4 / 3))


SPEC4_GROUP_KEYS = {"projects", "annual_plan", "completed", "completion_rate", "new_starts", "started", "start_rate",
                    "due_to_start", "due_started", "due_start_rate", "early_starts", "finish_planned", "finished",
                    "red", "yellow", "green", "plan_to_date", "plan_rate"}


def test_json_carries_every_key_of_spec_7(city: Path) -> None:
    data = rollup_json(str(city))
    assert {"name", "year", "month", "time_progress", "members", "totals", "peers"} <= set(data)
    for m in data["members"]:
        assert {"district", "group", "path", "rank", "group_rank", "rank_change", "big_new_starts"} <= set(m)
        assert SPEC4_GROUP_KEYS <= set(m)
    assert SPEC4_GROUP_KEYS | {"big_new_starts"} <= set(data["totals"])


def test_january_has_no_rank_change_and_none_start_rate_ranks_last(city: Path) -> None:
    data = rollup_json(str(city), "--month", "2026-01")
    members = by_path(data)
    # A, C, D tie at 10%: A's start rate 0/1 = 0% exists, C's and D's do not; E reported nothing yet (0%).
    assert {p: m["rank"] for p, m in members.items()} == {"A": 1, "C": 2, "D": 3, "B": 4, "E": 5}
    assert all(m["rank_change"] is None for m in data["members"])


def test_month_is_the_earliest_latest_reported_month(city: Path) -> None:
    d = city.parent / "D" / "projects" / "d1.yaml"
    d.write_text(d.read_text(encoding="utf-8").split("- month: 2026-03")[0], encoding="utf-8")
    data = rollup_json(str(city))
    assert data["month"] == "2026-02"
    members = by_path(data)
    assert members["E"]["completion_rate"] == 0 and members["E"]["rank_change"] is None  # E: no report yet
    # January ranking (without E): A 10% start 0%, C 10%, D 10% (none), B 5%; February: B A C D E.
    assert {p: m["rank_change"] for p, m in members.items()} == {"A": -1, "B": 3, "C": -1, "D": -1, "E": None}


def test_peers_are_listed_apart_never_ranked(city: Path) -> None:
    data = rollup_json(str(city))
    assert len(data["members"]) == 5
    assert data["peers"] == [{"name": "许昌县", "group": "县", "month": "2026-03", "completion_rate": 0.262,
                              "start_rate": 0.91, "new_starts": 32, "big_new_starts": 18,
                              "source": "许昌县发改委2026年1-3月重点项目通报"}]
    code, output = invoke("rollup", str(city))
    assert code == 0
    assert output.index("对标") > output.index("D区县")
    assert "许昌县发改委2026年1-3月重点项目" in output


def test_table_fits_80_columns_and_shows_ledger_text_verbatim(city: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = city.parent / "C" / "projledger.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("district: C区县", "district: '[bold]C县'"),
                        encoding="utf-8")
    monkeypatch.setattr(out, "width", 80)  # a terminal 80 columns wide
    result = CliRunner(env={"COLUMNS": "80"}).invoke(app, ["rollup", str(city), "--ledger", str(city.parent / "B")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert "[bold]C县" in result.stdout
    row_b = next(line for line in lines if "B区县" in line)
    assert row_b.split()[:2] == ["3", "↓2"]
    assert "B区县在全市5个县区中排名第3位，较上月下降2位。" in result.stdout
    assert "B区县在全市2个县中排名第1位，与上月持平。" in result.stdout
    row_e = next(line for line in lines if "E区县" in line)
    assert row_e.split()[:2] == ["1", "—"]


def test_csv_has_chinese_headers_members_in_rank_order_then_peers(city: Path) -> None:
    result = runner.invoke(app, ["rollup", str(city), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert [(r["类型"], r["县区"], r["排名"], r["较上月"]) for r in rows] == [
        ("成员", "E区县", "1", ""), ("成员", "A区县", "2", "0"), ("成员", "B区县", "3", "-2"),
        ("成员", "C区县", "4", "-1"), ("成员", "D区县", "5", "-1"), ("合计", "合计", "", ""), ("对标", "许昌县", "", "")]
    assert rows[0]["投资完成率（%）"] == "50.0" and rows[5]["投资完成率（%）"] == "33.3"
    assert rows[5]["1-3月计划投资（万元）"] == "1500.00" and rows[5]["完成1-3月计划（%）"] == "133.3"
    assert rows[2]["组内排名"] == "1" and rows[2]["组别"] == "县"
    assert rows[6]["来源"] == "许昌县发改委2026年1-3月重点项目通报" and rows[6]["开工率（%）"] == "91.0"


def test_ledger_roots_on_the_command_line(city: Path) -> None:
    base = city.parent
    data = rollup_json(str(base / "B"), str(base / "A"))
    assert data["name"] is None and data["peers"] == []
    assert [(m["district"], m["rank"], m["group"], m["group_rank"], m["rank_change"]) for m in data["members"]] == [
        ("A区县", 1, None, 1, 1), ("B区县", 2, None, 2, -1)]
    assert data["members"][0]["path"] == str(base / "A")


def test_members_in_different_years_are_refused_by_name(city: Path) -> None:
    settings = city.parent / "C" / "projledger.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("year: 2026", "year: 2025"), encoding="utf-8")
    code, output = invoke("rollup", str(city))
    assert code == 1
    assert "C/projledger.yaml:2:" in output and "【C区县】台账年度为 2025 年" in output
    assert "A区县】" not in output


def test_every_member_error_is_named_and_located(city: Path) -> None:
    for name, pid in (("B", "b1"), ("D", "d1")):
        path = city.parent / name / "projects" / f"{pid}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("annual_plan: 1000", "annual_plan: -5"),
                        encoding="utf-8")
    code, output = invoke("rollup", str(city), "--format", "json")
    assert code == 1
    line = next(n for n, text in enumerate((city.parent / "B/projects/b1.yaml").read_text(encoding="utf-8")
                                           .splitlines(), 1) if "annual_plan" in text)
    assert f"B/projects/b1.yaml:{line}: 【B区县】investment.annual_plan" in output
    assert "D/projects/d1.yaml:" in output and "【D区县】" in output
    assert "{" not in output  # no half a ranking


def test_rollup_file_and_peers_errors_are_located(city: Path) -> None:
    city.write_text(ROLLUP.replace("  - {path: D, group: 区}\n", "  - {path: 不存在, group: 区}\n")
                    .replace("name:", "nmae:"), encoding="utf-8")
    (city.parent / "peers.yaml").write_text(PEERS.replace("0.262", "86.2"), encoding="utf-8")
    code, output = invoke("rollup", str(city))
    assert code == 1
    assert "rollup.yaml:1: nmae: 未知字段“nmae”" in output
    assert "rollup.yaml:6: members[3].path: “不存在”不是台账目录" in output
    assert "peers.yaml:1: [0].completion_rate: “86.2”太大" in output


def test_bad_usage(city: Path) -> None:
    assert invoke("rollup", str(city), "--month", "2025-03")[0] == 2
    assert invoke("rollup", str(city), str(city.parent / "A"))[0] == 2
    code, output = invoke("rollup", str(city.parent / "nowhere"))
    assert code == 1 and "找不到" in output


def test_export_adds_the_ranking_sheet(city: Path, tmp_path: Path) -> None:
    out = tmp_path / "调度表.xlsx"
    code, output = invoke("export", "--ledger", str(city.parent / "B"), "--month", "2026-03", "--rollup", str(city),
                          "-o", str(out))
    assert code == 0, output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == "全市排名"
    rows = [r for r in wb["全市排名"].iter_rows(values_only=True)]
    assert rows[0][0] == "测试市2026年重点项目建设进展排名（截至3月底）"
    body = {r[2]: r for r in rows[3:] if isinstance(r[0], int)}
    assert [body[n][:5] for n in ("E区县", "B区县")] == [(1, "—", "E区县", "区", "1/3"), (3, "下降2位", "B区县", "县", "1/2")]
    assert body["A区县"][9] == pytest.approx(0.3) and body["A区县"][15] == 1
    assert body["A区县"][7] == 250 and body["A区县"][11] == pytest.approx(1.2)  # 1-3月计划 1000×3/12, 300/250
    peers = [r for r in rows if r[2] == "许昌县"]
    assert peers and peers[0][0] is None and "许昌县发改委" in peers[0][-1]


def test_bulletin_sentence() -> None:
    from projledger.figures.rollup import change_words

    assert change_words(2) == "较上月上升2位"
    assert change_words(-1) == "较上月下降1位"
    assert change_words(0) == "与上月持平"
    assert change_words(None) == ""


def test_shipped_example_runs() -> None:
    example = Path(__file__).resolve().parents[1] / "ledgers" / "rollup-example" / "rollup.yaml"
    data = rollup_json(str(example))
    assert data["month"] == "2026-09"  # 南湖县 has not reported October
    assert [m["group"] for m in data["members"]].count("县") == 2
    assert any(m["rank_change"] not in (0, None) for m in data["members"])
    assert len(data["peers"]) == 2


ROLLUP_EXAMPLE = Path(__file__).resolve().parents[1] / "ledgers" / "rollup-example"


def test_brief_says_the_ledgers_place_in_the_city(tmp_path: Path) -> None:
    from docx import Document

    member = ROLLUP_EXAMPLE / "西山县"
    rollup = str(ROLLUP_EXAMPLE / "rollup.yaml")
    runner = CliRunner()
    ranked = runner.invoke(app, ["rollup", rollup, "--format", "json"])
    own = next(m for m in json.loads(ranked.stdout)["members"] if m["district"] == "西山县")
    md = runner.invoke(app, ["brief", "--ledger", str(member), "--rollup", rollup, "--date", "2026-11-05"])
    assert md.exit_code == 0, md.output
    overall = md.stdout.split("### （一）投资完成情况")[1].split("\n\n")[1]
    assert f"投资完成率在全市3个县区中排名第{own['rank']}位" in overall and overall.endswith("。")
    plain = runner.invoke(app, ["brief", "--ledger", str(member), "--date", "2026-11-05"])
    assert "全市" not in plain.stdout.split("### （一）投资完成情况")[1].split("\n\n")[1]
    out_file = tmp_path / "通报.docx"
    word = runner.invoke(app, ["brief", "--ledger", str(member), "--rollup", rollup, "--date", "2026-11-05",
                               "-o", str(out_file)])
    assert word.exit_code == 0, word.output
    text = "\n".join(p.text for p in Document(str(out_file)).paragraphs)
    assert f"投资完成率在全市3个县区中排名第{own['rank']}位" in text


def test_brief_rollup_without_this_ledger_is_refused(example_root: Path) -> None:
    result = CliRunner().invoke(app, ["brief", "--ledger", str(example_root),
                                      "--rollup", str(ROLLUP_EXAMPLE / "rollup.yaml")])
    assert result.exit_code == 1
    assert "成员中没有本台账" in result.output and "Traceback" not in result.output
