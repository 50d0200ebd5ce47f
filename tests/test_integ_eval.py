"""`restore eval` end to end through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from restore.cli import main

DATA = Path(__file__).parent / "data" / "eval"
EXPECTED = json.loads((DATA / "expected.json").read_text())


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_json_to_stdout_with_peer():
    result = run(
        "eval",
        "--ocr",
        str(DATA / "ocr"),
        "--gt",
        str(DATA / "gt"),
        "--peer",
        str(DATA / "peer"),
        "--stages",
        "normalize",
        "--json",
        "-",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["stages"] == ["normalize"]
    assert data["missing_gt"] == EXPECTED["missing"]
    total = data["total"]
    assert total["gt_words"] == EXPECTED["total"]["gt_words"]
    assert total["ocr"]["wer"] == EXPECTED["total"]["ocr_wer"]
    assert total["systems"]["peer"]["wer"] == EXPECTED["total"]["peer_wer"]
    by_name = {f["name"]: f for f in data["files"]}
    assert by_name["b.txt"]["changes"]["peer"] == {
        k: EXPECTED["files"]["b.txt"]["peer"][k] for k in ("fixed", "introduced", "left")
    }
    assert "no ground truth" in result.stderr and "c.txt" in result.stderr


def test_table_json_file_and_plot(tmp_path):
    out, png = tmp_path / "scores.json", tmp_path / "wer.png"
    result = run(
        "eval",
        "--ocr",
        str(DATA / "ocr"),
        "--gt",
        str(DATA / "gt"),
        "--stages",
        "normalize",
        "--json",
        str(out),
        "--plot",
        str(png),
    )
    assert result.exit_code == 0, result.output
    assert "TOTAL" in result.stdout and "a.txt" in result.stdout and "restore: WER" in result.stdout
    assert json.loads(out.read_text())["total"]["files"] == 2
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_normalisation_options_reach_the_scores():
    args = [
        "eval",
        "--ocr",
        str(DATA / "ocr"),
        "--gt",
        str(DATA / "gt"),
        "--stages",
        "normalize",
        "--json",
        "-",
    ]
    default = json.loads(run(*args).stdout)["total"]["ocr"]["word_errors"]
    # Keeping punctuation makes '"Yes,' differ from '“Yes,' and 'gie.' a word of its own line.
    strict = run(*args, "--keep-punctuation", "--keep-quotes", "--no-join-line-hyphens", "--keep-case")
    assert strict.exit_code == 0, strict.output
    data = json.loads(strict.stdout)
    assert data["normalization"]["strip_punctuation"] is False
    assert data["total"]["ocr"]["word_errors"] > default


def test_default_stages_run(tmp_path):
    result = run("eval", "--ocr", str(DATA / "ocr"), "--gt", str(DATA / "gt"), "--total-only")
    assert result.exit_code == 0, result.output
    assert "TOTAL" in result.stdout and "a.txt" not in result.stdout


def test_usage_errors(tmp_path):
    bad = run("eval", "--ocr", str(DATA / "ocr"), "--gt", str(DATA / "gt"), "--stages", "nonsense")
    assert bad.exit_code == 2 and "unknown stage" in bad.output
    (tmp_path / "empty").mkdir()
    none = run("eval", "--ocr", str(tmp_path / "empty"), "--gt", str(DATA / "gt"))
    assert none.exit_code == 2 and "no file" in none.output
    missing = run("eval", "--ocr", str(tmp_path / "nope"), "--gt", str(DATA / "gt"))
    assert missing.exit_code == 2


def test_spacy_model_option_is_checked():
    bad = run(
        "eval", "--ocr", str(DATA / "ocr"), "--gt", str(DATA / "gt"), "--spacy-model", "no_such_pipeline"
    )
    assert bad.exit_code == 2
    ok = run(
        "eval",
        "--ocr",
        str(DATA / "ocr"),
        "--gt",
        str(DATA / "gt"),
        "--stages",
        "normalize",
        "--spacy-model",
        "none",
        "--json",
        "-",
    )
    assert ok.exit_code == 0, ok.output
