"""Cross-file checks: rules that need the ledger settings or more than one file.

Each check is a small function `check_x(ledger) -> list[LedgerError]`; `CHECKS` lists them all and
`run_checks` runs them in one loop. Errors fail `projledger check`; warnings are shown but do not.
(Declared units, categories and levels are checked while validating each file, with the settings as
pydantic context, so that they are reported together with the file's other errors.)
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import PurePosixPath

from projledger.ledger.errors import LedgerError
from projledger.ledger.loader import Ledger
from projledger.ledger.models import Project, Report
from projledger.ledger.procedures import check_procedures

Check = Callable[[Ledger], list[LedgerError]]


def check_duplicate_ids(ledger: Ledger) -> list[LedgerError]:
    """Ids are unique across the ledger; both files are named."""
    by_id: dict[str, list[Project]] = defaultdict(list)
    for p in ledger.projects:
        by_id[unicodedata.normalize("NFKC", p.id).casefold()].append(p)  # 2026-CJ-001 and ２０２６-cj-001 too
    errors = []
    for projects in by_id.values():
        if len(projects) < 2:
            continue
        paths = [ledger.source(p).path for p in projects]
        for p in projects:
            others = "、".join(x for x in paths if x != ledger.source(p).path) or paths[0]
            alike = "（只差大小写或全角半角，也算同一编号）" if len({q.id for q in projects}) > 1 else ""
            errors.append(ledger.source(p).error(("id",), f"项目编号“{p.id}”重复{alike}，另见 {others}"))
    return errors


def check_file_name(ledger: Ledger) -> list[LedgerError]:
    """A project file is named after its id, so it can be found by id."""
    errors = []
    for p in ledger.projects:
        src = ledger.source(p)
        name = src.path.rpartition("/")[2]
        stem = PurePosixPath(name).stem if name.count(".") != 1 else name.partition(".")[0]
        if stem != p.id:
            errors.append(src.error(("id",), f"文件名“{stem}”与项目编号“{p.id}”不一致，请将文件改名为 {p.id}.yaml"))
    return errors


def check_dates(ledger: Ledger) -> list[LedgerError]:
    """Finish never before start, planned or actual."""
    errors = []
    for p in ledger.projects:
        for key, dates in (("actual", p.actual), ("planned", p.planned)):
            if dates.start and dates.finish and dates.finish < dates.start:
                errors.append(ledger.source(p).error(
                    (key, "finish"), f"{key}.finish: 完工日期 {dates.finish} 早于开工日期 {dates.start}",
                    "error" if key == "actual" else "warning"))
    return errors


def check_progress_months(ledger: Ledger) -> list[LedgerError]:
    """Reports belong to the ledger year, one per month."""
    year = ledger.settings.year
    prefix = f"{year:04d}-"
    errors = []
    for p in ledger.projects:
        seen: set[str] = set()
        for i, r in enumerate(p.progress):
            if not r.month.startswith(prefix):
                # Figures only ever read entries of the ledger year (SPEC 2), so an old entry kept for
                # reference is harmless: warn rather than refuse the whole ledger.
                errors.append(ledger.source(p).error(
                    ("progress", i, "month"),
                    f"progress[{i}].month: {r.month} 不在台账年度 {year} 内，计算时不计", "warning"))
            if r.month in seen:
                errors.append(ledger.source(p).error(
                    ("progress", i, "month"), f"progress[{i}].month: {r.month} 重复填报"))
            seen.add(r.month)
    return errors


def check_completed_never_decreases(ledger: Ledger) -> list[LedgerError]:
    """Year-to-date `completed` never goes down from one month to the next."""
    errors = []
    for p in ledger.projects:
        for (_, prev), (i, cur) in _consecutive(p):
            if cur.month != prev.month and cur.completed < prev.completed:
                errors.append(ledger.source(p).error(
                    ("progress", i, "completed"),
                    f"progress[{i}].completed: {cur.month} 累计完成 {cur.completed} 少于 {prev.month} 的 "
                    f"{prev.completed}；completed 是 1-M 月累计数，不能减少"))
    return errors


def check_completed_within_plan(ledger: Ledger) -> list[LedgerError]:
    """Completing more than the annual plan is possible but worth a second look (warning)."""
    errors = []
    for p in ledger.projects:
        plan = p.investment.annual_plan
        for i, r in enumerate(p.progress):
            if r.completed > plan:
                errors.append(ledger.source(p).error(
                    ("progress", i, "completed"),
                    f"progress[{i}].completed: {r.month} 累计完成 {r.completed} 超过年度计划 {plan}",
                    "warning"))
    return errors


def check_plan_within_total(ledger: Ledger) -> list[LedgerError]:
    """The year's plan, or what was done before the year, above the total investment is a warning to check."""
    errors = []
    for p in ledger.projects:
        inv = p.investment
        for key, label, amount in (("annual_plan", "年度计划投资", inv.annual_plan), ("before_year", "截至上年底累计完成投资", inv.before_year)):
            if amount > inv.total:
                errors.append(ledger.source(p).error(
                    ("investment", key), f"investment.{key}: {label} {amount} 超过总投资 {inv.total}，请核对", "warning"))
    return errors


def check_cumulative_within_total(ledger: Ledger) -> list[LedgerError]:
    """before_year + completed above the total investment is suspicious (warning)."""
    errors = []
    for p in ledger.projects:
        inv = p.investment
        for i, r in enumerate(p.progress):
            if inv.before_year + r.completed > inv.total:
                errors.append(ledger.source(p).error(
                    ("progress", i, "completed"),
                    f"progress[{i}].completed: 开工以来累计 {inv.before_year + r.completed} 超过总投资 {inv.total}",
                    "warning"))
                break
    return errors


def check_progress_before_start(ledger: Ledger) -> list[LedgerError]:
    """Investment reported for a month that ended before the actual start (warning)."""
    errors = []
    for p in ledger.projects:
        start = p.actual.start
        started = "" if start is None else f"{start.year:04d}-{start.month:02d}"
        for i, r in enumerate(p.progress):
            if r.completed <= 0:
                continue
            if start is None or r.month < started:
                when = "尚未填写实际开工日期" if start is None else f"实际开工日期为 {start}"
                errors.append(ledger.source(p).error(
                    ("progress", i, "month"),
                    f"progress[{i}]: {r.month} 已填报完成投资 {r.completed}，但{when}", "warning"))
                break
    return errors


def check_nodes_in_year(ledger: Ledger) -> list[LedgerError]:
    """Node dates (集中开工, 观摩) should fall in the ledger year (warning)."""
    src = ledger.settings_source
    if src is None:
        return []
    return [src.error(("nodes", i, "date"), f"nodes[{i}]: 节点“{n.name}”日期 {n.date} 不在 {ledger.settings.year} 年",
                      "warning")
            for i, n in enumerate(ledger.settings.nodes) if n.date.year != ledger.settings.year]


def check_monthly_plan(ledger: Ledger) -> list[LedgerError]:
    """分月计划 sums exactly to the annual plan; nothing is planned before a 新开工 project's start month."""
    errors = []
    year = ledger.settings.year
    for p in ledger.projects:
        monthly = p.investment.monthly_plan
        if monthly is None:
            continue
        src = ledger.source(p)
        total, plan = sum(monthly, Decimal(0)), p.investment.annual_plan
        if total != plan:
            diff = total - plan
            more = f"多 {_amount(diff)}" if diff > 0 else f"少 {_amount(-diff)}"
            errors.append(src.error(("investment", "monthly_plan"),
                                    f"investment.monthly_plan: 分月计划合计 {_amount(total)} 万元，"
                                    f"与年度计划投资 {_amount(plan)} 万元不等（{more} 万元）"))
        start = p.planned.start
        if p.kind == "新开工" and start is not None and start.year == year:
            early = [f"{m}月" for m, amount in enumerate(monthly[: start.month - 1], start=1) if amount > 0]
            if early:
                errors.append(src.error(
                    ("investment", "monthly_plan"),
                    f"investment.monthly_plan: 新开工项目计划 {start} 开工，"
                    f"但分月计划在开工月之前（{'、'.join(early)}）已安排投资，请核实",
                    "warning"))
    return errors


def _amount(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def check_open_problems_carried(ledger: Ledger) -> list[LedgerError]:
    """A problem open in one report is in the next report too, or that report gives its resolved date.

    Deleting it by hand would make `status`, `diff` and the bulletin count it as solved with no date.
    """
    errors = []
    for p in ledger.projects:
        for (_, prev), (i, cur) in _consecutive(p):
            if not prev.problems:
                continue
            kept = {(_normal(q.type), _normal(q.text)) for q in cur.problems}
            for q in prev.problems:
                if q.resolved is None and (_normal(q.type), _normal(q.text)) not in kept:
                    errors.append(ledger.source(p).error(
                        ("progress", i, "month"),
                        f"{prev.month} 未解决的问题“{q.type}：{q.text}”在 {cur.month} 的记录中没有了，也没有解决日期；"
                        f"已解决的请照抄这条问题并写上 resolved 日期，未解决的请照抄", "warning"))
    return errors


def _consecutive(p: Project) -> list[tuple[tuple[int, Report], tuple[int, Report]]]:
    """Each report with the one before it in month order, both with their index in the file."""
    progress = p.progress
    months = [r.month for r in progress]
    order = range(len(progress)) if months == sorted(months) else sorted(range(len(progress)), key=months.__getitem__)
    ordered = [(i, progress[i]) for i in order]
    return list(zip(ordered, ordered[1:], strict=False))


def _normal(text: str) -> str:
    # Spacing, width and a trailing full stop do not make another problem (as import matches them).
    return "".join(unicodedata.normalize("NFKC", text).split()).rstrip("。．.；;，,、！!")


CHECKS: tuple[Check, ...] = (
    check_duplicate_ids,
    check_file_name,
    check_dates,
    check_progress_months,
    check_completed_never_decreases,
    check_completed_within_plan,
    check_plan_within_total,
    check_cumulative_within_total,
    check_progress_before_start,
    check_nodes_in_year,
    check_monthly_plan,
    check_open_problems_carried,
    check_procedures,
)


def run_checks(ledger: Ledger, extra: tuple[Check, ...] = ()) -> list[LedgerError]:
    """Run every check over a loaded ledger."""
    errors: list[LedgerError] = []
    for check in (*CHECKS, *extra):
        errors.extend(check(ledger))
    return errors
