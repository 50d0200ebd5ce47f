"""Cleaning many files: collecting inputs, resuming, writing outputs safely, surviving bad input.

`clean_batch` is what ``restore clean`` does. One per-document function,
`clean_file`, does all the work on one input whichever engine runs it (see
`restore.engines`), so every engine writes the same outputs. The manifest in
OUTDIR lets a rerun skip inputs already cleaned, unchanged, with the same settings.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import functools
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from restore import collection, engines
from restore.config import Config
from restore.files import (
    AtomicFile,
    Decoded,
    Input,
    InputError,
    check_word_list,
    collect_inputs,
    file_sha256,
    one_line,
    read_source,
    remove_stale_temporaries,
    write_atomic,
)
from restore.pipeline import Step, clean, clean_pieces, load_models, merge_stats
from restore.record import (
    FLAG_KINDS,
    LAYOUT_KINDS,
    Document,
    RecordWriter,
    locate_source,
    record_header,
)
from restore.report import html, markdown
from restore.stages import resolve
from restore.version import __version__

MANIFEST = "restore-manifest.jsonl"


@dataclass(frozen=True)
class Outcome:
    """What happened to one input."""

    input: Input
    ok: bool
    message: str = ""  # the one-line reason when not ok
    words: int = 0
    counts: dict = field(default_factory=dict)  # {"edits": {stage: n}, "flags": {kind: n}}
    skipped: bool = False  # done by an earlier run, unchanged: not cleaned again
    encoding: str = ""  # what decoded the input (cp1252 or latin-1 means a fallback)
    sha256: str = ""  # of the input's bytes


class BatchError(Exception):
    """The batch cannot start as asked; the message says why, for one line."""


class OutdirError(BatchError):
    """OUTDIR would overwrite an input, or two inputs would share an output."""


def output_paths(item: Input, outdir: Path) -> dict[str, Path]:
    base = outdir / item.relative.with_suffix("")
    return {ext: base.with_name(base.name + "." + ext) for ext in ("txt", "json", "md")}


def check_outdir(inputs: list[Input], outdir: Path) -> None:
    """Refuse an OUTDIR where any output would replace an input or another input's output."""
    sources = {os.path.realpath(i.path) for i in inputs}
    owners: dict[Path, Input] = {}
    for item in inputs:
        for out in output_paths(item, outdir).values():
            if os.path.realpath(out) in sources:
                raise OutdirError(
                    f"output {out} would overwrite the input {item.path}; choose another OUTDIR"
                )
        out = output_paths(item, outdir)["txt"]
        if out in owners:
            raise OutdirError(
                f"{owners[out].path} and {item.path} would both be written to {out}; clean them separately"
            )
        owners[out] = item


def write_reports(document: Document, item: Input, outdir: Path) -> None:
    """NAME.md, the summary for the reviewer, and NAME.html, the page to review it in."""
    paths = output_paths(item, outdir)
    # Written as they are made, never whole in memory: a book's page runs to tens of MB.
    with AtomicFile(paths["md"]) as md_out:
        markdown.write(document, md_out, spill_dir=paths["json"].parent)
    with AtomicFile(paths["md"].with_suffix(".html")) as html_out:
        html.write(document, html_out, paths["json"].name)


def write_outputs(document: Document, item: Input, outdir: Path) -> None:
    """NAME.txt (restored text), NAME.json (the record), NAME.md (the summary)."""
    paths = output_paths(item, outdir)
    with AtomicFile(paths["json"]) as record:
        document.write_json(record)
    write_reports(document, item, outdir)
    write_atomic(paths["txt"], document.output)


def write_outputs_chunked(
    decoded: Decoded,
    item: Input,
    outdir: Path,
    config: Config,
    name: str,
    on_step: Callable[[Step], None] | None = None,
) -> dict:
    """Clean a long text chunk by chunk, streaming NAME.txt and NAME.json (through the same
    `RecordWriter` as `write_outputs`) and NAME.md and NAME.html (every chunk, through the
    reports' own writers), so memory stays bounded by the chunk size.
    Returns the document's stats.
    """
    paths = output_paths(item, outdir)
    stats_parts: list = []
    stages = _stage_names(config)
    with (
        AtomicFile(paths["txt"]) as text_out,
        AtomicFile(paths["json"]) as record,
        AtomicFile(paths["md"]) as md_out,
        AtomicFile(paths["md"].with_suffix(".html")) as html_out,
    ):
        header = record_header(
            name, decoded.sha256, decoded.encoding, stages, locate_source(item.path, paths["json"])
        )
        writer = RecordWriter(record, header, spill_dir=paths["json"].parent)
        shown = Document(
            stages=stages, encoding=decoded.encoding, source_name=name, source_sha256=decoded.sha256
        )
        summary = markdown.writer_for(shown, md_out, spill_dir=paths["json"].parent)
        page = html.writer_for(shown, html_out, paths["json"].name)
        for piece in clean_pieces(decoded.text, config, source_name=name, on_step=on_step):
            text_out.write(piece.output)
            for e in piece.edits:
                writer.edit(e)
            for f in piece.flags:
                writer.flag(f)
            summary.part(piece)
            page.part(piece, last=piece.source_start + len(piece.source) == len(decoded.text))
            stats_parts.append(piece.stats)
            del piece  # not kept alive while the next chunk is cleaned
        stats = merge_stats(stats_parts)
        writer.finish(stats)
        summary.finish(stats)
        page.finish(stats)
    return stats


def _stage_names(config: Config) -> tuple[str, ...]:
    return tuple(s.name for s in resolve(config.stages))


def clean_file(
    item: Input, outdir: Path, config: Config, on_step: Callable[[Step], None] | None = None
) -> Outcome:
    """Clean one file and write its outputs; every engine runs this same function.
    ``on_step`` hears how far the file has got after each stage of each chunk (in this
    process only: a worker process has no one to tell).

    Bad input, and any unexpected error inside the pipeline, becomes a failed
    Outcome with a one-line reason: one document never stops a batch.
    """
    try:
        decoded = read_source(item.path)
    except InputError as error:
        return Outcome(item, False, str(error))
    if not decoded.text.strip():
        # An OCR engine that read nothing: worth a look, and there is nothing to review.
        reason = "empty file, no text to clean" if not decoded.text else "only blank space, no text to clean"
        return Outcome(item, False, reason, encoding=decoded.encoding, sha256=decoded.sha256)
    name = str(item.path)
    try:
        load_models(config)
        if len(decoded.text) <= config.chunk_chars:
            result = clean(
                decoded.text,
                config,
                source_name=name,
                encoding=decoded.encoding,
                source_sha256=decoded.sha256,
                on_step=on_step,
            )
            result = dataclasses.replace(
                result, source_location=locate_source(item.path, output_paths(item, outdir)["json"])
            )
            write_outputs(result, item, outdir)
            stats = result.stats
            del result
        else:
            stats = write_outputs_chunked(decoded, item, outdir, config, name, on_step)
    except OSError as error:
        return Outcome(item, False, f"cannot write outputs ({error.strerror or error})")
    except Exception as error:
        return Outcome(item, False, f"internal error: {one_line(error)}")
    return Outcome(
        item,
        True,
        words=stats["words_in"],
        counts={
            "edits": dict(stats["edits_by_stage"]),
            "flags": dict(stats["flags_by_kind"]),
            "kinds": dict(stats["edits_by_kind"]),
        },
        encoding=decoded.encoding,
        sha256=decoded.sha256,
    )


# ---------------------------------------------------------------- the manifest


def settings_fingerprint(config: Config) -> str:
    """A short hash of everything that decides the outputs: restore's version and the Config."""
    data = json.dumps(
        {"restore_version": __version__, "config": dataclasses.asdict(config)},
        sort_keys=True,
        default=repr,
    )
    return hashlib.sha256(data.encode()).hexdigest()[:16]


class Manifest:
    """OUTDIR/restore-manifest.jsonl: one JSON line per input cleaned, the last line
    for an input wins. Appending a line per outcome costs little at any batch size;
    a line cut short by a kill is ignored on reading, and the file is compacted
    (rewritten atomically, one line per input) when a run starts.
    """

    def __init__(self, outdir: Path):
        self.path = outdir / MANIFEST
        self.entries: dict[str, dict] = {}
        lines = 0
        intact = True
        if self.path.exists():
            with open(self.path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    lines += 1
                    try:
                        entry = json.loads(line)
                        self.entries[entry["input"]] = entry
                    except (ValueError, KeyError, TypeError):
                        intact = False
                    intact = intact and line.endswith("\n")
        if lines != len(self.entries) or not intact:
            write_atomic(
                self.path, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.entries.values())
            )
        self._handle = None

    def is_done(self, item: Input, settings: str, outdir: Path) -> dict | None:
        """The entry of an input cleaned before with these settings, whose bytes and
        outputs are still as they were; None when it needs cleaning."""
        entry = self.entries.get(item.relative.as_posix())
        if not entry or entry.get("status") != "done" or entry.get("settings") != settings:
            return None
        if not all(p.exists() for p in output_paths(item, outdir).values()):
            return None
        if file_sha256(item.path) != entry.get("sha256"):
            return None
        return entry

    def record(self, outcome: Outcome, settings: str) -> None:
        entry = {
            "input": outcome.input.relative.as_posix(),
            "path": str(outcome.input.path),
            "sha256": outcome.sha256 or None,
            "settings": settings,
            "status": "done" if outcome.ok else "failed",
            "message": outcome.message,
            "encoding": outcome.encoding,
            "words": outcome.words,
            "edits": outcome.counts.get("edits", {}),
            "flags": outcome.counts.get("flags", {}),
            "edit_kinds": outcome.counts.get("kinds", {}),
        }
        self.entries[entry["input"]] = entry
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.path, "a", encoding="utf-8")
        self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def write_index(manifest: Manifest, outdir: Path) -> None:
    """OUTDIR/index.html: every document cleaned there, most flags first, for triage.

    Built from the manifest's counts rather than by reading every record back,
    which for a huge record or a huge batch would cost more memory than cleaning.
    """
    entries = []
    for entry in manifest.entries.values():
        name = Path(entry["input"]).with_suffix("")
        if entry.get("status") != "done" or not (outdir / name.with_name(name.name + ".html")).is_file():
            continue
        kinds = entry.get("edit_kinds", {})
        entries.append(
            {
                "name": str(name),
                "href": name.as_posix() + ".html",
                "source": entry.get("path") or "",
                "words": entry.get("words", 0),
                "edits": sum(entry.get("edits", {}).values()),
                "content_edits": sum(n for k, n in kinds.items() if k not in LAYOUT_KINDS),
                "flags": sum(entry.get("flags", {}).values()),
                "edits_by_stage": entry.get("edits", {}),
                "flags_by_kind": entry.get("flags", {}),
            }
        )
    entries.sort(key=lambda d: (-d["flags"], -d["content_edits"], d["name"]))
    write_atomic(outdir / "index.html", html.render_index(entries, title=f"restore: {outdir.name or outdir}"))


def _failed(item: Input, reason: str) -> Outcome:
    return Outcome(item, False, reason)


def _skipped(item: Input, entry: dict) -> Outcome:
    return Outcome(
        item,
        True,
        words=entry.get("words", 0),
        counts={
            "edits": entry.get("edits", {}),
            "flags": entry.get("flags", {}),
            "kinds": entry.get("edit_kinds", {}),
        },
        skipped=True,
        encoding=entry.get("encoding", ""),
        sha256=entry.get("sha256") or "",
    )


# ---------------------------------------------------------------- the summary


class Summary:
    """--summary FILE: one row per document, edits by stage and flags by kind, for triage.

    CSV or JSON by the file's extension. Rows are written as documents finish
    (inputs skipped as already done first), so the summary of a huge batch
    never sits in memory; the file appears, whole, when the batch ends.
    """

    FORMATS = (".csv", ".json")

    @classmethod
    def format_of(cls, path: str | Path) -> str:
        """The summary's format by its extension; BatchError for any other."""
        suffix = Path(path).suffix.lower()
        if suffix not in cls.FORMATS:
            raise BatchError(f"summary file {path} must end in .csv or .json")
        return suffix

    def __init__(self, path: Path, config: Config):
        self.format = self.format_of(path)
        self.stages = _stage_names(config)
        self._file = AtomicFile(path)
        self._handle = self._file.__enter__()
        self.rows = 0
        if self.format == ".csv":
            self._csv = csv.writer(self._handle, lineterminator="\n")
            self._csv.writerow(
                ["input", "status", "message", "encoding", "words", "edits", "flags"]
                + [f"edits:{s}" for s in self.stages]
                + [f"flags:{k}" for k in FLAG_KINDS]
            )
        else:
            self._handle.write("[")

    def add(self, path: str, status: str, message: str = "", outcome: Outcome | None = None) -> None:
        edits = outcome.counts.get("edits", {}) if outcome else {}
        flags = outcome.counts.get("flags", {}) if outcome else {}
        row = {
            "input": path,
            "status": status,
            "message": message,
            "encoding": outcome.encoding if outcome else "",
            "words": outcome.words if outcome else 0,
            "edits": sum(edits.values()),
            "flags": sum(flags.values()),
        }
        if self.format == ".csv":
            self._csv.writerow(
                list(row.values())
                + [edits.get(s, 0) for s in self.stages]
                + [flags.get(k, 0) for k in FLAG_KINDS]
            )
        else:
            row["edits_by_stage"] = edits
            row["flags_by_kind"] = flags
            self._handle.write(("\n " if not self.rows else ",\n ") + json.dumps(row, ensure_ascii=False))
        self.rows += 1

    def close(self, ok: bool = True) -> None:
        if self.format == ".json":
            self._handle.write("\n]\n" if self.rows else "]\n")
        self._file.__exit__(None if ok else Exception, None, None)


# ---------------------------------------------------------------- the batch


@dataclass
class Progress:
    """How far a batch has got; `line()` is what the progress bar shows."""

    total: int
    done: int = 0  # outcomes so far, skipped ones included
    failed: int = 0
    to_clean: int = 0  # inputs not skipped
    cleaned: int = 0  # of those, finished (ok or not)
    words: int = 0  # words in the inputs cleaned so far
    started: float = field(default_factory=time.monotonic)
    step: Step | None = None  # how far the file cleaned in this process has got, if one is
    step_file: str = ""  # and which file that is
    # The collection's OCR is being read for its confusions, before any file is cleaned.
    learning: bool = False
    size_to_clean: int = 0  # bytes of the inputs not skipped (0: unknown, the time left goes by files)
    size_cleaned: int = 0  # of those, finished
    last_finished: float = 0.0  # when the last of them finished (time.monotonic)
    counted_at: float = 0.0  # when words_so_far last grew: a file or a chunk of one finished

    @property
    def words_so_far(self) -> int:
        """Words in the inputs cleaned, and in the finished chunks of the one under way."""
        return self.words + (self.step.words_done if self.step else 0)

    def words_per_second(self, elapsed: float) -> float:
        """The words counted over the time they took: up to the moment they were last counted, so
        that the rate holds while a long file runs and no word of it is counted yet."""
        if self.counted_at > self.started:
            return self.words_so_far / (self.counted_at - self.started)
        return self.words_so_far / elapsed

    def seconds_left(self, elapsed: float) -> float:
        """The bytes still to clean at the rate of those cleaned when the last file finished,
        counted down since: a book among pages takes its own time, not a page's, and a long last
        file does not make the time left grow while it runs. By files where the sizes are unknown."""
        if not (self.size_cleaned and self.size_to_clean):
            return (self.to_clean - self.cleaned) * elapsed / self.cleaned
        at = max(self.last_finished - self.started, 1e-6)
        estimate = (self.size_to_clean - self.size_cleaned) * at / self.size_cleaned
        return max(0.0, estimate - (elapsed - at))

    def line(self) -> str:
        """'12/30 files, 41,200 words/s, 0:07 left' (and failures when there are some), then,
        for a file cleaned in this process, where it is: '; big.txt: spelling done (5/6), 40% of the file'."""
        if self.learning:
            return f"reading the collection's OCR for its confusions before cleaning {self.total} files"
        elapsed = max(time.monotonic() - self.started, 1e-6)
        parts = [f"{self.done}/{self.total} files", f"{self.words_per_second(elapsed):,.0f} words/s"]
        if self.cleaned:
            left = self.seconds_left(elapsed)
            parts.append(f"{int(left) // 60}:{int(left) % 60:02d} left")
        if self.failed:
            parts.append(f"{self.failed} failed")
        line = ", ".join(parts)
        if self.step is not None:
            step = self.step
            line += f"; {self.step_file}: {step.stage} done ({step.stage_index}/{step.stage_count})"
            if step.chunk_end - step.chunk_start < step.length:
                line += f", {step.fraction:.0%} of the file"
        return line


def _size(path: Path) -> int:
    """An input's size in bytes for the time left (0 where it cannot be read: its failure is the batch's to report)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


@dataclass
class BatchReport:
    """What a batch did; failures list every input that failed, with its reason."""

    total: int
    cleaned: int
    skipped: int
    words: int
    seconds: float
    failures: list[tuple[str, str]]
    collection: dict | None = None  # the collection model's ``learned_from`` where the batch used one

    @property
    def ok(self) -> bool:
        return not self.failures


def _check_request(
    engine: str, scheduler: str | None, summary: str | Path | None, workers: int | None
) -> int:
    """Refuse a batch that cannot start, before anything is cleaned; the number of workers."""
    if engine not in engines.ENGINES:
        raise BatchError(f"unknown engine {engine!r}; choose one of {', '.join(engines.ENGINES)}")
    if scheduler and engine != "dask":
        raise BatchError("a scheduler address needs the dask engine (--engine dask)")
    if summary is not None:
        Summary.format_of(summary)
    workers = workers or engines.default_workers()
    if workers < 1:
        raise BatchError("workers must be at least 1")
    return workers


def _check_word_lists(config: Config) -> None:
    """Refuse a --dict or --names file that is not a word list, before anything is cleaned."""
    for path in (*config.dictionaries, *config.names):
        try:
            check_word_list(path)
        except InputError as error:
            raise BatchError(f"dictionary file {path}: {error}") from None


def _not_done(
    items: list[Input], manifest: Manifest, settings: str, outdir: Path, force: bool, sheet: Summary | None
) -> list[Input]:
    """The inputs to clean: all with ``force``, else those the manifest does not show done
    (the others go into the summary as skipped)."""
    to_clean: list[Input] = []
    for item in items:
        entry = None if force else manifest.is_done(item, settings, outdir)
        if entry is None:
            to_clean.append(item)
        elif sheet:
            sheet.add(str(item.path), "skipped", "done by an earlier run", _skipped(item, entry))
    return to_clean


def _clean_here(item: Input, outdir: Path, config: Config, on_step: Callable[[Input, Step], None]) -> Outcome:
    return clean_file(item, outdir, config, on_step=functools.partial(on_step, item))


def _run(
    items: list[Input],
    outdir: Path,
    config: Config,
    engine: str,
    workers: int,
    scheduler: str | None,
    on_step: Callable[[Input, Step], None] | None = None,
) -> Iterable[Outcome]:
    """One Outcome per input from the chosen engine; nothing starts when there is nothing to clean.
    A file cleaned in this process reports its steps to ``on_step``."""
    if not items:  # all done before: no pool, no cluster to start
        return (outcome for outcome in ())
    if engine == "dask":
        # workers elsewhere do not share our working folder
        work = functools.partial(clean_file, outdir=outdir.absolute() if scheduler else outdir, config=config)
        return engines.run_dask(items, work, _failed, workers, scheduler)
    work = functools.partial(clean_file, outdir=outdir, config=config)
    here = functools.partial(_clean_here, outdir=outdir, config=config, on_step=on_step) if on_step else None
    return engines.run_local(items, work, _failed, workers, work_here=here)


def clean_batch(
    inputs: Iterable[str | Path],
    outdir: str | Path,
    config: Config | None = None,
    *,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    force: bool = False,
    summary: str | Path | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> BatchReport:
    """Clean files and folders of *.txt into OUTDIR; what ``restore clean`` does.

    ``workers`` defaults to all cores (one input never starts a pool);
    ``engine`` is "local" (a process pool) or "dask" (``scheduler`` joins an
    existing cluster, else a LocalCluster of ``workers`` processes starts).
    Inputs done by an earlier run, unchanged, with the same settings are
    skipped unless ``force``. Every input is tried; failures are listed in the
    report, never raised. Raises BatchError (or EngineError) when the batch
    cannot start at all.
    """
    config = config or Config()
    outdir = Path(outdir)
    workers = _check_request(engine, scheduler, summary, workers)
    _check_word_lists(config)
    items, problems = collect_inputs(inputs, skip=[outdir])
    check_outdir(items, outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(outdir)
    settings = settings_fingerprint(config)  # as asked: the collection's model is learned from the inputs
    state = Progress(total=len(items) + len(problems))
    if progress and collection.wanted(config, len(items)):
        state.learning = True
        progress(state)
    # Learned by local processes whatever the engine: the sample is small beside the batch.
    config = collection.for_batch([item.path for item in items], outdir, config, force, workers)
    state.learning = False
    taught = outdir / collection.MODEL_FOLDER
    learned = collection.learned_from(taught) if config.model_dir == str(taught.resolve()) else None
    manifest = Manifest(outdir)
    failures = [(str(path), reason) for path, reason in problems]
    sheet = Summary(Path(summary), config) if summary is not None else None
    done_ok = False
    # SIGINT and SIGTERM stop the workers (see engines), then the winding down below runs:
    # the manifest keeps every outcome that came back, so the same command resumes.
    with engines.stop_on_signals():
        try:
            for path, reason in problems:
                if sheet:
                    sheet.add(str(path), "failed", reason)
            to_clean = _not_done(items, manifest, settings, outdir, force, sheet)
            skipped = len(items) - len(to_clean)
            state.done = skipped + len(problems)
            state.failed = len(problems)
            state.to_clean = len(to_clean)
            sizes = {item.path: _size(item.path) for item in to_clean}
            state.size_to_clean = sum(sizes.values())
            state.started = time.monotonic()
            if progress:
                progress(state)

            def on_step(item: Input, step: Step) -> None:
                before = state.words_so_far
                state.step, state.step_file = step, str(item.path)
                if state.words_so_far > before:
                    state.counted_at = time.monotonic()
                progress(state)

            running = _run(
                to_clean, outdir, config, engine, workers, scheduler, on_step if progress else None
            )
            with contextlib.closing(running) as outcomes:
                for outcome in outcomes:
                    state.step = None
                    manifest.record(outcome, settings)
                    state.done += 1
                    state.cleaned += 1
                    state.size_cleaned += sizes.get(outcome.input.path, 0)
                    state.last_finished = time.monotonic()
                    if outcome.ok:
                        state.words += outcome.words
                        state.counted_at = state.last_finished
                    else:
                        state.failed += 1
                        failures.append((str(outcome.input.path), outcome.message))
                    if sheet:
                        status = "done" if outcome.ok else "failed"
                        sheet.add(str(outcome.input.path), status, outcome.message, outcome)
                    if progress:
                        progress(state)
            write_index(manifest, outdir)
            done_ok = True
        except engines.Interrupted as error:
            error.progress = state  # how far it got, for the caller's message
            raise
        finally:
            manifest.close()
            if sheet:
                sheet.close(ok=done_ok)
            if not done_ok:  # what stopped workers were writing
                remove_stale_temporaries(outdir)
    return BatchReport(
        total=state.total,
        cleaned=state.cleaned - (state.failed - len(problems)),
        skipped=skipped,
        words=state.words,
        seconds=round(time.monotonic() - state.started, 3),
        failures=failures,
        collection=learned,
    )
