"""End to end: `restore degrade` then `restore eval` lists the errors (TSV, HTML), keeps the
cleaned outputs and scores the gaps stage against degrade's gold drop-outs."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from restore.cli import main

SAMPLE = Path(__file__).parent / "data" / "degrade" / "sample.txt"


def test_eval_lists_errors_keeps_outputs_and_scores_gold_gaps(tmp_path, monkeypatch):
    monkeypatch.setenv("RESTORE_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()
    d = tmp_path / "d"
    result = runner.invoke(
        main, ["degrade", str(SAMPLE), "-o", str(d), "--seed", "3", "--dropout-rate", "0.3"]
    )
    assert result.exit_code == 0, result.output
    keep, tsv, html = tmp_path / "kept", tmp_path / "errors.tsv", tmp_path / "errors.html"
    args = ["eval", "--ocr", str(d / "ocr"), "--gt", str(d / "gt"), "--spacy-model", "none"]
    args += ["--stages", "normalize,pages,hyphenation,paragraphs,gaps", "--keep", str(keep)]
    result = runner.invoke(main, [*args, "--errors", str(tsv), "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert (keep / "sample.txt").read_text(encoding="utf-8").strip()
    rows = [line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["file", "kind", "position", "gt", "ocr", "output", "context"]
    assert len(rows) > 1 and all(
        r[0] == "sample.txt" and r[1] in ("introduced", "remaining") for r in rows[1:]
    )
    assert all(r[3] != r[5] for r in rows[1:])  # truth and output differ at every listed error
    page = html.read_text(encoding="utf-8")
    assert "<script" not in page and "http" not in page and rows[1][3] in page
    assert "gaps: recall" in result.output and "Gaps stage against the gold drop-outs" in page
