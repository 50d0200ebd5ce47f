"""Passages in Latin or French inside English text, which the spelling stage leaves as printed.

Old books quote Ovid and Horace and print whole French letters; to an English corrector every
word there is a misspelling ("poterit" read as "potent", "ferar" as "fear", "legar" as "legal").
A passage is told by its function words, the words every sentence of a language needs and OCR
mostly prints right: a sentence with several Latin or French ones ("quod", "mihi", "tamen";
"dans", "nous", "avec"), at least twice as many as English ones, and few words that are common
in English, is foreign. A foreign phrase inside an English sentence ("ex professo", "et al.")
stays English: its sentence has English function words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from restore.models.lexicon import zipf

# The commonest function words of each language that are no English word ("in", "a", "on", "me"
# and "per" are both).
LATIN_FUNCTION_WORDS = frozenset(
    "et est non quod qui quae cum ut sed nec neque atque ac aut vel enim autem tamen ergo igitur "
    "mihi tibi sibi nobis vobis ego tu nos vos haec hoc ille illa illud ipse ipsa sunt esse erit "
    "fuit quam quid quo quoque nunc jam iam sic nisi omnia omnes nihil nil inter apud sine contra "
    "propter ubi unde etiam quia quoniam dum tam tantum modo ab ex".split()
)
FRENCH_FUNCTION_WORDS = frozenset(
    "le la les du des et est une que qui dans pour avec sur pas ne je vous il elle nous ils sont "
    "mais ou où ce cette ces son sa ses leur leurs au aux par plus tout bien comme fait été avoir être".split()
)
ENGLISH_FUNCTION_WORDS = frozenset(
    "the and of to is that it was for with as his he be by on not which this but from have are or "
    "at had were they their an you we she her him all been has will would there what so if no when who".split()
)
MIN_FUNCTION_WORDS = 3  # a language's function words in a sentence that make it that language's
MIN_WORDS = 5  # shorter sentences say too little ("Et tu, Brute?")
COMMON_ZIPF = 3.5  # an English word at least this common (3 a million) ...
MAX_COMMON_SHARE = 0.4  # ... makes up under this share of a foreign sentence's words
# With two function words only, the sentence needs no English one and fewer common English words.
FEW_FUNCTION_WORDS, FEW_COMMON_SHARE = 2, 0.3

_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Passage:
    """A foreign sentence: where it is in the text and its language ("la", "fr")."""

    start: int
    end: int
    language: str


def foreign_passages(text: str) -> list[Passage]:
    """The sentences of `text` in Latin or French, in order.

    >>> text = "He quoted Ovid. Cum volet illa dies, quae nil nisi corporis hujus jus habet. Then he wept."
    >>> [(text[p.start : p.end].strip(), p.language) for p in foreign_passages(text)]
    [('Cum volet illa dies, quae nil nisi corporis hujus jus habet.', 'la')]
    >>> foreign_passages("The committee met, et al., and the ship was ex professo a fine one.")
    []
    """
    out = []
    for m in _SENTENCE.finditer(text):
        words = [w.lower() for w in _WORD.findall(m.group())]
        if len(words) < MIN_WORDS:
            continue
        latin = sum(w in LATIN_FUNCTION_WORDS for w in words)
        french = sum(w in FRENCH_FUNCTION_WORDS for w in words)
        english = sum(w in ENGLISH_FUNCTION_WORDS for w in words)
        foreign = max(latin, french)
        if foreign < FEW_FUNCTION_WORDS or foreign < 2 * english:
            continue
        # lexicon.zipf, not word_zipf: it reads a ligature ("ﬁve") as its letters, as wordfreq does.
        common = sum(zipf(w) >= COMMON_ZIPF for w in words) / len(words)
        if (foreign >= MIN_FUNCTION_WORDS and common < MAX_COMMON_SHARE) or (
            english == 0 and common < FEW_COMMON_SHARE
        ):
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            out.append(Passage(start, m.end(), "la" if latin >= french else "fr"))
    return out
