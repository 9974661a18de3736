"""倒排工期 (SPEC section 3) on chains worked out by hand against the real 2026 calendar.

Working days used below (2026): 09-20 (Sun) and 10-10 (Sat) are 调休 working days; 09-25 (中秋) and
10-01..10-07 (国庆) are off; 02-15..02-23 (春节) are off, with 02-14 and 02-28 (Saturdays) working.
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from projledger.figures.schedule import (
    STEP_STATUSES,
    StepPlan,
    build_schedule,
    node_tracking,
    plan_chain,
)
from projledger.figures.schedule_json import schedule_json
from projledger.figures.workdays import WorkCalendar
from projledger.ledger.errors import InputError
from projledger.ledger.load import load_ledger
from projledger.ledger.loader import Ledger
from projledger.ledger.procedures import StepSpec, load_template

D = date

# The SPEC's example chain: a join on 施工许可.
JOIN = (
    StepSpec("立项", 5),
    StepSpec("规划许可", 15, ("立项",)),
    StepSpec("土地报批", 40, ("立项",)),
    StepSpec("环评", 20, ("立项",)),
    StepSpec("施工许可", 10, ("规划许可", "土地报批", "环评")),
)


def by_name(steps: tuple[StepPlan, ...]) -> dict[str, StepPlan]:
    return {s.name: s for s in steps}


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def load(root: Path) -> Ledger:
    (root / "projects").mkdir(exist_ok=True)  # a ledger always has one, even when it holds no project yet
    ledger, errors = load_ledger(root)
    assert ledger is not None
    assert not [e for e in errors if e.is_error], errors
    return ledger


SETTINGS = """
    district: 测试区
    year: 2026
    units: [甲街道, 乙街道]
    categories: [城建]
    levels: [区重点]
    procedures: my_procedures.yaml
    nodes:
      - {name: 五一集中开工, date: 2026-04-30}
      - {name: 十一集中开工, date: 2026-09-30}
      - {name: 年底集中竣工, date: 2026-12-31, kind: finish}
      - {name: 现场观摩, date: 2026-06-15, kind: visit}
"""

SHORT_CHAIN = """
    城建:
      before_start:
        - {name: 立项, days: 2}
      before_finish:
        - {name: 竣工验收, days: 5}
"""


def project_yaml(pid: str, *, kind: str = "新开工", unit: str = "甲街道", planned: str = "{start: 2026-10-12}",
                 actual: str = "{}", procedures: str = "{}", days: str = "{}") -> str:
    return f"""
        id: {pid}
        name: 项目{pid}
        category: 城建
        level: 区重点
        kind: {kind}
        unit: {unit}
        leader: 王副区长
        investment: {{total: 1000, annual_plan: 500}}
        planned: {planned}
        actual: {actual}
        procedures: {procedures}
        procedure_days: {days}
    """


# --- the backward pass -------------------------------------------------------------------------


def test_backward_pass_with_a_join_right_after_national_day() -> None:
    cal = WorkCalendar()
    steps, _, _ = plan_chain(JOIN, D(2026, 10, 12), D(2026, 6, 30), cal)
    s = by_name(steps)
    # 施工许可: anchor Mon 10-12, prev = Sat 10-10 (调休). Back 9 more working days:
    #   10-09, 10-08, [10-01..07 off], 09-30, 09-29, 09-28, [09-26/27 weekend, 09-25 中秋], 09-24, 09-23,
    #   09-22, 09-21 -> latest_start 09-21.
    assert (s["施工许可"].latest_finish, s["施工许可"].latest_start) == (D(2026, 10, 10), D(2026, 9, 21))
    # 规划许可/土地报批/环评 all end the working day before 09-21: Sunday 09-20 (调休).
    for name in ("规划许可", "土地报批", "环评"):
        assert s[name].latest_finish == D(2026, 9, 20)
    # 规划许可 15 days: 09-20 back 14 -> 09-18,17,16,15,14,11,10,09,08,07,04,03,02,01 -> 09-01.
    assert s["规划许可"].latest_start == D(2026, 9, 1)
    # 环评 20 days: from 09-01 (14) on: 08-31,28,27,26,25 -> 08-25.
    assert s["环评"].latest_start == D(2026, 8, 25)
    # 土地报批 40 days: on to 08-25 (19): 24,21,20,19,18,17,14,13,12,11,10,07,06,05,04,03,
    #   07-31,30,29,28 -> 07-28.
    assert s["土地报批"].latest_start == D(2026, 7, 28)
    # 立项 ends before the earliest of its followers' starts (07-28, the join): 07-27; 5 days -> 07-21.
    assert (s["立项"].latest_finish, s["立项"].latest_start) == (D(2026, 7, 27), D(2026, 7, 21))


def test_a_working_sunday_moves_a_step_and_a_ledger_holiday_moves_it_back() -> None:
    chain = (StepSpec("A", 7), StepSpec("B", 2, ("A",)))
    # B: prev(Fri 10-09) = 10-08, back 1 -> 09-30. A: prev(09-30) = 09-29, back 6:
    #   09-28, 09-24, 09-23, 09-22, 09-21, 09-20 (Sunday, 调休) -> 09-20.
    s = by_name(plan_chain(chain, D(2026, 10, 9), D(2026, 6, 30), WorkCalendar())[0])
    assert s["B"].latest_finish == D(2026, 10, 8) and s["B"].latest_start == D(2026, 9, 30)
    assert s["A"].latest_finish == D(2026, 9, 29) and s["A"].latest_start == D(2026, 9, 20)
    # Without the working Sunday the 6th day back is Friday 09-18.
    s = by_name(plan_chain(chain, D(2026, 10, 9), D(2026, 6, 30), WorkCalendar(holidays=[D(2026, 9, 20)]))[0])
    assert s["A"].latest_start == D(2026, 9, 18)


def test_a_working_saturday_is_the_last_day_before_a_monday_anchor() -> None:
    s = plan_chain((StepSpec("施工许可", 1),), D(2026, 10, 12), D(2026, 6, 30), WorkCalendar())[0][0]
    assert s.latest_finish == s.latest_start == D(2026, 10, 10)  # Saturday 调休, not Friday 10-09


def test_spring_festival_both_ways() -> None:
    cal = WorkCalendar()
    # Anchor Mon 03-02: prev = Sat 02-28 (调休); 3 days back: 02-27, 02-26 -> latest_start 02-26.
    # As of Fri 02-13: first = Sat 02-14 (调休); +2 working days: 02-24, 02-25 -> earliest_finish 02-25;
    # earliest start = next(02-25) = 02-26 <= 03-02, so not behind.
    # The 10th working day after 02-13: 02-14, 24, 25, 26, 27, 28, 03-02, 03, 04, 05 -> 03-05 >= 02-26: due soon.
    steps, earliest, behind = plan_chain((StepSpec("施工许可", 3),), D(2026, 3, 2), D(2026, 2, 13), cal)
    s = steps[0]
    assert (s.latest_start, s.latest_finish) == (D(2026, 2, 26), D(2026, 2, 28))
    assert (s.earliest_start, s.earliest_finish) == (D(2026, 2, 14), D(2026, 2, 25))
    assert s.status == "due_soon"
    assert (earliest, behind) == (D(2026, 2, 26), 0)


# --- status and the forward pass ---------------------------------------------------------------


def test_statuses_forward_pass_and_behind_workdays() -> None:
    cal = WorkCalendar()
    done = {"立项": D(2026, 7, 30), "规划许可": D(2026, 8, 20)}
    steps, earliest, behind = plan_chain(JOIN, D(2026, 10, 12), D(2026, 8, 31), cal, done)
    s = by_name(steps)
    assert s["立项"].status == "done_late"  # 07-30 after latest_finish 07-27
    assert s["规划许可"].status == "done"  # 08-20 <= 09-20
    assert s["土地报批"].status == "due_soon"  # latest start 07-28 already passed, finish 09-20 not yet
    assert s["环评"].status == "due_soon"
    # 10th working day after Mon 08-31: 09-01,02,03,04,07,08,09,10,11,14 -> 09-14 < 09-21.
    assert s["施工许可"].status == "pending"
    # Forward from next(08-31) = 09-01:
    #   土地报批 40 days: 09-01 + 39 working days (09-20 counted, 09-25 and 10-01..07 not, 10-10 counted) -> 10-30
    #   环评 20 days: 09-01 + 19 -> 09-28
    #   施工许可 starts next(10-30) = 11-02, + 9 -> 11-13; feasible start = next(11-13) = 11-16.
    assert (s["土地报批"].earliest_start, s["土地报批"].earliest_finish) == (D(2026, 9, 1), D(2026, 10, 30))
    assert s["环评"].earliest_finish == D(2026, 9, 28)
    assert (s["施工许可"].earliest_start, s["施工许可"].earliest_finish) == (D(2026, 11, 2), D(2026, 11, 13))
    assert s["立项"].earliest_start is None and s["规划许可"].earliest_finish is None
    assert earliest == D(2026, 11, 16)
    # Working days in (10-12, 11-16]: 10-13..16 (4), 19..23 (5), 26..30 (5), 11-02..06 (5), 09..13 (5), 16 -> 25.
    assert behind == 25


def test_within_widens_due_soon() -> None:
    steps, _, _ = plan_chain(JOIN, D(2026, 10, 12), D(2026, 8, 31), WorkCalendar(), within=15)
    # 15th working day after 08-31: ... 09-14 (10), 15, 16, 17, 18, 20 (Sunday, 调休) -> 09-20 < 09-21.
    assert by_name(steps)["施工许可"].status == "pending"
    steps, _, _ = plan_chain(JOIN, D(2026, 10, 12), D(2026, 8, 31), WorkCalendar(), within=16)
    assert by_name(steps)["施工许可"].status == "due_soon"  # 16th is 09-21, the latest start


def test_overdue_and_every_status_value() -> None:
    done = {"立项": D(2026, 7, 30), "规划许可": D(2026, 8, 20)}
    steps, _, _ = plan_chain(JOIN, D(2026, 10, 12), D(2026, 9, 30), WorkCalendar(), done)
    s = by_name(steps)
    assert s["环评"].status == "overdue"  # as_of 09-30 > latest_finish 09-20
    assert s["施工许可"].status == "due_soon"
    far = plan_chain(JOIN, D(2026, 12, 31), D(2026, 8, 31), WorkCalendar(), done)[0]
    seen = {x.status for x in steps} | {x.status for x in far}
    assert seen == set(STEP_STATUSES)


def test_everything_done_has_no_earliest_and_no_lag() -> None:
    done = {s.name: D(2026, 3, 1) for s in JOIN}
    steps, earliest, behind = plan_chain(JOIN, D(2026, 10, 12), D(2026, 11, 30), WorkCalendar(), done)
    assert {s.status for s in steps} == {"done"}
    assert (earliest, behind) == (None, 0)


def test_a_done_date_is_taken_as_written_even_after_as_of() -> None:
    # SPEC 3 reads the done date from the ledger as it stands; only latest_finish decides done/done_late.
    steps, _, _ = plan_chain(JOIN, D(2026, 10, 12), D(2026, 8, 31), WorkCalendar(), {"立项": D(2026, 9, 5)})
    s = by_name(steps)["立项"]
    assert s.done == D(2026, 9, 5) and s.status == "done_late"
    assert s.earliest_start is None  # a done step is left out of the forward pass


def test_procedure_days_override() -> None:
    steps, _, _ = plan_chain((StepSpec("环评", 20),), D(2026, 10, 12), D(2026, 6, 30), WorkCalendar(),
                             days={"环评": 1})
    assert steps[0].days == 1 and steps[0].latest_start == steps[0].latest_finish == D(2026, 10, 10)


# --- the bundled template ----------------------------------------------------------------------


def test_bundled_template_is_valid_and_uses_the_agreed_names(tmp_path: Path) -> None:
    ledger = load(write(tmp_path, {"projledger.yaml": SETTINGS.replace("procedures: my_procedures.yaml", "")}))
    template, errors = load_template(ledger)
    assert errors == [] and template is not None
    industry = ["备案", "用地预审与选址", "土地报批", "规划许可", "环评", "能评", "施工图审查", "施工许可"]
    public = ["立项", "用地预审与选址", "可研批复", "土地报批", "规划许可", "环评", "初步设计", "施工图审查",
              "招投标", "施工许可"]
    finish = ["规划核实", "消防验收", "竣工验收"]
    assert sorted(s.name for s in template.chain("产业", "start") or ()) == sorted(industry)
    for category in ("城建", "服务业", "民生"):
        assert sorted(s.name for s in template.chain(category, "start") or ()) == sorted(public)
    for category in ("产业", "城建", "服务业", "民生"):
        chain = template.chain(category, "finish") or ()
        assert [s.name for s in chain] == finish
        assert set(chain[-1].after) == {"规划核实", "消防验收"}
    assert template.chain("农业", "start") is None


# --- build_schedule on ledgers -----------------------------------------------------------------


def test_chain_choice_anchor_and_skips(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "projledger.yaml": SETTINGS,
        "my_procedures.yaml": SHORT_CHAIN,
        "projects/a.yaml": project_yaml("a"),
        "projects/b.yaml": project_yaml("b", kind="续建", planned="{start: 2025-03-01, finish: 2026-12-31}",
                                        actual="{start: 2025-03-10}"),
        "projects/c.yaml": project_yaml("c", planned="{start: null}"),
        "projects/d.yaml": project_yaml("d", kind="续建", actual="{start: 2025-03-10, finish: 2026-06-30}"),
        "projects/e.yaml": project_yaml("e", planned="{start: 2026-10-12}", actual="{start: 2026-10-20}"),
    })
    report = build_schedule(load(root), "2026-09")
    assert report.as_of == D(2026, 9, 30)
    got = {ps.project.id: (ps.anchor, ps.anchor_date) for ps in report.projects}
    # e started after as_of, so at the end of September it still needs its start chain.
    assert got == {"a": ("start", D(2026, 10, 12)), "b": ("finish", D(2026, 12, 31)),
                   "e": ("start", D(2026, 10, 12))}
    assert any("c" in w and "planned.start" in w for w in report.warnings)
    assert not any("d（" in w for w in report.warnings)  # finished projects are skipped quietly
    only = build_schedule(load(root), "2026-09", ["d"])
    assert only.projects == [] and "已于 2026-06-30 竣工" in only.warnings[0]


def test_unknown_id_is_an_input_error(tmp_path: Path) -> None:
    root = write(tmp_path, {"projledger.yaml": SETTINGS, "my_procedures.yaml": SHORT_CHAIN,
                            "projects/2026-cj-001.yaml": project_yaml("2026-cj-001")})
    with pytest.raises(InputError, match="2026-cj-010"):
        build_schedule(load(root), "2026-09", ["2026-cj-010"])


def test_a_2027_anchor_warns_once_and_ledger_holidays_change_the_result(tmp_path: Path) -> None:
    files = {"projledger.yaml": SETTINGS, "my_procedures.yaml": SHORT_CHAIN,
             "projects/a.yaml": project_yaml("a", planned="{start: 2027-01-04}"),
             "projects/b.yaml": project_yaml("b", planned="{start: 2027-01-04}")}
    report = build_schedule(load(write(tmp_path, files)), "2026-09")
    # Mon 2027-01-04, weekends only: prev = Fri 2027-01-01; 立项 2 days -> starts Thu 2026-12-31.
    step = report.projects[0].steps[0]
    assert (step.latest_start, step.latest_finish) == (D(2026, 12, 31), D(2027, 1, 1))
    year_warnings = [w for w in report.warnings if "2027" in w and "节假日" in w]
    assert len(year_warnings) == 1  # once per run, not once per project
    assert "projledger.yaml" in year_warnings[0]

    fixed = SETTINGS + "    calendar: {holidays: [2027-01-01]}\n"
    report = build_schedule(load(write(tmp_path, {"projledger.yaml": fixed})), "2026-09")
    # With 元旦 off: prev(2027-01-04) = Thu 2026-12-31, back 1 -> Wed 2026-12-30.
    step = report.projects[0].steps[0]
    assert (step.latest_start, step.latest_finish) == (D(2026, 12, 30), D(2026, 12, 31))
    assert not [w for w in report.warnings if "2027" in w and "节假日" in w]


def test_category_without_a_chain_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    settings = SETTINGS.replace("categories: [城建]", "categories: [城建, 农业]")
    root = write(tmp_path, {"projledger.yaml": settings, "my_procedures.yaml": SHORT_CHAIN,
                            "projects/a.yaml": project_yaml("a").replace("category: 城建", "category: 农业")})
    ledger, errors = load_ledger(root)
    assert ledger is not None
    assert [e for e in errors if e.is_error] == []
    assert any("农业" in str(e) and e.path == "projledger.yaml" for e in errors)
    report = build_schedule(ledger, "2026-09")
    assert report.projects == [] and any("农业" in w for w in report.warnings)


# --- template and project checks (file:line) ---------------------------------------------------


def test_a_cycle_in_the_ledger_template_is_a_check_error_at_its_line(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "projledger.yaml": SETTINGS,
        "my_procedures.yaml": """
            城建:
              before_start:
                - {name: 立项, days: 5}
                - {name: 规划许可, days: 5, after: [立项, 施工许可]}
                - {name: 施工许可, days: 5, after: [规划许可]}
        """,
        "projects/a.yaml": project_yaml("a"),
    })
    _, errors = load_ledger(root)
    cycle = [e for e in errors if "循环" in e.message]
    assert len(cycle) == 1 and cycle[0].is_error
    assert (cycle[0].path, cycle[0].line) == ("my_procedures.yaml", 4)
    assert "规划许可 → 施工许可 → 规划许可" in cycle[0].message


def test_unknown_after_and_bad_days_are_placed(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "projledger.yaml": SETTINGS,
        "my_procedures.yaml": """
            城建:
              before_start:
                - {name: 立项, days: 5}
                - {name: 施工许可, days: 5, after: [立想]}
        """,
        "projects/a.yaml": project_yaml("a"),
    })
    errors = [e for e in load_ledger(root)[1] if e.is_error]
    assert [(e.path, e.line) for e in errors] == [("my_procedures.yaml", 4)]
    assert "立想" in errors[0].message and "立项" in errors[0].message
    (root / "my_procedures.yaml").write_text("城建:\n  before_start:\n    - {name: 立项, days: 0}\n", encoding="utf-8")
    errors = [e for e in load_ledger(root)[1] if e.is_error]
    assert [(e.path, e.line) for e in errors] == [("my_procedures.yaml", 3)]


def test_missing_template_file_points_at_the_setting(tmp_path: Path) -> None:
    root = write(tmp_path, {"projledger.yaml": SETTINGS, "projects/a.yaml": project_yaml("a")})
    found = [e for e in load_ledger(root)[1] if e.path == "projledger.yaml"]
    assert [(e.line, e.severity) for e in found] == [(6, "warning")]
    assert "my_procedures.yaml" in found[0].message and "内置模板" in found[0].message
    # The meeting still gets its 倒排, from the bundled template.
    report = build_schedule(load_ledger(root, run_checks=False)[0], "2026-09")  # type: ignore[arg-type]
    assert report.projects


def test_unknown_step_names_in_a_project(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "projledger.yaml": SETTINGS,
        "my_procedures.yaml": SHORT_CHAIN,
        "projects/a.yaml": """
            id: a
            name: 项目a
            category: 城建
            level: 区重点
            kind: 新开工
            unit: 甲街道
            investment: {total: 1000, annual_plan: 500}
            planned: {start: 2026-10-12}
            procedures:
              立项: 2026-01-15
              拆迁: null
            procedure_days:
              竣工验收: 3
              立相: 4
        """,
    })
    found = [e for e in load_ledger(root)[1] if e.path == "projects/a.yaml"]
    assert [(e.line, e.severity) for e in found] == [(11, "warning"), (14, "error")]
    assert "未知的前期手续“拆迁”，可选：立项、竣工验收" in found[0].message  # kept, not scheduled
    assert "是不是“立项”" in found[1].message  # a days override for a misspelt step is a typo


def test_calendar_date_in_both_lists_is_an_error(tmp_path: Path) -> None:
    settings = SETTINGS + "    calendar: {holidays: [2027-01-01], workdays: [2027-01-01]}\n"
    root = write(tmp_path, {"projledger.yaml": settings, "my_procedures.yaml": SHORT_CHAIN})
    (root / "projects").mkdir(exist_ok=True)  # a ledger without projects/ is an error of its own
    errors = [e for e in load_ledger(root)[1] if e.is_error]
    assert len(errors) == 1 and "同时" in errors[0].message and errors[0].line == 12


# --- nodes -------------------------------------------------------------------------------------


def test_nodes_gather_projects_between_batch_dates(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "projledger.yaml": SETTINGS,
        "my_procedures.yaml": SHORT_CHAIN,
        # 五一 node (<= 04-30): started on time, started late, not started (node passed).
        "projects/s1.yaml": project_yaml("s1", planned="{start: 2026-04-20}", actual="{start: 2026-04-25}"),
        "projects/s2.yaml": project_yaml("s2", planned="{start: 2026-04-30}", actual="{start: 2026-05-20}"),
        "projects/s3.yaml": project_yaml("s3", planned="{start: 2026-03-31}"),
        "projects/old.yaml": project_yaml("old", planned="{start: 2025-10-01}"),
        # 十一 node (05-01..09-30), as of 08-31: 立项 needs 2 days from 09-01 -> feasible start 09-03, one
        # working day after t1's own planned 09-02: behind, as its timeline says (one answer for both),
        # although 09-03 is still before the node. t2's 立项 takes 30 days:
        # 09-01 + 29 working days (09-20 counted; 09-25, 10-01..07 not; 10-10 counted) -> 10-16,
        # feasible start 10-19, after the node.
        "projects/t1.yaml": project_yaml("t1", planned="{start: 2026-09-02}"),
        "projects/t2.yaml": project_yaml("t2", planned="{start: 2026-09-30}", days="{立项: 30}"),
        "projects/t3.yaml": project_yaml("t3", planned="{start: 2026-09-02}", procedures="{立项: 2026-08-01}"),
        "projects/x.yaml": project_yaml("x", kind="续建", planned="{start: 2026-09-15}"),
        # year-end finish node: started, chain 竣工验收 5 days -> feasible 09-08; one not started.
        "projects/f1.yaml": project_yaml("f1", kind="续建", planned="{start: 2025-01-01, finish: 2026-12-20}",
                                         actual="{start: 2025-02-01}"),
        "projects/f2.yaml": project_yaml("f2", planned="{start: 2026-10-12, finish: 2026-12-25}"),
    })
    nodes = node_tracking(load(root), "2026-08")
    assert [(n.name, n.kind) for n in nodes] == [("五一集中开工", "start"), ("十一集中开工", "start"),
                                                 ("年底集中竣工", "finish")]
    status = [{np.project.id: np.status for np in n.projects} for n in nodes]
    assert status[0] == {"s1": "started", "s2": "started_late", "s3": "missed"}
    assert status[1] == {"t1": "behind", "t2": "behind", "t3": "on_track"}
    behind = {np.project.id: np.behind_workdays for np in nodes[1].projects}
    timelines = {ps.project.id: ps for ps in build_schedule(load(root), "2026-08").projects}
    assert behind == {"t1": timelines["t1"].behind_workdays, "t2": timelines["t2"].behind_workdays, "t3": 0}
    assert behind["t1"] == 1 and not timelines["t1"].on_time
    assert status[2] == {"f1": "on_track", "f2": "not_started"}
    earliest = {np.project.id: np.earliest for np in nodes[1].projects}
    assert earliest == {"t1": D(2026, 9, 3), "t2": D(2026, 10, 19), "t3": None}


def test_schedule_json_has_exactly_the_spec_keys(tmp_path: Path) -> None:
    root = write(tmp_path, {"projledger.yaml": SETTINGS, "my_procedures.yaml": SHORT_CHAIN,
                            "projects/a.yaml": project_yaml("a")})
    data = schedule_json(build_schedule(load(root), "2026-09"))
    assert set(data) == {"month", "as_of", "warnings", "projects", "nodes"}
    (p,) = data["projects"]
    assert set(p) == {"id", "name", "unit", "leader", "anchor", "anchor_date", "steps", "earliest",
                      "behind_workdays"}
    assert set(p["steps"][0]) == {"name", "days", "after", "latest_start", "latest_finish", "done", "status"}
    assert p["anchor_date"] == "2026-10-12" and p["steps"][0]["latest_finish"] == "2026-10-10"
    assert p["earliest"] == "2026-10-10" and p["behind_workdays"] == 0


def test_an_absurd_anchor_year_is_skipped_with_a_warning(tmp_path: Path) -> None:
    root = write(tmp_path, {"projledger.yaml": SETTINGS, "my_procedures.yaml": SHORT_CHAIN,
                            "projects/a.yaml": project_yaml("a", planned="{start: 0206-10-12}")})
    report = build_schedule(load(root), "2026-09")
    assert report.projects == []
    assert report.warnings == ["项目 a（项目a）：计划日期 0206-10-12 不在可推算的范围内，未倒排"]
