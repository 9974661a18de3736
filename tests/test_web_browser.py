"""The report as a person sees it: headless Chromium opens the file and reads the rendered page.

Every page is checked against `status --format json` (computed independently of the page), and every
page load must make no request but the file itself, print no console error and open no dialog.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from browser import Watched, open_page, same_rate, unseen_ledger
from ledgerkit import project, report, write_ledger
from projledger.cli import app
from test_web_report import HOSTILE

runner = CliRunner()
SPEC_LEDGER = Path(__file__).resolve().parent / "data" / "spec_ledger"


def cli_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def make_report(root: Path, out: Path, *extra: str) -> Path:
    result = runner.invoke(app, ["report", "--ledger", str(root), "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def offline(w: Watched) -> None:
    """The file is the only thing the page ever loaded."""
    assert w.requests and all(u.startswith("file://") for u in w.requests), w.requests
    assert len(set(w.requests)) == 1, w.requests
    w.clean()


def figure(page: Any, name: str) -> str:
    return page.locator(f"[data-figure='{name}']").first.inner_text().strip()


def money_text(value: float) -> str:
    return f"{value:,.2f}"


def check_against_status(page: Any, status: dict[str, Any]) -> None:
    t = status["totals"]
    assert same_rate(figure(page, "time_progress"), status["time_progress"])
    for key in ("completion_rate", "start_rate", "due_start_rate"):
        assert same_rate(figure(page, key), t[key]), key
    assert figure(page, "finished") == f"{t['finished']} / {t['finish_planned']}"
    for key in ("red", "yellow", "green", "unreported", "stalled", "projects"):
        assert figure(page, key) == str(t[key]), key
    if t["plan_rate"] is None:
        assert page.locator("[data-figure='plan_rate']").count() == 0
    else:
        assert same_rate(figure(page, "plan_rate"), t["plan_rate"])
    assert figure(page, "completed") == money_text(t["completed"])
    assert figure(page, "annual_plan") == money_text(t["annual_plan"])
    assert f"截至 {status['as_of']}" in page.locator("header").inner_text()
    rows = page.locator("#unit-table tbody tr[data-unit]")
    assert rows.count() == len(status["units"])  # every unit, those without projects too
    for i, unit in enumerate(status["units"]):
        row = rows.nth(i)
        assert row.get_attribute("data-unit") == unit["unit"]
        cells = row.locator("td")
        assert cells.nth(0).inner_text() == str(unit["rank"])
        assert same_rate(row.locator("td[data-label='完成率']").inner_text(), unit["completion_rate"])
        assert row.locator("td[data-label='项目']").inner_text() == str(unit["projects"])
        ytd = "1月" if status["month"].endswith("-01") else f"1-{int(status['month'][5:])}月"
        assert same_rate(row.locator(f"td[data-label='完成{ytd}计划']").inner_text(), unit["plan_rate"])
    n = len(status["projects"])
    assert page.locator("#project-count").inner_text() == f"显示 {n} / {n} 个项目"
    assert page.locator("#unreported-list li").count() == t["unreported"]
    assert page.locator("#stalled-list li").count() == t["stalled"]


@pytest.mark.parametrize("case", ["example-10", "example-03", "spec", "unseen-1", "unseen-2"])
def test_headline_and_units_equal_status_json(browser: Any, tmp_path: Path, example_root: Path, case: str) -> None:
    if case.startswith("example"):
        root, month = example_root, f"2026-{case[-2:]}"
    elif case == "spec":
        root, month = SPEC_LEDGER, None
    else:
        root, month = unseen_ledger(tmp_path / "ledger", seed=int(case[-1])), None
    extra = ["--month", month] if month else []
    status = cli_json("status", "--ledger", str(root), *extra)
    out = make_report(root, tmp_path / "r.html", *extra)
    w = open_page(browser, out.as_uri())
    check_against_status(w.page, status)
    offline(w)


def test_filters_search_and_sort(browser: Any, tmp_path: Path, example_root: Path) -> None:
    status = cli_json("status", "--ledger", str(example_root))
    projects = status["projects"]
    w = open_page(browser, make_report(example_root, tmp_path / "r.html").as_uri())
    page = w.page
    rows = page.locator("#project-rows tr[data-id]")

    def shown() -> list[str]:
        return rows.evaluate_all("rs => rs.map(r => r.dataset.id)")

    unit = status["units"][0]["unit"]
    page.select_option("#filter-unit", unit)
    assert sorted(shown()) == sorted(p["id"] for p in projects if p["unit"] == unit)
    page.select_option("#filter-light", "red")
    assert sorted(shown()) == sorted(p["id"] for p in projects if p["unit"] == unit and p["light"] == "red")
    page.get_by_role("button", name="清除筛选").click()
    assert len(shown()) == len(projects)
    for key in ("category", "level", "kind", "leader"):
        value = next(p[key] for p in projects if p[key])
        page.select_option(f"#filter-{key}", value)
        assert sorted(shown()) == sorted(p["id"] for p in projects if p[key] == value), key
        page.select_option(f"#filter-{key}", "")
    page.fill("#search", "道路")
    assert sorted(shown()) == sorted(p["id"] for p in projects if "道路" in p["name"]) != []
    page.fill("#search", projects[5]["id"].upper())
    assert shown() == [projects[5]["id"]]
    page.fill("#search", "没有这个项目")
    assert shown() == [] and "没有符合条件的项目" in page.locator("#project-rows").inner_text()
    page.fill("#search", "")
    page.click("th[data-sort='completion_rate']")
    page.click("th[data-sort='completion_rate']")  # second click: descending
    assert page.get_attribute("th[data-sort='completion_rate']", "aria-sort") == "descending"
    rated = sorted((p for p in projects if p["completion_rate"] is not None), key=lambda p: -p["completion_rate"])
    order = shown()
    assert order[0] == rated[0]["id"]
    assert set(order[len(rated):]) == {p["id"] for p in projects if p["completion_rate"] is None}  # none last
    offline(w)


def test_project_page(browser: Any, tmp_path: Path, example_root: Path) -> None:
    status = cli_json("status", "--ledger", str(example_root))
    schedule = cli_json("schedule", "--ledger", str(example_root))
    # The project with the most overdue 倒排 steps, and one open problem at least.
    sp = max(schedule["projects"], key=lambda s: sum(st["status"] == "overdue" for st in s["steps"]))
    p = next(x for x in status["projects"] if x["id"] == sp["id"])
    w = open_page(browser, make_report(example_root, tmp_path / "r.html").as_uri())
    page = w.page
    page.fill("#search", p["id"])
    page.locator(f"#project-rows tr[data-id='{p['id']}'] a.plink").click()
    page.wait_for_selector("#project-view")
    assert page.locator("#overview-view").is_hidden()
    facts = page.locator("#project-facts").inner_text()
    for text in (p["id"], p["unit"], p["leader"], money_text(p["annual_plan"])):
        assert text in facts
    assert same_rate(re.search(r"投资完成率\s+(\S+%)", facts).group(1), p["completion_rate"])
    assert same_rate(re.search(r"完成序时计划的 (\S+%)", facts).group(1), p["achieved"])
    assert same_rate(re.search(r"序时进度\s+(\S+%)", facts).group(1), p["expected_rate"])
    assert page.locator("#trend-table tbody tr").count() == int(status["month"][5:])
    assert page.locator("#trend-chart svg").count() == 1  # ECharts drew it (SVG renderer)
    steps = page.locator("#gantt .g-row[data-step]")
    assert steps.evaluate_all("rs => rs.map(r => r.dataset.step)") == [st["name"] for st in sp["steps"]]
    overdue = [st["name"] for st in sp["steps"] if st["status"] == "overdue"]
    assert overdue and page.locator("#gantt .g-row.overdue").evaluate_all("rs => rs.map(r => r.dataset.step)") == overdue
    assert page.locator("#gantt .g-bar.s-overdue").count() == len(overdue)
    page.click("text=← 返回项目一览")
    page.wait_for_selector("#overview-view", state="visible")
    assert page.locator("#project-view").count() == 0
    page.goto(page.url.split("#")[0] + "#p/" + "没有的编号")
    assert "没有编号为“没有的编号”的项目" in page.locator("#project-view").inner_text()
    offline(w)


def test_masked_page_shows_rates_but_no_money_or_leader(browser: Any, tmp_path: Path, example_root: Path) -> None:
    status = cli_json("status", "--ledger", str(example_root))
    w = open_page(browser, make_report(example_root, tmp_path / "m.html", "--mask").as_uri())
    page = w.page
    assert page.locator("[data-masked]").inner_text().startswith("脱敏版")
    assert same_rate(figure(page, "completion_rate"), status["totals"]["completion_rate"])
    assert page.locator("[data-figure='completed']").count() == 0
    assert page.locator("#filter-leader").count() == 0
    leaders = {p["leader"] for p in status["projects"] if p["leader"]}
    amount = re.compile(r"[0-9０-９] ?(多|余)?(万元|亿元|元)")

    def check(view: str) -> str:
        text = page.locator(view).inner_text()
        assert not amount.search(text), (view, amount.search(text))  # not even in problem texts
        assert not [name for name in leaders if name in text], view
        return text

    assert "××万元" in check("#overview-view")  # an amount in a problem text, masked
    page.goto(page.url + "#p/" + status["projects"][0]["id"])
    page.wait_for_selector("#project-view")
    check("#project-view")
    offline(w)


def test_hostile_ledger_text_is_shown_verbatim(browser: Any, tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", [project("x1", name=HOSTILE, leader=HOSTILE, content=HOSTILE, unit="甲街道",
                                                 progress=[report("2026-03", 10, HOSTILE, problems=[
                                                     {"type": HOSTILE, "text": HOSTILE, "due": "2026-02-01"}])])],
                        district=HOSTILE, units=["甲街道", HOSTILE])
    w = open_page(browser, make_report(root, tmp_path / "h.html").as_uri())
    page = w.page
    assert page.locator("a.plink").first.evaluate("n => n.textContent") == HOSTILE
    assert page.locator("#unit-table tr[data-unit]").count() == 2
    page.locator("a.plink").first.click()
    page.wait_for_selector("#project-view")
    assert HOSTILE in page.locator("#project-facts").evaluate("n => n.textContent")
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    offline(w)  # no alert() ran, no x image was requested


SCREENSHOTS = os.environ.get("PROJLEDGER_SCREENSHOTS")


@pytest.mark.parametrize("width", [1366, 390])
def test_fits_desktop_and_phone_and_prints(browser: Any, tmp_path: Path, example_root: Path, width: int) -> None:
    status = cli_json("status", "--ledger", str(example_root))
    w = open_page(browser, make_report(example_root, tmp_path / "r.html").as_uri(), width=width)
    page = w.page
    # Nothing wider than the screen: the page scrolls down, never sideways (wide tables scroll inside).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shots = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"overview-{width}.png"), full_page=True)
    page.goto(page.url + "#p/" + status["projects"][1]["id"])
    page.wait_for_selector("#project-view")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(shots / f"project-{width}.png"), full_page=True)
    if width > 1000:
        page.goto(page.url.split("#")[0])
        page.wait_for_selector("#overview-view")
        page.emulate_media(media="print")
        assert page.locator("nav.tabs").is_hidden() and page.locator(".filters").is_hidden()
        pdf = page.pdf(landscape=True, format="A4")
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 2
        if SCREENSHOTS:
            (shots / "print.pdf").write_bytes(pdf)
    offline(w)


def test_rollup_section_ranks_like_the_rollup_command(browser: Any, tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "ledgers" / "rollup-example"
    rollup = cli_json("rollup", str(example / "rollup.yaml"), "--month", "2026-09")
    out = make_report(example / "西山县", tmp_path / "r.html", "--month", "2026-09", "--rollup",
                      str(example / "rollup.yaml"))
    w = open_page(browser, out.as_uri())
    page = w.page
    rows = page.locator("#rollup-table tbody tr")
    shown = [(rows.nth(i).get_attribute("data-member"), rows.nth(i).locator("td").first.inner_text().strip())
             for i in range(rows.count())]
    assert shown == [(m["district"], str(m["rank"])) for m in rollup["members"]]
    assert page.locator("#rollup-table tr.own").get_attribute("data-member") == "西山县"
    assert page.locator("#peer-table tbody tr").count() == len(rollup["peers"])
    sentence = page.locator("[data-rollup-sentence]").inner_text()
    own = next(m for m in rollup["members"] if m["district"] == "西山县")
    assert f"在全市{len(rollup['members'])}个县区中排名第{own['rank']}位" in sentence
    offline(w)
