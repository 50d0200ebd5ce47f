"""The Markdown summary of a cleaned document, for terminals and git diffs."""

from __future__ import annotations

from restore.record import EDIT_KINDS, FLAG_KINDS, Document
from restore.report import environment


def _show(text: str, limit: int = 60) -> str:
    """A change's text made visible on one line: newlines as ⏎, form feeds as ␌."""
    shown = text.replace("\n", "⏎").replace("\f", "␌").replace("\t", "⇥").replace("|", "\\|")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def render(result: Document) -> str:
    """Markdown with counts, every flag, and every edit with its reason."""
    top_edits = [e for e in result.edits if e.superseded_by is None]
    data = {
        "source": result.source_name or "(text)",
        "encoding": result.encoding,
        "stages": result.stages,
        "stats": result.stats,
        "edit_kinds": EDIT_KINDS,
        "flag_kinds": FLAG_KINDS,
        "edits": [
            {
                "id": e.id,
                "stage": e.stage,
                "kind": e.kind,
                "before": _show(e.before),
                "after": _show(e.after),
                "line": result.source.count("\n", 0, e.source_span[0]) + 1,
                "reason": e.reason,
                "confidence": e.confidence,
                "depends_on": ", ".join(e.depends_on),
            }
            for e in result.edits
        ],
        "flags": [
            {
                "id": f.id,
                "kind": f.kind,
                "line": result.output.count("\n", 0, f.output_span[0]) + 1,
                "excerpt": _show(f.excerpt, 100),
                "reason": f.reason,
                "score": f.score,
            }
            for f in result.flags
        ],
        "top_edit_count": len(top_edits),
    }
    return environment().get_template("report.md.j2").render(**data)
