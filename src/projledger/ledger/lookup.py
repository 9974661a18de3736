"""Finding a project the way a user names it: its id, its name, or a unique part of either.

Office staff remember "东环路" rather than "2026-cj-003". A query is matched, in this order, against
ids, whole names, then parts of ids and names (ignoring spaces, case and full-width forms); the first
step with exactly one match wins. Several matches, or none, are an InputError that lists the candidates
(or the closest names) so the user can pick one.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Sequence

from projledger.ledger.errors import InputError
from projledger.ledger.loader import Ledger
from projledger.ledger.models import Project

MAX_LISTED = 10


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def label(p: Project) -> str:
    """`东环路道路工程（2026-cj-003，东城街道）`: how a candidate is listed."""
    return f"{p.name}（{p.id}，{p.unit}）"


def matches(ledger: Ledger, query: str) -> list[Project]:
    """The projects `query` names: the first non-empty of exact id, exact name, part of id or name."""
    q = _norm(query)
    if not q:
        return []
    projects = list(ledger.projects)
    tests: tuple[Callable[[Project], bool], ...] = (
        lambda p: p.id == query or _norm(p.id) == q,
        lambda p: _norm(p.name) == q,
        lambda p: q in _norm(p.id) or q in _norm(p.name),
    )
    for test in tests:
        found = [p for p in projects if test(p)]
        if found:
            return found
    return []


def find_project(ledger: Ledger, query: str) -> Project:
    """The one project `query` names; InputError listing the candidates when it names several or none."""
    found = matches(ledger, query)
    if len(found) == 1:
        return found[0]
    if found:
        listed = "\n".join(f"  {label(p)}" for p in found[:MAX_LISTED])
        more = f"\n  ……另有 {len(found) - MAX_LISTED} 个" if len(found) > MAX_LISTED else ""
        raise InputError(f"“{query}”对应 {len(found)} 个项目，请写得更具体一些，或写项目编号：\n{listed}{more}")
    raise InputError(f"台账中没有名称或编号含“{query}”的项目" + _suggest(ledger.projects, query)
                     + "；运行 projledger list 可查看全部项目和编号")


def find_projects(ledger: Ledger, queries: Sequence[str]) -> list[str]:
    """The ids of the projects `queries` name, in the order given, each once; all problems in one error."""
    ids: list[str] = []
    problems: list[str] = []
    for query in queries:
        try:
            ids.append(find_project(ledger, query).id)
        except InputError as exc:
            problems.append(str(exc))
    if problems:
        raise InputError("\n".join(problems))
    return list(dict.fromkeys(ids))


def _suggest(projects: Sequence[Project], query: str) -> str:
    by_key = {p.id: p for p in projects} | {p.name: p for p in projects}
    close = difflib.get_close_matches(query, list(by_key), n=3, cutoff=0.6)
    chosen = list(dict.fromkeys(by_key[c].id for c in close))
    if not chosen:
        return ""
    found = {p.id: p for p in projects}
    named = "、".join(f"“{i}”（{found[i].name}）" for i in chosen)
    return f"（是不是{named}？）"


__all__ = ["find_project", "find_projects", "label", "matches"]
