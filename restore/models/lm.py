"""The word n-gram language model: how likely a word is after the words before it.

Two KenLM models ship in ``restore/data/lm/``: ``forward.bin`` reads left to right,
``backward.bin`` right to left (the drop-out detector looks at a hole from both sides). Both
were built by ``scripts/build_lm.py`` from ../shared/corpora (Gutenberg and ECCO-TCP: 19th-
and 18th-century books, so period spellings are known words); they load memory-mapped, once
per process.

The same tokenizer (`lm_tokens`) made the training text and reads the documents, so that
what the model counted is what it is asked about:

>>> lm_tokens("Tlie ſhip, in 1852, was 'lost'!")
['tlie', 'ship', ',', 'in', '<num>', ',', 'was', 'lost', '!']
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

LM_DIR = Path(__file__).resolve().parent.parent / "data" / "lm"
NUMBER = "<num>"
TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*|[.,;:!?]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# A form is a known word when its unigram probability is at least this: about ten uses in the
# 110M-token training text. Rarer forms are mostly the corpora's own misprints ("tlie", "thc").
KNOWN_LOG10 = -6.5
# From about a hundred uses the books vouch for a form on their own, when no list of today's
# English has it: "featly", "uprose", "profest", "arrowy". Forms between the two bars are as
# often OCR junk ("acies", "woik") as the period's rare words.
BOOK_WORD_LOG10 = -6.0
# From about a thousand uses a form is too common in the books to be a misprint that a rule for
# rare forms may correct ("blest", which wordfreq rates as rare as "tlie").
BOOK_COMMON_LOG10 = -5.0


def lm_form(token: str) -> str:
    """One token as the model knows it: lower case, long s as s, digits as <num>."""
    token = token.replace("ſ", "s").replace("’", "'")
    return NUMBER if token[:1].isdigit() else token.lower()


def lm_tokens(text: str) -> list[str]:
    """Words (inner apostrophes kept), numbers as <num>, and the marks , . ; : ? ! of a text."""
    return [lm_form(t) for t in TOKEN.findall(text.replace("ſ", "s"))]


def lm_sentences(text: str) -> list[list[str]]:
    """The sentences of a paragraph as token lists (one a line in the training text)."""
    return [t for t in (lm_tokens(s) for s in SENTENCE_END.split(text)) if t]


class LanguageModel:
    """A KenLM model, memory-mapped; log10 probabilities."""

    named = "the language model"  # what a reason calls it (a mixed model names its share too)

    def __init__(self, path: str | Path):
        import kenlm

        path = Path(path)
        if not path.is_file():
            raise ValueError(f"{path}: no language model there")
        config = kenlm.Config()
        config.load_method = kenlm.LoadMethod.LAZY
        self.path = path
        self.model = kenlm.Model(str(path), config)
        self.order = self.model.order

    def score(self, joined: str, bos: bool = True, eos: bool = True) -> float:
        """log10 P of a space-joined token sequence."""
        return self.model.score(joined, bos=bos, eos=eos)

    def known(self, form: str) -> bool:
        """A word the books use (see KNOWN_LOG10), not one of their rare misprints."""
        return self.model.score(form, bos=False, eos=False) >= KNOWN_LOG10

    def unigram(self, form: str) -> float:
        """log10 P(form) out of context: how much the books use it (see BOOK_WORD_LOG10)."""
        return self.model.score(form, bos=False, eos=False)

    def token_scores(self, tokens: list[str], bos: bool = True, eos: bool = True) -> list[tuple[float, int]]:
        """(log10 P, n-gram length used) for each token, and for </s> when eos."""
        return [(p, n) for p, n, _oov in self.model.full_scores(" ".join(tokens), bos=bos, eos=eos)]


def tokens_around(text: str, start: int, end: int, window: int) -> tuple[list[str], list[str]]:
    """The `window` tokens before text[start:end] and after it, as the model reads them (from the
    200 characters each side): the context in which a stage weighs a mark with and without it."""
    before = lm_tokens(text[max(0, start - 200) : start])[-window:]
    return before, lm_tokens(text[end : end + 200])[:window]


def times_likelier(log10_ratio: float) -> str:
    """'2,000 times likelier' / '2.5 times likelier' / 'over a billion times likelier', for a gain:
    how the reasons of every stage word a ratio of the model's probabilities."""
    if log10_ratio >= 9:
        return "over a billion times likelier"
    r = 10**log10_ratio
    return f"{r:,.0f} times likelier" if r >= 10 else f"{r:.1f} times likelier"


def likelier(log10_ratio: float) -> str:
    """'is 2,000 times likelier than' / 'is about as likely as' / 'is less likely than', for a log10 ratio."""
    if log10_ratio < -0.18:
        return "is less likely than"
    if log10_ratio <= 0.18:
        return "is about as likely as"
    return f"is {times_likelier(log10_ratio)} than"


@lru_cache(maxsize=4)
def load_language_model(name: str = "forward") -> LanguageModel:
    """A shipped model by name ('forward', 'backward') or a path to a KenLM binary."""
    path = Path(name) if name.endswith((".bin", ".arpa")) else LM_DIR / f"{name}.bin"
    return LanguageModel(path)
