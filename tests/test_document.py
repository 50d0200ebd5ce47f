"""One document type: a record written by clean and read back by load_record renders the same report."""

import json
from pathlib import Path

import pytest

from restore import Config, Document, clean, load_record
from restore.batch import write_outputs
from restore.files import Input, read_source
from restore.record import RecordError
from restore.report import html, markdown

SAMPLE = Path(__file__).parent.parent / "corpus" / "000_ce8a58615c65187e.txt"


def test_a_record_read_back_renders_the_report_it_was_written_with(tmp_path):
    decoded = read_source(SAMPLE)
    config = Config(stages=("normalize", "pages", "hyphenation", "paragraphs"))
    document = clean(decoded.text, config, source_name="sample.txt", source_sha256=decoded.sha256)
    write_outputs(document, Input(SAMPLE, Path("sample.txt")), tmp_path)
    record = tmp_path / "sample.json"
    assert json.loads(record.read_text(encoding="utf-8")) == document.to_json()

    loaded = load_record(record, source=decoded.text)
    assert isinstance(loaded, Document) and loaded.path == record
    assert loaded.output == document.output
    assert loaded.edits == document.edits and loaded.flags == document.flags
    assert html.render(loaded) == (tmp_path / "sample.html").read_text(encoding="utf-8")
    assert markdown.render(loaded) == (tmp_path / "sample.md").read_text(encoding="utf-8")


def test_a_record_without_its_source_says_so(tmp_path):
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(clean("a fine ex-\nample.\n").to_json()), encoding="utf-8")
    with pytest.raises(RecordError, match="no source text"):
        load_record(path).apply()
    with pytest.raises(RecordError, match="not a restore record"):
        path.write_text("{}", encoding="utf-8")
        load_record(path)
