r"""The dashboard as one self-contained HTML page: styles, scripts, the charting library and the data inline.

The page loads nothing from anywhere: its Content-Security-Policy forbids every fetch except, for the
live page of `serve`, polling its own server for a changed ledger. Ledger text never becomes markup: the
data travels as JSON inside a `<script type="application/json">` element, escaped so that no text can
close the element or break the JavaScript parser (`<`, `>`, `&`, U+2028, U+2029 as \u escapes), and the
script places every piece of text with `textContent`.
"""

from __future__ import annotations

import functools
import html
import json
import re
from importlib import resources
from typing import Any

from projledger.figures.metrics import MonthFigures, compute, latest_month
from projledger.figures.ranking import previous_figures
from projledger.figures.schedule import build_schedule
from projledger.ledger.gitsource import Provenance
from projledger.ledger.loader import Ledger
from projledger.ledger.models import month_key, parse_month
from projledger.outputs.web.model import PageInput, page_data

ECHARTS_VERSION = "5.6.0"
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')

TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="projledger {version}">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<noscript><p class="noscript">本看板需要浏览器启用 JavaScript（不需要联网）。</p></noscript>
<div id="app" aria-live="polite"></div>
<script type="application/json" id="pl-data">{data}</script>
<script>/* Apache ECharts {echarts_version} (Apache License 2.0; see its LICENSE and NOTICE in projledger/outputs/web/vendor) */
{echarts}</script>
<script>{app}</script>
</body>
</html>
"""

ERROR_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<main class="error-page">
<h1>{title}</h1>
<p>{lead}</p>
<ol class="error-list">{items}</ol>
<p class="muted">修改台账文件并保存后，本页会自动刷新。</p>
</main>
<script type="application/json" id="pl-data">{data}</script>
<script>{app}</script>
</body>
</html>
"""


def csp(live: bool) -> str:
    """No network at all for a file; a live page may only poll its own server."""
    connect = "'self'" if live else "'none'"
    return (f"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
            f"connect-src {connect}; base-uri 'none'; form-action 'none'")


@functools.cache
def asset(*parts: str) -> str:
    """A file shipped in the package beside this module (static/ or vendor/)."""
    node = resources.files("projledger.outputs.web")
    for part in parts:
        node = node / part
    return node.read_text(encoding="utf-8")


SCRIPT_PARTS = ("base.js", "overview.js", "project.js", "main.js")
SCRIPT_HEAD = """/* projledger dashboard: lays out the figures embedded in #pl-data. Computes nothing: every number and its
 * display text come from projledger's figures. Ledger text is hostile: it is only ever placed with
 * textContent (the el() helper) or drawn by ECharts as SVG text; no innerHTML anywhere. */
(function () {
  "use strict";
"""


@functools.cache
def app_script() -> str:
    """The page script: static/*.js joined in order inside one function scope."""
    return SCRIPT_HEAD + "\n".join(asset("static", part) for part in SCRIPT_PARTS) + "})();\n"


def script_json(data: Any) -> str:
    """JSON safe inside a `<script>` element whatever text it carries."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def report_months(ledger: Ledger, month: str) -> list[str]:
    """January to the later of the latest reported month and `month`: what a month switcher offers."""
    year = ledger.settings.year
    last = max(latest_month(ledger) or month, month)
    return [month_key(year, m) for m in range(1, parse_month(last)[1] + 1)]


def page_input(ledger: Ledger, month: str, *, mask: bool, source: Provenance | None,
               live: str | None = None) -> PageInput:
    """Compute what the page of `month` shows: this month, the previous one (位次变化), the 倒排."""
    mf = compute(ledger, month)
    return PageInput(month=mf, previous=previous_figures(ledger, mf), schedule=build_schedule(ledger, month),
                     source=source, months=report_months(ledger, month), mask=mask, live=live)


def title(mf: MonthFigures) -> str:
    """`示例区2026年重点项目建设进展看板（1-10月）`."""
    months = "1月" if mf.month_number == 1 else f"1-{mf.month_number}月"
    return f"{mf.settings.district}{mf.settings.year}年重点项目建设进展看板（{months}）"


def render(inp: PageInput) -> str:
    """The page as HTML text."""
    data = page_data(inp)
    return TEMPLATE.format(
        csp=csp(inp.live is not None), version=html.escape(data["meta"]["version"]),
        title=html.escape(title(inp.month)), css=asset("static", "style.css"), data=script_json(data),
        echarts_version=ECHARTS_VERSION, echarts=asset("vendor", "echarts.common.min.js"),
        app=app_script(),
    )


def error_page(heading: str, lead: str, lines: list[str], live: str | None) -> str:
    """A page listing located errors (`file:line: message`) verbatim; reloads itself when `live` changes."""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    data = {"meta": {"live": live, "error": True}}
    return ERROR_TEMPLATE.format(csp=csp(live is not None), title=html.escape(heading), lead=html.escape(lead),
                                 items=items, css=asset("static", "style.css"), data=script_json(data),
                                 app=app_script())


def default_name(mf: MonthFigures, mask: bool) -> str:
    """`示例区2026年10月重点项目看板.html` (脱敏版 when masked), safe as a file name in the current folder."""
    name = f"{mf.settings.district}{mf.settings.year}年{mf.month_number}月重点项目看板{'（脱敏）' if mask else ''}.html"
    return _UNSAFE_NAME.sub("_", name).lstrip(".") or "看板.html"
