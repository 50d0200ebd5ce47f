"""Cleaning many files: collecting inputs, writing outputs safely, surviving bad input."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from restore.config import Config
from restore.pipeline import Result, clean
from restore.source import InputError, read_source


@dataclass(frozen=True)
class Input:
    """One file to clean and the relative name its outputs take under OUTDIR."""

    path: Path
    relative: Path  # e.g. sub/NAME.txt -> OUTDIR/sub/NAME.{txt,json,md}


@dataclass(frozen=True)
class Outcome:
    """What happened to one input."""

    input: Input
    ok: bool
    message: str = ""  # the one-line reason when not ok
    words: int = 0
    counts: dict = field(default_factory=dict)


class OutdirError(Exception):
    """OUTDIR would overwrite an input."""


def collect_inputs(paths: Iterable[str | Path]) -> tuple[list[Input], list[tuple[Path, str]]]:
    """Files as given; folders recurse into *.txt, mirroring their relative paths.

    Returns the inputs and the paths that could not be listed, with a reason.
    Symlinked folders are followed once: a symlink loop is skipped, not followed forever.
    """
    inputs: list[Input] = []
    problems: list[tuple[Path, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            seen: set[str] = set()
            for folder, dirs, files in os.walk(path, followlinks=True, onerror=None):
                real = os.path.realpath(folder)
                if real in seen:
                    problems.append((Path(folder), "symlink loop, folder already visited"))
                    dirs[:] = []
                    continue
                seen.add(real)
                dirs.sort()
                for name in sorted(files):
                    if name.lower().endswith(".txt"):
                        file = Path(folder) / name
                        inputs.append(Input(file, file.relative_to(path)))
        elif path.exists() or path.is_symlink():
            inputs.append(Input(path, Path(path.name)))
        else:
            problems.append((path, "no such file or folder"))
    return inputs, problems


def output_paths(item: Input, outdir: Path) -> dict[str, Path]:
    base = outdir / item.relative.with_suffix("")
    return {ext: base.with_name(base.name + "." + ext) for ext in ("txt", "json", "md")}


def check_outdir(inputs: list[Input], outdir: Path) -> None:
    """Refuse an OUTDIR where any output would replace an input."""
    sources = {os.path.realpath(i.path) for i in inputs}
    for item in inputs:
        for out in output_paths(item, outdir).values():
            if os.path.realpath(out) in sources:
                raise OutdirError(
                    f"output {out} would overwrite the input {item.path}; choose another OUTDIR"
                )


def write_atomic(path: Path, data: str) -> None:
    """Write through a temporary file and rename, so no half-written file is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_outputs(result: Result, item: Input, outdir: Path) -> None:
    """NAME.txt (restored text), NAME.json (the record), NAME.md (the summary)."""
    from restore.report import markdown

    paths = output_paths(item, outdir)
    write_atomic(paths["json"], json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n")
    write_atomic(paths["md"], markdown.render(result))
    write_atomic(paths["txt"], result.output)


def clean_file(item: Input, outdir: Path, config: Config) -> Outcome:
    """Clean one file and write its outputs; bad input becomes a failed Outcome."""
    try:
        decoded = read_source(item.path)
    except InputError as error:
        return Outcome(item, False, str(error))
    result = clean(
        decoded.text,
        config,
        source_name=str(item.path),
        encoding=decoded.encoding,
        source_sha256=decoded.sha256,
    )
    write_outputs(result, item, outdir)
    return Outcome(
        item,
        True,
        words=result.stats["words_in"],
        counts={"edits": result.stats["edits_by_stage"], "flags": result.stats["flags_by_kind"]},
    )


def clean_all(items: list[Input], outdir: Path, config: Config) -> Iterator[Outcome]:
    """Clean inputs one after another, yielding an Outcome for each."""
    for item in items:
        yield clean_file(item, outdir, config)
