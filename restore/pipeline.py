"""Runs the stages in order over one document and composes their record."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from restore import __version__
from restore.config import Config
from restore.record import Composer, Edit, Flag, apply_edits
from restore.stages import StageContext, resolve


@dataclass(frozen=True)
class Result:
    """A cleaned document: the source, the output and the record between them."""

    source: str
    output: str
    edits: tuple[Edit, ...]
    flags: tuple[Flag, ...]
    stages: tuple[str, ...]
    encoding: str = "utf-8"
    source_name: str | None = None
    source_sha256: str | None = None
    stats: Mapping[str, object] = field(default_factory=dict)

    def apply(self, accepted: list[str] | set[str] | None = None) -> tuple[str, list[str]]:
        """Rebuild the text with only the accepted edits (all when None)."""
        ids = [e.id for e in self.edits] if accepted is None else accepted
        return apply_edits(self.source, list(self.edits), ids)

    def to_json(self) -> dict:
        """The JSON record (documented in the README; keys are only ever added)."""
        return {
            "restore_version": __version__,
            "source": self.source_name,
            "source_sha256": self.source_sha256,
            "encoding": self.encoding,
            "stages": list(self.stages),
            "edits": [e.to_json() for e in self.edits],
            "flags": [f.to_json() for f in self.flags],
            "stats": dict(self.stats),
        }


def clean(
    text: str,
    config: Config | None = None,
    *,
    source_name: str | None = None,
    encoding: str = "utf-8",
    source_sha256: str | None = None,
    batch_vocabulary: Mapping[str, int] | None = None,
) -> Result:
    """Clean one decoded text with the configured stages.

    >>> clean("a fine ex-\\nample.\\n").output
    'a fine example.\\n'
    """
    config = config or Config()
    context = StageContext(config=config, source_name=source_name, batch_vocabulary=batch_vocabulary)
    composer = Composer(text)
    stage_stats: dict[str, dict] = {}
    stages = resolve(config.stages)
    for stage in stages:
        started = time.perf_counter()
        proposals = stage.propose(composer.text, context)
        composer.apply_stage(stage.name, proposals.edits)
        composer.add_flags(stage.name, proposals.flags)
        stage_stats[stage.name] = {
            **dict(proposals.info),
            "edits": len(proposals.edits),
            "flags": len(proposals.flags),
            "seconds": round(time.perf_counter() - started, 4),
        }
    edits, flags = composer.finish()
    stats = {
        "words_in": len(text.split()),
        "words_out": len(composer.text.split()),
        "edits_by_stage": _count(e.stage for e in edits),
        "edits_by_kind": _count(e.kind for e in edits),
        "flags_by_kind": _count(f.kind for f in flags),
        "stages": stage_stats,
    }
    return Result(
        source=text,
        output=composer.text,
        edits=tuple(edits),
        flags=tuple(flags),
        stages=tuple(s.name for s in stages),
        encoding=encoding,
        source_name=source_name,
        source_sha256=source_sha256,
        stats=stats,
    )


def _count(items) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts
