"""The reviewer's HTML report: one self-contained file per document, and an index per batch.

Python only prepares plain data here: the document cut into sections (about
`SECTION_CHARS` of source each, at paragraph ends, never inside an edit), and each
section into segments (plain text, edits, flag markers, line anchors) for its three
views; all markup, CSS and JS live in ``templates/``. The page holds every section as
inert text and its script renders only the sections near the screen, so a book opens
as fast as a page; `ReportWriter` writes it part by part (a long document's chunks), so
memory stays bounded too. The script keeps the reviewer's decisions (edit id ->
accept/reject, flag id -> note, corrections) and exports them for ``restore apply``.
"""

from __future__ import annotations

import bisect
import io
import json
import math
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, NamedTuple

from restore.files import write_atomic
from restore.record import (
    FLAG_KINDS,
    LAYOUT_KINDS,
    REVIEW_STAGE,
    Document,
    Edit,
    Flag,
    OutputSpans,
)
from restore.report import Newlines, environment

# One colour per stage, in pipeline order; readable without colour too, since
# removed text is struck through and inserted text underlined.
STAGE_COLOURS: dict[str, str] = {
    "normalize": "#6b7280",
    "pages": "#7c3aed",
    "hyphenation": "#0369a1",
    "paragraphs": "#0f766e",
    "spelling": "#b45309",
    "gaps": "#be123c",
}
_FALLBACK_COLOURS = ("#4d7c0f", "#a21caf", "#1d4ed8", "#9f1239")


def shown_removed(text: str) -> str:
    """Removed text made visible: line ends as ⏎, and spaces as ␣ when nothing else is there.

    >>> shown_removed("-\\n"), shown_removed("  ")
    ('-⏎', '␣␣')
    """
    text = text.replace("\n", "⏎").replace("\f", "␌").replace("\t", "⇥")
    return text.replace(" ", "␣") if not text.strip("⏎␌⇥ ") else text


GLYPHS = frozenset("⏎␌⇥␣")


def glyph_pieces(shown: str) -> list[tuple[str, str]]:
    """Shown text as (glyph, text) pieces, so the page can draw whitespace glyphs large.

    >>> glyph_pieces("-⏎")
    [('', '-'), ('⏎', '')]
    """
    pieces: list[tuple[str, str]] = []
    for ch in shown:
        if ch in GLYPHS:
            pieces.append((ch, ""))
        elif pieces and not pieces[-1][0]:
            pieces[-1] = ("", pieces[-1][1] + ch)
        else:
            pieces.append(("", ch))
    return pieces


def shown_inserted(text: str) -> list[tuple[str, str]]:
    """Inserted text as (glyph, real text) pieces: glyphs mark whitespace when changes show.

    >>> shown_inserted("a\\nb")
    [('', 'a'), ('⏎', '\\n'), ('', 'b')]
    >>> shown_inserted(" ")
    [('␣', ' ')]
    """
    blank = not text.strip()
    pieces: list[tuple[str, str]] = []
    plain = ""
    for ch in text:
        glyph = {"\n": "⏎", "\f": "␌", "\t": "⇥"}.get(ch, "␣" if ch == " " and blank else "")
        if glyph:
            if plain:
                pieces.append(("", plain))
                plain = ""
            pieces.append((glyph, ch))
        else:
            plain += ch
    if plain:
        pieces.append(("", plain))
    return pieces


def top_level(edits: Iterable[Edit]) -> list[Edit]:
    """Edits not superseded by a later one, in source order: what the text shows."""
    return sorted((e for e in edits if e.superseded_by is None), key=lambda e: (e.source_span, e.output_span))


def chain_of(edit: Edit, by_id: Mapping[str, Edit]) -> list[Edit]:
    """An edit and every edit it builds on, transitively, in creation order."""
    seen: dict[str, Edit] = {}
    stack = [edit]
    while stack:
        e = stack.pop()
        if e.id not in seen:
            seen[e.id] = e
            stack.extend(by_id[d] for d in e.depends_on if d in by_id)
    return sorted(seen.values(), key=lambda e: _id_number(e.id))


def _id_number(eid: str) -> int:
    digits = "".join(ch for ch in eid if ch.isdigit())
    return int(digits) if digits else 0


class _Walker:
    """Cuts the source into plain runs and top-level edits, with events at source positions.

    An event that falls strictly inside an edit moves to the edit's start, since
    the edit is shown as one piece.
    """

    def __init__(self, source: str, tops: Sequence[Edit]):
        self.source = source
        self.tops = tops
        self.starts = [e.source_span[0] for e in tops]

    def snap(self, pos: int) -> int:
        i = bisect.bisect_left(self.starts, pos) - 1
        while i >= 0:
            s, t = self.tops[i].source_span
            if s < pos < t:
                return s
            if t <= pos:
                break
            i -= 1
        return pos

    def walk(self, events: list[tuple[int, int, dict]]):
        """Yield ("text", start, end), ("edit", edit) and ("event", data) in source order."""
        events = sorted(((self.snap(p), order, n, d) for n, (p, order, d) in enumerate(events)))
        k = 0
        cursor = 0

        def plain(a: int, b: int):
            nonlocal k
            while a < b or (k < len(events) and events[k][0] <= a):
                while k < len(events) and events[k][0] <= a:
                    yield ("event", events[k][3])
                    k += 1
                if a >= b:
                    break
                nxt = events[k][0] if k < len(events) else b
                end = min(b, nxt)
                yield ("text", a, end)
                a = end

        for e in self.tops:
            s, t = e.source_span
            yield from plain(cursor, s)
            yield ("edit", e)
            cursor = max(cursor, t)
        yield from plain(cursor, len(self.source))
        while k < len(events):
            yield ("event", events[k][3])
            k += 1


def _edit_title(e: Edit) -> str:
    return f"{e.id} · {e.stage} · {e.kind}: {e.reason} (confidence {e.confidence:g})"


def _edit_segment(e: Edit, flags: Iterable[str] = ()) -> dict:
    return {
        "t": "edit",
        "id": e.id,
        "stage": e.stage,
        "kind": e.kind,
        "layout": e.kind in LAYOUT_KINDS,
        "chain": bool(e.depends_on),
        "removed": glyph_pieces(shown_removed(e.before)),
        "inserted": shown_inserted(e.after),
        "before": e.before,
        "after": e.after,
        "title": _edit_title(e),
        "flags": " ".join(flags),
    }


def inline_segments(
    source: str, edits: Sequence[Edit], flags: Sequence[Flag], marked: Container[str] | None = None
) -> list[dict]:
    """The text with changes inline: plain runs, top-level edits, and a marker where each flag starts.

    Plain runs and edits inside a flag's span carry the flag's id (and ``kinds``, the
    flags' kinds), so the page can highlight the flagged passage. ``marked`` limits the
    markers to those flags (a flag that starts in an earlier section is only highlighted).
    """
    tops = top_level(edits)
    walker = _Walker(source, tops)
    spans = {}
    kinds: dict[str, str] = {}
    events: list[tuple[int, int, dict]] = []
    for f in flags:
        s, t = f.source_span
        s = walker.snap(s)
        t2 = walker.snap(t)
        if t2 != t:  # inside an edit: widen to its end
            i = bisect.bisect_right(walker.starts, t2) - 1
            t = max(t, tops[i].source_span[1]) if i >= 0 else t
        spans[f.id] = (s, t)
        kinds[f.id] = f.kind
        if marked is None or f.id in marked:
            events.append((s, 0, {"t": "flag", "id": f.id, "kind": f.kind, "title": _flag_title(f)}))
        events.append((t, 1, {"t": "cut"}))
    covering = sorted(spans.items(), key=lambda kv: kv[1])

    def covered(a: int, b: int) -> str:
        return " ".join(fid for fid, (s, t) in covering if s <= a and b <= t and s < t)

    segments: list[dict] = []
    for item in walker.walk(events):
        if item[0] == "text":
            _, a, b = item
            ids = covered(a, b)
            segments.append({"t": "text", "text": source[a:b], "flags": ids, "kinds": _kinds(ids, kinds)})
        elif item[0] == "edit":
            e = item[1]
            s, t = e.source_span
            ids = covered(s, t) if s < t else ""
            segments.append({**_edit_segment(e, ids.split()), "kinds": _kinds(ids, kinds)})
        elif item[1]["t"] == "flag":
            segments.append(item[1])
    return _merge_text(segments)


def _kinds(ids: str, kinds: Mapping[str, str]) -> str:
    return " ".join(dict.fromkeys(kinds[i] for i in ids.split()))


def _merge_text(segments: list[dict]) -> list[dict]:
    merged: list[dict] = []
    for seg in segments:
        if (
            seg["t"] == "text"
            and merged
            and merged[-1]["t"] == "text"
            and merged[-1]["flags"] == seg["flags"]
        ):
            merged[-1] = {**merged[-1], "text": merged[-1]["text"] + seg["text"]}
        elif seg["t"] != "text" or seg["text"]:
            merged.append(seg)
    return merged


def _flag_title(f: Flag) -> str:
    return f"{f.id} · {f.kind} (score {f.score:g}): {f.reason}"


def source_lines(
    source: str, edits: Sequence[Edit], first_line: int = 1, last: bool = True, continued: bool = False
) -> list[dict]:
    """The source line by line, each a list of pieces; a piece inside an edit names it.

    Lines are numbered from ``first_line``; a section that is not the document's
    ``last`` and ends with a line end opens no line after it; one that starts mid-line
    (``continued``) goes on with the line before it.
    """
    tops = [e for e in top_level(edits) if e.source_span[0] < e.source_span[1]]
    lines: list[dict] = []
    i = 0
    start = 0
    number = first_line
    split = source.split("\n")
    if not last and len(split) > 1 and split[-1] == "":
        split.pop()
    for n, line in enumerate(split):
        end = start + len(line)
        pieces = []
        cursor = start
        while i < len(tops) and tops[i].source_span[1] <= start:
            i += 1
        j = i
        while j < len(tops) and tops[j].source_span[0] < end:
            s, t = tops[j].source_span
            a, b = max(s, start), min(t, end)
            if cursor < a:
                pieces.append({"text": source[cursor:a]})
            if a < b:
                e = tops[j]
                pieces.append(
                    {"text": source[a:b], "id": e.id, "stage": e.stage, "layout": e.kind in LAYOUT_KINDS}
                )
            cursor = max(cursor, b)
            j += 1
        if cursor < end:
            pieces.append({"text": source[cursor:end]})
        lines.append({"n": number, "pieces": pieces, "cont": continued and n == 0})
        start = end + 1
        number += 1
    return lines


def output_segments(
    source: str, edits: Sequence[Edit], flags: Sequence[Flag], first_line: int = 1, last: bool = True
) -> list[dict]:
    """The restored text with anchors where each source line starts, for scrolling in step
    (numbered from ``first_line``; see `source_lines` for ``last``). Flagged text is marked
    as in `inline_segments`, so side by side shows the flagged passage too."""
    tops = top_level(edits)
    walker = _Walker(source, tops)
    events: list[tuple[int, int, dict]] = []
    line_start, number = 0, first_line
    while True:
        events.append((line_start, 2, {"t": "anchor", "line": number}))
        nl = source.find("\n", line_start)
        if nl < 0 or (not last and nl == len(source) - 1):
            break
        line_start, number = nl + 1, number + 1
    spans: dict[str, tuple[int, int]] = {}
    kinds: dict[str, str] = {}
    for f in flags:
        s, t = f.source_span
        s = walker.snap(s)
        t2 = walker.snap(t)
        if t2 != t:
            i = bisect.bisect_right(walker.starts, t2) - 1
            t = max(t, tops[i].source_span[1]) if i >= 0 else t
        spans[f.id], kinds[f.id] = (s, t), f.kind
        events.append((s, 0, {"t": "flag", "id": f.id, "kind": f.kind, "title": _flag_title(f)}))
        events.append((t, 1, {"t": "cut"}))
    covering = sorted(spans.items(), key=lambda kv: kv[1])

    def covered(a: int, b: int) -> str:
        return " ".join(fid for fid, (s, t) in covering if s <= a and b <= t and s < t)

    segments: list[dict] = []
    last_anchor_at = None
    for item in walker.walk(events):
        if item[0] == "text":
            ids = covered(item[1], item[2])
            segments.append(
                {"t": "text", "text": source[item[1] : item[2]], "flags": ids, "kinds": _kinds(ids, kinds)}
            )
        elif item[0] == "edit":
            e = item[1]
            ids = covered(*e.source_span) if e.source_span[0] < e.source_span[1] else ""
            segments.append({**_edit_segment(e, ids.split()), "kinds": _kinds(ids, kinds)})
        elif item[1]["t"] == "anchor":
            here = len(segments)
            if last_anchor_at != here:  # several source lines removed at one place: keep the first
                segments.append(item[1])
                last_anchor_at = len(segments)
        elif item[1]["t"] == "flag":
            segments.append(item[1])
    return _merge_text(segments)


def edit_table(edits: Sequence[Edit], section_of: Mapping[str, int] | None = None) -> dict[str, dict]:
    """What the page's script needs per edit: the inspector's facts, each chain's members,
    and for a shown edit its section (``sec``), source span and exact texts (``src``,
    ``b``, ``a``), so that bulk decisions can group by change and a correction can replace it."""
    by_id = {e.id: e for e in edits}
    table: dict[str, dict] = {}
    for e in edits:
        entry = {
            "stage": e.stage,
            "kind": e.kind,
            "reason": e.reason,
            "confidence": e.confidence,
            "before": shown_removed(e.before),
            "after": shown_removed(e.after),
            "deps": list(e.depends_on),
            "top": e.superseded_by is None,
        }
        if e.superseded_by is None:
            entry["layout"] = e.kind in LAYOUT_KINDS
            entry["src"] = list(e.source_span)
            entry["b"] = e.before
            entry["a"] = e.after
            if section_of is not None:
                entry["sec"] = section_of[e.id]
        if e.depends_on and e.superseded_by is None:
            base = e.source_span[0]
            entry["chain"] = [
                {
                    "id": m.id,
                    "rel": [m.source_span[0] - base, m.source_span[1] - base],
                    "after": m.after,
                    "deps": list(m.depends_on),
                }
                for m in chain_of(e, by_id)
            ]
            entry["raw_before"] = e.before
        table[e.id] = entry
    return table


# Source characters per section of the page: the page renders a section only when it
# comes near the screen, so a book costs what a few pages cost.
SECTION_CHARS = 5000


def section_bounds(source: str, tops: Sequence[Edit], size: int = SECTION_CHARS) -> list[int]:
    """Where sections of ``source`` start: after a blank line, else a line end, else a sentence
    end, else a space, within ``size`` characters; never inside an edit (so each edit sits in
    one section). OCR that prints a whole book on one line is cut mid-line, at sentence ends.

    >>> section_bounds("one.\\n\\ntwo.\\n\\nthree.\\n", [], 4)
    [0, 6, 12]
    >>> section_bounds("One. Two. Three.", [], 4)
    [0, 5, 10]
    """
    starts = [e.source_span[0] for e in tops]

    def inside(pos: int) -> int | None:
        i = bisect.bisect_left(starts, pos) - 1
        if i >= 0 and tops[i].source_span[0] < pos < tops[i].source_span[1]:
            return tops[i].source_span[1]
        return None

    cuts = [0]
    pos = size
    while pos < len(source):
        for mark in ("\n\n", "\n", ". ", " "):
            found = source.find(mark, pos, pos + size)
            if found >= 0:
                cut = found + len(mark)
                break
        else:
            cut = pos + size
        end = inside(cut)
        if end is not None:
            pos = end
            continue
        if cut >= len(source):
            break
        cuts.append(cut)
        pos = cut + size
    return cuts


def _rows(text: str, width: int) -> int:
    """Lines the text takes at about ``width`` characters a line, for the page's first guess
    at a section's height."""
    return sum(max(1, math.ceil(len(line) / width)) for line in text.split("\n"))


def _shifted(e: Edit, by: int) -> Edit:
    return replace(e, source_span=(e.source_span[0] - by, e.source_span[1] - by))


def widened(span: tuple[int, int], tops: Sequence[Edit], starts: Sequence[int]) -> tuple[int, int]:
    """A span widened over every top-level edit it reaches into: what a correction replaces."""
    s, t = span
    i = bisect.bisect_right(starts, t)
    for e in tops[max(0, bisect.bisect_left(starts, s) - 1) : i]:
        a, b = e.source_span
        if a < t and s < b or (a == b and s < a < t):
            s, t = min(s, a), max(t, b)
    return s, t


class Part(NamedTuple):
    """A stretch of a document as the report takes it: a whole document, or one chunk of a
    long one (`restore.pipeline.Piece` has these fields). Spans and ids are the document's."""

    source_start: int
    output_start: int
    source: str
    output: str
    edits: tuple[Edit, ...]
    flags: tuple[Flag, ...]


def part_sections(
    part: Part,
    first_section: int,
    first_line: int,
    first_out_line: int,
    last: bool,
    size: int = SECTION_CHARS,
    line_open: bool = False,
) -> dict:
    """One part of the document cut into sections, as plain data for report_part.html.j2:
    each section's three views (inline, source lines, restored text), and the part's edits
    and flags for the page's script (navigator, inspector, bulk decisions, corrections).
    ``line_open``: the part before this one ended mid-line.

    ``sections`` is an iterator and ``edits`` and ``flags`` are functions: each section is
    made as the page is written and dropped after, so a part's views (many times the size of
    its text) never sit in memory whole."""
    base = part.source_start
    tops = top_level(part.edits)
    local_tops = [_shifted(e, base) for e in tops]
    cuts = section_bounds(part.source, local_tops, size)
    bounds = list(zip(cuts, [*cuts[1:], len(part.source)], strict=True))

    def section_at(pos: int) -> int:
        return max(0, min(bisect.bisect_right(cuts, pos) - 1, len(cuts) - 1))

    section_of: dict[str, int] = {}
    for e in local_tops:
        section_of[e.id] = section_at(e.source_span[0])
    by_id = {e.id: e for e in part.edits}
    for e in part.edits:
        top = e
        while top.superseded_by is not None and top.superseded_by in by_id:
            top = by_id[top.superseded_by]
        section_of[e.id] = section_of.get(top.id, 0)
    edits_in: list[list[Edit]] = [[] for _ in bounds]
    for e in part.edits:
        edits_in[section_of[e.id]].append(_shifted(e, base))
    flags_at: list[list[Flag]] = [[] for _ in bounds]
    flag_section: dict[str, int] = {}
    local_flags = [
        replace(f, source_span=(f.source_span[0] - base, f.source_span[1] - base)) for f in part.flags
    ]
    for f in local_flags:
        s, t = f.source_span
        first = section_at(s)
        flag_section[f.id] = first
        for k in range(first, len(bounds)):
            a, b = bounds[k]
            if k > first and a >= t:
                break
            flags_at[k].append(replace(f, source_span=(max(s, a) - a, max(min(t, b), max(s, a)) - a)))

    def sections() -> Iterator[dict]:
        line, out_line = first_line, first_out_line
        for k, (a, b) in enumerate(bounds):
            text = part.source[a:b]
            continued = part.source[a - 1] != "\n" if a else line_open
            edits = [_shifted(e, a) for e in edits_in[k]]
            marked = {f.id for f in flags_at[k] if flag_section[f.id] == k}
            is_last = last and k == len(bounds) - 1
            inline = inline_segments(text, edits, flags_at[k], marked)
            output = output_segments(text, edits, [f for f in flags_at[k] if f.id in marked], line, is_last)
            shown = "".join(s.get("text", "") if s["t"] == "text" else s.get("after", "") for s in output)
            yield {
                "n": first_section + k,
                "inline": inline,
                "lines": source_lines(text, edits, line, is_last, continued),
                "output": output,
                "meta": {
                    "n": first_section + k,
                    "line": line,
                    "out_line": out_line,
                    "rows": _rows(shown, 88),
                    "src_rows": _rows(text, 80),
                    "items": [s["id"] for s in inline if s["t"] in ("edit", "flag")],
                },
            }
            line += text.count("\n")
            out_line += shown.count("\n")

    source_lines_at, output_lines_at = Newlines(part.source), Newlines(part.output)

    def flags() -> list[dict]:
        starts = [e.source_span[0] for e in local_tops]
        output_span_of = OutputSpans(
            replace(
                e, output_span=(e.output_span[0] - part.output_start, e.output_span[1] - part.output_start)
            )
            for e in local_tops
        )
        rows = []
        for f, local in zip(part.flags, local_flags, strict=True):
            s, t = widened(local.source_span, local_tops, starts)
            o, p = output_span_of((s, t))
            offset = f.output_span[0] - part.output_start
            rows.append(
                {
                    "id": f.id,
                    "kind": f.kind,
                    "stage": f.stage,
                    "score": f.score,
                    "reason": f.reason,
                    "excerpt": " ".join(f.excerpt.split()) or "(at a point)",
                    "line": first_line + source_lines_at.before(local.source_span[0]),
                    "out_line": first_out_line + output_lines_at.before(offset),
                    "sec": first_section + flag_section[f.id],
                    "src": [s + base, t + base],
                    "b": part.source[s:t],
                    "a": part.output[o:p],
                }
            )
        return rows

    return {
        "sections": sections(),
        "edits": lambda: edit_table(part.edits, {eid: first_section + k for eid, k in section_of.items()}),
        "flags": flags,
        "lines": len(source_lines_at),
        "out_lines": len(output_lines_at),
    }


def _stage_colours(stages: Iterable[str]) -> dict[str, str]:
    colours = {}
    for n, stage in enumerate(stages):
        colours[stage] = STAGE_COLOURS.get(stage, _FALLBACK_COLOURS[n % len(_FALLBACK_COLOURS)])
    return colours


def _spacy_mode(stats: Mapping) -> str | None:
    stages = stats.get("stages") or {}
    gaps = stages.get("gaps") or {}
    if gaps.get("mode"):
        return str(gaps["mode"])
    for info in stages.values():
        if isinstance(info, Mapping) and info.get("mode"):
            return str(info["mode"])
    return None


def _count(items: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def _json(data: object) -> str:
    """JSON that cannot close the <script> element it sits in."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class ReportWriter:
    """Streams NAME.html: the page's head, then each part of the document as it comes
    (a whole document is one part; a long one, cleaned in chunks, one per chunk), then
    the totals and the script. Memory stays bounded by the part, whatever the book.

    The page holds each section's views as inert text and renders a section only when it
    comes near the screen (see report.js.j2), so a book opens as fast as a page.
    """

    def __init__(
        self,
        handle: IO[str],
        *,
        source_name: str | None,
        encoding: str,
        stages: Sequence[str],
        source_sha256: str | None = None,
        record_name: str | None = None,
        notice: str = "",
        section_chars: int = SECTION_CHARS,
    ):
        self.handle = handle
        self.section_chars = section_chars
        self.line_open = False
        self.sections = 0
        self.lines = 1
        self.out_lines = 1
        self.edits = self.flags = 0
        self.edit_stages = list(dict.fromkeys([*stages, REVIEW_STAGE]))
        name = Path(source_name).name if source_name else "(text)"
        self.meta = {
            "record": record_name,
            "source_sha256": source_sha256,
            "file": (Path(record_name).stem if record_name else Path(name).stem) + ".decisions.json",
        }
        self._pending: Part | None = None
        head = {
            "title": name,
            "source": source_name or "(text)",
            "encoding": encoding,
            "stages": list(stages),
            "edit_stages": [{"name": s, "colour": c} for s, c in _stage_colours(self.edit_stages).items()],
            "flag_kinds": [{"name": k, "meaning": m} for k, m in FLAG_KINDS.items()],
            "layout_kinds": sorted(LAYOUT_KINDS),
            "notice": " ".join(notice.split()),
        }
        for chunk in environment().get_template("report.html.j2").generate(**head):
            handle.write(chunk)

    def part(self, part: Part, last: bool | None = None) -> None:
        """Add the next part. Said to be the document's ``last`` or not, it is written at once;
        otherwise it waits for the one after it (or `finish`), so that the last section is
        known to be the document's last."""
        if self._pending is not None:
            self._write(self._pending, last=False)
            self._pending = None
        part = Part(
            part.source_start,
            part.output_start,
            part.source,
            part.output,
            tuple(part.edits),
            tuple(part.flags),
        )
        if last is None:
            self._pending = part
        else:
            self._write(part, last)

    def _write(self, part: Part, last: bool) -> None:
        data = part_sections(
            part, self.sections, self.lines, self.out_lines, last, self.section_chars, self.line_open
        )
        metas: list[dict] = []

        def sections() -> Iterator[dict]:
            for section in data["sections"]:
                metas.append(section["meta"])
                yield section

        def part_json() -> str:  # called by the template after the sections, so metas is whole
            return _json({"sections": metas, "edits": data["edits"](), "flags": data["flags"]()})

        template = environment().get_template("report_part.html.j2")
        for chunk in template.generate(sections=sections(), part_json=part_json):
            self.handle.write(chunk)
        self.line_open = not part.source.endswith("\n")
        self.sections += len(metas)
        self.lines += data["lines"]
        self.out_lines += data["out_lines"]
        self.edits += len(part.edits)
        self.flags += len(part.flags)

    def finish(self, stats: Mapping | None = None) -> None:
        if self._pending is not None:
            self._write(self._pending, last=True)
            self._pending = None
        stats = stats or {}
        summary = {
            **self.meta,
            "words_in": stats.get("words_in"),
            "words_out": stats.get("words_out"),
            "spacy": _spacy_mode(stats),
            "chunks": stats.get("chunks", 1),
            "edit_count": self.edits,
            "flag_count": self.flags,
        }
        template = environment().get_template("report_tail.html.j2")
        for chunk in template.generate(meta_json=_json(summary)):
            self.handle.write(chunk)


def render(document: Document, record_name: str | None = None, notice: str = "") -> str:
    """The HTML report of a Document (cleaned, or read back with `load_record(path, source)`);
    `notice` is shown above the text. ``record_name`` defaults to the name of the file the
    document was read from."""
    handle = io.StringIO()
    write(document, handle, record_name, notice)
    return handle.getvalue()


def write(document: Document, handle: IO[str], record_name: str | None = None, notice: str = "") -> None:
    """`render`, written to an open file."""
    if document.source is None:
        raise ValueError("the report needs the document's source text (load_record(path, source))")
    if record_name is None and document.path is not None:
        record_name = document.path.name
    writer = writer_for(document, handle, record_name, notice)
    writer.part(Part(0, 0, document.source, document.output or "", document.edits, document.flags))
    writer.finish(document.stats)


def writer_for(
    document: Document, handle: IO[str], record_name: str | None, notice: str = ""
) -> ReportWriter:
    """A ReportWriter for a document's header (its parts come after)."""
    return ReportWriter(
        handle,
        source_name=document.source_name,
        encoding=document.encoding,
        stages=document.stages,
        source_sha256=document.source_sha256,
        record_name=record_name,
        notice=notice,
    )


def index_entries(outdir: str | Path) -> list[dict]:
    """One entry per NAME.json record under OUTDIR that has its NAME.html, most flags first."""
    outdir = Path(outdir)
    entries = []
    for path in sorted(outdir.rglob("*.json")):
        html = path.with_suffix(".html")
        if not html.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or "edits" not in data or "source_sha256" not in data:
            continue
        stats = data.get("stats") or {}
        edits = data.get("edits") or []
        flags = data.get("flags") or []
        entries.append(
            {
                "name": str(path.relative_to(outdir).with_suffix("")),
                "href": html.relative_to(outdir).as_posix(),
                "source": data.get("source") or "",
                "words": stats.get("words_in") or 0,
                "edits": len(edits),
                "content_edits": sum(1 for e in edits if e.get("kind") not in LAYOUT_KINDS),
                "flags": len(flags),
                "edits_by_stage": _count(e.get("stage", "?") for e in edits),
                "flags_by_kind": _count(f.get("kind", "?") for f in flags),
            }
        )
    entries.sort(key=lambda d: (-d["flags"], -d["content_edits"], d["name"]))
    return entries


def render_index(entries: Sequence[Mapping], title: str = "restore") -> str:
    stages = list(dict.fromkeys(s for d in entries for s in d["edits_by_stage"]))
    kinds = list(dict.fromkeys(k for d in entries for k in d["flags_by_kind"]))
    return (
        environment()
        .get_template("index.html.j2")
        .render(
            title=title,
            entries=entries,
            stages=[{"name": s, "colour": c} for s, c in _stage_colours(stages).items()],
            kinds=kinds,
        )
    )


def write_index(outdir: str | Path) -> Path:
    """OUTDIR/index.html listing every document reported there, for triage."""
    outdir = Path(outdir)
    path = outdir / "index.html"
    write_atomic(path, render_index(index_entries(outdir), title=f"restore: {outdir.name or outdir}"))
    return path
