"""Scoring against ground truth: counts checked by hand, normalisation options, invariants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from restore.config import Config
from restore.evaluate import Normalization, align, compare, evaluate, format_table, pair_files, score_texts

DATA = Path(__file__).parent / "data" / "eval"
EXPECTED = json.loads((DATA / "expected.json").read_text())


@pytest.fixture(scope="module")
def identity_eval():
    # The "restore" system is the OCR itself, so restore's numbers must equal the OCR's.
    return evaluate(
        DATA / "ocr",
        DATA / "gt",
        Config(stages=("normalize",)),
        peer=DATA / "peer",
        restorer=lambda text: text,
    )


@pytest.mark.parametrize("name", sorted(EXPECTED["files"]))
def test_counts_match_the_hand_count(identity_eval, name):
    # a.txt: "qnick" for "quick" (1 word, 1 character); the line-end hyphen in "dog-\ngie" joins on
    #   both sides. 9 truth words, "the quick brown fox jumps over the lazy doggie" is 46 characters.
    # b.txt: OCR "sald", "thern" (2 words; 1 + 2 characters); curly and straight quotes compare equal.
    #   Peer: "well known" for "wellknown" (a substitution and an insertion: 2 words, 1 character),
    #   "then" for "them" (1). It fixed "said", broke "well-known" (right in the OCR), left "them".
    want = EXPECTED["files"][name]
    f = next(f for f in identity_eval.files if f.name == name)
    assert (f.ocr.gt_words, f.ocr.gt_chars) == (want["gt_words"], want["gt_chars"])
    assert (f.ocr.word_errors, f.ocr.char_errors) == (want["ocr"]["word_errors"], want["ocr"]["char_errors"])
    peer, change = f.systems["peer"], f.changes["peer"]
    assert (peer.word_errors, peer.char_errors) == (want["peer"]["word_errors"], want["peer"]["char_errors"])
    assert (change.fixed, change.introduced, change.left) == tuple(
        want["peer"][k] for k in ("fixed", "introduced", "left")
    )
    assert f.systems["restore"] == f.ocr
    assert f.changes["restore"].fixed == f.changes["restore"].introduced == 0


def test_total_is_corpus_level_not_a_mean_of_files(identity_eval):
    total = EXPECTED["total"]
    assert identity_eval.total_ocr.gt_words == total["gt_words"]
    assert identity_eval.total_ocr.wer == pytest.approx(total["ocr_wer"])
    assert identity_eval.total("peer").wer == pytest.approx(total["peer_wer"])
    mean_of_files = sum(f.ocr.wer for f in identity_eval.files) / len(identity_eval.files)
    assert mean_of_files != pytest.approx(total["ocr_wer"])
    summary = identity_eval.summary()["systems"]["peer"]
    assert summary["introduced_per_1000"] == pytest.approx(1000 * 1 / 15, abs=1e-3)
    assert summary["wer_change"] == pytest.approx(0.0)


def test_unpaired_ocr_files_are_reported(identity_eval):
    assert identity_eval.missing == EXPECTED["missing"]
    pairs, missing = pair_files(DATA / "ocr", DATA / "gt")
    assert [p[0] for p in pairs] == sorted(EXPECTED["files"]) and missing == EXPECTED["missing"]


def test_table_has_a_row_per_file_and_the_total(identity_eval):
    table = format_table(identity_eval)
    assert "a.txt" in table and "b.txt" in table and "TOTAL" in table
    assert "0.200" in table.splitlines()[-3]  # the TOTAL row: OCR WER 3/15
    assert "a.txt" not in format_table(identity_eval, per_file=False)


@pytest.mark.parametrize(
    "options, text, words",
    [
        ({}, "The well-known Thorns-\nhope, “Road”.", ["the", "wellknown", "thornshope", "road"]),
        ({"join_line_hyphens": False, "hyphens": "keep"}, "Thorns-\nhope", ["thorns", "hope"]),
        ({"hyphens": "split"}, "well-known — far", ["well", "known", "far"]),
        ({"hyphens": "keep"}, "well-known", ["well-known"]),
        ({"lowercase": False}, "The Road", ["The", "Road"]),
        ({"strip_punctuation": False}, "(Yes), he said.", ["(yes),", "he", "said."]),
        ({"unify_quotes": False}, "don’t don't", ["don’t", "don't"]),
        ({}, "don’t don't", ["don't", "don't"]),
        ({}, "a -- b ... ! c", ["a", "b", "c"]),
    ],
)
def test_normalization_options(options, text, words):
    assert Normalization(**options).words(text) == words


def test_normalization_refuses_an_unknown_hyphen_rule():
    with pytest.raises(ValueError):
        Normalization(hyphens="sometimes")


def test_the_default_makes_line_end_hyphens_and_case_irrelevant():
    s = score_texts("THE GREAT EX-\nHIBITION", "the great exhibition", {})
    assert s.ocr.word_errors == 0
    s = score_texts("THE GREAT EX-\nHIBITION", "the great exhibition", {}, Normalization(lowercase=False))
    assert s.ocr.word_errors == 3


words = st.lists(st.sampled_from(["the", "cat", "sat", "on", "mat", "a", "cot", "sit", "dog"]), max_size=30)


@settings(max_examples=150, deadline=None)
@given(words, words)
def test_alignment_invariants(hyp, gt):
    a = align(hyp, gt)
    assert a.score.word_errors == Levenshtein.distance(hyp, gt)
    # character errors counted inside the word alignment bound the full distance from above
    assert a.score.char_errors >= Levenshtein.distance(" ".join(hyp), " ".join(gt))
    assert (a.score.char_errors == 0) == (hyp == gt)
    assert len(a.right) == len(gt)
    assert sum(a.right) >= len(gt) - a.score.word_errors
    assert align(gt, gt).score.word_errors == 0 and all(align(gt, gt).right)


@settings(max_examples=150, deadline=None)
@given(words, words, words)
def test_change_counts_partition_the_truth_words(before, after, gt):
    change = compare(before, after, gt)
    wrong_before = len(gt) - sum(align(before, gt).right)
    wrong_after = len(gt) - sum(align(after, gt).right)
    assert change.fixed + change.left == wrong_before
    assert change.introduced + change.left == wrong_after
    assert compare(before, before, gt).fixed == compare(before, before, gt).introduced == 0


def test_a_join_the_truth_keeps_split_is_reported_apart():
    # ICDAR's truth keeps a flattened line-end hyphen ("par- ticularly"): restore's "particularly"
    # is counted as introduced, and reported apart as a join.
    gt = "the trade was par- ticularly dull and the bread stale"
    scored = score_texts(
        "the trade was par ticularly dull and the bread stale",
        gt,
        {"restore": "the trade was particularly dull and the broad stale"},
        name="a",
    )
    joined = [e for e in scored.errors if e.joined]
    assert [(e.gt, e.output) for e in joined] == [("par ticularly", "particularly")]
    assert [e.gt for e in scored.errors if e.kind == "introduced" and not e.joined] == ["bread"]
    from restore.evaluate import Evaluation

    summary = Evaluation([scored], Normalization(), ()).summary()["systems"]["restore"]
    assert summary["introduced"] == 3 and summary["introduced_joined"] == 2
