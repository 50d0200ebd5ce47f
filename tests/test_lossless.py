"""The lossless invariant end to end: any text, any stages, the record gives the input back."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from restore import Config, apply_edits, clean

LAYOUT = ("normalize", "pages", "hyphenation", "paragraphs")
CORPUS = sorted((Path(__file__).parents[1] / "corpus").glob("*.txt"))

WORDS = [
    "the",
    "prosecu",
    "tion",
    "co",
    "optation",
    "Stalin",
    "12",
    "xiv",
    "Page 3",
    "- 4 -",
    "HEAD LINE",
    "ﬁne",
    "‘‘",
    "’’",
    "''",
    "(",
    ")",
    ".",
    ",",
    "?",
    "Who:",
    "1.",
    "a",
]
SEPARATORS = [
    " ",
    " ",
    " ",
    "\n",
    "-\n",
    "\n\n",
    "\n\n\n",
    "\n\n\n\n",
    "\f",
    "\r\n",
    "  \n",
    "\t",
    "\u00ad\n",
    "\u200b",
]


@st.composite
def ocr_like_texts(draw):
    """Texts built from OCR-ish pieces: words, hyphens at line ends, page breaks, form feeds."""
    parts = draw(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=60))
    noise = draw(st.text(max_size=8))
    return "".join(w + s for w, s in parts) + noise


def check_record(source: str, result) -> None:
    edits = list(result.edits)
    assert apply_edits(source, edits, [])[0] == source
    assert apply_edits(source, edits, [e.id for e in edits])[0] == result.output
    for e in edits:
        assert source[e.source_span[0] : e.source_span[1]] == e.before
        if e.superseded_by is None:
            assert result.output[e.output_span[0] : e.output_span[1]] == e.after
    for f in result.flags:
        assert 0 <= f.output_span[0] <= f.output_span[1] <= len(result.output)
        assert result.output[f.output_span[0] : f.output_span[1]] == f.excerpt


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ocr_like_texts(), st.sets(st.sampled_from(LAYOUT), min_size=1), st.booleans())
def test_layout_record_is_lossless_on_generated_text(text, stages, keep_lines):
    result = clean(text, Config(stages=tuple(stages), keep_lines=keep_lines))
    check_record(text, result)


@settings(max_examples=100, deadline=None)
@given(ocr_like_texts())
def test_layout_is_idempotent_on_generated_text(text):
    once = clean(text, Config(stages=LAYOUT)).output
    assert clean(once, Config(stages=LAYOUT)).output == once


def test_corpus_record_is_lossless_with_every_stage():
    for path in CORPUS:
        source = path.read_text(encoding="utf-8")
        check_record(source, clean(source))


def test_words_with_a_digit_inside_read_whole_keep_the_record_lossless():
    # "bro1ught" -> "brought" spans three tokens ('bro', '1', 'ught'): rejecting gives them back.
    path = Path(__file__).parent / "data" / "spelling" / "digits_in_words.in.txt"
    source = path.read_text(encoding="utf-8")
    result = clean(source, Config(spacy_model="none"))
    assert ("bro1ught", "brought") in [(e.before, e.after) for e in result.edits]
    check_record(source, result)


def test_words_with_stray_marks_read_whole_keep_the_record_lossless():
    # Their edits span both pieces and the marks ("sign»d" -> "signed"): rejecting gives them back.
    path = Path(__file__).parent / "data" / "spelling" / "stray_marks.in.txt"
    source = path.read_text(encoding="utf-8")
    result = clean(source, Config(spacy_model="none"))
    assert any("»" in e.before for e in result.edits)
    check_record(source, result)
