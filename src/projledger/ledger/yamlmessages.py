"""libyaml's English syntax messages as an office typist can act on them, with a hint from the lines nearby.

Split from `yamlio.py`, which uses `syntax_problem` for every YAML syntax error.
"""

from __future__ import annotations


def _syntax_hint(text: str, line: int | None) -> str:
    if line is None:
        return ""
    lines = text.splitlines()
    nearby = lines[max(0, line - 2) : line + 1]
    if any("：" in s for s in nearby):
        return "发现全角冒号“：”，请改成半角冒号加空格“: ”"
    if any("\t" in s[: len(s) - len(s.lstrip())] for s in nearby):
        return "请用空格缩进，不要用 Tab"
    return ""


# libyaml's problems, as an office typist can act on them (matched by prefix).
_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("could not find expected ':'", "缺少冒号“:”，每行应写成“键: 值”"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有配对，或列表项之间缺少逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 没有配对，或项之间缺少逗号"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("found unknown escape character", "双引号中有无法识别的反斜杠转义“\\”，可改用单引号"),
    ("mapping values are not allowed", "此处不能再出现“: ”；值中含有冒号时请给整个值加引号，或检查缩进"),
    ("did not find expected key", "缩进没有对齐，或引号后面还有多余的文字"),
    ("did not find expected '-' indicator", "列表项缩进没有对齐（每项以“- ”开头并对齐）"),
    ("found character that cannot start any token", "值不能以 @、` 、% 等符号开头，请给值加引号"),
    ("found a tab character", "请用空格缩进，不要用 Tab"),
    ("did not find expected node content", "此处缺少内容，或有多余的 ] } 等符号"),
    ("did not find expected alphabetic or numeric character", "* 和 & 在 YAML 中有特殊含义，请给值加引号"),
    ("found unknown directive name", "以 % 开头的行是 YAML 指令，请删除或给值加引号"),
    ("found duplicate %YAML directive", "以 % 开头的行是 YAML 指令，请删除"),
    ("did not find expected <document start>", "有多余的内容（如多余的 ] 或 }）"),
    ("found undefined tag handle", "! 在 YAML 中有特殊含义，请给值加引号"),
    ("control characters are not allowed", "含有不可见的控制字符，请删除"),
    ("found unexpected ':'", "冒号位置不对，请检查“键: 值”的写法"),
    ("found incompatible YAML document", "不支持的 YAML 版本指令，请删除 %YAML 行"),
)


def _translate(problem: str) -> str:
    for prefix, chinese in _PROBLEMS:
        if problem.startswith(prefix):
            return chinese
    return problem


def syntax_problem(text: str, line: int | None, problem: str) -> str:
    """The Chinese message for a libyaml syntax problem at `line`: a tab or full-width colon nearby, else the text."""
    return _syntax_hint(text, line) or _translate(problem)


def translate(problem: str) -> str:
    """A libyaml problem text in Chinese, where known."""
    return _translate(problem)
