"""The bulletin (通报): the month's figures as the sentences an office writes, through a Jinja2 template.

Every figure comes from `metrics.compute` (and `schedule.build_schedule`, `diff.compare`); this module only
turns them into text: amounts in 亿元 (`fmt.yi`), rates to one decimal, 超过/低于 chosen by the sign of the
gap (持平 at 0). The sentences are built here and handed to the template ready-made, together with the
raw figures and the formatting filters, so a ledger can rewrite the layout in its own
`templates/brief.md.j2` (beside projledger.yaml) without recomputing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from projledger.figures.diff import LedgerDiff
from projledger.figures.fmt import DASH, money, pct, points, yi
from projledger.figures.metrics import (
    GroupFigures,
    MonthFigures,
    ProjectFigures,
    compute,
    days_overdue,
    lagging,
)
from projledger.figures.schedule import ScheduleReport, build_schedule
from projledger.ledger.errors import InputError
from projledger.ledger.loader import Ledger

TEMPLATE = "brief.md.j2"
OWN_TEMPLATE = f"templates/{TEMPLATE}"  # relative to the ledger root
KIND_WORDS = {"续建": "续建项目", "新开工": "计划开工项目", "前期": "加快前期项目"}
LIGHTS = {"red": "红", "yellow": "黄", "green": "绿"}
CN_NUMBERS = "一二三四五六七八九十"
RANKED_SHOWN = 3


def months(m: int) -> str:
    """`1-10月` (or `1月`): the year-to-date span of report month m."""
    return "1月" if m == 1 else f"1-{m}月"


def cn(n: int) -> str:
    """一 .. 十 for section and list numbers (两 is not used: offices write 前三位, 前两位 rarely)."""
    return CN_NUMBERS[n - 1] if 1 <= n <= len(CN_NUMBERS) else str(n)


def versus(gap: Fraction | None, what: str = "时间进度", short: bool = False) -> str:
    """`超过时间进度13.8个百分点` / `低于…` / `与时间进度持平`; `short` gives 超序时进度… as offices write."""
    if gap is None:
        return ""
    if gap == 0 or points(gap) == "0.0":
        return f"与{what}持平"
    word = ("超" if short else "超过") if gap > 0 else "低于"
    return f"{word}{what}{points(gap, signed=False)}个百分点"


def day(d: date | None, year: int) -> str:
    """`9月12日`, with the year when it is not the ledger year."""
    if d is None:
        return DASH
    text = f"{d.month}月{d.day}日"
    return text if d.year == year else f"{d.year}年{text}"


def area(district: str) -> str:
    """全区 / 全县 / 全市 after the district's last character."""
    last = district[-1:] if district else ""
    return f"全{last}" if last in ("区", "县", "市", "旗") else "全区"


def headline(mf: MonthFigures) -> str:
    """The opening sentences: investment against time progress, then the start count."""
    t, m = mf.totals, mf.month_number
    text = f"{months(m)}，{area(mf.settings.district)}{t.projects}个重点项目累计完成投资{yi(t.completed)}亿元"
    if t.completion_rate is not None:
        text += f"，占年度投资计划的{pct(t.completion_rate)}，{versus(t.gap)}"
    text += "。"
    if t.new_starts:
        text += f"本年度计划开工项目{t.new_starts}项（其中{months(m)}份计划新开工{t.due_to_start}项），目前实际已开工{t.started}项"
        text += f"（提前开工{t.early_starts}项）" if t.early_starts else ""
        text += f"，完成年度计划开工的{pct(t.start_rate)}"
        text += f"，未按计划开工{t.overdue_starts}项。" if t.overdue_starts else "，计划开工项目均已按期开工。"
    return text


def kind_sentence(g: GroupFigures) -> str:
    """`16个续建项目完成投资20.94亿元，投资完成率21.6%，超序时进度4.9个百分点` (plus 开工率 for new starts)."""
    text = f"{g.projects}个{KIND_WORDS.get(g.name, g.name + '项目')}"
    if not g.annual_plan and not g.completed:
        return text + "无年度投资计划"
    text += f"完成投资{yi(g.completed)}亿元"
    if g.completion_rate is not None:
        text += f"，投资完成率{pct(g.completion_rate)}，{versus(g.gap, '序时进度', short=True)}"
    if g.new_starts:
        text += f"，已开工{g.started}项，开工率{pct(g.start_rate)}"
    return text


def by_kind(mf: MonthFigures) -> str:
    """The kinds in one sentence, separated by ；."""
    order = list(KIND_WORDS)
    groups = sorted(mf.groups["kind"], key=lambda g: order.index(g.name) if g.name in order else len(order))
    parts = [kind_sentence(g) for g in groups if g.projects]
    return "；".join(parts) + "。" if parts else ""


def _unit(g: GroupFigures) -> str:
    return f"{g.name}（{pct(g.completion_rate)}）"


def ranking(mf: MonthFigures) -> str:
    """Units ranked first and last by completion rate (rank order from metrics)."""
    ranked = sorted((g for g in mf.units if g.completion_rate is not None), key=lambda g: g.rank or 0)
    if not ranked:
        return ""
    if len(ranked) == 1:
        return f"投资完成率：{_unit(ranked[0])}。"
    k = min(RANKED_SHOWN, len(ranked) // 2) or 1
    top, bottom = ranked[:k], ranked[-k:]
    return (f"从各责任单位看，投资完成率排名前{cn(k)}位的是{'、'.join(_unit(g) for g in top)}；"
            f"排名后{cn(k)}位的是{'、'.join(_unit(g) for g in bottom)}。")


def unit_rows(mf: MonthFigures) -> list[dict[str, str]]:
    """Every unit in rank order, formatted, for the table."""
    return [
        {"rank": str(g.rank or DASH), "unit": g.name, "projects": str(g.projects), "plan": yi(g.annual_plan),
         "completed": yi(g.completed), "rate": pct(g.completion_rate), "gap": points(g.gap),
         "starts": f"{g.started}/{g.new_starts}" if g.new_starts else DASH, "start_rate": pct(g.start_rate)}
        for g in sorted(mf.units, key=lambda g: g.rank or 0)
    ]


def red_projects(mf: MonthFigures) -> list[str]:
    """`南大街提升改造工程（城关街道，包抓领导张建国）：滞后时间进度25.3个百分点`."""
    return [f"{_who(f)}：{'，'.join(f.reasons)}。" for f in lagging(mf) if f.light == "red"]


def _who(f: ProjectFigures) -> str:
    p = f.project
    leader = f"，包抓领导{p.leader}" if p.leader else ""
    return f"{p.name}（{p.unit}{leader}）"


def overdue_steps(mf: MonthFigures, report: ScheduleReport) -> list[str]:
    """Projects with overdue 倒排 steps, each step with the date it was due."""
    year = mf.settings.year
    figures = {f.project.id: f for f in mf.projects}
    lines = []
    for ps in report.projects:
        late = [s for s in ps.steps if s.status == "overdue"]
        f = figures.get(ps.project.id)
        if not late or f is None:
            continue
        steps = "、".join(f"{s.name}（应于{day(s.latest_finish, year)}前完成）" for s in late)
        anchor = "开工" if ps.anchor == "start" else "竣工"
        behind = f"，按现有进度{anchor}将滞后{ps.behind_workdays}个工作日" if ps.behind_workdays else ""
        lines.append(f"{_who(f)}：{steps}{behind}。")
    return lines


def overdue_problems(mf: MonthFigures) -> list[str]:
    """Open problems past their deadline, from each project's latest report."""
    year = mf.settings.year
    late = [(d, f, q) for f in mf.projects for q in f.open_problems if (d := days_overdue(q, mf.as_of))]
    lines = []
    for days, f, q in sorted(late, key=lambda item: -item[0]):  # longest overdue first
        owner = f"，责任单位{q.owner}" if q.owner else ""
        lines.append(f"{_who(f)}：{q.type}问题“{q.text}”{owner}，时限{day(q.due, year)}，已逾期{days}天。")
    return lines


def since_lines(d: LedgerDiff) -> list[str]:
    """What changed since the revision, in bulletin sentences."""
    lines = []
    if d.same_year:
        span = f"{d.old.ledger.settings.year}年{months(d.old.figures.month_number)}"
        lines.append(f"较{d.old.rev}时（{span}）新增完成投资{yi(d.completed_added)}亿元。")
    for key, word in (("added", "新增项目"), ("removed", "调出项目")):
        names = [c.name for c in d.of(key)]
        if names:
            lines.append(f"{word}{len(names)}个：{'、'.join(names)}。")
    for label, names in (("新开工", [c.name for c in d.projects if c.newly_started]),
                         ("新竣工", [c.name for c in d.projects if c.newly_finished])):
        if names:
            lines.append(f"{label}项目{len(names)}个：{'、'.join(names)}。")
    done = [f"{c.name}{n}" for c in d.projects for n, _ in c.procedures_done]
    if done:
        lines.append(f"办结前期手续{len(done)}项：{'、'.join(done)}。")
    resolved = sum(len(c.problems_resolved) for c in d.projects)
    opened = sum(len(c.problems_opened) for c in d.projects)
    if resolved or opened:
        lines.append(f"解决问题{resolved}个，新增问题{opened}个。")
    for c in d.projects:
        if c.light_changed and c.old is not None and c.new is not None:
            lines.append(f"{c.name}预警由{LIGHTS[c.old.light]}灯转为{LIGHTS[c.new.light]}灯。")
    return lines


@dataclass(frozen=True)
class Template:
    """The template text and where it came from (for error messages)."""

    text: str
    name: str


def load_template(root: Path) -> Template:
    """The ledger's own `templates/brief.md.j2` if it has one, else the one shipped in the package."""
    own = root / OWN_TEMPLATE
    if own.is_file():
        try:
            return Template(own.read_text(encoding="utf-8"), OWN_TEMPLATE)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{OWN_TEMPLATE}: 无法读取通报模板：{exc}") from None
    shipped = resources.files("projledger").joinpath("templates", TEMPLATE)
    return Template(shipped.read_text(encoding="utf-8"), f"（内置模板）{TEMPLATE}")


def environment() -> jinja2.Environment:
    """Markdown output (no HTML escaping), strict about unknown names, with the formatting filters."""
    env = jinja2.Environment(
        autoescape=False, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(yi=yi, pct=pct, money=money, points=points, versus=versus, cn=cn)
    return env


def context(mf: MonthFigures, schedule: ScheduleReport | None, since: LedgerDiff | None) -> dict[str, Any]:
    """Everything the template may use: ready sentences and lists, plus the raw figures."""
    s = mf.settings
    return {
        "district": s.district, "year": s.year, "month": mf.month_number, "months": months(mf.month_number),
        "as_of": day(mf.as_of, s.year), "time_progress": pct(mf.time_progress),
        "headline": headline(mf), "by_kind": by_kind(mf), "ranking": ranking(mf), "units": unit_rows(mf),
        "red": red_projects(mf),
        "overdue_steps": overdue_steps(mf, schedule) if schedule is not None else [],
        "overdue_problems": overdue_problems(mf),
        "since": None if since is None else {"label": since.old.rev, "lines": since_lines(since)},
        "mf": mf, "totals": mf.totals, "schedule": schedule, "diff": since,
    }


def render(ledger: Ledger, month: str, since: LedgerDiff | None = None) -> str:
    """The bulletin for `month` as Markdown text."""
    mf = compute(ledger, month)
    schedule = build_schedule(ledger, month)
    template = load_template(ledger.root)
    try:
        text = environment().from_string(template.text).render(context(mf, schedule, since))
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"{template.name}:{exc.lineno}: 通报模板语法错误：{exc.message}") from None
    except jinja2.TemplateError as exc:
        raise InputError(f"{template.name}: 通报模板无法填写：{exc}") from None
    return text.rstrip() + "\n"
