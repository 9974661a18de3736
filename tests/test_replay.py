"""The output cache: a read-only command on an unchanged ledger replays stdout, stderr and exit code exactly."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projledger.cli import app
from projledger.figures import metrics
from projledger.ledger import cache as cache_mod

PAST = time.time() - 3600


def _project(i: int, completed: str = "100.5", unit: str = "城关街道") -> str:
    return "\n".join([
        f"id: r-{i:04d}", f"name: 重放项目{i}号", "category: 城建", "level: 区重点", "kind: 续建", f"unit: {unit}",
        "leader: 王副区长", "investment:", "  total: 9000", "  annual_plan: 3000", "  before_year: 1000",
        "planned: {start: 2025-03-01, finish: 2027-12-31}", "actual: {start: 2025-03-10, finish: null}",
        "progress:", "  - month: 2026-09", f"    completed: {completed}", "    image: 主体施工", "",
    ])


def _age(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (PAST, PAST))


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PROJLEDGER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PROJLEDGER_NO_CACHE", raising=False)
    root = tmp_path / "ledger"
    (root / "projects").mkdir(parents=True)
    (root / "projledger.yaml").write_text(
        "district: 重放区\nyear: 2026\nunits: [城关街道, 新华街道]\ncategories: [城建]\nlevels: [区重点]\n",
        encoding="utf-8")
    for i in range(cache_mod.MIN_FILES):
        (root / "projects" / f"r-{i:04d}.yaml").write_text(_project(i), encoding="utf-8")
    _age(root)
    return root


def _slots(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache"
    return sorted(folder.glob("out-*.json")) if folder.exists() else []


def _computing_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, any run that really computes figures fails loudly: only a replay can succeed."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("computed instead of replayed")

    monkeypatch.setattr(metrics, "compute", refuse)


def test_a_second_run_replays_stdout_stderr_and_exit_code(
        ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    args = ["status", "--format", "json", "--ledger", str(ledger)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert len(_slots(tmp_path)) == 1
    _computing_fails(monkeypatch)
    second = runner.invoke(app, args)
    assert second.exit_code == 0
    assert second.stdout == first.stdout and second.stderr == first.stderr
    assert '"district": "重放区"' in second.stdout


def test_errors_replay_with_exit_code_1(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (ledger / "projects" / "r-0003.yaml").write_text(_project(3, unit="不存在的单位"), encoding="utf-8")
    _age(ledger)
    runner = CliRunner()
    first = runner.invoke(app, ["check", "--ledger", str(ledger)])
    assert first.exit_code == 1 and "r-0003.yaml:6:" in first.stderr
    from projledger.ledger import load

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("loaded instead of replayed")

    monkeypatch.setattr(load, "load_ledger", refuse)
    second = runner.invoke(app, ["check", "--ledger", str(ledger)])
    assert (second.exit_code, second.stdout, second.stderr) == (first.exit_code, first.stdout, first.stderr)


def test_an_edited_file_is_computed_again(ledger: Path) -> None:
    runner = CliRunner()
    args = ["status", "--format", "json", "--ledger", str(ledger)]
    before = runner.invoke(app, args)
    path = ledger / "projects" / "r-0007.yaml"
    path.write_text(_project(7, "2999.5"), encoding="utf-8")
    _age(ledger)  # even with the old mtime back, the size differs
    after = runner.invoke(app, args)
    assert after.exit_code == 0
    assert after.stdout != before.stdout and "2999.5" in after.stdout
    assert after.stdout == runner.invoke(app, ["--no-cache", *args]).stdout


def test_a_new_file_is_computed_again(ledger: Path) -> None:
    runner = CliRunner()
    args = ["status", "--format", "json", "--ledger", str(ledger)]
    before = runner.invoke(app, args)
    (ledger / "projects" / "r-9999.yaml").write_text(_project(9999), encoding="utf-8")
    _age(ledger)
    after = runner.invoke(app, args)
    assert '"r-9999"' in after.stdout and '"r-9999"' not in before.stdout


def test_other_arguments_other_output(ledger: Path) -> None:
    runner = CliRunner()
    by_unit = runner.invoke(app, ["status", "--ledger", str(ledger)])
    as_json = runner.invoke(app, ["status", "--format", "json", "--ledger", str(ledger)])
    assert by_unit.stdout != as_json.stdout
    assert runner.invoke(app, ["status", "--ledger", str(ledger)]).stdout == by_unit.stdout


def test_no_cache_and_the_environment_turn_it_off(
        ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    runner.invoke(app, ["--no-cache", "status", "--ledger", str(ledger)])
    assert not _slots(tmp_path)
    monkeypatch.setenv("PROJLEDGER_NO_CACHE", "1")
    runner.invoke(app, ["status", "--ledger", str(ledger)])
    assert not _slots(tmp_path)
    monkeypatch.delenv("PROJLEDGER_NO_CACHE")
    runner.invoke(app, ["status", "--ledger", str(ledger)])
    assert _slots(tmp_path)
    _computing_fails(monkeypatch)
    assert runner.invoke(app, ["--no-cache", "status", "--ledger", str(ledger)]).exit_code == 1  # really computed


def test_corrupt_or_foreign_slot_is_ignored(ledger: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["status", "--ledger", str(ledger)]
    first = runner.invoke(app, args)
    [slot] = _slots(tmp_path)
    for junk in ("not json", '{"key": "another", "code": 0, "chunks": [[1, "t", "伪造"]]}', "[1, 2]"):
        slot.write_text(junk, encoding="utf-8")
        again = runner.invoke(app, args)
        assert again.stdout == first.stdout and "伪造" not in again.stdout


def test_fresh_files_small_ledgers_and_links_are_not_stored(
        ledger: Path, tmp_path: Path, example_root: Path) -> None:
    runner = CliRunner()
    path = ledger / "projects" / "r-0001.yaml"
    path.write_text(_project(1, "101.5"), encoding="utf-8")  # just written: its mtime may still change
    runner.invoke(app, ["status", "--ledger", str(ledger)])
    assert not _slots(tmp_path)
    _age(ledger)
    (ledger / "projects" / "link.yaml").symlink_to(path)
    runner.invoke(app, ["check", "--ledger", str(ledger)])
    assert not _slots(tmp_path)
    runner.invoke(app, ["status", "--ledger", str(example_root)])  # 51 projects: fast anyway
    assert not _slots(tmp_path)


def test_the_library_is_in_the_key(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from projledger.cli import replay

    first = replay.slot("status", {}, ledger, Path("/nowhere"))
    assert first is not None and first.storable
    monkeypatch.setattr(replay, "_code", lambda: ["another build"])
    second = replay.slot("status", {}, ledger, Path("/nowhere"))
    assert second is not None and second.file == first.file and second.key != first.key


def test_a_long_read_shows_a_bar_on_a_terminal_only(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from projledger import cli

    runner = CliRunner()
    plain = runner.invoke(app, ["--no-cache", "check", "--ledger", str(ledger)])
    assert "读取台账" not in plain.output  # piped: nothing but the result
    monkeypatch.setattr(cli.ReadingBar, "DELAY", 0.0)
    monkeypatch.setenv("FORCE_COLOR", "1")  # what a terminal looks like to rich
    shown = runner.invoke(app, ["--no-cache", "check", "--ledger", str(ledger)])
    assert shown.exit_code == 0
    n = cache_mod.MIN_FILES
    assert "读取台账" in shown.stderr and f"{n}/{n}" in shown.stderr and "个项目文件" in shown.stderr
    assert "已检查" in shown.stdout and "读取台账" not in shown.stdout


def test_the_bar_is_never_replayed(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from projledger import cli

    monkeypatch.setattr(cli.ReadingBar, "DELAY", 0.0)
    monkeypatch.setenv("FORCE_COLOR", "1")
    runner = CliRunner()
    runner.invoke(app, ["check", "--ledger", str(ledger)])
    _computing_fails(monkeypatch)
    from projledger.ledger import load

    monkeypatch.setattr(load, "load_ledger", lambda *a, **k: (_ for _ in ()).throw(AssertionError("not replayed")))
    again = runner.invoke(app, ["check", "--ledger", str(ledger)])
    assert again.exit_code == 0 and "已检查" in again.stdout
    assert "读取台账" not in again.stderr


@pytest.mark.parametrize("args", [
    ["status"], ["status", "--by", "leader"], ["status", "--format", "csv"], ["check"], ["schedule"],
    ["schedule", "--format", "json"], ["show", "r-0005"],
])
def test_every_replayed_command_prints_what_it_computes(ledger: Path, args: list[str]) -> None:
    runner = CliRunner()
    off = runner.invoke(app, ["--no-cache", *args, "--ledger", str(ledger)])
    cold = runner.invoke(app, [*args, "--ledger", str(ledger)])
    warm = runner.invoke(app, [*args, "--ledger", str(ledger)])
    assert off.exit_code == cold.exit_code == warm.exit_code == 0, off.output
    assert off.stdout == cold.stdout == warm.stdout and off.stderr == cold.stderr == warm.stderr
    assert off.stdout.strip()
