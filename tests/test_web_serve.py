"""`serve` as a user runs it: a real process on a loopback port, read over HTTP and in a browser.

Only loopback addresses are ever contacted. Each server is stopped by the test that started it.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from browser import open_page

pytest.importorskip("starlette", reason="serve 需要 web 扩展（pip install '.[web]'）")
pytest.importorskip("uvicorn", reason="serve 需要 web 扩展（pip install '.[web]'）")

SRC = Path(__file__).resolve().parents[1] / "src"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running `projledger serve` and its output."""

    proc: subprocess.Popen[str]
    port: int

    def request(self, method: str, path: str = "/", host: str | None = None) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": host} if host else {}
        conn.request(method, path, headers=headers)
        resp = conn.getresponse()
        body = resp.read().decode("utf-8")
        conn.close()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body

    def version(self) -> str:
        return json.loads(self.request("GET", "/api/version")[2])["version"]

    def changed(self, old: str) -> str:
        """The new version once the server has seen a change (it looks at most once a second)."""
        deadline = time.monotonic() + 10
        while (new := self.version()) == old and time.monotonic() < deadline:
            time.sleep(0.2)
        return new


def start(root: Path, *extra: str) -> Server:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "projledger", "serve", "--ledger", str(root), "--port", str(port),
                             *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    server = Server(proc, port)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve ended: {proc.stdout.read() if proc.stdout else ''}")
        try:
            server.request("HEAD", "/api/version")
            return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise AssertionError("serve did not answer within 30 s")


def stop(server: Server) -> str:
    server.proc.terminate()
    try:
        out, _ = server.proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        out, _ = server.proc.communicate()
    return out or ""


@pytest.fixture
def ledger(tmp_path: Path, example_root: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(example_root, root)
    return root


@pytest.fixture
def served(ledger: Path) -> Iterator[Server]:
    server = start(ledger)
    yield server
    stop(server)


def listening_on(port: int) -> set[str]:
    """Local addresses bound to `port`, from /proc/net/tcp (Linux); empty elsewhere."""
    found = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.rsplit(":", 1)
            if int(hexport, 16) == port and state == "0A":  # LISTEN
                found.add(addr)
    return found


def test_serve_answers_on_loopback_and_is_read_only(served: Server) -> None:
    status, headers, body = served.request("GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert 'id="pl-data"' in body and "connect-src 'self'" in body
    status, headers, body = served.request("HEAD", "/")
    assert status == 200 and body == ""
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"):
        for path in ("/", "/api/version", "/nothing"):
            status, headers, body = served.request(method, path)
            assert status == 405, (method, path)
            assert headers["allow"] == "GET, HEAD" and "只读" in body
    if Path("/proc/net/tcp").exists():
        assert listening_on(served.port) == {"0100007F"}  # 127.0.0.1 only
    # A page elsewhere reaching us by DNS rebinding sends its own name as Host: refused.
    assert served.request("GET", "/", host="evil.example")[0] == 400
    assert served.request("GET", "/", host=f"localhost:{served.port}")[0] == 200


def test_month_parameter_and_bad_month(served: Server) -> None:
    status, _, body = served.request("GET", "/?month=2026-03")
    assert status == 200 and '"month":"2026-03"' in body
    status, _, body = served.request("GET", "/?month=2025-13")
    assert status == 400 and "月份有误" in body and "Traceback" not in body


def test_reloads_when_a_ledger_file_changes_and_shows_errors(served: Server, ledger: Path) -> None:
    before = served.version()
    victim = next((ledger / "projects").rglob("*.yaml"))
    text = victim.read_text(encoding="utf-8")
    name = re.search(r"^name: (.+)$", text, re.M).group(1)
    victim.write_text(text.replace(f"name: {name}", "name: 改过名字的项目"), encoding="utf-8")
    after = served.changed(before)
    assert after != before
    body = served.request("GET", "/")[2]
    assert "改过名字的项目" in body and name not in body
    victim.write_text(text.replace("annual_plan:", "annual_plan: -", 1), encoding="utf-8")
    served.changed(after)
    status, _, body = served.request("GET", "/")
    assert status == 200 and "台账有 1 个错误" in body
    rel = victim.relative_to(ledger).as_posix()
    assert re.search(re.escape(rel) + r":\d+: ", body), body[-2000:]
    assert "Traceback" not in body
    broken = served.version()
    victim.write_text(text, encoding="utf-8")
    served.changed(broken)
    assert 'id="pl-data"' in served.request("GET", "/")[2]


def test_host_option_warns_loudly(ledger: Path) -> None:
    server = start(ledger, "--host", "0.0.0.0", "--mask")
    try:
        assert server.request("GET", "/", host="192.0.2.1")[0] == 200  # any Host: the user chose to share
        body = server.request("GET", "/")[2]
        assert '"masked":true' in body
    finally:
        out = stop(server)
    assert "警告：看板监听在 0.0.0.0" in out and "其他电脑都能打开" in out


def test_port_in_use_is_a_chinese_error(ledger: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        done = subprocess.run([sys.executable, "-m", "projledger", "serve", "--ledger", str(ledger), "--port", str(port)],
                              env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "端口已被占用" in done.stderr and "Traceback" not in done.stderr


def test_without_the_web_extra_serve_says_what_to_install(ledger: Path) -> None:
    code = ("import sys; sys.modules['uvicorn'] = None; sys.modules['starlette'] = None\n"
            "from projledger.cli import main\n"
            f"sys.argv = ['projledger', 'serve', '--ledger', {str(ledger)!r}]\nmain()")
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(SRC)},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and 'pip install "projledger[web]"' in done.stderr
    assert "Traceback" not in done.stderr


def test_served_page_in_a_browser_switches_month_and_reloads(browser: Any, served: Server, ledger: Path) -> None:
    w = open_page(browser, f"http://127.0.0.1:{served.port}/")
    page = w.page
    assert "截至 2026-10-31" in page.locator("header").inner_text()
    with page.expect_navigation():
        page.select_option("#month-switch", "2026-09")
    page.wait_for_selector("html[data-ready]")
    assert "截至 2026-09-30" in page.locator("header").inner_text()
    assert page.url.endswith("?month=2026-09")
    victim = next((ledger / "projects").rglob("*.yaml"))
    text = victim.read_text(encoding="utf-8")
    name = re.search(r"^name: (.+)$", text, re.M).group(1)
    victim.write_text(text.replace(f"name: {name}", "name: 实时刷新的项目"), encoding="utf-8")
    page.wait_for_function("() => document.body.textContent.includes('实时刷新的项目')", timeout=20000)
    assert all(u.startswith(f"http://127.0.0.1:{served.port}/") for u in w.requests), w.requests
    w.clean()


def test_unknown_host_or_foreign_address_is_a_chinese_error(ledger: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for host, words in (("nosuchhost.invalid", "找不到这个主机名"), ("192.0.2.1", "本机没有这个地址")):
        done = subprocess.run([sys.executable, "-m", "projledger", "serve", "--ledger", str(ledger), "--host", host,
                               "--port", "0"], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1 and words in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and "Name or service" not in done.stderr
