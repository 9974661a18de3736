"""Ledger text inside Markdown (the bulletin, `diff --format markdown`): shown as typed, never as structure.

A project name with `|` must not add table columns, a newline must not start a heading or a list, and
`<script>` must stay text wherever the Markdown is rendered. `escape` backslash-escapes the characters
CommonMark gives meaning to inside a line (a backslash before ASCII punctuation always renders as that
character), joins lines, and escapes a leading list or heading marker. Digits, `-` inside text,
`%` and Chinese punctuation are left alone, so the Markdown still reads as plain text.
"""

from __future__ import annotations

import re
from typing import Any

_INLINE = str.maketrans({c: "\\" + c for c in "\\`*_[]|<>#~"})
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")
_LEADING_MARKER = re.compile(r"^(\s*)([-+=]|\d+[.)])(?=\s|$)")


def escape(value: Any) -> str:
    """`value` as Markdown text that renders exactly as typed, on one line."""
    text = _LINE_BREAKS.sub(" ", str(value)).translate(_INLINE)
    return _LEADING_MARKER.sub(lambda m: m[1] + "\\" + m[2] if m[2][0] in "-+=" else m[1] + m[2][:-1] + "\\" + m[2][-1],
                               text)


__all__ = ["escape"]
