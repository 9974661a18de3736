"""The small things an office worker trips on: names instead of ids, `list`, months typed loosely, one
calendar warning, and the rules that keep tables and sentences whole at 80 columns."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import Result
from rich.cells import cell_len
from rich.text import Text
from typer.testing import CliRunner

from projledger.cli import app
from projledger.outputs.terminal.fit import Col, Grid, shorten, wrap_text

EXAMPLE = Path(__file__).resolve().parents[1] / "ledgers" / "example"
runner = CliRunner()


def run(*args: str, code: int = 0) -> Result:
    result = runner.invoke(app, [*args, "--ledger", str(EXAMPLE)])
    assert "Traceback" not in result.output
    assert result.exit_code == code, result.output
    return result


# --- names, list -----------------------------------------------------------------------------------


def test_show_takes_a_name_or_a_unique_part_of_one() -> None:
    by_id = run("show", "2026-cj-003").stdout
    assert run("show", "东环路道路工程").stdout == by_id
    assert run("show", "东环路").stdout == by_id
    assert run("show", " 东环路 ").stdout == by_id


def test_an_ambiguous_name_lists_the_candidates_and_an_unknown_one_suggests() -> None:
    result = run("show", "产业园", code=1)
    err = result.stderr
    assert "“产业园”对应" in err and "请写得更具体一些" in err
    assert "绿色建材产业园项目（2026-cy-009，东城街道）" in err
    result = run("show", "东环路道路工", code=0)  # a part is enough
    result = run("show", "东还路道路工程", code=1)  # a typo
    assert "是不是“2026-cj-003”（东环路道路工程）" in result.stderr
    assert "projledger list" in result.stderr


def test_schedule_takes_names_and_then_shows_their_timelines() -> None:
    out = run("schedule", "东环路", "文化创意").stdout
    assert "三、逐项目倒排时间表" in out
    assert "2026-cj-003 东环路道路工程" in out and "2026-fw-009 文化创意产业园项目" in out
    data = json.loads(run("schedule", "东环路", "--format", "json").stdout)
    assert [p["id"] for p in data["projects"]] == ["2026-cj-003"]


def test_list_filters_and_shows_ids() -> None:
    out = run("list").stdout
    assert "：51 个" in out and "2026-cj-003" in out
    red = run("list", "--light", "红", "--unit", "产业集聚").stdout
    status = json.loads(run("status", "--format", "json").stdout)
    expected = {p["id"] for p in status["projects"] if p["light"] == "red" and p["unit"] == "产业集聚区管委会"}
    assert expected and set(re.findall(r"2026-\w\w-\d{3}", red)) == expected
    assert "预警：红" in red and "责任单位：产业集聚" in red
    leader = run("list", "--leader", "李卫东", "--kind", "新开工").stdout
    expected = {p["id"] for p in status["projects"] if p["leader"] == "李卫东" and p["kind"] == "新开工"}
    assert set(re.findall(r"2026-\w\w-\d{3}", leader)) == expected
    assert "没有符合条件的项目" in run("list", "--category", "农业").stdout
    assert "--light" in run("list", "--light", "紫", code=2).output


# --- months, warnings ------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "month"), [("10", "2026-10"), ("10月", "2026-10"), ("1-10月", "2026-10"),
                                              ("2026-9", "2026-09"), ("2026年10月", "2026-10"),
                                              ("２０２６年９月", "2026-09"), ("2026/9", "2026-09")])
def test_month_as_people_type_it(typed: str, month: str) -> None:
    data = json.loads(run("status", "--format", "json", "--month", typed).stdout)
    assert data["month"] == month


@pytest.mark.parametrize("typed", ["13", "0月", "九月", "2025-10", "2026-10-01"])
def test_a_month_that_is_not_one_is_a_usage_error(typed: str) -> None:
    result = run("status", "--month", typed, code=2)
    assert "月份" in result.output or "台账年度" in result.output


def test_calendar_warning_is_one_short_line_once_and_only_where_dates_are_computed() -> None:
    for args in (("schedule", "--detail"), ("show", "东环路")):
        err = run(*args).stderr
        lines = [line for line in err.splitlines() if "节假日" in line]
        assert len(lines) == 1 and cell_len(lines[0]) <= 80, err
    assert "节假日" not in run("status").stderr
    assert "节假日" not in run("list").stderr


def test_a_project_finishing_in_a_later_year_gets_no_finish_forecast() -> None:
    out = run("show", "2026-cy-002").stdout  # planned finish 2028-04-30
    assert "计划竣工 2028-04-30；不在本年度，不预测竣工日期" in out
    assert "最早办结" not in out and "可竣工" not in out


def test_node_table_and_timeline_agree() -> None:
    data = json.loads(run("schedule", "--format", "json").stdout)
    behind = {p["id"]: p["behind_workdays"] for p in data["projects"]}
    for node in data["nodes"]:
        for p in node["projects"]:
            if p["status"] in ("on_track", "behind"):
                assert (p["status"] == "behind") == (behind[p["id"]] > 0), (node["name"], p)
    out = run("schedule").stdout
    assert "城区集中供热管网扩建工程" in out and "落后 36 个工作日" in out  # was "可按期竣工"


# --- the layout rules ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [12, 20, 30, 40, 80])
def test_prose_never_breaks_inside_a_figure(width: int) -> None:
    text = ("年度计划投资 41.71 亿元，1-10月完成 309,748.80 万元，投资完成率 74.3%，低于时间进度 9.1 个百分点；"
            "项目 2026-cj-003 计划开工 2026-05-31")
    lines = [line.plain for line in wrap_text(text, width)]
    assert all(cell_len(line) <= width for line in lines), lines
    joined = "".join(lines)
    for figure in ("41.71", "1-10月", "309,748.80", "74.3%", "9.1", "2026-cj-003", "2026-05-31"):
        assert figure in joined
        assert any(figure in line for line in lines), (figure, lines)  # on one line, never split
    assert not any(line.startswith(("，", "；", "）")) for line in lines)


def test_wrap_prefers_chinese_punctuation() -> None:
    lines = [line.plain for line in wrap_text("本月未报（3 个）：东城街道养老服务中心（东城街道）、农村公路提质改造工程（区交通局）", 56)]
    assert lines[0].endswith("、")


def test_grid_shortens_names_keeps_figures_and_drops_the_least_important_column() -> None:
    grid = Grid([Col("编号"), Col("项目名称", kind="name", min_width=8), Col("金额", justify="right"),
                 Col("备注", drop=1)])
    grid.add_row("2026-cj-003", Text("古城历史文化街区保护利用项目"), "108,060.00", "一些不太重要的话")
    wide = "\n".join(line.plain for line in grid.lines(100))
    assert "古城历史文化街区保护利用项目" in wide and "一些不太重要的话" in wide
    narrow = [line.plain for line in grid.lines(40)]
    assert all(cell_len(line) <= 40 for line in narrow)
    text = "\n".join(narrow)
    assert "2026-cj-003" in text and "108,060.00" in text and "备注" not in text
    assert "…" in text and "古城" in text
    assert shorten("产业集聚区管委会", 9).plain == "产业集聚…"
