"""Reading a sentence as the noisy channel does: which words most probably stood where OCR read these.

For each word, the candidates are the forms that learned OCR confusions or up to two edits
lead back to. Each is scored as P(OCR form | candidate), from the error model, times
P(candidate | the words around it), from the word n-gram language model, against the word
left as it is; the posterior over the candidates is what the spelling stage decides by. A
sentence is read twice, so that two neighbouring misreadings ("tlie Uuited States") are
each judged beside the other's best reading.

Nothing here decides whether to edit: it ranks and explains. Protection (names, periods,
acronyms) and the edit/flag threshold belong to the spelling stage.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .channel import HYPHEN_BETWEEN, MISREAD_LINE_END, SPECK_BETWEEN, ErrorModel, _cached
from .letters import MARKS, MARKS_OR_DIGITS, LetterModel
from .lexicon import word_zipf
from .lm import BOOK_WORD_LOG10, NUMBER, TOKEN, LanguageModel
from .net import TanhNet
from .tokens import ABBREVIATIONS

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

_SENTENCE_END = frozenset(".!?")
# An unknown form's candidates also come from a walk of learned confusions over the vocabulary's
# prefixes, two deep ("vvhero": where, "soino": some), which the budgeted rewrites miss where a form
# has many places to rewrite; NEAR_WALK_BUDGET caps the walk's states.
NEAR_WALK_DEPTH = 2
NEAR_WALK_MIN = 4  # letters: a shorter form has neighbours enough two plain edits away
NEAR_WALK_MAX = 8  # ... and a longer one more letters to rewrite than two confusions could mend
NEAR_WALK_BUDGET = 150
FAR_SEARCH_MIN = 5  # letters in a form worth a far search (nine in ten of its gains were longer)
EDIT_SEARCH_MIN = 7  # letters from which a garbled form's far search is by plain edits (Vocabulary.within)
EDIT_SEARCH_SHARE = 0.5  # ... up to this share of its letters changed
EDIT_SEARCH_LIMIT = 40  # ... the nearest words kept, for the channel to price
FAR_SEARCH_SURPRISE = -1.5  # log10: letters under 1 in 30 as likely as a listed word's ("caveatrix": -1.3)
HYPHENS = ("-", "‐")  # a hyphen inside a line that may stand for a lost line end
# A hyphen and a space inside a line, before a piece in lower case: a line-end hyphen whose line
# break became a space. Hyphenation joins the pieces a word list vouches for ("con- solidation");
# the channel reads the rest as a pair ("con- corned": 'concerned').
FLATTENED_HYPHENS = ("- ", "‐ ")
# Stray marks between two letters, each for a letter or for none ("sign»d", "a~nd"); a digit or
# two between letters is one too ("witn6ss", "bro1ught", "we1s"), though it is a token of its own.
_INSIDE = "(?:" + MARKS_OR_DIGITS.pattern + ")"
JUNK = re.compile(_INSIDE + "{1,2}")
STRAY_MARKS = re.compile(MARKS.pattern + "{1,2}")  # marks alone, no digit
# A mark or two ending a word where a letter was ("wa«", "th#"), the word ending there (a space,
# a sentence's punctuation or the end of the text follows). Marks a text sets after a word of its
# own are none: a footnote's, a bracket, a degree, a sum, an ellipsis, a markup's ("=Joe's Luck="),
# an accent a letter carries ("summā" decomposed).
TEXT_MARKS_AFTER_WORDS = "*†‡§¶[]{}<>=+$%°·•|…∷"


def _text_mark(marks: str) -> str:
    """A pattern for one of a text's own `marks`, or an accent a letter carries."""
    return "[" + re.escape(marks) + "\u0300-\u036f]"


_TEXT_MARK = _text_mark(TEXT_MARKS_AFTER_WORDS)
MARKED_END = re.compile(rf"((?:(?!{_TEXT_MARK}){MARKS.pattern}){{1,2}})(?=[\s.,;:!?'’\")]|$)")
# A mark or two before a word where its first letter was ("»as", "«ere"), after a space, a line's
# start or an opening quote or bracket; not the text's own marks before words (footnote marks,
# brackets, currency, and '¿' '¡' that open a Spanish sentence).
TEXT_MARKS_BEFORE_WORDS = TEXT_MARKS_AFTER_WORDS + "£@¿¡"
_TEXT_MARK_BEFORE = _text_mark(TEXT_MARKS_BEFORE_WORDS)
MARKED_START = re.compile(rf"(?:^|(?<=[\s(\"'‘“]))((?:(?!{_TEXT_MARK_BEFORE}){MARKS.pattern}){{1,2}})$")
# Guillemets a text quotes with («as I said», »so«): each mark's partner, which closes (or opens) the quotation.
QUOTE_PARTNERS = {"«": "»", "»": "«", "‹": "›", "›": "‹"}
QUOTE_SPAN = 300  # characters: how far a quotation's other mark may be, within its paragraph


def _quoting(text: str, marks: re.Match, first: bool) -> bool:
    """Whether marks before a word (`first`) or after it are a quotation's: the partner of the mark
    next to the word closes after a word that follows (or opens before a word that precedes)
    within QUOTE_SPAN characters of its paragraph. OCR junk guillemets come alone, or each beside
    a word on its own ("»as held ... it «ere agreed": no pair)."""
    mark = marks.group(1)[-1 if first else 0]
    partner = QUOTE_PARTNERS.get(mark)
    if partner is None:
        return False
    if first:
        after = text[marks.end(1) : marks.end(1) + QUOTE_SPAN].split("\n\n")[0]
        return re.search(rf"\S{re.escape(partner)}(?!\w)", after) is not None
    before = text[max(0, marks.start(1) - QUOTE_SPAN) : marks.start(1)].split("\n\n")[-1]
    return re.search(rf"(?<!\w){re.escape(partner)}\w", before) is not None


# A word such marks or digits break: inside it ("sign»d", "witn6ss"), or at its end ("wa3") or start ("8utton").
MARKED_INSIDE = re.compile(r"[^\W\d_]" + _INSIDE + r"{1,2}(?:[^\W\d_]|$)|^\d{1,2}[^\W\d_]")
DIGITS_AFTER_LETTERS = 3  # letters before the digits of a word they end ("wa3"), at most
DIGITS_BEFORE_LETTERS = 3  # letters after the digits of a word they begin ("8utton"), at least
# A word of the books rarer than this in English (wordfreq; 1 in a million words) may be a piece of
# a word split in two ("re quires", "Lo wer"); "to day" and "rail way" are two common words.
RARE_PIECE_ZIPF = 3.0
# Two words with a speck where the space was: a full stop, colon, semicolon, tilde or quote mark.
LOST_SPACE = re.compile(r"(?<![\w'’.])([^\W\d_]+)([.:;~\"])([^\W\d_]+)(?![\w'’])")
# One word a sentence's mark, a slash or an ampersand breaks where no space was ("re.tding",
# "ag;ainst", "whi!e", "w/as", "s&uth"): letters, the mark, letters in lower case. The tokens
# part there, so that the word reader never sees it whole and a rule may mend a piece alone
# ("tding": 'thing').
SPECKED_WORD = re.compile(r"(?<![\w'’.,/&])([^\W\d_]+)([.,:;!?/&])([a-z][^\W\d_]*)(?![\w'’/&])")
SPECKED_MIN_LETTERS = 3  # letters in both pieces together ("w;as")
# A word and an ending after an apostrophe: a possessive's 's, perhaps misread ("prisooner's",
# "shallow'a"), a contraction's or the period's past tense ("dou't", "touoh'd").
APOSTROPHE_ENDING = re.compile(r"([^\W\d_]{2,})'([^\W\d_]{1,2})")
S_MISREAD = frozenset("saeoc")  # an ending that may be an 's misread (not "'d", "'t")
# A printed piece's marks at its ends ("trans." of "trans. ferred" is 'trans').
_EDGE_MARKS = re.compile(r"^[^\w']+|[^\w']+$")
JOINS_READ_AS_PIECES = 3  # a pair's likeliest joins each read as one piece's word beside the other (_pieces)
SEGMENT_MIN = 8  # letters in a form worth splitting into several misread words ("withltherobbery")
MIN_RUN_TOGETHER = 3  # letters in a form read as two words run together ("kingwas", "ofus", "bya")
CONTEXT = 2  # words each side that a trigram model can see
# Rounds of reading a sentence's words, each beside its neighbours' best readings, at most: it
# stops when no reading changes (two rounds, the old cap, left 9 SMH fixes and 4 of BLN600 fold 0's
# untaken; no sentence here needs more than a few).
MAX_PASSES = 8
SUSPICION = -3.0  # log10 P of a word (or of the next) given its context, below which it is read otherwise
NOISE_PRIOR = 0.09  # the share of unknown words in a BLN600 OCR page, on average (the training pairs)
NOISE_PRIOR_WORDS = 100  # ... counted as so many words of every document (a short text's noise says little)
NOISE_STEP = 0.05  # a document's noise is kept to these steps
PAIR_WEIGHT = 0.5  # in the document's share of a word, the part that the word before or after it decides
CACHE_MIN_ZIPF = 3.5  # a word a document's counts vouch for is at least this common in English (3 a million)
CACHE_MIN_PRINTS = 2  # ... and the document prints it at least so often (one print may be the misreading)
CACHE_RIVAL_RATIO = 1.0  # log10: a form one confusion makes of a word the page prints as often, and the books
# use this much more ("tho" beside "the"), is the OCR's habit, not the page's word: it vouches for nothing


@dataclass(frozen=True)
class DocumentWords:
    """How often a document prints each word the language model knows: a cache model's counts.

    A text keeps to its subject: a notice of crown land prints "land" again and again, so that
    its "lnnd" is more probably 'land' than 'and', though 'and' is likelier in English at large.
    """

    counts: dict[str, int]
    total: int
    pairs: dict[tuple[str, str], int] = field(default_factory=dict)  # (form, next form) prints
    prints: dict[str, int] = field(default_factory=dict)  # every letter form's prints, vouched or not

    def follows(self, before: str, form: str, printed: str) -> float:
        """The share of `before`'s prints that `form` follows; none for the form as printed."""
        if form == printed or before == printed:
            return 0.0
        n = self.prints.get(before, 0)
        return self.pairs.get((before, form), 0) / n if n else 0.0

    def pair_prints(self, before: str, form: str, after: str, printed: str) -> tuple[tuple[str, int], ...]:
        """The document's prints of `form` beside the words before and after it (("moreton bay", 3)),
        those `follows` counts, for the reason; for a reading of several words, its own words'
        prints side by side ("of some" read in "ofsome")."""
        if form == printed:
            return ()
        if " " in form:
            parts = form.split()
            return tuple(
                (f"{a} {b}", self.pairs[(a, b)]) for a, b in zip(parts, parts[1:]) if (a, b) in self.pairs
            )
        left = 0 if before == printed else self.pairs.get((before, form), 0)
        right = self.pairs.get((form, after), 0)
        if not (left or right):
            return ()  # most readings: no phrase to write
        return tuple((p, n) for p, n in ((f"{before} {form}", left), (f"{form} {after}", right)) if n)

    def count(self, form: str, printed: str) -> int:
        """How often the document prints `form`; never counted for the form as printed, whose
        repetition may be the OCR engine's ("tho" through a page)."""
        return 0 if form == printed else self.counts.get(form, 0)

    def share(self, form: str, printed: str) -> float:
        """The share of the document's words that are `form` (as `count` counts)."""
        return self.count(form, printed) / self.total if self.total else 0.0


@dataclass(frozen=True)
class Reading:
    """One way to read a word: its form, the evidence for it, and its posterior."""

    form: str  # lower case, as the language model knows it
    log_channel: float  # log10 P(OCR form | this form)
    log_context: float  # log10 P(this form and the next words | the words before)
    posterior: float
    log_spelling: float = 0.0  # log10 cost of its unknown pieces' letters (the posterior's only; see rank)
    log_document: float = 0.0  # log10 gain from the document's use of it (the posterior's only)
    document_count: int = 0  # how often the document prints it, as counted for that gain
    document_pairs: tuple[tuple[str, int], ...] = ()  # its prints beside its neighbours, as counted there


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Decoded:
    """A word of the text and its readings, best first (the word as printed among them)."""

    token: Token
    index: int  # its place in the sentence's tokens
    sentence: tuple[str, ...]  # the sentence's tokens as the model read them (best readings)
    readings: tuple[Reading, ...]

    sentence_printed: str = ""  # the printed word as the model reads it
    noise: float = 0.0  # how badly the OCR read the document (``document_noise``)

    @property
    def readings_printed(self) -> Reading:
        """The reading that keeps the word as printed (always among the readings)."""
        return next(r for r in self.readings if r.form == self.sentence_printed)

    @property
    def challenger(self) -> Reading | None:
        """The likeliest reading other than the word as printed: what an edit would write."""
        return next((r for r in self.readings if r.form != self.sentence_printed), None)


@lru_cache(maxsize=2)
def sentences(text: str) -> tuple[tuple[Token, ...], ...]:
    """Tokens (words, numbers, sentence marks) grouped into sentences, with their offsets (kept
    for the last two texts: a document is read in several rounds, rereads and splits)."""
    out: list[list[Token]] = [[]]
    for m in TOKEN.finditer(text):
        tok = Token(m.start(), m.end(), m.group())
        out[-1].append(tok)
        if tok.text in _SENTENCE_END:
            out.append([])
    return tuple(tuple(s) for s in out if s)


_MARKED_AFTER = re.compile(_INSIDE + r"{1,2}[^\W\d_]")
_MARKED_BEFORE = re.compile(r"[^\W\d_]" + _INSIDE + r"{1,2}$")
_STRAY_AFTER = re.compile(MARKS.pattern + r"{1,2}[^\W\d_]")
_STRAY_BEFORE = re.compile(r"[^\W\d_]" + MARKS.pattern + r"{1,2}$")


def in_marked_word(text: str, start: int, end: int, digits: bool = True) -> bool:
    """Whether the token at text[start:end] is a piece of a word stray marks or digits break
    ("sign" and "d" of "sign»d", "witn" and "ss" of "witn6ss"), which ``NoisyChannel.read_splits``
    reads whole; `digits` False: by stray marks only (what the calibration learned from)."""
    after, before = (_MARKED_AFTER, _MARKED_BEFORE) if digits else (_STRAY_AFTER, _STRAY_BEFORE)
    return bool(after.match(text, end) or before.search(text, max(0, start - 3), start))


# A number whose digits OCR printed partly as the letters they look like ("l8", "i6o", "i8th").
_NUMBER_IN_LETTERS = re.compile(r"[0-9lIio]+(?:st|nd|rd|th|s|d)?")


def _digit_run(token: Token, form: str) -> bool:
    """A token of one or two digits, read as a number: what may stand for a letter in a word."""
    return len(token.text) <= 2 and token.text.isdigit() and form == NUMBER


def _digits_inside(sent: Sequence[Token], words: Sequence[str], i: int) -> bool:
    """Whether the i-th token, a digit or two and the next token are one printed word ("witn6ss",
    "we1s"): letters, then digits, then letters, nothing between them, and no number."""
    if i + 2 >= len(sent):
        return False
    a, n, b = sent[i], sent[i + 1], sent[i + 2]
    return (
        a.end == n.start
        and n.end == b.start
        and _digit_run(n, words[i + 1])
        and not _NUMBER_IN_LETTERS.fullmatch(a.text + n.text + b.text)
    )


def _digits_after(text: str, sent: Sequence[Token], words: Sequence[str], i: int) -> bool:
    """Whether the i-th token and a digit or two printed right after it are one word ("wa3", "hi6",
    "a11"): up to DIGITS_AFTER_LETTERS letters, then digits that end the printed word. A longer
    word's digit may be a footnote's mark ("gentleman1"), which is the text's, not a misprint."""
    a, n = sent[i], sent[i + 1]
    return (
        len(a.text) <= DIGITS_AFTER_LETTERS
        and a.end == n.start
        and _digit_run(n, words[i + 1])
        and (a.start == 0 or not text[a.start - 1].isalnum())
        and (n.end == len(text) or not text[n.end].isalnum())
        and not _NUMBER_IN_LETTERS.fullmatch(a.text + n.text)
    )


def _digits_before(text: str, sent: Sequence[Token], words: Sequence[str], i: int) -> bool:
    """Whether the i-th token, a digit or two, and the letters printed right after it are one word
    ("8utton", "6fty"): DIGITS_BEFORE_LETTERS letters or more (an ordinal's "th", a price's "s",
    a format's "vo" are fewer), and nothing after them but a space or a mark. The reader asks
    too that the letters be no word (``read_splits``): "4they" is a speck and a word."""
    n, b = sent[i], sent[i + 1]
    return (
        _digit_run(n, words[i])
        and n.end == b.start
        and len(b.text) >= DIGITS_BEFORE_LETTERS
        and b.text.isalpha()
        and (n.start == 0 or not text[n.start - 1].isalnum())
        and (b.end == len(text) or not text[b.end].isalnum())
        and not _NUMBER_IN_LETTERS.fullmatch(n.text + b.text)
    )


def bonded(text: str, sent: Sequence[Token]) -> list[bool]:
    """For each two neighbouring tokens of a sentence, whether only spaces or a line end part them
    in the text: a pair of words as printed ("the Stalin"), not one across a dash or a bracket
    ("he — Stalin"), which the language model's tokens do not show."""
    return [not text[a.end : b.start].strip() for a, b in zip(sent, sent[1:])]


def _base_letter(letter: str) -> str:
    """A letter without its accent ("ë": e): the OCR's accents are no ending of a word."""
    return unicodedata.normalize("NFD", letter)[:1]


def as_read(
    sent: Sequence[Token], settled: dict[int, str], lm_form: Callable[[str], str]
) -> tuple[list[Token], list[str]]:
    """A sentence's tokens and their forms as read so far: a settled form for a token another
    decision gave one, none for a piece joined into the word before it (settled as "")."""
    kept = [t for t in sent if settled.get(t.start) != ""]
    return kept, [lm_form(settled.get(t.start, t.text)) for t in kept]


KEPT_READINGS = 4  # a decoded word keeps its best readings and the printed one: a book's worth stays small


def _kept(readings: tuple[Reading, ...], printed: str) -> tuple[Reading, ...]:
    """The best KEPT_READINGS readings (best first), and the printed one wherever it ranked."""
    top = readings[:KEPT_READINGS]
    if any(r.form == printed for r in top):
        return top
    return top + tuple(r for r in readings[KEPT_READINGS:] if r.form == printed)


class NoisyChannel:
    """Ranks the readings of each word by error model x language model.

    `score(tokens, bos, eos)` is the language model's log10 probability of a token sequence
    (KenLM's ``Model.score`` over the joined tokens); `known(form)` says whether the model and
    the dictionaries know a form; `neighbours(form)` gives forms up to two edits away;
    `prior(form)` is a form's log10 probability out of context (which candidates to keep).
    """

    def __init__(
        self,
        errors: ErrorModel,
        score: Callable[[str, bool, bool], float],
        known: Callable[[str], bool],
        neighbours: Callable[[str], Sequence[str]],
        lm_form: Callable[[str], str] = str.lower,
        max_candidates: int = 12,
        token_scores: Callable[[list[str]], list[float]] | None = None,
        plausible: frozenset[str] | None = None,
        prior: Callable[[str], float] | None = None,
        letters: LetterModel | None = None,
        spared: Callable[[str], bool] | None = None,
        vocabulary: Vocabulary | None = None,
        cache_weight: float = 0.0,
        segment: Callable[[str], str] | None = None,
        mark_spaces: bool = False,
        language_named: str = LanguageModel.named,
    ):
        self.errors = errors
        self.language_named = language_named  # what a reason calls the model `score` asks
        self.segment = segment  # a long run of letters split into words, each mended (None: none)
        self.mark_spaces = mark_spaces  # two words a mark joins read apart ("rope'round", "had.evidently")
        self._score = score
        self._token_scores = token_scores
        self._plausible = plausible  # the forms a word list of English has (None: any form)
        self._prior = prior or (lambda form: 0.0)
        self.letters = letters  # prices the letters of forms the model does not know (None: no cost)
        self.spared = spared  # unknown forms whose letters pay nothing (None: none)
        self.vocabulary = vocabulary  # the words a far search may reach (None: no far search)
        self.cache_weight = cache_weight  # the document's own word shares in P(word | context) (0: none)
        self.known = known
        self.neighbours = neighbours
        self.lm_form = lm_form
        self.max_candidates = max_candidates
        # Forms' candidates, kept for the forms a chunk repeats (a 10,000 bound costs no time against
        # 20,000 and keeps a long book's memory down: BENCHMARKS.md, "Chunks of 250,000 characters").
        self.candidates = lru_cache(maxsize=10_000)(self._candidates)
        self.word_candidates = lru_cache(maxsize=10_000)(self._word_candidates)
        self.found = lru_cache(maxsize=10_000)(self._found)
        # One count per text: a document is decoded several times (rounds, rereads, splits).
        self.printed_tokens = lru_cache(maxsize=2)(self._printed_tokens)
        self.printed_forms = lru_cache(maxsize=2)(self._printed_forms)
        self.document_words = lru_cache(maxsize=2)(self._document_words)
        self.document_noise = lru_cache(maxsize=2)(self._document_noise)
        self._spelling_costs: dict[tuple[str], float] = {}  # (form,) -> its letters' cost (see spelling)
        self._base: NoisyChannel | None = None  # the reader this one adapts (see with_errors)

    def with_errors(self, errors: ErrorModel) -> NoisyChannel:
        """The same reader over a document's adapted error model (``ErrorModel.adapted``); a form
        none of the document's own confusions touch keeps this reader's candidates."""
        reader = NoisyChannel(
            errors,
            self._score,
            self.known,
            self.neighbours,
            lm_form=self.lm_form,
            max_candidates=self.max_candidates,
            token_scores=self._token_scores,
            plausible=self._plausible,
            prior=self._prior,
            letters=self.letters,
            spared=self.spared,
            vocabulary=self.vocabulary,
            cache_weight=self.cache_weight,
            segment=self.segment,
            mark_spaces=self.mark_spaces,
            language_named=self.language_named,
        )
        reader._base = self
        # The same counts and noise: they need no error model.
        reader.printed_tokens = self.printed_tokens
        reader.printed_forms = self.printed_forms
        reader.document_words = self.document_words
        reader.document_noise = self.document_noise
        reader._spelling_costs = self._spelling_costs  # a form's letters need no error model either
        return reader

    def _candidates(self, form: str) -> tuple[tuple[str, float], ...]:
        """(candidate, log10 P(form | candidate)) for the likeliest candidates, the form itself first.

        Kept are the `max_candidates` with the highest P(form | candidate) x P(candidate), the
        channel times the prior: by the channel alone, a short form's rare neighbours ("tie":
        "tic", "tiel") crowd out the common word that was meant ("the")."""
        base = self._base
        if base is not None and not any(b in form for _, b in self.errors.document):
            return base.candidates(form)
        scored = [(c, self.errors.log_prob(form, c)) for c in self.reachable(form) if c != form]
        scored.sort(key=lambda x: (-(x[1] + self._prior(x[0])), x[0]))  # ties by form: the same run to run
        kept = ((form, self.errors.log_prob(form, form)),) + tuple(scored[: self.max_candidates])
        return kept + self._run_together(form)

    def reachable(self, form: str) -> frozenset[str]:
        """The forms `candidates` ranks for `form`: those the training confusions and a few edits
        reach (``found``), and on a document's adapted reader those its own confusions reach."""
        base = self._base
        if base is None:
            return self.found(form)
        if not any(b in form for _, b in self.errors.document):
            return base.found(form)
        return base.found(form) | self._known_forms(self.errors.document_rewrites(form))

    def _found(self, form: str) -> frozenset[str]:
        """The known forms that learned confusions or a few edits lead back to from `form`; for a
        garbled form that none reach, the far ones (where a near reading exists, far ones only
        compete with it, "railavay": railway, runway): for a long form, the words a few plain edits
        away (``Vocabulary.within``: "eonseauenoe", consequence), else those up to three learned
        confusions away (``vocabulary_rewrites``). On long forms the plain edits find what the
        confusions find, and more, in less time. Any other unknown form of NEAR_WALK_MIN to
        NEAR_WALK_MAX letters also takes what two learned confusions lead to along the vocabulary
        ("liavo": have), beside what the near search found. A word with an ending after an
        apostrophe ("prisooner's", "touoh'd") also takes what its stem leads to, with the ending
        (and an 's for an ending that may be one misread: "shallow'a"), where the books know the
        whole ("prisoner's", "touch'd"): no word list has the possessives to search."""
        found = self._near(form)
        ended = APOSTROPHE_ENDING.fullmatch(form)
        if ended is not None and not self.known(form):
            stem, ending = ended.groups()
            endings = {ending, "s"} if ending in S_MISREAD else {ending}
            wholes = (f"{s}'{e}" for s in {stem} | self.found(stem) if s.isalpha() for e in endings)
            found = found | {w for w in wholes if w != form and self.known(w)}
        if not found and self._garbled(form):  # "ricliardaon": richardson, far away
            if len(form) >= EDIT_SEARCH_MIN:
                return self._known_forms(self.vocabulary.within(form, EDIT_SEARCH_SHARE, EDIT_SEARCH_LIMIT))
            return self._known_forms(self.errors.vocabulary_rewrites(form, self.vocabulary))
        if (
            self.vocabulary is not None
            and NEAR_WALK_MIN <= len(form) <= NEAR_WALK_MAX
            and form.isalpha()
            and not self.known(form)
        ):
            walked = self.errors.vocabulary_rewrites(form, self.vocabulary, NEAR_WALK_DEPTH, NEAR_WALK_BUDGET)
            found = found | self._known_forms(walked)
        return found

    def _near(self, form: str) -> frozenset[str]:
        """The known forms the budgeted learned rewrites or symspell's few edits reach from `form`."""
        found = self._known_forms(self.errors.rewrite_candidates(form))
        return found | {c for c in self.neighbours(form) if c[:1].isalpha() and c != form}

    def taught(self, form: str, candidate: str) -> bool:
        """Whether the document's own confusions (``with_errors``) make `form` a likelier print of
        `candidate` than the reader it adapts finds it."""
        base = self._base
        return base is not None and self.errors.log_prob(form, candidate) > base.errors.log_prob(
            form, candidate
        )

    def listed(self, form: str) -> bool:
        """A word of English: the language model knows it, and a word list has it or the books use
        it often (``lm.BOOK_WORD_LOG10``: "featly", "uprose", which no list of today's English has)."""
        return self.known(form) and (
            self._plausible is None
            or form in self._plausible
            or self._score(form, False, False) >= BOOK_WORD_LOG10
        )

    def _garbled(self, form: str) -> bool:
        """A form worth a far candidate search: FAR_SEARCH_MIN letters or more, no word the model
        knows, and letters unlike English (an English-looking one is likelier a name the lists lack)."""
        return (
            self.vocabulary is not None
            and len(form) >= FAR_SEARCH_MIN
            and form.isalpha()
            and not self.known(form)
            and (self.letters is None or self.letters.surprise(form) < FAR_SEARCH_SURPRISE)
        )

    def _known_forms(self, forms) -> frozenset[str]:
        if self._plausible is not None:  # most rewrites are no word: one set intersection drops them
            forms = self._plausible.intersection(forms)
        return frozenset(c for c in forms if c[:1].isalpha() and self.known(c))

    def _word_piece(self, word: str) -> bool:
        """A word that one form printed as several may hold: one the model knows, of two letters
        or more, or 'a' or 'i'."""
        return (len(word) > 1 or word in "ai") and self.known(word)

    def _run_together(self, form: str) -> tuple[tuple[str, float], ...]:
        """Two known words printed as one ("kingwas", "ofthe"), for a form nobody printed; with
        `mark_spaces`, two printed with an apostrophe where the space was ("rope'round"), the
        apostrophe priced as the pairs price a mark added."""
        if len(form) < MIN_RUN_TOGETHER or self.known(form):
            return ()
        if self.mark_spaces and form.count("'") == 1 and form.replace("'", "").isalpha():
            a, b = form.split("'")
            if all(self._word_piece(w) for w in (a, b)):
                return ((f"{a} {b}", self.errors.log_prob_spaces_lost(form, f"{a} {b}")),)
            return ()
        if not form.isalpha():
            return ()
        lp = self.errors.log_prob_run_together()
        out = []
        for k in range(1, len(form)):
            a, b = form[:k], form[k:]
            if all(self._word_piece(w) for w in (a, b)):
                out.append((f"{a} {b}", lp))
        return tuple(out)

    def _word_candidates(self, form: str) -> tuple[tuple[str, float], ...]:
        """A printed word's candidates (``candidates``), and for a long form the model does not
        know, the words it may be, several run together and misread ("withltherobbery": "with the
        robbery"): each lost space a run-together, and the letters priced against the words' own.
        Only a word printed as one asks (two pieces joined by ``read_splits`` read one word)."""
        found = self.candidates(form)
        if self.segment is None or len(form) < SEGMENT_MIN or not form.isalpha() or self.known(form):
            return found
        words = self.segment(form).split()
        reading = " ".join(words)
        if len(words) < 2 or reading in (c for c, _ in found):
            return found
        if not all(self._word_piece(w) for w in words):
            return found
        lp = (len(words) - 1) * self.errors.log_prob_run_together() + self.errors.log_prob(
            form, "".join(words)
        )
        return (*found, (reading, lp))

    def context_score(self, words: list[str], i: int, prefix: float | None = None) -> float:
        """log10 P(words[i] and the next CONTEXT words | the CONTEXT words before), sentence ends
        included; `prefix` is ``prefix_score(words, i)`` when the caller has it (the same for
        every candidate at i)."""
        lo, hi = max(0, i - CONTEXT), min(len(words), i + CONTEXT + 1)
        full = self._score(" ".join(words[lo:hi]), lo == 0, hi == len(words))
        return full - (self.prefix_score(words, i) if prefix is None else prefix)

    def prefix_score(self, words: list[str], i: int) -> float:
        """log10 P(the CONTEXT words before words[i]), the part of a context score that words[i] leaves alone."""
        lo = max(0, i - CONTEXT)
        return self._score(" ".join(words[lo:i]), lo == 0, False) if i > lo or lo == 0 else 0.0

    def decode(
        self,
        text: str,
        wanted: Callable[[Token], bool],
        passes: int = MAX_PASSES,
        settled: dict[int, str] | None = None,
    ) -> list[Decoded]:
        """Readings of every wanted token, each judged beside its neighbours' best readings, read
        again while a neighbour's best reading changes (`passes` rounds at most).

        `settled` maps a token's start to the form another decision already gave it (a rule's
        correction), so that its neighbours are judged beside that form.
        """
        settled = settled or {}
        out: list[Decoded] = []
        document = self.document_words(text)
        noise = self.document_noise(text)
        for sent in sentences(text):
            sent, words = as_read(sent, settled, self.lm_form)
            places = self._suspicious(words, [i for i, t in enumerate(sent) if wanted(t)])
            places = [i for i in places if len(self.word_candidates(words[i])) > 1]
            if not places:
                continue
            current = list(words)
            ranked: dict[int, tuple[Reading, ...]] = {}
            todo = places
            bonds = bonded(text, sent)
            for _ in range(passes):
                changed = []
                for i in todo:
                    ranked[i] = self.rank(
                        current, i, self.word_candidates(words[i]), document, words[i], bonds
                    )
                    if ranked[i][0].form != current[i]:
                        changed.append(i)
                    current[i] = ranked[i][0].form
                # Only the neighbours of a changed reading see a different context the next time.
                todo = [i for i in places if any(0 < abs(i - c) <= CONTEXT for c in changed)]
                if not todo:
                    break
            sentence = tuple(current)
            out.extend(
                Decoded(sent[i], i, sentence, _kept(ranked[i], words[i]), words[i], noise) for i in places
            )
        return out

    def fragment(self, form: str) -> bool:
        """A printed form that may be a piece of a word: no word the model knows, a lone letter
        other than 'a' and 'i', or a word rarer than RARE_PIECE_ZIPF ("quires" of "re quires":
        the books' model knows many pieces of words their line ends broke)."""
        return (
            not self.known(form)
            or (len(form) == 1 and form not in "ai")
            or (len(form) > 1 and word_zipf(form) < RARE_PIECE_ZIPF)
        )

    def read_splits(
        self,
        text: str,
        wanted: Callable[[Token, Token], bool],
        settled: dict[int, str] | None = None,
    ) -> list[Decoded]:
        """Two printed pieces read as the word they may be ("coin mittee": "committee", "childi en":
        "children"), where one piece is a `fragment` and their run-together leads to a known word.

        Each is a ``Decoded`` over both pieces whose printed reading is the pair ("coin mittee")
        and whose challenger is the word; the pair's other readings (each piece read otherwise)
        share the posterior, so that a piece that is a misread word of its own keeps its weight.
        Scored as a word is (``rank``), the pair standing as one place in the sentence.

        Pieces that stray marks join ("sign»d", "ha>e", "a~nd") are one printed form, the marks
        in it: its readings are the words its candidates reach (a mark for a letter, or for none),
        and leaving it as printed costs what its letters cost (``LetterModel.surprise``). So are
        letters a digit or two break, though the digits are a token of their own: inside a word
        ("witn6ss"), ending a short one ("wa3") or beginning letters that are no word ("8utton");
        a word with its digits at one end has one piece of letters, which `wanted` is asked of
        alone (``wanted(a, a)``).
        """
        settled = settled or {}
        out: list[Decoded] = []
        document = self.document_words(text)
        noise = self.document_noise(text)
        for sent in sentences(text):
            sent, words = as_read(sent, settled, self.lm_form)
            bonds = bonded(text, sent)
            for i in range(len(sent) - 1):
                k = i + 2 if _digits_inside(sent, words, i) else i + 1  # "witn6ss": 'witn', '6', 'ss'
                a, b = sent[i], sent[k]
                x, y = words[i], words[k]
                start, end, between = a.start, b.end, text[a.end : b.start]
                if _digits_after(text, sent, words, i):  # "wa3": the digits end the word, no piece after
                    b, y, between = a, "", b.text
                elif _digits_before(text, sent, words, i) and not self.known(y):  # "8utton": they begin it
                    a, x, between = b, "", a.text
                if not ((x.isalpha() or not x) and (y.isalpha() or not y)) or not wanted(a, b):
                    continue
                flattened = between in FLATTENED_HYPHENS and b.text[:1].islower()
                hyphen = self.errors.log_prob_between(HYPHEN_BETWEEN) if flattened else None
                # Two words a hyphen and a space part ("six- teen") are read as one too, where the pairs
                # price two words printed so and the join is a word the model knows.
                pieces_of = self.fragment(x) or self.fragment(y) or (hyphen is not None and self.known(x + y))
                if (flattened or between in (" ", "\n", *HYPHENS)) and pieces_of:
                    if in_marked_word(text, a.start, a.end) or in_marked_word(text, b.start, b.end):
                        continue  # "sign»d her": the 'd' is the marked word's, not a piece of 'her'
                    printed = f"{x} {y}"
                    joined = x + y
                    if not self.known(joined) and all(
                        len(c) < len(joined) - 1 for c in self.reachable(joined)
                    ):
                        continue  # no word nearly as long as both pieces: nothing to join (and none to rank)
                    joins = self._joins(x, y, printed, between in HYPHENS or flattened)
                    pieces = self._pieces(x, y, joins)
                    if hyphen is not None:  # as two words, the hyphen and the space are the OCR's
                        pieces = [(f, lp + hyphen) for f, lp in pieces]
                elif JUNK.fullmatch(between):
                    # Stray marks in a word ("sign»d", "ha>e", "a~nd"): the printed form is the whole,
                    # one unknown token, and every reading puts a letter or two, or none, where they are.
                    printed = x + between + y
                    joins = [
                        (c, lp)
                        for c, lp in self.candidates(printed)
                        if c != printed and " " not in c and len(c) >= len(x + y)
                    ]
                    joins = [(printed, self.errors.log_prob(printed, printed))] + joins if joins else []
                    pieces = []
                else:
                    continue
                if not joins:
                    continue
                # The pair stands as one place in the sentence, so each reading is scored as a word is.
                sentence = (*words[:i], printed, *words[k + 1 :])
                pair_bonds = bonds[:i] + bonds[k:]  # the pair stands as one place
                token = Token(start, end, text[start:end])
                read = self._read_as_one(
                    token, sentence, i, joins + pieces, document, printed, pair_bonds, noise
                )
                if read is not None:
                    out.append(read)
        return out

    def _read_as_one(
        self,
        token: Token,
        sentence: tuple[str, ...],
        i: int,
        candidates: list[tuple[str, float]],
        document: DocumentWords | None,
        printed: str,
        bonds: Sequence[bool],
        noise: float,
    ) -> Decoded | None:
        """Two pieces standing as place i of `sentence`, ranked over their joins and their pieces'
        readings; None where the pieces read otherwise beat every join: the word-by-word
        reading's to decide."""
        readings = self.rank(list(sentence), i, candidates, document, printed, bonds)
        best = next(r for r in readings if r.form != printed)
        if " " in best.form:
            return None
        return Decoded(token, i, sentence, _kept(readings, printed), printed, noise)

    def _joins(self, x: str, y: str, printed: str, line_end: bool) -> list[tuple[str, float]]:
        """The words two pieces may be, as printed (the marks between them too), with their cost.
        A join reads both pieces: "about áx" is not "about" with a piece lost. `line_end`: a word
        broken at a lost line end keeps its ending: a word the model lacks ("glorifica-tions",
        "an-cestor") is no "glorification" or "ancestors"."""
        joined = x + y
        return [
            (c, self.errors.log_prob(printed, c))
            for c, _ in self.candidates(joined)
            if " " not in c
            and (c != joined or self.known(c))
            and len(c) >= len(joined) - 1
            and (not line_end or _base_letter(c[-1:]) == _base_letter(joined[-1:]))
        ]

    def _pieces(self, x: str, y: str, joins: Sequence[tuple[str, float]] = ()) -> list[tuple[str, float]]:
        """Two pieces read as two words, each as printed or as one of its likeliest readings; and,
        where one piece is a word, the other read alone as a word the pair's `joins` propose
        that is shorter than both pieces together ("facilwta the": 'facilitate the' against
        'facilitate'), so that a join never wins by swallowing a word its pieces' own readings
        missed. A longer join uses the word's letters ("wit nesses": no 'wit witnesses')."""
        out = [
            (f"{p} {q}", lp + lq)
            for p, lp in self.candidates(x)[:3]
            for q, lq in self.candidates(y)[:3]
            if " " not in p + q
        ]
        seen = {form for form, _ in out}
        for c, _ in joins[:JOINS_READ_AS_PIECES]:
            for reading, misread, word in ((f"{c} {y}", x, y), (f"{x} {c}", y, x)):
                if reading not in seen and self._word_piece(word) and len(c) < len(misread) + len(word):
                    seen.add(reading)
                    out.append((reading, self.errors.log_prob(misread, c) + self.errors.log_prob(word, word)))
        return out

    def _token_pairs(self, text: str, pattern: re.Pattern):
        """Each match of `pattern` whose first and third groups are each exactly a token of
        `sentences(text)`: the match, the two tokens, and where they stand (sentence and place
        of each), for `_across`."""
        sents = sentences(text)
        at = {t.start: (s, k) for s, sent in enumerate(sents) for k, t in enumerate(sent)}
        for m in pattern.finditer(text):
            found = at.get(m.start(1)), at.get(m.start(3))
            if None in found:
                continue
            (sa, ka), (sb, kb) = found
            a, b = sents[sa][ka], sents[sb][kb]
            if a.end == m.end(1) and b.end == m.end(3):
                yield m, a, b, (sa, ka, sb, kb)

    def _across(
        self, text: str, place: tuple[int, int, int, int], token: Token, printed: str, settled: dict[int, str]
    ) -> tuple[tuple[str, ...], int, list[bool]]:
        """The sentence in which two tokens (sentence `sa` token `ka` and sentence `sb` token `kb`
        of `sentences(text)`, a `_token_pairs` place) stand as one place printed `printed`: the
        sentences either side of a full stop between them stand as one. With its place and its
        bonds (``bonded``)."""
        sents = sentences(text)
        sa, ka, sb, kb = place
        before, words_before = as_read(sents[sa][:ka], settled, self.lm_form)
        after, words_after = as_read(sents[sb][kb + 1 :], settled, self.lm_form)
        sentence = (*words_before, printed, *words_after)
        return sentence, len(words_before), bonded(text, [*before, token, *after])

    def read_broken_words(
        self,
        text: str,
        wanted: Callable[[Token, Token], bool],
        settled: dict[int, str] | None = None,
    ) -> list[Decoded]:
        """A word broken at a line end whose hyphen the OCR misread as a speck, its line break a
        space ("im. mediately", "wit-. nesses", "de. jected"), read as the word against its pieces,
        as `read_splits` reads a word broken at a hyphen: where one piece is a `fragment`, or both
        are words and the join is a word the model knows ("morn. ing"); the second in lower case,
        the first no abbreviation ("inst. at"). The pieces read as words pay the pairs' rate of two
        words printed with a speck and a space, the join their rate of one word printed so."""
        settled = settled or {}
        document, noise = self.document_words(text), self.document_noise(text)
        speck = self.errors.log_prob_between(SPECK_BETWEEN)  # two words printed with a speck and a space
        out: list[Decoded] = []
        for m, a, b, place in self._token_pairs(text, MISREAD_LINE_END):
            if not wanted(a, b):
                continue
            x, y = (self.lm_form(settled.get(t.start, t.text)) for t in (a, b))
            if x in ABBREVIATIONS or not (
                self.fragment(x) or self.fragment(y) or (speck is not None and self.known(x + y))
            ):
                continue
            printed = f"{x}{m.group(2)} {y}"
            joins = self._joins(x, y, printed, line_end=True)
            if not joins:
                continue
            token = Token(a.start, b.end, text[a.start : b.end])
            sentence, i, bonds = self._across(text, place, token, printed, settled)
            candidates = [
                (printed, self.errors.log_prob(printed, printed)),
                *joins,
                *((f, lp + (speck or 0.0)) for f, lp in self._pieces(x, y, joins)),
            ]
            read = self._read_as_one(token, sentence, i, candidates, document, printed, bonds, noise)
            if read is not None:
                out.append(read)
        return out

    def read_marked_ends(
        self,
        text: str,
        wanted: Callable[[Token, Token], bool],
        settled: dict[int, str] | None = None,
    ) -> list[Decoded]:
        """A word whose last letter the OCR printed as a mark or two ("wa«", "official«", "th#"),
        read whole: its readings put a letter where the marks are, priced by the error model, and
        leaving it as printed costs what its letters cost (``LetterModel.surprise``), as a mark
        inside a word does (`read_splits`). A reading that drops the marks is none: a mark after a
        word may be the text's own (a footnote's), and only a letter in its place mends a word.
        A reading keeps the word's first letter: the mark is what is misread, not the word."""
        return self._read_marked(text, wanted, settled, first=False)

    def read_marked_starts(
        self,
        text: str,
        wanted: Callable[[Token, Token], bool],
        settled: dict[int, str] | None = None,
    ) -> list[Decoded]:
        """A word whose first letter the OCR printed as a mark or two ("»as", "«ere"), read whole, as
        `read_marked_ends` reads one whose last letter it printed so: each reading puts a letter
        where the marks are and keeps the word's last letter; none drops the marks. A word with
        marks after it too is left: more likely a garbled stretch than a lost first letter."""
        return self._read_marked(text, wanted, settled, first=True)

    def _read_marked(
        self, text: str, wanted: Callable[[Token, Token], bool], settled: dict[int, str] | None, first: bool
    ) -> list[Decoded]:
        """The words the OCR printed with marks for their `first` (else last) letter, each read whole."""
        settled = settled or {}
        document, noise = self.document_words(text), self.document_noise(text)
        out: list[Decoded] = []
        for sent in sentences(text):
            sent, words = as_read(sent, settled, self.lm_form)
            bonds = bonded(text, sent)
            for i, a in enumerate(sent):
                x = words[i]
                if first:
                    marks = MARKED_START.search(text, max(0, a.start - 3), a.start)
                    # marks on both sides ("«reamr«"): a garbled stretch, no letter lost
                    apart = MARKED_END.match(text, a.end) is None
                else:
                    marks = MARKED_END.match(text, a.end)
                    apart = not (a.start > 0 and text[a.start - 1].isalnum())
                if (
                    marks is None
                    or not x.isalpha()
                    or not apart
                    or _quoting(text, marks, first)
                    or not wanted(a, a)
                ):
                    continue
                printed = marks.group(1) + x if first else x + marks.group(1)
                kept = x[-1:] if first else x[:1]  # the word's letter at the far end from the marks
                readings = [
                    (c, lp)
                    for c, lp in self.candidates(printed)
                    if c != printed
                    and " " not in c
                    and len(c) > len(x)
                    and (c.endswith(kept) if first else c.startswith(kept))
                ]
                if not readings:
                    continue
                start, end = (marks.start(1), a.end) if first else (a.start, marks.end(1))
                token = Token(start, end, text[start:end])
                sentence = (*words[:i], printed, *words[i + 1 :])
                candidates = [(printed, self.errors.log_prob(printed, printed)), *readings]
                read = self._read_as_one(token, sentence, i, candidates, document, printed, bonds, noise)
                if read is not None:
                    out.append(read)
        return out

    def read_lost_spaces(
        self,
        text: str,
        wanted: Callable[[Token, Token], bool],
        settled: dict[int, str] | None = None,
    ) -> list[Decoded]:
        """Two words a speck stands between where the space was ("had.evidently", "was:convicted",
        "which~he"), read as the two words against the form as printed, scored as one place in
        the sentence as `read_splits` scores a pair. Only where both are words of English and the
        one after begins in lower case: a capital after a full stop begins a sentence, and a word
        before it that is an abbreviation ("viz.the") keeps its full stop."""
        if not self.mark_spaces:
            return []

        def readings(
            m: re.Match, a: Token, b: Token, x: str, y: str, printed: str
        ) -> list[tuple[str, float]]:
            if (
                not m.group(3)[:1].islower()
                or not wanted(a, b)
                or x in ABBREVIATIONS
                or self.known(printed)
                or not all(self._word_piece(w) and self.listed(w) for w in (x, y))
            ):
                return []
            return [(f"{x} {y}", self.errors.log_prob_spaces_lost(printed, f"{x} {y}"))]

        return self._read_marked_pairs(text, LOST_SPACE, settled, readings)

    def read_specked_words(
        self,
        text: str,
        wanted: Callable[[Token, Token], bool],
        settled: dict[int, str] | None = None,
    ) -> list[Decoded]:
        """One word a sentence's mark breaks where no space was ("re.tding": 'reading', "ag;ainst":
        'against'), read whole as `read_splits` reads a word stray marks break: its readings are
        the words its candidates reach (the mark for a letter, or for none) against the form as
        printed, scored as one place in the sentence. Not where both pieces are words of English
        (two words a speck parts, `read_lost_spaces`, or "and/or"), the first an abbreviation
        ("viz.the") or the two a short abbreviation of their own ("a.m", "i.e")."""

        def readings(
            m: re.Match, a: Token, b: Token, x: str, y: str, printed: str
        ) -> list[tuple[str, float]]:
            if (
                len(x + y) < SPECKED_MIN_LETTERS
                or not wanted(a, b)
                # An abbreviation's full stop ("viz.the"), or one after a single letter ("a.m", "p.m").
                or (m.group(2) == "." and (x in ABBREVIATIONS or len(x) == 1))
                or self.known(printed)
                or all(self._word_piece(w) and self.listed(w) for w in (x, y))
            ):
                return []
            return [
                (c, lp)
                for c, lp in self.candidates(printed)
                if c != printed and " " not in c and len(c) >= len(x + y)
            ]

        return self._read_marked_pairs(text, SPECKED_WORD, settled, readings)

    def _read_marked_pairs(
        self,
        text: str,
        pattern: re.Pattern,
        settled: dict[int, str] | None,
        readings_of: Callable[[re.Match, Token, Token, str, str, str], list[tuple[str, float]]],
    ) -> list[Decoded]:
        """Each two tokens a mark joins (`pattern`'s first and third groups, the mark its second)
        that `readings_of` gives readings for, ranked with the form as printed as one place in the
        sentence: a full stop between them no longer ends a sentence."""
        settled = settled or {}
        document, noise = self.document_words(text), self.document_noise(text)
        out: list[Decoded] = []
        for m, a, b, place in self._token_pairs(text, pattern):
            x, y = (self.lm_form(settled.get(t.start, t.text)) for t in (a, b))
            printed = x + m.group(2) + y
            others = readings_of(m, a, b, x, y, printed)
            if not others:
                continue
            token = Token(a.start, b.end, text[a.start : b.end])
            sentence, i, bonds = self._across(text, place, token, printed, settled)
            readings = self.rank(
                list(sentence),
                i,
                [(printed, self.errors.log_prob(printed, printed)), *others],
                document,
                printed,
                bonds,
            )
            out.append(Decoded(token, i, sentence, _kept(readings, printed), printed, noise))
        return out

    def features(self, d: Decoded, zipf: Callable[[str], float]) -> list[float]:
        """The decision features for replacing `d`'s printed word by its challenger.

        The printed form counts as a word (the calibration's "known" part) when the language model
        knows it and a word list of English has it: the books' own rare forms ("acies" in Latin
        passages, "rond" in French ones) are no evidence that a newspaper meant them."""
        printed = d.sentence_printed
        return decision_features(
            d,
            d.challenger,
            self.listed(printed),
            zipf,
            -self.letters.surprise(printed) if self.letters is not None else 0.0,
        )

    def _suspicious(self, words: list[str], places: list[int]) -> list[int]:
        """The places where the sentence as printed reads badly: an unknown form, or the word or the
        next one less likely than SUSPICION given what precedes. A word that fits its context is
        not worth reading otherwise (and this is where most of the time would go)."""
        if self._token_scores is None or not places:
            return places
        scores = self._token_scores(words)  # one per word, then </s>
        return [
            i
            for i in places
            if not self.known(words[i]) or scores[i] < SUSPICION or scores[i + 1] < SUSPICION
        ]

    def spelling(self, form: str) -> float:
        """log10 cost of a reading's letters: each piece ("a b" has two) the model does not know
        pays the letter model's cost for looking unlike English (0 without a letter model). Kept
        per form: a form is ranked again at every reading of its neighbours."""
        if self.letters is None:
            return 0.0
        return _cached(self._spelling_costs, (form,), self._spelling)

    def _spelling(self, form: str) -> float:
        spared = self.spared
        return sum(
            self.letters.cost(w)
            for w in form.split(" ")
            if not self.known(w) and not (spared is not None and spared(w))
        )

    def _printed_tokens(self, text: str) -> tuple[re.Match, ...]:
        """A text's tokens where they are printed, for what is counted over a whole document."""
        return tuple(TOKEN.finditer(text))

    def _printed_forms(self, text: str) -> tuple[str, ...]:
        """A text's tokens as the language model reads them (``printed_tokens``)."""
        return tuple(self.lm_form(m.group()) for m in self.printed_tokens(text))

    def _document_words(self, text: str) -> DocumentWords | None:
        """The counts of the words of `text` the language model knows and English uses at least
        CACHE_MIN_ZIPF (a page's "bei" for 'her' is German to the model: no word to vouch for);
        None without a cache weight."""
        if not self.cache_weight:
            return None
        forms = self.printed_forms(text)
        prints: dict[str, int] = {}
        for f in forms:
            if f[:1].isalpha():
                prints[f] = prints.get(f, 0) + 1
        vouching = [
            f
            for f, n in prints.items()
            if n >= CACHE_MIN_PRINTS and self.known(f) and word_zipf(f) >= CACHE_MIN_ZIPF
        ]
        habits = {f for f in vouching if self._rivalled(f, prints)}
        counts = {f: prints[f] for f in vouching if f not in habits}
        pairs: dict[tuple[str, str], int] = {}
        tokens = self.printed_tokens(text)
        for (a, b), (x, y) in zip(zip(forms, forms[1:]), zip(tokens, tokens[1:])):
            # An OCR habit's pairs are the habit's too: "of tho" three times vouches for no 'tho'.
            if a in habits or b in habits:
                continue
            if a[:1].isalpha() and b[:1].isalpha() and (a in counts or b in counts):
                if not text[x.end() : y.start()].strip():  # printed side by side (see bonded)
                    pairs[(a, b)] = pairs.get((a, b), 0) + 1
        return DocumentWords(counts, len(forms), pairs, prints)

    def _rivalled(self, form: str, prints: dict[str, int]) -> bool:
        """Whether one learned confusion makes `form` of a word the page prints at least as often and
        the books use CACHE_RIVAL_RATIO (log10) more: a page that prints "tho" 4 times beside "the" 5
        times has an OCR habit, and its "tho" must not vouch for reading other junk as 'tho'."""
        n = prints[form]
        own = self._score(form, False, False)
        return any(
            prints.get(word, 0) >= n and self._score(word, False, False) - own >= CACHE_RIVAL_RATIO
            for word, _ in self.errors.single_rewrites(form)
        )

    def _document_noise(self, text: str) -> float:
        """The share of a text's words (two letters or more) that the language model does not know:
        how badly the OCR read it. On a page where one word in four is junk, a word that reads
        badly is more often misread than on a clean one (a calibration input)."""
        words = [f for f in self.printed_forms(text) if len(f) > 1 and f.isalpha()]
        unknown = sum(not self.known(f) for f in words)
        # Shrunk toward the training pairs' share and kept in steps, so that the corrections of one
        # pass barely move it: cleaning the output again must not read a page as cleaner and decide anew.
        noise = (unknown + NOISE_PRIOR * NOISE_PRIOR_WORDS) / (len(words) + NOISE_PRIOR_WORDS)
        return round(round(noise / NOISE_STEP) * NOISE_STEP, 2)

    def document_gain(
        self,
        words: list[str],
        i: int,
        prefix: float,
        document: DocumentWords,
        printed: str,
        left: str = "",
        right: str = "",
    ) -> float:
        """log10 of how much likelier words[i] becomes when P(word | context) is mixed with the
        document's share of it (a cache model: (1 - w) P + w share, w the cache weight), and the
        next word when the document prints it after words[i] too. Where the document prints the
        word after the one before it ("Moreton Bay" in a notice that reads "Moreton Kay" once), the
        share that word follows it takes PAIR_WEIGHT of the cache's part; likewise the share of
        words[i]'s prints that the next word follows, in the next word's probability. With no such
        pair the gain is the word's share alone. `left` and `right` are the neighbours printed next
        to words[i] ("" where a mark parts them, see ``bonded``): only they make pairs. A reading
        of several words gains as its words do (``_words_gain``)."""
        w = self.cache_weight
        form = words[i]
        if form == printed:
            return math.log10(1 - w)  # the document's prints of the form as printed may be the OCR's
        if " " in form:
            return self._words_gain(words, i, document, printed, left, right)
        share = document.share(form, printed)
        before = document.follows(left, form, printed) if left else 0.0
        after = document.follows(form, right, printed) if right else 0.0
        if share <= 0.0 and before <= 0.0 and after <= 0.0:
            return math.log10(1 - w)
        lo = max(0, i - CONTEXT)
        upto = self._score(" ".join(words[lo : i + 1]), lo == 0, False)
        p = 10 ** (upto - prefix)
        cache = (1 - PAIR_WEIGHT) * share + PAIR_WEIGHT * before if before > 0.0 else share
        gain = math.log10((1 - w) * p + w * cache) - math.log10(p)
        if after > 0.0:
            q = 10 ** (self._score(" ".join(words[lo : i + 2]), lo == 0, False) - upto)
            plain = document.share(right, right)
            mixed = (1 - PAIR_WEIGHT) * plain + PAIR_WEIGHT * after
            gain += math.log10((1 - w) * q + w * mixed) - math.log10((1 - w) * q + w * plain)
        return gain

    def _words_gain(
        self, words: list[str], i: int, document: DocumentWords, printed: str, left: str, right: str
    ) -> float:
        """`document_gain` of a reading of printed pieces as as many words ("a verdict" for "A
        veidict"): each word's own gain over the plain share, in its place, so that the document's
        prints of 'verdict' count for the two words as they count for the join 'verdict' that
        loses the "A". A word read as its piece is printed gains nothing, as a word as printed never
        does. A reading that puts a space the print lacks ("ofsome": 'of some') gains so only where
        the document prints its words side by side elsewhere: the sample's "non-party" vouches for
        no 'non party' in its "nonparty"."""
        plain = math.log10(1 - self.cache_weight)
        parts = words[i].split()
        pieces = [_EDGE_MARKS.sub("", p) for p in printed.split()]
        if len(pieces) != len(parts):
            if not all(document.pairs.get(pair, 0) for pair in zip(parts, parts[1:])):
                return plain
            pieces = [""] * len(parts)
        expanded = [*words[:i], *parts, *words[i + 1 :]]
        gain = plain
        for k, piece in enumerate(pieces):
            before = left if k == 0 else parts[k - 1]
            after = right if k == len(parts) - 1 else parts[k + 1]
            j = i + k
            gain += (
                self.document_gain(
                    expanded, j, self.prefix_score(expanded, j), document, piece, before, after
                )
                - plain
            )
        return gain

    def rank(
        self,
        current: list[str],
        i: int,
        candidates,
        document: DocumentWords | None = None,
        printed: str = "",
        bonds: Sequence[bool] = (),
    ) -> tuple[Reading, ...]:
        """The readings of word i of `current` from (form, log10 P(OCR form | form)) candidates,
        each scored in its context, with their posteriors, best first.

        The posterior also weighs each reading's spelling cost (``spelling``) and, given the
        `document`'s words, its gain from the document's use of it, alone and beside its
        neighbours (``document_gain``; `printed` is the word as printed, whose own use does not
        count); its context score stays the language model's own, as the calibration's gains read it. `bonds[k]` says whether words k
        and k + 1 are printed with only a space between them (``bonded``): the document's word
        pairs count only there ("he — Stalin" is no "the Stalin")."""
        trial = list(current)
        scored = []
        prefix = self.prefix_score(current, i)
        before = current[i - 1] if 0 < i <= len(bonds) and bonds[i - 1] else ""
        after = current[i + 1] if i < len(bonds) and bonds[i] and i + 1 < len(current) else ""
        for form, log_channel in candidates:
            trial[i] = form
            cached = (
                0.0
                if document is None
                else self.document_gain(trial, i, prefix, document, printed, before, after)
            )
            scored.append(
                (form, log_channel, self.context_score(trial, i, prefix), self.spelling(form), cached)
            )
        top = max(c + x + s + d for _, c, x, s, d in scored)
        weights = [10 ** (c + x + s + d - top) for _, c, x, s, d in scored]
        total = sum(weights)
        plain = math.log10(1 - self.cache_weight)  # the gain of a reading the document never prints
        readings = [
            Reading(f, c, x, w / total, s, d)
            if document is None or d == plain
            else Reading(
                f,
                c,
                x,
                w / total,
                s,
                d,
                document.count(f, printed),
                document.pair_prints(before, f, after, printed),
            )
            for (f, c, x, s, d), w in zip(scored, weights)
        ]
        return tuple(sorted(readings, key=lambda r: -r.posterior))


FEATURES = (
    "channel_gain",  # log10 P(ocr | candidate) - log10 P(ocr | as printed)
    "context_gain",  # log10 P(context | candidate) - log10 P(context | as printed)
    "printed_known",  # the language model knows the form as printed, and a word list has it
    "known_x_channel",
    "known_x_context",
    "capital_inside",  # capitalised, not first in its sentence: a name more often than not
    "printed_zipf",  # frequency of the printed form in English (wordfreq)
    "candidate_zipf",
    "share",  # the candidate's posterior among all readings
    "margin",  # log10 of its lead over the next candidate
    "length",
    "document_noise",  # the share of the document's words the language model does not know
    "printed_unlikeness",  # how much less likely the printed form's letters are than a word's (log10, >= 0)
    "document_gain",  # log10 of how much likelier the document's own prints make the candidate than the print
)


def decision_features(
    d: Decoded,
    candidate: Reading,
    printed_known: bool,
    zipf: Callable[[str], float],
    unlikeness: float = 0.0,
) -> list[float]:
    """What the calibrated decision weighs for replacing a printed word by a candidate."""
    printed = d.readings_printed
    others = [r.posterior for r in d.readings if r.form not in (candidate.form, printed.form)]
    second = max(others, default=1e-6)
    cg = candidate.log_channel - printed.log_channel
    xg = candidate.log_context - printed.log_context
    known = float(printed_known)
    first = d.index == 0 or d.sentence[d.index - 1] in (".", "!", "?", ":", ";")
    return [
        cg,
        xg,
        known,
        known * cg,
        known * xg,
        float(d.token.text[:1].isupper() and not first),
        zipf(printed.form),
        zipf(candidate.form),
        candidate.posterior,
        math.log10(max(candidate.posterior, 1e-12) / max(second, 1e-12)),
        float(len(printed.form)),
        d.noise,
        unlikeness,
        candidate.log_document - printed.log_document,
    ]


# The calibration inputs along which more evidence may never lower the probability: the channel
# and context gains, the candidate's share, its lead and their log-odds, and how unlike a word the
# printed form's letters are (see calibration_inputs).
CALIBRATION_MONOTONE = (0, 1, 5, 6, 8, 9, 11, 12)


def calibration_inputs(
    features: Sequence[float], noise: bool = True, unlikeness: bool = True, document: bool = True
) -> list[float]:
    """What one part of the calibration weighs: the features without the known/unknown split, plus
    the log-odds of the candidate's share and its lead over the next candidate, capped, the
    document's noise and the printed form's unlikeness (`noise`, `unlikeness`: False for a
    calibration learned before it was an input). The unlikeness lets the calibration weigh a
    form whose letters no word has ("pieasury", 1 in 21,646 as likely as a word's) apart from
    one that reads like a name the lists lack."""
    share = min(max(features[8], 1e-9), 1 - 1e-9)
    return [
        *(features[i] for i in (0, 1, 5, 6, 7, 8, 9, 10)),
        math.log10(share / (1 - share)),
        min(features[9], 3.0),
        *((features[11],) if noise else ()),
        *((features[12],) if noise and unlikeness else ()),
        *((features[13],) if noise and unlikeness and document else ()),
    ]


class Calibration:
    """Learned weights that turn decision features into the probability that the candidate is right.

    Two parts: one for printed forms that are words (real-word errors: "tho", "arc"),
    one for forms it does not ("tlie", "Uuited"); the evidence means different things in each.
    Each part is a ``models.net.TanhNet`` (a plain logistic when its weights have no hidden layer),
    or several trained from different seeds, whose probabilities are averaged: one net's edits
    on a set it never saw moved by a hundred with its seed alone (BENCHMARKS.md).
    """

    def __init__(self, parts: dict, features: Sequence[str] = FEATURES):
        self.parts = parts  # "known" / "unknown" -> TanhNet weights, or a list of them
        self._nets = {
            name: [TanhNet(w) for w in (weights if isinstance(weights, list) else [weights])]
            for name, weights in parts.items()
        }
        # A calibration learned before the document's noise was an input reads its inputs without it.
        self._noise = "document_noise" in features
        self._unlikeness = "printed_unlikeness" in features  # likewise the printed form's letters
        self._document = "document_gain" in features  # and the document's own prints

    def probability(self, features: Sequence[float]) -> float:
        return self.probabilities([features])[0]

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """One probability per row of decision features, each part's rows scored in one batch."""
        out = [0.0] * len(rows)
        for name, known in (("known", True), ("unknown", False)):
            at = [i for i, f in enumerate(rows) if bool(f[2]) == known]
            if at:
                inputs = [
                    calibration_inputs(rows[i], self._noise, self._unlikeness, self._document) for i in at
                ]
                ps = sum(net.probabilities(inputs) for net in self._nets[name]) / len(self._nets[name])
                for i, p in zip(at, ps.tolist()):
                    out[i] = p
        return out
