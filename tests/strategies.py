"""Hypothesis strategies shared by the record and review tests."""

from hypothesis import strategies as st

from restore.compose import Composer
from restore.record import EditProposal, FlagProposal

ALPHABET = "ab \n-."


@st.composite
def stage_proposals(draw, text: str):
    """Random non-overlapping proposals over text, insertions and deletions included."""
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    proposals, previous = [], -1
    for a, b in zip(cuts[::2], cuts[1::2]):
        if a < previous or (a == previous and a == b):
            continue
        proposals.append(EditProposal(a, b, draw(st.text(ALPHABET, max_size=4)), "unwrap", "test", 1.0))
        previous = b
    return proposals


@st.composite
def composed(draw):
    """A random source and a Composer after 1-4 stages of random proposals over it."""
    source = draw(st.text(ALPHABET, max_size=40))
    composer = Composer(source)
    for n in range(draw(st.integers(1, 4))):
        composer.apply_stage(f"s{n}", draw(stage_proposals(composer.text)))
    return source, composer


def add_gap_flag(draw, composer: Composer, reason: str) -> None:
    """A gap flag over a random span of the composer's current text."""
    a = draw(st.integers(0, len(composer.text)))
    b = draw(st.integers(a, len(composer.text)))
    composer.add_flags("gaps", [FlagProposal(a, b, "gap", reason, 0.5)])
