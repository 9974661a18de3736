"""The one-pass event build (`LedgerLoader.build`) gives exactly what PyYAML's compose + generic constructor gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from projledger.ledger.yamlio import LedgerLoader, Refused

ROOT = Path(__file__).resolve().parents[1]


def _both(text: str) -> tuple[Any, Any]:
    results = []
    for method in ("build", "get_single_data"):
        loader = LedgerLoader(text)
        try:
            value: Any = (getattr(loader, method)(), sorted(loader.duplicates))  # reported in line order
        except Exception as exc:  # noqa: BLE001 - both sides must fail alike
            value = ("error", type(exc).__name__, str(exc))
        finally:
            loader.dispose()
        results.append(value)
    return results[0], results[1]


def _refused(text: str) -> bool:
    """Refused by the build (anchors, tags, depth, a second document): the generic path would build it."""
    loader = LedgerLoader(text)
    try:
        loader.build()
    except Refused:
        return True
    except Exception:  # noqa: BLE001 - a syntax error: both paths report it, compared below
        return False
    finally:
        loader.dispose()
    return False


def test_every_yaml_file_in_the_repository_builds_the_same() -> None:
    files = [p for p in ROOT.rglob("*.y*ml") if ".git" not in p.parts]
    assert len(files) > 50
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if _refused(text):
            continue  # refused before anything is built, on either path
        new, old = _both(text)
        assert new == old, path


_SCALARS = st.sampled_from(["007", "1.50", "-3", "2026-09-30", "2026-13-45", "true", "False", "null", "~", "", "yes",
                            "12:30", "1e3", "文字", "'引号'", '"a\\tb"', "2026-09-30 12:00:00", "0.0", "+5"])
_KEYS = st.sampled_from(["id", "name", "2026", "a", "a", "b", "progress", "完成"])


@st.composite
def _documents(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["scalar", "map", "seq", "flow"] if depth < 3 else ["scalar"]))
    pad = "  " * depth
    if kind == "scalar":
        return draw(_SCALARS)
    if kind == "flow":
        return "{" + ", ".join(f"{draw(_KEYS)}: {draw(_SCALARS) or '~'}" for _ in range(draw(st.integers(0, 3)))) + "}"
    items = draw(st.integers(1, 4))
    lines = []
    for _ in range(items):
        child = draw(_documents(depth + 1))
        head = f"{pad}{draw(_KEYS)}:" if kind == "map" else f"{pad}-"
        lines.append(f"{head} {child}" if "\n" not in child else f"{head}\n{child}")
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(_documents())
def test_fuzzed_documents_build_the_same(text: str) -> None:
    new, old = _both(text)
    assert new == old, text


def test_the_short_resolver_agrees_with_pyyamls() -> None:
    import itertools

    from yaml.nodes import MappingNode, ScalarNode, SequenceNode
    from yaml.resolver import BaseResolver

    from projledger.ledger.yamlio import LedgerResolver

    class Reference(BaseResolver):
        yaml_implicit_resolvers = LedgerResolver.yaml_implicit_resolvers

    ours, reference = LedgerResolver(), Reference()
    values = ["", "~", "null", "NULL", "true", "FALSE", "yes", "x", "007", "1.5", ".5", "-3", "+", "2026-01-01",
              "2026-1-1 10:00:00", "1e3", "文字", "N", "n"]
    for value, implicit in itertools.product(values, [(True, False), (False, True), (False, False)]):
        assert ours.resolve(ScalarNode, value, implicit) == BaseResolver.resolve(reference, ScalarNode, value, implicit)
    for kind in (SequenceNode, MappingNode):
        assert ours.resolve(kind, None, (False, False)) == BaseResolver.resolve(reference, kind, None, (False, False))
