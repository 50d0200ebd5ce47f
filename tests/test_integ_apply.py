"""`restore apply` end to end on the sample: round trips, decisions, dependents, a changed source."""

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from restore.cli import main
from restore.files import read_source
from restore.record import Edit, apply_edits

SAMPLE = Path(__file__).parent.parent / "corpus" / "000_ce8a58615c65187e.txt"
STAGES = "normalize,pages,hyphenation,paragraphs,spelling,gaps"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    """The sample copied to a scratch folder and cleaned there, once for the module."""
    folder = tmp_path_factory.mktemp("apply")
    source = folder / "sample.txt"
    shutil.copyfile(SAMPLE, source)
    result = run("clean", source, "-o", folder / "out", "--stages", STAGES, "-q")
    assert result.exit_code == 0, result.output
    record = folder / "out" / "sample.json"
    return folder, source, record, json.loads(record.read_text(encoding="utf-8"))


def test_accept_all_gives_name_txt_and_reject_all_the_source(cleaned, tmp_path):
    folder, source, record, _ = cleaned
    result = run("apply", record, "--accept-all", "-o", tmp_path / "all.txt")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "all.txt").read_bytes() == (folder / "out" / "sample.txt").read_bytes()
    result = run("apply", record, "--reject-all", "-o", tmp_path / "none.txt")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "none.txt").read_text(encoding="utf-8") == read_source(source).text
    assert (tmp_path / "none.notes.md").is_file()


def test_decisions_reject_edits_and_what_builds_on_them(cleaned, tmp_path):
    folder, source, record, data = cleaned
    edits = [Edit.from_json(e) for e in data["edits"]]
    base = [e for e in edits if e.superseded_by]  # edits something else builds on
    assert base, "the sample has dependent edits (a page join then an unwrap, a join then a fix)"
    spelling = [e for e in edits if e.kind == "spelling"][:1]
    rejected = {base[0].id, *(e.id for e in spelling)}
    flag = data["flags"][0]["id"]
    decisions = tmp_path / "decisions.json"
    decisions.write_text(
        json.dumps(
            {
                "record": "sample.json",
                "source_sha256": data["source_sha256"],
                "edits": {i: "reject" for i in rejected},
                "flags": {flag: "restore from the print"},
            }
        )
    )
    result = run("apply", record, "--decisions", decisions, "-o", tmp_path / "final.txt")
    assert result.exit_code == 0, result.output
    expected, dropped = apply_edits(
        read_source(source).text, edits, [e.id for e in edits if e.id not in rejected]
    )
    assert (tmp_path / "final.txt").read_text(encoding="utf-8") == expected
    assert dropped and f"builds on rejected {base[0].id}" in dropped[0]
    assert (
        f"{base[0].superseded_by} ({next(e.kind for e in edits if e.id == base[0].superseded_by)}) not applied"
        in result.output
    )
    notes = (tmp_path / "final.notes.md").read_text(encoding="utf-8")
    assert f"## {flag} ·" in notes and "- note: restore from the print" in notes
    assert all(f"## {f['id']} ·" in notes for f in data["flags"])


def test_a_changed_source_is_refused_in_one_line(cleaned, tmp_path):
    folder, source, record, _ = cleaned
    changed = tmp_path / "changed.txt"
    changed.write_bytes(source.read_bytes().replace(b"Stalin", b"Stalen", 1))
    result = run("apply", record, "--accept-all", "--source", changed, "-o", tmp_path / "final.txt")
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "changed.txt: source has changed since it was cleaned" in result.output
    assert not (tmp_path / "final.txt").exists()


def test_the_source_is_found_beside_the_record_when_the_recorded_path_is_gone(cleaned, tmp_path):
    folder, source, record, data = cleaned
    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.copyfile(record, moved / "sample.json")
    text = read_source(source).text
    (moved / Path(data["source"]).name).write_bytes(source.read_bytes())
    relative = json.loads((moved / "sample.json").read_text(encoding="utf-8"))
    relative["source"] = Path(data["source"]).name  # relative: resolved beside the record
    (moved / "sample.json").write_text(json.dumps(relative), encoding="utf-8")
    result = run("apply", moved / "sample.json", "--reject-all", "-o", tmp_path / "raw.txt")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "raw.txt").read_text(encoding="utf-8") == text


def test_usage_errors(cleaned, tmp_path):
    folder, source, record, _ = cleaned
    result = run("apply", record, "-o", tmp_path / "x.txt")
    assert result.exit_code == 2 and "exactly one of" in result.output
    result = run("apply", record, "--accept-all", "--reject-all", "-o", tmp_path / "x.txt")
    assert result.exit_code == 2
    result = run("apply", tmp_path / "missing.json", "--accept-all", "-o", tmp_path / "x.txt")
    assert result.exit_code == 1 and "no such record" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"edits": {"e100000": "reject"}}))
    result = run("apply", record, "--decisions", bad, "-o", tmp_path / "x.txt")
    assert result.exit_code == 1 and "ids not in the record: e100000" in result.output


def test_apply_finds_the_source_from_any_folder_and_after_the_tree_moves(tmp_path):
    """clean ran in books/ on a relative path; apply runs elsewhere, then on the moved tree,
    then where a different file has the recorded relative name: the source is found by its
    absolute path, by its path relative to the record, and checked by its hash."""
    import subprocess
    import sys

    restore = str(Path(sys.executable).parent / "restore")
    books = tmp_path / "books"
    (books / "in").mkdir(parents=True)
    shutil.copyfile(SAMPLE, books / "in" / "sample.txt")
    layout = "normalize,pages,hyphenation,paragraphs"
    cleaned = subprocess.run(
        [restore, "clean", "in/sample.txt", "-o", "out", "--stages", layout, "-q"],
        cwd=books,
        capture_output=True,
    )
    assert cleaned.returncode == 0, cleaned.stderr
    data = json.loads((books / "out" / "sample.json").read_text(encoding="utf-8"))
    assert data["source"] == "in/sample.txt"
    assert data["source_path"] == str(books / "in" / "sample.txt")
    assert data["source_from_record"] == "../in/sample.txt"
    restored = (books / "out" / "sample.txt").read_bytes()

    def apply_from(folder: Path, record: Path) -> subprocess.CompletedProcess:
        folder.mkdir(parents=True, exist_ok=True)
        return subprocess.run(
            [restore, "apply", str(record), "--accept-all", "-o", str(tmp_path / "final.txt"), "-q"],
            cwd=folder,
            capture_output=True,
            text=True,
        )

    elsewhere = apply_from(tmp_path / "elsewhere", books / "out" / "sample.json")
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert (tmp_path / "final.txt").read_bytes() == restored

    moved = tmp_path / "archive" / "books"
    moved.parent.mkdir()
    books.rename(moved)
    decoy = tmp_path / "decoy"
    (decoy / "in").mkdir(parents=True)
    (decoy / "in" / "sample.txt").write_text("another text of the same name\n", encoding="utf-8")
    (tmp_path / "final.txt").unlink()
    after_move = apply_from(decoy, moved / "out" / "sample.json")
    assert after_move.returncode == 0, after_move.stderr
    assert (tmp_path / "final.txt").read_bytes() == restored

    (moved / "in" / "sample.txt").unlink()
    gone = apply_from(decoy, moved / "out" / "sample.json")
    assert gone.returncode == 1
    assert gone.stderr.strip().count("\n") == 0
    assert "in/sample.txt: source has changed since it was cleaned" in gone.stderr  # only the decoy is left


def page_data(record_path, source_text):
    """The navigator's data for each flag and edit, read from the review page restore wrote."""
    page = record_path.with_suffix(".html").read_text(encoding="utf-8")
    parts = [json.loads(p) for p in re.findall(r'class="part-data">(.*?)</script>', page, re.S)]
    flags = {f["id"]: f for part in parts for f in part["flags"]}
    edits = {k: v for part in parts for k, v in part["edits"].items()}
    return flags, edits


def test_a_reviewer_correction_is_applied_and_rejecting_all_still_gives_the_source(cleaned, tmp_path):
    """Decisions with corrections typed in the page (the text for a flagged drop-out and a word
    restore got wrong) -> restore apply -> the output with exactly those passages replaced."""
    folder, source, record, data = cleaned
    text = read_source(source).text
    output = (folder / "out" / "sample.txt").read_text(encoding="utf-8")
    edits = [Edit.from_json(e) for e in data["edits"]]
    flags, table = page_data(record, text)
    flag = next(f for f in flags.values() if "need to running" in f["a"])
    s, t = flag["src"]
    assert text[s:t] == flag["b"]
    spelling = next(e for e in edits if e.kind == "spelling" and e.superseded_by is None)
    assert (
        table[spelling.id]["src"] == list(spelling.source_span) and table[spelling.id]["a"] == spelling.after
    )
    typed = flag["a"].replace("need to running", "need to keep running")
    assert typed != flag["a"]
    corrections = [
        {
            "id": "r1",
            "stage": "review",
            "kind": "correction",
            "target": flag["id"],
            "source_span": [s, t],
            "before": flag["b"],
            "after": typed,
            "note": "as printed",
        },
        {
            "id": "r2",
            "stage": "review",
            "kind": "correction",
            "target": spelling.id,
            "source_span": list(spelling.source_span),
            "before": spelling.before,
            "after": "WORD",
            "note": "",
        },
    ]
    decisions = tmp_path / "decisions.json"
    decisions.write_text(
        json.dumps(
            {
                "record": "sample.json",
                "source_sha256": data["source_sha256"],
                "edits": {},
                "flags": {flag["id"]: "as printed"},
                "corrections": corrections,
            }
        ),
        encoding="utf-8",
    )
    result = run("apply", record, "--decisions", decisions, "-o", tmp_path / "final.txt")
    assert result.exit_code == 0, result.output
    o = output.index(flag["a"])
    expected = output[:o] + typed + output[o + len(flag["a"]) :]
    a, b = spelling.output_span
    shift = len(typed) - len(flag["a"]) if a > o else 0
    expected = expected[: a + shift] + "WORD" + expected[b + shift :]
    assert (tmp_path / "final.txt").read_text(encoding="utf-8") == expected
    assert (
        f"{spelling.id} ({spelling.kind}) not applied: the reviewer's correction r2 replaces it"
        in result.output
    )
    notes = (tmp_path / "final.notes.md").read_text(encoding="utf-8")
    assert "## r1 · at " + flag["id"] in notes and "- now: “" + typed + "”" in notes

    result = run("apply", record, "--reject-all", "-o", tmp_path / "none.txt")
    assert (tmp_path / "none.txt").read_text(encoding="utf-8") == text

    # A correction typed over other text than the source holds is refused in one line.
    corrections[0]["before"] = "x" * (t - s)
    decisions.write_text(json.dumps({"edits": {}, "corrections": corrections}), encoding="utf-8")
    result = run("apply", record, "--decisions", decisions, "-o", tmp_path / "bad.txt")
    assert result.exit_code == 1 and "correction r1" in result.output and not (tmp_path / "bad.txt").exists()
