"""Synthetic OCR damage for clean text, with the gold kept beside it.

Each kind of damage is a small pure function of a string and a seed, so a
benchmark (or a user testing restore on their own material) can make noisy
text whose truth is known:

- ``delete_spans``: drop-outs, runs of words lost from a sentence, with the
  place of each loss in the damaged text (the gold for the gaps stage);
- ``confuse_characters``: OCR character confusions (``rn``/``m``, ``e``/``c``...);
- ``rewrap``: hard line breaks at a width, splitting words with end-of-line hyphens;
- ``paginate``: page breaks with a running head and a page number on each page.

``degrade`` chains them in the order a real scan damages text. Everything is
deterministic for a seed.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

# Sentence ends: terminal punctuation (with closing quotes or brackets) before
# whitespace, or a blank line.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|\n[ \t]*\n")
_TOKEN = re.compile(r"\S+")
# A period after these (or after a single capital, an initial) does not end a sentence.
_ABBREVIATIONS = frozenset("mr mrs ms dr st messrs rev hon esq jun sen capt col gen vol ch viz etc".split())
_LAST_WORD = re.compile(r"([^\W\d_]+)$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a text (a simple rule, good enough for noise).

    >>> text = "One two. Mr. J. Smith came!\\n\\nSix"
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['One two.', ' Mr. J. Smith came!', '\\n\\nSix']
    """
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[m.start()] == ".":
            word = _LAST_WORD.search(text, max(start, m.start() - 12), m.start())
            if word and (
                word.group(1).lower() in _ABBREVIATIONS
                or (len(word.group(1)) == 1 and word.group(1).isupper())
            ):
                continue
        if m.end() > start and text[start : m.end()].strip():
            spans.append((start, m.end()))
            start = m.end()
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text)))
    return spans


@dataclass(frozen=True)
class Dropout:
    """One deleted span: ``deleted`` was lost at ``offset`` in the damaged text."""

    offset: int
    deleted: str
    words: int


def drop_spans(
    text: str, rate: float, seed: int, min_words: int = 1, max_words: int = 8
) -> tuple[str, list[Dropout]]:
    """``delete_spans`` with the deleted text kept (see there for the rule)."""
    if not 0 <= rate <= 1:
        raise ValueError(f"rate must be between 0 and 1, not {rate}")
    if not 1 <= min_words <= max_words:
        raise ValueError(f"need 1 <= min_words <= max_words, not {min_words}..{max_words}")
    rng = random.Random(seed)
    pieces: list[str] = []
    dropouts: list[Dropout] = []
    cursor = 0  # text before this is in pieces
    removed = 0  # characters removed so far
    for s, e in sentence_spans(text):
        if rng.random() >= rate:
            continue
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text, s, e)]
        # The last token keeps the sentence's end, so at least one word must stay.
        if len(tokens) - 1 < min_words:
            continue
        k = rng.randint(min_words, min(max_words, len(tokens) - 1))
        first = rng.randrange(0, len(tokens) - k)
        start, end = tokens[first][0], tokens[first + k][0]
        pieces.append(text[cursor:start])
        dropouts.append(Dropout(start - removed, text[start:end], k))
        removed += end - start
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), dropouts


def delete_spans(
    text: str, rate: float, seed: int, min_words: int = 1, max_words: int = 8
) -> tuple[str, list[int]]:
    """Delete runs of words, as when OCR drops a line fragment; return text and places.

    ``rate`` is the probability that a sentence loses one span: each sentence
    (see ``sentence_spans``) independently, with probability ``rate``, loses
    ``k`` consecutive words, ``k`` uniform in ``min_words..max_words`` but
    never the sentence's last word, so the sentence still ends as it did and
    sentences too short to spare ``min_words`` are left whole. A word is a run
    of non-space characters; it goes with the whitespace after it, so the
    words on either side of the hole are still separated.

    Returns the damaged text and, for each deletion in order, the offset in
    the damaged text where the deleted words were (the start of the word that
    now follows the hole).

    >>> delete_spans("The cat sat on the mat. It slept.", 1.0, seed=1)
    ('The cat on the mat. slept.', [8, 20])
    """
    damaged, dropouts = drop_spans(text, rate, seed, min_words, max_words)
    return damaged, [d.offset for d in dropouts]


def drop_lines(text: str, rate: float, seed: int, width: int = 60) -> tuple[str, list[int]]:
    """Drop whole printed lines, as a scan loses a line at a fold or a page edge; return text and places.

    Each paragraph (blank-line separated) is set in lines of at most ``width`` characters, and
    each line but a paragraph's first is lost with probability ``rate`` (never two in a row).
    Unlike ``delete_spans`` the hole ignores sentences: it may take a sentence's end and the
    next one's start ("the new Constitution From July"). Words are rejoined with single spaces.
    Returns the damaged text and, per lost line, the offset of the word that now follows the
    hole (the paragraph's end when its last line was lost).

    >>> drop_lines("one two three four five six seven eight", 1.0, seed=1, width=10)
    ('one two five six eight', [8, 17])
    """
    if not 0 <= rate <= 1:
        raise ValueError(f"rate must be between 0 and 1, not {rate}")
    rng = random.Random(seed)
    out: list[str] = []
    offsets: list[int] = []
    length = 0
    for k, para in enumerate(re.split(r"\n[ \t]*\n", text)):
        lines: list[list[str]] = []
        for word in para.split():
            if lines and len(" ".join(lines[-1] + [word])) <= width:
                lines[-1].append(word)
            else:
                lines.append([word])
        kept: list[str] = []
        dropped_last = False
        for j, line in enumerate(lines):
            if j and not dropped_last and rng.random() < rate:
                dropped_last = True
                offsets.append(length + (2 if k else 0) + len(" ".join(kept)) + (1 if kept else 0))
                continue
            dropped_last = False
            kept += line
        piece = " ".join(kept)
        if offsets and offsets[-1] > length + (2 if k else 0) + len(piece):
            offsets[-1] = length + (2 if k else 0) + len(piece)
        out.append(piece)
        length += (2 if k else 0) + len(piece)
    return "\n\n".join(out), offsets


# OCR confusions seen in real scans, both ways where both happen. Each is
# (clean, damaged); a word gets one of those its letters allow.
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("m", "rn"),
    ("rn", "m"),
    ("e", "c"),
    ("c", "e"),
    ("n", "u"),
    ("u", "n"),
    ("h", "b"),
    ("b", "h"),
    ("l", "1"),
    ("i", "l"),
    ("l", "I"),
    ("t", "f"),
    ("f", "t"),
    ("s", "f"),
    ("o", "0"),
    ("a", "n"),
    ("d", "cl"),
    ("cl", "d"),
    ("h", "li"),
    ("w", "vv"),
    ("r", "i"),
    ("y", "v"),
    ("v", "y"),
    ("g", "q"),
    ("ri", "n"),
    ("in", "m"),
    ("tt", "ft"),
    ("e", "o"),
    ("o", "c"),
    ("a", "e"),
)
_WORD = re.compile(r"[^\W\d_]{2,}")
# Marks where a drop-out happened while later damage moves text around
# (a private-use character no text here contains).
_GAP_MARK = "\ue000"


def confuse_characters(text: str, rate: float, seed: int) -> str:
    """Give each word of two or more letters, with probability ``rate``, one OCR confusion.

    So ``rate`` is close to the word error rate the damage adds. The
    confusion is drawn from ``CONFUSIONS`` among those the word's letters
    allow, at a random place; a capital is damaged as its lower case.

    >>> confuse_characters("modern times", 1.0, seed=2)
    'rnodern tlmes'
    """
    if not 0 <= rate <= 1:
        raise ValueError(f"rate must be between 0 and 1, not {rate}")
    rng = random.Random(seed)

    def damage(m: re.Match) -> str:
        word = m.group()
        if rng.random() >= rate:
            return word
        lower = word.lower()
        options = [(i, a, b) for a, b in CONFUSIONS for i in _find_all(lower, a)]
        if not options:
            return word
        i, a, b = rng.choice(options)
        if word[i].isupper():
            b = b[0].upper() + b[1:] if b[0].isalpha() else b
        return word[:i] + b + word[i + len(a) :]

    return _WORD.sub(damage, text)


def _find_all(word: str, part: str) -> list[int]:
    return [i for i in range(len(word) - len(part) + 1) if word.startswith(part, i)]


def rewrap(text: str, width: int, seed: int, hyphenate: bool = True) -> str:
    """Break each paragraph into lines of at most ``width`` characters, as printed.

    A word that crosses the margin is split with an end-of-line hyphen when
    it has letters enough (at an existing hyphen when it has one, else at a
    random place leaving at least three letters each side), the way a
    compositor justified a column. Paragraphs (blank-line separated) stay.

    >>> print(rewrap("a remarkable collection of stories", 14, seed=1))
    a remarkable
    collection of
    stories
    >>> print(rewrap("the extraordinary collection", 12, seed=1))
    the extr-
    aordinary
    collection
    """
    if width < 8:
        raise ValueError("width must be at least 8")
    rng = random.Random(seed)
    paragraphs = re.split(r"\n[ \t]*\n", text)
    out = []
    for para in paragraphs:
        lines: list[str] = []
        line = ""
        for word in para.split():
            if not line:
                candidate = word
            else:
                candidate = line + " " + word
            if len(candidate) <= width:
                line = candidate
                continue
            room = width - len(line) - (1 if line else 0) - 1  # characters before the hyphen
            split = _split_point(word, room, rng) if hyphenate else None
            if split is not None:
                head, tail = word[:split], word[split:]
                if head.endswith("-"):
                    head = head[:-1]
                lines.append((line + " " if line else "") + head + "-")
                line = tail
            else:
                if line:
                    lines.append(line)
                line = word
            while len(line) > width:  # a word longer than a line: cut it hard
                lines.append(line[: width - 1] + "-")
                line = line[width - 1 :]
        if line:
            lines.append(line)
        out.append("\n".join(lines))
    return "\n\n".join(out)


def _split_point(word: str, room: int, rng: random.Random) -> int | None:
    """Where to split ``word`` so the head fits in ``room`` characters (None: do not split)."""
    if "-" in word[1:-1]:
        cut = word.rfind("-", 0, room + 1)
        if cut >= 2:
            return cut + 1
    letters = [
        i for i in range(3, len(word) - 2) if word[i - 1].isalpha() and word[i].isalpha() and i <= room
    ]
    return rng.choice(letters) if letters else None


def paginate(text: str, lines_per_page: int, running_head: str, first_page: int = 1) -> str:
    """Cut the text into pages of ``lines_per_page`` lines, each opened by a running head
    with its page number (number left on even pages, right on odd, as printed) and
    separated by a form feed.

    >>> print(paginate("one\\ntwo\\nthree", 2, "A TALE").replace("\\f", "<FF>"))
    A TALE  1
    one
    two
    <FF>2  A TALE
    three
    """
    if lines_per_page < 1:
        raise ValueError("lines_per_page must be at least 1")
    lines = text.split("\n")
    pages = []
    for n, start in enumerate(range(0, len(lines), lines_per_page)):
        number = first_page + n
        head = f"{number}  {running_head}" if number % 2 == 0 else f"{running_head}  {number}"
        pages.append("\n".join([head, *lines[start : start + lines_per_page]]))
    return "\n\f".join(pages)


@dataclass(frozen=True)
class GoldGap:
    """A drop-out: ``deleted`` was lost at ``offset`` in the noisy text, ``gold_offset`` in the gold."""

    offset: int
    gold_offset: int
    deleted: str
    words: int


@dataclass(frozen=True)
class Degraded:
    """Noisy text, the gold a perfect restore would give (the clean text minus the
    drop-outs, which nothing can restore), and the gold gap spans."""

    noisy: str
    gold: str
    gaps: tuple[GoldGap, ...] = ()
    settings: dict = field(default_factory=dict)

    def gaps_json(self) -> dict:
        return {
            "settings": dict(self.settings),
            "gaps": [
                {"offset": g.offset, "gold_offset": g.gold_offset, "deleted": g.deleted, "words": g.words}
                for g in self.gaps
            ],
        }


def degrade(
    text: str,
    seed: int,
    *,
    confusion_rate: float = 0.05,
    width: int | None = 60,
    lines_per_page: int | None = 40,
    running_head: str = "RUNNING HEAD",
    dropout_rate: float = 0.0,
    dropout_words: tuple[int, int] = (1, 8),
) -> Degraded:
    """Damage clean text the way a scan does: drop-outs, confusions, wrapping, pages.

    ``width`` or ``lines_per_page`` None skips wrapping or pagination (a page
    needs lines, so pagination without wrapping uses the text's own lines).
    Each step has its own seed derived from ``seed``; same seed, same damage.

    >>> d = degrade("It was a dark and stormy night. The rain fell.", 4, confusion_rate=0.0,
    ...             width=None, lines_per_page=None, dropout_rate=1.0)
    >>> d.noisy, d.gold, [g.offset for g in d.gaps]
    ('It was a dark and night. rain fell.', 'It was a dark and night. rain fell.', [18, 25])
    """
    settings = {
        "seed": seed,
        "confusion_rate": confusion_rate,
        "width": width,
        "lines_per_page": lines_per_page,
        "running_head": running_head,
        "dropout_rate": dropout_rate,
        "dropout_words": list(dropout_words),
    }
    text = text.replace("\r\n", "\n").replace(_GAP_MARK, "")
    gold, dropouts = drop_spans(text, dropout_rate, seed, *dropout_words)
    marked, cursor = [], 0
    for d in dropouts:
        marked += [gold[cursor : d.offset], _GAP_MARK]
        cursor = d.offset
    marked.append(gold[cursor:])
    noisy = confuse_characters("".join(marked), confusion_rate, seed + 1)
    if width:
        noisy = rewrap(noisy, width, seed + 2)
    if lines_per_page:
        noisy = paginate(noisy, lines_per_page, running_head)
    offsets, pieces = [], noisy.split(_GAP_MARK)
    position = 0
    for piece in pieces[:-1]:
        position += len(piece)
        offsets.append(position)
    noisy = "".join(pieces)
    gaps = tuple(GoldGap(o, d.offset, d.deleted, d.words) for o, d in zip(offsets, dropouts, strict=True))
    return Degraded(noisy, gold, gaps, settings)


def degrade_files(
    clean: list[str | Path],
    outdir: str | Path,
    seed: int,
    **settings,
) -> list[Path]:
    """Degrade each clean file into OUTDIR/ocr/NAME.txt, its gold into OUTDIR/gt/NAME.txt and
    its gold gaps into OUTDIR/gaps/NAME.json, so ``restore eval --ocr OUTDIR/ocr --gt
    OUTDIR/gt`` scores restore on it. Keyword settings are ``degrade``'s; the running
    head defaults to the file's name in capitals. File n uses seed ``seed + n``.
    """
    outdir = Path(outdir)
    paths = [Path(p) for p in clean]
    names = [p.name if p.suffix == ".txt" else p.name + ".txt" for p in paths]
    if len(set(names)) != len(names):
        raise ValueError("two clean files have the same name; their outputs would collide")
    written = []
    for n, (path, name) in enumerate(zip(paths, names, strict=True)):
        text = path.read_bytes().decode("utf-8", errors="replace")
        head = settings.get("running_head") or Path(name).stem.replace("_", " ").replace("-", " ").upper()
        result = degrade(text, seed + n, **{**settings, "running_head": head})
        for sub, content in (
            ("ocr", result.noisy),
            ("gt", result.gold),
            ("gaps", json.dumps(result.gaps_json(), ensure_ascii=False, indent=1) + "\n"),
        ):
            target = outdir / sub / (name if sub != "gaps" else Path(name).stem + ".json")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        written.append(outdir / "ocr" / name)
    return written
