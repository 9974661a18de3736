"""`brief -o FILE.docx`: a real Word document in 公文 style, reopened the way the office meets it."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.shared import Pt
from typer.testing import CliRunner

from briefkit import statements, unit_rows
from ledgerkit import project, report, write_ledger
from projledger.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "ledgers" / "example"
SHIPPED = ROOT / "src" / "projledger" / "templates" / "brief.docx"
SIGNED = ("--date", "2026-11-05")


def run(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def write_docx(ledger: Path, target: Path, *args: str) -> DocumentObject:
    result = run("brief", *SIGNED, "--ledger", str(ledger), "-o", str(target), *args)
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(target)
    return Document(str(target))


def status(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run("status", "--ledger", str(root), "--format", "json").stdout)
    return data


def texts(doc: DocumentObject) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def east_asian_font(doc: DocumentObject, style_name: str) -> str | None:
    style = doc.styles[style_name]
    while style is not None:
        rpr = style.element.rPr
        if rpr is not None and rpr.rFonts is not None and rpr.rFonts.get(qn("w:eastAsia")):
            return rpr.rFonts.get(qn("w:eastAsia"))
        style = style.base_style
    return None


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path / "ledger", [
        project("2026-xj-001", name="南大街<提升>&改造工程", kind="新开工", unit="甲街道", leader="张建国",
                investment={"total": 38000, "annual_plan": 12000},
                planned={"start": "2026-04-30", "finish": "2026-12-31"}, actual={"start": "2026-05-12"},
                progress=[report("2026-08", 4000, "路基60%"), report("2026-09", 5200, "路基80%")]),
        project("2026-xj-002", name="城中村改造项目", unit="乙街道", investment={"total": 20000, "annual_plan": 8000},
                progress=[report("2026-08", 7000, "主体封顶"), report("2026-09", 7000, "主体封顶")]),
        project("2026-xj-003", name="电子信息产业孵化园", kind="新开工", unit="丙管委会", leader="王海涛",
                investment={"total": 15000, "annual_plan": 5000}, planned={"start": "2026-08-01", "finish": None},
                progress=[report("2026-09", 0, "未开工", problems=[
                    {"type": "拆迁", "text": "3户未签约", "owner": "丙管委会", "due": "2026-08-31"}])]),
        project("2026-xj-004", name="智能制造产业园", kind="新开工", level="省重点", unit="乙街道",
                investment={"total": 9000, "annual_plan": 3000},
                planned={"start": "2026-11-01", "finish": None}, actual={"start": "2026-09-10"},
                progress=[report("2026-08", 1000), report("2026-09", 2000, "厂房基础")]),
        project("2026-xj-005", name="物流园二期", kind="前期", unit="甲街道", investment={"total": 6000, "annual_plan": 0}),
    ], bulletin={"issuer": "测试区重点项目建设指挥部办公室", "to": "各街道办事处、管委会"})


def test_a_word_document_in_gongwen_layout(ledger: Path, tmp_path: Path) -> None:
    doc = write_docx(ledger, tmp_path / "通报.docx")
    section = doc.sections[0]
    def mm(emu: Any) -> float:
        return round(emu / 36000, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)  # A4
    assert (mm(section.top_margin), mm(section.left_margin)) == (37, 28)  # 天头, 订口
    assert mm(section.page_width - section.left_margin - section.right_margin) == 156  # 版心
    assert mm(section.page_height - section.top_margin - section.bottom_margin) == 225
    assert east_asian_font(doc, "Normal") == "仿宋_GB2312" and doc.styles["Normal"].font.size == Pt(16)
    assert east_asian_font(doc, "公文标题") == "方正小标宋简体" and doc.styles["公文标题"].font.size == Pt(22)
    assert east_asian_font(doc, "一级标题") == "黑体" and east_asian_font(doc, "二级标题") == "楷体_GB2312"
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert "PAGE" in footer._p.xml and east_asian_font(doc, "页码") == "宋体"
    assert doc.styles["页码"].font.size == Pt(14)
    assert doc.settings.odd_and_even_pages_header_footer


def test_parts_in_order_ending_with_issuer_and_date(ledger: Path, tmp_path: Path) -> None:
    doc = write_docx(ledger, tmp_path / "通报.docx")
    lines = texts(doc)
    assert lines[0] == "关于2026年1-9月测试区\n重点项目建设进展情况的通报"
    assert doc.paragraphs[[p.text for p in doc.paragraphs].index(lines[0])].style.name == "公文标题"
    assert lines[1] == "各街道办事处、管委会："
    assert lines[-3:] == ["附件：测试区2026年9月重点项目调度表", "测试区重点项目建设指挥部办公室", "2026年11月5日"]
    issuer, signed = doc.paragraphs[-2:]
    assert (issuer.style.name, signed.style.name) == ("发文机关署名", "成文日期")
    # GB/T 9704 7.3.5.2: issuer 右空二字; the date starts two characters right of the issuer's first character
    assert issuer.paragraph_format.right_indent == Pt(2 * 16)
    assert signed.paragraph_format.right_indent == Pt((15 - 6.5) * 16)
    headings = [p.text for p in doc.paragraphs if p.style.name == "一级标题"]
    assert headings == ["一、总体情况", "二、各责任单位推进情况", "三、预警情况", "四、前期手续倒排情况",
                        "五、存在问题", "六、未报送和停滞项目", "七、表扬和通报批评", "八、下步工作要求"]
    body = "\n".join(lines)
    assert "{{" not in body and "{%" not in body and "None" not in body
    assert "南大街<提升>&改造工程（甲街道，包抓领导张建国）" in body  # ledger text verbatim, never markup


def test_figures_equal_status_json(ledger: Path, tmp_path: Path) -> None:
    doc = write_docx(ledger, tmp_path / "通报.docx")
    s = status(ledger)
    body = "\n".join(texts(doc))
    for phrase in statements(s):
        assert phrase in body, phrase
    table = doc.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][:3] == ["排名", "责任单位", "项目\n个数"]
    assert cells[1:] == unit_rows(s)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # header repeats on each page


def test_markdown_carries_the_same_figures(ledger: Path, tmp_path: Path) -> None:
    doc = write_docx(ledger, tmp_path / "通报.docx")
    markdown = run("brief", *SIGNED, "--ledger", str(ledger)).stdout
    paragraphs = [p.text for p in doc.paragraphs if p.style.name == "Normal" and p.text.strip()]
    assert len(paragraphs) > 10
    for text in paragraphs:
        shown = re.sub(r"\\(.)", r"\1", markdown)  # ledger text is backslash-escaped in Markdown; read as rendered
        assert text.replace("\n", "") in shown.replace(". ", ".").replace("**", ""), text


@pytest.mark.skipif(not (EXAMPLE / "projledger.yaml").is_file(), reason="example ledger not present")
def test_example_ledger(tmp_path: Path) -> None:
    doc = write_docx(EXAMPLE, tmp_path / "示例.docx")
    s = status(EXAMPLE)
    body = "\n".join(texts(doc))
    for phrase in statements(s):
        assert phrase in body, phrase
    assert [[c.text for c in row.cells] for row in doc.tables[0].rows][1:] == unit_rows(s)
    assert texts(doc)[-1] == "2026年11月5日"


def test_ledger_word_template_is_used_and_sandboxed(ledger: Path, tmp_path: Path) -> None:
    (ledger / "templates").mkdir()
    own = Document()
    own.add_paragraph("自定义：{{ district }}{{ months }}完成{{ totals.completed | yi }}亿元")
    own.save(str(ledger / "templates" / "brief.docx"))
    doc = write_docx(ledger, tmp_path / "a.docx")
    assert texts(doc) == ["自定义：测试区1-9月完成1.42亿元"]

    marker = tmp_path / "pwned"
    for payload in ("{{ cycler.__init__.__globals__ }}",
                    f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}"):
        hostile = Document()
        hostile.add_paragraph(payload)
        hostile.save(str(ledger / "templates" / "brief.docx"))
        result = run("brief", "--ledger", str(ledger), "-o", str(tmp_path / "b.docx"))
        assert result.exit_code == 1, payload
        assert "templates/brief.docx: 通报模板无法填写" in result.output and "不允许" in result.output
        assert not marker.exists() and not (tmp_path / "b.docx").exists()

    (ledger / "templates" / "brief.docx").write_text("不是 Word 文件", encoding="utf-8")
    result = run("brief", "--ledger", str(ledger), "-o", str(tmp_path / "c.docx"))
    assert result.exit_code == 1 and "templates/brief.docx: 不是有效的 Word 文件" in result.output


def test_shipped_template_is_what_the_script_makes() -> None:
    spec = importlib.util.spec_from_file_location("make_brief_template", ROOT / "scripts" / "make_brief_template.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = zipfile.ZipFile(__import__("io").BytesIO(module.build()))
    shipped = zipfile.ZipFile(SHIPPED)
    assert made.namelist() == shipped.namelist()
    for name in made.namelist():
        assert made.read(name) == shipped.read(name), f"{name} differs: run python scripts/make_brief_template.py"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_it(ledger: Path, tmp_path: Path) -> None:
    target = tmp_path / "通报.docx"
    write_docx(ledger, target)
    out = tmp_path / "pdf"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(target)],
                   check=True, capture_output=True, timeout=180)
    pdf = out / "通报.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout
        flat = text.replace(" ", "")
        assert "测试区重点项目建设指挥部办公室" in flat and "2026年11月5日" in flat
        assert "—1—" in flat and "—2—" in flat  # page numbers from the PAGE field on odd and even pages
