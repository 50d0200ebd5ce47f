"""Lone letters inside lines: a speck, or the remnant of a broken word, that OCR read as a letter.

BLN600's OCR prints "the e prisoner", "a charge t of disorderly conduct": a letter standing
alone between words, where the truth has nothing. Sometimes the letter is what OCR kept of a
word ("in n dwelling" for "in a dwelling"), and then taking it out leaves the sentence short a
word: no right edit. The language model tells the two apart: where the letter stood for a word,
some short word reads better in its place than nothing at all; where it is a speck, none does.

So a lone letter is judged by its *margin*: how much likelier its neighbours read with nothing
between them than with the likeliest of the commonest short words of English (`short_words`)
in its place (log10). The probability that the letter is junk at that margin is learned from
aligned pairs (``restore.learn.lone_letter_rates``; BLN600's training split for the shipped
rates, a collection's own pages under ``restore learn``): of the lone letters printed with about
that margin, the share whose removal the truth confirms (it has no word there).

Only lower-case letters are judged: a capital is an initial ("Mr J Smith"), 'a' and 'v' are
words ("Smith v Jones"), and an 's' or an 't' after an 'n' is what is left of a word with an
apostrophe ("Blake s Illustrated Edition", "don t"); nor is a letter after a noun that names
things by letters ("clause b", LABEL_NOUNS). 'i' is judged, with "i" (as "I") among the short
words.

>>> rates = Rates(((2.0, 90, 100), (0.0, 40, 100)), "example")
>>> round(rates.probability(2.5), 3), round(rates.probability(0.5), 3), rates.probability(-0.1)
(0.892, 0.402, None)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import lexicon, lm

# A lone letter: lower case but 'a' and 'v', a space and a word of two letters or more on each
# side; not 's', nor 't' after an 'n': what is left of an apostrophe's word ("Blake s", "don t").
LONE_LETTER = re.compile(r"(?<=[^\W\d_]{2} )([b-ruw-z]|(?<!n )t)(?= [^\W\d_]{2})")
# Nouns that name a thing by a letter ("clause b of section 4", "company b on the right"): the
# language model's books seldom print such labels, so it cannot tell them from specks.
LABEL_NOUNS = frozenset(
    """appendix area article block book box case category chapter chart class clause column
    company diagram division exhibit exercise example fig figure form grade group item key level
    line list lot map model no note number option page paragraph part phase plan plate platform
    point problem question room row rule schedule scene section sector series sheet size square
    stage step subsection table type vitamin vol volume ward zone""".split()
)
SHORT_WORD_COUNT = 40  # the commonest words of one to three letters, what a lone letter may stand for
WINDOW = 4  # language-model tokens each side of the letter
# The bands of the margin the rates are learned in (log10, lower bounds; see BENCHMARKS.md).
MARGINS = (2.0, 1.0, 0.5)
MIN_LETTERS = 50  # a collection's pages with fewer lone letters keep the shipped rates
RATES_NAME = "lone_letters.json"
SHIPPED_RATES = Path(__file__).resolve().parent.parent / "data" / "channel" / RATES_NAME


@lru_cache(maxsize=1)
def short_words() -> tuple[str, ...]:
    """The SHORT_WORD_COUNT commonest words of one to three letters (wordfreq's English list)."""
    forms = lexicon.wordfreq_forms()
    short = [w for w in forms if len(w) <= 3 and w.isalpha() and w.islower()]
    return tuple(sorted(short, key=lambda w: -forms[w])[:SHORT_WORD_COUNT])


@dataclass(frozen=True)
class Margin:
    """How much likelier a lone letter's neighbours read with nothing between them than with the
    likeliest short word there (log10), and that word."""

    log10: float
    word: str
    before: tuple[str, ...]
    after: tuple[str, ...]


def margin(
    text: str, start: int, end: int, score: Callable[[str, bool, bool], float], known: Callable[[str], bool]
) -> Margin | None:
    """The margin of the lone letter text[start:end]; None where a neighbour is no word the model
    knows (a garbled stretch, where the model's comparison says nothing)."""
    before, after = lm.tokens_around(text, start, end, WINDOW)
    if not before or not after or not (known(before[-1]) and known(after[0])):
        return None
    without = score(" ".join([*before, *after]), False, False)
    best, word = max((score(" ".join([*before, w, *after]), False, False), w) for w in short_words())
    return Margin(without - best, word, tuple(before), tuple(after))


@dataclass(frozen=True)
class Rates:
    """P(a lone letter is junk) by margin band: (lower bound, letters the truth lacks, letters)."""

    bands: tuple[tuple[float, int, int], ...]
    source: str

    def band(self, log10: float) -> tuple[float, int, int] | None:
        return next((b for b in self.bands if log10 >= b[0]), None)

    def probability(self, log10: float) -> float | None:
        """The junk share of the band (one unseen junk letter and one unseen word added); None
        under the lowest band, where a short word reads as well as nothing."""
        band = self.band(log10)
        return None if band is None else (band[1] + 1) / (band[2] + 2)

    def to_json(self) -> dict:
        return {"source": self.source, "bands": [list(b) for b in self.bands]}


def save_rates(rates: Rates, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(json.dumps(rates.to_json(), indent=1) + "\n", encoding="utf-8")
    return path


@lru_cache(maxsize=8)
def load_rates(model_dir: str | None = None) -> Rates:
    """A collection's rates (``restore learn``'s folder) where it has them, else the shipped ones."""
    path = Path(model_dir) / RATES_NAME if model_dir else SHIPPED_RATES
    if not path.is_file():
        path = SHIPPED_RATES
    data = json.loads(path.read_text(encoding="utf-8"))
    return Rates(tuple((float(b), int(j), int(n)) for b, j, n in data["bands"]), data["source"])


@dataclass(frozen=True)
class LoneLetter:
    """A lone letter judged junk: its span with the space after it, its posterior and the evidence."""

    start: int
    end: int
    probability: float
    reason: str


def judge_letters(
    text: str,
    rates: Rates,
    score: Callable[[str, bool, bool], float],
    known: Callable[[str], bool],
    skip: Callable[[int, int], bool],
) -> list[LoneLetter]:
    """Each lone letter of text that `skip` (start, end) leaves and the rates call junk."""
    out = []
    for m in letters_to_judge(text):
        if skip(m.start(), m.end()):
            continue
        judged = margin(text, m.start(), m.end(), score, known)
        if judged is None:
            continue
        probability = rates.probability(judged.log10)
        if probability is None:
            continue
        out.append(
            LoneLetter(m.start(), m.end() + 1, round(probability, 3), _reason(m.group(), judged, rates))
        )
    return out


def letters_to_judge(text: str) -> Iterator[re.Match]:
    """The lone letters of a text (LONE_LETTER) but those after one of the LABEL_NOUNS: what the
    reader judges, and what its rates are learned on."""
    for m in LONE_LETTER.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()].split()
        if not (before and before[-1].lower().rstrip(".") in LABEL_NOUNS):
            yield m


def _reason(letter: str, judged: Margin, rates: Rates) -> str:
    band = rates.band(judged.log10)
    assert band is not None
    k = rates.bands.index(band)
    as_large = (
        f"{lm.times_likelier(band[0])} or more"
        if k == 0
        else f"{lm.times_likelier(band[0]).removesuffix(' times likelier')} to "
        f"{lm.times_likelier(rates.bands[k - 1][0])}"
    )
    words = f"'{' '.join(judged.before[-2:])} {' '.join(judged.after[:2])}'"
    return (
        f"a lone '{letter}' between words: {words}, read without it, {lm.likelier(judged.log10)} with "
        f"'{judged.word}' in its place, the likeliest of the {SHORT_WORD_COUNT} commonest short words; "
        f"in {rates.source}, {band[1]:,} of {band[2]:,} lone letters where nothing read {as_large} "
        f"were specks the truth lacks; probability {rates.probability(judged.log10):.3f}"
    )
