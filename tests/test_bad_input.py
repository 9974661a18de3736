"""Bad input never crashes the tool: each case under tests/bad/ ends in `file:line: message`, exit 1.

tests/bad/ is itself a ledger (a valid projledger.yaml and one broken file per case under projects/),
so `projledger check --ledger tests/bad` shows every case at once. Each case is also checked alone, in
a ledger of its own, for its exact line and message. tests/bad/meant/ holds the YAML 1.1 surprises that
are read exactly as the user meant; tests/bad/settings/ holds broken projledger.yaml files. Cases that
need a huge file, a symlink or permissions are built in tmp_path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projledger.cli import app
from projledger.ledger.load import load_ledger
from projledger.ledger.yamlio import parse

runner = CliRunner()
BAD = Path(__file__).resolve().parent / "bad"

# (file under tests/bad/projects, line, a key part of the message)
PROJECT_CASES = [
    ("duplicate-key.yaml", 14, "重复的键“leader”"),
    ("alias.yaml", 12, "不支持 YAML 锚点/别名（& 和 *）"),
    ("alias-bomb.yaml", 2, "不支持 YAML 锚点/别名"),
    ("kind-no.yaml", 6, "kind: 应为以下之一：'新开工'、'续建'、'前期'，实际是“no”"),
    ("unknown-key-status.yaml", 12, "未知字段“status”"),
    ("completed-clock.yaml", 14, "“12:30”不是金额；金额请写成数字（万元）"),
    ("completed-exponent.yaml", 14, "“1.23E+07”是科学计数法；请写成普通数字（万元）"),
    ("completed-unit.yaml", 14, "“5200万元”不是金额数字；请写成数字（万元）"),
    ("completed-comma.yaml", 14, "“1,200”不是金额数字"),
    ("completed-decreasing.yaml", 16, "累计完成 400 少于 2026-08 的 500"),
    ("money-negative.yaml", 10, "investment.annual_plan: 不能小于 0"),
    ("money-huge.yaml", 9, "数字位数过多（60 位）"),
    ("money-too-fine.yaml", 10, "小数位太多；金额（万元）最多保留 6 位小数"),
    ("fullwidth-colon.yaml", 13, "发现全角冒号“：”，请改成半角冒号加空格“: ”"),
    ("month-short.yaml", 13, "“2026-9”不是月份；月份请写作 YYYY-MM（两位月份），如 2026-09"),
    ("month-dot.yaml", 13, "“2026.09”不是月份；月份请写作 YYYY-MM"),
    ("date-slash.yaml", 11, "“2026/10/1”不是日期；日期请写作 YYYY-MM-DD，如 2026-10-01"),
    ("date-invalid.yaml", 11, "“2026-02-30”不是有效日期"),
    ("date-with-time.yaml", 11, "只写日期，不写时间"),
    ("tab-indent.yaml", 13, "请用空格缩进，不要用 Tab"),
    ("python-tag.yaml", 12, "不支持 YAML 标签“!!python/object/apply:os.system”"),
    ("binary-tag.yaml", 12, "不支持 YAML 标签“!!binary”"),
    ("two-documents.yaml", 12, "一个文件只能有一个 YAML 文档"),
    ("key-not-text.yaml", 12, "键必须是简单的文字"),
    ("control-char.yaml", 12, "含有不可见的控制字符"),
    ("deep-nesting.yaml", 12, "嵌套层数过深"),
    ("empty.yaml", 1, "空文件；台账文件应为“键: 值”的映射"),
    ("list.yaml", 2, "内容是列表；台账文件应为“键: 值”的映射"),
    ("scalar.yaml", 2, "内容是单个值；台账文件应为“键: 值”的映射"),
    ("gbk.yaml", 2, "文件似乎是 GBK 编码，请另存为 UTF-8"),
    ("utf16.yaml", 1, "文件是 UTF-16/Unicode 编码"),
    ("binary.yaml", 3, "不是文本文件（含二进制内容）"),
]

# (file under tests/bad/settings, used as projledger.yaml; line; message)
SETTINGS_CASES = [
    ("duplicate-key.yaml", 7, "重复的键“year”"),
    ("missing-units.yaml", 2, "units: 缺少必填字段"),
    ("year-text.yaml", 3, "year: 应为整数"),
    ("warning-text.yaml", 8, "warning.yellow_below: 应为数字"),
    ("list.yaml", 2, "内容是列表"),
    ("empty.yaml", 1, "空文件"),
    ("syntax.yaml", 6, "方括号 [ ] 没有配对"),
    ("gbk.yaml", 1, "文件似乎是 GBK 编码，请另存为 UTF-8"),
]


def check(root: Path) -> tuple[int, str]:
    """`projledger check --ledger ROOT` as the user runs it; never a traceback."""
    result = runner.invoke(app, ["check", "--ledger", str(root)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def ledger_with(tmp_path: Path, *files: Path, settings: Path = BAD / "projledger.yaml") -> Path:
    root = tmp_path / "ledger"
    (root / "projects").mkdir(parents=True)
    shutil.copyfile(settings, root / "projledger.yaml")
    for f in files:
        shutil.copyfile(f, root / "projects" / f.name)
    return root


def line_of(output: str, where: str) -> str:
    hits = [line for line in output.splitlines() if line.startswith(where)]
    assert len(hits) == 1, output
    return hits[0]


def test_every_case_has_a_file_and_every_file_a_case() -> None:
    assert sorted(name for name, _, _ in PROJECT_CASES) == sorted(p.name for p in (BAD / "projects").iterdir())
    assert sorted(name for name, _, _ in SETTINGS_CASES) == sorted(p.name for p in (BAD / "settings").iterdir())


@pytest.mark.parametrize(("name", "line", "message"), PROJECT_CASES, ids=[c[0] for c in PROJECT_CASES])
def test_bad_project_file(tmp_path: Path, name: str, line: int, message: str) -> None:
    root = ledger_with(tmp_path, BAD / "projects" / name)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    code, output = check(root)
    assert code == 1, output
    assert message in line_of(output, f"projects/{name}:{line}: ")
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before  # nothing written


@pytest.mark.parametrize(("name", "line", "message"), SETTINGS_CASES, ids=[c[0] for c in SETTINGS_CASES])
def test_bad_settings_file(tmp_path: Path, name: str, line: int, message: str) -> None:
    root = ledger_with(tmp_path, BAD / "meant" / "007.yaml", settings=BAD / "settings" / name)
    code, output = check(root)
    assert code == 1, output
    assert message in line_of(output, f"projledger.yaml:{line}: ")


def test_one_run_reports_every_broken_file() -> None:
    code, output = check(BAD)
    assert code == 1
    for name, line, message in PROJECT_CASES:
        assert message in line_of(output, f"projects/{name}:{line}: ")
    assert f"{len(PROJECT_CASES)} 个错误" in output


def test_yaml_1_1_surprises_are_read_as_meant(tmp_path: Path) -> None:
    root = ledger_with(tmp_path, *sorted((BAD / "meant").iterdir()))
    code, output = check(root)
    assert code == 0, output
    ledger, errors = load_ledger(root)
    assert ledger is not None and not errors
    by_id = {p.id: p for p in ledger.projects}
    assert set(by_id) == {"007", "010", "1e3", "bom", "text-no", "fullwidth-digits", "decimal-money"}
    assert (by_id["text-no"].leader, by_id["text-no"].owner) == ("no", "yes")
    assert by_id["fullwidth-digits"].progress[0].completed == Decimal("123.5")
    money = by_id["decimal-money"]
    assert money.progress[0].completed == Decimal("0.1") and money.investment.annual_plan == Decimal("1000.10")
    assert by_id["bom"].name == "测试项目"


def test_alias_bomb_is_refused_at_once() -> None:
    text = (BAD / "projects" / "alias-bomb.yaml").read_text(encoding="utf-8")
    assert len(text.encode()) < 1000
    start = time.perf_counter()
    parsed = parse(text)
    assert time.perf_counter() - start < 2
    assert parsed.data is None and "锚点/别名" in parsed.problems[0][1]


def test_deep_nesting_does_not_crash_the_process() -> None:
    # libyaml's composer recurses in C; 200 000 levels used to end the interpreter with a segfault.
    for text in ("[" * 200_000, "a: " + "{a: " * 100_000, "- " * 100_000 + "x"):
        start = time.perf_counter()
        parsed = parse(text)
        assert time.perf_counter() - start < 2
        assert parsed.data is None and parsed.problems[0][0] is not None


def test_huge_file_is_refused_by_size_without_parsing(tmp_path: Path) -> None:
    root = ledger_with(tmp_path, BAD / "meant" / "007.yaml")
    big = root / "projects" / "big.yaml"
    with big.open("wb") as handle:
        handle.write(b"id: big\n")
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NULs costs no disk
    start = time.perf_counter()
    code, output = check(root)
    assert time.perf_counter() - start < 2
    assert code == 1
    assert "文件过大（50.0 MB），一个台账文件不应超过 5 MB" in line_of(output, "projects/big.yaml:1: ")
    assert "（1 个通过校验）" in output  # the rest is still checked


def test_symlink_loops_and_dangling_links_are_reported(tmp_path: Path) -> None:
    root = ledger_with(tmp_path, BAD / "meant" / "007.yaml")
    projects = root / "projects"
    (projects / "城关街道").mkdir()
    (projects / "城关街道" / "loop").symlink_to("..", target_is_directory=True)
    (projects / "a.yaml").symlink_to("b.yaml")
    (projects / "b.yaml").symlink_to("a.yaml")
    (projects / "gone.yaml").symlink_to("nowhere.yaml")
    code, output = check(root)
    assert code == 1
    assert "符号链接循环：此目录已读过，已跳过" in line_of(output, "projects/城关街道/loop: ")
    assert "无法读取文件：符号链接循环" in line_of(output, "projects/a.yaml:1: ")
    assert "无法读取文件：符号链接循环" in line_of(output, "projects/b.yaml:1: ")
    assert "无法读取文件：文件不存在" in line_of(output, "projects/gone.yaml:1: ")
    assert "（1 个通过校验）" in output


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    root = ledger_with(tmp_path, BAD / "meant" / "007.yaml", BAD / "meant" / "010.yaml")
    locked = root / "projects" / "010.yaml"
    locked.chmod(0)
    try:
        code, output = check(root)
    finally:
        locked.chmod(0o644)
    assert code == 1
    assert "无法读取文件：没有读取权限" in line_of(output, "projects/010.yaml:1: ")


def test_folder_named_like_a_project_file_is_walked_not_read(tmp_path: Path) -> None:
    root = ledger_with(tmp_path, BAD / "meant" / "007.yaml")
    (root / "projects" / "x.yaml").mkdir()
    code, output = check(root)
    assert code == 0, output


def test_locale_does_not_change_reading_or_output(tmp_path: Path) -> None:
    root = ledger_with(tmp_path, BAD / "projects" / "gbk.yaml", BAD / "meant" / "007.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHON"))}
    env.update(LANG="C", LC_ALL="C", PYTHONUTF8="0", PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-m", "projledger", "check", "--ledger", str(root)],
                          env=env, capture_output=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr
    assert "projects/gbk.yaml:2: 文件似乎是 GBK 编码" in done.stderr.decode("utf-8")
