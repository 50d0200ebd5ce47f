"""Lone letters inside lines: specks removed on learned rates, letters that stood for words kept."""

from pathlib import Path

import pytest

from restore import Config, clean
from restore.learn import learn, lone_letter_rates
from restore.models import lone_letters
from restore.models.lm import load_language_model

ONLY = Config(stages=("spelling",))
DATA = Path(__file__).parent / "data" / "spelling"
# Real OCR (BLN600's training split, bln3200801633 and bln3200801632): four specks between words.
SPECKS = (DATA / "lone_letters_inside_lines.in.txt").read_text(encoding="utf-8")
# Real OCR (overproof-smh, article061): the engine prints 'n' for 'a'; the truth has "in a dwelling".
STOOD_FOR_A_WORD = (
    "Cot, robbery, George Cooling, larcony, and stealing!\nin n dwelling. Harold Papworth, larceny, William\n"
)


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("RESTORE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


def letter_edits(doc):
    return [
        e for e in doc.edits if e.after == "" and e.before.strip().isalpha() and len(e.before.strip()) == 1
    ]


def test_each_speck_is_removed_with_its_space_and_its_reason_gives_the_numbers():
    doc = clean(SPECKS, ONLY)
    removed = letter_edits(doc)
    assert [e.before for e in removed] == ["t ", "i ", "r ", "r "]
    rates = lone_letters.load_rates()
    for e in removed:
        assert e.stage == "spelling" and e.after == "" and e.confidence >= 0.8
        assert f"a lone '{e.before[0]}' between words" in e.reason
        assert "read without it, is" in e.reason and "times likelier than with" in e.reason
        assert f"in {rates.source}" in e.reason and f"probability {e.confidence:.3f}" in e.reason
    assert "in the way of trains" in doc.output and "would be less likely" in doc.output
    assert doc.apply([])[0] == SPECKS


def test_rejecting_one_removal_gives_back_that_letter_alone():
    doc = clean(SPECKS, ONLY)
    first = letter_edits(doc)[0]
    kept, _ = doc.apply([e.id for e in doc.edits if e.id != first.id])
    assert "a charge t of disorderly" in kept and "in the way of trains" in kept


def test_a_letter_that_stood_for_a_word_is_not_removed_but_read_as_that_word():
    # "in a dwelling" reads better than "in dwelling": a short word fits where the 'n' stands, so
    # the speck reader leaves it, and the channel reads it as the word the OCR misprinted.
    model = load_language_model()
    at = STOOD_FOR_A_WORD.index(" n ") + 1
    judged = lone_letters.margin(STOOD_FOR_A_WORD, at, at + 1, model.score, model.known)
    assert judged is not None and judged.log10 < lone_letters.MARGINS[-1]
    doc = clean(STOOD_FOR_A_WORD, ONLY)
    assert "in a dwelling" in doc.output and not letter_edits(doc)
    (read,) = [e for e in doc.edits if e.before == "n"]
    assert read.after == "a" and "OCR printed 'n' for 'a'" in read.reason


def test_a_letter_the_ocr_kept_of_a_short_word_is_read_as_that_word():
    # Real OCR (overproof-smh, articles 035, 061, 033): "appeared m the", "keeping u disorderly house".
    text = (DATA / "lone_letters_read_as_words.in.txt").read_text(encoding="utf-8")
    doc = clean(text, ONLY)
    read = [e for e in doc.edits if len(e.before) == 1 and e.after]
    assert [(e.before, e.after) for e in read] == [("m", "in"), ("u", "a"), ("m", "in")]
    for e in read:
        assert f"OCR printed '{e.before}' for '{e.after}'" in e.reason and "times likelier" in e.reason
        assert e.confidence >= 0.8 and f"probability {e.confidence:.3f}" in e.reason
    assert doc.apply([])[0] == text
    # An old book's lone letters may be its abbreviations: they stay as printed.
    early = clean(text, ONLY.with_(language_period="early-modern"))
    assert not [e for e in early.edits if len(e.before) == 1 and e.after]


@pytest.mark.parametrize(
    "text",
    [
        "I don t know what he meant by it, but he can t come and won t stay.",
        # Real text (Project Gutenberg): a dialect's elisions, the letter beside its apostrophe.
        "\"No. So he's got his share o' the cash yet.\"",
        "An' right here an' now I name this yere canyon 'All Gold Canyon,' b' gosh!",
    ],
)
def test_a_letter_left_of_an_apostrophes_word_is_never_read_as_a_word(text):
    doc = clean(text, ONLY)
    assert doc.output == text and not [f for f in doc.flags if len(f.excerpt) == 1]


@pytest.mark.parametrize(
    "text",
    [
        "The case of Smith v Jones was heard on Monday before the magistrate.",  # versus
        "The case was heard before Mr J Smith on Monday at the court.",  # an initial
        "The prisoner was taken a long way to the station that night.",  # 'a' is a word
        # Real OCR (icdar2017-en, eng_monograph-75): a possessive without its apostrophe.
        "pub. at 3s. Blake s Illustrated Edition of the Book of Job.",
        # Letters that label: the books seldom print them, so the model alone would call them specks.
        "Under clause b of section 4 the council may levy a rate.",
        "The battalion was drawn up in column of companies, with company b on the right.",
    ],
)
def test_versus_initials_a_and_apostrophes_words_are_never_judged(text):
    assert clean(text, ONLY).output == text


def test_what_is_left_of_an_apostrophes_word_is_no_lone_letter():
    found = [m.group() for m in lone_letters.LONE_LETTER.finditer("he don t know it s the e house t of")]
    assert found == ["e", "t"]  # not "don t" nor "it s"


def test_under_the_bar_a_speck_stays_as_printed():
    doc = clean(SPECKS, ONLY.with_(min_confidence=0.99))
    assert not letter_edits(doc)
    assert "a charge t of disorderly" in doc.output


def test_early_modern_text_keeps_its_lone_letters():
    doc = clean(SPECKS, ONLY.with_(language_period="early-modern"))
    assert not letter_edits(doc)


def test_rates_are_learned_from_pairs_by_the_truth_around_each_letter():
    ocr = "so that the next case, a charge t of disorderly conduct against the man, might be taken."
    truth = "so that the next case, a charge of disorderly conduct against the man, might be taken."
    rates = lone_letter_rates([(ocr, truth), (ocr, ocr)], "two pairs")
    # The same letter with the same margin: a speck where the truth lacks it, a word where it has it.
    assert rates.bands[0][1:] == (1, 2) and all(n == 0 for _, _, n in rates.bands[1:])
    assert rates.probability(rates.bands[0][0]) == 2 / 4


def test_learn_writes_rates_only_from_enough_letters_and_the_shipped_ones_serve_otherwise(tmp_path):
    ocr, gt, few = tmp_path / "ocr", tmp_path / "gt", tmp_path / "few"
    ocr.mkdir()
    gt.mkdir()
    (ocr / "a.txt").write_text(SPECKS, encoding="utf-8")
    (gt / "a.txt").write_text(SPECKS.replace(" t of", " of"), encoding="utf-8")
    learn(ocr, gt, few, in_domain_text=False)
    assert not (few / lone_letters.RATES_NAME).exists()
    assert lone_letters.load_rates(str(few)) == lone_letters.load_rates()


def test_learn_writes_a_collections_own_rates_and_clean_reads_them(tmp_path):
    # Thirteen pages of the same real OCR, four specks each: 52 lone letters, all specks.
    truth = SPECKS.replace(" t of", " of").replace(" i police", " police").replace(" r ", " ")
    ocr, gt, model = tmp_path / "ocr", tmp_path / "gt", tmp_path / "model"
    ocr.mkdir()
    gt.mkdir()
    for k in range(13):
        (ocr / f"p{k}.txt").write_text(SPECKS, encoding="utf-8")
        (gt / f"p{k}.txt").write_text(truth, encoding="utf-8")
    learn(ocr, gt, model, in_domain_text=False)
    rates = lone_letters.load_rates(str(model))
    assert sum(j for _, j, _ in rates.bands) == sum(n for _, _, n in rates.bands) == 52
    assert rates.source == f"the pairs of {tmp_path.name}"
    doc = clean(SPECKS, ONLY.with_(model_dir=str(model)))
    assert all(f"in {rates.source}" in e.reason for e in letter_edits(doc)) and letter_edits(doc)
