"""The procedure templates behind 倒排工期: reading, validating and checking them against projects.

A template maps a category to two chains of steps (SPEC section 3): `before_start`, the approvals a
project needs before it may start, and `before_finish`, the acceptances it needs before completion. The
bundled `templates/procedures.yaml` is used unless `projledger.yaml` names the ledger's own file. This
module is the loader for that file (it reads it; `schedule.py` stays pure) and the home of the check
that ties projects' `procedures:` / `procedure_days:` keys to the steps their category knows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any, Literal

from pydantic import Field, RootModel, field_validator

from projledger.ledger.errors import LedgerError
from projledger.ledger.loader import Ledger, Source, validate
from projledger.ledger.models import Strict, Text
from projledger.ledger.safefile import ledger_relative
from projledger.ledger.yamlio import parse

BUNDLED = "templates/procedures.yaml"
Anchor = Literal["start", "finish"]
CHAIN_KEYS: dict[Anchor, str] = {"start": "before_start", "finish": "before_finish"}
CHAIN_LABELS: dict[Anchor, str] = {"start": "开工前手续", "finish": "竣工前手续"}


class StepModel(Strict):
    """One step as written in a template file."""

    name: Annotated[Text, Field(min_length=1)]
    days: Annotated[int, Field(ge=1, le=2000)]
    after: list[Text] = Field(default_factory=list)

    @field_validator("after", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        # `after: 立项` is what people type for a single predecessor.
        if value is None:
            return []
        return [value] if isinstance(value, str) else value


class ChainsModel(Strict):
    """The two chains of one category."""

    before_start: list[StepModel] = Field(default_factory=list)
    before_finish: list[StepModel] = Field(default_factory=list)

    @field_validator("before_start", "before_finish", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value


class TemplateModel(RootModel[dict[Text, ChainsModel]]):
    """A whole template file: category -> chains."""


@dataclass(frozen=True)
class StepSpec:
    """A validated step: its working days and the steps it follows."""

    name: str
    days: int
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProcedureTemplate:
    """Validated, acyclic chains per category, and the file they came from."""

    path: str
    chains: dict[str, dict[Anchor, tuple[StepSpec, ...]]]

    def chain(self, category: str, anchor: Anchor) -> tuple[StepSpec, ...] | None:
        """The steps of one chain, or None when the template does not know the category."""
        by_anchor = self.chains.get(category)
        return None if by_anchor is None else by_anchor[anchor]

    def step_names(self, category: str) -> list[str]:
        """Every step name of a category, both chains, in template order."""
        names: list[str] = []
        for steps in self.chains.get(category, {}).values():
            for step in steps:
                if step.name not in names:
                    names.append(step.name)
        return names


def topological(steps: Sequence[StepSpec]) -> list[StepSpec]:
    """Steps in dependency order (every step after the steps it follows), stable in template order.

    The chain must be acyclic and closed (checked when the template is loaded).
    """
    placed: set[str] = set()
    ordered: list[StepSpec] = []
    remaining = list(steps)
    while remaining:
        ready = [s for s in remaining if all(a in placed for a in s.after)]
        if not ready:  # pragma: no cover - load_template refuses cycles
            raise ValueError("cycle in procedure chain")
        for s in ready:
            placed.add(s.name)
            ordered.append(s)
        remaining = [s for s in remaining if s.name not in placed]
    return ordered


def _find_cycle(steps: Sequence[StepModel]) -> list[str] | None:
    """One cycle as a list of names (first name repeated at the end), or None."""
    after = {s.name: [a for a in s.after] for s in steps}
    state: dict[str, int] = {}  # 1 on the stack, 2 finished
    stack: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        stack.append(name)
        for pred in after.get(name, []):
            if pred not in after:
                continue
            if state.get(pred) == 1:
                return [*stack[stack.index(pred):], pred]
            if pred not in state:
                found = visit(pred)
                if found:
                    return found
        stack.pop()
        state[name] = 2
        return None

    for s in steps:
        if s.name not in state:
            found = visit(s.name)
            if found:
                # Predecessor order reads backwards; show it the way work flows.
                return list(reversed(found))
    return None


def _chain_errors(source: Source, category: str, key: str, steps: Sequence[StepModel]) -> list[LedgerError]:
    errors: list[LedgerError] = []
    where = f"{category}.{key}"
    names = [s.name for s in steps]
    seen: set[str] = set()
    for i, s in enumerate(steps):
        if s.name in seen:
            errors.append(source.error((category, key, i, "name"), f"{where}: 手续“{s.name}”重复出现"))
        seen.add(s.name)
        for j, a in enumerate(s.after):
            if a not in names:
                import difflib

                close = difflib.get_close_matches(a, names, n=1, cutoff=0.5)
                hint = f"，是不是“{close[0]}”？" if close else f"；本链的手续有：{'、'.join(names)}"
                errors.append(source.error(
                    (category, key, i, "after", j),
                    f"{where}: 手续“{s.name}”的 after 中的“{a}”不是本链的手续{hint}"))
            elif a == s.name:
                errors.append(source.error((category, key, i, "after", j), f"{where}: 手续“{s.name}”不能排在自己之后"))
    if errors:
        return errors
    cycle = _find_cycle(steps)
    if cycle:
        i = names.index(cycle[0])
        errors.append(source.error(
            (category, key, i, "after"),
            f"{where}: 手续之间存在循环依赖：{' → '.join(cycle)}；请改正 after，使手续能排出先后顺序"))
    return errors


def _read_template_source(ledger: Ledger) -> tuple[Source | None, list[LedgerError]]:
    name = ledger.settings.procedures
    bundled = Source(BUNDLED, resources.files("projledger").joinpath(BUNDLED).read_text(encoding="utf-8"))
    if name is None:
        return bundled, []
    rel = ledger_relative(name)
    if rel is None:
        # A shared ledger must not be a way to read the rest of a colleague's disk.
        message = (f"procedures: “{name}”不在台账目录内；倒排模板文件要放在台账目录中，"
                   "写相对于台账目录的路径，如 procedures.yaml（不能是绝对路径，也不能用 .. 跳出台账目录）")
        where = ledger.settings_source
        error = where.error(("procedures",), message) if where is not None else LedgerError("projledger.yaml", 1, message)
        return None, [error]
    name = rel
    if not ledger.has_file(name):
        # The figures of the meeting must not wait on a missing template: fall back, loudly.
        message = (f"procedures: 找不到倒排模板文件“{name}”（路径相对于台账目录），"
                   f"暂用内置模板 {BUNDLED}")
        where = ledger.settings_source
        if where is None:
            return bundled, [LedgerError("projledger.yaml", None, message, severity="warning")]
        return bundled, [where.error(("procedures",), message, "warning")]
    return ledger.read(name)


def load_template(ledger: Ledger) -> tuple[ProcedureTemplate | None, list[LedgerError]]:
    """The ledger's procedure template (its own file or the bundled one); None when it has errors."""
    source, notes = _read_template_source(ledger)
    if source is None:
        return None, notes
    parsed = parse(source.text)
    errors = [LedgerError(source.path, line, msg) for line, msg in parsed.problems]
    if errors:
        return None, notes + errors
    model, invalid = validate(TemplateModel, parsed.data, source)
    if model is None:
        return None, notes + invalid
    chains: dict[str, dict[Anchor, tuple[StepSpec, ...]]] = {}
    for category, ch in model.root.items():
        by_anchor: dict[Anchor, tuple[StepSpec, ...]] = {}
        for anchor, key in CHAIN_KEYS.items():
            steps: list[StepModel] = getattr(ch, key)
            errors.extend(_chain_errors(source, category, key, steps))
            by_anchor[anchor] = tuple(StepSpec(s.name, s.days, tuple(s.after)) for s in steps)
        chains[category] = by_anchor
    if errors:
        return None, notes + errors
    return ProcedureTemplate(source.path, chains), notes


def _unknown_step(key: str, field: str, allowed: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
    hint = f"（是不是“{close[0]}”？）" if close else ""
    return f"{field}: 未知的前期手续“{key}”{hint}，可选：{'、'.join(allowed)}"


def check_procedures(ledger: Ledger) -> list[LedgerError]:
    """The procedure template is valid, and projects name only steps their category's chains know."""
    template, errors = load_template(ledger)
    settings_src = ledger.settings_source
    cal = ledger.settings.calendar
    if settings_src is not None:
        both = set(cal.holidays) & set(cal.workdays)
        for j, d in enumerate(cal.workdays):
            if d in both:
                errors.append(settings_src.error(
                    ("calendar", "workdays", j), f"calendar: {d} 同时写在 holidays 和 workdays 中，请只保留一处"))
    if template is None:
        return errors
    if settings_src is not None:
        for i, category in enumerate(ledger.settings.categories):
            if category not in template.chains:
                errors.append(settings_src.error(
                    ("categories", i),
                    f"categories: 倒排模板 {template.path} 中没有类别“{category}”的手续链，该类项目不做倒排工期",
                    "warning"))
    for p in ledger.projects:
        if p.category not in template.chains:
            continue
        allowed = template.step_names(p.category)
        src = ledger.source(p)
        # A done date under a name the template does not know (a local name for a step, or another
        # office's template) is kept in the ledger but cannot be scheduled: warn, do not block the
        # meeting figures. A days override for an unknown step is surely a typo: error.
        for key in p.procedures:
            if key not in allowed:
                errors.append(src.error(("procedures", key),
                                        _unknown_step(key, "procedures", allowed) + "；倒排时不计此项", "warning"))
        for key in p.procedure_days:
            if key not in allowed:
                errors.append(src.error(("procedure_days", key), _unknown_step(key, "procedure_days", allowed)))
    return errors


__all__ = [
    "BUNDLED",
    "CHAIN_KEYS",
    "CHAIN_LABELS",
    "Anchor",
    "ProcedureTemplate",
    "StepSpec",
    "check_procedures",
    "load_template",
    "topological",
]
