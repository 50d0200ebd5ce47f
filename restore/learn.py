"""Learning a collection's own OCR error model from a few corrected pages (``restore learn``).

A collection scanned by another OCR engine misreads other letters; a few pages with their
human transcription are enough to learn its confusions. The folder this writes is what
``restore clean --model DIR`` reads:

- ``channel.json``: the error model (see ``restore.models.channel``): the pairs' confusions on
  top of the shipped model's, which count as ``PRIOR_WORDS`` aligned words;
- ``calibration.json``: with ``calibrate`` only (the shipped calibration's build and the
  held-out benchmarks), how far to trust the channel's decisions, learned out of fold, when the
  pairs give at least 50 right and 50 wrong candidates for both known and unknown printed forms;
  a collection's folder has none, and the shipped calibration serves;
- ``lone_letters.json``: how often a lone letter between words, which no short word could have
  been, is a speck the truth lacks (``models.lone_letters``), where the pairs print at least 50;
- ``words.tsv``: the ground truth's words no word list of English has (its names and terms),
  with their counts, so that they are known (``collection_words``);
- ``ngrams.tsv.gz`` and ``in_domain.json``: the ground truth's word trigrams and the share of
  each word's probability they get beside the book model (``models.in_domain``), the one under
  which the held-out folds read likeliest; the calibration's folds each read with the trigrams
  of the other folds, mixed so.

Without ground truth (``learn_from_ocr``), a collection still shows its OCR engine's habits:
the confusions of the corrections the shipped model is sure of, counted over the whole
collection, become the collection's own rates in ``channel.json`` (the shipped calibration
serves), the way one document teaches its own ('U' for 'll').
"""

from __future__ import annotations

import functools
import json
import math
import re
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Indel, Levenshtein

from . import engines
from .config import Config
from .evaluate import Normalization, pair_files
from .files import Input, InputError, read_source
from .models import channel, in_domain, lexicon, lone_letters
from .models.lm import TOKEN, lm_form, load_language_model
from .models.net import train_tanh_net
from .models.noisy_channel import (
    CALIBRATION_MONOTONE,
    FEATURES,
    STRAY_MARKS,
    calibration_inputs,
    in_marked_word,
)
from .stages import in_context

_WORD_SPAN = re.compile(r"\S+")
_OUTER_PUNCT = re.compile(r"^\W+|\W+$")
# The shipped model's confusions count as this many aligned words of a collection's own pages
# (``channel.with_prior``): learned from five of icdar2017-en's files alone (about 1,400 words),
# a folder cleaned the rest of the set worse than the shipped model (BENCHMARKS.md, "restore
# learn on half a collection").
PRIOR_WORDS = 20_000
BYTES_PER_WORD = 6  # a word and its space in English text, for sampling a collection by file size
# A collection's OCR alone (learn_from_ocr) teaches by the readings one other word explains with this
# share, each confusion seen this often: a lower bar than one document's (in_context.ADAPT_SHARE 0.9,
# ADAPT_MIN 3), for a collection's wrong readings scatter over many confusions and its engine's habits
# add up. 0.8 and 2 against 0.9 and 3: overproof-smh 3,971 / 36 against 3,930 / 36, icdar2017-en
# 9,143 / 356 against 9,096 / 356, BLN600 folds as good or better; 0.7 and 3 introduced 52 on SMH.
COLLECTION_SHARE = 0.8
COLLECTION_MIN = 2
# Parts of a collection's files, each read with the others' trigrams to choose their share
# (``learn_collection_text``); a collection of fewer files gives its trigrams none. No floor of
# tokens as for ground truth (in_domain.MIN_TOKENS): samples of BLN600 of 10 to 48 files (5,000 to
# 25,000 words) each gained (BENCHMARKS.md, "A collection's own text as trigrams").
TEXT_FOLDS = 5
# A word the collection's cleaning changed or flagged in at least this share of its prints is the
# engine's misprint of another ("tho" for 'the' on SMH's pages), though the books know it: the
# prints left teach no context (``learn_collection_text``).
MISPRINT_SHARE = 0.5
# Words each side of a lone letter whose errors against the truth tell whether it was a speck
# (``lone_letter_rates``).
LONE_LETTER_CONTEXT = 10
MIN_SIMILARITY = 0.25  # letters an OCR word must share with the truth it is paired with
# Letters a printed non-word must have in place (Levenshtein, the share of the longer word) with
# the truth it is paired with for the pair to label a decision. Below it the alignment paired them
# by position in a garbled stretch ("tme" with 'gone', "reat" with 'distress', "Opcn" with 'who'):
# on BLN600's decision rows 984 such labels of non-words said wrong and 1 right, and the calibration
# learned to distrust readings like "Opcn" 'open'. A printed word keeps every label: real-word
# corrections are where an edit introduces errors, and there a mislabel errs on the side of caution
# (BENCHMARKS.md, "Labels the alignment paired by position").
MIN_IN_PLACE = 0.3
_PARTS = re.compile(r"[-‐–—/]+")  # between the parts of a compound ("police-court")


@dataclass(frozen=True)
class Learned:
    """What ``learn`` wrote and from how much."""

    model_dir: Path
    pairs: int
    words: int
    confusions: int
    word_error_rate: float  # share of aligned ground-truth words the OCR did not read exactly
    in_domain_weight: float = 0.0  # the ground truth's trigrams' share beside the book model (0: unused)


def pairs_in(ocr_dir: str | Path, gt_dir: str | Path) -> list[tuple[str, Path, Path]]:
    """(name, ocr file, ground-truth file) for each name present in both folders (as ``restore eval`` pairs them)."""
    ocr_dir, gt_dir = Path(ocr_dir), Path(gt_dir)
    for d in (ocr_dir, gt_dir):
        if not d.is_dir():
            raise ValueError(f"{d}: not a folder")
    pairs, _missing = pair_files(ocr_dir, gt_dir)
    if not pairs:
        raise ValueError(f"{ocr_dir}: no .txt file with a namesake in {gt_dir}")
    return pairs


def read_pairs(pairs: list[tuple[str, Path, Path]]) -> list[tuple[str, str]]:
    return [
        (o.read_text(encoding="utf-8", errors="replace"), g.read_text(encoding="utf-8", errors="replace"))
        for _, o, g in pairs
    ]


def learn(
    ocr_dir: str | Path,
    gt_dir: str | Path,
    model_dir: str | Path,
    folds: int = 5,
    in_domain_text: bool = True,
    calibrate: bool = False,
    prior_words: float = PRIOR_WORDS,
) -> Learned:
    """Learn an error model, word list and in-domain trigrams from paired OCR and ground truth,
    and with `calibrate` a decision calibration.

    The pairs are cut in `folds` parts. The trigrams' share is chosen on them
    (``in_domain.held_out_perplexities``): each part is read with the other parts' trigrams;
    with one fold there is nothing held out to choose on, and the book model reads alone.
    `in_domain_text` False leaves the trigrams out (scripts/build_channel.py: the shipped
    calibration serves the book model alone).

    `calibrate` learns the calibration out of fold: each part's decisions are read with an
    error model and trigrams learned from the other parts, so that its probabilities are those
    of text the models have not seen. scripts/build_channel.py (the shipped calibration) and
    the held-out benchmarks ask for it; a collection's folder does not, and the shipped
    calibration serves: learned on one half of icdar2017-en (23 files), a collection's own gave
    the other half 6,752 fixes where the shipped one gave 8,039; on overproof-smh's half and
    BLN600's four fifths it gained 13 and 15 (BENCHMARKS.md, "restore learn on half a collection").
    """
    pairs = pairs_in(ocr_dir, gt_dir)
    # A transcription keeps the page's line ends ("rent-\ning"); its words, counted for the word
    # list and the trigrams, are those the hyphenation stage gives ("renting"), not "rent-" and "ing".
    texts = [(ocr, channel.join_line_hyphens(gt)) for ocr, gt in read_pairs(pairs)]
    counts = channel.count_pairs(texts)
    model_dir = Path(model_dir)
    channel.save_error_model(model_of(counts, str(Path(ocr_dir)), prior_words), model_dir / "channel.json")
    words = collection_words(texts, counts)
    (model_dir / "words.tsv").write_text(
        "".join(f"{w}\t{n}\n" for w, n in words.most_common()), encoding="utf-8"
    )
    parts = []
    for k in range(folds if len(texts) >= folds else 1):
        held = texts[k::folds] if folds > 1 and len(texts) >= folds else texts
        rest = [t for i, t in enumerate(texts) if i % folds != k] if len(texts) >= folds else texts
        domain = (
            in_domain.DomainTrigrams.from_counts(in_domain.text_counts(gt for _, gt in rest))
            if in_domain_text
            else None
        )
        parts.append((held, rest, domain))
    books = load_language_model()
    weight = 0.0
    if in_domain_text:
        held_out = [(domain, [gt for _, gt in held]) for held, _, domain in parts] if len(parts) > 1 else []
        perplexities = in_domain.held_out_perplexities(books, held_out) if held_out else {}
        weight = in_domain.save_domain(in_domain.text_counts(gt for _, gt in texts), perplexities, model_dir)
    else:  # a folder learned again without them keeps no stale trigrams
        for name in (in_domain.COUNTS_NAME, in_domain.WEIGHT_NAME):
            (model_dir / name).unlink(missing_ok=True)
    xs, ys = [], []
    for held, rest, domain in parts if calibrate else ():
        # On the letters' rates alone: the calibration serves the shipped model, which keeps no
        # word rates, and a collection's, which does (``channel.without_word_rates``).
        fold_model = channel.ErrorModel(
            channel.without_word_rates(model_of(channel.count_pairs(rest), "fold", prior_words))
        )
        language = in_domain.MixedLanguageModel(books, domain, weight) if weight > 0 else books
        reader = in_context.reader_for(fold_model, language, several_words=CALIBRATION_READS_SEGMENTS)
        for row in decision_rows(held, reader, in_context.plain_word):
            xs.append(row.features)
            ys.append(int(row.right))
    rates = lone_letter_rates(texts, f"the pairs of {Path(ocr_dir).resolve().parent.name}")
    if sum(n for _, _, n in rates.bands) >= lone_letters.MIN_LETTERS:
        lone_letters.save_rates(rates, model_dir / lone_letters.RATES_NAME)
    else:  # too few lone letters to learn from: the shipped rates serve
        (model_dir / lone_letters.RATES_NAME).unlink(missing_ok=True)
    calibration_path = model_dir / "calibration.json"
    if calibrate and _enough_for_calibration(xs, ys):
        calibration_path.write_text(json.dumps(fit_calibration(xs, ys), indent=1) + "\n", encoding="utf-8")
    else:  # none asked for, or too few decisions: the shipped calibration serves
        calibration_path.unlink(missing_ok=True)
    return Learned(
        model_dir=model_dir,
        pairs=len(pairs),
        words=counts.words,
        confusions=sum(counts.confusion.values()),
        word_error_rate=1 - counts.words_right / max(1, counts.words),
        in_domain_weight=weight,
    )


def lone_letter_rates(pairs: Iterable[tuple[str, str]], source: str) -> lone_letters.Rates:
    """The rates of (OCR text, truth) pairs: a lone letter of the OCR is junk when taking it out
    leaves fewer word errors against the truth (the eval's normalisation and alignment), counted
    on the stretch of LONE_LETTER_CONTEXT words each side that the alignment puts it in, so that a long
    book costs one alignment, not one a letter."""
    norm = Normalization()
    model = load_language_model()
    margins = lone_letters.MARGINS
    counts = {m: [0, 0] for m in margins}
    for ocr, truth_text in pairs:
        found = list(lone_letters.letters_to_judge(ocr))
        if not found:
            continue
        printed, truth = norm.words(ocr), norm.words(truth_text)
        in_truth = _truth_positions(printed, truth)
        for m in found:
            judged = lone_letters.margin(ocr, m.start(), m.end(), model.score, model.known)
            if judged is None or judged.log10 < margins[-1]:
                continue
            i = len(norm.words(ocr[: m.start()]))
            if i >= len(printed) or printed[i] != m.group():
                continue  # the normalisation took the letter with a neighbour
            lo, hi = max(0, i - LONE_LETTER_CONTEXT), min(len(printed), i + LONE_LETTER_CONTEXT + 1)
            stretch = truth[in_truth[lo] : in_truth[hi]]
            with_it = Levenshtein.distance(printed[lo:hi], stretch)
            without = Levenshtein.distance(printed[lo:i] + printed[i + 1 : hi], stretch)
            band = next(b for b in margins if judged.log10 >= b)
            counts[band][0] += without < with_it
            counts[band][1] += 1
    return lone_letters.Rates(tuple((b, *counts[b]) for b in margins), source)


def _truth_positions(printed: list[str], truth: list[str]) -> list[int]:
    """For each printed word's position (and the end), the truth position the alignment puts it at."""
    at = [0] * (len(printed) + 1)
    for op in Levenshtein.editops(printed, truth).as_opcodes():
        for k in range(op.src_start, op.src_end):  # a word the truth lacks stands where the truth goes on
            at[k] = min(op.dest_start + (k - op.src_start), op.dest_end)
    at[len(printed)] = len(truth)
    return at


def model_of(counts: channel.Counts, source: str, prior_words: float) -> dict:
    """The error model's data: the pairs' counts alone, or with the shipped model's as a prior
    worth `prior_words` aligned words (``channel.with_prior``)."""
    if prior_words <= 0:
        return channel.model_data(counts, source)
    return channel.with_prior(counts, channel.load_error_model().data, prior_words, source)


def collection_words(texts: list[tuple[str, str]], counts: channel.Counts) -> Counter:
    """The collection's own words, with their counts in the ground truth: those no word list of
    English has (its names and terms, "Coolamon", "Beehag"), for ``restore clean --model`` to
    stack on the dictionaries. A word the lists have is left out: a listed word is one the
    channel never reads, and the truth's "now" and "as", listed, would keep every "now" printed
    for "new". So is a form the OCR printed for another word more often than the truth has it:
    a transcriber's slip ("Tiie" once, printed for "The" forty times) would protect the misreading."""
    words = Counter(w for _, gt in texts for w in channel.words_of(gt) if any(c.isalpha() for c in w))
    in_truth: Counter = Counter()
    for w, n in words.items():
        in_truth[w.lower()] += n
    english, common = lexicon.base_words(), lexicon.wordfreq_forms()
    return Counter(
        {
            w: n
            for w, n in words.items()
            if w.lower() not in english
            and w.lower() not in common
            and counts.misprints[w.lower()] <= in_truth[w.lower()]
        }
    )


@dataclass(frozen=True)
class LearnedFromOcr:
    """What ``learn_from_ocr`` wrote and from how much."""

    model_dir: Path
    files: int
    words: int
    taught: dict[tuple[str, str], tuple[int, int]]  # (intended, printed) -> (seen, of)
    skipped: tuple[str, ...] = ()  # "FILE: reason" for each file that could not be read


def learn_from_ocr(
    ocr: str | Path | Sequence[str | Path],
    model_dir: str | Path,
    base_dir: str | Path | None = None,
    max_words: int | None = None,
    workers: int = 1,
) -> LearnedFromOcr:
    """The shipped error model with a collection's own confusions, learned from its OCR alone.

    Every text is read by the shipped noisy channel; the confusions of its non-words that one
    reading explains almost alone (``in_context.confident_confusions``) are counted over the
    collection, and those it shows more often than the training pairs did keep the collection's
    rate (seen over the times their intended letters occur in its words). An engine unlike
    BLN600's (ABBYY's 'o' for 'e' in "tho", "bo") is learned without a corrected page.
    `ocr` is a folder of *.txt or the files themselves; `base_dir`, a ``learn`` folder, is the
    model to start from (its calibration and words go along); `max_words` reads a sample of
    about that many words, every so many files through the collection, not its first files only;
    `workers` processes read the files.
    """
    if isinstance(ocr, (str, Path)):
        ocr_dir = Path(ocr)
        if not ocr_dir.is_dir():
            raise ValueError(f"{ocr_dir}: not a folder")
        files = sorted(ocr_dir.glob("*.txt"))
        if not files:
            raise ValueError(f"{ocr_dir}: no .txt file")
        source = str(ocr_dir)
    else:
        files = [Path(f) for f in ocr]
        source = f"{len(files)} file(s)"
    files = _spread_sample(files, max_words)
    base = channel.load_error_model(base_dir) if base_dir else channel.load_error_model()
    seen: Counter = Counter()
    words: list[str] = []
    skipped: list[str] = []
    read = functools.partial(_file_confusions, base_dir=str(base_dir) if base_dir else None)
    items = [Input(path, Path(path.name)) for path in files]
    misread: Counter = Counter()
    for file_words, file_seen, file_misread, problem in engines.run_local(items, read, _unread, workers):
        if problem:
            skipped.append(problem)
        words += file_words
        seen.update(file_seen)
        misread.update(file_misread)
    seen = Counter({k: n for k, n in seen.items() if n >= COLLECTION_MIN})
    # Ties by the confusion: the files come back from the workers in any order, the model the same.
    taught = dict(sorted(base.taught_rates(seen, words).items(), key=lambda kv: (-kv[1][0], kv[0])))
    data = dict(base.to_json())
    data["source"] = f"{data.get('source', '')}, with the confusions of {source} (OCR alone)"
    data["collection"] = {f"{a}\t{b}": [n, of] for (a, b), (n, of) in taught.items()}
    data["collection_words"] = _collection_words(misread, words, base)
    model_dir = Path(model_dir)
    channel.save_error_model(data, model_dir / "channel.json")
    # The base folder's go along; else the shipped serve.
    for name in (
        "calibration.json",
        "words.tsv",
        lone_letters.RATES_NAME,
        in_domain.COUNTS_NAME,
        in_domain.WEIGHT_NAME,
    ):
        source, target = (Path(base_dir) / name if base_dir else None), model_dir / name
        if source is None or not source.is_file():
            target.unlink(missing_ok=True)
        elif source.resolve() != target.resolve():
            shutil.copyfile(source, target)
    return LearnedFromOcr(model_dir, len(files) - len(skipped), len(words), taught, tuple(skipped))


@dataclass(frozen=True)
class CollectionText:
    """What ``learn_collection_text`` learned from a collection's cleaned text."""

    share: float  # its trigrams' share beside the book model
    edited: Counter  # (intended, printed) -> times the cleaning's spelling edits read one word as another
    words: Counter  # the cleaned files' words as printed, in the language model's form


@dataclass(frozen=True)
class CleanedFile:
    """One file of a collection as its cleaning left it (``_cleaned_output``)."""

    path: str
    output: str  # the text as cleaned; "" for a file that could not be read
    changed: Counter  # one-token form -> times a spelling edit changed it or a spelling flag doubted it
    printed: Counter  # those forms -> times the file prints them
    edited: Counter  # (intended, printed) -> times a spelling edit read one word as another
    words: Counter  # the file's words as printed, in the language model's form


def learn_collection_text(
    paths: Sequence[Path],
    model_dir: str | Path,
    config: Config,
    max_words: int | None = None,
    workers: int = 1,
) -> CollectionText:
    """A collection's own text as in-domain trigrams, written into `model_dir`: its files (a
    sample of about `max_words` words, as ``learn_from_ocr`` reads) cleaned with `config` (its
    confusions learned), and the trigrams of their output whose words the language model and a
    word list know (``in_domain.known_trigram_counts``), added to the folder's own ground-truth
    trigrams where it has them (``restore learn``), with the share under which each fifth of the
    files reads likeliest beside the rest, as ``learn`` chooses it for ground truth (none for
    fewer than TEXT_FOLDS files). Returns the share, and the words the cleaning's edits read
    (for ``taught_by_cleaning``).

    The output, not the reader's own guesses: read with the uncalibrated reader's sure readings in
    place, a document's trigrams vouched for them where it was cleaned ("Mr. F. Norrie" read
    'norris', then edited so; BENCHMARKS.md, "A collection's own text as trigrams")."""
    model_dir = Path(model_dir)
    base = Counter()  # a base folder's ground-truth trigrams, copied in by learn_from_ocr
    if (model_dir / in_domain.WEIGHT_NAME).is_file() and (model_dir / in_domain.COUNTS_NAME).is_file():
        base = in_domain.read_counts(model_dir / in_domain.COUNTS_NAME)
    files = _spread_sample(list(paths), max_words)
    items = [Input(path, Path(path.name)) for path in files]
    work = functools.partial(_cleaned_output, config=config)
    outputs = sorted(
        (out for out in engines.run_local(items, work, _not_cleaned, workers) if out.output),
        key=lambda out: out.path,
    )
    texts = [out.output for out in outputs]
    changed = sum((out.changed for out in outputs), Counter())
    printed = sum((out.printed for out in outputs), Counter())
    misprints = {form for form, n in changed.items() if n >= MISPRINT_SHARE * printed[form]}
    known = in_context.noisy_channel(config.model_dir).listed

    def listed(form: str) -> bool:
        return form not in misprints and known(form)

    counts = base + in_domain.known_trigram_counts(texts, listed)
    perplexities = {}
    if len(texts) >= TEXT_FOLDS:
        folds = [
            (
                in_domain.DomainTrigrams.from_counts(
                    base
                    + in_domain.known_trigram_counts(
                        (t for i, t in enumerate(texts) if i % TEXT_FOLDS != k), listed
                    )
                ),
                texts[k::TEXT_FOLDS],
            )
            for k in range(TEXT_FOLDS)
        ]
        perplexities = in_domain.held_out_perplexities(load_language_model(), folds)
    source = "the collection's OCR, cleaned" + (", and the base model's ground truth" if base else "")
    return CollectionText(
        in_domain.save_domain(counts, perplexities, model_dir, 0, source),
        sum((out.edited for out in outputs), Counter()),
        sum((out.words for out in outputs), Counter()),
    )


def _cleaned_output(item: Input, config: Config) -> CleanedFile:
    """One file as `config` cleaned it: its output, the forms its spelling edits and flags doubted,
    and the words its edits read (nothing for a file that cannot be read)."""
    from .pipeline import clean  # the pipeline reads the stages, which read this module's models

    try:
        source = read_source(item.path).text
    except InputError:
        return _not_cleaned(item, "")
    doc = clean(source, config)
    spelling = [e for e in doc.edits if e.kind == "spelling" and TOKEN.fullmatch(e.before)]
    changed = Counter(lm_form(e.before) for e in spelling)
    flagged = (source[f.source_span[0] : f.source_span[1]] for f in doc.flags if f.kind == "spelling")
    changed += Counter(lm_form(w) for w in flagged if TOKEN.fullmatch(w))
    printed = Counter(t for t in (lm_form(m.group()) for m in TOKEN.finditer(source)) if t in changed)
    read = (
        (lm_form(e.after), lm_form(e.before)) for e in spelling if e.before.isalpha() and e.after.isalpha()
    )
    edited = Counter((a, b) for a, b in read if a != b)  # not a name given its capital back
    words = Counter(printed_words(channel.join_line_hyphens(source)))
    return CleanedFile(str(item.path), doc.output, changed, printed, edited, words)


def _not_cleaned(item: Input, reason: str) -> CleanedFile:
    return CleanedFile(str(item.path), "", Counter(), Counter(), Counter(), Counter())


def taught_by_cleaning(model_dir: str | Path, edited: Counter, words: Counter, base_dir: str | None) -> int:
    """A second reading of a collection's confusions, written into `model_dir`'s channel.json: what
    the calibrated cleaning's edits show (one word read as another, `edited`), beside what the
    uncalibrated reader's sure readings showed (``learn_from_ocr``). Each confusion and whole-word
    misread keeps the larger of the two counts: the edits are the same kind of evidence, judged
    better, and the first reading's low rates held some of them under the bar (SMH's "m" for
    'in'). Returns the number of confusions and words whose count rose."""
    base = channel.load_error_model(base_dir) if base_dir else channel.load_error_model()
    path = Path(model_dir) / "channel.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    seen: Counter = Counter()
    for (intended, printed), n in edited.items():
        for confusion in channel.confusions(intended, printed):
            seen[confusion] += n
    # As ``in_context.confident_confusions``: confusions that print something, seen COLLECTION_MIN times.
    seen = Counter({k: n for k, n in seen.items() if n >= COLLECTION_MIN and k[1]})
    every_word = list(words.elements())
    taught = {
        "collection": {
            f"{a}\t{b}": [n, of] for (a, b), (n, of) in base.taught_rates(seen, every_word).items()
        },
        "collection_words": _collection_words(edited, every_word, base),
    }
    rose = 0
    for part, learned in taught.items():
        kept = data.get(part, {})
        for key, (n, of) in learned.items():
            if n > kept.get(key, [0])[0]:
                kept[key], rose = [n, of], rose + 1
        data[part] = kept
    channel.save_error_model(data, path)
    return rose


def _file_confusions(item: Input, base_dir: str | None) -> tuple[list[str], Counter, Counter, str | None]:
    """One OCR file's words, the confusions of its sure readings and the whole words they read
    (intended, printed) (``learn_from_ocr``), or why it could not be read."""
    try:
        text = channel.join_line_hyphens(read_source(item.path).text)
    except InputError as error:
        return [], Counter(), Counter(), f"{item.path}: {error}"
    # The base model's reader, once per process (``in_context.noisy_channel``).
    decoded = in_context.noisy_channel(base_dir).decode(text, in_context.plain_word)
    sure = [d for d in decoded if d.challenger is not None and d.challenger.posterior >= COLLECTION_SHARE]
    found = in_context.confident_confusions(sure, 1, share=COLLECTION_SHARE)
    misread = Counter(
        (d.challenger.form, d.sentence_printed)
        for d in sure
        if d.challenger.form.isalpha() and d.sentence_printed.isalpha()
    )
    return printed_words(text), found, misread, None


def printed_words(text: str) -> list[str]:
    """A collection file's words as printed, in the language model's form: what its confusions'
    rates are counted over (``learn_from_ocr``, ``taught_by_cleaning``)."""
    return [lm_form(w) for w in channel.words_of(text)]


def _unread(item: Input, reason: str) -> tuple[list[str], Counter, Counter, str]:
    return [], Counter(), Counter(), f"{item.path}: {reason}"


def _collection_words(misread: Counter, words: list[str], base: channel.ErrorModel) -> dict[str, list[int]]:
    """The whole words a collection's sure readings show printed as another form
    WORD_MISREAD_MIN times or more, each with the times the collection printed the word at all
    (as printed right, or so read): what its engine does to its commonest words ("tho" for
    'the'), beside the letters' rates; none the base model's pairs already count."""
    prints = Counter(words)
    reads = Counter()
    for (intended, _), n in misread.items():
        reads[intended] += n
    return {
        f"{a}\t{b}": [n, prints[a] + reads[a]]
        for (a, b), n in sorted(misread.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= channel.WORD_MISREAD_MIN and (a, b) not in base.word_misreads
    }


def _spread_sample(files: list[Path], max_words: int | None) -> list[Path]:
    """Every k-th file, so that about `max_words` words are read (by the files' sizes, at about
    BYTES_PER_WORD a word), spread over the whole collection; all of them without a cap."""
    if max_words is None:
        return files
    sizes = [f.stat().st_size if f.is_file() else 0 for f in files]
    step = math.ceil(sum(sizes) / (max_words * BYTES_PER_WORD)) if sum(sizes) else 1
    return files[:: max(1, step)]


def aligned_words(ocr_text: str, gt_text: str) -> tuple[str, dict[int, str]]:
    """The OCR text with line-end hyphens joined, and for each word token of it (``lm.TOKEN``) that
    the alignment pairs with one ground-truth word, its start offset and that word (lower case,
    outer punctuation stripped).

    A token is labelled only inside the OCR word aligned with its truth: a word the alignment
    leaves unpaired has no truth (it is not given its neighbour's). A hyphenated word is paired
    part by part when both sides have the same parts ("police-conrt" / "police-court": "conrt"
    is "court", not "police-court"); two words printed as one ("kingwas") have both as truth.
    """
    text = channel.join_line_hyphens(ocr_text)
    spans = [(m.start(), m.end()) for m in _WORD_SPAN.finditer(text)]
    ocr_words = [bare_word(text[a:b]) for a, b in spans]
    gt_words = [bare_word(w) for w in channel.join_line_hyphens(gt_text).split()]
    aligned: dict[int, str] = {}
    for op in Levenshtein.opcodes(ocr_words, gt_words):
        n = op.src_end - op.src_start
        if op.tag in ("equal", "replace") and n == op.dest_end - op.dest_start:
            for k in range(n):
                printed, j = ocr_words[op.src_start + k], op.dest_start + k
                truth = gt_words[j]
                if j + 1 < len(gt_words) and printed == truth + gt_words[j + 1]:
                    truth = f"{truth} {gt_words[j + 1]}"  # two words run together ("kingwas")
                elif j > 0 and op.tag == "replace" and printed == gt_words[j - 1] + truth:
                    truth = f"{gt_words[j - 1]} {truth}"  # the same, the first word paired elsewhere
                elif printed == _PARTS.sub("", truth):
                    truth = printed  # a compound printed without its hyphen ("twentynine"): read alike
                if " " not in truth and Indel.normalized_similarity(printed, truth) < MIN_SIMILARITY:
                    continue  # paired by position only: no evidence the two are one word
                a, b = spans[op.src_start + k]
                parts = [m.start() for m in TOKEN.finditer(text, a, b) if m.group()[:1].isalpha()]
                truths = [t for t in _PARTS.split(truth) if t]
                if len(parts) == 1:
                    aligned[parts[0]] = truth
                elif len(parts) > 1 and len(truths) == 1 and _broken_by_marks(text, parts):
                    aligned[parts[0]] = truth  # one word, stray marks in it ("sign»d"): read as one
                elif len(parts) == len(truths):
                    aligned.update(zip(parts, truths))
    return text, aligned


def _broken_by_marks(text: str, parts: list[int]) -> bool:
    """Whether the word tokens starting at `parts` are one word with stray marks between its
    pieces ("sign»d", "a~nd"), as ``NoisyChannel.read_splits`` reads them. Words digits break
    ("bro1ught") are read whole too, but the calibration learns from the marks' words alone
    (``CALIBRATION_READS_DIGITS``)."""
    ends = [TOKEN.match(text, a).end() for a in parts[:-1]]
    return all(STRAY_MARKS.fullmatch(text, e, b) for e, b in zip(ends, parts[1:]))


def paired_by_position(printed: str, truth: str) -> bool:
    """Whether a printed form and the truth the alignment gave it have under MIN_IN_PLACE of their
    letters in place: paired by position in a garbled stretch ("tme" and 'gone'), not one word."""
    return Levenshtein.normalized_similarity(printed, truth) < MIN_IN_PLACE


def bare_word(word: str) -> str:
    """A word as the alignment compares it: lower case, curly apostrophe straight, outer punctuation off."""
    return _OUTER_PUNCT.sub("", word.lower().replace("’", "'"))


@dataclass(frozen=True)
class DecisionRow:
    """One word the reader would read otherwise, with what the ground truth says of it."""

    features: list[float]
    right: bool  # the challenger is the ground truth
    printed_right: bool  # the word as printed was


def decision_rows(texts: list[tuple[str, str]], reader, wanted) -> list[DecisionRow]:
    """A DecisionRow for every word the reader would read otherwise, over OCR/ground-truth pairs."""
    rows: list[DecisionRow] = []
    for ocr_text, gt_text in texts:
        text, aligned = aligned_words(ocr_text, gt_text)

        def whole(t, text=text) -> bool:
            """A word as the stage reads one, but no piece of a word stray marks break: the whole
            is read (``read_splits``). The stage reads such a piece alone where no reading of the
            whole makes a flag; its rows are left out here, where nothing is judged yet."""
            return wanted(t) and not in_marked_word(text, t.start, t.end, digits=CALIBRATION_READS_DIGITS)

        first = reader.decode(text, whole)
        own = in_context.document_reader(reader, text, first)  # as the stage reads a document
        words = first if own is reader else own.decode(text, whole)
        broken = [
            d
            for d in own.read_splits(text, lambda a, b: wanted(a) and wanted(b))
            if STRAY_MARKS.search(d.token.text)
        ]
        for d in words + broken:
            truth = aligned.get(d.token.start)
            if truth is None or d.challenger is None:
                continue
            features = own.features(d, lexicon.zipf)
            if not features[2] and paired_by_position(d.sentence_printed, truth):
                continue  # a non-word whose truth tells nothing of it: no label
            rows.append(DecisionRow(features, d.challenger.form == truth, d.sentence_printed == truth))
    return rows


# The stage reads a word a digit breaks ("bro1ught", "wa3") as it reads one stray marks break, and
# judges it with the calibration learned from the marks' words. Relearned with the digits' few
# rows as well, the nets moved by their seeds' noise and did worse on both eval sets (BENCHMARKS.md,
# "Words a digit breaks"), so the calibration learns as it did before.
CALIBRATION_READS_DIGITS = False
# Nor does the calibration learn from several words run together and misread ("withltherobbery"):
# the word alignment pairs such a form with one word of its truth or none, so that a right
# reading of three words is labelled wrong. Learned with them, the calibration distrusted the
# channel throughout (BLN600 fold 0, overproof-smh and icdar2017-en all lost fixes; BENCHMARKS.md,
# "Several words run together"); the stage reads them, judged as every reading is. The same holds
# for two words a speck joins ("rope'round", "had.evidently": the alignment sees one word).
CALIBRATION_READS_SEGMENTS = False

# One net per seed, their probabilities averaged: one net's seed alone moved SMH by 100 fixes (BENCHMARKS.md).
CALIBRATION_SEEDS = (15, 16, 17, 18, 19)
CALIBRATION_EPOCHS = 30  # passes over the decisions; the held-out curve flattens by then
MIN_CALIBRATION_POSITIVES = 50  # right corrections needed in each part (known / unknown printed forms)


def _enough_for_calibration(xs: list[list[float]], ys: list[int]) -> bool:
    """A few pages teach the confusions; deciding how far to trust them needs more decisions."""
    for known in (0.0, 1.0):
        part = [y for x, y in zip(xs, ys) if x[2] == known]
        if sum(part) < MIN_CALIBRATION_POSITIVES or len(part) - sum(part) < MIN_CALIBRATION_POSITIVES:
            return False
    return True


def fit_calibration(xs: list[list[float]], ys: list[int]) -> dict:
    """The two-part calibration (printed form known to the language model or not) from decision rows."""
    parts = {}
    for name, known in (("known", 1.0), ("unknown", 0.0)):
        rows = [(calibration_inputs(x), y) for x, y in zip(xs, ys) if x[2] == known]
        parts[name] = [
            train_tanh_net(
                [r for r, _ in rows],
                [y for _, y in rows],
                epochs=CALIBRATION_EPOCHS,
                monotone=CALIBRATION_MONOTONE,
                seed=seed,
            )
            for seed in CALIBRATION_SEEDS
        ]
    return {"format": 4, "features": list(FEATURES), "parts": parts}
