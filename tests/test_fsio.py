"""Atomic writes: a failed or interrupted write leaves the old file byte-identical and no temp file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

import pytest

from projledger.ledger.errors import WriteRefusedError
from projledger.ledger.fsio import atomic_write, atomic_write_text

OLD = "id: 2026-cj-001\nname: 南大街提升改造工程\n".encode()


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "2026-cj-001.yaml"
    path.write_bytes(OLD)
    path.chmod(0o640)
    return path


def only_file(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("exc", [ValueError("bad"), KeyboardInterrupt()])
def test_exception_inside_the_callback_keeps_the_old_file(target: Path, exc: BaseException) -> None:
    def write(handle: BinaryIO) -> None:
        handle.write(b"half a fi")
        raise exc

    with pytest.raises(type(exc)):
        atomic_write(target, write)
    assert target.read_bytes() == OLD
    assert only_file(target.parent) == [target.name]


def test_crash_at_the_rename_keeps_the_old_file(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        atomic_write_text(target, "id: new\n")
    assert target.read_bytes() == OLD
    assert only_file(target.parent) == [target.name]


def test_crash_before_fsync_keeps_the_old_file(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(fd: int) -> None:
        raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError):
        atomic_write_text(target, "id: new\n")
    assert target.read_bytes() == OLD
    assert only_file(target.parent) == [target.name]


def test_success_replaces_content_and_keeps_permissions(target: Path) -> None:
    atomic_write_text(target, "name: 新名称\n")
    assert target.read_bytes() == "name: 新名称\n".encode()
    assert target.stat().st_mode & 0o777 == 0o640
    assert only_file(target.parent) == [target.name]


def test_text_is_always_utf8_whatever_the_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C")
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setenv("PYTHONIOENCODING", "latin-1")
    path = tmp_path / "new.yaml"
    atomic_write_text(path, "image: 完成路基施工60%\n")
    assert path.read_bytes() == "image: 完成路基施工60%\n".encode()


def test_open_workbook_is_not_replaced(tmp_path: Path) -> None:
    book = tmp_path / "调度表.xlsx"
    book.write_bytes(b"old")
    (tmp_path / "~$调度表.xlsx").write_bytes(b"lock")
    with pytest.raises(WriteRefusedError, match="正在被 Excel/WPS 打开"):
        atomic_write(book, lambda h: h.write(b"new"), refuse_if_open=True)
    assert book.read_bytes() == b"old"


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WriteRefusedError, match="目录不存在"):
        atomic_write_text(tmp_path / "nope" / "a.yaml", "x")
