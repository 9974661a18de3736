"""Running the tool against a hostile ledger and proving what it did not do (#11).

`watching()` records every file the process opens or lists (Python's audit hooks: `open`, `os.scandir`,
`os.listdir`), in this process and in any child it forks (the template sandbox renders in one), so a test
can assert that nothing outside the ledger was read. `tree()` snapshots a folder so a test can assert that
nothing outside the ledger (or the output it asked for) was written. `run()` is the CLI as a user meets it:
never a traceback, an exit code, and every line of stderr located and in Chinese.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from projledger.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[1] / "ledgers" / "example"
HOSTILE = Path(__file__).resolve().parent / "bad" / "hostile"
CJK = re.compile(r"[\u4e00-\u9fff]")

_LOG: dict[str, int] = {}


def _hook(event: str, args: tuple[Any, ...]) -> None:
    fd = _LOG.get("fd")
    if fd is None or event not in ("open", "os.scandir", "os.listdir"):
        return
    try:
        target = args[0]
        if isinstance(target, int) or target is None:
            return
        path = os.fsdecode(os.fspath(target))
        mode = str(args[1]) if event == "open" and len(args) > 1 else event
        os.write(fd, f"{event}\t{mode}\t{path}\n".encode("utf-8", "surrogateescape"))
    except Exception:  # noqa: BLE001 - an audit hook must never raise
        return


sys.addaudithook(_hook)


@contextmanager
def watching() -> Iterator[list[tuple[str, str, Path]]]:
    """Record (event, mode, absolute path) of every open and folder listing while the block runs."""
    seen: list[tuple[str, str, Path]] = []
    with tempfile.TemporaryFile() as log:
        _LOG["fd"] = log.fileno()
        try:
            yield seen
        finally:
            _LOG.pop("fd", None)
            log.seek(0)
            for line in log.read().decode("utf-8", "surrogateescape").splitlines():
                event, mode, path = line.split("\t", 2)
                seen.append((event, mode, Path(path).absolute()))


def touched(seen: list[tuple[str, str, Path]], *forbidden: Path) -> list[str]:
    """The recorded opens/listings that reach into any of `forbidden` (files or folders), by real path."""
    bad = [Path(os.path.realpath(f)) for f in forbidden]
    hits = []
    for event, mode, path in seen:
        real = Path(os.path.realpath(path))
        if any(real == b or b in real.parents for b in bad):
            hits.append(f"{event} {mode} {path}")
    return hits


def tree(folder: Path, skip: Path | None = None) -> dict[str, bytes | str]:
    """Every entry under `folder` (symlinks as their target, files as their bytes), except under `skip`."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = "-> " + str(path.readlink())
        elif path.is_file():
            out[rel] = path.read_bytes()
        elif path.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = "special"
    return out


def copy_example(tmp_path: Path, name: str = "ledger") -> Path:
    """A copy of the shipped example ledger to change."""
    root = tmp_path / name
    shutil.copytree(EXAMPLE, root, symlinks=True)
    return root


def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """The CLI: (exit code, stdout, stderr); never a traceback, never an unhandled exception."""
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = runner.invoke(app, list(args))
    finally:
        os.chdir(old)
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def located(stderr: str, where: str) -> str:
    """The one stderr line starting `where` (e.g. `projects/x.yaml:3: `); it must be in Chinese."""
    hits = [line for line in stderr.splitlines() if line.startswith(where)]
    assert len(hits) == 1, stderr
    assert CJK.search(hits[0][len(where):]), hits[0]
    return hits[0]


def all_chinese(stderr: str) -> None:
    """Every line a command printed to stderr says something in Chinese."""
    for line in stderr.splitlines():
        if line.strip():
            assert CJK.search(line), line
