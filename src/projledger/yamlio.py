"""Reading YAML the way an office typist means it.

The loader is libyaml's C parser with a stricter, YAML-1.2-like resolver:
- decimals become `Decimal` straight from the text (money stays exact), ints only from plain digits;
- `007`, `010` stay text (no octal), `12:30` stays text (no base 60), `yes`/`no`/`on`/`off` stay text;
- duplicate keys in a mapping are recorded with their line instead of silently keeping the last one;
- aliases (`*a`) are refused at once, so an alias bomb costs nothing.

Lines are found only when there is an error to place: `Locator` composes a file on demand and walks a
pydantic location (`("progress", 2, "completed")`) down to its node.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.cyaml import CParser  # type: ignore[attr-defined]
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

MAX_FILE_BYTES = 5 * 1024 * 1024


class AliasRefusedError(yaml.YAMLError):
    """The document uses an alias (`*name`), which ledgers do not allow."""

    def __init__(self, line: int) -> None:
        super().__init__("alias")
        self.line = line


class LedgerResolver(BaseResolver):
    """YAML 1.2 core-schema scalars: no octal, sexagesimal or yes/no surprises."""


LedgerResolver.yaml_implicit_resolvers = {}
LedgerResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
LedgerResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
LedgerResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)
LedgerResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)
LedgerResolver.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
        (?:(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?)$""",
        re.X,
    ),
    list("0123456789"),
)


class LedgerConstructor(SafeConstructor):
    """SafeConstructor that keeps numbers exact and records duplicate keys."""

    def __init__(self) -> None:
        super().__init__()
        self.duplicates: list[tuple[int, str]] = []

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """Construct a node; meeting the same node twice means an alias, which is refused."""
        if node in self.constructed_objects or node in self.recursive_objects:
            raise AliasRefusedError(node.start_mark.line + 1)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        """Construct a mapping, recording duplicate keys instead of keeping the last silently."""
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise AliasRefusedError(key_node.start_mark.line + 1)
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise ConstructorError(
                    None, None, "found unhashable key", key_node.start_mark
                ) from None
            if key in mapping:
                self.duplicates.append((key_node.start_mark.line + 1, str(key)))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node: Node) -> Any:
        """Plain digits only; a leading zero keeps the text (an id like 007)."""
        text = str(self.construct_scalar(node))  # type: ignore[arg-type]
        digits = text.lstrip("+-")
        if len(digits) > 1 and digits.startswith("0"):
            return text  # `007` is an id or a typo, never octal 7
        return int(text)

    def construct_yaml_float(self, node: Node) -> Any:
        """Decimals straight from the text, so money is exact."""
        return Decimal(str(self.construct_scalar(node)))  # type: ignore[arg-type]


LedgerConstructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:int", LedgerConstructor.construct_yaml_int
)
LedgerConstructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:float", LedgerConstructor.construct_yaml_float
)


class LedgerLoader(CParser, LedgerConstructor, LedgerResolver):
    """libyaml parser + exact constructor + strict resolver."""

    def __init__(self, stream: str | bytes) -> None:
        CParser.__init__(self, stream)
        LedgerConstructor.__init__(self)
        LedgerResolver.__init__(self)


@dataclass
class Parsed:
    """The outcome of parsing one file: data, or problems with their lines."""

    data: Any = None
    problems: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file parsed with no problems."""
        return not self.problems


def decode(raw: bytes) -> tuple[str | None, str | None]:
    """(text, None) for UTF-8 (BOM allowed); (None, message) otherwise."""
    if b"\x00" in raw[:8192]:
        return None, "不是文本文件（含二进制内容），台账文件应为 UTF-8 编码的 YAML 文本"
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            return None, f"文件不是 UTF-8 编码（第 {exc.start} 字节无法解码），请另存为 UTF-8"
        return None, "文件似乎是 GBK 编码，请另存为 UTF-8"


def _syntax_hint(text: str, line: int | None) -> str:
    if line is None:
        return ""
    lines = text.splitlines()
    nearby = lines[max(0, line - 2) : line + 1]
    if any("：" in s for s in nearby):
        return "；发现全角冒号“：”，请改成半角冒号加空格“: ”"
    if any("\t" in s[: len(s) - len(s.lstrip())] for s in nearby):
        return "；请用空格缩进，不要用 Tab"
    return ""


def parse(text: str) -> Parsed:
    """Parse one YAML document with the ledger loader; never raises for bad input."""
    loader = LedgerLoader(text)
    try:
        data = loader.get_single_data()
    except AliasRefusedError as exc:
        return Parsed(problems=[(exc.line, "不支持 YAML 锚点/别名（& 和 *），请把内容直接写出来")])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "格式错误"
        return Parsed(problems=[(line, f"YAML 格式错误：{what}{_syntax_hint(text, line)}")])
    except yaml.YAMLError as exc:
        return Parsed(problems=[(None, f"YAML 格式错误：{exc}")])
    except (ValueError, OverflowError) as exc:  # e.g. a timestamp like 2026-13-45
        return Parsed(problems=[(None, f"无法读取的值：{exc}")])
    finally:
        loader.dispose()
    problems: list[tuple[int | None, str]] = [
        (line, f"重复的键“{key}”：同一层里只能出现一次（YAML 会悄悄只保留最后一个）")
        for line, key in loader.duplicates
    ]
    return Parsed(data=data, problems=problems)


def compose(text: str) -> Node | None:
    """The node tree of `text` (for placing errors), or None when it does not parse."""
    try:
        return yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None


def _scalar_key(node: Node) -> str:
    return unicodedata.normalize("NFC", str(node.value)) if isinstance(node, ScalarNode) else ""


def node_at(root: Node | None, loc: Sequence[str | int]) -> tuple[Node | None, bool]:
    """Walk `loc` down from `root`; returns the deepest node reached and whether the walk completed.

    For a mapping step the key node is returned when it is the last step, so that "unknown key" errors
    point at the key's line.
    """
    node = root
    for i, step in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if _scalar_key(key_node) == str(step):
                    node = key_node if last else value_node
                    break
            else:
                return node, False
        elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        else:
            return node, False
    return node, True


class Locator:
    """Finds the line of a location in a file's text, composing the file at most once."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: Node | None = None
        self._composed = False

    def line(self, loc: Sequence[str | int]) -> int | None:
        """1-based line of `loc`, or of the nearest enclosing node that exists."""
        if not self._composed:
            self._root = compose(self._text)
            self._composed = True
        if self._root is None:
            return None
        node, _ = node_at(self._root, loc)
        return None if node is None else node.start_mark.line + 1
