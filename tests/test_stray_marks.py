"""Lone marks at a line's edge (column rules, specks) removed on the document's and the model's evidence."""

from pathlib import Path

from restore import Config, clean
from restore.models.stray_marks import edge_evidence

DATA = Path(__file__).parent / "data" / "paragraphs"
# Real OCR (overproof-smh, article037): a column rule read as 'I' at the end of two lines.
RULED = (DATA / "stray_marks_at_line_edges_removed.in.txt").read_text(encoding="utf-8")


def test_a_document_printing_marks_at_its_edges_more_than_inside_has_a_rate():
    ev = edge_evidence(RULED.splitlines())
    assert (ev.at_edges, ev.inside) == (2, 0)
    assert ev.rate == 2 / (ev.edge_slots + 2)


def test_a_page_of_marks_at_every_edge_still_has_a_rate_under_one():
    text = "I saw it I\nI went home I\n"
    assert 0 < edge_evidence(text.splitlines()).rate < 1
    out = clean(text, Config(stages=("paragraphs",)))
    assert out.apply([])[0] == text


def test_marks_as_common_inside_lines_as_at_their_edges_give_no_rate():
    lines = ["so I went on and", "I said that we", "were I to go on", "and then I saw it"]
    ev = edge_evidence(lines)
    assert ev.at_edges == 1 and ev.inside == 3
    assert ev.expected > ev.at_edges and ev.rate == 0.0


def test_a_document_with_no_excess_keeps_its_marks_whatever_the_model_says():
    # The same ruled column with a lone 'I' inside every line: as many inside as the edges hold.
    text = "".join(line.replace(" ", " I ", 1) + "\n" for line in RULED.splitlines())
    assert edge_evidence(text.splitlines()).rate == 0.0
    out = clean(text, Config(stages=("paragraphs",)))
    assert not [e for e in out.edits if e.kind == "stray-mark"]


def test_each_removal_is_an_edit_that_explains_itself_and_rejecting_it_restores_the_mark():
    doc = clean(RULED, Config(stages=("paragraphs",)))
    marks = [e for e in doc.edits if e.kind == "stray-mark"]
    assert [(e.before, e.after) for e in marks] == [(" I", ""), (" I", "")]
    for e in marks:
        assert e.stage == "paragraphs" and 0.5 <= e.confidence <= 0.999
        assert "lone 'I' last on its line" in e.reason and "likelier without it" in e.reason
        assert "2 lone marks first or last on a line and 0 inside lines" in e.reason
    kept, _ = doc.apply([e.id for e in doc.edits if e.kind != "stray-mark"])
    assert "so many of I\nthe vehicles" not in kept and "so many of I the vehicles" in kept


def test_keep_lines_still_removes_the_marks_and_keeps_the_lines():
    doc = clean(RULED, Config(stages=("paragraphs",), keep_lines=True))
    assert doc.output == RULED.replace(" I\n", "\n")


def test_a_mark_below_the_bar_is_held_as_a_flag():
    doc = clean(RULED, Config(stages=("paragraphs",), min_confidence=1.0))
    held = [f for f in doc.flags if f.kind == "held-edit" and f.detail["edit"]["kind"] == "stray-mark"]
    assert [f.detail["edit"]["before"] for f in held] == [" I", " I"]
    assert doc.output == RULED
