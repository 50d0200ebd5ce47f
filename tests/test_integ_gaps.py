"""End to end: `restore clean --spacy-model` and gap flags in the JSON record."""

import json

from click.testing import CliRunner

from restore.cli import main
from restore.models import nlp

TEXT = (
    "Lake Khasan cost the Red Army heavily. Soviet casualties were,500 killed in the fighting.\n\n"
    "His main theme was the need to running every aspect of the economy.\n"
)


def test_clean_records_gap_flags_and_rules_mode(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "doc.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "clean",
            str(tmp_path / "in" / "doc.txt"),
            "-o",
            str(out),
            "--stages",
            "normalize,gaps",
            "--spacy-model",
            "none",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    record = json.loads((out / "doc.json").read_text(encoding="utf-8"))
    assert record["stats"]["stages"]["gaps"]["mode"] == "rules"
    gaps = [f for f in record["flags"] if f["kind"] == "gap"]
    assert {g["excerpt"] for g in gaps} >= {"casualties were,500 killed"}
    assert any("to running" in g["excerpt"] and "'to'" in g["reason"] for g in gaps)


def test_unknown_spacy_model_is_a_usage_error(tmp_path):
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["clean", str(tmp_path / "doc.txt"), "-o", str(tmp_path / "out"), "--spacy-model", "en_nosuch_model"],
    )
    assert result.exit_code == 2
    assert "not installed" in result.output
    assert not (tmp_path / "out" / "doc.json").exists()


def test_auto_names_the_pipeline_in_the_record(tmp_path):
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["clean", str(tmp_path / "doc.txt"), "-o", str(tmp_path / "out"), "--stages", "normalize,gaps", "-q"],
    )
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "out" / "doc.json").read_text(encoding="utf-8"))
    assert record["stats"]["stages"]["gaps"]["mode"] == nlp.mode("auto")
