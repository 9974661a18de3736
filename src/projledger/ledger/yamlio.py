"""Reading YAML the way an office typist means it.

The loader is libyaml's C parser with a stricter, YAML-1.2-like resolver:
- decimals become `Decimal` straight from the text (money stays exact), ints only from plain digits;
- `007`, `010` stay text (no octal), `12:30` stays text (no base 60), `yes`/`no`/`on`/`off` stay text
  (a text field given `no` holds the two letters "no": what was typed, nothing else);
- exponent notation (`1e3`, `1.23E+07`) stays text, so a money field rejects it with a how-to-write
  message. Decision: nobody in an office types 1e3 for 1000; such text comes from a spreadsheet cell
  that was too narrow, where `1.23E+07` is a *rounded* display of 12345678. Reading it as a number would
  silently store another value; an id or name like `1e3` stays exactly as typed;
- a timestamp that is not a real date (`2026-13-45`) stays text, so the date field says it is invalid;
- mapping keys are always the text as typed (`2026:` is the key "2026"); a key that is a list or map
  is refused;
- duplicate keys in a mapping are recorded with their line instead of silently keeping the last one.

Before anything is built, one pass over libyaml's events refuses, at their line: anchors and aliases
(`&a`/`*a`, so an alias bomb costs nothing), explicit tags other than `!!str` (`!!binary`, `!!set`,
`!!python/...`), a second document after `---`, and nesting deeper than `MAX_DEPTH` (libyaml's composer
recurses in C, and a file of a hundred thousand `[` would crash the process). libyaml's English syntax
messages are translated to Chinese with a how-to-fix hint where one is known.

Lines are found only when there is an error to place: `locate.Locator` composes a file on demand and walks a
pydantic location (`("progress", 2, "completed")`) down to its node.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.cyaml import CParser  # type: ignore[attr-defined]
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from projledger.ledger.decoding import decode, decode_located
from projledger.ledger.locate import Locator, compose, node_at
from projledger.ledger.yamlmessages import syntax_problem, translate

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 50
MAX_NUMBER_DIGITS = 40
STR_TAG = "tag:yaml.org,2002:str"


class AliasRefusedError(yaml.YAMLError):
    """The document uses an alias (`*name`), which ledgers do not allow."""

    def __init__(self, line: int) -> None:
        super().__init__("alias")
        self.line = line


class ValueProblem(yaml.YAMLError):
    """A value that cannot be read, placed at its line."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class LedgerResolver(BaseResolver):
    """YAML 1.2 core-schema scalars: no octal, sexagesimal or yes/no surprises.

    `resolve` is BaseResolver's without the path resolvers ledgers never register: libyaml's composer
    calls it for every node, so the shorter walk is a measurable part of reading thousands of files.
    """

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers: nothing to track."""

    def ascend_resolver(self) -> None:
        """No path resolvers: nothing to track."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """The tag of a node: an implicit scalar by its first character's resolvers, else the default."""
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return STR_TAG
        return "tag:yaml.org,2002:seq" if kind is SequenceNode else "tag:yaml.org,2002:map"


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
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)$"),  # no exponent: see the module docstring
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

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        """Construct a mapping, recording duplicate keys instead of keeping the last silently."""
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise AliasRefusedError(key_node.start_mark.line + 1)
            if not isinstance(key_node, ScalarNode):
                raise ValueProblem(key_node.start_mark.line + 1, "键必须是简单的文字，不能是列表或映射")
            key = unicodedata.normalize("NFC", str(key_node.value))  # the key as typed: `2026:` is "2026"
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
        _check_length(node, digits)
        return int(text)

    def construct_yaml_float(self, node: Node) -> Any:
        """Decimals straight from the text, so money is exact."""
        text = str(self.construct_scalar(node))  # type: ignore[arg-type]
        _check_length(node, text)
        return Decimal(text)

    def construct_yaml_date(self, node: Node) -> Any:
        """A date or date-time; text that only looks like one (2026-13-45) stays text for the model to reject."""
        try:
            return self.construct_yaml_timestamp(node)  # type: ignore[arg-type]
        except ValueError:
            return str(node.value)


def _check_length(node: Node, digits: str) -> None:
    if len(digits) > MAX_NUMBER_DIGITS:
        raise ValueProblem(node.start_mark.line + 1, f"数字位数过多（{len(digits)} 位），不是有效的金额或数值")


LedgerConstructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:int", LedgerConstructor.construct_yaml_int
)
LedgerConstructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:float", LedgerConstructor.construct_yaml_float
)
LedgerConstructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:timestamp", LedgerConstructor.construct_yaml_date
)


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"


class LedgerLoader(CParser, LedgerConstructor, LedgerResolver):
    """libyaml parser + exact constructor + strict resolver."""

    def __init__(self, stream: str | bytes) -> None:
        CParser.__init__(self, stream)
        LedgerConstructor.__init__(self)
        LedgerResolver.__init__(self)

    def build(self) -> Any:
        """The document's data, built by one direct walk over libyaml's node tree.

        The same values as `get_single_data()` (a test compares the two on every YAML file in the repository
        and on fuzzed text), without PyYAML's generic constructor machinery, which costs more than the parse on
        a ledger of thousands of files. Anything unusual goes through the generic constructor.
        """
        node = self.get_single_node()
        return None if node is None else self._build(node)

    def _build(self, node: Node) -> Any:
        cls = node.__class__
        tag = node.tag
        if cls is ScalarNode:
            if tag == STR_TAG:
                # Units, leaders, image texts and problem types repeat in every report of thousands of files:
                # one copy of each keeps a province-size ledger's memory flat.
                return sys.intern(node.value)
            if tag == _INT:
                return self.construct_yaml_int(node)
            if tag == _FLOAT:
                return self.construct_yaml_float(node)
            if tag == _TIMESTAMP:
                return self.construct_yaml_date(node)
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return node.value.lower() == "true"
        elif cls is MappingNode and tag == _MAP:
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    raise AliasRefusedError(key_node.start_mark.line + 1)
                if key_node.__class__ is not ScalarNode:
                    raise ValueProblem(key_node.start_mark.line + 1, "键必须是简单的文字，不能是列表或映射")
                key = unicodedata.normalize("NFC", str(key_node.value))
                if key in mapping:
                    self.duplicates.append((key_node.start_mark.line + 1, key))
                mapping[key] = self._build(value_node)
            return mapping
        elif cls is SequenceNode and tag == _SEQ:
            return [self._build(child) for child in node.value]
        return self.construct_object(node, deep=True)


@dataclass
class Parsed:
    """The outcome of parsing one file: data, or problems with their lines."""

    data: Any = None
    problems: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file parsed with no problems."""
        return not self.problems


def _refusal(event: yaml.Event, depth: int, documents: int) -> str | None:
    """Why an event is refused before anything is built, or None."""
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
        return "不支持 YAML 锚点/别名（& 和 *），请把内容直接写出来"
    tag = getattr(event, "tag", None)
    if tag not in (None, "!", STR_TAG):
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        return f"不支持 YAML 标签“{shown}”；文字中含有 ! 时请给整个值加引号"
    if isinstance(event, yaml.CollectionStartEvent) and depth > MAX_DEPTH:
        return f"嵌套层数过深（超过 {MAX_DEPTH} 层），台账文件不会有这么多层"
    if isinstance(event, yaml.DocumentStartEvent) and documents > 1:
        return "一个文件只能有一个 YAML 文档，请删去多余的“---”分隔线及其后的内容"
    return None


_RARE_CHARS = "&*!?%"
_DASH_PAIR = re.compile(r"-[ \t]+-")
_DASH_RUN = re.compile(r"^ *(?:-[ \t]+){4,}", re.M)


def _may_refuse(text: str) -> bool:
    """Whether `text` could hold anything `_prescan` refuses; False lets ordinary files skip the event pass.

    Anchors, aliases, tags, complex keys, directives and document markers all need one of `& * ! ? %`
    or a `---`/`...` line. Nesting depth is bounded by the indentation (a block level needs more
    indentation, at most two levels per column), by `- - -` runs on one line, and by the number of
    flow brackets; only a file where that bound could pass MAX_DEPTH takes the slow path.
    """
    # Substring searches in C: a regex anchored at line starts tries every position of every file.
    if any(c in text for c in _RARE_CHARS) or text.startswith(("---", "...")) or "\n---" in text or "\n..." in text:
        return True
    if _DASH_PAIR.search(text) is not None and _DASH_RUN.search(text) is not None:
        return True
    flow = text.count("[") + text.count("{")
    # Safe while 2 * (indent + 1) + 4 + flow <= MAX_DEPTH, i.e. no line indented more than `limit` spaces.
    limit = (MAX_DEPTH - 4 - flow) // 2 - 1
    return limit < 0 or ("\n" + text).find("\n" + " " * (limit + 1)) >= 0


def _prescan(text: str) -> tuple[int | None, str] | None:
    """Walk libyaml's events (iterative, nothing built) and return the first refused construct."""
    depth = 0
    documents = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
        why = _refusal(event, depth, documents)
        if why is not None:
            mark = event.start_mark
            return (mark.line + 1 if mark is not None else None), why
    return None


def _reader_line(text: str, exc: yaml.reader.ReaderError) -> int | None:
    # libyaml reports a byte position in the UTF-8 encoding of the text.
    try:
        return text.encode("utf-8", "replace")[: exc.position].count(b"\n") + 1
    except (TypeError, ValueError):
        return None


_CONFLICT = re.compile(r"^(?:<{7}(?: |$)|={7}$|>{7}(?: |$)|\|{7}(?: |$))", re.M)


def _merge_conflict(text: str) -> tuple[int, str] | None:
    """A git merge conflict left in the file (`<<<<<<<`, `=======`, `>>>>>>>`), at the line of its first marker."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text and "=======" not in text:
        return None
    m = _CONFLICT.search(text)
    if m is None:
        return None
    line = text.count("\n", 0, m.start()) + 1
    return line, ("文件中有未解决的 git 合并冲突（<<<<<<< / ======= / >>>>>>> 标记）：请保留正确的一方，"
                  "删除另一方和这些标记行后再提交")


def parse(text: str) -> Parsed:
    """Parse one YAML document with the ledger loader; never raises for bad input."""
    try:
        conflict = _merge_conflict(text)
        if conflict is not None:
            return Parsed(problems=[conflict])
        refused = _prescan(text) if _may_refuse(text) else None
        if refused is not None:
            return Parsed(problems=[refused])
        loader = LedgerLoader(text)
        try:
            data = loader.build()
        finally:
            loader.dispose()
    except (AliasRefusedError, ValueProblem) as exc:
        message = exc.message if isinstance(exc, ValueProblem) else "不支持 YAML 锚点/别名（& 和 *），请把内容直接写出来"
        return Parsed(problems=[(exc.line, message)])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        # A tab or a full-width colon nearby is the likely cause; say that instead of libyaml's guess.
        what = syntax_problem(text, line, exc.problem or exc.context or "格式错误")
        return Parsed(problems=[(line, f"YAML 格式错误：{what}")])
    except yaml.reader.ReaderError as exc:
        return Parsed(problems=[(_reader_line(text, exc), f"YAML 格式错误：{translate(exc.reason)}")])
    except yaml.YAMLError as exc:
        return Parsed(problems=[(None, f"YAML 格式错误：{exc}")])
    except (ValueError, OverflowError, UnicodeError, RecursionError, TypeError, AttributeError) as exc:
        # Aliases, tags and deep nesting never get this far (see _may_refuse/_prescan); this is a net.
        return Parsed(problems=[(None, f"无法读取的内容：{exc}")])
    problems: list[tuple[int | None, str]] = [
        (line, f"重复的键“{key}”：同一层里只能出现一次（YAML 会悄悄只保留最后一个）")
        for line, key in sorted(loader.duplicates)
    ]
    return Parsed(data=data, problems=problems)


# `Locator`, `compose`, `node_at`, `decode` and `decode_located` live in their own modules; they are named
# here too because readers of ledger files have always found them beside `parse`.
__all__ = ["MAX_FILE_BYTES", "Locator", "Parsed", "compose", "decode", "decode_located", "node_at", "parse"]
