"""`restore clean` over many files, end to end: bad inputs, resume, summary, idempotence."""

import csv
import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from restore import clean
from restore.batch import MANIFEST
from restore.cli import main
from restore.files import TEMP_SUFFIX

LAYOUT = "normalize,pages,hyphenation,paragraphs"
SAMPLE = Path(__file__).parent.parent / "corpus" / "000_ce8a58615c65187e.txt"
PROSE = "The prosecu-\ntion rested its case\non the third day.\n"


def run(*args: str):
    return CliRunner().invoke(main, ["clean", *args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file's content hash and mtime, to prove inputs are never modified."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[str(path)] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return found


@pytest.fixture
def bad_inputs(tmp_path):
    """A folder with one of each kind of awkward input, next to good ones."""
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "good.txt").write_text(PROSE, encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (src / "cp1252.txt").write_bytes("Caf\u00e9 cr\u00e8me \u2014 na\u00efve.\n".encode("cp1252"))
    (src / "latin.txt").write_bytes(b"Bad \x81\x8d\x8f\x90\x9d bytes.\n")  # undefined in cp1252 too
    (src / "utf16.txt").write_bytes("\ufeffThe prosecu-\ntion rested.\n".encode("utf-16-le"))
    (src / "utf16be.txt").write_bytes("\ufeffThe prosecu-\ntion rested.\n".encode("utf-16-be"))
    (src / "bom.txt").write_bytes(b"\xef\xbb\xbfThe prosecu-\ntion rested.\n")
    (src / "crlf.txt").write_bytes(b"The prosecu-\r\ntion rested\r\nits case.\r\n")
    (src / "sub" / "dangling.txt").symlink_to(src / "nowhere.txt")
    (src / "sub" / "selfloop.txt").symlink_to(src / "sub" / "selfloop.txt")
    (src / "sub" / "loop").symlink_to(src)  # a folder symlink loop
    return src


def test_bad_inputs_are_listed_at_the_end_and_everything_else_is_cleaned(tmp_path, bad_inputs):
    before = snapshot(bad_inputs)
    out = tmp_path / "out"
    result = run(str(bad_inputs), "-o", str(out), "--stages", LAYOUT, "--workers", "1")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("restore: ")]
    reasons = {Path(line.split(": ")[1]).name: line.split(": ", 2)[2] for line in errors}
    assert reasons["binary.txt"] == "binary file, not text"
    assert reasons["dangling.txt"] == "no such file"
    assert reasons["selfloop.txt"].startswith("cannot read (")
    assert reasons["loop"] == "symlink loop, folder already visited"
    assert reasons["empty.txt"] == "empty file, no text to clean"  # a bad input, as the README says
    assert len(errors) == 5
    # The failures come last, after every other input was cleaned.
    assert result.stderr.splitlines()[-1].startswith("cleaned 7, skipped 0 (done before), failed 5 of 12")
    assert not list(out.glob("empty.*"))
    assert (out / "good.txt").read_text(
        encoding="utf-8"
    ) == "The prosecution rested its case on the third day.\n"
    assert (out / "cp1252.txt").read_text(encoding="utf-8") == "Caf\u00e9 cr\u00e8me \u2014 na\u00efve.\n"
    assert json.loads((out / "cp1252.json").read_text(encoding="utf-8"))["encoding"] == "cp1252"
    assert json.loads((out / "latin.json").read_text(encoding="utf-8"))["encoding"] == "latin-1"
    for name in ("utf16", "utf16be", "bom"):
        assert (out / f"{name}.txt").read_text(encoding="utf-8") == "The prosecution rested.\n"
    assert json.loads((out / "utf16.json").read_text(encoding="utf-8"))["encoding"] == "utf-16"
    assert (out / "crlf.txt").read_text(encoding="utf-8") == "The prosecution rested its case.\n"
    assert not (out / "binary.txt").exists()
    assert snapshot(bad_inputs) == before  # inputs are never modified
    umask = os.umask(0)
    os.umask(umask)
    assert (out / "good.txt").stat().st_mode & 0o777 == 0o666 & ~umask  # not the temporary file's 0600


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_fails_alone(tmp_path):
    (tmp_path / "locked.txt").write_text(PROSE, encoding="utf-8")
    (tmp_path / "locked.txt").chmod(0)
    (tmp_path / "fine.txt").write_text(PROSE, encoding="utf-8")
    result = run(
        str(tmp_path / "locked.txt"),
        str(tmp_path / "fine.txt"),
        "-o",
        str(tmp_path / "out"),
        "--stages",
        LAYOUT,
    )
    assert result.exit_code == 1
    assert f"restore: {tmp_path / 'locked.txt'}: permission denied" in result.stderr
    assert (tmp_path / "out" / "fine.txt").exists()


def test_a_rerun_skips_what_is_done_and_redoes_what_changed(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for n in range(4):
        (src / f"p{n}.txt").write_text(f"Page {n}: the prosecu-\ntion rested.\n", encoding="utf-8")
    assert run(str(src), "-o", str(out), "--stages", LAYOUT).exit_code == 0
    first = snapshot(out)
    (src / "p2.txt").write_text("Page 2 was re-scanned: the defen-\nce rested.\n", encoding="utf-8")
    again = run(str(src), "-o", str(out), "--stages", LAYOUT, "--workers", "1")
    assert again.exit_code == 0
    assert "cleaned 1, skipped 3 (done before), failed 0 of 4" in again.stderr
    assert (out / "p2.txt").read_text(encoding="utf-8") == "Page 2 was re-scanned: the defence rested.\n"

    def kept(files):  # the outputs of the inputs that did not change (index.html lists them all)
        return {k: v for k, v in files.items() if not any(s in k for s in ("p2.", MANIFEST, "index.html"))}

    assert kept(snapshot(out)) == kept(first)
    # Other settings mean other outputs: nothing is skipped.
    assert "cleaned 4, skipped 0" in run(str(src), "-o", str(out), "--stages", "normalize").stderr
    assert "cleaned 0, skipped 4" in run(str(src), "-o", str(out), "--stages", "normalize").stderr
    assert "cleaned 4, skipped 0" in run(str(src), "-o", str(out), "--stages", "normalize", "--force").stderr
    # A deleted output is written again.
    (out / "p1.md").unlink()
    assert "cleaned 1, skipped 3" in run(str(src), "-o", str(out), "--stages", "normalize").stderr
    assert not list(out.rglob("*" + TEMP_SUFFIX))


def test_summary_counts_edits_by_stage_and_flags_by_kind(tmp_path, bad_inputs):
    out = tmp_path / "out"
    run(str(bad_inputs), "-o", str(out), "--stages", LAYOUT, "--summary", str(tmp_path / "s.csv"))
    rows = {Path(r["input"]).name: r for r in csv.DictReader(open(tmp_path / "s.csv", encoding="utf-8"))}
    assert len(rows) == 12
    assert rows["binary.txt"]["status"] == "failed"
    assert rows["binary.txt"]["message"] == "binary file, not text"
    good = rows["good.txt"]
    record = json.loads((out / "good.json").read_text(encoding="utf-8"))
    assert good["status"] == "done"
    assert int(good["edits"]) == len(record["edits"]) > 0
    for stage in LAYOUT.split(","):
        assert int(good[f"edits:{stage}"]) == record["stats"]["edits_by_stage"].get(stage, 0)
    assert rows["cp1252.txt"]["encoding"] == "cp1252"
    # The JSON summary of a rerun says what was skipped, with the counts kept from before.
    run(str(bad_inputs), "-o", str(out), "--stages", LAYOUT, "--summary", str(tmp_path / "s.json"))
    docs = {Path(d["input"]).name: d for d in json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))}
    assert docs["good.txt"]["status"] == "skipped"
    assert docs["good.txt"]["edits_by_stage"] == record["stats"]["edits_by_stage"]
    assert docs["binary.txt"]["status"] == "failed"


def test_the_index_built_from_the_manifest_equals_one_built_from_the_records(tmp_path, bad_inputs):
    from restore.report import html

    out = tmp_path / "out"
    run(str(bad_inputs), "-o", str(out), "--stages", LAYOUT)
    (bad_inputs / "more.txt").write_text("Ano-\nther page.\n", encoding="utf-8")
    run(str(bad_inputs), "-o", str(out), "--stages", LAYOUT)  # skipped inputs are listed too
    from_records = html.render_index(html.index_entries(out), title="restore: out")
    assert (out / "index.html").read_text(encoding="utf-8") == from_records
    assert 'href="utf16.html"' in from_records and 'href="more.html"' in from_records


def test_usage_errors_stop_before_any_work(tmp_path):
    (tmp_path / "a.txt").write_text(PROSE, encoding="utf-8")
    bad_summary = run(
        str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--summary", str(tmp_path / "s.xlsx")
    )
    assert bad_summary.exit_code == 2 and "must end in .csv or .json" in bad_summary.stderr
    lone_scheduler = run(
        str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:1"
    )
    assert lone_scheduler.exit_code == 2 and "--engine dask" in lone_scheduler.stderr
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "a.txt").write_text(PROSE, encoding="utf-8")
    clash = run(str(tmp_path / "a.txt"), str(tmp_path / "b" / "a.txt"), "-o", str(tmp_path / "out"))
    assert clash.exit_code == 2 and "would both be written" in clash.stderr
    assert not (tmp_path / "out").exists()


def test_progress_in_a_log_is_plain_lines_and_quiet_means_none(tmp_path):
    for n in range(3):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"{n}.txt").write_text(PROSE, encoding="utf-8")
    common = [str(tmp_path / "in"), "--stages", LAYOUT, "--workers", "2", "--progress-every", "0"]
    result = run(*common, "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert result.stdout == ""
    # CliRunner's stderr is not a terminal: whole lines, no bar redrawn with \r
    assert "\r" not in result.stderr and "\033[K" not in result.stderr
    for n in (1, 2, 3):
        assert f"\n{n}/3 files, " in result.stderr
    quiet = run(*common, "-o", str(tmp_path / "quiet"), "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_cleaning_restored_text_again_changes_nothing(tmp_path):
    """Idempotence on the real sample with every stage: restored text is a fixed point."""
    out1, out2 = tmp_path / "once", tmp_path / "twice"
    assert run(str(SAMPLE), "-o", str(out1)).exit_code == 0
    restored = out1 / (SAMPLE.stem + ".txt")
    assert run(str(restored), "-o", str(out2)).exit_code == 0
    assert (out2 / restored.name).read_bytes() == restored.read_bytes()
    record = json.loads((out2 / (SAMPLE.stem + ".json")).read_text(encoding="utf-8"))
    assert record["edits"] == []
    assert clean(restored.read_text(encoding="utf-8")).edits == ()


def test_an_outdir_inside_the_input_folder_is_not_read_as_input(tmp_path):
    nest = tmp_path / "nest"
    (nest / "sub").mkdir(parents=True)
    (nest / "a.txt").write_text(PROSE, encoding="utf-8")
    (nest / "sub" / "b.txt").write_text(PROSE, encoding="utf-8")
    first = run(str(nest), "-o", str(nest / "out"), "--stages", LAYOUT, "--workers", "1")
    assert first.exit_code == 0, first.stderr
    assert "cleaned 2, skipped 0 (done before), failed 0 of 2" in first.stderr
    again = run(str(nest), "-o", str(nest / "out"), "--stages", LAYOUT, "--workers", "1")
    assert again.exit_code == 0, again.stderr
    assert "cleaned 0, skipped 2 (done before), failed 0 of 2" in again.stderr
    (nest / "a.txt").write_text("Another prosecu-\ntion.\n", encoding="utf-8")
    resumed = run(str(nest), "-o", str(nest / "out"), "--stages", LAYOUT, "--workers", "1")
    assert "cleaned 1, skipped 1 (done before), failed 0 of 2" in resumed.stderr
    assert (nest / "out" / "a.txt").read_text(encoding="utf-8") == "Another prosecution.\n"
    assert not (nest / "out" / "out").exists()


def test_an_empty_stage_list_is_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text(PROSE, encoding="utf-8")
    for stages in ("", " , "):
        result = run(str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--stages", stages)
        assert result.exit_code == 2
        assert "names no stage" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_folder_without_text_files_is_reported_and_fails(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "a.txt").write_text(PROSE, encoding="utf-8")
    result = run(
        str(tmp_path / "empty"), str(tmp_path / "full"), "-o", str(tmp_path / "out"), "--stages", LAYOUT
    )
    assert result.exit_code == 1
    assert f"restore: {tmp_path / 'empty'}: no *.txt file in this folder" in result.stderr
    assert (tmp_path / "out" / "a.txt").is_file()  # the rest of the batch goes on
    alone = run(str(tmp_path / "empty"), "-o", str(tmp_path / "out2"), "--stages", LAYOUT)
    assert alone.exit_code == 1 and "no *.txt file in this folder" in alone.stderr


def test_empty_and_blank_inputs_are_bad_inputs(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf")
    (tmp_path / "blank.txt").write_text("  \n\n\t\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(PROSE, encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(tmp_path), "-o", str(out), "--stages", LAYOUT, "--workers", "1")
    assert result.exit_code == 1
    assert f"restore: {tmp_path / 'empty.txt'}: empty file, no text to clean" in result.stderr
    assert f"restore: {tmp_path / 'bom.txt'}: empty file, no text to clean" in result.stderr
    assert f"restore: {tmp_path / 'blank.txt'}: only blank space, no text to clean" in result.stderr
    assert sorted(p.name for p in out.glob("*.txt")) == ["good.txt"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("caf\u00e9\n".encode("cp1252"), "not UTF-8 (byte 0xe9 at offset 3); word lists are plain UTF-8"),
        (b"kolkhoz\x00\x01\x02", "binary file, not a word list"),
        (b"kolkhoz\nsovkhoz\tmany\n", "line 2: count 'many' is not a number"),
        (b"kolkhoz,12\n", "line 1: ',' in the form 'kolkhoz,12': columns are separated by tabs"),
        (b"# a comment\nYezhov\t40\tYezbov\textra\n", "line 2: 4 tab-separated columns, at most 3"),
        (b"\t12\n", "line 1: no form before the first tab"),
    ],
)
@pytest.mark.parametrize("option", ["--dict", "--names"])
def test_a_malformed_word_list_is_refused_naming_the_file_and_the_reason(tmp_path, content, reason, option):
    (tmp_path / "a.txt").write_text(PROSE, encoding="utf-8")
    words = tmp_path / "words.txt"
    words.write_bytes(content)
    result = run(str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), option, str(words))
    assert result.exit_code == 2
    assert f"dictionary file {words}: {reason}" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_well_formed_word_list_is_used(tmp_path):
    (tmp_path / "a.txt").write_text(PROSE, encoding="utf-8")
    words = tmp_path / "names.txt"
    words.write_bytes(b"\xef\xbb\xbf# names\nYezhov\t40\tYezbov, Yczhov\nkolkhoz\n\nsovkhoz\t2.0\n")
    result = run(
        str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--names", str(words), "--stages", LAYOUT
    )
    assert result.exit_code == 0, result.stderr


def test_a_log_hears_how_far_a_single_file_has_got(tmp_path):
    """stderr a pipe, as under nohup or in CI: lines, and within the one file a line per
    stage instead of '0/1 files, 0 words/s' until it ends."""
    import subprocess
    import sys

    restore = str(Path(sys.executable).parent / "restore")
    result = subprocess.run(
        [
            restore,
            "clean",
            str(SAMPLE),
            "-o",
            str(tmp_path / "out"),
            "--stages",
            LAYOUT,
            "--progress-every",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert not any("\r" in line for line in lines)
    for n, stage in enumerate(LAYOUT.split(","), 1):
        assert any(
            line.startswith("0/1 files, ") and f"{SAMPLE}: {stage} done ({n}/4)" in line for line in lines
        )
    assert any(line.startswith("1/1 files, ") for line in lines)
    assert lines[-1].startswith("cleaned 1, skipped 0 (done before), failed 0 of 1 file(s)")
