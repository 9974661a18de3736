"""The bulletin as a Word document in 公文 style (GB/T 9704-2012), rendered from a .docx template.

The template is an ordinary Word document with Jinja2 tags in it (docxtpl): the office can open
`templates/brief.docx` in Word or WPS, change the wording, fonts and layout, and save it beside
projledger.yaml; without one the shipped `brief.docx` (made by `scripts/make_brief_template.py`) is used.
It is rendered in Jinja2's sandbox with XML escaping, from the same context as the Markdown bulletin.

After rendering, the 落款 is placed as GB/T 9704-2012 7.3.5.2 places it for a document without a seal:
the issuer 右空二字, the date on the next line starting two characters to the right of the issuer's first
character (the issuer moving left when the date is the longer). Word cannot compute that from styles, so
paragraphs in the styles `发文机关署名` and `成文日期` get their right indents here.
"""

from __future__ import annotations

from importlib import resources
from io import BytesIO
from typing import Any

import jinja2
from docx.document import Document
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate

from projledger.ledger import usertemplates
from projledger.ledger.errors import InputError
from projledger.ledger.loader import Ledger
from projledger.outputs import sandbox
from projledger.outputs.brief import FILTERS
from projledger.outputs.bulletin.words import width

TEMPLATE = "brief.docx"
OWN_TEMPLATE = f"templates/{TEMPLATE}"
ISSUER_STYLE = "发文机关署名"
DATE_STYLE = "成文日期"
BODY_SIZE = Pt(16)  # 3号, when a style does not say


def template(ledger: Ledger) -> tuple[bytes, str]:
    """The ledger's own Word template if it has one, else the shipped one; with its name for messages."""
    own = usertemplates.docx(ledger.root, OWN_TEMPLATE)
    if own is not None:
        return own, OWN_TEMPLATE
    return resources.files("projledger").joinpath("templates", TEMPLATE).read_bytes(), f"（内置模板）{TEMPLATE}"


def environment() -> jinja2.Environment:
    """Sandboxed, XML-escaped (ledger text can never become markup), strict, with the bulletin's filters."""
    env = sandbox.environment(autoescape=True)
    env.filters.update(FILTERS)
    return env


def render_docx(ledger: Ledger, context: dict[str, Any]) -> bytes:
    """The bulletin as the bytes of a .docx file."""
    data, name = template(ledger)
    try:
        doc = DocxTemplate(BytesIO(data))
        doc.render(context, jinja_env=environment(), autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"{name}: 通报模板语法错误：{exc.message}{_near(exc)}") from None
    except jinja2.TemplateError as exc:
        raise InputError(f"{name}: 通报模板无法填写：{sandbox.refusal(exc)}{_near(exc)}") from None
    except Exception as exc:  # not a Word document docxtpl can read, or a template expression that failed
        raise InputError(f"{name}: 通报模板无法使用：{type(exc).__name__}: {exc}") from None
    place_signature(doc.docx)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _near(exc: Exception) -> str:
    """`（在“…”附近）`: the document text around a template error (its line number is the XML's, not Word's)."""
    around = " ".join(t.strip() for t in getattr(exc, "docx_context", []) if t.strip())
    return f"（在“{around[:80]}”附近）" if around else ""


def _size(p: Paragraph) -> float:
    style = p.style
    while style is not None:
        if style.font.size is not None:
            return float(style.font.size.pt)
        style = style.base_style
    return float(BODY_SIZE.pt)


def place_signature(document: Document) -> None:
    """Right indents of the issuer and date lines after GB/T 9704-2012 7.3.5.2 (see the module docstring)."""
    paragraphs = document.paragraphs
    for i, p in enumerate(paragraphs[:-1]):
        after = paragraphs[i + 1]
        if p.style is None or after.style is None:
            continue
        if p.style.name != ISSUER_STYLE or after.style.name != DATE_STYLE:
            continue
        issuer, signed = width(p.text.strip()), width(after.text.strip())
        if issuer - signed >= 2:
            issuer_indent, date_indent = 2.0, issuer - signed
        else:
            issuer_indent, date_indent = 4 + signed - issuer, 2.0
        p.paragraph_format.right_indent = Pt(issuer_indent * _size(p))
        after.paragraph_format.right_indent = Pt(date_indent * _size(after))
