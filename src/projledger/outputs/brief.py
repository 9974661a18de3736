"""The bulletin (通报) as Markdown, and the one entry point that gathers what any bulletin shows.

`context_for` computes the month's figures (`metrics.compute`, `schedule.build_schedule`), takes the
comparison with an earlier revision if any, and hands them to `bulletin.context.build`, which words them.
The Markdown comes from the ledger's own `templates/brief.md.j2` (beside projledger.yaml) or the shipped
one; the Word document (`outputs/document`) takes the very same context, so both carry the same figures.
Ledger templates run in Jinja2's sandbox (`outputs/sandbox`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

import jinja2

from projledger.figures.diff import LedgerDiff
from projledger.figures.fmt import money, pct, points, yi
from projledger.figures.metrics import compute
from projledger.figures.schedule import build_schedule
from projledger.ledger.loader import Ledger, Source
from projledger.outputs import markdown as md
from projledger.outputs import sandbox
from projledger.outputs.bulletin.context import Parts, build
from projledger.outputs.bulletin.words import cn, versus
from projledger.outputs.workbook.xlsx import default_name

TEMPLATE = "brief.md.j2"
OWN_TEMPLATE = f"templates/{TEMPLATE}"  # relative to the ledger root


def context_for(ledger: Ledger, month: str, doc: Parts, since: tuple[LedgerDiff, str] | None = None,
                citywide: str | None = None) -> dict[str, Any]:
    """The bulletin's context for `month`; `since` is the comparison and how to name its revision.

    `citywide` is this ledger's place in a roll-up (`figures.rollup.rank_sentence`); the 总体情况 paragraph
    then ends with it: 投资完成率在全市5个县区中排名第2位，较上月上升1位。
    """
    mf = compute(ledger, month)
    if doc.attachment is None:
        doc = replace(doc, attachment=default_name(mf).removesuffix(".xlsx"))
    context = build(mf, build_schedule(ledger, month), since, doc)
    context["citywide"] = citywide
    if citywide:
        context["investment"] = context["headline"] = f"{context['investment']}投资完成率{citywide}。"
    return context


@dataclass(frozen=True)
class Template:
    """The template text and where it came from (for error messages)."""

    text: str
    name: str


def load_template(ledger: Ledger) -> Template:
    """The ledger's own `templates/brief.md.j2` if it has one, else the one shipped in the package."""
    from projledger.ledger import usertemplates

    own = usertemplates.text(ledger, OWN_TEMPLATE)
    if own is not None:
        return Template(own, OWN_TEMPLATE)
    shipped = resources.files("projledger").joinpath("templates", TEMPLATE)
    return Template(shipped.read_text(encoding="utf-8"), f"（内置模板）{TEMPLATE}")


def md_cell(text: Any) -> str:
    """Text safe inside a Markdown table cell (a `|` would start a new column)."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|")


FILTERS: dict[str, Any] = {"yi": yi, "pct": pct, "money": money, "points": points, "versus": versus, "cn": cn}


def environment() -> jinja2.Environment:
    """Markdown output (no HTML escaping), sandboxed, strict about unknown names, with the formatting filters."""
    env = sandbox.environment(autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(FILTERS, cell=md_cell)
    return env


def markdown(ledger: Ledger, context: dict[str, Any]) -> str:
    """The bulletin as Markdown text.

    The template (the ledger's own or the shipped one) runs in the bounded sandbox (`outputs/sandbox`): it
    can read no file but its own templates/ folder, call nothing on the figures, and is stopped when it
    loops or grows too long; every `{{ … }}` it prints is Markdown-escaped (`outputs/markdown`), so ledger
    text is shown as typed. Failures are located errors (`templates/brief.md.j2:3: 通报模板…`).
    """
    template = load_template(ledger)
    source = Source(template.name, template.text)
    filters = {**FILTERS, "cell": str}  # every printed value is escaped below, table cells included
    text = sandbox.render(source, context, ledger.read, "通报模板", filters=filters, trim_blocks=True,
                          lstrip_blocks=True, keep_trailing_newline=True, finalize=md.escape)
    return text.rstrip() + "\n"
