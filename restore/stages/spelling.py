"""Spelling: OCR misspellings corrected on strong evidence, names protected, the rest flagged.

First do no harm. A word is corrected only when no dictionary knows it
(symspellpy's, wordfreq's large list, ``dictionaries/``, ``--dict``/``--names``
files) and the document does not use it twice, and then only to a candidate that
is close under an OCR-aware edit cost (``rn``/``m``, ``e``/``c``, ``li``/``h``...
cost less than other edits), clearly ahead of the runner-up and not contradicted
by its neighbours (symspellpy's bigram counts). Everything else that looks like
an OCR error becomes a "spelling" flag with its candidates.

Narrow exceptions reach forms a dictionary knows. In modern text only: OCR
junk common enough to be in wordfreq's web-text list but rare there and absent
from symspellpy's dictionary ("tlie", "tbe", even when repeated, for a very
common word), one OCR confusion from a far more frequent word that both
neighbours confirm; short forms outside symspellpy's dictionary ("ot", "wc",
"thc") one OCR confusion from one of the hundred commonest words, which the
neighbours favour at least three times over any other such word while never
having been seen beside the form itself (interjections such as "oh", "aye" and
"ye" are kept). Everywhere: a 0 or 1 read for a letter ("f0r", "0f"), and a
capital I read for l between lower-case letters ("goId", "JuIy") or at the
start of a form that is no word ("Iight") when the l makes a word.

Protected from these rules: capitalised words not at a sentence start (proper nouns), all-caps
acronyms (the channel reads words in capitals, see ``in_context``), tokens with digits, URLs,
e-mail addresses and bracketed citations, forms used twice or more, sentences in Latin or French
(``models.foreign``), British and American variants (both are known words, and known words are
never touched), hyphenated compounds, halves of a word split in two ("pro gress"), and, in early
modern text (detected from "hath", "vpon", "-eth" verbs, long s...), every form that a
historical spelling rule maps to a known word ("controversie", "lifelesse"), and there a
correction may only undo OCR confusions other than one vowel for another ("forgat", "seaven" are
flagged, not changed). In text detected as modern, only forms that a rule maps to a real word
("perswaded", "iourney"): there the broad rules mostly map OCR junk to fragments ("tlie" to
"tli", "nnd" to "nd").

Candidates and historical readings are cached per form (lru_cache), across
documents too: the same junk recurs, and the lookups cost most of the time.

>>> from restore.config import Config
>>> from restore.stages import StageContext
>>> p = propose("Bolshevik views. A Bolshevik and a Bolsevik, for prosucution.", StageContext(Config()))
>>> [(e.after, e.kind) for e in p.edits]
[('Bolshevik', 'spelling'), ('prosecution', 'spelling')]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from restore.models import confusions, lexicon, lm, lone_letters
from restore.models.confusions import ocr_cost
from restore.models.foreign import foreign_passages
from restore.models.period import detect_period, historical_forms
from restore.models.tokens import WORD_TOKEN, sentence_initial
from restore.record import EditProposal, FlagProposal
from restore.stages import Proposals, StageContext, in_context

_PROTECTED_SPANS = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+\.\w+"  # URLs and e-mail addresses
    r"|\([^()\n]{0,200}?\d[^()\n]{0,200}?\)"  # bracketed citations with a number: (Getty, 126)
    r"|\[[^\[\]\n]{0,200}?\]"  # editorial brackets
)


@dataclass(frozen=True)
class Candidate:
    """A correction candidate and the evidence for it."""

    form: str  # lower-cased unless a name
    cost: float  # OCR-aware edit cost from the token
    ops: tuple[str, ...]  # the edits, for the reason ("u→e", "+h")
    zipf: float  # frequency in English (0 for custom words)
    source: str  # "dictionary", "document", "names"
    context: int = 0  # bigram count with the neighbours


# --- the stage ------------------------------------------------------------------------------


class _Evidence:
    """Everything the stage consults for one document (built once per call)."""

    def __init__(self, text: str, context: StageContext):
        config = context.config
        self.dicts = lexicon.load_dictionaries(
            config.dictionaries, config.names, config.use_project_dictionaries
        )
        self.names_lower = _names_lower(self.dicts)
        self.variants_lower = {v.lower(): c for v, c in self.dicts.variants.items()}
        period = config.language_period
        self.period = detect_period(text) if period == "auto" else period
        self.doc_counts = Counter(w.lower().replace("’", "'") for w in lexicon.WORD.findall(text))
        for form, n in list(self.doc_counts.items()):
            if form.endswith("'s"):
                self.doc_counts[form[:-2]] += n  # "Eikhe's" is a use of "Eikhe"
        self.min_confidence = config.min_confidence
        self.in_context = config.in_context  # the channel reads what the rules leave or flag
        self.model_dir = config.model_dir
        self._index = None
        self._doc_forms: list[str] | None = None
        self._doc_forms_near: dict[int, list[str]] = {}

    @property
    def index(self):
        if self._index is None:
            self._index = lexicon.symspell(self.dicts)
        return self._index

    def need_index(self) -> None:
        """Mark the document as needing the index (its info says so) even when cached candidates serve it."""
        self._index = self.index

    def count(self, lower: str) -> int:
        """Uses of a form in the document."""
        return self.doc_counts.get(lower, 0)

    def known(self, lower: str) -> bool:
        if lower in self.names_lower or lexicon.is_known(lower, self.dicts):
            return True
        if lower.endswith(("'s", "’s")):
            return lexicon.is_known(lower[:-2], self.dicts) or lower[:-2] in self.names_lower
        return False

    def book_known(self, lower: str) -> bool:
        """A form the books print (``lm.LanguageModel.known``), the period's spellings among them."""
        return lm.load_language_model().known(lower)

    def book_use(self, lower: str) -> float:
        """log10 P(form) in the books out of context (``lm.LanguageModel.unigram``)."""
        return lm.load_language_model().unigram(lower)

    def book_word(self, lower: str) -> bool:
        """A form no dictionary has that the books use often ("featly", "profest"): a word, which
        the channel reads as one (``lm.BOOK_WORD_LOG10``), never an unknown form for the rules."""
        return lower.isalpha() and self.book_use(lower) >= lm.BOOK_WORD_LOG10

    def historical(self, lower: str) -> bool:
        return _historical_known(lower, self.dicts, self.period != "modern")

    def historical_spelling(self, lower: str) -> bool:
        """A form to leave alone as a historical spelling.

        In early modern text, any form a spelling rule maps to a known word. In modern text
        only one that maps to a real word ("perswaded", "iourney" in an old book the period
        detection missed): the broad rules also map OCR junk to fragments ("tlie" to "tli",
        "nnd" to "nd", "moie" to "mo"), and that protected the junk from correction.
        """
        if self.period != "modern":
            return self.historical(lower)
        return _historical_of_word(lower, self.dicts)

    def modernises(self, lower: str, candidate: str) -> bool:
        """Whether reading `lower` as `candidate` would modernise a historical spelling, which
        restore never does. In early modern text any reading of one would; in modern text only
        a reading as a word the spelling rules relate it to, either way ("perswaded" as
        "persuaded", "likenes" as "likeness"): "boing" read as "being" is an OCR correction,
        though a rule takes "boing" for an old spelling of "bong". Nor, in modern text, is a reading
        that only takes out letters of a form no book prints ("saime", "wiitness", "sudddenly"):
        the rules take a doubled vowel or letter for the period's ("maisters", "untill"), and
        these are the OCR's added specks; the books print the period's forms ("perswaded"). Nor
        one that takes letters out of one of the commonest words ("thatt", "hadd", "knowe"): a
        text that spells those the old way is early modern by its markers, and one taken for modern
        prints them so by a speck, though old books print these forms too."""
        if not self.historical_spelling(lower):
            return False
        if (
            self.period == "modern"
            and _letters_added(lower, candidate)
            and (not self.book_known(lower) or lexicon.word_zipf(candidate) >= SPECKED_COMMON_ZIPF)
        ):
            return False
        return (
            self.period != "modern"
            or candidate in historical_forms(lower)
            or lower in historical_forms(candidate)
        )

    def doc_forms(self) -> list[str]:
        """Forms the document uses twice or more: targets for document evidence."""
        if self._doc_forms is None:
            self._doc_forms = sorted(w for w, c in self.doc_counts.items() if c >= 2 and len(w) >= 4)
        return self._doc_forms

    def doc_forms_near(self, length: int) -> list[str]:
        """`doc_forms` within two letters of a length (no form further is within two edits), in order."""
        if length not in self._doc_forms_near:
            self._doc_forms_near[length] = [f for f in self.doc_forms() if abs(len(f) - length) <= 2]
        return self._doc_forms_near[length]


def propose(text: str, context: StageContext) -> Proposals:
    """Corrections and flags for the misspellings of one text."""
    ev = _Evidence(text, context)
    protected = [(m.start(), m.end()) for m in _PROTECTED_SPANS.finditer(text)]
    passages = foreign_passages(text)  # a Latin or French sentence is no misspelt English
    if passages:
        protected = in_context.merged(protected + [(p.start, p.end) for p in passages])
    tokens = list(WORD_TOKEN.finditer(text))
    edits: list[EditProposal] = []
    flags: list[FlagProposal] = []
    unknown = 0
    guesses: set[int] = set()  # the starts of the rules' one-word guesses, which the channel may overrule
    p = 0  # index into protected spans
    skip_next = False
    for k, m in enumerate(tokens):
        if skip_next:
            skip_next = False
            continue
        start, end = m.span()
        while p < len(protected) and protected[p][1] <= start:
            p += 1
        if p < len(protected) and protected[p][0] < end:
            continue
        token = m.group()
        lower = token.lower().replace("’", "'")
        if token.isdigit():
            continue
        misread_l = _capital_i_for_l(text, m, ev)
        if misread_l is not None:
            edits.append(misread_l)
            continue
        if not ev.known(lower) and ev.book_word(lower):
            continue  # a word of the books no dictionary has ("profest"): the channel's to read
        # Two-letter forms never get candidates in _correct: the misread rules below are their only path.
        if ev.known(lower) or len(lower) <= 2:
            weak = None
            if ev.period == "modern":
                weak = _weakly_known(text, tokens, k, ev) or _common_word_misread(text, tokens, k, ev)
            if weak is None and not token.isalpha() and lexicon.word_zipf(lower) < 3.0:
                weak = _digit_edit(m, ev)  # "f0r", "0f": OCR junk common enough to reach wordfreq's list
            if weak is not None:
                edits.append(weak)
                guesses.add(weak.start)
            continue
        if not token.isalpha() and not _alpha_with_apostrophe(token):
            digit_fix = _digit_edit(m, ev)
            if digit_fix is not None:
                edits.append(digit_fix)
            continue  # digits, underscores, hyphenated compounds: left as printed
        variant = (
            ev.variants_lower.get(lower) if token in ev.dicts.variants or lower in ev.variants_lower else None
        )
        if variant is not None:
            after = variant if not token.isupper() else variant.upper()
            edits.append(
                EditProposal(
                    start,
                    end,
                    after,
                    "spelling",
                    f"listed in a name dictionary as an OCR variant of '{variant}'",
                    0.97,
                )
            )
            continue
        unknown += 1
        if ev.count(lower) >= 2:
            continue  # the document uses it twice: its own word
        initial = sentence_initial(text, start)
        caps = token.isupper() and len(token) > 1
        # A word split by a stray space: "pro secution", "iudg ment"; never a historical spelling of a
        # common word ("neare the", "foorth he"), which is a whole word as printed.
        join = None if _historical_of_common(lower) else _join(text, tokens, k, ev)
        if join is not None:
            edits.append(join)
            skip_next = True
            continue
        if ev.historical_spelling(lower):
            continue  # a historical spelling of a known word: "controversie", "perswaded"
        if ev.historical(lower) and _joins_a_neighbour(text, tokens, k, ev):
            continue  # half of a word split in two ("pros perous", "pro gress"): the channel reads the pair
        if "'" not in lower and not caps:
            doc = _document_candidates(lower, ev)
            if doc:
                best = doc[0]
                reason = (
                    f"unknown word; {_describe(best)} from '{best.form}', "
                    f"which this document uses {ev.count(best.form)} times"
                )
                edits.append(
                    EditProposal(
                        start,
                        end,
                        _with_case(token, best.form, initial),
                        "spelling",
                        reason,
                        0.92 if best.cost <= 1 else 0.75,
                    )
                )
                guesses.add(start)
                continue
        if caps and len(token) <= 5:
            continue  # acronym
        if token[0].isupper() and not caps and not initial:
            if token[1:].islower():
                continue  # a proper noun
        if k > 0 and _join_back_possible(text, tokens, k, ev, edits):
            continue
        decision = _correct(text, tokens, k, ev, initial, caps)
        if decision is None:
            continue
        if isinstance(decision, EditProposal) and decision.confidence >= ev.min_confidence:
            edits.append(decision)
            guesses.add(decision.start)
        else:
            flags.append(_as_flag(decision))
    info = {
        "period": ev.period,
        "unknown_words": unknown,
        "index_loaded": ev._index is not None,
        "foreign_passages": len(passages),
    }
    if context.config.in_context:
        edits, flags = in_context.revise(
            text,
            edits,
            flags,
            protected=protected,
            names_lower=ev.names_lower,
            custom_words=ev.dicts.words,
            count=ev.count,
            period=ev.period,
            modernises=ev.modernises,
            min_confidence=ev.min_confidence,
            with_case=lambda token, form: _with_case(token, form, False),
            model_dir=context.config.model_dir,
            guesses=frozenset(guesses),
        )
        info["in_context"] = True
        if ev.period == "modern":
            letters = _lone_letter_edits(
                text, protected, edits, flags, context.config.model_dir, ev.min_confidence
            )
            edits += letters
            removed = in_context.merged([(e.start, e.end) for e in letters])
            flags = [f for f in flags if not in_context.overlaps(removed, f.start, f.end)]
            info["lone_letters"] = len(letters)
        taken = in_context.merged(
            list(protected) + [(e.start, e.end) for e in edits] + [(f.start, f.end) for f in flags]
        )
        commas = in_context.comma_spaces(text, taken, context.config.model_dir)
        edits += commas
        info["comma_spaces"] = len(commas)
    return Proposals(edits=tuple(edits), flags=tuple(flags), info=info)


def _lone_letter_edits(
    text: str,
    protected: list[tuple[int, int]],
    edits: list[EditProposal],
    flags: list[FlagProposal],
    model_dir: str | None,
    min_confidence: float,
) -> list[EditProposal]:
    """Lone letters inside lines that no short word could have been (``models.lone_letters``),
    removed with the space after each. A letter beside a word this stage changes or flags is left,
    since its neighbours as printed say nothing; but the channel's own flag of the letter's removal
    ("r way" read 'way' at 0.555), or its flag of the letter read as a word ("e" as 'be'), gives
    way, and the lone-letter rates judge it instead (the channel's probabilities were learned on
    misspelt words, not on specks). Under the bar a letter is left to the gaps stage, which flags
    a lone letter mid-sentence. Only in modern text: an old book's lone letters may be its
    abbreviations."""
    kept_flags = [
        (f.start, f.end)
        for f in flags
        if not _drops_a_letter(text[f.start : f.end], f)
        and text[f.start : f.end] not in in_context.LONE_WORD_LETTERS
    ]
    taken = in_context.merged(list(protected) + [(e.start, e.end) for e in edits] + kept_flags)
    model = lm.load_language_model()

    def skip(start: int, end: int) -> bool:
        before = _WORD_BEFORE.search(text, max(0, start - 60), start)
        after = _WORD_AFTER.match(text, end)
        first = before.start() if before else start
        last = after.end() if after else end
        return in_context.overlaps(taken, first, last)

    rates = lone_letters.load_rates(model_dir)
    return [
        EditProposal(j.start, j.end, "", "stray-letter", j.reason, j.probability)
        for j in lone_letters.judge_letters(text, rates, model.score, model.known, skip)
        if j.probability >= min_confidence
    ]


def _drops_a_letter(printed: str, flag: FlagProposal) -> bool:
    """A flag whose likeliest reading is its printed words without one lone letter ("r way": 'way')."""
    candidates = flag.detail.get("candidates") or []
    if not candidates:
        return False
    form = str(candidates[0]["form"]).lower()
    words = printed.lower().split(" ")
    return any(len(w) == 1 and " ".join(words[:k] + words[k + 1 :]) == form for k, w in enumerate(words))


_WORD_BEFORE = re.compile(r"\S+ $")
_WORD_AFTER = re.compile(r" \S+")


def _letters_added(printed: str, word: str) -> bool:
    """`printed` is `word` with letters added and none changed ("wiitness", "witness")."""
    it = iter(printed)
    return len(printed) > len(word) and all(c in it for c in word)


@lru_cache(maxsize=100_000)
def _historical_of_common(lower: str) -> bool:
    """A historical spelling of a common word ("neare", "griefe"), not of a rare one ("iudg" for "judg")."""
    return any(lexicon.word_zipf(f) >= 3.0 for f in historical_forms(lower) if f != lower)


@lru_cache(maxsize=100_000)
def _historical_of_word(lower: str, dicts: lexicon.Dictionaries) -> bool:
    """A historical spelling of a real word: one of four letters or more that is not rare, or a very
    common short one ("hee" for "he"); not of a fragment ("tli", "nd", "mo")."""
    for form in historical_forms(lower):
        if form == lower:
            continue
        z = lexicon.word_zipf(form)
        if (len(form) >= 4 and (z >= 2.0 or form in dicts.words)) or z >= 5.0:
            return True
    return False


@lru_cache(maxsize=100_000)
def _historical_known(lower: str, dicts: lexicon.Dictionaries, one_by_one: bool = False) -> bool:
    """A historical spelling of a word some dictionary knows ("controversie"); cached per form.
    `one_by_one`: in early modern text, its u/v and i/j read letter by letter ("deuoutly")."""
    return any(lexicon.is_known(f, dicts) for f in historical_forms(lower, one_by_one) if f != lower)


def _digit_edit(m, ev: _Evidence) -> EditProposal | None:
    """`_digit_confusion` of a token as an edit."""
    digit_fix = _digit_confusion(m.group(), ev)
    if digit_fix is None:
        return None
    return EditProposal(m.start(), m.end(), digit_fix[0], "spelling", digit_fix[1], 0.9)


def _digit_confusion(token: str, ev: _Evidence) -> tuple[str, str] | None:
    """A word with a 0 or 1 for a letter ("c0nsidering", "gao1"): the only edit allowed on a token with digits.

    A two-character token needs a 0 (not a 1: "1s" and "1d" are shillings and pence) and a very
    common word ("0f", "t0").
    """
    letters = sum(ch.isalpha() for ch in token)
    if not token.isalnum() or any(ch.isdigit() and ch not in "01" for ch in token):
        return None
    if letters < 2:
        if len(token) != 2 or letters != 1 or "1" in token:
            return None
        form = token.replace("0", "o")
        z = lexicon.word_zipf(form.lower())
        if z < 6.0 or not (form.islower() or form.isupper()):
            return None
        return (
            form,
            f"'{token}' has a digit for a letter (0→o); '{form}' is a very common word, frequency {z:.1f}",
        )
    for ones in ("l", "i"):
        form = token.replace("0", "o").replace("1", ones)
        if form.islower() or form[1:].islower() or form.isupper():
            z = lexicon.word_zipf(form.lower())
            if z >= 3.0:
                return form, (
                    f"'{token}' has a digit for a letter (0→o, 1→{ones}); '{form}' is a word, "
                    f"frequency {z:.1f} on the Zipf scale"
                )
    return None


def _weakly_known(text: str, tokens, k: int, ev: _Evidence) -> EditProposal | None:
    """A form only wordfreq knows, and rarely ("tlie", "samc", "fiom": OCR junk that reached its web text),
    one OCR confusion from a far more frequent word that its neighbours confirm.

    Used twice or more, such a form is still junk when the word is very common ("tbe" for
    "the" on every page of a badly read newspaper): each use needs its own neighbours' support.
    """
    m = tokens[k]
    token = m.group()
    lower = token.lower()
    if not token.isalpha() or not (
        token.islower() or (token[1:].islower() and sentence_initial(text, m.start()))
    ):
        return None
    if len(lower) < 3:
        return None
    z = lexicon.word_zipf(lower)
    if z >= 3.0 or lower in lexicon.base_words() or lower in ev.dicts.words or lower in ev.names_lower:
        return None
    if ev.book_use(lower) >= lm.BOOK_COMMON_LOG10:
        return None  # a word of the books ("blest"), which the channel reads as one
    repeated = ev.count(lower) >= 2
    prev, nxt = _neighbours(tokens, k, text)
    if not (prev and nxt):
        return None  # both neighbours must be there to vouch for it
    if ev.historical_spelling(lower) or _joins_a_neighbour(text, tokens, k, ev, common=True):
        return None  # a historical spelling, or half of a word split in two ("pro gress")
    best = None
    ev.need_index()
    for c in _one_confusion_candidates(lower, ev.dicts):
        if c.zipf >= z + 2.0:
            c = _with_context(c, prev, nxt, ev)
            if (
                c.context > 0
                and c.source == "dictionary"
                and (best is None or (c.context, c.zipf) > (best.context, best.zipf))
            ):
                best = c
    if best is None or (repeated and best.zipf < 5.5):
        return None
    reason = (
        f"'{token}' is only a rare form (frequency {z:.1f}, absent from symspellpy's dictionary); "
        f"{_describe(best)} from '{best.form}', frequency {best.zipf:.1f}; context "
        f"'{_context_words(prev, best.form, nxt, ev)}' seen {best.context:,} times"
    )
    return EditProposal(m.start(), m.end(), _with_case(token, best.form, False), "spelling", reason, 0.85)


def _common_word_misread(text: str, tokens, k: int, ev: _Evidence) -> EditProposal | None:
    """A short form outside symspellpy's dictionary ("ot", "thc", "wc": abbreviations on the web, OCR
    junk in print), one OCR confusion from one of the commonest English words, which both
    neighbours confirm while neither has ever been seen beside the form itself.

    Each use needs its own neighbours: "ot" is "of" in "number ot people" and may be something
    else elsewhere.
    """
    m = tokens[k]
    token = m.group()
    lower = token.lower()
    if not token.isalpha() or len(lower) < 2:
        return None
    if not (token.islower() or (token[1:].islower() and sentence_initial(text, m.start()))):
        return None
    z = lexicon.word_zipf(lower)
    if z >= _MISREAD_MAX_ZIPF or lower in lexicon.base_words() or lower in _SHORT_WORDS:
        return None
    if lower in ev.dicts.words or lower in ev.names_lower:
        return None
    prev, nxt = _neighbours(tokens, k, text)
    if not (prev and nxt):
        return None
    ev.need_index()  # its candidates come from the index's words
    if lexicon.bigram_count(prev, lower) or lexicon.bigram_count(lower, nxt):
        return None  # the form itself is seen in this company: perhaps a real abbreviation
    if _joins_a_neighbour(text, tokens, k, ev, common=True):
        return None  # half of a word split in two
    found = []
    for c in _one_confusion_candidates(lower, ev.dicts):
        if c.zipf < _MISREAD_MIN_TARGET_ZIPF or c.source != "dictionary":
            continue
        before, after = lexicon.bigram_count(prev, c.form), lexicon.bigram_count(c.form, nxt)
        if before or after:
            found.append((before + after, c))
    if not found:
        return None
    found.sort(key=lambda f: -f[0])
    if len(found) > 1 and found[1][0] * _MISREAD_MARGIN > found[0][0]:
        return None  # two common words fit about as well ("af": "at" or "as")
    n, best = found[0]
    reason = (
        f"'{token}' is not in symspellpy's dictionary and is never seen beside '{prev}' or '{nxt}'; "
        f"{_describe(best)} from '{best.form}', one of the commonest words (frequency {best.zipf:.1f}); "
        f"'{prev} {best.form}' and '{best.form} {nxt}' are seen {n:,} times in symspellpy's bigram counts, "
        f"at least {_MISREAD_MARGIN} times more than any other such word"
    )
    return EditProposal(m.start(), m.end(), _with_case(token, best.form, True), "spelling", reason, 0.85)


# Short English words that symspellpy's dictionary lacks: interjections ("westward ho", "lo"), "ye", "ox".
_SHORT_WORDS = frozenset("ah aw ay aye eh ha hm oh ok ow ox oy uh um ye yo".split())
# In modern text the commonest words' old spellings with a letter more are the OCR's specks (`modernises`):
# "that" 7.0, "know" 6.1, "men" 5.5 on wordfreq's scale; not "scholar", 4.0 ("Schollar", an 18th-century book's).
SPECKED_COMMON_ZIPF = 5.0
_MISREAD_MAX_ZIPF = 4.5  # rarer than this in wordfreq's web text: "ot" 3.9, "thc" 3.3, "bc" 4.5 is not
_MISREAD_MIN_TARGET_ZIPF = 6.0  # the hundred or so commonest words: "the", "of", "we", "by"...
_MISREAD_MARGIN = 3  # how much better the chosen word must fit than the next


def _capital_i_for_l(text: str, m, ev: _Evidence) -> EditProposal | None:
    """A capital I between lower-case letters ("goId", "AIderman", "JuIy"): a misread l, when the form
    with l is a word (or a listed name) and the printed form is not a listed name ("McIntosh")."""
    token = m.group()
    if token in ev.dicts.names or token.isupper() or len(token) < 3:
        return None
    if token[0] == "I" and token[1:].isalpha() and token[1:].islower():
        return _initial_capital_i(text, m, ev)
    if "I" not in token[1:]:
        return None
    chars = list(token)
    for i in range(1, len(chars)):
        if chars[i] != "I":
            continue
        before_ok = chars[i - 1].islower() or (i == 1 and chars[0].isupper())
        after_ok = i + 1 == len(chars) or chars[i + 1].islower() or chars[i + 1] in "-'’"
        if before_ok and after_ok:
            chars[i] = "l"
    fixed = "".join(chars)
    if fixed == token or any(ch.isupper() or ch.isdigit() for ch in fixed[1:]):
        return None
    # Every part must be a word; a short part the change did not touch ("'s", "-a") may pass as it is.
    parts = [part.lower() for part in re.split(r"[-'’]", fixed) if part]
    if not all(
        lexicon.word_zipf(part) >= 3.0
        or part in ev.dicts.words
        or part in ev.names_lower
        or (len(part) <= 2 and not part.startswith("l"))
        for part in parts
    ):
        return None
    return EditProposal(
        m.start(),
        m.end(),
        fixed,
        "spelling",
        f"'I' between lower-case letters is a misread 'l': '{fixed}' is a word",
        0.9,
    )


def _initial_capital_i(text: str, m, ev: _Evidence) -> EditProposal | None:
    """ "Iight", "Iess": a capital I before lower-case letters that make a rare form, where l makes a common word;
    lower case mid-sentence ("light"), capital at a sentence start ("Less")."""
    token = m.group()
    lower = token.lower()
    if (
        lexicon.word_zipf(lower) >= 2.0
        or lower in ev.dicts.words
        or lower in ev.names_lower
        or ev.count(lower) >= 2
    ):
        return None
    form = "l" + lower[1:]
    z = lexicon.word_zipf(form)
    if z < 4.0:  # a common word ("light", "less"); not "lex" from the name "Ilex"
        return None
    fixed = ("L" + form[1:]) if sentence_initial(text, m.start()) else form
    return EditProposal(
        m.start(),
        m.end(),
        fixed,
        "spelling",
        f"'{token}' is at most a rare form (frequency {lexicon.word_zipf(lower):.1f}); with 'l' for "
        f"the capital 'I' it is '{form}', frequency {z:.1f} on the Zipf scale",
        0.9,
    )


def _alpha_with_apostrophe(token: str) -> bool:
    return token.replace("'", "").replace("’", "").isalpha() and "-" not in token


def _neighbours(tokens, k: int, text: str) -> tuple[str | None, str | None]:
    prev = tokens[k - 1].group().lower() if k > 0 and tokens[k - 1].end() >= tokens[k].start() - 2 else None
    nxt = (
        tokens[k + 1].group().lower()
        if k + 1 < len(tokens) and tokens[k + 1].start() <= tokens[k].end() + 2
        else None
    )
    return prev, nxt


def _join(text: str, tokens, k: int, ev: _Evidence) -> EditProposal | None:
    """Join this unknown fragment with the next or previous token when together they make a word."""
    if k + 1 >= len(tokens):
        return None
    a, b = tokens[k], tokens[k + 1]
    if text[a.end() : b.start()] != " ":
        return None
    first, second = a.group(), b.group()
    if not (first.isalpha() and second.isalpha() and second.islower()):
        return None
    return _join_edit(a.start(), b.end(), first, second, ev)


def _join_edit(start: int, end: int, first: str, second: str, ev: _Evidence) -> EditProposal | None:
    joined = (first + second).lower()
    z = lexicon.word_zipf(joined)
    if not (z >= 2.5 or joined in ev.dicts.words):
        # Only an old spelling: never with a very common word ("apeare the" is an old
        # spelling before 'the', not "apearethe").
        if not (len(joined) >= 6 and ev.historical(joined)):
            return None
        if max(lexicon.word_zipf(first.lower()), lexicon.word_zipf(second.lower())) >= 5:
            return None
    if ev.doc_counts.get(first.lower(), 0) >= 2 and ev.known(first.lower()) and ev.known(second.lower()):
        return None
    after = first + second
    evidence = f"frequency {z:.1f} on the Zipf scale" if z else "a historical spelling of a known word"
    return EditProposal(
        start,
        end,
        after,
        "word-join",
        f"'{first}' and '{second}' are not both words, '{after}' is ({evidence})",
        0.9,
    )


def _joins_a_neighbour(text: str, tokens, k: int, ev: _Evidence, common: bool = False) -> bool:
    """Whether a token and the one before or after it, a space apart, would be joined as one word
    (with ``common``, only into a word of frequency 3 or more: "pro gress")."""
    for a, b in ((k - 1, k), (k, k + 1)):
        if a < 0 or b >= len(tokens):
            continue
        first, second = tokens[a].group(), tokens[b].group()
        if text[tokens[a].end() : tokens[b].start()] != " " or not (first.isalpha() and second.isalpha()):
            continue
        if common:
            if lexicon.word_zipf((first + second).lower()) >= 3.0:
                return True
        elif _join_edit(tokens[a].start(), tokens[b].end(), first, second, ev) is not None:
            return True
    return False


def _join_back_possible(text: str, tokens, k: int, ev: _Evidence, edits: list[EditProposal]) -> bool:
    """An unknown second fragment ("pro secution"): join it to the known word before it."""
    a, b = tokens[k - 1], tokens[k]
    if text[a.end() : b.start()] != " " or not (a.group().isalpha() and b.group().islower()):
        return False
    if edits and edits[-1].end > a.start():
        return False
    edit = _join_edit(a.start(), b.end(), a.group(), b.group(), ev)
    if edit is None:
        return False
    edits.append(edit)
    return True


def _candidates(lower: str, ev: _Evidence) -> tuple[Candidate, ...]:
    """Dictionary words within two edits of a form, cheapest OCR-aware cost first."""
    ev.need_index()
    return _candidates_of(lower, ev.dicts)


@lru_cache(maxsize=50_000)
def _candidates_of(lower: str, dicts: lexicon.Dictionaries) -> tuple[Candidate, ...]:
    """`_candidates`, cached per form: the same OCR junk recurs within and across documents."""
    found: dict[str, Candidate] = {}
    for term, distance, _ in lexicon.nearby(lexicon.symspell(dicts), lower, 2):
        candidate = _candidate(lower, term, distance, dicts)
        if candidate is not None:
            found[term] = candidate
    return tuple(sorted(found.values(), key=lambda c: (c.cost, -c.zipf)))


def _candidate(lower: str, term: str, distance: int, dicts: lexicon.Dictionaries) -> Candidate | None:
    """A dictionary word as a candidate for a form, or None when too rare or too far to matter."""
    names_lower = _names_lower(dicts)
    z = lexicon.word_zipf(term)
    if z < 1.5 and term not in dicts.words and term not in names_lower:
        return None  # too rare to be chosen or to stand in the way
    if distance >= 2 and not _may_be_cheap(lower, term):
        return None
    cost, ops = ocr_cost(lower, term)
    return Candidate(
        names_lower.get(term, term), cost, ops, z, "names" if term in names_lower else "dictionary"
    )


@lru_cache(maxsize=16)
def _names_lower(dicts: lexicon.Dictionaries) -> dict[str, str]:
    return {n.lower(): n for n in dicts.names}


@lru_cache(maxsize=50_000)
def _one_confusion_candidates(lower: str, dicts: lexicon.Dictionaries) -> tuple[Candidate, ...]:
    """The candidates of `_candidates` that are exactly one OCR confusion away (cost <= 0.5, one edit).

    Made by applying each confusion at each position and looking the result up, not by
    a symspellpy lookup within two edits: the weak-form rule asks this of every rare
    known word, and the lookup cost most of the stage's time.
    """
    from rapidfuzz.distance import OSA

    words = lexicon.symspell(dicts)._words
    found = []
    for form in _one_confusion_forms(lower):
        if form not in words:
            continue
        distance = OSA.distance(lower, form)
        c = _candidate(lower, form, distance, dicts)
        if c is not None and c.cost <= 0.5 and len(c.ops) == 1:
            found.append((c, distance, -words[form]))
    found.sort(key=lambda f: (f[0].cost, -f[0].zipf, f[1], f[2]))  # symspellpy's order breaks ties
    return tuple(c for c, _, _ in found)


def _one_confusion_forms(lower: str) -> set[str]:
    """Every form that one OCR confusion (a pair of _CONFUSION_PAIRS, either way) makes of a form."""
    forms = set()
    for i, ch in enumerate(lower):
        for x, y in confusions.REWRITES_BY_FIRST.get(ch, ()):
            if lower.startswith(x, i):
                forms.add(lower[:i] + y + lower[i + len(x) :])
    forms.discard(lower)
    return forms


def _may_be_cheap(observed: str, intended: str) -> bool:
    """A fast test (in C) that two edits might be OCR confusions, before the exact cost."""
    from rapidfuzz.distance import Levenshtein

    ops = Levenshtein.editops(observed, intended)
    if all(
        op.tag == "replace" and (observed[op.src_pos], intended[op.dest_pos]) in confusions.SINGLE
        for op in ops
    ):
        return True
    return len(ops) == 2 and abs(ops[0].src_pos - ops[1].src_pos) <= 1


def _document_candidates(lower: str, ev: _Evidence) -> list[Candidate]:
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    if len(lower) < 5:
        return []
    forms = ev.doc_forms_near(len(lower))
    if not forms:
        return []
    out = []
    for form, _dist, _i in process.extract(
        lower, forms, scorer=Levenshtein.distance, score_cutoff=2, limit=5
    ):
        cost, ops = ocr_cost(lower, form)
        if len(ops) != 1 or cost > 1.0 or any(op[0] in "+-" for op in ops) and _edits_at_end(lower, form):
            continue  # a different ending is a different word form ("Ivanova" beside "Ivanov")
        out.append(Candidate(form, cost, ops, lexicon.word_zipf(form), "document"))
    return sorted(out, key=lambda c: (c.cost, -ev.count(c.form)))


def _edits_at_end(observed: str, form: str) -> bool:
    common = 0
    for x, y in zip(reversed(observed), reversed(form)):
        if x != y:
            break
        common += 1
    return common < 2


def _correct(text: str, tokens, k: int, ev: _Evidence, initial: bool, caps: bool):
    """An EditProposal, or a flag (FlagProposal) with the candidates, or None to leave it quietly."""
    m = tokens[k]
    token, start, end = m.group(), m.start(), m.end()
    lower = token.lower()
    if "'" in lower or "’" in lower:
        return None
    prev, nxt = _neighbours(tokens, k, text)
    split = _split(token, ev, initial)
    candidates = _candidates(lower, ev) if len(lower) >= 3 else []
    if not candidates or candidates[0].cost > 1.5:
        if split is not None:
            return EditProposal(start, end, split[0], "word-split", split[1], split[2])
        if candidates:
            return _flag(start, end, token, candidates, "unknown word with no close candidate")
        return None
    candidates = [_with_context(c, prev, nxt, ev) for c in candidates[:8]]
    best = candidates[0]
    rivals = [c for c in candidates[1:] if c.cost <= best.cost + 0.5]
    ocr_only = all(confusions.is_ocr_op(op) for op in best.ops)
    # One ordinary edit, or up to two OCR confusions; short words need an OCR confusion.
    limit = 0.5 if len(lower) <= 4 else 1.0
    if len(best.ops) > 1 and not ocr_only:
        limit = 0.0
    if len(lower) <= 5 and not ocr_only and best.context == 0:
        limit = 0.0
    if split is not None and any(op.startswith("-") for op in best.ops[:1] + best.ops[-1:]):
        return EditProposal(start, end, split[0], "word-split", split[1], split[2])
    if any(op[0] in "+-" for op in best.ops) and _edits_at_end(lower, best.form.lower()):
        limit = 0.0  # a letter more or less at the end is another word form ("fortuned", "fetcht")
    if best.form.lower()[1:] == lower:
        limit = 0.0  # a missing first letter is often printed elsewhere, as a drop capital ("AWRENCE")
    if initial and token[0].isupper() and not caps:
        limit = min(limit, 0.8) if ocr_only else 0.0
    confidence = 0.95 - 0.1 * best.cost
    problems = []
    if best.cost > limit:
        problems.append(f"an edit cost of {best.cost} is more than a word of {len(lower)} letters allows")
    floor = 2.5 if ocr_only and len(best.ops) == 1 else 3.0
    if best.zipf < floor and best.source == "dictionary":
        problems.append(f"'{best.form}' is rare itself (frequency {best.zipf:.1f})")
    if prev or nxt:
        if best.context > 0:
            confidence += 0.03
    margin = 1.0 if ocr_only else 2.0  # how much more frequent than an equally close rival
    for rival in rivals:
        if rival.cost < best.cost + 0.3 and rival.zipf > best.zipf - margin and rival.context >= best.context:
            problems.append(f"'{rival.form}' is about as close and as likely")
            break
        if rival.context > best.context:
            problems.append(f"the neighbours favour '{rival.form}'")
            break
    if (
        not ocr_only
        and best.source != "document"
        and ev.in_context
        and not token.isupper()
        and in_context.noisy_channel(ev.model_dir).known(lower)
    ):
        # A form some book printed, changed by a plain edit: on clean 18th-century text such rule
        # edits were mostly the period's spelling modernised ("wholsome", "supprest") or a real word
        # replaced ("aptest", "brails"). The channel reads it (not a word in capitals) and prices
        # the edit by what the training pairs show.
        problems.append(
            "a form books print, and a plain edit, not an OCR confusion: the language model's reading decides"
        )
    if ev.period != "modern" and not all(confusions.shape_confusion(op) for op in best.ops):
        problems.append(
            "in early modern text a changed, added or dropped vowel, or any edit that is not "
            "an OCR confusion, is as likely the period's own spelling ('seaven', 'forgat')"
        )
    if len(lower) <= 4:
        confidence -= 0.05
    if problems:
        confidence = min(confidence, 0.6)
    confidence = round(max(0.0, min(0.99, confidence)), 2)
    after = _with_case(token, best.form, initial)
    reason = (
        f"unknown word; {_describe(best)} from '{best.form}', frequency {best.zipf:.1f} on the Zipf scale"
    )
    if best.context:
        reason += f"; context '{_context_words(prev, best.form, nxt, ev)}' seen {best.context:,} times"
    if rivals:
        reason += f"; runner-up '{rivals[0].form}' (cost {rivals[0].cost})"
    if problems:
        reason += "; not applied: " + "; ".join(problems)
    edit = EditProposal(start, end, after, "spelling", reason, confidence)
    if problems:
        return _flag(start, end, token, candidates, reason, confidence)
    return edit


def _split(token: str, ev: _Evidence, initial: bool) -> tuple[str, str, float] | None:
    """Two words run together: "kingwas" -> "king was", "theStalin" -> "the Stalin"."""
    if len(token) < 5:
        return None
    if token.isupper():
        found = _split(token.lower(), ev, initial)
        return (found[0].upper(), found[1], found[2]) if found else None
    for i in range(2, len(token) - 1):
        if token[i].isupper() and token[:i].islower() and token[i + 1 :].islower():
            left, right = token[:i], token[i:].lower()
            # The capitalised part must be a word or a name the document uses elsewhere: in
            # "railAvay" and "hoUowe" the capital is a misread 'w' or 'll', not a word's start.
            right_is_word = lexicon.word_zipf(right) >= 2.5 or right in ev.names_lower or ev.count(right) >= 1
            if lexicon.word_zipf(left) >= 4 and right_is_word:
                return (
                    f"{token[:i]} {token[i:]}",
                    f"'{token}' runs a common word ('{left}') into a capitalised one",
                    0.9,
                )
            return None
    if not token.islower():
        return None
    best = None
    for i in range(1, len(token)):
        left, right = token[:i], token[i:]
        if len(left) == 1 and left not in ("a", "i"):
            continue
        if len(right) == 1 and right not in ("a",):
            continue
        zl, zr = lexicon.word_zipf(left), lexicon.word_zipf(right)
        if min(zl, zr) < 3.5:
            continue
        pair = lexicon.bigram_count(left, right)
        score = (pair > 0, zl + zr)
        if best is None or score > best[0]:
            best = (score, left, right, pair)
    if best is None:
        return None
    (seen, _), left, right, pair = best
    if not seen:
        return None
    return (
        f"{left} {right}",
        f"unknown word; '{left} {right}' are two common words, seen together {pair:,} times",
        0.85,
    )


def _with_context(c: Candidate, prev: str | None, nxt: str | None, ev: _Evidence) -> Candidate:
    form = c.form.lower()
    n = 0
    if prev:
        n += lexicon.bigram_count(prev, form)
    if nxt:
        n += lexicon.bigram_count(form, nxt)
    return Candidate(c.form, c.cost, c.ops, c.zipf, c.source, n)


def _context_words(prev, form, nxt, ev) -> str:
    form = form.lower()
    if prev and lexicon.bigram_count(prev, form):
        return f"{prev} {form}"
    return f"{form} {nxt}"


def _describe(c: Candidate) -> str:
    kinds = ["OCR" if confusions.is_ocr_op(op) else "other" for op in c.ops]
    n = len(c.ops)
    label = "OCR edit" if all(k == "OCR" for k in kinds) else "edit"
    return f"{n} {label}{'s' if n != 1 else ''} ({', '.join(c.ops)})"


def _with_case(token: str, form: str, initial: bool) -> str:
    """The candidate in the token's case: "PROSUCUTION" -> "PROSECUTION", "Bolsevik" -> "Bolshevik"."""
    if form[:1].isupper():  # a name keeps its own case
        return form.upper() if token.isupper() and len(token) > 1 else form
    if token.isupper() and len(token) > 1:
        return form.upper()
    if token[0].isupper() and (initial or token[0].lower() == form[0] or token[0] != "I"):
        return form[0].upper() + form[1:]  # a capital I for l is a lower-case word mid-sentence ("Iight")
    return form


def _flag(
    start: int, end: int, token: str, candidates: list[Candidate], reason: str, score: float = 0.5
) -> FlagProposal:
    detail = {
        "candidates": [
            {"form": c.form, "cost": c.cost, "edits": list(c.ops), "zipf": c.zipf} for c in candidates[:5]
        ]
    }
    return FlagProposal(start, end, "spelling", f"'{token}': {reason}", score, detail)


def _as_flag(decision) -> FlagProposal:
    if isinstance(decision, FlagProposal):
        return decision
    return FlagProposal(
        decision.start,
        decision.end,
        "spelling",
        f"below the confidence bar ({decision.confidence}): {decision.reason}",
        decision.confidence,
        {"candidates": [{"form": decision.after}]},
    )
