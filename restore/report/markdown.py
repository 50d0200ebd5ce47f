"""The Markdown summary of a cleaned document, for terminals and git diffs.

It lists every flag and every edit a person would read; layout-only edits (trailing
spaces, unwrapped lines, paragraph breaks …: `LAYOUT_KINDS`) are counted by kind, not
listed, since on a typical page they are half the edits and say nothing. A long document
cleaned in chunks is written part by part (`MarkdownWriter`), its rows kept in a
temporary file until the totals are known, so memory stays bounded.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

from restore.record import EDIT_KINDS, FLAG_KINDS, LAYOUT_KINDS, Document
from restore.report import Newlines, environment
from restore.report.html import Part


def _show(text: str, limit: int = 60) -> str:
    """A change's text made visible on one line: newlines as ⏎, form feeds as ␌."""
    shown = text.replace("\n", "⏎").replace("\f", "␌").replace("\t", "⇥").replace("|", "\\|")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


class MarkdownWriter:
    """NAME.md from the parts of a document (one part for a whole document)."""

    def __init__(
        self,
        handle: IO[str],
        *,
        source_name: str | None,
        encoding: str,
        stages: Sequence[str],
        spill_dir: str | Path | None = None,
    ):
        self.handle = handle
        self.header = {"source": source_name or "(text)", "encoding": encoding, "stages": list(stages)}
        self._rows = {
            kind: tempfile.TemporaryFile("w+", encoding="utf-8", dir=spill_dir) for kind in ("f", "e")
        }
        self.counts = {"f": 0, "e": 0}
        self.trivial: dict[str, int] = {}
        self.top_edits = 0
        self.lines = self.out_lines = 1

    def _row(self, kind: str, row: dict) -> None:
        self._rows[kind].write(json.dumps(row, ensure_ascii=False) + "\n")
        self.counts[kind] += 1

    def part(self, part: Part) -> None:
        source, output = Newlines(part.source), Newlines(part.output)

        def source_line(pos: int) -> int:
            return self.lines + source.before(pos - part.source_start)

        def output_line(pos: int) -> int:
            return self.out_lines + output.before(max(0, pos - part.output_start))

        for f in part.flags:
            self._row(
                "f",
                {
                    "id": f.id,
                    "kind": f.kind,
                    "line": source_line(f.source_span[0]),
                    "out_line": output_line(f.output_span[0]),
                    "excerpt": _show(f.excerpt, 100),
                    "reason": f.reason,
                    "score": f.score,
                },
            )
        for e in part.edits:
            self.top_edits += e.superseded_by is None
            if e.kind in LAYOUT_KINDS:
                self.trivial[e.kind] = self.trivial.get(e.kind, 0) + 1
                continue
            self._row(
                "e",
                {
                    "id": e.id,
                    "stage": e.stage,
                    "kind": e.kind,
                    "before": _show(e.before),
                    "after": _show(e.after),
                    "line": source_line(e.source_span[0]),
                    "out_line": output_line(e.output_span[0]) if e.superseded_by is None else None,
                    "reason": e.reason,
                    "confidence": e.confidence,
                    "depends_on": ", ".join(e.depends_on),
                },
            )
        self.lines += len(source)
        self.out_lines += len(output)

    def _read(self, kind: str) -> Iterator[dict]:
        handle = self._rows[kind]
        handle.seek(0)
        for line in handle:
            yield json.loads(line)
        handle.close()

    def finish(self, stats: Mapping | None = None) -> None:
        stats = dict(stats or {})
        data = {
            **self.header,
            "stats": stats,
            "edit_kinds": EDIT_KINDS,
            "flag_kinds": FLAG_KINDS,
            "edit_count": sum(self.trivial.values()) + self.counts["e"],
            "flag_count": self.counts["f"],
            "listed_edits": self.counts["e"],
            "trivial": sorted(self.trivial.items(), key=lambda kv: -kv[1]),
            "top_edit_count": self.top_edits,
            "chunks": stats.get("chunks", 1),
            "flags": self._read("f"),
            "edits": self._read("e"),
        }
        for chunk in environment().get_template("report.md.j2").generate(**data):
            self.handle.write(chunk)


def writer_for(document: Document, handle: IO[str], spill_dir: str | Path | None = None) -> MarkdownWriter:
    return MarkdownWriter(
        handle,
        source_name=document.source_name,
        encoding=document.encoding,
        stages=document.stages,
        spill_dir=spill_dir,
    )


def render(result: Document) -> str:
    """Markdown with counts, every flag, and every edit a person would read, with its reason."""
    handle = io.StringIO()
    write(result, handle)
    return handle.getvalue()


def write(result: Document, handle: IO[str], spill_dir: str | Path | None = None) -> None:
    """`render`, written to an open file as it is made (its rows wait in ``spill_dir``)."""
    if result.source is None:
        raise ValueError("the report needs the document's source text (load_record(path, source))")
    writer = writer_for(result, handle, spill_dir)
    writer.part(Part(0, 0, result.source, result.output or "", result.edits, result.flags))
    writer.finish(result.stats)
