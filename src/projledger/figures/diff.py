"""What changed in the ledger between two revisions: by project, by unit, and for the whole ledger.

Projects are matched by id, so a file renamed or moved to another folder is the same project. Field
changes are dotted paths (investment.annual_plan, planned.start, procedures.土地报批,
progress[2026-10].completed); progress entries are keyed by month. The meeting figures of both sides are
computed for one month M (like with like): `--month`, else B's latest reported month, so a light changes
only because of an edit, and "completed investment added" is 1-M月 at B minus 1-M月 at A. What the month
moving on does by itself (A at its own latest month against A at M: projects turning yellow because M is
not reported yet) is listed apart, as `moved`. Sides of different ledger years keep their own months.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from projledger.figures.metrics import MonthFigures, ProjectFigures, compute, number, report_month
from projledger.ledger.errors import UsageError
from projledger.ledger.gitsource import WORKTREE, load_at
from projledger.ledger.loader import Ledger, Progress
from projledger.ledger.models import Problem, Project

MISSING: Any = object()


@dataclass(frozen=True)
class Side:
    """One side of the comparison: the revision as typed, its commit (None for the working tree), month."""

    rev: str
    commit: str | None
    ledger: Ledger
    figures: MonthFigures

    @property
    def label(self) -> str:
        """`meeting-2026-09（3f2a1bc）` or `工作区`."""
        if self.commit is None:
            return self.rev
        short = self.commit[:7]
        return self.rev if self.rev.startswith(short) else f"{self.rev}（{short}）"


@dataclass(frozen=True)
class FieldChange:
    """One leaf (or a whole added/removed branch) that differs; MISSING values are shown as None."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ProblemChange:
    """A problem opened or resolved between the sides (from each side's latest report)."""

    problem: Problem
    resolved: date | None = None  # for resolved problems: the date written, None when simply dropped


@dataclass
class ProjectChange:
    """Everything that changed for one project."""

    id: str
    name: str
    unit: str
    change: str  # "added" | "removed" | "changed"
    old_path: str | None
    new_path: str | None
    old: ProjectFigures | None
    new: ProjectFigures | None
    fields: list[FieldChange] = field(default_factory=list)
    problems_opened: list[ProblemChange] = field(default_factory=list)
    problems_resolved: list[ProblemChange] = field(default_factory=list)
    procedures_done: list[tuple[str, date]] = field(default_factory=list)

    @property
    def renamed(self) -> bool:
        """The file moved or was renamed (same id)."""
        return self.change == "changed" and self.old_path != self.new_path

    @property
    def newly_started(self) -> bool:
        """Started at B but not at A (a new project counts when it is started at B)."""
        return self.new is not None and self.new.started and not (self.old is not None and self.old.started)

    @property
    def newly_finished(self) -> bool:
        """Finished at B but not at A."""
        return self.new is not None and self.new.finished and not (self.old is not None and self.old.finished)

    @property
    def completed_old(self) -> Decimal | None:
        """1-M月 completed at A (None when the project is new)."""
        return None if self.old is None else self.old.completed

    @property
    def completed_new(self) -> Decimal | None:
        """1-M月 completed at B (None when the project was removed)."""
        return None if self.new is None else self.new.completed

    @property
    def completed_added(self) -> Decimal:
        """B minus A, a missing side counting as 0."""
        return (self.completed_new or Decimal(0)) - (self.completed_old or Decimal(0))

    @property
    def light_changed(self) -> bool:
        """The 红黄绿 light differs (only for projects on both sides)."""
        return self.old is not None and self.new is not None and self.old.light != self.new.light

    def __bool__(self) -> bool:
        return bool(
            self.change != "changed" or self.renamed or self.fields or self.problems_opened
            or self.problems_resolved or self.procedures_done or self.newly_started or self.newly_finished
            or self.completed_added or self.light_changed
        )


@dataclass(frozen=True)
class UnitChange:
    """A unit's 1-M月 completed and rank on each side."""

    unit: str
    completed_old: Decimal | None
    completed_new: Decimal | None
    rank_old: int | None
    rank_new: int | None

    @property
    def completed_added(self) -> Decimal:
        """B minus A."""
        return (self.completed_new or Decimal(0)) - (self.completed_old or Decimal(0))


@dataclass(frozen=True)
class LightShift:
    """A project whose light differs only because the report month moved on (no edit behind it)."""

    id: str
    name: str
    unit: str
    light_old: str
    light_new: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MonthMove:
    """What the month moving on changes in the old side's own ledger, apart from any edit.

    Side A is compared at B's month (like with like); `own` is A at its own latest month, so the shifts
    are what a user would otherwise mistake for changes made between the revisions.
    """

    own: MonthFigures
    shifts: list[LightShift]


@dataclass(frozen=True)
class LedgerDiff:
    """The comparison of two sides."""

    old: Side
    new: Side
    projects: list[ProjectChange]
    units: list[UnitChange]
    settings: list[FieldChange]
    moved: MonthMove | None = None

    @property
    def same_year(self) -> bool:
        """Year-to-date figures are comparable only within one ledger year."""
        return self.old.ledger.settings.year == self.new.ledger.settings.year

    def of(self, change: str) -> list[ProjectChange]:
        """The projects added, removed or changed."""
        return [p for p in self.projects if p.change == change]

    @property
    def completed_added(self) -> Decimal:
        """The whole ledger's 1-M月 completed, B minus A."""
        return self.new.figures.totals.completed - self.old.figures.totals.completed


# --- building -----------------------------------------------------------------------------------------


def side(rev: str, commit: str | None, ledger: Ledger, month: str | None) -> Side:
    """A side with its figures for `month`, or for its own latest reported month."""
    try:
        the_month = report_month(ledger, month)
    except UsageError as exc:
        raise UsageError(f"{exc}（版本 {rev}）") from None
    return Side(rev, commit, ledger, compute(ledger, the_month))


def compare(old: Side, new: Side) -> LedgerDiff:
    """Compare two loaded sides."""
    changes: list[ProjectChange] = []
    old_by_id = {p.id: p for p in old.ledger.projects}
    new_by_id = {p.id: p for p in new.ledger.projects}
    for pid in [*new_by_id, *(i for i in old_by_id if i not in new_by_id)]:
        a, b = old_by_id.get(pid), new_by_id.get(pid)
        change = _project_change(old, new, a, b)
        if change:
            changes.append(change)
    return LedgerDiff(old, new, changes, _unit_changes(old.figures, new.figures),
                      _tree_diff("", _plain(old.ledger.settings.model_dump()),
                                 _plain(new.ledger.settings.model_dump())))


def _project_change(old: Side, new: Side, a: Project | None, b: Project | None) -> ProjectChange:
    p = b if b is not None else a
    assert p is not None
    fa = old.figures.project(p.id) if a is not None else None
    fb = new.figures.project(p.id) if b is not None else None
    change = ProjectChange(
        id=p.id, name=p.name, unit=p.unit,
        change="added" if a is None else "removed" if b is None else "changed",
        old_path=None if a is None else old.ledger.source(a).path,
        new_path=None if b is None else new.ledger.source(b).path,
        old=fa, new=fb,
    )
    if a is not None and b is not None:
        change.fields = _tree_diff("", _project_tree(a), _project_tree(b))
        change.procedures_done = [
            (name, done) for name, done in b.procedures.items()
            if done is not None and a.procedures.get(name) is None
        ]
    change.problems_opened, change.problems_resolved = _problems(fa, fb, b)
    return change


def _key(q: Problem) -> tuple[str, str]:
    return (q.type, q.text)


def _open(f: ProjectFigures | None) -> dict[tuple[str, str], Problem]:
    return {} if f is None else {_key(q): q for q in f.open_problems}


def _problems(
    fa: ProjectFigures | None, fb: ProjectFigures | None, b: Project | None
) -> tuple[list[ProblemChange], list[ProblemChange]]:
    """Open in B's latest report but not in A's; open in A's but no longer open in B's."""
    before, after = _open(fa), _open(fb)
    opened = [ProblemChange(q) for k, q in after.items() if k not in before]
    if b is None:
        return opened, []
    resolved_on = {_key(q): q.resolved for r in b.progress for q in r.problems if q.resolved is not None}
    resolved = [ProblemChange(q, resolved_on.get(k)) for k, q in before.items() if k not in after]
    return opened, resolved


def _unit_changes(a: MonthFigures, b: MonthFigures) -> list[UnitChange]:
    old = {g.name: g for g in a.units}
    new = {g.name: g for g in b.units}
    names = [*(g.name for g in sorted(b.units, key=lambda g: g.rank or 0)),
             *(n for n in old if n not in new)]
    rows = []
    for name in names:
        ga, gb = old.get(name), new.get(name)
        rows.append(UnitChange(
            name, None if ga is None else ga.completed, None if gb is None else gb.completed,
            None if ga is None else ga.rank, None if gb is None else gb.rank,
        ))
    return rows


def _project_tree(p: Project) -> dict[str, Any]:
    data: dict[str, Any] = _plain(p.model_dump(exclude={"id"}))
    data["progress"] = {entry.pop("month"): entry for entry in data.get("progress", [])}
    return data


def _plain(value: Any) -> Any:
    """JSON-ready values: money as numbers, dates as ISO text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _join(path: str, key: str, in_progress: bool) -> str:
    if in_progress:
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _tree_diff(path: str, a: Any, b: Any) -> list[FieldChange]:
    if a == b:
        return []
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[FieldChange] = []
        for key in [*a, *(k for k in b if k not in a)]:
            out.extend(_tree_diff(_join(path, key, path == "progress"), a.get(key, MISSING), b.get(key, MISSING)))
        return out
    if (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
            and all(isinstance(x, dict) for x in (*a, *b))):
        return [c for i, (x, y) in enumerate(zip(a, b, strict=True)) for c in _tree_diff(f"{path}[{i}]", x, y)]
    return [FieldChange(path, None if a is MISSING else a, None if b is MISSING else b)]


# --- loading ------------------------------------------------------------------------------------------


def between(
    root: Path, rev_a: str | None = None, rev_b: str | None = None, month: str | None = None,
    worktree: Ledger | None = None, progress: Progress | None = None,
) -> LedgerDiff:
    """Compare the ledger at `root` between two revisions; B None means the working tree.

    `rev_a` defaults to HEAD. `worktree` is the ledger as loaded from disk (needed when B is None).
    `progress` is told how far each revision's read has got.
    """
    ledger_a, commit_a = load_at(root, rev_a or "HEAD", progress)
    if rev_b is None:
        if worktree is None:
            raise ValueError("the working-tree ledger is needed when rev_b is None")
        new = side(WORKTREE, None, worktree, month)
    else:
        ledger_b, commit_b = load_at(root, rev_b, progress)
        new = side(rev_b, commit_b, ledger_b, month)
    # Like with like: A is computed at B's month unless the years differ (then each at its own).
    same_year = ledger_a.settings.year == new.ledger.settings.year
    old = side(rev_a or "HEAD", commit_a, ledger_a, month if month or not same_year else new.figures.month)
    moved = None
    if month is None and same_year:
        own = compute(ledger_a, report_month(ledger_a, None))
        if own.month != old.figures.month:
            moved = MonthMove(own, month_shifts(own, old.figures))
    return replace(compare(old, new), moved=moved)


def month_shifts(before: MonthFigures, after: MonthFigures) -> list[LightShift]:
    """Projects of one ledger whose light differs between two months' figures."""
    shifts = []
    for f in after.projects:
        was = before.project(f.project.id)
        if was is not None and was.light != f.light:
            p = f.project
            shifts.append(LightShift(p.id, p.name, p.unit, was.light, f.light, f.reasons))
    return shifts
