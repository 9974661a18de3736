"""The bulletin's sentences and lists, section by section, from the computed figures.

Every number comes from `metrics.compute` (the figures `status --format json` prints), `schedule` or
`diff`; this module picks the words. Where a figure would read as nonsense (a 0.0% start rate when no
project is due to start, a ranking of units without projects) the sentence says what is true instead.

One order everywhere: the ranking follows the rank; every list of projects follows the units' order in
projledger.yaml, and within a unit the most severe first (the largest gap, the longest overdue).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from projledger.figures.diff import LedgerDiff
from projledger.figures.fmt import DASH, lag, pct, points, yi
from projledger.figures.metrics import GroupFigures, MonthFigures, ProjectFigures, days_overdue, lagging
from projledger.figures.schedule import ScheduleReport
from projledger.outputs.bulletin.words import area, by_unit, cn, day, listing, months, plain, versus, who

KIND_WORDS = {"续建": "续建项目", "新开工": "新开工项目", "前期": "前期项目"}
LIGHTS = {"red": "红", "yellow": "黄", "green": "绿"}
RANKED_SHOWN = 3
NAMED_AT_MOST = 10  # overdue starts are named in the start paragraph up to this many


def unit_order(mf: MonthFigures) -> Callable[[str], int]:
    """Position of a unit in projledger.yaml (undeclared units after, in name order)."""
    index = {u: i for i, u in enumerate(mf.settings.units)}
    return lambda unit: index.get(unit, len(index))


def in_unit_order(mf: MonthFigures, figures: Sequence[ProjectFigures]) -> list[ProjectFigures]:
    """Projects grouped by unit in projledger.yaml order, keeping the given (severity) order inside a unit."""
    pos = unit_order(mf)
    return sorted(figures, key=lambda f: pos(f.project.unit))  # stable: severity order kept within a unit


# --- 总体情况 -------------------------------------------------------------------------------------------


def investment(mf: MonthFigures) -> str:
    """Projects, total and annual plan, then the year-to-date investment against time progress and plan."""
    t, span = mf.totals, months(mf.month_number)
    where = area(mf.settings.district)
    if t.projects == 0:
        return f"{where}尚未列入重点项目。"
    text = f"{where}共有重点项目{t.projects}个，总投资{yi(t.total)}亿元，年度计划投资{yi(t.annual_plan)}亿元"
    if t.annual_plan == 0 and t.completed == 0:
        return text + "。"
    if t.completed == 0:
        return text + f"；{span}尚未完成投资。"
    text += f"；{span}累计完成投资{yi(t.completed)}亿元"
    if t.completion_rate is not None:
        text += f"，占年度计划的{pct(t.completion_rate)}，{versus(t.gap)}"
    rate = t.plan_rate
    if rate is not None:
        text += f"，完成{span}计划的{pct(rate)}"
    return text + "。"


def group_sentence(label: str, g: GroupFigures) -> str:
    """`22个续建项目完成投资16.05亿元，完成率76.2%，低于时间进度7.1个百分点`."""
    text = f"{label}{g.projects}个"
    if g.annual_plan == 0 and g.completed == 0:
        return text + "，无年度投资计划"
    if g.completed == 0:
        return text + f"，年度计划投资{yi(g.annual_plan)}亿元，尚未完成投资"
    text += f"，完成投资{yi(g.completed)}亿元"
    if g.completion_rate is not None:
        text += f"，占年度计划的{pct(g.completion_rate)}，{versus(g.gap)}"
    return text


def kinds(mf: MonthFigures) -> str:
    """续建 / 新开工 / 前期 in one sentence."""
    parts = [group_sentence(KIND_WORDS.get(g.name, plain(g.name) + "项目"), g) for g in mf.groups["kind"] if g.projects]
    return "从项目类型看，" + "；".join(parts) + "。" if len(parts) > 1 else ""


def levels(mf: MonthFigures) -> str:
    """省/市/区重点 in projledger.yaml order, each with its investment against time progress."""
    parts = [group_sentence(plain(g.name) + "项目", g) for g in mf.groups["level"] if g.projects]
    return "从项目级别看，" + "；".join(parts) + "。" if parts else ""


def starts(mf: MonthFigures) -> str:
    """New starts: due to date and started (序时), early, not started, then the year's 开工率."""
    t, span = mf.totals, months(mf.month_number)
    if t.new_starts == 0:
        return "本年度没有计划新开工项目。"
    text = f"本年度计划新开工项目{t.new_starts}个"
    if t.due_to_start == 0:
        text += "，均未到计划开工时间"
        return text + (f"，其中已提前开工{t.early_starts}个。" if t.early_starts else "。")
    text += f"，其中{span}计划开工{t.due_to_start}个"
    if t.due_started == 0:
        text += "，均未开工"
    elif t.overdue_starts == 0:
        text += f"，已全部开工，序时开工率{pct(t.due_start_rate)}"
    else:
        text += f"，已开工{t.due_started}个，序时开工率{pct(t.due_start_rate)}，未按计划开工{t.overdue_starts}个"
    if t.early_starts:
        text += f"；另有{t.early_starts}个项目提前开工"
    if t.started:
        text += f"；全年已开工{t.started}个，开工率{pct(t.start_rate)}"
    text += "。"
    late = in_unit_order(mf, sorted((f for f in mf.projects if f.overdue_start), key=lambda f: -(f.days_late or 0)))
    if late and len(late) <= NAMED_AT_MOST:
        text += "未按计划开工的是：" + listing(f"{plain(f.project.name)}（{plain(f.project.unit)}，逾期{f.days_late}天）"
                                             for f in late) + "。"
    return text


def finishes(mf: MonthFigures) -> str:
    """Projects planned to finish this year and those finished."""
    t = mf.totals
    if t.finish_planned == 0:
        return "本年度没有计划竣工项目。"
    text = f"本年度计划竣工项目{t.finish_planned}个"
    if t.finished == 0:
        return text + "，目前尚无项目竣工。"
    if t.finished == t.finish_planned:
        return text + f"，已全部竣工（{t.finished}个）。"
    return text + f"，已竣工{t.finished}个。"


# --- 单位排名 -------------------------------------------------------------------------------------------


def ranked_units(mf: MonthFigures) -> list[GroupFigures]:
    """Units with projects and a completion rate, in rank order: the ones a ranking sentence may name."""
    return [g for g in mf.units if g.projects and g.completion_rate is not None]


def _tied(units: list[GroupFigures]) -> list[list[GroupFigures]]:
    """Consecutive units with the same completion rate, grouped."""
    groups: list[list[GroupFigures]] = []
    for g in units:
        if groups and groups[-1][0].completion_rate == g.completion_rate:
            groups[-1].append(g)
        else:
            groups.append([g])
    return groups


def _say(groups: list[list[GroupFigures]]) -> str:
    parts = []
    for group in groups:
        rate = pct(group[0].completion_rate)
        names = listing(plain(g.name) for g in group)
        parts.append(f"{names}（{rate}）" if len(group) == 1 else f"{names}（并列，均为{rate}）")
    return "，".join(parts) if any(len(g) > 1 for g in groups) else "、".join(parts)


def ranking(mf: MonthFigures) -> str:
    """Top and bottom units by completion rate; equal rates are said to be tied, never ordered."""
    units = ranked_units(mf)
    if not units:
        return ""
    if not any(g.completed for g in units):
        return "各责任单位尚未完成投资，暂不排名。"
    if len(units) == 1:
        return f"{plain(units[0].name)}投资完成率为{pct(units[0].completion_rate)}。"
    groups = _tied(units)
    if len(groups) == 1:
        return f"各责任单位投资完成率相同，均为{pct(units[0].completion_rate)}。"
    k = min(RANKED_SHOWN, len(units) // 2)
    top: list[list[GroupFigures]] = []
    for group in groups:  # whole tie groups, until k units are named
        if sum(map(len, top)) >= k:
            break
        top.append(group)
    bottom: list[list[GroupFigures]] = []
    for group in reversed(groups[len(top):]):
        if sum(map(len, bottom)) >= k:
            break
        bottom.insert(0, group)
    if not bottom:
        return "从各责任单位看，投资完成率由高到低依次为" + _say(groups) + "。"
    n_top, n_bottom = sum(map(len, top)), sum(map(len, bottom))
    first = "排名第一的是" if n_top == 1 else f"排名前{_count(n_top)}位的是"
    last = "排名最后的是" if n_bottom == 1 else f"排名后{_count(n_bottom)}位的是"
    return f"从各责任单位看，投资完成率{first}{_say(top)}；{last}{_say(bottom)}。"


def _count(n: int) -> str:
    return cn(n) if n != 2 else "两"


def unit_rows(mf: MonthFigures) -> list[dict[str, str]]:
    """Units that have projects, in rank order, formatted for the table (figures as status json has them)."""
    return [
        {"rank": str(g.rank or DASH), "unit": plain(g.name), "projects": str(g.projects), "plan": yi(g.annual_plan),
         "completed": yi(g.completed), "rate": pct(g.completion_rate), "gap": points(g.gap),
         "plan_rate": pct(g.plan_rate),
         "starts": f"{g.started}/{g.new_starts}" if g.new_starts else DASH, "start_rate": pct(g.start_rate),
         "red": str(g.red), "yellow": str(g.yellow)}
        for g in mf.units if g.projects
    ]


def unit_note(mf: MonthFigures) -> str:
    """How the table is ranked, the time progress it is measured against, and the units left out."""
    text = (f"注：时间进度按截至{day(mf.as_of, mf.settings.year)}的{pct(mf.time_progress)}计；"
            f"完成序时计划为{months(mf.month_number)}完成投资占{months(mf.month_number)}计划投资的比例；"
            "排名按投资完成率，相同时按开工率")
    empty = [plain(g.name) for g in mf.units if not g.projects]
    if empty:
        text += f"；{listing(empty)}本年度没有重点项目，未列入"
    return text + "。"


# --- 预警、倒排、问题、未报和停滞 ---------------------------------------------------------------------------


def lights(mf: MonthFigures) -> str:
    """How many projects are red and yellow."""
    t = mf.totals
    if t.projects == 0:
        return ""
    if not t.red and not t.yellow:
        return "本月没有红灯和黄灯项目。"
    red = f"红灯项目{t.red}个" if t.red else "没有红灯项目"
    yellow = f"黄灯项目{t.yellow}个" if t.yellow else "没有黄灯项目"
    return f"对照预警规则，本月{red}，{yellow}。" if not (t.red and t.yellow) else f"对照预警规则，本月{red}、{yellow}。"


def warned(mf: MonthFigures, light: str) -> list[str]:
    """`东环路道路工程（东城街道，包抓领导李卫东）：滞后时间进度83.3个百分点，逾期未开工153天。`."""
    chosen = [f for f in lagging(mf) if f.light == light]
    return [f"{who(f)}：{'，'.join(f.reasons)}。" for f in in_unit_order(mf, chosen)]


def overdue_steps(mf: MonthFigures, report: ScheduleReport | None) -> list[str]:
    """Projects with overdue 倒排 steps, each step with its deadline, and the lag in calendar days or months."""
    if report is None:
        return []
    year = mf.settings.year
    pos = unit_order(mf)
    late = [ps for ps in report.projects if any(s.status == "overdue" for s in ps.steps)]
    late.sort(key=lambda ps: (pos(ps.project.unit), -ps.behind_days))
    lines = []
    for ps in late:
        f = mf.project(ps.project.id)
        if f is None:
            continue
        steps = listing(f"{plain(s.name)}（应于{day(s.latest_finish, year)}前办结）"
                        for s in ps.steps if s.status == "overdue")
        anchor = "开工" if ps.anchor == "start" else "竣工"
        behind = f"，按现有进度{anchor}将滞后{lag(ps.behind_days)}" if ps.behind_days else ""
        lines.append(f"{who(f)}：{steps}{behind}。")
    return lines


def overdue_problems(mf: MonthFigures) -> list[str]:
    """Open problems past their deadline, longest overdue first within each unit."""
    year = mf.settings.year
    pos = unit_order(mf)
    late = [(d, f, q) for f in mf.projects for q in f.open_problems if (d := days_overdue(q, mf.as_of))]
    late.sort(key=lambda item: (pos(item[1].project.unit), -item[0]))
    lines = []
    for days, f, q in late:
        owner = f"，责任单位{plain(q.owner)}" if q.owner else ""
        lines.append(f"{who(f)}：{plain(q.type)}问题“{plain(q.text)}”{owner}，"
                     f"办结时限{day(q.due, year)}，已逾期{days}天。")
    return lines


def reporting(mf: MonthFigures) -> list[str]:
    """Who did not report this month, and whose report repeats last month's figure and image (停滞)."""
    t, units = mf.totals, mf.settings.units
    lines = []
    if t.unreported:
        missing = [f for f in mf.projects if f.owes_report]
        lines.append(f"{mf.month_number}月未报送进展的项目{t.unreported}个：{by_unit(missing, units)}。")
    if t.stalled:
        stalled = [f for f in mf.projects if f.stalled]
        lines.append(f"完成投资和形象进度与上次报送相同、处于停滞状态的项目{t.stalled}个：{by_unit(stalled, units)}。")
    return lines


# --- 与上次相比 ----------------------------------------------------------------------------------------


def since_clauses(d: LedgerDiff) -> list[str]:
    """What changed since the revision, as clauses of one sentence."""
    parts = []
    if d.same_year:
        parts.append(f"{area(d.new.ledger.settings.district)}新增完成投资{yi(d.completed_added)}亿元")
    for key, word in (("added", "新增项目"), ("removed", "调出项目")):
        names = [plain(c.name) for c in d.of(key)]
        if names:
            parts.append(f"{word}{len(names)}个（{listing(names)}）")
    for label, names in (("新开工项目", [plain(c.name) for c in d.projects if c.newly_started]),
                         ("新竣工项目", [plain(c.name) for c in d.projects if c.newly_finished])):
        if names:
            parts.append(f"{label}{len(names)}个（{listing(names)}）")
    done = [f"{plain(c.name)}{plain(n)}" for c in d.projects for n, _ in c.procedures_done]
    if done:
        parts.append(f"办结前期手续{len(done)}项（{listing(done)}）")
    resolved = sum(len(c.problems_resolved) for c in d.projects)
    opened = sum(len(c.problems_opened) for c in d.projects)
    if resolved or opened:
        parts.append(f"解决问题{resolved}个、新增问题{opened}个")
    turned = [f"{plain(c.name)}由{LIGHTS[c.old.light]}灯转为{LIGHTS[c.new.light]}灯"
              for c in d.projects if c.light_changed and c.old is not None and c.new is not None]
    if turned:
        parts.append("预警变化：" + listing(turned))
    return parts


def since(d: LedgerDiff, label: str) -> dict[str, Any]:
    """The comparison with an earlier revision, named by `label` (10月调度会, 2026年10月28日)."""
    old_month = d.old.figures.month_number
    span = f"（截至{old_month}月底）" if d.same_year and old_month != d.new.figures.month_number else ""
    clauses = since_clauses(d)
    text = f"与{label}{span}相比，" + "；".join(clauses) + "。" if clauses else f"与{label}相比，台账没有变化。"
    return {"label": label, "lines": [c + "。" for c in clauses], "text": text}
