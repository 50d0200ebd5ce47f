"""End to end: `restore names build` then `restore clean --names` corrects variants, keeps names."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from restore.cli import main


def test_build_merge_and_clean_with_names(tmp_path, monkeypatch):
    monkeypatch.setenv("RESTORE_CACHE_DIR", str(tmp_path / "cache"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Then Tukhachevsky spoke. And Tukhachevsky left, as Tukhachevsky said, and Tukhachevskv stayed.\n",
        encoding="utf-8",
    )
    out = tmp_path / "names.txt"
    runner = CliRunner()
    result = runner.invoke(main, ["names", "build", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Tukhachevsky\t4\tTukhachevskv" in out.read_text(encoding="utf-8")

    result = runner.invoke(main, ["names", "build", str(corpus), "-o", str(out), "--merge"])
    assert result.exit_code == 0 and "kept 1 reviewed" in result.output

    doc = tmp_path / "doc.txt"
    doc.write_text("Then Tukhachevskv and Frinovskii met.\n", encoding="utf-8")
    outdir = tmp_path / "out"
    result = runner.invoke(
        main,
        ["clean", str(doc), "-o", str(outdir), "--stages", "normalize,spelling", "--names", str(out), "-q"],
    )
    assert result.exit_code == 0, result.output
    assert (outdir / "doc.txt").read_text(encoding="utf-8") == "Then Tukhachevsky and Frinovskii met.\n"


def test_missing_dict_file_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(
        main, ["clean", str(tmp_path), "-o", str(tmp_path / "o"), "--dict", str(tmp_path / "nope.txt")]
    )
    assert result.exit_code == 2 and "nope.txt" in result.output


def test_build_reports_a_bad_input_and_a_document_given_twice(tmp_path):
    data = Path(__file__).parent / "data" / "names" / "ocr"
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "names.txt"
    result = CliRunner().invoke(main, ["names", "build", str(data), str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert f"restore: {bad}: binary file, not text" in result.output
    assert "from 2 document(s) (1 given more than once, counted once)" in result.output
    assert "\nWalker\t2\n" in out.read_text(encoding="utf-8")
