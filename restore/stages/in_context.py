"""The spelling stage's decisions by probability: the noisy channel read in context.

The spelling rules go first and keep what they decide. Every other word, capitalised ones and
words in capitals included (``any_word``), is read by the noisy channel
(``models.noisy_channel``): the learned OCR error model times the language model, against the
word as printed. A calibrated probability that the best other reading is right
(``models.noisy_channel.Calibration``, learned on OCR/ground-truth pairs) decides: at or above
``Config.min_confidence`` it is an edit with that confidence; from ``FLAG_FLOOR`` up to it, a
flag with the candidates; a print the document reads surely elsewhere lends a reading under the
bar part of that probability (``with_twins``). Before the words one by one, two printed pieces
one of which is no word ("childi en", "pro gress"), and pieces stray marks join ("sign»d",
"ha>e"), are read as the word they may be (``NoisyChannel.read_splits``), and so is a word
whose last letter is a mark ("official«", "th#": ``read_marked_ends``), judged the same way.
What the channel may never change:

- names in a name dictionary, words of the user's dictionaries (``--dict``, ``--model``'s
  words), unknown capitalised forms the document itself uses twice or more (in early modern
  text, any unknown form it repeats), unless one of the document's own confusions, taught by
  its sure corrections, touches them ("Sydnoy" in a text that prints 'o' for 'e' throughout);
- numbers, words with digits, halves of hyphenated compounds
  (but a lone '1' in a document that prints '1' for 'I' again and again, or '0' for 'O': see ``lone_digits``;
  such a reading's probability is its posterior, not the calibration's, see ``judge``);
- historical spellings of a known word ("beene", "towne", "vaine") read as that word, and
  British/American pairs (in modern text a form the spelling rules take for a historical
  spelling but the channel reads as another word, "boing" as "being" rather than "bong", is
  the OCR's);
- in early modern text, any word the rules flagged as possibly the period's spelling, and a
  form the language model knows (its 18th-century books taught it the period's spellings)
  read as another word by anything but the OCR's confusions of letter shapes
  (``letter_shapes``: "bis" his, "au" all; never "then" than, "doe" do).
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..models import channel, confusions, in_domain, lexicon, lm
from ..models.channel import HYPHEN_BETWEEN, MISREAD_BETWEEN, SPECK_BETWEEN
from ..models.letters import WEIGHT as LETTER_WEIGHT
from ..models.letters import load_letter_model
from ..models.noisy_channel import (
    FLATTENED_HYPHENS,
    HYPHENS,
    JUNK,
    MARKED_END,
    MARKED_INSIDE,
    SPECKED_WORD,
    Calibration,
    Decoded,
    NoisyChannel,
    Reading,
    Token,
    as_read,
    sentences,
)
from ..models.vocabulary import Vocabulary, pair_postings, prefixes_of
from . import EditProposal, FlagProposal

# The words the books use at least once in 3,000 tokens (about 220: "the", "and", "for", "were"):
# a known form's two-edit neighbours among them are candidates too (see reader_for).
COMMON_LOG10 = -3.5
FLAG_FLOOR = 0.5  # below this the printed word is as likely as any candidate: no flag
ADAPT_SHARE = 0.9  # a non-word's reading this sure teaches the document's own confusions
ADAPT_MIN = 3  # times a confusion must be seen so before the document's rate serves
OUTNUMBERED = 3  # a repeated unknown form printed a third as often as a word it misreads is read after all
OUTNUMBERED_MIN = 5  # ... when that word is printed at least this often
# Lone '1's where an 'I' stands (lone '0's where an 'O' stands) before a document is taken to
# print the one for the other.
LONE_DIGIT_MIN = 5
POUNDS = f"{lm.NUMBER} l"  # the language model's form of a sum in pounds, "5l." (``read_pounds``)
# log10: the least a sum's context may say for pounds against the number (about three times less likely)
POUNDS_CONTEXT_FLOOR = -0.5
# Of two prints of one non-word in one document, where it is printed wrong somewhere, how often
# both stand for the same word: 75 of 88 pairs in BLN600's training pairs. A reading sure in one
# place lends the other this share of its probability (see with_twins; a word lends the share of
# its prints the document reads so).
SAME_WORD_SHARE = 0.85
CACHE_WEIGHT = 0.1  # the document's word shares in P(word | context): best of 0.05-0.35, BLN600 fold 1
DEFAULT_CALIBRATION = Path(__file__).resolve().parent.parent / "data" / "channel" / "calibration.json"
_BRITISH = (
    ("our", "or"),
    ("ise", "ize"),
    ("isation", "ization"),
    ("re", "er"),
    ("ence", "ense"),
    ("ll", "l"),
    ("ogue", "og"),
    ("yse", "yze"),
    ("ae", "e"),
    ("oe", "e"),
)
_DOUBLE_L = re.compile(r"ll(?=[eimf]|$)")  # where one l or two is a spelling (see spelling_variant)
# A capitalised form the document repeats is its own (a name) unless it is a word this common (Zipf).
EVERYDAY_ZIPF = 3.0
# A name's prefix before its capital: "M'William", "McOarry", "MacKenzie" (see keeps_name_prefix).
NAME_PREFIX = re.compile(r"(?:Mc|Mac|M['’])(?=[A-Z])")
# In early modern text a reading is judged only where it holds this share of the print's own
# posterior: the calibration learned its low shares on 19th-century newspapers, where a print no
# list has is the OCR's, and in an old book it is as often the period's spelling ("her great
# impaciencie": 'impatience' judged 0.8 or more once every share was, on icdar2017-en's ground truth).
PERIOD_LEAST_SHARE = 0.05
# The shortest word spelled with one l where others spell two ("enrol", "appal"): "al", "wil",
# "shal" and "stil" are misprints of 'all', 'will', 'shall' and 'still'.
SHORTEST_ONE_L = 5


@dataclass(frozen=True)
class Judged:
    """A word the channel would change, with its calibrated probability."""

    decoded: Decoded
    candidate: Reading
    probability: float
    twin: Twin | None = None  # the same reading of the same print elsewhere, where it lent its probability


@dataclass(frozen=True)
class Twin:
    """A print's reading at or above the bar elsewhere in its document (see ``with_twins``)."""

    probability: float  # the best of those readings'
    surely: int  # the document's prints of the form read so
    prints: int  # all its prints of the form
    word: bool  # the form is a word: it borrows by the share of its prints read so, not SAME_WORD_SHARE


@dataclass(frozen=True)
class LoneDigits:
    """A document's own evidence that its OCR prints a digit for a letter that stands alone as a
    word: '1' for 'I' ("as 1 can be"), '0' for the vocative 'O' ("0 happy day", in a book whose
    engine reads every 'O' so): the lone digits and the lone letters it prints where the letter
    stands (``_where_i_stands``, ``_where_o_stands``). Newspapers print a lone '1' between words
    now and then ("at 1 per cent"); a book that prints every 'I' so prints it hundreds of times
    and its 'I' hardly ever."""

    digit: str
    letter: str
    digits: int
    letters: int

    @property
    def rate(self) -> float:
        """P(OCR prints the digit | the letter stood there), from the document: two unseen readings keep it below 1."""
        return self.digits / (self.digits + self.letters + 2)

    def explain(self) -> str:
        where = "before a lower-case word" if self.letter == "I" else "before a word"
        return (
            f"this document prints a lone '{self.digit}' {where} {_times(self.digits)} and a lone "
            f"'{self.letter}' {_times(self.letters)}: '{self.digit}' for '{self.letter}' in about {self.rate:.0%} of cases"
        )


def _where_i_stands(sent: list[Token], i: int) -> bool:
    """Before a lower-case word, and after another, a clause mark or a sentence's start: where a
    lone 'I' stands ("as I can", "said, I was", ". I am") and a number seldom does."""
    before = (
        i == 0 or sent[i - 1].text in ",;:" or (sent[i - 1].text.isalpha() and sent[i - 1].text.islower())
    )
    return before and i + 1 < len(sent) and sent[i + 1].text.isalpha() and sent[i + 1].text.islower()


def _where_o_stands(sent: list[Token], i: int) -> bool:
    """Before a word, after a sentence's start, a mark or a word: where the vocative 'O' stands
    ("volcanic. O wondrous", "thee, O sire") and a number seldom does (a number stands before
    its unit, "0 feet", which the document's own count and the language model weigh)."""
    before = i == 0 or not sent[i - 1].text[:1].isdigit()
    return before and i + 1 < len(sent) and sent[i + 1].text.isalpha()


# The digits read as a lone letter: (digit, letter, where the letter stands).
LONE_DIGITS = (("1", "I", _where_i_stands), ("0", "O", _where_o_stands))


def lone_digits(text: str) -> tuple[LoneDigits, ...]:
    """The document's evidence of each digit of LONE_DIGITS printed for its letter, where it prints
    that at least LONE_DIGIT_MIN times; one pass over the sentences for all of them."""
    asked = [(d, letter, stands) for d, letter, stands in LONE_DIGITS if text.count(d) >= LONE_DIGIT_MIN]
    if not asked:
        return ()  # most documents: no second pass over their sentences
    seen: Counter = Counter()
    for sent in sentences(text):
        for i, t in enumerate(sent):
            for digit, letter, stands in asked:
                if t.text in (digit, letter) and stands(sent, i):
                    seen[t.text] += 1
    return tuple(
        LoneDigits(d, letter, seen[d], seen[letter]) for d, letter, _ in asked if seen[d] >= LONE_DIGIT_MIN
    )


def read_lone_digits(
    reader: NoisyChannel,
    text: str,
    evidence: LoneDigits,
    wanted: Callable[[Token], bool],
    context: dict[int, str],
) -> list[Decoded]:
    """Each lone digit of `evidence` beside a word read both ways, as a number and as its letter,
    with the document's rate as the channel's P(digit | letter); `context` gives its neighbours'
    readings (offset -> form)."""
    as_printed = math.log10(reader.errors.word_right)
    as_letter = math.log10(evidence.rate)

    def lone_digit(sent: list[Token], i: int) -> bool:
        t = sent[i]
        return (
            t.text == evidence.digit
            and wanted(t)
            and any(0 <= k < len(sent) and sent[k].text.isalpha() for k in (i - 1, i + 1))
        )

    readings = ((lm.NUMBER, as_printed), (evidence.letter.lower(), as_letter))
    return _read_numbers(reader, text, context, lone_digit, readings)


def _read_numbers(
    reader: NoisyChannel,
    text: str,
    context: dict[int, str],
    at: Callable[[list[Token], int], bool],
    readings: tuple[tuple[str, float], ...],
) -> list[Decoded]:
    """Each number `at` picks (in its sentence's tokens as read so far, by index) ranked over
    `readings`, (form, log10 P(the print | form)) each, beside its neighbours' readings (`context`:
    offset -> form). The index is taken after a joined word's pieces leave the sentence, so that
    it names the number and not a later token."""
    out: list[Decoded] = []
    for sent in sentences(text):
        sent, words = as_read(sent, context, lm.lm_form)
        for i, t in enumerate(sent):
            if at(sent, i):
                out.append(Decoded(t, i, tuple(words), reader.rank(words, i, readings), lm.NUMBER))
    return out


def pound_print(text: str, t: Token) -> bool:
    """A number printed with '1' last before a full stop, no year, after a space, a line's start or
    a bracket: where the pairs' OCR printed a sum of pounds, "a fine of 51. and costs" for '5l.'
    (``channel.POUND_PRINT``); not "$51." nor "No.51."."""
    return (
        channel.POUND_PRINT.fullmatch(text[t.start : t.end + 1]) is not None
        and not channel.YEAR_LIKE.fullmatch(t.text)
        and (t.start == 0 or text[t.start - 1] in " \t\n(")
    )


def read_pounds(
    reader: NoisyChannel,
    text: str,
    rate: float,
    wanted: Callable[[Token], bool],
    context: dict[int, str],
) -> list[Decoded]:
    """Each number printed with '1' last before a full stop (``pound_print``) read both ways, as
    the number and as a sum in pounds, with the pairs' rate of pounds among such prints as the
    reading's share before its context (``ErrorModel.pounds_rate``): the language model tells
    "a fine of 5l." from "at a quarter to 11." `context` gives the neighbours' readings."""
    as_number, as_pounds = math.log10(1 - rate), math.log10(rate)
    return _read_numbers(
        reader,
        text,
        context,
        lambda sent, i: pound_print(text, sent[i]) and wanted(sent[i]),
        ((lm.NUMBER, as_number), (POUNDS, as_pounds)),
    )


@lru_cache(maxsize=4)
def load_calibration(path: str | None = None) -> Calibration:
    p = Path(path) if path else DEFAULT_CALIBRATION
    if p.is_dir():
        p = p / "calibration.json"
    if not p.is_file():
        p = DEFAULT_CALIBRATION
    data = json.loads(p.read_text(encoding="utf-8"))
    return Calibration(data["parts"], data.get("features", ()))


@lru_cache(maxsize=4)
def noisy_channel(model_dir: str | None = None) -> NoisyChannel:
    """The reader for a model folder (``restore learn``) or the shipped models; one per process."""
    errors = channel.load_error_model(model_dir) if model_dir else channel.load_error_model()
    return reader_for(errors, in_domain.language_model(lm.load_language_model(), model_dir))


def reader_for(
    errors: channel.ErrorModel,
    language: lm.LanguageModel | in_domain.MixedLanguageModel | None = None,
    several_words: bool = True,
) -> NoisyChannel:
    """A noisy-channel reader over an error model, a language model (default: the shipped book
    model; ``in_domain.language_model`` mixes in a learned folder's own text) and the symspellpy index;
    `several_words` False: no printed form is read as several words but two run together
    letter for letter ("kingwas"): no long form is split (``NoisyChannel.segment``), and no two
    words a speck joins are read apart (``NoisyChannel.mark_spaces``)."""
    language = language or lm.load_language_model()
    index = lexicon.symspell()
    common = common_words(language)

    def near_common(form: str) -> list[tuple[str, float, int]]:
        return process.extract(form, common, scorer=OSA.distance, score_cutoff=2, limit=None)

    @lru_cache(maxsize=20_000)  # shared by the document-adapted readers: it needs no error model
    def neighbours(form: str) -> tuple[str, ...]:
        # Two edits make any two-letter form any other; a known word's two-edit neighbours are
        # other words more often than its misreadings (and the lookup costs ten times more).
        distance = 1 if len(form) < 3 or language.known(form) else 2
        found = tuple(term for term, _, _ in lexicon.nearby(index, form, distance)[:60])
        if distance == 1 and len(form) >= 3:
            # ... but the commonest words are misread most, two edits away too ("toi": for, "ami": and).
            found += tuple(w for w, _, _ in near_common(form) if w != form and w not in found)
        return found

    def prior(form: str) -> float:
        return language.score(form, False, False)

    def token_scores(words: list[str]) -> list[float]:
        return [p for p, _n in language.token_scores(words)]

    plausible = lexicon.base_words().union(lexicon.wordfreq_forms())  # the forms a word list has

    return NoisyChannel(
        errors,
        language.score,
        language.known,
        neighbours,
        lm_form=lm.lm_form,
        token_scores=token_scores,
        plausible=plausible,
        prior=prior,
        letters=load_letter_model(),
        spared=lambda w: lexicon.word_zipf(w) > 0,  # a listed word is no junk, however it is spelt
        vocabulary=load_vocabulary(language, plausible),
        cache_weight=CACHE_WEIGHT,
        segment=_segmenter(index) if several_words else None,
        mark_spaces=several_words,
        language_named=language.named,
    )


def common_words(language: lm.LanguageModel | in_domain.MixedLanguageModel) -> list[str]:
    """The words of two letters or more the language model finds at least COMMON_LOG10 likely,
    sorted: the commonest words, which OCR misreads most. Kept in the cache folder for the book
    model alone (finding them asks it about 30,000 words: a twentieth of a second at every start);
    a mixed model's are found afresh, its own text moving the figures."""
    forms = lexicon.wordfreq_forms()

    def find() -> list[str]:
        # The share is a cheap first cut: each such word of the shipped model is in wordfreq's
        # list at least once in 100,000 words.
        return sorted(
            w
            for w, share in forms.items()
            if share >= 1e-5
            and w.isalpha()
            and len(w) >= 2
            and language.score(w, False, False) >= COMMON_LOG10
        )

    if not isinstance(language, lm.LanguageModel):
        return find()
    key = f"{language.path.name}-{language.path.stat().st_size}-{len(forms)}-{COMMON_LOG10}"
    return lexicon._cached("common-words", key, find)


def _segmenter(index) -> Callable[[str], str]:
    """symspellpy's word segmentation of a form, one edit a word; kept per form (a document's
    adapted readers ask again)."""

    @lru_cache(maxsize=20_000)
    def segment(form: str) -> str:
        return index.word_segmentation(form, max_edit_distance=1).corrected_string

    return segment


def load_vocabulary(language, plausible) -> Vocabulary:
    """The words a far candidate search may end on: those a word list of English has and the
    language model knows, letters only (kept in the cache folder: finding them asks the model 400,000 times).
    Loaded once per process: ``restore learn`` makes a reader for each fold."""
    key = f"{language.path.name}-{language.path.stat().st_size}-{len(plausible)}"
    loaded = _VOCABULARIES.get(key)
    if loaded is None:
        words = lexicon._cached(
            "vocabulary", key, lambda: sorted(w for w in plausible if w.isalpha() and language.known(w))
        )
        # Their prefixes and letter pairs too: finding them takes longer than loading them.
        loaded = _VOCABULARIES[key] = Vocabulary(
            words,
            lexicon._cached("vocabulary-prefixes", key, lambda: sorted(prefixes_of(words))),
            lexicon._cached("vocabulary-pairs", key, lambda: pair_postings(words)),
        )
    return loaded


_VOCABULARIES: dict[str, Vocabulary] = {}  # load_vocabulary's, by language model and word list


def confident_confusions(
    decoded: list[Decoded], minimum: int = ADAPT_MIN, also: Counter | None = None, share: float = ADAPT_SHARE
) -> Counter:
    """The confusions of the words that one other reading explains almost alone (`share`), each
    seen at least `minimum` times with those in `also`: what a text teaches about its OCR
    engine. Words the language model knows count too: an engine that prints 'o' for 'e' prints
    "tho" and "bo" as well as "havo"."""
    seen: Counter = Counter(also or ())
    for d in decoded:
        c = d.challenger
        if c is not None and c.posterior >= share:
            seen.update(channel.confusions(c.form, d.sentence_printed))
    # A lost letter ('' printed) would touch every word: only confusions that print something.
    return Counter({k: n for k, n in seen.items() if n >= minimum and k[1]})


def sure_rule_corrections(text: str, edits: list[EditProposal], min_confidence: float) -> list[EditProposal]:
    """The spelling rules' one-word corrections the stage applies ("havo" -> "have"), letters for
    letters: what they teach of the document's OCR (``rule_confusions``) and lend to its other
    prints of the form (``with_twins``)."""
    return [
        e
        for e in edits
        if e.after
        and e.confidence >= min_confidence
        and text[e.start : e.end].isalpha()
        and e.after.isalpha()
    ]


def rule_confusions(text: str, edits: list[EditProposal], min_confidence: float) -> Counter:
    """The confusions of the spelling rules' sure corrections: the same engine's habits, shown by
    words the channel is not asked to read."""
    seen: Counter = Counter()
    for e in sure_rule_corrections(text, edits, min_confidence):
        seen.update(channel.confusions(lm.lm_form(e.after), lm.lm_form(text[e.start : e.end])))
    return seen


def document_reader(
    reader: NoisyChannel, text: str, decoded: list[Decoded], also: Counter | None = None
) -> NoisyChannel:
    """The reader with the document's own confusions, taught by its words that one reading
    explains almost alone (share ADAPT_SHARE) and by `also` (``rule_confusions``); a confusion
    counts once seen ADAPT_MIN times."""
    seen = confident_confusions(decoded, also=also)
    if not seen:
        return reader
    adapted = reader.errors.adapted(seen, [lm.lm_form(w) for w in channel.words_of(text)])
    return reader if adapted is reader.errors else reader.with_errors(adapted)


def reread(
    adapted: NoisyChannel,
    text: str,
    decoded: list[Decoded],
    settled: dict[int, str] | None = None,
) -> list[Decoded]:
    """The decodes again under a document's adapted reader, for the words one of its own
    confusions touches, each beside its neighbours' first readings; the rest read as before."""
    marks = [b for _, b in adapted.errors.document]
    touched = {d.token.start for d in decoded if any(b in d.sentence_printed for b in marks)}
    if not touched:
        return decoded
    context = dict(settled or {})
    context.update((d.token.start, d.readings[0].form) for d in decoded if d.token.start not in touched)
    fresh = adapted.decode(text, lambda t: t.start in touched, settled=context)
    kept = [d for d in decoded if d.token.start not in touched]
    return sorted(kept + fresh, key=lambda d: d.token.start)


def _read_so_far(settled: dict[int, str], decoded: list[Decoded]) -> dict[int, str]:
    """Each word's form as read so far (offset -> form): the rules' corrections, then every decoded
    word's first reading, for judging further words beside them."""
    return {**settled, **{d.token.start: d.readings[0].form for d in decoded}}


def letter_shapes(printed: str, candidate: str) -> bool:
    """Whether `printed` becomes `candidate` only through the OCR's confusions of letter shapes
    ('b' for 'h', 'u' for 'll' or 'n', 'li' for 'h'): in early modern text the one way a word
    the language model knows may be read as another ("bis" his, "au" all, "bouse" house). A
    vowel for a vowel ("then" than), a letter added or dropped ("doe" do), or 'y' for 'th'
    ("ye") may be the period's own usage."""
    ops = channel.confusions(printed, candidate)
    return bool(ops) and all(confusions.shape_confusion(f"{x}→{y}") for x, y in ops)


def _capital_inside(printed: str) -> bool:
    """A lower-case word with a capital inside ("weU", "stiU", "caUed"): the OCR's, in text of any
    period. A capitalised one may be a name ("McOarry", "MacLeod")."""
    return printed[:1].islower() and any(c.isupper() for c in printed[1:])


def plain_word(t: Token) -> bool:
    """A word the calibration learns from: letters, two or more, not in capitals."""
    w = t.text
    return len(w) >= 2 and w[0].isalpha() and not w.isupper()


def any_word(t: Token) -> bool:
    """A word the channel reads: a plain word, or one in capitals ("TUE GOLD DEPOSITS",
    "STATEMENT BV MR."). A word in capitals is judged as a capitalised one is, a name more often
    than not (the calibration's capital_inside), and one the document repeats is its own."""
    w = t.text
    return len(w) >= 2 and w[0].isalpha()


# Lone lower-case letters the channel reads as words in modern text ("held m the town": 'in';
# "and n large number": 'a'): not 'a' and 'i', which are words, nor 's' and 'v', what is left of
# an apostrophe's word ("Blake s") and the law's "v". Capitals are initials.
LONE_WORD_LETTERS = frozenset("bcdefghjklmnopqrtuwxyz")
APOSTROPHES = frozenset("'’")


def lone_word_letter(text: str, t: Token) -> bool:
    """A lone letter (LONE_WORD_LETTERS) that may be what the OCR kept of a short word; a letter the
    truth lacks is a speck, and the channel's reading of it only competes with leaving it (the
    spelling stage's lone-letter reader removes specks, by its own rates). Not a 't' after an 'n'
    ("don t", "won t"): what is left of a word with an apostrophe; nor a letter with an apostrophe
    beside it, the text's own elision ("share o' the cash", "b' gosh", "do't")."""
    return (
        t.text in LONE_WORD_LETTERS
        and not (t.text == "t" and text[max(0, t.start - 2) : t.start] == "n ")
        and text[t.end : t.end + 1] not in APOSTROPHES
        and text[max(0, t.start - 1) : t.start] not in APOSTROPHES
    )


def _ends_in_marks(form: str) -> bool:
    """Letters and the marks that end them ("hu«"), what ``NoisyChannel.read_marked_ends`` reads."""
    marks = MARKED_END.search(form)
    return marks is not None and marks.end() == len(form) and form[: marks.start()].isalpha()


def _specked(text: str, f: FlagProposal) -> bool:
    """A flag on one word a sentence's mark breaks ("g:oods"), what ``NoisyChannel.read_specked_words``
    reads: the flag is the whole word's, and its pieces are no words of their own."""
    return SPECKED_WORD.fullmatch(text[f.start : f.end]) is not None


def _continues_broken_word(text: str, t: Token) -> bool:
    """A piece right after a word broken at a line end whose line break became a space ("unfor- r
    tunate"): the rest of that word, not the first piece of another."""
    before = text[max(0, t.start - 3) : t.start]
    return len(before) == 3 and before[0].isalpha() and before[1:] in FLATTENED_HYPHENS


def _drop_capital(a: Token, b: Token) -> bool:
    """A lone capital before a word in capitals: a large first letter printed apart ("S ECOND
    CENTENARY", "A RCHITECTS"): read as one word when the rest is no word, as any two pieces are."""
    return len(a.text) == 1 and a.text.isupper() and len(b.text) > 1 and b.text.isupper() and b.text.isalpha()


def letters(t: Token) -> bool:
    """Letters only, not in capitals (a lone capital letter counts): what may be a piece of a split word."""
    return t.text.isalpha() and not (t.text.isupper() and len(t.text) > 1)


def judge(
    reader: NoisyChannel,
    decoded: list[Decoded],
    model_dir: str | None = None,
    least_share: float = 0.0,
) -> list[Judged]:
    """Each decoded word the channel would read otherwise, with the probability it is right to.

    Every word with another reading is judged, however small that reading's share of the
    posterior: the calibration learned from every such word (``learn.decision_rows``), and a
    print no word list has can be misread so far that its own letters outweigh a reading the
    context favours ("the usual prelininaris having been arranged": 'preliminaries' at 0.007 of
    the posterior, 0.70 calibrated on BLN600 fold 0). `least_share`: judged only where the
    reading holds at least this share of the print's own posterior (``PERIOD_LEAST_SHARE``)."""
    calibration = load_calibration(model_dir)
    lone = [d for d in decoded if d.sentence_printed == lm.NUMBER and d.challenger is not None]
    decoded = [d for d in decoded if d.sentence_printed != lm.NUMBER]
    chosen = [
        d
        for d in decoded
        if d.challenger is not None and d.challenger.posterior >= d.readings_printed.posterior * least_share
    ]
    probabilities = calibration.probabilities([reader.features(d, lexicon.zipf) for d in chosen])
    # A lone '1' read as 'I' or '0' as 'O' (read_lone_digits), a number as pounds (read_pounds): the posterior is
    # the probability. The calibration learned misspellings; on BLN600's ground truth with lone I's
    # printed '1' (benchmarks/bench_lone_ones.py) the posterior was no surer than the truth.
    return [Judged(d, d.challenger, p) for d, p in zip(chosen, probabilities)] + [
        Judged(d, d.challenger, d.challenger.posterior) for d in lone
    ]


def with_twins(
    judged: list[Judged],
    sure: dict[tuple[str, str], dict[int, float]],
    prints: Counter,
    min_confidence: float,
    word: Callable[[str], bool],
) -> list[Judged]:
    """Each reading under the bar of a print that the document reads elsewhere as the same word at
    or above it, whatever its case ("Tho", "tho"), its probability mixed with the best of those:
    share x there + the rest x here. `sure`: (print in lower case, reading) -> {offset:
    probability} of those readings, the rules' sure corrections among them; `prints`: the
    document's prints of each form in lower case. A non-word's share is SAME_WORD_SHARE: "irom"
    read "from" at 0.98 in one sentence and at 0.63 beside a name the model does not know
    ("Holden, irom Merimbula") is 0.93 there. A word's is the share of its prints the document
    reads so: "th" read "the" in 36 of its 69 prints lends about half, one "be" of a hundred read
    "he" almost nothing."""
    out = []
    for j in judged:
        printed = j.decoded.token.text.lower()
        seen = sure.get((printed, j.candidate.form))
        # A number is no word: "51." is a sum in one sentence and a page in another.
        if not seen or j.probability >= min_confidence or j.candidate.form == POUNDS:
            out.append(j)
            continue
        there = max(seen.values())
        n = max(prints[printed], len(seen) + 1)
        is_word = word(j.decoded.sentence_printed)
        share = len(seen) / n if is_word else SAME_WORD_SHARE
        p = share * there + (1 - share) * j.probability
        out.append(Judged(j.decoded, j.candidate, p, Twin(there, len(seen), n, is_word)))
    return out


def _sentences_around(text: str, offsets: list[int]) -> list[tuple[int, int]]:
    """The (start, end) of each sentence holding one of the offsets, in order."""
    bounds = [(sent[0].start, sent[-1].end) for sent in sentences(text)]
    starts = [a for a, _ in bounds]
    chosen = {bisect.bisect_right(starts, o) - 1 for o in offsets}
    return [bounds[k] for k in sorted(chosen) if k >= 0]


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted and merged where they overlap, so that one bisection finds a word's."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, merged spans."""
    k = bisect.bisect_left(spans, (end,)) - 1
    return k >= 0 and spans[k][1] > start


def _apart(items: list, span: Callable, first: Callable) -> list:
    """The items whose spans overlap none kept before them, taken in the order `first` gives,
    returned in the order of their spans: a word's own flag before a join's over it and its
    neighbour; of two joins sharing a piece ("a b c" as "ab c" or "a bc"), the likelier."""
    kept: list = []
    for item in sorted(items, key=first):
        a, b = span(item)
        if all(b <= span(k)[0] or span(k)[1] <= a for k in kept):
            kept.append(item)
    return sorted(kept, key=span)


def _flag_span(f: FlagProposal) -> tuple[int, int]:
    return f.start, f.end


def _join_span(j: Judged) -> tuple[int, int]:
    return j.decoded.token.start, j.decoded.token.end


def later_pieces(text: str, start: int, end: int) -> list[int]:
    """Where the pieces after the first of a joined word start: after a space ("coin mittee"),
    stray marks ("sign»d"), or the digits in it and the letters after them ("witn6ss")."""
    first = lm.TOKEN.search(text, start, end)  # a word's first token, after any marks it begins with
    return [m.start() for m in lm.TOKEN.finditer(text, first.end(), end)] if first else []


def _in_compound(text: str, t: Token) -> bool:
    """Part of a hyphenated or apostrophed compound ("co-optation", "o'clock"): the halves are not
    words of their own (but see `_hyphen_piece`). A mark that begins a word of its own joins no
    compound: a dash printed against the word after a space ("attacked him -Mir. Cooper", BLN600's
    OCR of '—Mr.'), or a run of such marks ("--lr. Lee", "-'iie jury"), and a quotation mark before
    a word the books do not know ("deaths 'whiich had occurred"); before one they know it may be
    the word's own apostrophe ('tis, 'em)."""
    if t.end < len(text) and text[t.end] in "-‐":
        return True
    if t.start == 0 or text[t.start - 1] not in "-‐'’":
        return False
    begins = t.start - 1  # where the run of marks before the word begins ("--lr.", "-'iie")
    while begins > 0 and text[begins - 1] in "-‐'’":
        begins -= 1
    if begins > 0 and not text[begins - 1].isspace():
        return True  # between two words: "co-optation", "o'clock"
    return text[begins : t.start] in ("'", "’") and lm.load_language_model().known(lm.lm_form(t.text))


def _pieces_and_whole(printed: str) -> list[str]:
    """The pieces of a printed pair and the word they make ("com maunded": com, maunded, commaunded)."""
    pieces = printed.split()
    return pieces + ["".join(pieces)] if len(pieces) > 1 else pieces


def _hyphen_piece(text: str, t: Token) -> bool:
    """A piece of a hyphened compound ("guido-books"), not of an apostrophed one ("o'clock")."""
    before = text[t.start - 1] if t.start > 0 else ""
    after = text[t.end] if t.end < len(text) else ""
    return before not in "'’" and after not in "'’" and (before in HYPHENS or after in HYPHENS)


def keeps_name_prefix(printed: str, candidate: str) -> bool:
    """Whether reading `printed` as `candidate` keeps the Scottish or Irish name's prefix it is
    printed with before a capital ("M'William", "McOarry"): such a form is a name, and its second
    half alone ('William', 'Marry') is another name or a word. `candidate` is in the language
    model's form (lower case, ’ as ')."""
    return NAME_PREFIX.match(printed) is None or candidate.startswith(("mc", "m'", "mac"))


def spelling_variant(printed: str, candidate: str) -> bool:
    """British and American spellings of one word ("colour"/"color", "realise"/"realize",
    "travelled"/"traveled"). One l or two parts them only before e, i, m or f or at a word's end
    ("travelled", "enrolment", "fulfil"): "wallked" and "ballustrade" are misprints."""
    for a, b in _BRITISH:
        for x, y in ((a, b), (b, a)):
            if x in printed and printed.replace(x, y) == candidate:
                if a == "ll" and not _DOUBLE_L.search(printed if x == "ll" else candidate):
                    continue
                if a == "ll" and len(printed if x == "l" else candidate) < SHORTEST_ONE_L:
                    continue
                return True
    return False


def _with_numbers(
    sentence: tuple[str, ...], lo: int, hi: int, text: str | None, token: Token, before: bool
) -> list[str]:
    """sentence[lo:hi] as a reason shows it: the numbers as printed, not as the language model
    reads them ("'May 18 , 1912'", not "'may <num> , <num>'"). The numbers the sentence shows
    before (or after) the word are the ones its sentence prints there, in order, where they are
    as many (a '1' read as 'I' is one fewer): else the model's forms stay."""
    shown = list(sentence[max(0, lo) : hi])
    if text is None or lm.NUMBER not in shown:
        return shown
    sent = next((t for t in sentences(text) if t[0].start <= token.start <= t[-1].end), ())
    if before:
        printed = [t.text for t in sent if t.end <= token.start and t.text[:1].isdigit()]
        read = sentence[:hi].count(lm.NUMBER)
        numbers = iter(printed[read - shown.count(lm.NUMBER) :]) if read == len(printed) else None
    else:
        printed = [t.text for t in sent if t.start >= token.end and t.text[:1].isdigit()]
        numbers = iter(printed) if sentence[lo:].count(lm.NUMBER) == len(printed) else None
    if numbers is None:
        return shown
    return [next(numbers) if w == lm.NUMBER else w for w in shown]


def reason_of(
    j: Judged,
    errors: channel.ErrorModel,
    token: str,
    probability: float,
    lone: tuple[LoneDigits, ...] = (),
    text: str | None = None,
    language: str = lm.LanguageModel.named,
) -> str:
    """The evidence in words: the confusion and how often OCR makes it, the context odds (in
    `language`: the reader's ``language_named``), the probability. `text`, the document, shows the
    context's numbers as printed."""
    d, c, printed = j.decoded, j.candidate, j.decoded.readings_printed
    shown = c.form
    if c.form == POUNDS:
        how = errors.explain_pounds()
        printed_form = "the number"
        shown = token[:-1] + "l"
    elif printed.form == lm.NUMBER and (digit := next((e for e in lone if e.digit == token), None)):
        how = digit.explain()
        printed_form = "a number"
    else:
        how = f"OCR {errors.explain(printed.form, c.form)}"
        printed_form = f"'{printed.form}'"
        if " " not in c.form:  # what reading the pieces as two words costs ("six- teen", "morn. ing")
            flattened = any(h in token for h in FLATTENED_HYPHENS)
            key = HYPHEN_BETWEEN if flattened else SPECK_BETWEEN if MISREAD_BETWEEN.search(token) else None
            between = errors.explain_between(key) if key else ""
            if between:
                how += f", and {between}"
    lo = max(0, d.index - 2)
    before = " ".join(_with_numbers(d.sentence, lo, d.index, text, d.token, before=True))
    after = " ".join(_with_numbers(d.sentence, d.index + 1, d.index + 3, text, d.token, before=False))
    where = " ".join(w for w in (before, shown, after) if w)
    twin = "" if j.twin is None else _twin_reason(j.twin, token, c.form)
    return (
        f"'{token}' -> '{_pronoun_or(c.form, shown)}': {how}; "
        f"'{where}' {lm.likelier(c.log_context - printed.log_context)} with {printed_form} in {language}; "
        f"{_unlike_english(printed)}{_in_document(c, printed)}{twin}probability {probability:.3f}"
    )


def _twin_reason(twin: Twin, token: str, form: str) -> str:
    """What the document's other readings of the print lent, in words."""
    if not twin.word:
        return (
            f"the document reads '{token}' as '{form}' elsewhere at {twin.probability:.3f}, and one print "
            f"of a non-word in one document is one word in {SAME_WORD_SHARE:.0%} of cases; "
        )
    return (
        f"the document reads '{token}' as '{form}' in {twin.surely} of its {twin.prints} prints, "
        f"at up to {twin.probability:.3f}; "
    )


def _in_document(candidate, printed) -> str:
    """The document's own use of the candidate, when it weighed (see ``NoisyChannel.document_gain``)."""
    gain = candidate.log_document - printed.log_document
    if gain < 0.3 or not (candidate.document_count or candidate.document_pairs):
        return ""  # under a factor of 2: not worth a reviewer's reading
    prints = [f"'{candidate.form}' {_times(candidate.document_count)}"] if candidate.document_count else []
    prints += [f"'{phrase}' {_times(n)}" for phrase, n in candidate.document_pairs]
    listed = prints[0] if len(prints) == 1 else ", ".join(prints[:-1]) + " and " + prints[-1]
    return f"the document prints {listed} elsewhere, which makes it {lm.times_likelier(gain)} here; "


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n:,} times"


def _unlike_english(printed) -> str:
    """The letter model's evidence against the printed form, when it weighed (see ``letters``)."""
    if (
        printed.log_spelling > -0.3
    ):  # the posterior moved by under a factor of 2: not worth a reviewer's reading
        return ""
    marks = "".join(dict.fromkeys(JUNK.findall(printed.form)))
    if marks:  # "sign»d", "witn6ss": the marks say it, not the odds of its letters
        kind = "a digit" if marks.isdigit() else "a mark"
        return f"'{printed.form}' has '{marks}' in it, {kind} no word has; "
    odds = 10 ** (-printed.log_spelling / LETTER_WEIGHT)
    one_in = f"{odds:,.0f}" if odds >= 10 else f"{odds:.1f}"
    return (
        f"'{printed.form}' is no word the language model or the word list knows, and its letters are "
        f"1 in {one_in} as likely as a listed word's of its length; "
    )


_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _spaced_as_printed(printed: str, form: str) -> str | None:
    """A reading of several words that only puts spaces between the printed letters, a mark
    between them read as a speck, in the printed case ("SalvationArmy": 'Salvation Army',
    "Coffin'For": 'Coffin For'); None for any other reading."""
    words = form.split(" ")
    letters = "".join(_LETTER_RUN.findall(printed))
    if len(words) < 2 or letters.lower() != "".join(words):
        return None
    ends = list(itertools.accumulate(len(w) for w in words))
    return " ".join(letters[a:b] for a, b in zip([0, *ends], ends))


def _pronoun_or(form: str, written: str) -> str:
    """'I' for the pronoun and 'O' for the vocative (the language model's forms are 'i' and 'o'),
    else the candidate as written."""
    return "I" if form == "i" else "O" if form == "o" else written


def overrule(
    reader: NoisyChannel,
    text: str,
    edits: list[EditProposal],
    guesses: frozenset[int],
    settled: dict[int, str],
    min_confidence: float,
    with_case,
    model_dir: str | None = None,
) -> list[EditProposal]:
    """The rules' edits, each one-word guess (`guesses`: their starts) replaced by the channel's
    reading where the channel, reading the printed word beside the rest as read, is sure of another
    word: the rules see one confusion and two neighbours ("would ho about": 'he'), or a form the
    document repeats, junk or not ("teaeh": 'teaoh'); the channel sees more ('be', 'teach')."""
    rule_edits = {e.start: e for e in edits if e.start in guesses and e.after.isalpha()}
    if not rule_edits:
        return edits
    context = {k: v for k, v in settled.items() if k not in rule_edits}
    decoded = reader.decode(text, lambda t: t.start in rule_edits, settled=context)
    replaced: dict[int, EditProposal] = {}
    for j in judge(reader, decoded, model_dir):
        rule = rule_edits[j.decoded.token.start]
        if j.decoded.readings[0] is not j.candidate or j.probability < min_confidence:
            continue
        if j.candidate.form == lm.lm_form(rule.after) or j.decoded.token.end != rule.end:
            continue
        got, _ = proposals(
            [j], text, min_confidence, with_case, reader.errors, language=reader.language_named
        )
        if got:
            e = got[0]
            replaced[rule.start] = EditProposal(
                e.start, e.end, e.after, e.kind, e.reason + f" (a rule had read '{rule.after}')", e.confidence
            )
    return [replaced.get(e.start, e) for e in edits]


def _capital_hidden(text: str, d: Decoded, form: str) -> bool:
    """Whether a reading of a word whose first letter OCR printed as a digit takes a capital: it
    begins its sentence, or the document prints the word capitalised more often than not
    ("8ydnoy": 'Sydney', printed so elsewhere on the page)."""
    if d.index == 0 or d.sentence[d.index - 1] in (".", "!", "?"):
        return True
    if " " in form or not form.isalpha():
        return False
    prints = Counter(m.group() for m in re.finditer(rf"\b{re.escape(form)}\b", text, re.IGNORECASE))
    capitalised = prints[form[:1].upper() + form[1:]]
    return capitalised > sum(prints.values()) - capitalised


def proposals(
    judged: list[Judged],
    text: str,
    min_confidence: float,
    with_case,
    errors: channel.ErrorModel,
    lone: tuple[LoneDigits, ...] = (),
    language: str = lm.LanguageModel.named,
):
    """Edits for the probable readings, flags for the middle band; `language` names the model
    the context odds come from (``NoisyChannel.language_named``)."""
    edits: list[EditProposal] = []
    flags: list[FlagProposal] = []
    for j in judged:
        t = j.decoded.token
        if j.candidate.form == POUNDS:
            # The collection's rate of pounds among such prints is learned over its money: an edit
            # also needs a context that does not speak against pounds (POUNDS_CONTEXT_FLOOR), so
            # that "a fine of 101." reads '10l.' and "my room is 71." stays. No flag under the bar:
            # there the rate outweighs a context that says little ("the tramp 51." in a table of
            # contents), and the flag would tell nothing.
            against = j.candidate.log_context - j.decoded.readings_printed.log_context < POUNDS_CONTEXT_FLOOR
            if j.probability >= min_confidence and not against:
                conf = round(j.probability, 3)
                reason = reason_of(j, errors, t.text, conf, text=text, language=language)
                edits.append(EditProposal(t.start, t.end, t.text[:-1] + "l", "spelling", reason, conf))
            continue
        after = _spaced_as_printed(t.text, j.candidate.form) or _pronoun_or(
            j.candidate.form, with_case(t.text, j.candidate.form)
        )
        # A digit for the first letter hides its capital ("8ubeequently" after a full stop).
        if t.text[:1].isdigit() and _capital_hidden(text, j.decoded, after):
            after = after[:1].upper() + after[1:]
        if after == t.text or j.probability < FLAG_FLOOR:
            continue
        conf = round(j.probability, 3)
        reason = reason_of(j, errors, t.text, conf, lone, text, language)
        if j.probability >= min_confidence:
            edits.append(EditProposal(t.start, t.end, after, "spelling", reason, conf))
        else:
            cands = [
                {"form": r.form, "posterior": round(r.posterior, 3)}
                for r in j.decoded.readings
                if r.form != j.decoded.sentence_printed
            ][:3]
            flags.append(
                FlagProposal(
                    t.start,
                    t.end,
                    "spelling",
                    reason + f"; below the bar of {min_confidence}: left as printed",
                    conf,
                    {"candidates": cands},
                )
            )
    return edits, flags


# A comma between two runs of letters with no space after it ("inspection,and"); the second run is
# not consumed, so that "red,white,blue" is two places.
COMMA_JOINED = re.compile(r"(?<![\w'’.])([^\W\d_]+),(?=([^\W\d_]+)(?![\w'’]))")


def comma_spaces(text: str, taken: list[tuple[int, int]], model_dir: str | None = None) -> list[EditProposal]:
    """A space put back after a comma that joins two words of English, the second in lower case
    ("inspection,and": 'inspection, and'), at the training pairs' rate of such a space lost
    (``ErrorModel.comma_space_rate``; under --min-confidence the pipeline holds it as a flag).
    Nothing where a comma is `taken` (a protected span, an edit or a flag over it), where a piece
    is no word or the two are one ("tou,ch": a speck inside 'touch'), or where a capital follows
    ("I,The": headings and numerals)."""
    reader = noisy_channel(model_dir)
    rate = reader.errors.comma_space_rate
    if rate is None:
        return []
    edits = []
    for m in COMMA_JOINED.finditer(text):
        x, y = m.group(1), m.group(2)
        comma = m.end() - 1
        if not y[:1].islower() or overlaps(taken, comma, comma + 1):
            continue
        pieces = (lm.lm_form(x), lm.lm_form(y))
        if not all((len(w) > 1 or w in "ai") and reader.listed(w) for w in pieces):
            continue
        if reader.listed("".join(pieces)):  # a speck inside one word ("tou,ch")
            continue
        reason = (
            f"'{x},{y}' -> '{x}, {y}': a space lost after the comma between two words; "
            f"{reader.errors.explain_comma_space()}; probability {rate:.3f}"
        )
        edits.append(EditProposal(comma, comma + 1, ", ", "word-split", reason, round(rate, 3)))
    return edits


def revise(
    text: str,
    edits: list[EditProposal],
    flags: list[FlagProposal],
    *,
    protected: list[tuple[int, int]],
    names_lower,
    custom_words,
    count: Callable[[str], int],
    period: str,
    modernises: Callable[[str, str], bool],
    min_confidence: float,
    with_case,
    model_dir: str | None = None,
    rounds: int = 3,
    guesses: frozenset[int] = frozenset(),
) -> tuple[list[EditProposal], list[FlagProposal]]:
    """The rules' edits and flags, with the channel's decisions on every word the rules left.

    A rule's edit stands, but for a one-word guess (`guesses`) on a piece of a split word, which
    gives way to the channel's sure reading of the pair; a rule's flag gives way to a channel edit
    or flag on the same word, and stays where the channel has neither. The channel reads the text again
    with its own edits in place until nothing more changes, so that cleaning the output again
    changes nothing (but a word left because the document repeated it, once its twin is
    corrected: a second pass settles it).
    """
    spans = list(protected)
    if period != "modern":
        spans += [(f.start, f.end) for f in flags]  # the rules' "possibly the period's spelling" stays a flag
    reader = noisy_channel(model_dir)
    least_share = 0.0 if period == "modern" else PERIOD_LEAST_SHARE
    # A rule's one-word guess on a piece of a split word gives way to the channel's sure reading of
    # the pair ("pro- dticed": 'produced', where a rule read 'dticed' alone as 'diced').
    taken = merged(spans + [(e.start, e.end) for e in edits if e.start not in guesses])

    again: list[tuple[int, int]] | None = None  # after the first round: the sentences with a new edit
    again_starts: list[int] = []

    def readable(t: Token, shape: Callable[[Token], bool] = any_word, hyphened: bool = False) -> bool:
        """A word the channel may read: of its `shape`, not protected, not settled, in this round's
        sentences (in early modern text a word the language model knows too: its readings are
        judged by `letter_shapes`); `hyphened`: a piece of a hyphened compound too."""
        if not shape(t) or t.start in settled:
            return False
        if _in_compound(text, t) and not (hyphened and _hyphen_piece(text, t)):
            return False
        if again is not None:
            k = bisect.bisect_right(again_starts, t.start) - 1
            if k < 0 or again[k][1] < t.end:
                return False
        if _taken(t):
            return False
        lower = lm.lm_form(t.text)
        return lower not in names_lower and lower not in custom_words

    capitals = Counter(lm.lm_form(t.text) for sent in sentences(text) for t in sent if t.text[:1].isupper())

    def own(t: Token) -> bool:
        """The document's own word: a capitalised form it repeats is a name more often than a
        misreading, the language model's form or not ("Salamancha" three times in Boswell: the
        18th-century books taught the model it), as long as it is no word of English; and an old
        book repeats its own spellings. A lower-case non-word repeated in modern text is the OCR
        engine repeating itself ("weU", "wiU" through a book), and so is a lower-case word with a
        capital inside in any text: no period spelled so."""
        lower = lm.lm_form(t.text)
        if count(lower) < 2 or _capital_inside(t.text):
            return False
        if t.text[:1].isupper():
            # A name is printed with its capital each time: the same letters in lower case elsewhere
            # ("childi en" beside "Childi en") are a misread word's, not a second print of a name.
            return capitals[lower] >= 2 and not everyday(lower) and not outnumbered(lower)
        return not reader.known(lower) and period != "modern" and not outnumbered(lower)

    def everyday(lower: str) -> bool:
        """A word of English as common as a name is not: listed, and used once in a million words
        or more ("Mayor", "Greek"); a rare listed form repeated with its capital is a name ("Philp",
        a surname wordfreq has, three times in one SMH list of passengers)."""
        return reader.listed(lower) and lexicon.word_zipf(lower) >= EVERYDAY_ZIPF

    def shape(t: Token) -> bool:
        """A word, or in modern text a lone letter (an old book's may be its abbreviations)."""
        return any_word(t) or (period == "modern" and lone_word_letter(text, t))

    # Words with stray marks read whole to a flag ("hou«o"): the flag is the reading, not their pieces'.
    marked: list[tuple[int, int]] = []

    def wanted(t: Token) -> bool:
        """A word to read; a piece of a hyphened compound when no list has it ("school-exerciaes";
        "co-optation" keeps its rare "optation")."""
        return (
            readable(t, shape, hyphened=_in_compound(text, t) and unlisted(t))
            and not own(t)
            and not overlaps(marked, t.start, t.end)
        )

    def unlisted(t: Token) -> bool:
        """Three letters or more that neither the language model nor wordfreq's list has."""
        lower = lm.lm_form(t.text)
        return len(lower) >= 3 and not reader.known(lower) and lexicon.word_zipf(lower) == 0

    def explained(t: Token, marks: tuple[str, ...]) -> bool:
        """A word passed by as the document's own that one of its own confusions touches."""
        return readable(t) and any(b in lm.lm_form(t.text) for b in marks) and own(t)

    def taught(d: Decoded) -> bool:
        """Such a word read: a form no list has, or a reading the document's own confusions make
        likelier. A rare name a list has stays the document's own where they merely touch it
        ("Philp", printed where the document prints 'i' for 'r': 'Philip' lost an 'i', which it
        does not teach); "Sydnoy" and "Ravmond" are read."""
        if not reader.listed(d.sentence_printed):
            return True
        return d.challenger is not None and reader.taught(d.sentence_printed, d.challenger.form)

    def _taken(t: Token) -> bool:
        """Inside a protected span or a rule's edit."""
        return overlaps(taken, t.start, t.end)

    def outnumbered(lower: str) -> bool:
        """A repeated form is the OCR's after all when the document prints a word it is a likely
        misreading of OUTNUMBERED times as often ('whioh' 59 times beside 'which' 303 times)."""
        n = count(lower)
        return any(
            " " not in c and count(c) >= max(OUTNUMBERED_MIN, OUTNUMBERED * n)
            for c, _ in reader.candidates(lower)[1:]
        )

    def piece(t: Token) -> bool:
        """A word that may be half of a word split in two: readable as a word is (a lone letter
        too), and not the document's own. In early modern text a piece the language model knows
        too ("gen tlewoman"): the other piece must be no word, so that the period's own two-word
        spellings ("to day", "my self") are never joined."""
        return readable(t, letters, hyphened=True) and not own(t)

    def pair(a: Token, b: Token) -> bool:
        """Two pieces that may be one word: apart by a space or a line end, or by a hyphen inside a
        line ("pri-vaoies", a word broken at a line end whose line break the OCR lost), with a
        space after it ("con- corned", the line break become a space) or misread as a speck
        ("wit-. nesses", "im. mediately")."""
        if _continues_broken_word(text, a):  # "unfor- r tunate": 'r' is the rest of "unfor-"
            return False
        between = text[a.end : b.start]
        broken = between in (*HYPHENS, *FLATTENED_HYPHENS) or MISREAD_BETWEEN.fullmatch(between)
        if not broken and (_in_compound(text, a) or _in_compound(text, b)):
            return False
        if _drop_capital(a, b):  # "S ECOND": the capital and the rest of its word, in capitals
            return piece(a) and readable(b) and not own(b)
        return piece(a) and piece(b)

    settled = {e.start: e.after for e in edits if e.after and " " not in e.after and e.start not in guesses}
    new_flags: dict[int, FlagProposal] = {}

    def read_joins(accept: Callable[[Token, Token], bool]) -> tuple[list[EditProposal], list[FlagProposal]]:
        """The pieces and marked words `accept` lets through, each read as one word beside the
        words as read so far (`settled`): edits at the bar, flags under it."""
        joins = judge(
            reader,
            reader.read_splits(text, accept, settled)
            + reader.read_broken_words(text, accept, settled)
            + reader.read_lost_spaces(text, accept, settled)
            + reader.read_specked_words(text, accept, settled)
            + reader.read_marked_ends(text, accept, settled)
            + reader.read_marked_starts(text, accept, settled),
            model_dir,
            least_share,
        )
        # A reading that keeps one piece as printed and drops the other ("would r be": 'be') is no
        # join but a speck, left to the lone-letter reader and its own rates (``_lone_letter_edits``).
        joins = [j for j in joins if j.candidate.form not in j.decoded.sentence_printed.split()]
        # A piece, or the whole, in the period's spelling is never joined into a modern word.
        if period != "modern":
            joins = [
                j
                for j in joins
                if not any(
                    modernises(p, j.candidate.form) for p in _pieces_and_whole(j.decoded.sentence_printed)
                )
            ]
        return proposals(
            _apart(joins, _join_span, lambda j: -j.probability),
            text,
            min_confidence,
            with_case,
            reader.errors,
            language=reader.language_named,
        )

    new_edits, join_flags = read_joins(pair)
    joined = merged([(e.start, e.end) for e in new_edits])
    edits = [e for e in edits if e.start not in guesses or not overlaps(joined, e.start, e.end)]
    settled.update((e.start, e.after) for e in edits if e.after and " " not in e.after)
    taken = merged(spans + [(e.start, e.end) for e in edits])

    def settle_joins(joined_edits: list[EditProposal]) -> None:
        """The joined word stands for its pieces; the others are no words of their own now."""
        for e in joined_edits:
            word = lm.TOKEN.search(text, e.start, e.end)  # after the marks of a word they begin ("»as")
            settled[word.start() if word else e.start] = e.after
            settled.update((start, "") for start in later_pieces(text, e.start, e.end))

    settle_joins(new_edits)
    # A marked word with no reading worth a flag ("that%the") keeps its pieces, each read as a word;
    # a word flagged for the mark that ends it ("hu«") keeps its letters read as a word too ("tí»":
    # the mark may be a speck, and the letters 'to'). A flagged word a sentence's mark breaks
    # ("g:oods") is the flag's: its pieces are no words to read ("oods").
    marked = merged(
        [
            (f.start, f.end)
            for f in join_flags
            if (MARKED_INSIDE.search(text[f.start : f.end]) and not _ends_in_marks(text[f.start : f.end]))
            or _specked(text, f)
        ]
    )
    decoded = reader.decode(text, wanted, settled=settled)
    adapted = document_reader(reader, text, decoded, rule_confusions(text, edits, min_confidence))
    if adapted is not reader:
        decoded = reread(adapted, text, decoded, settled)
        reader = adapted
        # What the document teaches reaches the forms it repeats: "Sydnoy" printed twice in a text
        # that prints 'o' for 'e' throughout is read after all (and judged as every word is).
        marks = tuple(b for _, b in adapted.errors.document)
        fresh = adapted.decode(text, lambda t: explained(t, marks), settled=_read_so_far(settled, decoded))
        fresh = [d for d in fresh if taught(d)]
        decoded = sorted(decoded + fresh, key=lambda d: d.token.start)
    lone = lone_digits(text)
    for evidence in lone:
        decoded = decoded + read_lone_digits(
            reader,
            text,
            evidence,
            lambda t: not _taken(t) and t.start not in settled,
            _read_so_far(settled, decoded),
        )
    if reader.errors.pounds_rate is not None:
        decoded = decoded + read_pounds(
            reader,
            text,
            reader.errors.pounds_rate,
            lambda t: not _taken(t) and t.start not in settled,
            _read_so_far(settled, decoded),
        )
    # (print in lower case, reading) -> {offset: probability} of the readings at or above the bar so far (with_twins)
    sure: dict[tuple[str, str], dict[int, float]] = {}
    for e in sure_rule_corrections(text, edits, min_confidence):  # they lend as the channel's readings do
        sure.setdefault((text[e.start : e.end].lower(), lm.lm_form(e.after)), {})[e.start] = e.confidence
    prints = Counter(t.text.lower() for sent in sentences(text) for t in sent)
    for _ in range(rounds):
        if decoded is None:
            decoded = reader.decode(text, wanted, settled=settled)
        judged = [
            j
            for j in judge(reader, decoded, model_dir, least_share)
            if not (
                modernises(j.decoded.sentence_printed, j.candidate.form)
                and not _capital_inside(j.decoded.token.text)
            )
            and not spelling_variant(j.decoded.sentence_printed, j.candidate.form)
            and keeps_name_prefix(j.decoded.token.text, j.candidate.form)
            and (
                period == "modern"
                or j.candidate.form == POUNDS  # an old book's sums are its own: "5l."
                or j.decoded.sentence_printed == lm.NUMBER  # a lone '1' or '0' is no period's spelling
                or not reader.known(j.decoded.sentence_printed)
                or letter_shapes(j.decoded.sentence_printed, j.candidate.form)
            )
        ]
        decoded = None
        for j in judged:
            if j.probability >= min_confidence:
                key = (j.decoded.token.text.lower(), j.candidate.form)
                sure.setdefault(key, {})[j.decoded.token.start] = j.probability
        # In a period book a non-word printed again may be the period's spelling ("thether").
        if period == "modern":
            judged = with_twins(judged, sure, prints, min_confidence, reader.listed)
        round_edits, round_flags = proposals(
            judged, text, min_confidence, with_case, reader.errors, lone, reader.language_named
        )
        new_flags.update((f.start, f) for f in round_flags)
        if not round_edits:
            break
        new_edits += round_edits
        settled.update((e.start, e.after) for e in round_edits)
        again = _sentences_around(text, [e.start for e in round_edits])
        again_starts = [a for a, _ in again]
    # The joins were judged beside their neighbours as printed, before the document taught its own
    # confusions: a flagged one is judged again beside the words as read since, by the document's
    # reader ("boing an inorease over the pro / coding year": 'preceding', 0.56 at first).
    if join_flags:
        again = None  # every sentence is readable again: the flagged joins may stand anywhere
        flagged = merged([_flag_span(f) for f in join_flags])
        edited_now = merged([(e.start, e.end) for e in new_edits])

        def flagged_pair(a: Token, b: Token) -> bool:
            return (
                overlaps(flagged, a.start, b.end) and not overlaps(edited_now, a.start, b.end) and pair(a, b)
            )

        rejoined, reflagged = read_joins(flagged_pair)
        new_edits += rejoined
        settle_joins(rejoined)
        judged_again = merged([(e.start, e.end) for e in rejoined] + [_flag_span(f) for f in reflagged])
        join_flags = [f for f in join_flags if not overlaps(judged_again, f.start, f.end)] + reflagged
    if guesses:
        edits = overrule(reader, text, edits, guesses, settled, min_confidence, with_case, model_dir)
    # An edit settles its words: a flag on any of them gives way, a rule's or the channel's.
    edited = merged([(e.start, e.end) for e in new_edits])
    channel_flags = [f for f in [*new_flags.values(), *join_flags] if not overlaps(edited, f.start, f.end)]
    channel_flags = _apart(channel_flags, _flag_span, _flag_span)
    # A word both flag keeps the channel's flag: its score is a calibrated probability and its
    # candidates are ranked in context, where a rule's flag carries the rule's fixed figure (0.5
    # or 0.6) and the nearest words by edit cost, whose first is the truth about one time in ten
    # (benchmarks/bench_confidence.py).
    read = {(f.start, f.end) for f in channel_flags}
    # A rule's flag on a piece of a word a sentence's mark breaks ("oods" of "g:oods") gives way to
    # the channel's flag on the whole.
    specked = merged([_flag_span(f) for f in channel_flags if _specked(text, f)])
    kept_flags = [
        f
        for f in flags
        if not overlaps(edited, f.start, f.end)
        and (f.start, f.end) not in read
        and not overlaps(specked, f.start, f.end)
    ]
    return sorted(edits + new_edits, key=lambda e: e.start), sorted(
        kept_flags + channel_flags, key=lambda f: f.start
    )
