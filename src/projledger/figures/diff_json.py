"""`diff --format json`: the comparison of `figures.diff` as a JSON-ready object (names and paths as in the ledger)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from projledger.figures.diff import LedgerDiff, MonthMove, ProblemChange, ProjectChange, Side
from projledger.figures.metrics import number


def _money(value: Decimal | None) -> int | float | None:
    return None if value is None else number(value)


def _problem_json(c: ProblemChange) -> dict[str, Any]:
    q = c.problem
    data: dict[str, Any] = {"type": q.type, "text": q.text, "owner": q.owner,
                            "due": None if q.due is None else q.due.isoformat()}
    if c.resolved is not None:
        data["resolved"] = c.resolved.isoformat()
    return data


def _side_json(s: Side) -> dict[str, Any]:
    return {"rev": s.rev, "commit": s.commit, "month": s.figures.month, "as_of": s.figures.as_of.isoformat(),
            "year": s.ledger.settings.year}


def project_change_json(c: ProjectChange) -> dict[str, Any]:
    """One project's entry in `projects`."""
    return {
        "id": c.id, "name": c.name, "unit": c.unit, "change": c.change,
        "old_path": c.old_path, "new_path": c.new_path, "renamed": c.renamed,
        "fields": [{"path": f.path, "old": f.old, "new": f.new} for f in c.fields],
        "started": c.newly_started, "finished": c.newly_finished,
        "completed_old": _money(c.completed_old), "completed_new": _money(c.completed_new),
        "completed_added": number(c.completed_added),
        "light_old": None if c.old is None else c.old.light,
        "light_new": None if c.new is None else c.new.light,
        "problems_opened": [_problem_json(q) for q in c.problems_opened],
        "problems_resolved": [_problem_json(q) for q in c.problems_resolved],
        "procedures_done": [{"name": n, "date": d.isoformat()} for n, d in c.procedures_done],
    }


def _moved_json(m: MonthMove | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {"from_month": m.own.month, "shifts": [
        {"id": x.id, "name": x.name, "unit": x.unit, "light_old": x.light_old, "light_new": x.light_new,
         "reasons": list(x.reasons)} for x in m.shifts]}


def to_json(d: LedgerDiff) -> dict[str, Any]:
    """The `diff --format json` object; `month_moved` holds the changes that come from the month alone."""
    return {
        "from": _side_json(d.old),
        "to": _side_json(d.new),
        "same_year": d.same_year,
        "totals": {"completed_old": number(d.old.figures.totals.completed),
                   "completed_new": number(d.new.figures.totals.completed),
                   "completed_added": number(d.completed_added)},
        "added": [c.id for c in d.of("added")],
        "removed": [c.id for c in d.of("removed")],
        "renamed": [{"id": c.id, "old_path": c.old_path, "new_path": c.new_path} for c in d.projects if c.renamed],
        "started": [c.id for c in d.projects if c.newly_started],
        "finished": [c.id for c in d.projects if c.newly_finished],
        "units": [{"unit": u.unit, "completed_old": _money(u.completed_old), "completed_new": _money(u.completed_new),
                   "completed_added": number(u.completed_added), "rank_old": u.rank_old, "rank_new": u.rank_new}
                  for u in d.units],
        "settings": [{"path": f.path, "old": f.old, "new": f.new} for f in d.settings],
        "projects": [project_change_json(c) for c in d.projects],
        "month_moved": _moved_json(d.moved),
    }
