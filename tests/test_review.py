"""restore.review: decisions applied to a record give the right text, soundly with dependent edits."""

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import add_gap_flag, composed

from restore.compose import Composer
from restore.files import sha256_bytes
from restore.record import EditProposal, FlagProposal, accepted_closure, apply_edits, output_span_of
from restore.report.html import widened
from restore.review import (
    ACCEPT_ALL,
    REJECT_ALL,
    Correction,
    Decisions,
    Document,
    ReviewError,
    apply,
    decide,
    load_decisions,
    load_record,
    load_source,
    notes_path,
)


@st.composite
def records(draw):
    """A source, the all-accepted output, and the record as it comes back from NAME.json."""
    source, composer = draw(composed())
    for _ in range(draw(st.integers(0, 2))):
        add_gap_flag(draw, composer, "words dropped?")
    edits, flags = composer.finish()
    data = {
        "source": "doc.txt",
        "source_sha256": sha256_bytes(source.encode()),
        "encoding": "utf-8",
        "stages": ["s0"],
        "edits": [e.to_json() for e in edits],
        "flags": [f.to_json() for f in flags],
    }
    return source, composer.text, Document.from_json(json.loads(json.dumps(data)))


@settings(max_examples=300, deadline=None)
@given(records())
def test_accept_all_gives_the_output_and_reject_all_the_source(case):
    source, output, record = case
    assert decide(record, source, ACCEPT_ALL).text == output
    assert decide(record, source, REJECT_ALL).text == source
    assert decide(record, source, Decisions()).text == output


@settings(max_examples=300, deadline=None)
@given(records(), st.data())
def test_rejected_edits_and_what_builds_on_them_stay_out(case, data):
    source, _, record = case
    ids = [e.id for e in record.edits]
    rejected = set(data.draw(st.lists(st.sampled_from(ids), unique=True))) if ids else set()
    applied = decide(record, source, Decisions(edits={i: "reject" for i in rejected}))
    # Nothing applied depends, even indirectly, on a rejected edit.
    by_id = {e.id: e for e in record.edits}
    for eid in applied.applied:
        assert eid not in rejected
        assert all(d in applied.applied for d in by_id[eid].depends_on)
    # Every accepted edit left out is reported, naming what it builds on.
    kept, _ = accepted_closure(list(record.edits), set(ids) - rejected)
    dropped_ids = set(ids) - rejected - kept
    assert {line.split()[0] for line in applied.dropped} == dropped_ids
    # Accepting exactly what was applied gives the same text: the result is consistent.
    assert apply_edits(source, list(record.edits), applied.applied)[0] == applied.text


@settings(max_examples=200, deadline=None)
@given(records())
def test_the_notes_list_every_flag_with_its_place(case):
    source, output, record = case
    notes = {f.id: f"note for {f.id}" for f in record.flags[:1]}
    text = decide(record, source, Decisions(flags=notes)).notes
    for f in record.flags:
        assert f"## {f.id} · {f.kind}" in text
    for _fid, note in notes.items():
        assert f"- note: {note}" in text


def hyphen_then_spelling():
    """'prosu-\\ncution': a hyphen join, then a spelling fix of the joined word, on a recorded source."""
    source = "The prosu-\ncution rested.\n"
    composer = Composer(source)
    composer.apply_stage("hyphenation", [EditProposal(9, 11, "", "hyphen-join", "join", 0.9)])
    composer.apply_stage("spelling", [EditProposal(4, 15, "prosecution", "spelling", "fix", 0.9)])
    composer.add_flags("gaps", [FlagProposal(16, 22, "gap", "something dropped", 0.6)])
    edits, flags = composer.finish()
    return source, composer.text, edits, flags


def write_record(folder: Path, source: str, edits, flags, name="doc.txt", source_field=None) -> Path:
    (folder / name).write_text(source, encoding="utf-8")
    path = folder / "doc.json"
    path.write_text(
        json.dumps(
            {
                "source": source_field if source_field is not None else name,
                "source_sha256": sha256_bytes(source.encode()),
                "encoding": "utf-8",
                "stages": ["hyphenation", "spelling", "gaps"],
                "edits": [e.to_json() for e in edits],
                "flags": [f.to_json() for f in flags],
            }
        ),
        encoding="utf-8",
    )
    return path


def test_rejecting_the_join_rejects_the_fix_built_on_it(tmp_path, monkeypatch):
    source, output, edits, flags = hyphen_then_spelling()
    join, fix = edits
    monkeypatch.chdir(tmp_path)
    record = write_record(tmp_path, source, edits, flags)
    decisions = tmp_path / "decisions.json"
    decisions.write_text(json.dumps({"edits": {join.id: "reject"}, "flags": {"f1": "see p. 12"}}))
    result = apply(record, decisions=decisions, output=tmp_path / "final.txt")
    assert (tmp_path / "final.txt").read_text(encoding="utf-8") == source
    assert result.dropped == (f"{fix.id} (spelling) not applied: it builds on rejected {join.id}",)
    assert "- note: see p. 12" in notes_path(tmp_path / "final.txt").read_text(encoding="utf-8")

    # Rejecting only the fix keeps the join.
    decisions.write_text(json.dumps({"edits": {fix.id: "reject"}}))
    result = apply(record, decisions=decisions, output=tmp_path / "final.txt")
    assert (tmp_path / "final.txt").read_text(encoding="utf-8") == "The prosucution rested.\n"
    assert result.dropped == () and result.applied == (join.id,)


def test_a_changed_source_is_refused(tmp_path, monkeypatch):
    source, _, edits, flags = hyphen_then_spelling()
    monkeypatch.chdir(tmp_path)
    record = write_record(tmp_path, source, edits, flags)
    (tmp_path / "doc.txt").write_text(source.replace("rested", "rests"), encoding="utf-8")
    with pytest.raises(ReviewError, match=r"doc.txt: source has changed .*sha256"):
        apply(record, accept_all=True, output=tmp_path / "final.txt")
    assert not (tmp_path / "final.txt").exists()


def test_the_source_is_found_beside_the_record_or_where_given(tmp_path, monkeypatch):
    source, output, edits, flags = hyphen_then_spelling()
    (tmp_path / "out").mkdir()
    record_path = write_record(tmp_path / "out", source, edits, flags)
    monkeypatch.chdir(tmp_path)  # "doc.txt" is not in the current folder, but beside the record
    record = load_record(record_path)
    assert load_source(record) == source
    moved = tmp_path / "elsewhere.txt"
    moved.write_text(source, encoding="utf-8")
    (tmp_path / "out" / "doc.txt").unlink()
    with pytest.raises(ReviewError, match="source not found"):
        load_source(record)
    assert load_source(record, moved) == source


def test_decisions_with_unknown_ids_or_values_are_refused(tmp_path):
    source, _, edits, flags = hyphen_then_spelling()
    record = load_record(write_record(tmp_path, source, edits, flags))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"edits": {"e99": "reject"}}))
    with pytest.raises(ReviewError, match="ids not in the record: e99"):
        load_decisions(bad, record)
    bad.write_text(json.dumps({"edits": {"e1": "maybe"}}))
    with pytest.raises(ReviewError, match="'accept' or 'reject'"):
        load_decisions(bad, record)
    bad.write_text(json.dumps({"edits": {}, "source_sha256": "0" * 64}))
    with pytest.raises(ReviewError, match="another source"):
        load_decisions(bad, record)
    bad.write_text("{not json")
    with pytest.raises(ReviewError, match="not a readable decisions file"):
        load_decisions(bad, record)


def test_a_file_that_is_not_a_record_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"hello": 1}))
    with pytest.raises(ReviewError, match="not a restore record"):
        load_record(path)
    with pytest.raises(ReviewError, match="no such record"):
        load_record(tmp_path / "missing.json")


def test_a_cp1252_source_round_trips_through_its_decoded_text(tmp_path, monkeypatch):
    from restore import clean
    from restore.config import Config
    from restore.files import read_source

    raw = "The caf\xe9 ligature \ufb01ne \u2019\u2019quoted\n".encode("cp1252", errors="ignore")
    (tmp_path / "doc.txt").write_bytes(raw)
    decoded = read_source(tmp_path / "doc.txt")
    assert decoded.encoding == "cp1252"
    result = clean(
        decoded.text,
        Config(stages=("normalize",)),
        source_name="doc.txt",
        encoding=decoded.encoding,
        source_sha256=decoded.sha256,
    )
    (tmp_path / "doc.json").write_text(json.dumps(result.to_json()), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    apply(tmp_path / "doc.json", reject_all=True, output=tmp_path / "raw.txt")
    apply(tmp_path / "doc.json", accept_all=True, output=tmp_path / "all.txt")
    assert (tmp_path / "raw.txt").read_text(encoding="utf-8") == decoded.text
    assert (tmp_path / "all.txt").read_text(encoding="utf-8") == result.output


@settings(max_examples=200, deadline=None)
@given(records(), st.data())
def test_a_correction_replaces_its_span_of_the_output_and_nothing_else(case, data):
    """A correction over any stretch (widened, as the page does, over the edits it reaches)
    puts the typed text where that stretch is in the output; rejecting all ignores it."""
    source, output, record = case
    s = data.draw(st.integers(0, len(source)))
    t = data.draw(st.integers(s, len(source)))
    tops = sorted((e for e in record.edits if e.superseded_by is None), key=lambda e: e.source_span)
    s, t = widened((s, t), tops, [e.source_span[0] for e in tops])
    typed = data.draw(st.text("xy \n", max_size=5))
    correction = Correction("r1", "f1", (s, t), source[s:t], typed, "as printed")
    applied = decide(record, source, Decisions(corrections=(correction,)))
    o, p = output_span_of(tops, (s, t))
    assert applied.text == output[:o] + typed + output[p:]
    assert applied.corrected == ("r1",)
    rejected = decide(record, source, replace(REJECT_ALL, corrections=(correction,)))
    assert rejected.text == source[:s] + typed + source[t:]
