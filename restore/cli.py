"""The command line: parses options, calls the library, reports. Nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from restore import __version__
from restore.batch import OutdirError, check_outdir, clean_all, collect_inputs
from restore.config import DEFAULT_STAGES, Config
from restore.stages import STAGES


def _stage_list(value: str | None) -> tuple[str, ...]:
    if not value:
        return DEFAULT_STAGES
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in STAGES]
    if unknown:
        raise click.BadParameter(f"unknown stage(s) {', '.join(unknown)}; known: {', '.join(STAGES)}")
    return names


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
@click.option("-o", "--outdir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder for NAME.txt (restored), NAME.json (record) and NAME.md (summary).")
@click.option("--stages", "stages", default=None, help="Comma-separated stages to run (default: all).")
@click.option("--keep-lines", is_flag=True, help="Keep the source's line breaks; only join hyphenated words.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=Config.min_confidence, show_default=True,
              help="Edits below this confidence become flags instead.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
def clean_command(inputs, outdir, stages, keep_lines, min_confidence, quiet) -> None:
    """Clean INPUTS (files, or folders of *.txt) into OUTDIR."""
    try:
        config = Config(stages=_stage_list(stages), keep_lines=keep_lines, min_confidence=min_confidence)
    except click.BadParameter as error:
        raise click.UsageError(str(error)) from None
    items, problems = collect_inputs(inputs)
    try:
        check_outdir(items, outdir)
    except OutdirError as error:
        raise click.UsageError(str(error)) from None
    failures = [(str(path), reason) for path, reason in problems]
    show_progress = not quiet and sys.stderr.isatty() and len(items) > 1
    for n, outcome in enumerate(clean_all(items, outdir, config), 1):
        if not outcome.ok:
            failures.append((str(outcome.input.path), outcome.message))
        if show_progress:
            click.echo(f"\r{n}/{len(items)} files", err=True, nl=False)
    if show_progress:
        click.echo("", err=True)
    for path, reason in failures:
        click.echo(f"restore: {path}: {reason}", err=True)
    if not quiet:
        done = len(items) - sum(1 for p, _ in failures if any(str(i.path) == p for i in items))
        click.echo(f"cleaned {done} of {len(items)} file(s) into {outdir}", err=True)
    sys.exit(1 if failures else 0)
