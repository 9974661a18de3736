"""SPEC section 2 computed a second time, from the raw project mappings, and compared with `status --format json`.

The reference below reads nothing of projledger: it works from the dicts the ledger files were written
from, with its own date and Fraction arithmetic, on seeded random ledgers (both time-progress modes,
both measures, with and without escalation and start grace, monthly plans, mid-year and December
starts, finished and unreported projects, plans of 0). Every per-project figure, every light and every
group figure of section 4 must be equal as JSON numbers (the same exact value gives the same float).
"""

from __future__ import annotations

import calendar
import json
import random
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ledgerkit import SETTINGS, project, write_ledger
from projledger.cli import app

YEAR = 2026
KINDS = ("新开工", "续建", "前期")
IMAGES = ("主体施工", "装修", "收尾")


# --- random ledgers --------------------------------------------------------------------------------

def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _amount(rng: random.Random, top: int) -> Decimal:
    value = Decimal(rng.randint(0, top * 10)) / 10
    return value if rng.random() < 0.3 else value.to_integral_value()


def _plain(value: Any) -> Any:
    """Whole amounts as ints, others as the decimal a user types (YAML would tag an integral Decimal)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, Decimal):
        return Decimal(str(value))  # a fresh object: YAML would write a repeated one as an alias
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _split(rng: random.Random, plan: Decimal, first_month: int) -> list[Decimal]:
    """12 non-negative amounts summing exactly to plan, nothing before first_month."""
    tenths = int(plan * 10)
    cuts = sorted(rng.randint(0, tenths) for _ in range(12 - first_month))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, tenths], strict=True)]
    return [Decimal(0)] * (first_month - 1) + [Decimal(x) / 10 for x in parts]


def random_project(rng: random.Random, i: int) -> dict[str, Any]:
    kind = rng.choice(KINDS)
    plan = Decimal(0) if rng.random() < 0.1 else _amount(rng, 3000)
    planned_start = None if rng.random() < 0.1 else _day(rng, date(2025, 3, 1), date(2027, 3, 31))
    if rng.random() < 0.15:
        planned_start = date(YEAR, 12, rng.randint(1, 31))  # December new starts
    actual_start = None if rng.random() < 0.3 else _day(rng, date(2025, 1, 1), date(YEAR, 12, 31))
    actual_finish = None
    if actual_start is not None and rng.random() < 0.25:
        actual_finish = _day(rng, actual_start, date(YEAR, 12, 31))
    investment: dict[str, Any] = {"total": plan * 3 + 100, "annual_plan": plan, "before_year": _amount(rng, 500)}
    if rng.random() < 0.3:
        first = planned_start.month if kind == "新开工" and planned_start and planned_start.year == YEAR else 1
        investment["monthly_plan"] = _split(rng, plan, first)
    progress = []
    done = Decimal(0)
    for m in range(1, 13):
        if rng.random() < 0.55:
            if rng.random() < 0.7:
                done += _amount(rng, int(plan / 6) + 10)
            progress.append({"month": f"{YEAR}-{m:02d}", "completed": done, "image": rng.choice(IMAGES)})
    return _plain(project(
        f"r{i:03d}", kind=kind, unit=rng.choice(SETTINGS["units"]), category=rng.choice(SETTINGS["categories"]),
        level=rng.choice(SETTINGS["levels"]), investment=investment,
        planned={"start": planned_start, "finish": _day(rng, date(YEAR, 1, 1), date(YEAR + 1, 12, 31))},
        actual={"start": actual_start, "finish": actual_finish}, progress=progress,
    ))


def random_settings(rng: random.Random) -> dict[str, Any]:
    warning: dict[str, Any]
    if rng.random() < 0.5:
        red = rng.choice([-30, -20, Decimal("-15.5")])
        warning = {"measure": "points", "red_below": red, "yellow_below": red + rng.choice([0, 5, 10])}
    else:
        red = rng.choice([40, 60, Decimal("62.5")])
        warning = {"measure": "ratio", "red_below": red, "yellow_below": min(100, red + rng.choice([0, 20, 30]))}
    warning["start_grace_days"] = rng.choice([0, 0, 15])
    warning["escalate_after"] = rng.choice([0, 1, 2, 3, 12])
    return {"time_progress": rng.choice(["month", "day"]), "warning": _plain(warning)}


# --- the reference: SPEC section 2 read literally -------------------------------------------------

def _date(value: Any) -> date | None:
    return None if value is None else value if isinstance(value, date) else date.fromisoformat(str(value))


def _last_day(m: int) -> date:
    return date(YEAR, m, calendar.monthrange(YEAR, m)[1])


def plan_to_date(p: dict[str, Any], m: int, mode: str) -> Fraction:
    inv = p["investment"]
    if "monthly_plan" in inv:
        return sum((Fraction(x) for x in inv["monthly_plan"][:m]), Fraction(0))
    start = date(YEAR, 1, 1)
    planned = _date(p["planned"]["start"])
    if p["kind"] == "新开工" and planned is not None and planned.year == YEAR:
        start = date(YEAR, planned.month, 1)
    end, as_of = date(YEAR, 12, 31), _last_day(m)
    if mode == "month":
        months_upto = max(0, m - start.month + 1)
        f = Fraction(months_upto, 12 - start.month + 1)
    else:
        days_upto = max(0, (as_of - start).days + 1)
        f = Fraction(days_upto, (end - start).days + 1)
    return Fraction(inv["annual_plan"]) * f


def base(p: dict[str, Any], m: int, s: dict[str, Any]) -> dict[str, Any]:
    """Every figure of one project for month m, with the light before escalation."""
    w, mode = s["warning"], s["time_progress"]
    as_of = _last_day(m)
    entries = {int(e["month"][5:]): e for e in p["progress"]}
    report = entries.get(m)
    earlier = [k for k in entries if k < m]
    latest = report if report is not None else (entries[max(earlier)] if earlier else None)
    completed = Fraction(latest["completed"]) if latest is not None else Fraction(0)
    plan = Fraction(p["investment"]["annual_plan"])
    rate = None if plan == 0 else completed / plan
    ptd = plan_to_date(p, m, mode)
    expected = None if plan == 0 else ptd / plan
    gap = None if rate is None or expected is None else rate - expected
    achieved = None if ptd == 0 else completed / ptd
    a_start, a_finish, planned = (_date(p["actual"]["start"]), _date(p["actual"]["finish"]),
                                  _date(p["planned"]["start"]))
    started = a_start is not None and a_start <= as_of
    finished = a_finish is not None and a_finish <= as_of
    due = p["kind"] == "新开工" and planned is not None and planned <= as_of
    overdue = due and not started
    days_late = (as_of - planned).days if overdue and planned is not None else None

    def behind(t: Any) -> bool:
        if w["measure"] == "points":
            return gap is not None and gap < Fraction(t) / 100
        return achieved is not None and achieved < Fraction(t) / 100

    if behind(w["red_below"]) or (overdue and days_late is not None and days_late > w["start_grace_days"]):
        light = "red"
    elif behind(w["yellow_below"]) or (started and not finished and report is None):
        light = "yellow"
    else:
        light = "green"
    previous = entries[max(earlier)] if earlier else None
    stalled = (report is not None and previous is not None and report["completed"] == previous["completed"]
               and report.get("image") == previous.get("image"))
    return {
        "completed": completed, "cumulative": Fraction(p["investment"]["before_year"]) + completed,
        "completion_rate": rate, "gap": gap, "plan_to_date": ptd, "expected_rate": expected, "achieved": achieved,
        "light": light, "reported": report is not None, "started": started, "finished": finished,
        "due_to_start": due, "overdue_start": overdue, "days_late": days_late, "stalled": stalled,
        "early": p["kind"] == "新开工" and started and planned is not None and planned > as_of,
        "annual_plan": plan,
    }


def figures(p: dict[str, Any], m: int, s: dict[str, Any]) -> dict[str, Any]:
    f = base(p, m, s)
    n = s["warning"]["escalate_after"]
    if n > 0 and m >= n and all(base(p, k, s)["light"] == "yellow" for k in range(m - n + 1, m + 1)):
        f["light"] = "red"
    return f


def group(fs: list[dict[str, Any]], kinds: list[str], planned_finish: list[date | None]) -> dict[str, Any]:
    plan = sum((f["annual_plan"] for f in fs), Fraction(0))
    done = sum((f["completed"] for f in fs), Fraction(0))
    ptd = sum((f["plan_to_date"] for f in fs), Fraction(0))
    new = [f for f, k in zip(fs, kinds, strict=True) if k == "新开工"]
    due = [f for f in new if f["due_to_start"]]
    fin = [f for f, d in zip(fs, planned_finish, strict=True) if d is not None and d.year == YEAR]

    def rate(a: Fraction | int, b: Fraction | int) -> Fraction | None:
        return None if b == 0 else Fraction(a) / Fraction(b)

    return {
        "projects": len(fs), "annual_plan": plan, "completed": done, "completion_rate": rate(done, plan),
        "new_starts": len(new), "started": sum(f["started"] for f in new),
        "start_rate": rate(sum(f["started"] for f in new), len(new)),
        "due_to_start": len(due), "due_started": sum(f["started"] for f in due),
        "due_start_rate": rate(sum(f["started"] for f in due), len(due)),
        "early_starts": sum(f["early"] for f in new),
        "finish_planned": len(fin), "finished": sum(f["finished"] for f in fin),
        "red": sum(f["light"] == "red" for f in fs), "yellow": sum(f["light"] == "yellow" for f in fs),
        "green": sum(f["light"] == "green" for f in fs), "plan_to_date": ptd, "plan_rate": rate(done, ptd),
    }


def as_json(value: Any) -> Any:
    """How section 4 writes a value: fractions as JSON numbers, whole amounts as integers."""
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else float(value)
    return value


# --- the comparison --------------------------------------------------------------------------------

PROJECT_KEYS = ("completed", "cumulative", "completion_rate", "gap", "plan_to_date", "expected_rate", "achieved",
                "light", "reported", "started", "finished", "due_to_start", "overdue_start", "days_late", "stalled")


@pytest.mark.parametrize("seed", range(12))
def test_status_json_matches_an_independent_reading_of_the_spec(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    projects = [random_project(rng, i) for i in range(14)]
    settings = random_settings(rng)
    root = write_ledger(tmp_path, projects, **settings)
    runner = CliRunner()
    for m in sorted(rng.sample(range(1, 13), 4)):
        result = runner.invoke(app, ["status", "--format", "json", "--month", f"{YEAR}-{m:02d}",
                                     "--ledger", str(root)])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        ref = {p["id"]: figures(p, m, settings) for p in projects}
        for row in data["projects"]:
            want = ref[row["id"]]
            for key in PROJECT_KEYS:
                assert row[key] == as_json(want[key]), (seed, m, row["id"], key, settings)
        kinds = {p["id"]: p["kind"] for p in projects}
        finish = {p["id"]: _date(p["planned"]["finish"]) for p in projects}
        ids = [p["id"] for p in projects]
        total = group([ref[i] for i in ids], [kinds[i] for i in ids], [finish[i] for i in ids])
        for key, value in total.items():
            assert data["totals"][key] == as_json(value), (seed, m, "totals", key)
        units = {p["id"]: p["unit"] for p in projects}
        for row in data["units"]:
            mine = [i for i in ids if units[i] == row["unit"]]
            g = group([ref[i] for i in mine], [kinds[i] for i in mine], [finish[i] for i in mine])
            for key, value in g.items():
                assert row[key] == as_json(value), (seed, m, row["unit"], key)
