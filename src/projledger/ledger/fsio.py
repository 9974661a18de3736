"""Atomic file writes: a temp file in the same folder, flushed, fsynced, then moved into place.

An interrupted write leaves the old file byte-identical and no temp file behind. Every file the tool
writes (exports, new ledger files, rewritten project files) goes through `atomic_write`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from projledger.ledger.errors import WriteRefusedError, write_reason


def office_lock(path: Path) -> Path:
    """The lock file Excel/WPS keep beside an open workbook (`~$name.xlsx`)."""
    return path.with_name("~$" + path.name)


def atomic_write(path: Path, write: Callable[[BinaryIO], object], *, refuse_if_open: bool = False) -> None:
    """Write `path` atomically by calling `write` on a temp file's binary handle.

    With `refuse_if_open`, an Office lock file beside `path` means someone has it open: refuse rather
    than replace a workbook under their hands.
    """
    path = Path(path)
    if refuse_if_open and office_lock(path).exists():
        raise WriteRefusedError(f"{path.name} 正在被 Excel/WPS 打开（发现 {office_lock(path).name}），请先关闭再导出")
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise WriteRefusedError(f"目录不存在：{folder}")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:  # read-only place, no permission, a name whose temp sibling is too long
        raise WriteRefusedError(f"无法写入 {path}：{write_reason(exc)}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
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
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically (always UTF-8, whatever the locale)."""
    data = text.encode("utf-8")
    atomic_write(path, lambda h: h.write(data))
