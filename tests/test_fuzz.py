"""Mutated ledger files never crash the loader: a valid project, or errors that each name the file and line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projledger.ledger.errors import LedgerError
from projledger.ledger.loader import load_source, source_from_bytes
from projledger.ledger.models import Project
from projledger.ledger.rewrite import ReportChange, RewriteError, rewrite_text

EXAMPLE = Path(__file__).resolve().parents[1] / "ledgers" / "example" / "projects"
SEEDS = [p.read_bytes() for p in sorted(EXAMPLE.rglob("*.yaml"))[:6]] + [
    (Path(__file__).resolve().parent / "bad" / "meant" / "text-no.yaml").read_bytes()]
PUNCTUATION = [b":", b": ", b"-", b"- ", b"[", b"]", b"{", b"}", b"&a", b"*a", b"!", b"!!", b"|", b">", b"#",
               b"'", b'"', b"%", b"@", b"`", b",", b"?", b"---", b"\t", b"\n", b"  ", b"\\", b"<<", b"\r", b"\x00",
               "：".encode(), "１２".encode(), b"\xef\xbb\xbf", b"\xff", b"\xc3", b"null", b"~", b"007", b"12:30",
               b"1e3", b".inf", b"2026-13-45", b"9" * 50]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "delete_line", "duplicate_line", "punctuation", "unicode", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind in ("delete_line", "duplicate_line"):
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i:i + 1] = [] if kind == "delete_line" else [lines[i], lines[i]]
            data = bytearray(b"\n".join(lines))
        elif kind == "punctuation":
            data[at:at] = draw(st.sampled_from(PUNCTUATION))
        elif kind == "unicode":
            data[at:at] = draw(st.text(min_size=1, max_size=4)).encode("utf-8", "surrogatepass")
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


def located(errors: list[LedgerError], text: str | None) -> None:
    assert errors
    n_lines = len(text.splitlines()) + 1 if text is not None else None  # \r, NEL, LS break lines too
    for e in errors:
        assert e.path == "p.yaml" and e.message
        if text is not None:  # the file decoded: every problem is placed on a line of it
            assert e.line is not None, e
            assert n_lines is not None and 1 <= e.line <= n_lines, e


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_files_load_or_fail_with_located_errors(raw: bytes) -> None:
    source, errors = source_from_bytes(raw, "p.yaml")
    if source is None:
        located(errors, None)
        return
    project, errors = load_source(Project, source)
    if project is None:
        located([e for e in errors if e.is_error], source.text)
    else:
        assert isinstance(project, Project) and not [e for e in errors if e.is_error]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
def test_mutated_files_rewrite_exactly_or_refuse(raw: bytes, amount: Decimal) -> None:
    source, _ = source_from_bytes(raw, "p.yaml")
    if source is None:
        return
    try:
        new = rewrite_text(source.text, "p.yaml", ReportChange("2026-12", amount, "完成"))
    except RewriteError:
        return
    project, errors = load_source(Project, source_from_bytes(new.encode(), "p.yaml")[0])  # type: ignore[arg-type]
    assert project is not None, errors
    assert [r for r in project.progress if r.month == "2026-12"][0].completed == amount
