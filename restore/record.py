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

import bisect
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO

from restore.version import __version__

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
    "catchword": "a page's catchword, the next page's first word printed at its foot, removed",
    "signature": "printer's signature mark (B2) at a page's foot removed",
    "page-break": "page break (form feed or blank lines) removed",
    "page-join": "paragraph split by a page break rejoined",
    "hyphen-join": "word split by an end-of-line hyphen joined",
    "unwrap": "hard line break inside a paragraph made a space",
    "stray-mark": "a lone mark at a line's edge, a column rule or speck read as a letter, removed",
    "paragraph-break": "paragraph separation made exactly one blank line",
    "indent": "indentation at the start of a paragraph removed",
    "spelling": "OCR misspelling corrected",
    "word-join": "word split by a stray space joined",
    "word-split": "words run together separated",
    "stray-letter": "a lone letter between words that no short word could have been, a speck, removed",
    "correction": "text typed by the reviewer in place of what restore made or flagged",
}
# The stage of what a reviewer decides in the review page (corrections), as against the
# pipeline's stages.
REVIEW_STAGE = "review"
# Changes to layout only; hidden in the report until the reviewer asks for them,
# since on a typical page they outnumber every other change.
LAYOUT_KINDS: frozenset[str] = frozenset(
    {"newline", "trailing-space", "page-break", "page-join", "unwrap", "paragraph-break", "indent"}
)
FLAG_KINDS: dict[str, str] = {
    "gap": "text probably dropped out here",
    "spelling": "probable OCR misspelling left for the reviewer",
    "page-artifact": "possible running head or page number left in place",
    "held-edit": "an edit below --min-confidence, left as printed; detail.edit is the change it would make",
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


def output_span_of(edits: Iterable[Edit], span: tuple[int, int]) -> tuple[int, int]:
    """Map a source span to the output, widening it over any edit it reaches into.
    For many spans against the same edits, build one `OutputSpans` and call it instead."""
    return OutputSpans(edits)(span)


class OutputSpans:
    """`output_span_of` for many spans against one set of edits: the top-level edits are
    sorted and indexed once, and each span is found by bisection, not by a scan of the
    edits before it (a scan per flag made recording and reporting quadratic in length).

    >>> e = Edit("e1", "hyphenation", "hyphen-join", "-\\n", "", (3, 5), (3, 3), "joined", 0.9)
    >>> OutputSpans([e])((6, 8))
    (4, 6)
    """

    def __init__(self, edits: Iterable[Edit]):
        self.top = sorted((e for e in edits if e.superseded_by is None), key=lambda e: e.source_span)
        self.ends = [e.source_span[1] for e in self.top]
        # deltas[i]: how far the output has moved against the source before top[i]
        self.deltas = [0]
        for e in self.top:
            s, t = e.source_span
            self.deltas.append(self.deltas[-1] + len(e.after) - (t - s))
        # Top-level edits are disjoint in the source, so their ends never fall; where they
        # did (a record built by hand), only the scan gives the same answer.
        self.monotone = all(a <= b for a, b in zip(self.ends, self.ends[1:]))

    def __call__(self, span: tuple[int, int]) -> tuple[int, int]:
        if not self.monotone:
            return self._scan(span)
        start, end = span
        # The first edit that ends after the start (at or after the end) decides it: a
        # position before that edit moves by the edits before it, one inside it goes to its edge.
        i = bisect.bisect_right(self.ends, start)
        if i < len(self.top):
            s, t = self.top[i].source_span
            out_start = start + self.deltas[i] if start < s or s == start < t else self.top[i].output_span[0]
        else:
            out_start = start + self.deltas[-1]
        j = bisect.bisect_left(self.ends, end)
        if j < len(self.top):
            s, t = self.top[j].source_span
            out_end = end + self.deltas[j] if end <= s else self.top[j].output_span[1]
        else:
            out_end = end + self.deltas[-1]
        return out_start, max(out_start, out_end)

    def _scan(self, span: tuple[int, int]) -> tuple[int, int]:
        start, end = span
        delta = 0
        out_start = out_end = None
        for e in self.top:
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
            dropped.append(f"{e.id} ({e.kind}) not applied: it builds on rejected {', '.join(missing)}")
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
    chosen = sorted(  # from record order, so that ties (insertions at one offset) keep it
        (e for e in edits if e.id in applicable and e.id not in covered),
        key=lambda e: (e.source_span[0], e.source_span[1], e.output_span[0]),
    )
    return spliced(source, chosen), dropped


def spliced(source: str, chosen: Iterable[Edit]) -> str:
    """The source with each edit's span replaced by its `after` (edits disjoint, in source order)."""
    pieces, cursor = [], 0
    for e in chosen:
        s, t = e.source_span
        pieces.append(source[cursor:s])
        pieces.append(e.after)
        cursor = t
    pieces.append(source[cursor:])
    return "".join(pieces)


# ---------------------------------------------------------------- the document


class RecordError(Exception):
    """A record, or a file that goes with it, that cannot be used; the message is one line."""


def record_stats(stats: Mapping[str, object]) -> dict:
    """Stats as the record keeps them: without timings, so that the same input and
    settings give the same NAME.json byte for byte, whatever engine or machine ran it.
    Timings stay in Document.stats for benchmarks."""
    kept = dict(stats)
    if isinstance(kept.get("stages"), Mapping):
        kept["stages"] = {
            name: {k: v for k, v in info.items() if k != "seconds"} for name, info in kept["stages"].items()
        }
    return kept


def record_header(
    source_name: str | None,
    source_sha256: str | None,
    encoding: str,
    stages: Iterable[str],
    source_location: Mapping[str, str] | None = None,
) -> dict:
    """The keys NAME.json starts with, in order. ``source_location`` (from `locate_source`),
    for a record written beside its source's outputs, says where the source is however
    the record is reached: ``source_path`` (absolute) and ``source_from_record`` (relative
    to the record's folder)."""
    return {
        "restore_version": __version__,
        "source": source_name,
        **dict(source_location or {}),
        "source_sha256": source_sha256,
        "encoding": encoding,
        "stages": list(stages),
    }


def locate_source(source: str | Path, record: str | Path) -> dict[str, str]:
    """Where a source is, for the record at ``record``: its absolute path, and its path
    relative to the record's folder (what still finds it when both trees move together).

    >>> locate_source("/books/in/a.txt", "/books/out/a.json")
    {'source_path': '/books/in/a.txt', 'source_from_record': '../in/a.txt'}
    """
    absolute = os.path.abspath(source)
    folder = os.path.dirname(os.path.abspath(record))
    return {
        "source_path": absolute,
        "source_from_record": Path(os.path.relpath(absolute, folder)).as_posix(),
    }


@dataclass(frozen=True, kw_only=True)
class Document:
    """A cleaned document: what `restore.clean` returns and what `load_record` reads back.

    ``source`` and ``output`` are the texts; a record read back from NAME.json has
    neither until `with_source` gives it the source (the output is then replayed
    from the edits). ``path`` is where it was read from, if it was.
    """

    edits: tuple[Edit, ...] = ()
    flags: tuple[Flag, ...] = ()
    stages: tuple[str, ...] = ()
    source: str | None = None
    output: str | None = None
    encoding: str = "utf-8"
    source_name: str | None = None
    source_sha256: str | None = None
    stats: Mapping[str, object] = field(default_factory=dict)
    path: Path | None = None
    source_location: Mapping[str, str] = field(default_factory=dict)  # see record_header

    def apply(self, accepted: Iterable[str] | None = None) -> tuple[str, list[str]]:
        """The text with only the accepted edits (all when None), and a line per
        accepted edit dropped because something it builds on was rejected."""
        if self.source is None:
            raise RecordError("this record has no source text; give it one with with_source()")
        ids = [e.id for e in self.edits] if accepted is None else accepted
        return apply_edits(self.source, list(self.edits), ids)

    def with_source(self, source: str) -> Document:
        """The document with its source text, and the output replayed from every edit."""
        output, _ = apply_edits(source, list(self.edits), [e.id for e in self.edits])
        return replace(self, source=source, output=output)

    def header(self) -> dict:
        return record_header(
            self.source_name, self.source_sha256, self.encoding, self.stages, self.source_location
        )

    def to_json(self) -> dict:
        """The JSON record (documented in the README; keys are only ever added)."""
        return {
            **self.header(),
            "edits": [e.to_json() for e in self.edits],
            "flags": [f.to_json() for f in self.flags],
            "stats": record_stats(self.stats),
        }

    def write_json(self, handle: IO[str]) -> None:
        """Write NAME.json to an open text file, through the one `RecordWriter`."""
        writer = RecordWriter(handle, self.header())
        for e in self.edits:
            writer.edit(e)
        writer.end_edits()
        for f in self.flags:
            writer.flag(f)
        writer.finish(self.stats)

    @classmethod
    def from_json(cls, data: Mapping, path: Path | None = None) -> Document:
        return cls(
            source_name=data.get("source"),
            source_location={k: data[k] for k in ("source_path", "source_from_record") if data.get(k)},
            source_sha256=data.get("source_sha256"),
            encoding=data.get("encoding", "utf-8"),
            stages=tuple(data.get("stages", ())),
            edits=tuple(Edit.from_json(e) for e in data.get("edits", ())),
            flags=tuple(Flag.from_json(f) for f in data.get("flags", ())),
            path=path,
            stats=dict(data.get("stats", {})),
        )


def _nested(data: object, depth: int) -> str:
    """JSON for a value at ``depth`` inside the record, as json.dumps(indent=1) lays it out."""
    return json.dumps(data, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)


class RecordWriter:
    """Streams NAME.json: the header, edits as they come, flags, stats.

    What it writes is byte for byte ``json.dumps(document.to_json(), ensure_ascii=False,
    indent=1) + "\n"``, but a document cleaned in chunks never has to sit in memory:
    flags that arrive while edits are still coming wait in a temporary file
    (in ``spill_dir``) until `end_edits`.
    """

    def __init__(self, handle: IO[str], header: Mapping, spill_dir: str | Path | None = None):
        self.handle = handle
        self.spill_dir = spill_dir
        self.edits = self.flags = 0
        self._spill: IO[str] | None = None
        self._edits_open = True
        handle.write(json.dumps(dict(header), ensure_ascii=False, indent=1)[: -len("\n}")] + ',\n "edits": [')

    def edit(self, e: Edit) -> None:
        assert self._edits_open, "edits after end_edits()"
        self.handle.write(("\n  " if not self.edits else ",\n  ") + _nested(e.to_json(), 2))
        self.edits += 1

    def flag(self, f: Flag) -> None:
        if self._edits_open and self._spill is None:
            self._spill = tempfile.TemporaryFile("w+", encoding="utf-8", dir=self.spill_dir)
        out = self._spill if self._edits_open else self.handle
        out.write(("\n  " if not self.flags else ",\n  ") + _nested(f.to_json(), 2))
        self.flags += 1

    def end_edits(self) -> None:
        if not self._edits_open:
            return
        self._edits_open = False
        self.handle.write("\n ]" if self.edits else "]")
        self.handle.write(',\n "flags": [')
        if self._spill is not None:
            self._spill.seek(0)
            while block := self._spill.read(1 << 20):
                self.handle.write(block)
            self._spill.close()
            self._spill = None

    def finish(self, stats: Mapping[str, object]) -> None:
        self.end_edits()
        self.handle.write("\n ]" if self.flags else "]")
        self.handle.write(',\n "stats": ' + _nested(record_stats(stats), 1) + "\n}\n")


def read_json(path: Path, missing: str, unreadable: str):
    """Parsed JSON of path; RecordError with a one-line reason naming the file otherwise."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RecordError(f"{path}: no such {missing}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RecordError(f"{path}: not a readable {unreadable} ({error})") from None


def load_record(path: str | Path, source: str | None = None) -> Document:
    """Read a NAME.json record back as a Document (with ``source``, its texts too);
    RecordError with a one-line reason if it is not one."""
    path = Path(path)
    data = read_json(path, "record", "JSON record")
    if not isinstance(data, dict) or "edits" not in data or "source_sha256" not in data:
        raise RecordError(f"{path}: not a restore record (no edits or source_sha256)")
    try:
        document = Document.from_json(data, path)
    except (KeyError, TypeError, ValueError) as error:
        raise RecordError(f"{path}: malformed record ({error})") from None
    return document if source is None else document.with_source(source)
