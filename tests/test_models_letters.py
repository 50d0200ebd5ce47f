"""The letter model: what an unknown form's letters cost a reading, on real OCR forms (SMH)."""

import copy

from restore import Config, clean
from restore.models.letters import WEIGHT, count, load_letter_model
from restore.stages import in_context


def test_junk_letters_are_surprising_and_english_looking_ones_are_not():
    model = load_letter_model()
    assert model.surprise("pieasury") < -3  # 'pie' + 'asury': letters no English word has
    assert model.surprise("lnnd") < -3
    assert model.surprise("fannington") == 0  # a name the lists lack, spelt as English is
    assert model.surprise("treasury") == 0
    assert model.surprise("Fannington") == 0 == model.surprise("1852")  # only lower-case letters are priced
    assert model.cost("pieasury") == WEIGHT * model.surprise("pieasury")
    # A stray mark in a word is a letter no word has ("sign»d", read as one form by the channel).
    assert model.surprise("sign»d") < model.surprise("pieasury") < 0 == model.surprise("signed")
    assert model.surprise("sign-d") == 0 == model.surprise("sign'd")  # not marks: a compound, an elision


def test_counting_learns_the_letters_it_saw():
    counts, contexts, typical = count(["the", "then", "this"])
    assert counts["^^^t"] == 3 and counts["the"] == 2 and contexts["^^^"] == [3, 1]
    assert typical < 0


def test_a_reading_pays_for_unknown_unlisted_letters_only():
    reader = in_context.noisy_channel()
    assert reader.spelling("mcetinc") < -5  # unknown to the language model and to the word list
    assert reader.spelling("meeting") == 0  # a word the language model knows
    assert reader.known("dwts") is False and reader.spelling("dwts") == 0  # listed (pennyweights): spared
    assert reader.spelling("mcetinc mcetinc") == 2 * reader.spelling("mcetinc")  # each piece pays


def test_the_letters_turn_a_reading_the_context_alone_left():
    reader = in_context.noisy_channel()
    without = copy.copy(reader)
    without.letters = None
    words = "this morning consiablo anderson of adamstown apprehended".split()
    i = words.index("consiablo")
    candidates = reader.candidates("consiablo")
    assert without.rank(words, i, candidates)[0].form == "consiablo"
    best = reader.rank(words, i, candidates)[0]
    assert best.form == "constable" and best.posterior > 0.9 and best.log_spelling == 0


def test_the_reason_gives_the_letters_odds():
    result = clean("There was a public mcetinc at Bombala on Thursday.", Config(stages=("spelling",)))
    assert result.output == "There was a public meeting at Bombala on Thursday."
    (edit,) = result.edits
    odds = 10 ** -load_letter_model().surprise("mcetinc")
    assert f"its letters are 1 in {odds:,.0f} as likely as a listed word's of its length" in edit.reason


def test_period_spellings_the_language_model_knows_pay_nothing():
    reader = in_context.noisy_channel()
    assert load_letter_model().surprise("vpon") < -1  # unlike modern English letters...
    assert reader.spelling("vpon") == 0  # ...but the 18th-century corpus gave the model the word
