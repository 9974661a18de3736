"""The output cache: a read-only command run again on an unchanged ledger replays what it printed.

`status`, `check`, `show` and `schedule` only read the ledger and print. When the same command runs again
with the same arguments, on the same files (every file under the ledger root by path, size and mtime_ns),
with the same code and libraries, on the same day, into the same kind of terminal, its stdout, stderr and
exit code are replayed exactly instead of recomputed. Anything the output could depend on is in the key:

- the command and every argument, the working folder, `PROJLEDGER_*` and the terminal's environment
  (`COLUMNS`, `TERM`, `NO_COLOR`, …), whether stdout/stderr are terminals, their widths and encodings;
- the ledger tree: each entry's relative path, kind, size and mtime_ns (`.git` aside);
- the tool: its version, the size and mtime_ns of every file of the installed package, the Python version,
  and the modification time of every folder on `sys.path` (installing or upgrading a library changes it);
- today's date.

A tree holding a symlink or a special file, a ledger of fewer than `MIN_FILES` project files (fast
anyway: not even looked up), or a file modified within the last two seconds (its mtime could still change
within the same tick) is never cached. The cache lives beside the model cache in the user's cache folder, never in the ledger, as
JSON (no code is ever loaded from it); one slot per ledger and command line, overwritten when the ledger
changes. A corrupt or foreign slot is ignored. `--no-cache` and `PROJLEDGER_NO_CACHE` turn it off.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import stat
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import typer

import projledger
from projledger import __version__
from projledger.ledger.root import PROJECTS_DIR

_FORMAT = 1
RACY_NS = 2_000_000_000
_ENV = ("COLUMNS", "LINES", "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
        "PYTHONIOENCODING", "PYTHONUTF8", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "JUPYTER_COLUMNS", "JUPYTER_LINES")


@dataclass
class Tree:
    """What the ledger folder holds, by path, kind, size and mtime_ns."""

    entries: list[str] = field(default_factory=list)
    projects: int = 0
    newest_ns: int = 0
    cacheable: bool = True


def scan(root: Path) -> Tree:
    """Every entry under `root` (`.git` aside); a link or special file makes the tree uncacheable."""
    tree = Tree()
    stack = [("", str(root))]
    while stack and tree.cacheable:
        rel_dir, folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError:
            tree.cacheable = False
            break
        for entry in items:
            rel = f"{rel_dir}{entry.name}"
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                tree.cacheable = False
                break
            if stat.S_ISDIR(st.st_mode):
                # A folder is known by what it holds (its own mtime only says that something changed inside).
                tree.entries.append(f"d {rel}")
                if not (rel_dir == "" and entry.name == ".git"):
                    stack.append((rel + "/", entry.path))
            elif stat.S_ISREG(st.st_mode):
                tree.newest_ns = max(tree.newest_ns, st.st_mtime_ns)
                tree.entries.append(f"f {rel} {st.st_size} {st.st_mtime_ns}")
                if rel.startswith(PROJECTS_DIR + "/") and rel.endswith((".yaml", ".yml")):
                    tree.projects += 1
            else:  # a symlink may point anywhere; a FIFO or device is refused by the load anyway
                tree.cacheable = False
                break
    return tree


def _code() -> list[str]:
    """The installed tool and its libraries, by what changes when either is replaced."""
    parts = [__version__, sys.version, str(_FORMAT)]
    package = Path(projledger.__file__).parent
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            with contextlib.suppress(OSError):
                st = (Path(folder) / name).stat()
                parts.append(f"{Path(folder, name).relative_to(package)} {st.st_size} {st.st_mtime_ns}")
    here = Path.cwd()
    for entry in sys.path:
        # The working folder ("" or its path, with `python -m`) is in the key itself; its mtime changes
        # whenever the user saves a file there, which says nothing about the libraries.
        with contextlib.suppress(OSError):
            if entry and Path(entry).resolve() != here:
                parts.append(f"{entry} {Path(entry).stat().st_mtime_ns}")
    return parts


def _streams() -> list[str]:
    """What decides how rich draws: each stream's kind, encoding and terminal size (the platform too)."""
    parts = [sys.platform]
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        try:
            tty = stream.isatty()
            size = tuple(os.get_terminal_size(stream.fileno())) if tty else None
        except (AttributeError, ValueError, OSError):
            tty, size = False, None
        parts.append(f"{type(stream).__name__} {tty} {size} {getattr(stream, 'encoding', None)} "
                     f"{getattr(stream, 'errors', None)}")
    return parts


def _digest(parts: list[str]) -> str:
    import hashlib

    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


@dataclass
class Slot:
    """One cached run: where it is stored and the key its content must match."""

    file: Path
    key: str
    storable: bool


def slot(name: str, params: Mapping[str, Any], root: Path, cache_dir: Path) -> Slot | None:
    """The slot of this command line on this ledger, or None when the tree cannot be cached."""
    from projledger.ledger.cache import MIN_FILES

    tree = scan(root)
    if not tree.cacheable or tree.projects < MIN_FILES:
        return None  # a small ledger is fast anyway: never stored, so not looked up either
    line = [name, repr(sorted((k, repr(v)) for k, v in params.items())), str(Path.cwd()), str(root.resolve()),
            *_streams(),
            *(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("PROJLEDGER_") or k in _ENV)]
    key = _digest([*line, *_code(), date.today().isoformat(), *tree.entries])
    racy = tree.newest_ns > time.time_ns() - RACY_NS
    return Slot(cache_dir / f"out-{_digest(line)[:32]}.json", key, storable=not racy)


def replayed(where: Slot) -> bool:
    """Write the stored output of a hit to stdout/stderr and end with its exit code; False on a miss."""
    try:
        data = json.loads(where.file.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != where.key:
            return False
        code = int(data["code"])
        chunks = [(int(s), str(kind), str(text)) for s, kind, text in data["chunks"]]
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return False
    for s, kind, text in chunks:
        stream = sys.stdout if s == 1 else sys.stderr
        if kind == "t":
            stream.write(text)
        elif kind == "f":
            stream.flush()
        else:
            stream.flush()
            stream.buffer.write(base64.b64decode(text))
    sys.stdout.flush()
    sys.stderr.flush()
    if code:
        raise typer.Exit(code)
    return True


class _BinaryTee(io.RawIOBase):
    def __init__(self, real: Any, record: Callable[[str, str], None]) -> None:
        self._real = real
        self._record = record

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        written = int(self._real.write(data))
        self._record("b", base64.b64encode(bytes(data)).decode("ascii"))
        return written

    def flush(self) -> None:
        self._record("f", "")
        self._real.flush()


class _Tee(io.TextIOBase):
    """A text stream that passes everything to the real one and records it."""

    def __init__(self, real: TextIO, number: int, chunks: list[tuple[int, str, str]]) -> None:
        self._real = real
        self._number = number
        self._chunks = chunks
        raw = getattr(real, "buffer", None)
        self.buffer = _BinaryTee(raw, self._add) if raw is not None else None

    def _add(self, kind: str, text: str) -> None:
        self._chunks.append((self._number, kind, text))

    def write(self, text: str) -> int:
        written = self._real.write(text)  # first: click probes with write(b"") and expects the real TypeError
        self._add("t", text)
        return written

    def flush(self) -> None:
        self._add("f", "")  # replayed too: where output appears between the two streams depends on flushes
        self._real.flush()

    @property
    def real_stream(self) -> TextIO:
        """The stream being recorded: where a progress bar goes, so it is never replayed."""
        return self._real

    def isatty(self) -> bool:
        return self._real.isatty()

    def fileno(self) -> int:
        return self._real.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._real.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self._real.errors


def recorded(where: Slot, run: Callable[[], Any]) -> Any:
    """Run the command with its output recorded, and store the run when it ended with exit 0 or 1."""
    chunks: list[tuple[int, str, str]] = []
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout = _Tee(real_out, 1, chunks)
    sys.stderr = _Tee(real_err, 2, chunks)
    code: int | None = None
    try:
        result = run()
        code = 0
        return result
    except typer.Exit as exc:
        code = exc.exit_code
        raise
    finally:
        sys.stdout, sys.stderr = real_out, real_err
        if code in (0, 1) and where.storable:
            _store(where, code, chunks)


def _store(where: Slot, code: int, chunks: list[tuple[int, str, str]]) -> None:
    """Write the slot atomically; a cache that cannot be written is only slower."""
    tmp = where.file.with_name(f".{where.file.name}.{os.getpid()}.tmp")
    try:
        where.file.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"key": where.key, "code": code, "chunks": chunks}, ensure_ascii=False),
                       encoding="utf-8")
        tmp.replace(where.file)
    except Exception:  # noqa: BLE001 - a cache that cannot be written (full disk, odd output) is only slower
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
