"""Latin and French passages found in English text (restore.models.foreign)."""

from restore.models.foreign import foreign_passages


def passages(text: str) -> list[tuple[str, str]]:
    return [(text[p.start : p.end], p.language) for p in foreign_passages(text)]


def test_a_latin_quotation_is_found_with_its_ocr_errors():
    text = (
        "Let me conclude with some noble lines of Ovid. "
        "Oum volet illa dies, quoe nil idsi oorporis hujua Jus habet, inoerti spatium mihi finiat oevi. "
        "Now have I done my work, which not Jove's ire can make undone."
    )
    assert passages(text) == [
        (
            "Oum volet illa dies, quoe nil idsi oorporis hujua Jus habet, inoerti spatium mihi finiat oevi.",
            "la",
        )
    ]


def test_a_french_letter_is_found():
    text = (
        "The minister wrote as follows. Nous avons reçu la lettre que vous nous avez fait "
        "l'honneur de nous écrire, et nous sommes pour toujours vos serviteurs. He never answered."
    )
    ((found, language),) = passages(text)
    assert found.startswith("Nous avons") and found.endswith("serviteurs.") and language == "fr"


def test_latin_phrases_in_english_sentences_stay_english():
    for text in (
        "The rate was fixed pro rata at five per cent, and the duty ad valorem, et cetera.",
        "Smith et al. found that the vessel was, ex professo, a ship of the line.",
        "Messrs. De la Rue and Le Mesurier sold the estate at auction on Monday last.",
        "Quod erat demonstrandum, said the master, and the boys went home.",
    ):
        assert passages(text) == [], text


def test_a_list_of_names_is_no_foreign_passage():
    text = (
        "Ptes Gilbert James Bates, Gerald Beckett, Robert William Bell, Henry Le Mesurier, La Touche, "
        "Hermann Bevan, James Hill, Alfred Bishop, Ce Jones, Arthur Tones."
    )
    assert passages(text) == []
