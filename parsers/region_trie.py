"""The region matcher's compiled form: a start pattern, then per first two characters a trie-shaped pattern."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(slots=True)
class _TrieNode:
    children: dict[str, _TrieNode] = field(default_factory=dict)
    terminal: bool = False
    blocked_by: tuple[str, ...] = ()


def _node_pattern(node: _TrieNode) -> str:
    branches = [re.escape(char) + _node_pattern(child) for char, child in sorted(node.children.items())]
    if node.terminal:
        # Matching ends here only if no longer name continues (branches come first) and no blocking
        # string follows; a blocked name falls back to the longest shorter name on the same path.
        if node.blocked_by:
            blocked = sorted(node.blocked_by, key=lambda s: (-len(s), s))
            branches.append("(?!" + "|".join(re.escape(s) for s in blocked) + ")")
        else:
            branches.append("")
    if len(branches) == 1:
        only = branches[0]
        return only if not node.terminal or not node.children else f"(?:{only})"
    return "(?:" + "|".join(branches) + ")"


class BigramPatterns:
    """Per first two characters, the trie pattern of the surfaces starting with them — compiled on first use.

    A national gazetteer has thousands of bigrams; a text meets a few dozen. Compiling them all up front
    would cost a command-line start far more than the whole parse.
    """

    __slots__ = ("_compiled", "_nodes")

    def __init__(self, nodes: dict[str, _TrieNode]) -> None:
        self._nodes = nodes
        self._compiled: dict[str, re.Pattern[str] | None] = {}

    def get(self, bigram: str) -> re.Pattern[str] | None:
        """The pattern for surfaces starting with `bigram`, or None when none does."""
        try:
            return self._compiled[bigram]
        except KeyError:
            node = self._nodes.get(bigram)
            found = None if node is None else re.compile(re.escape(bigram) + _node_pattern(node))
            self._compiled[bigram] = found
            return found

    def __len__(self) -> int:
        return len(self._nodes)


Compiled = tuple[re.Pattern[str] | None, BigramPatterns]


def compile_surfaces(surfaces: Mapping[str, tuple[str, ...]]) -> Compiled:
    """The pattern of the places where a surface may start, and per first two characters a trie pattern
    matching the longest surface there (honouring the strings that block a surface)."""
    root = _TrieNode()
    for surface, blocked_by in surfaces.items():
        node = root
        for char in surface:
            node = node.children.setdefault(char, _TrieNode())
        node.terminal = True
        node.blocked_by = blocked_by
    by_bigram: dict[str, _TrieNode] = {}
    seconds: set[str] = set()
    for first, first_node in root.children.items():
        for second, node in first_node.children.items():
            seconds.add(second)
            by_bigram[first + second] = node
    if not by_bigram:
        return None, BigramPatterns(by_bigram)
    starts = re.compile(_char_class(root.children) + "(?=" + _char_class(seconds) + ")")
    return starts, BigramPatterns(by_bigram)


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"
