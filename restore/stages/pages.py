"""Find page boundaries and remove what the page layout left in the text.

A page ends at a form feed or at a run of two or more blank lines. At the edges
of pages sit page numbers ("12", "- 12 -", "Page 12", "xiv") and running heads
or feet: short lines that recur at the same edge of many pages, each misread a
little differently by OCR, so they are clustered fuzzily (rapidfuzz), which
also catches alternating verso/recto heads and heads carrying a page number.
Once the artifacts are gone, a paragraph split by the page break is rejoined
when the text before does not end a sentence or the text after starts in lower
case; otherwise the break stays as one paragraph break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from restore.record import EditProposal
from restore.stages import Proposals, StageContext

_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_PAGE_NUMBER = re.compile(
    r"^[\s\-–—.]*(?:(?:page|p\.|pg\.?)\s*)?(\d{1,4}|[ivxlcdm]{1,8})[\s\-–—.]*$", re.IGNORECASE
)
_EDGE_NUMBER = re.compile(
    r"^\s*(?:\d{1,4}|[ivxlcdmIVXLCDM]{1,8})\s+|\s+(?:\d{1,4}|[ivxlcdmIVXLCDM]{1,8})\s*$"
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
_HEAD_MAX_CHARS = 80
_HEAD_MAX_WORDS = 12
_HEAD_SIMILARITY = 80  # rapidfuzz ratio of normalized lines, 0-100
# A printer's signature at a page's foot: "B2", "B 2", "Aa3", "C" (never a lone "A", "I" or "O",
# which are words), alone or beside the catchword.
_SIGNATURE = re.compile(r"^(?:(?:[A-Z]{1,2}|[A-Z][a-z])\s?\d{1,2}|[B-HJ-NP-Z])$")
_CATCHWORD_SIMILARITY = 80  # rapidfuzz ratio for a catchword the OCR misread, five letters or more


@dataclass(frozen=True)
class Line:
    start: int  # offset of its first character
    end: int  # offset of its terminating \n or \f (or len(text))
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Lines of text, form feeds ending a line like newlines do."""
    lines, start = [], 0
    for m in re.finditer(r"[\n\f]", text):
        lines.append(Line(start, m.start(), text[start : m.start()]))
        start = m.end()
    lines.append(Line(start, len(text), text[start:]))
    return lines


def page_number_value(line: str) -> int | None:
    """The number a standalone page-number line shows, or None.

    >>> [page_number_value(s) for s in ("12", "- 12 -", "Page 7", "xiv", "1937 was")]
    [12, 12, 7, 14, None]
    """
    m = _PAGE_NUMBER.match(line)
    if not m:
        return None
    token = m.group(1)
    if token.isdigit():
        return int(token)
    lower = token.lower()
    if not _ROMAN.match(lower) or (lower != token and token != token.upper()):
        return None
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for a, b in zip(lower, lower[1:] + " "):
        va, vb = values[a], values.get(b, 0)
        total += -va if va < vb else va
    return total


def head_key(line: str) -> str:
    """A line normalized for comparing running heads: no page number, no case."""
    key = _EDGE_NUMBER.sub(" ", " " + line.strip() + " ")
    key = re.sub(r"[^\w\s]", "", key.lower())
    return " ".join(key.split())


def find_pages(lines: list[Line], text: str) -> list[tuple[int, int]]:
    """Pages as (first line index, last line index), split at form feeds and blank runs."""
    pages, first, i = [], 0, 0
    while i < len(lines):
        line = lines[i]
        if line.end < len(text) and text[line.end] == "\f":
            pages.append((first, i))
            first = i + 1
        elif line.blank:
            j = i
            while (
                j < len(lines)
                and lines[j].blank
                and not (lines[j].end < len(text) and text[lines[j].end] == "\f")
            ):
                j += 1
            if j - i >= 2 and i > first and j < len(lines):
                pages.append((first, i - 1))
                first = j
                i = j
                continue
            i = j if j > i else i + 1
            continue
        i += 1
    pages.append((first, len(lines) - 1))
    return pages


def _edge_lines(lines: list[Line], page: tuple[int, int], top: bool, depth: int = 2) -> list[int]:
    """Indexes of up to `depth` non-blank lines at the top or bottom of a page."""
    first, last = page
    order = range(first, last + 1) if top else range(last, first - 1, -1)
    found = []
    for i in order:
        if not lines[i].blank:
            found.append(i)
            if len(found) == depth:
                break
    return found


def find_artifacts(lines: list[Line], pages: list[tuple[int, int]]) -> dict[int, tuple[str, str, float]]:
    """Line index -> (kind, reason, confidence) for page numbers and running heads."""
    artifacts: dict[int, tuple[str, str, float]] = {}
    if len(pages) < 2:
        return artifacts
    edges: list[tuple[int, int, bool]] = []  # (line index, page number, is top)
    for p, page in enumerate(pages):
        for top in (True, False):
            for i in _edge_lines(lines, page, top):
                edges.append((i, p, top))

    roman_numbers = sum(
        1
        for i, _, _ in edges
        if page_number_value(lines[i].text) is not None and not re.search(r"\d", lines[i].text)
    )
    for i, _page, top in edges:
        value = page_number_value(lines[i].text)
        if value is None:
            continue
        if not re.search(r"\d", lines[i].text) and roman_numbers < 2:
            continue  # a lone "I" or "v" is more likely text than a page number
        where = "top" if top else "foot"
        artifacts[i] = (
            "page-number",
            f"page number '{lines[i].text.strip()}' on its own line at the {where} of a page",
            0.95,
        )

    min_pages = 2 if len(pages) <= 5 else 3
    clusters: list[dict] = []  # {"key", "members": [(line, page, top)]}
    keys: dict[bool, list[str]] = {True: [], False: []}  # each edge's cluster keys, in order
    at: dict[bool, list[int]] = {True: [], False: []}  # and those clusters' indices
    for i, p, top in edges:
        if i in artifacts:
            continue
        line = lines[i].text.strip()
        key = head_key(line)
        if (
            len(line) > _HEAD_MAX_CHARS
            or len(line.split()) > _HEAD_MAX_WORDS
            or sum(c.isalpha() for c in key) < 3
        ):
            continue
        # The first cluster at this edge whose key is like enough. A book has a cluster for
        # nearly every page's edge line, so the keys are compared in one call, not one by one.
        similar = process.extract(
            key, keys[top], scorer=fuzz.ratio, score_cutoff=_HEAD_SIMILARITY, limit=None
        )
        if similar:
            clusters[at[top][min(k for _, _, k in similar)]]["members"].append((i, p))
        else:
            keys[top].append(key)
            at[top].append(len(clusters))
            clusters.append({"key": key, "top": top, "members": [(i, p)]})
    for cluster in clusters:
        pages_seen = {p for _, p in cluster["members"]}
        if len(pages_seen) < min_pages:
            continue
        where = "head" if cluster["top"] else "foot"
        variants = sorted({lines[i].text.strip() for i, _ in cluster["members"]})
        shown = "', '".join(variants[:3])
        for i, _ in cluster["members"]:
            artifacts[i] = (
                "running-head",
                f"running {where} repeated at the {'top' if cluster['top'] else 'foot'} of "
                f"{len(pages_seen)} pages (as '{shown}')",
                0.9,
            )
    artifacts.update(find_catchwords(lines, pages, artifacts))
    return artifacts


def _bare(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalpha())


def _signature_and_words(tokens: list[str]) -> tuple[str, list[str]]:
    """A foot line's leading signature ("B2", "B 2"; '' if none) and the words after it."""
    for n in (2, 1):
        if len(tokens) >= n and _SIGNATURE.match(" ".join(tokens[:n])):
            return " ".join(tokens[:n]), tokens[n:]
    return "", tokens


def find_catchwords(
    lines: list[Line], pages: list[tuple[int, int]], artifacts: dict[int, tuple[str, str, float]]
) -> dict[int, tuple[str, str, float]]:
    """Line index -> (kind, reason, confidence) for catchwords and printers' signatures.

    Books printed before about 1800 end each page with a catchword, the first word of the
    next page printed again at the foot ("the", "which"), often beside a signature mark that
    numbers the sheet ("B2"). Both are the printer's, not the author's: the catchword doubles
    a word once the pages run on. A foot line is taken for one only when it is nothing else: a
    signature on its own, or one word (with or without a signature) that the next page's text
    starts with."""
    found: dict[int, tuple[str, str, float]] = {}
    for page, following in zip(pages, pages[1:]):
        foot = next(
            (i for i in range(page[1], page[0] - 1, -1) if not lines[i].blank and i not in artifacts), None
        )
        start = next(
            (i for i in range(following[0], following[1] + 1) if not lines[i].blank and i not in artifacts),
            None,
        )
        if foot is None or start is None or foot - page[0] < 2:
            continue
        signature, words = _signature_and_words(lines[foot].text.split())
        if signature and not words:
            found[foot] = ("signature", f"printer's signature '{signature}' at the foot of a page", 0.9)
            continue
        if len(words) != 1:
            continue
        first_word = lines[start].text.split()[0]
        catch, first = _bare(words[0]), _bare(first_word)
        if not catch or words[0].rstrip(")]\"'”’").endswith((".", "!", "?")):
            continue  # a one-word line that ends a sentence is the author's
        if catch == first or (len(catch) >= 5 and fuzz.ratio(catch, first) >= _CATCHWORD_SIMILARITY):
            with_signature = f" beside the signature '{signature}'" if signature else ""
            found[foot] = (
                "catchword",
                f"catchword '{words[0]}'{with_signature} at the foot of a page, repeating the next page's "
                f"first word '{first_word}'",
                0.9,
            )
    return found


MIN_PRINTED_WIDTH = 30.0  # narrower "typical" lines are not a printed measure (a newspaper column is ~35)


def typical_width(lines: list[Line]) -> float:
    """The printed line width: the 80th percentile of line lengths, at least MIN_PRINTED_WIDTH."""
    lengths = sorted(len(line.text.rstrip()) for line in lines if not line.blank)
    if not lengths:
        return MIN_PRINTED_WIDTH
    return max(MIN_PRINTED_WIDTH, float(lengths[int(len(lengths) * 0.8)]))


_PARAGRAPH_START = re.compile(r"^(?:[ \t]{2,}\S|[A-Z][\w.’' -]{0,30}:\s|[-•*]\s|\(?\d{1,3}[.)]\s)")


def should_join(before: str, after: str, width: float) -> tuple[bool, str]:
    """Whether a page break falls inside a paragraph, with the reason.

    A printed paragraph that goes on past the page fills the page's last line;
    one that ends there usually leaves it short.
    """
    before_text, after_text = before.rstrip(), after.lstrip()
    if before_text.endswith(("-", "\u00ad", "¬")):
        return True, "the page ends in a hyphenated word"
    if after_text[:1].islower():
        return True, "the next page starts in lower case"
    if _PARAGRAPH_START.match(after):
        return False, "the next page starts a new paragraph (indent, speaker or list item)"
    full = width and len(before_text) >= 0.85 * width
    if not _SENTENCE_END.search(before_text):
        if width and len(before_text) < 0.6 * width:
            return False, "the last line of the page is short, like a heading or a paragraph end"
        return True, "the page ends mid-sentence"
    if full:
        return True, "the page's last line runs to full width, so its paragraph goes on"
    return False, "the page ends a sentence on a short line and the next starts a new one"


def propose(text: str, context: StageContext) -> Proposals:
    """Propose removal of page artifacts and rejoining of split paragraphs.

    >>> p = propose("It was a dark and stormy night and the\\n\\n\\n- 2 -\\nrain fell.\\n", None)
    >>> [(e.kind, e.after) for e in p.edits]
    [('page-join', '\\n'), ('page-number', '')]
    """
    lines = split_lines(text)
    pages = find_pages(lines, text)
    if len(pages) < 2 and "\f" not in text:
        return Proposals(info={"pages": 1})
    artifacts = find_artifacts(lines, pages)
    width = typical_width(lines)
    edits: list[EditProposal] = []

    # Artifacts above the first page's text and below the last page's border no
    # page break: each goes with its own line end.
    first_text = next((i for i in range(len(lines)) if not lines[i].blank and i not in artifacts), len(lines))
    last_text = next(
        (i for i in range(len(lines) - 1, -1, -1) if not lines[i].blank and i not in artifacts), -1
    )
    nonblank = [i for i in range(len(lines)) if not lines[i].blank]
    for n, i in enumerate(nonblank):
        if i not in artifacts or first_text <= i <= last_text:
            continue
        kind, reason, confidence = artifacts[i]
        if i < first_text:  # the line and the blank lines after it
            end = lines[nonblank[n + 1]].start if n + 1 < len(nonblank) else len(text)
            edits.append(EditProposal(lines[i].start, end, "", kind, reason, confidence))
        else:  # the blank lines before it and the line
            start = lines[nonblank[n - 1]].end if n > 0 else 0
            edits.append(EditProposal(start, lines[i].end, "", kind, reason, confidence))

    # Between the text of consecutive pages (pages holding only artifacts are skipped).
    text_lines = [
        [i for i in range(first, last + 1) if not lines[i].blank and i not in artifacts]
        for first, last in pages
    ]
    text_lines = [page for page in text_lines if page]
    for page_before, page_after in zip(text_lines, text_lines[1:]):
        last_line, next_line = lines[page_before[-1]], lines[page_after[0]]
        region_start, region_end = last_line.end, next_line.start
        # Artifact lines inside the region, each removed with the blank lines after it.
        inside = [i for i in range(page_before[-1] + 1, page_after[0]) if i in artifacts]
        cuts = [lines[i].start for i in inside]
        separator_end = cuts[0] if cuts else region_end
        join, why = should_join(last_line.text, next_line.text, width)
        if join:
            edits.append(
                EditProposal(
                    region_start,
                    separator_end,
                    "\n",
                    "page-join",
                    f"page break inside a paragraph rejoined: {why}",
                    0.9,
                )
            )
        else:
            edits.append(
                EditProposal(
                    region_start,
                    separator_end,
                    "\n\n",
                    "page-break",
                    f"page break removed, paragraph break kept: {why}",
                    0.9,
                )
            )
        for n, i in enumerate(inside):
            kind, reason, confidence = artifacts[i]
            end = cuts[n + 1] if n + 1 < len(cuts) else region_end
            edits.append(EditProposal(lines[i].start, end, "", kind, reason, confidence))
    return Proposals(edits=tuple(edits), info={"pages": len(pages)})
