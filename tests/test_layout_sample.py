"""The layout stages on the real sample, and on the sample re-paginated with heads and numbers."""

import random
import re
from pathlib import Path

import pytest

from restore import Config, clean

SAMPLE = Path(__file__).parents[1] / "corpus" / "000_ce8a58615c65187e.txt"
LAYOUT = Config(stages=("normalize", "pages", "hyphenation", "paragraphs"))
HEADS = ("THE GREAT TERROR RECONSIDERED", "STALIN AND THE FIRST SECRETARIES")


@pytest.fixture(scope="module")
def sample() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cleaned(sample):
    return clean(sample, LAYOUT)


def test_every_end_of_line_hyphen_is_resolved(cleaned):
    out = cleaned.output
    for compound in (
        "co-optation",
        "second-class workers",
        "counter-revolutionary",
        "Inoy 424-7",
        "highest-ranking",
    ):
        assert compound in out
    assert "stated- Soviet" in out  # a dash between two words: left apart, never "statedSoviet"
    assert not re.search(r"\w-\n\w", out)


def test_page_breaks_are_joined_into_their_sentences(sample, cleaned):
    out = cleaned.output
    kinds = [e.kind for e in cleaned.edits]
    assert kinds.count("page-join") == 6
    assert kinds.count("page-break") == 1  # "...tractor drivers?" then the speaker line "Stalin: Who else"
    for joined in (
        "linked to conspiracies by political figures",
        "building ties to the masses. However",
        "in this way: Stalin was not yet",
        "sent an urgent telegram",
        "become so associated with his name",
        "between the Stalin leadership and the First Secretaries",
    ):
        assert joined in out
    assert "\n\n\n" not in out
    assert "tractor drivers?\n\nStalin: Who else" in out


def test_paragraph_breaks_are_kept(sample, cleaned):
    source_paragraphs = [p for p in re.split(r"\n[ \t]*\n", sample) if p.strip()]
    out_paragraphs = [p for p in cleaned.output.split("\n\n") if p.strip()]
    # Blank-line runs inside the sample: one per page break; joins remove six of them.
    assert len(out_paragraphs) == len(source_paragraphs) - 6
    assert all("\n" not in p.strip() for p in out_paragraphs)


def repaginate(text: str, seed: int, number_in_head: bool) -> str:
    """Print the sample again: pages of about 30 lines, alternating running heads with OCR
    misreadings, a page number at each foot (or inside the head), form feeds between pages."""
    rng = random.Random(seed)
    lines = text.split("\n")
    pages, start = [], 0
    while start < len(lines):
        end = min(start + 30, len(lines))
        # Break mid-paragraph, where a printed page usually ends.
        while end < len(lines) - 1 and not (lines[end - 1].strip() and lines[end].strip()):
            end += 1
        pages.append(lines[start:end])
        start = end
    printed = []
    for n, page in enumerate(pages, 1):
        head = list(HEADS[n % 2])
        for _ in range(rng.randint(0, 2)):  # OCR misreads a letter or two
            i = rng.randrange(len(head))
            if head[i].isalpha():
                head[i] = rng.choice("0IlVB")
        head = "".join(head)
        if number_in_head:
            head = f"{n} {head}" if n % 2 == 0 else f"{head} {n}"
            printed.append(head + "\n\n" + "\n".join(page))
        else:
            printed.append(head + "\n\n" + "\n".join(page) + f"\n\n{n}\n")
    return "\f".join(printed)


@pytest.mark.parametrize("number_in_head", [False, True], ids=["number-at-foot", "number-in-head"])
def test_repaginated_sample_cleans_to_the_same_text(sample, cleaned, number_in_head):
    paginated = repaginate(sample, seed=7, number_in_head=number_in_head)
    assert paginated.count("\f") >= 10
    result = clean(paginated, LAYOUT)
    assert result.output == cleaned.output
    kinds = {e.kind for e in result.edits}
    assert "running-head" in kinds
    assert ("page-number" in kinds) != number_in_head
