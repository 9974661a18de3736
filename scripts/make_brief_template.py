"""Write src/projledger/templates/brief.docx: the Word template of the bulletin (通报) in 公文 style.

    python scripts/make_brief_template.py            # rewrites the shipped template
    python scripts/make_brief_template.py OUT.docx   # writes elsewhere

The template is an ordinary Word document with Jinja2 tags (docxtpl syntax: `{{ … }}` in a run, `{%p … %}`
paragraphs and `{%tr … %}` table rows that docxtpl removes), so an office can open it in Word or WPS, change
wording, fonts and layout, and save it as `templates/brief.docx` in its ledger. The names it may use are
listed in src/projledger/outputs/bulletin/context.py.

Layout after GB/T 9704-2012: A4; 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (so bottom 35 mm, right 26 mm);
22 lines of 3号 (16 pt) a page, i.e. exact 28.95 pt line spacing; title 2号 (22 pt) 方正小标宋简体; body
3号 仿宋_GB2312; level-1 headings 黑体, level-2 楷体_GB2312; page numbers 4号 (14 pt) 宋体 "— 1 —", odd
pages right and even pages left, one character in from the edge of the 版心, 7 mm below it. Fonts an office
PC may lack have Word's fallback (`w:altName` in the font table): 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体,
方正小标宋简体 → 宋体. Digits and Latin letters are in Times New Roman, as offices set them.

The output is byte-for-byte reproducible (fixed document properties and zip timestamps), so a test can
check that the committed template is what this script makes.
"""

from __future__ import annotations

import re
import sys
import zipfile
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "projledger" / "templates" / "brief.docx"

LATIN = "Times New Roman"
FANGSONG, KAITI, HEITI, SONGTI, XIAOBIAOSONG = "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"
ALT_NAMES = {FANGSONG: "仿宋", KAITI: "楷体", XIAOBIAOSONG: "宋体"}
RED = RGBColor(0xFF, 0x00, 0x00)
LINE = Pt(28.95)  # 225 mm / 22 lines
BODY = Pt(16)  # 3号
TITLE = Pt(22)  # 2号
TABLE_TEXT = Pt(10.5)  # 五号
CELL_MARGIN = Mm(0.5)
FOOTER = Pt(14)  # 4号
FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)

UNIT_COLUMNS = [  # header lines, cell, width in mm (156 in all: the 版心; 五号 text, 0.5 mm cell margins)
    (["排名"], "{{ u.rank }}", 9),
    (["责任单位"], "{{ u.unit }}", 33),
    (["项目", "个数"], "{{ u.projects }}", 9),
    (["年度计划", "（亿元）"], "{{ u.plan }}", 17),
    (["{{ months }}完成", "（亿元）"], "{{ u.completed }}", 21),
    (["完成率"], "{{ u.rate }}", 14),
    (["较时间进度", "（百分点）"], "{{ u.gap }}", 20),
    (["完成序时", "计划"], "{{ u.plan_rate }}", 16),
    (["已开工/", "计划开工"], "{{ u.starts }}", 17),
]


# Child order that Word's schema requires (Word refuses a file whose elements are out of order).
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
               "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
               "tblCaption", "tblDescription", "tblPrChange")


def insert(parent: Any, child: Any, order: tuple[str, ...]) -> None:
    """Put `child` where the schema wants it among `parent`'s children (replacing one of the same name)."""
    name = child.tag.split("}")[1]
    for old in parent.findall(child.tag):
        parent.remove(old)
    later = set(order[order.index(name) + 1:])
    for i, existing in enumerate(parent):
        if existing.tag.split("}")[1] in later:
            parent.insert(i, child)
            return
    parent.append(child)


# --- fonts and styles --------------------------------------------------------------------------------


def set_fonts(element: BaseStyle, east_asia: str, latin: str = LATIN) -> None:
    """Explicit fonts for every script (theme fonts removed, or they would win)."""
    rpr = element.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def char_indent(style: BaseStyle, *, first: int | None = None, left: int | None = None,
                right: int | None = None, size: Pt = BODY) -> None:
    """Indents in characters (Word's *Chars attributes, in hundredths), with the absolute value beside."""
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    for name, chars in (("firstLine", first), ("left", left), ("right", right)):
        if chars is not None:
            ind.set(qn(f"w:{name}Chars"), str(chars * 100))
            ind.set(qn(f"w:{name}"), str(int(chars * size.pt * 20)))


def paragraph_style(doc: Document, name: str, *, font: str, size: Pt = BODY, align: int | None = None,
                    first: int | None = 2, bold: bool = False, color: RGBColor | None = None,
                    keep_next: bool = False, before: Pt | None = None, line: Pt | None = LINE) -> BaseStyle:
    """A paragraph style based on Normal."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    set_fonts(style, font)
    style.font.size = size
    style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    if line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.keep_with_next = keep_next
    if before is not None:
        fmt.space_before = before
    if first is not None:
        char_indent(style, first=first, size=size)
    return style


def styles(doc: Document) -> None:
    """Normal is the 公文 body; every other part has its own named style the office can change in Word."""
    normal = doc.styles["Normal"]
    set_fonts(normal, FANGSONG)
    normal.font.size = BODY
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = False  # 22 full lines a page, as the 版心 is drawn
    char_indent(normal, first=2)
    ppr = normal.element.get_or_add_pPr()
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra gap between Chinese and digits: 2026年11月5日
        off = OxmlElement(name)
        off.set(qn("w:val"), "0")
        insert(ppr, off, PPR_ORDER)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:  # the theme fonts of the default template would override ours in places
        for lang in defaults.iter(qn("w:lang")):  # Chinese line breaking and proofing
            lang.set(qn("w:eastAsia"), "zh-CN")
        for ppr in defaults.iter(qn("w:pPr")):
            for child in list(ppr):
                ppr.remove(child)
            for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
                off = OxmlElement(name)
                off.set(qn("w:val"), "0")
                insert(ppr, off, PPR_ORDER)
        for fonts in defaults.iter(qn("w:rFonts")):
            for attr in list(fonts.attrib):
                fonts.attrib.pop(attr)
            fonts.set(qn("w:ascii"), LATIN)
            fonts.set(qn("w:hAnsi"), LATIN)
            fonts.set(qn("w:eastAsia"), FANGSONG)
            fonts.set(qn("w:cs"), LATIN)

    paragraph_style(doc, "版头", font=XIAOBIAOSONG, size=Pt(26), align=WD_ALIGN_PARAGRAPH.CENTER, first=0,
                    color=RED, line=Pt(40), before=Mm(35))  # 上边缘至版心上边缘 35 mm
    number = paragraph_style(doc, "发文字号", font=FANGSONG, align=WD_ALIGN_PARAGRAPH.CENTER, first=0)
    red_rule(number)
    paragraph_style(doc, "公文标题", font=XIAOBIAOSONG, size=TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, first=0,
                    line=Pt(35))
    paragraph_style(doc, "主送机关", font=FANGSONG, align=WD_ALIGN_PARAGRAPH.LEFT, first=0, before=LINE)
    level1 = paragraph_style(doc, "一级标题", font=HEITI, keep_next=True)
    set_fonts(level1, HEITI, HEITI)
    level2 = paragraph_style(doc, "二级标题", font=KAITI, keep_next=True)
    set_fonts(level2, KAITI, LATIN)
    for name, font in (("表头文字", HEITI), ("表格文字", FANGSONG)):
        cell = paragraph_style(doc, name, font=font, size=TABLE_TEXT, align=WD_ALIGN_PARAGRAPH.CENTER, first=0,
                               line=None)
        cell.paragraph_format.space_before = cell.paragraph_format.space_after = Pt(3)
    paragraph_style(doc, "表注", font=FANGSONG, size=Pt(14), first=2, line=Pt(22))
    paragraph_style(doc, "附件说明", font=FANGSONG, before=LINE)
    paragraph_style(doc, "发文机关署名", font=FANGSONG, align=WD_ALIGN_PARAGRAPH.RIGHT, first=0, before=LINE,
                    keep_next=True)
    paragraph_style(doc, "成文日期", font=FANGSONG, align=WD_ALIGN_PARAGRAPH.RIGHT, first=0)
    imprint = paragraph_style(doc, "版记", font=FANGSONG, size=Pt(14), align=WD_ALIGN_PARAGRAPH.LEFT, first=0)
    char_indent(imprint, first=0, left=1, right=1, size=Pt(14))
    footer = paragraph_style(doc, "页码", font=SONGTI, size=FOOTER, first=0, line=None)
    set_fonts(footer, SONGTI, SONGTI)
    run_in = doc.styles.add_style("段首标题", WD_STYLE_TYPE.CHARACTER)
    set_fonts(run_in, KAITI)


def red_rule(style: BaseStyle) -> None:
    """The 版头's red rule: a bottom border 4 mm under the 发文字号, the width of the 版心."""
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "11"), ("w:color", "FF0000")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    insert(ppr, borders, PPR_ORDER)


# --- the page ----------------------------------------------------------------------------------------


def page(doc: Document) -> None:
    """A4 with the GB/T 9704 版心, and page numbers in odd/even footers."""
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    doc.settings.odd_and_even_pages_header_footer = True
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # No snapping to a line grid: a 2号 title line is taller than the grid pitch and would take two.
    grid.attrib.pop(qn("w:type"), None)
    grid.set(qn("w:linePitch"), str(int(LINE.pt * 20)))
    page_number(section.footer.paragraphs[0], odd=True)
    page_number(section.even_page_footer.paragraphs[0], odd=False)


def page_number(p: Paragraph, *, odd: bool) -> None:
    """`— 7 —`: a PAGE field between two 一字线, odd pages right, even pages left, one character in."""
    p.style = "页码"
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        p.paragraph_format.right_indent = FOOTER
    else:
        p.paragraph_format.left_indent = FOOTER
    p.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = p.add_run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    p.add_run(" —")


# --- the body ----------------------------------------------------------------------------------------


def body(doc: Document) -> None:
    """The bulletin, paragraph by paragraph."""

    def para(text: str = "", style: str = "Normal") -> Paragraph:
        return doc.add_paragraph(text, style=style)

    def placeholder(text: str) -> None:
        p = para()
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT  # a file name in it would stretch a justified line
        p.add_run(text).font.highlight_color = WD_COLOR_INDEX.YELLOW

    def numbered(items: str) -> None:
        para(f"{{%p for line in {items} %}}")
        para("{{ loop.index }}.{{ line }}")
        para("{%p endfor %}")

    def own_text(items: str, hint: str) -> None:
        para(f"{{%p for p in {items} %}}")
        p = para()
        p.add_run("{{ p.head }}", style="段首标题")
        p.add_run("{{ p.text }}")
        para("{%p else %}")
        placeholder(hint)
        para("{%p endfor %}")

    para("{%p if header %}")
    para("{{ header }}", "版头")
    para()
    para("{{ number or \"\" }}", "发文字号")
    para()
    para()
    para("{%p endif %}")
    para('{{ title_lines | join("\\n") }}', "公文标题")
    para("{{ to }}：", "主送机关")
    para("按照重点项目“一月一调度、一月一通报”工作要求，现将{{ year }}年{{ months }}{{ area }}重点项目建设进展情况通报如下：")

    para("一、总体情况", "一级标题")
    para("（一）投资完成情况", "二级标题")
    para("{{ investment }}")
    for key in ("kinds", "levels"):
        para(f"{{%p if {key} %}}")
        para(f"{{{{ {key} }}}}")
        para("{%p endif %}")
    para("（二）项目开工情况", "二级标题")
    para("{{ starts }}")
    para("（三）项目竣工情况", "二级标题")
    para("{{ finishes }}")
    para("{%p if since %}")
    para("（四）与{{ since.label }}相比", "二级标题")
    para("{{ since.text }}")
    para("{%p endif %}")

    para("二、各责任单位推进情况", "一级标题")
    para("{%p if ranking %}")
    para("{{ ranking }}")
    para("{%p endif %}")
    para("{%p if units %}")
    unit_table(doc)
    para("{{ unit_note }}", "表注")
    para("{%p else %}")
    para("各责任单位本年度均没有重点项目。")
    para("{%p endif %}")

    para("三、预警情况", "一级标题")
    para("{{ lights }}")
    para("{%p if red %}")
    para("（一）红灯项目", "二级标题")
    numbered("red")
    para("{%p endif %}")
    para("{%p if yellow %}")
    para("{{ \"（二）\" if red else \"（一）\" }}黄灯项目", "二级标题")
    numbered("yellow")
    para("{%p endif %}")

    para("四、前期手续倒排情况", "一级标题")
    para("{%p if overdue_steps %}")
    para("以下{{ overdue_steps | length }}个项目的前期手续已超过倒排工期的最迟办结时间，"
         "请责任单位和包抓领导倒排工期、挂图作战，抓紧办理：")
    numbered("overdue_steps")
    para("{%p else %}")
    para("截至{{ as_of }}，各项目前期手续均未超过倒排工期的最迟办结时间。")
    para("{%p endif %}")

    para("五、存在问题", "一级标题")
    para("{%p if overdue_problems %}")
    para("以下{{ overdue_problems | length }}个问题已超过办结时限仍未解决，请责任单位抓紧协调解决：")
    numbered("overdue_problems")
    para("{%p else %}")
    para("截至{{ as_of }}，没有超过办结时限仍未解决的问题。")
    para("{%p endif %}")

    para("六、未报送和停滞项目", "一级标题")
    para("{%p for line in reporting %}")
    para("{{ line }}")
    para("{%p else %}")
    para("{{ month }}月各项目均已报送进展，没有停滞项目。")
    para("{%p endfor %}")

    para("七、表扬和通报批评", "一级标题")
    own_text("praise", "〔请在此填写表扬和通报批评的单位及事由；没有时删除本节。"
                       "也可写在台账的 templates/praise.md 中，生成时自动填入。〕")
    para("八、下步工作要求", "一级标题")
    own_text("requirements", "〔请在此填写下步工作要求。也可写在台账的 templates/requirements.md 中"
                             "（每段一行），生成时自动填入。〕")

    para("{%p if attachment %}")
    para("附件：{{ attachment }}", "附件说明")
    para("{%p endif %}")
    para("{{ issuer }}", "发文机关署名")
    para("{{ date }}", "成文日期")
    para("{%p if cc %}")
    imprint_table(doc)
    para()  # a document cannot end in a table
    para("{%p endif %}")


def imprint_table(doc: Document) -> None:
    """The 版记 (抄送, 印发): a two-row table floating at the foot of the 版心 of the last page (GB/T 9704 8).

    Its rules are the table's borders: heavy above and below, thin between.
    """
    table = doc.add_table(rows=2, cols=1)
    table.autofit = False
    tblpr = table._tbl.tblPr
    float_at_foot = OxmlElement("w:tblpPr")
    for k, v in (("w:leftFromText", "0"), ("w:rightFromText", "0"), ("w:vertAnchor", "margin"),
                 ("w:horzAnchor", "margin"), ("w:tblpYSpec", "bottom")):
        float_at_foot.set(qn(k), v)
    insert(tblpr, float_at_foot, TBLPR_ORDER)
    edges = OxmlElement("w:tblBorders")
    for side, size in (("top", "8"), ("bottom", "8"), ("insideH", "4")):
        e = OxmlElement(f"w:{side}")
        for k, v in (("w:val", "single"), ("w:sz", size), ("w:space", "0"), ("w:color", "000000")):
            e.set(qn(k), v)
        edges.append(e)
    insert(tblpr, edges, TBLPR_ORDER)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), "0")
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    insert(tblpr, margins, TBLPR_ORDER)
    table._tbl.tblGrid.findall(qn("w:gridCol"))[0].set(qn("w:w"), str(int(Mm(156).twips)))
    cc, printed = (row.cells[0] for row in table.rows)
    for cell in (cc, printed):
        cell.width = Mm(156)
        cell.paragraphs[0].style = doc.styles["版记"]
    cc.paragraphs[0].add_run("抄送：{{ cc }}。")
    cc.paragraphs[0].paragraph_format.left_indent = Pt(14 * 4)  # a second line lines up after 抄送：
    cc.paragraphs[0].paragraph_format.first_line_indent = Pt(-14 * 3)
    p = printed.paragraphs[0]
    p.add_run("{{ issuer }}\t{{ date }}印发")
    p.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(14), WD_TAB_ALIGNMENT.RIGHT)  # 印发日期右空一字


def rule(p: Paragraph, side: str) -> None:
    """A black rule above or below a 版记 line."""
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    for k, v in (("w:val", "single"), ("w:sz", "8"), ("w:space", "4"), ("w:color", "000000")):
        edge.set(qn(k), v)
    borders.append(edge)
    insert(ppr, borders, PPR_ORDER)


def unit_table(doc: Document) -> Table:
    """The units' table: a header row repeated on every page, then one row per unit (docxtpl `{%tr %}`)."""
    table = doc.add_table(rows=4, cols=len(UNIT_COLUMNS))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    borders(table)
    grid = table._tbl.tblGrid
    for col, (_, _, mm) in zip(grid.findall(qn("w:gridCol")), UNIT_COLUMNS, strict=True):
        col.set(qn("w:w"), str(int(Mm(mm).twips)))
    header, loop, cells, end = table.rows
    repeat = OxmlElement("w:tblHeader")
    header._tr.get_or_add_trPr().append(repeat)
    for row in (header, loop, cells, end):
        row._tr.get_or_add_trPr()
    for i, (head, cell, mm) in enumerate(UNIT_COLUMNS):
        for row, lines, style in ((header, head, "表头文字"), (cells, [cell], "表格文字"),
                                  (loop, ["{%tr for u in units %}" if i == 0 else ""], "表格文字"),
                                  (end, ["{%tr endfor %}" if i == 0 else ""], "表格文字")):
            c = row.cells[i]
            c.width = Mm(mm)
            c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = c.paragraphs[0]
            p.style = doc.styles[style]
            for n, line in enumerate(lines):
                run = p.add_run(line)
                if n < len(lines) - 1:
                    run.add_break()
    return table


def borders(table: Table) -> None:
    """Single black lines around and between every cell; narrow cell margins so 五号 headers fit."""
    tblpr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(int(CELL_MARGIN.twips)))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    insert(tblpr, margins, TBLPR_ORDER)
    edges = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{side}")
        for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "000000")):
            e.set(qn(k), v)
        edges.append(e)
    insert(tblpr, edges, TBLPR_ORDER)


# --- the package -------------------------------------------------------------------------------------


def font_table(doc: Document) -> None:
    """Fallback names for the 公文 fonts an office PC may lack (`w:altName`), added to the font table."""
    part = next(p for p in doc.part.package.parts if str(p.partname) == "/word/fontTable.xml")
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        for name, alt in ALT_NAMES.items()
    )
    entries += "".join(
        f'<w:font w:name="{name}"><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        for name in (HEITI, SONGTI)
    )
    part._blob = re.sub(r"</w:fonts>\s*$", entries + "</w:fonts>", xml).encode("utf-8")


def properties(doc: Document) -> None:
    """Fixed document properties (reproducible); title and author are filled in at rendering."""
    props = doc.core_properties
    props.title = "{{ title }}"
    props.author = "{{ issuer }}"
    props.last_modified_by = "projledger"
    props.subject = "重点项目建设进展情况通报"
    props.comments = "由 projledger 的通报模板生成"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    package = doc.part.package
    for rel in list(package.rels.values()):  # the default template's thumbnail would show a stranger's page
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rel.rId)


def build() -> bytes:
    """The template's bytes, reproducible."""
    doc = Document()
    body_el = doc.element.body
    for child in list(body_el):
        if child.tag != qn("w:sectPr"):
            body_el.remove(child)
    styles(doc)
    page(doc)
    body(doc)
    font_table(doc)
    properties(doc)
    raw = BytesIO()
    doc.save(raw)
    return normalised_zip(raw.getvalue())


def normalised_zip(data: bytes) -> bytes:
    """The same entries with fixed timestamps, so the file does not change when nothing in it did."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str]) -> None:
    """Write the template to the shipped path or to the path given."""
    target = Path(argv[1]) if len(argv) > 1 else TARGET
    target.write_bytes(build())
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv)
