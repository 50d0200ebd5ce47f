"""Building a name dictionary from a corpus: harvest, cluster OCR variants, write for review.

A name candidate is a capitalised token that is not at a sentence start and is
not a common word written in lower case (the corpus never writes it lower-case,
and English does not use it often); with a trained spaCy pipeline installed,
entity tokens (PERSON, GPE, ORG, NORP, LOC, FAC) count too. Candidates are
counted, OCR variants are clustered with rapidfuzz ("Tukhachevsky",
"Tukhachevskv", "Tuchachevsky"), and the most frequent form of each cluster is
its canonical form. The file written is a dictionary file (see
dictionaries/README.md): ``canonical<TAB>count<TAB>variants``, one cluster a
line, for a reviewer to edit. The spelling stage protects canonical forms and
corrects listed variants to them.

Every form the builder ever proposed is remembered at the end of the file
(``#! proposed:`` lines), so that ``merge`` can tell a line the reviewer deleted
from a name never seen: deleted entries and removed variants stay out.

>>> clusters = cluster(Counter({"Tukhachevsky": 9, "Tukhachevskv": 2, "Tuchachevsky": 1, "Yagoda": 4}))
>>> [(c.canonical, c.count, c.variants) for c in clusters]
[('Tukhachevsky', 12, ('Tukhachevskv', 'Tuchachevsky')), ('Yagoda', 4, ())]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from restore.files import InputError, collect_inputs, read_source, write_atomic
from restore.models import lexicon, nlp
from restore.models.tokens import sentence_initial

_NAME = re.compile(r"(?<![\w’'-])[A-Z][a-zà-ÿ]+(?:['’][a-z]+)?(?:-[A-Z][a-zà-ÿ]+)*(?![\w-])")
_ENTITY_LABELS = frozenset({"PERSON", "GPE", "ORG", "NORP", "LOC", "FAC"})
_PROPOSED = "#! proposed: "


@dataclass(frozen=True)
class NameCluster:
    """One name: its canonical form, how often its forms were seen, and its OCR variants."""

    canonical: str
    count: int
    variants: tuple[str, ...] = ()


@dataclass
class BuildReport:
    """What `build` did, for the command line to report."""

    output: Path
    documents: int = 0
    candidates: int = 0
    clusters: int = 0
    kept_from_review: int = 0
    skipped_deleted: int = 0
    entities: bool = False
    written: list[NameCluster] = field(default_factory=list)


def _possessive(form: str) -> str:
    return re.sub(r"['’]s$", "", form)


def harvest(texts: Iterable[str], spacy_model: str = "none") -> Counter:
    """Counts of name candidates over texts (see the module doc for the rule).

    >>> harvest(["The report of Yezhov and Frinovskii. Yezhov spoke; the party agreed with Yezhov."])
    Counter({'Yezhov': 3, 'Frinovskii': 1})
    """
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
    return counts


def _pipeline(spacy_model: str):
    if spacy_model == "none":
        return None
    pipeline = nlp.load(spacy_model)
    if pipeline is None or "ner" not in pipeline.pipe_names:
        return None
    return pipeline


def _at_sentence_start(text: str, start: int) -> bool:
    return sentence_initial(text, start)


def _variant_of(form: str, canonical: str) -> bool:
    """Whether a rarer form is an OCR variant of a canonical name, not another name or word form."""
    from rapidfuzz.distance import Levenshtein

    if form[0].lower() != canonical[0].lower() or min(len(form), len(canonical)) < 5:
        return False
    allowed = 1 if len(canonical) < 8 else 2
    ops = Levenshtein.editops(form, canonical)
    if not 0 < len(ops) <= allowed:
        return False
    # An ending added or lost is another word form ("Ivanova" beside "Ivanov"), not OCR damage.
    return not any(op.tag != "replace" and op.src_pos >= len(form) - 2 for op in ops)


def cluster(counts: Counter) -> list[NameCluster]:
    """Group OCR variants under the most frequent form (ties: the form a dictionary knows, then order)."""
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


def render(clusters: Iterable[NameCluster], proposed: Iterable[str], header: list[str] | None = None) -> str:
    """The reviewable file: header comments, one cluster a line, then the proposed-forms record."""
    lines = header or [
        "# Names harvested by `restore names build`: canonical<TAB>count<TAB>OCR variants.",
        "# Review: fix a canonical form, delete a line or a variant; `--merge` keeps your changes.",
    ]
    for c in clusters:
        line = f"{c.canonical}\t{c.count}"
        if c.variants:
            line += "\t" + ", ".join(c.variants)
        lines.append(line)
    forms = sorted(set(proposed))
    for i in range(0, len(forms), 12):
        lines.append(_PROPOSED + " | ".join(forms[i : i + 12]))
    return "\n".join(lines) + "\n"


def read(text: str) -> tuple[list[str], list[NameCluster], set[str]]:
    """A names file's header comments, its entries (as the reviewer left them) and the proposed record."""
    header, proposed = [], set()
    for line in text.splitlines():
        if line.startswith(_PROPOSED):
            proposed.update(f.strip() for f in line[len(_PROPOSED) :].split("|") if f.strip())
        elif line.startswith("#"):
            header.append(line)
    entries = [NameCluster(e.form, e.count, e.variants) for e in lexicon.parse_dictionary(text)]
    return header, entries, proposed


def merge(existing: str, fresh: list[NameCluster]) -> tuple[str, int, int]:
    """Merge new clusters into a reviewed file; returns the text, entries kept and deletions honoured.

    A fresh cluster that shares a form with an entry updates it (count: the larger;
    new variants added unless the reviewer removed them before); one whose forms
    were proposed before but are in no entry was deleted by the reviewer and stays out.
    """
    header, entries, proposed = read(existing)
    by_form: dict[str, int] = {}
    for i, e in enumerate(entries):
        for f in (e.canonical, *e.variants):
            by_form[f] = i
    updated = list(entries)
    added: list[NameCluster] = []
    skipped = 0
    for c in fresh:
        forms = (c.canonical, *c.variants)
        hit = next((by_form[f] for f in forms if f in by_form), None)
        if hit is not None:
            e = updated[hit]
            have = {e.canonical, *e.variants}
            new = tuple(f for f in forms if f not in have and f not in proposed)
            updated[hit] = NameCluster(e.canonical, max(e.count, c.count), e.variants + new)
            for f in new:
                by_form[f] = hit
        elif c.canonical in proposed:
            skipped += 1
        else:
            kept = tuple(v for v in c.variants if v not in proposed)
            added.append(NameCluster(c.canonical, c.count, kept))
    all_proposed = proposed | {f for c in fresh for f in (c.canonical, *c.variants)}
    return render(updated + added, all_proposed, header or None), len(entries), skipped


def build(
    corpus: Iterable[str | Path], output: str | Path, merge_existing: bool = False, spacy_model: str = "none"
) -> BuildReport:
    """Harvest names from files or folders of *.txt and write (or merge into) a names file."""
    output = Path(output)
    items, _problems = collect_inputs(corpus)
    texts = []
    for item in items:
        try:
            texts.append(read_source(item.path).text)
        except InputError:
            continue
    counts = harvest(texts, spacy_model)
    clusters = cluster(counts)
    report = BuildReport(
        output,
        documents=len(texts),
        candidates=len(counts),
        clusters=len(clusters),
        entities=_pipeline(spacy_model) is not None,
    )
    if merge_existing and output.exists():
        text, kept, skipped = merge(output.read_text(encoding="utf-8"), clusters)
        report.kept_from_review, report.skipped_deleted = kept, skipped
    else:
        text = render(clusters, {f for c in clusters for f in (c.canonical, *c.variants)})
    write_atomic(output, text)
    report.written = clusters
    return report
