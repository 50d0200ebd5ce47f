"""Batch internals: chunking long texts, the streamed record, the manifest, failures as outcomes."""

import json
import re
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from restore import stages as stage_registry
from restore.batch import (
    MANIFEST,
    Input,
    Manifest,
    Outcome,
    Progress,
    clean_file,
    output_paths,
    settings_fingerprint,
)
from restore.config import Config
from restore.pipeline import chunk_bounds, clean
from restore.record import apply_edits, locate_source

LAYOUT = ("normalize", "pages", "hyphenation", "paragraphs")
SAMPLE = Path(__file__).parent.parent / "corpus" / "000_ce8a58615c65187e.txt"
# Pieces of OCR-like text: words, hyphen breaks, CRLF, blank lines, form feeds, trailing blanks.
PIECES = st.sampled_from(
    [
        "word",
        "the",
        "ex-",
        "ample",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\r\n",
        "\f",
        ". ",
        "- \n",
        "\u00ad",
        "ﬁ",
        "\t\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text("ab .\n\r\f", max_size=200), st.integers(2, 40))
def test_chunks_cover_the_text_in_order_and_stay_within_size(text, size):
    bounds = list(chunk_bounds(text, size))
    rebuilt, position = [], 0
    for start, end, next_start in bounds:
        assert start == position and start <= end <= next_start
        assert end - start <= size
        assert text[end:next_start].strip(" \t\r\n") == ""  # joints are whitespace only
        rebuilt.append(text[start:next_start])
        position = next_start
    assert "".join(rebuilt) == text
    assert position == len(text)


def test_chunks_split_at_blank_lines_before_line_ends():
    text = "para one line\nstill one\n\npara two\nline\n"
    assert list(chunk_bounds(text, 30)) == [(0, 24, 25), (25, len(text), len(text))]
    # no blank line: a line end; no line break: after a sentence
    assert list(chunk_bounds("aaaa\nbbbb\ncccc", 10))[0] == (0, 10, 10)
    assert list(chunk_bounds("One two. Three four five", 14))[0] == (0, 8, 9)
    assert list(chunk_bounds("One two three four", 10))[0] == (0, 7, 8)  # else whitespace
    assert list(chunk_bounds("abcdefghij", 4)) == [(0, 4, 4), (4, 8, 8), (8, 10, 10)]


@settings(max_examples=60, deadline=None)
@given(st.lists(PIECES, max_size=120), st.integers(8, 120))
def test_a_chunked_record_keeps_the_invariants(pieces, size):
    source = "".join(pieces)
    result = clean(source, Config(stages=LAYOUT, chunk_chars=size))
    ids = [e.id for e in result.edits]
    assert len(set(ids)) == len(ids)
    assert apply_edits(source, list(result.edits), [])[0] == source
    assert apply_edits(source, list(result.edits), ids)[0] == result.output
    for e in result.edits:
        assert source[e.source_span[0] : e.source_span[1]] == e.before
        assert set(e.depends_on) <= set(ids)
        if e.superseded_by is None:
            assert result.output[e.output_span[0] : e.output_span[1]] == e.after
    for f in result.flags:
        assert 0 <= f.source_span[0] <= f.source_span[1] <= len(source)
        assert result.output[f.output_span[0] : f.output_span[1]] == f.excerpt


def test_a_typical_document_is_one_chunk_and_chunking_a_long_one_keeps_its_counts():
    text = SAMPLE.read_text(encoding="utf-8")
    whole = clean(text, Config(stages=LAYOUT))
    assert "chunks" not in whole.stats
    chunked = clean(text, Config(stages=LAYOUT, chunk_chars=4000))
    assert chunked.stats["chunks"] > 4
    assert chunked.stats["words_in"] == whole.stats["words_in"]
    # Chunks split at paragraph boundaries, so the restored prose is the same.
    assert chunked.output.split() == whole.output.split()


def test_a_long_input_streams_the_same_record_the_whole_result_would_give(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    (tmp_path / "long.txt").write_text(text * 3, encoding="utf-8")
    config = Config(stages=LAYOUT, chunk_chars=5000)
    item = Input(tmp_path / "long.txt", Path("long.txt"))
    outcome = clean_file(item, tmp_path / "out", config)
    assert outcome.ok, outcome.message
    paths = output_paths(item, tmp_path / "out")
    streamed = paths["json"].read_text(encoding="utf-8")
    whole = clean(text * 3, config, source_name=str(item.path), source_sha256=outcome.sha256)
    whole = replace(whole, source_location=locate_source(item.path, paths["json"]))
    expected = json.dumps(whole.to_json(), ensure_ascii=False, indent=1) + "\n"
    assert (streamed) == (expected)
    assert paths["txt"].read_text(encoding="utf-8") == whole.output
    assert "cleaned in" in paths["md"].read_text(encoding="utf-8")
    assert outcome.words == len((text * 3).split())


def test_a_crash_inside_the_pipeline_becomes_a_failed_outcome(tmp_path, monkeypatch):
    def explode(text, context):
        raise RuntimeError("stage fell over\nsecond line")

    crashing = stage_registry.Stage("normalize", "crashes")
    monkeypatch.setitem(stage_registry.STAGES, "normalize", crashing)
    monkeypatch.setattr(stage_registry.Stage, "propose", property(lambda self: explode))
    (tmp_path / "a.txt").write_text("some text\n", encoding="utf-8")
    outcome = clean_file(
        Input(tmp_path / "a.txt", Path("a.txt")), tmp_path / "out", Config(stages=("normalize",))
    )
    assert not outcome.ok
    assert outcome.message == "internal error: RuntimeError: stage fell over"
    assert not (tmp_path / "out" / "a.txt").exists()


def test_the_manifest_ignores_a_line_cut_short_and_compacts(tmp_path):
    item = Input(tmp_path / "a.txt", Path("a.txt"))
    item.path.write_text("text\n", encoding="utf-8")
    config = Config(stages=("normalize",))
    outcome = clean_file(item, tmp_path, config)
    manifest = Manifest(tmp_path)
    manifest.record(outcome, settings_fingerprint(config))
    manifest.record(outcome, settings_fingerprint(config))
    manifest.close()
    with open(tmp_path / MANIFEST, "a", encoding="utf-8") as handle:
        handle.write('{"input": "b.txt", "stat')  # a kill mid-line
    again = Manifest(tmp_path)
    assert list(again.entries) == ["a.txt"]
    assert (tmp_path / MANIFEST).read_text(encoding="utf-8").count("\n") == 1
    assert again.is_done(item, settings_fingerprint(config), tmp_path)
    assert not again.is_done(item, settings_fingerprint(config.with_(keep_lines=True)), tmp_path)
    item.path.write_text("changed text\n", encoding="utf-8")
    assert not again.is_done(item, settings_fingerprint(config), tmp_path)


def test_progress_line_says_files_speed_and_time_left():
    state = Progress(total=10, done=4, to_clean=10, cleaned=4, words=1000, failed=1)
    state.started -= 2.0
    line = state.line()
    assert line.startswith("4/10 files, ")
    assert re.search(r"\b[45]\d\d words/s", line)
    assert re.search(r"0:0[23] left", line)  # 6 files left at 2 s per 4 files
    assert line.endswith("1 failed")
    assert Outcome(Input(Path("x"), Path("x")), True).skipped is False


def test_the_time_left_goes_by_the_bytes_left_and_counts_down_during_a_long_file():
    """Two pages of 1,000 bytes took 2 s; a book of 8,000 bytes is left: 8 s, not a page's 1 s,
    and 3 s later 5 s, although no file has finished since."""
    state = Progress(
        total=3, done=2, to_clean=3, cleaned=2, words=400, size_to_clean=10_000, size_cleaned=2_000
    )
    state.started -= 2.0
    state.last_finished = state.started + 2.0
    assert re.search(r"0:0[78] left", state.line())
    assert 7.5 < state.seconds_left(2.0) <= 8.0
    assert 4.5 < state.seconds_left(5.0) <= 5.0
    assert state.seconds_left(60.0) == 0.0  # overdue: nothing left to promise, never a negative time
    state.size_to_clean = 0  # sizes unknown: by files, 1 file at 1 s a file
    assert 0.9 < state.seconds_left(2.0) <= 1.0


def test_the_words_per_second_hold_while_a_long_file_runs():
    """1,000 words counted 2 s in, and 8 s since with nothing finished: 500 words/s, not 100."""
    state = Progress(total=3, done=2, to_clean=3, cleaned=2, words=1000)
    assert state.words_per_second(10.0) == 100.0  # never counted: words over the time so far
    state.counted_at = state.started + 2.0
    assert state.words_per_second(10.0) == 500.0
    state.started -= 10.0
    state.counted_at = state.started + 2.0
    assert re.search(r", 500 words/s, ", state.line())


def test_progress_within_a_long_file_goes_by_chunk_and_stage(tmp_path):
    """One long file, cleaned in chunks in this process: the progress callback hears after
    every stage of every chunk, the share of the file grows to 1, and words count as chunks finish."""
    from restore import clean_files

    text = SAMPLE.read_text(encoding="utf-8")
    (tmp_path / "big.txt").write_text(text * 2, encoding="utf-8")
    seen = []
    report = clean_files(
        [tmp_path / "big.txt"],
        tmp_path / "out",
        Config(stages=LAYOUT, chunk_chars=8000),
        progress=lambda state: seen.append((state.done, state.step, state.words_so_far, state.line())),
    )
    assert report.ok
    steps = [step for done, step, _, _ in seen if step is not None]
    chunks = len({(s.chunk_start, s.chunk_end) for s in steps})
    assert chunks > 4 and len(steps) == chunks * len(LAYOUT)
    fractions = [s.fraction for s in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert [s.stage for s in steps[: len(LAYOUT)]] == list(LAYOUT)
    during = [(words, line) for done, step, words, line in seen if step is not None and done == 0]
    assert during[-1][0] > 0  # words of finished chunks count before the file ends
    assert re.search(r"big\.txt: paragraphs done \(4/4\), \d+% of the file$", during[-1][1])
    assert seen[-1][0] == 1 and seen[-1][1] is None
