"""Reading input files: binary detection, decoding with a recorded fallback, hashing."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path


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
