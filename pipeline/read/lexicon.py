"""A page's OCR words → a doubtful word one letter off a word the page uses many times spelled as that word."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from pipeline.read.ocr import REREAD_BELOW, OcrWord

#: Words shorter than this many characters are never respelled: too many real words lie one letter apart.
MIN_LETTERS = 3
#: A word the page uses at least this many times (spelled exactly so) is one a lone look-alike may be misread from.
MIN_USES = 3
#: Marks that end a word in a sentence, not part of it.
END_MARKS = ".,;:"


def respell_from_page(found: list[OcrWord]) -> list[OcrWord]:
    """OCR words of one page → each doubtful word (read under the confidence that has OCR read a word again) used
    once that differs by one character, in the same place, from exactly one word the page uses often, spelled as
    that word ("(BX" → "IBX" where "IBX" is used thrice). Words read more surely are left alone even when one letter
    off ("CPM" beside "CSM", both read at 86)."""
    cores = [w.text.rstrip(END_MARKS) for w in found]
    uses = Counter(cores)
    common = [c for c, n in uses.items() if n >= MIN_USES and len(c) >= MIN_LETTERS]
    fixed = []
    for word, core in zip(found, cores, strict=True):
        if word.confidence >= REREAD_BELOW or uses[core] > 1 or len(core) < MIN_LETTERS:
            fixed.append(word)
            continue
        near = [c for c in common if _one_letter_apart(core, c)]
        if len(near) != 1:
            fixed.append(word)
            continue
        fixed.append(replace(word, text=near[0] + word.text[len(core):]))
    return fixed


def _one_letter_apart(a: str, b: str) -> bool:
    """Whether two words of the same length differ in exactly one character."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
