"""The reviewer's side of the record: load NAME.json, apply decisions, write the final text.

A reviewer reads NAME.html, accepts or rejects edits, notes what to do at each
flag, and exports a decisions file. `apply` turns the record, its source and
those decisions into the final text, with `record.apply_edits` doing the replay,
so that rejecting an edit also rejects every edit that builds on it.

Decisions JSON (what the report's "Export decisions" writes)::

    {"record": "NAME.json", "source_sha256": "…",
     "edits": {"e12": "reject", "e13": "accept"},
     "flags": {"f3": "check the printed edition, a line is missing"}}

Edits absent from "edits" are accepted; flags absent from "flags" have no note.

A reviewer may also type the right text for a flag or an edit (a drop-out restored from the
printed page, a word restore got wrong). Each such correction is a decision of its own, stage
``review`` and kind ``correction``, in the source's coordinates like any edit::

     "corrections": [{"id": "r1", "stage": "review", "kind": "correction", "target": "f3",
                      "source_span": [812, 840], "before": "need to running",
                      "after": "need to keep running", "note": "as printed, p. 4"}]

``source[source_span] == before``, as for an edit; applying it puts ``after`` there instead of
whatever the edits inside that span made (they are reported as replaced). Reject-all and
accept-all ignore corrections, so rejecting everything still gives the source byte for byte.

>>> from restore.compose import Composer
>>> from restore.record import EditProposal
>>> composer = Composer("a fine ex-\\nample")
>>> _ = composer.apply_stage("hyphenation", [EditProposal(9, 11, "", "hyphen-join", "joined", 1.0)])
>>> edits, flags = composer.finish()
>>> record = Document(stages=("hyphenation",), edits=tuple(edits), flags=tuple(flags))
>>> decide(record, "a fine ex-\\nample", Decisions(edits={"e1": "reject"})).text
'a fine ex-\\nample'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from restore.files import InputError, decode_bytes, sha256_bytes, write_atomic
from restore.record import (
    REVIEW_STAGE,
    Document,
    Edit,
    OutputSpans,
    RecordError,
    accepted_closure,
    load_record,
    read_json,
    spliced,
)
from restore.report import Newlines, environment

ACCEPT, REJECT = "accept", "reject"


# A record, source or decisions file that cannot be used; the message is one line.
ReviewError = RecordError


@dataclass(frozen=True)
class Correction:
    """Text the reviewer typed for ``source[source_span]`` (``before``), at an edit or flag."""

    id: str
    target: str  # the edit or flag it was typed at
    source_span: tuple[int, int]
    before: str
    after: str
    note: str = ""
    stage: str = REVIEW_STAGE
    kind: str = "correction"

    def as_edit(self) -> Edit:
        """The correction as the record's one kind of change (reason: the reviewer's note)."""
        return Edit(
            id=self.id,
            stage=self.stage,
            kind=self.kind,
            before=self.before,
            after=self.after,
            source_span=self.source_span,
            output_span=(0, 0),
            reason=self.note or f"typed by the reviewer at {self.target}",
            confidence=1.0,
        )

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "stage": self.stage,
            "kind": self.kind,
            "target": self.target,
            "source_span": list(self.source_span),
            "before": self.before,
            "after": self.after,
            "note": self.note,
        }


def _overlaps(e: tuple[int, int], c: tuple[int, int]) -> bool:
    """Whether an edit at span ``e`` falls under a correction at span ``c``."""
    (es, et), (cs, ct) = e, c
    if es < et and cs < ct:
        return es < ct and cs < et
    if es == et:  # an insertion strictly inside the corrected span (one at its edge stays beside it)
        return cs < es < ct
    return es < cs < et  # a typed insertion inside the edit's span


def _corrections(raw: object, path: Path, record: Document | None) -> tuple[Correction, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ReviewError(f"{path}: 'corrections' must be a list")
    known = {e.id for e in record.edits} | {f.id for f in record.flags} if record is not None else None
    found: list[Correction] = []
    for n, item in enumerate(raw, 1):
        try:
            s, t = (int(x) for x in item["source_span"])
            c = Correction(
                id=str(item.get("id") or f"r{n}"),
                target=str(item.get("target", "")),
                source_span=(s, t),
                before=str(item["before"]),
                after=str(item["after"]),
                note=str(item.get("note") or ""),
            )
        except (KeyError, TypeError, ValueError):
            raise ReviewError(
                f"{path}: correction {n} needs source_span [start, end], before and after"
            ) from None
        if not 0 <= s <= t or t - s != len(c.before):
            raise ReviewError(f"{path}: correction {c.id}: source_span {[s, t]} does not fit its before text")
        if known is not None and c.target and c.target not in known:
            raise ReviewError(f"{path}: correction {c.id} is at {c.target}, which is not in the record")
        found.append(c)
    found.sort(key=lambda c: c.source_span)
    for a, b in zip(found, found[1:], strict=False):
        if a.source_span[1] > b.source_span[0] or a.source_span == b.source_span:
            raise ReviewError(f"{path}: corrections {a.id} and {b.id} overlap")
    if len({c.id for c in found}) != len(found):
        raise ReviewError(f"{path}: two corrections share an id")
    return tuple(found)


@dataclass(frozen=True)
class Decisions:
    """The reviewer's choices: edit id -> accept/reject, flag id -> note.

    Edits not listed are accepted; `default` says what unlisted edits get, so
    accept-all and reject-all are Decisions too.
    """

    edits: Mapping[str, str] = field(default_factory=dict)
    flags: Mapping[str, str] = field(default_factory=dict)
    default: str = ACCEPT
    record: str | None = None  # the record the decisions were made on, as exported
    source_sha256: str | None = None
    corrections: tuple[Correction, ...] = ()  # the reviewer's own text, in source order

    def accepted(self, edits: tuple[Edit, ...] | list[Edit]) -> set[str]:
        return {e.id for e in edits if self.edits.get(e.id, self.default) == ACCEPT}


ACCEPT_ALL = Decisions()
REJECT_ALL = Decisions(default=REJECT)


@dataclass(frozen=True)
class Applied:
    """The final text and what the reviewer should hear about how it was made."""

    text: str
    applied: tuple[str, ...]  # ids of edits whose change is in the text (chains counted whole)
    rejected: tuple[str, ...]  # ids rejected by the decisions
    # one line per accepted edit left out: it builds on a rejected one, or a correction replaces it
    dropped: tuple[str, ...]
    notes: str  # the flag-notes sidecar (Markdown)
    corrected: tuple[str, ...] = ()  # ids of the reviewer's corrections in the text


def load_decisions(path: str | Path, record: Document | None = None) -> Decisions:
    """Read a decisions JSON; ids unknown to `record` and values other than accept/reject refuse."""
    path = Path(path)
    data = read_json(path, "decisions file", "decisions file")
    if not isinstance(data, dict):
        raise ReviewError(f"{path}: decisions must be a JSON object")
    edits = data.get("edits") or {}
    flags = data.get("flags") or {}
    if not isinstance(edits, dict) or not isinstance(flags, dict):
        raise ReviewError(f"{path}: 'edits' and 'flags' must be objects keyed by id")
    bad = sorted(k for k, v in edits.items() if v not in (ACCEPT, REJECT))
    if bad:
        raise ReviewError(f"{path}: edit decisions must be 'accept' or 'reject' (see {', '.join(bad[:5])})")
    if record is not None:
        known_edits = {e.id for e in record.edits}
        known_flags = {f.id for f in record.flags}
        unknown = sorted(set(edits) - known_edits) + sorted(set(flags) - known_flags)
        if unknown:
            raise ReviewError(
                f"{path}: ids not in the record: {', '.join(unknown[:5])}"
                + (" …" if len(unknown) > 5 else "")
            )
        if (
            data.get("source_sha256")
            and record.source_sha256
            and data["source_sha256"] != record.source_sha256
        ):
            raise ReviewError(f"{path}: decisions were made on another source (source_sha256 differs)")
    return Decisions(
        edits={str(k): str(v) for k, v in edits.items()},
        flags={str(k): str(v) for k, v in flags.items() if str(v).strip()},
        record=data.get("record"),
        source_sha256=data.get("source_sha256"),
        corrections=_corrections(data.get("corrections"), path, record),
    )


def source_candidates(record: Document, given: str | Path | None = None) -> list[Path]:
    """Where the source may be: --source; else the recorded path from the current folder,
    the recorded absolute path, the recorded path relative to the record, and the path as
    given to clean taken from the record's folder (records written before the last two)."""
    if given is not None:
        return [Path(given)]
    location = record.source_location
    recorded = [Path(record.source_name)] if record.source_name else []
    if location.get("source_path"):
        recorded.append(Path(location["source_path"]))
    if record.path is not None:
        if location.get("source_from_record"):
            recorded.append(record.path.parent / location["source_from_record"])
        if record.source_name and not Path(record.source_name).is_absolute():
            recorded.append(record.path.parent / record.source_name)
    return list(dict.fromkeys(recorded))


def load_source(record: Document, given: str | Path | None = None) -> str:
    """The decoded source, after checking its bytes against the record's source_sha256:
    of the candidates that exist, the first whose bytes match (a file of the same name that
    is not the source is passed over), else an error naming the first."""
    candidates = source_candidates(record, given)
    if not candidates:
        raise ReviewError("the record names no source; give it with --source")
    existing = [p for p in candidates if p.is_file()]
    if not existing:
        tried = ", ".join(str(p) for p in candidates)
        raise ReviewError(f"{candidates[0]}: source not found (tried {tried}); give it with --source")
    found, data = existing[0], existing[0].read_bytes()
    if record.source_sha256 and sha256_bytes(data) != record.source_sha256:
        for path in existing[1:]:
            candidate = path.read_bytes()
            if sha256_bytes(candidate) == record.source_sha256:
                found, data = path, candidate
                break
    if record.source_sha256 and sha256_bytes(data) != record.source_sha256:
        raise ReviewError(
            f"{found}: source has changed since it was cleaned (sha256 differs from the record); "
            "refusing to apply edits to a different text"
        )
    try:
        decoded = decode_bytes(data)
    except InputError as error:
        raise ReviewError(f"{found}: {error}") from None
    if decoded.encoding != record.encoding:
        raise ReviewError(f"{found}: decodes as {decoded.encoding}, the record says {record.encoding}")
    return decoded.text


def decide(record: Document, source: str, decisions: Decisions) -> Applied:
    """Apply decisions to the source; the library form of `restore apply`."""
    edits = list(record.edits)
    accepted = decisions.accepted(edits)
    for c in decisions.corrections:
        s, t = c.source_span
        if source[s:t] != c.before:
            raise ReviewError(
                f"correction {c.id} at {c.target or 'the text'}: the source at {s}-{t} is not the text it was typed over"
            )
    applicable, dropped = accepted_closure(edits, accepted)
    chosen, replaced = final_changes(edits, applicable, decisions.corrections)
    text = spliced(source, chosen)
    shown = {e.id for e in chosen}
    by_id = {e.id: e for e in edits}
    in_text = set()
    for e in chosen:
        if e.id in by_id:
            stack = [e.id]
            while stack:
                eid = stack.pop()
                if eid not in in_text:
                    in_text.add(eid)
                    stack.extend(d for d in by_id[eid].depends_on if d in applicable)
    notes = flag_notes(record, source, text, chosen, decisions)
    return Applied(
        text=text,
        applied=tuple(e.id for e in edits if e.id in in_text),
        rejected=tuple(e.id for e in edits if e.id not in accepted),
        dropped=tuple(dropped) + tuple(replaced),
        notes=notes,
        corrected=tuple(c.id for c in decisions.corrections if c.id in shown),
    )


def final_changes(
    edits: list[Edit], applicable: set[str], corrections: tuple[Correction, ...] = ()
) -> tuple[list[Edit], list[str]]:
    """What goes into the final text, in source order: the outermost applied edits and the
    reviewer's corrections (as Edits), with a line for each applied edit a correction replaces."""
    covered = {d for e in edits if e.id in applicable for d in e.depends_on}
    outer = [e for e in edits if e.id in applicable and e.id not in covered]
    kept, replaced = [], []
    for e in outer:
        c = next((c for c in corrections if _overlaps(e.source_span, c.source_span)), None)
        if c is None:
            kept.append(e)
        else:
            replaced.append(f"{e.id} ({e.kind}) not applied: the reviewer's correction {c.id} replaces it")
    chosen = sorted(
        [*kept, *(c.as_edit() for c in corrections)],
        key=lambda e: (e.source_span[0], e.source_span[1], e.stage == REVIEW_STAGE, e.output_span[0]),
    )
    return chosen, replaced


def final_edits(chosen: list[Edit]) -> list[Edit]:
    """The changes in the final text with output spans in it, for mapping flags."""
    placed, delta = [], 0
    for e in chosen:
        s, t = e.source_span
        start = s + delta
        placed.append(replace(e, superseded_by=None, output_span=(start, start + len(e.after))))
        delta += len(e.after) - (t - s)
    return placed


def _line_col(lines: Newlines, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset, by bisection over the text's line ends."""
    k = lines.before(offset)
    return k + 1, offset - (lines.at[k - 1] + 1 if k else 0) + 1


def flag_notes(
    record: Document,
    source: str,
    final: str,
    chosen: list[Edit],
    decisions: Decisions,
) -> str:
    """The FINAL.notes.md sidecar: each flag, where it is in the source and the final text, its
    note; and each correction the reviewer typed."""
    output_span_of = OutputSpans(final_edits(chosen))  # indexed once: a scan per flag was quadratic
    source_lines, final_lines = Newlines(source), Newlines(final)
    rows = []
    for f in record.flags:
        s, t = f.source_span
        o, p = output_span_of(f.source_span)
        line, col = _line_col(source_lines, s)
        final_line, final_col = _line_col(final_lines, o)
        rows.append(
            {
                "id": f.id,
                "kind": f.kind,
                "score": f.score,
                "reason": f.reason,
                "source_line": line,
                "source_col": col,
                "final_line": final_line,
                "final_col": final_col,
                "excerpt": " ".join(final[max(0, o - 40) : p + 40].split()),
                "note": decisions.flags.get(f.id, ""),
            }
        )
    return (
        environment()
        .get_template("notes.md.j2")
        .render(
            source=record.source_name or "(text)",
            record=str(record.path) if record.path else None,
            flags=rows,
            noted=sum(1 for r in rows if r["note"]),
            corrections=[
                {**c.to_json(), "line": _line_col(source_lines, c.source_span[0])[0]}
                for c in decisions.corrections
            ],
        )
    )


def notes_path(output: str | Path) -> Path:
    """FINAL.txt -> FINAL.notes.md, beside it."""
    output = Path(output)
    return output.with_name(output.stem + ".notes.md")


def apply(
    record: str | Path,
    *,
    decisions: str | Path | None = None,
    accept_all: bool = False,
    reject_all: bool = False,
    output: str | Path,
    source: str | Path | None = None,
) -> Applied:
    """Rebuild the final text from RECORD's source and the chosen edits; write it and its notes.

    Exactly one of `decisions` (a decisions JSON), `accept_all` or `reject_all`.
    Raises ReviewError (one line) when the record, source or decisions cannot be used,
    including when the source no longer matches the record's source_sha256.
    """
    if sum((decisions is not None, accept_all, reject_all)) != 1:
        raise ReviewError("give exactly one of decisions, accept-all or reject-all")
    loaded = load_record(record)
    text = load_source(loaded, source)
    if accept_all:
        chosen = ACCEPT_ALL
    elif reject_all:
        chosen = REJECT_ALL
    else:
        chosen = load_decisions(decisions, loaded)
    result = decide(loaded, text, chosen)
    output = Path(output)
    write_atomic(output, result.text)
    write_atomic(notes_path(output), result.notes)
    return result
