"""The learned OCR error model: how likely an OCR engine is to print one string for another.

Learned from aligned OCR / ground-truth pairs (``restore learn``; the shipped default from
BLN600's training split of British newspapers). Words are aligned by edit distance, then the
letters of each misread word; each run of differing letters is one *confusion* ("h" read
as "li", "m" as "rn", "e" as "c", "" as "-"), counted against how often its ground-truth
side occurs at all. That gives P(OCR form | intended word) as a product over confusions and
letters read right, with learned splits and joins of words.

>>> model = load_error_model()
>>> model.log_prob("tlie", "the") > model.log_prob("tlie", "tile")
True
"""

from __future__ import annotations

import copy
import heapq
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

from .tokens import ABBREVIATIONS

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

MAX_FAR_COST = 11.0  # log10: the dearest path a far candidate search follows (three 1-in-5,000 confusions)
REWRITES_PER_PIECE = 6  # the likeliest intended sides tried for one printed piece
# Letters on both sides of an unseen run up to which learned runs of several letters may make it up
# (`_by_pieces`); a longer run is garbled past any reading, and aligning it so costs time.
PIECES_MAX = 6
MAX_SEGMENT = 3  # the longest confusion side learned ("tli"→"th" is two rewrites of length <= 3)
MODEL_FORMAT = 1
WORD_MISREAD_MIN = 3  # times the pairs must print one word for another before the word's own rate serves
SPLIT_DISTANCE = 0.25  # how far two printed pieces, run together, may be from the word they split
# Probabilities a model keeps before it starts its cache afresh: a long book's fill it, and half of
# 200,000 cost no time (BENCHMARKS.md, "Chunks of 250,000 characters") and 30 MiB less at 1 MB.
CACHE_SIZE = 100_000
# Letters an old book prints for others by its own rules ('iudge', 'vpon', 'vvhich', 'ſo'): a
# document that repeats them teaches its period, not its OCR engine's errors.
PERIOD_TYPOGRAPHY = frozenset({("j", "i"), ("u", "v"), ("v", "u"), ("w", "vv"), ("s", "ſ")})
DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "data" / "channel" / "channel.json"
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*|[^\w\s]", re.UNICODE)


def words_of(text: str) -> list[str]:
    """The words of a text for alignment: letters/digits with inner apostrophes and hyphens."""
    return [w for w in _WORD.findall(text) if w[0].isalnum()]


def confusions(intended: str, observed: str) -> list[tuple[str, str]]:
    """The runs of differing letters between an intended word and its OCR reading.

    >>> confusions("the", "tlie")
    [('h', 'li')]
    >>> confusions("modern", "modem")
    [('rn', 'm')]
    """
    runs: list[tuple[str, str, int, int]] = []
    for tag, src_start, src_end, dest_start, dest_end in Levenshtein.opcodes(intended, observed).as_list():
        if tag == "equal":
            continue
        a, b = intended[src_start:src_end], observed[dest_start:dest_end]
        if runs and runs[-1][2] == src_start and runs[-1][3] == dest_start:
            before_a, before_b, _, _ = runs.pop()
            a, b = before_a + a, before_b + b
        runs.append((a, b, src_end, dest_end))
    return [(a, b) for a, b, _, _ in runs]


@dataclass
class Counts:
    """What learning counts; the model is made from it (so models from several folds can be summed)."""

    confusion: Counter = field(default_factory=Counter)  # "int\tobs" -> n
    substrings: Counter = field(default_factory=Counter)  # intended substrings (len <= 3) -> n
    letters: int = 0  # letters of aligned intended words
    words: int = 0  # aligned word pairs
    words_right: int = 0  # pairs read exactly
    misprints: Counter = field(default_factory=Counter)  # printed form -> times it stood for another word
    splits: int = 0  # one intended word read as two
    joins: int = 0  # two intended words read as one
    # mark -> two words printed with it for their space ("rope'round"; `marked_pairs`)
    marked_spaces: Counter = field(default_factory=Counter)
    # "pounds" / "number" -> numbers printed with '1' last before a full stop (`pound_prints`)
    pounds: Counter = field(default_factory=Counter)
    # "intended\tprinted" -> n: whole words printed as other forms ("had\tbad"), and intended -> prints
    word_misreads: Counter = field(default_factory=Counter)
    word_prints: Counter = field(default_factory=Counter)


# Two runs of letters with one mark between them ("rope'round", "had.evidently", "inspection,and").
MARKED_PAIR = re.compile(r"(?<![\w.'’])([^\W\d_]{2,})([,;:.'~’\"])([^\W\d_]{2,})(?![\w'’])")
MARK_NAMES = {
    "'": "an apostrophe",
    ".": "a full stop",
    ",": "a comma",
    ":": "a colon",
    ";": "a semicolon",
    "~": "a tilde",
    '"': "a quote mark",
}
MARK_KINDS = ("same", "mark and space", "space only", "other marks and space", "not found")
# A hyphen and a space between two runs of letters, the second in lower case: two words of the truth
# printed so ("charged- with") look like the pieces of one word whose line break the OCR flattened
# to a space ("con- corned"). The pairs' count of the first is kept under this key of `marked_spaces`.
FLATTENED_PAIR = re.compile(r"(?<![\w.'’-])([^\W\d_]+)(-) ([a-z][^\W\d_]+)(?![\w'’-])")
HYPHEN_BETWEEN = "- "
# A word broken at a line end whose hyphen the OCR misread as a speck and whose line break became a
# space ("im. mediately", "wit-. nesses", "con' dition"): two letters or more, the marks, one space,
# a piece in lower case. A comma is left: it stands for itself more often ("Act, e"). Two words of
# the truth printed so ("morn. the", "said; he" where the truth has no mark) look the same; the
# pairs' count of those is kept under SPECK_BETWEEN in `marked_spaces`.
_MISREAD_HYPHEN = r"[-‐]?[.'’~:;]{1,2}"
MISREAD_LINE_END = re.compile(rf"(?<![\w'’.])([^\W\d_]{{2,}})({_MISREAD_HYPHEN}) ([a-z][^\W\d_]*)(?![\w'’])")
MISREAD_BETWEEN = re.compile(_MISREAD_HYPHEN + " ")  # what stands between such pieces
SPECK_BETWEEN = "speck and space"
# ... and the pairs' count of one word of the truth printed so, its pieces apart ("morn. ing").
SPECK_SPLIT = "one word, speck and space"
# Two words of the truth printed with a comma and no space ("inspection,and"): the comma stands for
# itself and the space after it was lost far more often than the truth prints them so (BLN600's
# pairs: 23 against none; `bench_lost_spaces.py`). The pairs' counts of the two are kept under these
# keys of `marked_spaces` (a comma standing for the space alone is counted under ",").
COMMA_SPACE_LOST = "comma, space lost"
COMMA_AS_PRINTED = "comma, printed so"
# How `explain_between` names what stands between two words for each key of `marked_spaces` above.
BETWEEN_NAMES = {
    HYPHEN_BETWEEN: "a hyphen and a space",
    SPECK_BETWEEN: "a speck and a space",  # the speck is in the printed pieces the reason quotes
}


def mark_between(x: str, mark: str, y: str, truth: str) -> str:
    """What the truth has where the OCR printed `x`, `mark`, `y` (one of MARK_KINDS, searched in
    that order): a text search, not an alignment, since the alignment's words drop the marks."""
    x, mark, y = (re.escape(s) for s in (x, mark, y))
    for name, pattern in (
        ("same", x + mark + y),
        ("mark and space", x + r"\s*" + mark + r"\s+" + y),
        ("space only", x + r"\s+" + y),
        ("other marks and space", x + r"\W*\s+\W*" + y),
    ):
        if re.search(pattern, truth):
            return name
    return "not found"


def speck_kind(x: str, mark: str, y: str, truth: str) -> str:
    """What the truth has where the OCR printed `x`, a speck `mark` and a space, `y`: one of
    MARK_KINDS, or "one word" where the truth prints them run together or hyphened and no two
    words so. A text search, as `mark_between`'s."""
    kind = mark_between(x, mark, y, truth)
    if kind == "not found" and re.search(rf"(?<!\w){re.escape(x)}-?{re.escape(y)}(?!\w)", truth):
        return "one word"
    return kind


# A number printed with '1' last, before a full stop: British papers and books print a sum of
# pounds "5l.", and an OCR engine that reads the 'l' after figures as a figure prints "51." ("a
# fine of 51. and costs"). Years ("1871.") are numbers whatever their context.
POUND_PRINT = re.compile(r"\(?(\d{1,3}(?:,\d{3})+1|\d{1,4}1)\.(?!\d)")
YEAR_LIKE = re.compile(r"1[5-9]\d1")


def paired_words(ocr: Sequence[str], gt: Sequence[str]) -> Iterator[tuple[int, int]]:
    """(i, j) for each OCR word the word alignment pairs with one ground-truth word: kept, or
    replaced one for one."""
    for op in Levenshtein.opcodes(ocr, gt):
        n = op.src_end - op.src_start
        if op.tag in ("equal", "replace") and n == op.dest_end - op.dest_start:
            for k in range(n):
                yield op.src_start + k, op.dest_start + k


def pound_prints(ocr_text: str, gt_text: str) -> Counter:
    """How often the OCR's numbers printed with '1' last before a full stop (POUND_PRINT, years
    apart) stand for pounds in the truth ("51." for '5l.') and how often for the number: "pounds"
    and "number", over the words the alignment pairs one for one."""
    found: Counter = Counter()
    ocr, gt = ocr_text.split(), gt_text.split()
    for i, j in paired_words(ocr, gt):
        m = POUND_PRINT.match(ocr[i])
        if not m or YEAR_LIKE.fullmatch(m.group(1)):
            continue
        number, truth = m.group(1), gt[j].strip("(.,;:")
        if truth == number[:-1] + "l":
            found["pounds"] += 1
        elif truth == number:
            found["number"] += 1
    return found


def marked_pairs(ocr_text: str, gt_text: str) -> Counter:
    """(mark, MARK_KINDS) -> how many of the OCR's two words with a mark between them."""
    return Counter((m.group(2), mark_between(*m.groups(), gt_text)) for m in MARKED_PAIR.finditer(ocr_text))


def join_line_hyphens(text: str) -> str:
    """'pro- perty' -> 'property': the hyphenation stage does this before spelling sees the words."""
    return re.sub(r"(\w)[-¬]\s+(\w)", r"\1\2", text)


def count_pairs(pairs: Iterable[tuple[str, str]]) -> Counts:
    """Counts from (ocr_text, ground_truth_text) pairs."""
    counts = Counts()
    for ocr_text, gt_text in pairs:
        _count_text(words_of(join_line_hyphens(gt_text)), words_of(join_line_hyphens(ocr_text)), counts)
        for (mark, kind), n in marked_pairs(ocr_text, gt_text).items():
            if kind == "space only":
                counts.marked_spaces[mark.replace("’", "'")] += n
            elif mark == "," and kind in ("mark and space", "same"):
                counts.marked_spaces[COMMA_SPACE_LOST if kind == "mark and space" else COMMA_AS_PRINTED] += n
        counts.marked_spaces[HYPHEN_BETWEEN] += sum(
            mark_between(m.group(1), "-", m.group(3), gt_text) == "space only"
            for m in FLATTENED_PAIR.finditer(ocr_text)
        )
        specks = Counter(
            speck_kind(*m.groups(), gt_text)
            for m in MISREAD_LINE_END.finditer(ocr_text)
            if m.group(1).lower() not in ABBREVIATIONS
        )
        counts.marked_spaces[SPECK_BETWEEN] += specks["space only"]
        counts.marked_spaces[SPECK_SPLIT] += specks["one word"]
        counts.pounds += pound_prints(ocr_text, gt_text)
    return counts


def _count_text(gt: list[str], ocr: list[str], counts: Counts) -> None:
    gt_l, ocr_l = [w.lower() for w in gt], [w.lower() for w in ocr]
    ops = Levenshtein.opcodes(gt_l, ocr_l)
    for a, b, c, d in _stretches(ops):
        if d - c > b - a:
            counts.splits += _split_words(gt_l[a:b], ocr_l[c:d])
    for op in ops:
        if op.tag == "equal":
            for w in gt_l[op.src_start : op.src_end]:
                _count_word(w, w, counts)
        elif op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start:
            for k in range(op.src_end - op.src_start):
                i, j = op.src_start + k, op.dest_start + k
                a, b = gt_l[i], ocr_l[j]
                # The word alignment pairs "kingwas" with "king" and leaves "was" over.
                if i + 1 < len(gt_l) and b == a + gt_l[i + 1]:
                    counts.joins += 1
                elif j + 1 < len(ocr_l) and a == b + ocr_l[j + 1]:
                    pass  # a split: counted by _split_words above, with the misread ones
                elif Levenshtein.normalized_distance(a, b) <= 0.5:
                    _count_word(a, b, counts)


def _stretches(ops) -> Iterator[tuple[int, int, int, int]]:
    """(gt start, gt end, ocr start, ocr end) of each run of unequal alignment blocks."""
    run = None
    for op in ops:
        if op.tag == "equal":
            if run:
                yield run
            run = None
        elif run is None:
            run = (op.src_start, op.src_end, op.dest_start, op.dest_end)
        else:
            run = (run[0], op.src_end, run[2], op.dest_end)
    if run:
        yield run


def _split_words(gt: list[str], ocr: list[str]) -> int:
    """Intended words printed as two pieces ("coin mittee" for "committee"), misread or not, in a
    stretch of the alignment where the OCR has more words than the truth."""
    found, at = 0, 0
    for a in gt:
        if len(a) < 3 or not a.isalpha():
            continue
        for k in range(at, len(ocr) - 1):
            x, y = ocr[k], ocr[k + 1]
            if x.isalpha() and y.isalpha() and Levenshtein.normalized_distance(a, x + y) <= SPLIT_DISTANCE:
                found, at = found + 1, k + 2
                break
    return found


def _count_word(intended: str, observed: str, counts: Counts) -> None:
    counts.words += 1
    counts.letters += len(intended)
    counts.word_prints[intended] += 1
    for n in range(1, MAX_SEGMENT + 1):
        for i in range(len(intended) - n + 1):
            counts.substrings[intended[i : i + n]] += 1
    if intended == observed:
        counts.words_right += 1
        return
    counts.misprints[observed] += 1
    counts.word_misreads[f"{intended}\t{observed}"] += 1
    for a, b in confusions(intended, observed):
        if len(a) <= MAX_SEGMENT and len(b) <= MAX_SEGMENT:
            counts.confusion[f"{a}\t{b}"] += 1


def _printed(intended: str, observed: str) -> str:
    """A confusion in words: "printed 'li' for 'h'", "added 'e'", "lost 'e'"."""
    if intended and observed:
        return f"printed '{observed}' for '{intended}'"
    return f"added '{observed}'" if observed else f"lost '{intended}'"


class ErrorModel:
    """P(OCR form | intended word), from learned confusion counts.

    A confusion's probability is its count over the count of its intended side in the
    training words, with add-half smoothing; unseen confusions fall back to the overall rate
    of that shape (one letter for another, a letter lost, a letter added) spread over the
    alphabet, so that nothing is impossible but the learned ones dominate.
    """

    def __init__(self, data: dict, document: dict[tuple[str, str], tuple[int, int]] | None = None):
        self.data = data
        # The document's own confusions (see `adapted`): (intended, observed) -> (seen, of).
        self.document = document or {}
        # A collection's, learned from its OCR alone (``restore learn`` without ground truth), the same way.
        self.collection: dict[tuple[str, str], tuple[int, int]] = {
            tuple(k.split("\t", 1)): (v[0], v[1]) for k, v in data.get("collection", {}).items()
        }
        self._p_cache: dict[tuple[str, str], float] = {}
        self._log_prob_cache: dict[tuple[str, str], float] = {}
        self._log_p_cache: dict[tuple[str, str], float] = {}  # log10 p_confusion: a word's sum reads it often
        self.confusion: dict[tuple[str, str], int] = {
            tuple(k.split("\t", 1)): v for k, v in data["confusion"].items()
        }
        self.substrings: dict[str, int] = data["substrings"]
        letters = max(1, data["letters"])
        shape = Counter()
        for (a, b), n in self.confusion.items():
            shape[(min(len(a), 2), min(len(b), 2))] += n
        self._shape_rate = {k: (v + 1) / letters for k, v in shape.items()}
        errors = sum(self.confusion.values())
        self.letter_right = max(1e-6, 1 - errors / letters)
        self.word_right = (data["words_right"] + 1) / (data["words"] + 2)
        self.split_rate = (data["splits"] + 0.5) / (data["words"] + 1)
        self.join_rate = (data["joins"] + 0.5) / (data["words"] + 1)
        # Two words printed with a mark for their space ("rope'round"), by mark; a model learned
        # before these were counted prices them as a lost space and an added mark.
        self.marked_spaces: dict[str, float] = data.get("marked_spaces", {})
        # Numbers printed with '1' last before a full stop, by what the truth had (`pound_prints`).
        self.pounds: dict[str, float] = data.get("pounds", {})
        # Whole words the pairs printed as another form WORD_MISREAD_MIN times or more ("bad" for
        # 'had' 110 times in 2,333), and how often they printed each such intended word at all.
        self.word_misreads: dict[tuple[str, str], float] = {
            tuple(k.split("\t", 1)): v for k, v in data.get("word_misreads", {}).items()
        }
        self.word_prints: dict[str, float] = data.get("word_prints", {})
        # Whole words a collection's OCR alone printed as another form WORD_MISREAD_MIN times or more
        # among its sure readings (``learn.learn_from_ocr``: "tho" for 'the' 512 times), and the
        # times it printed the word at all: (intended, observed) -> (seen, of).
        self.collection_words: dict[tuple[str, str], tuple[int, int]] = {
            tuple(k.split("\t", 1)): (v[0], v[1]) for k, v in data.get("collection_words", {}).items()
        }
        # The learned confusions of three letters or more in all, by printed side: the pieces an
        # unseen run may be made of besides single letters (`_by_pieces`).
        self._runs: dict[str, set[str]] = {}
        self._add_runs(self.confusion.keys() | self.document.keys() | self.collection.keys())
        # The OCR side of every learned confusion, for candidate generation (observed -> intended).
        self.rewrites: dict[str, list[tuple[str, float]]] = {}
        for (a, b), n in self.confusion.items():
            taught = (a, b) in self.document or (a, b) in self.collection
            if (n >= 2 or taught) and b and (not a or a.isalpha()):  # no rewrite to '16'
                self.rewrites.setdefault(b, []).append((a, math.log10(self.p_confusion(a, b))))
        for a, b in (self.document.keys() | self.collection.keys()) - self.confusion.keys():
            if b and (not a or a.isalpha()):
                self.rewrites.setdefault(b, []).append((a, math.log10(self.p_confusion(a, b))))
        for v in self.rewrites.values():
            v.sort(key=lambda x: -x[1])

    def p_confusion(self, intended: str, observed: str) -> float:
        return _cached(self._p_cache, (intended, observed), self._p_confusion)

    def _p_confusion(self, intended: str, observed: str) -> float:
        """P(OCR prints `observed` where `intended` stood), one run of letters: the document's own
        rate where it has taught one (see `adapted`), else the collection's, else the training pairs'."""
        taught = self.document.get((intended, observed)) or self.collection.get((intended, observed))
        if taught:
            seen, of = taught
            return seen / of
        n = self.confusion.get((intended, observed), 0)
        if not n and len(intended) == len(observed) > 1:
            # An unseen run of letters for letters ('mi' for 'nd'): as likely as the confusions it is made of.
            if len(intended) + len(observed) > PIECES_MAX or not self._may_hold_runs(intended, observed):
                p = 1.0
                for x, y in zip(intended, observed):
                    p *= self.letter_right if x == y else self.p_confusion(x, y)
                return p
            return self._by_pieces(intended, observed)
        base = self.substrings.get(intended, 0) if intended else self.data["letters"]
        fallback = self._shape_rate.get((min(len(intended), 2), min(len(observed), 2)), 1e-4) / 30
        if n:
            return (n + 0.5 * fallback * 30) / (base + 0.5 * 30)
        if len(intended) + len(observed) > 2:
            # An unseen run of another length ('ln' for 'a'): no likelier than the confusions along its
            # best alignment (a letter added, one misread), nor than its shape's rate.
            return min(fallback, self._by_pieces(intended, observed))
        return fallback

    def _add_runs(self, pairs: Iterable[tuple[str, str]]) -> None:
        for a, b in pairs:
            if len(a) + len(b) > 2 and len(a) <= MAX_SEGMENT and len(b) <= MAX_SEGMENT:
                self._runs.setdefault(b, set()).add(a)

    def _may_hold_runs(self, intended: str, observed: str) -> bool:
        """Whether a learned run of several letters fits inside a run of two letters for two (a cheap
        test: most such runs are two single confusions, priced as such); longer runs are aligned."""
        if len(intended) != 2:
            return True
        runs = self._runs
        return any(
            a in runs.get(b, ())
            for a, b in (
                (intended, observed[0]),
                (intended, observed[1]),
                (intended[0], observed),
                (intended[1], observed),
            )
        )

    def _by_pieces(self, intended: str, observed: str) -> float:
        """P of the likeliest alignment of two short runs by smaller confusions: letters read right,
        misread, lost or added, and, for runs of up to PIECES_MAX letters on both sides, the learned
        runs of several letters. Two confusions side by side are one run to `confusions` ("tlio"
        for 'the': 'he' printed 'lio'), but as likely as the two apart ('h' printed 'li', 'e'
        printed 'o')."""
        return self._alignment(intended, observed)[-1][-1]

    def _piece_runs(self, intended: str, observed: str) -> dict[str, set[str]]:
        """The learned runs `_alignment` may use: none for a run of three letters (no piece but the
        whole) or of more than PIECES_MAX."""
        return self._runs if 3 < len(intended) + len(observed) <= PIECES_MAX else {}

    def _alignment(self, intended: str, observed: str) -> list[list[float]]:
        """best[i][j]: P of the likeliest alignment of intended[:i] with observed[:j] (see `_by_pieces`)."""
        right, p, runs = self.letter_right, self.p_confusion, self._piece_runs(intended, observed)
        n, m = len(intended), len(observed)
        best = [[0.0] * (m + 1) for _ in range(n + 1)]
        best[0][0] = 1.0
        for i in range(n + 1):
            row = best[i]
            for j in range(m + 1):
                here = row[j]
                if not here:
                    continue
                if i < n:
                    x, below = intended[i], best[i + 1]
                    if j < m:
                        y = observed[j]
                        v = here * (right if x == y else p(x, y))
                        if v > below[j + 1]:
                            below[j + 1] = v
                    v = here * p(x, "")
                    if v > below[j]:
                        below[j] = v
                if j < m:
                    v = here * p("", observed[j])
                    if v > row[j + 1]:
                        row[j + 1] = v
                if not runs:
                    continue
                for el in range(min(MAX_SEGMENT, m - j) + 1):
                    b = observed[j : j + el]
                    sides = runs.get(b)
                    if sides is None:
                        continue
                    for k in range(min(MAX_SEGMENT, n - i) + 1):
                        a = intended[i : i + k]
                        if a in sides and (k, el) != (n, m):  # the whole run is what is priced
                            v = here * p(a, b)
                            if v > best[i + k][j + el]:
                                best[i + k][j + el] = v
        return best

    def _pieces(self, intended: str, observed: str) -> list[tuple[str, str]]:
        """The confusions along `_alignment`'s likeliest path, in order (letters read right left
        out): what an unseen run's price is made of, for `explain`."""
        best, runs = self._alignment(intended, observed), self._piece_runs(intended, observed)
        i, j, out = len(intended), len(observed), []
        while i or j:
            here = best[i][j]
            steps = [(1, 1), (1, 0), (0, 1)] + [
                (k, el)
                for k in range(min(MAX_SEGMENT, i) + 1)
                for el in range(min(MAX_SEGMENT, j) + 1)
                if k + el > 2 and intended[i - k : i] in runs.get(observed[j - el : j], ())
            ]
            for k, el in steps:
                if k > i or el > j or (k, el) == (len(intended), len(observed)):
                    continue
                a, b = intended[i - k : i], observed[j - el : j]
                step = self.letter_right if a == b else self.p_confusion(a, b)
                if math.isclose(best[i - k][j - el] * step, here, rel_tol=1e-9):
                    if a != b:
                        out.append((a, b))
                    i, j = i - k, j - el
                    break
            else:
                return []  # no step explains the cell (cannot happen for a table `_alignment` made)
        return out[::-1]

    def log_prob(self, observed: str, intended: str) -> float:
        """log10 P(observed | intended), case folded (cached on the model, so that a document's
        adapted model and its cache go with the document)."""
        return _cached(self._log_prob_cache, (observed, intended), self._log_prob)

    def _log_prob(self, observed: str, intended: str) -> float:
        """log10 P(observed | intended), case folded.

        >>> m = load_error_model()
        >>> round(m.log_prob("the", "the"), 2) > m.log_prob("tho", "the") > m.log_prob("xyz", "the")
        True
        """
        a, b = intended.lower(), observed.lower()
        if " " in b and " " not in a:  # one word printed as two pieces ("coin mittee")
            speck = self._speck_split(b)
            if speck is not None:  # at a line end whose hyphen became a speck ("morn. ing")
                return math.log10(self._space_rate(SPECK_SPLIT)) + self.log_prob(b.replace(speck, ""), a)
            return math.log10(self.split_rate) + self.log_prob(b.replace(" ", ""), a)
        if a == b:
            return math.log10(self.word_right)
        total = 0.0
        changed = 0
        logs = self._log_p_cache
        for pair in confusions(a, b):
            log_p = logs.get(pair)
            if log_p is None:
                if len(logs) >= CACHE_SIZE:
                    logs.clear()
                log_p = logs[pair] = math.log10(self.p_confusion(*pair))
            total += log_p
            changed += len(pair[0])
        total += max(0, len(a) - changed) * math.log10(self.letter_right)
        # A word the pairs printed as this very form again and again: its own rate, where it is the
        # higher (the letters' rate is an average over every word: 'b' for 'h' in 1 of 126, but
        # "bad" for 'had' in 110 of 2,333).
        word = self.word_rate(a, b)
        return total if word is None else max(total, math.log10(word))

    def word_rate(self, intended: str, observed: str) -> float | None:
        """P(the word `intended` printed as `observed`) from the pairs' whole words, both in lower
        case, where they printed it so WORD_MISREAD_MIN times or more; else None."""
        n = self.word_misreads.get((intended, observed))
        if n is not None:
            return n / (self.word_prints.get(intended, n) + 2)
        seen = self.collection_words.get((intended, observed))
        return None if seen is None else seen[0] / (seen[1] + 2)

    def log_prob_run_together(self) -> float:
        """log10 P(two words printed as one, each letter read right): "kingwas" for "king was"."""
        return math.log10(self.join_rate) + 2 * math.log10(self.word_right)

    def log_prob_between(self, between: str) -> float | None:
        """log10 P(two words printed with `between` standing between them: HYPHEN_BETWEEN, "charged-
        with"; SPECK_BETWEEN, "morn. the"), at the pairs' rate; None for a model learned before it
        was counted."""
        return math.log10(self._space_rate(between)) if between in self.marked_spaces else None

    def _space_rate(self, key: str) -> float:
        """The pairs' rate of what `marked_spaces` counts under `key` (two words printed with a mark
        for their space, or one of its BETWEEN_NAMES keys), smoothed."""
        return (self.marked_spaces[key] + 0.5) / (self.data["words"] + 1)

    def _in_pairs(self, key: str) -> str:
        """How often the pairs printed what `marked_spaces` counts under `key`, in words."""
        return f"{round(self.marked_spaces[key]):,} of {self.data['words']:,} words in the training pairs"

    def explain_between(self, between: str) -> str:
        """The pairs' rate of two words printed with `between` standing between them, in words."""
        if between not in self.marked_spaces:
            return ""
        return (
            f"two words are printed with {BETWEEN_NAMES[between]} between them in {self._in_pairs(between)}"
        )

    @property
    def comma_space_rate(self) -> float | None:
        """P(a space was lost after a comma | two words printed with a comma and no space between
        them), from the pairs where the truth has the two words: the comma with a space after it,
        or a space alone, against the comma as printed, two unseen cases keeping it from 0 and 1;
        None for a model learned before it was counted."""
        if COMMA_SPACE_LOST not in self.marked_spaces:
            return None
        lost, printed = self._comma_counts()
        return (lost + 1) / (lost + printed + 2)

    def _comma_counts(self) -> tuple[float, float]:
        """The pairs' commas between two words with the space lost after them (the comma kept, or
        standing for the space), and those the truth prints as the OCR did."""
        lost = self.marked_spaces.get(COMMA_SPACE_LOST, 0) + self.marked_spaces.get(",", 0)
        return lost, self.marked_spaces.get(COMMA_AS_PRINTED, 0)

    def explain_comma_space(self) -> str:
        """The pairs' counts behind ``comma_space_rate``, in words."""
        lost, printed = (round(n) for n in self._comma_counts())
        return (
            f"where the OCR printed two words with a comma and no space between them, the truth had "
            f"a space there in {lost:,} of {lost + printed:,} cases in the training pairs"
        )

    @property
    def pounds_rate(self) -> float | None:
        """P(pounds | a number printed with '1' last before a full stop), from the pairs, two unseen
        readings keeping it from 0 and 1; None where the pairs printed no such number."""
        pounds, numbers = self.pounds.get("pounds", 0), self.pounds.get("number", 0)
        return (pounds + 1) / (pounds + numbers + 2) if pounds + numbers else None

    def explain_pounds(self) -> str:
        """The pairs' rate of pounds among numbers printed with '1' last, in words."""
        pounds = round(self.pounds.get("pounds", 0))
        of = pounds + round(self.pounds.get("number", 0))
        return (
            f"a number printed with '1' last before a full stop stood for pounds ('l.') in {pounds:,} "
            f"of {of:,} cases in the training pairs (years apart)"
        )

    def log_prob_spaces_lost(self, observed: str, intended: str) -> float:
        """log10 P(several words printed as one form): two words printed with a mark for their
        space ("rope'round", "had.evidently") at the pairs' rate of that mark for a space, each
        word read right; otherwise each space lost at the pairs' rate of two words run together,
        and the letters (a mark among them) as the words' own would print them. What `explain`
        words for such a reading."""
        mark = self._space_mark(observed, intended)
        if mark is not None:
            return math.log10(self._space_rate(mark)) + 2 * math.log10(self.word_right)
        joined = intended.replace(" ", "")
        return intended.count(" ") * math.log10(self.join_rate) + self.log_prob(observed, joined)

    def _speck_split(self, observed: str) -> str | None:
        """What stands between two pieces printed with a speck and a space ("morn. ing": '. '), when
        the pairs counted one word printed so."""
        if SPECK_SPLIT not in self.marked_spaces or observed.count(" ") != 1:
            return None
        m = MISREAD_LINE_END.fullmatch(observed)
        return observed[m.end(1) : m.start(3)] if m else None

    def _space_mark(self, observed: str, intended: str) -> str | None:
        """The mark printed for the one space of two intended words, when the pairs saw it so."""
        first, _, second = intended.partition(" ")
        observed = observed.lower().replace("’", "'")
        if " " in second or not observed.startswith(first) or not observed.endswith(second):
            return None
        mark = observed[len(first) : len(observed) - len(second)]
        return mark if mark in self.marked_spaces else None

    def explain(self, observed: str, intended: str) -> str:
        """The confusions in words, with their frequencies and where they were learned:
        "printed 'li' for 'h' in 1 of 40 cases in the training pairs", "... in 5 of 12 cases in this document"."""
        if " " in intended and " " not in observed:
            mark = self._space_mark(observed, intended)
            if mark is not None:
                return (
                    f"printed {MARK_NAMES.get(mark, repr(mark))} for the space between two words in "
                    f"{self._in_pairs(mark)}"
                )
            joined, n = intended.replace(" ", ""), intended.count(" ") + 1
            rate = f"in 1 of {round(1 / self.join_rate):,} cases in the training pairs"
            ran = (
                f"ran two words together {rate}"
                if n == 2
                else f"ran {n} words together, each space lost {rate}"
            )
            return ran + ("; " + self.explain(observed, joined) if joined != observed.lower() else "")
        if " " in observed and " " not in intended:
            speck = self._speck_split(observed.lower())
            if speck is not None:
                split = (
                    f"printed one word as two pieces with {BETWEEN_NAMES[SPECK_BETWEEN]} between them in "
                    f"{self._in_pairs(SPECK_SPLIT)}"
                )
                joined = observed.lower().replace(speck, "")
            else:
                split = f"printed one word as two pieces in 1 of {round(1 / self.split_rate):,} cases in the training pairs"
                joined = observed.replace(" ", "")
            return split + (
                "; " + self.explain(joined, intended) if joined.lower() != intended.lower() else ""
            )
        word, printed = intended.lower(), observed.lower()
        rate = self.word_rate(word, printed)
        served = rate is not None and math.log10(rate) >= self.log_prob(observed, intended)
        if served:  # the word's own rate priced it, not its letters'
            if (word, printed) in self.word_misreads:
                n, of, where = (
                    self.word_misreads[(word, printed)],
                    self.word_prints[word],
                    "the training pairs",
                )
            else:
                (n, of), where = self.collection_words[(word, printed)], "this collection"
            return (
                f"printed '{printed}' for the word '{word}' in {round(n):,} of {round(of):,} cases in {where}"
            )
        parts = []
        for x, y in confusions(intended.lower(), observed.lower()):
            pieces = self._priced_pieces(x, y)
            if pieces:
                made = " and ".join(self._confusion_words(a, b) for a, b in pieces)
                parts.append(f"{_printed(x, y)}, never seen as one run, as {made}, side by side")
            else:
                parts.append(self._confusion_words(x, y))
        return "; ".join(parts)

    def _priced_pieces(self, intended: str, observed: str) -> list[tuple[str, str]]:
        """The confusions an unseen run's price is made of (`_pieces`), where it is theirs: not a
        run the pairs, the document or the collection showed, nor one its shape's rate priced."""
        key = (intended, observed)
        if self.confusion.get(key) or key in self.document or key in self.collection:
            return []
        pieces = self._pieces(intended, observed)
        right = len(intended) - sum(len(a) for a, _ in pieces)  # letters read right
        p = math.prod(self.p_confusion(a, b) for a, b in pieces) * self.letter_right**right
        return pieces if len(pieces) > 1 and math.isclose(p, self.p_confusion(*key), rel_tol=1e-6) else []

    def _confusion_words(self, x: str, y: str) -> str:
        """One confusion with its frequency and where it was learned, in words."""
        what = _printed(x, y)
        for taught, where in ((self.document, "this document"), (self.collection, "this collection")):
            if (x, y) in taught:
                n, of = taught[(x, y)]
                return f"{what} in {n:,} of {of:,} cases in {where}"
        estimated = "" if self.confusion.get((x, y), 0) else " (never seen; estimated)"
        return f"{what} in 1 of {max(1, round(1 / self.p_confusion(x, y))):,} cases in the training pairs{estimated}"

    def adapted(self, seen: Counter, words: Iterable[str]) -> ErrorModel:
        """This model with a document's own confusions: `seen` counts the confusions of its
        confident corrections, `words` are its words as printed. An OCR engine repeats its
        misreadings through a book ('U' for 'll' in "weU", "wiU", "shaU"); where the document
        shows a confusion more often than the training pairs did, its own rate serves (times
        seen over the times its intended side occurs in the document, misread ones included)."""
        document = self.taught_rates(seen, words)
        if not document:
            return self
        # A light copy: the training tables are shared, the document's rates and caches are its own.
        model = copy.copy(self)
        model.document, model._p_cache, model._log_prob_cache, model._log_p_cache = document, {}, {}, {}
        model.rewrites = dict(self.rewrites)
        if any(len(a) + len(b) > 2 for a, b in document):  # its own runs of several letters, for `_by_pieces`
            model._runs = {b: set(sides) for b, sides in self._runs.items()}
            model._add_runs(document)
        for (a, b), _ in document.items():
            if a.isalpha() or not a:
                kept = [r for r in model.rewrites.get(b, ()) if r[0] != a]
                kept.append((a, math.log10(model.p_confusion(a, b))))
                model.rewrites[b] = sorted(kept, key=lambda x: -x[1])
        return model

    def taught_rates(self, seen: Counter, words: Iterable[str]) -> dict[tuple[str, str], tuple[int, int]]:
        """(intended, observed) -> (seen, of) for the confusions `seen` shows more often, among
        `words`, than this model expects them: what a document (or a collection) teaches."""
        wanted = {a for a, _ in seen}
        occurs: Counter = Counter()
        letters = 0
        for w in words:
            letters += len(w)
            for a in wanted:
                if a:
                    occurs[a] += w.count(a)
        taught = {}
        for (a, b), n in seen.items():
            of = (occurs[a] if a else letters) + n
            if (a, b) not in PERIOD_TYPOGRAPHY and n / (of + 2) > self.p_confusion(a, b):
                taught[(a, b)] = (n, of + 2)  # two unseen readings: a rate from three sightings stays below 1
        return taught

    def document_rewrites(self, observed: str) -> set[str]:
        """Forms one of the document's own confusions (see `adapted`) leads back to, once or twice."""
        out: set[str] = set()
        todo = [observed]
        for _ in range(2):
            nxt = []
            for form in todo:
                for a, b in self.document:
                    at = form.find(b)
                    while at >= 0:
                        new = form[:at] + a + form[at + len(b) :]
                        if new not in out:
                            out.add(new)
                            nxt.append(new)
                        at = form.find(b, at + 1)
            todo = nxt
        return out

    def rewrite_candidates(self, observed: str, budget: int = 80) -> set[str]:
        """Forms the observed one could have been by one or two learned confusions applied in
        reverse: every form one rewrite makes, then the rewrites of those, likeliest first, until
        more than `budget` forms are found. (What a best-first walk two rewrites deep finds,
        without its heap: the second rewrites add nothing to walk from.)"""
        found = {observed}
        costs: dict[str, float] = {}  # the one-rewrite forms, by the cost of their first rewrite
        for new, lp in self._one_rewrite(observed):
            if new not in found:
                found.add(new)
                costs[new] = -lp
        for form in sorted(costs, key=lambda f: (costs[f], f)):
            if len(found) > budget:
                break
            found.update(new for new, _ in self._one_rewrite(form))
        found.discard(observed)
        return found

    def single_rewrites(self, form: str) -> list[tuple[str, float]]:
        """The forms one learned confusion makes of `form`, read back as what it may stand for:
        (form, log10 P), place by place."""
        return self._one_rewrite(form)

    def _one_rewrite(self, form: str) -> list[tuple[str, float]]:
        """(form with one printed piece read as what it may stand for, log10 P), place by place."""
        get = self.rewrites.get
        out = []
        end = len(form)
        for i in range(end):
            for j in range(i + 1, min(i + MAX_SEGMENT, end) + 1):
                intended_sides = get(form[i:j])
                if intended_sides:
                    head, tail = form[:i], form[j:]
                    out.extend(
                        (head + intended + tail, lp) for intended, lp in intended_sides[:REWRITES_PER_PIECE]
                    )
        return out

    def vocabulary_rewrites(
        self, observed: str, vocabulary: Vocabulary, depth: int = 3, budget: int = 1500
    ) -> list[str]:
        """Words of `vocabulary` that up to `depth` learned confusions, applied in reverse, lead back
        to from `observed`, cheapest first: a best-first walk over the form, left to right, that
        keeps only the strings some word begins with (see ``models.vocabulary``). `budget` caps the
        states the walk takes, and no path costs more than MAX_FAR_COST. (Lost letters are left to
        the symspell neighbours: putting them back here tripled the time and found no more truths.)"""
        obs = observed.lower()
        begins = vocabulary.prefixes.__contains__
        rewrites = self.rewrites
        end = len(obs)
        # What each place of the form may have been (intended side, where it ends, log10 P): the
        # same at every visit, so looked up once.
        at_place = [
            [
                (a, i + n, lp)
                for n in range(1, min(MAX_SEGMENT, end - i) + 1)
                for a, lp in rewrites.get(obs[i : i + n], ())[:REWRITES_PER_PIECE]
            ]
            for i in range(end + 1)
        ]
        push, pop = heapq.heappush, heapq.heappop
        heap = [(0.0, 0, "", 0)]
        seen: set[tuple[int, str]] = set()
        out: list[str] = []
        while heap and len(seen) < budget:
            cost, i, built, steps = pop(heap)
            if (i, built) in seen:
                continue
            seen.add((i, built))
            if i == end:
                if steps and built in vocabulary:
                    out.append(built)
            elif begins(built + obs[i]):  # the letter as printed
                push(heap, (cost, i + 1, built + obs[i], steps))
            if steps == depth:
                continue
            for a, at, lp in at_place[i]:
                dearer = cost - lp
                if dearer <= MAX_FAR_COST:
                    new = built + a
                    if begins(new):
                        push(heap, (dearer, at, new, steps + 1))
        return out

    def to_json(self) -> dict:
        return self.data


def _cached(cache: dict, key: tuple[str, ...], compute) -> float:
    """compute(*key), kept in `cache`; the cache starts afresh once it holds CACHE_SIZE values."""
    value = cache.get(key)
    if value is None:
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        value = cache[key] = compute(*key)
    return value


def model_data(counts: Counts, source: str) -> dict:
    """The JSON form of a model: confusions seen at least once, substrings their sides need."""
    keep = {k.split("\t", 1)[0] for k in counts.confusion}
    misreads = {
        k: n
        for k, n in sorted(counts.word_misreads.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= WORD_MISREAD_MIN and all(side.isalpha() for side in k.split("\t", 1))
    }
    return {
        "format": MODEL_FORMAT,
        "source": source,
        "confusion": dict(sorted(counts.confusion.items(), key=lambda kv: -kv[1])),
        "substrings": {s: n for s, n in counts.substrings.items() if s in keep},
        "letters": counts.letters,
        "words": counts.words,
        "words_right": counts.words_right,
        "splits": counts.splits,
        "joins": counts.joins,
        "marked_spaces": dict(sorted(counts.marked_spaces.items(), key=lambda kv: -kv[1])),
        "pounds": dict(sorted(counts.pounds.items())),
        "word_misreads": misreads,
        "word_prints": {a: counts.word_prints[a] for a in sorted({k.split("\t", 1)[0] for k in misreads})},
    }


def with_prior(counts: Counts, prior: dict, words: float, source: str) -> dict:
    """The JSON form (``model_data``) of a model learned from `counts` with a `prior` model's
    counts added, scaled to `words` aligned words: a few corrected pages move the prior's rates
    toward the collection's, and a collection's many pages outweigh them. A substring count the
    prior's data lacks (it keeps those its own confusions need) is the collection's, scaled to
    the prior's letters."""
    scale = words / max(1, prior["words"])
    merged = Counts(
        **{
            k: round(getattr(counts, k) + scale * prior[k], 3)
            for k in ("letters", "words", "words_right", "splits", "joins")
        }
    )
    merged.confusion = _added(counts.confusion, prior["confusion"], scale)
    merged.marked_spaces = _added(counts.marked_spaces, prior.get("marked_spaces", {}), scale)
    merged.pounds = _added(counts.pounds, prior.get("pounds", {}), scale)
    merged.word_misreads = _added(counts.word_misreads, prior.get("word_misreads", {}), scale)
    merged.word_prints = _added(counts.word_prints, prior.get("word_prints", {}), scale)
    ratio = prior["letters"] / max(1, counts.letters)
    for side in sorted({k.split("\t", 1)[0] for k in merged.confusion} - {""}):
        mine = counts.substrings.get(side, 0)
        merged.substrings[side] = round(mine + scale * prior["substrings"].get(side, mine * ratio), 3)
    return model_data(merged, source)


def _added(mine: Counter, prior: dict, scale: float) -> Counter:
    """A collection's counts with a prior's, scaled, added (rounded as the JSON keeps them)."""
    total = Counter(mine)
    for key, n in prior.items():
        total[key] += scale * n
    return Counter({k: round(n, 3) for k, n in total.items()})


WORD_RATE_KEYS = ("word_misreads", "word_prints")


def without_word_rates(data: dict) -> dict:
    """A model's data without its whole words' own rates (``ErrorModel.word_rate``): those are an
    OCR engine's habits with its collection's words ("end" for 'and' 50 times in BLN600's pairs),
    which another engine's books do not share. The shipped model keeps none, and the calibration
    is learned without them, as it serves the shipped model and a collection's alike."""
    return {k: v for k, v in data.items() if k not in WORD_RATE_KEYS}


def save_error_model(data: dict, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return path


@lru_cache(maxsize=8)
def load_error_model(path: str | Path | None = None) -> ErrorModel:
    """The error model at `path` (a file, or a `restore learn` folder), or the shipped default."""
    p = Path(path) if path else DEFAULT_MODEL
    if p.is_dir():
        p = p / "channel.json"
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{p}: not an error model ({exc})") from None
    if data.get("format") != MODEL_FORMAT:
        raise ValueError(f"{p}: error model format {data.get('format')!r}, expected {MODEL_FORMAT}")
    return ErrorModel(data)
