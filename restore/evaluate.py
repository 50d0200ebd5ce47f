"""Measuring restore against ground truth: error rates before and after, and what changed.

``evaluate(ocr, gt)`` (two folders) pairs files by name, cleans the OCR side with the
pipeline and scores the raw OCR and the restored text against the ground
truth, after one explicit ``Normalization`` applied to every side alike.

Rates:
- WER: word-level Levenshtein distance over the normalised words divided by
  the ground truth's word count.
- CER: character-level Levenshtein distance between the normalised words
  joined by single spaces, divided by the length of the ground truth's,
  counted inside the word alignment (see ``align``).
- Totals are corpus-level: the sum of the distances over all files divided by
  the sum of the ground-truth lengths (a long file weighs more than a short
  one), which is how SOURCES.md's published figures are computed.

Change, per ground-truth word (from the word alignments OCR-to-truth and
restored-to-truth; rapidfuzz's Levenshtein opcodes): ``fixed`` (wrong in the
OCR, right after restore), ``introduced`` (right in the OCR, wrong after
restore: the errors a user pays for), ``left`` (wrong in both). A truth word is
right on a side when the alignment matches it to an equal word.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, astuple, dataclass, field, replace
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from restore import collection
from restore.config import Config
from restore.engines import default_workers
from restore.files import write_atomic
from restore.pipeline import clean, load_models

_LINE_END_HYPHEN = re.compile(r"(\w)[-­‐‑]\s*\n\s*(?=\w)")
_HYPHEN = re.compile(r"[-­‐‑‒–—]")
_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "`": "'"}
)
_EDGE_PUNCT = re.compile(r"^[^\w]+|[^\w]+$")


@dataclass(frozen=True)
class Normalization:
    """How text is made comparable before counting errors; applied to every side alike.

    The default is Overproof's published word count: line-end hyphens joined,
    other hyphens dropped, lower case, leading and trailing punctuation stripped
    (a token that is only punctuation is no word).

    >>> Normalization().words("The well-known Thorns-\\nhope, “Road”.")
    ['the', 'wellknown', 'thornshope', 'road']
    >>> Normalization(lowercase=False, hyphens="split").words("A well-known man")
    ['A', 'well', 'known', 'man']
    """

    join_line_hyphens: bool = True  # "Thorns-\nhope" -> "Thornshope"
    hyphens: str = "drop"  # other hyphens and dashes: "drop" (joined), "split" (a space), "keep"
    lowercase: bool = True
    strip_punctuation: bool = True  # leading and trailing punctuation of each word
    unify_quotes: bool = True  # curly and low quotes made straight

    def __post_init__(self) -> None:
        if self.hyphens not in ("drop", "split", "keep"):
            raise ValueError(f"hyphens must be drop, split or keep, not {self.hyphens!r}")

    def words(self, text: str) -> list[str]:
        """The words of a text as they are compared."""
        if self.join_line_hyphens:
            text = _LINE_END_HYPHEN.sub(r"\1", text)
        if self.hyphens == "drop":
            text = _HYPHEN.sub("", text)
        elif self.hyphens == "split":
            text = _HYPHEN.sub(" ", text)
        if self.unify_quotes:
            text = text.translate(_QUOTES)
        if self.lowercase:
            text = text.lower()
        tokens = text.split()
        if self.strip_punctuation:
            tokens = [t for t in (_EDGE_PUNCT.sub("", t) for t in tokens) if t]
        return tokens


@dataclass(frozen=True)
class Score:
    """One hypothesis scored against the truth."""

    word_errors: int
    char_errors: int
    gt_words: int
    gt_chars: int
    hyp_words: int

    @property
    def wer(self) -> float:
        return self.word_errors / self.gt_words if self.gt_words else float(self.word_errors > 0)

    @property
    def cer(self) -> float:
        return self.char_errors / self.gt_chars if self.gt_chars else float(self.char_errors > 0)

    def __add__(self, other: Score) -> Score:
        return Score(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    def to_json(self) -> dict:
        return {**asdict(self), "wer": round(self.wer, 5), "cer": round(self.cer, 5)}


EMPTY_SCORE = Score(0, 0, 0, 0, 0)


@dataclass(frozen=True)
class Alignment:
    """A hypothesis aligned word by word with the truth: its score, and which truth words it has right."""

    score: Score
    right: tuple[bool, ...]  # per truth word: matched to an equal hypothesis word


def align(hyp: Sequence[str], gt: Sequence[str]) -> Alignment:
    """Align normalised hypothesis words with normalised truth words and score them.

    Word errors are the word-level Levenshtein distance (rapidfuzz's editops,
    an optimal alignment). Character errors are counted inside that alignment:
    each stretch of unequal words is compared character by character (spaces
    between words included), equal words cost nothing. That bounds the full
    character edit distance from above (on overproof-smh's raw OCR: CER 0.0703
    against the full distance's 0.0698) and keeps a 100,000-word book to
    seconds where the full character distance takes minutes.

    >>> a = align(["the", "cat", "sab"], ["the", "cat", "sat", "down"])
    >>> a.score.word_errors, a.score.wer, a.score.char_errors, a.right
    (2, 0.5, 6, (True, True, False, False))
    """
    right = [False] * len(gt)
    char_errors = 0
    opcodes = Levenshtein.editops(hyp, gt).as_opcodes()
    word_errors = 0
    pending_h: list[str] = []
    pending_g: list[str] = []

    def settle() -> int:
        if not pending_h and not pending_g:
            return 0
        h, g = " ".join(pending_h), " ".join(pending_g)
        cost = Levenshtein.distance(h, g) if h and g else len(h) + len(g) + 1
        pending_h.clear()
        pending_g.clear()
        return cost

    for op in opcodes:
        if op.tag == "equal":
            char_errors += settle()
            for j in range(op.dest_start, op.dest_end):
                right[j] = True
            continue
        word_errors += max(op.src_end - op.src_start, op.dest_end - op.dest_start)
        pending_h.extend(hyp[op.src_start : op.src_end])
        pending_g.extend(gt[op.dest_start : op.dest_end])
    char_errors += settle()
    if not hyp or not gt:  # no separating space to count when a side is empty
        char_errors = len(" ".join(hyp)) + len(" ".join(gt))
    gt_text_len = sum(map(len, gt)) + max(0, len(gt) - 1)
    score = Score(word_errors, char_errors, len(gt), gt_text_len, len(hyp))
    return Alignment(score, tuple(right))


def aligned_words(hyp: Sequence[str], gt: Sequence[str]) -> list[str]:
    """For each truth word, the hypothesis words the alignment puts against it ("" where
    the hypothesis has none); inserted hypothesis words go with the truth word before them.

    >>> aligned_words(["the", "cat", "sab", "x", "down"], ["the", "cat", "sat", "down"])
    ['the', 'cat', 'sab x', 'down']
    >>> aligned_words(["the", "down"], ["the", "cat", "down"])
    ['the', '', 'down']
    """
    out: list[list[str]] = [[] for _ in gt]
    for op in Levenshtein.editops(hyp, gt).as_opcodes():
        src = list(hyp[op.src_start : op.src_end])
        dest = range(op.dest_start, op.dest_end)
        for k, j in enumerate(dest):
            out[j].extend(src[k : k + 1])
        if len(src) > len(dest):
            extra = src[len(dest) :]
            j = (op.dest_end - 1) if len(dest) else max(0, op.dest_start - 1)
            if out:
                out[j].extend(extra)
    return [" ".join(w) for w in out]


@dataclass(frozen=True)
class WordError:
    """A stretch of truth words restore's output has wrong: ``introduced`` (the OCR had them
    right) or ``remaining`` (the OCR had them wrong too), with what each side has there."""

    file: str
    kind: str  # "introduced" or "remaining"
    position: int  # index of the first truth word
    gt: str
    ocr: str
    output: str
    context: str  # the truth words around it

    @property
    def joined(self) -> bool:
        """An introduced error that is only a join of words the truth keeps split: the truth
        prints "par- ticularly" (a line-end hyphen flattened into a line), restore "particularly"."""
        return (
            self.kind == "introduced"
            and " " in self.gt
            and self.gt.replace(" ", "") == self.output.replace(" ", "")
        )

    def to_json(self) -> dict:
        return asdict(self)


def word_errors(name: str, ocr: Sequence[str], output: Sequence[str], gt: Sequence[str]) -> list[WordError]:
    """The errors in restore's output, stretch by stretch, aligned with the truth and the OCR.

    >>> [(e.kind, e.gt, e.ocr, e.output) for e in word_errors("a", ["the", "cot", "sat"], ["the", "cot", "sit"], ["the", "cat", "sat"])]
    [('remaining', 'cat', 'cot', 'cot'), ('introduced', 'sat', 'sat', 'sit')]
    """
    before, after = align(ocr, gt).right, align(output, gt).right
    by_ocr, by_out = aligned_words(ocr, gt), aligned_words(output, gt)
    errors: list[WordError] = []
    j = 0
    while j < len(gt):
        if after[j]:
            j += 1
            continue
        kind = "introduced" if before[j] else "remaining"
        end = j
        while end < len(gt) and not after[end] and before[end] == before[j]:
            end += 1
        context = (
            " ".join(gt[max(0, j - 4) : j]) + " [" + " ".join(gt[j:end]) + "] " + " ".join(gt[end : end + 4])
        )
        errors.append(
            WordError(
                name,
                kind,
                j,
                " ".join(gt[j:end]),
                " ".join(w for w in by_ocr[j:end] if w),
                " ".join(w for w in by_out[j:end] if w),
                context.strip(),
            )
        )
        j = end
    return errors


@dataclass(frozen=True)
class GapScore:
    """The gaps stage against the drop-outs `restore degrade` made: found gold gaps and right flags."""

    gold: int = 0
    found: int = 0
    flags: int = 0
    right_flags: int = 0

    def __add__(self, other: GapScore) -> GapScore:
        return GapScore(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.right_flags / self.flags if self.flags else 0.0

    def to_json(self) -> dict:
        return {**asdict(self), "recall": round(self.recall, 5), "precision": round(self.precision, 5)}


GAP_SLACK = 20  # characters: a flag whose source span comes this close to a drop-out's place finds it


def score_gaps(offsets: Sequence[int], spans: Sequence[tuple[int, int]], slack: int = GAP_SLACK) -> GapScore:
    """Gold drop-out places (offsets in the OCR text) against gap flags' source spans.

    >>> score_gaps([100, 500], [(90, 110), (300, 320)]).to_json()
    {'gold': 2, 'found': 1, 'flags': 2, 'right_flags': 1, 'recall': 0.5, 'precision': 0.5}
    """

    def near(offset: int, span: tuple[int, int]) -> bool:
        return span[0] - slack <= offset <= span[1] + slack

    found = sum(any(near(o, s) for s in spans) for o in offsets)
    right = sum(any(near(o, s) for o in offsets) for s in spans)
    return GapScore(len(offsets), found, len(spans), right)


def gold_gaps(gt_dir: Path, name: str) -> list[int] | None:
    """The drop-out offsets `restore degrade` wrote for a file (DIR/gaps/NAME.json beside
    DIR/gt/), or None when there is no such file."""
    import json

    path = Path(gt_dir).parent / "gaps" / Path(name).with_suffix(".json")
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [int(g["offset"]) for g in data["gaps"]]
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not a gold gap file of restore degrade ({error})") from None


def score_words(hyp: Sequence[str], gt: Sequence[str]) -> Score:
    """Score normalised hypothesis words against normalised truth words (see ``align``).

    >>> s = score_words(["the", "cat", "sat"], ["the", "cat", "sat", "down"])
    >>> s.word_errors, s.wer, s.char_errors, s.gt_chars
    (1, 0.25, 5, 16)
    """
    return align(hyp, gt).score


def correct_truth_words(hyp: Sequence[str], gt: Sequence[str]) -> list[bool]:
    """For each truth word, whether the alignment matches it to an equal hypothesis word.

    >>> correct_truth_words(["the", "cat", "sab"], ["the", "cat", "sat"])
    [True, True, False]
    """
    return list(align(hyp, gt).right)


@dataclass(frozen=True)
class Change:
    """What restore did to the truth words: fixed, introduced (made wrong), left wrong."""

    fixed: int = 0
    introduced: int = 0
    left: int = 0

    def __add__(self, other: Change) -> Change:
        return Change(self.fixed + other.fixed, self.introduced + other.introduced, self.left + other.left)


def compare(before: Sequence[str], after: Sequence[str], gt: Sequence[str]) -> Change:
    """Count, per truth word, errors fixed, introduced and left between two hypotheses.

    >>> compare(["the", "cot", "sat"], ["the", "cat", "sit"], ["the", "cat", "sat"])
    Change(fixed=1, introduced=1, left=0)
    """
    return change_between(align(before, gt).right, align(after, gt).right)


def change_between(before_right: Sequence[bool], after_right: Sequence[bool]) -> Change:
    """Fixed, introduced and left from two hypotheses' per-truth-word correctness."""
    fixed = introduced = left = 0
    for was, now in zip(before_right, after_right, strict=True):
        if was and not now:
            introduced += 1
        elif now and not was:
            fixed += 1
        elif not was and not now:
            left += 1
    return Change(fixed, introduced, left)


@dataclass(frozen=True)
class FileScore:
    """One file: the raw OCR and each system scored, and the change each made."""

    name: str
    ocr: Score
    systems: dict[str, Score]  # "restore", and the peer when given
    changes: dict[str, Change]
    seconds: float = 0.0
    errors: tuple[WordError, ...] = ()  # restore's, stretch by stretch
    gaps: GapScore | None = None  # against degrade's gold gaps, when the truth has them

    def to_json(self) -> dict:
        out = {
            "name": self.name,
            "ocr": self.ocr.to_json(),
            "systems": {k: v.to_json() for k, v in self.systems.items()},
            "changes": {k: asdict(v) for k, v in self.changes.items()},
            "seconds": round(self.seconds, 4),
        }
        if self.gaps is not None:
            out["gaps"] = self.gaps.to_json()
        return out


@dataclass(frozen=True)
class Evaluation:
    """Scores per file and in total (corpus-level; see the module's docstring)."""

    files: list[FileScore]
    normalization: Normalization
    stages: tuple[str, ...]
    missing: list[str] = field(default_factory=list)  # OCR files with no truth beside them
    # What the set's collection model was learned from (``collection.learned_from``), where one served.
    collection: dict | None = None

    @property
    def systems(self) -> list[str]:
        return list(self.files[0].systems) if self.files else []

    @property
    def total_ocr(self) -> Score:
        return sum((f.ocr for f in self.files), EMPTY_SCORE)

    def total(self, system: str) -> Score:
        return sum((f.systems[system] for f in self.files), EMPTY_SCORE)

    def total_change(self, system: str) -> Change:
        return sum((f.changes[system] for f in self.files), Change())

    @property
    def errors(self) -> list[WordError]:
        return [e for f in self.files for e in f.errors]

    @property
    def total_gaps(self) -> GapScore | None:
        scored = [f.gaps for f in self.files if f.gaps is not None]
        return sum(scored, GapScore()) if scored else None

    def summary(self) -> dict:
        """Totals as plain data: rates, relative change, fixed/introduced/left."""
        ocr = self.total_ocr
        out = {"files": len(self.files), "gt_words": ocr.gt_words, "ocr": ocr.to_json(), "systems": {}}
        for name in self.systems:
            score, change = self.total(name), self.total_change(name)
            out["systems"][name] = {
                **score.to_json(),
                "wer_change": round(relative_change(ocr.wer, score.wer), 5),
                "cer_change": round(relative_change(ocr.cer, score.cer), 5),
                **asdict(change),
                "introduced_per_1000": round(1000 * change.introduced / ocr.gt_words, 3)
                if ocr.gt_words
                else 0.0,
            }
        if "restore" in out["systems"]:
            out["systems"]["restore"]["introduced_joined"] = sum(
                len(e.gt.split()) for e in self.errors if e.joined
            )
        if self.total_gaps is not None:
            out["gaps"] = self.total_gaps.to_json()
        return out

    def to_json(self) -> dict:
        return {
            "normalization": asdict(self.normalization),
            "stages": list(self.stages),
            "collection": self.collection,
            "total": self.summary(),
            "files": [f.to_json() for f in self.files],
            "missing_gt": list(self.missing),
        }


def relative_change(before: float, after: float) -> float:
    """(after - before) / before: -0.25 means a quarter fewer errors."""
    return (after - before) / before if before else 0.0


def pair_files(
    ocr_dir: Path, gt_dir: Path, pattern: str = "*.txt"
) -> tuple[list[tuple[str, Path, Path]], list[str]]:
    """OCR and truth files with the same name (relative path), and OCR files without truth."""
    ocr_dir, gt_dir = Path(ocr_dir), Path(gt_dir)
    pairs, missing = [], []
    for ocr in sorted(ocr_dir.rglob(pattern)):
        rel = ocr.relative_to(ocr_dir)
        gt = gt_dir / rel
        if gt.is_file():
            pairs.append((rel.as_posix(), ocr, gt))
        else:
            missing.append(rel.as_posix())
    return pairs, missing


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def score_texts(
    ocr: str,
    gt: str,
    systems: dict[str, str],
    normalization: Normalization | None = None,
    name: str = "",
    seconds: float = 0.0,
) -> FileScore:
    """Score the raw OCR and each system's text against the truth, for one document."""
    norm = normalization or Normalization()
    gt_words = norm.words(gt)
    base = align(norm.words(ocr), gt_words)
    scores, changes = {}, {}
    for system, text in systems.items():
        aligned = align(norm.words(text), gt_words)
        scores[system] = aligned.score
        changes[system] = change_between(base.right, aligned.right)
    errors = ()
    if "restore" in systems:
        errors = tuple(word_errors(name, norm.words(ocr), norm.words(systems["restore"]), gt_words))
    return FileScore(name, base.score, scores, changes, seconds, errors)


def evaluate(
    ocr: str | Path,
    gt: str | Path,
    config: Config | None = None,
    *,
    peer: str | Path | None = None,
    normalization: Normalization | None = None,
    restorer: Callable[[str], str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    keep: str | Path | None = None,
) -> Evaluation:
    """Clean each OCR file that has a truth file of the same name, and score both sides.

    ``ocr`` and ``gt`` are folders (files pair by relative path, ``*.txt``);
    ``peer`` is a folder of another system's output, same names, scored as
    "peer"; ``restorer`` replaces restore's pipeline (a baseline: text in,
    text out). ``keep`` is a folder to write each cleaned text into, same names. Where
    the truth folder sits beside a ``gaps/`` folder of `restore degrade`'s gold gaps, the
    gaps stage's flags are scored against them (``FileScore.gaps``).
    """
    config = config or Config()
    norm = normalization or Normalization()
    pairs, missing = pair_files(Path(ocr), Path(gt))
    if restorer is None and collection.wanted(config, len(pairs)):
        # The set is cleaned as a batch of it would be: with the confusions its OCR shows (never its truth).
        with tempfile.TemporaryDirectory(prefix="restore-collection-") as folder:
            # Read by all cores where the set is large enough to pay for their start (the counts
            # are the same whichever process reads a file).
            workers = default_workers() if len(pairs) >= collection.PARALLEL_FILES else 1
            taught = collection.learn_into([p for _, p, _ in pairs], Path(folder) / "model", config, workers)
            learned = collection.learned_from(Path(folder) / "model") if taught is not config else None
            evaluation = _evaluate(pairs, missing, gt, taught, norm, peer, restorer, progress, keep)
            return replace(evaluation, collection=learned)
    return _evaluate(pairs, missing, gt, config, norm, peer, restorer, progress, keep)


def _evaluate(pairs, missing, gt, config, norm, peer, restorer, progress, keep) -> Evaluation:
    files = []
    if restorer is None and pairs:
        load_models(config)  # before the first file's clock starts
    for n, (name, ocr_path, gt_path) in enumerate(pairs, 1):
        raw = _read(ocr_path)
        started = time.perf_counter()
        spans: list[tuple[int, int]] = []
        if restorer is None:
            document = clean(raw, config)
            restored = document.output
            spans = [tuple(f.source_span) for f in document.flags if f.stage == "gaps"]
        else:
            restored = restorer(raw)
        seconds = time.perf_counter() - started
        if keep is not None:
            target = Path(keep) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, restored)
        gold = gold_gaps(Path(gt), name) if restorer is None and "gaps" in config.stages else None
        systems = {"restore": restored}
        if peer is not None:
            peer_path = Path(peer) / name
            systems["peer"] = _read(peer_path) if peer_path.is_file() else ""
        scored = score_texts(raw, _read(gt_path), systems, norm, name, seconds)
        if gold is not None:
            scored = replace(scored, gaps=score_gaps(gold, spans))
        files.append(scored)
        if progress:
            progress(n, len(pairs))
    return Evaluation(files, norm, tuple(config.stages), missing)


def format_table(evaluation: Evaluation, per_file: bool = True) -> str:
    """A plain-text table: per file and in total, WER and CER before and after."""
    systems = evaluation.systems
    head = ["file", "words", "OCR WER", "OCR CER"]
    for s in systems:
        head += [f"{s} WER", f"{s} CER", "fixed", "introd.", "left"]
    rows: list[list[str]] = []

    def row(name: str, ocr: Score, scores: Iterable[Score], changes: Iterable[Change]) -> list[str]:
        cells = [name, str(ocr.gt_words), f"{ocr.wer:.3f}", f"{ocr.cer:.3f}"]
        for score, change in zip(scores, changes, strict=True):
            cells += [
                f"{score.wer:.3f}",
                f"{score.cer:.3f}",
                str(change.fixed),
                str(change.introduced),
                str(change.left),
            ]
        return cells

    if per_file:
        for f in evaluation.files:
            rows.append(row(f.name, f.ocr, (f.systems[s] for s in systems), (f.changes[s] for s in systems)))
    total = row(
        "TOTAL",
        evaluation.total_ocr,
        (evaluation.total(s) for s in systems),
        (evaluation.total_change(s) for s in systems),
    )
    widths = [max(len(c) for c in col) for col in zip(head, *rows, total, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    out = [line(head), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    if per_file and rows:
        out.append(line(["-" * w for w in widths]))
    out.append(line(total))
    summary = evaluation.summary()
    for s in systems:
        t = summary["systems"][s]
        out.append(
            f"{s}: WER {summary['ocr']['wer']:.4f} -> {t['wer']:.4f} ({100 * t['wer_change']:+.1f}%), "
            f"CER {summary['ocr']['cer']:.4f} -> {t['cer']:.4f} ({100 * t['cer_change']:+.1f}%), "
            f"{t['introduced_per_1000']:.2f} introduced per 1,000 words"
            + (
                f" ({t['introduced_joined']:,} of the {t['introduced']:,} introduced are words the truth keeps split, joined)"
                if t.get("introduced_joined")
                else ""
            )
        )
    gaps = evaluation.total_gaps
    if gaps is not None:
        out.append(
            f"gaps: recall {gaps.recall:.3f} ({gaps.found} of {gaps.gold} gold drop-outs), "
            f"precision {gaps.precision:.3f} ({gaps.right_flags} of {gaps.flags} flags)"
        )
    return "\n".join(out)


TSV_COLUMNS = ("file", "kind", "position", "gt", "ocr", "output", "context")


def errors_tsv(evaluation: Evaluation) -> str:
    """Every error of restore's output, one a line: file, kind (introduced, remaining),
    position (index of the first truth word), truth, OCR and output words, context."""

    def cell(value: object) -> str:
        return str(value).replace("\t", " ").replace("\n", " ")

    lines = ["\t".join(TSV_COLUMNS)]
    for e in evaluation.errors:
        lines.append("\t".join(cell(getattr(e, c)) for c in TSV_COLUMNS))
    return "\n".join(lines) + "\n"


TEMPLATES = Path(__file__).resolve().parent / "report" / "eval_templates"


def errors_html(evaluation: Evaluation) -> str:
    """The errors as a self-contained HTML page (no script, nothing fetched), from a template."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    files = [
        {
            "name": f.name,
            "errors": [e.to_json() for e in f.errors],
            "introduced": sum(e.kind == "introduced" for e in f.errors),
            "remaining": sum(e.kind == "remaining" for e in f.errors),
        }
        for f in evaluation.files
    ]
    return env.get_template("eval_errors.html.j2").render(total=evaluation.summary(), files=files)


def plot(evaluation: Evaluation, path: str | Path) -> Path:
    """A PNG of each file's WER before (OCR) and after (each system), files sorted by OCR WER."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    files = sorted(evaluation.files, key=lambda f: f.ocr.wer)
    x = list(range(len(files)))
    fig, ax = plt.subplots(figsize=(max(6.0, min(20.0, 0.12 * len(files) + 4)), 4.5))
    ax.plot(x, [f.ocr.wer for f in files], "o", ms=4, label="OCR", color="0.5")
    for system, marker in zip(evaluation.systems, "x+^v", strict=False):
        ax.plot(x, [f.systems[system].wer for f in files], marker, ms=5, label=system)
    ax.set_xlabel("file (sorted by OCR word error rate)")
    ax.set_ylabel("word error rate")
    ax.set_title("Word error rate before and after, per file")
    ax.legend()
    step = max(1, len(files) // 60)  # every file labelled up to 60, then every step-th
    ax.set_xticks(
        x[::step], [f.name for f in files][::step], rotation=70, fontsize=7 if len(files) <= 30 else 5
    )
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
