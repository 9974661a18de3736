"""How wide text prints in a cell, and where a line of Chinese may break when the cell is too narrow.

Excel, WPS and LibreOffice wrap Chinese between any two characters, which prints "完成总工程/量" and
"产业集聚区管委/会". The dispatch workbook therefore breaks long texts itself, at sensible points: after
punctuation, between the words of a small lexicon of the trade (工程量, 管委会, 百分点, …), never inside a
number with its unit ("4.8万平方米", "15.1个百分点"), never before a closing mark or after an opening one
(the 禁则 of Chinese typesetting). It is a heuristic, not a dictionary segmenter; what it cannot place
well it breaks at the width, as the spreadsheet would have done.

Widths are in Excel column units (the width of a digit of the workbook's default font). A CJK character
of 10 pt 宋体 is 1.9 units in Excel and 1.8 in LibreOffice; a digit or Latin letter is 0.95 in 宋体 and
up to 1.15 in the sans-serif LibreOffice substitutes when 宋体 is missing. The counts below take the
larger of each, so a line measured to fit prints on one line everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

WIDE = 1.9  # a CJK (or other full-width) character
NARROW = 1.15  # a digit, Latin letter or half-width sign
SIDE_PADDING = 1.2  # what a cell keeps free around its text

# Words a line should not be broken inside (longest match wins). Domain words first: these are the
# ones seen broken in real dispatch tables.
LEXICON = frozenset("""
总工程量 工程量 百分点 个百分点 时间进度 序时进度 序时计划 年度计划 投资计划 完成投资 累计完成
管委会 管理委员会 办事处 街道办事处 有限公司 有限责任公司 股份有限公司 集团 公司 街道 社区 乡镇
产业集聚区 集聚区 开发区 高新区 产业园 工业园 示范区 片区 小区 园区 新区 老城区 城区
项目 工程 一期 二期 三期 四期 建设 改造 提升 扩建 新建 续建 提标 整治 修缮 保护 利用 开发 配套
施工 完成 主体 基础 地下 地上 封顶 结构 二次结构 装修 装饰 安装 调试 试运行 投产 竣工 验收 开工
厂房 车间 仓库 仓储 宿舍 办公楼 研发楼 综合楼 写字楼 标准化 生产线 设备 管网 道路 桥梁 管线
污水 处理厂 供热 供水 排水 雨污 燃气 电力 绿化 亮化 停车场 安置房 学校 医院 幼儿园
招投标 招标 投标 手续 审批 批复 环评 能评 稳评 可研 立项 备案 规划 许可 规划许可 施工许可
土地 报批 预审 选址 用地 征收 征迁 拆迁 搬迁 签约 未签约 融资 资金 到位 贷款 专项债 缺口
滞后 逾期 未开工 未报 本月 上月 计划 累计 形象进度 存在问题 需协调 协调 解决 推进 加快 督促
新能源 新材料 汽车 零部件 生物 医药 食品 纺织 服装 智能 装备 制造 电子 信息 物流 冷链 商贸
文化 旅游 历史 街区 海绵城市 城市 示范 综合 服务 中心 商业 购物中心 农业 高标准 农田
电池 正极 负极 材料 产业 发展 企业 施工图 审查 准备 申报 不足 年产 质检 研发 办理 提交 部门
平方米 平方公里 立方米 万平方米 公里 千米 千瓦 兆瓦 万千瓦 万吨 万套 万件 万元 亿元
""".split())
MAX_WORD = max(len(w) for w in LEXICON)

# A number and the unit that follows it print as one piece: 4.8万平方米, 60%, 15.1个百分点, 2800套.
NUMBER = re.compile(
    r"[0-9０-９][0-9０-９.．,:/~～\-]*%?"
    r"(?:个百分点|万平方米|平方公里|平方米|立方米|万千瓦|千瓦|兆瓦|公里|千米|万吨|万套|万件|万元|亿元|"
    r"[万亿千百]?[米亩户套栋间吨辆台个项家人天年月日号期层座条处笔宗％]|[万亿千百])?"
)
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9.+\-_/]*")
# No line starts with these (closing marks) and none ends with these (opening marks).
NO_START = set("，。；：、！？）》」』】〕〉’”%％,.;:!?)]}…—·")
NO_END = set("（《「『【〔〈‘“([{")
BREAK_AFTER = set("，。；：、！？；,;:") | {"）"}
# Single characters that are words of their own (not paired with a neighbour by the fallback below).
PARTICLES = set("的及和与或并在对为已未于至等各所把被将向从由以其共约")


def char_width(ch: str) -> float:
    """Print width of one character in column units (see the module docstring)."""
    return WIDE if unicodedata.east_asian_width(ch) in ("W", "F", "A") else NARROW


class _CharWidths(dict[str, float]):
    """`char_width` of each character met so far."""

    def __missing__(self, ch: str) -> float:
        width = self[ch] = char_width(ch)
        return width


_CHAR_WIDTHS = _CharWidths()


@lru_cache(maxsize=65536)
def line_width(line: str) -> float:
    """Print width of one line of text (the widths added in order, as a plain sum of `char_width`)."""
    return sum(map(_CHAR_WIDTHS.__getitem__, line))


def text_width(text: str) -> float:
    """Width of the widest line of `text`."""
    return max(line_width(line) for line in text.split("\n"))


@lru_cache(maxsize=65536)
def tokens(line: str) -> tuple[str, ...]:
    """The unbreakable pieces of a line: numbers with units, Latin words, lexicon words, characters.

    Closing marks stick to the piece before them and opening marks to the piece after.
    """
    pieces: list[str] = []
    i = 0
    n = len(line)
    while i < n:
        match = NUMBER.match(line, i) or LATIN.match(line, i)
        if match and match.end() > i:
            piece = match.group()
        else:
            piece = line[i]
            for size in range(min(MAX_WORD, n - i), 1, -1):
                if line[i:i + size] in LEXICON:
                    piece = line[i:i + size]
                    break
        i += len(piece)
        pieces.append(piece)
    glued: list[str] = []
    for piece in _pair_unknown(pieces):
        if glued and (piece[0] in NO_START or glued[-1][-1] in NO_END):
            glued[-1] += piece
        else:
            glued.append(piece)
    return tuple(glued)


def _pair_unknown(pieces: list[str]) -> list[str]:
    """Characters the lexicon does not know, taken two by two (most Chinese words have two)."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        out.extend(run[i] + run[i + 1] if i + 1 < len(run) else run[i] for i in range(0, len(run), 2))
        run.clear()

    for piece in pieces:
        if len(piece) == 1 and char_width(piece) == WIDE and piece not in PARTICLES and piece not in NO_START \
                and piece not in NO_END:
            run.append(piece)
        else:
            flush()
            out.append(piece)
    flush()
    return out


def wrap(text: str, width: float) -> list[str]:
    """`text` as lines that each print within `width` units, broken at sensible points.

    Explicit line breaks are kept. A line prefers to end after punctuation when that leaves it at
    least half full; a piece wider than the whole width is cut where it must be.
    """
    usable = max(width - SIDE_PADDING, WIDE)
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(_wrap_line(paragraph, usable))
    return out


def _wrap_line(line: str, usable: float) -> list[str]:
    if line_width(line) <= usable:
        return [line]
    pieces: list[str] = []
    for piece in tokens(line):  # a piece wider than the cell is cut where it must be cut
        pieces.extend(_cut(piece, usable) if line_width(piece) > usable else [piece])
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for piece in pieces:
        w = line_width(piece)
        if used + w > usable and current:
            keep, current = _soft_break(current, usable)
            lines.append("".join(keep))
            used = sum(line_width(p) for p in current)
            if used + w > usable and current:
                lines.append("".join(current))
                current, used = [], 0.0
        current.append(piece)
        used += w
    lines.append("".join(current))
    return lines


def _cut(piece: str, usable: float) -> list[str]:
    """A piece too wide for the cell: a number apart from its unit if that is enough, else characters."""
    number = re.match(r"[0-9０-９][0-9０-９.．,:/~～\-]*%?", piece)
    if number and 0 < number.end() < len(piece):
        head, tail = piece[:number.end()], piece[number.end():]
        if line_width(head) <= usable and line_width(tail) <= usable:
            return [head, tail]
    chars: list[str] = []
    for ch in piece:  # still no line starting with a closing mark or ending with an opening one
        if chars and (ch in NO_START or chars[-1][-1] in NO_END):
            chars[-1] += ch
        else:
            chars.append(ch)
    return chars


@lru_cache(maxsize=65536)
def widest_piece(text: str) -> float:
    """Width of the widest unbreakable piece of `text`: a column narrower than this cuts a word."""
    return max((line_width(p) for line in text.split("\n") for p in tokens(line)), default=0.0)


def _soft_break(current: list[str], usable: float) -> tuple[list[str], list[str]]:
    """Split the pieces of a full line: after its last punctuation if that is at least half way."""
    used = 0.0
    best = len(current)
    for i, piece in enumerate(current, start=1):
        used += line_width(piece)
        if piece[-1] in BREAK_AFTER and i < len(current) and used >= usable / 2:
            best = i
    return current[:best], current[best:]


def lines_needed(text: str, width: float) -> int:
    """How many lines `text` takes in a column `width` units wide, broken as `wrap` breaks it."""
    return len(wrap(text, width))


__all__ = ["NARROW", "WIDE", "char_width", "line_width", "lines_needed", "text_width", "tokens", "widest_piece",
           "wrap"]
