"""The spelling stage's decisions by probability: the noisy channel read in context.

The spelling rules go first and keep what they decide. Every other word, capitalised ones
included, is read by the noisy channel (``models.noisy_channel``): the learned OCR error model
times the language model, against the word as printed. A calibrated probability that the best
other reading is right (``models.noisy_channel.Calibration``, learned on OCR/ground-truth pairs)
decides: at or above ``Config.min_confidence`` it is an edit with that confidence; from
``FLAG_FLOOR`` up to it, a flag with the candidates. What the channel may never change:

- names in a name dictionary, words the document itself uses three times or more;
- acronyms and words in capitals, numbers, words with digits;
- historical spellings of a known word ("beene", "towne", "vaine") and British/American pairs;
- in early modern text, any form the language model knows (its 18th-century books taught it
  the period's spellings): only forms no book printed are corrected there.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from symspellpy import Verbosity

from .. import lexicon
from ..models import channel, lm
from ..models.noisy_channel import Calibration, Decoded, NoisyChannel, Reading, Token, decision_features
from . import EditProposal, FlagProposal

FLAG_FLOOR = 0.5  # below this the printed word is as likely as any candidate: no flag
DEFAULT_CALIBRATION = Path(__file__).resolve().parent.parent / "data" / "channel" / "calibration.json"
_BRITISH = (("our", "or"), ("ise", "ize"), ("isation", "ization"), ("re", "er"), ("ence", "ense"), ("ll", "l"),
            ("ogue", "og"), ("yse", "yze"), ("ae", "e"), ("oe", "e"))


@dataclass(frozen=True)
class Judged:
    """A word the channel would change, with its calibrated probability."""

    decoded: Decoded
    candidate: Reading
    probability: float


@lru_cache(maxsize=4)
def load_calibration(path: str | None = None) -> Calibration:
    p = Path(path) if path else DEFAULT_CALIBRATION
    if p.is_dir():
        p = p / "calibration.json"
    if not p.is_file():
        p = DEFAULT_CALIBRATION
    data = json.loads(p.read_text(encoding="utf-8"))
    return Calibration(data["parts"])


@lru_cache(maxsize=4)
def noisy_channel(model_dir: str | None = None) -> NoisyChannel:
    """The reader for a model folder (``restore learn``) or the shipped models; one per process."""
    return reader_for(channel.load_error_model(model_dir) if model_dir else channel.load_error_model())


def reader_for(errors: channel.ErrorModel) -> NoisyChannel:
    """A noisy-channel reader over an error model, the shipped language model and the symspellpy index."""
    language = lm.load_language_model()
    index = lexicon.symspell()

    def neighbours(form: str) -> list[str]:
        distance = 1 if language.known(form) else 2
        return [s.term for s in index.lookup(form, Verbosity.ALL, max_edit_distance=distance)[:30]]

    return NoisyChannel(errors, language.score, language.known, neighbours, lm_form=lm.lm_form)


def plain_word(t: Token) -> bool:
    """A word the channel reads at all: letters, two or more, not in capitals."""
    w = t.text
    return len(w) >= 2 and w[0].isalpha() and not w.isupper()


def judge(text: str, wanted: Callable[[Token], bool], model_dir: str | None = None) -> list[Judged]:
    """Each wanted word the channel would read otherwise, with the probability it is right to."""
    reader = noisy_channel(model_dir)
    calibration = load_calibration(model_dir)
    out = []
    for d in reader.decode(text, wanted):
        printed = d.sentence_printed
        others = [r for r in d.readings if r.form != printed]
        if not others or others[0].posterior < d.readings_printed.posterior * 0.05:
            continue
        c = others[0]
        features = decision_features(d, c, reader.known(printed), lexicon.zipf)
        out.append(Judged(d, c, calibration.probability(features)))
    return out


def _in_compound(text: str, t: Token) -> bool:
    """Part of a hyphenated or apostrophed compound ("co-optation", "o'clock"): the halves are not words."""
    return (t.start > 0 and text[t.start - 1] in "-‐'’") or (t.end < len(text) and text[t.end] in "-‐")


def spelling_variant(printed: str, candidate: str) -> bool:
    """British and American spellings of one word ("colour"/"color", "realise"/"realize")."""
    for a, b in _BRITISH:
        for x, y in ((a, b), (b, a)):
            if x in printed and printed.replace(x, y) == candidate:
                return True
    return False


def reason_of(j: Judged, errors: channel.ErrorModel, token: str) -> str:
    """The evidence in words: the confusion and how often OCR makes it, the context odds, the probability."""
    d, c, printed = j.decoded, j.candidate, j.decoded.readings_printed
    lo = max(0, d.index - 2)
    before = " ".join(d.sentence[lo : d.index])
    after = " ".join(d.sentence[d.index + 1 : d.index + 3])
    context_gain = c.log_context - printed.log_context
    odds = _times(context_gain)
    where = f"'{before} {c.form} {after}'".replace("' ", "'").replace(" '", "'")
    return (
        f"'{token}' -> '{c.form}': in the training pairs OCR {errors.explain(printed.form, c.form)}; "
        f"{where} is {odds} likelier than with '{printed.form}' in the language model; "
        f"probability {j.probability:.3f}"
    )


def _times(log10_ratio: float) -> str:
    if log10_ratio <= 0.18:
        return "no" if log10_ratio < -0.18 else "about as"
    r = 10 ** min(log10_ratio, 9.0)
    return f"{r:,.0f} times" if r >= 10 else f"{r:.1f} times"


def proposals(judged: list[Judged], text: str, min_confidence: float, with_case, model_dir: str | None = None):
    """Edits for the probable readings, flags for the middle band."""
    errors = noisy_channel(model_dir).errors
    edits: list[EditProposal] = []
    flags: list[FlagProposal] = []
    for j in judged:
        t = j.decoded.token
        after = with_case(t.text, j.candidate.form)
        if after == t.text or j.probability < FLAG_FLOOR:
            continue
        reason = reason_of(j, errors, t.text)
        conf = round(math.floor(j.probability * 1000) / 1000, 3)
        if j.probability >= min_confidence:
            edits.append(EditProposal(t.start, t.end, after, "spelling", reason, conf))
        else:
            cands = [r.form for r in j.decoded.readings if r.form != j.decoded.sentence_printed][:3]
            flags.append(FlagProposal(t.start, t.end, "spelling",
                                      reason + f"; below the bar of {min_confidence}: left as printed",
                                      conf, {"candidates": cands}))
    return edits, flags


def revise(
    text: str,
    edits: list[EditProposal],
    flags: list[FlagProposal],
    *,
    protected: list[tuple[int, int]],
    names_lower,
    count: Callable[[str], int],
    period: str,
    historical: Callable[[str], bool],
    min_confidence: float,
    with_case,
    model_dir: str | None = None,
) -> tuple[list[EditProposal], list[FlagProposal]]:
    """The rules' edits and flags, with the channel's decisions on every word the rules left.

    A rule's edit stands; a rule's flag gives way to a channel edit on the same word.
    """
    spans = sorted(list(protected) + [(e.start, e.end) for e in edits])
    reader = noisy_channel(model_dir)

    def wanted(t: Token) -> bool:
        w = t.text
        if not plain_word(t) or _in_compound(text, t):
            return False
        if any(a < t.end and t.start < b for a, b in spans):
            return False
        lower = lm.lm_form(w)
        if lower in names_lower or count(lower) >= 3:
            return False
        return not (period != "modern" and reader.known(lower))

    judged = [
        j for j in judge(text, wanted, model_dir)
        if not historical(j.decoded.sentence_printed)
        and not spelling_variant(j.decoded.sentence_printed, j.candidate.form)
    ]
    new_edits, new_flags = proposals(judged, text, min_confidence, with_case, model_dir)
    edited = {(e.start, e.end) for e in new_edits}
    flagged = {(f.start, f.end) for f in new_flags}
    kept_flags = [f for f in flags if (f.start, f.end) not in edited and (f.start, f.end) not in flagged]
    return sorted(edits + new_edits, key=lambda e: e.start), sorted(kept_flags + new_flags, key=lambda f: f.start)
