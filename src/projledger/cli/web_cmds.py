"""The dashboard in a browser: report (one self-contained HTML file) and serve (the same pages, live, read-only)."""

import errno
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from projledger.cli import (
    LedgerOpt,
    MonthOpt,
    command,
    err,
    fail,
    load,
    out,
    resolve_month,
    use_cache,
    warn,
    working,
)
from projledger.ledger.errors import UsageError

MaskOpt = Annotated[bool, typer.Option("--mask", help="脱敏：不含金额和包抓领导姓名（在更大范围的会议上投影时用）。")]
LOOPBACK = "127.0.0.1"

if TYPE_CHECKING:
    from projledger.figures.rollup import Rollup


@command("report")
def report_cmd(
    month: MonthOpt = None,
    mask: MaskOpt = False,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="输出文件（.html）；默认在当前目录生成“{区县}{年}年{月}月重点项目看板.html”。",
        show_default=False)] = None,
    rollup: Annotated[str | None, typer.Option(
        "--rollup", metavar="FILE", help="rollup.yaml：看板另加“全市排名”（按本看板的月份排名）。",
        show_default=False)] = None,
    ledger: LedgerOpt = None,
) -> None:
    """生成看板网页：一个 HTML 文件，离线可用（不联网），手机、投影和打印都能看。

    示例：projledger report --ledger ledgers/example --month 2026-10 -o 看板.html
    """
    from projledger.ledger.fsio import atomic_write_text
    from projledger.ledger.gitsource import head_provenance
    from projledger.outputs.web.page import default_name, page_input, render

    loaded = load(ledger)
    with working("正在计算并生成看板网页…", len(loaded.projects)):
        the_month = resolve_month(loaded, month)
        inp = page_input(loaded, the_month, mask=mask, source=head_provenance(loaded.root))
        if rollup is not None:
            inp = replace(inp, rollup=roll_up(rollup, loaded.settings.year, the_month))
        path = output if output is not None else Path(default_name(inp.month, mask))
        if path.suffix.lower() not in (".html", ".htm"):
            raise UsageError(f"输出文件应以 .html 结尾：{path}")
        atomic_write_text(path, render(inp))
    warn(inp.schedule.warnings)
    out.print(f"已生成 {path}（{inp.month.month}，{len(inp.month.projects)} 个项目{'，脱敏' if mask else ''}）",
              markup=False)


@command("serve")
def serve_cmd(
    port: Annotated[int, typer.Option("--port", min=0, max=65535, metavar="端口号", help="端口（0-65535）。")] = 8000,
    host: Annotated[str | None, typer.Option(
        "--host", help="监听地址；默认只在本机 127.0.0.1。写 0.0.0.0 等地址会让局域网内其他电脑也能看到台账。",
        show_default=False)] = None,
    mask: MaskOpt = False,
    ledger: LedgerOpt = None,
) -> None:
    """在本机浏览器中查看看板（只读）：可切换月份，台账文件修改后自动刷新。

    示例：projledger serve --ledger ledgers/example --port 8000
    """
    try:
        from projledger.outputs.web.server import create_app, run
    except ImportError:
        fail('serve 需要网页服务组件，请先安装：python -m pip install "projledger[web]"（report 命令不需要）')
    from projledger.ledger.root import find_root

    root = find_root(ledger)
    bind = host if host is not None else LOOPBACK
    if host is not None and host not in (LOOPBACK, "localhost"):
        err.print(f"警告：看板监听在 {bind}，同一网络中的其他电脑都能打开它并看到台账内容"
                  f"{'' if mask else '（含金额和领导姓名；可加 --mask 脱敏）'}。只在确有需要时这样做。",
                  markup=False, style="bold red")
    _check_port(bind, port)
    shown = f"[{bind}]" if ":" in bind else bind
    out.print(f"看板（只读）：http://{shown}:{port}/  台账 {root}；按 Ctrl+C 停止。", markup=False)
    app = create_app(root, mask=mask, use_cache=use_cache(), loopback=host is None or host in (LOOPBACK, "localhost"))
    run(app, bind, port)


def roll_up(path: str, year: int, month: str) -> "Rollup":
    """The roll-up of `path` at the page's month; its members must keep the ledger's year."""
    from projledger.cli.rollup_cmds import load_members
    from projledger.figures.rollup import compute_rollup
    from projledger.ledger.errors import InputError

    data = load_members([path])
    if data.year != year:
        raise InputError(f"{path} 的成员台账是 {data.year} 年的，本台账是 {year} 年的，不能放进同一份看板")
    return compute_rollup(data, month)


def _check_port(host: str, port: int) -> None:
    """Fail in Chinese before the server starts when the address cannot be bound (in use, no such address)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except socket.gaierror:
        fail(f"错误：无法在 {host}:{port} 上启动看板：找不到这个主机名或地址（--host）")
    except OSError as exc:
        reasons = {errno.EADDRINUSE: "端口已被占用，请换一个端口（--port）",
                   errno.EADDRNOTAVAIL: "本机没有这个地址（--host 应为本机的一个地址）",
                   errno.EACCES: "没有权限使用这个端口（1024 以下的端口需要管理员权限）"}
        reason = reasons.get(exc.errno or 0) or exc.strerror or str(exc)
        fail(f"错误：无法在 {host}:{port} 上启动看板：{reason}")
