"""What a bulletin must state, derived from `status --format json` alone (not from projledger's formatting code).

Money is shown in 亿元 with two decimals and rates in percent with one, both rounded half up, as SPEC 2
says; the expected strings below are built from the JSON numbers with Decimal, independently of `fmt`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DASH = "—"


def yi(wan: float | int) -> str:
    """万元 (a JSON number) as 亿元 text."""
    return str((Decimal(repr(wan)) / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP))


def pct(rate: float | None) -> str:
    """A JSON rate (0.75) as `75.0%`."""
    if rate is None:
        return DASH
    return f"{(Decimal(repr(rate)) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def pts(gap: float | None) -> str:
    """A JSON gap as signed points (`+5.5`, `-6.6`)."""
    if gap is None:
        return DASH
    value = (Decimal(repr(gap)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    text = f"{value:+}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def unit_rows(status: dict[str, Any]) -> list[list[str]]:
    """The units' table as it must read: units with projects, in rank order, every figure from the JSON."""
    rows = []
    for u in status["units"]:
        if not u["projects"]:
            continue
        rows.append([str(u["rank"]), u["unit"], str(u["projects"]), yi(u["annual_plan"]), yi(u["completed"]),
                     pct(u["completion_rate"]), pts(u["gap"]), pct(u.get("plan_rate")),
                     f"{u['started']}/{u['new_starts']}" if u["new_starts"] else DASH])
    return rows


def statements(status: dict[str, Any]) -> list[str]:
    """Phrases the bulletin's text must contain, each carrying a figure of the JSON totals or groups."""
    t = status["totals"]
    out = [f"共有重点项目{t['projects']}个", f"年度计划投资{yi(t['annual_plan'])}亿元"]
    if t["completed"]:
        out += [f"累计完成投资{yi(t['completed'])}亿元", f"占年度计划的{pct(t['completion_rate'])}"]
        gap = Decimal(repr(t["completion_rate"] - status["time_progress"]))
        if gap:
            word = "超过" if gap > 0 else "低于"
            out.append(f"{word}时间进度{pts(abs(float(gap))).lstrip('+')}个百分点")
        if t["plan_rate"] is not None:
            span = "1月" if status["month"].endswith("-01") else f"1-{int(status['month'][5:])}月"
            out.append(f"完成{span}计划的{pct(t['plan_rate'])}")
    if t["new_starts"]:
        out.append(f"本年度计划新开工项目{t['new_starts']}个")
        if t["due_to_start"]:
            out.append(f"计划开工{t['due_to_start']}个")
            if t["due_started"] and t["due_started"] < t["due_to_start"]:
                out += [f"已开工{t['due_started']}个", f"序时开工率{pct(t['due_start_rate'])}",
                        f"未按计划开工{t['due_to_start'] - t['due_started']}个"]
            if t["started"]:
                out += [f"全年已开工{t['started']}个", f"开工率{pct(t['start_rate'])}"]
    if t["finish_planned"]:
        out.append(f"本年度计划竣工项目{t['finish_planned']}个")
    if t["red"]:
        out.append(f"红灯项目{t['red']}个")
    if t["yellow"]:
        out.append(f"黄灯项目{t['yellow']}个")
    for level in status["levels"]:
        if level["projects"] and level["completed"]:
            out.append(f"{level['level']}项目{level['projects']}个，完成投资{yi(level['completed'])}亿元，"
                       f"占年度计划的{pct(level['completion_rate'])}")
    if t.get("unreported"):
        out.append(f"未报送进展的项目{t['unreported']}个")
    if t.get("stalled"):
        out.append(f"处于停滞状态的项目{t['stalled']}个")
    return out
