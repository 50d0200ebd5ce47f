"""How English-looking a form's letters are: a character 4-gram model of English word types.

KenLM gives every word it does not know one probability, so a junk form ("pieasury") costs no
more to leave as printed than a plausible name ("Fannington"). The letter model tells them apart:
a character 4-gram model with Witten-Bell interpolation down to a uniform distribution, counted
over the ASCII lower-case alphabetic word types of wordfreq's large English list, each padded as
"^^^" + word + "$". `surprise(form)` is how much less likely a form's letters are than a typical
listed word's of its length (log10, never above 0); the noisy channel charges an unknown piece of
a reading WEIGHT times that (``NoisyChannel.rank``, in the posterior only).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from . import lexicon

ORDER = 4  # characters: three of history and the one predicted
MARKS = re.compile(r"[^\w\s.,;:!?'’‘\"“”()/&\-–—]")  # stray marks OCR prints for letters ("sign»d")
MARKS_OR_DIGITS = re.compile(MARKS.pattern + r"|\d")  # a digit inside letters is a stray mark too ("witn6ss")
UNIFORM = 1 / 28  # the 26 letters, the end mark and one for anything else
PAD, END = "^", "$"
WEIGHT = 2.0  # log10 of cost per log10 of surprise (1 and 2 measured in BENCHMARKS.md)


def _types(forms) -> list[str]:
    """The ASCII lower-case alphabetic word types of a word list."""
    return sorted(w for w in forms if w.isascii() and w.isalpha() and w.islower())


def _padded(word: str) -> str:
    return PAD * (ORDER - 1) + word + END


class LetterModel:
    """A character ORDER-gram model, Witten-Bell interpolated down to UNIFORM.

    `counts` maps a history and the character after it (history + char, history of 0 to ORDER-1
    characters) to how often it was seen; `contexts` maps a history to [times seen, distinct
    characters after it]; `typical` is the mean log10 P per symbol over the training types.
    """

    def __init__(self, counts: dict[str, int], contexts: dict[str, list[int]], typical: float = 0.0):
        self.counts = counts
        self.contexts = contexts
        self.typical = typical
        self._prob = lru_cache(maxsize=200_000)(self._p)
        self.surprise = lru_cache(maxsize=100_000)(self._surprise)

    def _p(self, history: str, char: str) -> float:
        """P(char | history), Witten-Bell: (C(h c) + T(h) P(c | shorter h)) / (C(h) + T(h))."""
        lower = UNIFORM if history == "" else self._prob(history[1:], char)
        seen = self.contexts.get(history)
        if seen is None:
            return lower
        total, distinct = seen
        return (self.counts.get(history + char, 0) + distinct * lower) / (total + distinct)

    def log_prob(self, form: str) -> float:
        """log10 P of a form's letters and its end mark, each given the ORDER-1 before it."""
        padded = _padded(form)
        h = ORDER - 1
        return sum(math.log10(self._prob(padded[i - h : i], padded[i])) for i in range(h, len(padded)))

    def _surprise(self, form: str) -> float:
        """How much less likely (log10, <= 0) a form's letters are than a typical word's of its
        length; 0 for a form that is not all lower-case letters, but for stray marks or digits in
        one ("sign»d", "wa3", read as one form by ``NoisyChannel.read_splits``: the marks are
        letters no word has)."""
        letters = MARKS_OR_DIGITS.sub("", form)
        if not (letters.isalpha() and letters.islower()):
            return 0.0
        return min(0.0, self.log_prob(form) - self.typical * (len(form) + 1))

    def cost(self, piece: str, weight: float | None = None) -> float:
        """The spelling cost (log10, <= 0) of a piece the language model does not know."""
        return (WEIGHT if weight is None else weight) * self.surprise(piece)


def count(words) -> tuple[dict[str, int], dict[str, list[int]], float]:
    """The counts of a letter model over word types, and its typical log10 P per symbol."""
    counts: dict[str, int] = {}
    for word in words:
        padded = _padded(word)
        for i in range(ORDER - 1, len(padded)):
            for k in range(ORDER):  # history lengths 0..ORDER-1
                key = padded[i - k : i + 1]
                counts[key] = counts.get(key, 0) + 1
    contexts: dict[str, list[int]] = {}
    for key, n in counts.items():
        seen = contexts.setdefault(key[:-1], [0, 0])
        seen[0] += n
        seen[1] += 1
    model = LetterModel(counts, contexts)
    total = sum(model.log_prob(w) for w in words)
    symbols = sum(len(w) + 1 for w in words)
    return counts, contexts, total / symbols if symbols else 0.0


@lru_cache(maxsize=1)
def load_letter_model() -> LetterModel:
    """The letter model of wordfreq's large English list, built once and kept in the cache folder."""
    forms = lexicon.wordfreq_forms()
    # Keyed by the list's size, not its types': sorting them takes longer than loading the model.
    counts, contexts, typical = lexicon._cached(
        "letters", f"{ORDER}-of-{len(forms)}", lambda: count(_types(forms))
    )
    return LetterModel(counts, contexts, typical)
