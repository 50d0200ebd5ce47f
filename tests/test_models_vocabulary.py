"""The far candidate search (SMH forms): learned confusions walked over a garbled form, kept to word
prefixes, and for a long form plain edits to the words that share its letter pairs."""

from pathlib import Path

from restore import Config, clean
from restore.models import noisy_channel
from restore.models.vocabulary import Vocabulary, letter_pairs, prefixes_of
from restore.stages import in_context


def test_a_vocabulary_knows_its_words_and_their_beginnings():
    words = Vocabulary(["the", "then", "thumb"])
    assert "then" in words and "th" not in words and len(words) == 3
    assert words.begins("") and words.begins("th") and words.begins("thu") and words.begins("then")
    assert not words.begins("tx") and not words.begins("thenx")


def test_the_shipped_vocabulary_s_cached_prefixes_are_its_words_prefixes():
    # The prefixes are read from the cache folder, not found again: they must be the words' own.
    vocabulary = in_context.noisy_channel().vocabulary
    assert vocabulary.prefixes == frozenset(prefixes_of(vocabulary.words))
    built = Vocabulary(vocabulary.words, vocabulary.prefixes)  # its letter pairs found afresh
    for form in ("eonseauenoe", "dteidtd", "tnootings"):
        assert vocabulary.within(form, 0.5, 40) == built.within(form, 0.5, 40)
    assert Vocabulary(["the", "then"], prefixes=["", "t", "th", "the", "then"]).begins("the")


def test_the_far_search_reaches_words_three_confusions_away():
    reader = in_context.noisy_channel()
    errors, vocabulary = reader.errors, reader.vocabulary
    for garbled, word in (
        ("ricliardaon", "richardson"),
        ("vcstorday", "yesterday"),
        ("rnjsterioua", "mysterious"),
    ):
        near = reader._near(garbled)
        assert word not in near  # the budgeted rewrites and two edits do not reach it...
        assert word in errors.vocabulary_rewrites(garbled, vocabulary)  # ...the walk over prefixes does
        assert word in dict(reader.candidates(garbled))
    assert errors.vocabulary_rewrites("ricliardaon", vocabulary, depth=1) == []  # 'li' -> 'h' and 'a' -> 's'
    assert all(w in vocabulary for w in errors.vocabulary_rewrites("tnootings", vocabulary))


def test_short_known_and_near_read_forms_get_no_far_search():
    reader = in_context.noisy_channel()

    near = reader._near

    def two_deep(form):
        return reader._known_forms(
            reader.errors.vocabulary_rewrites(
                form, reader.vocabulary, noisy_channel.NEAR_WALK_DEPTH, noisy_channel.NEAR_WALK_BUDGET
            )
        )

    assert reader.found("meeting") == near("meeting")  # a word: the near search alone
    assert reader.found("tbc") == near("tbc")  # three letters: the near search alone
    assert reader.found("tlic") == near("tlic") | two_deep("tlic")  # four: and two learned confusions
    # A garbled form the near search reads already keeps those readings: far ones would only
    # compete with them ("railavay": 'railway' near, 'runway' far, which the context then favours).
    assert near("railavay") == {"railway"} and reader.found("railavay") == {"railway"}
    assert near("nppoarcd") == set() and reader.found("nppoarcd") >= {
        "appeared"
    }  # by plain edits: eight letters


def test_two_learned_confusions_side_by_side_lead_to_the_word():
    # "vvhero": 'w' printed 'vv' and 'e' printed 'o'; the budgeted rewrites stop at the first.
    reader = in_context.noisy_channel()
    assert "where" not in reader._near("vvhero")
    assert "where" in reader.found("vvhero")
    text = "The farmers of this county liavo been in favor of the new road."
    result = clean(text, Config(stages=("spelling",)))
    assert result.output == text.replace("liavo", "have")


def test_a_garbled_word_is_read_as_the_word_far_away():
    result = clean(
        "The steamer arrived vcstorday from Melbourne with passengers.", Config(stages=("spelling",))
    )
    assert result.output == "The steamer arrived yesterday from Melbourne with passengers."
    (edit,) = result.edits
    assert "printed 'vc' for 'ye'" in edit.reason and "printed 'o' for 'e'" in edit.reason


def test_a_long_garbled_form_finds_its_word_by_plain_edits():
    # Three or more confusions, some the training pairs never saw ('a' for 'q'): the learned
    # rewrites stop short, plain edits over the words of about its length do not.
    reader = in_context.noisy_channel()
    vocabulary = reader.vocabulary
    for garbled, word in (
        ("eonseauenoe", "consequence"),
        ("dteidtd", "decided"),
        ("rocoiumendatiotis", "recommendations"),
    ):
        assert word not in reader.errors.vocabulary_rewrites(garbled, vocabulary)
        assert word in vocabulary.within(garbled, 0.6, 40)
        assert reader.candidates(garbled)[1][0] == word  # the channel and the prior rank it first
    # Among the words that share three of its letter pairs and are about as long: 'sequence' is
    # three letters shorter, 'consequences' four edits away.
    assert letter_pairs("the") == {"^t", "th", "he", "e$"}
    words = Vocabulary(["consequence", "sequence", "con", "consequences"])
    assert words.within("eonseauenoe", 0.3, 10) == ["consequence"]  # 3 edits of 11 letters
    assert words.within("eonseauenoe", 0.1, 10) == []
    assert words.within("eonseauenoe", 0.3, 10, shared=7) == []  # it shares six: on ns se ue en e$


def test_far_gone_words_are_corrected_with_their_reading():
    # tests/data/spelling/far_gone_words: three SMH misreadings past three learned confusions,
    # each corrected to the word the plain edits found ("Goioroment", capitalised inside a
    # sentence, keeps its capital), each reason naming the confusions.
    text = (Path(__file__).parent / "data" / "spelling" / "far_gone_words.in.txt").read_text(encoding="utf-8")
    result = clean(text, Config(stages=("spelling",)))
    assert [e.after for e in result.edits] == ["consequence", "decided", "Government"]
    assert "printed 'a' for 'q'" in result.edits[0].reason
    assert "printed 'io' for 've'" in result.edits[2].reason
