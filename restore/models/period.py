"""Early modern English or not, and the historical-spelling rules, for every stage.

One detector, two uses tuned apart. The spelling stage asks `detect_period` (marker
forms such as "hath", "vpon", "hee", "chuse", -eth verbs whose -s form is a common word,
elided past tenses ("mention'd") and long s, per 1,000 words, early modern (here: before
about 1800) at ``SPELLING_THRESHOLD``); the gaps stage
asks `style_rate` (a narrower regular expression, per 1,000 whitespace words, early
modern at ``GAPS_THRESHOLD``) for how far to trust modern punctuation. Both
measures and both thresholds are kept as the stages were tuned on them, so that
outputs did not move when they came here (issue 16); ``Config.language_period``
overrides the detection for both stages.
"""

from __future__ import annotations

import re
from functools import lru_cache

from restore.models import lexicon

SPELLING_THRESHOLD = 6.0  # marker forms per 1,000 words: spelling treats the text as early modern
# ... and at least this many: one is no evidence, an OCR misreading makes one ("thou'" for "their"
# in a newspaper of 157 words).
SPELLING_MIN_MARKERS = 2
GAPS_THRESHOLD = 3.0  # style_rate: gaps stops trusting modern punctuation and syntax

# Forms whose rate marks early modern English (before about 1800). The second group are common
# 16th-17th-century spellings that the OCR of 639 nineteenth-century newspaper articles
# (overproof-smh, BLN600's training OCR) prints at most once each as junk, chosen so that no
# newspaper there is taken for early modern that was not before (benchmarks/bench_period.py).
_EARLY_MODERN_MARKERS = frozenset(
    "hath doth hee shee wee vpon vnto haue giue loue ye thee thou thy thine doe onely selfe "
    "ſo ſuch vs bin moneth yeare owne meanes againe wherein whereof saith cometh".split()
    + "goe downe bodie soule shew shewed shewn publick antient themselues himselfe selues poore "
    "verie kinde minde olde tyme euer neuer euery ouer gaue giuen vnder vntill yeeld yeelded "
    "therof heereof heere neere deere cleere beene diuers seuen heauen deuill agaynst thinke "
    "knowe shal sayd sayde whiche theyr hym lyke dyd kinge".split()
)

# 18th-century forms: the spellings books printed until about 1800 ("chuse", "compleat",
# "musick") and past tenses with the 'e' elided ("mention'd", "fail'd"). Not "tho": the OCR of
# SMH's newspapers prints it for "the" dozens of times an article.
_EIGHTEENTH_CENTURY_MARKERS = frozenset(
    "chuse chusing compleat compleatly musick critick criticks logick physick politick domestick "
    "heroick tragick comick catholick rhetorick arithmetick mechanick panegyrick republick croud "
    "crouded intire intirely controul encrease encreased encreasing untill chearful chearfully "
    "expence surprize surprized ballance twas e'er ne'er o'er ev'ry ev'n thro".split()
)
_ELIDED_PAST = re.compile(r"\b([a-z]{2,})['’]d\b")

_EARLY_MODERN_STYLE = re.compile(
    r"\b(?:hath|doth|thee|thou|thy|thine|shalt|hast|wilt|canst|didst|'tis)\b|\b[a-z]{3,}eth\b|ſ"
)


def style_rate(text: str, words: int) -> float:
    """ "hath", "doth", "thee", -eth verbs and long s per 1,000 of ``words`` (gaps' measure).

    >>> style_rate("Thou hath said it, and he goeth. Now what?", 9) > GAPS_THRESHOLD
    True
    """
    return 1000 * len(_EARLY_MODERN_STYLE.findall(text)) / words


def resolve(setting: str, detected: bool) -> bool:
    """Whether a stage treats the text as early modern: ``Config.language_period``
    ("early-modern", "modern") wins over what was detected ("auto")."""
    return detected if setting == "auto" else setting == "early-modern"


def detect_period(text: str, threshold: float = SPELLING_THRESHOLD) -> str:
    """'early-modern' when the text spells like English before about 1800, else 'modern'.

    Counts marker forms (hath, vpon, hee, thou...), long s, "-eth" verbs and the 18th
    century's forms (chuse, musick, past tenses such as "mention'd") per thousand words:
    books of that century spell "chearful", "parly" and "masonary", which are no OCR's.

    >>> detect_period("He hath said that hee will come vpon the morrow, and so he cometh.")
    'early-modern'
    >>> detect_period("He has said that he will come upon the morrow.")
    'modern'
    """
    head = text[:200_000].lower()
    words = lexicon.WORD.findall(head)
    if not words:
        return "modern"
    common = _common_forms()
    hits = sum(1 for w in words if w in _EARLY_MODERN_MARKERS or w in _EIGHTEENTH_CENTURY_MARKERS)
    hits += sum(1 for w in words if len(w) > 5 and w.endswith("eth") and w[:-3] + "s" in common)
    hits += text.count("ſ")
    hits += sum(1 for m in _ELIDED_PAST.finditer(head) if m.group(1) + "ed" in common)
    early = hits >= SPELLING_MIN_MARKERS and hits * 1000 / len(words) >= threshold
    return "early-modern" if early else "modern"


@lru_cache(maxsize=1)
def _common_forms() -> frozenset[str]:
    return lexicon.base_words()


@lru_cache(maxsize=100_000)
def historical_forms(lower: str, one_by_one: bool = False) -> tuple[str, ...]:
    """Modern forms an early modern spelling may stand for (u/v, i/j, -ie, final -e, long s...).

    `one_by_one`: swap u/v and i/j letter by letter, as early modern printing mixes them in one
    word ("deuoutly", "vndiscouered", "iniuries"); for text known to be early modern. In modern
    text each is swapped all at once: there the letter-by-letter swaps mostly relate OCR junk to
    words ("iioni" to "joni", "houour" to "hoover").

    Cached: a pure function of the form, asked about every unknown word.

    >>> sorted(historical_forms("vpon"))[:2]
    ['upon', 'vpon']
    >>> "controversy" in historical_forms("controversie")
    True
    >>> "devoutly" in historical_forms("deuoutly"), "devoutly" in historical_forms("deuoutly", True)
    (False, True)
    """
    forms = {lower.replace("ſ", "s")}
    for rule in _ONE_BY_ONE_RULES if one_by_one else _RULES:
        for form in list(forms):
            forms.update(rule(form))
    return tuple(forms)


def _rule_uv(w: str) -> list[str]:
    """An initial 'v' for 'u' ("vpon"); every medial 'u' for 'v' ("haue"), or the other way round."""
    out = []
    if w.startswith("v"):
        out.append("u" + w[1:])
    if "u" in w[1:]:
        out.append(w[0] + w[1:].replace("u", "v"))
    if "v" in w[1:]:
        out.append(w[0] + w[1:].replace("v", "u"))
    return out


def _rule_ij(w: str) -> list[str]:
    """Every 'i' for 'j' before a vowel, after a consonant or at the start ("iourney")."""
    return [re.sub(r"(^|[^aeiou])i(?=[aeiou])", r"\1j", w)] if "i" in w else []


# At most this many letters of a word are swapped one by one (u/v, i/j): 2**3 spellings each.
_SWAPS_ONE_BY_ONE = 3


def _swapped(w: str, at: list[int], swap: dict[str, str]) -> list[str]:
    """`w` with the letters at `at` swapped by `swap` in every combination ("deuoutly" has a
    'u' for 'v' and a 'u' for 'u': devoutly), or, past ``_SWAPS_ONE_BY_ONE`` such letters,
    all of them at once."""
    every = 2 ** len(at) - 1  # the mask of all of them
    out = []
    for mask in range(1, every + 1) if len(at) <= _SWAPS_ONE_BY_ONE else (every,):
        chars = list(w)
        for bit, k in enumerate(at):
            if mask >> bit & 1:
                chars[k] = swap[chars[k]]
        out.append("".join(chars))
    return out


def _rule_uv_each(w: str) -> list[str]:
    """An initial 'v' for 'u' ("vpon"), a medial 'u' for 'v' ("haue") or the other way round,
    each letter on its own and with the initial one: "deuoutly", "vndiscouered" mix them."""
    out = _rule_uv(w)  # the initial 'v' read as 'u' among them
    medial_u = [k for k in range(1, len(w)) if w[k] == "u"]
    medial_v = [k for k in range(1, len(w)) if w[k] == "v"]
    for start in (w, "u" + w[1:]) if w.startswith("v") else (w,):
        out += _swapped(start, medial_u, {"u": "v"}) + _swapped(start, medial_v, {"v": "u"})
    return out


def _rule_ij_each(w: str) -> list[str]:
    """An 'i' for 'j' before a vowel ("iourney", "proiect"), each such letter on its own ("iniuries")."""
    return _rule_ij(w) + _swapped(w, [m.start() for m in re.finditer(r"i(?=[aeiou])", w)], {"i": "j"})


def _rule_yi(w: str) -> list[str]:
    return [w[0] + w[1:].replace("y", "i")] if "y" in w[1:] else []


def _rule_syncope(w: str) -> list[str]:
    """'entred', 'threatned', 'thundring', "lov'd": a vowel left out before r, n, l or d."""
    out = []
    for m in re.finditer(r"[^aeiouy](?=[rnl](?:ed|ing|y|s)?$|[rnl](?:ed|ing)$)", w):
        out.append(w[: m.end()] + "e" + w[m.end() :])
    if w.endswith(("'d", "’d")):
        out.append(w[:-2] + "ed")
    return out


def _rule_misc(w: str) -> list[str]:
    out = []
    if w.startswith("in"):
        out.append("en" + w[2:])
    if w.startswith("en"):
        out.append("in" + w[2:])
    if "ou" in w:
        out.append(w.replace("ou", "oo"))
    if "sw" in w:
        out.append(w.replace("sw", "su"))
    if w.endswith("full"):
        out.append(w[:-1])
    if w.endswith("es") and len(w) > 4:
        out.append(w[:-2] + "s")
    for a, b in (("im", "em"), ("un", "in"), ("in", "un")):
        if w.startswith(a):
            out.append(b + w[2:])
    # A vowel doubled up ("demaunded", "maisters") or an -e- before a suffix ("briefely").
    out.extend(w[: m.start() + 1] + w[m.end() :] for m in re.finditer(r"[aeiou][uie]", w))
    out.extend(
        re.sub(r"e(ly|ment|ness|ful)$", r"\1", w) for _ in (0,) if re.search(r"e(ly|ment|ness|ful)$", w)
    )
    return out


def _rule_ie(w: str) -> list[str]:
    return [w[:-2] + "y"] if w.endswith("ie") else ([w[:-3] + "ies"] if w.endswith("ys") else [])


def _rule_final_e(w: str) -> list[str]:
    return [w[:-1]] if w.endswith("e") and len(w) > 3 else []


def _rule_double(w: str) -> list[str]:
    return [re.sub(r"([a-z])\1", r"\1", w)] if re.search(r"([a-z])\1", w) else []


def _rule_ck(w: str) -> list[str]:
    return [w[:-1]] if w.endswith("ck") else []


def _rule_eth(w: str) -> list[str]:
    return [w[:-3] + "s", w[:-3] + "es", w[:-2] + "s"] if w.endswith("eth") else []


def _rule_our(w: str) -> list[str]:
    return [w.replace("our", "or")] if "our" in w else []


_RULES = (
    _rule_uv,
    _rule_ij,
    _rule_yi,
    _rule_ie,
    _rule_final_e,
    _rule_double,
    _rule_ck,
    _rule_eth,
    _rule_our,
    _rule_syncope,
    _rule_misc,
)
_ONE_BY_ONE_RULES = (_rule_uv_each, _rule_ij_each, *_RULES[2:])
