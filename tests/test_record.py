"""Invariants of the edit record: lossless replay, spans that point at the right text."""

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import add_gap_flag, composed

from restore.compose import Composer
from restore.record import EditProposal, FlagProposal, OutputSpans, apply_edits, output_span_of


@st.composite
def compositions(draw):
    source, composer = draw(composed())
    if composer.text:
        add_gap_flag(draw, composer, "test")
    return source, composer


@settings(max_examples=400, deadline=None)
@given(compositions())
def test_record_is_lossless_and_spans_point_at_their_text(case):
    source, composer = case
    output = composer.text
    edits, flags = composer.finish()
    ids = [e.id for e in edits]
    assert apply_edits(source, edits, [])[0] == source
    assert apply_edits(source, edits, ids)[0] == output
    for e in edits:
        s, t = e.source_span
        assert source[s:t] == e.before
        if e.superseded_by is None:
            o, p = e.output_span
            assert output[o:p] == e.after
    for f in flags:
        assert 0 <= f.output_span[0] <= f.output_span[1] <= len(output)
        assert 0 <= f.source_span[0] <= f.source_span[1] <= len(source)


@settings(max_examples=300, deadline=None)
@given(compositions(), st.data())
def test_rejecting_an_edit_drops_what_builds_on_it(case, data):
    source, composer = case
    edits, _ = composer.finish()
    if not edits:
        return
    rejected = data.draw(st.sampled_from(edits))
    accepted = [e.id for e in edits if e.id != rejected.id]
    text, dropped = apply_edits(source, edits, accepted)
    dependents = [e for e in edits if rejected.id in e.depends_on]
    assert len(dropped) >= len(dependents)
    # With the edit and its dependents out, the result is what the rest make of the source.
    if rejected.superseded_by is None and not rejected.depends_on:
        s, t = rejected.source_span
        assert text[s : s + 0] == "" and source[s:t] == rejected.before


def test_dependent_edit_covers_what_it_builds_on():
    source = "prosu-\ncution ends"
    composer = Composer(source)
    composer.apply_stage("hyphenation", [EditProposal(5, 7, "", "hyphen-join", "join", 0.9)])
    assert composer.text == "prosucution ends"
    composer.apply_stage("spelling", [EditProposal(0, 11, "prosecution", "spelling", "fix", 0.9)])
    edits, _ = composer.finish()
    join, fix = edits
    assert fix.depends_on == (join.id,) and join.superseded_by == fix.id
    assert fix.before == "prosu-\ncution" and fix.after == "prosecution"
    assert apply_edits(source, edits, [join.id])[0] == "prosucution ends"
    text, dropped = apply_edits(source, edits, [fix.id])
    assert text == source and dropped and join.id in dropped[0]


def test_a_stage_flag_and_edit_are_mapped_in_the_stage_input():
    """A stage that edits one word and flags a later one: the flag still covers that word."""
    from restore.config import Config
    from restore.pipeline import clean
    from restore.stages import STAGES, Proposals, Stage

    def propose(text, context):
        return Proposals(
            edits=(EditProposal(0, 3, "The", "spelling", "test", 1.0),),
            flags=(FlagProposal(text.index("wrd"), text.index("wrd") + 3, "spelling", "unknown", 0.5),),
        )

    import sys
    import types

    module = types.ModuleType("restore.stages._probe")
    module.propose = propose
    sys.modules["restore.stages._probe"] = module
    STAGES["_probe"] = Stage("_probe", "test stage")
    try:
        result = clean("Teh odd wrd here", Config(stages=("_probe",)))
    finally:
        del STAGES["_probe"], sys.modules["restore.stages._probe"]
    (flag,) = result.flags
    assert flag.excerpt == "wrd" and result.source[slice(*flag.source_span)] == "wrd"


def _scan_source_span(composer: Composer, start: int, end: int) -> tuple[int, int]:
    """Composer.source_span_of as it was written before it bisected: a scan of every live edit."""
    delta = 0
    source_start = source_end = None
    for live, cs in zip(composer._live, composer._current_starts()):
        ce = cs + len(live.after)
        if source_start is None:
            if start < cs or (start == cs and cs < ce):
                source_start = start - delta
            elif start < ce:
                source_start = live.source_start
        if source_end is None:
            if end <= cs:
                source_end = end - delta
            elif end <= ce:
                source_end = live.source_end
        if source_start is not None and source_end is not None:
            break
        delta += live.growth
    source_start = start - delta if source_start is None else source_start
    source_end = end - delta if source_end is None else source_end
    return source_start, max(source_start, source_end)


@settings(max_examples=400, deadline=None)
@given(composed(), st.data())
def test_bisected_span_maps_agree_with_a_scan_of_every_edit(case, data):
    source, composer = case
    n = len(composer.text)
    spans = [tuple(sorted(data.draw(st.tuples(st.integers(0, n), st.integers(0, n))))) for _ in range(6)]
    for a, b in [*spans, (0, 0), (n, n), (0, n)]:
        assert composer.source_span_of(a, b) == _scan_source_span(composer, a, b)
    edits, _ = composer.finish()
    index = OutputSpans(edits)
    assert index.monotone  # top-level edits are disjoint: the bisection, not the fallback, answered
    for a in range(len(source) + 1):
        for b in range(a, len(source) + 1):
            assert index((a, b)) == index._scan((a, b)) == output_span_of(edits, (a, b))
