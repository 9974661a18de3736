"""Find a ledger, read every file in it, validate, and return `(ledger, errors)`.

Bad input never raises here: every problem becomes a `LedgerError` with a file and line, and the rest
of the ledger is still read so that one run reports everything. Cross-file rules run afterwards:
`load.load_ledger` composes this with `checks.py`, so neither imports the other's caller.

Why one module past 400 lines: the file stores (disk, git objects), the `Source`/`Ledger` values they
return, pydantic-error translation and the load loop share one contract (every read is bounded, located and
collected); splitting the stores out is the next step (`files.py`), left for a quiet moment because the
hostile-input fixes had just landed here.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from projledger.ledger.cache import MIN_FILES, ModelCache
from projledger.ledger.errors import LedgerError, WriteFailedError, write_reason
from projledger.ledger.fsio import leftover_temp_files
from projledger.ledger.models import Project, Settings
from projledger.ledger.root import ENV_VAR as ENV_VAR  # re-exported: their old home
from projledger.ledger.root import PROJECTS_DIR as PROJECTS_DIR
from projledger.ledger.root import SETTINGS_FILE as SETTINGS_FILE
from projledger.ledger.root import find_root as find_root
from projledger.ledger.safefile import FileRefused, FileTooBig, Inside, is_inside, read_capped
from projledger.ledger.yamlio import MAX_FILE_BYTES, Locator, decode_located, parse

M = TypeVar("M", bound=BaseModel)


_HELD: list[Source] = []  # the one source whose composed tree is kept for its next error


class Source:
    """A file's relative path and (until it is dropped) its text, kept so that errors can be placed later.

    Once a file is validated its text can be dropped (`forget`) to keep memory flat on large ledgers;
    `reread` brings it back from where it came from when a late error needs a line.
    """

    __slots__ = ("_locator", "_text", "path", "reread")

    def __init__(self, path: str, text: str | None = None, reread: Callable[[], str] | None = None) -> None:
        self.path = path
        self._text = text
        self.reread = reread
        self._locator: Locator | None = None

    @property
    def text(self) -> str:
        """The file's text, read again if it was dropped."""
        if self._text is None:
            self._text = self.reread() if self.reread is not None else ""
        return self._text

    def forget(self) -> None:
        """Drop the text and its index when it can be read again."""
        if self.reread is not None:
            self._text = None
            self._locator = None

    def line(self, loc: Sequence[str | int]) -> int | None:
        """1-based line of a field location in this file.

        The composed file is kept for the next error in the same file; placing an error in another file
        drops it (when the text can be read again), so thousands of warnings never hold thousands of trees.
        """
        if self._locator is None:
            if _HELD and _HELD[0] is not self:
                _HELD[0].forget()
            _HELD[:] = [self]
            self._locator = Locator(self.text)
        return self._locator.line(loc)

    def error(
        self, loc: Sequence[str | int], message: str, severity: str = "error"
    ) -> LedgerError:
        """A `LedgerError` placed at `loc` in this file."""
        return LedgerError(self.path, self.line(loc), message, dotted_path(loc) or None, severity)  # type: ignore[arg-type]


@dataclass
class Ledger:
    """A loaded ledger: settings, the projects that validated, and where each came from."""

    root: Path
    settings: Settings
    projects: list[Project] = field(default_factory=list)
    sources: dict[int, Source] = field(default_factory=dict)  # id(project) -> its file
    settings_source: Source | None = None
    files: Files | None = None  # where the files came from, so other ledger files are read alike
    project_files: int = 0  # project files found, valid or not

    def read(self, rel: str) -> tuple[Source | None, list[LedgerError]]:
        """Another file of this ledger (e.g. its procedures template), from the same store."""
        return (self.files or DiskFiles(self.root)).read(rel)

    def has_file(self, rel: str) -> bool:
        """Whether the ledger's store holds this file."""
        return (self.files or DiskFiles(self.root)).exists(rel)

    def source(self, project: Project) -> Source:
        """The file a project was read from."""
        return self.sources[id(project)]

    def find(self, project_id: str) -> Project | None:
        """The project with this id, if any."""
        return next((p for p in self.projects if p.id == project_id), None)


def _all_field_names(model: type[BaseModel], seen: set[str] | None = None) -> set[str]:
    names = seen if seen is not None else set()
    for name, info in model.model_fields.items():
        names.add(name)
        for arg in _annotation_models(info.annotation):
            if arg.__name__ not in names:
                names.add(arg.__name__)
                _all_field_names(arg, names)
    return names


def _annotation_models(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()):
        yield from _annotation_models(arg)


KNOWN_KEYS = {n for n in _all_field_names(Project) | _all_field_names(Settings) if n[0].islower()}

_MESSAGES = {
    "missing": "缺少必填字段",
    "dict_type": "应为“键: 值”的映射",
    "model_type": "应为“键: 值”的映射",
    "model_attributes_type": "应为“键: 值”的映射",
    "list_type": "应为列表（每项以“- ”开头）",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "date_type": "应为日期，如 2026-10-01",
    "date_parsing": "应为日期，如 2026-10-01",
    "date_from_datetime_inexact": "只写日期，不写时间，如 2026-10-01",
    "bool_type": "应为 true 或 false",
    "too_short": "不能为空",
}


def error_message(err: Any) -> str:
    """A pydantic error (one item of `ValidationError.errors()`) as a Chinese message."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        import difflib

        close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1, cutoff=0.6)
        hint = f"，是不是“{close[0]}”？" if close else "，请删除或改正"
        return f"未知字段“{key}”{hint}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("' or '", "'、'").replace("', '", "'、'")
        return f"应为以下之一：{expected}，实际是“{err.get('input')}”"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于 {ctx.get('ge', ctx.get('gt'))}，实际是 {err.get('input')}"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于 {ctx.get('le', ctx.get('lt'))}，实际是 {err.get('input')}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    return str(err["msg"])


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    # pydantic adds "[key]" / function names for validators inside Annotated dict values; drop them.
    return tuple(p for p in loc if isinstance(p, int) or not str(p).startswith("function-"))


def validate(
    model: type[M], data: Any, source: Source, context: dict[str, Any] | None = None
) -> tuple[M | None, list[LedgerError]]:
    """Validate parsed data against a model; errors are placed on their lines."""
    if not isinstance(data, dict):
        what = "空文件" if data is None else f"内容是{_kind_name(data)}"
        return None, [LedgerError(source.path, source.line(()) or 1, f"{what}；台账文件应为“键: 值”的映射")]
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = _clean_loc(err["loc"])
            dotted = dotted_path(loc)
            text = error_message(err)
            message = f"{dotted}: {text}" if dotted else text
            # A missing key has no line of its own: point at the key of the mapping that lacks it.
            where = loc[:-1] if err["type"] == "missing" and len(loc) > 1 else loc
            errors.append(LedgerError(source.path, source.line(where), message, dotted or None))
        return None, errors


def dotted_path(loc: Sequence[str | int]) -> str:
    """`progress[2].completed` for ("progress", 2, "completed")."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _kind_name(data: Any) -> str:
    if isinstance(data, list):
        return "列表"
    return "单个值"


def read_source(path: Path, rel: str, root: Path | Inside | None = None) -> tuple[Source | None, list[LedgerError]]:
    """Read one file as UTF-8 text with size and encoding checks.

    With `root` (the ledger folder), only a regular file whose real path stays inside it is read; a
    symlink out of the ledger, a FIFO or a device is refused (`safefile`). Whole-file problems are placed
    on line 1, so every message is `file:line: message`.
    """
    try:
        raw = read_capped(path, MAX_FILE_BYTES, root)
    except FileTooBig as exc:
        return None, [_too_big(rel, exc.size)]
    except FileRefused as exc:
        return None, [LedgerError(rel, 1, str(exc))]
    except OSError as exc:
        return None, [LedgerError(rel, 1, f"无法读取文件：{os_reason(exc)}")]
    return source_from_bytes(raw, rel)


_OS_REASONS = {
    errno.ENOENT: "文件不存在（可能是失效的快捷方式或符号链接）",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ELOOP: "符号链接循环",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.EIO: "磁盘读取出错",
}


def os_reason(exc: OSError) -> str:
    """Why a file could not be read or written, in Chinese (the locale's strerror may be English)."""
    if isinstance(exc, WriteFailedError):
        return exc.reason
    return _OS_REASONS.get(exc.errno or 0) or write_reason(exc)


def source_from_bytes(raw: bytes, rel: str) -> tuple[Source | None, list[LedgerError]]:
    """A file's bytes as a `Source`, with the same size and encoding checks as files on disk."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_big(rel, len(raw))]
    text, line, problem = decode_located(raw)
    if text is None:
        return None, [LedgerError(rel, line, problem or "无法解码")]
    return Source(rel, text), []


def _too_big(rel: str, size: int) -> LedgerError:
    mb = size / 1024 / 1024
    return LedgerError(rel, 1, f"文件过大（{mb:.1f} MB），一个台账文件不应超过 5 MB，未读取")


def load_file(
    model: type[M], path: Path, rel: str, root: Path | None = None
) -> tuple[M | None, Source | None, list[LedgerError]]:
    """Read, parse and validate one file (inside `root` when given)."""
    source, errors = read_source(path, rel, root)
    if source is None:
        return None, None, errors
    obj, errors = load_source(model, source)
    return obj, source, errors


def load_source(
    model: type[M], source: Source, context: dict[str, Any] | None = None
) -> tuple[M | None, list[LedgerError]]:
    """Parse and validate one file's text (`context` carries the ledger settings for project files)."""
    parsed = parse(source.text)
    errors = [LedgerError(source.path, line, msg) for line, msg in parsed.problems]
    if errors and parsed.data is None:
        return None, errors
    obj, invalid = validate(model, parsed.data, source, context)
    errors.extend(invalid)
    # A file with duplicate keys is reported but not used: which value was meant is unknown.
    return (obj if not errors else None), errors


NO_PROJECTS = "：项目台账应放在 projledger.yaml 旁边的 projects/ 目录中（每个项目一个 YAML 文件）"


def project_files(root: Path) -> tuple[list[Path], list[LedgerError]]:
    """Every `*.yaml`/`*.yml` under projects/, following folder links inside the ledger, reporting loops.

    A folder link that leaves the ledger is not followed (an error): a ledger is shared, and its files must
    not be a way to read the rest of a colleague's disk. Temp files left by an interrupted write are warned of.
    """
    base = root / PROJECTS_DIR
    if not base.is_dir():
        what = f"{PROJECTS_DIR} 不是目录" if os.path.lexists(base) else "找不到 projects/ 目录"
        return [], [LedgerError(PROJECTS_DIR, None, what + NO_PROJECTS)]
    found: list[Path] = []
    errors: list[LedgerError] = [*stale_temp_files(root, root)]
    seen_dirs: set[str] = set()

    def walk(folder: Path) -> None:
        rel = folder.relative_to(root).as_posix()
        if not is_inside(root, folder):
            errors.append(LedgerError(rel, None, "目录的符号链接指向台账目录之外，为安全起见未读取"))
            return
        real = os.path.realpath(folder)
        if real in seen_dirs:
            errors.append(LedgerError(rel, None, "符号链接循环：此目录已读过，已跳过"))
            return
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            errors.append(LedgerError(rel, None, f"无法读取目录：{os_reason(exc)}"))
            return
        errors.extend(stale_temp_files(folder, root))
        for entry in entries:
            if entry.name.startswith((".", "~")):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                walk(path)
            elif entry.name.endswith((".yaml", ".yml")):
                found.append(path)

    walk(base)
    return found, errors


def stale_temp_files(folder: Path, root: Path) -> list[LedgerError]:
    """Warnings for the temp files an interrupted write left in `folder` (`atomic_write` removes old ones)."""
    return [LedgerError((folder / name).relative_to(root).as_posix(), 1,
                        "写入中断后留下的临时文件（不是台账文件，可以删除）", severity="warning")
            for name in leftover_temp_files(folder)]


def load_settings(root: Path) -> tuple[Settings | None, Source | None, list[LedgerError]]:
    """Read and validate projledger.yaml."""
    return load_file(Settings, root / SETTINGS_FILE, SETTINGS_FILE, root)


class Files(Protocol):
    """Where a ledger's files come from: the folder on disk, or another store (git objects)."""

    def read(self, rel: str) -> tuple[Source | None, list[LedgerError]]:
        """One file by its path relative to the ledger root."""
        ...

    def project_paths(self) -> tuple[list[str], list[LedgerError]]:
        """The project files under projects/, relative to the ledger root, in reading order."""
        ...

    def exists(self, rel: str) -> bool:
        """Whether a file exists at this path relative to the ledger root."""
        ...


@dataclass
class DiskFiles:
    """The ledger folder on disk."""

    root: Path
    inside: Inside = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.inside = Inside(self.root)

    def read(self, rel: str) -> tuple[Source | None, list[LedgerError]]:
        """Read a regular file inside the root (never through a symlink that leaves it)."""
        return read_source(self.root / rel, rel, self.inside)

    def exists(self, rel: str) -> bool:
        """Anything at that path, even a broken link or a FIFO: `read` then says what is wrong with it."""
        return os.path.lexists(self.root / rel)

    def project_paths(self) -> tuple[list[str], list[LedgerError]]:
        """Walk projects/."""
        paths, errors = project_files(self.root)
        return [p.relative_to(self.root).as_posix() for p in paths], errors


@dataclass
class MemoryFiles:
    """A ledger held in memory as {path relative to the ledger root: bytes}."""

    files: Mapping[str, bytes]

    def read(self, rel: str) -> tuple[Source | None, list[LedgerError]]:
        """A file's bytes, checked like a file on disk."""
        raw = self.files.get(rel)
        if raw is None:
            return None, [LedgerError(rel, None, "无法读取文件：文件不存在")]
        return source_from_bytes(raw, rel)

    def exists(self, rel: str) -> bool:
        """Held in memory."""
        return rel in self.files

    def project_paths(self) -> tuple[list[str], list[LedgerError]]:
        """The `*.yaml`/`*.yml` under projects/, hidden and `~` files skipped, in the disk walk's order."""
        found = [
            rel for rel in self.files
            if rel.startswith(PROJECTS_DIR + "/") and rel.endswith((".yaml", ".yml"))
            and not any(part.startswith((".", "~")) for part in rel.split("/"))
        ]
        if not found and not any(rel.startswith(PROJECTS_DIR + "/") for rel in self.files):
            # git keeps no empty folder, so at a revision "no projects/" may mean an empty one: only warn.
            return [], [LedgerError(PROJECTS_DIR, None, "找不到 projects/ 目录" + NO_PROJECTS, severity="warning")]
        return sorted(found, key=lambda rel: rel.split("/")), []


Progress = Callable[[int, int], None]  # (files read, files in all): how far a long read has got


def _load_ledger(
    root: Path, files: Files | None, use_cache: bool, progress: Progress | None = None
) -> tuple[Ledger | None, list[LedgerError]]:
    store = files if files is not None else DiskFiles(root)
    settings_source, errors = store.read(SETTINGS_FILE)
    settings = None
    if settings_source is not None:
        settings, invalid = load_source(Settings, settings_source)
        errors.extend(invalid)
    if settings is None or settings_source is None:
        return None, errors + _each_file_alone(store, progress)
    ledger = Ledger(root=root, settings=settings, settings_source=settings_source, files=store)
    paths, walk_errors = store.project_paths()
    errors.extend(walk_errors)
    ledger.project_files = len(paths)
    on_disk = isinstance(store, DiskFiles)
    # Below MIN_FILES a run is fast anyway: the cache is neither read nor written.
    cache = ModelCache(root, settings_source.text).open() if use_cache and on_disk and len(paths) >= MIN_FILES else None
    context = {"settings": settings}
    for n, rel in enumerate(paths):
        if progress is not None and n % 200 == 0:
            progress(n, len(paths))
        hit = cache.lookup(rel) if cache is not None else None
        source: Source | None
        if hit is not None:
            project, file_errors = hit
            source = Source(rel, None, _rereader(store, rel))
        else:
            source, file_errors = store.read(rel)
            project = None
            if source is not None:
                # With the settings in the context, an undeclared unit is reported with the file's other errors.
                project, invalid = load_source(Project, source, context)
                file_errors.extend(invalid)
                if on_disk:
                    source.reread = _rereader(store, rel)
            if cache is not None:
                cache.store(rel, project, file_errors)
        errors.extend(file_errors)
        if project is not None and source is not None:
            source.forget()  # the text comes back from disk only if a late error needs a line
            ledger.projects.append(project)
            ledger.sources[id(project)] = source
    if cache is not None:
        cache.save()
    if progress is not None:
        progress(len(paths), len(paths))
    return ledger, errors


def _each_file_alone(store: Files, progress: Progress | None) -> list[LedgerError]:
    """The project files' own errors when the settings are wrong (without the declared units and the like).

    So one run lists every error there is, not the settings' first.
    """
    paths, errors = store.project_paths()
    for n, rel in enumerate(paths):
        if progress is not None and n % 200 == 0:
            progress(n, len(paths))
        found, file_errors = store.read(rel)
        if found is not None:
            file_errors.extend(load_source(Project, found)[1])
        errors.extend(file_errors)
    return errors


def _rereader(store: Files, rel: str) -> Callable[[], str]:
    def reread() -> str:
        source, _ = store.read(rel)
        return source.text if source is not None else ""

    return reread


def _sort_key(e: LedgerError) -> tuple[str, int, str]:
    return (e.path, e.line or 0, e.message)


def read_ledger(
    root: Path, files: Files | None = None, use_cache: bool = False, progress: Progress | None = None
) -> tuple[Ledger | None, list[LedgerError]]:
    """Read settings and every project file (no cross-file checks); errors in file order.

    `use_cache` reuses validated models of unchanged files from the user's cache folder (`cache.py`).
    """
    ledger, errors = _load_ledger(root, files, use_cache, progress)
    return ledger, sorted(errors, key=_sort_key)
