"""Flag places where text probably dropped out (a skipped line, a torn fragment).

What is gone cannot be restored from what is left, so this stage only points:
each flag (kind ``gap``) covers the few words either side of the suspected
drop, says why in words a reviewer understands, and scores the evidence.

Evidence, cheapest first (``detail["evidence"]`` names it):

- structure, per paragraph: a bracket never closed (``unclosed-bracket``) or a
  quotation closed that never opened (``unbalanced-quote``); a paragraph that
  ends on a comma or a function word (``paragraph-end``); a sentence that
  starts in lower case (``lowercase-start``); a capitalised function word after
  a clause with no end punctuation (``missing-sentence-end``: "the new
  Constitution From July 5"); a lone letter between words (``lone-letter``:
  "If I am a C not one"); a number that lost its head (``number-head``:
  "were,500"); doubled punctuation (``doubled-punctuation``); a determiner or
  preposition right before punctuation (``dangling-word``);
- grammar: 'to' after a verb that takes an infinitive but followed by an -ing
  form or a determiner (``to-infinitive``: "the need to running"); with a
  trained spaCy pipeline, tags and the dependency parse (of every sentence in
  modern prose; in early modern or sparsely punctuated text, of the sentences
  the cheap checks find suspicious): a determiner or preposition before a
  finite verb (``function-word-before-verb``, ``preposition-before-verb``:
  "within coordinated with"), a verb with two subjects (``two-subjects``) or two
  bare objects (``two-objects``), two finite verbs with no conjunction or
  relative word between them (``verb-run``), a finite verb attached to nothing
  (``unattached-verb``), a finite main verb with no subject right after a comma
  (``verb-without-subject``: "Kuybyshev, was removed"), the last word of a
  title alone after a common noun (``title-fragment``: "the security Affairs");
- word statistics: the least likely word transition by symspellpy's bundled
  bigram counts (``bigram``), where two common words almost never follow each
  other ("the of");
- the language models (``language-model``): the drop-out detector
  (`restore.models.dropout`) weighs, at each boundary of a sentence, what the
  forward and backward KenLM models say there, how much inserting a common
  word would help, and the sentence cues above that point there (CUES), and
  gives the calibrated probability that words are missing; the sentence's most
  probable hole is flagged when it reaches the model's threshold (on its own, whatever
  MIN_SCORE says), with the words the model expected there and the cues it read.
  Where the detector runs, the sentence cues speak only through it, except
  STANDALONE_CUES, the marks of a dropped printed line that synthetic deletions
  cannot teach; where it cannot load (no KenLM), every cue flags on its own.

Paragraphs are separated by blank lines; a single newline is a space (so
``--keep-lines`` text reads the same). Names of the evidence and their scores
are measured in benchmarks/bench_gaps.py.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from restore.models import nlp
from restore.models.dropout import CUES, load_detector
from restore.models.lexicon import english_counts, word_zipf
from restore.models.lm import TOKEN, lm_form
from restore.models.period import GAPS_THRESHOLD, style_rate
from restore.models.period import resolve as resolve_period
from restore.models.tokens import ABBREVIATIONS, Token, tokenize
from restore.record import FlagProposal
from restore.stages import Proposals, StageContext

# --- word lists --------------------------------------------------------------------------

DETERMINERS = frozenset(
    "the a an this that these those his her its their our my your whose every each no".split()
)
PREPOSITIONS = frozenset(
    "of to in on at by for with from into onto upon about against among between through "
    "during without within under over towards toward after before".split()
)
CONJUNCTIONS = frozenset("and or nor but".split())
# Closed-class words that start sentences but are not capitalised mid-sentence.
SENTENCE_STARTERS = frozenset(
    "the a an this that these those his her its their our my your there then thus however "
    "but and yet so he she it we they from in on at by for with after before when while "
    "if although though since because during despite what which who where why how".split()
)
# Verbs and adjectives that take a to-infinitive ("need to go"), so "need to going" is broken.
INFINITIVE_HEADS = frozenset(
    "need needs needed want wants wanted wish wished tried try tries trying attempt attempted "
    "decided decide decides refused refuse hoped hope hopes expected expect failed fail agreed "
    "agree seemed seem seems managed able unable ought began begin begins continued order "
    "intended intend intends planned plan plans promised promise forced allowed urged".split()
)
# Heads after which 'to' cannot be a preposition ("need to the" is broken, "agreed to the" is not).
STRICT_HEADS = frozenset(
    "need needs want wants wanted tried try able unable ought managed decided refused wish".split()
)
# Single letters that are words.
LETTER_WORDS = frozenset({"a", "A", "I", "O", "o", "&"})

OPENERS = {"(": ")", "[": "]"}
CLOSERS = {")": "(", "]": "["}

_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_END_PUNCT = re.compile(r"[.!?…][\"'”’)\]]*$")
_NUMBER_HEAD = re.compile(r"(?<=[^\W\d_])[,.]\d{3}\b|(?<=\s)[,]\d{3}\b")
_DOUBLED = re.compile(r"[,;:](?:\s*[,;])|,\s*\.(?!\.)|;\s*\.(?!\.)")
_ROMAN = re.compile(r"^[ivxlc]+$")
_LIST_MARKER = re.compile(r"^(?:\([0-9ivxlcdmIVXLCDMa-zA-Z]{1,4}\)|[0-9ivxlcdmIVXLCDMa-zA-Z]{1,4}[).])$")

WINDOW = 2  # words either side of a drop point in a flag's span

# A flag is emitted only when its combined evidence reaches this score. One reliable cue
# (0.5 and up: a number that lost its head, 'need to running', a paragraph ending on a
# comma) is enough; weak cues (0.25-0.45: a lower-case start in early modern prose, a
# verb with two subjects, a rare word pair) flag only when another cue agrees, since
# 1 - (1 - 0.35) ** 2 = 0.58. Set from the false flags per 1,000 intact sentences on
# clean text in benchmarks/bench_gaps.py.
MIN_SCORE = 0.5
# Same-kind cues of sentence punctuation this close together (in characters, about 40
# words) are the document's style (verse lines, a run of headlines), not drops.
CLUSTER_CHARS = 250

_END_MARK = re.compile(r"[.!?](?=[\"'”’)\]]*(?:\s|$))")


@dataclass(frozen=True)
class DocumentProfile:
    """How a document punctuates, so evidence can adapt to it.

    ``end_marks`` is sentence-end punctuation per 1,000 words (modern prose and
    newspapers: 60-90; verse and punctuation-poor transcriptions: under 45);
    ``early_modern`` counts "hath", "doth", "thee", -eth verbs and long s per 1,000
    words (`restore.models.period.style_rate`), and ``period`` is Config.language_period,
    which overrides it. In a document whose own sentences run on without punctuation or start
    with capitals mid-line, a capital after an unpunctuated word says nothing.

    >>> profile("Thou hath said it, and he goeth. Now what?").early_modern > 3
    True
    """

    words: int
    end_marks: float
    early_modern: float
    period: str = "auto"

    @property
    def sparse_punctuation(self) -> bool:
        return self.words >= 200 and self.end_marks < 45

    @property
    def is_early_modern(self) -> bool:
        return resolve_period(self.period, self.early_modern >= GAPS_THRESHOLD)


def profile(text: str, language_period: str = "auto") -> DocumentProfile:
    """The punctuation profile of a document (see DocumentProfile)."""
    words = max(1, len(text.split()))
    return DocumentProfile(
        words, 1000 * len(_END_MARK.findall(text)) / words, style_rate(text, words), language_period
    )


PLAIN = DocumentProfile(0, 70.0, 0.0)


@dataclass(frozen=True)
class Evidence:
    """One reason to suspect a drop: a span of the text, a named kind, a reason, a score."""

    start: int
    end: int
    evidence: str
    reason: str
    score: float
    # Where the words would have stood: the offset of the token just after the hole, when a
    # cue points at one boundary (the drop-out detector reads the cue there); else -1.
    at: int = -1


# --- bigram statistics -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _bigram_model() -> tuple[dict[str, int], dict[str, int], float]:
    """symspellpy's bundled unigram and bigram counts (Google n-grams), loaded once (cached on disk by lexicon)."""
    unigrams, bigrams = english_counts()
    n_uni = float(sum(unigrams.values()))
    scale = sum(bigrams.values()) / n_uni / n_uni  # expected bigram count = c1 * c2 * scale
    return unigrams, bigrams, scale


BIGRAM_FLOOR = 6_400_000  # the smallest count the bundled bigram list keeps


def transition_logratio(a: str, b: str) -> float | None:
    """log(observed / expected) count of 'a b' in English; None when too rare to judge.

    Absent bigrams count as half the list's floor, so only pairs of common words,
    whose absence means something, get a strongly negative value.

    >>> transition_logratio("the", "of") < -3 < 0 < transition_logratio("of", "the")
    True
    """
    unigrams, bigrams, scale = _bigram_model()
    c1, c2 = unigrams.get(a), unigrams.get(b)
    if not c1 or not c2:
        return None
    expected = c1 * c2 * scale
    observed = bigrams.get(f"{a} {b}")
    if observed is None:
        if expected < BIGRAM_FLOOR * 4:
            return None
        observed = BIGRAM_FLOOR / 2
    return math.log(observed / expected)


_DETERMINERS_BEFORE = ("the", "a", "an", "his", "their", "this")
_VERB_MARKERS_BEFORE = (
    "to",
    "will",
    "can",
    "would",
    "could",
    "should",
    "must",
    "may",
    "might",
    "not",
    "cannot",
)


def noun_not_verb(word: str) -> bool:
    """Whether English puts a word after 'the'/'a' at least 30 times as often as after 'to', 'will',
    'can'... (symspellpy's bigram counts): a noun that the tagger may force into a verb after
    'to' ("the need to attention"), and not a verb ("to take", "to omit" never follows 'the').

    >>> noun_not_verb("attention"), noun_not_verb("take"), noun_not_verb("conduct")
    (True, False, False)
    """
    lower = word.lower()
    if not lower.isalpha():
        return False
    _, bigrams, _ = _bigram_model()
    as_noun = sum(bigrams.get(f"{d} {lower}", 0) for d in _DETERMINERS_BEFORE)
    as_verb = sum(bigrams.get(f"{v} {lower}", 0) for v in _VERB_MARKERS_BEFORE)
    return as_noun > 0 and as_noun >= 30 * as_verb


# --- the stage ---------------------------------------------------------------------------


def propose(text: str, context: StageContext) -> Proposals:
    """Flag probable drop-outs in text; never edits."""
    spec = context.config.spacy_model
    doc_profile = profile(text, context.config.language_period)
    # The mode is known without loading; the pipeline loads only when a sentence needs parsing.
    parsing = nlp.resolve(spec) is not None
    mode = nlp.mode(spec) if parsing else "rules"
    # Modern prose is parsed whole: most drops there leave text that only the parse
    # finds broken. Early modern and sparsely punctuated text bends modern syntax, so
    # there only sentences the cheap checks find suspicious are parsed.
    parse_every = not (doc_profile.is_early_modern or doc_profile.sparse_punctuation)
    detector = _detector()
    structure, sentences = read_document(text, doc_profile)
    evidence: list[Evidence] = list(structure)
    suspicious: list[tuple[int, int]] = []
    for s, e, sent, cues in sentences:
        lm = None
        if detector is not None:
            lm = language_model_evidence(text, sent, detector, doc_profile, parsing, cues)
        evidence += cues if lm is None else lm + [c for c in cues if c.evidence in STANDALONE_CUES]
        if parsing and (parse_every or _worth_parsing(sent, cues)):
            suspicious.append((s, e))
    parsed = 0
    if parsing and suspicious:
        evidence += parse_evidence(text, suspicious, nlp.load(spec), doc_profile)
        parsed = len(suspicious)
    flags = [
        f for f in _merge(text, evidence) if f.score >= MIN_SCORE or "language-model" in f.detail["evidence"]
    ]
    info = {
        "mode": mode,
        "sentences_parsed": parsed,
        "end_marks_per_1000_words": round(doc_profile.end_marks, 1),
        "early_modern_per_1000_words": round(doc_profile.early_modern, 1),
    }
    return Proposals(flags=tuple(flags), info=info)


def read_document(
    text: str, doc: DocumentProfile
) -> tuple[list[Evidence], list[tuple[int, int, list[Token], list[Evidence]]]]:
    """A document's structure evidence, and its sentences (start, end, tokens) each with its own
    cues (sentence_evidence), the cues the document repeats as its style left out (_drop_clusters).

    The drop-out detector's training script reads its texts through this too.
    """
    structure: list[Evidence] = []
    sentences = []
    quote_open = False
    paragraphs = list(_paragraph_spans(text))
    for i, (start, end) in enumerate(paragraphs):
        tokens = tokenize(text, start, end)
        if not tokens:
            continue
        next_start = paragraphs[i + 1][0] if i + 1 < len(paragraphs) else None
        found, quote_open = structure_evidence(text, start, end, tokens, quote_open, next_start)
        structure += found
        for s, e, sent in _sentences(tokens):
            sentences.append((s, e, sent, sentence_evidence(text, sent, doc)))
    every = [ev for *_, cues in sentences for ev in cues]
    kept = {id(ev) for ev in _drop_clusters(every, ("missing-sentence-end", "lowercase-start"))}
    sentences = [(s, e, sent, [ev for ev in cues if id(ev) in kept]) for s, e, sent, cues in sentences]
    return structure, sentences


def _drop_clusters(evidence: list[Evidence], kinds: tuple[str, ...]) -> list[Evidence]:
    """Without cues of the given kinds that have another of the same kind within CLUSTER_CHARS.

    Drops are rare and scattered; a line of verse after each unpunctuated line,
    or a list of lower-case items, repeats the same cue every few words.
    """
    keep = [True] * len(evidence)
    for kind in kinds:
        where = sorted((ev.start, k) for k, ev in enumerate(evidence) if ev.evidence == kind)
        for (a, i), (b, j) in zip(where, where[1:]):
            if b - a <= CLUSTER_CHARS:
                keep[i] = keep[j] = False
    return [ev for ev, k in zip(evidence, keep) if k]


def _paragraph_spans(text: str):
    start = 0
    for m in _PARAGRAPH.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _is_abbreviation(tok: Token) -> bool:
    word = tok.word
    lower = word.lower()
    if (
        len(word) == 1
        or "." in word
        or lower in ABBREVIATIONS
        or (any(c.isdigit() for c in word) and not word.isdigit())
    ):
        return True  # "p.", "e.g.", "Nov.", "8vo."
    if _ROMAN.match(lower):
        return True  # "chap. xx."
    return word.islower() and len(word) <= 4 and word_zipf(lower) < 2.5  # "hf. bd.", "impl."


def _sentences(tokens: list[Token]):
    """Sentences of a paragraph as (start, end, tokens): end punctuation before a non-lowercase word."""
    sent: list[Token] = []
    for i, tok in enumerate(tokens):
        sent.append(tok)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is None:
            break
        if _END_PUNCT.search(tok.text) and not (_is_abbreviation(tok) and tok.text.endswith(".")):
            if not nxt.text[:1].islower():
                yield sent[0].start, sent[-1].end, sent
                sent = []
    if sent:
        yield sent[0].start, sent[-1].end, sent


def _window(tokens: list[Token], index: int, before: int = WINDOW, after: int = WINDOW) -> tuple[int, int]:
    """Span of the words around a drop point just before tokens[index]."""
    lo = max(0, index - before)
    hi = min(len(tokens) - 1, index + after - 1)
    return tokens[lo].start, tokens[max(hi, lo)].end


def _token_at(tokens: list[Token], starts: list[int], pos: int) -> int | None:
    """The index of the token holding ``pos``, or None, by bisection of the token starts (tokens
    are in order and disjoint): a scan per cue was quadratic in a paragraph's length, and OCR
    that prints a book on one line makes the book one paragraph."""
    i = bisect.bisect_right(starts, pos) - 1
    return i if i >= 0 and pos < tokens[i].end else None


def structure_evidence(
    text: str, start: int, end: int, tokens: list[Token], quote_open: bool, next_start: int | None
) -> tuple[list[Evidence], bool]:
    """Evidence from a paragraph's punctuation; returns it and whether a quotation stays open."""
    found: list[Evidence] = []
    para = text[start:end]
    # Brackets: a stack per paragraph; list markers like "1)" and "(a)" are skipped.
    stack: list[tuple[str, int]] = []
    starts = [t.start for t in tokens]
    for idx, tok in enumerate(tokens):
        if not stack and _LIST_MARKER.match(tok.text):
            continue  # "1)" or "(a)" numbering a list item
        for j, ch in enumerate(tok.text):
            if ch in OPENERS:
                stack.append((ch, tok.start + j))
            elif ch in CLOSERS:
                if stack and stack[-1][0] == CLOSERS[ch]:
                    stack.pop()
                elif not stack:
                    s, e = _window(tokens, idx + 1, before=3, after=0)
                    found.append(
                        Evidence(
                            s,
                            e,
                            "unclosed-bracket",
                            f"'{ch}' closes a bracket never opened in this paragraph",
                            0.55,
                        )
                    )
    for ch, pos in stack:
        idx = _token_at(tokens, starts, pos)
        rest = len(tokens) - idx
        last = min(len(tokens) - 1, idx + 5) if rest > 6 else len(tokens) - 1
        found.append(
            Evidence(
                pos,
                tokens[last].end,
                "unclosed-bracket",
                f"'{ch}' never closed in this paragraph",
                0.7 if rest <= 12 else 0.5,
            )
        )
    # Curly double quotes: a closing quote with none open (across paragraphs, since a
    # quotation running over paragraphs leaves each of them open).
    depth = 1 if quote_open else 0
    for m in re.finditer(r"[“”]", para):
        if m.group() == "“":
            depth = 1
        elif depth:
            depth = 0
        else:
            pos = start + m.start()
            idx = _token_at(tokens, starts, pos)
            idx = len(tokens) - 1 if idx is None else idx
            s, e = _window(tokens, idx + 1, before=4, after=0)
            found.append(
                Evidence(
                    s,
                    e,
                    "unbalanced-quote",
                    "'”' closes a quotation never opened: its start probably dropped out",
                    0.5,
                )
            )
    still_open = bool(depth)  # dialogue and long quotations run over paragraphs
    # A paragraph that stops mid-clause.
    last = tokens[-1]
    if len(tokens) >= 6 and next_start is not None:
        if last.text.endswith((",", ";")) and not last.text.endswith("...,"):
            found.append(
                Evidence(
                    *_window(tokens, len(tokens), before=3, after=0),
                    "paragraph-end",
                    f"paragraph ends with '{last.text[-1]}': the rest of the sentence probably dropped out",
                    0.65,
                )
            )
        elif last.text == last.word and last.lower in DETERMINERS | PREPOSITIONS | CONJUNCTIONS:
            found.append(
                Evidence(
                    *_window(tokens, len(tokens), before=3, after=0),
                    "paragraph-end",
                    f"paragraph ends on '{last.word}': the rest of the sentence probably dropped out",
                    0.6,
                )
            )
    # Numbers that lost their head, doubled punctuation.
    for m in _NUMBER_HEAD.finditer(para):
        pos = start + m.start()
        idx = _token_at(tokens, starts, pos)
        s, e = _window(tokens, idx + 1, before=2, after=1)
        found.append(
            Evidence(
                s,
                e,
                "number-head",
                f"number starts with '{m.group()[0]}': its leading digits probably dropped out",
                0.7,
            )
        )
    for m in _DOUBLED.finditer(para):
        pos = start + m.start()
        idx = _token_at(tokens, starts, pos)
        if idx is None:
            continue
        s, e = _window(tokens, idx + 1, before=2, after=2)
        found.append(
            Evidence(
                s,
                e,
                "doubled-punctuation",
                f"'{m.group().replace(' ', '')}' with nothing between: words probably dropped out",
                0.5,
            )
        )
    return found, still_open


def sentence_evidence(text: str, sent: list[Token], doc: DocumentProfile = PLAIN) -> list[Evidence]:
    """Evidence from the words of one sentence (no model needed), weighed by the document's profile."""
    found: list[Evidence] = []
    # Lower-case starts are common where the transcription keeps the source's own
    # punctuation (early modern prose, verse): a weak cue there.
    lower_score = 0.35 if doc.is_early_modern or doc.sparse_punctuation else 0.55
    sentence_end_cue = not (doc.is_early_modern or doc.sparse_punctuation)
    first = sent[0]
    title_like = sum(1 for t in sent if t.word[:1].isupper()) > 0.5 * len(sent)
    shouting = sum(1 for t in sent if t.word.isupper() and len(t.word) > 1) > 0.3 * len(sent)
    if first.word[:1].islower() and first.text[:1].islower() and len(sent) >= 3:
        prev_end = text[: first.start].rstrip()
        if prev_end.endswith((".", "?", "!")) and not _ends_with_abbreviation(prev_end):
            found.append(
                Evidence(
                    *_window(sent, 0, before=0, after=3),
                    "lowercase-start",
                    f"sentence starts in lower case ('{first.word}'): its beginning probably dropped out",
                    lower_score,
                    first.start,
                )
            )
    for i in range(1, len(sent)):
        prev, tok = sent[i - 1], sent[i]
        if (
            tok.text[:1].islower()
            and prev.text.endswith(".")
            and not prev.text.endswith("..")
            and not _is_abbreviation(prev)
            and i + 2 < len(sent)
            and tok.word.isalpha()
            and not (prev.word.isupper() and len(prev.word) > 1)
        ):
            found.append(
                Evidence(
                    *_window(sent, i, before=1, after=3),
                    "lowercase-start",
                    f"sentence starts in lower case ('{tok.word}'): its beginning probably dropped out",
                    lower_score,
                    tok.start,
                )
            )
        plain_join = prev.text == prev.word and prev.word and tok.text[:1].isalpha()
        # A capitalised function word after a clause with no end punctuation.
        around = [t for t in sent[max(0, i - 2) : i + 3] if t is not tok]
        title_run = sum(1 for t in around if t.word[:1].isupper()) >= 3
        if (
            sentence_end_cue
            and plain_join
            and not title_like
            and not title_run
            and not shouting
            and tok.word[:1].isupper()
            and tok.lower in SENTENCE_STARTERS
            and not tok.word.isupper()
        ):
            found.append(
                Evidence(
                    *_window(sent, i),
                    "missing-sentence-end",
                    f"'{tok.word}' capitalised mid-sentence after '{prev.word}' with no end punctuation: "
                    "a sentence end and probably words dropped out",
                    0.55,
                    tok.start,
                )
            )
        # A lone letter between lower-case words.
        if (
            len(tok.word) == 1
            and tok.text == tok.word
            and tok.word.isalpha()
            and tok.word not in LETTER_WORDS
            and i + 1 < len(sent)
            and prev.word.islower()
            and sent[i + 1].word[:1].islower()
            and not shouting
            and tok.word != "v"  # "Smith v Jones"
            and not {prev.lower, sent[i + 1].lower} & {"and", "or", "letter", "letters"}
        ):  # "H and W"
            found.append(
                Evidence(
                    *_window(sent, i, before=2, after=3),
                    "lone-letter",
                    f"lone letter '{tok.word}' mid-sentence: a word was probably cut short",
                    0.55,
                    tok.start,
                )
            )
        # 'to' after an infinitive-taking word, followed by an -ing form or a determiner.
        if prev.lower == "to" and prev.text == prev.word and i >= 2 and sent[i - 2].lower in INFINITIVE_HEADS:
            nxt = tok.lower
            if (nxt.endswith("ing") and len(nxt) > 5) or (
                nxt in DETERMINERS and sent[i - 2].lower in STRICT_HEADS
            ):
                found.append(
                    Evidence(
                        *_window(sent, i - 1, before=2, after=3),
                        "to-infinitive",
                        f"'{sent[i - 2].word} to' followed by '{tok.word}': words probably missing "
                        "after 'to'",
                        0.6,
                        tok.start,
                    )
                )
        # A determiner or preposition right before punctuation.
        # Not 'of' ("disposed of,") nor 'a' ("8 a.m.").
        if (
            tok.lower in ("the", "an")
            and tok.text.startswith(tok.word)
            and len(tok.text) > len(tok.word)
            and tok.text[len(tok.word)] in ",;.:"
            and not tok.text.endswith("...")
        ):
            found.append(
                Evidence(
                    *_window(sent, i + 1, before=2, after=1),
                    "dangling-word",
                    f"'{tok.word}' directly before '{tok.text[len(tok.word)]}': the words it "
                    "introduces probably dropped out",
                    0.55,
                    tok.start + len(tok.word),
                )
            )
    found += _bigram_evidence(sent, doc)
    return found


def _ends_with_abbreviation(before: str) -> bool:
    last = before.split()[-1] if before.split() else ""
    tok = tokenize(last)
    return bool(tok) and _is_abbreviation(tok[0])


BIGRAM_THRESHOLD = -4.0
# Between two function words ("of was", "the as") the counts are large and the absence
# of a pair means more, so a weaker transition is enough; tuned on the synthetic
# deletions in the overproof-smh and icdar2017-en ground truth (benchmarks/bench_gaps.py).
FUNCTION_BIGRAM_THRESHOLD = -3.5
FUNCTION_WORDS = (
    DETERMINERS
    | PREPOSITIONS
    | CONJUNCTIONS
    | frozenset(
        "is was were are be been has have had will would should could may might can shall not as than "
        "that which who it he she they we you".split()
    )
)


def _bigram_evidence(sent: list[Token], doc: DocumentProfile = PLAIN) -> list[Evidence]:
    """The least likely transition between two common words, when it is very unlikely.

    Early modern English ("wot of", "by the by") pairs words the modern counts do not
    know, so there the cue only counts alongside another.
    """
    best, where = 0.0, None
    for i in range(1, len(sent)):
        prev, tok = sent[i - 1], sent[i]
        if (
            prev.text != prev.word
            or not tok.text[:1].isalpha()
            or not prev.word.isalpha()
            or len(prev.word) == 1
            or len(tok.word) == 1
        ):
            continue
        if tok.word[:1].isupper() or prev.word[:1].isupper():
            continue  # names start and end phrases freely
        ratio = transition_logratio(prev.lower, tok.lower)
        if ratio is None:
            continue
        if prev.lower in FUNCTION_WORDS and tok.lower in FUNCTION_WORDS:
            strength = FUNCTION_BIGRAM_THRESHOLD - ratio
        else:
            strength = BIGRAM_THRESHOLD - ratio
        if strength >= 0 and strength >= best:
            best, where = strength, i
    if where is None:
        return []
    prev, tok = sent[where - 1], sent[where]
    score = min(0.8, 0.5 + 0.08 * best) - (0.2 if doc.is_early_modern else 0.0)
    return [
        Evidence(
            *_window(sent, where),
            "bigram",
            f"'{prev.word} {tok.word}' almost never occurs in English: words probably dropped out between "
            "them",
            round(score, 3),
            tok.start,
        )
    ]


# --- the language-model detector (restore.models.dropout) --------------------------------

# The detector's probability (calibrated on text where one sentence in five lost words) at
# which a boundary is flagged comes with the model (DropoutDetector.threshold): chosen on the
# training script's held-out modern and period prose, so a retrained model brings its own.
# With the parser on, its own cues add false flags in period text, so the bar there rises.
PARSED_PERIOD_MARGIN = 0.1


# Cues that flag on their own even beside the detector: the signs a printed line leaves when it
# drops out ("the cases of the, and", "a C not one", "Constitution From July"), which deleting
# words from clean prose almost never makes, so the detector could not learn their worth.
STANDALONE_CUES = frozenset({"dangling-word", "lone-letter", "missing-sentence-end", "to-infinitive"})


@lru_cache(maxsize=1)
def _detector():
    """The shipped drop-out detector, or None where the language models cannot load."""
    try:
        return load_detector()
    except (ImportError, OSError, ValueError):
        return None


def detector_inputs(
    text: str, sent: list[Token], cues: list[Evidence], doc: DocumentProfile = PLAIN
) -> tuple[list, list[str], list[list[float]]]:
    """What the drop-out detector reads of a sentence: its tokens (regex matches), their model
    forms, and per boundary the score of each of the stage's cues (CUES) pointing there and the
    document's profile. The training script (scripts/train_dropout.py) reads text the same way.
    """
    matches = list(TOKEN.finditer(text, sent[0].start, sent[-1].end))
    starts = [m.start() for m in matches]
    profile_row = [float(doc.is_early_modern), float(doc.sparse_punctuation)]
    rows = [[0.0] * len(CUES) + profile_row for _ in matches]
    # Period and sparsely punctuated transcriptions keep the source's own lower-case starts
    # ("shall prosper. and thou shalt"): there the cue is the document's style, not a hole.
    styled = {"lowercase-start"} if doc.is_early_modern or doc.sparse_punctuation else set()
    for j, ev in _cue_boundaries(cues, starts):
        if ev.evidence not in styled and j < len(rows):
            k = CUES.index(ev.evidence)
            rows[j][k] = max(rows[j][k], ev.score)
    return matches, [lm_form(m.group()) for m in matches], rows


def _cue_boundaries(cues: list[Evidence], starts: list[int]):
    """(boundary, cue) for each of the cues the detector reads (CUES) that points at one
    boundary: the index of the first token at or after the cue's hole, among token ``starts``."""
    for ev in cues:
        if ev.at >= 0 and ev.evidence in CUES:
            yield bisect.bisect_left(starts, ev.at), ev


def language_model_evidence(
    text: str,
    sent: list[Token],
    detector,
    doc: DocumentProfile = PLAIN,
    parsing: bool = False,
    cues: list[Evidence] = (),
) -> list[Evidence] | None:
    """The sentence's most probable hole by the drop-out detector, when it reaches the threshold.

    One per sentence: drops are rare, and a sentence with two boundaries over the threshold
    is more often odd (a list, a headline) than twice damaged. The sentence's own ``cues``
    (sentence_evidence) are read by the detector with the language models; those at the
    flagged boundary come back with it (score 0: the probability already counts them), so
    that the reason names them. None where the sentence is too short for the detector:
    there the cues speak for themselves.
    """
    matches, forms, cue_rows = detector_inputs(text, sent, list(cues), doc)
    if len(matches) < 3:
        return None
    period = doc.is_early_modern or doc.sparse_punctuation
    threshold = detector.threshold(period) + (PARSED_PERIOD_MARGIN if period and parsing else 0.0)
    found = [
        b
        for b in detector.boundaries(forms, threshold, [m.group() for m in matches], cue_rows)
        if not _marked_boundary(text, matches, b.index)
    ]
    if not found:
        return []
    best = max(found, key=lambda b: b.probability)
    i = best.index
    starts = [t.start for t in sent]

    def word(k: int) -> Token:
        return sent[max(0, bisect.bisect_right(starts, matches[k].start()) - 1)]

    left = word(i - 1) if i else word(i)
    right = word(i)
    shown = text[word(max(0, i - 2)).start : word(min(len(matches) - 1, i + 1)).end]
    before = forms[max(0, i - 2) : i]
    expected = detector.expected(forms[:i])
    said = " or ".join(f"'{w}'" for w in expected)
    if i:
        pair = f"'{matches[i - 1].group()} {matches[i].group()}'"
        context = f"after '{' '.join(before)}'" if before else "here"
    else:
        pair = f"'{matches[0].group()}' at the start"
        context = "at a sentence start"
    # How much less likely than the sentence's average transition, read from whichever side saw more.
    ratio = 10 ** max(0.0, best.fwd_mean - best.fwd, best.bwd_mean - best.bwd)
    reason = (
        f"'{shown}': {context} the model expected {said}; {pair} is 1 in {_round(ratio)} as likely "
        f"as usual here; probability {best.probability:.2f}"
    )
    found_here = [Evidence(left.start, right.end, "language-model", reason, round(best.probability, 3))]
    for j, ev in _cue_boundaries(cues, [m.start() for m in matches]):
        if abs(j - i) <= 1:
            found_here.append(Evidence(left.start, right.end, ev.evidence, ev.reason, 0.0, ev.at))
    return found_here


def _marked_boundary(text: str, matches: list, i: int) -> bool:
    """A boundary the writer marked: an ellipsis ("troikas...were") or a bracket ("They [the NKVD?]").

    Both are the text's own signs of an omission or an insertion, which the models read as a hole.
    """
    if i == 0:
        return False
    between = text[max(0, matches[i - 1].start() - 2) : matches[i].start() + 1]
    return ".." in between or "…" in between or any(c in between for c in "[]()")


def _round(x: float) -> str:
    """A ratio as a reviewer reads it: 40,000 rather than 38,517."""
    if x < 10:
        return f"{x:.0f}"
    digits = 10 ** (len(str(int(x))) - 1)
    return f"{round(x / digits) * digits:,.0f}"


PARSE_THRESHOLD = -1.5  # a transition this unlikely makes a sentence worth parsing
# Sentences spaCy parses at once: at 256, a clean of a 113,000-word book peaked 329 MiB higher.
PARSE_BATCH = 32


def _worth_parsing(sent: list[Token], found: list[Evidence]) -> bool:
    """Only sentences the cheap checks find suspicious go to spaCy (parsing is the slow part).

    Suspicious: some cheap evidence already, 'that ... to' (a clause that may have lost
    its verb), or a word transition that is unlikely in English.
    """
    if len(sent) < 4:
        return False
    if found:
        return True
    lowers = [t.lower for t in sent]
    for i in range(1, len(sent)):
        if lowers[i] == "to" and "that" in lowers[max(0, i - 3) : i]:
            return True
        prev, tok = sent[i - 1], sent[i]
        if prev.text == prev.word and prev.word.islower() and tok.word.islower() and tok.text[:1].isalpha():
            score = transition_logratio(prev.lower, tok.lower)
            if score is not None and score < PARSE_THRESHOLD:
                return True
    return False


def parse_evidence(
    text: str, spans: list[tuple[int, int]], model, profile: DocumentProfile = PLAIN
) -> list[Evidence]:
    """Grammar evidence from the tags and dependency parse of the given sentences."""
    found: list[Evidence] = []
    disable = [p for p in model.pipe_names if p not in ("tok2vec", "tagger", "parser", "attribute_ruler")]
    texts = (text[s:e] for s, e in spans)
    for (offset, _end), doc in zip(spans, model.pipe(texts, disable=disable, batch_size=PARSE_BATCH)):
        found += doc_evidence(doc, offset, profile)
    return found


FINITE = {"VBD", "VBZ", "VBP", "MD"}
SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"})
# Words tagged IN that introduce clauses or comparisons, where a participle may follow ("as stated").
NOT_PREPOSITIONS = frozenset(
    "as than like if when while until unless though although because since once whether "
    "that before after".split()
)


def _finite(verb) -> bool:
    """Whether a verb token is finite itself or through a finite auxiliary."""
    return verb.tag_ in FINITE or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE for c in verb.children
    )


class _Parsed:
    """One parsed sentence's non-space tokens, and spans of them in text coordinates."""

    def __init__(self, doc, offset: int):
        self.doc, self.offset = doc, offset
        self.toks = [t for t in doc if not t.is_space]
        self.position = {t.i: k for k, t in enumerate(self.toks)}

    def at(self, token) -> int:
        """A token's place among the non-space tokens."""
        return self.position.get(token.i, 0)

    def span(self, i: int, before: int = WINDOW, after: int = WINDOW) -> tuple[int, int]:
        toks = self.toks
        lo, hi = max(0, i - before), min(len(toks) - 1, i + after - 1)
        hi = max(hi, lo)
        return self.offset + toks[lo].idx, self.offset + toks[hi].idx + len(toks[hi].text)


def doc_evidence(doc, offset: int, profile: DocumentProfile = PLAIN) -> list[Evidence]:
    """Grammar evidence from one parsed sentence (a spaCy Doc), in text coordinates.

    Early modern and sparsely punctuated text (verse, old books) bends modern syntax
    ("gave him leave the rest"), so there the weaker structural cues only count
    alongside another.
    """
    modern_score = 0.25 if profile.is_early_modern or profile.sparse_punctuation else 0.5
    parsed = _Parsed(doc, offset)
    found = _adjacent_evidence(parsed)
    for tok in parsed.toks:
        found += _clause_evidence(parsed, tok)
        found += _attachment_evidence(parsed, tok, modern_score)
    found += _title_fragment_evidence(parsed)
    found += _subject_evidence(parsed, modern_score)
    found += _verb_run_evidence(parsed)
    return found


def _adjacent_evidence(parsed: _Parsed) -> list[Evidence]:
    """A function word or 'to' directly before a finite verb."""
    found, toks, span = [], parsed.toks, parsed.span
    for i in range(1, len(toks)):
        prev, tok = toks[i - 1], toks[i]
        if tok.tag_ in ("VBD", "VBZ") and prev.tag_ == "DT" and prev.lower_ in ("the", "a", "an", "every"):
            found.append(
                Evidence(
                    *span(i),
                    "function-word-before-verb",
                    f"'{prev.text}' directly before the verb '{tok.text}': words probably dropped "
                    "out between them",
                    0.5,
                )
            )
        if (
            prev.lower_ == "to"
            and prev.tag_ == "TO"
            and tok.tag_ in ("VBD", "VBZ", "VBG")
            and prev.dep_ == "aux"
        ):
            found.append(
                Evidence(
                    *span(i),
                    "to-infinitive",
                    f"'to' followed by '{tok.text}' ({'-ing' if tok.tag_ == 'VBG' else 'finite'} "
                    "verb): words probably missing after 'to'",
                    0.55,
                )
            )
    return found


def _clause_evidence(parsed: _Parsed, tok) -> list[Evidence]:
    """A clause without a finite verb, 'to' before a noun, a verb with two subjects."""
    found, doc, at, span = [], parsed.doc, parsed.at, parsed.span
    # A clause opened by 'that'/'because'... whose verb is not finite: "stated that cadres to take".
    if (
        tok.dep_ == "mark"
        and tok.lower_ in ("that", "because", "although", "though", "while", "if")
        and tok.head.tag_ in ("VB", "VBG")
        and any(c.dep_ == "nsubj" for c in tok.head.children)
        and not any(c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE for c in tok.head.children)
    ):
        i = at(tok.head)
        found.append(
            Evidence(
                *span(i, before=3, after=2),
                "clause-without-verb",
                f"the clause after '{tok.text}' has a subject but no finite verb: words probably dropped out",
                0.5,
            )
        )
    # 'to' after a verb that takes an infinitive, followed by a noun: "the need to attention".
    if (
        tok.lower_ == "to"
        and tok.i > 0
        and doc[tok.i - 1].lower_ in STRICT_HEADS
        and tok.i + 1 < len(doc)
        and (doc[tok.i + 1].tag_ in ("NN", "NNS", "DT", "PRP$", "VBG") or noun_not_verb(doc[tok.i + 1].text))
    ):
        i = at(tok)
        found.append(
            Evidence(
                *span(i, before=2, after=3),
                "to-infinitive",
                f"'{doc[tok.i - 1].text} to' followed by '{doc[tok.i + 1].text}': words probably "
                "missing after 'to'",
                0.55,
            )
        )
    subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    if (
        len(subjects) >= 2
        and tok.pos_ in ("VERB", "AUX")
        and not any(t.is_punct for t in doc[min(c.i for c in subjects) : max(c.i for c in subjects)])
    ):
        second = max(subjects, key=lambda c: c.i)
        i = at(second)
        found.append(
            Evidence(
                *span(i),
                "two-subjects",
                f"the verb '{tok.text}' has two subjects: words probably dropped out near '{second.text}'",
                0.25,
            )
        )
    return found


def _attachment_evidence(parsed: _Parsed, tok, modern_score: float) -> list[Evidence]:
    """Two objects with nothing joining them, a verb attached to nothing, a preposition before a verb."""
    found, doc, at, span = [], parsed.doc, parsed.at, parsed.span
    # A verb with two direct objects and nothing between them: "turn the focus on democracy
    # the largest concern" lost the words that tied the second object in.
    objects = [c for c in tok.children if c.dep_ == "dobj"]
    if len(objects) >= 2 and tok.pos_ in ("VERB", "AUX"):
        first, second = sorted(objects, key=lambda c: c.i)[:2]
        between = doc[first.i + 1 : second.left_edge.i]
        if not any(t.is_punct or t.pos_ == "CCONJ" for t in between):
            i = at(second.left_edge)
            found.append(
                Evidence(
                    *span(i),
                    "two-objects",
                    f"the verb '{tok.text}' has two objects ('{first.text}', '{second.text}') with "
                    "nothing joining them: words probably dropped out",
                    0.4,
                )
            )
    # A finite verb the parser could attach to nothing ('dep'): "was set for leadership
    # again urged the benefits".
    if tok.dep_ == "dep" and tok.tag_ in ("VBD", "VBZ", "VBP") and tok.i > 0 and not doc[tok.i - 1].is_punct:
        i = at(tok)
        found.append(
            Evidence(
                *span(i),
                "unattached-verb",
                f"the verb '{tok.text}' attaches to nothing in its sentence: words probably "
                "dropped out before it",
                modern_score,
            )
        )
    # A preposition directly before a past participle that is its object: "within coordinated with".
    if (
        tok.dep_ == "pcomp"
        and tok.tag_ in ("VBN", "VBD")
        and tok.i > 0
        and tok.head.i == tok.i - 1
        and tok.head.tag_ == "IN"
        and tok.head.lower_ not in NOT_PREPOSITIONS
    ):
        i = at(tok)
        found.append(
            Evidence(
                *span(i),
                "preposition-before-verb",
                f"the preposition '{tok.head.text}' directly before the verb '{tok.text}': words "
                "probably dropped out between them",
                modern_score,
            )
        )
    return found


def _title_fragment_evidence(parsed: _Parsed) -> list[Evidence]:
    """The last word of a title alone, after a lower-case noun: "head of the security Affairs"
    ("People's Commissariat of Internal Affairs" lost its beginning)."""
    found, toks, span = [], parsed.toks, parsed.span
    for i in range(1, len(toks)):
        prev, tok = toks[i - 1], toks[i]
        if (
            tok.tag_ == "NNPS"
            and tok.text[:1].isupper()
            and tok.text[1:].islower()
            and prev.tag_ in ("NN", "NNS")
            and prev.text.islower()
            and word_zipf(tok.lower_) >= 4.0
            and (i + 1 == len(toks) or not toks[i + 1].text[:1].isupper())
        ):
            found.append(
                Evidence(
                    *span(i),
                    "title-fragment",
                    f"'{tok.text}' is capitalised like the end of a name or title, but follows the "
                    f"common noun '{prev.text}': the title's first words probably dropped out",
                    0.5,
                )
            )
    return found


def _subject_evidence(parsed: _Parsed, modern_score: float) -> list[Evidence]:
    """A finite main verb with no subject after a comma: "... Kuybyshev, was removed as"."""
    doc, toks = parsed.doc, parsed.toks
    root = next((t for t in toks if t.dep_ == "ROOT"), None)
    if root is None or root.i <= 1 or not _finite(root) or any(c.dep_ in SUBJECTS for c in root.children):
        return []
    verb = min(
        [c for c in root.children if c.dep_ in ("aux", "auxpass") and c.i < root.i] + [root],
        key=lambda t: t.i,
    )
    if verb.i > 0 and doc[verb.i - 1].text == "," and not any(t.text == "," for t in doc[: verb.i - 1]):
        return [
            Evidence(
                *parsed.span(parsed.at(verb)),
                "verb-without-subject",
                f"the verb '{verb.text}' has no subject and follows a comma: the subject or "
                "words before it probably dropped out",
                modern_score,
            )
        ]
    return []


def _verb_run_evidence(parsed: _Parsed) -> list[Evidence]:
    """Two finite verbs in a row of words with no conjunction, relative word or punctuation between."""
    found, toks = [], parsed.toks
    last_finite = None
    for i, tok in enumerate(toks):
        if tok.is_punct or tok.pos_ in ("CCONJ", "SCONJ") or tok.tag_ in ("WDT", "WP", "WP$", "WRB"):
            last_finite = None
            continue
        if tok.tag_ in ("VBD", "VBZ", "VBP") and tok.dep_ not in ("aux", "auxpass"):
            if last_finite is not None and tok.dep_ in ("ROOT", "dep") and i - last_finite >= 2:
                found.append(
                    Evidence(
                        *parsed.span(i, before=2, after=1),
                        "verb-run",
                        f"two finite verbs ('{toks[last_finite].text}' ... '{tok.text}') with no "
                        "conjunction between them: words probably dropped out",
                        0.25,
                    )
                )
            last_finite = i
    return found


def _merge(text: str, evidence: list[Evidence]) -> list[FlagProposal]:
    """One flag per cluster of overlapping evidence; reasons joined, scores combined."""
    flags: list[FlagProposal] = []
    group: list[Evidence] = []
    end = -1

    def close() -> None:
        if not group:
            return
        s = min(e.start for e in group)
        e_ = max(e.end for e in group)
        miss = 1.0
        for ev in group:
            miss *= 1 - ev.score
        kinds = sorted({ev.evidence for ev in group})
        reasons = []
        for ev in sorted(group, key=lambda ev: -ev.score):
            if ev.reason not in reasons:
                reasons.append(ev.reason)
        flags.append(FlagProposal(s, e_, "gap", "; ".join(reasons), round(1 - miss, 3), {"evidence": kinds}))

    for ev in sorted(evidence, key=lambda ev: (ev.start, ev.end)):
        if ev.start >= end:
            close()
            group = []
        group.append(ev)
        end = max(end, ev.end)
    close()
    return flags
