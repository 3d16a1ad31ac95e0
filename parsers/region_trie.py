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
    """Per first two characters, the trie pattern of the surfaces starting with them — built on first use.

    A national gazetteer has thousands of bigrams; a text meets a few dozen. Building and compiling them all
    up front would cost a command-line start far more than the whole parse.
    """

    __slots__ = ("_compiled", "_groups")

    def __init__(self, groups: dict[str, dict[str, tuple[str, ...]]]) -> None:
        self._groups = groups
        self._compiled: dict[str, re.Pattern[str] | None] = {}

    def get(self, bigram: str) -> re.Pattern[str] | None:
        """The pattern for surfaces starting with `bigram`, or None when none does."""
        try:
            return self._compiled[bigram]
        except KeyError:
            group = self._groups.get(bigram)
            found = None if group is None else re.compile(re.escape(bigram) + _node_pattern(_trie(group)))
            self._compiled[bigram] = found
            return found

    def __len__(self) -> int:
        return len(self._groups)


def _trie(group: Mapping[str, tuple[str, ...]]) -> _TrieNode:
    """The trie of the surfaces of one bigram group, below their first two characters."""
    root = _TrieNode()
    for surface, blocked_by in group.items():
        node = root
        for char in surface[2:]:
            node = node.children.setdefault(char, _TrieNode())
        node.terminal = True
        node.blocked_by = blocked_by
    return root


Compiled = tuple[re.Pattern[str] | None, BigramPatterns]


def compile_surfaces(surfaces: Mapping[str, tuple[str, ...]]) -> Compiled:
    """The pattern of the places where a surface may start, and per first two characters a trie pattern
    matching the longest surface there (honouring the strings that block a surface)."""
    groups: dict[str, dict[str, tuple[str, ...]]] = {}
    for surface, blocked_by in surfaces.items():
        if len(surface) >= 2:
            groups.setdefault(surface[:2], {})[surface] = blocked_by
    if not groups:
        return None, BigramPatterns(groups)
    firsts = {bigram[0] for bigram in groups}
    seconds = {bigram[1] for bigram in groups}
    starts = re.compile(_char_class(firsts) + "(?=" + _char_class(seconds) + ")")
    return starts, BigramPatterns(groups)


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"
