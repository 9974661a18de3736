"""`report`: one self-contained HTML file, as a user makes it (no browser here; see test_web_browser)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledgerkit import project, report, write_ledger
from projledger.cli import app
from projledger.figures.metrics import compute
from projledger.figures.ranking import previous_month, rank_changes
from projledger.ledger.load import load_ledger
from projledger.outputs.web.page import script_json

runner = CliRunner()
# U+2028/U+2029 (which would break the page's script) are refused in a ledger as control characters; the
# page escapes them anyway (`script_json`, tested below with them).
HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>&amp;{{x}}"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def embedded(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="pl-data">(.*?)</script>', html, re.S)
    assert match, "no embedded data"
    return json.loads(match.group(1))


def test_report_is_one_offline_file(example_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "看板.html"
    code, output = run("report", "--ledger", str(example_root), "--month", "2026-09", "-o", str(out))
    assert code == 0, output
    assert f"已生成 {out}（2026-09，51 个项目）" in output
    html = out.read_text(encoding="utf-8")
    # Nothing outside the file: no external script, stylesheet, image, font or frame in the markup (what
    # the scripts do at run time is watched in a real browser, test_web_browser).
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "<script></script>", html, flags=re.S)
    assert markup.count("<script") == 3
    assert not re.search(r"<(script|img|iframe|link|source|video|audio|embed|object)\b[^>]*\b(src|href)=", markup, re.I)
    assert "@import" not in html and "url(http" not in html
    assert "connect-src 'none'" in html and "default-src 'none'" in html
    assert 't.version="5.6.0"' in html  # the vendored Apache ECharts is inline
    data = embedded(html)
    assert data["meta"]["month"] == "2026-09" and data["meta"]["previous_month"] == "2026-08"
    assert [u["name"] for u in data["units"]] == [u["unit"] for u in _status(example_root, "2026-09")["units"]]


def _status(root: Path, month: str) -> dict:
    result = runner.invoke(app, ["status", "--ledger", str(root), "--month", month, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_default_name_and_suffix(example_root: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run("report", "--ledger", str(example_root))
    assert code == 0, output
    assert (tmp_path / "示例区2026年10月重点项目看板.html").is_file()
    code, output = run("report", "--ledger", str(example_root), "--mask")
    assert code == 0 and (tmp_path / "示例区2026年10月重点项目看板（脱敏）.html").is_file()
    code, output = run("report", "--ledger", str(example_root), "-o", "看板.xlsx")
    assert code == 2 and "应以 .html 结尾" in output
    code, output = run("report", "--ledger", str(example_root), "--month", "2025-09", "-o", "a.html")
    assert code == 2 and "不在台账年度" in output


def test_masked_file_holds_no_money_and_no_leader(example_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "mask.html"
    assert run("report", "--ledger", str(example_root), "--mask", "-o", str(out))[0] == 0
    html = out.read_text(encoding="utf-8")
    data = embedded(html)
    status = _status(example_root, "2026-10")
    leaders = {p["leader"] for p in status["projects"] if p["leader"]}
    assert leaders and not [name for name in leaders if name in html]
    assert data["meta"]["masked"] is True
    money_keys = {"annual_plan", "completed", "cumulative", "total", "target", "before_year"}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            assert not money_keys & node.keys(), sorted(money_keys & node.keys())
            assert "leader" not in node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    t = status["totals"]
    for amount in (t["annual_plan"], t["completed"], t["total"]):
        assert f"{amount:,.2f}" not in html and str(amount) not in html


def test_hostile_text_cannot_leave_the_data_element(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", [project("x1", name=HOSTILE, leader=HOSTILE, content=HOSTILE,
                                                 progress=[report("2026-03", 10, HOSTILE, problems=[
                                                     {"type": HOSTILE, "text": HOSTILE, "due": "2026-02-01"}])])],
                        district=HOSTILE)
    out = tmp_path / "h.html"
    code, output = run("report", "--ledger", str(root), "-o", str(out))
    assert code == 0, output
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    data_text = re.search(r'id="pl-data">(.*?)</script>', html, re.S).group(1)
    assert not re.search("[<>&\u2028\u2029]", data_text)
    assert html.count("</script>") == 3  # the data, ECharts and the page script: nothing else closes one
    assert embedded(html)["projects"][0]["name"] == HOSTILE
    assert "<title>&lt;/script&gt;" in html


def test_script_json_escapes_every_breaker() -> None:
    text = script_json({"a": "</script><!--\u2028\u2029&"})
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"a": "</script><!--\u2028\u2029&"}


def test_report_names_the_git_commit(example_root: Path, tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git 未安装")
    root = tmp_path / "repo" / "ledger"
    shutil.copytree(example_root, root)
    git = ["git", "-C", str(root.parent), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "十月台账"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    out = tmp_path / "k.html"
    assert run("report", "--ledger", str(root), "-o", str(out))[0] == 0
    source = embedded(out.read_text(encoding="utf-8"))["meta"]["source"]
    assert source["commit"] == head and source["subject"] == "十月台账" and source["dirty"] is False
    (root / "projledger.yaml").write_text((root / "projledger.yaml").read_text(encoding="utf-8") + "\n",
                                          encoding="utf-8")  # an uncommitted change
    assert run("report", "--ledger", str(root), "-o", str(out))[0] == 0
    assert embedded(out.read_text(encoding="utf-8"))["meta"]["source"]["dirty"] is True
    plain = tmp_path / "plain"
    shutil.copytree(example_root, plain)
    out2 = tmp_path / "p.html"
    assert run("report", "--ledger", str(plain), "-o", str(out2))[0] == 0
    assert embedded(out2.read_text(encoding="utf-8"))["meta"]["source"] is None


def test_rank_change_against_the_previous_month(example_root: Path) -> None:
    ledger, _ = load_ledger(example_root)
    assert ledger is not None
    now, before = compute(ledger, "2026-10"), compute(ledger, "2026-09")
    changes = rank_changes(now, before)
    for g in now.units:
        old = next(b.rank for b in before.units if b.name == g.name)
        assert changes[g.name] == old - g.rank
    assert previous_month("2026-01") is None and previous_month("2026-10") == "2026-09"
    assert set(rank_changes(compute(ledger, "2026-01"), None).values()) == {None}


def test_broken_ledger_is_refused_with_located_errors(example_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "bad"
    shutil.copytree(example_root, root)
    victim = next((root / "projects").rglob("*.yaml"))
    victim.write_text(victim.read_text(encoding="utf-8").replace("annual_plan:", "annual_plan: -", 1), encoding="utf-8")
    code, output = run("report", "--ledger", str(root), "-o", str(tmp_path / "x.html"))
    assert code == 1 and ".yaml:" in output and not (tmp_path / "x.html").exists()


def test_page_script_never_parses_text_as_markup() -> None:
    static = Path(__file__).resolve().parents[1] / "src" / "projledger" / "outputs" / "web" / "static"
    for part in static.glob("*.js"):
        code = part.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in code, (part.name, sink)
