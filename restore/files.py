"""Reading and writing files: decoding, binary detection, hashing, atomic writes, input collection.

The bottom of the package: it imports nothing from restore, so every other
module may use it.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

TEMP_SUFFIX = ".restore-tmp"  # every temporary file restore writes in OUTDIR ends so


class InputError(Exception):
    """An input that cannot be cleaned; the message names the reason for one line."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # what decoded it: utf-8, utf-8-sig, utf-16, cp1252, latin-1
    sha256: str  # of the raw bytes
    fallback: bool  # True when the bytes were not valid UTF-8/UTF-16


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB mean not text.

    UTF-16 text has NULs too, so a BOM is checked first by the caller.
    """
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.05


def decode_bytes(data: bytes) -> Decoded:
    """Decode OCR output: BOMs first, then UTF-8, then cp1252, then latin-1.

    >>> decode_bytes("café".encode("cp1252")).encoding
    'cp1252'
    """
    digest = sha256_bytes(data)
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[3:].decode("utf-8", errors="strict"), "utf-8-sig", digest, False)
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return Decoded(data[2:].decode(name), "utf-16", digest, False)
            except UnicodeDecodeError as error:
                raise InputError(f"invalid UTF-16 after its byte-order mark ({error.reason})") from None
    if looks_binary(data):
        raise InputError("binary file, not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", digest, False)
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(data.decode("cp1252"), "cp1252", digest, True)
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "latin-1", digest, True)


def file_sha256(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def read_source(path: str | Path) -> Decoded:
    """Read and decode one input file; raise InputError with a one-line reason."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a folder, not a file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except FileNotFoundError:
        raise InputError("no such file") from None
    except OSError as error:
        raise InputError(f"cannot read ({error.strerror or error})") from None
    return decode_bytes(data)


def check_word_list(path: str | Path) -> None:
    """Refuse a dictionary file (``--dict``, ``--names``) that is not in the format of
    dictionaries/README.md: plain UTF-8, one entry a line, ``#`` comments, tab-separated
    ``form[<TAB>count[<TAB>variant, variant…]]``. Raises InputError with a one-line
    reason, so a wrong file is named at the start instead of silently read as junk.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"cannot read ({error.strerror or error})") from None
    if b"\x00" in data:
        raise InputError("binary file, not a word list")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); word lists are plain UTF-8"
        ) from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = line.split("\t")
        form = columns[0].strip()
        if len(columns) > 3:
            raise InputError(
                f"line {number}: {len(columns)} tab-separated columns, at most 3 (form, count, variants)"
            )
        if not form:
            raise InputError(f"line {number}: no form before the first tab")
        if "," in form:
            shown = form if len(form) <= 40 else form[:40] + "…"
            raise InputError(f"line {number}: ',' in the form '{shown}': columns are separated by tabs")
        count = columns[1].strip() if len(columns) > 1 else ""
        if count:
            try:
                float(count)
            except ValueError:
                raise InputError(f"line {number}: count '{count}' is not a number") from None


@dataclass(frozen=True)
class Input:
    """One file to clean and the relative name its outputs take under OUTDIR."""

    path: Path
    relative: Path  # e.g. sub/NAME.txt -> OUTDIR/sub/NAME.{txt,json,md}


def one_line(error: BaseException) -> str:
    """An exception as one line: its type and first line of message."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def collect_inputs(
    paths: Iterable[str | Path], skip: Iterable[str | Path] = ()
) -> tuple[list[Input], list[tuple[Path, str]]]:
    """Files as given; folders recurse into *.txt, mirroring their relative paths.

    Returns the inputs and the paths that could not be listed, with a reason; a
    folder that holds no *.txt at all is one of those (most likely a wrong path).
    Folders in ``skip`` (OUTDIR, when it lies inside an input folder) are not
    entered, so a rerun does not take the last run's outputs for inputs.
    Symlinked folders are followed once: a symlink loop is skipped, not followed forever.
    """
    inputs: list[Input] = []
    problems: list[tuple[Path, str]] = []
    skipped = {os.path.realpath(s) for s in skip}

    def unlistable(error: OSError) -> None:
        problems.append((Path(error.filename), f"cannot list folder ({error.strerror or error})"))

    for given in paths:
        path = Path(given)
        if path.is_dir():
            seen: set[str] = set()
            found = len(inputs)
            for folder, dirs, files in os.walk(path, followlinks=True, onerror=unlistable):
                real = os.path.realpath(folder)
                if real in seen:
                    problems.append((Path(folder), "symlink loop, folder already visited"))
                    dirs[:] = []
                    continue
                seen.add(real)
                dirs[:] = sorted(d for d in dirs if os.path.realpath(os.path.join(folder, d)) not in skipped)
                for name in sorted(files):
                    if name.lower().endswith(".txt"):
                        file = Path(folder) / name
                        inputs.append(Input(file, file.relative_to(path)))
            if len(inputs) == found and os.path.realpath(path) not in skipped:
                problems.append((path, "no *.txt file in this folder"))
        elif path.exists() or path.is_symlink():
            inputs.append(Input(path, Path(path.name)))
        else:
            problems.append((path, "no such file or folder"))
    return inputs, problems


_UMASK = os.umask(0o022)
os.umask(_UMASK)


class AtomicFile:
    """A text file written under a temporary name and renamed into place on success,
    so a reader (or a killed run) never sees a half-written file."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> io.TextIOWrapper:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX
        )
        os.fchmod(fd, 0o666 & ~_UMASK)  # as open() would create it, not mkstemp's 0600
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self.handle

    def __exit__(self, kind, error, trace) -> None:
        self.handle.close()
        if kind is None:
            os.replace(self.tmp, self.path)
        elif os.path.exists(self.tmp):
            os.unlink(self.tmp)


def write_atomic(path: Path, data: str) -> None:
    """Write through a temporary file and rename, so no half-written file is left."""
    with AtomicFile(path) as handle:
        handle.write(data)


def remove_stale_temporaries(outdir: Path) -> int:
    """Delete temporary files a killed run left in OUTDIR; returns how many."""
    removed = 0
    for folder, _dirs, files in os.walk(outdir):
        for name in files:
            if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                os.unlink(os.path.join(folder, name))
                removed += 1
    return removed
