"""Word knowledge shared by stages: frequencies, dictionaries, the document's own vocabulary.

Heavy resources load once per process and are cached here, nowhere else:

- wordfreq's large English list (about 320,000 forms), on the first lookup, read from its
  data file (and kept in the cache folder) without importing wordfreq;
- the word lists of ``dictionaries/`` and of ``--dict`` / ``--names`` files, per
  set of files;
- symspellpy's index (its bundled 82,765-word frequency dictionary plus every
  custom word), only when a document has a word that no dictionary knows. Built
  once, it is kept on disk under ``$RESTORE_CACHE_DIR`` (default
  ``$XDG_CACHE_HOME/restore`` or ``~/.cache/restore``), keyed by a hash of every
  dictionary file, and loads from there in about a third of a second.

Dictionary files are plain UTF-8 text, one entry a line, ``#`` comments, with an
optional tab-separated count and, for names, a third column of OCR variants:

    Tukhachevsky<TAB>12<TAB>Tukhachevskv, Tuchachevsky
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import OSA

from .deletes import DeleteTable, LaidOver, table_bytes

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

# Bump when the cached index's layout changes.
_INDEX_FORMAT = 3  # 2: the bigram counts are no longer stored in the index (see english_counts); 3: nor the deletes (see deletes.py)
MAX_EDIT_DISTANCE = 2
PREFIX_LENGTH = 7


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """Zipf frequency of a word in English (wordfreq's large list): 0 unknown, 7 'the'.

    A plain word (ASCII letters), or several separated by single spaces, is looked up as wordfreq
    would, without importing wordfreq, whose import costs more than all the models' loading;
    anything else is wordfreq's to tokenize, and its tokens are looked up here (``_tokens_zipf``).

    >>> zipf("prosecution") > 3 > zipf("prosecu")
    True
    """
    if word.isascii() and word.isalpha():
        return _plain_zipf(_wordfreq_large().get(word.lower()))
    if _PLAIN_WORDS.fullmatch(word):  # a reading of several words ("as can"): wordfreq splits at the spaces
        return _tokens_zipf(word.lower().split(" "))
    from wordfreq.tokens import lossy_tokenize  # marks, digits, apostrophes, letters beyond ASCII

    return _tokens_zipf(lossy_tokenize(word, "en"))


_PLAIN_WORDS = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)+")


def _tokens_zipf(tokens: list[str]) -> float:
    """wordfreq's zipf_frequency of a form it tokenizes into `tokens`, over this module's copy of
    its large list: the tokens' frequencies combine as 1/f = 1/f1 + 1/f2 + ..., and a token with
    digits is looked up with them as zeros, at its digits' share (wordfreq's own arithmetic, so
    the same floats), without wordfreq loading its own copy of the list (a tenth of a second)."""
    if not tokens:
        return 0.0
    freqs = _wordfreq_large()
    inverse = 0.0
    for token in tokens:
        smashed = token
        if any(c.isdigit() for c in token):
            from wordfreq.numbers import smash_numbers

            smashed = smash_numbers(token)
        freq = freqs.get(smashed)
        if freq is None:
            return 0.0
        if smashed != token:
            from wordfreq.numbers import digit_freq

            freq *= digit_freq(token)
        inverse += 1.0 / freq
    return _plain_zipf(max(1.0 / inverse, 1e-9))


def _plain_zipf(freq: float | None) -> float:
    """wordfreq's zipf_frequency for one token of frequency `freq`: three significant digits, then
    the Zipf scale rounded to hundredths (the same arithmetic, so the same floats)."""
    if not freq:
        return 0.0
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)


def vocabulary(text: str) -> Counter:
    """Counts of the word forms in a text, case kept (document evidence)."""
    return Counter(WORD.findall(text))


@lru_cache(maxsize=1)
def _wordfreq_large() -> dict[str, float]:
    """wordfreq's large English list (form -> frequency) read from its data file, as wordfreq's
    get_frequency_dict builds it, and kept in the cache folder as a marshal file."""
    import importlib.util
    from importlib import metadata

    spec = importlib.util.find_spec("wordfreq")  # finds the package without running it
    source = Path(next(iter(spec.submodule_search_locations))) / "data" / "large_en.msgpack.gz"

    def build() -> dict[str, float]:
        import gzip

        import msgpack

        with gzip.open(source, "rb") as handle:
            pack = msgpack.load(handle, raw=False)
        if not isinstance(pack[0], dict) or pack[0].get("format") != "cB":
            raise ValueError(f"{source}: not a wordfreq cBpack file")
        return {word: 10 ** (-index / 100) for index, bucket in enumerate(pack[1:]) for word in bucket}

    return _cached("wordfreq", f"{metadata.version('wordfreq')}|{source.stat().st_size}", build)


def word_zipf(word: str) -> float:
    """Zipf frequency of an already lower-cased word by plain dictionary lookup (fast path).

    Unlike `zipf` it does no tokenizing, so it costs one dict lookup.

    >>> word_zipf("the") > 7 > word_zipf("prosecution") > 0 == word_zipf("prosucution")
    True
    """
    freq = _wordfreq_large().get(word)
    return round(math.log10(freq) + 9, 2) if freq else 0.0


# --- dictionary files -------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of a dictionary file: a form, its count and, for names, OCR variants seen."""

    form: str
    count: int = 1
    variants: tuple[str, ...] = ()


def parse_dictionary(text: str) -> list[Entry]:
    """Entries of a dictionary file's text: one a line, ``#`` comments, optional tab columns.

    >>> parse_dictionary("# names\\nYezhov\\t40\\tYezbov, Yczhov\\nkolkhoz\\n")
    [Entry(form='Yezhov', count=40, variants=('Yezbov', 'Yczhov')), Entry(form='kolkhoz', count=1, variants=())]
    """
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = line.rstrip("\r\n").split("\t")
        form = columns[0].strip()
        if not form:
            continue
        count = 1
        if len(columns) > 1 and columns[1].strip():
            try:
                count = int(float(columns[1].strip()))
            except ValueError:
                count = 1
        variants: tuple[str, ...] = ()
        if len(columns) > 2:
            variants = tuple(v.strip() for v in columns[2].split(",") if v.strip())
        entries.append(Entry(form, count, variants))
    return entries


SHIPPED_DICTIONARIES = Path(__file__).resolve().parents[1] / "data" / "dictionaries"


def project_dictionary_dir() -> Path | None:
    """The user-editable ``dictionaries/`` folder beside the package (a checkout), or None
    (an installed wheel, which has only the shipped lists)."""
    folder = Path(__file__).resolve().parents[2] / "dictionaries"
    return folder if folder.is_dir() else None


@dataclass(frozen=True)
class Dictionaries:
    """Every custom word list in force for a run, stacked: built-in < project < given files.

    ``words`` are lower-cased forms known to be right; ``names`` are proper names
    as written (protected exactly); ``variants`` maps a known OCR variant of a name
    (as written) to its canonical form. A later file wins: a form listed as a
    name in a later file is not also a variant from an earlier one.
    """

    words: frozenset[str] = field(default=frozenset(), compare=False)
    names: frozenset[str] = field(default=frozenset(), compare=False)
    variants: dict[str, str] = field(default_factory=dict, compare=False)
    counts: dict[str, int] = field(default_factory=dict, compare=False)  # lower-cased form -> count
    files: tuple[str, ...] = ()
    key: str = ""  # hash of every file's content, for the on-disk index


def dictionary_files(
    extra_dicts: Iterable[str] = (), extra_names: Iterable[str] = (), use_project: bool = True
) -> tuple[tuple[str, str], ...]:
    """The (kind, path) of every dictionary file in stacking order: the lists shipped in
    the package (restore/data/dictionaries/), then the project's dictionaries/ folder,
    then the files given; ``use_project=False`` leaves out the first two."""
    files: list[tuple[str, str]] = []
    folders = [SHIPPED_DICTIONARIES, project_dictionary_dir()] if use_project else []
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.txt")):
            kind = "names" if path.name.startswith("names") else "words"
            files.append((kind, str(path)))
    files += [("words", str(p)) for p in extra_dicts]
    files += [("names", str(p)) for p in extra_names]
    return tuple(files)


def load_dictionaries(
    extra_dicts: Iterable[str] = (), extra_names: Iterable[str] = (), use_project: bool = True
) -> Dictionaries:
    """Load and stack the dictionary files (cached per set of files and their contents)."""
    files = dictionary_files(extra_dicts, extra_names, use_project)
    stamps = []
    for _kind, path in files:
        try:
            st = os.stat(path)
            stamps.append((st.st_mtime_ns, st.st_size))
        except OSError as error:
            raise FileNotFoundError(f"dictionary file {path} cannot be read: {error.strerror}") from None
    return _load_dictionaries(files, tuple(stamps))


@lru_cache(maxsize=16)
def _load_dictionaries(files: tuple[tuple[str, str], ...], _stamps: tuple) -> Dictionaries:
    words: set[str] = set()
    names: dict[str, str] = {}  # form -> file
    variants: dict[str, str] = {}
    counts: dict[str, int] = {}
    digest = hashlib.sha256(f"restore-dictionaries-{_INDEX_FORMAT}".encode())
    for kind, path in files:
        data = Path(path).read_bytes()
        digest.update(f"\0{kind}\0".encode() + data)
        for entry in parse_dictionary(data.decode("utf-8", errors="replace")):
            lower = entry.form.lower()
            counts[lower] = max(counts.get(lower, 0), entry.count)
            if kind == "names":
                names[entry.form] = path
                variants.pop(entry.form, None)
                for variant in entry.variants:
                    if variant != entry.form:
                        variants[variant] = entry.form
                        names.pop(variant, None)
            else:
                words.add(lower)
    return Dictionaries(
        words=frozenset(words),
        names=frozenset(names),
        variants=variants,
        counts=counts,
        files=tuple(p for _k, p in files),
        key=digest.hexdigest()[:20],
    )


# --- the symspellpy index ---------------------------------------------------------------


def cache_dir() -> Path:
    """Where built indexes are kept: $RESTORE_CACHE_DIR, else $XDG_CACHE_HOME/restore, else ~/.cache/restore."""
    if os.environ.get("RESTORE_CACHE_DIR"):
        return Path(os.environ["RESTORE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "restore"


def nearby(index, phrase: str, max_edit_distance: int) -> list[tuple[str, int, int]]:
    """(term, distance, count) for every word of a symspellpy index within `max_edit_distance`
    (Damerau OSA) of `phrase`, nearest first and then most frequent: what
    ``index.lookup(phrase, Verbosity.ALL, max_edit_distance)`` returns, in the same order.

    symspellpy's own lookup, kept to the one mode the corrector asks for, without its objects:
    its suggestion objects and their sort in Python took a third of its time, and the lookup
    is the dearest step of finding a word's candidates."""
    words, deletes, prefix = index._words, index._deletes, index._prefix_length
    phrase_len = len(phrase)
    found: list[tuple[str, int, int]] = []
    if phrase_len - max_edit_distance > index._max_length:
        return found
    if phrase in words:
        found.append((phrase, 0, words[phrase]))
    if max_edit_distance == 0:
        return found
    osa = OSA.distance
    considered_deletes: set[str] = set()
    considered = {phrase}
    phrase_prefix_len = min(phrase_len, prefix)
    candidates = [phrase[:phrase_prefix_len]]
    pointer = 0
    while pointer < len(candidates):
        candidate = candidates[pointer]
        pointer += 1
        candidate_len = len(candidate)
        len_diff = phrase_prefix_len - candidate_len
        if len_diff > max_edit_distance:
            continue
        listed = deletes.get(candidate)
        if listed is not None:
            for suggestion in listed.split("\t") if isinstance(listed, str) else listed:
                if suggestion == phrase:
                    continue
                suggestion_len = len(suggestion)
                if (
                    abs(suggestion_len - phrase_len) > max_edit_distance
                    or suggestion_len < candidate_len
                    or (suggestion_len == candidate_len and suggestion != candidate)
                ):
                    continue
                suggestion_prefix_len = min(suggestion_len, prefix)
                if (
                    suggestion_prefix_len > phrase_prefix_len
                    and suggestion_prefix_len - candidate_len > max_edit_distance
                ):
                    continue
                if candidate_len == 0:
                    distance = max(phrase_len, suggestion_len)
                    if distance > max_edit_distance or suggestion in considered:
                        continue
                elif suggestion_len == 1:
                    # The one letter is the candidate itself, a letter of the phrase: all else deleted.
                    distance = phrase_len - 1
                    if distance > max_edit_distance or suggestion in considered:
                        continue
                else:
                    if prefix - max_edit_distance == candidate_len:
                        # symspellpy's shortcut: every edit spent in the prefix, and the suffixes differ.
                        min_distance = min(phrase_len, suggestion_len) - prefix
                        if (
                            min_distance > 1
                            and phrase[phrase_len + 1 - min_distance :]
                            != suggestion[suggestion_len + 1 - min_distance :]
                        ) or (
                            min_distance > 0
                            and phrase[phrase_len - min_distance] != suggestion[suggestion_len - min_distance]
                            and (
                                phrase[phrase_len - min_distance - 1]
                                != suggestion[suggestion_len - min_distance]
                                or phrase[phrase_len - min_distance]
                                != suggestion[suggestion_len - min_distance - 1]
                            )
                        ):
                            continue
                    if suggestion in considered:
                        continue
                    considered.add(suggestion)
                    distance = osa(phrase, suggestion, score_cutoff=max_edit_distance)
                    if distance > max_edit_distance:
                        continue
                found.append((suggestion, distance, words[suggestion]))
        if len_diff < max_edit_distance and candidate_len <= prefix:
            for i in range(candidate_len):
                delete = candidate[:i] + candidate[i + 1 :]
                if delete not in considered_deletes:
                    considered_deletes.add(delete)
                    candidates.append(delete)
    found.sort(key=lambda item: (item[1], -item[2]))
    return found


def _symspell_files() -> tuple[Path, Path]:
    import symspellpy

    folder = Path(symspellpy.__file__).parent
    return folder / "frequency_dictionary_en_82_765.txt", folder / "frequency_bigramdictionary_en_243_342.txt"


def _new_index():
    from symspellpy import SymSpell
    from symspellpy.editdistance import DistanceAlgorithm, EditDistance

    return SymSpell(
        max_dictionary_edit_distance=MAX_EDIT_DISTANCE,
        prefix_length=PREFIX_LENGTH,
        distance_comparer=EditDistance(DistanceAlgorithm.USER_PROVIDED, _FastDistance()),
    )


@lru_cache(maxsize=4)
def symspell(dictionaries: Dictionaries = Dictionaries()):
    """A SymSpell index over symspellpy's English dictionary and every custom word.

    The English index loads once per process (`_english_symspell`); the custom words are laid
    over a copy of its tables as symspellpy's own ``create_dictionary_entry`` would add them (a
    word it has gains the count, a new one its deletes), so a run with a name dictionary does
    not load a second copy of the deletes from disk.
    """
    from symspellpy import helpers

    base = _english_symspell()
    custom = sorted(
        form for form in dictionaries.words | {n.lower() for n in dictionaries.names} if " " not in form
    )
    if not custom:
        return base
    index = _new_index()
    words = dict(base._words)
    extra: dict[str, list[str]] = {}
    max_length = base._max_length
    for form in custom:
        count = max(1, dictionaries.counts.get(form, 1))
        if form in words:
            words[form] = helpers.increment_count(count, words[form])
            continue
        words[form] = count
        max_length = max(max_length, len(form))
        for delete in index._edits_prefix(form):
            extra.setdefault(delete, []).append(form)
    # The custom forms after the English ones, as a build adds them.
    index._deletes = LaidOver(base._deletes, extra)
    index._words = words
    index._bigrams = base._bigrams
    index._max_length = max_length
    index.bigram_count_min = base.bigram_count_min
    return index


@lru_cache(maxsize=1)
def _english_symspell():
    """The SymSpell index over symspellpy's English dictionary alone.

    Loaded from the on-disk cache when it is there, else built (a few seconds)
    and saved. Its bigram counts are the shared `english_counts` table.
    """
    from importlib import metadata

    words_file, _ = _symspell_files()

    @lru_cache(maxsize=1)
    def built():
        """symspellpy's own build, made once, and only when a cache file is missing."""
        scratch = _new_index()
        scratch.load_dictionary(str(words_file), 0, 1, encoding="utf-8")
        return scratch

    key = (
        f"{_INDEX_FORMAT}|{MAX_EDIT_DISTANCE}|{PREFIX_LENGTH}|{metadata.version('symspellpy')}|"
        f"{words_file.stat().st_size}|"
    )
    data = _cached(
        "symspell", key, lambda: {"words": dict(built()._words), "max_length": built()._max_length}
    )
    index = _new_index()
    index._deletes = _delete_table(
        key, lambda: table_bytes({k: "\t".join(v) for k, v in built()._deletes.items()})
    )
    index._words = data["words"]
    index._bigrams = english_counts()[1]  # the same table spelling's context checks and gaps read
    index._max_length = data["max_length"]
    index.bigram_count_min = min(index._bigrams.values(), default=1)
    return index


def _delete_table(key: str, build) -> DeleteTable:
    """The English delete map, memory-mapped from the cache folder (symspell-deletes-HASH.bin):
    opened when it is there and whole, else built by `build()` and saved."""
    path = cache_dir() / f"symspell-deletes-{hashlib.sha256(key.encode()).hexdigest()[:20]}.bin"
    try:
        return DeleteTable.open(path)
    except (OSError, ValueError):
        pass
    blob = build()
    _save_quietly(path, blob)
    try:
        return DeleteTable.open(path)
    except (OSError, ValueError):  # an unwritable cache: the table from memory
        return DeleteTable(blob)


def _fast_distance_class():
    from rapidfuzz.distance import OSA
    from symspellpy.abstract_distance_comparer import AbstractDistanceComparer

    class FastDistance(AbstractDistanceComparer):
        """symspellpy's Damerau (OSA) distance computed by rapidfuzz in C: lookups 3x faster."""

        def distance(self, string_1, string_2, max_distance):
            d = OSA.distance(string_1 or "", string_2 or "", score_cutoff=max_distance)
            return -1 if d > max_distance else d

    return FastDistance


def _FastDistance():
    return _fast_distance_class()()


def _cached(name: str, key: str, build):
    """A table kept in the cache folder as marshal (NAME-HASH.marshal, HASH from `key`): loaded
    when it is there and readable, else built by `build()` and saved."""
    path = cache_dir() / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:20]}.marshal"
    if path.exists():
        enabled = gc.isenabled()
        gc.disable()  # a load makes a million objects; collecting meanwhile triples its time
        try:
            return marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            pass
        finally:
            if enabled:
                gc.enable()
    value = build()
    _save_quietly(path, marshal.dumps(value))
    return value


def _save_quietly(path: Path, blob: bytes) -> None:
    """Save a cache file atomically; an unwritable cache only costs speed next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".index.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        os.replace(tmp, path)
    except OSError:
        pass


def wordfreq_forms() -> dict[str, float]:
    """wordfreq's large English list (form -> frequency), loaded once."""
    return _wordfreq_large()


@lru_cache(maxsize=1)
def base_words() -> frozenset[str]:
    """symspellpy's 82,765 English words (no index)."""
    return frozenset(english_counts()[0])


def is_known(lower: str, dictionaries: Dictionaries) -> bool:
    """Whether any dictionary knows a lower-cased form: symspellpy's, wordfreq's large list, custom ones."""
    return lower in dictionaries.words or lower in _wordfreq_large() or lower in base_words()


@lru_cache(maxsize=1)
def english_counts() -> tuple[dict[str, int], dict[str, int]]:
    """symspellpy's English word counts and bigram counts ("of the" -> count), without an index.

    Parsing the two text files costs about 0.4 s at every start; the tables are kept on
    disk (marshal, about 0.25 s to load here) next to the symspellpy index, keyed by the files.
    """
    from importlib import metadata

    words_file, bigrams_file = _symspell_files()

    def build() -> tuple[dict[str, int], dict[str, int]]:
        unigrams, bigrams = {}, {}
        with open(words_file, encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) == 2:
                    unigrams[parts[0]] = int(parts[1])
        with open(bigrams_file, encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) == 3:
                    bigrams[f"{parts[0]} {parts[1]}"] = int(parts[2])
        return unigrams, bigrams

    key = f"{metadata.version('symspellpy')}|{words_file.stat().st_size}|{bigrams_file.stat().st_size}"
    unigrams, bigrams = _cached("english-counts", key, build)
    return unigrams, bigrams


def bigram_count(first: str, second: str) -> int:
    """How often two lower-cased words follow each other in symspellpy's bigram list (0 unseen)."""
    return english_counts()[1].get(f"{first} {second}", 0)
