"""The public API mirrors the command line: each call in the README's Library table runs, and
gives what the command gives."""

from pathlib import Path

from click.testing import CliRunner

import restore
from restore import (
    Config,
    Document,
    apply_decisions,
    build_names,
    clean,
    clean_files,
    degrade_files,
    evaluate,
    load_record,
)
from restore.cli import main

SAMPLE = Path(__file__).parent.parent / "corpus" / "000_ce8a58615c65187e.txt"
LAYOUT = Config(stages=("normalize", "pages", "hyphenation", "paragraphs"))


def test_the_api_names_what_the_readme_lists():
    assert {
        "clean",
        "clean_files",
        "apply_decisions",
        "build_names",
        "evaluate",
        "degrade_files",
        "learn",
        "load_record",
        "load_models",
        "Config",
        "Document",
        "Edit",
        "Flag",
    } <= set(restore.__all__)


def test_models_loaded_first_leave_a_documents_output_as_it_was(tmp_path):
    """``load_models`` cleans a short text with the collector paused, then freezes what is alive;
    a document cleaned after it reads exactly as one cleaned in a fresh process without it."""
    import subprocess
    import sys

    script = (
        "import gc, sys, restore; text = open(sys.argv[1], encoding='utf-8').read()[:4000]\n"
        "config = restore.Config(spacy_model='none')\n"
        "if sys.argv[2] == 'first': restore.load_models(config); assert gc.get_freeze_count() > 0\n"
        "document = restore.clean(text, config)\n"
        "print(document.output, [document.to_json()[part] for part in ('edits', 'flags')])"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script, str(SAMPLE), order], capture_output=True, text=True, check=True
        ).stdout
        for order in ("first", "lazily")
    ]
    assert outputs[0] == outputs[1] and "'confidence'" in outputs[0]


def test_clean_files_writes_what_restore_clean_writes(tmp_path):
    report = clean_files([SAMPLE], tmp_path / "api", LAYOUT, workers=1)
    assert report.ok and report.cleaned == 1
    cli = CliRunner().invoke(
        main,
        [
            "clean",
            str(SAMPLE),
            "-o",
            str(tmp_path / "cli"),
            "-q",
            "--stages",
            ",".join(LAYOUT.stages),
            "--workers",
            "1",
        ],
    )
    assert cli.exit_code == 0, cli.output
    for ext in ("txt", "json", "md", "html"):
        name = SAMPLE.stem + "." + ext
        assert (tmp_path / "api" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()


def test_clean_load_record_and_apply_decisions(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    document = clean(text, LAYOUT)
    assert isinstance(document, Document)
    output, dropped = document.apply()
    assert output == document.output and dropped == []
    clean_files([SAMPLE], tmp_path, LAYOUT, workers=1)
    record = tmp_path / (SAMPLE.stem + ".json")
    loaded = load_record(record, source=text)
    assert loaded.edits == document.edits and loaded.output == document.output
    applied = apply_decisions(record, accept_all=True, output=tmp_path / "final.txt")
    assert (tmp_path / "final.txt").read_text(encoding="utf-8") == applied.text == document.output
    apply_decisions(record, reject_all=True, output=tmp_path / "source.txt", source=SAMPLE)
    assert (tmp_path / "source.txt").read_text(encoding="utf-8") == text


def test_build_names(tmp_path):
    report = build_names([SAMPLE], tmp_path / "names.txt")
    assert report.clusters > 0 and (tmp_path / "names.txt").is_file()


def test_degrade_files_then_evaluate(tmp_path):
    clean_text = tmp_path / "clean.txt"
    clean_text.write_text("The quick brown fox jumps over the lazy dog. " * 20 + "\n", encoding="utf-8")
    written = degrade_files([clean_text], tmp_path / "set", 1)
    assert written
    result = evaluate(tmp_path / "set" / "ocr", tmp_path / "set" / "gt", LAYOUT)
    assert len(result.files) == 1 and "restore" in result.files[0].changes
    assert result.to_json()["files"]


def test_learn_then_clean_with_the_model(tmp_path):
    ocr, gt = tmp_path / "ocr", tmp_path / "gt"
    ocr.mkdir(), gt.mkdir()
    page = "The Uuited States and tlie people of tlie country met at tho town hall."
    (ocr / "p1.txt").write_text(page, encoding="utf-8")
    (gt / "p1.txt").write_text(
        "The United States and the people of the country met at the town hall.", encoding="utf-8"
    )
    learned = restore.learn(ocr, gt, tmp_path / "model")
    assert learned.pairs == 1 and learned.confusions >= 4
    result = CliRunner().invoke(
        main, ["learn", "--ocr", str(ocr), "--gt", str(gt), "-o", str(tmp_path / "cli")]
    )
    assert result.exit_code == 0 and "learned from 1 pair(s)" in result.output
    assert (tmp_path / "cli" / "channel.json").read_text() == (
        tmp_path / "model" / "channel.json"
    ).read_text()
    document = clean(
        "It was the Uuited States.", Config(stages=("spelling",), model_dir=str(tmp_path / "model"))
    )
    assert document.output == "It was the United States."
    result = CliRunner().invoke(
        main, ["learn", "--ocr", str(tmp_path), "--gt", str(gt), "-o", str(tmp_path / "x")]
    )
    assert result.exit_code == 2 and "no .txt file with a namesake" in result.output


def test_learn_from_ocr_alone_on_the_command_line(tmp_path):
    ocr = tmp_path / "ocr"
    ocr.mkdir()
    (ocr / "a.txt").write_text("The mombers met yestorday. The Governmont sent a lettor.", encoding="utf-8")
    (ocr / "b.txt").write_text("Sevoral citizens wrote, and anothor meeting was held.", encoding="utf-8")
    learned = restore.learn_from_ocr(ocr, tmp_path / "model")
    result = CliRunner().invoke(main, ["learn", "--ocr", str(ocr), "-o", str(tmp_path / "cli")])
    assert result.exit_code == 0 and "learned from 2 file(s) of OCR alone" in result.output
    assert "'o' for 'e'" in result.output and ("e", "o") in learned.taught
    assert (tmp_path / "cli" / "channel.json").read_text() == (
        tmp_path / "model" / "channel.json"
    ).read_text()
    unreadable = ocr / "c.txt"
    unreadable.mkdir()  # a folder named like a file: unreadable on any user, root included
    result = CliRunner().invoke(main, ["learn", "--ocr", str(ocr), "-o", str(tmp_path / "cli2")])
    assert result.exit_code == 0 and "learned from 2 file(s) of OCR alone" in result.output
    assert f"skipped {unreadable}: " in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, ["learn", "--ocr", str(empty), "-o", str(tmp_path / "x")])
    assert result.exit_code == 2 and "no .txt file" in result.output
