"""`schedule --format json` (SPEC section 4): the 倒排 report as the machine contract, plus the batch nodes.

Split from `schedule.py`, which computes the report.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from projledger.figures.schedule import ScheduleReport


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def schedule_json(report: ScheduleReport) -> dict[str, Any]:
    """The SPEC section 4 object for `schedule --format json`, plus the batch nodes under "nodes"."""
    return {
        "month": report.month,
        "as_of": report.as_of.isoformat(),
        "warnings": list(report.warnings),
        "projects": [
            {
                "id": ps.project.id,
                "name": ps.project.name,
                "unit": ps.project.unit,
                "leader": ps.project.leader,
                "anchor": ps.anchor,
                "anchor_date": ps.anchor_date.isoformat(),
                "steps": [
                    {
                        "name": s.name,
                        "days": s.days,
                        "after": list(s.after),
                        "latest_start": s.latest_start.isoformat(),
                        "latest_finish": s.latest_finish.isoformat(),
                        "done": _iso(s.done),
                        "status": s.status,
                    }
                    for s in ps.steps
                ],
                "earliest": _iso(ps.earliest),
                "behind_workdays": ps.behind_workdays,
            }
            for ps in report.projects
        ],
        "nodes": [
            {
                "name": n.name,
                "date": n.date.isoformat(),
                "kind": n.kind,
                "projects": [
                    {
                        "id": np.project.id,
                        "name": np.project.name,
                        "unit": np.project.unit,
                        "leader": np.project.leader,
                        "planned": np.planned.isoformat(),
                        "actual": _iso(np.actual),
                        "earliest": _iso(np.earliest),
                        "status": np.status,
                        "behind_workdays": np.behind_workdays,
                    }
                    for np in n.projects
                ],
            }
            for n in report.nodes
        ],
    }
