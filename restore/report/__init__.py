"""Reports rendered from templates in restore/report/templates; Python prepares plain data."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import jinja2


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("restore", "report/templates"),
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class Newlines:
    """Where a text's line ends are, so that the line of each of many positions is found by
    bisection: ``text.count("\\n", 0, pos)`` per edit or flag made a report quadratic in
    the length of the text.

    >>> Newlines("a\\nb\\nc").before(3), "a\\nb\\nc".count("\\n", 0, 3)
    (1, 1)
    """

    def __init__(self, text: str):
        self.length = len(text)
        self.at = [m.start() for m in re.finditer("\n", text)]

    def before(self, pos: int) -> int:
        """How many line ends ``text[:pos]`` holds (``text.count("\\n", 0, pos)``, for any pos)."""
        if pos < 0:
            pos = max(0, pos + self.length)
        return bisect.bisect_left(self.at, pos)

    def __len__(self) -> int:
        return len(self.at)
