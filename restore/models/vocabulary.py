"""The words a reading may end on, with every prefix of them, for a candidate search that spends
its steps only on letters some word continues with (``ErrorModel.vocabulary_rewrites``).

A learned confusion applied in reverse at every place of a garbled form makes thousands of strings,
nearly all of them no word ("ricliardaon": 'li' -> 'h', 'a' -> 's', each among dozens of others).
Walking the form left to right and keeping only the strings that begin some word finds
"richardson" in a few hundred steps.

Long forms are often further gone than three learned confusions ("eonseauenoe": consequence, with
'a' for 'q', which the training pairs never showed). For those (seven letters or more), ``within``
measures plain edits to the words that keep a few of the form's letter pairs (``letter_pairs``)
instead.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

SHARED_PAIRS = 3  # letter pairs a word shares with a form for a plain-edit search to measure it


class Vocabulary:
    """A set of words, the set of their prefixes (the empty one included), and the words by their letter pairs."""

    def __init__(
        self,
        words: Iterable[str],
        prefixes: Iterable[str] | None = None,
        pairs: dict[str, bytes] | None = None,
    ):
        """`prefixes`: those of `words` when the caller has them already (a cached table); `pairs`:
        ``pair_postings`` of the sorted words, likewise (else built at the first plain-edit search)."""
        self.words = frozenset(words)
        self.prefixes = frozenset(prefixes if prefixes is not None else prefixes_of(self.words))
        self._pairs = _PairIndex(sorted(self.words), pairs) if pairs is not None else None

    def within(self, form: str, share: float, limit: int, shared: int = SHARED_PAIRS) -> list[str]:
        """The `limit` words closest to `form` in plain edits, at most `share` of its length away,
        among words two letters shorter to one longer that have at least `shared` of its letter
        pairs (the first and last letters count as pairs with the word's edges).

        A garbled long form is often three or four confusions from its word ("dteidtd": decided,
        "eonseauenoe": consequence), more than the learned rewrites reach; few words lie so near
        it, and the word keeps a few of its letter pairs ("dteidtd" and "decided": '^d', 'id', 'd$').
        The pairs pick a few hundred words of eighty thousand; rapidfuzz, compiled, measures them."""
        if self._pairs is None:
            order = sorted(self.words)
            self._pairs = _PairIndex(order, pair_postings(order))
        pool = self._pairs.sharing(form, shared)
        found = process.extract(
            form,
            pool,
            scorer=Levenshtein.distance,
            score_cutoff=max(1, round(share * len(form))),
            limit=limit,
        )
        return [w for w, _, _ in found]

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


def letter_pairs(form: str) -> set[str]:
    """The pairs of adjacent letters of a form between edge marks: "the" -> ^t, th, he, e$."""
    padded = f"^{form}$"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


def pair_postings(words: list[str]) -> dict[str, bytes]:
    """For each letter pair, the positions in `words` of the words that have it (int32 bytes: a
    table the cache folder keeps as it is)."""
    postings: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        for pair in letter_pairs(w):
            postings.setdefault(pair, []).append(i)
    return {pair: np.asarray(ids, dtype=np.int32).tobytes() for pair, ids in postings.items()}


class _PairIndex:
    """Words by the letter pairs they contain: which words share enough of a form's pairs."""

    def __init__(self, words: list[str], postings: dict[str, bytes]):
        self.words = words
        self.lengths = np.fromiter((len(w) for w in words), dtype=np.int16, count=len(words))
        self.postings = {pair: np.frombuffer(ids, dtype=np.int32) for pair, ids in postings.items()}

    def sharing(self, form: str, shared: int) -> list[str]:
        """The words two letters shorter to one longer than `form` with `shared` of its pairs or
        more (OCR adds strokes more often than it loses them: 'in' for 'm', 'li' for 'h')."""
        lists = [self.postings[p] for p in letter_pairs(form) if p in self.postings]
        if not lists:
            return []
        counts = np.bincount(np.concatenate(lists), minlength=len(self.words))
        gap = self.lengths - len(form)
        near = (counts >= shared) & (gap >= -2) & (gap <= 1)
        return [self.words[i] for i in np.flatnonzero(near)]
