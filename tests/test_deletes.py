"""The memory-mapped delete map answers as the dict it replaces."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restore.models.deletes import DeleteTable, LaidOver, table_bytes

KEYS = st.text(st.characters(codec="utf-8", exclude_characters="\t"), max_size=8)
WORDS = st.lists(
    st.text(st.characters(codec="utf-8", exclude_characters="\t"), min_size=1, max_size=9), min_size=1
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEYS, WORDS, max_size=60), st.lists(KEYS, max_size=20))
def test_the_table_answers_as_the_dict(table, others):
    joined = {k: "\t".join(v) for k, v in table.items()}
    ours = DeleteTable.from_dict(joined)
    assert len(ours) == len(joined) and set(ours) == set(joined)
    for key, words in table.items():
        assert ours.get(key) == joined[key] and ours[key] == words and key in ours
    for key in others:
        assert ours.get(key) == joined.get(key)
        assert (key in ours) == (key in joined)


def test_the_table_reads_the_same_from_its_file(tmp_path):
    joined = {"tle": "title\tturtle", "": "a\ti", "ſo": "ſo", "thé": "thé\tthe"}
    path = tmp_path / "deletes.bin"
    path.write_bytes(table_bytes(joined))
    opened = DeleteTable.open(path)
    assert {k: opened.get(k) for k in joined} == joined
    with pytest.raises(KeyError):
        opened["missing"]


@pytest.mark.parametrize("cut", [0, 7, 20, -3])
def test_a_cut_or_foreign_file_is_refused(tmp_path, cut):
    blob = table_bytes({"tle": "title", "the": "the"})
    path = tmp_path / "deletes.bin"
    path.write_bytes(blob[:cut] if cut else b"not a table at all, but long enough")
    with pytest.raises(ValueError):
        DeleteTable.open(path)


def test_words_laid_over_come_after_the_tables_own():
    base = DeleteTable.from_dict({"tle": "title", "the": "the"})
    over = LaidOver(base, {"tle": ["tlee"], "zzz": ["zzzz"]})
    assert over.get("tle") == "title\ttlee" and over["zzz"] == ["zzzz"] and over.get("the") == "the"
    assert over.get("nothing") is None and "nothing" not in over
    assert set(over) == {"tle", "the", "zzz"} and len(over) == 3


def test_a_table_of_the_other_byte_order_is_refused():
    blob = bytearray(table_bytes({"tle": "title", "the": "the"}))
    blob[8:12] = blob[8:12][::-1]  # the byte-order mark as the other kind of machine writes it
    with pytest.raises(ValueError, match="another kind of machine"):
        DeleteTable(bytes(blob))
