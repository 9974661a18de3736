"""The office's own files beside projledger.yaml under `templates/`: bulletin templates and wording.

Text files (a Markdown template, the 下步工作要求 text) are read through the ledger's own store with the
checks every ledger file gets (size, encoding). A Word template is a zip written by Word: it must be a
regular file inside the ledger folder, and its zip directory is checked before anything decompresses it
(entry count, total size, compression ratio), as returned forms are.
"""

from __future__ import annotations

import os
import zipfile
from io import BytesIO
from pathlib import Path

from projledger.ledger.errors import InputError, LedgerError, LocatedError
from projledger.ledger.loader import Ledger, os_reason

TEMPLATES_DIR = "templates"
MAX_DOCX_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 1000
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024


def text(ledger: Ledger, rel: str) -> str | None:
    """The text of the ledger's file `rel` (e.g. templates/requirements.md), None when there is none."""
    if not ledger.has_file(rel):
        return None
    source, errors = ledger.read(rel)
    if source is None:
        raise LocatedError(f"{rel} 无法读取，未生成", errors or [LedgerError(rel, None, "无法读取")])
    return source.text


def inside(root: Path, rel: str) -> Path | None:
    """`root/rel` when it is a regular file whose real path stays inside the ledger folder; None when absent."""
    path = root / rel
    if not os.path.lexists(path):
        return None
    real, base = Path(os.path.realpath(path)), Path(os.path.realpath(root))
    if base not in real.parents:
        raise InputError(f"{rel}: 指向台账目录之外的文件，未读取")
    if not real.is_file():
        raise InputError(f"{rel}: 不是普通文件，未读取")
    return real


def docx(root: Path, rel: str) -> bytes | None:
    """The bytes of the ledger's Word template `rel`, checked as a zip; None when the ledger has none."""
    path = inside(root, rel)
    if path is None:
        return None
    try:
        size = path.stat().st_size
        if size > MAX_DOCX_BYTES:
            raise InputError(f"{rel}: 文件过大（{size / 1024 / 1024:.1f} MB），通报模板不应超过 20 MB")
        with path.open("rb") as handle:
            data = handle.read(MAX_DOCX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{rel}: 无法读取：{os_reason(exc)}") from None
    problem = zip_problem(data)
    if problem:
        raise InputError(f"{rel}: {problem}")
    return data


def zip_problem(data: bytes) -> str | None:
    """Why bytes are not a Word document safe to open, from the zip directory alone."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "不是有效的 Word 文件（.docx）：这是旧版 .doc 或加密的文档，请在 Word/WPS 中另存为 .docx"
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return "不是有效的 Word 文件（.docx）"
    if len(entries) > MAX_ENTRIES:
        return f"不是有效的 Word 文件：压缩包内有 {len(entries)} 个文件，超过上限 {MAX_ENTRIES}"
    if sum(e.file_size for e in entries) > MAX_TOTAL_BYTES:
        return "不是有效的 Word 文件：解压后过大（疑似压缩炸弹）"
    for e in entries:
        if e.file_size > RATIO_MIN_BYTES and e.file_size > MAX_RATIO * max(e.compress_size, 1):
            return f"不是有效的 Word 文件：{e.filename} 压缩比异常（疑似压缩炸弹）"
    if "word/document.xml" not in {e.filename for e in entries}:
        return "不是有效的 Word 文件（.docx）：缺少 word/document.xml"
    return None
