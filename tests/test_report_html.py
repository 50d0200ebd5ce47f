"""The HTML report shows every edit and flag, and its views read back as the texts they show."""

import json
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from restore import clean
from restore.compose import Composer
from restore.config import Config
from restore.files import read_source
from restore.record import EditProposal, FlagProposal
from restore.report import html

SAMPLE = Path(__file__).parent.parent / "corpus" / "000_ce8a58615c65187e.txt"
VOID = {"meta", "input", "br", "img", "link"}


class Views(HTMLParser):
    """Reads the report back: the text each view shows, and the ids of what it marks.

    inline: the text with removed text (<del>), whitespace glyphs and flag markers left
    out, which is the restored text; out: the restored pane likewise; source: the
    source pane's lines without their numbers.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.text = {"inline": [], "out": [], "source": []}
        self.ids: list[str] = []
        self.edit_ids = {"inline": [], "out": []}
        self.flag_ids = {"inline": [], "out": []}
        self.scripts: dict[str, str] = {}
        self.lines = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        view = self.view()
        classes = (attrs.get("class") or "").split()
        if view in ("inline", "out"):
            if "ed" in classes:
                self.edit_ids[view].append(attrs["data-e"])
            if "fm" in classes:
                self.flag_ids[view].append(attrs["data-flag"])
        if view == "source" and "ln" in classes:
            if self.lines:
                self.text["source"].append("\n")
            self.lines += 1
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            top, _ = self.stack.pop()
            if top == tag:
                break

    def view(self) -> str | None:
        for tag, attrs in self.stack:
            cls = (attrs.get("class") or "").split()
            if attrs.get("id") == "src":
                return "source"
            if attrs.get("id") == "out":
                return "out"
            if tag == "div" and "text" in cls:
                return "inline"
        return None

    def hidden(self) -> bool:
        for tag, attrs in self.stack:
            cls = (attrs.get("class") or "").split()
            if tag in ("del", "h2") or {"g", "fm", "b", "no"} & set(cls):
                return True
        return False

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "script" and self.stack[-1][1].get("id"):
            self.scripts[self.stack[-1][1]["id"]] = data
            return
        view = self.view()
        if view and not self.hidden():
            self.text[view].append(data)


def read(page: str) -> Views:
    views = Views()
    views.feed(page)
    views.close()
    return views


def sample_result(stages=("normalize", "pages", "hyphenation", "paragraphs")):
    decoded = read_source(SAMPLE)
    return clean(
        decoded.text,
        Config(stages=stages),
        source_name=str(SAMPLE),
        encoding=decoded.encoding,
        source_sha256=decoded.sha256,
    )


def test_the_sample_report_shows_every_edit_and_reads_back_as_its_texts():
    result = sample_result()
    page = html.render(result, "000.json")
    views = read(page)
    assert "".join(views.text["inline"]) == result.output
    assert "".join(views.text["out"]) == result.output
    assert "".join(views.text["source"]) == result.source
    top = [e.id for e in result.edits if e.superseded_by is None]
    assert sorted(views.edit_ids["inline"]) == sorted(top)
    assert sorted(views.edit_ids["out"]) == sorted(top)
    table = json.loads(views.scripts["edits-data"])
    assert set(table) == {e.id for e in result.edits}  # superseded edits are reachable through their chain
    for e in result.edits:
        if e.superseded_by:
            top_id = e.superseded_by
            while table[top_id]["top"] is False:
                top_id = next(x.superseded_by for x in result.edits if x.id == top_id)
            assert e.id in [m["id"] for m in table[top_id]["chain"]]
    assert len(views.ids) == len(set(views.ids)), "element ids must be unique"
    meta = json.loads(views.scripts["meta-data"])
    assert meta == {"record": "000.json", "source_sha256": result.source_sha256, "file": "000.decisions.json"}
    assert "http://" not in page and "https://" not in page  # nothing fetched from the network


def test_every_flag_has_a_marker_a_list_entry_and_a_note_field():
    result = sample_result(("normalize", "pages", "hyphenation", "paragraphs", "gaps"))
    assert result.flags, "the gaps stage flags the sample's dropped phrases"
    views = read(html.render(result))
    ids = [f.id for f in result.flags]
    assert views.flag_ids["inline"] == ids  # in document order, which is flag order
    assert sorted(views.flag_ids["out"]) == sorted(ids)
    for fid in ids:
        assert f"note-{fid}" in views.ids
    assert "".join(views.text["inline"]) == result.output


ALPHABET = "ab \n-.<&"


@st.composite
def compositions(draw):
    source = draw(st.text(ALPHABET, max_size=40))
    composer = Composer(source)
    kinds = st.sampled_from(["unwrap", "spelling", "hyphen-join", "page-join"])
    for n in range(draw(st.integers(1, 3))):
        text = composer.text
        cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
        proposals, previous = [], -1
        for a, b in zip(cuts[::2], cuts[1::2], strict=False):
            if a < previous or (a == previous and a == b):
                continue
            proposals.append(EditProposal(a, b, draw(st.text(ALPHABET, max_size=4)), draw(kinds), "r<", 1.0))
            previous = b
        composer.apply_stage(["pages", "hyphenation", "spelling"][n], proposals)
    for _ in range(draw(st.integers(0, 3))):
        a = draw(st.integers(0, len(composer.text)))
        b = draw(st.integers(a, len(composer.text)))
        composer.add_flags("gaps", [FlagProposal(a, b, "gap", "dropped?", 0.5)])
    edits, flags = composer.finish()
    return source, composer.text, edits, flags


@settings(max_examples=150, deadline=None)
@given(compositions())
def test_views_read_back_as_source_and_output_for_any_record(case):
    source, output, edits, flags = case
    data = html.document_data(source, edits, flags, source_name="doc.txt", encoding="utf-8", stages=["pages"])
    views = read(html.render_document(data))
    assert "".join(views.text["inline"]) == output
    assert "".join(views.text["out"]) == output
    assert "".join(views.text["source"]) == source
    assert sorted(views.edit_ids["inline"]) == sorted(e.id for e in edits if e.superseded_by is None)
    assert sorted(views.flag_ids["inline"]) == sorted(f.id for f in flags)


def test_text_that_looks_like_markup_is_escaped():
    result = clean("a </script><b>bold</b> & ﬁne\n", Config(stages=("normalize",)))
    page = html.render(result)
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold" in page
    assert "".join(read(page).text["inline"]) == result.output


def test_the_index_lists_documents_most_flags_first(tmp_path):
    from restore.batch import Input, write_outputs

    quiet = clean(
        "plain text\n", Config(stages=("normalize",)), source_name="quiet.txt", source_sha256="0" * 64
    )
    noisy = sample_result(("normalize", "pages", "hyphenation", "paragraphs", "gaps"))
    write_outputs(quiet, Input(Path("quiet.txt"), Path("quiet.txt")), tmp_path)
    write_outputs(noisy, Input(SAMPLE, Path("sub/noisy.txt")), tmp_path)
    index = html.write_index(tmp_path)
    page = index.read_text(encoding="utf-8")
    assert page.index('href="sub/noisy.html"') < page.index('href="quiet.html"')
    assert (tmp_path / "sub" / "noisy.html").is_file()
    entries = html.index_entries(tmp_path)
    assert [e["flags"] for e in entries] == [len(noisy.flags), 0]
    assert entries[0]["edits"] == len(noisy.edits)
