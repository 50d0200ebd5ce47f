"""Word knowledge shared by stages: frequencies, and the document's own vocabulary.

Heavy resources load once per process and are cached here, nowhere else.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """Zipf frequency of a word in English (wordfreq's large list): 0 unknown, 7 'the'.

    >>> zipf("prosecution") > 3 > zipf("prosecu")
    True
    """
    import wordfreq

    return wordfreq.zipf_frequency(word, "en", wordlist="large")


def vocabulary(text: str) -> Counter:
    """Counts of the word forms in a text, case kept (document evidence)."""
    return Counter(WORD.findall(text))
