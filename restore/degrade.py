"""Synthetic OCR damage for clean text, with the gold kept beside it.

Each kind of damage is a small pure function of a string and a seed, so a
benchmark (or a user testing restore on their own material) can make noisy
text whose truth is known:

- ``delete_spans``: drop-outs, runs of words lost from a sentence, with the
  place of each loss in the damaged text (the gold for the gaps stage);
- ``confuse_characters``: OCR character confusions (``rn``/``m``, ``e``/``c``...);
- ``rewrap``: hard line breaks at a width, splitting words with end-of-line hyphens;
- ``paginate``: page breaks with a running head and a page number on each page.

``degrade`` chains them in the order a real scan damages text. Everything is
deterministic for a seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

# Sentence ends: terminal punctuation (with closing quotes or brackets) before
# whitespace, or a blank line.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|\n[ \t]*\n")
_TOKEN = re.compile(r"\S+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a text (a simple rule, good enough for noise).

    >>> text = "One two. Three four five!\\n\\nSix"
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['One two.', ' Three four five!', '\\n\\nSix']
    """
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start and text[start : m.end()].strip():
            spans.append((start, m.end()))
            start = m.end()
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text)))
    return spans


@dataclass(frozen=True)
class Dropout:
    """One deleted span: ``deleted`` was lost at ``offset`` in the damaged text."""

    offset: int
    deleted: str
    words: int


def drop_spans(
    text: str, rate: float, seed: int, min_words: int = 1, max_words: int = 8
) -> tuple[str, list[Dropout]]:
    """``delete_spans`` with the deleted text kept (see there for the rule)."""
    if not 0 <= rate <= 1:
        raise ValueError(f"rate must be between 0 and 1, not {rate}")
    if not 1 <= min_words <= max_words:
        raise ValueError(f"need 1 <= min_words <= max_words, not {min_words}..{max_words}")
    rng = random.Random(seed)
    pieces: list[str] = []
    dropouts: list[Dropout] = []
    cursor = 0  # text before this is in pieces
    removed = 0  # characters removed so far
    for s, e in sentence_spans(text):
        if rng.random() >= rate:
            continue
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text, s, e)]
        # The last token keeps the sentence's end, so at least one word must stay.
        if len(tokens) - 1 < min_words:
            continue
        k = rng.randint(min_words, min(max_words, len(tokens) - 1))
        first = rng.randrange(0, len(tokens) - k)
        start, end = tokens[first][0], tokens[first + k][0]
        pieces.append(text[cursor:start])
        dropouts.append(Dropout(start - removed, text[start:end], k))
        removed += end - start
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), dropouts


def delete_spans(
    text: str, rate: float, seed: int, min_words: int = 1, max_words: int = 8
) -> tuple[str, list[int]]:
    """Delete runs of words, as when OCR drops a line fragment; return text and places.

    ``rate`` is the probability that a sentence loses one span: each sentence
    (see ``sentence_spans``) independently, with probability ``rate``, loses
    ``k`` consecutive words, ``k`` uniform in ``min_words..max_words`` but
    never the sentence's last word, so the sentence still ends as it did and
    sentences too short to spare ``min_words`` are left whole. A word is a run
    of non-space characters; it goes with the whitespace after it, so the
    words on either side of the hole are still separated.

    Returns the damaged text and, for each deletion in order, the offset in
    the damaged text where the deleted words were (the start of the word that
    now follows the hole).

    >>> delete_spans("The cat sat on the mat. It slept.", 1.0, seed=1)
    ('The cat on the mat. slept.', [8, 20])
    """
    damaged, dropouts = drop_spans(text, rate, seed, min_words, max_words)
    return damaged, [d.offset for d in dropouts]
