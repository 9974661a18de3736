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

The data is built in one pass over libyaml's events (no node tree), which also refuses, at their line:
anchors and aliases (`&a`/`*a`, so an alias bomb costs nothing), explicit tags other than `!!str`
(`!!binary`, `!!set`, `!!python/...`), a second document after `---`, and nesting deeper than `MAX_DEPTH`
(the pass is iterative; libyaml's own composer would recurse in C, and a file of a hundred thousand `[`
would crash the process). libyaml's English syntax
messages are translated to Chinese with a how-to-fix hint where one is known.

Lines are found only when there is an error to place: `locate.Locator` composes a file on demand and walks a
pydantic location (`("progress", 2, "completed")`) down to its node.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.cyaml import CParser  # type: ignore[attr-defined]
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
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


def _check_length(node: Node | Any, digits: str) -> None:
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


class LedgerLoader(CParser, LedgerConstructor, LedgerResolver):
    """libyaml parser + exact constructor + strict resolver."""

    def __init__(self, stream: str | bytes) -> None:
        CParser.__init__(self, stream)
        LedgerConstructor.__init__(self)
        LedgerResolver.__init__(self)

    def build(self) -> Any:
        """The document's data, built in one pass over libyaml's events; refused constructs stop it at their line.

        The same values as `get_single_data()` (a test compares the two on every YAML file in the repository
        and on fuzzed text), without composing a node tree and without PyYAML's generic constructor, which
        together cost more than the parse on a ledger of thousands of files. The pass also refuses, at the
        event where they appear: anchors and aliases (an alias bomb costs nothing), explicit tags other than
        `!!str`, a second document, and nesting deeper than MAX_DEPTH. A value that cannot be built (a key
        that is a list, a number of 41 digits) is raised only once the whole stream has been read, so a
        syntax error or a refused construct further down is reported first, as composing first would.
        """
        get = self.get_event
        resolvers = self.yaml_implicit_resolvers
        intern, normalize = sys.intern, unicodedata.normalize
        duplicates = self.duplicates
        stack: list[tuple[Any, bool, str, int]] = []
        container: Any = None  # the dict or list being filled; None at the top
        in_map = at_key = False
        key, key_line = "", 0
        root: Any = None
        late: yaml.YAMLError | None = None  # the first value that cannot be built
        documents = depth = 0
        while True:
            event: Any = get()  # libyaml's event classes, told apart by `kind` below
            kind = event.__class__
            if kind is ScalarEvent:
                if event.anchor is not None:
                    raise Refused(event, _ANCHORS)
                tag = event.tag
                if tag is not None and tag != "!" and tag != STR_TAG:
                    raise Refused(event, _tag_refusal(tag))
                if late is not None:
                    continue
                if at_key:
                    key, key_line, at_key = normalize("NFC", event.value), event.start_mark.line + 1, False
                    continue
                text = event.value
                if tag == STR_TAG:
                    value: Any = intern(text)
                else:
                    resolved = STR_TAG
                    if event.implicit[0]:
                        known = _RESOLVED.get(text)
                        if known is None:
                            for candidate, regexp in resolvers.get(text[:1], ()):
                                if regexp.match(text):
                                    resolved = candidate
                                    break
                            if len(text) <= 40 and len(_RESOLVED) < 100_000:
                                _RESOLVED[text] = resolved
                        else:
                            resolved = known
                    try:
                        value = intern(text) if resolved == STR_TAG else self._scalar(resolved, event)
                    except yaml.YAMLError as exc:
                        late = exc
                        continue
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None:
                    raise Refused(event, _ANCHORS)
                tag = event.tag
                if tag is not None and tag != "!" and tag != STR_TAG:
                    raise Refused(event, _tag_refusal(tag))
                depth += 1
                if depth > MAX_DEPTH:
                    raise Refused(event, _TOO_DEEP)
                if late is not None:
                    continue
                if at_key:
                    late = ValueProblem(event.start_mark.line + 1, "键必须是简单的文字，不能是列表或映射")
                    continue
                if tag == STR_TAG:  # `!!str {a: 1}`: what the generic constructor says of it
                    what = "mapping" if kind is MappingStartEvent else "sequence"
                    late = ConstructorError(None, None, f"expected a scalar node, but found {what}", event.start_mark)
                    continue
                stack.append((container, in_map, key, key_line))
                in_map = kind is MappingStartEvent
                container, at_key = ({} if in_map else []), in_map
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
                if late is not None:
                    continue
                value = container
                container, in_map, key, key_line = stack.pop()
                at_key = False  # the parent waits for this value (set again below for the next key of a map)
            elif kind is AliasEvent:
                raise Refused(event, _ANCHORS)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise Refused(event, _DOCUMENTS)
                continue
            elif kind is StreamEndEvent:
                break
            else:
                continue
            if container is None:
                root = value
            elif in_map:
                if key in container:
                    duplicates.append((key_line, key))
                container[key] = value
                at_key = True
            else:
                container.append(value)
        if late is not None:
            raise late
        return root

    def _scalar(self, tag: str, event: Any) -> Any:
        """A resolved plain scalar that is not text: decimal, int, date, null or bool (as the constructor's methods)."""
        text = event.value
        if tag == _FLOAT:
            if len(text) > MAX_NUMBER_DIGITS:
                _check_length(event, text)
            return Decimal(text)
        if tag == _INT:
            digits = text.lstrip("+-")
            if len(digits) > 1 and digits.startswith("0"):
                return text  # `007` is an id or a typo, never octal 7
            _check_length(event, digits)
            return int(text)
        if tag == _TIMESTAMP:
            if len(text) == 10 and text[4] == "-" and text[7] == "-":  # 2026-03-15, as ledgers write dates
                try:
                    return date(int(text[:4]), int(text[5:7]), int(text[8:]))
                except ValueError:
                    return text  # 2026-13-45 stays text, for the model to say it is no date
            return self.construct_yaml_date(ScalarNode(tag, text, event.start_mark, event.end_mark))
        if tag == _NULL:
            return None
        return text.lower() == "true"


# Plain scalars repeat across thousands of files (months, units, 主体施工): each is resolved once per run.
_RESOLVED: dict[str, str] = {}


_ANCHORS = "不支持 YAML 锚点/别名（& 和 *），请把内容直接写出来"
_TOO_DEEP = f"嵌套层数过深（超过 {MAX_DEPTH} 层），台账文件不会有这么多层"
_DOCUMENTS = "一个文件只能有一个 YAML 文档，请删去多余的“---”分隔线及其后的内容"


def _tag_refusal(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"不支持 YAML 标签“{shown}”；文字中含有 ! 时请给整个值加引号"


class Refused(ValueProblem):
    """A construct ledgers do not allow (anchors, tags, deep nesting, a second document), at its line."""

    def __init__(self, event: Any, message: str) -> None:
        mark = event.start_mark
        super().__init__(mark.line + 1 if mark is not None else None, message)


@dataclass
class Parsed:
    """The outcome of parsing one file: data, or problems with their lines."""

    data: Any = None
    problems: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file parsed with no problems."""
        return not self.problems


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
