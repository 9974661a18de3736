"""Reading a file a ledger names, safely: only regular files, only inside the ledger, never more than a cap.

A ledger is a shared git repository: anyone who can commit can put a symlink to `/etc/shadow`, a FIFO, or a
link to `/dev/zero` where a project file or template is expected. `read_capped` reads a path only when
its real path stays inside the ledger root and it is a regular file, opens it without blocking (a FIFO
would otherwise wait for a writer for ever), checks the type again on the open descriptor, and never
reads more than the cap, whatever the file's size claims. Refusals are `FileRefused` with a Chinese reason.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20


class FileRefused(Exception):  # noqa: N818 - a refusal with its reason, not a bug
    """A file that is not read, and why (in Chinese)."""


class FileTooBig(FileRefused):
    """A file over the size cap; `size` is what it holds (or at least cap + 1 bytes)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"文件过大（{size / 1024 / 1024:.1f} MB）")
        self.size = size


def is_inside(root: Path, path: Path) -> bool:
    """Whether `path`, with every symlink resolved, is `root` itself or under it (root resolved too)."""
    base = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


class Inside:
    """`is_inside` for the many files of one ledger read: the root and each folder are resolved once.

    A file that is not itself a symlink is where its folder's real path says; only links are resolved
    one by one. Made afresh for every read of a ledger, so a link changed between two runs is seen.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._base = os.path.realpath(root)
        self._folders: dict[str, str] = {}

    def __call__(self, path: Path) -> bool:
        """Whether `path` resolves inside the root."""
        text = os.fspath(path)
        folder, name = os.path.split(text)
        real: str | None = None
        if name not in ("", ".", ".."):
            try:
                if not stat.S_ISLNK(os.lstat(text).st_mode):
                    real_folder = self._folders.get(folder)
                    if real_folder is None:
                        real_folder = self._folders[folder] = os.path.realpath(folder)
                    real = os.path.join(real_folder, name)  # noqa: PTH118 - thousands of files: no Path objects
            except OSError:
                real = None
        if real is None:
            real = os.path.realpath(text)
        base = self._base
        return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def ledger_relative(name: str) -> str | None:
    """A path a ledger writes (`procedures: chains/产业.yaml`) as a clean relative posix path, or None.

    None when it is absolute (a leading slash or backslash, a drive letter, a home folder), climbs out of
    the ledger (`..`), or holds control characters.
    """
    if not name or len(name) > 1024 or any(ord(c) < 32 or ord(c) == 127 for c in name):
        return None
    text = name.replace("\\", "/")
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text) or text.startswith("~"):
        return None
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


OUTSIDE = "指向台账目录之外（符号链接或路径），为安全起见未读取"
NOT_REGULAR = "不是普通文件（可能是设备、管道或套接字），未读取"


def read_capped(path: Path, limit: int, root: Path | Inside | None = None) -> bytes:
    """The bytes of regular file `path` (inside `root` when given), at most `limit` of them.

    Raises `FileRefused` (outside the ledger, not a regular file), `FileTooBig`, or `OSError` (missing,
    unreadable, a symlink loop) for the caller to word.
    """
    inside = root if isinstance(root, Inside) else None if root is None else Inside(root)
    if inside is not None and not inside(path):
        os.stat(path)  # noqa: PTH116 - a missing target or a loop is said as such, not as "outside"
        raise FileRefused(OUTSIDE)
    info = os.stat(path)  # noqa: PTH116 - called for every file of a ledger: no Path object
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(NOT_REGULAR)  # never opened: opening a device can have effects of its own
    if info.st_size > limit:
        raise FileTooBig(info.st_size)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between the checks
            raise FileRefused(NOT_REGULAR)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileTooBig(size)
        return b"".join(chunks)
    finally:
        os.close(fd)


__all__ = ["NOT_REGULAR", "OUTSIDE", "FileRefused", "FileTooBig", "Inside", "is_inside", "ledger_relative", "read_capped"]
