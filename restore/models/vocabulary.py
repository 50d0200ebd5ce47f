"""The words a reading may end on, with every prefix of them, for a candidate search that spends
its steps only on letters some word continues with (``ErrorModel.vocabulary_rewrites``).

A learned confusion applied in reverse at every place of a garbled form makes thousands of strings,
nearly all of them no word ("ricliardaon": 'li' -> 'h', 'a' -> 's', each among dozens of others).
Walking the form left to right and keeping only the strings that begin some word finds
"richardson" in a few hundred steps.
"""

from __future__ import annotations

from collections.abc import Iterable


class Vocabulary:
    """A set of words and the set of their prefixes (the empty one included)."""

    def __init__(self, words: Iterable[str], prefixes: Iterable[str] | None = None):
        """`prefixes`: those of `words` when the caller has them already (a cached table)."""
        self.words = frozenset(words)
        self.prefixes = frozenset(prefixes if prefixes is not None else prefixes_of(self.words))

    def __contains__(self, form: str) -> bool:
        return form in self.words

    def __len__(self) -> int:
        return len(self.words)

    def begins(self, prefix: str) -> bool:
        """Whether some word begins with `prefix`."""
        return prefix in self.prefixes


def prefixes_of(words: Iterable[str]) -> set[str]:
    """Every prefix of every word, the empty one included."""
    return {w[:k] for w in words for k in range(len(w) + 1)}
