"""Stray marks at a line's edge: a column rule or a speck that OCR read as a lone 'I', 'l' or '1'.

A newspaper's columns are ruled, and OCR reads a fragment of the rule beside a line as a lone
letter or digit: "of the body, I⏎and formed", "the policy of⏎I the water board". Such a mark
is no word, and the sentence reads on without it. Which lone marks are stray is decided as the
noisy channel decides a misreading, by two pieces of evidence multiplied:

- the document's own rate of stray marks at line edges: how many more lone marks it prints
  first or last on a line than its lone marks inside lines would lead one to expect there
  (`EdgeEvidence`); a document whose lone 'I's are all words prints them at its line edges no
  more often than elsewhere, and gets no removal at all;
- the language model: how much likelier the words around the mark read without it.

The posterior odds of a stray mark are the rate times that likelihood ratio (against the mark
as a word, printed right); the edit's confidence is the posterior. No training pairs hold
line breaks (BLN600's OCR is a paragraph a line), so the rate is the document's alone.

>>> ev = edge_evidence(["the body was found, I", "and formed the opinion", "that he had died", "on the night"])
>>> ev.at_edges, ev.inside, ev.edge_slots, round(ev.rate, 3)
(1, 0, 8, 0.1)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import lm

MARKS = frozenset({"I", "i", "l", "j", "1"})  # what OCR makes of a rule's fragment
MIN_TOKENS = 3  # a line with fewer is a heading or a list's entry, not a line of a column
WINDOW = 4  # language-model tokens each side of the mark
MAX_PROBABILITY = 0.999  # no reading is certain: the model and the rate are estimates
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class EdgeEvidence:
    """A document's lone marks at its lines' edges and inside them, and the places for each."""

    at_edges: int  # lone marks first or last on a line
    inside: int  # lone marks elsewhere on a line
    edge_slots: int  # two a line
    inside_slots: int  # the other tokens' places

    @property
    def expected(self) -> float:
        """Lone marks the edges would hold if they were words, at the rate inside lines."""
        return self.inside * self.edge_slots / self.inside_slots if self.inside_slots else 0.0

    @property
    def rate(self) -> float:
        """P(a stray mark printed at a line edge): the excess over `expected`, per edge slot (two
        slots more, unseen and clean, so that it stays under 1 on a page of marks)."""
        return max(0.0, self.at_edges - self.expected) / (self.edge_slots + 2)

    def explain(self) -> str:
        return (
            f"this document prints {self.at_edges:,} lone marks first or last on a line and "
            f"{self.inside:,} inside lines, where marks that were words would put {self.expected:.1f} "
            f"at the edges: a stray mark at about 1 in {round(1 / self.rate):,} line edges"
        )


def edge_evidence(lines: Sequence[str]) -> EdgeEvidence:
    """The lone marks of prose lines (MIN_TOKENS tokens or more), at the edges and inside."""
    at_edges = inside = edge_slots = inside_slots = 0
    for line in lines:
        tokens = _TOKEN.findall(line)
        if len(tokens) < MIN_TOKENS:
            continue
        edge_slots += 2
        inside_slots += len(tokens) - 2
        at_edges += (tokens[0] in MARKS) + (tokens[-1] in MARKS)
        inside += sum(t in MARKS for t in tokens[1:-1])
    return EdgeEvidence(at_edges, inside, edge_slots, inside_slots)


@dataclass(frozen=True)
class StrayMark:
    """A lone mark judged stray: its posterior and the evidence in words."""

    probability: float
    reason: str


def judge(
    text: str,
    start: int,
    end: int,
    mark_start: int,
    evidence: EdgeEvidence,
    score: Callable[[str, bool, bool], float],
    known: Callable[[str], bool],
    named: str = lm.LanguageModel.named,
) -> StrayMark | None:
    """The stray-mark reading of text[mark_start] (a lone mark), removing text[start:end]; None
    where a neighbouring word is no word the model knows (a garbled stretch, where the model's
    gain says nothing), the document gives no rate, or the mark is as likely a word (a
    posterior under an even chance, no flag worth a reviewer's time). `named` is what the reason
    calls the model `score` asks (``LanguageModel.named``)."""
    rate = evidence.rate
    if rate <= 0.0:
        return None
    before, after = lm.tokens_around(text, start, end, WINDOW)
    if not before or not after or not (_word(before[-1], known) and _word(after[0], known)):
        return None
    mark = text[mark_start]
    with_mark = score(" ".join([*before, lm.lm_form(mark), *after]), False, False)
    without = score(" ".join([*before, *after]), False, False)
    gain = without - with_mark
    odds = rate / (1 - rate) * 10**gain
    probability = odds / (1 + odds)
    if probability < 0.5:
        return None
    probability = min(probability, MAX_PROBABILITY)
    where = "first" if mark_start == start else "last"
    reason = (
        f"a lone '{mark}' {where} on its line: {evidence.explain()}; "
        f"'{' '.join(before[-2:])} {' '.join(after[:2])}' is {lm.times_likelier(gain)} without it "
        f"in {named}; probability {probability:.3f}"
    )
    return StrayMark(round(probability, 3), reason)


def _word(form: str, known: Callable[[str], bool]) -> bool:
    """A word the model knows, or a mark of punctuation."""
    return not form[:1].isalnum() or form == lm.NUMBER or known(form)
