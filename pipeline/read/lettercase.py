"""OCR words → letters whose capitals look like their small letters (c o s u v w x z) in the case their ink shows."""

from __future__ import annotations

import statistics
from dataclasses import replace

import numpy as np
from scipy import ndimage

from pipeline.read.letters import (
    CASE_ALIKE,
    X_HEIGHT_LETTERS,
    grounded_rises,
    ink_pieces,
    ink_top,
    letter_core,
    stroke_rise,
)
from pipeline.read.ocr import OcrWord
from pipeline.read.shading import Mask

#: A height must be this share of the way from one case's height to the other's to change a letter's case.
CASE_MARGIN = 0.75
#: Words whose baselines differ by less than this share of their line's height stand on one baseline.
SAME_BASELINE = 0.2
#: x-height over cap height in sans-serif faces (Helvetica, Arial: about 0.72).
X_HEIGHT_SHARE = 0.72
#: A small letter rising this share of its word's capitals' height is a capital (small letters rise about 0.75).
AS_CAPITAL = 0.92
#: The last of three or more capitals, a c o s u v w x z rising no more than this share of the others, is a small
#: letter: a plural ("VCs", "PDUs"), which Tesseract reads as a capital after capitals.
AS_SMALL = 0.85
#: ... and at least this share (less is a speck or a mark, not a letter).
SMALL_LETTER = 0.55
#: Letters whose small form descends below the baseline and whose capital does not (J and Q may descend).
DESCENDING = {"p": "P", "g": "G", "y": "Y"}
#: A word's first letter reaching this share of its line's height below the baseline descends; one reaching no more
#: than STANDS does not (small p, g, y descend about 0.2 of a line; capitals stand on it, a pixel or two).
DESCENDS = 0.12
STANDS = 0.04
#: A word's first letter whose capital differs from its small letter by height alone (c o s u v w x z; p g y by their
#: bowls) is a capital when its ink rises at least CAPITAL_FIRST times as high as the word's letters of x-height, and
#: small when it rises no more than SMALL_FIRST times as high (capitals rise 1.3 to 1.5 times, in Helvetica, Times
#: and Courier alike).
FIRST_BY_HEIGHT = CASE_ALIKE | frozenset("pgy")
CAPITAL_FIRST = 1.2
SMALL_FIRST = 1.1


def fix_case(words: list[OcrWord], ink: Mask) -> list[OcrWord]:
    """OCR words → letters whose capitals look like their small letters (c o s u v w x z) put in the right case.

    Among capitals ("EuC") such a letter is a capital. A short word made only of such letters, in one case ("vc"), is in
    capitals when its ink rises clearly as high above the baseline as capitals do, and in small letters when it rises
    clearly only as high as small letters: measured against the words in capitals on its own baseline when there are
    some (a glossary set in another face than the table), else against the page's, for their line's height.
    """
    rows = _baseline_rows(words)
    caps: dict[int, list[float]] = {}
    small: dict[int, list[float]] = {}
    page_caps: list[float] = []
    page_small: list[float] = []
    for i, w in enumerate(words):
        if not (w.text.isalpha() and w.row_height) or set(w.text.lower()) <= CASE_ALIKE:
            continue
        if w.text.isupper():
            caps.setdefault(rows[i], []).append(_rise(ink, w))
            page_caps.append(_rise(ink, w) / w.row_height)
        elif w.text.islower() and set(w.text) <= X_HEIGHT_LETTERS:
            small.setdefault(rows[i], []).append(_rise(ink, w))
            page_small.append(_rise(ink, w) / w.row_height)
    fixed = []
    for i, w in enumerate(words):
        text = _capitals_among_capitals(w.text)
        letters = [c for c in text if c.isalpha()]
        same_case = all(c.islower() for c in letters) or all(c.isupper() for c in letters)
        if letters and len(letters) <= 4 and same_case and all(c.lower() in CASE_ALIKE for c in letters):
            if rows[i] in caps:
                cap = statistics.median(caps[rows[i]])
                x = statistics.median(small[rows[i]]) if rows[i] in small else X_HEIGHT_SHARE * cap
                text = _by_rise(text, _rise(ink, w), cap, x)
            elif len(page_caps) >= 3 and len(page_small) >= 3:
                text = _by_rise(text, _rise(ink, w) / w.row_height, statistics.median(page_caps),
                                statistics.median(page_small))
        fixed.append(_retext(w, text))
    return fixed


def _baseline_rows(words: list[OcrWord]) -> list[int]:
    """OCR words → for each, a number shared by the words standing on the same baseline (whatever OCR line)."""
    order = sorted(range(len(words)), key=lambda i: words[i].baseline)
    rows = [0] * len(words)
    row, last = 0, None
    for i in order:
        w = words[i]
        if last is not None and w.baseline - last > SAME_BASELINE * w.row_height:
            row += 1
        rows[i], last = row, w.baseline
    return rows


def _by_rise(text: str, rise: float, cap: float, x: float) -> str:
    """Letters, how high their ink rises and how high capitals and small letters rise → the letters in the case
    their height clearly shows (as read when the height is in between)."""
    if rise >= x + CASE_MARGIN * (cap - x):
        return text.upper()
    if rise <= cap - CASE_MARGIN * (cap - x):
        return text.lower()
    return text


def _retext(word: OcrWord, text: str) -> OcrWord:
    if text == word.text:
        return word
    return OcrWord(text, word.x0, word.top, word.x1, word.bottom, word.confidence, word.line, word.baseline,
                   word.row_height, word.symbols)


def _capitals_among_capitals(text: str) -> str:
    """A word → its small c o s u v w x z made capitals where they stand between capitals ("EuC"), or first
    before nothing but capitals ("sE"); a last small letter stays (plurals: "VCs", "PDUs")."""
    chars = list(text)
    for i, c in enumerate(chars):
        if c not in CASE_ALIKE:
            continue
        before = chars[i - 1] if i else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        rest = [x for x in chars[i + 1:] if x.isalpha()]
        if (before.isupper() and after.isupper()) or (not before and rest and all(x.isupper() for x in rest)):
            chars[i] = c.upper()
    return "".join(chars)


def _rise(ink: Mask, word: OcrWord) -> int:
    """How high a word's ink rises above its baseline (pixels)."""
    baseline = round(word.baseline)
    box = ink[max(word.top - round(0.3 * word.row_height), 0):baseline, max(word.x0, 0):word.x1]
    rows = np.nonzero(box.any(axis=1))[0]
    return int(box.shape[0] - rows[0]) if len(rows) else 0


def case_from_ink(words: list[OcrWord], ink: Mask) -> list[OcrWord]:
    """OCR words → the case of their c o s u v w x z as their ink's height shows it, letter by letter, and of a first
    p, g or y as its height and descender show it (see case_by_height, plurals_by_height, first_by_height,
    first_by_descender and before_digits)."""
    found = first_by_height(plurals_by_height(case_by_height(words, ink), ink), ink)
    return before_digits(first_by_descender(found, ink), ink)


def case_by_height(words: list[OcrWord], ink: Mask) -> list[OcrWord]:
    """OCR words → in a short word whose letters that show their case by their shape are all capitals (E, not e or
    C), each small c o s u v w x z whose ink rises as high as those capitals made a capital too ("Euc" → "EUC",
    never "Desk"). Only raised, never lowered. Each letter is the word's piece of ink in its turn (Tesseract's letter
    boxes may be off), or where letters touch, the middle of its box, when the boxes follow one another (a box that
    starts with the one before it taken as starting where that one ends)."""
    fixed = []
    for word in words:
        core = letter_core(word)
        letters = word.text[core[0]:core[1]] if core else ""
        shaped = [c for c in letters if c.lower() not in CASE_ALIKE]  # letters whose shape shows their case
        if core is None or not shaped or not all(c.isupper() for c in shaped) or not any(
                c in CASE_ALIKE for c in letters):  # "Desk": its "e" and "k" show it is in small letters
            fixed.append(word)
            continue
        pieces, rise = ink_pieces(ink, word), stroke_rise
        if len(pieces) != len(word.text):  # letters touch (bold): the middle of each letter's box, boxes in order
            pieces, rise = [(x0 + (x1 - x0) // 4, x1 - (x1 - x0) // 4) for x0, x1 in _after_another(word)], ink_top
            if any(b[0] < a[1] or b[1] <= b[0] for a, b in zip(pieces, pieces[1:], strict=False)):
                fixed.append(word)
                continue
        rises = [rise(ink, word, x0, x1) for x0, x1 in pieces[core[0]:core[1]]]
        capital = min(r for c, r in zip(letters, rises, strict=True) if c.isupper() and c.lower() not in CASE_ALIKE)
        new = "".join(c.upper() if c in CASE_ALIKE and r >= AS_CAPITAL * capital else c
                      for c, r in zip(letters, rises, strict=True))
        fixed.append(word if new == letters else replace(word, text=word.text[:core[0]] + new + word.text[core[1]:]))
    return fixed


def _after_another(word: OcrWord) -> list[tuple[int, int]]:
    """A word → its letters' boxes (x-extents), each starting no further left than the box before it ends: a letter
    Tesseract boxes from the start of the one before ("E" 151–170, "u" 151–189) is the part after that one."""
    boxes: list[tuple[int, int]] = []
    for s in word.symbols:
        boxes.append((max(s.x0, boxes[-1][1]) if boxes and s.x1 > boxes[-1][1] else s.x0, s.x1))
    return boxes


def plurals_by_height(words: list[OcrWord], ink: Mask) -> list[OcrWord]:
    """OCR words → in a word of capitals, a last C O S U V W X Z whose ink rises clearly less high than the capitals
    before it, but as high as a small letter, made a small letter ("VCS" → "VCs"). The last letter is the piece of
    ink before the marks that end the word (capitals before it may touch); a word whose last letter touches them is
    left as read."""
    fixed = []
    for word in words:
        core = letter_core(word)
        letters = word.text[core[0]:core[1]] if core else ""
        if core is None or len(letters) < 3 or not letters.isupper() or letters[-1].lower() not in CASE_ALIKE:
            fixed.append(word)
            continue
        pieces, marks = ink_pieces(ink, word), len(word.text) - core[1]
        rises = [stroke_rise(ink, word, x0, x1) for x0, x1 in pieces[:len(pieces) - marks]]
        capitals = [r for r in rises[:-1] if r]
        if capitals and SMALL_LETTER * min(capitals) <= rises[-1] <= AS_SMALL * min(capitals):
            last = core[1] - 1
            word = replace(word, text=word.text[:last] + word.text[last].lower() + word.text[last + 1:])
        fixed.append(word)
    return fixed


def first_by_height(words: list[OcrWord], ink: Mask) -> list[OcrWord]:
    """OCR words → a word in small letters after its first, whose first letter is one of FIRST_BY_HEIGHT in either
    case, with that letter a capital when its ink rises clearly higher than the word's letters of x-height and small
    when it rises no higher ("EQIX CPM Supports reseller" → "supports"). Each letter is OCR's box of it (a V's arms
    stand at its box's sides), when the boxes follow one another without overlapping; only ink joined to strokes
    that come down to the baseline across the word counts (not the line above's descenders; letters of a
    thresholded scan touch)."""
    fixed = []
    for word in words:
        first, rest = word.text[:1], word.text[1:]
        if first.lower() not in FIRST_BY_HEIGHT or len(rest) < 2 or not (rest.isalpha() and rest.islower()) \
                or len(word.symbols) != len(word.text) or not word.row_height:
            fixed.append(word)
            continue
        if any(b.x0 < a.x1 - 1 or b.x1 <= b.x0 + 1 for a, b in zip(word.symbols, word.symbols[1:], strict=False)):
            fixed.append(word)
            continue
        rises = grounded_rises(ink, word, [(s.x0, s.x1) for s in word.symbols])
        small = [r for c, r in zip(rest, rises[1:], strict=True) if c in X_HEIGHT_LETTERS]
        if not small or not statistics.median(small):
            fixed.append(word)
            continue
        rise = rises[0] / statistics.median(small)
        if rise >= CAPITAL_FIRST:
            first = first.upper()
        elif rise <= SMALL_FIRST:
            first = first.lower()
        fixed.append(_retext(word, first + rest))
    return fixed


def first_by_descender(words: list[OcrWord], ink: Mask) -> list[OcrWord]:
    """OCR words → a word in small letters after its first, whose first letter is p, g or y in either case, with that
    letter small when its ink descends below the baseline and a capital when it stands on it ("Partner" → "partner"
    when the P has a tail). The first letter is the word's first piece of ink when that piece ends before OCR's box of
    the second letter begins; a first letter touching the next is left as read."""
    fixed = []
    for word in words:
        first, rest = word.text[:1], word.text[1:]
        if first.lower() not in DESCENDING or not (rest.isalpha() and rest.islower() and word.row_height):
            fixed.append(word)
            continue
        pieces = _first_apart(word, ink)
        if pieces is None:
            fixed.append(word)
            continue
        depth = _descent(ink, word, *pieces[0]) / word.row_height
        if depth >= DESCENDS:
            first = first.lower()
        elif depth <= STANDS:
            first = DESCENDING[first.lower()]
        fixed.append(_retext(word, first + rest))
    return fixed


def _first_apart(word: OcrWord, ink: Mask) -> list[tuple[int, int]] | None:
    """A word → its pieces of ink when the first is its first character alone (it ends before OCR's box of the
    second begins), else None."""
    pieces = ink_pieces(ink, word)
    if len(pieces) < 2 or len(word.symbols) != len(word.text) or pieces[0][1] > word.symbols[1].x0 + 1:
        return None
    return pieces


def _descent(ink: Mask, word: OcrWord, x0: int, x1: int) -> int:
    """How far (pixels) the ink of a letter standing between two columns reaches below its word's baseline (the
    pieces that rise above the baseline only: the line below's ascenders are not the letter's)."""
    baseline = round(word.baseline)
    top = max(baseline - round(word.row_height), 0)
    window = ink[top:baseline + round(0.5 * word.row_height), max(x0, 0):x1]
    labels, _ = ndimage.label(window, structure=np.ones((3, 3), dtype=bool))
    bottoms = [found[0].stop for found in ndimage.find_objects(labels)
               if found is not None and found[0].start < baseline - top]
    return max(0, max(bottoms, default=0) - (baseline - top))


def before_digits(words: list[OcrWord], ink: Mask) -> list[OcrWord]:
    """OCR words → a c o s u v w x z before a digit ("v2023.03", "V2") small when its ink rises clearly less high than
    the digit's (digits stand as tall as capitals) and a capital when it rises as high; as read in between, or when
    its ink touches the digit's."""
    fixed = []
    for word in words:
        text = word.text
        if not (len(text) >= 2 and text[0].lower() in CASE_ALIKE and text[1].isdigit()):
            fixed.append(word)
            continue
        pieces = _first_apart(word, ink)
        if pieces is None:
            fixed.append(word)
            continue
        letter, digit = (stroke_rise(ink, word, x0, x1) for x0, x1 in pieces[:2])
        if digit and letter <= AS_SMALL * digit:
            text = text[0].lower() + text[1:]
        elif digit and letter >= AS_CAPITAL * digit:
            text = text[0].upper() + text[1:]
        fixed.append(_retext(word, text))
    return fixed
