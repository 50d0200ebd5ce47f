"""--min-confidence holds for every stage: an edit below the bar is a held-edit flag, left as printed."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from restore import Config, clean
from restore.cli import main
from restore.files import read_source

SAMPLE = Path(__file__).parent.parent / "corpus" / "000_ce8a58615c65187e.txt"


def proposal(edit_or_flag) -> tuple:
    """What a stage proposed, from an edit or from the held-edit flag that keeps it."""
    if hasattr(edit_or_flag, "before"):
        e = edit_or_flag
        return (e.stage, e.kind, e.before, e.after, e.source_span, e.reason, e.confidence)
    f, held = edit_or_flag, edit_or_flag.detail["edit"]
    return (f.stage, held["kind"], held["before"], held["after"], f.source_span, held["reason"], f.score)


@pytest.mark.parametrize(
    ("stage", "bar"),
    [("normalize", 0.92), ("pages", 0.92), ("hyphenation", 0.9), ("paragraphs", 0.96)],
)
def test_each_stage_holds_its_edits_below_the_bar_as_flags_and_loses_none(stage, bar):
    """The stage alone on the sample: at the bar, every edit below it is a held-edit flag
    carrying the whole edit, and the edits plus the held ones are exactly what it does with
    no bar."""
    text = SAMPLE.read_text(encoding="utf-8")
    everything = clean(text, Config(stages=(stage,), min_confidence=0.0))
    barred = clean(text, Config(stages=(stage,), min_confidence=bar))
    below = [e for e in everything.edits if e.confidence < bar]
    assert below, f"the sample gives {stage} edits below {bar}"
    assert all(e.confidence >= bar for e in barred.edits)
    held = [f for f in barred.flags if f.kind == "held-edit"]
    assert len(held) == len(below)
    for f in held:
        assert f.stage == stage and f.score < bar
        assert f.detail["candidates"] == [{"form": f.detail["edit"]["after"]}]
        assert "below --min-confidence" in f.reason
        # Left as printed: the source text is still in the output there.
        assert f.excerpt == f.detail["edit"]["before"] == text[f.source_span[0] : f.source_span[1]]
    assert sorted(map(proposal, [*barred.edits, *held])) == sorted(map(proposal, everything.edits))
    assert barred.stats["stages"][stage]["held"] == len(held)
    assert barred.apply([])[0] == text  # lossless: rejecting every edit gives the input


def test_min_confidence_on_the_command_line_holds_for_every_stage(tmp_path):
    """The issue's case: at 0.9 no hyphen join of 0.85 is applied, nor any edit of any stage
    below 0.9; the joins it would have made are flags with the join as candidate."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["clean", str(SAMPLE), "-o", str(out), "--min-confidence", "0.9", "-q"])
    assert result.exit_code == 0, result.stderr
    record = json.loads((out / (SAMPLE.stem + ".json")).read_text(encoding="utf-8"))
    assert record["edits"] and all(e["confidence"] >= 0.9 for e in record["edits"])
    held = [f for f in record["flags"] if f["kind"] == "held-edit"]
    joins = [f for f in held if f["detail"]["edit"]["kind"] == "hyphen-join"]
    assert joins and all(f["score"] == 0.85 and f["stage"] == "hyphenation" for f in joins)
    assert record["stats"]["flags_by_kind"]["held-edit"] == len(held)
    output = (out / (SAMPLE.stem + ".txt")).read_text(encoding="utf-8")
    for f in joins:
        start, end = f["output_span"]
        assert output[start:end] == f["excerpt"] and "-" in f["excerpt"]  # the hyphen stays
    applied = CliRunner().invoke(
        main, ["apply", str(out / (SAMPLE.stem + ".json")), "--reject-all", "-o", str(tmp_path / "none.txt")]
    )
    assert applied.exit_code == 0, applied.stderr
    assert (tmp_path / "none.txt").read_text(encoding="utf-8") == read_source(SAMPLE).text


def test_the_default_bar_holds_nothing_the_stages_propose():
    """At the default 0.8 every layout stage's edit stands, as before the bar applied to them."""
    text = SAMPLE.read_text(encoding="utf-8")
    layout = ("normalize", "pages", "hyphenation", "paragraphs")
    assert not [f for f in clean(text, Config(stages=layout)).flags if f.kind == "held-edit"]
