"""The name-dictionary builder: harvesting, clustering OCR variants, writing, merging reviewed files."""

from __future__ import annotations

from collections import Counter

from restore import names
from restore.models.lexicon import parse_dictionary

CORPUS = (
    "The army of Tukhachevsky marched. Then Tukhachevsky spoke, and Tukhachevsky left with Yagoda.\n"
    "Later the man Tuchachevsky came, and Tukhachevskv too. Ivanov and Ivanova met Ivanov.\n"
    "The party met in March. Yagoda agreed.\n"
)


def test_harvest_skips_sentence_starts_and_common_words():
    counts = names.harvest([CORPUS])
    assert counts["Tukhachevsky"] == 3 and counts["Yagoda"] == 2
    assert "The" not in counts and "Later" not in counts and "March" not in counts


def test_cluster_groups_ocr_variants_not_other_word_forms():
    clusters = {c.canonical: c for c in names.cluster(names.harvest([CORPUS]))}
    assert set(clusters["Tukhachevsky"].variants) == {"Tuchachevsky", "Tukhachevskv"}
    assert clusters["Tukhachevsky"].count == 5
    assert "Ivanova" in clusters and "Ivanova" not in clusters["Ivanov"].variants


def test_build_writes_a_dictionary_file(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(CORPUS, encoding="utf-8")
    out = tmp_path / "names.txt"
    report = names.build([tmp_path / "corpus"], out)
    entries = {e.form: e for e in parse_dictionary(out.read_text(encoding="utf-8"))}
    assert report.documents == 1 and entries["Tukhachevsky"].count == 5
    assert set(entries["Tukhachevsky"].variants) == {"Tuchachevsky", "Tukhachevskv"}


def test_merge_keeps_reviewer_edits_and_deletions():
    first = names.cluster(Counter({"Tukhachevsky": 3, "Tukhachevskv": 1, "Yagoda": 2, "Tuchachevsky": 1}))
    written = names.render(first, {f for c in first for f in (c.canonical, *c.variants)})
    # The reviewer deletes Yagoda's line and the variant Tuchachevsky, and adds a note.
    reviewed = (
        "\n".join(
            line.replace(", Tuchachevsky", "").replace("Tuchachevsky, ", "")
            for line in written.splitlines()
            if not line.startswith("Yagoda")
        )
        + "\n# reviewed by hand\n"
    )
    fresh = names.cluster(
        Counter(
            {
                "Tukhachevsky": 5,
                "Tukhachevskv": 1,
                "Tuchachevsky": 2,
                "Yagoda": 4,
                "Tukhaehevsky": 1,
                "Zhukov": 2,
            }
        )
    )
    merged, kept, skipped = names.merge(reviewed, fresh)
    entries = {e.form: e for e in parse_dictionary(merged)}
    assert "Yagoda" not in entries and skipped == 1
    assert "Tuchachevsky" not in entries["Tukhachevsky"].variants  # the removed variant stays removed
    assert "Tukhaehevsky" in entries["Tukhachevsky"].variants  # a new variant is added
    assert entries["Tukhachevsky"].count == 9 and "Zhukov" in entries  # the larger count
    assert "# reviewed by hand" in merged and kept == 1
    assert names.merge(merged, fresh)[0] == merged  # merging again changes nothing
