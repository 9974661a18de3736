"""Running work a ledger controls (rendering its template) bounded in time and memory, whatever it does.

`run_bounded(work, describe)` runs `work()` in a forked child process (POSIX): the child limits its own
address space (`MEMORY_LIMIT` beyond what the parent already uses) and raises `TimeLimit` from a timer
signal after `TIME_LIMIT` seconds, at whatever line the template is running, so the error can name it;
the parent kills a child still stuck inside one C call `GRACE` seconds later. The child sends back the
result (text or bytes) or a `Failure` (file, line, Chinese message) through a pipe, as JSON: nothing it
sends is ever executed or unpickled. Where fork is not available (Windows) or not safe (a process with
threads), the work runs in this process and a timer interrupts the main thread instead; the sandbox's own
guards (bounded operators, a loop budget, an output cap) then carry the rest.

`describe` turns any exception of the work, and `TimeLimit`/`MemoryError` met here, into the `Failure`
the caller wants to show (see `sandbox.render`).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

TIME_LIMIT = 3.0  # seconds: a bulletin of 20,000 projects renders in well under one
GRACE = 2.0  # seconds the parent waits beyond the limit before killing a child that did not stop itself
MEMORY_LIMIT = 1024 * 1024 * 1024  # bytes the child may add to what the parent already uses


class Failure(Exception):
    """A bounded run ended without a result: where (template file, line; None when unknown) and why, in Chinese."""

    def __init__(self, path: str | None, line: int | None, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message


class TimeLimit(Exception):  # noqa: N818 - a limit reached, not a bug
    """The time limit ran out; raised where the work was running, so its traceback says where."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"{seconds:g}")
        self.seconds = seconds


Describe = Callable[[BaseException], Failure]


def run_bounded(work: Callable[[], str | bytes], describe: Describe, seconds: float | None = None) -> str | bytes:
    """`work()` with a time and memory limit; its result, or `Failure` (from `describe`) when it fails."""
    limit = TIME_LIMIT if seconds is None else seconds
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return _in_process(work, describe, limit)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; its outcome is asserted through the parent
        os.close(reader)
        _child(work, describe, writer, limit)
    os.close(writer)
    try:
        data = _read_all(reader, pid, describe, limit)
    finally:
        os.close(reader)
    return _outcome(data, describe)


def _child(work: Callable[[], str | bytes], describe: Describe, fd: int, seconds: float) -> None:  # pragma: no cover
    status = 0
    try:
        _limit_memory()

        def alarm(signum: int, frame: Any) -> None:
            raise TimeLimit(seconds)

        signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            result = work()
            payload: dict[str, Any] = {"text": result} if isinstance(result, str) else {"bytes": result.hex()}
        except BaseException as exc:  # noqa: BLE001 - every failure becomes a located message
            signal.setitimer(signal.ITIMER_REAL, 0)
            failure = describe(exc)
            payload = {"error": failure.message, "path": failure.path, "line": failure.line}
        signal.setitimer(signal.ITIMER_REAL, 0)
        view = memoryview(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        while view:
            view = view[os.write(fd, view):]
    except BaseException:  # noqa: BLE001 - the parent reports a child that ended without an answer
        status = 1
    finally:
        os._exit(status)


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    with contextlib.suppress(Exception):
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:  # noqa: PTH123 - Linux only, by design
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = used + MEMORY_LIMIT
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _read_all(fd: int, pid: int, describe: Describe, seconds: float) -> bytes:
    deadline = time.monotonic() + seconds + GRACE
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
            raise describe(TimeLimit(seconds))
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)
    return b"".join(chunks)


def _outcome(data: bytes, describe: Describe) -> str | bytes:
    try:
        payload = json.loads(data.decode("utf-8")) if data else None
    except (UnicodeDecodeError, ValueError):
        payload = None
    if not isinstance(payload, dict):
        raise describe(MemoryError())  # killed by the memory limit (or died) before it could answer
    if "error" in payload:
        line = payload.get("line")
        raise Failure(payload.get("path"), line if isinstance(line, int) else None, str(payload["error"]))
    if "bytes" in payload:
        return bytes.fromhex(payload["bytes"])
    return str(payload["text"])


def _in_process(work: Callable[[], str | bytes], describe: Describe, seconds: float) -> str | bytes:
    """Without fork: a timer interrupts the main thread's Python-level loops; everything else is the sandbox's."""
    timer: threading.Timer | None = None
    expired = threading.Event()
    previous: Any = None
    if threading.current_thread() is threading.main_thread():
        import _thread

        def stop() -> None:
            expired.set()
            _thread.interrupt_main()

        # A server or a library may have replaced the SIGINT handler (uvicorn does): the timer's interrupt
        # must raise here whatever was installed before, so the default handler is put back for the render.
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        timer = threading.Timer(seconds, stop)
        timer.daemon = True
        timer.start()
    try:
        return work()
    except KeyboardInterrupt as exc:
        if not expired.is_set():
            raise
        raise describe(TimeLimit(seconds).with_traceback(exc.__traceback__)) from None
    except Failure:
        raise
    except Exception as exc:  # noqa: BLE001 - every failure of the work becomes a located message
        raise describe(exc) from None
    finally:
        if timer is not None:
            timer.cancel()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


__all__ = ["GRACE", "MEMORY_LIMIT", "TIME_LIMIT", "Describe", "Failure", "TimeLimit", "run_bounded"]
