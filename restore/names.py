"""Building a name dictionary from a corpus: harvest, cluster OCR variants, write for review.

A name candidate is a capitalised token that is not at a sentence start and is
not a common word written in lower case (the corpus never writes it lower-case,
and English does not use it often); with a trained spaCy pipeline installed,
entity tokens (PERSON, GPE, ORG, NORP, LOC, FAC) count too. The same document
given twice (same text, under any name) is counted once. Candidates are
counted, OCR variants are clustered with rapidfuzz ("Tukhachevsky",
"Tukhachevskv", "Tuchachevsky"), and the most frequent form of each cluster is
its canonical form.

A rarer form is a variant only when OCR explains the difference (letters read
for others, a confusion such as "in" for "m", a thin stroke gained or lost) and
no dictionary knows it as a word or name of its own: "Walker" is not a misread
"Walter", nor "Johnston" a misread "Johnson", nor "Irtish" an "Irish" with a
stray "t".

The file written is a dictionary file (see dictionaries/README.md) in sections,
each explained in its header:

- names: ``canonical<TAB>count<TAB>variants``, forms seen twice or more; the
  spelling stage protects canonical forms and corrects listed variants to them;
- proposed (``#? `` lines): forms seen once, too little evidence to tell a name
  from an OCR misreading; comments, so the spelling stage never reads them;
- misreadings (``#x `` lines): forms that read as an OCR misreading of a common
  word ("Wben" for "when", "Acoept" for "accept"), with that word; comments too;
- seen (``#! seen: `` lines): every form the builder ever wrote, so that
  ``merge`` can tell a line the reviewer deleted from a name never seen:
  deleted entries and removed variants stay out.

>>> clusters = cluster(Counter({"Tukhachevsky": 9, "Tukhachevskv": 2, "Tuchachevsky": 1, "Yagoda": 4}))
>>> [(c.canonical, c.count, c.variants) for c in clusters]
[('Tukhachevsky', 12, ('Tukhachevskv', 'Tuchachevsky')), ('Yagoda', 4, ())]
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from restore.files import InputError, collect_inputs, read_source, write_atomic
from restore.models import lexicon, nlp
from restore.models.confusions import CONFUSION_PAIRS
from restore.models.tokens import sentence_initial

_NAME = re.compile(r"(?<![\w’'-])[A-Z][a-zà-ÿ]+(?:['’][a-z]+)?(?:-[A-Z][a-zà-ÿ]+)*(?![\w-])")
_ENTITY_LABELS = frozenset({"PERSON", "GPE", "ORG", "NORP", "LOC", "FAC"})
_SEEN = "#! seen: "
_OLD_SEEN = "#! proposed: "  # what files written before the proposed section called the seen record
_PROPOSED = "#? "
_MISREAD = "#x "
_BUILDER = "## "  # the builder's own header lines, rewritten on every build
_OLD_HEADER = (
    "# Names harvested by `restore names build`: canonical<TAB>count<TAB>OCR variants.",
    "# Review: fix a canonical form, delete a line or a variant; `--merge` keeps your changes.",
)
MIN_COUNT = 2  # a form seen fewer times is proposed, not written as a name
KNOWN_ZIPF = 2.5  # a form this frequent in English (wordfreq) is a word or name of its own
COMMON_ZIPF = 3.0  # a misreading is one OCR confusion from a word at least this frequent
_THIN = frozenset("il1.,'’-")  # strokes OCR gains or loses


@dataclass(frozen=True)
class NameCluster:
    """One name: its canonical form, how often its forms were seen, and its OCR variants."""

    canonical: str
    count: int
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Misreading:
    """A candidate that reads as an OCR misreading of a common word ("Wben" for "when")."""

    form: str
    count: int
    word: str


@dataclass(frozen=True)
class Names:
    """What the builder found: names (seen twice or more), proposed (seen once), misreadings."""

    names: list[NameCluster]
    proposed: list[NameCluster]
    misreadings: list[Misreading]

    def forms(self) -> set[str]:
        clusters = (*self.names, *self.proposed)
        return {f for c in clusters for f in (c.canonical, *c.variants)} | {m.form for m in self.misreadings}


@dataclass
class BuildReport:
    """What `build` did, for the command line to report."""

    output: Path
    documents: int = 0
    duplicates: int = 0  # documents whose text was given before, counted once
    candidates: int = 0
    clusters: int = 0  # names written to the dictionary
    proposed: int = 0
    misreadings: int = 0
    kept_from_review: int = 0
    skipped_deleted: int = 0
    entities: bool = False
    failures: list[tuple[Path, str]] = field(default_factory=list)
    written: list[NameCluster] = field(default_factory=list)


def _possessive(form: str) -> str:
    return re.sub(r"['’]s$", "", form)


def harvest(texts: Iterable[str], spacy_model: str = "none") -> Counter:
    """Counts of name candidates over texts (see the module doc for the rule).

    >>> harvest(["The report of Yezhov and Frinovskii. Yezhov spoke; the party agreed with Yezhov."])
    Counter({'Yezhov': 3, 'Frinovskii': 1})
    """
    return _harvest(texts, spacy_model)[0]


def _harvest(texts: Iterable[str], spacy_model: str = "none") -> tuple[Counter, Counter]:
    """The candidates' counts, and the counts of every word written in lower case."""
    texts = list(texts)
    lower_uses: Counter = Counter()
    initial: Counter = Counter()
    inner: Counter = Counter()
    for text in texts:
        lower_uses.update(w for w in lexicon.WORD.findall(text) if w.islower())
        for m in _NAME.finditer(text):
            form = _possessive(m.group())
            if _at_sentence_start(text, m.start()):
                initial[form] += 1
            else:
                inner[form] += 1
    entities: Counter = Counter()
    nlp = _pipeline(spacy_model)
    if nlp is not None:
        for doc in nlp.pipe(texts, disable=[p for p in nlp.pipe_names if p not in ("ner", "tok2vec")]):
            for ent in doc.ents:
                if ent.label_ in _ENTITY_LABELS:
                    for tok in ent:
                        if tok.text[:1].isupper() and tok.text[1:].islower() and len(tok.text) > 2:
                            entities[_possessive(tok.text)] += 1
    counts: Counter = Counter()
    for form in set(inner) | set(entities):
        if len(form) < 3 or lower_uses[form.lower()] > 0:
            continue
        if form not in entities and max(lexicon.word_zipf(p.lower()) for p in form.split("-")) >= 5.0:
            continue  # a common word capitalised ("Party", "March")
        counts[form] = inner[form] + initial[form]
    return counts, lower_uses


def _pipeline(spacy_model: str):
    if spacy_model == "none":
        return None
    pipeline = nlp.load(spacy_model)
    if pipeline is None or "ner" not in pipeline.pipe_names:
        return None
    return pipeline


def _at_sentence_start(text: str, start: int) -> bool:
    return sentence_initial(text, start)


@lru_cache(maxsize=1)
def _shipped_names() -> frozenset[str]:
    path = lexicon.SHIPPED_DICTIONARIES / "names.txt"
    if not path.is_file():
        return frozenset()
    return frozenset(e.form for e in lexicon.parse_dictionary(path.read_text(encoding="utf-8")))


def known(form: str) -> bool:
    """Whether a form is a word or name in its own right: symspellpy's English words, a
    wordfreq frequency of at least ``KNOWN_ZIPF``, or the shipped names list.

    >>> known("Walker"), known("Johnston"), known("Walkcr"), known("Wben")
    (True, True, False, False)
    """
    lower = form.lower()
    return lower in lexicon.base_words() or lexicon.word_zipf(lower) >= KNOWN_ZIPF or form in _shipped_names()


def _multi_confusions() -> list[tuple[str, str]]:
    pairs = set()
    for a, b in CONFUSION_PAIRS:
        pairs.add((a, b))
        pairs.add((b, a))
    return sorted(pairs)


_CONFUSIONS = _multi_confusions()


def _replacements(form: str, canonical: str, allowed: int) -> bool:
    from rapidfuzz.distance import Levenshtein

    ops = Levenshtein.editops(form, canonical)
    if not 0 < len(ops) <= allowed:
        return False
    if all(op.tag == "replace" for op in ops):
        return True
    # A thin stroke gained or lost ("Chri,stian", "Wilson" for "Willson"), not at the ending:
    # an ending added or lost is another word form ("Ivanova" beside "Ivanov").
    for op in ops:
        if op.tag == "replace":
            continue
        char = form[op.src_pos] if op.tag == "delete" else canonical[op.dest_pos]
        if char.lower() not in _THIN or op.src_pos >= len(form) - 2:
            return False
    return True


def ocr_explains(form: str, canonical: str) -> bool:
    """Whether OCR damage explains a form as a misreading of canonical: up to one
    replaced letter (two for a long word), one confusion such as "in" for "m", or a thin
    stroke gained or lost; an ending added or lost or a letter like "t" inserted is not.

    >>> ocr_explains("Tukhachevskv", "Tukhachevsky"), ocr_explains("Christinas", "Christmas")
    (True, True)
    >>> ocr_explains("Irtish", "Irish"), ocr_explains("Ivanova", "Ivanov")
    (False, False)
    """
    if form[0].lower() != canonical[0].lower() or min(len(form), len(canonical)) < 5:
        return False
    allowed = 1 if len(canonical) < 8 else 2
    if _replacements(form, canonical, allowed):
        return True
    for a, b in _CONFUSIONS:
        if len(a) == len(b):
            continue
        start = form.find(a, 1)
        while start > 0:
            fixed = form[:start] + b + form[start + len(a) :]
            if fixed == canonical or (allowed > 1 and _replacements(fixed, canonical, allowed - 1)):
                return True
            start = form.find(a, start + 1)
    return False


def _variant_of(form: str, canonical: str) -> bool:
    """Whether a rarer form is an OCR variant of a canonical name, not another name or word."""
    return not known(form) and ocr_explains(form, canonical)


def misreading(form: str, lower_uses: Counter | None = None) -> str | None:
    """The common word an unknown form is one OCR confusion from, if any. With the
    corpus's lower-case word counts, the word must be written in lower case there too,
    so that a misread name ("Rockdale" beside "Rochdale") is not taken for one.

    >>> misreading("Wben"), misreading("Acoept"), misreading("Abundanoe"), misreading("Yagoda")
    ('when', 'accept', 'abundance', None)
    """
    if known(form) or "-" in form:
        return None
    lower = form.lower()
    best, best_zipf = None, COMMON_ZIPF
    for a, b in _CONFUSIONS:
        start = lower.find(a)
        while start >= 0:
            word = lower[:start] + b + lower[start + len(a) :]
            zipf = lexicon.word_zipf(word)
            in_corpus = lower_uses is None or lower_uses[word] > 0
            if zipf >= best_zipf and in_corpus and word in lexicon.base_words():
                best, best_zipf = word, zipf
            start = lower.find(a, start + 1)
    return best


def cluster(counts: Counter) -> list[NameCluster]:
    """Group OCR variants under the most frequent form (ties: alphabetical order)."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    groups: list[list[tuple[str, int]]] = []
    for form, n in ordered:
        for group in groups:
            if _variant_of(form, group[0][0]):
                group.append((form, n))
                break
        else:
            groups.append([(form, n)])
    return [
        NameCluster(g[0][0], sum(n for _f, n in g), tuple(f for f, _n in g[1:]))
        for g in sorted(groups, key=lambda g: (-sum(n for _f, n in g), g[0][0]))
    ]


def sort_names(counts: Counter, min_count: int = MIN_COUNT, lower_uses: Counter | None = None) -> Names:
    """Cluster the candidates, then set aside misreadings of common words and forms seen
    fewer than ``min_count`` times (proposed, for a reviewer).

    >>> found = sort_names(Counter({"Yagoda": 3, "Yagodo": 1, "Wben": 4, "Frinovskii": 1}))
    >>> [c.canonical for c in found.names], [c.canonical for c in found.proposed], found.misreadings
    (['Yagoda'], ['Frinovskii'], [Misreading(form='Wben', count=4, word='when')])
    """
    names, proposed, misreadings = [], [], []
    for c in cluster(counts):
        word = misreading(c.canonical, lower_uses)
        if word is not None:
            misreadings.append(Misreading(c.canonical, c.count, word))
            misreadings.extend(Misreading(v, counts[v], word) for v in c.variants)
        elif counts[c.canonical] < min_count:
            proposed.append(c)
        else:
            names.append(c)
    return Names(names, proposed, misreadings)


def header(documents: int, duplicates: int, candidates: int) -> list[str]:
    """The builder's header: what was read, and what each section of the file is."""
    twice = f" ({duplicates} given more than once, counted once)" if duplicates else ""
    return [
        f"## Names built by `restore names build` from {documents} document(s){twice}, "
        f"{candidates} candidate form(s).",
        "## Candidates: capitalised words not at a sentence start that English does not use as common words.",
        "## The sections, in order:",
        "## names: canonical<TAB>count<TAB>OCR variants, one name a line, forms seen twice or more.",
        "##   `restore clean --names FILE` protects each canonical form as written and corrects its",
        "##   variants to it. A variant is a rarer form that OCR damage explains and that no dictionary",
        "##   knows as a word or name of its own. Review: fix a form, delete a line or a variant.",
        f"## proposed ('{_PROPOSED.strip()}' lines): forms seen once, same columns. Not used by restore: one",
        "##   sighting cannot tell a name from an OCR misreading. To accept one, delete its '#? '.",
        f"## misreadings ('{_MISREAD.strip()}' lines): form<TAB>count<TAB>(word): forms that read as an OCR",
        "##   misreading of a common word ('Wben' for 'when'). Not used. To keep one as a name,",
        "##   delete its '#x ' and its third column.",
        f"## seen ('{_SEEN.strip()}' lines): every form the builder has written here, so that `--merge`",
        "##   keeps out what you deleted. Leave these lines as they are.",
        "## Lines starting '## ' are rewritten by every build; your own '# ' comments are kept.",
    ]


def _line(c: NameCluster) -> str:
    line = f"{c.canonical}\t{c.count}"
    if c.variants:
        line += "\t" + ", ".join(c.variants)
    return line


def render(
    clusters: Iterable[NameCluster],
    seen: Iterable[str],
    header: list[str] | None = None,
    proposed: Iterable[NameCluster] = (),
    misreadings: Iterable[Misreading] = (),
) -> str:
    """The reviewable file: header comments, the names, the proposed, the misreadings, the seen record."""
    lines = list(header or [])
    lines += [_line(c) for c in clusters]
    lines += [_PROPOSED + _line(c) for c in proposed]
    lines += [f"{_MISREAD}{m.form}\t{m.count}\t({m.word})" for m in misreadings]
    forms = sorted(set(seen))
    for i in range(0, len(forms), 12):
        lines.append(_SEEN + " | ".join(forms[i : i + 12]))
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class NamesFile:
    """A names file as read back: the reviewer's comments, the entries, the commented sections."""

    comments: list[str]
    entries: list[NameCluster]
    proposed: list[NameCluster]
    misreadings: list[Misreading]
    seen: set[str]


def read_file(text: str) -> NamesFile:
    """Read a names file (this builder's, an older one, or one edited by hand)."""
    comments, proposed, misreadings, seen = [], [], [], set()
    for line in text.splitlines():
        for mark in (_SEEN, _OLD_SEEN):
            if line.startswith(mark):
                seen.update(f.strip() for f in line[len(mark) :].split("|") if f.strip())
                break
        else:
            if line.startswith(_PROPOSED):
                proposed += [
                    NameCluster(e.form, e.count, e.variants) for e in lexicon.parse_dictionary(line[3:])
                ]
            elif line.startswith(_MISREAD):
                for e in lexicon.parse_dictionary(line[3:]):
                    misreadings.append(Misreading(e.form, e.count, ",".join(e.variants).strip("()")))
            elif line.startswith(_BUILDER) or line in _OLD_HEADER:
                continue
            elif line.startswith("#"):
                comments.append(line)
    entries = [NameCluster(e.form, e.count, e.variants) for e in lexicon.parse_dictionary(text)]
    return NamesFile(comments, entries, proposed, misreadings, seen)


def read(text: str) -> tuple[list[str], list[NameCluster], set[str]]:
    """A names file's own comments, its entries (as the reviewer left them) and the seen record."""
    parsed = read_file(text)
    return parsed.comments, parsed.entries, parsed.seen


def merge(
    existing: str, fresh: list[NameCluster] | Names, head: list[str] | None = None
) -> tuple[str, int, int]:
    """Merge a new build into a reviewed file; returns the text, entries kept and deletions honoured.

    A fresh cluster that shares a form with an entry updates it (count: the larger;
    new variants added unless the reviewer removed them before); one whose forms
    were written before but are in no entry and in no commented section was deleted
    by the reviewer and stays out. The proposed and misreading sections are rebuilt
    from the fresh build, less what the reviewer deleted or accepted.
    """
    if not isinstance(fresh, Names):
        fresh = Names(list(fresh), [], [])
    old = read_file(existing)
    commented = {f for c in old.proposed for f in (c.canonical, *c.variants)} | {
        m.form for m in old.misreadings
    }
    deleted = old.seen - commented
    by_form: dict[str, int] = {}
    for i, e in enumerate(old.entries):
        for f in (e.canonical, *e.variants):
            by_form[f] = i
        deleted -= {e.canonical, *e.variants}
    updated = list(old.entries)
    added: list[NameCluster] = []
    skipped = 0
    for c in fresh.names:
        forms = (c.canonical, *c.variants)
        hit = next((by_form[f] for f in forms if f in by_form), None)
        if hit is not None:
            e = updated[hit]
            have = {e.canonical, *e.variants}
            new = tuple(f for f in forms if f not in have and f not in deleted and f not in by_form)
            updated[hit] = NameCluster(e.canonical, max(e.count, c.count), e.variants + new)
            for f in new:
                by_form[f] = hit
        elif c.canonical in deleted:
            skipped += 1
        else:
            kept = tuple(v for v in c.variants if v not in deleted and v not in by_form)
            added.append(NameCluster(c.canonical, c.count, kept))
    proposed = [c for c in fresh.proposed if c.canonical not in by_form and c.canonical not in deleted]
    misreadings = [m for m in fresh.misreadings if m.form not in by_form and m.form not in deleted]
    seen = old.seen | fresh.forms()
    text = render(updated + added, seen, (head or []) + old.comments, proposed, misreadings)
    return text, len(old.entries), skipped


def read_corpus(corpus: Iterable[str | Path]) -> tuple[list[str], int, list[tuple[Path, str]]]:
    """The texts of files or folders of *.txt, each distinct text once; the number of
    duplicates left out; and the inputs that could not be read, with the reason."""
    items, problems = collect_inputs(corpus)
    failures = list(problems)
    texts, digests, duplicates = [], set(), 0
    for item in items:
        try:
            text = read_source(item.path).text
        except InputError as error:
            failures.append((item.path, str(error)))
            continue
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        if digest in digests:
            duplicates += 1
            continue
        digests.add(digest)
        texts.append(text)
    return texts, duplicates, failures


def build(
    corpus: Iterable[str | Path],
    output: str | Path,
    merge_existing: bool = False,
    spacy_model: str = "none",
    min_count: int = MIN_COUNT,
) -> BuildReport:
    """Harvest names from files or folders of *.txt and write (or merge into) a names file."""
    output = Path(output)
    texts, duplicates, failures = read_corpus(corpus)
    counts, lower_uses = _harvest(texts, spacy_model)
    found = sort_names(counts, min_count, lower_uses)
    report = BuildReport(
        output,
        documents=len(texts) + duplicates,
        duplicates=duplicates,
        candidates=len(counts),
        clusters=len(found.names),
        proposed=len(found.proposed),
        misreadings=len(found.misreadings),
        entities=_pipeline(spacy_model) is not None,
        failures=failures,
    )
    head = header(len(texts) + duplicates, duplicates, len(counts))
    if merge_existing and output.exists():
        text, kept, skipped = merge(output.read_text(encoding="utf-8"), found, head)
        report.kept_from_review, report.skipped_deleted = kept, skipped
    else:
        text = render(found.names, found.forms(), head, found.proposed, found.misreadings)
    write_atomic(output, text)
    report.written = found.names
    return report
