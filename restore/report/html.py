"""The reviewer's HTML report: one self-contained file per document, and an index per batch.

Python only prepares plain data here: the text cut into segments (plain text,
edits, flag markers, line anchors); all markup, CSS and JS live in
``templates/report.html.j2`` and ``templates/index.html.j2``. The page is
rendered server-side so it stays usable with thousands of edits; its script
only toggles classes, keeps the two panes of the side-by-side view in step, and
exports the reviewer's decisions (edit id -> accept/reject, flag id -> note)
for ``restore apply``.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from restore.files import write_atomic
from restore.record import EDIT_KINDS, FLAG_KINDS, LAYOUT_KINDS, Document, Edit, Flag
from restore.report import environment

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
        "removed": shown_removed(e.before),
        "inserted": shown_inserted(e.after),
        "before": e.before,
        "after": e.after,
        "title": _edit_title(e),
        "flags": " ".join(flags),
    }


def inline_segments(source: str, edits: Sequence[Edit], flags: Sequence[Flag]) -> list[dict]:
    """The text with changes inline: plain runs, top-level edits, and a marker where each flag starts.

    Plain runs and edits inside a flag's span carry the flag's id, so the page can
    highlight the flagged passage.
    """
    tops = top_level(edits)
    walker = _Walker(source, tops)
    spans = {}
    events: list[tuple[int, int, dict]] = []
    for f in flags:
        s, t = f.source_span
        s = walker.snap(s)
        t2 = walker.snap(t)
        if t2 != t:  # inside an edit: widen to its end
            i = bisect.bisect_right(walker.starts, t2) - 1
            t = max(t, tops[i].source_span[1]) if i >= 0 else t
        spans[f.id] = (s, t)
        events.append((s, 0, {"t": "flag", "id": f.id, "kind": f.kind, "title": _flag_title(f)}))
        events.append((t, 1, {"t": "cut"}))
    covering = sorted(spans.items(), key=lambda kv: kv[1])

    def covered(a: int, b: int) -> str:
        return " ".join(fid for fid, (s, t) in covering if s <= a and b <= t and s < t)

    segments: list[dict] = []
    for item in walker.walk(events):
        if item[0] == "text":
            _, a, b = item
            segments.append({"t": "text", "text": source[a:b], "flags": covered(a, b)})
        elif item[0] == "edit":
            e = item[1]
            s, t = e.source_span
            segments.append(_edit_segment(e, covered(s, t).split() if s < t else ()))
        elif item[1]["t"] == "flag":
            segments.append(item[1])
    return _merge_text(segments)


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


def source_lines(source: str, edits: Sequence[Edit]) -> list[dict]:
    """The source line by line, each a list of pieces; a piece inside an edit names it."""
    tops = [e for e in top_level(edits) if e.source_span[0] < e.source_span[1]]
    lines: list[dict] = []
    i = 0
    start = 0
    number = 1
    for line in source.split("\n"):
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
        lines.append({"n": number, "pieces": pieces})
        start = end + 1
        number += 1
    return lines


def output_segments(source: str, edits: Sequence[Edit], flags: Sequence[Flag]) -> list[dict]:
    """The restored text with anchors where each source line starts, for scrolling in step."""
    tops = top_level(edits)
    walker = _Walker(source, tops)
    events: list[tuple[int, int, dict]] = []
    line_start, number = 0, 1
    while True:
        events.append((line_start, 1, {"t": "anchor", "line": number}))
        nl = source.find("\n", line_start)
        if nl < 0:
            break
        line_start, number = nl + 1, number + 1
    for f in flags:
        events.append(
            (f.source_span[0], 0, {"t": "flag", "id": f.id, "kind": f.kind, "title": _flag_title(f)})
        )
    segments: list[dict] = []
    last_anchor_at = None
    for item in walker.walk(events):
        if item[0] == "text":
            segments.append({"t": "text", "text": source[item[1] : item[2]], "flags": ""})
        elif item[0] == "edit":
            segments.append(_edit_segment(item[1]))
        elif item[1]["t"] == "anchor":
            here = len(segments)
            if last_anchor_at != here:  # several source lines removed at one place: keep the first
                segments.append(item[1])
                last_anchor_at = len(segments)
        else:
            segments.append(item[1])
    return _merge_text(segments)


def edit_table(edits: Sequence[Edit]) -> dict[str, dict]:
    """What the page's script needs per edit: the inspector's facts and each chain's members."""
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


def document_data(
    source: str,
    edits: Sequence[Edit],
    flags: Sequence[Flag],
    *,
    source_name: str | None,
    encoding: str,
    stages: Sequence[str],
    stats: Mapping | None = None,
    source_sha256: str | None = None,
    record_name: str | None = None,
) -> dict:
    """Everything report.html.j2 needs, as plain data."""
    stats = stats or {}
    edit_stages = list(dict.fromkeys([*stages, *(e.stage for e in edits)]))
    flag_kinds = list(
        dict.fromkeys([*(k for k in FLAG_KINDS if any(f.kind == k for f in flags)), *(f.kind for f in flags)])
    )
    source_line = lambda pos: source.count("\n", 0, pos) + 1  # noqa: E731
    by_stage = _count(e.stage for e in edits)
    layout_by_stage = _count(e.stage for e in edits if e.kind in LAYOUT_KINDS)
    name = Path(source_name).name if source_name else "(text)"
    return {
        "title": name,
        "source": source_name or "(text)",
        "source_sha256": source_sha256,
        "record_name": record_name,
        "decisions_name": (Path(record_name).stem if record_name else Path(name).stem) + ".decisions.json",
        "encoding": encoding,
        "stages": list(stages),
        "spacy_mode": _spacy_mode(stats),
        "words_in": stats.get("words_in"),
        "words_out": stats.get("words_out"),
        "edit_stages": [
            {"name": s, "colour": c, "count": by_stage.get(s, 0), "layout": layout_by_stage.get(s, 0)}
            for s, c in _stage_colours(edit_stages).items()
        ],
        "edit_kinds": EDIT_KINDS,
        "edit_kind_counts": _count(e.kind for e in edits),
        "flag_kinds": [
            {"name": k, "count": sum(1 for f in flags if f.kind == k), "meaning": FLAG_KINDS.get(k, "")}
            for k in flag_kinds
        ],
        "layout_kinds": sorted(LAYOUT_KINDS),
        "edit_count": len(edits),
        "top_count": sum(1 for e in edits if e.superseded_by is None),
        "flags": [
            {
                "id": f.id,
                "kind": f.kind,
                "stage": f.stage,
                "score": f.score,
                "reason": f.reason,
                "excerpt": " ".join(f.excerpt.split()) or "(at a point)",
                "line": source_line(f.source_span[0]),
                "detail": {k: v for k, v in dict(f.detail).items() if isinstance(v, (str, int, float))},
            }
            for f in flags
        ],
        "inline": inline_segments(source, edits, flags),
        "lines": source_lines(source, edits),
        "output": output_segments(source, edits, flags),
        "edit_table": edit_table(edits),
    }


def render_document(data: Mapping) -> str:
    """The report page from document_data(); the edit table goes in as JSON for the script."""
    table = json.dumps(data["edit_table"], ensure_ascii=False, separators=(",", ":"))
    meta = json.dumps(
        {
            "record": data["record_name"],
            "source_sha256": data["source_sha256"],
            "file": data["decisions_name"],
        },
        ensure_ascii=False,
    )
    return (
        environment()
        .get_template("report.html.j2")
        .render(**data, edit_json=_script_safe(table), meta_json=_script_safe(meta))
    )


def _script_safe(text: str) -> str:
    """JSON that cannot close the <script> element it sits in."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(document: Document, record_name: str | None = None, notice: str = "") -> str:
    """The HTML report of a Document (cleaned, or read back with `load_record(path, source)`);
    `notice` is shown above the text (e.g. a partial view). ``record_name`` defaults to the
    name of the file the document was read from."""
    if document.source is None:
        raise ValueError("the report needs the document's source text (load_record(path, source))")
    if record_name is None and document.path is not None:
        record_name = document.path.name
    return render_document({**_data_of(document, record_name), "notice": " ".join(notice.split())})


def _data_of(document: Document, record_name: str | None) -> dict:
    return document_data(
        document.source,
        document.edits,
        document.flags,
        source_name=document.source_name,
        encoding=document.encoding,
        stages=document.stages,
        stats=document.stats,
        source_sha256=document.source_sha256,
        record_name=record_name,
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
