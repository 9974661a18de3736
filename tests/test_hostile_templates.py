"""A ledger's own bulletin template runs no code, reads nothing outside templates/, and cannot hang (#11.1).

Each file under tests/bad/hostile/templates/ is put in a small ledger as templates/brief.md.j2 and `brief`
is run: the answer is a located Chinese error (`templates/brief.md.j2:LINE: 通报模板…`), exit 1, no file
created by the payload (PWNED), nothing outside the ledger opened, and no more than the time limit.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from hostilekit import HOSTILE, all_chinese, located, run, touched, tree, watching
from ledgerkit import project, report, write_ledger
from projledger.outputs import bounded

TEMPLATES = HOSTILE / "templates"

# (payload file, line of the error, part of the message after "通报模板")
CASES = [
    ("exec-cycler.md.j2", 2, "试图访问不允许的内容"),
    ("exec-joiner.md.j2", 3, "试图访问不允许的内容"),
    ("exec-namespace.md.j2", 1, "试图访问不允许的内容"),
    ("exec-subclasses.md.j2", 2, "试图访问不允许的内容"),
    ("exec-self-context.md.j2", 1, "试图访问不允许的内容"),
    ("exec-lipsum.md.j2", 2, "未知的名称或属性"),
    ("read-model-method.md.j2", 2, "试图访问不允许的内容"),
    ("call-model-method.md.j2", 3, "试图访问不允许的内容"),
    ("mutate-figures.md.j2", 2, "试图访问不允许的内容"),
    ("include-absolute.md.j2", 2, "引用的“/etc/passwd”不是台账 templates/ 目录中的文件"),
    ("include-parent.md.j2", 2, "引用的“../projledger.yaml”不是台账 templates/ 目录中的文件"),
    ("import-parent.md.j2", 2, "不是台账 templates/ 目录中的文件"),
    ("extends-windows.md.j2", 1, "不是台账 templates/ 目录中的文件"),
    ("include-self.md.j2", 2, "递归过深"),
    ("macro-recursion.md.j2", 1, "递归过深"),
    ("loop-range.md.j2", 2, "循环次数过多"),
    ("loop-forever.md.j2", 2, "运行超过"),
    ("text-repeat.md.j2", 2, "生成的文字过长"),
    ("power.md.j2", 2, "乘方结果过大"),
    ("percent-width.md.j2", 2, "格式宽度过大"),
    ("format-width.md.j2", 2, "格式宽度过大"),
    ("center-width.md.j2", 2, "宽度 999999999 过大"),
    ("ljust-width.md.j2", 2, "宽度 999999999 过大"),
    ("concat-bomb.md.j2", 2, "已停止"),
    ("output-flood.md.j2", 2, "生成的内容超过"),
    ("undefined.md.j2", 2, "未知的名称或属性"),
    ("syntax.md.j2", 2, "语法错误"),
]


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    projects = [
        project("2026-a-001", name="南大街|改造<script>", progress=[report("2026-09", 400, "路基")]),
        project("2026-a-002", unit="乙街道", progress=[report("2026-09", 200, "主体")]),
    ]
    return write_ledger(tmp_path / "ledger", projects)


def test_every_payload_file_has_a_case() -> None:
    names = {name for name, _, _ in CASES} | {"other-engines.md.j2"}
    assert names == {p.name for p in TEMPLATES.iterdir()}


@pytest.mark.parametrize(("name", "line", "message"), CASES, ids=[c[0] for c in CASES])
def test_hostile_template_is_refused_at_its_line(ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 name: str, line: int, message: str) -> None:
    monkeypatch.setattr(bounded, "TIME_LIMIT", 1.0)
    (ledger / "templates").mkdir()
    shutil.copyfile(TEMPLATES / name, ledger / "templates" / "brief.md.j2")
    before = tree(tmp_path)
    with watching() as seen:
        code, out, err = run("brief", "--ledger", str(ledger), cwd=tmp_path)
    assert code == 1, err
    assert out == ""
    assert message in located(err, f"templates/brief.md.j2:{line}: 通报模板")
    all_chinese(err)
    assert tree(tmp_path) == before  # no PWNED, nothing written anywhere
    assert not touched(seen, Path("/etc/passwd"), Path("/etc/shadow"), tmp_path / "secret")


def test_other_engines_syntax_is_plain_text(ledger: Path, tmp_path: Path) -> None:
    (ledger / "templates").mkdir()
    shutil.copyfile(TEMPLATES / "other-engines.md.j2", ledger / "templates" / "brief.md.j2")
    code, out, err = run("brief", "--ledger", str(ledger), cwd=tmp_path)
    assert code == 0, err
    assert "${__import__('os').system('touch PWNED')}" in out and "<%= `touch PWNED` %>" in out
    assert "{0.__class__}" in out and "#{7*7}" in out
    assert not list(tmp_path.rglob("PWNED"))


def test_include_inside_templates_works_and_a_symlink_out_is_refused(ledger: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "keys.txt").write_text("root:$6$hash:19000:0:99999:7:::\n", encoding="utf-8")
    templates = ledger / "templates"
    (templates / "parts").mkdir(parents=True)
    (templates / "parts" / "head.md.j2").write_text("# {{ district }}通报\n", encoding="utf-8")
    (templates / "brief.md.j2").write_text("{% include 'parts/head.md.j2' %}\n{{ headline }}\n", encoding="utf-8")
    code, out, err = run("brief", "--ledger", str(ledger))
    assert code == 0, err
    assert out.startswith("# 测试区通报\n")

    (templates / "leak.md.j2").symlink_to(secret / "keys.txt")
    (templates / "brief.md.j2").write_text("标题\n\n{% include 'leak.md.j2' %}\n", encoding="utf-8")
    with watching() as seen:
        code, out, err = run("brief", "--ledger", str(ledger))
    assert code == 1
    assert "root:" not in out + err
    assert "不是台账 templates/ 目录中的文件" in located(err, "templates/brief.md.j2:3: 通报模板")
    assert not touched(seen, secret)


def test_the_template_itself_as_a_symlink_out_is_refused(ledger: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("root:$6$hash\n", encoding="utf-8")
    (ledger / "templates").mkdir()
    (ledger / "templates" / "brief.md.j2").symlink_to(tmp_path / "secret.txt")
    with watching() as seen:
        code, out, err = run("brief", "--ledger", str(ledger))
    assert code == 1
    assert "root:" not in out + err
    assert "台账目录之外" in located(err, "templates/brief.md.j2:1: ")
    assert not touched(seen, tmp_path / "secret.txt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_template_does_not_hang(ledger: Path) -> None:
    (ledger / "templates").mkdir()
    os.mkfifo(ledger / "templates" / "brief.md.j2")
    code, _, err = run("brief", "--ledger", str(ledger))
    assert code == 1
    assert "不是普通文件" in located(err, "templates/brief.md.j2:1: ")


def test_ledger_text_is_escaped_in_the_markdown(tmp_path: Path) -> None:
    name = "南大街|改造 # 伪造标题 <script>alert(1)</script> [点我](http://x) *粗*"
    problem = {"type": "拆迁", "text": "商户未签约\n# 伪造标题\n| a | b |\n<img src=x onerror=alert(1)>",
               "owner": "甲街道", "due": "2026-08-31"}
    projects = [
        project("2026-a-001", name=name, kind="新开工", unit="甲街道|乙", leader="- 张三",
                investment={"total": 10000, "annual_plan": 5000}, planned={"start": "2026-03-01"},
                progress=[report("2026-09", 100, "路基", problems=[problem])]),
    ]
    root = write_ledger(tmp_path / "ledger", projects, units=["甲街道|乙", "乙街道"])
    code, out, err = run("brief", "--ledger", str(root))
    assert code == 0, err
    assert not re.search(r"(?<!\\)[<>]", out) and "\n# 伪造" not in out  # no raw HTML, no forged heading
    assert r"南大街\|改造 \# 伪造标题 \<script\>alert(1)\</script\> \[点我\](http://x) \*粗\*" in out
    assert r"商户未签约 \# 伪造标题 \| a \| b \| \<img src=x onerror=alert(1)\>" in out
    table = [line for line in out.splitlines() if line.startswith("| ") and "甲街道" in line]
    assert len(table) == 1 and table[0].count("|") - table[0].count(r"\|") == 10, table  # nine columns


@pytest.mark.parametrize(("name", "message"), [
    ("loop-forever.md.j2", "运行超过 1 秒"), ("loop-range.md.j2", "循环次数过多"), ("output-flood.md.j2", "生成的内容超过"),
    ("exec-cycler.md.j2", "试图访问不允许的内容"), ("text-repeat.md.j2", "生成的文字过长"),
])
def test_without_fork_the_payloads_are_still_stopped(ledger: Path, monkeypatch: pytest.MonkeyPatch, name: str,
                                                      message: str) -> None:
    # Windows has no fork: the same render runs in-process, stopped by the timer and the sandbox's guards.
    monkeypatch.delattr(os, "fork")
    monkeypatch.setattr(bounded, "TIME_LIMIT", 1.0)
    (ledger / "templates").mkdir()
    shutil.copyfile(TEMPLATES / name, ledger / "templates" / "brief.md.j2")
    code, _, err = run("brief", "--ledger", str(ledger))
    assert code == 1
    assert message in located(err, "templates/brief.md.j2:2: 通报模板")


def test_a_replaced_sigint_handler_does_not_keep_a_looping_template_running(
        ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A server (uvicorn) in the same process replaces SIGINT's handler; the in-process time limit still stops.
    import signal

    monkeypatch.delattr(os, "fork")
    monkeypatch.setattr(bounded, "TIME_LIMIT", 1.0)
    previous = signal.signal(signal.SIGINT, lambda *_: None)
    try:
        (ledger / "templates").mkdir()
        shutil.copyfile(TEMPLATES / "loop-forever.md.j2", ledger / "templates" / "brief.md.j2")
        code, _, err = run("brief", "--ledger", str(ledger))
    finally:
        signal.signal(signal.SIGINT, previous)
    assert code == 1 and "运行超过 1 秒" in err
