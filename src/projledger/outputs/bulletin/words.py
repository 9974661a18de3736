"""How the bulletin says things: spans of months, numbers in Chinese, dates, ahead/behind, who a project is.

Only wording lives here; every figure arrives computed (metrics, schedule, diff) and formatted by `fmt`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from fractions import Fraction

from projledger.figures.fmt import DASH, points
from projledger.figures.metrics import ProjectFigures

CN_DIGITS = "零一二三四五六七八九"
_SPACE = re.compile(r"\s+")


def months(m: int) -> str:
    """`1-10月` (or `1月`): the year-to-date span of report month m."""
    return "1月" if m == 1 else f"1-{m}月"


def cn(n: int) -> str:
    """一 .. 九十九 for section and list numbers."""
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones else "")


def versus(gap: Fraction | None, what: str = "时间进度") -> str:
    """`超过时间进度13.8个百分点` / `低于…` / `与时间进度持平` ("" when there is no gap)."""
    if gap is None:
        return ""
    if gap == 0 or points(gap) == "0.0":
        return f"与{what}持平"
    word = "超过" if gap > 0 else "低于"
    return f"{word}{what}{points(gap, signed=False)}个百分点"


def day(d: date | None, year: int) -> str:
    """`9月12日`, with the year when it is not the ledger year."""
    if d is None:
        return DASH
    text = f"{d.month}月{d.day}日"
    return text if d.year == year else f"{d.year}年{text}"


def full_date(d: date) -> str:
    """`2026年11月5日`: the 成文日期 as GB/T 9704-2012 writes it (Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


def area(district: str) -> str:
    """全区 / 全县 / 全市 after the district's last character."""
    last = district[-1:] if district else ""
    return f"全{last}" if last in ("区", "县", "市", "旗") else "全区"


def width(text: str) -> float:
    """Width in characters of a Chinese font: Chinese (and ambiguous) full, digits and Latin letters half."""
    return sum(0.5 if unicodedata.east_asian_width(c) in ("Na", "H", "N") else 1.0 for c in text)


TITLE_CHARS = 20  # 2号 characters on a line of the 156 mm 版心


def title_lines(head: str, tail: str) -> list[str]:
    """The title on one line, or broken between its two halves (梯形: the shorter line first when it can be)."""
    if width(head + tail) <= TITLE_CHARS:
        return [head + tail]
    return [head, tail]


def plain(text: str | None) -> str:
    """Ledger text on one line: control characters and runs of white space become one space.

    A newline in a name would start a new Markdown block or a new Word line; a tab or a form feed would
    become a tab stop or a page break in the document.
    """
    if not text:
        return ""
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    return _SPACE.sub(" ", cleaned).strip()


def who(f: ProjectFigures) -> str:
    """`南大街提升改造工程（城关街道，包抓领导张建国）`."""
    p = f.project
    leader = f"，包抓领导{plain(p.leader)}" if p.leader else ""
    return f"{plain(p.name)}（{plain(p.unit)}{leader}）"


def listing(names: Iterable[str], sep: str = "、") -> str:
    """Names joined the way Chinese lists are."""
    return sep.join(names)


def by_unit(figures: Sequence[ProjectFigures], units: Sequence[str]) -> str:
    """`A（城关街道）、B（新华街道）`: projects with their unit, in projledger.yaml's unit order."""
    index = {u: i for i, u in enumerate(units)}
    ordered = sorted(figures, key=lambda f: index.get(f.project.unit, len(index)))
    return listing(f"{plain(f.project.name)}（{plain(f.project.unit)}）" for f in ordered)


PARAGRAPH_HEAD = re.compile(r"^((?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|[0-9]+[.．])[^。：:]{0,40}[。：:])(.*)$")


def paragraphs(text: str | None) -> list[dict[str, str]]:
    """The office's own text (下步工作要求, 表扬和通报批评): one paragraph per non-empty line.

    A line that opens with a numbered head (`（一）加快项目开工。…`) keeps that head apart, so the Word
    document can set it in 楷体 as offices do; a Markdown `-`/`*` bullet or `#` heading mark is dropped.
    """
    out = []
    for raw in (text or "").splitlines():
        line = plain(raw.lstrip("#-* \t"))
        if not line:
            continue
        m = PARAGRAPH_HEAD.match(line)
        out.append({"head": m[1], "text": m[2]} if m else {"head": "", "text": line})
    return out
