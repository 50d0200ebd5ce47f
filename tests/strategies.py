"""Hypothesis strategies shared by the record and review tests."""

from hypothesis import strategies as st

from restore.record import EditProposal

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
