"""`restore degrade` end to end: deterministic files, gold gaps at real deletions, evaluable output."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from restore.cli import main
from restore.evaluate import Normalization

CLEAN = Path(__file__).parent / "data" / "degrade" / "sample.txt"


def degrade(outdir: Path, *options: str):
    return CliRunner().invoke(main, ["degrade", str(CLEAN), "-o", str(outdir), *options])


def files(outdir: Path) -> dict[str, bytes]:
    return {
        p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(outdir.rglob("*")) if p.is_file()
    }


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    opts = ("--dropout-rate", "0.5", "--width", "40", "--lines-per-page", "5")
    assert degrade(tmp_path / "a", "--seed", "4", *opts).exit_code == 0
    assert degrade(tmp_path / "b", "--seed", "4", *opts).exit_code == 0
    assert degrade(tmp_path / "c", "--seed", "5", *opts).exit_code == 0
    a, b, c = files(tmp_path / "a"), files(tmp_path / "b"), files(tmp_path / "c")
    assert set(a) == {"ocr/sample.txt", "gt/sample.txt", "gaps/sample.json"}
    assert a == b and a != c


def test_damage_is_there_and_gold_gaps_point_at_the_holes(tmp_path):
    result = degrade(
        tmp_path,
        "--seed",
        "1",
        "--confusion-rate",
        "0",
        "--dropout-rate",
        "1",
        "--width",
        "40",
        "--lines-per-page",
        "4",
        "--running-head",
        "MINUTES",
    )
    assert result.exit_code == 0, result.output
    noisy = (tmp_path / "ocr" / "sample.txt").read_text()
    gold = (tmp_path / "gt" / "sample.txt").read_text()
    gaps = json.loads((tmp_path / "gaps" / "sample.json").read_text())["gaps"]
    clean = CLEAN.read_text()
    assert len(gaps) == 6  # every sentence of the sample can spare a word ("Mr." ends none)
    assert noisy.count("MINUTES") == noisy.count("\f") + 1 >= 3
    assert max(len(line) for line in noisy.splitlines()) <= 40
    # the gold is the clean text minus exactly the deleted words
    rebuilt = gold
    for g in reversed(gaps):
        rebuilt = rebuilt[: g["gold_offset"]] + g["deleted"] + rebuilt[g["gold_offset"] :]
    assert rebuilt == clean
    for g in gaps:
        # the noisy text resumes at the hole with the word the gold resumes with
        assert g["offset"] == 0 or noisy[g["offset"] - 1].isspace()
        assert noisy[g["offset"] : g["offset"] + 3] == gold[g["gold_offset"] : g["gold_offset"] + 3]
    # without confusions the words are the gold's once the page heads (page number and running
    # head, the first line of each page) are cut out; a page may break inside a hyphenated word
    assert noisy.startswith("MINUTES  1\n")
    unpaged = re.sub(r"\n\f[^\n]*", "", noisy.split("\n", 1)[1])
    assert Normalization().words(unpaged) == Normalization().words(gold)


def test_confusions_change_about_the_rate_of_words(tmp_path):
    assert (
        degrade(
            tmp_path, "--seed", "2", "--confusion-rate", "0.3", "--width", "0", "--lines-per-page", "0"
        ).exit_code
        == 0
    )
    noisy = Normalization().words((tmp_path / "ocr" / "sample.txt").read_text())
    gold = Normalization().words((tmp_path / "gt" / "sample.txt").read_text())
    assert len(noisy) == len(gold)
    changed = sum(a != b for a, b in zip(noisy, gold, strict=True)) / len(gold)
    assert 0.15 < changed < 0.45


def test_degraded_output_feeds_eval(tmp_path):
    assert degrade(tmp_path, "--seed", "3", "--dropout-rate", "0.3").exit_code == 0
    result = CliRunner().invoke(
        main,
        [
            "eval",
            "--ocr",
            str(tmp_path / "ocr"),
            "--gt",
            str(tmp_path / "gt"),
            "--stages",
            "normalize",
            "--json",
            "-",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"]["ocr"]["wer"] > 0


def test_bad_options_are_usage_errors(tmp_path):
    assert degrade(tmp_path, "--confusion-rate", "2").exit_code == 2
    assert degrade(tmp_path, "--dropout-words", "5", "2").exit_code == 2
    assert degrade(tmp_path, "--width", "3").exit_code == 2
