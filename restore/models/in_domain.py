"""In-domain word trigrams: a collection's own text, mixed into the book model.

The shipped KenLM models (``models.lm``) learned English from books. Newspapers say other
things ("per cent", "the upset price", "the said defendant"), and a corrector that judges a
newspaper's words does better knowing how newspapers go on. The ground truth that
``restore learn`` reads is such text: it writes the trigram counts of the collection's ground
truth (``ngrams.tsv.gz``) and the share they get (``in_domain.json``: the weight under which
the pairs' held-out folds read likeliest), and ``restore clean --model DIR`` mixes an
interpolated Kneser-Ney trigram over them with the book model, token by token:
P = (1 - w) P_books + w P_domain. Without a learned folder the book model reads alone: mixed
with BLN600's newspapers by default, icdar2017-en's books lost 2% of their fixes
(BENCHMARKS.md, "In-domain trigrams").

>>> counts = trigram_counts([["the", "upset", "price"], ["the", "upset", "price", "of"]])
>>> model = DomainTrigrams.from_counts(counts)
>>> model.log10_probs(["the", "upset", "price"])[2] > model.log10_probs(["the", "upset", "value"])[2]
True
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from restore.models import lexicon
from restore.models.lm import LanguageModel, lm_sentences

COUNTS_NAME = "ngrams.tsv.gz"  # a ``restore learn`` folder's in-domain counts
WEIGHT_NAME = "in_domain.json"  # ... and the share they get
DISCOUNT = 0.75  # Kneser-Ney's absolute discount (the usual value for small counts)
WEIGHTS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)  # the shares tried on the held-out folds
# Below this much ground truth the trigrams read no better: learned on 20 and 60 of BLN600's
# articles (11k and 34k tokens) they cost fold 0 16 and 20 fixes, on 160 (91k) they gained 76
# (BENCHMARKS.md, "In-domain trigrams"), although the held-out perplexity fell with all three.
MIN_TOKENS = 60_000
BOS, EOS = "<s>", "</s>"
SCORES_KEPT = 200_000  # mixed sequence scores kept per model (some tens of MB), then all forgotten at once


def padded(tokens: Sequence[str], bos: bool = True, eos: bool = True) -> list[str]:
    """A sentence as the trigrams read it: two <s> before it with bos, </s> after it with eos."""
    return [*([BOS, BOS] if bos else []), *tokens, *([EOS] if eos else [])]


def trigram_counts(sentences: Iterable[Sequence[str]], known: Callable[[str], bool] | None = None) -> Counter:
    """Counts of every trigram "u v w" of the sentences, each padded with two <s> and one </s>;
    with `known`, only of trigrams whose words it knows (padding aside)."""
    counts: Counter = Counter()
    for tokens in sentences:
        seq = padded(tokens)
        good = [known is None or t in (BOS, EOS) or known(t) for t in seq]
        for i in range(2, len(seq)):
            if good[i - 2] and good[i - 1] and good[i]:
                counts[" ".join(seq[i - 2 : i + 1])] += 1
    return counts


def known_trigram_counts(texts: Iterable[str], known: Callable[[str], bool]) -> Counter:
    """Trigram counts of plain texts whose words are all `known`: the junk and the names a
    cleaned collection left as printed teach no context."""
    return trigram_counts((tokens for text in texts for tokens in sentences_of(text)), known)


def sentences_of(text: str) -> Iterator[list[str]]:
    """A plain text's sentences as token lists, split into paragraphs and sentences as the book model's training text was."""
    for para in text.split("\n\n"):
        yield from lm_sentences(" ".join(para.split()))


def text_counts(texts: Iterable[str]) -> Counter:
    """Trigram counts of plain texts."""
    return trigram_counts(tokens for text in texts for tokens in sentences_of(text))


def save_counts(counts: Counter, path: str | Path) -> None:
    """One "u v w<TAB>count" line a trigram, most frequent first, gzip'd (mtime 0: the same bytes each build)."""
    lines = "".join(f"{g}\t{n}\n" for g, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(lines.encode("utf-8"))


def read_counts(path: str | Path) -> Counter:
    path = Path(path)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as src:
            rows = [line.rstrip("\n").rsplit("\t", 1) for line in src]
        return Counter({g: int(n) for g, n in rows})
    except (OSError, ValueError, EOFError) as error:
        raise ValueError(f"{path}: not trigram counts ({error})") from error


class DomainTrigrams:
    """An interpolated Kneser-Ney trigram (absolute discount DISCOUNT), as probability tables:
    a seen n-gram's interpolated probability, and each seen context's back-off mass."""

    def __init__(self, tables: tuple[dict, dict, dict, dict, dict, float]):
        self.trigrams, self.contexts2, self.bigrams, self.contexts1, self.unigrams, self.unseen = tables

    @classmethod
    def from_counts(cls, counts: Counter, discount: float = DISCOUNT) -> DomainTrigrams:
        c2: Counter = Counter()  # c(u v .)
        n3: Counter = Counter()  # N1+(u v .)
        cont2: Counter = Counter()  # N1+(. v w)
        for gram, n in counts.items():
            u, v, w = gram.split(" ")
            c2[f"{u} {v}"] += n
            n3[f"{u} {v}"] += 1
            cont2[f"{v} {w}"] += 1
        c1: Counter = Counter()
        n2: Counter = Counter()
        cont1: Counter = Counter()
        for gram, n in cont2.items():
            v, w = gram.split(" ")
            c1[v] += n
            n2[v] += 1
            cont1[w] += 1
        # Unigrams by continuation counts, with half a count for every form, seen or not.
        total = sum(cont1.values()) + 0.5 * (len(cont1) + 1)
        unigrams = {w: (n + 0.5) / total for w, n in cont1.items()}
        unseen = 0.5 / total
        contexts1 = {v: discount * n2[v] / c for v, c in c1.items()}
        bigrams = {}
        for gram, n in cont2.items():
            v, w = gram.split(" ")
            bigrams[gram] = (n - discount) / c1[v] + contexts1[v] * unigrams.get(w, unseen)
        contexts2 = {ctx: discount * n3[ctx] / c for ctx, c in c2.items()}
        model = cls(({}, contexts2, bigrams, contexts1, unigrams, unseen))
        trigrams = {}
        for gram, n in counts.items():
            u, v, w = gram.split(" ")
            ctx = f"{u} {v}"
            trigrams[gram] = (n - discount) / c2[ctx] + contexts2[ctx] * model.p2(v, w)
        model.trigrams = trigrams
        return model

    def tables(self) -> tuple[dict, dict, dict, dict, dict, float]:
        return (self.trigrams, self.contexts2, self.bigrams, self.contexts1, self.unigrams, self.unseen)

    def p1(self, w: str) -> float:
        return self.unigrams.get(w, self.unseen)

    def p2(self, v: str, w: str) -> float:
        p = self.bigrams.get(f"{v} {w}")
        if p is not None:
            return p
        mass = self.contexts1.get(v)
        return self.p1(w) if mass is None else mass * self.p1(w)

    def p3(self, u: str, v: str, w: str) -> float:
        p = self.trigrams.get(f"{u} {v} {w}")
        if p is not None:
            return p
        mass = self.contexts2.get(f"{u} {v}")
        return self.p2(v, w) if mass is None else mass * self.p2(v, w)

    def p_at(self, seq: Sequence[str], j: int) -> float:
        """P of seq[j] given the (up to two) forms before it in `seq`."""
        if j >= 2:
            return self.p3(seq[j - 2], seq[j - 1], seq[j])
        return self.p2(seq[0], seq[1]) if j else self.p1(seq[0])

    def probs(self, tokens: Sequence[str], bos: bool = True, eos: bool = True) -> list[float]:
        """P of each token (and of </s> when eos) given the ones before, as KenLM reads them:
        without bos the first token has no context."""
        seq = padded(tokens, bos, eos)
        return [self.p_at(seq, j) for j in range(2 if bos else 0, len(seq))]

    def log10_probs(self, tokens: Sequence[str], bos: bool = True, eos: bool = True) -> list[float]:
        return [math.log10(p) for p in self.probs(tokens, bos, eos)]


class MixedLanguageModel:
    """The book model and in-domain trigrams mixed token by token; reads as a ``LanguageModel``
    (score, known, token_scores). Which forms are words stays the book model's call."""

    def __init__(
        self, books: LanguageModel, domain: DomainTrigrams, weight: float, text: str = "its own text"
    ):
        self.books, self.domain, self.weight = books, domain, weight
        # What a reason calls it: the books' model and what `text` names, at its share.
        self.named = f"{books.named} and {text} (a share of {weight:.0%})"
        self.path = books.path  # what is cached per model (the vocabulary) depends on the books' alone
        self.order = books.order
        self.known = books.known
        self._scores: dict[tuple[str, bool, bool], float] = {}

    def _mixed(self, tokens: list[str], bos: bool, eos: bool) -> list[tuple[float, int]]:
        """A form the in-domain text never has keeps the books' probability: the trigrams' mass
        for unseen forms is the same for every form, junk and words alike, and mixed in it
        would make "tlie" as likely as a rare word (BENCHMARKS.md: corrections lost). So the
        mixture is no longer quite a distribution; what the channel compares, readings of one
        place, it ranks as the book model and the collection's text together say."""
        w, keep = self.weight, 1.0 - self.weight
        domain = self.domain
        seen = domain.unigrams
        joined = " ".join(tokens)
        tokens = joined.split()  # a reading of two words ("vv hero") is two tokens, as KenLM reads it
        seq = padded(tokens, bos, eos)
        at = 2 if bos else 0  # where the first token stands in `seq`
        out = []
        for i, (lp, n, _oov) in enumerate(self.books.model.full_scores(joined, bos=bos, eos=eos)):
            if seq[i + at] in seen:  # the trigrams asked only where they count
                lp = math.log10(keep * 10.0**lp + w * domain.p_at(seq, i + at))
            out.append((lp, n))
        return out

    def score(self, joined: str, bos: bool = True, eos: bool = True) -> float:
        """log10 P of a space-joined token sequence (the channel asks about the same few words
        again for each reading and each round: kept)."""
        key = (joined, bos, eos)
        value = self._scores.get(key)
        if value is None:
            if len(self._scores) >= SCORES_KEPT:
                self._scores.clear()
            value = self._scores[key] = sum(lp for lp, _n in self._mixed([joined], bos, eos))
        return value

    def token_scores(self, tokens: list[str], bos: bool = True, eos: bool = True) -> list[tuple[float, int]]:
        """(log10 P, the book model's n-gram length) for each token, and for </s> when eos."""
        return self._mixed(tokens, bos, eos)


def held_out_perplexities(
    books: LanguageModel, folds: Iterable[tuple[DomainTrigrams, Iterable[str]]]
) -> dict[float, float]:
    """Per-token perplexity of each fold's held-out texts under each share of WEIGHTS, read as
    the corrector reads (``MixedLanguageModel``), the trigrams learned without that fold's
    texts: how much the collection's own text helps."""
    logs = {w: 0.0 for w in WEIGHTS}
    tokens = 0
    for domain, texts in folds:
        mixtures = [MixedLanguageModel(books, domain, w) for w in WEIGHTS]
        for text in texts:
            for sentence in sentences_of(text):
                for mixed in mixtures:
                    logs[mixed.weight] += sum(lp for lp, _n in mixed.token_scores(sentence))
                tokens += len(sentence) + 1  # and </s>
    return {w: 10.0 ** (-v / max(tokens, 1)) for w, v in logs.items()}


def tokens_of(counts: Counter) -> int:
    """How many tokens the counted text had: each ends one trigram, as does each sentence's </s>."""
    return sum(n for g, n in counts.items() if not g.endswith(EOS))


def save_domain(
    counts: Counter,
    perplexities: dict[float, float],
    model_dir: str | Path,
    min_tokens: int | None = None,
    source: str = "ground truth",
) -> float:
    """Write a learned folder's trigram counts and the share under which its held-out folds
    read likeliest: 0, the book model reading alone, when they gain nothing or the text is
    under `min_tokens` (MIN_TOKENS by default). `source` says what text they were counted over."""
    min_tokens = MIN_TOKENS if min_tokens is None else min_tokens
    model_dir = Path(model_dir)
    save_counts(counts, model_dir / COUNTS_NAME)
    tokens = tokens_of(counts)
    best = min(perplexities, key=lambda w: (perplexities[w], w)) if perplexities else 0.0
    weight = best if tokens >= min_tokens else 0.0
    record = {
        "weight": weight,
        "source": source,
        "tokens": tokens,
        "min_tokens": min_tokens,
        "held_out_perplexity": {str(w): round(v, 2) for w, v in perplexities.items()},
    }
    (model_dir / WEIGHT_NAME).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return weight


@lru_cache(maxsize=4)
def load_domain(path: str | Path) -> DomainTrigrams:
    """In-domain trigrams from a counts file, their tables kept in the cache folder (built once: about a second)."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no trigram counts there")
    key = f"{path.resolve()}-{path.stat().st_size}-{path.stat().st_mtime_ns}-{DISCOUNT}"
    return DomainTrigrams(
        lexicon._cached(
            "domain-trigrams", key, lambda: DomainTrigrams.from_counts(read_counts(path)).tables()
        )
    )


def language_model(books: LanguageModel, model_dir: str | Path | None) -> LanguageModel | MixedLanguageModel:
    """The book model, mixed with a ``restore learn`` folder's own trigrams where it has them
    and its held-out folds gave them a share."""
    if not model_dir or not (Path(model_dir) / WEIGHT_NAME).is_file():
        return books
    path = Path(model_dir) / WEIGHT_NAME
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        weight, source = float(record["weight"]), record.get("source", "ground truth")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"{path}: not an in-domain weight ({error})") from error
    if weight <= 0:
        return books
    text = "this collection's corrected pages" if source == "ground truth" else "this collection's own text"
    return MixedLanguageModel(books, load_domain(Path(model_dir) / COUNTS_NAME), weight, text)
