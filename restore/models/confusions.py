"""The OCR confusion table and the OCR-aware edit cost the spelling stage weighs candidates by.

What OCR reads for what was printed ("rn" for "m", "e" for "c", "li" for "h"), both
directions, each cheaper than an arbitrary edit. ``restore.degrade`` keeps its own,
separate table (``degrade.CONFUSIONS``) on purpose: synthetic damage should not be
made by the very model that repairs it, or the benchmark would flatter the corrector.
"""

from __future__ import annotations

from functools import lru_cache

# OCR confusions, both directions: what OCR reads for what was printed. Cheaper than other edits.
CONFUSION_PAIRS = [
    ("rn", "m"),
    ("cl", "d"),
    ("li", "h"),
    ("ii", "u"),
    ("tl", "d"),
    ("vv", "w"),
    ("in", "m"),
    ("ri", "n"),
    ("u", "ll"),
    ("h", "li"),
    ("ni", "m"),
    ("iu", "m"),
    ("fi", "h"),
    ("1", "l"),
    ("1", "i"),
    ("l", "i"),
    ("0", "o"),
    ("e", "c"),
    ("c", "o"),
    ("e", "o"),
    ("a", "o"),
    ("h", "b"),
    ("f", "t"),
    ("ſ", "f"),
    ("ſ", "s"),
    ("f", "s"),
    ("n", "u"),
    ("i", "t"),
    ("r", "t"),
    ("l", "t"),
    ("c", "e"),
    ("b", "h"),
    ("a", "e"),
    ("m", "n"),
    ("j", "i"),
    ("y", "v"),
    ("k", "h"),
    ("a", "n"),
    ("r", "i"),
]
SINGLE = {}
MULTI: list[tuple[str, str, float]] = []
for _a, _b in CONFUSION_PAIRS:
    for _x, _y in ((_a, _b), (_b, _a)):
        if len(_x) == len(_y) == 1:
            SINGLE[(_x, _y)] = 0.4
        else:
            MULTI.append((_x, _y, 0.5))
MULTI_BY_FIRST: dict[str, list[tuple[str, str, float]]] = {}
for _x, _y, _c in MULTI:
    MULTI_BY_FIRST.setdefault(_x[0], []).append((_x, _y, _c))
# Every confusion (single and multi-letter) by its first letter, to apply them to a form directly.
REWRITES_BY_FIRST: dict[str, list[tuple[str, str]]] = {}
for _x, _y in list(SINGLE) + [(_x, _y) for _x, _y, _c in MULTI]:
    REWRITES_BY_FIRST.setdefault(_x[0], []).append((_x, _y))


@lru_cache(maxsize=100_000)
def ocr_cost(observed: str, intended: str) -> tuple[float, tuple[str, ...]]:
    """Edit cost from what OCR read to a candidate, cheaper for typical OCR confusions.

    >>> ocr_cost("modem", "modern")
    (0.5, ('m→rn',))
    >>> ocr_cost("prosucution", "prosecution")
    (1.0, ('u→e',))
    """
    a, b = observed.lower(), intended.lower()
    n, m = len(a), len(b)
    inf = float("inf")
    dist = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, str] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    dist[0][0] = 0.0
    band = 3  # costs that matter stay near the diagonal
    for i in range(n + 1):
        # The multi-letter confusions whose OCR side is printed here (the same for every j).
        multi_here = [r for r in MULTI_BY_FIRST.get(a[i], ()) if a.startswith(r[0], i)] if i < n else ()
        for j in range(max(0, i - band), min(m, i + band) + 1):
            here = dist[i][j]
            if here == inf:
                continue
            if i < n and j < m:
                if a[i] == b[j]:
                    cost, op = 0.0, ""
                else:
                    cost = SINGLE.get((a[i], b[j]), 1.0)
                    op = f"{a[i]}→{b[j]}"
                if here + cost < dist[i + 1][j + 1]:
                    dist[i + 1][j + 1] = here + cost
                    back[i + 1][j + 1] = (i, j, op)
            if i < n and here + 1 < dist[i + 1][j]:
                dist[i + 1][j] = here + 1
                back[i + 1][j] = (i, j, f"-{a[i]}")
            if j < m and here + 1 < dist[i][j + 1]:
                dist[i][j + 1] = here + 1
                back[i][j + 1] = (i, j, f"+{b[j]}")
            if (
                i + 1 < n
                and j + 1 < m
                and a[i] == b[j + 1]
                and a[i + 1] == b[j]
                and here + 1 < dist[i + 2][j + 2]
            ):
                dist[i + 2][j + 2] = here + 1
                back[i + 2][j + 2] = (i, j, f"{a[i : i + 2]}→{b[j : j + 2]}")
            for x, y, cost in multi_here:
                if b.startswith(y, j):
                    ii, jj = i + len(x), j + len(y)
                    if here + cost < dist[ii][jj]:
                        dist[ii][jj] = here + cost
                        back[ii][jj] = (i, j, f"{x}→{y}")
    ops: list[str] = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj, op = back[i][j]
        if op:
            ops.append(op)
        i, j = pi, pj
    return round(dist[n][m], 2), tuple(reversed(ops))


def vowel_swap(op: str) -> bool:
    """One vowel read or printed for another ("a→e"): OCR does it, and so did spelling before 1800."""
    x, _, y = op.partition("→")
    return len(x) == len(y) == 1 and x in "aeiouy" and y in "aeiouy"


def shape_confusion(op: str) -> bool:
    """An OCR confusion of letter shapes ("b→h", "u→ll"), not a vowel for a vowel: in early modern
    text the one kind of edit that cannot be the period's own spelling or usage."""
    return is_ocr_op(op) and not vowel_swap(op)


def is_ocr_op(op: str) -> bool:
    if "→" not in op:
        return False
    x, y = op.split("→")
    return (x, y) in SINGLE or any(x == a and y == b for a, b, _ in MULTI)
