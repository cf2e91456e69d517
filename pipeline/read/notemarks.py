"""Words of a text layer → the same words with each note mark set small, raised or lowered against the word it
follows ("Manager" + a superscript "1") joined onto that word, as printed ("Manager1")."""

from __future__ import annotations

import bisect
import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # layout.py calls this module: the type only, no import at run time
    from pipeline.read.layout import Word

#: A note mark is set at most this share of the size of the word it follows.
MARK_SIZE_SHARE = 0.9
#: ... has at most this many characters ("1", "12", "*", "st", "TM") ...
MARK_MAX_CHARS = 3
#: ... starts within this many points of that word's end ...
MARK_GAP = 1.0
#: ... and shares at least this share of its own height with that word's box.
MARK_OVERLAP = 0.5


def attach_note_marks(words: list[Word]) -> list[Word]:
    """Words (any order) → the words with each note mark joined onto the larger word it touches on its left.

    The mark's raised top would otherwise start a line of its own above the line it belongs to, and its text would
    land at the start of the cell. Words read by OCR are left as they are.
    """
    largest = max((w.size for w in words), default=0.0)
    if not any(_may_be_mark(w, largest) for w in words):
        return words
    by_end = sorted(range(len(words)), key=lambda i: words[i].x1)
    ends = [words[i].x1 for i in by_end]
    merged: dict[int, Word] = {}
    dropped: set[int] = set()
    for i in sorted(range(len(words)), key=lambda i: words[i].x0):
        mark = words[i]
        if not _may_be_mark(mark, largest):
            continue
        lo = bisect.bisect_left(ends, mark.x0 - MARK_GAP)
        hi = bisect.bisect_right(ends, mark.x0 + MARK_GAP)
        hosts = [j for j in by_end[lo:hi] if j != i and j not in dropped and _carries(words[j], mark)]
        if not hosts:
            continue
        j = min(hosts, key=lambda j: abs(words[j].ymid - mark.ymid))
        host = merged.get(j, words[j])
        merged[j] = dataclasses.replace(host, text=host.text + mark.text, x1=max(host.x1, mark.x1))
        dropped.add(i)
    return [merged.get(i, w) for i, w in enumerate(words) if i not in dropped]


def _may_be_mark(word: Word, largest: float) -> bool:
    """Whether a word is short and set smaller than the page's largest text, from a text layer."""
    return (word.confidence is None and len(word.text) <= MARK_MAX_CHARS
            and word.size <= MARK_SIZE_SHARE * largest)


def _carries(host: Word, mark: Word) -> bool:
    """Whether a word is set larger than a mark touching its end and shares most of the mark's height."""
    if host.confidence is not None or mark.size > MARK_SIZE_SHARE * host.size:
        return False
    overlap = min(host.bottom, mark.bottom) - max(host.top, mark.top)
    return overlap >= MARK_OVERLAP * (mark.bottom - mark.top)
