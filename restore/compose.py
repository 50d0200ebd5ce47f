"""The Composer: the edits of successive stages, composed into one record against the source.

The one place where spans are mapped from stage to stage back to the source;
see `restore.record` for what the record promises.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from restore.record import Edit, EditProposal, Flag, FlagProposal, OutputSpans, ProposalError


@dataclass
class _Live:
    """A top-level edit as it stands in the current text (internal)."""

    source_start: int
    source_end: int
    after: str  # what source[source_start:source_end] reads as in the current text
    draft: int  # index of the edit that owns it in Composer._drafts

    @property
    def growth(self) -> int:
        return len(self.after) - (self.source_end - self.source_start)


@dataclass
class _Open:
    """The last edit a stage made, kept open in case the next proposal touches it."""

    live: _Live
    region_start: int  # in the stage's input text
    region_end: int
    body: str  # replacement for text[region_start:proposal_end]
    proposal_end: int


class _LiveIndex:
    """The live edits' ends in the current text, and the shift before each, so that a span of
    the current text maps back to the source by bisection (a scan of every live edit per
    flag made the record quadratic in the length of the text)."""

    def __init__(self, lives: Sequence[_Live], starts: Sequence[int]):
        self.lives, self.starts = lives, starts
        self.ends = [cs + len(live.after) for live, cs in zip(lives, starts, strict=True)]
        self.deltas = [0]
        for live in lives:
            self.deltas.append(self.deltas[-1] + live.growth)

    def source_span_of(self, start: int, end: int) -> tuple[int, int]:
        # Live edits are disjoint and in order in the current text, so their ends never
        # fall: the first one ending after the start (at or after the end) decides it.
        i = bisect.bisect_right(self.ends, start)
        if i < len(self.lives):
            cs, ce = self.starts[i], self.ends[i]
            source_start = (
                start - self.deltas[i] if start < cs or cs == start < ce else self.lives[i].source_start
            )
        else:
            source_start = start - self.deltas[-1]
        j = bisect.bisect_left(self.ends, end)
        if j < len(self.lives):
            source_end = end - self.deltas[j] if end <= self.starts[j] else self.lives[j].source_end
        else:
            source_end = end - self.deltas[-1]
        return source_start, max(source_start, source_end)


class Composer:
    """Composes the edits of successive stages into one record against the source.

    The current text is always the source with the live (top-level) edits
    applied; live edits are disjoint in the source and kept in order. A proposal
    that overlaps a live edit's text absorbs it: the new edit covers both source
    spans and depends on the old one.
    """

    def __init__(self, source: str):
        self.source = source
        self.text = source
        self._live: list[_Live] = []
        self._drafts: list[dict] = []
        self._flags: list[dict] = []
        self._index: _LiveIndex | None = None  # of the live edits, for source_span_of

    def _current_starts(self) -> list[int]:
        """Start of each live edit's text in the current text."""
        starts, delta = [], 0
        for live in self._live:
            starts.append(live.source_start + delta)
            delta += live.growth
        return starts

    def apply_stage(self, stage: str, proposals: Iterable[EditProposal]) -> str:
        """Apply one stage's proposals to the current text and return the new text."""
        text = self.text
        proposals = sorted(proposals, key=lambda p: (p.start, p.end))
        previous_end = -1
        for p in proposals:
            if not 0 <= p.start <= p.end <= len(text):
                raise ProposalError(f"{stage}: span {p.start}-{p.end} outside a text of {len(text)}")
            if p.start < previous_end or (p.start == previous_end == p.end):
                raise ProposalError(f"{stage}: proposals overlap at {p.start}")
            previous_end = p.end
        proposals = [p for p in proposals if text[p.start : p.end] != p.after]
        if not proposals:
            return text

        lives, starts = self._live, self._current_starts()
        new_live: list[_Live] = []
        pieces: list[str] = []
        cursor = 0  # text before this position is in pieces
        i = 0  # next live edit not yet carried or absorbed
        delta = 0  # source position = text position - delta, between live edits
        open_: _Open | None = None

        def close_open() -> None:
            nonlocal cursor, open_
            if open_ is not None:
                pieces.append(text[cursor : open_.region_start])
                pieces.append(open_.live.after)
                cursor = open_.region_end
                open_ = None

        for p in proposals:
            while i < len(lives) and starts[i] + len(lives[i].after) <= p.start:
                new_live.append(lives[i])
                delta += lives[i].growth
                i += 1
            delta_before = delta
            absorbed: list[int] = []
            while i < len(lives):
                # Every live edit left ends after p.start; it is touched when it
                # starts inside p (or, for an insertion, strictly before it).
                cs = starts[i]
                touches = cs < p.start if p.start == p.end else cs < p.end
                if not touches:
                    break
                absorbed.append(i)
                delta += lives[i].growth
                i += 1
            region_start, region_end = p.start, p.end
            if absorbed:
                region_start = min(region_start, starts[absorbed[0]])
                last = absorbed[-1]
                region_end = max(region_end, starts[last] + len(lives[last].after))
            depends = [lives[k].draft for k in absorbed]
            if absorbed and region_start == starts[absorbed[0]]:
                source_start = lives[absorbed[0]].source_start
            else:
                source_start = p.start - delta_before
            if absorbed and region_end == starts[absorbed[-1]] + len(lives[absorbed[-1]].after):
                source_end = lives[absorbed[-1]].source_end
            else:
                source_end = p.end - delta
            prefix = text[region_start : p.start]
            if open_ is not None and open_.region_end > p.start:
                # The previous proposal of this stage reached into this one's text.
                new_live.pop()
                depends.insert(0, open_.live.draft)
                source_start = open_.live.source_start
                if open_.region_end >= region_end:
                    source_end = open_.live.source_end
                    region_end = open_.region_end
                prefix = open_.body + text[open_.proposal_end : p.start]
                region_start = open_.region_start
                open_ = None
            else:
                close_open()
            body = prefix + p.after
            after = body + text[p.end : region_end]
            index = len(self._drafts)
            for d in depends:
                self._drafts[d]["superseded_by"] = index
            self._drafts.append(
                {
                    "stage": stage,
                    "kind": p.kind,
                    "source_span": (source_start, source_end),
                    "after": after,
                    "reason": p.reason,
                    "confidence": round(float(p.confidence), 3),
                    "depends_on": depends,
                    "superseded_by": None,
                }
            )
            live = _Live(source_start, source_end, after, index)
            new_live.append(live)
            open_ = _Open(live, region_start, region_end, body, p.end)
        close_open()
        new_live.extend(lives[i:])
        pieces.append(text[cursor:])
        self._live = new_live
        self._index = None
        self.text = "".join(pieces)
        return self.text

    def source_span_of(self, start: int, end: int) -> tuple[int, int]:
        """The smallest source span covering a span of the current text."""
        if self._index is None:
            self._index = _LiveIndex(self._live, self._current_starts())
        return self._index.source_span_of(start, end)

    def add_flags(self, stage: str, proposals: Iterable[FlagProposal]) -> None:
        """Record flags raised on the current text."""
        for p in proposals:
            if not 0 <= p.start <= p.end <= len(self.text):
                raise ProposalError(f"{stage}: flag span {p.start}-{p.end} outside the text")
            self._flags.append(
                {
                    "stage": stage,
                    "kind": p.kind,
                    "source_span": self.source_span_of(p.start, p.end),
                    "reason": p.reason,
                    "score": round(float(p.score), 3),
                    "detail": dict(p.detail),
                }
            )

    def finish(self) -> tuple[list[Edit], list[Flag]]:
        """Freeze the record: ids, output spans, dependencies."""
        ids = [f"e{i + 1}" for i in range(len(self._drafts))]
        output_spans: dict[int, tuple[int, int]] = {}
        delta = 0
        for live in self._live:
            start = live.source_start + delta
            output_spans[live.draft] = (start, start + len(live.after))
            delta += live.growth

        def top_of(index: int) -> int:
            while self._drafts[index]["superseded_by"] is not None:
                index = self._drafts[index]["superseded_by"]
            return index

        edits = []
        for i, d in enumerate(self._drafts):
            s, e = d["source_span"]
            sup = d["superseded_by"]
            edits.append(
                Edit(
                    id=ids[i],
                    stage=d["stage"],
                    kind=d["kind"],
                    before=self.source[s:e],
                    after=d["after"],
                    source_span=(s, e),
                    output_span=output_spans[top_of(i)],
                    reason=d["reason"],
                    confidence=d["confidence"],
                    depends_on=tuple(ids[k] for k in d["depends_on"]),
                    superseded_by=ids[sup] if sup is not None else None,
                )
            )
        flags = []
        output_span_of = OutputSpans(edits)
        for i, f in enumerate(self._flags):
            out = output_span_of(f["source_span"])
            flags.append(
                Flag(
                    id=f"f{i + 1}",
                    stage=f["stage"],
                    kind=f["kind"],
                    source_span=f["source_span"],
                    output_span=out,
                    excerpt=self.text[out[0] : out[1]],
                    reason=f["reason"],
                    score=f["score"],
                    detail=f["detail"],
                )
            )
        return edits, flags
