"""The one immutable settings object. CLI options map onto its fields one to one."""

from __future__ import annotations

from dataclasses import dataclass, replace

DEFAULT_STAGES: tuple[str, ...] = (
    "normalize",
    "pages",
    "hyphenation",
    "paragraphs",
    "spelling",
    "gaps",
)


@dataclass(frozen=True)
class Config:
    """How to clean a document.

    >>> Config(keep_lines=True).with_(min_confidence=0.9).min_confidence
    0.9
    """

    stages: tuple[str, ...] = DEFAULT_STAGES
    keep_lines: bool = False  # keep the source's line breaks; only hyphen joins
    min_confidence: float = 0.8  # edits of any stage below this become held-edit flags instead
    dictionaries: tuple[str, ...] = ()  # extra word lists (--dict), stacked last
    names: tuple[str, ...] = ()  # extra name dictionaries (--names)
    use_project_dictionaries: bool = True  # the shipped lists (restore/data/dictionaries) and dictionaries/
    spacy_model: str = "auto"  # "auto": best installed; "none": rules only; or a name
    language_period: str = "auto"  # "auto", "modern" or "early-modern" spellings
    in_context: bool = True  # spelling also decides by error model x language model (--context/--no-context)
    model_dir: str | None = None  # a `restore learn` folder: the collection's own error model (--model)
    # A batch or eval of two files or more first learns the confusions its OCR shows (restore.collection);
    # one document cleaned alone is unaffected.
    collection: bool = True
    # Longer texts are cleaned in chunks split at paragraphs: what one chunk needs bounds peak memory
    # (under 1 GB with spaCy; a whole 1 MB book took 1.2 GB), each chunk its own document's evidence.
    chunk_chars: int = 250_000

    def with_(self, **changes) -> Config:
        return replace(self, **changes)
