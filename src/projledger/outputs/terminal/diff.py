"""`diff` as a rich table view or as Markdown; both are built from the same rows of text.

Figures come from `diff.LedgerDiff` (itself from `metrics`); nothing is recomputed here, only formatted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from projledger.figures.diff import LedgerDiff, ProblemChange, ProjectChange, Side
from projledger.figures.fmt import DASH, money, pct
from projledger.outputs.labels import field_label, key_label, settings_label
from projledger.outputs.terminal.fit import Col, Grid, Prose

LIGHT = {"red": "红", "yellow": "黄", "green": "绿"}
PROJECT_HEADERS = ("编号", "项目名称", "责任单位", "变化")
UNIT_HEADERS = ("责任单位", "A", "B", "增加(万元)", "排名")
FIELD_HEADERS = ("编号", "字段", "原值", "新值")  # the Markdown table's


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
        return f"两边都按{a}计算（同一月份比较，变化都来自台账的改动）。"
    return f"完成投资比较：{d.old.label}的{a}累计数 → {d.new.label}的{b}累计数。"


def moved_lines(d: LedgerDiff) -> list[str]:
    """What the month moving on changes by itself, grouped by light change and reason."""
    m = d.moved
    if m is None:
        return []
    was, now = m.own.month_number, d.old.figures.month_number
    head = (f"月份推移（不是改动）：{d.old.label}原按{was}月计算，现按{now}月计算"
            f"（时间进度 {pct(m.own.time_progress)} → {pct(d.old.figures.time_progress)}）")
    if not m.shifts:
        return [head + "，预警没有变化。"]
    groups: dict[tuple[str, str, str], list[str]] = {}
    for x in m.shifts:
        reason = "；".join(x.reasons) if len(x.reasons) == 1 and x.reasons[0] == "本月未报" else ""
        groups.setdefault((x.light_old, x.light_new, reason), []).append(x.name)
    lines = [head + "，以下预警变化只因月份推移："]
    for (old, new, reason), names in groups.items():
        why = f"（{reason}）" if reason else ""
        lines.append(f"预警 {LIGHT[old]}→{LIGHT[new]}{why} {len(names)} 个：{'、'.join(names)}")
    return lines


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
        lines.append("projledger.yaml 有改动：" + "；".join(
            f"{settings_label(f.path)}：{value(f.old)} → {value(f.new)}" for f in d.settings) + "。")
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
        return "；".join(f"{key_label(k)}：{value(x)}" for k, x in v.items() if x not in (None, [], {}))
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
    """(id, field in Chinese, old, new) of every field change."""
    return [(c.id, field_label(f.path), value(f.old), value(f.new)) for c in d.projects for f in c.fields]


def unit_headers(d: LedgerDiff) -> tuple[str, ...]:
    """Unit table headers naming the months compared (原/现 when both sides are the same month)."""
    a, b = months_label(d.old), months_label(d.new)
    if a == b:
        a, b = f"原{a}", f"现{b}"
    return (UNIT_HEADERS[0], f"{a}完成(万元)", f"{b}完成(万元)", *UNIT_HEADERS[3:])


# --- rich ---------------------------------------------------------------------------------------------


def diff_view(d: LedgerDiff) -> RenderableType:
    """The whole `diff` table view."""
    parts: list[RenderableType] = [Prose(Text(title(d), style="bold"))]
    parts.extend(Prose(line) for line in summary(d))
    parts.extend(Prose(Text(line, style="dim")) for line in moved_lines(d))
    if not d.projects:
        parts.append(Text("项目台账没有变化。", style="green"))
        return Group(*parts)
    projects = Grid([
        Col("编号", drop=1),
        Col("项目名称", kind="name", min_width=10),
        Col("责任单位", kind="name", min_width=8, short="单位", weight=0.6),
        Col("变化", kind="wrap", min_width=20, weight=1.5),
    ], title="按项目")
    for pid, name, unit, lines in project_rows(d):
        projects.add_row(pid, Text(name), Text(unit), Text("\n".join(lines)))
    headers = unit_headers(d)
    units = Grid([Col(headers[0], kind="name", min_width=8),
                  *(Col(h.replace("完成(万元)", "完成\n(万元)"), justify="right") for h in headers[1:])],
                 title="按责任单位（完成投资）")
    for row in unit_rows(d):
        units.add_row(Text(row[0]), *row[1:])
    parts += [Text(""), projects, Text(""), units]
    fields = field_rows(d)
    if fields:
        table = Grid([Col("编号"), Col("字段", kind="wrap", min_width=10), Col("原值", kind="wrap", min_width=12),
                      Col("新值", kind="wrap", min_width=12)], title="改动字段")
        for pid, label, old, new in fields:
            table.add_row(pid, Text(label), Text(old), Text(new))
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
    parts = [f"# {title(d)}", "\n".join(f"- {line}" for line in [*summary(d), *moved_lines(d)])]
    if not d.projects:
        parts.append("项目台账没有变化。")
        return "\n\n".join(parts) + "\n"
    parts += ["## 按项目", md_table(PROJECT_HEADERS, [(i, n, u, "\n".join(ls)) for i, n, u, ls in project_rows(d)])]
    parts += ["## 按责任单位（完成投资）", md_table(unit_headers(d), unit_rows(d))]
    fields = field_rows(d)
    if fields:
        parts += ["## 改动字段", md_table(FIELD_HEADERS, list(fields))]
    return "\n\n".join(parts) + "\n"
