"""Placing an error at its line.

Compose a file (only when there is an error to place) and walk a pydantic location
(`("progress", 2, "completed")`) down to its node.

Split from `yamlio.py` (reading), which it does not import.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


def compose(text: str) -> Node | None:
    """The node tree of `text` (for placing errors), or None when it does not parse."""
    try:
        return yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None


def _scalar_key(node: Node) -> str:
    return unicodedata.normalize("NFC", str(node.value)) if isinstance(node, ScalarNode) else ""


Index = dict[int, dict[str, tuple[Node, Node]]]


def _entries(node: MappingNode, index: Index | None) -> dict[str, tuple[Node, Node]]:
    """A mapping's keys -> (key node, value node), the first of duplicates; built once per node with `index`."""
    cached = index.get(id(node)) if index is not None else None
    if cached is None:
        cached = {}
        for key_node, value_node in node.value:
            cached.setdefault(_scalar_key(key_node), (key_node, value_node))
        if index is not None:
            index[id(node)] = cached
    return cached


def node_at(root: Node | None, loc: Sequence[str | int], index: Index | None = None) -> tuple[Node | None, bool]:
    """Walk `loc` down from `root`; returns the deepest node reached and whether the walk completed.

    For a mapping step the key node is returned when it is the last step, so that "unknown key" errors
    point at the key's line. With `index` (one per composed file) each mapping is indexed once, so placing
    every error of a file with 100,000 unknown keys stays linear.
    """
    node = root
    for i, step in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, MappingNode):
            found = _entries(node, index).get(str(step))
            if found is None:
                return node, False
            node = found[0] if last else found[1]
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
        self._index: Index = {}

    def line(self, loc: Sequence[str | int]) -> int | None:
        """1-based line of `loc`, or of the nearest enclosing node that exists."""
        if not self._composed:
            self._root = compose(self._text)
            self._composed = True
        if self._root is None:
            return None
        node, _ = node_at(self._root, loc, self._index)
        return None if node is None else node.start_mark.line + 1
