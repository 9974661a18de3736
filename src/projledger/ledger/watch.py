"""A cheap fingerprint of a ledger folder's files, so a long-running reader knows when to load again.

Only file metadata is read (name, size, modification time of every YAML file under the root, hidden
folders skipped, folder links not followed): a stat walk, no parsing. Two equal fingerprints mean no
ledger file was added, removed or rewritten in between.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def fingerprint(root: Path) -> str:
    """A short hex digest of every `*.yaml`/`*.yml` under `root` (path, size, mtime)."""
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.endswith((".yaml", ".yml")) or name.startswith("."):
                continue
            path = Path(folder, name)
            try:
                st = path.stat()
            except OSError:
                continue  # vanished or a dangling link: the loader reports what matters
            rel = path.relative_to(root).as_posix()
            digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:16]
