"""`serve`: the dashboard pages live, read-only, as a small Starlette application.

Read-only by construction: the application answers GET and HEAD and refuses every other method with 405
before any route is looked at; it never writes a file. Every request for a page first compares a stat
fingerprint of the ledger's YAML files (`ledger.watch`) with the one it last loaded and loads again when
they differ, so an edit shows on the next request; the page itself polls `/api/version` and reloads.
A ledger that does not load shows its located errors (`file:line: message`) on the page, never a trace.

Bound to loopback by default (the CLI decides); the Host header is checked against the loopback names
then, so a web page elsewhere cannot reach the ledger through DNS rebinding.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from projledger.figures.metrics import report_month
from projledger.ledger.errors import LedgerError, ProjledgerError, has_errors
from projledger.ledger.gitsource import head_provenance
from projledger.ledger.load import load_ledger
from projledger.ledger.loader import Ledger
from projledger.ledger.watch import fingerprint
from projledger.outputs.web.page import error_page, page_input, render

LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class ReadOnly:
    """ASGI middleware: only GET and HEAD reach the application; anything else is 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse every method but GET and HEAD."""
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
            response = PlainTextResponse("只读看板：只接受 GET 和 HEAD 请求。\n", status_code=405,
                                         headers={"Allow": "GET, HEAD", **SECURITY_HEADERS})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


@dataclass
class LedgerState:
    """The ledger as last loaded, with the fingerprint it was loaded at and the pages built from it."""

    root: Path
    mask: bool = False
    use_cache: bool = False
    version: str = ""
    checked: float = 0.0
    ledger: Ledger | None = None
    errors: list[LedgerError] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def current(self) -> str:
        """Reload when the files changed since the last load; returns the current fingerprint.

        The stat walk runs at most once a second, however many browsers poll.
        """
        now = time.monotonic()
        if self.version and now - self.checked < 1.0:
            return self.version
        version = fingerprint(self.root)
        self.checked = now
        with self.lock:
            if version != self.version:
                ledger, errors = load_ledger(self.root, use_cache=self.use_cache)
                self.ledger, self.errors, self.version, self.pages = ledger, errors, version, {}
        return version

    def page(self, month: str | None, mask: bool) -> tuple[int, str]:
        """(status, HTML) of the page for `month`; errors become a page listing them."""
        version = self.current()
        ledger, errors = self.ledger, self.errors
        if ledger is None or has_errors(errors):
            lines = [str(e) for e in errors if e.is_error] or ["台账无法读取"]
            return 200, error_page(f"台账有 {len(lines)} 个错误", "修正以下错误后才能计算调度数字（与 projledger check 的输出相同）：",
                                   lines, version)
        try:
            chosen = report_month(ledger, month)
        except ProjledgerError as exc:
            return 400, error_page("月份有误", str(exc), [], version)
        key = f"{chosen}:{int(mask)}"
        with self.lock:
            cached = self.pages.get(key)
        if cached is None:
            try:
                cached = render(page_input(ledger, chosen, mask=mask, source=head_provenance(self.root), live=version))
            except ProjledgerError as exc:  # e.g. a procedure template with errors
                return 200, error_page("无法生成看板", str(exc), [], version)
            with self.lock:
                self.pages[key] = cached
        return 200, cached


def create_app(root: Path, *, mask: bool = False, use_cache: bool = False, loopback: bool = True) -> Starlette:
    """The read-only dashboard application for the ledger at `root`."""
    state = LedgerState(root, mask, use_cache)

    # Plain functions: Starlette runs them in its thread pool, so a slow load never blocks the loop.
    def index(request: Request) -> Response:
        month = request.query_params.get("month") or None
        masked = state.mask or request.query_params.get("mask") == "1"
        status, text = state.page(month, masked)
        return HTMLResponse(text, status_code=status, headers=SECURITY_HEADERS)

    def version(request: Request) -> Response:
        return JSONResponse({"version": state.current()}, headers=SECURITY_HEADERS)

    middleware = [Middleware(ReadOnly)]
    if loopback:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=LOOPBACK_HOSTS))
    routes = [Route("/", index, methods=["GET"]), Route("/api/version", version, methods=["GET"])]
    return Starlette(routes=routes, middleware=middleware)


def run(app: Starlette, host: str, port: int) -> None:
    """Serve until Ctrl+C; uvicorn logs only warnings and errors (no access log: the CLI says where it is)."""
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False)
