"""The life of a problem (存在问题) across monthly reports: pure, no I/O, no clock.

A problem is open from the report that raises it until a report records its `resolved` date. The
ledger keeps SPEC section 1's shape, one list per monthly entry, so an open problem is copied into each
new month's entry (the offices' habit, and what `import` does), and the month it is resolved carries
the date. A problem is known by its project and (type, text), as `diff` matches them.

`listed(project, month)` is what the fill-in form shows for a month: the problems already in that
month's entry, then the ones still open in the latest earlier entry that the month's entry does not
(yet) carry. `same_text` decides when a problem typed again on a form is one already listed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from projledger.ledger.models import Problem, Project, Report

_SPACE = re.compile(r"\s+")
_TRAILING = "。．.；;，,、！!"


def key(problem: Problem) -> tuple[str, str]:
    """A problem's identity within its project: (type, text)."""
    return problem.type, problem.text


def normal(text: str) -> str:
    """Text as compared when a problem is typed again: full-width folded, spaces and end stops dropped."""
    folded = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", folded).rstrip(_TRAILING)


def same_text(a: str, b: str) -> bool:
    """True when two problem texts say the same thing, written alike up to spacing and punctuation."""
    return normal(a) == normal(b)


def entry(project: Project, month: str) -> Report | None:
    """The project's entry for `month`, if any."""
    return next((r for r in project.progress if r.month == month), None)


def previous_entry(project: Project, month: str) -> Report | None:
    """The latest entry before `month`, of any year: a problem open in December is still open in January."""
    earlier = [r for r in project.progress if r.month < month]
    return max(earlier, key=lambda r: r.month) if earlier else None


@dataclass(frozen=True)
class Listed:
    """A problem as the form lists it for a month, and the entry it lives in now."""

    problem: Problem
    home: str  # the month of the entry that holds it: the form's month, or the earlier entry it is carried from
    carried: bool = False  # True when the month's entry does not hold it yet


def carried(project: Project, month: str) -> list[Problem]:
    """Problems open in the latest earlier entry that the month's entry does not hold."""
    prev = previous_entry(project, month)
    if prev is None:
        return []
    this = entry(project, month)
    held = {key(q) for q in this.problems} if this is not None else set()
    return [q for q in prev.problems if q.resolved is None and key(q) not in held]


def listed(project: Project, month: str) -> list[Listed]:
    """The month's problems (resolved ones included) and then the open ones carried from before."""
    this = entry(project, month)
    own = [Listed(q, month) for q in this.problems] if this is not None else []
    prev = previous_entry(project, month)
    carry = [Listed(q, prev.month, True) for q in carried(project, month)] if prev is not None else []
    return own + carry


__all__ = ["Listed", "carried", "entry", "key", "listed", "normal", "previous_entry", "same_text"]
