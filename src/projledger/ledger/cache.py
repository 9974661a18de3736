"""A cache of validated project files, so a second run on unchanged files skips parsing and validation.

Keyed like beancount's: each file by its path, size and mtime_ns; the whole cache by the settings file's
text, the tool's version and the hash of the modules that decide what a file validates to. A file
changed in any way misses and is read again; a corrupt, stale or foreign cache file is ignored and
rebuilt, never trusted. Only the per-file work is cached: the cross-file checks and every figure are
computed afresh on every run, so figures, errors and their lines are the same with and without it.

It lives in the user's cache folder (`~/.cache/projledger`, or `$XDG_CACHE_HOME`, or
`$PROJLEDGER_CACHE_DIR`), never in the ledger: a ledger is shared through git and a pickle planted there
would run code on a colleague's machine. It is written only when it pays, atomically: for a ledger of at
least `MIN_FILES` project files, when something changed, and from the second full read of a ledger on.
The first read only leaves a marker (`NAME.seen`): writing 5,000 models costs about a sixth of the read,
which a ledger read once never earns back, and a repeated command is answered by the output cache
(`cli/replay.py`) anyway. `--no-cache` or `PROJLEDGER_NO_CACHE=1` turn it off.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from projledger import __version__
from projledger.ledger.errors import LedgerError

if TYPE_CHECKING:
    from projledger.ledger.models import Project

ENV_DIR = "PROJLEDGER_CACHE_DIR"
ENV_OFF = "PROJLEDGER_NO_CACHE"
MIN_FILES = 200  # below this a run is fast anyway and writing the cache costs more than it saves
RACY_SECONDS = 2  # a file written this close to now may change again within the same mtime tick
_FORMAT = 1
_CODE = ("models.py", "yamlio.py", "decoding.py", "locate.py", "yamlmessages.py", "loader.py", "cache.py")

Entry = tuple[int, int, "Project | None", list[LedgerError]]


def cache_dir() -> Path:
    """Where caches live: $PROJLEDGER_CACHE_DIR, else $XDG_CACHE_HOME/projledger, else ~/.cache/projledger."""
    given = os.environ.get(ENV_DIR)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "projledger"


def disabled_by_env() -> bool:
    """`PROJLEDGER_NO_CACHE` set to anything but empty/0."""
    return os.environ.get(ENV_OFF, "") not in ("", "0")


def _code_key() -> str:
    import hashlib

    digest = hashlib.sha256(f"{__version__}|{_FORMAT}|{sys.version}".encode())
    here = Path(__file__).parent
    for name in _CODE:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    try:
        import pydantic

        digest.update(pydantic.VERSION.encode())
    except ImportError:  # pragma: no cover - pydantic is a dependency
        pass
    return digest.hexdigest()


@dataclass
class ModelCache:
    """The validated models of one ledger's project files, by path, size and mtime_ns."""

    root: Path
    settings_text: str
    entries: dict[str, Entry] = field(default_factory=dict)
    fresh: dict[str, Entry] = field(default_factory=dict)
    dirty: bool = False
    first: bool = False  # no cache file and no marker: the first full read of this ledger
    _key: str = ""
    _root_text: str = ""

    @property
    def file(self) -> Path:
        """The cache file of this ledger."""
        import hashlib

        name = hashlib.sha256(str(self.root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:24]
        return cache_dir() / f"{name}.pickle"

    def open(self) -> ModelCache:
        """Read the cache file; anything unreadable, stale or foreign leaves it empty."""
        import hashlib

        self._key = hashlib.sha256((_code_key() + "\0" + self.settings_text).encode("utf-8", "surrogateescape")).hexdigest()
        import pickle

        self._root_text = str(self.root)
        target = self.file
        self.first = not target.exists() and not target.with_suffix(".seen").exists()
        if self.first:
            return self  # nothing to read, and nothing will be written (see save)
        try:
            with target.open("rb") as fh:
                data: Any = pickle.load(fh)  # noqa: S301 - the user's own cache folder, never the ledger
            if (isinstance(data, dict) and data.get("key") == self._key
                    and data.get("root") == str(self.root.resolve()) and isinstance(data.get("entries"), dict)):
                self.entries = data["entries"]
        except Exception:  # noqa: BLE001 - a broken cache is ignored and rebuilt
            self.entries = {}
        return self

    def _stat(self, rel: str) -> tuple[int, int] | None:
        try:
            st = os.lstat(os.path.join(self._root_text, rel))  # noqa: PTH116,PTH118 - thousands of files: no Path objects
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None  # links (which may point anywhere) and special files are always read afresh
        return st.st_size, st.st_mtime_ns

    def lookup(self, rel: str) -> tuple[Project | None, list[LedgerError]] | None:
        """The cached result for an unchanged file, else None (and the file is read as usual)."""
        entry = self.entries.get(rel)
        if entry is None:
            return None
        now = self._stat(rel)
        if now is None or (entry[0], entry[1]) != now:
            self.dirty = True
            return None
        self.fresh[rel] = entry
        return entry[2], list(entry[3])

    def store(self, rel: str, project: Project | None, errors: list[LedgerError]) -> None:
        """Remember a freshly read file, unless it was written too recently to trust its mtime."""
        if self.first:
            return
        now = self._stat(rel)
        if now is None or now[1] > time.time_ns() - RACY_SECONDS * 1_000_000_000:
            self.dirty = True
            return
        self.fresh[rel] = (now[0], now[1], project, list(errors))
        self.dirty = True

    def _first_read(self) -> bool:
        """True (and the marker left) when this ledger had neither a cache file nor the marker of a read."""
        if not self.first:
            return False
        marker = self.file.with_suffix(".seen")
        with contextlib.suppress(OSError):
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        return True

    def save(self) -> None:
        """Write the cache when it pays; any failure (read-only home, full disk) is silently skipped."""
        if self._first_read():
            return
        if len(self.fresh) != len(self.entries):
            self.dirty = True
        if not self.dirty or len(self.fresh) < MIN_FILES:
            return
        import pickle

        data = {"key": self._key, "root": str(self.root.resolve()), "entries": self.fresh}
        tmp: Path | None = None
        try:
            target = self.file
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            target.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as fh:
                pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(target)
        except Exception:  # noqa: BLE001 - a cache that cannot be written is only slower
            if tmp is not None:
                with contextlib.suppress(OSError):
                    tmp.unlink(missing_ok=True)
