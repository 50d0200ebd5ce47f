"""The one record of what restore did to a document: edits, flags, and how to replay them.

Stages propose changes in the coordinates of the text they see (`EditProposal`,
`FlagProposal`). `restore.compose.Composer` maps each proposal back to the decoded source, so
that every `Edit` says which source characters it replaces (`before`) and with
what (`after`). An edit made on text that an earlier edit produced (a spelling
fix of a hyphen-joined word) covers the earlier edit's source span too, lists it
in `depends_on`, and supersedes it; `apply_edits` replays any accepted subset,
and rejecting an edit rejects every edit that depends on it.

Invariants (tested with hypothesis):
- ``source[e.source_span] == e.before`` for every edit;
- ``output[e.output_span] == e.after`` for every edit not superseded;
- applying no edit gives the source back; applying all gives the output.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

# Every kind an edit or flag can have, with what it means. One place, so the
# report, the docs and the tests agree.
EDIT_KINDS: dict[str, str] = {
    "newline": "CRLF or CR line end made LF",
    "trailing-space": "spaces or tabs at a line end removed",
    "quote": "OCR quote artifact made a proper quotation mark",
    "ligature": "typographic ligature spelled out",
    "soft-hyphen": "invisible soft hyphen removed",
    "zero-width": "invisible zero-width character removed",
    "page-number": "page number line removed",
    "running-head": "running head or foot repeated on every page removed",
    "page-break": "page break (form feed or blank lines) removed",
    "page-join": "paragraph split by a page break rejoined",
    "hyphen-join": "word split by an end-of-line hyphen joined",
    "unwrap": "hard line break inside a paragraph made a space",
    "paragraph-break": "paragraph separation made exactly one blank line",
    "indent": "indentation at the start of a paragraph removed",
    "spelling": "OCR misspelling corrected",
    "word-join": "word split by a stray space joined",
    "word-split": "words run together separated",
}
# Changes to layout only; hidden in the report until the reviewer asks for them,
# since on a typical page they outnumber every other change.
LAYOUT_KINDS: frozenset[str] = frozenset(
    {"newline", "trailing-space", "page-break", "page-join", "unwrap", "paragraph-break", "indent"}
)
FLAG_KINDS: dict[str, str] = {
    "gap": "text probably dropped out here",
    "spelling": "probable OCR misspelling left for the reviewer",
    "page-artifact": "possible running head or page number left in place",
}


@dataclass(frozen=True)
class EditProposal:
    """A change a stage proposes, in the coordinates of the text it was given."""

    start: int
    end: int
    after: str
    kind: str
    reason: str
    confidence: float


@dataclass(frozen=True)
class FlagProposal:
    """A place a stage points at without changing it, in its input's coordinates."""

    start: int
    end: int
    kind: str
    reason: str
    score: float
    detail: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Edit:
    """One recorded change: source[source_span] == before becomes after."""

    id: str
    stage: str
    kind: str
    before: str
    after: str
    source_span: tuple[int, int]
    output_span: tuple[int, int]
    reason: str
    confidence: float
    depends_on: tuple[str, ...] = ()
    superseded_by: str | None = None

    def to_json(self) -> dict:
        data = asdict(self)
        data["source_span"] = list(self.source_span)
        data["output_span"] = list(self.output_span)
        data["depends_on"] = list(self.depends_on)
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> Edit:
        return cls(
            id=data["id"],
            stage=data["stage"],
            kind=data["kind"],
            before=data["before"],
            after=data["after"],
            source_span=tuple(data["source_span"]),
            output_span=tuple(data["output_span"]),
            reason=data["reason"],
            confidence=data["confidence"],
            depends_on=tuple(data.get("depends_on", ())),
            superseded_by=data.get("superseded_by"),
        )


@dataclass(frozen=True)
class Flag:
    """A place for the reviewer to look; flags never change text."""

    id: str
    stage: str
    kind: str
    source_span: tuple[int, int]
    output_span: tuple[int, int]
    excerpt: str
    reason: str
    score: float
    detail: Mapping[str, object] = field(default_factory=dict)

    def to_json(self) -> dict:
        data = asdict(self)
        data["source_span"] = list(self.source_span)
        data["output_span"] = list(self.output_span)
        data["detail"] = dict(self.detail)
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> Flag:
        return cls(
            id=data["id"],
            stage=data["stage"],
            kind=data["kind"],
            source_span=tuple(data["source_span"]),
            output_span=tuple(data["output_span"]),
            excerpt=data["excerpt"],
            reason=data["reason"],
            score=data["score"],
            detail=dict(data.get("detail", {})),
        )


def disjoint(proposals: Iterable[EditProposal]) -> list[EditProposal]:
    """Proposals in order, keeping the first of any that overlap (a stage's patterns rarely collide)."""
    kept: list[EditProposal] = []
    end = -1
    for p in sorted(proposals, key=lambda p: (p.start, p.end)):
        if p.start >= end and not (p.start == end == p.end):
            kept.append(p)
            end = p.end
    return kept


class ProposalError(ValueError):
    """A stage proposed edits that overlap or fall outside its input."""


def output_span_of(edits: list[Edit], span: tuple[int, int]) -> tuple[int, int]:
    """Map a source span to the output, widening it over any edit it reaches into."""
    top = sorted((e for e in edits if e.superseded_by is None), key=lambda e: e.source_span)
    start, end = span
    delta = 0
    out_start = out_end = None
    for e in top:
        s, t = e.source_span
        if out_start is None:
            if start < s or (start == s and s < t):
                out_start = start + delta
            elif start < t:
                out_start = e.output_span[0]
        if out_end is None:
            if end <= s:
                out_end = end + delta
            elif end <= t:
                out_end = e.output_span[1]
        if out_start is not None and out_end is not None:
            break
        delta += len(e.after) - (t - s)
    if out_start is None:
        out_start = start + delta
    if out_end is None:
        out_end = end + delta
    return out_start, max(out_start, out_end)


def accepted_closure(edits: list[Edit], accepted: set[str]) -> tuple[set[str], list[str]]:
    """Edits that can be applied: accepted, with every edit they depend on accepted.

    Returns the applicable ids and, for the reviewer, a line for each accepted
    edit dropped because something it builds on was rejected.
    """
    applicable: set[str] = set()
    dropped: list[str] = []
    for e in edits:  # creation order: dependencies come first
        if e.id not in accepted:
            continue
        missing = [d for d in e.depends_on if d not in applicable]
        if missing:
            dropped.append(
                f"{e.id} ({e.kind}) not applied: it builds on rejected {', '.join(missing)}"
            )
            continue
        applicable.add(e.id)
    return applicable, dropped


def apply_edits(source: str, edits: list[Edit], accepted: Iterable[str]) -> tuple[str, list[str]]:
    """Rebuild the text from the source with the accepted edits.

    An accepted edit is applied only if all it depends on is applied too; of a
    chain, the outermost applied edit carries the others' changes.
    Returns the text and the list of dropped dependent edits.
    """
    applicable, dropped = accepted_closure(edits, set(accepted))
    by_id = {e.id: e for e in edits}
    covered: set[str] = set()
    for eid in applicable:
        for dep in by_id[eid].depends_on:
            covered.add(dep)
    chosen = sorted(
        (by_id[i] for i in applicable if i not in covered),
        key=lambda e: (e.source_span[0], e.source_span[1], e.output_span[0]),
    )
    pieces, cursor = [], 0
    for e in chosen:
        s, t = e.source_span
        pieces.append(source[cursor:s])
        pieces.append(e.after)
        cursor = t
    pieces.append(source[cursor:])
    return "".join(pieces), dropped
