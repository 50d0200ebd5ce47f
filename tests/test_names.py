"""The name-dictionary builder: harvesting, clustering OCR variants, writing, merging reviewed files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from restore import names
from restore.models.lexicon import load_dictionaries, parse_dictionary

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


DATA = Path(__file__).parent / "data" / "names"
ARTICLE = DATA / "ocr" / "article061.txt"  # overproof-smh article061, real OCR


def test_a_known_name_is_not_made_a_variant_of_another(tmp_path):
    # The article has Walker and Waller twice each; the old builder made Waller a variant of Walker.
    out = tmp_path / "names.txt"
    names.build([ARTICLE], out)
    entries = {e.form: e for e in parse_dictionary(out.read_text(encoding="utf-8"))}
    assert entries["Walker"].count == 2 and entries["Walker"].variants == ()
    assert entries["Waller"].count == 2 and entries["Waller"].variants == ()
    # An unknown form that OCR explains is still a variant ("Tamos" beside "Tames").
    assert entries["Tames"].variants == ("Tamos",)


def test_the_same_document_given_twice_counts_once(tmp_path):
    once, twice = tmp_path / "once.txt", tmp_path / "twice.txt"
    single = names.build([ARTICLE], once)
    report = names.build([DATA / "ocr"], twice)  # article061.txt and again/article061_copy.txt
    assert report.documents == 2 and report.duplicates == 1 and single.duplicates == 0
    body = [line for line in twice.read_text(encoding="utf-8").splitlines() if not line.startswith("## ")]
    assert body == [
        line for line in once.read_text(encoding="utf-8").splitlines() if not line.startswith("## ")
    ]
    assert "(1 given more than once, counted once)" in twice.read_text(encoding="utf-8")


def test_forms_seen_once_are_proposed_and_the_spelling_stage_does_not_use_them(tmp_path):
    out = tmp_path / "names.txt"
    report = names.build([ARTICLE], out)
    text = out.read_text(encoding="utf-8")
    assert "#? Agnes\t1" in text and "\nAgnes" not in text
    assert report.proposed == text.count("\n#? ") and report.clusters == len(parse_dictionary(text))
    loaded = load_dictionaries(extra_names=[str(out)], use_project=False)
    assert "William" in loaded.names and "Agnes" not in loaded.names
    assert "Chirles" not in loaded.variants  # a proposed cluster's variants are not used either


def test_misreadings_of_common_words_are_set_aside(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text(
        "We said Wben the ship came, and Wben it left. Mr Yagoda said when. Later Yagoda wrote; "
        "we accept it, and Acoept it.\n",
        encoding="utf-8",
    )
    out = tmp_path / "names.txt"
    report = names.build([corpus], out)
    text = out.read_text(encoding="utf-8")
    assert "#x Wben\t2\t(when)" in text and "#x Acoept\t1\t(accept)" in text
    assert "\nYagoda\t2" in text and report.misreadings == 2
    assert "Wben" not in load_dictionaries(extra_names=[str(out)], use_project=False).names


def test_the_header_explains_every_section(tmp_path):
    out = tmp_path / "names.txt"
    names.build([ARTICLE], out)
    lines = out.read_text(encoding="utf-8").splitlines()
    head = "\n".join(line for line in lines if line.startswith("## "))
    marks = {line[:3] for line in lines if line.startswith("#") and not line.startswith("## ")}
    assert marks == {"#? ", "#! "}  # the article has proposed forms and the seen record, no misreadings
    for section in (
        "## names:",
        "## proposed ('#?' lines)",
        "## misreadings ('#x' lines)",
        "## seen ('#! seen:'",
    ):
        assert section in head


def test_merge_keeps_an_accepted_proposal_and_leaves_out_a_deleted_one(tmp_path):
    out = tmp_path / "names.txt"
    names.build([ARTICLE], out)
    text = out.read_text(encoding="utf-8")
    reviewed = text.replace("#? Agnes\t1", "Agnes\t1").replace("#? Alexander\t1\n", "")
    out.write_text(reviewed + "# checked against the printed page\n", encoding="utf-8")
    report = names.build([ARTICLE], out, merge_existing=True)
    merged = out.read_text(encoding="utf-8")
    assert "\nAgnes\t1" in merged and "#? Agnes" not in merged
    assert "Alexander" not in merged.split("#! seen:")[0] and report.kept_from_review == report.clusters + 1
    assert "# checked against the printed page" in merged and merged.count("## names:") == 1
    names.build([ARTICLE], out, merge_existing=True)
    assert out.read_text(encoding="utf-8") == merged  # merging again changes nothing
