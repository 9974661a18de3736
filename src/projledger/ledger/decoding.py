"""A ledger file's bytes as text: UTF-8 (BOM allowed), with the line of the first byte that is not.

Split from `yamlio.py`. Whatever the locale, ledger files are UTF-8; a GBK or UTF-16 file is named as such.
"""

from __future__ import annotations


def decode(raw: bytes) -> tuple[str | None, str | None]:
    """(text, None) for UTF-8 (BOM allowed); (None, message) otherwise."""
    text, _, problem = decode_located(raw)
    return text, problem


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def decode_located(raw: bytes) -> tuple[str | None, int | None, str | None]:
    """(text, None, None) for UTF-8 (BOM allowed); otherwise (None, line, message).

    The line is where the first byte that is not UTF-8 sits, so a GBK line pasted into a UTF-8 file is
    found; whatever the locale, ledger files are UTF-8.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, 1, "文件是 UTF-16/Unicode 编码（记事本“Unicode”格式），请另存为 UTF-8"
    nul = raw.find(b"\x00", 0, 8192)
    if nul >= 0:
        return None, _line_of(raw, nul), "不是文本文件（含二进制内容），台账文件应为 UTF-8 编码的 YAML 文本"
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None, None
    except UnicodeDecodeError as exc:
        line = _line_of(raw, exc.start)
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            return None, line, f"文件不是 UTF-8 编码（第 {line} 行有无法解码的字节），请另存为 UTF-8"
        return None, line, "文件似乎是 GBK 编码，请另存为 UTF-8（记事本或 WPS：另存为，编码选 UTF-8）"
