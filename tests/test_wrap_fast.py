"""Wrapping measures each line once: the same lines as the plain per-line measuring it replaced, in linear time."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from projledger.outputs.terminal.fit import break_points, wrap_text


def _reference(text: Text, width: int, indent: int) -> list[str]:
    """The wrapping as first written: every line re-measures the rest of the paragraph."""
    plain = text.plain
    levels = [set(level) for level in break_points(plain)]
    cuts: list[int] = []
    start, room = 0, width
    while cell_len(plain[start:]) > room:
        end, used = start, 0
        while end < len(plain) and used + cell_len(plain[end]) <= room:
            used += cell_len(plain[end])
            end += 1
        cut = 0
        for k, level in enumerate(levels):
            fitting = [i for i in level if start < i <= end]
            if fitting and (cell_len(plain[start:max(fitting)]) * 3 >= room or k == len(levels) - 1):
                cut = max(fitting)
                break
        if not cut:
            cut = max([i for level in levels for i in level if start < i <= end], default=0)
        if not cut:
            cut = max(end, start + 1)
        cuts.append(cut)
        start = cut
        while start < len(plain) and plain[start] == " ":
            start += 1
        if start != cut:
            cuts.append(start)
        room = width - indent
    pieces = text.divide(cuts) if cuts else [text]
    lines = [p for p in pieces if p.plain.strip() or len(pieces) == 1]
    out = [(" " * indent if i and indent else "") + line.plain for i, line in enumerate(lines)]
    return [line.rstrip() for line in out] or [""]


_PIECES = st.sampled_from(["东环路", "改造工程", "（", "）", "，", "。", "；", " ", "2026-cj-003", "74.3%", "1,631,300.00",
                           "个", "项", "、", "a", "\u200b", "ｗ", "城关街道（王副区长）"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=80), st.integers(2, 40), st.integers(0, 4))
def test_same_lines_as_the_reference(pieces: list[str], width: int, indent: int) -> None:
    text = "".join(pieces)
    indent = min(indent, width - 1)
    assert [line.plain for line in wrap_text(text, width, indent)] == _reference(Text(text), max(width, 2), indent)


def test_a_long_list_of_names_wraps() -> None:
    names = "、".join(f"基准项目{i}号（城关街道）" for i in range(20000))
    lines = wrap_text("本月未报（20000 个）：" + names, 100)
    assert "".join(line.plain for line in lines) == "本月未报（20000 个）：" + names
    assert all(cell_len(line.plain) <= 100 for line in lines)
