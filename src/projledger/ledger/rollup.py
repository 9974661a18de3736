"""Read a roll-up (SPEC section 7): member ledgers, `rollup.yaml` and the hand-typed peers file.

`projledger rollup PATH ...` takes ledger roots, or one roll-up file. Every member is loaded by the one
ledger loader (`load.load_ledger`), so a member is read and checked exactly as `projledger check` would.
Problems never raise: each becomes a `LedgerError`; a member's own errors keep their `file:line`, with
the path made relative to where the user stands and the member named in the message. The members'
shared year is checked here too, since differing years make the input, not a figure, wrong.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError

from projledger.ledger.errors import LedgerError, UsageError
from projledger.ledger.load import load_ledger
from projledger.ledger.loader import (
    SETTINGS_FILE,
    Ledger,
    Source,
    dotted_path,
    error_message,
    read_source,
    validate,
)
from projledger.ledger.models import Month, OptText, Strict, Text
from projledger.ledger.yamlio import parse

ROLLUP_FILE = "rollup.yaml"
RATE_LIMIT = Decimal(2)  # a published rate above 200 % is a percentage typed as a number


def _to_rate(value: Any) -> Any:
    """A published rate as a fraction: 0.862, or the text `86.2%` as offices print it."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("应为比率，如 0.862 或 86.2%")
    if isinstance(value, str):
        text = value.strip().replace("％", "%")
        try:
            rate = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{value}”不是比率；请写成 0.862 或 86.2%") from None
    elif isinstance(value, int | Decimal):
        rate = Decimal(value)
    else:
        raise ValueError("应为比率，如 0.862 或 86.2%")
    if not rate.is_finite() or rate < 0:
        raise ValueError(f"“{value}”不是有效比率")
    if rate > RATE_LIMIT:
        raise ValueError(f"“{value}”太大：比率写成小数（0.862 表示 86.2%），或写成 86.2%")
    return rate


Rate = Annotated[Decimal | None, BeforeValidator(_to_rate)]
Count = Annotated[int | None, Field(ge=0)]


class MemberEntry(Strict):
    """One member of rollup.yaml: a ledger root relative to the file, with its peer group (区, 县)."""

    path: Annotated[str, Field(min_length=1)]
    group: OptText = None


class RollupFile(Strict):
    """`rollup.yaml`."""

    name: OptText = None
    members: list[MemberEntry] = Field(min_length=1)
    peers: OptText = None


class Peer(Strict):
    """Figures another place published (对标), typed in by hand from its bulletin."""

    name: Text
    group: OptText = None
    month: Month
    completion_rate: Rate = None
    start_rate: Rate = None
    new_starts: Count = None
    big_new_starts: Count = None
    source: Text


@dataclass(frozen=True)
class Member:
    """A loaded member ledger, in the order given."""

    path: str  # as written in rollup.yaml (or on the command line)
    group: str | None
    ledger: Ledger
    shown: str  # the root as a path from where the user stands, for messages

    @property
    def district(self) -> str:
        """The member's name: its ledger's district."""
        return self.ledger.settings.district


@dataclass(frozen=True)
class RollupInput:
    """Everything a roll-up is computed from."""

    name: str | None
    members: list[Member]
    peers: list[Peer] = field(default_factory=list)
    source: str | None = None  # the rollup.yaml, when one was given

    @property
    def year(self) -> int:
        """The members' shared ledger year."""
        return self.members[0].ledger.settings.year


def _shown(path: Path) -> str:
    """A path as the user would type it from here: relative when it is below the working folder."""
    text = os.path.normpath(path)
    if path.is_absolute():
        try:
            return Path(text).relative_to(Path.cwd()).as_posix()
        except ValueError:
            return Path(text).as_posix()
    return Path(text).as_posix()


def _member_errors(errors: Sequence[LedgerError], shown: str, name: str) -> list[LedgerError]:
    """A member's errors with the path from where the user stands and the member named."""
    return [
        LedgerError(f"{shown}/{e.path}", e.line, f"【{name}】{e.message}", e.field, e.severity) for e in errors
    ]


def _load_member(
    path: str, group: str | None, root: Path, use_cache: bool
) -> tuple[Member | None, list[LedgerError]]:
    shown = _shown(root)
    ledger, errors = load_ledger(root, use_cache=use_cache)
    name = ledger.settings.district if ledger is not None else path
    located = _member_errors(errors, shown, name)
    if ledger is None:
        return None, located
    return Member(path=path, group=group, ledger=ledger, shown=shown), located


def _validate_list(model: type[Peer], data: Any, source: Source) -> tuple[list[Peer], list[LedgerError]]:
    """Validate a YAML list of mappings item by item, each error placed on its line."""
    if not isinstance(data, list):
        return [], [LedgerError(source.path, source.line(()) or 1, "应为列表，每个对标地区一项（以“- ”开头）")]
    items: list[Peer] = []
    errors: list[LedgerError] = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            errors.append(source.error((i,), f"[{i}]: 应为“键: 值”的映射"))
            continue
        try:
            items.append(model.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                loc = (i, *(p for p in err["loc"] if isinstance(p, int) or not str(p).startswith("function-")))
                where = loc[:-1] if err["type"] == "missing" else loc
                message = f"{dotted_path(loc)}: {error_message(err)}"
                errors.append(LedgerError(source.path, source.line(where), message, dotted_path(loc)))
    return items, errors


def _read_yaml(path: Path, shown: str) -> tuple[Any, Source | None, list[LedgerError]]:
    source, errors = read_source(path, shown)
    if source is None:
        return None, None, errors
    parsed = parse(source.text)
    errors = [LedgerError(shown, line, msg) for line, msg in parsed.problems]
    return (None if errors else parsed.data), source, errors


def load_peers(path: Path) -> tuple[list[Peer], list[LedgerError]]:
    """Read and validate a peers file (a YAML list)."""
    data, source, errors = _read_yaml(path, _shown(path))
    if source is None or errors:
        return [], errors
    return _validate_list(Peer, data, source)


def _read_rollup_file(path: Path) -> tuple[RollupFile | None, Source | None, list[LedgerError]]:
    data, source, errors = _read_yaml(path, _shown(path))
    if source is None or errors:
        return None, source, errors
    spec, invalid = validate(RollupFile, data, source)
    if spec is None and isinstance(data, dict):
        # A misspelt key is reported, but need not hide the members' own errors: go on with the known keys.
        known = {k: v for k, v in data.items() if k in RollupFile.model_fields}
        spec, _ = validate(RollupFile, known, source)
    return spec, source, invalid


def _from_file(path: Path, use_cache: bool) -> tuple[RollupInput | None, list[LedgerError]]:
    spec, source, errors = _read_rollup_file(path)
    if spec is None or source is None:
        return None, errors
    base = path.parent
    members: list[Member] = []
    seen: dict[Path, int] = {}
    for i, entry in enumerate(spec.members):
        root = base / entry.path
        if not (root / SETTINGS_FILE).is_file():
            errors.append(source.error(("members", i, "path"),
                                       f"members[{i}].path: “{entry.path}”不是台账目录：{_shown(root)} 中找不到 {SETTINGS_FILE}"))
            continue
        real = root.resolve()
        if real in seen:
            errors.append(source.error(("members", i, "path"),
                                       f"members[{i}].path: 与 members[{seen[real]}] 是同一个台账，一个台账只能列一次"))
            continue
        seen[real] = i
        member, member_errors = _load_member(entry.path, entry.group, root, use_cache)
        errors.extend(member_errors)
        if member is not None:
            members.append(member)
    peers: list[Peer] = []
    if spec.peers:
        peers_path = base / spec.peers
        if peers_path.is_file():
            peers, peer_errors = load_peers(peers_path)
            errors.extend(peer_errors)
        else:
            errors.append(source.error(("peers",), f"peers: 找不到对标文件 {_shown(peers_path)}"))
    errors.extend(_year_errors(members, source))
    return RollupInput(spec.name, members, peers, source.path), errors


def _from_roots(paths: Sequence[str], use_cache: bool) -> tuple[RollupInput | None, list[LedgerError]]:
    members: list[Member] = []
    errors: list[LedgerError] = []
    seen: dict[Path, str] = {}
    for given in paths:
        root = Path(given).expanduser()
        if not root.exists():
            errors.append(LedgerError(given, None, "找不到这个文件或目录"))
            continue
        if not (root / SETTINGS_FILE).is_file():
            errors.append(LedgerError(given, None, f"不是台账目录：找不到 {SETTINGS_FILE}"))
            continue
        real = root.resolve()
        if real in seen:
            errors.append(LedgerError(given, None, f"与 {seen[real]} 是同一个台账，一个台账只能列一次"))
            continue
        seen[real] = given
        member, member_errors = _load_member(given, None, root, use_cache)
        errors.extend(member_errors)
        if member is not None:
            members.append(member)
    errors.extend(_year_errors(members, None))
    return RollupInput(None, members), errors


def _year_errors(members: Sequence[Member], source: Source | None) -> list[LedgerError]:
    """All members share one ledger year: name each member whose year differs from the others'.

    "The others" is the most common year (the first member's on a tie), so one stray member is named
    rather than the whole list.
    """
    years = Counter(m.ledger.settings.year for m in members)
    if len(years) <= 1:
        return []
    first = members[0].ledger.settings.year
    common = max(years, key=lambda y: (years[y], y == first))
    errors = []
    for m in members:
        year = m.ledger.settings.year
        if year == common:
            continue
        message = (f"【{m.district}】台账年度为 {year} 年，其他成员为 {common} 年；"
                   f"排名只比较同一年度的台账（成员年度：{_years_list(members)}）")
        settings = m.ledger.settings_source
        line = settings.line(("year",)) if settings is not None else None
        errors.append(LedgerError(f"{m.shown}/{SETTINGS_FILE}", line, message, "year"))
    return errors


def _years_list(members: Sequence[Member]) -> str:
    return "、".join(f"{m.district} {m.ledger.settings.year}" for m in members)


def load_rollup(paths: Sequence[str], use_cache: bool = False) -> tuple[RollupInput | None, list[LedgerError]]:
    """Load a roll-up from ledger roots or from one rollup.yaml (or a folder holding one).

    Returns the input and every error and warning found (members' own, rollup.yaml's, peers', years);
    the caller refuses to rank when any is an error. A mix of roll-up files and ledgers, or two
    roll-up files, is a UsageError.
    """
    files = [p for p in paths if _rollup_file(Path(p)) is not None]
    if files and len(paths) > 1:
        raise UsageError("请只给一个 rollup.yaml，或给若干台账目录，不要混用")
    if files:
        path = _rollup_file(Path(files[0]))
        assert path is not None
        return _from_file(path, use_cache)
    return _from_roots(paths, use_cache)


def _rollup_file(path: Path) -> Path | None:
    """`path` as a roll-up file: a file, or a folder without projledger.yaml that holds rollup.yaml."""
    if path.is_file():
        return path
    if path.is_dir() and not (path / SETTINGS_FILE).is_file() and (path / ROLLUP_FILE).is_file():
        return path / ROLLUP_FILE
    return None


__all__ = ["ROLLUP_FILE", "Member", "MemberEntry", "Peer", "RollupFile", "RollupInput", "load_peers", "load_rollup"]
