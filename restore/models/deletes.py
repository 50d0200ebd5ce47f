"""symspellpy's delete map in one memory-mapped file: loading it costs nothing.

The symspell index maps each string that up to two deletions make of a word's first seven
letters to the words that make it (676,094 strings for the English dictionary).
Unmarshalled as a Python dict it took half a second at every start and about 60 MB of peak memory;
here it is a hash table on disk, read through the page cache, whose lookups return what the
dict did: the words, tab-joined, in the order symspellpy added them.

>>> table = DeleteTable.from_dict({"tle": "title\\tturtle", "the": "the"})
>>> table.get("tle"), table.get("xyz"), "the" in table, table["tle"]
('title\\tturtle', None, True, ['title', 'turtle'])
"""

from __future__ import annotations

import mmap
import zlib
from array import array
from collections.abc import Mapping
from pathlib import Path

MAGIC = b"RSDELET1"
BYTE_ORDER = 0x01020304  # read back as written only on a machine of the writer's byte order
_HEADER = 20  # MAGIC, then BYTE_ORDER, the bucket count and the entry count (uint32 each)


class _WordLists(Mapping):
    """A delete map read through its `get` (the words, tab-joined): as symspellpy's own lookup
    reads its dict, ``map[key]`` is the list of words and ``key in map`` whether it has the key."""

    def get(self, key: str, default=None):
        raise NotImplementedError

    def __getitem__(self, key: str) -> list[str]:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found.split("\t")

    def __contains__(self, key) -> bool:
        return isinstance(key, str) and self.get(key) is not None


class DeleteTable(_WordLists):
    """delete string -> its words, tab-joined, over a buffer laid out by `table_bytes`.

    Entries are grouped by bucket (crc32 of the key's UTF-8, masked); a lookup reads one
    bucket's hashes and compares the key's bytes only where a hash matches."""

    def __init__(self, buffer):
        view = memoryview(buffer)
        if len(view) < _HEADER or bytes(view[:8]) != MAGIC:
            raise ValueError("not a delete table")
        order, buckets, entries = view[8:_HEADER].cast("I")
        if order != BYTE_ORDER:  # a cache folder shared with a machine of the other byte order
            raise ValueError("delete table written on another kind of machine")
        ends = _HEADER + 4 * (buckets + 1 + entries + 2 * (entries + 1))
        if not buckets or buckets & (buckets - 1) or len(view) < ends:
            raise ValueError("delete table cut short")
        at = _HEADER
        parts = []
        for count in (buckets + 1, entries, entries + 1, entries + 1):
            parts.append(view[at : at + 4 * count].cast("I"))
            at += 4 * count
        self._starts, self._hashes, self._key_at, self._words_at = parts
        if len(view) != ends + self._key_at[-1] + self._words_at[-1]:
            raise ValueError("delete table cut short")
        self._keys = view[ends : ends + self._key_at[-1]]
        self._words = view[ends + self._key_at[-1] :]
        self._mask = buckets - 1
        self._buffer = buffer  # the mapping stays open while the table is used
        self._size = entries

    @classmethod
    def from_dict(cls, deletes: dict[str, str]) -> DeleteTable:
        return cls(table_bytes(deletes))

    @classmethod
    def open(cls, path: Path) -> DeleteTable:
        with open(path, "rb") as handle:
            return cls(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))

    def get(self, key: str, default=None):
        """The words `key` leads to, tab-joined (as the dict held them), or `default`."""
        raw = key.encode()
        h = zlib.crc32(raw)
        hashes, key_at, bucket = self._hashes, self._key_at, h & self._mask
        for e in range(self._starts[bucket], self._starts[bucket + 1]):
            if hashes[e] == h and self._keys[key_at[e] : key_at[e + 1]] == raw:
                return bytes(self._words[self._words_at[e] : self._words_at[e + 1]]).decode()
        return default

    def __iter__(self):
        for e in range(self._size):
            yield bytes(self._keys[self._key_at[e] : self._key_at[e + 1]]).decode()

    def __len__(self) -> int:
        return self._size


def table_bytes(deletes: dict[str, str]) -> bytes:
    """The file a `DeleteTable` reads: buckets (a power of two at least the entry count), then
    per entry its hash and where its key and its words lie, then the keys and words themselves."""
    buckets = 1 << max(1, (len(deletes) - 1).bit_length())
    mask = buckets - 1
    entries = sorted(((zlib.crc32(k.encode()), k) for k in deletes), key=lambda x: x[0] & mask)
    starts, hashes, key_at, words_at = array("I"), array("I"), array("I", [0]), array("I", [0])
    keys, words = bytearray(), bytearray()
    counts = [0] * (buckets + 1)
    for h, k in entries:
        counts[(h & mask) + 1] += 1
        hashes.append(h)
        keys += k.encode()
        key_at.append(len(keys))
        words += deletes[k].encode()
        words_at.append(len(words))
    total = 0
    for c in counts:
        total += c
        starts.append(total)
    header = MAGIC + array("I", [BYTE_ORDER, buckets, len(entries)]).tobytes()
    return b"".join(
        [
            header,
            starts.tobytes(),
            hashes.tobytes(),
            key_at.tobytes(),
            words_at.tobytes(),
            bytes(keys),
            bytes(words),
        ]
    )


class LaidOver(_WordLists):
    """A delete table with more words laid over it: for a key both have, the table's words
    first and then the new ones, as symspellpy's build would add them."""

    def __init__(self, base: DeleteTable, extra: dict[str, list[str]]):
        self._base = base
        self._extra = {}
        for key, forms in extra.items():
            had = base.get(key)
            self._extra[key] = "\t".join(([had] if had else []) + forms)

    def get(self, key: str, default=None):
        found = self._extra.get(key)
        return found if found is not None else self._base.get(key, default)

    def __iter__(self):
        yield from self._extra
        yield from (k for k in self._base if k not in self._extra)

    def __len__(self) -> int:
        return len(self._base) + sum(1 for k in self._extra if k not in self._base)
