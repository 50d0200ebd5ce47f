"""Normalize characters OCR and scanning pipelines get wrong, before any layout work.

Line ends become LF, trailing blanks go, ligatures are spelled out, invisible
characters (soft hyphens, zero-width spaces) are removed, and doubled quote
marks that OCR makes of typographic quotes become one proper mark. Form feeds
are kept: the pages stage reads them as page boundaries.
"""

from __future__ import annotations

import re

from restore.record import EditProposal, disjoint
from restore.stages import Proposals, StageContext

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

_NEWLINE = re.compile(r"\r\n?")
# Blanks before the line end, invisible characters between them and it or not: those go too, so
# that a blank they hid ("the \ufeff") is no trailing blank of the next pass.
_TRAILING = re.compile(r"[ \t]+(?=[ \t\u00ad" + ZERO_WIDTH + r"]*(?:\r|\n|\f|\Z))")
_LIGATURE = re.compile("[" + "".join(LIGATURES) + "]")
_SOFT_HYPHEN = re.compile("\u00ad")
_ZERO_WIDTH = re.compile("[" + ZERO_WIDTH + "]")
# ‘‘ opens a quotation; ’’ and '' close one when they follow a word or punctuation.
_OPEN_PAIR = re.compile("\u2018\u2018")
_CLOSE_PAIR = re.compile(r"(?<=[\w.,;:!?\u2019)\]\u00ad" + ZERO_WIDTH + r"])(?:\u2019\u2019|'')")


def propose(text: str, context: StageContext) -> Proposals:
    """Propose character-level normalizations.

    >>> [(e.kind, e.after) for e in propose("ﬁne  \\r\\n", None).edits]
    [('ligature', 'fi'), ('trailing-space', ''), ('newline', '\\n')]
    """
    edits: list[EditProposal] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, after: str, kind: str, reason: str, confidence: float) -> None:
        edits.append(EditProposal(start, end, after, kind, reason, confidence))
        taken.append((start, end))

    for m in _NEWLINE.finditer(text):
        what = "CRLF" if m.group() == "\r\n" else "CR"
        add(m.start(), m.end(), "\n", "newline", f"{what} line end made LF", 1.0)
    for m in _TRAILING.finditer(text):
        add(m.start(), m.end(), "", "trailing-space", "spaces at the end of a line removed", 1.0)
    for m in _LIGATURE.finditer(text):
        after = LIGATURES[m.group()]
        add(m.start(), m.end(), after, "ligature", f"ligature '{m.group()}' spelled out as '{after}'", 1.0)
    for m in _SOFT_HYPHEN.finditer(text):
        add(m.start(), m.end(), "", "soft-hyphen", "invisible soft hyphen (U+00AD) removed", 1.0)
    for m in _ZERO_WIDTH.finditer(text):
        name = "byte-order mark" if m.group() == "\ufeff" else "zero-width character"
        add(m.start(), m.end(), "", "zero-width", f"invisible {name} (U+{ord(m.group()):04X}) removed", 1.0)
    for m in _OPEN_PAIR.finditer(text):
        add(
            m.start(),
            m.end(),
            "\u201c",
            "quote",
            "two single opening quotes (‘‘) read as one double quote “",
            0.95,
        )
    for m in _CLOSE_PAIR.finditer(text):
        add(
            m.start(),
            m.end(),
            "\u201d",
            "quote",
            f"two single closing quotes ({m.group()}) after a word read as one double quote ”",
            0.9,
        )
    return Proposals(edits=tuple(disjoint(edits)))
