"""Merge returned fill-in forms back into the project files: all files or none.

`plan_import` reads every form (safely: `xlsxin`; cell by cell: `formread`), turns each project's rows
into a `ReportChange` (`changes`: problems carried, resolved, added), rewrites the project's text
(`rewrite`, which keeps the file's comments and layout and checks the result reads back as intended),
and loads the whole ledger again with the new texts in place through the same loader, models and
checks as `check`. Any error in any form or file means nothing is written.

Messages are errors or warnings, each labelled. A warning is pinned to a cell only when that cell's new
value causes it: plausibility (请核实: above the annual plan or the total, a month's increase several
times the average, an unchanged figure and image) from `figures.plausibility`, and ledger-check
warnings that the change brings about; warnings the ledger had before the import are not repeated.

`apply_import` first makes sure no project file changed on disk since it was read (someone editing the
ledger meanwhile): if one did, it writes nothing and says which. Each file is written atomically; if a
write fails midway, the files already written are put back as they were, so a failed import leaves the
ledger as it found it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from projledger.figures.plausibility import doubts
from projledger.figures.problems import entry
from projledger.ledger.checks import run_checks
from projledger.ledger.errors import LedgerError, WriteRefusedError
from projledger.ledger.fsio import atomic_write
from projledger.ledger.load import load_ledger
from projledger.ledger.loader import DiskFiles, Ledger, Source, os_reason, source_from_bytes
from projledger.ledger.models import Project
from projledger.ledger.rewrite import (
    ReportChange,
    RewriteError,
    expected_project,
    read_project,
    rewrite_file,
    rewrite_text,
)

from .changes import Outcome, ProjectInput, build_change
from .formcells import FormInput
from .formread import read_form


@dataclass
class Update:
    """A planned change to one project file, and the bytes it was made from."""

    project: Project
    rel: str
    new_text: str
    summary: list[str]
    basis: bytes = b""


@dataclass
class Plan:
    """What an import would do, or why it must not."""

    updates: list[Update] = field(default_factory=list)
    errors: list[LedgerError] = field(default_factory=list)
    warnings: list[LedgerError] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _inputs(forms: list[FormInput], plan: Plan) -> list[ProjectInput]:
    """Each project's rows from all forms; a project in two forms is an error."""
    by_id: dict[str, ProjectInput] = {}
    for form in forms:
        mine: dict[str, ProjectInput] = {}
        projects = [r.project for r in form.main] + [r.project for r in form.listed] + [
            r.project for r in form.new] + [r.project for r in form.procedures]
        for p in projects:
            mine.setdefault(p.id, ProjectInput(p, form.month, form.label, form.shown.get(p.id, set())))
        for row in form.main:
            mine[row.project.id].main = row
        for lr in form.listed:
            mine[lr.project.id].listed.append(lr)
        for nr in form.new:
            mine[nr.project.id].new.append(nr)
        for pr in form.procedures:
            mine[pr.project.id].procedures.append(pr)
        for pid, pi in mine.items():
            first = by_id.setdefault(pid, pi)
            if first is not pi:
                plan.errors.append(LedgerError(pi.first_cell(), None,
                                               f"项目“{pid}”也在 {first.first_cell()} 中填报，请只保留一份"))
    return list(by_id.values())


@dataclass
class _Overlay:
    """The ledger on disk with some files replaced by planned texts (for the final re-check)."""

    disk: DiskFiles
    texts: dict[str, str]

    def read(self, rel: str) -> tuple[Source | None, list[LedgerError]]:
        """A planned text, else the file on disk."""
        if rel in self.texts:
            return source_from_bytes(self.texts[rel].encode("utf-8"), rel)
        return self.disk.read(rel)

    def project_paths(self) -> tuple[list[str], list[LedgerError]]:
        """The same files as on disk."""
        return self.disk.project_paths()

    def exists(self, rel: str) -> bool:
        """A planned text or a file on disk."""
        return rel in self.texts or self.disk.exists(rel)


def _plausibility(pi: ProjectInput, change: ReportChange, out: Outcome) -> list[LedgerError]:
    """请核实 warnings, pinned to the figure's cell, when the figure typed is new."""
    cell = out.completed_cell
    if change.completed is None or cell is None:
        return []
    old = entry(pi.project, pi.month)
    image = change.image if change.image is not None else (old.image if old else None)
    if old is not None and old.completed == change.completed and old.image == image:
        return []  # nothing new about the figure: the ledger already says so
    return [LedgerError(cell, None, f"项目“{pi.project.id}”：{d.message}", severity="warning")
            for d in doubts(pi.project, pi.month, change.completed, image)]


def _pin(pi: ProjectInput, out: Outcome, e: LedgerError, month_index: int | None) -> str:
    """Where a ledger-check message about a changed file belongs on the form."""
    where = e.field or ""
    if month_index is not None and where.startswith(f"progress[{month_index}]") and out.completed_cell:
        return out.completed_cell
    if where.startswith("actual") and pi.main is not None:
        return pi.main.at.at("actual_finish" if "finish" in where else "actual_start")
    step = where.split(".", 1)[1] if where.startswith("procedures.") else None  # (a step's name has no dot)
    row = next((r for r in pi.procedures if r.step == step), None)
    if row is not None:
        return row.at.at("done")
    return pi.first_cell()


def _covered(e: LedgerError, month_index: int | None) -> bool:
    """Ledger warnings about the month's figure that the plausibility warnings already say better."""
    return month_index is not None and (e.field or "") == f"progress[{month_index}].completed"


_FIELD_PREFIX = re.compile(r"^[A-Za-z_]+(\[\d+\])?(\.[A-Za-z_]+)*(\[\d+\])?: ")


def _plain(message: str) -> str:
    """A check's message without its `progress[10].completed: ` prefix (the cell says where)."""
    return _FIELD_PREFIX.sub("", message, count=1)


def plan_import(ledger: Ledger, paths: list[Path]) -> Plan:
    """Read and validate every form and plan every file change; nothing is written."""
    plan = Plan()
    forms: list[FormInput] = []
    for path in dict.fromkeys(p.resolve() for p in paths):
        form, errors, warnings = read_form(path, ledger)
        plan.errors += errors
        plan.warnings += warnings
        if form is not None:
            forms.append(form)
    inputs = _inputs(forms, plan)
    if plan.errors:
        return plan
    texts: dict[str, str] = {}
    changed: dict[str, tuple[ProjectInput, Outcome, ReportChange]] = {}
    for pi in inputs:
        out = build_change(pi)
        plan.warnings += out.warnings
        plan.errors += out.errors
        change = out.change
        if change is None:
            continue
        try:
            if expected_project(pi.project, change) == pi.project:
                plan.unchanged.append(pi.project.id)
                continue
        except (RewriteError, ValidationError, ValueError) as exc:
            plan.errors.append(LedgerError(pi.first_cell(), None, f"项目“{pi.project.id}”：{exc}"))
            continue
        rel = ledger.source(pi.project).path
        try:
            raw = (ledger.root / rel).read_bytes()
        except OSError as exc:
            plan.errors.append(LedgerError(rel, None, f"无法读取文件：{os_reason(exc)}"))
            continue
        try:
            now = read_project(raw.decode("utf-8"), rel)
        except UnicodeDecodeError:
            now = None
        if now != pi.project:
            plan.errors.append(LedgerError(rel, None, "文件在读取台账后被修改（可能有人正在编辑），为避免覆盖他人的修改，"
                                                      "未导入；请重新运行 import"))
            continue
        try:
            new_text = rewrite_text(raw.decode("utf-8"), rel, change)
        except (RewriteError, ValidationError, ValueError, UnicodeDecodeError) as exc:
            plan.errors.append(LedgerError(pi.first_cell(), None, f"项目“{pi.project.id}”：{exc}"))
            continue
        plan.warnings += _plausibility(pi, change, out)
        texts[rel] = new_text
        changed[rel] = (pi, out, change)
        plan.updates.append(Update(pi.project, rel, new_text, out.summary, raw))
    if plan.errors or not texts:
        plan.updates = [] if plan.errors else plan.updates
        return plan
    _recheck(ledger, texts, changed, plan)
    if plan.errors:
        plan.updates = []
    return plan


def _recheck(ledger: Ledger, texts: dict[str, str], changed: dict[str, tuple[ProjectInput, Outcome, ReportChange]],
             plan: Plan) -> None:
    """The same loader, models and cross-file checks as `check`, over the ledger as it would be."""
    before = {(e.path, e.message) for e in run_checks(ledger) if not e.is_error}
    after, found = load_ledger(ledger.root, files=_Overlay(DiskFiles(ledger.root), texts))
    for e in found:
        hit = changed.get(e.path)
        if hit is None:
            if e.is_error:
                plan.errors.append(e)
            continue
        pi, out, change = hit
        if not e.is_error and (e.path, e.message) in before:
            continue  # the ledger said so before the import: not this form's doing
        new_project = after.find(pi.project.id) if after is not None else None
        index = next((i for i, r in enumerate(new_project.progress) if r.month == change.month), None) \
            if new_project is not None else None
        if not e.is_error and _covered(e, index):
            continue
        message = f"项目“{pi.project.id}”：{_plain(e.message)}"
        target = plan.errors if e.is_error else plan.warnings
        target.append(LedgerError(_pin(pi, out, e, index), None, message, severity=e.severity))


def _write_bytes(path: Path, data: bytes) -> None:
    def write(handle: IO[bytes]) -> None:
        handle.write(data)

    atomic_write(path, write)


def _put_back(root: Path, updates: list[Update]) -> list[str]:
    """Restore files already written; the ones that could not be restored."""
    failed = []
    for u in reversed(updates):
        try:
            _write_bytes(root / u.rel, u.basis)
        except OSError:
            failed.append(u.rel)
    return failed


def _changed_on_disk(root: Path, update: Update) -> bool:
    try:
        return (root / update.rel).read_bytes() != update.basis
    except OSError:
        return True


def apply_import(ledger: Ledger, plan: Plan) -> None:
    """Write every planned file, or none: refuse files changed meanwhile, undo a write that fails midway."""
    root = ledger.root
    moved = [u.rel for u in plan.updates if _changed_on_disk(root, u)]
    if moved:
        raise WriteRefusedError(f"{'、'.join(moved)} 在导入过程中被修改（可能有人同时在编辑台账），为避免覆盖他人的修改，"
                                "未写入任何文件；请重新运行 import")
    done: list[Update] = []
    for update in plan.updates:
        try:
            if _changed_on_disk(root, update):
                raise WriteRefusedError(f"{update.rel} 在导入过程中被修改（可能有人同时在编辑台账）")
            rewrite_file(root / update.rel, update.new_text)
        except (OSError, WriteRefusedError) as exc:
            reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
            failed = _put_back(root, done)
            if failed:
                raise WriteRefusedError(
                    f"{update.rel} 写入失败（{reason}），该文件未改动；已写入的 {'、'.join(failed)} 未能恢复，"
                    "请用 git diff 检查") from None
            undone = f"；已撤销已写入的 {len(done)} 个文件" if done else ""
            raise WriteRefusedError(f"{update.rel} 写入失败（{reason}），该文件未改动{undone}，台账与导入前相同") from None
        done.append(update)


__all__ = ["Plan", "Update", "apply_import", "plan_import"]
