"""Tokens, sentence starts and abbreviations, shared by the spelling, gaps and names code and the
noisy channel.

Two tokenizations, for two jobs: `WORD_TOKEN` (letters with inner apostrophes and
hyphens, the unit the spelling stage corrects) and `tokenize` (whitespace tokens with
their core word, the unit the gaps stage reads sentences in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A token: letters (and digits, apostrophes, inner hyphens, so such tokens can be skipped whole).
WORD_TOKEN = re.compile(r"[\wſ]+(?:['’\-][\wſ]+)*")
OPENERS = "\"'“‘([{«—-–"
SENTENCE_END = ".!?:;"
# Words after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st no nos vol vols p pp ch chap ed eds cf vs viz etc esq rev col gen capt lt "
    "sgt jan feb mar apr jun jul aug sep sept oct nov dec fig figs ibid op cit e g i "
    "co ltd bros inc jr sr hon messrs mt ft approx dept govt univ cent pub lb lbs oz cwt qr yds "
    "mss ms inst ult prox".split()  # "the 1st inst.", "the 26th ult.": this, last, next month
)
_SPACE_TOKEN = re.compile(r"\S+")
_CORE = re.compile(r"^[^\w]*(.*?)[^\w]*$", re.S)


def sentence_initial(text: str, start: int) -> bool:
    """Whether the token at ``start`` opens a sentence: after a sentence end, a blank
    line, or at the text's start (quotes and brackets before it skipped).

    >>> sentence_initial("He left. Then", 9), sentence_initial("He left then", 8)
    (True, False)
    """
    i = start - 1
    while i >= 0 and (text[i] in " \t" or text[i] in OPENERS):
        i -= 1
    if i < 0:
        return True
    if text[i] == "\n":
        j = i - 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        return j < 0 or text[j] == "\n" or text[j] in SENTENCE_END
    return text[i] in SENTENCE_END


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str  # as written, with punctuation
    word: str  # without leading and trailing punctuation

    @property
    def lower(self) -> str:
        return self.word.lower()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Whitespace tokens with their core word (punctuation stripped)."""
    tokens = []
    for m in _SPACE_TOKEN.finditer(text, start, len(text) if end is None else end):
        core = _CORE.match(m.group())
        tokens.append(Token(m.start(), m.end(), m.group(), core.group(1) if core else ""))
    return tokens
