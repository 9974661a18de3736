"""A real browser for the dashboard tests: headless Chromium (Debian's package) driven by Playwright.

Tests that need it take the `browser` fixture and skip, saying why, when Playwright or a Chromium is not
installed. Playwright drives the system browser (`executable_path`); it never downloads one. Every page
opened through `open_page` records its console errors, page errors, dialogs and every request, so a test
can assert that nothing was loaded from the network and nothing went wrong.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ledgerkit import project, report, write_ledger

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    """The system Chromium, if any."""
    return next((p for name in BROWSERS if (p := shutil.which(name))), None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium for the whole session; skips with the reason when there is none."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright 未安装（pip install '.[test]'）")
    path = chromium_path()
    if path is None:
        pytest.skip("没有找到 Chromium（apt-get install chromium；.ci/system-packages 会安装）")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield b
        b.close()


@dataclass
class Watched:
    """A page and what it did: console errors, page errors, dialogs, requested URLs."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def clean(self) -> None:
        """No console error, no uncaught exception, no dialog."""
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs


def open_page(browser: Any, url: str, width: int = 1366, height: int = 900) -> Watched:
    """Open `url` in a fresh context and wait until the dashboard has laid itself out."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    watched = Watched(page)
    page.on("console", lambda m: watched.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watched.errors.append(str(e)))
    page.on("request", lambda r: watched.requests.append(r.url))

    def dialog(d: Any) -> None:
        watched.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(url)
    page.wait_for_selector("html[data-ready]", timeout=15000)
    return watched


def percent(text: str) -> float:
    """`74.3%` -> 74.3."""
    assert text.endswith("%"), text
    return float(text[:-1])


def same_rate(text: str, value: float | None) -> bool:
    """The displayed rate is the JSON fraction rounded to one decimal place of a percent ("—" for null)."""
    if value is None:
        return text == "—"
    return abs(percent(text) - value * 100) <= 0.05 + 1e-9


def unseen_ledger(root: Path, seed: int) -> Path:
    """A ledger the page code was never written against: random units, amounts, months and lights."""
    rng = random.Random(seed)
    units = [f"{name}{rng.randint(1, 99)}" for name in ("东关镇", "西岗乡", "开发区", "城投公司", "水利局")]
    leaders = ["周一", "吴二", "郑三", "王四"]
    projects = []
    for i in range(rng.randint(12, 20)):
        kind = rng.choice(["新开工", "续建", "前期"])
        plan = rng.choice([0, 500, 1234.5, 8000, 26000]) if kind == "前期" else rng.choice([500, 1234.5, 8000, 26000])
        start = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        started = kind == "续建" or (kind == "新开工" and rng.random() < 0.6)
        months = sorted(rng.sample(range(1, 9), rng.randint(0, 7)))
        done, progress = 0.0, []
        for m in months:
            done = round(done + plan * rng.random() / 6, 2)
            progress.append(report(f"2026-{m:02d}", done, rng.choice(["主体施工", "基础施工", None])))
        projects.append(project(
            f"p{i:03d}", name=f"项目{i}号", kind=kind, unit=rng.choice(units[:-1]),  # the last unit has none
            category=rng.choice(["产业", "城建"]), level=rng.choice(["省重点", "区重点"]), leader=rng.choice(leaders),
            investment={"total": max(plan, 1) * 3, "annual_plan": plan, "before_year": 0},
            planned={"start": start, "finish": "2027-06-30"},
            actual={"start": "2026-01-15" if started else None, "finish": None},
            progress=progress))
    return write_ledger(root, projects, district="未见县", units=units, categories=["产业", "城建"],
                        levels=["省重点", "区重点"])
