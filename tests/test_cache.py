"""The cache of validated files: same figures, errors and lines with it on, off, cold and warm."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projledger.cli import app
from projledger.ledger import cache as cache_mod

PAST = time.time() - 3600


def _project(i: int, completed: str = "100.5") -> str:
    return "\n".join([
        f"id: c-{i:04d}", f"name: 缓存项目{i}号", "category: 城建", "level: 区重点", "kind: 续建", "unit: 城关街道",
        "leader: 王副区长", "investment:", "  total: 9000", "  annual_plan: 3000", "  before_year: 1000",
        "planned: {start: 2025-03-01, finish: 2027-12-31}", "actual: {start: 2025-03-10, finish: null}",
        "progress:", "  - month: 2026-09", f"    completed: {completed}", "    image: 主体施工", "",
    ])


@pytest.fixture
def big_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PROJLEDGER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PROJLEDGER_NO_CACHE", raising=False)
    root = tmp_path / "ledger"
    (root / "projects").mkdir(parents=True)
    (root / "projledger.yaml").write_text(
        "district: 缓存区\nyear: 2026\nunits: [城关街道]\ncategories: [城建]\nlevels: [区重点]\n", encoding="utf-8")
    for i in range(cache_mod.MIN_FILES + 10):
        (root / "projects" / f"c-{i:04d}.yaml").write_text(_project(i), encoding="utf-8")
    # One file with a validation error and one with a cross-file (check) warning, so lines are compared too.
    (root / "projects" / "c-0001.yaml").write_text(_project(1).replace("total: 9000", "total: -5"), encoding="utf-8")
    (root / "projects" / "c-0002.yaml").write_text(_project(2, "3500"), encoding="utf-8")
    for path in [root / "projledger.yaml", *(root / "projects").iterdir()]:
        os.utime(path, (PAST, PAST))
    return root


def _run(runner: CliRunner, root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--ledger", str(root)])
    return result.exit_code, result.output


def _cache_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache"
    return sorted(folder.glob("*.pickle")) if folder.exists() else []


def test_outputs_identical_off_cold_warm(big_ledger: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    (big_ledger / "projects" / "c-0001.yaml").unlink()  # status needs a ledger without errors
    off = _run(runner, big_ledger, "--no-cache", "status", "--format", "json")
    assert off[0] == 0, off[1]
    assert not _cache_files(tmp_path)
    cold = runner.invoke(app, ["status", "--format", "json", "--ledger", str(big_ledger)])
    assert not _cache_files(tmp_path) and list((tmp_path / "cache").glob("*.seen")), "a first read leaves a marker"
    # Another command line misses the output cache (cli/replay.py): the second full read writes the model cache ...
    second = runner.invoke(app, ["status", "--format", "json", "--month", "2026-09", "--ledger", str(big_ledger)])
    assert _cache_files(tmp_path), "the second full read of a large ledger writes the cache"
    # ... which a third command line reads instead of the files.
    models = runner.invoke(app, ["status", "--format", "json", "--month", "9", "--ledger", str(big_ledger)])
    warm = runner.invoke(app, ["status", "--format", "json", "--ledger", str(big_ledger)])
    assert cold.output == second.output == models.output == warm.output == off[1]


def _forget_outputs(tmp_path: Path) -> None:
    """Drop the output cache (cli/replay.py), so the next run reads the model cache this module tests."""
    for slot in (tmp_path / "cache").glob("out-*.json"):
        slot.unlink()


def _read_twice(runner: CliRunner, root: Path, tmp_path: Path) -> str:
    """`check` twice as full reads: the first leaves the marker, the second writes the model cache."""
    first = runner.invoke(app, ["check", "--ledger", str(root)])
    _forget_outputs(tmp_path)
    runner.invoke(app, ["check", "--ledger", str(root)])
    _forget_outputs(tmp_path)
    return first.output


def test_errors_and_their_lines_identical(big_ledger: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    off = runner.invoke(app, ["--no-cache", "check", "--ledger", str(big_ledger)])
    cold = _read_twice(runner, big_ledger, tmp_path)
    assert _cache_files(tmp_path)
    warm = runner.invoke(app, ["check", "--ledger", str(big_ledger)])
    assert off.exit_code == warm.exit_code == 1
    assert "projects/c-0001.yaml:9:" in off.output  # total: -5, at its line
    assert "c-0002.yaml" in off.output  # completed above the annual plan: a warning placed by a check
    assert off.output == cold == warm.output


def test_an_edited_file_is_read_again(big_ledger: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["status", "--format", "json", "--ledger", str(big_ledger)])
    path = big_ledger / "projects" / "c-0005.yaml"
    stat = path.stat()
    path.write_text(_project(5, "200.5"), encoding="utf-8")  # same size, new figure
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    (big_ledger / "projects" / "c-0001.yaml").unlink()
    result = runner.invoke(app, ["status", "--format", "json", "--ledger", str(big_ledger)])
    assert result.exit_code == 0, result.output
    assert '"c-0005"' in result.output
    uncached = runner.invoke(app, ["--no-cache", "status", "--format", "json", "--ledger", str(big_ledger)])
    assert result.output == uncached.output
    assert "200.5" in result.output


def test_corrupt_or_foreign_cache_is_ignored_and_rebuilt(big_ledger: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    first = _read_twice(runner, big_ledger, tmp_path)
    [cache_file] = _cache_files(tmp_path)
    cache_file.write_bytes(b"not a pickle at all")
    _forget_outputs(tmp_path)
    again = runner.invoke(app, ["check", "--ledger", str(big_ledger)])
    assert again.output == first
    assert pickle.loads(cache_file.read_bytes())["entries"], "rebuilt"
    cache_file.write_bytes(pickle.dumps({"key": "someone else's", "root": "/", "entries": {"x": 1}}))
    _forget_outputs(tmp_path)
    assert runner.invoke(app, ["check", "--ledger", str(big_ledger)]).output == first


def test_settings_change_invalidates(big_ledger: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["check", "--ledger", str(big_ledger)])
    settings = big_ledger / "projledger.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("units: [城关街道]", "units: [新华街道]"),
                        encoding="utf-8")
    result = runner.invoke(app, ["check", "--ledger", str(big_ledger)])
    assert "城关街道" in result.output and result.exit_code == 1  # every project's unit is now undeclared


def test_env_turns_it_off(big_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROJLEDGER_NO_CACHE", "1")
    CliRunner().invoke(app, ["check", "--ledger", str(big_ledger)])
    assert not _cache_files(tmp_path)


def test_small_ledgers_write_no_cache(example_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROJLEDGER_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "example"
    shutil.copytree(example_root, copy)
    CliRunner().invoke(app, ["check", "--ledger", str(copy)])
    assert not _cache_files(tmp_path)
