"""Join words split by a hyphen at a line end, keeping the hyphens of real compounds.

A hyphen and a space inside a line ("Con- solidation") is the same break where the OCR stored a
paragraph a line; there only the joins are made (see FLATTENED_JOIN_CONFIDENCE).

`prosecu-⏎tion` is one word broken by the typesetter; `second-⏎class` and
`co-⏎optation` are compounds whose hyphen happens to fall at a line end; in
`stated-⏎Soviet` the hyphen stands for a dash between two words; in `424-⏎7`
it joins numbers. The decision uses, in order: digits, capitalisation, the
document's own spelling of the same word elsewhere, English prefix
conventions, and word frequencies (wordfreq).
"""

from __future__ import annotations

import re
from collections import Counter

from restore.models.lexicon import vocabulary, zipf
from restore.record import EditProposal
from restore.stages import Proposals, StageContext

# Hyphen-like characters that end a line: hyphen-minus, soft hyphen, hyphen, not sign (Fraktur OCR).
_BREAK = re.compile(
    r"(?P<left>[^\W_]+)(?P<hyphen>[-\u00ad\u2010¬])[ \t]*\n(?P<indent>[ \t]*)(?=(?P<right>[^\W_]+)(?P<space>[ \t]*))"
)
# A hyphen and one space inside a line, before a lower-case word: a line-end hyphen whose line
# break was flattened to a space ("Con- solidation" in OCR stored a paragraph a line).
_FLATTENED = re.compile(r"(?<![-\w])(?P<left>[^\W\d_]+)(?P<hyphen>[-\u2010]) (?=(?P<right>[a-z]{2,})\b)")
# The right-hand words of a hyphen left hanging on purpose ("pre- and post-war", "two- or three-fold").
_SUSPENDED = frozenset({"and", "or", "nor", "to"})
# Of such hyphens in BLN600's training pairs that `decide` would join into a known word at least as
# frequent as the rarer half, 973 of the 988 whose ground truth could be found were one word there
# (benchmarks/bench_flattened_hyphens.py);
# of those it would keep, 77 of 208 were compounds (the rest two words with a stray hyphen, "the-
# child"): only those joins are made ("of- the" is no "ofthe"), at this confidence.
FLATTENED_JOIN_CONFIDENCE = 0.97
# Prefixes that keep their hyphen before a word (counter-revolutionary, anti-Soviet).
COMPOUND_PREFIXES = frozenset(
    "anti co counter ex extra inter intra multi neo non over post pre pro pseudo quasi re self semi "
    "sub super trans ultra un under vice well half all".split()
)
COMMON_WORD = 3.0  # zipf: a word in everyday use ("class" 5.0, "tion" 1.6)
KNOWN_WORD = 1.0


def _hyphenated_forms(text: str) -> Counter:
    """Lower-cased hyphenated compounds written inside lines of the text."""
    return Counter(m.group().lower() for m in re.finditer(r"[^\W\d_]+(?:-[^\W\d_]+)+", text))


def decide(
    left: str, right: str, hyphen: str, document: Counter, compounds: Counter
) -> tuple[str, str, float]:
    """Decide how to mend one line-end hyphen: ("join" | "keep" | "dash", reason, confidence).

    `document` counts the text's words in lower case; `compounds` its hyphenated forms.

    >>> decide("prosecu", "tion", "-", Counter(), Counter())[0]
    'join'
    >>> decide("second", "class", "-", Counter(), Counter())[0]
    'keep'
    >>> decide("stated", "Soviet", "-", Counter(), Counter())[0]
    'dash'
    """
    joined, hyphenated = left + right, f"{left}-{right}"
    low_joined, low_hyphenated = joined.lower(), hyphenated.lower()
    if hyphen in "\u00ad¬":
        return "join", f"'{hyphen}' at a line end marks a word broken by the typesetter", 0.95
    if left[-1].isdigit() or right[0].isdigit():
        return "keep", "numbers joined by a hyphen (a range or reference) keep it", 0.95
    left_prefix = left.lower() in COMPOUND_PREFIXES
    if right[0].isupper() and left[-1].islower():
        if left_prefix:
            return "keep", f"'{left}-' before a capitalised word is a compound like anti-Soviet", 0.9
        if not right.isupper():
            return "dash", "a capitalised word follows: the hyphen stands for a dash between words", 0.85
    in_doc_hyphenated = compounds.get(low_hyphenated, 0)
    in_doc_joined = document.get(low_joined, 0)
    if in_doc_hyphenated > in_doc_joined:
        return "keep", f"the text writes '{hyphenated}' with a hyphen elsewhere ({in_doc_hyphenated}x)", 0.95
    if left_prefix and left[-1].lower() in "aeiou" and right[0].lower() == left[-1].lower():
        return "keep", f"'{left}-' keeps its hyphen before the same vowel ({hyphenated})", 0.9
    if in_doc_joined:
        return "join", f"the text writes '{joined}' as one word elsewhere ({in_doc_joined}x)", 0.95
    z_joined, z_left, z_right = zipf(low_joined), zipf(left.lower()), zipf(right.lower())
    if left_prefix and z_right >= COMMON_WORD and z_joined < z_right - 1:
        return "keep", f"prefix '{left}-' before the word '{right}'", 0.85
    if z_joined >= COMMON_WORD:
        return "join", f"'{joined}' is a common word (frequency {z_joined:.1f})", 0.95
    if z_left >= COMMON_WORD and z_right >= COMMON_WORD and len(left) > 2 and len(right) > 2:
        if z_joined < KNOWN_WORD:
            return "keep", f"'{left}' and '{right}' are words and '{joined}' is not: a compound", 0.85
        return "keep", f"'{left}' and '{right}' are common words, '{joined}' rare: a compound", 0.8
    if z_joined >= KNOWN_WORD:
        return "join", f"'{joined}' is a known word (frequency {z_joined:.1f})", 0.9
    return (
        "join",
        f"neither '{left}' nor '{right}' stands alone as a word: one word broken at the line end",
        0.85,
    )


def propose(text: str, context: StageContext | None) -> Proposals:
    """Propose joins of end-of-line hyphens.

    >>> [e.after for e in propose("the prosecu-\\ntion rested", None).edits]
    ['']
    """
    keep_lines = bool(context and context.config.keep_lines)
    if not _BREAK.search(text) and not _FLATTENED.search(text):
        return Proposals()
    words = vocabulary(text)
    document: Counter = Counter()
    for form, n in words.items():
        document[form.lower()] += n
    compounds = _hyphenated_forms(text)
    edits: list[EditProposal] = []
    for m in _BREAK.finditer(text):
        left, right, hyphen = m.group("left"), m.group("right"), m.group("hyphen")
        verdict, why, confidence = decide(left, right, hyphen, document, compounds)
        if verdict == "dash":
            continue  # two words: leave the line break for the paragraphs stage
        kept = "" if verdict == "join" else "-"
        result = left + kept + right
        kind = "hyphen-join"
        reason = f"'{left}{hyphen}' + '{right}' at a line end joined as '{result}': {why}"
        if keep_lines:
            # Keep line-aligned output: the whole word moves up to the first line.
            after_right = m.end("space")
            if after_right < len(text) and text[after_right] == "\n":
                end, replacement = after_right + 1, kept + right + "\n"  # the second line was only the word
            elif after_right == len(text):
                end, replacement = after_right, kept + right
            else:
                end, replacement = after_right, kept + right + "\n"
            edits.append(EditProposal(m.start("hyphen"), end, replacement, kind, reason, confidence))
        else:
            edits.append(EditProposal(m.start("hyphen"), m.start("right"), kept, kind, reason, confidence))
    for m in _FLATTENED.finditer(text):
        left, right = m.group("left"), m.group("right")
        if right in _SUSPENDED:
            continue
        verdict, why, confidence = decide(left, right, m.group("hyphen"), document, compounds)
        joined = (left + right).lower()
        z_joined = zipf(joined)
        known = z_joined >= KNOWN_WORD and z_joined >= min(zipf(left.lower()), zipf(right))
        if verdict != "join" or not (known or document.get(joined)):
            continue  # a compound, two words with a stray hyphen ("the- child", "of- the"): left
        reason = (
            f"'{left}{m.group('hyphen')} {right}' inside a line joined as '{left + right}': a line-end hyphen "
            f"whose line break became a space; {why}"
        )
        confidence = min(confidence, FLATTENED_JOIN_CONFIDENCE)
        edits.append(EditProposal(m.start("hyphen"), m.start("right"), "", "hyphen-join", reason, confidence))
    return Proposals(edits=tuple(sorted(edits, key=lambda e: e.start)))
