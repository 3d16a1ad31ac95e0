"""A regular expression from a word list, shaped as a trie so that matching stays fast on long texts."""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""
Trie = dict[str, "Trie"]


def _insert(trie: Trie, word: str) -> None:
    node = trie
    for ch in word:
        node = node.setdefault(ch, {})
    node[_END] = {}


def _pattern(node: Trie) -> str:
    # Longer continuations are tried before ending here, so the match is the longest word.
    branches = [re.escape(ch) + _pattern(child) for ch, child in sorted(node.items()) if ch != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return "(?:" + body + ")?"
    return body


def trie_regex(words: Iterable[str]) -> re.Pattern[str]:
    """A compiled pattern matching any of the words, preferring the longest at each position."""
    trie: Trie = {}
    for word in words:
        if word:
            _insert(trie, word)
    if not trie:
        return re.compile(r"(?!x)x")
    return re.compile(_pattern(trie))
