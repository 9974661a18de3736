"""Rewrite a project file in place: comments, key order, quoting and layout survive the edit.

The edit is made on ruamel.yaml's round-trip tree (which keeps comments, key order and quotes), but
ruamel still normalises a few things it does not model, e.g. a block `key: null` comes back as `key:`.
So the text written is a three-way merge: O the original file, B ruamel's dump of the untouched tree and
E its dump after the edit. The lines where B and E differ are the edit and come from E; every other line
is copied from O byte for byte (line endings and a UTF-8 BOM included). When ruamel's dump does not line
up with the original (a different number of lines), E is used whole.

Whatever the route, the result is read back with the strict ledger loader and must validate to exactly
the project that was intended (the old project with the new report and dates); otherwise nothing is
written and `RewriteError` says why. Files are written through `fsio.atomic_write`, always as UTF-8.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.util import load_yaml_guess_indent

from projledger.ledger.errors import ProjledgerError
from projledger.ledger.fsio import atomic_write
from projledger.ledger.loader import Source, validate
from projledger.ledger.models import Problem, Project, Report
from projledger.ledger.yamlio import parse

BOM = "\ufeff"
UNSET: Any = object()  # "leave this field as it is"


class RewriteError(ProjledgerError):
    """A project file could not be rewritten safely; nothing was written."""


@dataclass(frozen=True)
class ReportChange:
    """What an import sets in one project file: the month's entry, procedure dates and actual dates.

    `completed` of None leaves the month's entry as it is (and creates none). `image`, `next_plan`,
    `coordination` and `problems` of None keep what the file has (an empty cell in the form means "not
    filled in", not "erase"). `problems` is the whole problem list of the entry for `problems_month`
    (default: `month`; an earlier month when a resolution is recorded where the problem lives because
    the month has no report yet). `procedures` sets done dates; `actual_start`/`actual_finish` left as
    UNSET are not touched.
    """

    month: str
    completed: Decimal | None = None
    image: str | None = None
    problems: list[dict[str, Any]] | None = None
    actual_start: Any = UNSET
    actual_finish: Any = UNSET
    next_plan: str | None = None
    coordination: str | None = None
    problems_month: str | None = None
    procedures: dict[str, date] = field(default_factory=dict)

    @property
    def problems_entry(self) -> str:
        """The month of the entry whose problem list `problems` replaces."""
        return self.problems_month or self.month


def _represent_decimal(representer: Any, value: Decimal) -> Any:
    if value == value.to_integral_value():
        return representer.represent_scalar("tag:yaml.org,2002:int", str(int(value)))
    return representer.represent_scalar("tag:yaml.org,2002:float", format(value.normalize(), "f"))


def _yaml(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    try:
        _, indent, offset = load_yaml_guess_indent(text)
    except Exception:  # noqa: BLE001 - a guess only; the defaults below are the house style
        indent, offset = None, None
    yaml.indent(mapping=2, sequence=indent or 4, offset=offset if offset is not None else 2)
    yaml.representer.add_representer(Decimal, _represent_decimal)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def merge(original: str, baseline: str, edited: str) -> str:
    """Original lines wherever ruamel's dump was not changed by the edit; edited lines elsewhere."""
    old = original.splitlines(keepends=True)
    base = baseline.splitlines(keepends=True)
    new = edited.splitlines(keepends=True)
    if len(old) != len(base):
        return edited
    newline = "\r\n" if old and old[0].endswith("\r\n") else "\n"
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, base, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(old[i1:i2])
        else:
            out.extend(line[:-1] + newline if line.endswith("\n") else line for line in new[j1:j2])
    if out and not out[-1].endswith("\n") and (old and old[-1].endswith("\n")):
        out[-1] += newline
    return "".join(out)


def _block_seq(seq: Any) -> CommentedSeq:
    out: CommentedSeq = seq if isinstance(seq, CommentedSeq) else CommentedSeq(seq or [])
    if not out:
        out.fa.set_block_style()  # `progress: []` grows into a block list
    return out


def _set(mapping: CommentedMap, key: str, value: Any, after: tuple[str, ...] = ()) -> None:
    """Set a key, keeping its place; a new key goes after the last of `after` that exists."""
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping)
    anchors = [keys.index(k) for k in after if k in keys]
    mapping.insert(max(anchors) + 1 if anchors else len(keys), key, value)


PROBLEM_KEYS = ("type", "text", "owner", "due", "resolved", "note")


def problem_dict(problem: Problem) -> dict[str, Any]:
    """A problem as the ledger writes it: SPEC 1's five keys always (null spelled out), `note` when set."""
    data = problem.model_dump()
    return {k: data[k] for k in PROBLEM_KEYS if k != "note" or data[k] is not None}


def _problems(problems: list[dict[str, Any]]) -> CommentedSeq:
    seq = CommentedSeq()
    for p in problems:
        item = CommentedMap((k, p.get(k)) for k in PROBLEM_KEYS if k in p and (k != "note" or p[k] is not None))
        item.fa.set_flow_style()  # one problem per line, as the spec's example writes them
        seq.append(item)
    return seq


def _entry(progress: CommentedSeq, month: str) -> CommentedMap | None:
    return next((e for e in progress if isinstance(e, CommentedMap) and str(e.get("month")) == month), None)


def _set_procedures(data: CommentedMap, done: dict[str, date]) -> None:
    procedures = data.get("procedures")
    if not isinstance(procedures, CommentedMap):
        procedures = CommentedMap()
        _set(data, "procedures", procedures, after=("actual", "planned", "investment"))
    if not procedures:
        procedures.fa.set_block_style()  # `procedures: {}` grows into a block map
    for name, day in done.items():
        procedures[name] = day


def apply_change(data: CommentedMap, change: ReportChange) -> None:
    """Edit the round-trip tree: add or update the month's entry, set problems, procedures, actual dates."""
    progress = _block_seq(data.get("progress"))
    if data.get("progress") is not progress and (change.completed is not None or change.problems is not None):
        _set(data, "progress", progress)
    entry = _entry(progress, change.month)
    if entry is None and change.completed is not None:
        entry = CommentedMap()
        entry["month"] = change.month
        later = [i for i, e in enumerate(progress) if isinstance(e, CommentedMap) and str(e.get("month")) > change.month]
        progress.insert(later[0] if later else len(progress), entry)
    if entry is not None:
        if change.completed is not None:
            entry["completed"] = change.completed
        for key, value, after in (("image", change.image, ("month", "completed")),
                                  ("next_plan", change.next_plan, ("month", "completed", "image")),
                                  ("coordination", change.coordination, ("month", "completed", "image", "next_plan"))):
            if value is not None:
                _set(entry, key, value, after=after)
    if change.problems is not None:
        home = _entry(progress, change.problems_entry)
        if home is None:
            raise RewriteError(f"没有 {change.problems_entry} 的进度记录，无法登记问题")
        _set(home, "problems", _problems(change.problems),
             after=("month", "completed", "image", "next_plan", "coordination"))
    if change.procedures:
        _set_procedures(data, change.procedures)
    for key, value in (("start", change.actual_start), ("finish", change.actual_finish)):
        if value is UNSET:
            continue
        actual = data.get("actual")
        if not isinstance(actual, CommentedMap):
            actual = CommentedMap([("start", None), ("finish", None)])
            actual.fa.set_flow_style()
            _set(data, "actual", actual, after=("planned", "investment"))
        _set(actual, key, value, after=("start",))


def expected_project(project: Project, change: ReportChange) -> Project:
    """The project as the edit must leave it, built on the models (the yardstick for the rewrite)."""
    progress = list(project.progress)
    old = next((r for r in progress if r.month == change.month), None)
    if old is not None or change.completed is not None:
        update: dict[str, Any] = {k: v for k, v in (
            ("completed", change.completed), ("image", change.image), ("next_plan", change.next_plan),
            ("coordination", change.coordination)) if v is not None}
        report = old.model_copy(update=update) if old is not None else Report(month=change.month, **update)
        if old is not None:
            progress[progress.index(old)] = report
        else:
            progress.append(report)
            progress.sort(key=lambda r: r.month)
    if change.problems is not None:
        home = next((r for r in progress if r.month == change.problems_entry), None)
        if home is None:
            raise RewriteError(f"没有 {change.problems_entry} 的进度记录，无法登记问题")
        problems = [Problem.model_validate(p) for p in change.problems]
        progress[progress.index(home)] = home.model_copy(update={"problems": problems})
    actual = project.actual.model_copy(update={
        k: v for k, v in (("start", change.actual_start), ("finish", change.actual_finish)) if v is not UNSET})
    procedures = {**project.procedures, **change.procedures}
    return project.model_copy(update={"progress": progress, "actual": actual, "procedures": procedures})


def _same_order(project: Project) -> Project:
    return project.model_copy(update={"progress": sorted(project.progress, key=lambda r: r.month)})


def rewrite_text(text: str, path: str, change: ReportChange) -> str:
    """The new text of a project file after `change`; RewriteError when it cannot be made safely."""
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    before = _load(body, path)
    try:
        yaml = _yaml(body)
        data = yaml.load(body)
        baseline = _dump(yaml, data)
        if not isinstance(data, CommentedMap):
            raise RewriteError(f"{path}: 文件内容不是“键: 值”的映射，无法改写")
        apply_change(data, change)
        edited = _dump(yaml, data)
    except RuamelError as exc:
        raise RewriteError(f"{path}: 无法按原格式改写（{exc}）；文件未改动") from None
    new_text = merge(body, baseline, edited)
    want = _same_order(expected_project(before, change))
    for candidate in (new_text, edited):
        got = _try_load(candidate, path)
        if got is not None and _same_order(got) == want:
            return (BOM + candidate) if bom else candidate
    raise RewriteError(f"{path}: 改写后的内容与预期不一致，为避免改坏台账，文件未改动")


def _load(text: str, path: str) -> Project:
    project = _try_load(text, path)
    if project is None:
        raise RewriteError(f"{path}: 台账文件本身有错误，请先运行 projledger check 修正；文件未改动")
    return project


def read_project(text: str, path: str) -> Project | None:
    """The project a file's text holds, or None when it does not validate (BOM allowed)."""
    return _try_load(text[1:] if text.startswith(BOM) else text, path)


def _try_load(text: str, path: str) -> Project | None:
    parsed = parse(text)
    if not parsed.ok:
        return None
    project, errors = validate(Project, parsed.data, Source(path, text))
    return project if not errors else None


def rewrite_file(path: Path, text: str) -> None:
    """Write a project file's new text atomically, as UTF-8 whatever the locale."""
    data = text.encode("utf-8")
    atomic_write(path, lambda handle: handle.write(data))

