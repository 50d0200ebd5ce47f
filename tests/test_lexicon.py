"""The symspellpy index with custom words laid over the English one, against symspellpy's own build."""

from pathlib import Path

from symspellpy import Verbosity

from restore.models import deletes, lexicon

SAMPLE = next((Path(__file__).resolve().parent.parent / "corpus").glob("*.txt"))  # the real OCR'd essay

NAMES = ("Bukharin", "Yezhov", "Zhdanov", "Kuybyshev", "Ordzhonikidze", "London", "Moscow")
WORDS = ("nomenklatura", "obkom", "raikom", "the")  # 'the' is in the English index already
FORMS = (
    "bukharim", "yezhow", "zhdanof", "kuybyshew", "ordzhonikidse", "londen", "moskow",
    "nomenklature", "obcom", "raicom", "tlie", "countny", "lnnd", "pieasury", "the", "a",
)  # fmt: skip


def _dictionaries() -> lexicon.Dictionaries:
    counts = {w: 5 for w in WORDS}
    return lexicon.Dictionaries(
        words=frozenset(WORDS), names=frozenset(NAMES), counts=counts, key="test-overlay"
    )


def _full_build(d: lexicon.Dictionaries):
    words_file, _ = lexicon._symspell_files()
    index = lexicon._new_index()
    index.load_dictionary(str(words_file), 0, 1, encoding="utf-8")
    for form in sorted(d.words | {n.lower() for n in d.names}):
        index.create_dictionary_entry(form, max(1, d.counts.get(form, 1)))
    return index


def _suggestions(index, form: str, distance: int):
    return [
        (s.term, s.distance, s.count) for s in index.lookup(form, Verbosity.ALL, max_edit_distance=distance)
    ]


def test_custom_words_laid_over_the_english_index_read_as_a_full_build():
    d = _dictionaries()
    overlay, full = lexicon.symspell(d), _full_build(d)
    assert overlay is not lexicon.symspell()  # the English index itself is untouched
    assert "kuybyshev" in overlay._words and "kuybyshev" not in lexicon.symspell()._words
    assert overlay._words["the"] == full._words["the"]  # a known word gains the count
    for form in FORMS:
        for distance in (1, 2):
            assert _suggestions(overlay, form, distance) == _suggestions(full, form, distance), form


def test_no_custom_words_is_the_english_index():
    assert lexicon.symspell(lexicon.Dictionaries()) is lexicon.symspell()


def test_wordfreq_list_and_plain_zipf_match_wordfreq_itself(tmp_path, monkeypatch):
    import wordfreq

    monkeypatch.setenv("RESTORE_CACHE_DIR", str(tmp_path))
    lexicon._wordfreq_large.cache_clear()
    try:
        built = lexicon._wordfreq_large()  # read from wordfreq's data file, then kept as marshal
        lexicon._wordfreq_large.cache_clear()
        assert lexicon._wordfreq_large() == built == wordfreq.get_frequency_dict("en", "large")
    finally:
        lexicon._wordfreq_large.cache_clear()
    sample = [*list(built)[::97], "The", "PROSECUTION", "Tlie", "prosucution", "Uuited", "xqzzv"]
    plain = [w for w in sample if w.isascii() and w.isalpha()]
    assert len(plain) > 2_000
    assert [lexicon.zipf.__wrapped__(w) for w in plain] == [
        wordfreq.zipf_frequency(w, "en", wordlist="large") for w in plain
    ]


def test_zipf_of_marked_digit_and_several_word_forms_matches_wordfreq_itself():
    """Forms wordfreq must tokenize (marks, digits, apostrophes, ligatures, readings of several
    words) are looked up in restore's own copy of the list, by wordfreq's tokenizer and
    arithmetic: the same floats as wordfreq's zipf_frequency, which loads a second copy."""
    import wordfreq

    tokens = SAMPLE.read_text(encoding="utf-8").split()
    forms = {t for t in tokens if not (t.isascii() and t.isalpha())}
    forms |= {f"{a} {b}" for a, b in zip(tokens[::5], tokens[1::5])}
    forms |= {
        "th»",
        "«it",
        "r2",
        "t>t",
        "j'ear",
        "don't",
        "as.can",
        "£1,250",
        "1840",
        "12th",
        "ﬁve",
        "Æneas",
        "naïve",
        "out-' side",
        "..",
        "—",
        "a—b",
        "as can",
        "tlie Uuited",
        "xqzzv qzv",
    }
    assert len(forms) > 500
    ours = {f: lexicon.zipf.__wrapped__(f) for f in forms}
    assert ours == {f: wordfreq.zipf_frequency(f, "en", wordlist="large") for f in forms}
    assert ours["ﬁve"] > 4 and ours["as can"] > 3 and ours["xqzzv qzv"] == 0.0


def test_nearby_reads_as_symspellpys_own_lookup_on_both_indexes():
    """`nearby` is symspellpy's lookup in the one mode the corrector asks for: the same words,
    distances and counts in the same order, over the memory-mapped English deletes and over a
    custom overlay, against symspellpy's own build of each."""
    d = _dictionaries()
    words_file, _ = lexicon._symspell_files()
    english = lexicon._new_index()
    english.load_dictionary(str(words_file), 0, 1, encoding="utf-8")
    forms = (*FORMS, "", "x" * 40, "respecta", "eonseauenoe", "ricliardaon", "tbe", "arc")
    for ours, full in ((lexicon.symspell(), english), (lexicon.symspell(d), _full_build(d))):
        for form in forms:
            for distance in (1, 2):
                assert lexicon.nearby(ours, form, distance) == _suggestions(full, form, distance), form


def test_a_broken_delete_table_in_the_cache_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setenv("RESTORE_CACHE_DIR", str(tmp_path))
    table = {"tle": "title\tturtle", "the": "the\tthee"}
    first = lexicon._delete_table("test-key", lambda: deletes.table_bytes(table))
    assert first.get("tle") == "title\tturtle"
    (saved,) = tmp_path.glob("symspell-deletes-*.bin")
    saved.write_bytes(saved.read_bytes()[:40])  # cut short, as a full disk would leave it
    again = lexicon._delete_table("test-key", lambda: deletes.table_bytes(table))
    assert again.get("the") == "the\tthee" and again.get("tle") == "title\tturtle"
    assert deletes.DeleteTable.open(saved).get("the") == "the\tthee"  # and saved whole this time
