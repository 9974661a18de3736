"""Fair lights (SPEC section 2): every project against its own plan to date, worked out by hand."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ledgerkit import project, report, write_ledger
from projledger.cli import app
from projledger.figures.metrics import MonthFigures, compute, trend
from projledger.ledger.load import load_ledger


def figures(root: Path, month: str) -> MonthFigures:
    ledger, errors = load_ledger(root)
    assert ledger is not None and not [e for e in errors if e.is_error], errors
    return compute(ledger, month)


def one(tmp_path: Path, month: str, p: dict[str, Any], **settings: Any):  # type: ignore[no-untyped-def]
    mf = figures(write_ledger(tmp_path, [p], **settings), month)
    f = mf.project(p["id"])
    assert f is not None
    return f


def test_december_new_start_is_green_in_october(tmp_path: Path) -> None:
    # Plan period 2026-12-01..12-31: at the end of October nothing is expected of it (f = 0).
    p = project("d1", kind="新开工", investment={"total": 30000, "annual_plan": 12000},
                planned={"start": "2026-12-15", "finish": "2027-12-31"}, progress=[report("2026-10", 0, "前期")])
    f = one(tmp_path, "2026-10", p)
    assert f.plan_to_date == 0 and f.expected_rate == 0 and f.completion_rate == 0 and f.gap == 0
    assert f.achieved is None and not f.due_to_start
    assert f.light == "green" and f.reasons == ()
    g = one(tmp_path / "r", "2026-10", p, warning={"measure": "ratio", "yellow_below": 80, "red_below": 60})
    assert g.light == "green"


def test_mid_year_new_start_month_mode(tmp_path: Path) -> None:
    # Period July..December (6 months); end of September: 3/6 of 6000 = 3000 expected; 2100 done.
    p = project("m1", kind="新开工", investment={"total": 9000, "annual_plan": 6000},
                planned={"start": "2026-07-10", "finish": "2027-06-30"}, actual={"start": "2026-07-12"},
                progress=[report("2026-09", 2100, "主体")])
    f = one(tmp_path, "2026-09", p)
    assert f.plan_to_date == 3000 and f.expected_rate == Fraction(1, 2)
    assert f.completion_rate == Fraction(7, 20) and f.gap == Fraction(-3, 20) and f.achieved == Fraction(7, 10)
    assert f.light == "yellow" and f.reasons == ("低于序时计划15.0个百分点",)
    # The same figures in August: 2/6 of 6000 = 2000 expected.
    f8 = one(tmp_path / "aug", "2026-08", {**p, "progress": [report("2026-08", 1900)]})
    assert f8.plan_to_date == 2000 and f8.light == "green"


def test_mid_year_new_start_day_mode(tmp_path: Path) -> None:
    # Period 2026-07-01..12-31 = 184 days; up to 09-30 = 92 days: exactly half.
    p = project("m2", kind="新开工", investment={"total": 9000, "annual_plan": 6000},
                planned={"start": "2026-07-10", "finish": "2027-06-30"}, actual={"start": "2026-07-12"},
                progress=[report("2026-09", 1500)])
    f = one(tmp_path, "2026-09", p, time_progress="day")
    assert f.plan_to_date == 3000 and f.gap == Fraction(-1, 4) and f.light == "red"
    # A continuing project in day mode: 273 of 365 days.
    c = one(tmp_path / "c", "2026-09", project("c1", investment={"total": 9000, "annual_plan": 3650},
                                                progress=[report("2026-09", 2730)]), time_progress="day")
    assert c.plan_to_date == 2730 and c.expected_rate == Fraction(273, 365) and c.gap == 0


def test_monthly_plan_is_the_sum_of_its_first_months(tmp_path: Path) -> None:
    plan = [0, 0, 0, 0, 1200, 1500, 1500, 1800, 1800, 1800, 1400, 1000]
    p = project("mp", kind="新开工", investment={"total": 38000, "annual_plan": 12000, "monthly_plan": plan},
                planned={"start": "2026-04-30", "finish": "2027-10-31"}, actual={"start": "2026-05-12"},
                progress=[report("2026-09", 5200)])
    f = one(tmp_path, "2026-09", p)
    assert f.plan_to_date == 7800 and f.achieved == Fraction(2, 3)
    assert f.gap == Fraction(5200 - 7800, 12000) and f.light == "red"
    assert f.reasons == ("低于序时计划21.7个百分点",)
    ratio = one(tmp_path / "r", "2026-09", p, warning={"measure": "ratio", "yellow_below": 80, "red_below": 60})
    assert ratio.light == "yellow" and ratio.reasons == ("仅完成序时计划的66.7%",)


@pytest.mark.parametrize(("done", "light"), [(800, "green"), (799, "yellow"), (600, "yellow"), (599, "red")])
def test_ratio_thresholds_at_the_boundary(tmp_path: Path, done: int, light: str) -> None:
    # Continuing, plan 2000, end of June: plan to date 1000; "below 80 %" and "below 60 %" are strict.
    p = project("b1", investment={"total": 9000, "annual_plan": 2000}, actual={"start": "2025-01-01"},
                progress=[report("2026-06", done)])
    f = one(tmp_path, "2026-06", p, warning={"measure": "ratio", "yellow_below": 80, "red_below": 60})
    assert f.plan_to_date == 1000 and f.achieved == Fraction(done, 1000)
    assert f.light == light


def _escalation_ledger(tmp_path: Path, months: dict[str, int], n: int = 3) -> MonthFigures:
    # Plan 1200, continuing: 100 a month expected. 180 below plan to date is 15 points behind: yellow.
    reports = [report(m, done) for m, done in months.items()]
    p = project("e1", investment={"total": 9000, "annual_plan": 1200}, actual={"start": "2025-01-01"},
                progress=reports)
    return figures(write_ledger(tmp_path, [p], warning={"escalate_after": n}), max(months))


def test_three_yellow_months_escalate_to_red(tmp_path: Path) -> None:
    mf = _escalation_ledger(tmp_path, {"2026-07": 520, "2026-08": 620, "2026-09": 720})
    f = mf.project("e1")
    assert f is not None and f.light == "red"
    assert f.reasons[0] == "连续3个月黄灯"
    assert mf.totals.red == 1 and mf.totals.yellow == 0


def test_a_green_month_in_the_window_does_not_escalate(tmp_path: Path) -> None:
    mf = _escalation_ledger(tmp_path, {"2026-07": 600, "2026-08": 620, "2026-09": 720})
    f = mf.project("e1")
    assert f is not None and f.light == "yellow"


def test_a_red_month_in_the_window_does_not_count_as_yellow(tmp_path: Path) -> None:
    mf = _escalation_ledger(tmp_path, {"2026-07": 400, "2026-08": 620, "2026-09": 720})
    f = mf.project("e1")
    assert f is not None and f.light == "yellow"


def test_escalation_waits_for_n_months(tmp_path: Path) -> None:
    mf = _escalation_ledger(tmp_path, {"2026-01": 0, "2026-02": 20}, n=3)
    f = mf.project("e1")
    assert f is not None and f.light == "yellow"  # M = 2 < N = 3


def test_escalation_counts_carried_forward_unreported_months(tmp_path: Path) -> None:
    # August unreported: July's 520 carries forward, 23.3 points below August's plan: red, so no streak.
    mf = _escalation_ledger(tmp_path, {"2026-07": 520, "2026-09": 720})
    assert mf.project("e1").light == "yellow"  # type: ignore[union-attr]
    # July's 570 is 10.8 points behind in July and 19.2 carried into August: yellow, yellow, yellow.
    mf = _escalation_ledger(tmp_path / "b", {"2026-07": 570, "2026-09": 720})
    assert mf.project("e1").light == "red"  # type: ignore[union-attr]


def test_finished_project_is_not_yellow_for_not_reporting(tmp_path: Path) -> None:
    p = project("f1", investment={"total": 3000, "annual_plan": 1000}, actual={"start": "2025-03-01", "finish": "2026-08-25"},
                planned={"start": "2025-03-01", "finish": "2026-08-31"}, progress=[report("2026-08", 1000, "竣工")])
    f = one(tmp_path, "2026-10", p)
    assert not f.reported and f.finished and f.light == "green"
    running = one(tmp_path / "r", "2026-10", {**p, "actual": {"start": "2025-03-01", "finish": None}})
    assert running.light == "yellow" and "本月未报" in running.reasons


def test_group_plan_to_date_and_plan_rate(tmp_path: Path) -> None:
    projects = [
        project("g1", investment={"total": 9000, "annual_plan": 1200}, progress=[report("2026-06", 500)]),
        project("g2", kind="新开工", investment={"total": 9000, "annual_plan": 1200},
                planned={"start": "2026-12-01"}, progress=[report("2026-06", 0)]),
    ]
    mf = figures(write_ledger(tmp_path, projects), "2026-06")
    assert mf.totals.plan_to_date == 600 and mf.totals.plan_rate == Fraction(5, 6)
    assert mf.totals.gap == Fraction(500, 2400) - Fraction(1, 2)  # the headline stays against time progress


def test_show_trend_follows_the_projects_own_plan(tmp_path: Path) -> None:
    p = project("t1", kind="新开工", investment={"total": 9000, "annual_plan": 6000},
                planned={"start": "2026-07-10"}, actual={"start": "2026-07-12"},
                progress=[report("2026-08", 900), report("2026-09", 2100)])
    mf = figures(write_ledger(tmp_path, [p]), "2026-09")
    f = mf.project("t1")
    assert f is not None
    targets = [int(t.target) for t in trend(mf, f)]
    assert targets == [0, 0, 0, 0, 0, 0, 1000, 2000, 3000]


def test_status_json_carries_the_new_figures(tmp_path: Path) -> None:
    p = project("j1", kind="新开工", investment={"total": 9000, "annual_plan": 6000},
                planned={"start": "2026-07-10"}, actual={"start": "2026-07-12"}, progress=[report("2026-09", 2100)])
    root = write_ledger(tmp_path, [p, project("j2", investment={"total": 10, "annual_plan": 0})])
    result = CliRunner().invoke(app, ["status", "--format", "json", "--ledger", str(root)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    j1 = next(x for x in data["projects"] if x["id"] == "j1")
    assert (j1["plan_to_date"], j1["expected_rate"], j1["achieved"]) == (3000, 0.5, 0.7)
    j2 = next(x for x in data["projects"] if x["id"] == "j2")
    assert (j2["plan_to_date"], j2["expected_rate"], j2["achieved"], j2["gap"]) == (0, None, None, None)
    assert data["totals"]["plan_to_date"] == 3000 and data["totals"]["plan_rate"] == 0.7
    for row in [data["totals"], *data["units"], *data["categories"], *data["levels"], *data["kinds"]]:
        assert {"plan_to_date", "plan_rate"} <= set(row)


def test_plan_to_date_can_be_a_fraction_of_a_wan(tmp_path: Path) -> None:
    # Plan 1000 over 9 months (April start), end of May: 2/9 of 1000 = 222.22…, exact until display.
    p = project("q1", kind="新开工", investment={"total": 9000, "annual_plan": 1000}, planned={"start": "2026-04-01"},
                actual={"start": date(2026, 4, 2).isoformat()}, progress=[report("2026-05", 200)])
    f = one(tmp_path, "2026-05", p)
    assert f.plan_to_date == Fraction(2000, 9) and f.achieved == Fraction(9, 10)


CHECK_CASES = [
    ({"monthly_plan": [100] * 11}, "分月计划应为 1-12 月共 12 个金额（万元），实际有 11 个", "error"),
    ({"monthly_plan": [100] * 12}, "分月计划合计 1200 万元，与年度计划投资 1000 万元不等（多 200 万元）", "error"),
    ({"monthly_plan": [50] * 12}, "分月计划合计 600 万元，与年度计划投资 1000 万元不等（少 400 万元）", "error"),
    ({"monthly_plan": [100, 0, 0, 0, 0, 0, 100, 200, 200, 200, 100, 100]}, "开工月之前（1月）已安排投资", "warning"),
    ({"monthly_plan": [0, 0, 0, 0, 0, 0, -100, 300, 300, 200, 200, 100]}, "不能小于 0", "error"),
]


@pytest.mark.parametrize(("investment", "message", "severity"), CHECK_CASES)
def test_monthly_plan_checks_are_located(tmp_path: Path, investment: dict[str, Any], message: str,
                                         severity: str) -> None:
    p = project("c1", kind="新开工", investment={"total": 9000, "annual_plan": 1000, **investment},
                planned={"start": "2026-07-01"})
    root = write_ledger(tmp_path, [p])
    result = CliRunner().invoke(app, ["check", "--ledger", str(root)])
    lines = [line for line in result.output.splitlines() if message in line]
    assert lines, result.output
    text = (root / "projects" / "c1.yaml").read_text(encoding="utf-8").splitlines()
    line_no = int(lines[0].split(":")[1])
    assert "monthly_plan" in text[line_no - 1] or text[line_no - 1].lstrip().startswith("-")
    assert result.exit_code == (1 if severity == "error" else 0)


@pytest.mark.parametrize(("warning", "message"), [
    ({"measure": "ratio", "yellow_below": 120, "red_below": 60}, "应在 0 到 100 之间"),
    ({"measure": "ratio", "yellow_below": 50, "red_below": 60}, "不能低于 red_below"),
    ({"yellow_below": -30, "red_below": -20}, "不能低于 red_below"),
    ({"measure": "序时"}, "warning.measure"),
    ({"escalate_after": -1}, "warning.escalate_after"),
])
def test_bad_warning_settings_are_errors(tmp_path: Path, warning: dict[str, Any], message: str) -> None:
    root = write_ledger(tmp_path, [project("w1")], warning=warning)
    result = CliRunner().invoke(app, ["check", "--ledger", str(root)])
    assert result.exit_code == 1 and message in result.output, result.output
    assert "projledger.yaml:" in result.output


# --- more hand-worked cases: day mode, plan periods, escalation edges, defaults ------------------------

def test_december_new_start_day_mode(tmp_path: Path) -> None:
    # Period 2026-12-01..12-31 (31 days): nothing expected at the end of October or November.
    p = project("d2", kind="新开工", investment={"total": 30000, "annual_plan": 3100},
                planned={"start": "2026-12-20", "finish": "2027-12-31"}, progress=[report("2026-11", 0, "前期")])
    for month in ("2026-10", "2026-11"):
        f = one(tmp_path / month, month, p, time_progress="day")
        assert f.plan_to_date == 0 and f.gap == 0 and f.light == "green"
    dec = one(tmp_path / "12", "2026-12", {**p, "progress": [report("2026-12", 1550)]}, time_progress="day")
    assert dec.plan_to_date == 3100 and dec.achieved == Fraction(1, 2) and dec.light == "red"
    assert dec.reasons == ("低于序时计划50.0个百分点", "逾期未开工11天")


def test_day_mode_in_a_leap_year(tmp_path: Path) -> None:
    # 2028: 366 days; end of February is day 60. A May start: period 2028-05-01..12-31 = 245 days.
    cont = project("y1", investment={"total": 9000, "annual_plan": 3660}, progress=[report("2028-02", 600)])
    f = one(tmp_path / "c", "2028-02", cont, year=2028, time_progress="day")
    assert f.plan_to_date == 600 and f.gap == 0
    new = project("y2", kind="新开工", investment={"total": 9000, "annual_plan": 2450},
                  planned={"start": "2028-05-18"}, actual={"start": "2028-05-18"}, progress=[report("2028-06", 300)])
    g = one(tmp_path / "n", "2028-06", new, year=2028, time_progress="day")
    assert g.plan_to_date == 610 and g.expected_rate == Fraction(61, 245)  # May 31 + June 30 days


@pytest.mark.parametrize(("kind", "start", "expected"), [
    ("新开工", "2025-11-20", 600),  # planned start before Y: the period is the whole year, 6/12
    ("新开工", "2027-03-01", 600),  # planned start after Y: the whole year too
    ("新开工", None, 600),  # no planned start: the whole year
    ("续建", "2026-05-01", 600),  # only a 新开工 project's period starts in its start month
    ("新开工", "2026-05-31", 300),  # May..December = 8 months, 2 of them by the end of June: 1200 × 2/8
    ("新开工", "2026-07-01", 0),  # before the period starts
])
def test_plan_period_of_each_kind(tmp_path: Path, kind: str, start: str | None, expected: int) -> None:
    p = project("k1", kind=kind, investment={"total": 9000, "annual_plan": 1200}, planned={"start": start},
                progress=[report("2026-06", 300)])
    assert one(tmp_path, "2026-06", p).plan_to_date == expected


def test_escalation_when_the_window_starts_in_january(tmp_path: Path) -> None:
    # M = N = 3: January..March all yellow. A monthly plan front-loads January (300, then 100 a month), so
    # 120, 220, 320 done are 180/1200 = 15 points behind 300, 400, 500 in each month.
    plan = [300, 100, 100, 100, 100, 100, 100, 100, 100, 50, 50, 0]
    p = project("e1", investment={"total": 9000, "annual_plan": 1200, "monthly_plan": plan},
                actual={"start": "2025-01-01"},
                progress=[report("2026-01", 120), report("2026-02", 220), report("2026-03", 320)])
    mf = figures(write_ledger(tmp_path, [p], warning={"escalate_after": 3}), "2026-03")
    f = mf.project("e1")
    assert f is not None and f.light == "red" and f.reasons == ("连续3个月黄灯", "低于序时计划15.0个百分点")


def test_escalate_after_one_makes_every_yellow_red(tmp_path: Path) -> None:
    mf = _escalation_ledger(tmp_path, {"2026-09": 720}, n=1)
    assert mf.project("e1").light == "red"  # type: ignore[union-attr]
    assert mf.totals.red == 1 and mf.totals.yellow == 0


def test_escalation_counts_unreported_yellow_months(tmp_path: Path) -> None:
    # On plan every month it reports, but August is unreported while running: yellow only in August.
    reports = [report("2026-07", 700), report("2026-09", 900)]
    p = project("u1", investment={"total": 9000, "annual_plan": 1200}, actual={"start": "2025-01-01"},
                progress=reports)
    mf = figures(write_ledger(tmp_path, [p], warning={"escalate_after": 2}), "2026-09")
    assert mf.project("u1").light == "green"  # type: ignore[union-attr]
    # September unreported too: yellow in August and September -> red.
    mf = figures(write_ledger(tmp_path / "b", [{**p, "progress": reports[:1]}], warning={"escalate_after": 2}),
                 "2026-09")
    f = mf.project("u1")
    assert f is not None and f.light == "red" and f.reasons[0] == "连续2个月黄灯" and "本月未报" in f.reasons


def test_escalation_in_ratio_measure(tmp_path: Path) -> None:
    # Plan 1200, continuing; below 80 % of plan to date three months running (70 %, 75 %, 79.9…%).
    reports = [report("2026-04", 280), report("2026-05", 375), report("2026-06", 479)]
    p = project("r1", investment={"total": 9000, "annual_plan": 1200}, actual={"start": "2025-01-01"},
                progress=reports)
    rules = {"measure": "ratio", "yellow_below": 80, "red_below": 60, "escalate_after": 3}
    f = one(tmp_path, "2026-06", p, warning=rules)
    assert f.achieved == Fraction(479, 600) and f.light == "red"
    assert f.reasons == ("连续3个月黄灯", "仅完成序时计划的79.8%")
    ok = one(tmp_path / "ok", "2026-06", {**p, "progress": [*reports[:2], report("2026-06", 480)]}, warning=rules)
    assert ok.achieved == Fraction(4, 5) and ok.light == "green"


def test_finished_and_unreported_for_months_stays_green_with_escalation(tmp_path: Path) -> None:
    p = project("f2", investment={"total": 3000, "annual_plan": 1000},
                actual={"start": "2025-03-01", "finish": "2026-06-30"}, progress=[report("2026-06", 1000, "竣工")])
    f = one(tmp_path, "2026-12", p, warning={"escalate_after": 3})
    assert f.finished and not f.reported and f.achieved == 1 and f.light == "green"


def test_a_ledger_without_the_new_settings_keeps_its_defaults(tmp_path: Path) -> None:
    ledger, _ = load_ledger(write_ledger(tmp_path, [project("z1")]))
    assert ledger is not None
    w = ledger.settings.warning
    assert (w.measure, w.yellow_below, w.red_below, w.escalate_after) == ("points", -10, -20, 0)
    assert ledger.projects[0].investment.monthly_plan is None
    ratio, _ = load_ledger(write_ledger(tmp_path / "r", [project("z1")], warning={"measure": "ratio"}))
    assert ratio is not None and (ratio.settings.warning.yellow_below, ratio.settings.warning.red_below) == (80, 60)


def test_a_positive_points_threshold_has_a_truthful_reason(tmp_path: Path) -> None:
    # yellow_below: 5 points: 2 points ahead of plan is still yellow, and the reason must not say "below".
    p = project("t2", investment={"total": 9000, "annual_plan": 1200}, actual={"start": "2025-01-01"},
                progress=[report("2026-06", 624)])
    f = one(tmp_path, "2026-06", p, warning={"yellow_below": 5, "red_below": -20})
    assert f.gap == Fraction(2, 100) and f.light == "yellow" and f.reasons == ("仅超过序时计划2.0个百分点",)


def test_schema_knows_the_monthly_plan() -> None:
    import jsonschema

    from projledger.ledger.scaffold import project_schema

    validator = jsonschema.Draft202012Validator(project_schema())
    good = {"id": "x", "name": "道路", "category": "城建", "level": "区重点", "kind": "新开工", "unit": "城关街道",
            "investment": {"total": 100, "annual_plan": 12, "monthly_plan": [1] * 12}}
    assert not list(validator.iter_errors(good))
    for bad in ([1] * 11, [1] * 13, [-1, *[1] * 11]):
        case = {**good, "investment": {**good["investment"], "monthly_plan": bad}}
        assert list(validator.iter_errors(case)), bad


def test_diff_reports_a_light_change_by_the_new_rules(tmp_path: Path) -> None:
    """A monthly plan typed in between two commits moves the light, and diff says so with the new reason."""
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.name", "项目办")
    git("config", "user.email", "xmb@example.org")
    git("config", "commit.gpgsign", "false")
    # Plan 1200 spread evenly: 900 expected by September, 700 done -> 16.7 points behind, yellow.
    p = project("2026-x-001", investment={"total": 9000, "annual_plan": 1200}, actual={"start": "2025-01-01"},
                progress=[report("2026-09", 700, "主体")])
    write_ledger(tmp_path, [p])
    git("add", "-A")
    git("commit", "-q", "-m", "九月")
    # The office's own monthly plan puts most of the year's money in the fourth quarter: 600 by September.
    plan = [0, 0, 50, 50, 50, 100, 100, 100, 150, 200, 200, 200]
    write_ledger(tmp_path, [{**p, "investment": {**p["investment"], "monthly_plan": plan}}])
    result = CliRunner().invoke(app, ["diff", "--format", "json", "--ledger", str(tmp_path)])
    assert result.exit_code == 0, result.output
    change = json.loads(result.stdout)["projects"][0]
    assert (change["light_old"], change["light_new"]) == ("yellow", "green")
    table = CliRunner().invoke(app, ["diff", "--ledger", str(tmp_path)])
    assert "预警 黄→绿" in table.output and "分月计划" in table.output  # fields named in Chinese
    # No monthly plan, but 武汉-style ratio lights in projledger.yaml: 700 is 77.8 % of 900, below 78 %: red.
    write_ledger(tmp_path, [p], warning={"measure": "ratio", "yellow_below": 90, "red_below": 78})
    result = CliRunner().invoke(app, ["diff", "--ledger", str(tmp_path)])
    assert "预警 黄→红（仅完成序时计划的77.8%）" in result.output, result.output


# --- what a user sees: show, status table and csv on the example ledger -----------------------------

def test_show_draws_the_trend_against_the_projects_own_plan(runner: CliRunner, example_root: Path) -> None:
    result = runner.invoke(app, ["show", "2026-cy-002", "--ledger", str(example_root)])
    assert result.exit_code == 0, result.output
    out = result.output
    # Its monthly plan: nothing before April, 21,190 by October; 23,080 done is 108.9 % of it.
    assert "27,110.00 万元（分月计划）" in out
    assert "1-10月计划" in out and "21,190.00 万元（序时进度 78.2%）" in out
    assert "超过序时计划 7.0 个百分点，完成序时计划的 108.9%" in out
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip().startswith("2026-")}
    assert "2,950.00" in rows["2026-04"] and "│" in rows["2026-04"]  # below plan: the mark after the bar
    assert "┃" in rows["2026-10"]  # ahead of plan: the mark inside the bar
    december = runner.invoke(app, ["show", "2026-ms-005", "--ledger", str(example_root)]).output
    assert "0.00 万元（序时进度 0.0%）" in december and "●绿" in december and "进度正常" in december
    finished = runner.invoke(app, ["show", "2026-ms-009", "--ledger", str(example_root)]).output
    assert "未报（已竣工，数据沿用上次填报）" in finished and "●绿" in finished and "进度正常" in finished


def test_status_headline_and_csv_carry_the_plan_to_date(runner: CliRunner, example_root: Path) -> None:
    table = runner.invoke(app, ["status", "--ledger", str(example_root)])
    assert table.exit_code == 0, table.output
    data = json.loads(runner.invoke(app, ["status", "--format", "json", "--ledger", str(example_root)]).stdout)
    plan_rate = Fraction(data["totals"]["completed"]) / Fraction(data["totals"]["plan_to_date"])
    assert f"完成1-10月计划的 {float(plan_rate) * 100:.1f}%" in table.output
    csv_text = runner.invoke(app, ["status", "--format", "csv", "--ledger", str(example_root)]).stdout
    header = csv_text.lstrip("\ufeff").splitlines()[0].split(",")
    assert {"1-10月计划投资（万元）", "序时进度", "完成序时计划"} <= set(header)  # the csv is for people


def test_a_finished_project_is_not_counted_or_listed_as_unreported(tmp_path: Path) -> None:
    done = project("f1", actual={"start": "2025-03-01", "finish": "2026-08-25"}, progress=[report("2026-08", 1000)])
    running = project("r1", actual={"start": "2025-03-01"}, progress=[report("2026-08", 100)])
    root = write_ledger(tmp_path, [done, running])
    mf = figures(root, "2026-10")
    assert mf.totals.unreported == 1
    assert [f.project.id for f in mf.projects if f.owes_report] == ["r1"]
    result = CliRunner().invoke(app, ["status", "--ledger", str(root), "--month", "2026-10"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("本月未报"))
    assert "项目r1" in line and "项目f1" not in line
