"""What a bulletin template is given: the same names for the Markdown and the Word template.

Ready sentences and lists (strings, already worded and formatted), the document's own parts (主送, 落款,
成文日期, 附件), the office's own text, and the raw figures `mf` and `totals` for templates that want to
word things themselves. Nothing here can reach a file: the sandboxed template sees only these values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from projledger.figures.diff import LedgerDiff
from projledger.figures.fmt import pct
from projledger.figures.metrics import MonthFigures
from projledger.figures.schedule import ScheduleReport
from projledger.ledger import usertemplates
from projledger.ledger.gitsource import RevisionName
from projledger.ledger.loader import Ledger
from projledger.outputs.bulletin import sections
from projledger.outputs.bulletin.words import area, day, full_date, months, paragraphs, plain, title_lines

REQUIREMENTS = "templates/requirements.md"  # 下步工作要求, one paragraph a line
PRAISE = "templates/praise.md"  # 表扬和通报批评
DEFAULT_TO = "各责任单位"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def default_issuer(district: str) -> str:
    """The 落款 when projledger.yaml names none."""
    return f"{district}重点项目建设指挥部办公室"


@dataclass(frozen=True)
class Parts:
    """The parts of the document that are not figures."""

    issuer: str  # 发文机关署名
    to: str  # 主送机关
    signed: date  # 成文日期
    header: str | None = None  # 发文机关标志 (版头); no 版头 without it
    number: str | None = None  # 发文字号
    cc: str | None = None  # 抄送机关 (版记)
    attachment: str | None = None  # 附件 name
    requirements: str | None = None  # the office's 下步工作要求 text
    praise: str | None = None  # the office's 表扬和通报批评 text


def parts(ledger: Ledger, signed: date, *, issuer: str | None = None, to: str | None = None,
          number: str | None = None, attachment: str | None = None) -> Parts:
    """Parts from the options, else projledger.yaml's `bulletin:`, else defaults; the office's text files."""
    b, district = ledger.settings.bulletin, ledger.settings.district
    return Parts(
        issuer=plain(issuer or b.issuer or default_issuer(district)),
        to=plain(to or b.to or DEFAULT_TO).rstrip("：:"),
        signed=signed,
        header=plain(b.header) or None,
        number=plain(number) or None,
        cc=plain(b.cc).rstrip("。") or None,
        attachment=plain(attachment) or None,
        requirements=usertemplates.text(ledger, REQUIREMENTS),
        praise=usertemplates.text(ledger, PRAISE),
    )


def revision_label(rev: str, name: RevisionName) -> str:
    """How the bulletin names an earlier revision: its tag message (10月调度会), else its commit date.

    A message that is the revision's own name or has no Chinese in it (`meeting 2026-10`) is not how an
    office speaks of a meeting, so the date is used instead.
    """
    message = plain(name.message).rstrip("。.")
    if message and message != rev and _CJK.search(message):
        return message
    return full_date(name.date)


def build(mf: MonthFigures, schedule: ScheduleReport | None, since: tuple[LedgerDiff, str] | None,
          doc: Parts) -> dict[str, Any]:
    """Everything a bulletin template may use."""
    s = mf.settings
    span = months(mf.month_number)
    district = plain(s.district)
    investment = sections.investment(mf)
    return {
        "district": district, "year": s.year, "month": mf.month_number, "months": span,
        "area": area(district), "as_of": day(mf.as_of, s.year), "time_progress": pct(mf.time_progress),
        "title": f"关于{s.year}年{span}{district}重点项目建设进展情况的通报",
        "title_lines": title_lines(f"关于{s.year}年{span}{district}", "重点项目建设进展情况的通报"),
        "header": doc.header, "number": doc.number, "to": doc.to,
        "investment": investment, "headline": investment, "kinds": sections.kinds(mf),
        "starts": sections.starts(mf), "finishes": sections.finishes(mf), "levels": sections.levels(mf),
        "since": None if since is None else sections.since(*since),
        "ranking": sections.ranking(mf), "units": sections.unit_rows(mf), "unit_note": sections.unit_note(mf),
        "lights": sections.lights(mf), "red": sections.warned(mf, "red"), "yellow": sections.warned(mf, "yellow"),
        "overdue_steps": sections.overdue_steps(mf, schedule), "overdue_problems": sections.overdue_problems(mf),
        "reporting": sections.reporting(mf),
        "praise": paragraphs(doc.praise), "requirements": paragraphs(doc.requirements),
        "attachment": doc.attachment, "issuer": doc.issuer, "date": full_date(doc.signed), "cc": doc.cc,
        "mf": mf, "totals": mf.totals,
    }
