"""The command line: parses options, calls the library, reports. Nothing else."""

from __future__ import annotations

import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import click

from restore.batch import BatchError, Progress, clean_batch
from restore.collection import MODEL_FOLDER, described
from restore.config import DEFAULT_STAGES, Config
from restore.engines import EngineError, Interrupted, default_workers
from restore.models import nlp
from restore.stages import STAGES, resolve
from restore.version import __version__


def _stage_list(value: str | None) -> tuple[str, ...]:
    """--stages a,b as stage names; left out, every stage. An empty list is a usage error,
    not a way to ask for all of them."""
    if value is None:
        return DEFAULT_STAGES
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    if not names:
        raise click.BadParameter(
            f"--stages {value!r} names no stage; give some of {', '.join(STAGES)} or leave --stages out"
        )
    try:
        resolve(names)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    return names


def _model_options(command):
    """--context/--no-context, --model DIR and --chunk-chars N, the same for clean and eval."""
    command = click.option(
        "--model",
        "model_dir",
        type=click.Path(exists=True, file_okay=False),
        default=None,
        metavar="DIR",
        help="A collection's own error model, from `restore learn` (default: the shipped BLN600 model).",
    )(command)
    command = click.option(
        "--chunk-chars",
        type=click.IntRange(min=1000),
        default=Config.chunk_chars,
        show_default=True,
        metavar="N",
        help="Texts longer than N characters are cleaned in chunks split at paragraphs: peak memory "
        "follows N (under 1 GB at the default); a larger N lends the spelling stage more of a long "
        "book's own evidence.",
    )(command)
    command = click.option(
        "--collection/--no-collection",
        "learn_collection",
        default=Config.collection,
        show_default=True,
        help="With two files or more, first learn the OCR confusions the whole collection shows more "
        "often than the training pairs (from its OCR alone: the model's sure readings, counted over "
        "every file) and clean every file with them; `clean` keeps the model in OUTDIR/collection-model.",
    )(command)
    return click.option(
        "--context/--no-context",
        "in_context",
        default=Config.in_context,
        show_default=True,
        help="Spelling also decides by the learned OCR error model x the language model.",
    )(command)


def _model_settings(in_context: bool, model_dir, chunk_chars: int, learn_collection: bool) -> dict:
    return {
        "in_context": in_context,
        "collection": learn_collection,
        "model_dir": str(Path(model_dir).resolve()) if model_dir else None,
        "chunk_chars": chunk_chars,
    }


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="restore")
def main() -> None:
    """restore: clean OCR text, record every change, flag what cannot be fixed."""


@main.command("stages")
def stages_command() -> None:
    """List the stages in the order they run."""
    for stage in STAGES.values():
        click.echo(f"{stage.name:12} {stage.summary}")


@main.command("clean")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--outdir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for NAME.txt (restored), NAME.json (record) and NAME.md (summary).",
)
@click.option("--stages", "stages", default=None, help="Comma-separated stages to run (default: all).")
@click.option("--keep-lines", is_flag=True, help="Keep the source's line breaks; only join hyphenated words.")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=Config.min_confidence,
    show_default=True,
    help="Edits of every stage below this confidence are left as printed and flagged instead, with the "
    "edit as candidate (held-edit flags; spelling's own are spelling flags).",
)
@click.option(
    "--spacy-model",
    default=Config.spacy_model,
    show_default=True,
    metavar="NAME",
    help="spaCy pipeline for the gaps stage's grammar checks: auto (best installed), none (rules only), "
    "or a pipeline name.",
)
@click.option(
    "--dict",
    "dictionaries",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    metavar="FILE",
    help="Extra word list for the spelling stage (repeatable; stacked last).",
)
@click.option(
    "--names",
    "names",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    metavar="FILE",
    help="Extra name dictionary, e.g. from `restore names build` (repeatable).",
)
@click.option(
    "--period",
    type=click.Choice(["auto", "modern", "early-modern"]),
    default=Config.language_period,
    show_default=True,
    help="Whose spelling the text keeps: auto (detected per document), modern, or early-modern "
    "(period spellings such as 'vpon', 'bodie', 'shew' stay, and only forms no book printed are corrected).",
)
@_model_options
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@click.option(
    "--progress-every",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="When stderr is not a terminal (a log), a progress line at most every SECONDS (0: after every "
    "stage of every file).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: all cores; one input runs in this process).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: a process pool; dask: dask.distributed (pip install 'restore[dask]').",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="With --engine dask, join this cluster (tcp://host:8786) instead of starting a LocalCluster.",
)
@click.option("--force", is_flag=True, help="Clean every input again, even those done by an earlier run.")
@click.option(
    "--summary",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write a per-document summary (edits by stage, flags by kind) to FILE.csv or FILE.json.",
)
def clean_command(
    inputs,
    outdir,
    stages,
    keep_lines,
    min_confidence,
    spacy_model,
    dictionaries,
    names,
    period,
    in_context,
    model_dir,
    chunk_chars,
    learn_collection,
    quiet,
    progress_every,
    workers,
    engine,
    scheduler,
    force,
    summary,
) -> None:
    """Clean INPUTS (files, or folders of *.txt) into OUTDIR."""
    try:
        config = Config(
            stages=_stage_list(stages),
            keep_lines=keep_lines,
            min_confidence=min_confidence,
            spacy_model=spacy_model,
            dictionaries=tuple(dictionaries) + learned_words(model_dir),
            names=tuple(names),
            language_period=period,
            **_model_settings(in_context, model_dir, chunk_chars, learn_collection),
        )
        nlp.check(spacy_model)
    except (click.BadParameter, nlp.ModelNotFound) as error:
        raise click.UsageError(str(error)) from None
    bar = not quiet and sys.stderr.isatty()
    shown = ProgressLines(bar, progress_every) if not quiet else None
    try:
        try:
            report = clean_batch(
                inputs,
                outdir,
                config,
                workers=workers,
                engine=engine,
                scheduler=scheduler,
                force=force,
                summary=summary,
                progress=shown,
            )
        finally:
            if shown:
                shown.stop()
    except (BatchError, EngineError) as error:
        raise click.UsageError(str(error)) from None
    except Interrupted as error:
        state = getattr(error, "progress", None)
        done = f" after {state.done} of {state.total} file(s)" if state else ""
        if bar:
            click.echo("", err=True)
        click.echo(
            f"restore: stopped by {signal.Signals(error.signum).name}{done}; workers stopped, no "
            f"temporary file left; run the same command again to resume",
            err=True,
        )
        sys.exit(128 + error.signum)
    if bar:
        click.echo("", err=True)
    for path, reason in report.failures:
        click.echo(f"restore: {path}: {reason}", err=True)
    if not quiet:
        click.echo(
            f"cleaned {report.cleaned}, skipped {report.skipped} (done before), failed "
            f"{len(report.failures)} of {report.total} file(s) into {outdir}",
            err=True,
        )
        if report.collection:
            click.echo(
                f"with {described(report.collection)}, learned from {report.collection['files']:,} "
                f"file(s), {report.collection['words']:,} words, in {Path(outdir) / MODEL_FOLDER}",
                err=True,
            )
    sys.exit(0 if report.ok else 1)


class ProgressLines:
    """Progress on stderr: on a terminal a bar redrawn in place (at most 5 times a second);
    in a log a line at most every ``every`` seconds (0: at every step). A heartbeat thread
    redraws it once a second, so a log hears from a batch even while workers are deep in
    long files and no step comes back."""

    def __init__(self, terminal: bool, every: float):
        self.terminal, self.every = terminal, 0.2 if terminal else every
        self.last = 0.0 if terminal else time.monotonic()
        self.state: Progress | None = None
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        threading.Thread(target=self._beat, daemon=True).start()

    def __call__(self, state: Progress) -> None:
        with self.lock:
            self.state = state
            now = time.monotonic()
            if self.stopped.is_set() or now - self.last < self.every:
                return
            self.last = now
            if self.terminal:
                width = shutil.get_terminal_size().columns - 1  # a wrapped line cannot be redrawn
                click.echo("\r" + state.line()[:width] + "\033[K", err=True, nl=False)
            else:
                click.echo(state.line(), err=True)

    def _beat(self) -> None:
        while not self.stopped.wait(1.0):
            if self.state is not None:
                self(self.state)

    def stop(self) -> None:
        """No more lines (before the batch's last words)."""
        with self.lock:
            self.stopped.set()


def learned_words(model_dir) -> tuple[str, ...]:
    """A `restore learn` folder's in-domain word list, stacked on the dictionaries."""
    words = Path(model_dir) / "words.tsv" if model_dir else None
    return (str(words),) if words and words.is_file() else ()


@main.command("learn")
@click.option(
    "--ocr",
    "ocr_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False),
    metavar="DIR",
    help="OCR text files (*.txt).",
)
@click.option(
    "--gt",
    "gt_dir",
    default=None,
    type=click.Path(exists=True, file_okay=False),
    metavar="DIR",
    help="Their human transcriptions, same file names. Without it, the confusions the OCR alone "
    "shows are learned (the shipped model's sure corrections, counted over the collection).",
)
@click.option(
    "-o",
    "--outdir",
    "model_dir",
    required=True,
    type=click.Path(file_okay=False),
    metavar="MODELDIR",
    help="Folder for channel.json, words.tsv and the trigrams (for `restore clean --model`).",
)
@click.option(
    "--model",
    "base_dir",
    default=None,
    type=click.Path(exists=True, file_okay=False),
    metavar="DIR",
    help="Without --gt: start from this `restore learn` folder instead of the shipped model.",
)
def learn_command(ocr_dir, gt_dir, model_dir, base_dir) -> None:
    """Learn a collection's own OCR error model from corrected pages (or from its OCR alone)."""
    from restore.learn import learn, learn_from_ocr

    if gt_dir is not None and base_dir is not None:
        raise click.UsageError(
            "--model is the model to start from when learning from OCR alone: not with --gt"
        )
    try:
        if gt_dir is None:
            alone = learn_from_ocr(ocr_dir, model_dir, base_dir, workers=default_workers())
        else:
            alone, learned = None, learn(ocr_dir, gt_dir, model_dir)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    if alone is not None:
        for line in alone.skipped:
            click.echo(f"skipped {line}", err=True)
        shown = ", ".join(
            f"'{b}' for '{a}' in {n:,} of {of:,}" for (a, b), (n, of) in list(alone.taught.items())[:3]
        )
        click.echo(
            f"learned from {alone.files} file(s) of OCR alone, {alone.words:,} words: "
            f"{len(alone.taught)} confusion(s) this collection shows more often than the training pairs"
            + (f" ({shown})" if shown else "")
            + f", into {alone.model_dir}"
        )
        return
    click.echo(
        f"learned from {learned.pairs} pair(s), {learned.words:,} aligned words "
        f"({learned.word_error_rate:.1%} misread), {learned.confusions:,} confusions"
        + (
            f", their text's trigrams at {learned.in_domain_weight:.0%} beside the book model"
            if learned.in_domain_weight
            else ""
        )
        + f", into {learned.model_dir}"
    )


@main.command("eval")
@click.option(
    "--ocr",
    required=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Folder of OCR text (*.txt), cleaned by the pipeline.",
)
@click.option(
    "--gt",
    required=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Folder of ground truth, same file names as --ocr.",
)
@click.option(
    "--peer",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="Folder of another system's output on the same OCR, scored side by side.",
)
@click.option("--stages", "stages", default=None, help="Comma-separated stages to run (default: all).")
@click.option(
    "--spacy-model",
    default=Config.spacy_model,
    show_default=True,
    metavar="NAME",
    help="spaCy pipeline, as for clean: auto (best installed), none (rules only), or a pipeline name.",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default=None,
    help="Write the scores as JSON to this file ('-' for standard output).",
)
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write a PNG of each file's WER before and after.",
)
@click.option(
    "--join-line-hyphens/--no-join-line-hyphens",
    default=True,
    show_default=True,
    help="Join words split by an end-of-line hyphen before counting.",
)
@click.option(
    "--hyphens",
    type=click.Choice(["drop", "split", "keep"]),
    default="drop",
    show_default=True,
    help="Other hyphens and dashes: dropped (words joined), split (a space) or kept.",
)
@click.option("--lowercase/--keep-case", default=True, show_default=True, help="Compare in lower case.")
@click.option(
    "--strip-punctuation/--keep-punctuation",
    default=True,
    show_default=True,
    help="Strip leading and trailing punctuation from each word.",
)
@click.option(
    "--unify-quotes/--keep-quotes",
    default=True,
    show_default=True,
    help="Make curly and low quotes straight.",
)
@click.option("--per-file/--total-only", default=True, show_default=True, help="Show a row per file.")
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write every error left or introduced, aligned with the ground truth, as TSV.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the errors as an HTML page (self-contained, offline).",
)
@click.option(
    "--keep",
    "keep",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Keep the cleaned outputs in this folder, same names as --ocr.",
)
@_model_options
def eval_command(
    ocr,
    gt,
    peer,
    stages,
    spacy_model,
    json_path,
    plot_path,
    join_line_hyphens,
    hyphens,
    lowercase,
    strip_punctuation,
    unify_quotes,
    per_file,
    errors_path,
    html_path,
    keep,
    in_context,
    model_dir,
    chunk_chars,
    learn_collection,
) -> None:
    """Score raw OCR and restored text against ground truth: WER, CER, errors fixed and introduced."""
    import json

    from restore.evaluate import Normalization, errors_html, errors_tsv, evaluate, format_table, plot

    try:
        config = Config(
            stages=_stage_list(stages),
            spacy_model=spacy_model,
            dictionaries=learned_words(model_dir),
            **_model_settings(in_context, model_dir, chunk_chars, learn_collection),
        )
        nlp.check(spacy_model)
    except (click.BadParameter, nlp.ModelNotFound) as error:
        raise click.UsageError(str(error)) from None
    normalization = Normalization(
        join_line_hyphens=join_line_hyphens,
        hyphens=hyphens,
        lowercase=lowercase,
        strip_punctuation=strip_punctuation,
        unify_quotes=unify_quotes,
    )
    try:
        result = evaluate(ocr, gt, config, peer=peer, normalization=normalization, keep=keep)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if not result.files:
        raise click.UsageError(f"no file in {ocr} has a ground-truth file of the same name in {gt}")
    for name in result.missing:
        click.echo(f"restore: {name}: no ground truth in {gt}, skipped", err=True)
    if result.collection:
        click.echo(
            f"restore: cleaned with {described(result.collection)}, learned from its OCR alone "
            f"({result.collection['files']:,} file(s), {result.collection['words']:,} words)",
            err=True,
        )
    if json_path is not None and str(json_path) == "-":
        click.echo(json.dumps(result.to_json(), indent=1))
    else:
        click.echo(format_table(result, per_file=per_file))
        if json_path is not None:
            json_path.write_text(json.dumps(result.to_json(), indent=1) + "\n", encoding="utf-8")
    if errors_path is not None:
        errors_path.write_text(errors_tsv(result), encoding="utf-8")
    if html_path is not None:
        html_path.write_text(errors_html(result), encoding="utf-8")
    if plot_path is not None:
        plot(result, plot_path)


@main.command("degrade")
@click.argument(
    "clean", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True)
)
@click.option(
    "-o",
    "--outdir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for ocr/NAME.txt (noisy), gt/NAME.txt (gold) and gaps/NAME.json (gold gaps).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same damage.")
@click.option(
    "--confusion-rate",
    type=click.FloatRange(0, 1),
    default=0.05,
    show_default=True,
    help="Probability that a word gets one OCR character confusion.",
)
@click.option(
    "--width",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Re-wrap at this width with end-of-line hyphens (0: keep the lines).",
)
@click.option(
    "--lines-per-page",
    type=click.IntRange(min=0),
    default=40,
    show_default=True,
    help="Page break with running head and page number every N lines (0: no pages).",
)
@click.option("--running-head", default="", help="Running head text (default: the file's name in capitals).")
@click.option(
    "--dropout-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Probability that a sentence loses a span of words (a drop-out, recorded as a gold gap).",
)
@click.option(
    "--dropout-words",
    type=(click.IntRange(min=1), click.IntRange(min=1)),
    default=(1, 8),
    show_default=True,
    help="Fewest and most words a drop-out removes.",
)
def degrade_command(
    clean, outdir, seed, confusion_rate, width, lines_per_page, running_head, dropout_rate, dropout_words
) -> None:
    """Write noisy versions of CLEAN texts, with the gold beside them, for `restore eval`."""
    from restore.degrade import degrade_files

    try:
        written = degrade_files(
            list(clean),
            outdir,
            seed,
            confusion_rate=confusion_rate,
            width=width or None,
            lines_per_page=lines_per_page or None,
            running_head=running_head,
            dropout_rate=dropout_rate,
            dropout_words=tuple(dropout_words),
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"degraded {len(written)} file(s) into {outdir} (ocr/, gt/, gaps/)", err=True)


@main.command("apply")
@click.argument("record", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--decisions",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Decisions JSON exported from NAME.html (edit id -> accept/reject, flag id -> note).",
)
@click.option("--accept-all", is_flag=True, help="Apply every edit (gives NAME.txt exactly).")
@click.option("--reject-all", is_flag=True, help="Apply no edit (gives the decoded source exactly).")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The final text; flag notes go beside it in FINAL.notes.md.",
)
@click.option(
    "--source",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The source text, when it is not where RECORD says.",
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def apply_command(record, decisions, accept_all, reject_all, output, source, quiet) -> None:
    """Rebuild the text from RECORD's source with the edits the reviewer kept."""
    from restore.review import ReviewError, apply, notes_path

    if sum((decisions is not None, accept_all, reject_all)) != 1:
        raise click.UsageError("give exactly one of --decisions FILE, --accept-all or --reject-all")
    try:
        applied = apply(
            record,
            decisions=decisions,
            accept_all=accept_all,
            reject_all=reject_all,
            output=output,
            source=source,
        )
    except ReviewError as error:
        click.echo(f"restore: {error}", err=True)
        sys.exit(1)
    for line in applied.dropped:
        click.echo(f"restore: {line}", err=True)
    if not quiet:
        click.echo(
            f"wrote {output} ({len(applied.applied)} edit(s) applied, {len(applied.rejected)} rejected, "
            f"{len(applied.dropped)} dropped with what they build on) and {notes_path(output)}",
            err=True,
        )


@main.group("names")
def names_group() -> None:
    """Name dictionaries for the spelling stage."""


@names_group.command("build")
@click.argument("corpus", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The names file to write: names seen twice or more, then proposed and set-aside forms as comments.",
)
@click.option(
    "--merge",
    "merge_existing",
    is_flag=True,
    help="Merge into OUTPUT, keeping what a reviewer edited or deleted there.",
)
@click.option(
    "--spacy-model",
    default="none",
    show_default=True,
    metavar="NAME",
    help="Also harvest entities with this spaCy pipeline: auto (best installed), none, or a name.",
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def names_build_command(corpus, output, merge_existing, spacy_model, quiet) -> None:
    """Harvest candidate names from CORPUS (files or folders of *.txt) into a reviewable OUTPUT."""
    from restore.names import build

    try:
        nlp.check(spacy_model)
    except nlp.ModelNotFound as error:
        raise click.UsageError(str(error)) from None
    report = build(corpus, output, merge_existing=merge_existing, spacy_model=spacy_model)
    for path, reason in report.failures:
        click.echo(f"restore: {path}: {reason}", err=True)
    if not quiet:
        merged = (
            f"; kept {report.kept_from_review} reviewed entries, left out {report.skipped_deleted} "
            f"deleted by the reviewer"
            if merge_existing
            else ""
        )
        twice = f" ({report.duplicates} given more than once, counted once)" if report.duplicates else ""
        click.echo(
            f"wrote {output}: {report.clusters} names, {report.proposed} proposed (seen once, not used), "
            f"{report.misreadings} misreadings of common words set aside ({report.candidates} forms) from "
            f"{report.documents} document(s){twice}{merged}",
            err=True,
        )
    if report.failures:
        raise SystemExit(1)
