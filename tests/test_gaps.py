"""The gaps stage: each kind of evidence on data cases, invariants, and the record."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restore.config import Config
from restore.models import nlp
from restore.pipeline import clean
from restore.record import FLAG_KINDS
from restore.stages import StageContext, gaps

DATA = Path(__file__).parent / "data" / "gaps"
CASES = sorted(p.name[: -len(".in.txt")] for p in DATA.glob("*.in.txt"))
HAVE_MODEL = bool(nlp.installed_pipelines())


def run(text: str, spacy_model: str = "none"):
    return gaps.propose(text, StageContext(config=Config(spacy_model=spacy_model)))


def where(text: str, excerpt: str) -> tuple[int, int]:
    m = re.search(r"\s*".join(re.escape(w) for w in excerpt.split()), text)
    assert m, f"excerpt {excerpt!r} not in the case text"
    return m.start(), m.end()


@pytest.mark.parametrize("case", CASES)
def test_case(case):
    text = (DATA / f"{case}.in.txt").read_text(encoding="utf-8")
    expected = json.loads((DATA / f"{case}.expected.json").read_text(encoding="utf-8"))
    if expected["spacy_model"] != "none" and not HAVE_MODEL:
        pytest.skip("needs a trained spaCy pipeline")
    flags = run(text, expected["spacy_model"]).flags
    for gap in expected["gaps"]:
        s, e = where(text, gap["excerpt"])
        hits = [f for f in flags if f.start < e and s < f.end]
        assert hits, (
            f"no flag over {gap['excerpt']!r}; flags: {[(text[f.start : f.end], f.reason) for f in flags]}"
        )
        assert any(gap["evidence"] in f.detail["evidence"] for f in hits), [f.detail for f in hits]
    assert len(flags) == len(expected["gaps"]), [(text[f.start : f.end], f.reason) for f in flags]


def test_flags_are_gaps_with_reason_score_and_mode():
    result = run("Soviet casualties were,500 killed. The need to running it was clear.")
    assert result.info["mode"] == "rules"
    assert len(result.flags) == 2
    for f in result.flags:
        assert f.kind == "gap" and f.kind in FLAG_KINDS
        assert 0 <= f.score <= 1 and len(f.reason) > 20
        assert f.end - f.start < 60  # a few words, not the sentence


def test_spacy_mode_is_named_in_the_record():
    if not HAVE_MODEL:
        pytest.skip("needs a trained spaCy pipeline")
    result = clean("A short text. It reads well.\n", Config(stages=("normalize", "gaps"), spacy_model="auto"))
    assert result.stats["stages"]["gaps"]["mode"].startswith("spacy:")
    rules = clean("A short text.\n", Config(stages=("normalize", "gaps"), spacy_model="none"))
    assert rules.stats["stages"]["gaps"]["mode"] == "rules"


def test_keep_lines_single_newlines_do_not_end_sentences():
    wrapped = "The government took its time to prepare\nthe case and organise a public trial\nfor the accused officers.\n"
    assert run(wrapped).flags == ()
    assert run(wrapped.replace("\n", " ")).flags == ()


def test_transition_statistics():
    assert gaps.transition_logratio("the", "of") < gaps.BIGRAM_THRESHOLD
    assert gaps.transition_logratio("of", "the") > 0
    assert gaps.transition_logratio("zhukov", "the") is None  # too rare to judge


words = st.sampled_from(
    "the of and to a in Stalin was ( ) , . ; “ ” C 500 ,500 running need It which".split()
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(words, st.sampled_from([" ", " ", "\n", "\n\n"])), max_size=40))
def test_flags_lie_in_the_text_and_never_overlap(pieces):
    text = "".join(w + sep for w, sep in pieces)
    flags = run(text).flags
    last = -1
    for f in sorted(flags, key=lambda f: f.start):
        assert 0 <= f.start < f.end <= len(text)
        assert f.start >= last
        last = f.end
        assert f.kind == "gap" and 0 <= f.score <= 1


@pytest.mark.skipif(not HAVE_MODEL, reason="needs a trained spaCy pipeline")
def test_two_objects_is_a_weak_cue_that_needs_company():
    """A verb with two bare objects is evidence (0.4), below the flagging bar on its own."""
    model = nlp.load("auto")
    broken = "The committee tried to turn the focus on trade the largest concern of the members."
    found = gaps.doc_evidence(model(broken), 0)
    assert [(broken[e.start : e.end], e.evidence, e.score) for e in found] == [
        ("on trade the largest", "two-objects", 0.4)
    ]
    assert gaps.doc_evidence(model("The committee gave the members a copy of the report."), 0) == []
    assert run(broken, "auto").flags == ()
