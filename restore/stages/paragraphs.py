"""Unwrap the hard line breaks of printed lines into flowing paragraphs.

Inside a paragraph of prose each line break becomes a space; paragraphs are
separated by exactly one blank line. Blocks whose lines are deliberately short
(verse, lists, tables, dialogue such as "Stalin: Who?") keep their lines. A
short line that ends a sentence, or an indented line, marks a paragraph end
inside a block, as in newspapers that print no blank lines.
"""

from __future__ import annotations

import re

from restore.models import lm, stray_marks
from restore.record import EditProposal, disjoint
from restore.stages import Proposals, StageContext
from restore.stages.pages import Line, split_lines, typical_width

_LIST_ITEM = re.compile(r"^\s*(?:[-•*–]\s+|\(?\d{1,3}[.)]\s+|\(?[a-zA-Z][.)]\s+|[IVXivx]{1,4}[.)]\s+)")
_SPEAKER = re.compile(r"^\s*[A-Z][\w.’' -]{0,30}:\s")
_TABLE_GAP = re.compile(r"\S {3,}\S|\t")
_SENTENCE_END = re.compile(r"[.!?:][\"'”’)\]]*$")
VERSE_MIN_LINES = 4  # a quatrain
_LINE_START = re.compile(r"^[\s\"'“‘(\[]*(.?)")  # a line's first letter, after quotes ("'Tis")
# A lone mark ending a line after a word ("body, I") or starting one before a word ("I the").
_MARK = "[" + re.escape("".join(sorted(stray_marks.MARKS))) + "]"
_LAST_MARK = re.compile(r"(?<=[\w,.;:]) +(" + _MARK + r")[ \t]*$")
_FIRST_MARK = re.compile(r"^[ \t]*(" + _MARK + r") +(?=\w)")


def _blocks(lines: list[Line]) -> list[list[int]]:
    """Runs of consecutive non-blank lines, as line indexes."""
    blocks, current = [], []
    for i, line in enumerate(lines):
        if line.blank:
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(i)
    if current:
        blocks.append(current)
    return blocks


def keeps_lines(block: list[Line], width: float) -> str | None:
    """Why a block's line breaks are deliberate, or None for prose."""
    if len(block) < 2:
        return None
    texts = [line.text for line in block]
    if sum(1 for t in texts if _TABLE_GAP.search(t.strip())) >= max(2, len(texts) // 2):
        return "table: columns separated by runs of spaces"
    if sum(1 for t in texts if _LIST_ITEM.match(t)) >= max(2, len(texts) // 2):
        return "list: lines start with item markers"
    if sum(1 for t in texts if _SPEAKER.match(t)) >= max(2, len(texts) // 2):
        return "dialogue: each line starts with a speaker"
    short = sum(1 for t in texts[:-1] if len(t.rstrip()) < 0.6 * width)
    if width and short >= max(2, 0.6 * (len(texts) - 1)):
        return "short lines throughout, as in verse or an address"
    if verse_lines(texts):
        return "every line starts with a capital, as in verse"
    return None


def verse_lines(texts: list[str]) -> bool:
    """A block of VERSE_MIN_LINES or more lines whose every line starts with a capital and none
    ends in a hyphen: verse as printed before the 20th century, where the lines are as long as
    the page's (a poem or a play on its own, with no prose beside it to make them look short).
    A prose line starts with a capital only at a sentence or a name."""
    return (
        len(texts) >= VERSE_MIN_LINES
        and all(_LINE_START.match(t).group(1).isupper() for t in texts)
        and not any(t.rstrip().endswith(("-", "\u00ad")) for t in texts[:-1])
    )


def _paragraph_ends_after(line: Line, following: Line, width: float) -> str | None:
    """Why a line break inside a prose block is a paragraph end, or None."""
    text = line.text.rstrip()
    if width and len(text) < 0.6 * width and _SENTENCE_END.search(text) and following.text[:1].isupper():
        return "a short line ending a sentence closes a paragraph"
    if re.match(r"^( {2,}|\t)\S", following.text) and not re.match(r"^( {2,}|\t)\S", line.text):
        return "the next line is indented: a new paragraph"
    if (
        width
        and len(text) < 0.45 * width
        and following.text[:1].isupper()
        and text[:1].isupper()
        and not text.endswith(",")
    ):
        return "a short line on its own, like a heading"
    return None


def propose(text: str, context: StageContext | None) -> Proposals:
    """Propose unwrapping and paragraph separation.

    >>> [e.after for e in propose("A line that\\nwraps.\\n\\n\\nNext.\\n", None).edits]
    [' ', '\\n\\n']
    """
    lines = split_lines(text)
    blocks = _blocks(lines)
    width = typical_width(lines)
    kept = [keeps_lines([lines[i] for i in b], width) for b in blocks]  # why each block keeps its lines
    marks = stray_mark_edits(text, lines, [b for b, why in zip(blocks, kept) if not why])
    if context is not None and context.config.keep_lines:
        return Proposals(edits=tuple(marks), info={"kept_lines": True, "stray_marks": len(marks)})
    edits: list[EditProposal] = list(marks)
    kept_blocks = 0
    for block_indexes, why_kept in zip(blocks, kept):
        block = [lines[i] for i in block_indexes]
        # Leading indentation of a block's first line is paragraph layout, not text.
        indent = len(block[0].text) - len(block[0].text.lstrip(" \t"))
        if indent and not why_kept:
            edits.append(
                EditProposal(
                    block[0].start,
                    block[0].start + indent,
                    "",
                    "indent",
                    "indentation at the start of a paragraph removed",
                    0.95,
                )
            )
        if why_kept:
            kept_blocks += 1
            continue
        for line, following in zip(block, block[1:]):
            break_start = line.end
            indent_next = len(following.text) - len(following.text.lstrip(" \t"))
            break_end = following.start + indent_next
            if text[line.end] == "\f":
                continue  # a form feed left in place by the pages stage
            why = _paragraph_ends_after(line, following, width)
            if why:
                edits.append(EditProposal(break_start, break_end, "\n\n", "paragraph-break", why, 0.8))
            else:
                edits.append(
                    EditProposal(
                        break_start,
                        break_end,
                        " ",
                        "unwrap",
                        "line break inside a paragraph made a space",
                        0.95,
                    )
                )
    # Blank lines: exactly one between paragraphs, none at the start, one newline at the end.
    for m in re.finditer(r"[\n\f](?:[ \t\f]*[\n\f])+|\f", text):
        if m.start() == 0 or not text[: m.start()].strip():
            continue
        if m.end() == len(text):
            if m.group() != "\n":
                edits.append(
                    EditProposal(
                        m.start(),
                        m.end(),
                        "\n",
                        "paragraph-break",
                        "blank lines at the end of the text removed",
                        1.0,
                    )
                )
        elif m.group() != "\n\n":
            edits.append(
                EditProposal(
                    m.start(),
                    m.end(),
                    "\n\n",
                    "paragraph-break",
                    "blank lines between paragraphs made exactly one",
                    0.95,
                )
            )
    leading = re.match(r"(?:[ \t\f]*[\n\f])+", text)
    if leading:
        edits.append(
            EditProposal(
                0, leading.end(), "", "paragraph-break", "blank lines at the start of the text removed", 1.0
            )
        )
    return Proposals(
        edits=tuple(disjoint(edits)), info={"kept_blocks": kept_blocks, "stray_marks": len(marks)}
    )


def stray_mark_edits(text: str, lines: list[Line], prose_blocks: list[list[int]]) -> list[EditProposal]:
    """Lone marks at the edges of a prose block's lines that are a column rule or a speck, not a
    word (``models.stray_marks``): removed with the space that parts each from its line, at
    better than even odds (the pipeline holds those under the bar as flags)."""
    found = []
    for block in prose_blocks:
        for a, b in zip(block, block[1:]):
            line, following = lines[a], lines[b]
            last = _LAST_MARK.search(line.text)
            if last:  # "of the body, I" before the next line
                found.append((line.start + last.start(), line.start + last.end(), line.start + last.start(1)))
            first = _FIRST_MARK.match(following.text)
            if first:  # "I the water board" after the line before
                found.append(
                    (
                        following.start + first.start(1),
                        following.start + first.end(),
                        following.start + first.start(1),
                    )
                )
    if not found:
        return []
    evidence = stray_marks.edge_evidence([line.text for line in lines])
    language = lm.load_language_model()
    edits = []
    for start, end, at in found:
        judged = stray_marks.judge(
            text, start, end, at, evidence, language.score, language.known, language.named
        )
        if judged is not None:
            edits.append(EditProposal(start, end, "", "stray-mark", judged.reason, judged.probability))
    return edits
