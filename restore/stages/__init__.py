"""The stages, in the order they run. Each is a pure function of the text it sees.

A stage module exposes ``propose(text, context) -> Proposals``: edits and flags in
the coordinates of ``text``. It never writes files, prints, or keeps state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module

from restore.config import Config
from restore.record import EditProposal, FlagProposal


@dataclass(frozen=True)
class Proposals:
    """What one stage proposes for one text, plus facts for the record's stats."""

    edits: tuple[EditProposal, ...] = ()
    flags: tuple[FlagProposal, ...] = ()
    info: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class StageContext:
    """Read-only context a stage may consult besides its text."""

    config: Config
    source_name: str | None = None


@dataclass(frozen=True)
class Stage:
    """A stage: its module restore/stages/NAME.py has ``propose(text, context)``."""

    name: str
    summary: str

    @property
    def propose(self) -> Callable[[str, StageContext], Proposals]:
        return import_module(f"restore.stages.{self.name}").propose


STAGES: dict[str, Stage] = {
    stage.name: stage
    for stage in (
        Stage("normalize", "line ends, trailing spaces, quote artifacts, ligatures, invisible characters"),
        Stage(
            "pages",
            "page breaks, page numbers, running heads, catchwords and signatures removed; split paragraphs rejoined",
        ),
        Stage("hyphenation", "words split by end-of-line hyphens joined; real compounds keep the hyphen"),
        Stage("paragraphs", "hard line breaks inside paragraphs unwrapped; verse, lists and tables kept"),
        Stage("spelling", "OCR misspellings corrected on strong evidence, names protected, the rest flagged"),
        Stage("gaps", "flags sentences where text probably dropped out (never edits)"),
    )
}


def resolve(names: tuple[str, ...] | list[str]) -> list[Stage]:
    """Stages by name, in pipeline order; unknown names raise ValueError."""
    unknown = [n for n in names if n not in STAGES]
    if unknown:
        raise ValueError(f"unknown stage(s): {', '.join(unknown)}; known: {', '.join(STAGES)}")
    return [stage for name, stage in STAGES.items() if name in names]
