"""Each formula of SPEC section 2 on small hand-made ledgers whose answers were worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from ledgerkit import project, report, write_ledger
from projledger.figures.metrics import MonthFigures, compute, days_overdue, to_json, trend
from projledger.ledger.load import load_ledger


def load(root: Path):  # type: ignore[no-untyped-def]
    ledger, errors = load_ledger(root)
    assert ledger is not None
    assert not [e for e in errors if e.is_error], errors
    return ledger


@pytest.fixture
def seven(tmp_path: Path) -> MonthFigures:
    """Seven projects, report month 2026-09 (time progress 9/12 = 75%).

    p1 新开工 甲: plan 1000 with a monthly plan whose Jan-Sep amounts sum to 750 (75%), 550 done -> 55%,
                  gap exactly -20 pts -> yellow (not red); started on time.
    p2 续建  甲: plan 2000, 1300 -> 65%, gap exactly -10 pts -> green; before_year 5000 -> cumulative 6300.
    p3 新开工 乙: plan 0 -> no rate; planned start = as_of, not started -> overdue 0 days, within grace -> green.
    p4 新开工 乙: plan 1000, 600 -> gap -15 (yellow) but 30 days overdue start -> red.
    p5 新开工 丙: started 09-15 though planned 11-01 (early start); no 09 report -> carries 700 from 07;
                  gap -5 but started and unreported -> yellow.
    p6 前期  丙: plan 0, nothing reported -> green.
    p7 续建  甲: 800 in 08 and 09 with the same image -> stalled; 80% -> green; finished 06-20 as planned.
    """
    projects = [
        project("p1", kind="新开工", unit="甲街道", investment={
                    "total": 5000, "annual_plan": 1000,
                    "monthly_plan": [0, 0, 100, 100, 100, 100, 100, 100, 150, 100, 100, 50]},
                planned={"start": "2026-03-01", "finish": "2027-06-30"}, actual={"start": "2026-03-10"},
                progress=[report("2026-08", 400, "主体施工"), report("2026-09", 550, "主体封顶")]),
        project("p2", unit="甲街道", investment={"total": 20000, "annual_plan": 2000, "before_year": 5000},
                planned={"start": "2025-03-01", "finish": "2026-12-31"}, actual={"start": "2025-03-05"},
                progress=[report("2026-09", 1300, "装修")]),
        project("p3", kind="新开工", unit="乙街道", investment={"total": 500, "annual_plan": 0},
                planned={"start": "2026-09-30", "finish": "2027-12-31"}),
        project("p4", kind="新开工", unit="乙街道", investment={"total": 3000, "annual_plan": 1000},
                planned={"start": "2026-08-31", "finish": "2027-12-31"},
                progress=[report("2026-09", 600, "前期")]),
        project("p5", kind="新开工", unit="丙管委会", category="城建",
                investment={"total": 8000, "annual_plan": 1000},
                planned={"start": "2026-11-01", "finish": "2027-12-31"}, actual={"start": "2026-09-15"},
                progress=[report("2026-07", 700, "场平")]),
        project("p6", kind="前期", unit="丙管委会", investment={"total": 50000, "annual_plan": 0}),
        project("p7", unit="甲街道", investment={"total": 2000, "annual_plan": 1000, "before_year": 100},
                planned={"start": "2025-06-01", "finish": "2026-06-30"},
                actual={"start": "2025-06-01", "finish": "2026-06-20"},
                progress=[report("2026-08", 800, "收尾"), report("2026-09", 800, "收尾")]),
    ]
    return compute(load(write_ledger(tmp_path, projects)), "2026-09")


def test_time_progress_and_as_of(seven: MonthFigures) -> None:
    assert seven.time_progress == Fraction(3, 4)
    assert seven.as_of == date(2026, 9, 30)


def test_exact_boundaries_twenty_and_ten_points(seven: MonthFigures) -> None:
    p1, p2 = seven.project("p1"), seven.project("p2")
    assert p1 is not None and p2 is not None
    assert p1.gap == Fraction(-1, 5) and p1.light == "yellow"
    assert p2.gap == Fraction(-1, 10) and p2.light == "green"
    assert p2.cumulative == Decimal(6300)


def test_annual_plan_zero_has_no_rate(seven: MonthFigures) -> None:
    p3 = seven.project("p3")
    assert p3 is not None
    assert p3.completion_rate is None and p3.gap is None
    assert p3.due_to_start and p3.overdue_start and p3.days_late == 0
    assert p3.light == "green"  # 0 days late is not more than start_grace_days 0


def test_overdue_start_is_red(seven: MonthFigures) -> None:
    p4 = seven.project("p4")
    assert p4 is not None
    assert p4.days_late == 30 and p4.light == "red"
    assert "逾期未开工30天" in p4.reasons


def test_unreported_carries_forward_and_started_is_yellow(seven: MonthFigures) -> None:
    p5 = seven.project("p5")
    assert p5 is not None
    assert not p5.reported and p5.completed == Decimal(700)
    assert p5.early_start and not p5.due_to_start
    assert p5.light == "yellow" and p5.reasons == ("本月未报",)


def test_stalled_and_finished(seven: MonthFigures) -> None:
    p7 = seven.project("p7")
    assert p7 is not None
    assert p7.stalled and p7.finished and p7.light == "green"
    assert not seven.project("p1").stalled  # type: ignore[union-attr]


def test_totals(seven: MonthFigures) -> None:
    t = seven.totals
    assert (t.annual_plan, t.completed) == (Decimal(6000), Decimal(3950))
    assert t.completion_rate == Fraction(3950, 6000)
    assert (t.new_starts, t.started, t.start_rate) == (4, 2, Fraction(1, 2))
    assert (t.due_to_start, t.due_started, t.due_start_rate) == (3, 1, Fraction(1, 3))
    assert t.early_starts == 1
    assert (t.finish_planned, t.finished) == (2, 1)
    assert (t.red, t.yellow, t.green) == (1, 2, 4)


def test_units_weighted_by_money_and_ranked(seven: MonthFigures) -> None:
    units = {g.name: g for g in seven.units}
    assert units["甲街道"].completion_rate == Fraction(2650, 4000)  # not the mean of 55%, 65%, 80%
    assert units["乙街道"].completion_rate == Fraction(600, 1000)
    assert units["丙管委会"].start_rate == 1
    assert [(g.name, g.rank) for g in seven.units] == [("丙管委会", 1), ("甲街道", 2), ("乙街道", 3)]


def test_empty_group_rates_are_none(seven: MonthFigures) -> None:
    levels = {g.name: g for g in seven.groups["level"]}
    assert levels["省重点"].projects == 0
    assert levels["省重点"].completion_rate is None and levels["省重点"].start_rate is None
    kinds = {g.name: g for g in seven.groups["kind"]}
    assert kinds["续建"].start_rate is None  # no new starts among continuing projects


def test_json_shape(seven: MonthFigures) -> None:
    data = to_json(seven)
    assert data["month"] == "2026-09" and data["as_of"] == "2026-09-30" and data["time_progress"] == 0.75
    group_keys = {"projects", "annual_plan", "completed", "completion_rate", "new_starts", "started",
                  "start_rate", "due_to_start", "due_started", "due_start_rate", "early_starts",
                  "finish_planned", "finished", "red", "yellow", "green"}
    assert group_keys <= set(data["totals"])
    for name, key in (("units", "unit"), ("categories", "category"), ("levels", "level"), ("kinds", "kind")):
        for row in data[name]:
            assert key in row and group_keys <= set(row)
    assert all("rank" in row for row in data["units"])
    p3 = next(p for p in data["projects"] if p["id"] == "p3")
    assert p3["completion_rate"] is None and p3["gap"] is None and p3["days_late"] == 0
    p1 = next(p for p in data["projects"] if p["id"] == "p1")
    assert p1["days_late"] is None and p1["gap"] == pytest.approx(-0.2) and p1["annual_plan"] == 1000
    project_keys = {"id", "name", "unit", "category", "level", "kind", "annual_plan", "completed", "cumulative",
                    "completion_rate", "gap", "light", "reported", "started", "finished", "due_to_start",
                    "overdue_start", "days_late", "stalled"}
    assert project_keys <= set(p1)


def test_ranking_ties_by_start_rate_then_declared_order(tmp_path: Path) -> None:
    units = ["东", "西", "南", "北"]
    projects = [
        # 东: 50%, start rate 0/1; 西: 50%, start rate 1/1; 南: like 东; 北: no plan -> no rate, last.
        project("e1", unit="东", kind="新开工", planned={"start": "2026-12-01"},
                progress=[report("2026-06", 500)]),
        project("w1", unit="西", kind="新开工", planned={"start": "2026-12-01"}, actual={"start": "2026-05-01"},
                progress=[report("2026-06", 500)]),
        project("s1", unit="南", kind="新开工", planned={"start": "2026-12-01"},
                progress=[report("2026-06", 500)]),
        project("n1", unit="北", investment={"total": 10, "annual_plan": 0}),
    ]
    mf = compute(load(write_ledger(tmp_path, projects, units=units)), "2026-06")
    assert [(g.name, g.rank) for g in mf.units] == [("西", 1), ("东", 2), ("南", 3), ("北", 4)]


def test_exact_arithmetic_when_time_progress_is_not_a_finite_decimal(tmp_path: Path) -> None:
    # July: 7/12. 230/600 = 23/60 = 7/12 - 1/5, exactly 20 points behind: yellow, never red by rounding.
    projects = [project("x1", investment={"total": 1000, "annual_plan": 600}, progress=[report("2026-07", 230)])]
    mf = compute(load(write_ledger(tmp_path, projects)), "2026-07")
    x1 = mf.project("x1")
    assert x1 is not None and x1.gap == Fraction(-1, 5) and x1.light == "yellow"


def test_decimal_money_is_exact(tmp_path: Path) -> None:
    projects = [project("a", progress=[report("2026-03", Decimal("0.1"))]),
                project("b", progress=[report("2026-03", Decimal("0.2"))])]
    mf = compute(load(write_ledger(tmp_path, projects)), "2026-03")
    assert mf.totals.completed == Decimal("0.3")


def test_day_mode_time_progress(tmp_path: Path) -> None:
    mf = compute(load(write_ledger(tmp_path, [project("a")], time_progress="day")), "2026-09")
    assert mf.time_progress == Fraction(273, 365)


def test_custom_thresholds_and_grace(tmp_path: Path) -> None:
    warning = {"yellow_below": -5, "red_below": -30, "start_grace_days": 40}
    projects = [
        project("late", kind="新开工", planned={"start": "2026-08-31"}, investment={"total": 1, "annual_plan": 0}),
        project("gap", progress=[report("2026-09", 600)]),  # 60% vs 75%: -15 pts -> yellow with -5 threshold
    ]
    mf = compute(load(write_ledger(tmp_path, projects, warning=warning)), "2026-09")
    assert mf.project("late").light == "green"  # type: ignore[union-attr]  # 30 days <= 40 days grace
    assert mf.project("gap").light == "yellow"  # type: ignore[union-attr]


def test_reports_of_other_years_are_ignored_for_carry_forward(tmp_path: Path) -> None:
    projects = [project("a", progress=[report("2026-02", 100), report("2026-05", 300)])]
    mf = compute(load(write_ledger(tmp_path, projects)), "2026-04")
    a = mf.project("a")
    assert a is not None and a.completed == Decimal(100) and not a.reported
    assert a.previous is not None and a.previous.month == "2026-02"


def test_open_and_overdue_problems_come_from_the_latest_report(tmp_path: Path) -> None:
    late = {"type": "拆迁", "text": "3户未签约", "due": "2026-09-15"}
    on_time = {"type": "融资", "text": "贷款未到位", "due": "2026-09-30"}
    done = {"type": "土地", "text": "指标", "due": "2026-08-01", "resolved": "2026-08-20"}
    projects = [project("a", progress=[report("2026-08", 100, problems=[{"type": "旧", "text": "上月问题"}]),
                                       report("2026-09", 200, problems=[late, on_time, done])])]
    mf = compute(load(write_ledger(tmp_path, projects)), "2026-09")
    a = mf.project("a")
    assert a is not None
    assert [q.text for q in a.open_problems] == ["3户未签约", "贷款未到位"]  # not last month's, not resolved
    assert [days_overdue(q, mf.as_of) for q in a.open_problems] == [15, None]  # due on as_of is not overdue


def test_trend_targets_follow_time_progress(tmp_path: Path) -> None:
    projects = [project("a", investment={"total": 5000, "annual_plan": 1200},
                        progress=[report("2026-01", 50), report("2026-03", 400)])]
    mf = compute(load(write_ledger(tmp_path, projects)), "2026-03")
    a = mf.project("a")
    assert a is not None
    points = trend(mf, a)
    assert [(t.month, t.target, t.completion_rate) for t in points] == [
        ("2026-01", Decimal(100), Fraction(50, 1200)), ("2026-02", Decimal(200), None),
        ("2026-03", Decimal(300), Fraction(400, 1200))]
    day_mf = compute(load(write_ledger(tmp_path / "d", projects, time_progress="day")), "2026-03")
    assert trend(day_mf, day_mf.projects[0])[0].target == Decimal(1200) * 31 / 365
