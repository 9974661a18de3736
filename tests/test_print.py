"""The meeting packet printed through LibreOffice, read page by page as the meeting reads it.

Skipped (with the reason) where LibreOffice or poppler is not installed; `.ci/system-packages` installs
both. Text sizes are measured on the PDF: a word of CJK characters is as wide as its size in points
times its length, whatever font LibreOffice puts in for 宋体.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from projledger.cli import app

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT),
    reason="printing needs LibreOffice (soffice) and poppler (pdftotext); .ci/system-packages installs them",
)
WORD = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def cjk_size(self) -> float | None:
        """Font size in points of a word of two or more CJK characters (None for other words)."""
        if len(self.text) < 2 or not all(unicodedata.east_asian_width(c) == "W" and c.isalpha() for c in self.text):
            return None
        return (self.x1 - self.x0) / len(self.text)


def print_pdf(xlsx: Path, tmp_path: Path) -> list[list[Word]]:
    """Print `xlsx` to PDF with a private LibreOffice profile; the words of each page."""
    out = tmp_path / "pdf"
    assert SOFFICE and PDFTOTEXT
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
                   check=True, capture_output=True, timeout=300)
    pdf = out / f"{xlsx.stem}.pdf"
    xml = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [[Word(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD.findall(page)]
            for page in xml.split("<page ")[1:]]


def numbered_rows(page: list[Word]) -> int:
    """Rows of a table page: the numbers under the repeated 序号 header."""
    head = next(w for w in page if w.text == "序号")
    return sum(w.text.isdigit() and w.x0 >= head.x0 - 8 and w.x1 <= head.x1 + 8 and w.y0 > head.y1 for w in page)


def test_the_workbook_prints_as_the_meeting_reads_it(example_root: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "调度表.xlsx"
    result = CliRunner().invoke(app, ["export", "--ledger", str(example_root), "--month", "2026-10", "-o", str(xlsx)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(xlsx)
    sheets = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    expected = sum(1 if ws.page_setup.fitToHeight == 1 else len(ws.row_breaks.brk) + 1 for ws in sheets)
    pages = print_pdf(xlsx, tmp_path)
    # LibreOffice breaks the pages where the workbook says, and nowhere else
    assert len(pages) == expected
    text = ["".join(w.text for w in page) for page in pages]
    everything = "".join(text)
    # no program text, no chart plumbing: only what a leader reads
    for plumbing in ("projledger", "图表数据", "时间进度参考线", "calendar", "说明："):
        assert plumbing not in everything
    # one sign-off line under every sheet
    assert everything.count("制表单位") == len(sheets)
    assert everything.count("审核人") == len(sheets) and everything.count("制表日期") == len(sheets)
    # body text at 8 pt or more on every page
    for n, page in enumerate(pages, start=1):
        sizes = [s for w in page if (s := w.cjk_size) is not None]
        assert sizes and min(sizes) >= 7.95, (n, min(sizes))
    # a page that continues a table repeats its header and carries at least six rows
    for n, (page, words) in enumerate(zip(text, pages, strict=True), start=1):
        if "（截至10月底）" in page:
            continue  # the first page of a sheet
        assert "序号" in page, n
        assert numbered_rows(words) >= 6, (n, numbered_rows(words))
    # red and yellow keep their meaning in black and white
    assert "●红灯" in everything and "▲黄灯" in everything and "○绿灯" in everything


def test_a_form_prints_one_page_wide_with_its_header_and_the_unit_line(example_root: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "填报表.xlsx"
    result = CliRunner().invoke(app, ["form", "--unit", "产业集聚区管委会", "--month", "2026-11", "-o", str(xlsx),
                                      "--ledger", str(example_root)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(xlsx)
    sheets = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    pages = print_pdf(xlsx, tmp_path)
    # one page wide: LibreOffice adds no page of its own (a sheet cut into strips would)
    assert len(pages) == sum(len(ws.row_breaks.brk) + 1 for ws in sheets)
    text = ["".join(w.text for w in page) for page in pages]
    assert "".join(text).count("填报单位（盖章）：产业集聚区管委会") == len(sheets)
    assert "".join(text).count("报送时限：请于2026年11月25日前报送") == len(sheets)
    for n, (page, words) in enumerate(zip(text, pages, strict=True), start=1):
        assert "项目编号" in page, n  # the header row on every page
        sizes = [s for w in words if (s := w.cjk_size) is not None]
        assert min(sizes) >= 7.95, (n, min(sizes))
    # the instructions print whole, on the page of their sheet's title
    assert all("说明" in page for page in text if "重点项目11月" in page)
