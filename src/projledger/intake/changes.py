"""What one project's rows on a returned form mean for its file: a `ReportChange`, or why not.

The rule of a problem's life (see `figures.problems`): every problem still open before the month is
carried into the month's entry when the month's report is written, whether or not the form says
anything about it; it leaves the open list only by a 解决日期 typed on the form (or in the ledger).
A problem typed again as new is matched to the one already listed (same text up to spacing and
punctuation) and kept with its owner and due date, never duplicated. When the month has no report yet
(no figure typed), a 进展 or 解决日期 is recorded where the problem lives now, in the latest earlier
entry; a new problem then needs the month's figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from projledger.figures.metrics import last_day
from projledger.figures.problems import Listed, entry, key, listed, normal, previous_entry, same_text
from projledger.ledger.errors import LedgerError
from projledger.ledger.models import Problem, Project, parse_month
from projledger.ledger.rewrite import UNSET, ReportChange, problem_dict

from .formcells import Cells, ListedRow, MainRow, NewRow, ProcedureRow


@dataclass
class ProjectInput:
    """Everything the returned forms say about one project."""

    project: Project
    month: str
    label: str  # the form's file name
    shown: set[tuple[str, str]] = field(default_factory=set)
    main: MainRow | None = None
    listed: list[ListedRow] = field(default_factory=list)
    new: list[NewRow] = field(default_factory=list)
    procedures: list[ProcedureRow] = field(default_factory=list)

    def first_cell(self) -> str:
        """Where to pin a message about the project as a whole."""
        rows: list[Cells] = [r.at for r in (self.main, *self.listed, *self.new, *self.procedures) if r is not None]
        return rows[0].at("id") if rows else self.label


@dataclass
class Outcome:
    """A project's change, what it says in words, and the messages it raised."""

    change: ReportChange | None = None
    summary: list[str] = field(default_factory=list)
    errors: list[LedgerError] = field(default_factory=list)
    warnings: list[LedgerError] = field(default_factory=list)
    completed_cell: str | None = None  # where a message about the month's figure belongs

    def error(self, where: str, message: str) -> None:
        """Record an error at `where`."""
        self.errors.append(LedgerError(where, None, message))

    def warn(self, where: str, message: str) -> None:
        """Record a warning at `where`."""
        self.warnings.append(LedgerError(where, None, message, severity="warning"))


def _label(q: Problem | dict[str, Any]) -> str:
    kind, text = (q.type, q.text) if isinstance(q, Problem) else (q["type"], q["text"])
    return f"{kind}：{text}"


@dataclass
class _Edit:
    note: str | None = None
    resolved: date | None = None


def _edits(pi: ProjectInput, items: dict[tuple[str, str], Listed], out: Outcome) -> dict[tuple[str, str], _Edit]:
    as_of = last_day(*parse_month(pi.month))
    edits: dict[tuple[str, str], _Edit] = {}
    for row in pi.listed:
        item = items.get((row.type, row.text)) or next(  # a cell keeps text as Excel can hold it (spaces, …)
            (x for x in items.values() if normal(x.problem.type) == normal(row.type)
             and same_text(x.problem.text, row.text)), None)
        typed = row.note is not None or row.resolved is not UNSET
        if item is None:
            if typed:
                out.error(row.at.at("id"), "该问题已不在台账的未解决问题中（可能已在台账中解决或修改），本行无法导入；请重新生成填报表")
            continue
        q = item.problem
        due = None if row.due is UNSET else row.due
        if row.owner != q.owner or due != q.due:
            out.warn(row.at.at("owner"), "责任单位、限期是灰色单元格，改动不会导入；如需修改请直接编辑台账")
        if not typed:
            continue
        edit = _Edit(q.note, q.resolved)
        if row.note is not None:
            edit.note = row.note
        if row.resolved is not UNSET:
            edit.resolved = row.resolved
            if row.resolved > as_of:
                out.warn(row.at.at("resolved"), f"解决日期 {row.resolved} 晚于 {pi.month} 月底，请核实")
        if (edit.note, edit.resolved) != (q.note, q.resolved):
            edits[key(q)] = edit
    return edits


def _with(q: Problem, edit: _Edit | None) -> dict[str, Any]:
    data = problem_dict(q)
    if edit is not None:
        data["resolved"] = edit.resolved
        if edit.note is not None:
            data["note"] = edit.note
    return data


def _new_problems(pi: ProjectInput, items: dict[tuple[str, str], Listed], edits: dict[tuple[str, str], _Edit],
                  out: Outcome) -> list[dict[str, Any]]:
    added: list[dict[str, Any]] = []
    for row in pi.new:
        same = next((q for q in items.values() if same_text(q.problem.text, row.text)), None)
        if same is not None:
            q = same.problem
            if key(q) in pi.shown or (row.owner, row.due) not in ((q.owner, q.due), (pi.project.unit, None)):
                out.warn(row.at.at("text"), f"与已列出的问题“{_label(q)}”相同，未重复登记（责任单位、限期按原问题）")
            if (row.note is not None or row.resolved is not None) and key(q) not in edits:
                edits[key(q)] = _Edit(row.note or q.note, row.resolved or q.resolved)
            continue
        if any(same_text(a["text"], row.text) for a in added):
            out.warn(row.at.at("text"), f"“{row.type}：{row.text}”在本表中重复填写，只登记一次")
            continue
        added.append({"type": row.type, "text": row.text, "owner": row.owner, "due": row.due,
                      "resolved": row.resolved, **({"note": row.note} if row.note else {})})
    return added


def _problem_lines(old: list[Problem], new: list[dict[str, Any]], carried: int) -> list[str]:
    lines = [f"延续此前未解决问题 {carried} 条"] if carried else []
    before = {key(q): q for q in old}
    for data in new:
        q = before.get((data["type"], data["text"]))
        if q is None:
            lines.append(f"新增问题：{_label(data)}（责任单位 {data['owner']}，限期 {data['due'] or '未定'}）")
        elif data["resolved"] is not None and q.resolved != data["resolved"]:
            lines.append(f"问题已解决：{_label(data)}（{data['resolved']}）")
        if data.get("note") and (q is None or q.note != data["note"]):
            lines.append(f"问题进展：{_label(data)}：{data['note']}")
    return lines


def _problems(pi: ProjectInput, has_report: bool, out: Outcome) -> tuple[list[dict[str, Any]] | None, str | None]:
    """The new problem list and the month of the entry it belongs to (None: no change)."""
    p, month = pi.project, pi.month
    items = {key(item.problem): item for item in listed(p, month)}
    edits = _edits(pi, items, out)
    added = _new_problems(pi, items, edits, out)
    this = entry(p, month)
    if has_report:
        own = list(this.problems) if this is not None else []
        carried = [item.problem for item in items.values() if item.carried]
        problems = [_with(q, edits.get(key(q))) for q in [*own, *carried]] + added
        if problems == [problem_dict(q) for q in own]:
            return None, None
        out.summary += _problem_lines([*own, *carried], problems, len(carried))
        return problems, month
    if added:
        out.error(pi.new[0].at.at("id"), f"项目“{p.id}”没有填写“1-{int(month[5:])}月累计完成投资”，"
                                         "新增问题无法登记；请在“填报表”中填写")
    prev = previous_entry(p, month)
    if not edits or prev is None:
        return None, None
    problems = [_with(q, edits.get(key(q))) for q in prev.problems]
    out.summary += _problem_lines(list(prev.problems), problems, 0)
    out.summary.append(f"（{month} 尚未填报，问题进展记在 {prev.month} 的记录中）")
    return problems, prev.month


def build_change(pi: ProjectInput) -> Outcome:
    """The change one project's rows ask for, with its summary and messages."""
    out = Outcome()
    p, month, main = pi.project, pi.month, pi.main
    this = entry(p, month)
    completed = main.completed if main is not None else None
    has_report = this is not None or completed is not None
    if main is not None:
        out.completed_cell = main.at.at("completed")
        if not has_report and any(v is not None for v in (main.image, main.next_plan, main.coordination)):
            out.error(main.at.at("completed"), f"填写了本月其他内容，但没有填写“1-{int(month[5:])}月累计完成投资”")
    problems, problems_month = _problems(pi, has_report, out)
    if out.errors:
        return out
    out.change = ReportChange(
        month, completed,
        image=main.image if main else None, problems=problems,
        actual_start=main.actual_start if main else UNSET, actual_finish=main.actual_finish if main else UNSET,
        next_plan=main.next_plan if main else None, coordination=main.coordination if main else None,
        problems_month=problems_month, procedures={r.step: r.done for r in pi.procedures},
    )
    out.summary = _summary(p, out.change) + out.summary + [
        f"前期手续办结：{r.step} {r.done}" for r in pi.procedures]
    return out


def _summary(project: Project, change: ReportChange) -> list[str]:
    old = entry(project, change.month)
    m = int(change.month[5:])
    lines = []
    if change.completed is not None:
        if old is None:
            lines.append(f"新增 {change.month} 进度：1-{m}月累计完成 {change.completed} 万元")
        elif old.completed != change.completed:
            lines.append(f"{change.month} 累计完成 {old.completed} → {change.completed} 万元")
    for label, new, was in (("形象进度", change.image, old.image if old else None),
                            ("下步计划", change.next_plan, old.next_plan if old else None),
                            ("需协调解决事项", change.coordination, old.coordination if old else None)):
        if new is not None and new != was:
            lines.append(f"{label}：{new}")
    for label, k, value in (("实际开工日期", "start", change.actual_start), ("实际竣工日期", "finish", change.actual_finish)):
        if value is not UNSET:
            lines.append(f"{label} {getattr(project.actual, k) or '未填'} → {value}")
    return lines


__all__ = ["Outcome", "ProjectInput", "build_change"]
