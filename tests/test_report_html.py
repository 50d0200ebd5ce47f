"""The HTML report shows every edit and flag, and its views read back as the texts they show."""

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from restore import clean
from restore.compose import Composer
from restore.config import Config
from restore.files import read_source
from restore.pipeline import clean_pieces
from restore.record import Document, EditProposal, FlagProposal
from restore.report import Newlines, html

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
        # ids in <template>s are inert until one is cloned into the inspector
        if "id" in attrs and "data-wrap" not in attrs and not any(t == "template" for t, _ in self.stack):
            self.ids.append(attrs["id"])
        view = self.view()
        classes = (attrs.get("class") or "").split()
        if view in ("inline", "out"):
            if "ed" in classes:
                self.edit_ids[view].append(attrs["data-e"])
            if "fm" in classes:
                self.flag_ids[view].append(attrs["data-flag"])
        if view == "source" and "ln" in classes:
            if self.lines and "cont" not in classes:  # a line cut by a section goes on
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


SECTION = re.compile(r'<script type="text/x-restore-section" id="s([iso])-(\d+)">(.*?)</script>', re.S)
PART = re.compile(r'<script type="application/json" class="part-data">(.*?)</script>', re.S)


def read(page: str) -> Views:
    """The page as a reader sees it once every section is rendered: each section's inert
    views, in order, put back into their containers."""
    views = Views()
    parts = {"i": [], "s": [], "o": []}
    for view, _, markup in SECTION.findall(page):
        parts[view].append(markup)
    outside = SECTION.sub("", page)
    views.feed(outside)
    views.feed('<div class="text" data-wrap>' + "".join(parts["i"]) + "</div>")
    views.feed('<div id="src" data-wrap>' + "".join(parts["s"]) + "</div>")
    views.feed('<div id="out" data-wrap>' + "".join(parts["o"]) + "</div>")
    views.close()
    views.parts = [json.loads(p) for p in PART.findall(page)]
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
    table = {k: v for part in views.parts for k, v in part["edits"].items()}
    assert set(table) == {e.id for e in result.edits}  # superseded edits are reachable through their chain
    for e in result.edits:
        if e.superseded_by:
            top_id = e.superseded_by
            while table[top_id]["top"] is False:
                top_id = next(x.superseded_by for x in result.edits if x.id == top_id)
            assert e.id in [m["id"] for m in table[top_id]["chain"]]
    assert len(views.ids) == len(set(views.ids)), "element ids must be unique"
    meta = json.loads(views.scripts["meta-data"])
    assert {k: meta[k] for k in ("record", "source_sha256", "file")} == {
        "record": "000.json",
        "source_sha256": result.source_sha256,
        "file": "000.decisions.json",
    }
    assert meta["edit_count"] == len(result.edits) and meta["words_in"] == result.stats["words_in"]
    assert "http://" not in page and "https://" not in page  # nothing fetched from the network


def test_every_flag_has_a_marker_a_list_entry_and_a_note_field():
    result = sample_result(("normalize", "pages", "hyphenation", "paragraphs", "gaps"))
    assert result.flags, "the gaps stage flags the sample's dropped phrases"
    views = read(html.render(result))
    ids = [f.id for f in result.flags]
    assert views.flag_ids["inline"] == ids  # in document order, which is flag order
    assert sorted(views.flag_ids["out"]) == sorted(ids)
    flags = [f for part in views.parts for f in part["flags"]]
    assert [f["id"] for f in flags] == ids  # the navigator's list, with both places named
    for f, flag in zip(flags, result.flags, strict=True):
        assert f["line"] == result.source.count("\n", 0, flag.source_span[0]) + 1
        assert f["out_line"] == result.output.count("\n", 0, flag.output_span[0]) + 1
        # what a correction replaces: the source under the flag, widened over the edits it reaches
        s, t = f["src"]
        assert result.source[s:t] == f["b"] and s <= flag.source_span[0] and flag.source_span[1] <= t
        assert flag.excerpt.strip() in f["a"]
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
    document = Document(
        source=source, output=output, edits=tuple(edits), flags=tuple(flags), stages=("pages",)
    )
    views = read(html.render(document))
    assert "".join(views.text["inline"]) == output
    assert "".join(views.text["out"]) == output
    assert "".join(views.text["source"]) == source
    assert sorted(views.edit_ids["inline"]) == sorted(e.id for e in edits if e.superseded_by is None)
    assert sorted(views.flag_ids["inline"]) == sorted(f.id for f in flags)


def test_a_book_in_many_parts_and_sections_reads_back_whole():
    """A long document cleaned in chunks: the page shows every chunk, cut into sections
    that each hold whole edits, and reads back as the whole source and output."""
    text = SAMPLE.read_text(encoding="utf-8") * 2
    config = Config(stages=("normalize", "pages", "hyphenation", "paragraphs", "gaps"), chunk_chars=3000)
    pieces = list(clean_pieces(text, config))
    assert len(pieces) > 3
    whole = clean(text, config)
    handle = io.StringIO()
    writer = html.writer_for(whole, handle, "long.json")
    writer.section_chars = 700
    for piece in pieces:
        writer.part(piece)
    writer.finish(whole.stats)
    views = read(handle.getvalue())
    sections = [s for part in views.parts for s in part["sections"]]
    assert len(sections) > len(pieces) and [s["n"] for s in sections] == list(range(len(sections)))
    assert "".join(views.text["inline"]) == whole.output
    assert "".join(views.text["out"]) == whole.output
    assert "".join(views.text["source"]) == text
    assert sorted(views.edit_ids["inline"]) == sorted(e.id for e in whole.edits if e.superseded_by is None)
    assert views.flag_ids["inline"] == [f.id for f in whole.flags]
    # the source pane numbers lines across sections and parts as the source does
    assert json.loads(views.scripts["meta-data"])["flag_count"] == len(whole.flags)
    first_lines = [s["line"] for s in sections]
    assert first_lines == sorted(first_lines) and first_lines[0] == 1
    assert sections[-1]["line"] <= text.count("\n") + 1


def test_a_book_printed_on_one_line_is_cut_into_sections_mid_line():
    """ICDAR's books are one line each: sections are cut at sentence ends, and the source pane
    goes on with the line instead of numbering a new one."""
    text = SAMPLE.read_text(encoding="utf-8").replace("\n", " ")
    document = clean(text, Config(stages=("normalize", "hyphenation", "gaps")))
    handle = io.StringIO()
    writer = html.writer_for(document, handle, "one-line.json")
    writer.section_chars = 900
    writer.part(html.Part(0, 0, document.source, document.output, document.edits, document.flags))
    writer.finish(document.stats)
    views = read(handle.getvalue())
    sections = [s for part in views.parts for s in part["sections"]]
    assert len(sections) > 10 and all(s["line"] == 1 for s in sections)
    assert "".join(views.text["inline"]) == document.output
    assert "".join(views.text["out"]) == document.output
    assert "".join(views.text["source"]) == text


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


@settings(max_examples=200, deadline=None)
@given(st.text("a\n", max_size=30))
def test_newlines_count_as_str_count_does(text):
    lines = Newlines(text)
    assert len(lines) == text.count("\n")
    for pos in range(-len(text) - 2, len(text) + 3):
        assert lines.before(pos) == text.count("\n", 0, pos)


def test_parts_written_at_once_when_told_which_is_last_make_the_same_page():
    """write_outputs_chunked tells the writer which part is the last, so none waits for the
    next chunk in memory; the page is the one the deferred writer makes."""
    text = SAMPLE.read_text(encoding="utf-8") * 2
    config = Config(stages=("normalize", "pages", "hyphenation", "paragraphs", "gaps"), chunk_chars=3000)
    pieces = list(clean_pieces(text, config))
    whole = clean(text, config)
    pages = []
    for told in (False, True):
        handle = io.StringIO()
        writer = html.writer_for(whole, handle, "long.json")
        for n, piece in enumerate(pieces):
            if told:
                writer.part(piece, last=n == len(pieces) - 1)
            else:
                writer.part(piece)
        writer.finish(whole.stats)
        pages.append(handle.getvalue())
    assert len(pieces) > 3 and pages[0] == pages[1]
