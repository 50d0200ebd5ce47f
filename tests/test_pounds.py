"""Sums in pounds the OCR printed as figures ("a fine of 101." for '10l.'): learned, read in context."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from restore import Config, clean
from restore.learn import learn
from restore.models import channel

ONLY = Config(stages=("spelling",))
SHIPPED = Path(channel.DEFAULT_MODEL).parent
# Real OCR (BLN600's training split, bln3206235312), with its truth: "a quarter to 11." is the hour,
# "a fine of 101." is ten pounds, printed '10l.' and read by the engine as figures.
FISH_OCR = (
    "who, on coming up, stated that he had condemned them at a quarter to 11. Defendant was told\n"
    "by witness that he, as parish inspector, should seize them as unfit for human food. Mr. Noewton\n"
    "ordered defendant to para fine of 101. and costs (31. 2s.), and, after remarking on the\n"
)
FISH_TRUTH = (
    "who, on coming up, stated that he had condemned them at a quarter to 11. Defendant was told\n"
    "by witness that he, as parish inspector, should seize them as unfit for human food. Mr. Newton\n"
    "ordered defendant to pay a fine of 10l. and costs (3l. 2s.), and, after remarking on the\n"
)


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("RESTORE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


def test_the_pairs_count_what_the_truth_had_for_each_such_number():
    found = channel.pound_prints(FISH_OCR + "in the year 1871.\n", FISH_TRUTH + "in the year 1871.\n")
    # "101." and "31." were pounds, "11." the hour; the year is no candidate at all.
    assert found == {"pounds": 2, "number": 1}


def test_a_sum_in_pounds_printed_as_figures_is_read_with_its_evidence():
    doc = clean(FISH_OCR, ONLY)
    model = channel.load_error_model()
    pounds, of = round(model.pounds["pounds"]), round(model.pounds["pounds"] + model.pounds["number"])
    read = [e for e in doc.edits if e.before == "101"]
    assert len(read) == 1 and read[0].after == "10l"
    e = read[0]
    assert e.stage == "spelling" and e.confidence >= 0.8
    assert f"stood for pounds ('l.') in {pounds:,} of {of:,} cases in the training pairs" in e.reason
    assert "'fine of 10l .'" in e.reason and f"probability {e.confidence:.3f}" in e.reason
    assert "a quarter to 11. Defendant" in doc.output  # the hour: its context speaks against pounds
    assert doc.apply([])[0] == FISH_OCR
    assert (
        clean(doc.output, ONLY).output == doc.output
    )  # "10l." is no such print: a second pass reads nothing


def test_a_sum_after_a_joined_word_is_read_where_it_stands():
    # The pieces of a joined word leave the sentence as read: the number keeps its own place, so the
    # sum is read as it is without the split before it (at 8a7e2fe it was read one token late).
    joined = clean("The pri soner was fined 101. and costs.\n", ONLY)
    alone = clean("The prisoner was fined 101. and costs.\n", ONLY)
    assert joined.output == alone.output == "The prisoner was fined 10l. and costs.\n"
    assert [e.before for e in joined.edits] == ["pri soner", "101"]


@pytest.mark.parametrize(
    "line",
    [
        "The new wing of the hospital was opened in the year 1871. The governors met.\n",  # a year
        "The whole cost of the repairs came to $51. The governors met again.\n",  # dollars
        "The table of the rates is printed in full on page 21. The governors met.\n",  # a page
        "The witness said he left the house at a quarter to 11. The door was shut.\n",  # an hour
        # Clean text (Gutenberg): the shipped rate alone would make these sums, at 0.80; the
        # context speaks against pounds about five times over.
        "My name is Carl Crawford, and my room is 71.\n",
        "one age is 21.\n",
    ],
)
def test_years_dollars_and_contexts_against_pounds_stay_as_printed(line):
    doc = clean(line, ONLY)
    assert doc.output == line
    assert not [
        f for f in doc.flags if "pounds" in f.reason
    ]  # nor flagged: the rate would speak, not the context


def _model_with(tmp_path: Path, pounds: dict | None) -> str:
    folder = tmp_path / "model"
    shutil.copytree(SHIPPED, folder)
    data = json.loads((folder / "channel.json").read_text(encoding="utf-8"))
    if pounds is None:
        data.pop("pounds")
    else:
        data["pounds"] = pounds
    (folder / "channel.json").write_text(json.dumps(data), encoding="utf-8")
    return str(folder)


def test_a_model_whose_pairs_never_printed_such_sums_reads_none(tmp_path):
    # A model learned before the pairs' numbers were counted, and one whose collection prints such
    # numbers as numbers: "a fine of 101." stays.
    for pounds in (None, {"number": 60, "pounds": 2}):
        doc = clean(
            FISH_OCR, Config(stages=("spelling",), model_dir=_model_with(tmp_path / str(pounds), pounds))
        )
        assert "fine of 101. and" in doc.output


def test_restore_learn_counts_a_collections_numbers(tmp_path):
    # A collection whose corrected pages print such numbers as numbers (votes, not sums): its own
    # count outweighs the shipped pairs' pounds, scaled to the prior's weight.
    page = "The division was taken, and the motion was carried by a majority of {n}. The House rose.\n"
    ocr, gt = tmp_path / "ocr", tmp_path / "gt"
    ocr.mkdir(), gt.mkdir()
    for k in range(40):
        text = page.format(n=21 + 10 * k)
        (ocr / f"p{k:02}.txt").write_text(text, encoding="utf-8")
        (gt / f"p{k:02}.txt").write_text(text, encoding="utf-8")
    learn(ocr, gt, tmp_path / "collection")
    model = channel.load_error_model(tmp_path / "collection")
    assert model.pounds["number"] >= 40 and model.pounds_rate < 0.5
    shipped = channel.load_error_model()
    assert shipped.pounds_rate > 0.9  # BLN600's pairs: their engine prints nearly every such sum so
    doc = clean(FISH_OCR, Config(stages=("spelling",), model_dir=str(tmp_path / "collection")))
    assert "fine of 101. and" in doc.output
