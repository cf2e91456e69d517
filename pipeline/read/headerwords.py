"""Header lines read by OCR → the same lines with words misread by a letter or two spelled as the profile's."""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from pipeline.read.layout import Line, Word

#: Words shorter than this many letters are never respelled: too many real words lie one letter apart.
MIN_LETTERS = 5
#: Words of at least this many letters may be two edits off; shorter ones one.
TWO_EDITS_FROM = 7

_CORE = re.compile(r"^(\W*)(.*?)(\W*)$")


def spell_header(lines: list[Line], vocabulary: tuple[str, ...]) -> list[Line]:
    """Candidate header lines → the same lines, each OCR word near exactly one vocabulary word spelled as it.

    Words from a text layer (no confidence) are kept as printed, so digital pages read as before.
    """
    if not vocabulary or not any(ln.by_ocr for ln in lines):
        return lines
    return [Line([_respell(w, vocabulary) for w in ln.words]) for ln in lines]


def _respell(word: Word, vocabulary: tuple[str, ...]) -> Word:
    """One word → itself, or its vocabulary spelling when OCR read it a letter or two off that word alone."""
    found = _CORE.match(word.text)
    if word.confidence is None or found is None:
        return word
    before, core, after = found.groups()
    spelled = nearest_word(core, vocabulary)
    if spelled is None:
        return word
    if core[:1].isupper():
        spelled = spelled.upper() if core.isupper() and len(core) > 1 else spelled[:1].upper() + spelled[1:]
    return dataclasses.replace(word, text=before + spelled + after)


@lru_cache(maxsize=4096)
def nearest_word(text: str, vocabulary: tuple[str, ...]) -> str | None:
    """A word → the one vocabulary word it is a misreading of, or None when it is one, or near none or several.

    A word that only adds or drops letters at the end of a vocabulary word ("directly", "channels") is another
    word of the same stem, not a misreading, and is left alone.
    """
    from rapidfuzz.distance import Levenshtein  # only pages read by OCR get here

    key = text.casefold()
    if len(key) < MIN_LETTERS or key in vocabulary:
        return None
    limit = 2 if len(key) >= TWO_EDITS_FROM else 1
    distances = sorted((Levenshtein.distance(key, v, score_cutoff=limit + 1), v) for v in vocabulary)
    best, word = distances[0]
    if best > limit or (len(distances) > 1 and distances[1][0] <= best):
        return None
    if key.startswith(word) or word.startswith(key):
        return None
    return word
