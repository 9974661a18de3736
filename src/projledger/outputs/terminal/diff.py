"""`diff` as a rich table view or as Markdown; both are built from the same rows of text.

Figures come from `diff.LedgerDiff` (itself from `metrics`); nothing is recomputed here, only formatted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from projledger.figures.diff import LedgerDiff, ProblemChange, ProjectChange, Side
from projledger.figures.fmt import DASH, money

LIGHT = {"red": "红", "yellow": "黄", "green": "绿"}
PROJECT_HEADERS = ("编号", "项目名称", "责任单位", "变化")
UNIT_HEADERS = ("责任单位", "A", "B", "增加(万元)", "排名")
FIELD_HEADERS = ("编号", "字段", "原值", "新值")


def months_label(s: Side) -> str:
    """`1-9月` (or `1月`) of a side's report month, with the year when it is not obvious."""
    m = s.figures.month_number
    return f"{s.ledger.settings.year}年{'1' if m == 1 else f'1-{m}'}月"


def signed(value: Decimal) -> str:
    """`+1,200.00` / `-50.00` / `0.00`."""
    text = money(value)
    return text if value <= 0 else f"+{text}"


def title(d: LedgerDiff) -> str:
    """`台账变化：meeting-2026-09（3f2a1bc） → 工作区`."""
    return f"{d.old.ledger.settings.district}重点项目台账变化：{d.old.label} → {d.new.label}"


def compared(d: LedgerDiff) -> str:
    """Which months' figures are compared."""
    a, b = months_label(d.old), months_label(d.new)
    if a == b:
        return f"完成投资按两边各自的{a}累计数比较。"
    return f"完成投资比较：{d.old.label}的{a}累计数 → {d.new.label}的{b}累计数。"


def summary(d: LedgerDiff) -> list[str]:
    """The opening sentences: counts, then the whole ledger's completed investment."""
    renamed = sum(c.renamed for c in d.projects)
    changed = len(d.of("changed"))
    started = [c.name for c in d.projects if c.newly_started]
    finished = [c.name for c in d.projects if c.newly_finished]
    lines = [
        f"新增项目 {len(d.of('added'))} 个，移出 {len(d.of('removed'))} 个，改名或移动 {renamed} 个，"
        f"有变化的项目 {changed} 个。",
    ]
    if started:
        lines.append(f"新开工 {len(started)} 个：{'、'.join(started)}。")
    if finished:
        lines.append(f"新竣工 {len(finished)} 个：{'、'.join(finished)}。")
    if not d.same_year:
        lines.append(f"台账年度不同（{d.old.ledger.settings.year} → {d.new.ledger.settings.year}），"
                     "完成投资为各自年度累计数，增减不可比。")
    else:
        t_old, t_new = d.old.figures.totals, d.new.figures.totals
        lines.append(f"全部项目完成投资 {money(t_old.completed)} → {money(t_new.completed)} 万元"
                     f"（{signed(d.completed_added)} 万元）。")
    lines.append(compared(d))
    if d.settings:
        lines.append("projledger.yaml 有改动：" + "；".join(f"{f.path}：{value(f.old)} → {value(f.new)}"
                                                         for f in d.settings) + "。")
    return lines


def _problem(c: ProblemChange) -> str:
    q = c.problem
    due = f"，时限 {q.due}" if q.due else ""
    return f"[{q.type}] {q.text}{due}"


def events(c: ProjectChange) -> list[str]:
    """What happened to one project, one short line each."""
    out: list[str] = []
    if c.change == "added":
        out.append(f"新增项目（{c.new_path}）")
    elif c.change == "removed":
        out.append(f"移出台账（原 {c.old_path}）")
    elif c.renamed:
        out.append(f"文件改名：{c.old_path} → {c.new_path}")
    if c.newly_started and c.new is not None:
        out.append(f"新开工（实际开工 {c.new.project.actual.start}）")
    if c.newly_finished and c.new is not None:
        out.append(f"竣工（{c.new.project.actual.finish}）")
    if c.completed_added:
        out.append(f"完成投资 {money(c.completed_old)} → {money(c.completed_new)} 万元（{signed(c.completed_added)}）")
    if c.light_changed and c.old is not None and c.new is not None:
        reasons = "；".join(c.new.reasons)
        out.append(f"预警 {LIGHT[c.old.light]}→{LIGHT[c.new.light]}" + (f"（{reasons}）" if reasons else ""))
    if c.procedures_done:
        out.append("办结手续：" + "、".join(f"{n}（{d}）" for n, d in c.procedures_done))
    out.extend(f"新增问题：{_problem(q)}" for q in c.problems_opened)
    for q in c.problems_resolved:
        when = f"{q.resolved} 解决" if q.resolved else "不再列出，未注明解决日期"
        out.append(f"问题解决：{_problem(q)}（{when}）")
    n = len(c.fields)
    if n and c.change == "changed":
        out.append(f"改动字段 {n} 处（见下表）")
    return out


def value(v: Any) -> str:
    """A field value as short text: None as —, mappings as `key: value；…`."""
    if v is None:
        return DASH
    if isinstance(v, dict):
        return "；".join(f"{k}: {value(x)}" for k, x in v.items() if x not in (None, [], {}))
    if isinstance(v, list):
        return "、".join(f"（{value(x)}）" if isinstance(x, dict) else value(x) for x in v) if v else "（空）"
    if isinstance(v, bool):
        return "是" if v else "否"
    return str(v)


def project_rows(d: LedgerDiff) -> list[tuple[str, str, str, list[str]]]:
    """(id, name, unit, event lines) for every changed project."""
    return [(c.id, c.name, c.unit, events(c)) for c in d.projects]


def unit_rows(d: LedgerDiff) -> list[tuple[str, ...]]:
    """(unit, completed A, completed B, added, rank A→B)."""
    rows: list[tuple[str, ...]] = []
    for u in d.units:
        rank = f"{u.rank_old or DASH}→{u.rank_new or DASH}" if u.rank_old != u.rank_new else str(u.rank_new or DASH)
        rows.append((u.unit, money(u.completed_old), money(u.completed_new), signed(u.completed_added), rank))
    return rows


def field_rows(d: LedgerDiff) -> list[tuple[str, str, str, str]]:
    """(id, dotted path, old, new) of every field change."""
    return [(c.id, f.path, value(f.old), value(f.new)) for c in d.projects for f in c.fields]


def unit_headers(d: LedgerDiff) -> tuple[str, ...]:
    """Unit table headers naming the months compared."""
    return (UNIT_HEADERS[0], f"{months_label(d.old)}完成(万元)", f"{months_label(d.new)}完成(万元)",
            *UNIT_HEADERS[3:])


# --- rich ---------------------------------------------------------------------------------------------


def diff_view(d: LedgerDiff) -> RenderableType:
    """The whole `diff` table view."""
    parts: list[RenderableType] = [Text(title(d), style="bold")]
    parts.extend(Text(line) for line in summary(d))
    if not d.projects:
        parts.append(Text("项目台账没有变化。", style="green"))
        return Group(*parts)
    projects = Table(title="按项目", title_justify="left", pad_edge=False, show_lines=True)
    for header in PROJECT_HEADERS:
        projects.add_column(header, overflow="fold", no_wrap=header in ("编号", "责任单位"))
    for pid, name, unit, lines in project_rows(d):
        projects.add_row(Text(pid), Text(name), Text(unit), Text("\n".join(lines)))
    units = Table(title="按责任单位（完成投资）", title_justify="left", pad_edge=False)
    for i, header in enumerate(unit_headers(d)):
        units.add_column(header, justify="left" if i == 0 else "right", no_wrap=True)
    for row in unit_rows(d):
        units.add_row(*map(Text, row))
    parts += [Text(""), projects, Text(""), units]
    fields = field_rows(d)
    if fields:
        table = Table(title="改动字段", title_justify="left", pad_edge=False)
        for header in FIELD_HEADERS:
            table.add_column(header, overflow="fold")
        for row in fields:
            table.add_row(*map(Text, row))
        parts += [Text(""), table]
    return Group(*parts)


# --- markdown -----------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def md_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A GitHub-style pipe table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def diff_markdown(d: LedgerDiff) -> str:
    """The whole `diff` as Markdown."""
    parts = [f"# {title(d)}", "\n".join(f"- {line}" for line in summary(d))]
    if not d.projects:
        parts.append("项目台账没有变化。")
        return "\n\n".join(parts) + "\n"
    parts += ["## 按项目", md_table(PROJECT_HEADERS, [(i, n, u, "\n".join(ls)) for i, n, u, ls in project_rows(d)])]
    parts += ["## 按责任单位（完成投资）", md_table(unit_headers(d), unit_rows(d))]
    fields = field_rows(d)
    if fields:
        parts += ["## 改动字段", md_table(FIELD_HEADERS, list(fields))]
    return "\n\n".join(parts) + "\n"
