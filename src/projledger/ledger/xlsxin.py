"""Open a workbook that came back by email without trusting it.

Before openpyxl sees a file, its zip directory is checked (no byte is decompressed for that): it must be
a zip at all (an .xls, a renamed PDF or an HTML page saved as .xlsx is refused as "not a valid Excel
file"), have at most `MAX_ENTRIES` entries, at most `MAX_TOTAL_BYTES` uncompressed in all, and no large
entry compressed more than `MAX_RATIO` times (a zip bomb is refused from its directory within
milliseconds). zipfile never inflates an entry past its declared size, so the declared sizes bound the
work. XML is parsed through defusedxml (openpyxl uses it when installed; asserted at import), formulas
are never evaluated, and the workbook is read in openpyxl's streaming read-only mode.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from projledger.ledger.errors import LedgerError
from projledger.ledger.loader import os_reason

# openpyxl parses XML through defusedxml only when it is installed; without it an entity bomb in a
# returned form would expand in memory. Refuse to run rather than read forms unsafely.
if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a hard dependency
    raise ImportError("defusedxml 未安装：为安全读取回收的 Excel 填报表，请先安装 defusedxml")

MAX_ENTRIES = 1000
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024  # tiny entries may compress very well and are harmless
MAX_FILE_BYTES = 50 * 1024 * 1024
NOT_EXCEL = "不是有效的 Excel 文件（.xlsx）"


def zip_problem(path: Path) -> str | None:
    """Why a file is not a workbook that is safe to open, from its size and zip directory alone."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            return "不是文件"
        if size > MAX_FILE_BYTES:
            return f"文件过大（{size / 1024 / 1024:.1f} MB），填报表不应超过 {MAX_FILE_BYTES // 1024 // 1024} MB"
        with path.open("rb") as handle:
            head = handle.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            return f"{NOT_EXCEL}：这是旧版 .xls 或加密的工作簿，请在 Excel/WPS 中另存为 .xlsx（不设密码）"
        if not zipfile.is_zipfile(path):
            return NOT_EXCEL
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except OSError as exc:
        return f"无法读取文件：{os_reason(exc)}"
    except (zipfile.BadZipFile, ValueError, EOFError):
        return NOT_EXCEL
    if len(entries) > MAX_ENTRIES:
        return f"{NOT_EXCEL}：压缩包内有 {len(entries)} 个文件，超过上限 {MAX_ENTRIES}"
    total = sum(e.file_size for e in entries)
    if total > MAX_TOTAL_BYTES:
        return f"{NOT_EXCEL}：解压后共 {total / 1024 / 1024:.0f} MB，超过上限 {MAX_TOTAL_BYTES // 1024 // 1024} MB（疑似压缩炸弹）"
    for e in entries:
        if e.file_size >= RATIO_MIN_BYTES and e.file_size > MAX_RATIO * max(e.compress_size, 1):
            return f"{NOT_EXCEL}：{e.filename} 的压缩比超过 {MAX_RATIO} 倍（疑似压缩炸弹）"
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        return f"{NOT_EXCEL}：压缩包中没有 Excel 工作簿内容"
    return None


def open_workbook(path: Path, label: str) -> tuple[Any | None, list[LedgerError]]:
    """A read-only openpyxl workbook, or the reasons it is refused (each naming `label`).

    The caller closes the workbook (`wb.close()`).
    """
    problem = zip_problem(path)
    if problem is not None:
        return None, [LedgerError(label, None, problem)]
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - any failure inside openpyxl means a broken file
        return None, [LedgerError(label, None, f"{NOT_EXCEL}：无法打开（{type(exc).__name__}）")]
    return workbook, []
