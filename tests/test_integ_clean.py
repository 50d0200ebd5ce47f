"""`restore clean` end to end: outputs, the JSON record against the file, safety of inputs."""

import hashlib
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from restore import __version__, apply_edits
from restore.cli import main
from restore.record import Edit
from restore.stages import STAGES

SAMPLE = Path(__file__).parents[1] / "corpus" / "000_ce8a58615c65187e.txt"
LAYOUT = "normalize,pages,hyphenation,paragraphs"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_clean_writes_text_record_and_summary_that_replay_the_source(tmp_path):
    result = run("clean", SAMPLE, "-o", tmp_path / "out", "--stages", LAYOUT, "-q")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    text = (out / "000_ce8a58615c65187e.txt").read_bytes().decode("utf-8")
    record = json.loads((out / "000_ce8a58615c65187e.json").read_text(encoding="utf-8"))
    summary = (out / "000_ce8a58615c65187e.md").read_text(encoding="utf-8")
    raw = SAMPLE.read_bytes()
    source = raw.decode("utf-8")
    assert record["source_sha256"] == hashlib.sha256(raw).hexdigest()
    assert record["encoding"] == "utf-8"
    assert record["stages"] == LAYOUT.split(",")
    edits = [Edit.from_json(e) for e in record["edits"]]
    assert apply_edits(source, edits, [])[0] == source
    assert apply_edits(source, edits, [e.id for e in edits])[0] == text
    for e in record["edits"]:
        assert set(e) >= {
            "id",
            "stage",
            "kind",
            "before",
            "after",
            "source_span",
            "output_span",
            "reason",
            "confidence",
        }
        assert source[slice(*e["source_span"])] == e["before"]
    assert "\r" not in text and "\n\n\n" not in text
    assert "page-join" in summary and "hyphen-join" in summary


def test_the_sample_gets_its_two_misspellings_fixed_and_no_other_word_changed(tmp_path):
    """The README's command on the real sample: "Bolsevik" and "prosucution" corrected, every name,
    term and British spelling kept (a "he" before "— Stalin —" once became "the": the document's
    "the Stalin" counted across the dash)."""
    result = run("clean", SAMPLE, "-o", tmp_path / "out", "-q")
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "out" / "000_ce8a58615c65187e.json").read_text(encoding="utf-8"))
    words = [(e["before"], e["after"]) for e in record["edits"] if e["stage"] == "spelling"]
    assert words == [("Bolsevik", "Bolshevik"), ("prosucution", "prosecution")]
    assert not [e for e in record["edits"] if e["kind"] == "stray-mark"]


def test_folders_recurse_into_txt_files_mirroring_their_paths(tmp_path):
    corpus = tmp_path / "in"
    (corpus / "vol1").mkdir(parents=True)
    shutil.copy(SAMPLE, corpus / "vol1" / "essay.txt")
    (corpus / "top.txt").write_text("A line that\nwraps.\n", encoding="utf-8")
    (corpus / "notes.pdf").write_bytes(b"%PDF-1.4 not text")
    result = run("clean", corpus, "-o", tmp_path / "out", "--stages", LAYOUT, "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "vol1" / "essay.txt").exists()
    assert (tmp_path / "out" / "top.txt").read_text(encoding="utf-8") == "A line that wraps.\n"
    assert not list((tmp_path / "out").rglob("notes*"))


def test_an_outdir_that_would_overwrite_an_input_is_refused(tmp_path):
    source = tmp_path / "page.txt"
    source.write_bytes(b"prosecu-\ntion\n")
    result = run("clean", source, "-o", tmp_path)
    assert result.exit_code == 2
    assert "overwrite" in result.output and "page.txt" in result.output
    assert source.read_bytes() == b"prosecu-\ntion\n"


def test_keep_lines_keeps_line_breaks_and_joins_hyphens(tmp_path):
    source = tmp_path / "page.txt"
    source.write_text("the prosecu-\ntion rested\nits case\n", encoding="utf-8")
    assert (
        run("clean", source, "-o", tmp_path / "out", "--keep-lines", "--stages", LAYOUT, "-q").exit_code == 0
    )
    assert (tmp_path / "out" / "page.txt").read_text(
        encoding="utf-8"
    ) == "the prosecution\nrested\nits case\n"


def test_unknown_stage_is_a_usage_error(tmp_path):
    result = run("clean", SAMPLE, "-o", tmp_path, "--stages", "pages,teleport")
    assert result.exit_code == 2 and "teleport" in result.output


def test_stages_lists_every_stage_in_order_and_version_prints():
    listed = run("stages").output.splitlines()
    assert [line.split()[0] for line in listed] == list(STAGES)
    assert all(len(line.split()) > 3 for line in listed)
    assert __version__ in run("--version").output


def test_period_option_keeps_a_short_old_text_that_detection_takes_for_modern(tmp_path):
    """Too short for its period to be detected, a 16th-century sentence is modernised ('praier'
    as 'prayer') unless the user says what it is."""
    source = tmp_path / "in" / "priour.txt"
    source.parent.mkdir()
    text = (
        "Then the Priour went to the kitchin, where he found the cook busy at his praier, "
        "and when they were come thether they found him standing at the gate.\n"
    )
    source.write_text(text, encoding="utf-8")
    outputs = {}
    for period in ("auto", "early-modern"):
        result = run(
            "clean", source, "-o", tmp_path / period, "--stages", "spelling", "--period", period, "-q"
        )
        assert result.exit_code == 0, result.output
        outputs[period] = (tmp_path / period / "priour.txt").read_text(encoding="utf-8")
    assert "praier" not in outputs["auto"]
    assert outputs["early-modern"] == text
    assert run("clean", source, "-o", tmp_path / "x", "--period", "medieval").exit_code == 2


def test_chunk_chars_cleans_a_long_text_in_chunks_that_replay_the_source(tmp_path):
    # A text over --chunk-chars is cleaned chunk by chunk (peak memory follows the chunk, not the
    # book); the sample, one chunk at the default, is several at 4,000 characters, and the record
    # still gives the source back byte for byte and the output with every edit.
    raw = SAMPLE.read_bytes().decode("utf-8")
    records = {}
    for label, extra in (("default", ()), ("chunked", ("--chunk-chars", 4000))):
        out = tmp_path / label
        result = run("clean", SAMPLE, "-o", out, "--stages", LAYOUT, "-q", *extra)
        assert result.exit_code == 0, result.output
        records[label] = json.loads((out / "000_ce8a58615c65187e.json").read_text(encoding="utf-8"))
        edits = [Edit.from_json(e) for e in records[label]["edits"]]
        assert apply_edits(raw, edits, [])[0] == raw
        text = (out / "000_ce8a58615c65187e.txt").read_text(encoding="utf-8")
        assert apply_edits(raw, edits, [e.id for e in edits])[0] == text
    assert "chunks" not in records["default"]["stats"]
    assert records["chunked"]["stats"]["chunks"] > 4
    assert run("clean", SAMPLE, "-o", tmp_path / "x", "--chunk-chars", 10).exit_code == 2
