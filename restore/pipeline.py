"""Runs the stages in order over one document and composes their record."""

from __future__ import annotations

import gc
import re
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace

from restore.compose import Composer
from restore.config import Config
from restore.record import Document, Edit, Flag, FlagProposal
from restore.stages import Proposals, StageContext, resolve


def clean(
    text: str,
    config: Config | None = None,
    *,
    source_name: str | None = None,
    encoding: str = "utf-8",
    source_sha256: str | None = None,
    on_step: Callable[[Step], None] | None = None,
) -> Document:
    """Clean one decoded text with the configured stages; ``on_step`` hears after each
    stage of each chunk how far it has got (see `Step`).

    >>> clean("a fine ex-\\nample.\\n").output
    'a fine example.\\n'
    """
    config = config or Config()
    pieces = list(clean_pieces(text, config, source_name=source_name, on_step=on_step))
    if len(pieces) == 1:
        output, edits, flags = pieces[0].output, pieces[0].edits, pieces[0].flags
    else:
        output = "".join(p.output for p in pieces)
        edits = tuple(e for p in pieces for e in p.edits)
        flags = tuple(f for p in pieces for f in p.flags)
    return Document(
        source=text,
        output=output,
        edits=edits,
        flags=flags,
        stages=tuple(s.name for s in resolve(config.stages)),
        encoding=encoding,
        source_name=source_name,
        source_sha256=source_sha256,
        stats=merge_stats([p.stats for p in pieces]),
    )


# A few lines with the faults the stages read (misread letters, a line-end hyphen, a name, a
# date, an apostrophe, marks), so that cleaning them loads what a real page needs.
WARM_TEXT = (
    "Tlie Uuited States and tlie people of tho country wero assembled at the court-\n"
    "house on the 4th of July, 1840, where Mr. O'Brien's «speech» was read aloud.\n"
)
_LOADED: set[Config] = set()


def load_models(config: Config | None = None) -> None:
    """Load what the configured stages read, once per process and config, before the first
    document. WARM_TEXT is cleaned with the cyclic collector paused (loading makes a million
    objects, none of them garbage, and collecting meanwhile costs about a sixth of the loading), and
    what is then alive is frozen (``gc.freeze``), so that later collections pass the models by
    (a twentieth of the cleaning time). Every batch worker and ``restore eval`` call it; a
    document's output does not depend on it.

    >>> load_models(); clean("Tlie people.").output
    'The people.'
    """
    config = config or Config()
    if config in _LOADED:
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        clean(WARM_TEXT, config)
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    _LOADED.add(config)


@dataclass(frozen=True)
class Piece:
    """One chunk of a document, cleaned, with spans and ids in document coordinates.

    ``source`` and ``output`` both end with the chunk's joint (the blank lines or
    whitespace the text was split at), left untouched, so joining the pieces in
    order gives the whole source and the whole output.
    """

    source_start: int
    output_start: int
    source: str
    output: str
    edits: tuple[Edit, ...]
    flags: tuple[Flag, ...]
    stats: Mapping[str, object]


@dataclass(frozen=True)
class Step:
    """How far the cleaning of one text has got, after one stage of one chunk: the stage
    just done (``stage_index`` of ``stage_count``, from 1), the chunk's characters
    (``chunk_start`` to ``chunk_end`` of ``length``), and the words of the chunks before it."""

    stage: str
    stage_index: int
    stage_count: int
    chunk_start: int
    chunk_end: int
    length: int
    words_done: int

    @property
    def fraction(self) -> float:
        """The share of the text's stage-runs done, counting each chunk by its length."""
        if not self.length:
            return 1.0
        chunk = self.chunk_end - self.chunk_start
        return (self.chunk_start + chunk * self.stage_index / self.stage_count) / self.length


def clean_pieces(
    text: str,
    config: Config,
    *,
    source_name: str | None = None,
    on_step: Callable[[Step], None] | None = None,
) -> Iterator[Piece]:
    """Clean a text chunk by chunk (see `chunk_bounds`): one piece when it fits in
    ``config.chunk_chars``. A caller that writes each piece out and drops it keeps
    memory bounded by the chunk size, whatever the length of the text.
    ``on_step``, if given, is called after each stage of each chunk.
    """
    context = StageContext(config=config, source_name=source_name)
    stages = resolve(config.stages)
    output_start = edit_base = flag_base = words_done = 0
    for start, end, next_start in chunk_bounds(text, config.chunk_chars):
        chunk = text if (start, end) == (0, len(text)) else text[start:end]
        step = None
        if on_step is not None:
            step = lambda name, index, s=start, e=end, w=words_done: on_step(  # noqa: E731
                Step(name, index, len(stages), s, e, len(text), w)
            )
        output, edits, flags, stats = _clean_chunk(chunk, stages, context, step)
        words_done += stats["words_in"]
        if start:
            edits = [_shift_edit(e, start, output_start, edit_base) for e in edits]
            flags = [_shift_flag(f, start, output_start, flag_base) for f in flags]
        joint = text[end:next_start]
        piece = Piece(start, output_start, chunk + joint, output + joint, tuple(edits), tuple(flags), stats)
        output_start += len(output) + len(joint)
        edit_base += len(edits)
        flag_base += len(flags)
        del chunk, output, edits, flags, joint
        yield piece
        del piece  # the caller has it: nothing of this chunk stays alive while the next is cleaned


# Where a long text may be split, best first: the group is the joint left untouched
# between chunks. A blank-line run (the chunk keeps its last line's end), a line
# end, whitespace after a sentence end, any whitespace.
_SPLITS = (
    re.compile(r"\n((?:[ \t\r]*\n)+)"),
    re.compile(r"\n()"),
    re.compile(r"[.!?][\"'\u201d\u2019)\]]*([ \t\r\n]+)"),
    re.compile(r"([ \t\r\n]+)"),
)


def chunk_bounds(text: str, size: int) -> Iterator[tuple[int, int, int]]:
    """(start, end, next_start) of each chunk: text[start:end] is cleaned, text[end:next_start]
    is the joint kept as it is. A chunk is at most ``size`` characters and ends at the
    last paragraph boundary in its second half, else at a line end, a sentence end,
    whitespace, or (text without any) exactly at ``size``.

    >>> list(chunk_bounds("one.\\n\\ntwo.\\n", 8))
    [(0, 5, 6), (6, 11, 11)]
    """
    size = max(2, size)
    start, length = 0, len(text)
    while length - start > size:
        low, high = start + size // 2, start + size
        end = next_start = high
        for pattern in _SPLITS:
            last = next(iter(deque(pattern.finditer(text, low, high), maxlen=1)), None)
            if last is not None:
                whole = pattern.match(text, last.start())  # the joint may run past the window
                end, next_start = whole.start(1), whole.end(1)
                break
        if next_start >= length:  # only blanks after this chunk: they are its joint
            yield start, end, length
            return
        yield start, end, next_start
        start = next_start
    yield start, length, length


def _shift_edit(e: Edit, source_shift: int, output_shift: int, id_shift: int) -> Edit:
    def renumber(eid: str) -> str:
        return f"e{int(eid[1:]) + id_shift}"

    return replace(
        e,
        id=renumber(e.id),
        source_span=(e.source_span[0] + source_shift, e.source_span[1] + source_shift),
        output_span=(e.output_span[0] + output_shift, e.output_span[1] + output_shift),
        depends_on=tuple(renumber(d) for d in e.depends_on),
        superseded_by=renumber(e.superseded_by) if e.superseded_by else None,
    )


def _shift_flag(f: Flag, source_shift: int, output_shift: int, id_shift: int) -> Flag:
    return replace(
        f,
        id=f"f{int(f.id[1:]) + id_shift}",
        source_span=(f.source_span[0] + source_shift, f.source_span[1] + source_shift),
        output_span=(f.output_span[0] + output_shift, f.output_span[1] + output_shift),
    )


def _clean_chunk(
    text: str, stages, context: StageContext, step: Callable[[str, int], None] | None = None
) -> tuple[str, list[Edit], list[Flag], dict]:
    composer = Composer(text)
    stage_stats: dict[str, dict] = {}
    for index, stage in enumerate(stages, 1):
        started = time.perf_counter()
        proposals = stage.propose(composer.text, context)
        proposals, held = hold_unsure(proposals, composer.text, context.config.min_confidence)
        # Flags are in the coordinates of the text the stage saw: map them before its edits.
        composer.add_flags(stage.name, proposals.flags)
        composer.apply_stage(stage.name, proposals.edits)
        stage_stats[stage.name] = {
            **dict(proposals.info),
            "edits": len(proposals.edits),
            "flags": len(proposals.flags),
            **({"held": held} if held else {}),
            "seconds": round(time.perf_counter() - started, 4),
        }
        if step is not None:
            step(stage.name, index)
    edits, flags = composer.finish()
    stats = {
        "words_in": len(text.split()),
        "words_out": len(composer.text.split()),
        "edits_by_stage": _count(e.stage for e in edits),
        "edits_by_kind": _count(e.kind for e in edits),
        "flags_by_kind": _count(f.kind for f in flags),
        "stages": stage_stats,
    }
    return composer.text, edits, flags, stats


def hold_unsure(proposals: Proposals, text: str, min_confidence: float) -> tuple[Proposals, int]:
    """A stage's edits below ``min_confidence`` become ``held-edit`` flags, left as printed,
    whatever the stage: the flag's span is the edit's, its score the edit's confidence, and
    ``detail.edit`` holds the edit whole (kind, before, after, confidence, reason), with
    ``after`` as the candidate, so a reviewer can still make it. Returns the proposals
    and how many were held.

    >>> from restore.record import EditProposal
    >>> unsure = EditProposal(9, 11, "", "hyphen-join", "joined", 0.85)
    >>> kept, held = hold_unsure(Proposals(edits=(unsure,)), "a fine ex-\\nample", 0.9)
    >>> kept.edits, held, kept.flags[0].kind, kept.flags[0].detail["candidates"]
    ((), 1, 'held-edit', [{'form': ''}])
    """
    unsure = [p for p in proposals.edits if p.confidence < min_confidence]
    if not unsure:
        return proposals, 0
    flags = [
        FlagProposal(
            p.start,
            p.end,
            "held-edit",
            f"{p.reason}; confidence {p.confidence} is below --min-confidence {min_confidence}: left as printed",
            p.confidence,
            {
                "candidates": [{"form": p.after}],
                "edit": {
                    "kind": p.kind,
                    "before": text[p.start : p.end],
                    "after": p.after,
                    "confidence": p.confidence,
                    "reason": p.reason,
                },
            },
        )
        for p in unsure
    ]
    kept = tuple(p for p in proposals.edits if p.confidence >= min_confidence)
    return replace(proposals, edits=kept, flags=(*proposals.flags, *flags)), len(unsure)


def merge_stats(parts: list[Mapping[str, object]]) -> dict:
    """The stats of a document cleaned in chunks: counts and seconds summed, other
    stage facts (a mode, say) taken from the first chunk; ``chunks`` says how many.
    """
    if len(parts) == 1:
        return dict(parts[0])
    stages: dict[str, dict] = {}
    for part in parts:
        for name, info in part["stages"].items():
            total = stages.setdefault(name, {})
            for key, value in info.items():
                if key in total and isinstance(value, int | float) and not isinstance(value, bool):
                    total[key] = round(total[key] + value, 4) if key == "seconds" else total[key] + value
                else:
                    total.setdefault(key, value)
    merged: dict = {
        "words_in": 0,
        "words_out": 0,
        "edits_by_stage": {},
        "edits_by_kind": {},
        "flags_by_kind": {},
    }
    for part in parts:
        merged["words_in"] += part["words_in"]
        merged["words_out"] += part["words_out"]
        for key in ("edits_by_stage", "edits_by_kind", "flags_by_kind"):
            for name, n in part[key].items():
                merged[key][name] = merged[key].get(name, 0) + n
    merged["stages"] = stages
    merged["chunks"] = len(parts)
    return merged


def _count(items) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts
