"""The drop-out detector (restore.models.dropout) with its shipped weights, and its voice in the gaps stage."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restore.config import Config
from restore.models.dropout import CUE_FEATURES, FEATURES, MODEL_PATH, load_detector
from restore.models.lm import lm_tokens
from restore.pipeline import clean
from restore.stages import StageContext, gaps

INTACT = "He was taken into custody and charged with stealing a watch from the house."
DAMAGED = "He was taken into and charged with stealing a watch from the house."  # 'custody' dropped
THE_OF = "The evidence showed that the of the prisoner had been seen in the street."  # 'father' dropped


def run(text: str):
    return gaps.propose(text, StageContext(config=Config(spacy_model="none")))


def lm_flags(text: str):
    return [f for f in run(text).flags if "language-model" in f.detail["evidence"]]


def test_shipped_model_matches_features():
    weights = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert weights["features"] == list(FEATURES + CUE_FEATURES)
    assert len(weights["mean"]) == len(FEATURES + CUE_FEATURES)
    # the bars the stage flags at were chosen on held-out text when the model was trained
    assert set(weights["thresholds"]) == {"modern", "period"}
    assert all(0.2 <= t <= 0.95 for t in weights["thresholds"].values())


def test_deletion_flagged_at_the_hole():
    flags = lm_flags(DAMAGED)
    assert len(flags) == 1
    hole = DAMAGED.index("and charged")
    assert flags[0].start <= hole <= flags[0].end
    assert DAMAGED[flags[0].start : flags[0].end] == "into and"  # the two words either side, no more
    assert "probability" in flags[0].reason and "'taken into'" in flags[0].reason


def test_function_word_collision_flagged():
    flags = lm_flags(THE_OF)
    assert flags and "the of" in THE_OF[flags[0].start : flags[0].end]  # merged with the bigram cue's window


@pytest.mark.parametrize(
    "text",
    [
        INTACT,
        THE_OF.replace("the of", "the father of"),
        "Stalin: Who?",
        "(Zhukov, Inoy 430-1)",
        "The rain fell all night, and in the morning the river had risen.",
        "More troikas...were demanded by the regional secretaries.",
        "\u201cThey [the NKVD?] came for him at night.\u201d",
    ],
)
def test_intact_not_flagged(text):
    assert lm_flags(text) == []


def test_hole_is_the_most_probable_boundary():
    det = load_detector()
    tokens = lm_tokens(DAMAGED)
    p = det.probabilities(tokens)
    assert max(range(len(p)), key=p.__getitem__) == tokens.index("and")
    assert max(det.probabilities(lm_tokens(INTACT))) < det.threshold(period=False)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(["the", "of", "a", "Court", "was", ",", "1852", "ſhip", "tlie", "and", "."]),
        min_size=1,
        max_size=30,
    )
)
def test_probabilities_in_range(words):
    tokens = lm_tokens(" ".join(words))
    p = load_detector().probabilities(tokens)
    assert len(p) == len(tokens)
    assert all(0.0 <= x <= 1.0 for x in p)


def test_stage_flags_only():
    result = run(DAMAGED + "\n\n" + THE_OF + "\n")
    assert result.edits == ()
    assert all(0.0 <= f.score <= 1.0 for f in result.flags)
    out = clean(DAMAGED + "\n", Config(stages=("gaps",), spacy_model="none"))
    assert out.output == DAMAGED + "\n"


def _sentence_inputs(text: str):
    doc = gaps.profile(text)
    (_, _, sent, cues), *_ = gaps.read_document(text, doc)[1]
    return gaps.detector_inputs(text, sent, cues, doc)


def test_a_cue_is_read_at_the_boundary_it_points_at():
    matches, forms, rows = _sentence_inputs(
        "The commission reviewed the cases of the, and found most of them illegal."
    )
    column = gaps.CUES.index("dangling-word")
    at = [i for i, r in enumerate(rows) if r[column]]
    assert [forms[i] for i in at] == [","]  # the hole is between 'the' and the comma
    assert all(len(r) == len(CUE_FEATURES) for r in rows)


def test_a_lower_case_start_is_style_in_early_modern_text():
    column = gaps.CUES.index("lowercase-start")
    modern = "The men were sent home at once. and the rest of the army followed them in the spring."
    *_, rows = _sentence_inputs(modern)
    assert any(r[column] for r in rows) and rows[0][len(gaps.CUES)] == 0.0
    period = (
        "Thou hath said it, and he goeth. and thou shalt keep it, for he that keepeth the Law doth prosper."
    )
    *_, rows = _sentence_inputs(period)
    assert not any(r[column] for r in rows)
    assert all(r[len(gaps.CUES)] == 1.0 for r in rows)  # the document reads as early modern


@pytest.mark.parametrize(
    "text",
    [
        # 'of was' and 'three the' are pairs English almost never has; the models read them as fine here
        "Mr. Harper, in opening the case, declared that the language complained of was of the very worst character.",
        "Witness remained until he died, about a quarter to three the same afternoon.",
        "On the 1st inst. a constable saw the prisoner begging at public-houses with three little girls.",
    ],
)
def test_cues_the_models_contradict_do_not_flag(text):
    assert run(text).flags == ()


def test_a_flag_names_the_cues_the_detector_read():
    text = "The magistrates were of opinion that the had was led into the affair by the woman."  # BLN600 text
    (flag,) = run(text).flags
    assert set(flag.detail["evidence"]) == {"bigram", "language-model"}
    assert "'the had' almost never occurs" in flag.reason and "probability" in flag.reason
    assert text[flag.start : flag.end] == "the had"
