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
    Document,
    Edit,
    RecordError,
    accepted_closure,
    apply_edits,
    load_record,
    output_span_of,
    read_json,
)
from restore.report import environment

ACCEPT, REJECT = "accept", "reject"


# A record, source or decisions file that cannot be used; the message is one line.
ReviewError = RecordError


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
    dropped: tuple[str, ...]  # one line per accepted edit dropped because it builds on a rejected one
    notes: str  # the flag-notes sidecar (Markdown)


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
    text, dropped = apply_edits(source, edits, accepted)
    applicable, _ = accepted_closure(edits, accepted)
    rejected = tuple(e.id for e in edits if e.id not in accepted)
    notes = flag_notes(record, source, text, edits, applicable, decisions)
    return Applied(
        text=text,
        applied=tuple(e.id for e in edits if e.id in applicable),
        rejected=rejected,
        dropped=tuple(dropped),
        notes=notes,
    )


def final_edits(edits: list[Edit], applicable: set[str]) -> list[Edit]:
    """The outermost applied edits with output spans in the final text, for mapping flags."""
    covered = {d for e in edits if e.id in applicable for d in e.depends_on}
    chosen = sorted(
        (e for e in edits if e.id in applicable and e.id not in covered), key=lambda e: e.source_span
    )
    placed, delta = [], 0
    for e in chosen:
        s, t = e.source_span
        start = s + delta
        placed.append(replace(e, superseded_by=None, output_span=(start, start + len(e.after))))
        delta += len(e.after) - (t - s)
    return placed


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def flag_notes(
    record: Document,
    source: str,
    final: str,
    edits: list[Edit],
    applicable: set[str],
    decisions: Decisions,
) -> str:
    """The FINAL.notes.md sidecar: each flag, where it is in the source and the final text, its note."""
    placed = final_edits(edits, applicable)
    rows = []
    for f in record.flags:
        s, t = f.source_span
        o, p = output_span_of(placed, f.source_span)
        line, col = _line_col(source, s)
        final_line, final_col = _line_col(final, o)
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
