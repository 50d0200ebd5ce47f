"""A collection teaches its OCR engine's habits before it is cleaned.

One document shows its engine's confusions only a few times each (``in_context.document_reader``
needs three sure corrections of one); a collection from one engine shows them thousands of times.
Before a batch or an eval set is cleaned, the confusions the whole collection shows more often
than the training pairs (``learn.learn_from_ocr``: the shipped model's sure readings, counted over
the collection's OCR, never a ground truth) become the error model every document is cleaned with,
on top of ``--model`` where one is given. A single file is cleaned as before; so is a collection
with ``Config.collection`` off (``--no-collection``).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from .config import Config

MODEL_FOLDER = "collection-model"  # under OUTDIR: the learned model, kept so that a rerun resumes with it
LEARNED_FROM = "learned_from.json"  # in it: the model it was learned on top of, and from how much
MIN_FILES = 2  # one file's own confusions are the document's to teach
MIN_WORDS = 2_000  # fewer words show too few sure corrections to count an engine's habits by
MAX_WORDS = 200_000  # a sample of a larger collection, spread over it: about a minute of reading
# An eval set of this many files is read by all cores (a worker's start costs a second or two).
PARALLEL_FILES = 20


def wanted(config: Config, files: int) -> bool:
    """Whether a run over `files` inputs learns its collection's confusions first."""
    return config.collection and config.in_context and "spelling" in config.stages and files >= MIN_FILES


def learn_into(paths: Sequence[Path], folder: Path, config: Config, workers: int = 1) -> Config:
    """`config` cleaning with the confusions `paths` show, learned into `folder` (written whole or
    not at all: a run stopped while learning leaves no half model to resume with); `config`
    itself where the collection holds fewer than MIN_WORDS words. `workers` processes read it."""
    # learn reads the evaluation's alignment, which reads this module: imported when used
    from .learn import BYTES_PER_WORD, learn_collection_text, learn_from_ocr, taught_by_cleaning

    if sum(p.stat().st_size for p in paths if p.is_file()) < MIN_WORDS * BYTES_PER_WORD:
        return config  # too small by its size: not read at all
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    learned = learn_from_ocr(paths, partial, config.model_dir, max_words=MAX_WORDS, workers=workers)
    if learned.words < MIN_WORDS:
        shutil.rmtree(partial, ignore_errors=True)
        return config
    # Stages that change no word (the gaps stage flags) are left out of the reading.
    stages = tuple(s for s in config.stages if s != "gaps")
    reading = config.with_(model_dir=str(partial.resolve()), stages=stages)
    text = learn_collection_text(paths, partial, reading, MAX_WORDS, workers)
    taught_by_cleaning(partial, text.edited, text.words, config.model_dir)
    (partial / LEARNED_FROM).write_text(
        json.dumps(
            {
                "base": config.model_dir,
                "files": learned.files,
                "words": learned.words,
                "text_share": text.share,
            }
        )
        + "\n",
        encoding="utf-8",
    )
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(partial, folder)
    return config.with_(model_dir=str(folder.resolve()))


def learned_from(folder: Path) -> dict | None:
    """What a collection model was learned from (``LEARNED_FROM``: its base model, None for the
    shipped one, its files and words, and the share its own text's trigrams got, absent for a
    model learned before they were); None where there is no whole one."""
    try:
        learned = json.loads((folder / LEARNED_FROM).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return learned if isinstance(learned, dict) and {"base", "files", "words"} <= learned.keys() else None


def described(learned: dict) -> str:
    """What a collection model cleans with, for a run's closing line."""
    share = learned.get("text_share") or 0.0
    text = f" and its own text (a share of {share:.0%})" if share > 0 else ""
    return f"the confusions of the collection{text}"


def for_batch(paths: Sequence[Path], outdir: Path, config: Config, force: bool, workers: int = 1) -> Config:
    """The config a batch into `outdir` cleans with: its collection's model (MODEL_FOLDER),
    learned now, or as an earlier run of the batch learned it (resumed files are cleaned with
    the model the others were; ``force`` learns it again)."""
    if not wanted(config, len(paths)):
        return config
    folder = outdir / MODEL_FOLDER
    learned = learned_from(folder)
    if (
        not force
        and learned is not None
        and learned["base"] == config.model_dir
        and (folder / "channel.json").is_file()
    ):
        return config.with_(model_dir=str(folder.resolve()))
    return learn_into(paths, folder, config, workers)
