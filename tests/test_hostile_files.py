"""Files a ledger can plant: only regular files inside the ledger are read, and never more than the cap (#11.3, #11.5).

A symlink to /dev/zero or /dev/urandom, a FIFO, a symlink to a secret outside the ledger, a folder link out
of the ledger, `procedures: ../secret/keys.yaml` or an absolute path: each ends in a located Chinese error
with exit 1, at once, and the secret is neither opened nor echoed. Built in tmp_path (symlinks and FIFOs
cannot live in the repository's tests/bad/ portably).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hostilekit import all_chinese, copy_example, located, run, touched, tree, watching

SECRET = "root:$6$saltsalt$hashhashhash:19000:0:99999:7:::\n"

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="symlinks and FIFOs as on Linux/macOS")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    folder = tmp_path / "secret"
    folder.mkdir()
    (folder / "keys.yaml").write_text(SECRET, encoding="utf-8")
    (folder / "leak.yaml").write_text("id: leak\nname: 泄露\n" + SECRET, encoding="utf-8")
    return folder


def check(ledger: Path, *commands: str) -> str:
    """`check` and the other commands: exit 1, every line in Chinese; the stderr of check."""
    code, out, err = run("check", "--ledger", str(ledger))
    assert code == 1, out + err
    all_chinese(err)
    for command in commands:
        code, out, err2 = run(*command.split(), "--ledger", str(ledger))
        assert code == 1, out + err2
    return err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_project_file_linked_to_a_device_is_not_read(tmp_path: Path, device: str) -> None:
    ledger = copy_example(tmp_path)
    (ledger / "projects" / "zero.yaml").symlink_to(device)
    with watching() as seen:
        err = check(ledger, "status", "export")
    assert "指向台账目录之外" in located(err, "projects/zero.yaml:1: ")
    assert not touched(seen, Path(device))


def test_a_fifo_project_file_hangs_nothing(tmp_path: Path) -> None:
    ledger = copy_example(tmp_path)
    os.mkfifo(ledger / "projects" / "pipe.yaml")
    os.mkfifo(ledger / "projects" / "pipe.yml")
    err = check(ledger, "status", "schedule")
    assert "不是普通文件" in located(err, "projects/pipe.yaml:1: ")
    assert "不是普通文件" in located(err, "projects/pipe.yml:1: ")
    # `new` reads every project file for the ids they claim: a FIFO must not make it wait either.
    code, _, err = run("new", "2026-cj-900", "--name", "新项目", "--unit", "城关街道", "--ledger", str(ledger))
    assert code == 0, err


def test_a_project_file_linked_out_of_the_ledger_is_refused(tmp_path: Path, secret: Path) -> None:
    ledger = copy_example(tmp_path)
    (ledger / "projects" / "leak.yaml").symlink_to(secret / "leak.yaml")
    (ledger / "projects" / "keys.yaml").symlink_to("../../secret/keys.yaml")
    with watching() as seen:
        err = check(ledger)
    assert "指向台账目录之外" in located(err, "projects/leak.yaml:1: ")
    assert "指向台账目录之外" in located(err, "projects/keys.yaml:1: ")
    assert "root:" not in err and "$6$" not in err
    assert not touched(seen, secret)


def test_a_folder_linked_out_of_the_ledger_is_not_walked(tmp_path: Path, secret: Path) -> None:
    ledger = copy_example(tmp_path)
    (ledger / "projects" / "外单位").symlink_to(secret, target_is_directory=True)
    (ledger / "projects" / "根目录").symlink_to("/", target_is_directory=True)
    with watching() as seen:
        err = check(ledger)
    assert "台账目录之外" in located(err, "projects/外单位: ")
    assert "台账目录之外" in located(err, "projects/根目录: ")
    assert not touched(seen, secret, Path("/etc"))


def test_the_settings_file_linked_out_is_refused(tmp_path: Path, secret: Path) -> None:
    ledger = copy_example(tmp_path)
    (ledger / "projledger.yaml").unlink()
    (ledger / "projledger.yaml").symlink_to(secret / "keys.yaml")
    with watching() as seen:
        code, out, err = run("status", "--ledger", str(ledger))
    assert code == 1
    assert "指向台账目录之外" in located(err, "projledger.yaml:1: ")
    assert "root:" not in out + err
    assert not touched(seen, secret)


@pytest.mark.parametrize("path", ["../secret/keys.yaml", "/etc/passwd", "..\\secret\\keys.yaml", "C:\\Windows\\win.ini",
                                  "templates/../../secret/keys.yaml"])
def test_procedures_outside_the_ledger_is_an_error(tmp_path: Path, secret: Path, path: str) -> None:
    ledger = copy_example(tmp_path)
    settings = ledger / "projledger.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "\nprocedures:" not in text
    quoted = path.replace("\\", "\\\\")
    settings.write_text(text + f'procedures: "{quoted}"\n', encoding="utf-8")
    line = len(text.splitlines()) + 1
    before = tree(tmp_path, skip=ledger)
    with watching() as seen:
        err = check(ledger, "schedule")
        code, _, new_err = run("new", "2026-cj-901", "--name", "新项目", "--unit", "城关街道", "--ledger", str(ledger))
    assert "不在台账目录内" in located(err, f"projledger.yaml:{line}: ")
    assert "root:" not in err
    assert code == 0, new_err  # `new` only pre-fills steps from the chains: it falls back to the bundled ones
    assert not touched(seen, secret, Path("/etc/passwd"))
    assert tree(tmp_path, skip=ledger) == before


def test_procedures_template_linked_out_is_refused(tmp_path: Path, secret: Path) -> None:
    ledger = copy_example(tmp_path)
    (ledger / "procedures.yaml").symlink_to(secret / "keys.yaml")
    settings = ledger / "projledger.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "procedures: procedures.yaml\n", encoding="utf-8")
    with watching() as seen:
        err = check(ledger)
    assert "指向台账目录之外" in located(err, "procedures.yaml:1: ")
    assert not touched(seen, secret)


def test_a_symlink_inside_the_ledger_is_still_followed(tmp_path: Path) -> None:
    ledger = copy_example(tmp_path)
    first = sorted((ledger / "projects").rglob("*.yaml"))[0]
    (ledger / "shared").mkdir()
    moved = ledger / "shared" / first.name
    first.rename(moved)
    first.symlink_to(os.path.relpath(moved, first.parent))
    code, out, err = run("check", "--ledger", str(ledger))
    assert code == 0, err


def test_missing_projects_folder_is_an_error(tmp_path: Path) -> None:
    ledger = copy_example(tmp_path)
    for path in sorted(ledger.rglob("*"), reverse=True):
        if "projects" in path.relative_to(ledger).parts:
            path.unlink() if not path.is_dir() else path.rmdir()
    for command in ("check", "export", "status"):
        code, out, err = run(command, "--ledger", str(ledger), cwd=tmp_path)
        assert code == 1, out + err
        assert "找不到 projects/ 目录" in located(err, "projects: ")
    assert not list(tmp_path.glob("*.xlsx"))
    (ledger / "projects").write_text("not a folder", encoding="utf-8")
    code, _, err = run("check", "--ledger", str(ledger))
    assert code == 1 and "projects 不是目录" in located(err, "projects: ")


def test_stale_temp_files_are_reported_and_cleaned(tmp_path: Path) -> None:
    ledger = copy_example(tmp_path)
    project = sorted((ledger / "projects").rglob("*.yaml"))[0]
    stale = project.with_name(f".{project.name}.ab12cd_9.tmp")
    stale.write_text("id: half", encoding="utf-8")
    code, _, err = run("check", "--ledger", str(ledger))
    assert code == 0
    rel = stale.relative_to(ledger).as_posix()
    assert "写入中断后留下的临时文件" in located(err, f"{rel}:1: 警告: ")

    from projledger.ledger.fsio import STALE_SECONDS, atomic_write_text

    fresh = project.with_name(f".{project.name}.zz12cd_9.tmp")
    fresh.write_text("id: being written", encoding="utf-8")
    old = stale.stat().st_mtime - STALE_SECONDS - 60
    os.utime(stale, (old, old))
    atomic_write_text(project, project.read_text(encoding="utf-8"))
    assert not stale.exists()  # a killed write's leftover goes with the next write of that file
    assert fresh.exists()  # a recent one may belong to a write still running
