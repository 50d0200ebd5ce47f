"""Synthetic damage: deterministic for a seed, and its gold points at what really happened."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restore.degrade import delete_spans, drop_lines, drop_spans, sentence_spans

PROSE = (
    "The committee met on Tuesday to consider the report. Several members objected to "
    "the proposed changes, which they said would raise the rates. After a long debate the "
    "motion was carried by a narrow margin!\n\nThe chairman thanked the secretary for her work. "
    "It was agreed that the next meeting would be held in the town hall."
)

sentences = st.lists(
    st.lists(st.from_regex(r"[A-Za-z]{1,9}", fullmatch=True), min_size=1, max_size=12).map(
        lambda ws: " ".join(ws) + "."
    ),
    min_size=1,
    max_size=8,
).map(" ".join)


def test_same_seed_same_damage_other_seed_other_damage():
    assert delete_spans(PROSE, 0.5, seed=7) == delete_spans(PROSE, 0.5, seed=7)
    outcomes = {delete_spans(PROSE, 0.5, seed=s)[0] for s in range(10)}
    assert len(outcomes) > 1


def test_rate_zero_keeps_text_and_rate_one_hits_every_sentence_that_can_spare_a_word():
    assert delete_spans(PROSE, 0.0, seed=1) == (PROSE, [])
    _, offsets = delete_spans(PROSE, 1.0, seed=1)
    assert len(offsets) == len(sentence_spans(PROSE)) == 5


def test_offsets_point_at_the_deletions():
    damaged, dropouts = drop_spans(PROSE, 1.0, seed=3, min_words=2, max_words=4)
    # Putting each deleted run back at its offset (last first) restores the text.
    rebuilt = damaged
    for d in reversed(dropouts):
        rebuilt = rebuilt[: d.offset] + d.deleted + rebuilt[d.offset :]
    assert rebuilt == PROSE
    for d in dropouts:
        assert 2 <= d.words <= 4 and len(d.deleted.split()) == d.words
        # the hole sits at a word start: the character before it is a space (or the start)
        assert d.offset == 0 or damaged[d.offset - 1].isspace()


def test_short_sentences_are_left_whole():
    assert delete_spans("Yes. No. Stop now.", 1.0, seed=0, min_words=2) == ("Yes. No. Stop now.", [])


@pytest.mark.parametrize("rate, low, high", [(0.1, 0.0, 0.25), (0.5, 0.35, 0.65), (0.9, 0.75, 1.0)])
def test_rate_is_the_share_of_sentences_hit(rate, low, high):
    text = " ".join(f"Sentence number {i} has some words in it." for i in range(400))
    _, offsets = delete_spans(text, rate, seed=11)
    assert low <= len(offsets) / 400 <= high


@settings(max_examples=60, deadline=None)
@given(sentences, st.floats(0, 1), st.integers(0, 2**32), st.integers(1, 4), st.integers(0, 4))
def test_round_trip_and_offsets_in_order(text, rate, seed, lo, extra):
    damaged, dropouts = drop_spans(text, rate, seed, lo, lo + extra)
    offsets = [d.offset for d in dropouts]
    assert offsets == sorted(offsets) and all(0 <= o <= len(damaged) for o in offsets)
    rebuilt = damaged
    for d in reversed(dropouts):
        rebuilt = rebuilt[: d.offset] + d.deleted + rebuilt[d.offset :]
    assert rebuilt == text
    assert delete_spans(text, rate, seed, lo, lo + extra) == (damaged, offsets)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        delete_spans(PROSE, 1.5, seed=0)
    with pytest.raises(ValueError):
        delete_spans(PROSE, 0.5, seed=0, min_words=3, max_words=2)


@settings(max_examples=60, deadline=None)
@given(st.lists(sentences, min_size=1, max_size=3).map("\n\n".join), st.integers(0, 10_000))
def test_dropped_lines_leave_the_other_words_in_order_with_their_places(text, seed):
    damaged, offsets = drop_lines(text, 0.3, seed, width=30)
    original = text.split()
    kept = damaged.split()
    it = iter(original)
    assert all(word in it for word in kept)  # the kept words are a subsequence of the text
    assert len(kept) < len(original) or not offsets
    for o in offsets:
        assert o == len(damaged) or damaged[o - 1] in " \n" or damaged[o] == "\n"
    assert damaged.count("\n\n") == text.count("\n\n")  # paragraphs stay paragraphs


def test_no_line_dropped_at_rate_zero_and_paragraph_starts_kept():
    assert drop_lines(PROSE, 0.0, seed=3)[0].split() == PROSE.split()
    damaged, offsets = drop_lines(PROSE, 1.0, seed=3, width=40)
    assert offsets and all(p.startswith(("The committee", "The chairman")) for p in damaged.split("\n\n"))
