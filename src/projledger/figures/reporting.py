"""Which units have returned the month's figures (催报): pure, no I/O, no clock.

A project has reported for month M when it has a progress entry for M (SPEC 2's report(p)); a unit's
figures are 全部已报 when every one of its projects has, 未报 when none has, else 部分. A project finished by
the end of the month and not reporting is not chased: it owes no more figures (as it is not yellow for it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from projledger.figures.metrics import MonthFigures
from projledger.ledger.models import Project

State = Literal["all", "some", "none", "empty"]
STATE_LABELS: dict[State, str] = {"all": "全部已报", "some": "部分", "none": "未报", "empty": "无项目"}


@dataclass(frozen=True)
class UnitReporting:
    """One unit's returns for the month."""

    unit: str
    projects: int
    reported: int
    missing: tuple[Project, ...]  # projects without an entry for the month, in ledger order

    @property
    def state(self) -> State:
        """All / some / none reported (empty: the unit has no project)."""
        if self.projects == 0:
            return "empty"
        if self.reported == self.projects:
            return "all"
        return "none" if self.reported == 0 else "some"

    @property
    def label(self) -> str:
        """全部已报 / 部分 / 未报 / 无项目."""
        return STATE_LABELS[self.state]


def unit_reporting(mf: MonthFigures) -> list[UnitReporting]:
    """Every declared unit in projledger.yaml order, with its returns for the month."""
    out = []
    for unit in mf.settings.units:
        mine = [f for f in mf.projects if f.project.unit == unit and (f.reported or not f.finished)]
        missing = tuple(f.project for f in mine if f.owes_report)
        out.append(UnitReporting(unit, len(mine), len(mine) - len(missing), missing))
    return out


def reporting_json(mf: MonthFigures, units: list[UnitReporting]) -> dict[str, Any]:
    """The returns as JSON: month, and per unit its state, counts and the missing projects."""
    return {
        "month": mf.month,
        "units": [{"unit": u.unit, "state": u.state, "projects": u.projects, "reported": u.reported,
                   "missing": [{"id": p.id, "name": p.name} for p in u.missing]} for u in units],
    }


__all__ = ["STATE_LABELS", "UnitReporting", "reporting_json", "unit_reporting"]
