"""Atomic file writes: a temp file in the same folder, flushed, fsynced, then moved into place.

An interrupted write leaves the old file byte-identical and no temp file behind. Every file the tool
writes (exports, new ledger files, rewritten project files) goes through `atomic_write`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from projledger.ledger.errors import WriteFailedError, WriteRefusedError, escape_controls, write_reason


def office_lock(path: Path) -> Path:
    """The lock file Excel/WPS keep beside an open workbook (`~$name.xlsx`)."""
    return path.with_name("~$" + path.name)


STALE_SECONDS = 600  # a temp file this old belongs to a write that was killed (none takes minutes)
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")


def leftover_temp_files(folder: Path, name: str | None = None) -> list[str]:
    """Names of the temp files `atomic_write` leaves in `folder` when killed mid-write (for `name` only if given)."""
    try:
        entries = [p.name for p in Path(folder).iterdir()]
    except OSError:
        return []
    found = []
    for entry in sorted(entries):
        m = _TEMP_NAME.match(entry)
        if m and (name is None or m["name"] == name):
            found.append(entry)
    return found


def _remove_stale(folder: Path, name: str) -> None:
    """Delete temp files of `name` that an earlier, killed write left behind (old enough to be nobody's)."""
    now = time.time()
    for entry in leftover_temp_files(folder, name):
        with contextlib.suppress(OSError):
            stale = folder / entry
            if stale.is_file() and not stale.is_symlink() and now - stale.stat().st_mtime > STALE_SECONDS:
                stale.unlink()


def write_failed(path: Path, exc: OSError) -> WriteFailedError:
    """The Chinese error for a failed write of `path`."""
    if isinstance(exc, WriteFailedError):
        return exc
    reason = write_reason(exc)
    return WriteFailedError(exc.errno, reason, str(path), f"无法写入 {shown(path)}：{reason}")


def shown(path: Path | str) -> str:
    """A path as it may be printed: control characters escaped, so a file name cannot forge output lines."""
    return escape_controls(str(path))


class _Guarded:
    """A file handle that remembers the first OSError of a write.

    A library that swallows or replaces it (zipfile raising ValueError on close after ENOSPC) cannot then
    hide why the write failed.
    """

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.failure: OSError | None = None

    def write(self, data: bytes) -> int:
        try:
            return self._handle.write(data)
        except OSError as exc:
            self.failure = self.failure or exc
            raise

    def flush(self) -> None:
        try:
            self._handle.flush()
        except OSError as exc:
            self.failure = self.failure or exc
            raise

    def __getattr__(self, name: str) -> object:
        return getattr(self._handle, name)


def _temp_prefix(name: str) -> str:
    # The temp name must fit where the final name fits (255 bytes): shorten very long names.
    while len(name.encode("utf-8", "surrogateescape")) > 200:
        name = name[:-1]
    return f".{name}."


def atomic_write(path: Path, write: Callable[[BinaryIO], object], *, refuse_if_open: bool = False) -> None:
    """Write `path` atomically by calling `write` on a temp file's binary handle.

    With `refuse_if_open`, an Office lock file beside `path` means someone has it open: refuse rather
    than replace a workbook under their hands. Any failure the system reports (full disk, read-only,
    no permission, name too long, a folder in the way) is a `WriteFailedError` in Chinese, and leaves
    the old file as it was and no temp file behind.
    """
    path = Path(path)
    if refuse_if_open and office_lock(path).exists():
        raise WriteRefusedError(f"{shown(path.name)} 正在被 Excel/WPS 打开（发现 {shown(office_lock(path).name)}），请先关闭再导出")
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir() or not path.name:
        raise write_failed(path, IsADirectoryError(errno.EISDIR, "Is a directory", str(path)))
    if not folder.is_dir():
        if folder.exists() or any(p.exists() and not p.is_dir() for p in folder.parents):
            raise write_failed(path, NotADirectoryError(errno.ENOTDIR, "Not a directory", str(folder)))
        raise WriteRefusedError(f"目录不存在：{shown(folder)}")
    _remove_stale(folder, path.name)
    try:
        import tempfile

        fd, tmp_name = tempfile.mkstemp(prefix=_temp_prefix(path.name), suffix=".tmp", dir=folder)
    except OSError as exc:
        raise write_failed(path, exc) from None
    tmp = Path(tmp_name)
    guarded: _Guarded | None = None
    try:
        with os.fdopen(fd, "wb") as handle:
            guarded = _Guarded(handle)
            write(guarded)  # type: ignore[arg-type]  # a BinaryIO by delegation
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                tmp.chmod(path.stat().st_mode & 0o777)
        else:
            with contextlib.suppress(OSError):
                umask = os.umask(0)
                os.umask(umask)
                tmp.chmod(0o666 & ~umask)
        tmp.replace(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        failure = exc if isinstance(exc, OSError) else guarded.failure if guarded is not None else None
        if failure is not None:
            raise write_failed(path, failure) from None
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def make_dirs(path: Path) -> list[Path]:
    """Create `path` and missing parents; returns the folders created (outermost first) for undoing.

    A failure is a `WriteFailedError` in Chinese, with the folders this call created removed again.
    """
    missing = [p for p in (path, *path.parents) if not p.exists()][::-1]
    created: list[Path] = []
    try:
        for folder in missing:
            folder.mkdir()
            created.append(folder)
    except OSError as exc:
        remove_created([], created)
        raise write_failed(path, exc) from None
    return created


def remove_created(files: list[Path], folders: list[Path]) -> None:
    """Undo what a failed multi-file write made: its files, then its (now empty) folders, innermost first."""
    for f in reversed(files):
        with contextlib.suppress(OSError):
            f.unlink()
    for d in reversed(folders):
        with contextlib.suppress(OSError):
            d.rmdir()


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically (always UTF-8, whatever the locale)."""
    data = text.encode("utf-8")
    atomic_write(path, lambda h: h.write(data))
